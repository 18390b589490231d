//! Every failure leaves as `application/problem+json` with a stable code; axum's own rejections
//! (bad JSON, bad query) are turned into the same shape, so a client mistake is never a 500.

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use portico_api::{ErrorCode, Problem};
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0:?}")]
    Client(ErrorCode),
    #[error("rate limited, retry after {0}s")]
    RateLimited(u64),
    /// A request that cannot be served as sent, with its status: 400 for ours, or what axum
    /// chose for a body or query it could not read (413, 415, 422), or 405.
    #[error("bad request ({0}): {1}")]
    BadRequest(StatusCode, String),
    /// A well-formed request refused for what it asks, with a code and a detail saying why.
    #[error("refused ({0:?}): {1}")]
    Refused(ErrorCode, String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Stored data the service cannot read back: its fault, never the client's.
    #[error("stored data: {0}")]
    Corrupt(&'static str),
}

pub type ApiResult<T> = Result<T, ApiError>;

fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest | ErrorCode::IdempotencyKeyRequired => StatusCode::BAD_REQUEST,
        ErrorCode::IdempotencyKeyReused
        | ErrorCode::NotReturnable
        | ErrorCode::PickupSlotRequired
        | ErrorCode::PickupSlotUnavailable
        | ErrorCode::ExchangeNotOffered
        | ErrorCode::ReasonNotOffered
        | ErrorCode::InvalidAnswer
        | ErrorCode::WeakPassword
        | ErrorCode::PageInvalid
        | ErrorCode::MissingLanguage
        | ErrorCode::InvalidOrigin
        | ErrorCode::InvalidRecord => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::InvalidContact
        | ErrorCode::InvalidOrderNumber
        | ErrorCode::InvalidCode
        | ErrorCode::CodeExpired
        | ErrorCode::TooManyAttempts => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unauthorized
        | ErrorCode::InvalidIdentity
        | ErrorCode::InvalidCredentials
        | ErrorCode::InvalidSignature
        | ErrorCode::StaleRequest => StatusCode::UNAUTHORIZED,
        ErrorCode::NotFound | ErrorCode::OrderNotFound | ErrorCode::Disabled => {
            StatusCode::NOT_FOUND
        }
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::ReturnLocked
        | ErrorCode::PickupSlotFull
        | ErrorCode::OutOfStock
        | ErrorCode::SurveyClosed
        | ErrorCode::ResponseIdReused
        | ErrorCode::StaffExists
        | ErrorCode::LastAdmin
        | ErrorCode::EditConflict
        | ErrorCode::PageExists
        | ErrorCode::NotPublished
        | ErrorCode::AlreadyDecided
        | ErrorCode::ReplayedRequest
        | ErrorCode::IntegrationExists => StatusCode::CONFLICT,
        ErrorCode::LinkExpired => StatusCode::GONE,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title_of(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BadRequest => "The request could not be read",
        ErrorCode::InvalidContact => "Not an email address or mainland mobile number",
        ErrorCode::InvalidOrderNumber => "Not an order number",
        ErrorCode::InvalidCode => "Wrong sign-in code",
        ErrorCode::CodeExpired => "Sign-in code expired or used",
        ErrorCode::TooManyAttempts => "Too many wrong codes",
        ErrorCode::RateLimited => "Too many requests",
        ErrorCode::Unauthorized => "Sign-in needed",
        ErrorCode::NotFound => "Not found",
        ErrorCode::OrderNotFound => "No order matches these details",
        ErrorCode::Disabled => "Not enabled in this deployment",
        ErrorCode::Forbidden => "Not allowed",
        ErrorCode::Unavailable => "Service unavailable",
        ErrorCode::Internal => "Internal error",
        ErrorCode::IdempotencyKeyRequired => "An Idempotency-Key header is required",
        ErrorCode::IdempotencyKeyReused => "This Idempotency-Key was used for another request",
        ErrorCode::NotReturnable => "Not returnable",
        ErrorCode::ReturnLocked => "The return can no longer change this way",
        ErrorCode::PickupSlotRequired => "A pickup needs a pickup slot",
        ErrorCode::PickupSlotUnavailable => "This pickup slot is not offered",
        ErrorCode::PickupSlotFull => "This pickup slot is fully booked",
        ErrorCode::ExchangeNotOffered => "This exchange is not offered",
        ErrorCode::OutOfStock => "The variant asked for is out of stock",
        ErrorCode::ReasonNotOffered => "This return reason is not offered",
        ErrorCode::LinkExpired => "This link has expired",
        ErrorCode::SurveyClosed => "This survey can no longer be changed",
        ErrorCode::InvalidAnswer => "An answer does not fit its question",
        ErrorCode::ResponseIdReused => "This response id was used for something else",
        ErrorCode::InvalidIdentity => "The identity token is not valid",
        ErrorCode::InvalidCredentials => "Wrong email or password",
        ErrorCode::WeakPassword => "A staff password is 12 to 128 characters",
        ErrorCode::StaffExists => "A staff account with this email exists",
        ErrorCode::LastAdmin => "This would leave no enabled admin",
        ErrorCode::EditConflict => "Someone else saved this draft since",
        ErrorCode::PageExists => "A page with this slug exists",
        ErrorCode::PageInvalid => "The draft holds text customers cannot be shown",
        ErrorCode::MissingLanguage => "A language has no text",
        ErrorCode::NotPublished => "Nothing of this page is published",
        ErrorCode::AlreadyDecided => "This return has been decided already",
        ErrorCode::InvalidOrigin => "Not a page origin (http(s)://host[:port])",
        ErrorCode::InvalidSignature => "The request's signature is not valid",
        ErrorCode::StaleRequest => "The request's timestamp is outside the replay window",
        ErrorCode::ReplayedRequest => "This request was taken already",
        ErrorCode::InvalidRecord => "A record was refused; the others were kept",
        ErrorCode::IntegrationExists => "A live key for this integration exists",
    }
}

