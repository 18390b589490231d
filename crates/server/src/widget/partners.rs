//! Partners as admins manage them (the staff app): list, add, change (origins replaced as a
//! set, enabled or disabled) and rotate the identity secret. The widget reads a partner's row
//! on every request ([`super::find`]), so a change applies at the next one. A secret is told
//! once, when it is made; each action is in the audit log, in the transaction that makes it.

use super::well_formed;
use crate::db;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::staff::{audit, Staff};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use portico_api::{
    ErrorCode, NewPartner, PageLocale, PartnerAccount, PartnerAdded, PartnerChange, PartnerList,
    PartnerSecret, StaffRole, Touchpoint, WidgetFeature, PARTNER_MAX_ORIGINS,
    PARTNER_NAME_MAX_CHARS,
};
use rand::Rng;
use sqlx::AnyConnection;

const KEY_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A new key named by `prefix`: the prefix and 24 random lower-case letters and digits (a
/// partner's public key `pk_...`, an integration key's id `ik_...`).
pub(crate) fn random_key(prefix: &str) -> String {
    let mut rng = rand::thread_rng();
    let rest: String = (0..24)
        .map(|_| char::from(KEY_ALPHABET[rng.gen_range(0..KEY_ALPHABET.len())]))
        .collect();
    format!("{prefix}{rest}")
}

/// A new public key: `pk_` and 24 random lower-case letters and digits.
fn new_key() -> String {
    random_key("pk_")
}

/// A new secret: 32 random bytes in hex (a partner's identity secret, as the demo partner's; an
/// integration key's).
pub(crate) fn new_secret() -> String {
    hex::encode(rand::thread_rng().gen::<[u8; 32]>())
}

fn refused(why: &str) -> ApiError {
    ApiError::Refused(ErrorCode::BadRequest, why.into())
}

/// A page origin as a browser sends it in `Origin` and the widget's guard compares it:
/// `http(s)://host[:port]` in lower case, the scheme's default port left out. `None` for
/// anything else (a path, a query, a user, another scheme, a host with other characters).
pub fn page_origin(input: &str) -> Option<String> {
    let lower = input.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    let default_port = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (host, port) = match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if host.len() > 253 || !host.split('.').all(label_ok) {
        return None;
    }
    let port = match port {
        None => None,
        Some(digits) => {
            let ok = (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
            let port: u16 = digits.parse().ok().filter(|_| ok)?;
            (port != 0).then_some(())?;
            (port != default_port).then_some(port)
        }
    };
    Some(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

/// The origins as kept: each normalized, repeats once, in the order given; 1 to 20.
fn origins(asked: &[String]) -> ApiResult<Vec<String>> {
    if asked.is_empty() || asked.len() > PARTNER_MAX_ORIGINS {
        return Err(refused("a partner has 1 to 20 page origins"));
    }
    let mut kept: Vec<String> = Vec::with_capacity(asked.len());
    for origin in asked {
        let origin = page_origin(origin).ok_or_else(|| {
            let shown: String = origin.chars().take(100).collect();
            ApiError::Refused(
                ErrorCode::InvalidOrigin,
                format!("not a page origin: {shown}"),
            )
        })?;
        if !kept.contains(&origin) {
            kept.push(origin);
        }
    }
    Ok(kept)
}

/// A name as kept: trimmed, 1 to 100 characters, no control characters.
fn name(asked: &str) -> ApiResult<String> {
    let name = asked.trim();
    if name.is_empty()
        || name.chars().count() > PARTNER_NAME_MAX_CHARS
        || asked.chars().any(char::is_control)
    {
        return Err(refused(
            "a partner's name is 1 to 100 characters, no control characters",
        ));
    }
    Ok(name.to_string())
}

/// Features as kept: at least one, each once.
fn features(asked: &[WidgetFeature]) -> ApiResult<String> {
    let repeated = asked
        .iter()
        .enumerate()
        .any(|(i, f)| asked[..i].contains(f));
    if asked.is_empty() || repeated {
        return Err(refused(
            "a partner's widget offers at least one feature, each once",
        ));
    }
    let names: Vec<&str> = asked.iter().map(|f| f.as_str()).collect();
    Ok(names.join(","))
}

/// An accent as kept: `#rrggbb` in lower case.
fn accent(asked: &str) -> ApiResult<String> {
    let accent = asked.to_ascii_lowercase();
    let shaped = accent.len() == 7
        && accent.starts_with('#')
        && accent[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if shaped {
        Ok(accent)
    } else {
        Err(refused("an accent is #rrggbb"))
    }
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    id: i64,
    public_key: String,
    name: String,
    features: String,
    accent: String,
    default_locale: String,
    active_survey: Option<String>,
    #[sqlx(try_from = "crate::db::Flag")]
    enabled: bool,
    /// The partner's origins, separated by spaces (`string_agg`; an origin has none).
    origins: Option<String>,
}

impl PartnerRow {
    fn account(self) -> ApiResult<PartnerAccount> {
        let features = self
            .features
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| WidgetFeature::parse(f).ok_or(ApiError::Corrupt("a partner's feature")))
            .collect::<ApiResult<_>>()?;
        let mut origins: Vec<String> = self
            .origins
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        origins.sort();
        Ok(PartnerAccount {
            id: self.id,
            key: self.public_key,
            name: self.name,
            origins,
            features,
            accent: self.accent,
            default_locale: PageLocale::parse(&self.default_locale)
                .ok_or(ApiError::Corrupt("a partner's language"))?,
            active_survey: self
                .active_survey
                .map(|id| Touchpoint::parse(&id).ok_or(ApiError::Corrupt("a partner's survey")))
                .transpose()?,
            enabled: self.enabled,
        })
    }
}

const SELECT: &str = "SELECT p.id, p.public_key, p.name, p.features, p.accent, p.default_locale, \
     p.active_survey, p.enabled, \
     (SELECT string_agg(o.origin, ' ') FROM partner_origins o WHERE o.partner_id = p.id) AS origins \
     FROM partners p";

async fn load(db: &mut AnyConnection, id: i64) -> ApiResult<PartnerAccount> {
    let row: PartnerRow = sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    row.account()
}

async fn replace_origins(db: &mut AnyConnection, id: i64, origins: &[String]) -> ApiResult<()> {
    sqlx::query("DELETE FROM partner_origins WHERE partner_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    for origin in origins {
        sqlx::query("INSERT INTO partner_origins (partner_id, origin) VALUES ($1, $2)")
            .bind(id)
            .bind(origin)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// Every partner, by name (admins); never a secret.
#[utoipa::path(get, path = portico_api::paths::STAFF_PARTNERS, tag = "staff", operation_id = "staff_partners", security(("staff_session" = [])),
    responses((status = 200, description = "Every partner, by name.", body = PartnerList),
        (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<PartnerList>> {
    staff.may(&[StaffRole::Admin])?;
    let rows: Vec<PartnerRow> = sqlx::query_as(&format!("{SELECT} ORDER BY p.name, p.id"))
        .fetch_all(&state.db)
        .await?;
    Ok(Json(PartnerList {
        partners: rows
            .into_iter()
            .map(PartnerRow::account)
            .collect::<ApiResult<_>>()?,
    }))
}

/// Adds a partner (admins), enabled at once, with a new public key and a new identity secret,
/// which this answer tells once. A page origin that is not `http(s)://host[:port]` is
/// `invalid_origin`; a blank or too long name, no feature or one twice, or an accent that is
/// not `#rrggbb` is `bad_request`.
#[utoipa::path(post, path = portico_api::paths::STAFF_PARTNERS, tag = "staff", operation_id = "staff_add_partner", security(("staff_session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = NewPartner,
    responses((status = 201, description = "The partner, and its identity secret (told only this once).", body = PartnerAdded),
        (status = 400), (status = 401), (status = 403), (status = 413), (status = 415), (status = 422)))]
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(body): ApiJson<NewPartner>,
) -> ApiResult<(StatusCode, Json<PartnerAdded>)> {
    staff.may(&[StaffRole::Admin])?;
    let name = name(&body.name)?;
    let origins = origins(&body.origins)?;
    let features = features(&body.features)?;
    let accent = accent(&body.accent)?;
    let key = new_key();
    debug_assert!(well_formed(&key));
    let secret = new_secret();
    // A new row of its own (its key is new): nothing read decides.
    let mut tx = db::write_for(&state.db, db::Lock::Rows).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO partners (public_key, name, features, accent, default_locale, identity_secret, active_survey) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&key)
    .bind(&name)
    .bind(&features)
    .bind(&accent)
    .bind(body.default_locale.as_str())
    .bind(&secret)
    .bind(body.active_survey.map(Touchpoint::as_str))
    .fetch_one(&mut *tx)
    .await?;
    replace_origins(&mut tx, id, &origins).await?;
    let partner = load(&mut tx, id).await?;
    audit::record(
        &mut *tx,
        state.clock.now(),
        Some(staff.id()),
        staff.email(),
        "partner_added",
        Some(&partner.key),
        Some(&format!(
            "name: {}; origins: {}",
            partner.name,
            partner.origins.join(" ")
        )),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(PartnerAdded {
            partner,
            identity_secret: secret,
        }),
    ))
}

/// What changed between `before` and `after`, in words for the audit log.
fn changes(before: &PartnerAccount, after: &PartnerAccount) -> Vec<String> {
    let mut said = Vec::new();
    if before.name != after.name {
        said.push(format!("name: {} -> {}", before.name, after.name));
    }
    let added = after.origins.iter().filter(|o| !before.origins.contains(o));
    let gone = before.origins.iter().filter(|o| !after.origins.contains(o));
    let origins: Vec<String> = added
        .map(|o| format!("+{o}"))
        .chain(gone.map(|o| format!("-{o}")))
        .collect();
    if !origins.is_empty() {
        said.push(format!("origins: {}", origins.join(" ")));
    }
    if before.features != after.features {
        let names =
            |fs: &[WidgetFeature]| fs.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",");
        said.push(format!(
            "features: {} -> {}",
            names(&before.features),
            names(&after.features)
        ));
    }
    if before.accent != after.accent {
        said.push(format!("accent: {} -> {}", before.accent, after.accent));
    }
    if before.default_locale != after.default_locale {
        said.push(format!(
            "default_locale: {} -> {}",
            before.default_locale.as_str(),
            after.default_locale.as_str()
        ));
    }
    if before.active_survey != after.active_survey {
        let survey = |s: Option<Touchpoint>| s.map_or("none", Touchpoint::as_str);
        said.push(format!(
            "active_survey: {} -> {}",
            survey(before.active_survey),
            survey(after.active_survey)
        ));
    }
    if before.enabled != after.enabled {
        said.push(format!("enabled: {}", after.enabled));
    }
    said
}

/// Changes a partner (admins): anything the body names; `origins` replaces the set, in the
/// transaction that updates the row. No such partner is a 404; refusals as for adding one, and
/// `active_survey` with `clear_survey` is `bad_request`.
#[utoipa::path(patch, path = "/api/staff/partners/{id}", tag = "staff", operation_id = "staff_change_partner", security(("staff_session" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The partner"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = PartnerChange,
    responses((status = 200, description = "The partner as it is now.", body = PartnerAccount),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 413),
        (status = 415), (status = 422)))]
