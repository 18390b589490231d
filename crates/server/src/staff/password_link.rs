//! One-time links to set a staff account's password: the first admin's, made on the command
//! line (`portico-server staff add`), or a new one for a lost password (`staff link`). A link
//! carries a random token (only its hash is stored), works once and for 24 hours, and setting
//! the password ends the account's sessions.

use super::{end_sessions, new_password_hash};
use crate::db::{self, Db};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use portico_api::{paths, ErrorCode, PasswordLink, PasswordSet};
use rand::Rng;

/// How long a password link works.
pub const LINK_SECS: i64 = 24 * 60 * 60;

/// A new link for account `staff_id` on `origin` (`https://portal.example.com`): the staff
/// app's address with the token in its fragment (never sent to a server, so never in a log).
pub async fn make(db: &Db, origin: &str, staff_id: i64, now: i64) -> Result<String, sqlx::Error> {
    let token = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    sqlx::query(
        "INSERT INTO staff_invites (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(crate::auth::sha256_hex(&token))
    .bind(staff_id)
    .bind(now)
    .bind(now + LINK_SECS)
    .execute(db)
    .await?;
    Ok(format!("{origin}/staff/#set-password={token}"))
}

/// Sets the password of the account a live link names, and spends the link. A token that is not
/// 64 hex digits is `bad_request`; a link never made,
/// used already or older than 24 hours is `link_expired`; a password of fewer than 12 or more
/// than 128 characters is `weak_password` (and the link still works).
#[utoipa::path(post, path = paths::STAFF_PASSWORD_LINK, tag = "staff", operation_id = "staff_password_link",
    request_body = PasswordLink,
    responses((status = 200, description = "The password is set; the account's sessions ended. Sign in with it next.", body = PasswordSet),
        (status = 400), (status = 410), (status = 413), (status = 415), (status = 422)))]
pub async fn set_password(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<PasswordLink>,
) -> ApiResult<Json<PasswordSet>> {
    let shaped = body.token.len() == 64
        && body
            .token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !shaped {
        return Err(ApiError::Refused(
            ErrorCode::BadRequest,
            "a password link's token is 64 hex digits".into(),
        ));
    }
    let hash = new_password_hash(&body.password).await?;
    let now = state.clock.now();
    // Decided by one guarded statement (the link unused and live, spent by it).
    let mut tx = db::write_for(&state.db, db::Lock::Rows).await?;
    let spent: Option<i64> = sqlx::query_scalar(
        "UPDATE staff_invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 \
         RETURNING staff_id",
    )
    .bind(now)
    .bind(crate::auth::sha256_hex(&body.token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let staff_id = spent.ok_or(ErrorCode::LinkExpired)?;
    let email: String =
        sqlx::query_scalar("UPDATE staff SET password_hash = $1 WHERE id = $2 RETURNING email")
            .bind(&hash)
            .bind(staff_id)
            .fetch_one(&mut *tx)
            .await?;
    end_sessions(&mut *tx, staff_id).await?;
    super::audit::record(
        &mut *tx,
        now,
        Some(staff_id),
        &email,
        "password_set",
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(PasswordSet { email }))
}
