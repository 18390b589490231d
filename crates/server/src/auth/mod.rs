//! Signing in with a one-time code, sessions in an HttpOnly cookie, and [`Caller`]: who is
//! asking, as every other handler sees it.

use crate::config::Config;
use crate::db::Flag;
use crate::device::{self, Door};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::notify::Notice;
use crate::rate_limit::{self, limit, ClientIp};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use portico_api::{
    CodeDelivery, CodeRequest, CodeSent, Contact, CustomerProfile, DeliveryStatus, ErrorCode,
    PageLocale, SessionInfo, SignInCode, VerifyRequest,
};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

mod caller;
pub use caller::{Act, Caller, GuestPass, Listed, PassScope, Sight};

pub const CODE_TTL_SECS: i64 = 10 * 60;
pub const MAX_CODE_ATTEMPTS: i64 = 5;
const CUSTOMER_SESSION_SECS: i64 = 30 * 24 * 3600;
pub const GUEST_SESSION_SECS: i64 = 24 * 3600;

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

fn parse_contact(input: &str) -> ApiResult<Contact> {
    Contact::from_wire(input).map_err(|_| ErrorCode::InvalidContact.into())
}

/// The session cookie's name: `__Host-` bound to this exact origin when served over https.
pub fn session_cookie(config: &Config) -> &'static str {
    if config.https() {
        "__Host-portico_session"
    } else {
        "portico_session"
    }
}

fn code_hash(contact: &Contact, code: &str) -> String {
    sha256_hex(&format!("{}:{code}", contact.as_str()))
}

#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    pub(crate) id: i64,
    name: String,
    email: String,
    phone: String,
    tier: String,
}

/// The customer whose email or phone is `contact`.
pub(crate) async fn find_customer(
    state: &AppState,
    contact: &Contact,
) -> ApiResult<Option<CustomerRow>> {
    let row = sqlx::query_as::<_, CustomerRow>(
        "SELECT id, name, email, phone, tier FROM customers WHERE email = $1 OR phone = $2",
    )
    .bind(contact.as_str())
    .bind(contact.as_str())
    .fetch_optional(&state.db)
    .await?;
    Ok(row)
}

fn profile(row: CustomerRow) -> ApiResult<CustomerProfile> {
    Ok(CustomerProfile {
        name: row.name,
        email: row.email,
        phone: row.phone,
        tier: row.tier,
    })
}

/// Sends a one-time code to the contact if it belongs to a customer. The answer is the same
/// either way, and so is the time it takes. A browser that signed in as the contact before (its
/// device cookie) asks on its own budget, never on the one strangers can fill, and its code can
/// be tried only from it.
#[utoipa::path(post, path = portico_api::paths::SIGN_IN_CODE, request_body = CodeRequest, tag = "auth",
    responses((status = 202, description = "A code is on its way (if the contact is a customer's).", body = CodeSent),
        (status = 400), (status = 403), (status = 413), (status = 415), (status = 422), (status = 429)))]
pub async fn request_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<impl IntoResponse> {
    let contact = parse_contact(&body.contact)?;
    let device = device::trusted(&state, &jar, Door::Customer, contact.as_str());
    limit(&state, rate_limit::CODE_PER_IP, &ip).await?;
    limit(
        &state,
        rate_limit::CODE_PER_REQUESTER,
        &rate_limit::requester(&ip, contact.as_str()),
    )
    .await?;
    let (rule, key) = messages_budget(&contact, device.as_deref());
    limit(&state, rule, key).await?;
    let delivery = send_code(&state, &contact, device.as_deref(), body.locale).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CodeSent {
            sent_to: contact.masked(),
            expires_in_secs: CODE_TTL_SECS as u64,
            length: SignInCode::LEN as u8,
            delivery,
        }),
    ))
}

/// Whether a code's message went out (its `delivery`, from the answer that asked for it). A
/// contact that is nobody's reads `sent` once its notice was handled, as a customer's does once
/// the mail server or SMS provider took the code; `failed` once a try failed (it may still be
/// tried again) or no channel here reaches that kind of contact, customer or not.
#[utoipa::path(get, path = "/api/auth/code/{delivery}", tag = "auth", operation_id = "code_delivery",
    params(("delivery" = String, Path, max_length = 64, description = "`CodeSent::delivery`")),
    responses((status = 200, description = "Where the code's message is.", body = CodeDelivery),
        (status = 404)))]
