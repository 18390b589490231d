//! Staff: accounts with a password (argon2id) and a role, sessions in a cookie of their own
//! (never a customer's: shorter, `SameSite=Strict`, signed out everywhere at once), the CSRF
//! token every staff write carries, and [`Staff`]: who is asking, as every staff handler sees
//! it. `accounts` is what admins do with staff; `audit` records every staff action.

pub mod accounts;
pub mod audit;
pub mod password_link;

use crate::clock::rfc3339;
use crate::config::Config;
use crate::db::Flag;
use crate::device::{self, Door};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::rate_limit::{self, limit, ClientIp};
use crate::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use axum::extract::{FromRequestParts, State};
use axum::http::{request::Parts, Method, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use portico_api::{ErrorCode, StaffMember, StaffRole, StaffSession, StaffSignIn};
use rand::Rng;
use sqlx::AnyPool;
use std::sync::LazyLock;

/// A staff session lasts a working day, however busy.
pub const STAFF_SESSION_SECS: i64 = 8 * 3600;
/// A staff password's length in characters, at least and at most (the upper bound keeps one
/// request from costing the server a long hash).
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 12..=128;
/// The header a staff write carries its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The staff cookie's name: `__Host-` bound to this exact origin when served over https.
pub fn staff_cookie(config: &Config) -> &'static str {
    if config.https() {
        "__Host-portico_staff"
    } else {
        "portico_staff"
    }
}

/// The CSRF token of the session whose cookie holds `token`: derived from it, so only a page
/// that was told it (by signing in or reading the session) can send it; another site's page
/// can make the browser send the cookie, never this header.
fn csrf_token(token: &str) -> String {
    crate::auth::sha256_hex(&format!("csrf:{token}"))
}

/// An argon2id PHC string of `password` (the crate's default cost, OWASP's minimum: 19 MiB,
/// two passes).
pub fn hash_password(password: &str) -> ApiResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|hash| hash.to_string())
        .map_err(|_| ApiError::Corrupt("a password hash"))
}

/// The hash of a new password, off the async threads; a password of fewer than 12 or more than
/// 128 characters is `weak_password`.
pub(crate) async fn new_password_hash(password: &str) -> ApiResult<String> {
    if !PASSWORD_CHARS.contains(&password.chars().count()) {
        return Err(ErrorCode::WeakPassword.into());
    }
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::Corrupt("a password hash"))?
}

/// Checked against when the email names nobody, so the answer takes as long either way.
static NOBODY: LazyLock<String> =
    LazyLock::new(|| hash_password("no staff member has this password").unwrap_or_default());

/// Whether `password` is the one `hash` was made from; off the async threads (a hash is tens of
/// milliseconds of a core by design).
async fn password_matches(hash: String, password: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

#[derive(sqlx::FromRow)]
pub(crate) struct StaffRow {
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) role: String,
    #[sqlx(try_from = "crate::db::Flag")]
    pub(crate) enabled: bool,
}

impl StaffRow {
    pub(crate) fn member(self) -> ApiResult<StaffMember> {
        Ok(StaffMember {
            role: StaffRole::parse(&self.role).ok_or(ApiError::Corrupt("a staff role"))?,
            id: self.id,
            email: self.email,
            name: self.name,
            enabled: self.enabled,
        })
    }
}

