//! Integration keys as admins manage them (the staff app): list, make one per integration,
//! rotate (a new secret, the same key id: the old secret stops signing at once), revoke. A
//! secret is told once, when it is made; each action is in the audit log, in the transaction
//! that makes it.

use crate::clock::rfc3339;
use crate::db;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::staff::{audit, Staff};
use crate::state::AppState;
use crate::widget::partners::{new_secret, random_key};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use portico_api::{
    ErrorCode, IntegrationKey, IntegrationKeyList, IntegrationKeySecret, NewIntegrationKey,
    StaffRole, INTEGRATION_NAME_MAX_CHARS,
};
use sqlx::AnyConnection;

/// A new key id: `ik_` and 24 random lower-case letters and digits.
fn new_key_id() -> String {
    random_key("ik_")
}

/// A name as kept: trimmed, 1 to 100 characters, no control characters.
fn name(asked: &str) -> ApiResult<String> {
    let name = asked.trim();
    if name.is_empty()
        || name.chars().count() > INTEGRATION_NAME_MAX_CHARS
        || asked.chars().any(char::is_control)
    {
        return Err(ApiError::Refused(
            ErrorCode::BadRequest,
            "an integration's name is 1 to 100 characters, no control characters".into(),
        ));
    }
    Ok(name.to_string())
}

type KeyRow = (
    i64,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

const SELECT: &str = "SELECT id, key_id, name, created_at, rotated_at, revoked_at, last_used_at \
     FROM integration_keys";

fn key(
    (id, key_id, name, created_at, rotated_at, revoked_at, last_used_at): KeyRow,
) -> IntegrationKey {
    IntegrationKey {
        id,
        key_id,
        name,
        created_at: rfc3339(created_at),
        rotated_at: rotated_at.map(rfc3339),
        revoked_at: revoked_at.map(rfc3339),
        last_used_at: last_used_at.map(rfc3339),
    }
}

async fn load(db: &mut AnyConnection, id: i64) -> ApiResult<IntegrationKey> {
    let row: KeyRow = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(key(row))
}

/// Every integration key, live ones first, by name (admins); never a secret.
#[utoipa::path(get, path = portico_api::paths::STAFF_INTEGRATIONS, tag = "staff", operation_id = "staff_integrations", security(("staff_session" = [])),
    responses((status = 200, description = "Every key, live ones first, by name.", body = IntegrationKeyList),
        (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<IntegrationKeyList>> {
    staff.may(&[StaffRole::Admin])?;
    let rows: Vec<KeyRow> = sqlx::query_as(&format!(
        "{SELECT} ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, name, id"
    ))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(IntegrationKeyList {
        keys: rows.into_iter().map(key).collect(),
    }))
}

/// Makes the key of a new integration (admins) and tells its secret once. A name blank, over 100
/// characters or with a control character is `bad_request`; a live key with the name is
/// `integration_exists` (rotate that one instead).
#[utoipa::path(post, path = portico_api::paths::STAFF_INTEGRATIONS, tag = "staff", operation_id = "staff_add_integration", security(("staff_session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = NewIntegrationKey,
    responses((status = 201, description = "The key, and its secret (told only this once).", body = IntegrationKeySecret),
        (status = 400), (status = 401), (status = 403), (status = 409), (status = 413), (status = 415), (status = 422)))]
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(body): ApiJson<NewIntegrationKey>,
) -> ApiResult<(StatusCode, Json<IntegrationKeySecret>)> {
    staff.may(&[StaffRole::Admin])?;
    let name = name(&body.name)?;
    let now = state.clock.now();
    let secret = new_secret();
    let mut tx = db::write_for(&state.db, db::Lock::IntegrationName(&name)).await?;
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM integration_keys WHERE name = $1 AND revoked_at IS NULL",
    )
    .bind(&name)
    .fetch_optional(&mut *tx)
    .await?;
    if taken.is_some() {
        return Err(ErrorCode::IntegrationExists.into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO integration_keys (key_id, name, secret, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(new_key_id())
    .bind(&name)
    .bind(&secret)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let made = load(&mut tx, id).await?;
    audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        "integration_key_added",
        Some(&made.key_id),
        Some(&format!("name: {}", made.name)),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(IntegrationKeySecret { key: made, secret }),
    ))
}

/// Gives a live key a new secret (admins) and tells it once; requests signed with the old one
/// are refused from now on. No such key, or a revoked one, is a 404.
#[utoipa::path(post, path = "/api/staff/integrations/{id}/rotate", tag = "staff", operation_id = "staff_rotate_integration", security(("staff_session" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The key"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 200, description = "The key and its new secret (told only this once).", body = IntegrationKeySecret),
        (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn rotate(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<IntegrationKeySecret>> {
    staff.may(&[StaffRole::Admin])?;
    let now = state.clock.now();
    let secret = new_secret();
    let mut tx = db::write_for(&state.db, db::Lock::IntegrationKey(id)).await?;
    let rotated = sqlx::query(
        "UPDATE integration_keys SET secret = $1, rotated_at = $2 WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(&secret)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if rotated == 0 {
        return Err(ErrorCode::NotFound.into());
    }
    let rotated = load(&mut tx, id).await?;
    audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        "integration_key_rotated",
        Some(&rotated.key_id),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(IntegrationKeySecret {
        key: rotated,
        secret,
    }))
}

/// Revokes a key (admins): it signs nothing from now on, and its name is free for a new key.
/// No such key, or one revoked already, is a 404.
#[utoipa::path(post, path = "/api/staff/integrations/{id}/revoke", tag = "staff", operation_id = "staff_revoke_integration", security(("staff_session" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The key"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 200, description = "The key, revoked.", body = IntegrationKey),
        (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<IntegrationKey>> {
    staff.may(&[StaffRole::Admin])?;
    let now = state.clock.now();
    let mut tx = db::write_for(&state.db, db::Lock::IntegrationKey(id)).await?;
    let revoked = sqlx::query(
        "UPDATE integration_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(ErrorCode::NotFound.into());
    }
    let revoked = load(&mut tx, id).await?;
    audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        "integration_key_revoked",
        Some(&revoked.key_id),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(revoked))
}