pub async fn code_delivery(
    State(state): State<AppState>,
    Path(delivery): Path<String>,
) -> ApiResult<Json<CodeDelivery>> {
    let found: Option<(String, i64)> =
        sqlx::query_as("SELECT status, attempts FROM notices WHERE ticket = $1")
            .bind(&delivery)
            .fetch_optional(&state.db)
            .await?;
    let status = match found {
        None => return Err(ErrorCode::NotFound.into()),
        Some((status, _)) if status == "sent" => DeliveryStatus::Sent,
        Some((status, attempts)) if status == "failed" || attempts > 0 => DeliveryStatus::Failed,
        Some(_) => DeliveryStatus::Pending,
    };
    Ok(Json(CodeDelivery { status }))
}

/// The budget codes sent to `contact` count on: a trusted browser's own (`device`), or the one
/// every untrusted client shares, which bounds what strangers can send to an inbox.
fn messages_budget<'a>(
    contact: &'a Contact,
    device: Option<&'a str>,
) -> (rate_limit::Rule, &'a str) {
    match device {
        Some(device) => (rate_limit::CODE_PER_DEVICE, device),
        None => (rate_limit::CODE_PER_CONTACT, contact.as_str()),
    }
}

/// Stores a new code for `contact` (tried only from `device`, if one asked) and queues its
/// message. Every contact gets a stored code, customer or not, and the same answer; whether the
/// code is delivered is decided off the request path, so the time taken tells nothing either.
/// The message's ticket (random), to ask what became of it. The message is in `locale` when the
/// asker said which (it goes in the notice only: nothing stored tells a customer from a stranger).
async fn send_code(
    state: &AppState,
    contact: &Contact,
    device: Option<&str>,
    locale: Option<PageLocale>,
) -> ApiResult<String> {
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let now = state.clock.now();
    store_code(&state.db, contact, &code, device, now).await?;
    let notice = Notice::SignInCode {
        contact: contact.as_str().to_string(),
        code,
        locale,
    };
    let ticket = hex::encode(rand::random::<[u8; 16]>());
    state
        .notifier
        .queue(&state.db, notice, now, Some(&ticket))
        .await?;
    Ok(ticket)
}

/// Keeps a new code beside the contact's earlier ones: asking for a code (perhaps a stranger
/// asking for someone else's) never voids a code already sent. Codes are forgotten a day after
/// they expire.
async fn store_code(
    db: &AnyPool,
    contact: &Contact,
    code: &str,
    device: Option<&str>,
    now: i64,
) -> ApiResult<()> {
    sqlx::query("DELETE FROM sign_in_codes WHERE expires_at < $1")
        .bind(now - 24 * 3600)
        .execute(db)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_codes (contact, code_hash, created_at, expires_at, attempts, used, device) VALUES ($1, $2, $3, $4, 0, FALSE, $5)",
    )
    .bind(contact.as_str())
    .bind(code_hash(contact, code))
    .bind(now)
    .bind(now + CODE_TTL_SECS)
    .bind(device)
    .execute(db)
    .await?;
    Ok(())
}

/// What a guess at a contact's code came to.
#[derive(Debug, PartialEq, Eq)]
enum Judgement {
    /// The code is right and this request used it up.
    Right,
    /// Wrong, and the code can still be tried.
    Wrong,
    /// No tries left: a new code is needed.
    Dead,
    /// The right code, but used or expired: only said to a caller who knew the code.
    Stale,
}

