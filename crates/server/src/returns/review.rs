//! The returns review queue (staff: publishers and admins). A return whose refund is over the
//! approval threshold (`policy::AUTO_APPROVE_UP_TO`) waits in `pending_review` until a reviewer
//! decides it: the queue shows what they weigh (the goods, the money, the customer and their
//! returns so far), and a decision approves it (as an approval at once would have) or rejects it
//! (stock an exchange reserved goes back), once, however many reviewers press at the same time.
//! Who decided, when and why is kept (`return_reviews`) and in the audit log; the customer reads
//! the reason on the return and in the message about it.

use super::{count, load_return, move_return, policy, Change, ReturnedLineRow, RETURNED_LINES};
use crate::clock::rfc3339;
use crate::db;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::staff::{audit, Staff};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use portico_api::{
    decision_reason, ErrorCode, Handover, Localized, Money, OrderNumber, Resolution,
    ReturnDecision, ReturnDetail, ReturnHistory, ReturnReason, ReturnStatus, ReturnToReview,
    ReturnedLine, ReviewDecision, ReviewQueue, ReviewedCustomer, StaffRole,
};

/// Who reviews returns.
const REVIEWERS: [StaffRole; 2] = [StaffRole::Publisher, StaffRole::Admin];
/// The most returns the queue shows at once (the oldest).
const QUEUE_LENGTH: i64 = 100;

#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    number: String,
    order_number: String,
    created_at: i64,
    refund_fen: i64,
    reason: String,
    resolution: String,
    handover: String,
    customer: String,
    tier: String,
    tier_zh: Option<String>,
    tier_en: Option<String>,
    earlier: i64,
    earlier_rejected: i64,
    earlier_refunded_fen: i64,
}

/// The customer's returns started before return `r`, for the history a reviewer reads.
const EARLIER: &str = "FROM returns e JOIN orders eo ON eo.id = e.order_id \
     WHERE eo.customer_id = o.customer_id AND e.id < r.id";

/// The returns waiting for review, oldest first (at most 100), each with its lines, its refund,
/// its customer's name and tier, and what that customer's earlier returns came to.
#[utoipa::path(get, path = portico_api::paths::STAFF_RETURNS, tag = "staff", operation_id = "staff_returns", security(("staff_session" = [])),
    responses((status = 200, description = "The returns waiting for review, oldest first (at most 100).", body = ReviewQueue),
        (status = 401), (status = 403)))]
pub async fn queue(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<ReviewQueue>> {
    staff.may(&REVIEWERS)?;
    // Both reads in one transaction: the lines are those of the very returns listed.
    let mut tx = state.db.begin().await?;
    let rows: Vec<WaitingRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.number, o.number AS order_number, r.created_at, r.refund_fen, r.reason, \
         r.resolution, r.handover, c.name AS customer, c.tier, t.name_zh AS tier_zh, t.name_en AS tier_en, \
         (SELECT COUNT(*) {EARLIER}) AS earlier, \
         (SELECT COUNT(*) {EARLIER} AND e.status = 'rejected') AS earlier_rejected, \
         (SELECT CAST(COALESCE(SUM(e.refund_fen), 0) AS BIGINT) {EARLIER} AND e.status = 'refunded') AS earlier_refunded_fen \
         FROM returns r JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = o.customer_id \
         LEFT JOIN tiers t ON t.code = c.tier \
         WHERE r.status = 'pending_review' ORDER BY r.created_at, r.id LIMIT $1"
    ))
    .bind(QUEUE_LENGTH)
    .fetch_all(&mut *tx)
    .await?;
    let lines: Vec<ReturnedLineRow> = sqlx::query_as(&format!(
        "{RETURNED_LINES} WHERE ri.return_id IN (SELECT id FROM returns WHERE status = 'pending_review' \
         ORDER BY created_at, id LIMIT $1) ORDER BY ri.return_id, i.position"
    ))
    .bind(QUEUE_LENGTH)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut lines_of = super::by_return(lines)?;
    let returns = rows
        .into_iter()
        .map(|row| {
            let lines = lines_of.remove(&row.id).unwrap_or_default();
            waiting(row, lines)
        })
        .collect::<ApiResult<_>>()?;
    Ok(Json(ReviewQueue { returns }))
}

