//! The audit log: every staff action (and every failed staff sign-in) with who, when and what.
//! Append-only: the table refuses updates and deletes (triggers in migration 0010).

use super::Staff;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use portico_api::{AuditEntry, AuditPage, ErrorCode, StaffRole};
use serde::Deserialize;

const PAGE: i64 = 50;

/// Appends one entry.
pub async fn record(
    db: impl sqlx::AnyExecutor<'_>,
    at: i64,
    staff_id: Option<i64>,
    actor: &str,
    action: &str,
    target: Option<&str>,
    detail: Option<&str>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, staff_id, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(staff_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor: String,
    action: String,
    target: Option<String>,
    detail: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The `next_before` of the page before: entries older than this one.
    #[param(minimum = 1)]
    before: Option<i64>,
}

/// The audit log, newest first, 50 entries a page (admins and publishers).
#[utoipa::path(get, path = portico_api::paths::STAFF_AUDIT, tag = "staff", operation_id = "staff_audit", security(("staff_session" = [])),
    params(AuditQuery),
    responses((status = 200, description = "A page of the audit log.", body = AuditPage),
        (status = 400), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    staff.may(&[StaffRole::Admin, StaffRole::Publisher])?;
    if query.before.is_some_and(|b| b < 1) {
        return Err(ApiError::Refused(
            ErrorCode::BadRequest,
            "`before` is an entry's id, from 1".into(),
        ));
    }
    let before = query.before.unwrap_or(i64::MAX);
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < $1 \
         ORDER BY id DESC LIMIT $2",
    )
    .bind(before)
    .bind(PAGE + 1)
    .fetch_all(&state.db)
    .await?;
    let more = rows.len() as i64 > PAGE;
    let entries: Vec<AuditEntry> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|row| AuditEntry {
            id: row.id,
            at: rfc3339(row.at),
            actor: row.actor,
            action: row.action,
            target: row.target,
            detail: row.detail,
        })
        .collect();
    let next_before = more.then(|| entries.last().map(|e| e.id)).flatten();
    Ok(Json(AuditPage {
        entries,
        next_before,
    }))
}