pub fn problem(code: ErrorCode, detail: Option<String>, retry_after_secs: Option<u64>) -> Response {
    problem_with_status(status_of(code), code, detail, retry_after_secs)
}

/// The problem document `code` answers with (its own status), before any member is added.
pub fn problem_body(code: ErrorCode, detail: Option<String>) -> Problem {
    Problem {
        kind: "about:blank".into(),
        title: title_of(code).into(),
        status: status_of(code).as_u16(),
        code,
        detail,
        retry_after_secs: None,
    }
}

pub fn problem_with_status(
    status: StatusCode,
    code: ErrorCode,
    detail: Option<String>,
    retry_after_secs: Option<u64>,
) -> Response {
    let body = Problem {
        kind: "about:blank".into(),
        title: title_of(code).into(),
        status: status.as_u16(),
        code,
        detail,
        retry_after_secs,
    };
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if let Some(secs) = retry_after_secs {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Client(code) => problem(code, None, None),
            ApiError::RateLimited(secs) => problem(ErrorCode::RateLimited, None, Some(secs)),
            ApiError::Refused(code, detail) => problem(code, Some(detail), None),
            ApiError::BadRequest(status, detail) => {
                problem_with_status(status, ErrorCode::BadRequest, Some(detail), None)
            }
            ApiError::Database(error) => match trouble(&error) {
                Trouble::Busy => {
                    tracing::warn!(%error, "database busy");
                    problem(ErrorCode::Unavailable, None, Some(1))
                }
                Trouble::Value => {
                    tracing::warn!(%error, "a value the database cannot keep");
                    problem_with_status(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ErrorCode::BadRequest,
                        Some("a value here cannot be kept (a NUL character?)".into()),
                        None,
                    )
                }
                Trouble::Fault => {
                    tracing::error!(%error, "database error");
                    problem(ErrorCode::Internal, None, None)
                }
            },
            ApiError::Corrupt(what) => {
                tracing::error!(what, "stored data cannot be read");
                problem(ErrorCode::Internal, None, None)
            }
        }
    }
}

