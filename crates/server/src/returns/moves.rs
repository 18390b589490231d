//! Every move of a return, read and written in one write transaction: its customer cancelling
//! or rescheduling, the demo's mover, and (from `review.rs`) a reviewer deciding.

use super::*;

/// Cancels a return before its goods are handed over. Cancelling a cancelled return answers the
/// return as it is (a retry after a lost answer is not an error); later than the hand-over, or
/// once it ended otherwise, it is refused with `return_locked`.
#[utoipa::path(post, path = "/api/returns/{number}/cancel", tag = "returns", operation_id = "cancel_return", security(("session" = [])),
    params(("number" = String, Path, description = "Return number, R + 8 digits")),
    responses((status = 200, description = "The return, cancelled; its units can be returned again.", body = ReturnDetail),
        (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<ReturnDetail>> {
    let (id, order) = return_for(&state, &caller, &number).await?;
    // Read and moved in one write transaction holding its order (see `move_return`): a 200
    // always means cancelled (`make soak` once caught a cancel answered with a return the demo
    // had just handed over).
    let mut tx = db::write_for(&state.db, Lock::Order(order)).await?;
    let (status, _) = status_in(&mut tx, id).await?;
    if status != ReturnStatus::Cancelled {
        let cancelled = Change::To(ReturnStatus::Cancelled);
        if !move_return(&state, &mut tx, id, status, cancelled, state.clock.now()).await? {
            return Err(ErrorCode::ReturnLocked.into());
        }
    }
    tx.commit().await?;
    Ok(Json(load_return(&state.db, id).await?))
}

/// Moves a booked pickup to another slot, while the goods are still to be collected: the return
/// is a pickup, `pickup_scheduled`, or `pending_review`/`approved` with its booking (else
/// `return_locked`, also when the goods were handed over while the request waited). The new
/// slot must be offered now (`pickup_slot_unavailable`) and have room besides this return's own
/// booking (`pickup_slot_full`, checked and booked in one step, as a new return's). The slot
/// already booked changes nothing, so sending it again is harmless. The buyer is told the new
/// window.
#[utoipa::path(post, path = "/api/returns/{number}/reschedule", tag = "returns", operation_id = "reschedule_pickup", security(("session" = [])),
    params(("number" = String, Path, description = "Return number, R + 8 digits")),
    request_body = NewPickupSlot,
    responses((status = 200, description = "The return with its new pickup window (as it was, when that slot was booked already).", body = ReturnDetail),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 413), (status = 415), (status = 422)))]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    ApiJson(asked): ApiJson<NewPickupSlot>,
) -> ApiResult<Json<ReturnDetail>> {
    let (id, order) = return_for(&state, &caller, &number).await?;
    // Read and moved in one write transaction holding its order (see `move_return`): read
    // before it, the demo's mover could hand the goods over in between, and the pickup was
    // "moved" after it happened (and its buyer told so).
    let mut tx = db::write_for(&state.db, Lock::Order(order)).await?;
    let (status, booked) = status_in(&mut tx, id).await?;
    let Some(booked) = booked.filter(|_| pickup_may_move(status)) else {
        return Err(ErrorCode::ReturnLocked.into());
    };
    let wanted = parse_rfc3339(&asked.pickup_slot.0);
    if wanted == Some(booked) {
        tx.rollback().await?;
        return Ok(Json(load_return(&state.db, id).await?));
    }
    let now = state.clock.now();
    let start = wanted
        .filter(|start| pickup_slots(now).contains(start))
        .ok_or_else(|| {
            ApiError::Refused(
                ErrorCode::PickupSlotUnavailable,
                format!(
                    "{} is not the start of a pickup slot offered now",
                    asked.pickup_slot.0
                ),
            )
        })?;
    // As when a return is created: the new slot locked (after the order), the booking moved,
    // then the slot counted with it (this return's old booking no longer counts); over the
    // capacity, all is rolled back.
    db::lock(&mut tx, Lock::PickupSlot(start)).await?;
    let moved = Change::Pickup {
        from: booked,
        to: start,
    };
    if !move_return(&state, &mut tx, id, status, moved, now).await? {
        return Err(ErrorCode::ReturnLocked.into());
    }
    refuse_if_full(&mut tx, start, state.config.pickup_slot_capacity).await?;
    tx.commit().await?;
    Ok(Json(load_return(&state.db, id).await?))
}

