//! Signing in with a one-time code, sessions in an HttpOnly cookie, and [`Caller`]: who is
//! asking, as every other handler sees it.

use crate::error::{ApiError, ApiJson, ApiResult};
use crate::rate_limit;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{request::Parts, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use portico_api::{
    CodeRequest, CodeSent, Contact, CustomerProfile, ErrorCode, SessionInfo, SignInCode, TierName,
    VerifyRequest,
};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "portico_session";
pub const CODE_TTL_SECS: i64 = 10 * 60;
pub const MAX_CODE_ATTEMPTS: i64 = 5;
const CUSTOMER_SESSION_SECS: i64 = 30 * 24 * 3600;
pub const GUEST_SESSION_SECS: i64 = 24 * 3600;

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

/// The client's address, for rate limits: the socket peer, or the first X-Forwarded-For hop
/// behind a trusted proxy.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.config.trust_proxy {
            if let Some(first) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
            {
                return Ok(ClientIp(first.trim().to_string()));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(ClientIp(
            peer.map(|ConnectInfo(p)| p.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

pub(crate) fn limit(state: &AppState, rule: rate_limit::Rule, key: &str) -> ApiResult<()> {
    state
        .limits
        .hit(rule, key, state.clock.now())
        .map_err(ApiError::RateLimited)
}

fn parse_contact(input: &str) -> ApiResult<Contact> {
    Contact::parse(input).map_err(|_| ErrorCode::InvalidContact.into())
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    name: String,
    email: String,
    phone: String,
    tier: String,
}

async fn find_customer(state: &AppState, contact: &Contact) -> ApiResult<Option<CustomerRow>> {
    let row = sqlx::query_as::<_, CustomerRow>(
        "SELECT id, name, email, phone, tier FROM customers WHERE email = ? OR phone = ?",
    )
    .bind(contact.as_str())
    .bind(contact.as_str())
    .fetch_optional(&state.db)
    .await?;
    Ok(row)
}

fn profile(row: CustomerRow) -> CustomerProfile {
    let tier = match row.tier.as_str() {
        "silver" => TierName::Silver,
        "gold" => TierName::Gold,
        "diamond" => TierName::Diamond,
        _ => TierName::Regular,
    };
    CustomerProfile {
        name: row.name,
        email: row.email,
        phone: row.phone,
        tier,
    }
}

#[utoipa::path(post, path = "/api/auth/code", request_body = CodeRequest, tag = "auth",
    responses((status = 202, body = CodeSent), (status = 422, body = portico_api::Problem), (status = 429, body = portico_api::Problem)))]
pub async fn request_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<impl IntoResponse> {
    let contact = parse_contact(&body.contact)?;
    limit(&state, rate_limit::CODE_PER_IP, &ip)?;
    limit(&state, rate_limit::CODE_PER_CONTACT, contact.as_str())?;

    // The answer is the same for strangers: only a known customer gets a code.
    if let Some(customer) = find_customer(&state, &contact).await? {
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
        let now = state.clock.now();
        let mut tx = state.db.begin().await?;
        sqlx::query("DELETE FROM sign_in_codes WHERE contact = ?")
            .bind(contact.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sign_in_codes (contact, code_hash, created_at, expires_at, attempts, used) VALUES (?, ?, ?, ?, 0, FALSE)",
        )
        .bind(contact.as_str())
        .bind(sha256_hex(&format!("{}:{code}", contact.as_str())))
        .bind(now)
        .bind(now + CODE_TTL_SECS)
        .execute(&mut *tx)
        .await?;
        if state.config.demo {
            sqlx::query(
                "INSERT INTO outbox (recipient, subject, body, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(contact.as_str())
            .bind("Portico 登录验证码 / Your Portico sign-in code")
            .bind(format!(
                "{name}，您好：\n您的登录验证码是 {code}，10 分钟内有效。如非本人操作，请忽略本消息。\n\nHello {name},\nyour sign-in code is {code}. It is valid for 10 minutes. If you did not ask for it, ignore this message.",
                name = customer.name
            ))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(CodeSent {
            sent_to: contact.masked(),
            expires_in_secs: CODE_TTL_SECS as u64,
            length: SignInCode::LEN as u8,
        }),
    ))
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    id: i64,
    code_hash: String,
    expires_at: i64,
    attempts: i64,
    used: bool,
}

#[utoipa::path(post, path = "/api/auth/verify", request_body = VerifyRequest, tag = "auth",
    responses((status = 200, body = SessionInfo), (status = 422, body = portico_api::Problem), (status = 429, body = portico_api::Problem)))]
pub async fn verify_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(body): ApiJson<VerifyRequest>,
) -> ApiResult<impl IntoResponse> {
    limit(&state, rate_limit::VERIFY_PER_IP, &ip)?;
    let contact = parse_contact(&body.contact)?;
    let code = SignInCode::parse(&body.code).map_err(|_| ApiError::from(ErrorCode::InvalidCode))?;
    let now = state.clock.now();
    let row = sqlx::query_as::<_, CodeRow>(
        "SELECT id, code_hash, expires_at, attempts, used FROM sign_in_codes WHERE contact = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(contact.as_str())
    .fetch_optional(&state.db)
    .await?
    .ok_or(ErrorCode::InvalidCode)?;
    if row.attempts >= MAX_CODE_ATTEMPTS {
        return Err(ErrorCode::TooManyAttempts.into());
    }
    if row.used || row.expires_at <= now {
        return Err(ErrorCode::CodeExpired.into());
    }
    if row.code_hash != sha256_hex(&format!("{}:{}", contact.as_str(), code.as_str())) {
        sqlx::query("UPDATE sign_in_codes SET attempts = attempts + 1 WHERE id = ?")
            .bind(row.id)
            .execute(&state.db)
            .await?;
        return Err(if row.attempts + 1 >= MAX_CODE_ATTEMPTS {
            ErrorCode::TooManyAttempts
        } else {
            ErrorCode::InvalidCode
        }
        .into());
    }
    // Single use: only the request that flips `used` may sign in.
    let claimed = sqlx::query("UPDATE sign_in_codes SET used = TRUE WHERE id = ? AND used = FALSE")
        .bind(row.id)
        .execute(&state.db)
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(ErrorCode::CodeExpired.into());
    }
    let customer = find_customer(&state, &contact)
        .await?
        .ok_or(ErrorCode::InvalidCode)?;
    let jar = start_session(&state, jar, Some(customer.id), None, CUSTOMER_SESSION_SECS).await?;
    Ok((
        jar,
        Json(SessionInfo {
            customer: Some(profile(customer)),
        }),
    ))
}

/// Stores a new session and sets its cookie (replacing any earlier one of this browser).
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    customer_id: Option<i64>,
    guest_order_id: Option<i64>,
    lifetime_secs: i64,
) -> ApiResult<CookieJar> {
    let token = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    let now = state.clock.now();
    if let Some(old) = jar.get(SESSION_COOKIE) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(sha256_hex(old.value()))
            .execute(&state.db)
            .await?;
    }
    sqlx::query(
        "INSERT INTO sessions (token_hash, customer_id, guest_order_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(sha256_hex(&token))
    .bind(customer_id)
    .bind(guest_order_id)
    .bind(now)
    .bind(now + lifetime_secs)
    .execute(&state.db)
    .await?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.config.secure_cookies)
        .max_age(time::Duration::seconds(lifetime_secs))
        .build();
    Ok(jar.add(cookie))
}

