//! A request's signature: `X-Portico-Key` names the integration key, `X-Portico-Timestamp` is
//! the unix time in seconds, `X-Portico-Signature` is the lower-case hex HMAC-SHA256, under the
//! key's secret, of `METHOD\nPATH\nTIMESTAMP\n` followed by the body's bytes (PATH with its
//! query, if any). The timestamp must be within `PORTICO_INGEST_WINDOW_SECS` of the server's
//! clock; a signature taken once is refused again (`replayed_request`), kept in the transaction
//! the request writes in (one write per request; a request that failed has not spent its
//! signature).

use crate::error::{ApiError, ApiResult};
use crate::signing;
use crate::state::AppState;
use axum::http::{HeaderMap, Method, Uri};
use portico_api::ErrorCode;
use sqlx::AnyConnection;

pub const KEY_HEADER: &str = "x-portico-key";
pub const TIMESTAMP_HEADER: &str = "x-portico-timestamp";
pub const SIGNATURE_HEADER: &str = "x-portico-signature";

/// The bytes a request's signature covers.
pub fn signed_bytes(method: &str, path: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("{method}\n{path}\n{timestamp}\n").into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// The signature of a request: lower-case hex HMAC-SHA256 of [`signed_bytes`] under `secret`.
pub fn signature(secret: &str, method: &str, path: &str, timestamp: &str, body: &[u8]) -> String {
    let signed = signed_bytes(method, path, timestamp, body);
    signing::hex_tag(secret.as_bytes(), &[&signed])
}

fn refused(code: ErrorCode, why: &str) -> ApiError {
    ApiError::Refused(code, why.into())
}

/// A request's signature, checked: the key that made it, and the signature, which
/// [`Seal::take`] keeps in the transaction the request writes in (taken once: a replay is
/// refused; a request that fails leaves it unspent).
pub struct Seal {
    key: i64,
    signature: String,
}

impl Seal {
    /// Keeps the signature, or refuses a replay, and notes the key's use, in `tx`.
    pub(super) async fn take(&self, tx: &mut AnyConnection, now: i64) -> ApiResult<()> {
        let first = sqlx::query(
            "INSERT INTO ingest_signatures (signature, seen_at) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING",
        )
        .bind(&self.signature)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !first {
            return Err(refused(
                ErrorCode::ReplayedRequest,
                "this signature was taken already: sign each request afresh",
            ));
        }
        sqlx::query("UPDATE integration_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(self.key)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

/// A request's signature checked: its key, its HMAC, then its timestamp (in that order: a
/// stranger learns nothing of the window). Whether it is a replay is told where it is taken
/// ([`Seal::take`]).
pub async fn check(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Seal> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let (Some(key_id), Some(timestamp), Some(given)) = (
        header(KEY_HEADER),
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
    ) else {
        return Err(refused(
            ErrorCode::InvalidSignature,
            "a signed request carries X-Portico-Key, X-Portico-Timestamp and X-Portico-Signature",
        ));
    };
    let key: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, secret FROM integration_keys WHERE key_id = $1 AND revoked_at IS NULL",
    )
    .bind(key_id)
    .fetch_optional(&state.db)
    .await?;
    let Some((id, secret)) = key else {
        return Err(refused(
            ErrorCode::InvalidSignature,
            "no live integration key has this id",
        ));
    };
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    let signed = signed_bytes(method.as_str(), path, timestamp, body);
    let given_bytes = hex::decode(given).unwrap_or_default();
    if !signing::verify(secret.as_bytes(), &[&signed], &given_bytes) {
        return Err(refused(
            ErrorCode::InvalidSignature,
            "the signature is not the HMAC-SHA256 of METHOD\\nPATH\\nTIMESTAMP\\nBODY under this key",
        ));
    }
    let now = state.clock.now();
    let window = i64::from(state.config.ingest_window_secs);
    let at: Option<i64> = timestamp.parse().ok();
    if at.is_none_or(|at| (at - now).abs() > window) {
        return Err(ApiError::Refused(
            ErrorCode::StaleRequest,
            format!("X-Portico-Timestamp is unix seconds within {window} s of the server's clock ({now})"),
        ));
    }
    Ok(Seal {
        key: id,
        signature: hex::encode(&given_bytes),
    })
}

/// Forgets signatures older than any window could take (the hourly housekeeping).
pub async fn forget_old_signatures(db: &mut AnyConnection, now: i64, window: u32) -> ApiResult<()> {
    sqlx::query("DELETE FROM ingest_signatures WHERE seen_at < $1")
        .bind(now - 2 * i64::from(window) - 60)
        .execute(db)
        .await?;
    Ok(())
}
