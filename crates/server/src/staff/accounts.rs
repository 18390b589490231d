//! What admins do with staff accounts: list them, add one, change a role, disable or enable.
//! There is always at least one enabled admin; disabling an account ends its sessions.

use super::{end_sessions, new_password_hash, Staff, StaffRow};
use crate::db;
use crate::error::{ApiError, ApiJson, ApiPath, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use portico_api::{ErrorCode, NewStaff, StaffChange, StaffList, StaffMember, StaffRole};

const FIELDS: &str = "id, email, name, role, enabled";

/// A staff email as stored: trimmed, lower case, an ASCII address with one `@`.
pub(crate) fn staff_email(input: &str) -> ApiResult<String> {
    let email = input.trim().to_ascii_lowercase();
    let shaped = email.len() <= 254
        && email.is_ascii()
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        })
        && !email.contains(char::is_whitespace);
    if shaped {
        Ok(email)
    } else {
        Err(ErrorCode::InvalidContact.into())
    }
}

/// Every staff account, admins first, then by name (admins).
#[utoipa::path(get, path = portico_api::paths::STAFF_ACCOUNTS, tag = "staff", operation_id = "staff_accounts", security(("staff_session" = [])),
    responses((status = 200, description = "Every staff account.", body = StaffList),
        (status = 401), (status = 403)))]
pub async fn list(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<StaffList>> {
    staff.may(&[StaffRole::Admin])?;
    let rows: Vec<StaffRow> = sqlx::query_as(&format!(
        "SELECT {FIELDS} FROM staff ORDER BY role = 'admin' DESC, name, id"
    ))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(StaffList {
        staff: rows
            .into_iter()
            .map(StaffRow::member)
            .collect::<ApiResult<_>>()?,
    }))
}

/// A staff member's name as stored: trimmed, 1 to 100 characters.
pub(crate) fn staff_name(input: &str) -> ApiResult<&str> {
    let name = input.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::Refused(
            ErrorCode::BadRequest,
            "a name is 1 to 100 characters".into(),
        ));
    }
    Ok(name)
}

/// Adds an account with password hash `hash` (empty: none yet, nobody can sign in with it until a
/// password link sets one); an email already used is `staff_exists`.
pub(crate) async fn insert(
    db: impl sqlx::AnyExecutor<'_>,
    email: &str,
    name: &str,
    role: StaffRole,
    hash: &str,
    now: i64,
) -> ApiResult<StaffMember> {
    let row: Option<StaffRow> = sqlx::query_as(&format!(
        "INSERT INTO staff (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (email) DO NOTHING RETURNING {FIELDS}"
    ))
    .bind(email)
    .bind(name)
    .bind(role.as_str())
    .bind(hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.ok_or(ErrorCode::StaffExists)?.member()
}

/// Adds a staff account (admins). An email already used is `staff_exists`; a password of fewer
/// than 12 or more than 128 characters is `weak_password`.
#[utoipa::path(post, path = portico_api::paths::STAFF_ACCOUNTS, tag = "staff", operation_id = "staff_add", security(("staff_session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = NewStaff,
    responses((status = 201, description = "The account made.", body = StaffMember),
        (status = 400), (status = 401), (status = 403), (status = 409), (status = 413),
        (status = 415), (status = 422)))]
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(body): ApiJson<NewStaff>,
) -> ApiResult<(StatusCode, Json<StaffMember>)> {
    staff.may(&[StaffRole::Admin])?;
    let email = staff_email(&body.email)?;
    let name = staff_name(&body.name)?;
    let hash = new_password_hash(&body.password).await?;
    let member = insert(&state.db, &email, name, body.role, &hash, state.clock.now()).await?;
    staff
        .record(
            &state,
            "staff_added",
            Some(&member.email),
            Some(&format!("role: {}", member.role.as_str())),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Changes a staff account's role, or disables or enables it (admins). Disabling ends the
/// account's sessions at once. A change that would leave no enabled admin is `last_admin`.
#[utoipa::path(patch, path = "/api/staff/accounts/{id}", tag = "staff", operation_id = "staff_change", security(("staff_session" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The staff account"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = StaffChange,
    responses((status = 200, description = "The account as it is now.", body = StaffMember),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 413), (status = 415), (status = 422)))]
pub async fn change(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StaffChange>,
) -> ApiResult<Json<StaffMember>> {
    staff.may(&[StaffRole::Admin])?;
    // Every account's lock first: two admins changing admins at once cannot both pass the check.
    let mut tx = db::write_for(&state.db, db::Lock::StaffAccounts).await?;
    let before: StaffRow = sqlx::query_as(&format!("SELECT {FIELDS} FROM staff WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let before = before.member()?;
    let role = body.role.unwrap_or(before.role);
    let enabled = body.enabled.unwrap_or(before.enabled);
    let was_admin = before.role == StaffRole::Admin && before.enabled;
    if was_admin && !(role == StaffRole::Admin && enabled) {
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff WHERE role = 'admin' AND enabled AND id <> $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if others == 0 {
            return Err(ErrorCode::LastAdmin.into());
        }
    }
    let after: StaffRow = sqlx::query_as(&format!(
        "UPDATE staff SET role = $1, enabled = $2 WHERE id = $3 RETURNING {FIELDS}"
    ))
    .bind(role.as_str())
    .bind(enabled)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if !enabled {
        end_sessions(&mut *tx, id).await?;
    }
    let after = after.member()?;
    let mut changes = Vec::new();
    if before.role != after.role {
        changes.push(format!(
            "role: {} -> {}",
            before.role.as_str(),
            after.role.as_str()
        ));
    }
    if before.enabled != after.enabled {
        changes.push(format!("enabled: {} -> {}", before.enabled, after.enabled));
    }
    if !changes.is_empty() {
        super::audit::record(
            &mut *tx,
            state.clock.now(),
            Some(staff.id()),
            &staff.row.email,
            "staff_changed",
            Some(&after.email),
            Some(&changes.join("; ")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_emails_are_kept_in_one_form() {
        assert_eq!(
            staff_email(" Zhou.Min@Portico.TEST ").unwrap(),
            "zhou.min@portico.test"
        );
        for wrong in [
            "",
            "zhou",
            "@portico.test",
            "zhou@portico",
            "a b@portico.test",
            "周@portico.test",
        ] {
            assert!(staff_email(wrong).is_err(), "{wrong}");
        }
    }
}