/// Judges a guess from a caller holding `device` (or none). Only codes the caller may try are
/// judged: those asked for by untrusted clients, and the caller's own device's. One statement
/// reserves the guess on every such live code of the contact that has tries left, and only a
/// reserved guess is judged: however many guesses race, no code is judged more than
/// [`MAX_CODE_ATTEMPTS`] times. The guess that spends a code's last try retires it and sends a
/// fresh code to the contact (which the guesser cannot read), as long as the contact's messages
/// budget allows: so wrong guesses never leave the owner without a code. Known and unknown
/// contacts go the same way. A fresh code is in `locale`, the guesser's language, if given.
async fn judge(
    state: &AppState,
    contact: &Contact,
    hash: &str,
    device: Option<&str>,
    locale: Option<PageLocale>,
    now: i64,
) -> ApiResult<Judgement> {
    let db = &state.db;
    // Whoever types a code that can no longer be used (used, expired, or retired after its
    // tries) hears what became of it, and spends no try on the live ones.
    let typed: Vec<(i64, Flag, i64)> = sqlx::query_as(
        "SELECT attempts, used, expires_at FROM sign_in_codes WHERE contact = $1 AND code_hash = $2 AND (device IS NULL OR device = $3) ORDER BY id DESC",
    )
    .bind(contact.as_str())
    .bind(hash)
    .bind(device)
    .fetch_all(db)
    .await?;
    let live = |(attempts, used, expires_at): &(i64, Flag, i64)| {
        !used.0 && *expires_at > now && *attempts < MAX_CODE_ATTEMPTS
    };
    if let Some(newest) = typed.first().filter(|_| !typed.iter().any(live)) {
        return Ok(if newest.0 >= MAX_CODE_ATTEMPTS {
            Judgement::Dead
        } else {
            Judgement::Stale
        });
    }
    let reserved: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(
        "UPDATE sign_in_codes SET attempts = attempts + 1 WHERE contact = $1 AND used = FALSE AND expires_at > $2 AND attempts < $3 AND (device IS NULL OR device = $4) RETURNING id, code_hash, attempts, device",
    )
    .bind(contact.as_str())
    .bind(now)
    .bind(MAX_CODE_ATTEMPTS)
    .bind(device)
    .fetch_all(db)
    .await?;
    if let Some((id, ..)) = reserved.iter().find(|(_, h, ..)| h == hash) {
        // Single use: only the request that flips `used` may sign in.
        let claimed =
            sqlx::query("UPDATE sign_in_codes SET used = TRUE WHERE id = $1 AND used = FALSE")
                .bind(id)
                .execute(db)
                .await?;
        return Ok(if claimed.rows_affected() == 1 {
            Judgement::Right
        } else {
            Judgement::Stale
        });
    }
    // The codes this guess spent the last try of: one fresh code in their place (per device
    // they were asked from), on that budget of messages to the contact.
    let spent: Vec<(i64, Option<&str>)> = reserved
        .iter()
        .filter(|(.., attempts, _)| *attempts >= MAX_CODE_ATTEMPTS)
        .map(|(id, .., device)| (*id, device.as_deref()))
        .collect();
    let mut devices: Vec<Option<&str>> = spent.iter().map(|(_, device)| *device).collect();
    devices.sort_unstable();
    devices.dedup();
    for device in devices {
        let (rule, key) = messages_budget(contact, device);
        if state.limits.hit(db, rule, key, now).await?.is_err() {
            // No fresh code: the spent ones stay, dead, until they expire.
            continue;
        }
        // Retired (its tries spent, so it still reads as dead to whoever knows it), replaced.
        for (id, _) in spent.iter().filter(|(_, d)| *d == device) {
            sqlx::query("UPDATE sign_in_codes SET used = TRUE WHERE id = $1")
                .bind(id)
                .execute(db)
                .await?;
        }
        send_code(state, contact, device, locale).await?;
    }
    if reserved
        .iter()
        .any(|(.., attempts, _)| *attempts < MAX_CODE_ATTEMPTS)
    {
        return Ok(Judgement::Wrong);
    }
    if !reserved.is_empty() {
        return Ok(Judgement::Dead);
    }
    // Nothing live to guess at: "wrong", or "dead" while a code spent without a fresh one in its
    // place (the messages budget was used up, or its replacement is on its way) would still be
    // live.
    let killed: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM sign_in_codes WHERE contact = $1 AND used = FALSE AND expires_at > $2 AND (device IS NULL OR device = $3) LIMIT 1",
    )
    .bind(contact.as_str())
    .bind(now)
    .bind(device)
    .fetch_optional(db)
    .await?;
    Ok(if killed.is_some() {
        Judgement::Dead
    } else {
        Judgement::Wrong
    })
}

/// Signs in with the code. A wrong code is `invalid_code`; the fifth wrong try at a code retires
/// it and sends a fresh one (`too_many_attempts`: use the newest code); `code_expired` is only
/// said to a caller who knew the code. Tries count per requester (address and contact) and per
/// address; a sign-in makes this browser trusted for the contact (its device cookie).
#[utoipa::path(post, path = portico_api::paths::SIGN_IN_VERIFY, request_body = VerifyRequest, tag = "auth",
    responses((status = 200, description = "Signed in: the session cookie is set.", body = SessionInfo,
            headers(("set-cookie" = String, description = "The session cookie (HttpOnly, SameSite=Lax; Secure and `__Host-` over https), and the device cookie for the contact (`portico_device`, HttpOnly, SameSite=Strict, Path=/api/auth, 180 days; Secure and `__Secure-` over https): this browser's later codes count on a budget of its own and only it may try them."))),
        (status = 400), (status = 403), (status = 413), (status = 415), (status = 422), (status = 429)))]