/// Signs a staff member in with their email and password. A wrong password, an unknown email
/// and a disabled account are one answer, `invalid_credentials`, in the same time; each try is
/// in the audit log. A sign-in also sets a device cookie for the account: that browser's tries
/// then count on a budget of its own, so strangers' wrong passwords never lock it out.
#[utoipa::path(post, path = portico_api::paths::STAFF_SIGN_IN, request_body = StaffSignIn, tag = "staff", operation_id = "staff_sign_in",
    responses((status = 200, description = "Signed in: the staff cookie is set; `csrf_token` goes in every write's `X-CSRF-Token`.", body = StaffSession,
            headers(("set-cookie" = String, description = "The staff session cookie (HttpOnly, SameSite=Strict, 8 hours; Secure and `__Host-` over https), and the device cookie for the account (`portico_staff_device`, HttpOnly, SameSite=Strict, Path=/api/staff/sign-in, 180 days; Secure and `__Secure-` over https): this browser's later tries at the account count on a budget of its own."))),
        (status = 400), (status = 401), (status = 403), (status = 413), (status = 415), (status = 422), (status = 429)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(body): ApiJson<StaffSignIn>,
) -> ApiResult<impl IntoResponse> {
    let email = body.email.trim().to_ascii_lowercase();
    // A browser holding this account's device cookie tries on that device's own budget; any
    // other browser on the budget all untrusted clients of the account share (`device.rs`).
    let device = device::trusted(&state, &jar, Door::Staff, &email);
    let budgets = [
        (rate_limit::STAFF_SIGN_IN_PER_IP, ip.clone()),
        (
            rate_limit::STAFF_SIGN_IN_PER_REQUESTER,
            rate_limit::requester(&ip, &email),
        ),
        match device {
            Some(device) => (rate_limit::STAFF_SIGN_IN_PER_DEVICE, device),
            None => (rate_limit::STAFF_SIGN_IN_PER_EMAIL, email.clone()),
        },
    ];
    for (rule, key) in &budgets {
        limit(&state, *rule, key).await?;
    }
    let found: Option<(StaffRow, String)> =
        sqlx::query_as::<_, (i64, String, String, String, Flag, String)>(
            "SELECT id, email, name, role, enabled, password_hash FROM staff WHERE email = $1",
        )
        .bind(&email)
        .fetch_optional(&state.db)
        .await?
        .map(|(id, email, name, role, enabled, hash)| {
            (
                StaffRow {
                    id,
                    email,
                    name,
                    role,
                    enabled: enabled.0,
                },
                hash,
            )
        });
    // An account whose password is not set yet (`staff add` made it with a link) takes as long.
    let hash = found
        .as_ref()
        .map(|(_, hash)| hash.clone())
        .filter(|hash| !hash.is_empty())
        .unwrap_or_else(|| NOBODY.clone());
    // No password is longer than that (`PASSWORD_CHARS`): one cannot cost a long hash.
    let right = body.password.chars().count() <= *PASSWORD_CHARS.end()
        && password_matches(hash, body.password).await;
    let now = state.clock.now();
    let Some((row, _)) = found.filter(|(row, _)| right && row.enabled) else {
        let tried: String = email.chars().take(254).collect();
        audit::record(&state.db, now, None, &tried, "sign_in_failed", None, None).await?;
        return Err(ErrorCode::InvalidCredentials.into());
    };
    // Only failures count: a sign-in gives its tries back.
    for (rule, key) in &budgets {
        rate_limit::give_back(&state, *rule, key).await?;
    }
    let token = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    let name = staff_cookie(&state.config);
    if let Some(old) = jar.get(name) {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(crate::auth::sha256_hex(old.value()))
            .execute(&state.db)
            .await?;
    }
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(crate::auth::sha256_hex(&token))
    .bind(row.id)
    .bind(now)
    .bind(now + STAFF_SESSION_SECS)
    .execute(&state.db)
    .await?;
    audit::record(
        &state.db,
        now,
        Some(row.id),
        &row.email,
        "sign_in",
        None,
        None,
    )
    .await?;
    let cookie = Cookie::build((name, token.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(state.config.https())
        .max_age(time::Duration::seconds(STAFF_SESSION_SECS))
        .build();
    // This browser is trusted for this account from now on (a new device, its budget afresh).
    let jar = jar.add(device::issue(&state, Door::Staff, &email));
    Ok((
        jar.add(cookie),
        Json(StaffSession {
            staff: Some(row.member()?),
            csrf_token: Some(csrf_token(&token)),
            expires_at: Some(rfc3339(now + STAFF_SESSION_SECS)),
        }),
    ))
}

/// Who is signed in to the staff app on this browser, with the session's CSRF token; an empty
/// object when nobody is (a customer's session is nobody here).
#[utoipa::path(get, path = portico_api::paths::STAFF_SESSION, tag = "staff", operation_id = "staff_session", security((), ("staff_session" = [])),
    responses((status = 200, description = "The staff member and the CSRF token, or an empty object.", body = StaffSession)))]
