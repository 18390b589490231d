//! One return per `Idempotency-Key`: the key a client makes per return it means to start, kept
//! (per caller) with a hash of the request and the return it made.

use crate::error::ApiResult;
use axum::http::HeaderMap;
use portico_api::ErrorCode;

/// The `Idempotency-Key` header: 1 to 255 visible ASCII characters.
pub(super) fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .filter(|key| (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .ok_or_else(|| ErrorCode::IdempotencyKeyRequired.into())
}

/// The return an earlier request with this idempotency key made (`scope`: the caller's), to be
/// answered again; `idempotency_key_reused` when the key came with another request.
pub(super) async fn replayed(
    db: impl sqlx::AnyExecutor<'_>,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> ApiResult<Option<i64>> {
    let known: Option<(String, i64)> = sqlx::query_as(
        "SELECT request_hash, return_id FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(db)
    .await?;
    match known {
        Some((hash, _)) if hash != request_hash => Err(ErrorCode::IdempotencyKeyReused.into()),
        known => Ok(known.map(|(_, return_id)| return_id)),
    }
}