pub async fn verify_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(body): ApiJson<VerifyRequest>,
) -> ApiResult<impl IntoResponse> {
    limit(&state, rate_limit::VERIFY_PER_IP, &ip).await?;
    let contact = parse_contact(&body.contact)?;
    limit(
        &state,
        rate_limit::VERIFY_PER_REQUESTER,
        &rate_limit::requester(&ip, contact.as_str()),
    )
    .await?;
    let code =
        SignInCode::from_wire(&body.code).map_err(|_| ApiError::from(ErrorCode::InvalidCode))?;
    let hash = code_hash(&contact, code.as_str());
    let device = device::trusted(&state, &jar, Door::Customer, contact.as_str());
    match judge(
        &state,
        &contact,
        &hash,
        device.as_deref(),
        body.locale,
        state.clock.now(),
    )
    .await?
    {
        Judgement::Right => {}
        Judgement::Wrong => return Err(ErrorCode::InvalidCode.into()),
        Judgement::Dead => return Err(ErrorCode::TooManyAttempts.into()),
        Judgement::Stale => return Err(ErrorCode::CodeExpired.into()),
    }
    let customer = find_customer(&state, &contact)
        .await?
        .ok_or(ErrorCode::InvalidCode)?;
    // The language they signed in in is the one their messages are written in from now on.
    if let Some(locale) = body.locale {
        sqlx::query("UPDATE customers SET locale = $1 WHERE id = $2")
            .bind(locale.as_str())
            .bind(customer.id)
            .execute(&state.db)
            .await?;
    }
    let jar = start_session(&state, jar, Some(customer.id), None, CUSTOMER_SESSION_SECS).await?;
    let jar = jar.add(device::issue(&state, Door::Customer, contact.as_str()));
    Ok((
        jar,
        Json(SessionInfo {
            customer: Some(profile(customer)?),
        }),
    ))
}

/// Stores a new session and sets its cookie (replacing any earlier one of this browser).
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    customer_id: Option<i64>,
    pass: Option<GuestPass>,
    lifetime_secs: i64,
) -> ApiResult<CookieJar> {
    let token = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    let now = state.clock.now();
    let name = session_cookie(&state.config);
    if let Some(old) = jar.get(name) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(old.value()))
            .execute(&state.db)
            .await?;
    }
    let (order, scope, return_id) = GuestPass::stored(pass);
    sqlx::query(
        "INSERT INTO sessions (token_hash, customer_id, guest_order_id, guest_scope, guest_return_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(sha256_hex(&token))
    .bind(customer_id)
    .bind(order)
    .bind(scope)
    .bind(return_id)
    .bind(now)
    .bind(now + lifetime_secs)
    .execute(&state.db)
    .await?;
    let cookie = Cookie::build((name, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.config.https())
        .max_age(time::Duration::seconds(lifetime_secs))
        .build();
    Ok(jar.add(cookie))
}

/// Ends this browser's session (customer or guest), if any.
#[utoipa::path(post, path = portico_api::paths::SIGN_OUT, tag = "auth", security((), ("session" = [])),
    responses((status = 204, description = "Signed out."), (status = 403)))]
pub async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
) -> ApiResult<impl IntoResponse> {
    let name = session_cookie(&state.config);
    if let Some(cookie) = jar.get(name) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(cookie.value()))
            .execute(&state.db)
            .await?;
    }
    let jar = jar.remove(Cookie::build(name).path("/").secure(state.config.https()));
    Ok((jar, StatusCode::NO_CONTENT))
}

/// Who is signed in on this browser, if anyone.
#[utoipa::path(get, path = portico_api::paths::SESSION, tag = "auth", security((), ("session" = [])),
    responses((status = 200, description = "The signed-in customer, or `null`.", body = SessionInfo)))]
pub async fn session(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SessionInfo>> {
    let customer = match caller.customer {
        Some(id) => sqlx::query_as::<_, CustomerRow>(
            "SELECT id, name, email, phone, tier FROM customers WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&state.db)
        .await?
        .map(profile)
        .transpose()?,
        None => None,
    };
    Ok(Json(SessionInfo { customer }))
}

/// Puts `pass` (proved as a guest) on the caller's session, in place of any pass it held,
/// keeping whoever is signed in on it.
pub async fn grant_guest_pass(
    state: &AppState,
    session_token_hash: &str,
    pass: GuestPass,
) -> ApiResult<()> {
    let (order, scope, return_id) = GuestPass::stored(Some(pass));
    sqlx::query(
        "UPDATE sessions SET guest_order_id = $1, guest_scope = $2, guest_return_id = $3 WHERE token_hash = $4",
    )
    .bind(order)
    .bind(scope)
    .bind(return_id)
    .bind(session_token_hash)
    .execute(&state.db)
    .await?;
    Ok(())
}

/// Signing in and out, and the session.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(request_code))
        .routes(routes!(code_delivery))
        .routes(routes!(verify_code))
        .routes(routes!(sign_out))
        .routes(routes!(session))
}