#[utoipa::path(post, path = "/api/auth/sign-out", tag = "auth", responses((status = 204)))]
pub async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
) -> ApiResult<impl IntoResponse> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(sha256_hex(cookie.value()))
            .execute(&state.db)
            .await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, StatusCode::NO_CONTENT))
}

#[utoipa::path(get, path = "/api/auth/session", tag = "auth", responses((status = 200, body = SessionInfo)))]
pub async fn session(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SessionInfo>> {
    let customer = match caller.customer {
        Some(id) => sqlx::query_as::<_, CustomerRow>(
            "SELECT id, name, email, phone, tier FROM customers WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&state.db)
        .await?
        .map(profile),
        None => None,
    };
    Ok(Json(SessionInfo { customer }))
}

/// Who is asking: the signed-in customer, if any, and the one order they proved as a guest
/// (order number + contact), if any. A browser can hold both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub customer: Option<i64>,
    pub guest_order: Option<i64>,
    /// The session this came from, to add a guest pass to it.
    pub session: Option<String>,
}

impl Caller {
    pub fn is_anonymous(&self) -> bool {
        self.customer.is_none() && self.guest_order.is_none()
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Ok(Caller::default());
        };
        let token_hash = sha256_hex(cookie.value());
        let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT customer_id, guest_order_id FROM sessions WHERE token_hash = ? AND expires_at > ?",
        )
        .bind(&token_hash)
        .bind(state.clock.now())
        .fetch_optional(&state.db)
        .await?;
        Ok(match row {
            Some((customer, guest_order)) => Caller {
                customer,
                guest_order,
                session: Some(token_hash),
            },
            None => Caller::default(),
        })
    }
}