pub async fn session(
    State(state): State<AppState>,
    jar: CookieJar,
) -> ApiResult<Json<StaffSession>> {
    let Some(token) = jar
        .get(staff_cookie(&state.config))
        .map(|c| c.value().to_string())
    else {
        return Ok(Json(StaffSession::default()));
    };
    Ok(Json(match find_session(&state, &token).await? {
        Some((staff, expires_at)) => StaffSession {
            staff: Some(staff.row.member()?),
            csrf_token: Some(csrf_token(&token)),
            expires_at: Some(rfc3339(expires_at)),
        },
        None => StaffSession::default(),
    }))
}

/// Ends this browser's staff session.
#[utoipa::path(post, path = portico_api::paths::STAFF_SIGN_OUT, tag = "staff", operation_id = "staff_sign_out", security(("staff_session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204, description = "Signed out."), (status = 401), (status = 403)))]
pub async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    jar: CookieJar,
) -> ApiResult<impl IntoResponse> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(&staff.token_hash)
        .execute(&state.db)
        .await?;
    staff.record(&state, "sign_out", None, None).await?;
    Ok((forget_cookie(&state, jar), StatusCode::NO_CONTENT))
}

/// Ends every session of the signed-in staff member, on every browser (a lost laptop).
#[utoipa::path(post, path = portico_api::paths::STAFF_SIGN_OUT_EVERYWHERE, tag = "staff", operation_id = "staff_sign_out_everywhere", security(("staff_session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204, description = "Every session of this staff member has ended."), (status = 401), (status = 403)))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    staff: Staff,
    jar: CookieJar,
) -> ApiResult<impl IntoResponse> {
    end_sessions(&state.db, staff.row.id).await?;
    staff
        .record(&state, "sign_out_everywhere", None, None)
        .await?;
    Ok((forget_cookie(&state, jar), StatusCode::NO_CONTENT))
}

/// The jar without this browser's staff cookie.
fn forget_cookie(state: &AppState, jar: CookieJar) -> CookieJar {
    jar.remove(
        Cookie::build(staff_cookie(&state.config))
            .path("/")
            .secure(state.config.https()),
    )
}