pub async fn change(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PartnerChange>,
) -> ApiResult<Json<PartnerAccount>> {
    staff.may(&[StaffRole::Admin])?;
    if body.clear_survey && body.active_survey.is_some() {
        return Err(refused("name a survey or clear it, not both"));
    }
    let name = body.name.as_deref().map(name).transpose()?;
    let origins = body.origins.as_deref().map(origins).transpose()?;
    let features = body.features.as_deref().map(features).transpose()?;
    let accent = body.accent.as_deref().map(accent).transpose()?;
    let mut tx = db::write_for(&state.db, db::Lock::Partner(id)).await?;
    let before = load(&mut tx, id).await?;
    let survey = match (body.clear_survey, body.active_survey) {
        (true, _) => None,
        (false, Some(asked)) => Some(asked),
        (false, None) => before.active_survey,
    };
    let changed = sqlx::query(
        "UPDATE partners SET name = COALESCE($1, name), features = COALESCE($2, features), \
         accent = COALESCE($3, accent), default_locale = COALESCE($4, default_locale), \
         active_survey = $5, enabled = COALESCE($6, enabled) WHERE id = $7",
    )
    .bind(name)
    .bind(features)
    .bind(accent)
    .bind(body.default_locale.map(PageLocale::as_str))
    .bind(survey.map(Touchpoint::as_str))
    .bind(body.enabled)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(ErrorCode::NotFound.into());
    }
    if let Some(origins) = &origins {
        replace_origins(&mut tx, id, origins).await?;
    }
    let after = load(&mut tx, id).await?;
    let said = changes(&before, &after);
    if !said.is_empty() {
        audit::record(
            &mut *tx,
            state.clock.now(),
            Some(staff.id()),
            staff.email(),
            "partner_changed",
            Some(&after.key),
            Some(&said.join("; ")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(after))
}

/// Gives a partner a new identity secret (admins) and tells it once: tokens signed with the
/// old one stop verifying at once. No such partner is a 404.
#[utoipa::path(post, path = "/api/staff/partners/{id}/secret", tag = "staff", operation_id = "staff_rotate_partner_secret", security(("staff_session" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The partner"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 200, description = "The new identity secret (told only this once).", body = PartnerSecret),
        (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PartnerSecret>> {
    staff.may(&[StaffRole::Admin])?;
    let secret = new_secret();
    let mut tx = db::write_for(&state.db, db::Lock::Partner(id)).await?;
    let key: String = sqlx::query_scalar(
        "UPDATE partners SET identity_secret = $1 WHERE id = $2 RETURNING public_key",
    )
    .bind(&secret)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ErrorCode::NotFound)?;
    audit::record(
        &mut *tx,
        state.clock.now(),
        Some(staff.id()),
        staff.email(),
        "partner_secret_rotated",
        Some(&key),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(PartnerSecret {
        identity_secret: secret,
    }))
}

/// The staff's partner screens (not behind the widget's guard).
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(list, add))
        .routes(routes!(change))
        .routes(routes!(rotate_secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_origins_are_kept_as_browsers_send_them() {
        for (typed, kept) in [
            ("https://shop.example", "https://shop.example"),
            ("http://A.Example", "http://a.example"),
            ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
            ("https://shop.example:443", "https://shop.example"),
            ("http://localhost:080", "http://localhost"),
            ("https://x-y.example:8443", "https://x-y.example:8443"),
        ] {
            assert_eq!(page_origin(typed).as_deref(), Some(kept), "{typed}");
        }
        for wrong in [
            "",
            "https://a.example/path",
            "https://a.example/",
            "https://a.example?q",
            "https://a.example#x",
            "https://user@a.example",
            "javascript:x",
            "ftp://a.example",
            "https://",
            "https://a..example",
            "https://-a.example",
            "https://a.example:",
            "https://a.example:0",
            "https://a.example:70000",
            "https://a.example:80:80",
            " https://a.example",
            "https://例子.example",
        ] {
            assert_eq!(page_origin(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn new_keys_are_well_formed_and_lower_case() {
        let key = new_key();
        assert!(well_formed(&key));
        assert_eq!(key.len(), 27);
        assert!(key[3..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    }

    #[test]
    fn accents_and_features_are_kept_in_one_form() {
        assert_eq!(accent("#1F6F4A").unwrap(), "#1f6f4a");
        assert!(accent("1f6f4a").is_err());
        assert!(accent("#1f6f4").is_err());
        assert!(accent("#1f6f4g").is_err());
        assert!(features(&[]).is_err());
        assert!(features(&[WidgetFeature::Lookup, WidgetFeature::Lookup]).is_err());
        assert_eq!(
            features(&[WidgetFeature::Feedback, WidgetFeature::Lookup]).unwrap(),
            "feedback,lookup"
        );
    }
}