/// What a database error says about the request that met it.
#[derive(Debug, PartialEq)]
enum Trouble {
    /// A crowd, not a fault: told to retry (503 with `Retry-After`), never a 500. SQLite could not
    /// take a lock in time (busy, locked); PostgreSQL rolled back for a conflict or a deadlock, is
    /// out of connections or shutting down; or no connection was free.
    Busy,
    /// PostgreSQL could not keep a value it was given (class 22, data exception: a NUL character
    /// in text, which SQLite keeps): the request's, a 422.
    Value,
    Fault,
}

fn trouble(error: &sqlx::Error) -> Trouble {
    match error {
        sqlx::Error::PoolTimedOut => Trouble::Busy,
        sqlx::Error::Database(error) => error.code().map_or(Trouble::Fault, |c| trouble_code(&c)),
        _ => Trouble::Fault,
    }
}

/// PostgreSQL's codes are five-character SQLSTATEs; SQLite's are numbers below 10000, an extended
/// code's low byte its primary code.
fn trouble_code(code: &str) -> Trouble {
    if code.len() == 5 {
        return match code.get(..2) {
            Some("40" | "53" | "08") => Trouble::Busy,
            Some("57") if code.starts_with("57P0") => Trouble::Busy,
            Some("22") => Trouble::Value,
            _ if code == "55P03" => Trouble::Busy,
            _ => Trouble::Fault,
        };
    }
    match code.parse::<i32>() {
        Ok(sqlite) if matches!(sqlite & 0xff, 5 | 6) => Trouble::Busy,
        _ => Trouble::Fault,
    }
}

impl ApiError {
    /// A 400 with what was wrong.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::BadRequest(StatusCode::BAD_REQUEST, detail.into())
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::Client(code)
    }
}

/// `Json<T>` whose rejection is a problem document.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError::BadRequest(
                rejection.status(),
                rejection.body_text(),
            )),
        }
    }
}

/// `Query<T>` whose rejection is a problem document.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|rejection: QueryRejection| {
                ApiError::BadRequest(rejection.status(), rejection.body_text())
            })
    }
}

/// `Path<T>` whose rejection is a problem document (a path value that does not parse, such as an
/// id past the largest integer, is a 400 `bad_request`).
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|rejection| ApiError::BadRequest(rejection.status(), rejection.body_text()))
    }
}

pub async fn api_not_found() -> Response {
    problem(ErrorCode::NotFound, None, None)
}

pub async fn method_not_allowed() -> Response {
    ApiError::BadRequest(StatusCode::METHOD_NOT_ALLOWED, "method not allowed".into())
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowd_at_the_database_is_a_503_and_a_fault_a_500() {
        let status = |error: sqlx::Error| ApiError::Database(error).into_response().status();
        assert_eq!(
            status(sqlx::Error::PoolTimedOut),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(sqlx::Error::RowNotFound),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn each_engines_codes_are_read_as_that_engines() {
        // SQLite: SQLITE_BUSY, SQLITE_LOCKED, SQLITE_BUSY_SNAPSHOT; a unique constraint.
        for busy in ["5", "6", "517"] {
            assert_eq!(trouble_code(busy), Trouble::Busy, "{busy}");
        }
        assert_eq!(trouble_code("2067"), Trouble::Fault);
        // PostgreSQL: serialization failure, deadlock, too many connections, lock not available,
        // shutting down.
        for busy in ["40001", "40P01", "53300", "55P03", "57P01", "08006"] {
            assert_eq!(trouble_code(busy), Trouble::Busy, "{busy}");
        }
        // A NUL in text (22021 read as a number has SQLite's 5 in its low byte), a number out
        // of range: the request's values.
        assert_eq!(trouble_code("22021"), Trouble::Value);
        assert_eq!(trouble_code("22003"), Trouble::Value);
        // A unique violation, a missing table.
        assert_eq!(trouble_code("23505"), Trouble::Fault);
        assert_eq!(trouble_code("42P01"), Trouble::Fault);
    }
}
