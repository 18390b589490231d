//! Messages given up on, for admins: the list, and sending one again.

use super::Notice;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiPath, ApiResult};
use crate::staff::Staff;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use portico_api::{ErrorCode, FailedMessage, FailedMessages, StaffRole};

/// What kind of message a queued notice is, by its name on the wire.
fn kind(body: &str) -> String {
    match serde_json::from_str::<Notice>(body) {
        Ok(Notice::SignInCode { .. }) => "sign_in_code",
        Ok(Notice::ReturnUpdate { .. }) => "return_update",
        Ok(Notice::PickupRescheduled { .. }) => "pickup_rescheduled",
        Ok(Notice::SurveyInvitation { .. }) => "survey_invitation",
        Err(_) => "unknown",
    }
    .to_string()
}

#[derive(sqlx::FromRow)]
struct FailedRow {
    id: i64,
    body: String,
    recipient: Option<String>,
    last_error: Option<String>,
    attempts: i64,
    created_at: i64,
    finished_at: Option<i64>,
}

/// The messages that could not be delivered, newest first (admins).
#[utoipa::path(get, path = portico_api::paths::STAFF_MESSAGES, tag = "staff", operation_id = "staff_failed_messages", security(("staff_session" = [])),
    responses((status = 200, description = "The failed messages, newest first (at most 200).", body = FailedMessages),
        (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<FailedMessages>> {
    staff.may(&[StaffRole::Admin])?;
    let rows: Vec<FailedRow> = sqlx::query_as(
        "SELECT id, body, recipient, last_error, attempts, created_at, finished_at FROM notices \
         WHERE status = 'failed' ORDER BY finished_at DESC, id DESC LIMIT 200",
    )
    .fetch_all(&state.db)
    .await?;
    let messages = rows
        .into_iter()
        .map(|row| FailedMessage {
            id: row.id,
            kind: kind(&row.body),
            recipient: row.recipient,
            error: row.last_error.unwrap_or_default(),
            attempts: row.attempts,
            queued_at: rfc3339(row.created_at),
            failed_at: rfc3339(row.finished_at.unwrap_or(row.created_at)),
        })
        .collect();
    Ok(Json(FailedMessages { messages }))
}

/// Sends a failed message again (admins): it is queued as if new, tried again for the retry
/// time. One that is not failed (sent meanwhile, or unknown) is `not_found`.
#[utoipa::path(post, path = "/api/staff/messages/{id}/retry", tag = "staff", operation_id = "staff_retry_message", security(("staff_session" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The message"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204, description = "Queued again."),
        (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn retry(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    staff.may(&[StaffRole::Admin])?;
    let recipient: Option<Option<String>> = sqlx::query_scalar(
        "UPDATE notices SET status = 'waiting', created_at = $2, next_attempt_at = 0, claimed_until = 0, \
         finished_at = NULL WHERE id = $1 AND status = 'failed' RETURNING recipient",
    )
    .bind(id)
    .bind(state.clock.now())
    .fetch_optional(&state.db)
    .await?;
    let Some(recipient) = recipient else {
        return Err(ApiError::from(ErrorCode::NotFound));
    };
    staff
        .record(
            &state,
            "message_retried",
            recipient.as_deref(),
            Some(&format!("message {id}")),
        )
        .await?;
    state.notifier.wake();
    Ok(StatusCode::NO_CONTENT)
}