/// Return `id`'s status and, when its goods go by pickup, the start of its booked slot, read in
/// the write transaction `tx` that will move it.
async fn status_in(tx: &mut AnyConnection, id: i64) -> ApiResult<(ReturnStatus, Option<i64>)> {
    let (status, handover, booked): (String, String, Option<i64>) =
        sqlx::query_as("SELECT status, handover, pickup_starts_at FROM returns WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let status = ReturnStatus::parse(&status).ok_or(ApiError::Corrupt("a return status"))?;
    let handover = Handover::parse(&handover).ok_or(ApiError::Corrupt("a hand-over"))?;
    Ok((status, booked.filter(|_| handover == Handover::Pickup)))
}

/// Demo mode: moves every return that is not waiting on its customer or on a reviewer one step
/// on (see `policy::demo_next`), telling each buyer, in the write transaction `tx`
/// (`Lock::Everything`: it keeps every other writer out meanwhile). Returns how many moved.
pub async fn advance_demo(state: &AppState, tx: &mut AnyConnection) -> ApiResult<u32> {
    let open: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, status, handover, resolution FROM returns WHERE status IN \
         ('requested', 'approved', 'pickup_scheduled', 'picked_up', 'received')",
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = state.clock.now();
    let mut moved = 0;
    for (id, status, handover, resolution) in open {
        let status = ReturnStatus::parse(&status).ok_or(ApiError::Corrupt("a return status"))?;
        let handover = Handover::parse(&handover).ok_or(ApiError::Corrupt("a hand-over"))?;
        let resolution = Resolution::parse(&resolution).ok_or(ApiError::Corrupt("a resolution"))?;
        let Some(next) = policy::demo_next(status, handover, resolution) else {
            continue;
        };
        if move_return(state, &mut *tx, id, status, Change::To(next), now).await? {
            moved += 1;
        }
    }
    Ok(moved)
}

/// What a move of a return changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Its status, to this one (if the status machine allows it: `policy::may_move`).
    To(ReturnStatus),
    /// Its booked pickup, from the slot starting at `from` to the one starting at `to`, while
    /// the goods are still to be collected (`policy::pickup_may_move`); the status stays.
    Pickup { from: i64, to: i64 },
}

/// Every move of a return, whoever makes it (its customer cancelling or rescheduling, a
/// reviewer deciding, the demo's mover), in the caller's write transaction `tx` holding the
/// return's order (`db::write_for`),
/// in which the caller read return `id` in status `from`. One statement, guarded by what was
/// read: the status (and for a pickup, the slot booked), so `false` when the return is no longer
/// as read or the move is not one its status allows (nothing changed: the caller answers a
/// conflict). With the move and only with it, in `tx`: ending a return early (cancelled,
/// rejected) gives back the stock its exchange reserved, so once however often it is asked; its
/// buyer is told (a queued notice: no message tells of a move that did not happen); a return
/// complete brings a survey about it.
pub(crate) async fn move_return(
    state: &AppState,
    tx: &mut AnyConnection,
    id: i64,
    from: ReturnStatus,
    change: Change,
    now: i64,
) -> ApiResult<bool> {
    let moved =
        match change {
            Change::To(to) => may_move(from, to)
                && sqlx::query(
                    "UPDATE returns SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
                )
                .bind(to.as_str())
                .bind(now)
                .bind(id)
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1,
            Change::Pickup { from: booked, to } => {
                pickup_may_move(from)
                    && sqlx::query(
                        "UPDATE returns SET pickup_starts_at = $1, updated_at = $2 WHERE id = $3 \
                     AND status = $4 AND handover = $5 AND pickup_starts_at = $6",
                    )
                    .bind(to)
                    .bind(now)
                    .bind(id)
                    .bind(from.as_str())
                    .bind(Handover::Pickup.as_str())
                    .bind(booked)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1
            }
        };
    if !moved {
        return Ok(false);
    }
    let notice = match change {
        Change::To(to) => {
            if releases_stock(to) && !releases_stock(from) && exchanges(tx, id).await? {
                // Variants are changed holding the stock's lock (see `Lock::Stock`).
                db::lock(&mut *tx, Lock::Stock).await?;
                sqlx::query(
                    "UPDATE variants SET stock = stock + (SELECT SUM(ri.quantity) FROM return_items ri \
                     WHERE ri.return_id = $1 AND ri.exchange_sku = variants.sku) \
                     WHERE sku IN (SELECT exchange_sku FROM return_items WHERE return_id = $2)",
                )
                .bind(id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Notice::ReturnUpdate {
                return_id: id,
                status: to.as_str().into(),
            }
        }
        Change::Pickup { .. } => Notice::PickupRescheduled { return_id: id },
    };
    state.notifier.send(&mut *tx, notice, now).await?;
    if matches!(
        change,
        Change::To(ReturnStatus::Refunded | ReturnStatus::Exchanged)
    ) {
        // The move is done: a survey is a courtesy, and failing to read its subject only skips it.
        let buyer: Result<(String, i64), sqlx::Error> = sqlx::query_as(
            "SELECT r.number, o.customer_id FROM returns r JOIN orders o ON o.id = r.order_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await;
        match buyer {
            Ok((number, customer)) => {
                let service = crate::surveys::Service {
                    customer,
                    touchpoint: portico_api::Touchpoint::Return,
                    reference: number,
                    served_at: now,
                };
                crate::surveys::invite_after(state, tx, service).await;
            }
            Err(error) => tracing::warn!(%error, "could not invite to a survey about a return"),
        }
    }
    Ok(true)
}

/// Whether return `id` exchanges any of its lines (reserved stock).
async fn exchanges(tx: &mut AnyConnection, id: i64) -> ApiResult<bool> {
    let lines: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM return_items WHERE return_id = $1 AND exchange_sku IS NOT NULL",
    )
    .bind(id)
    .fetch_one(tx)
    .await?;
    Ok(lines > 0)
}