/// Ends every session of staff member `id`.
pub(crate) async fn end_sessions(
    db: impl sqlx::AnyExecutor<'_>,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The enabled staff member whose live session has cookie token `token`, and when it ends.
async fn find_session(state: &AppState, token: &str) -> ApiResult<Option<(Staff, i64)>> {
    let token_hash = crate::auth::sha256_hex(token);
    let row: Option<(i64, String, String, String, Flag, i64)> = sqlx::query_as(
        "SELECT s.id, s.email, s.name, s.role, s.enabled, x.expires_at FROM staff_sessions x \
         JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.enabled",
    )
    .bind(&token_hash)
    .bind(state.clock.now())
    .fetch_optional(&state.db)
    .await?;
    Ok(row.map(|(id, email, name, role, enabled, expires_at)| {
        (
            Staff {
                row: StaffRow {
                    id,
                    email,
                    name,
                    role,
                    enabled: enabled.0,
                },
                token_hash,
            },
            expires_at,
        )
    }))
}

/// A signed-in staff member: the extractor every staff endpoint takes. No staff session (a
/// customer's cookie is none) is a 401; a write without the session's CSRF token in
/// `X-CSRF-Token` is a 403. Which roles may go on is each handler's [`Staff::may`].
pub struct Staff {
    pub(crate) row: StaffRow,
    token_hash: String,
}

impl Staff {
    pub fn id(&self) -> i64 {
        self.row.id
    }

    pub fn email(&self) -> &str {
        &self.row.email
    }

    pub fn role(&self) -> Option<StaffRole> {
        StaffRole::parse(&self.row.role)
    }

    /// `forbidden` (403) unless this staff member has one of `roles`.
    pub fn may(&self, roles: &[StaffRole]) -> ApiResult<()> {
        match self.role() {
            Some(role) if roles.contains(&role) => Ok(()),
            _ => Err(ApiError::Refused(
                ErrorCode::Forbidden,
                "this staff role may not do this".into(),
            )),
        }
    }

    /// Writes `action` to the audit log as done by this staff member.
    pub async fn record(
        &self,
        state: &AppState,
        action: &str,
        target: Option<&str>,
        detail: Option<&str>,
    ) -> ApiResult<()> {
        audit::record(
            &state.db,
            state.clock.now(),
            Some(self.row.id),
            &self.row.email,
            action,
            target,
            detail,
        )
        .await
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(staff_cookie(&state.config))
            .map(|c| c.value().to_string())
            .ok_or(ErrorCode::Unauthorized)?;
        let (staff, _) = find_session(state, &token)
            .await?
            .ok_or(ErrorCode::Unauthorized)?;
        let reads = matches!(parts.method, Method::GET | Method::HEAD);
        let carried = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok());
        if !reads && carried != Some(csrf_token(&token).as_str()) {
            return Err(ApiError::Refused(
                ErrorCode::Forbidden,
                "a staff write carries its session's CSRF token in X-CSRF-Token".into(),
            ));
        }
        Ok(staff)
    }
}

/// A demo staff member per role: their email, name, role and password (`make run` prints them).
pub const DEMO_STAFF: [(&str, &str, StaffRole, &str); 4] = [
    (
        "editor@portico.test",
        "Zhou Min 周敏",
        StaffRole::Editor,
        "portico-editor-demo",
    ),
    (
        "publisher@portico.test",
        "Sun Lei 孙磊",
        StaffRole::Publisher,
        "portico-publisher-demo",
    ),
    (
        "analyst@portico.test",
        "Qian Yu 钱雨",
        StaffRole::Analyst,
        "portico-analyst-demo",
    ),
    (
        "admin@portico.test",
        "Zhao Ning 赵宁",
        StaffRole::Admin,
        "portico-admin-demo",
    ),
];

/// The demo passwords' hashes, made once per process (a process that opens many demo databases,
/// as the tests do, would otherwise spend seconds hashing the same four passwords).
static DEMO_HASHES: LazyLock<Vec<String>> = LazyLock::new(|| {
    DEMO_STAFF
        .iter()
        .map(|(_, _, _, password)| hash_password(password).unwrap_or_default())
        .collect()
});

/// Demo only: the demo staff, unless the database has staff already.
pub async fn seed_demo_staff(db: &AnyPool, now: i64) -> ApiResult<()> {
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM staff LIMIT 1")
        .fetch_optional(db)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let hashes = tokio::task::spawn_blocking(|| DEMO_HASHES.clone())
        .await
        .map_err(|_| ApiError::Corrupt("a password hash"))?;
    for ((email, name, role, _), hash) in DEMO_STAFF.into_iter().zip(hashes) {
        accounts::insert(db, email, name, role, &hash, now).await?;
    }
    Ok(())
}

/// Staff sign-in, sessions, accounts and the audit log.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(sign_in))
        .routes(routes!(password_link::set_password))
        .routes(routes!(session))
        .routes(routes!(sign_out))
        .routes(routes!(sign_out_everywhere))
        .routes(routes!(accounts::list, accounts::add))
        .routes(routes!(accounts::change))
        .routes(routes!(audit::list))
}