/// A row of the queue as the contract names it.
fn waiting(row: WaitingRow, lines: Vec<ReturnedLine>) -> ApiResult<ReturnToReview> {
    let corrupt = ApiError::Corrupt;
    let (Some(zh_cn), Some(en)) = (row.tier_zh, row.tier_en) else {
        return Err(corrupt("a customer's tier"));
    };
    Ok(ReturnToReview {
        number: row.number,
        order: OrderNumber::from_wire(&row.order_number).map_err(|_| corrupt("an order number"))?,
        created_at: rfc3339(row.created_at),
        lines,
        refund: Money::fen(row.refund_fen),
        reason: ReturnReason::parse(&row.reason).ok_or(corrupt("a return reason"))?,
        resolution: Resolution::parse(&row.resolution).ok_or(corrupt("a resolution"))?,
        handover: Handover::parse(&row.handover).ok_or(corrupt("a hand-over"))?,
        customer: ReviewedCustomer {
            name: row.customer,
            tier: row.tier,
            tier_name: Localized { zh_cn, en },
            history: ReturnHistory {
                earlier_returns: count(row.earlier, "a count of returns")?,
                rejected: count(row.earlier_rejected, "a count of returns")?,
                refunded: Money::fen(row.earlier_refunded_fen),
            },
        },
    })
}

/// Decides a return that waits for review: `approve` moves it on as an approval at once would
/// (a pickup to `pickup_scheduled`, the slot it booked; other hand-overs to `approved`),
/// `reject` ends it (`rejected`; stock its exchange reserved goes back). A reason is required to
/// reject and optional to approve; the customer reads it. Decided exactly once: whoever comes
/// second gets `already_decided`; a return that no longer waits for review for another cause (its
/// customer cancelled it, or it never needed one) is `return_locked`. Kept with who decided and
/// when, and in the audit log (`return.approve`, `return.reject`).
#[utoipa::path(post, path = "/api/staff/returns/{number}/decision", tag = "staff", operation_id = "staff_return_decision", security(("staff_session" = [])),
    params(("number" = String, Path, description = "Return number, R + 8 digits"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = ReturnDecision,
    responses((status = 200, description = "The return as its customer reads it now, with the decision.", body = ReturnDetail),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 413),
        (status = 415), (status = 422)))]
pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path(number): Path<String>,
    ApiJson(asked): ApiJson<ReturnDecision>,
) -> ApiResult<Json<ReturnDetail>> {
    staff.may(&REVIEWERS)?;
    let refuse = |why: &str| ApiError::BadRequest(StatusCode::UNPROCESSABLE_ENTITY, why.into());
    let reason = decision_reason(asked.reason.as_deref()).map_err(refuse)?;
    if asked.decision == ReviewDecision::Reject && reason.is_none() {
        return Err(refuse("a rejection needs a reason the customer can read"));
    }
    // Read and decided in one write transaction holding the return's order (across instances):
    // of two reviewers deciding at once, the second finds the first one's review. The guarded
    // move and the review's key would keep it once even without it.
    let order: Option<i64> = sqlx::query_scalar("SELECT order_id FROM returns WHERE number = $1")
        .bind(&number)
        .fetch_optional(&state.db)
        .await?;
    let order = order.ok_or(ErrorCode::NotFound)?;
    let mut tx = db::write_for(&state.db, db::Lock::Order(order)).await?;
    let found: Option<(i64, String, String, db::Flag)> = sqlx::query_as(
        "SELECT r.id, r.status, r.handover, v.return_id IS NOT NULL FROM returns r \
         LEFT JOIN return_reviews v ON v.return_id = r.id WHERE r.number = $1",
    )
    .bind(&number)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, status, handover, db::Flag(reviewed))) = found else {
        return Err(ErrorCode::NotFound.into());
    };
    let already = || {
        ApiError::Refused(
            ErrorCode::AlreadyDecided,
            format!("return {number} was decided already"),
        )
    };
    if reviewed {
        return Err(already());
    }
    let status = ReturnStatus::parse(&status).ok_or(ApiError::Corrupt("a return status"))?;
    let handover = Handover::parse(&handover).ok_or(ApiError::Corrupt("a hand-over"))?;
    if status != ReturnStatus::PendingReview {
        return Err(ApiError::Refused(
            ErrorCode::ReturnLocked,
            format!(
                "return {number} is {}, not waiting for review",
                status.as_str()
            ),
        ));
    }
    let to = match asked.decision {
        ReviewDecision::Approve => policy::approved(handover),
        ReviewDecision::Reject => ReturnStatus::Rejected,
    };
    debug_assert!(policy::may_move(status, to));
    let now = state.clock.now();
    // Its customer told, in this transaction too (`move_return`).
    if !move_return(&state, &mut tx, id, status, Change::To(to), now).await? {
        return Err(already());
    }
    sqlx::query(
        "INSERT INTO return_reviews (return_id, decision, reason, staff_id, decided_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(asked.decision.as_str())
    .bind(&reason)
    .bind(staff.id())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // In the same transaction: a decision is never without its audit entry, nor the reverse.
    audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        &staff.row.email,
        &format!("return.{}", asked.decision.as_str()),
        Some(&number),
        reason.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load_return(&state.db, id).await?))
}
