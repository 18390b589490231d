//! Returns: what of an order can go back (and why not), from the order's lines, their parcels,
//! the returns already made and the buyer's tier; starting one exactly once (`Idempotency-Key`);
//! reading it back. The rules are in `policy`, free of storage; a return over the approval
//! threshold waits for a reviewer (`review`).

pub mod drop_off;
mod idempotency;
mod moves;
pub mod pass;
pub mod policy;
mod read;
pub mod review;

use idempotency::{idempotency_key, replayed};
pub use moves::*;
pub use read::*;

use crate::auth::{sha256_hex, Act, Caller, Listed};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::db::{self, Lock};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::notify::Notice;
use crate::orders::{localized, order_for, OrderRow};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use policy::{
    first_status, judge, may_move, pickup_fee, pickup_may_move, pickup_slots, refund_for,
    releases_stock, settle_days, settles_by, take_fee, window_days, LineFacts, Verdict,
    PICKUP_WINDOW_SECS,
};
use portico_api::{
    Benefit, ErrorCode, ExchangeOption, Handover, Money, NewPickupSlot, NewReturn, OrderNumber,
    PickupBooking, PickupOffer, PickupSlot, Resolution, ReturnDetail, ReturnEligibility,
    ReturnReason, ReturnStatus, ReturnableItem, ReturnedLine, ReturnedVariant,
};
use sqlx::{AnyConnection, AnyPool};

/// Which returns hold their pickup slot: every one not cancelled or rejected (a slot once picked
/// up from stays counted; it was used).
const HOLDS_SLOT: &str = "pickup_starts_at IS NOT NULL AND status NOT IN ('cancelled', 'rejected')";

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    position: i64,
    sku: String,
    name: String,
    name_en: Option<String>,
    variant: String,
    variant_en: Option<String>,
    quantity: i64,
    unit_price_fen: i64,
    #[sqlx(try_from = "crate::db::Flag")]
    final_sale: bool,
    /// When the line's parcel was delivered (none while it is not, or has no parcel yet).
    delivered_at: Option<i64>,
}

/// Every line of `order` with its verdict at `now`, and the benefits of the buyer's tier (whose
/// window they were judged by), the tier first brought up to date.
async fn judged_lines(
    db: &AnyPool,
    order: &OrderRow,
    now: i64,
) -> ApiResult<(Vec<Benefit>, Vec<(LineRow, Verdict)>)> {
    let benefits = buyer_benefits(db, order, now).await?;
    let judged = judged_in(&mut *db.acquire().await?, order, &benefits, now).await?;
    Ok((benefits, judged))
}

/// The benefits of `order`'s buyer's tier, the tier first brought up to date.
async fn buyer_benefits(db: &AnyPool, order: &OrderRow, now: i64) -> ApiResult<Vec<Benefit>> {
    let tier = crate::loyalty::refresh(db, order.customer_id, now).await?;
    Ok(tier.benefits().to_vec())
}

/// Every line of `order` with its verdict at `now` by the window of `benefits`, read on `db`
/// (starting a return: in the write transaction holding the order).
async fn judged_in(
    db: &mut AnyConnection,
    order: &OrderRow,
    benefits: &[Benefit],
    now: i64,
) -> ApiResult<Vec<(LineRow, Verdict)>> {
    let days = window_days(benefits);
    let lines = sqlx::query_as::<_, LineRow>(
        "SELECT i.id, i.position, i.sku, i.name, i.name_en, i.variant, i.variant_en, i.quantity, i.unit_price_fen, i.final_sale, \
         CASE WHEN s.status = 'delivered' THEN s.delivered_at END AS delivered_at \
         FROM order_items i LEFT JOIN shipments s ON s.order_id = i.order_id AND s.position = i.shipment_position \
         WHERE i.order_id = $1 ORDER BY i.position",
    )
    .bind(order.id)
    .fetch_all(&mut *db)
    .await?;
    let taken: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT ri.order_item_id, r.status, CAST(SUM(ri.quantity) AS BIGINT) FROM return_items ri \
         JOIN returns r ON r.id = ri.return_id WHERE r.order_id = $1 GROUP BY ri.order_item_id, r.status",
    )
    .bind(order.id)
    .fetch_all(&mut *db)
    .await?;
    let mut judged = Vec::with_capacity(lines.len());
    for line in lines {
        let (mut returned, mut in_progress) = (0, 0);
        for (_, status, quantity) in taken.iter().filter(|(item, ..)| *item == line.id) {
            let status = ReturnStatus::parse(status).ok_or(ApiError::Corrupt("a return status"))?;
            let quantity = count(*quantity, "a returned quantity")?;
            if status.goods_back() {
                returned += quantity;
            } else if status.under_way() {
                in_progress += quantity;
            }
        }
        let facts = LineFacts {
            quantity: count(line.quantity, "an item quantity")?,
            final_sale: line.final_sale,
            delivered_at: line.delivered_at,
            returned,
            in_progress,
        };
        judged.push((line, judge(facts, days, now)));
    }
    Ok(judged)
}

/// Each line's verdict at `now`, in the order's line order: what the order's page says beside
/// each item (the same judgement as [`returnable`]).
pub(crate) async fn verdicts(db: &AnyPool, order: &OrderRow, now: i64) -> ApiResult<Vec<Verdict>> {
    let (_, judged) = judged_lines(db, order, now).await?;
    Ok(judged.into_iter().map(|(_, verdict)| verdict).collect())
}

/// Doorstep pickup for a buyer of `tier` at `now`: the fee, and every slot offered with what it
/// can still take (full ones too, at 0).
async fn pickup_offer(state: &AppState, benefits: &[Benefit], now: i64) -> ApiResult<PickupOffer> {
    let starts = pickup_slots(now);
    let first = starts.first().copied().unwrap_or(now);
    let booked: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT pickup_starts_at, COUNT(*) FROM returns WHERE {HOLDS_SLOT} AND pickup_starts_at >= $1 \
         GROUP BY pickup_starts_at"
    ))
    .bind(first)
    .fetch_all(&state.db)
    .await?;
    let capacity = i64::from(state.config.pickup_slot_capacity);
    let slots = starts
        .into_iter()
        .map(|start| {
            let taken = booked
                .iter()
                .find(|(at, _)| *at == start)
                .map_or(0, |(_, count)| *count);
            PickupSlot {
                starts_at: rfc3339(start),
                ends_at: rfc3339(start + PICKUP_WINDOW_SECS),
                remaining: u32::try_from(capacity.saturating_sub(taken).max(0)).unwrap_or(0),
            }
        })
        .collect();
    Ok(PickupOffer {
        fee: pickup_fee(benefits),
        slots,
    })
}

/// The other variants of each line's product (see migration 0004: a line's sku is a variant of
/// the catalogue, which names its product), as `(order item id, sku, variant, stock)` ordered by
/// line and sku.
async fn exchange_options(
    db: &AnyPool,
    order_id: i64,
) -> ApiResult<Vec<(i64, String, String, Option<String>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT i.id, v.sku, v.variant, v.variant_en, v.stock FROM order_items i \
         JOIN variants sold ON sold.sku = i.sku \
         JOIN variants v ON v.product = sold.product AND v.sku <> sold.sku \
         WHERE i.order_id = $1 ORDER BY i.position, v.sku",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?)
}

/// Refuses (409 `pickup_slot_full`) when the slot starting at `start` holds more bookings than its
/// capacity, counted inside the caller's transaction after its own booking was written: the
/// refusal drops the transaction, so that booking is rolled back with it.
async fn refuse_if_full(tx: &mut AnyConnection, start: i64, capacity: u32) -> ApiResult<()> {
    if booked_in(tx, start).await? > i64::from(capacity) {
        return Err(ApiError::Refused(
            ErrorCode::PickupSlotFull,
            format!("the pickup slot at {} is fully booked", rfc3339(start).0),
        ));
    }
    Ok(())
}

/// Bookings holding the slot starting at `start`.
async fn booked_in(db: &mut AnyConnection, start: i64) -> ApiResult<i64> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM returns WHERE {HOLDS_SLOT} AND pickup_starts_at = $1"
    ))
    .bind(start)
    .fetch_one(db)
    .await?)
}

/// What of the order can be returned now, line by line, with the reason where nothing can. Its
/// owner may ask, and a browser with the buyer's guest pass for it or a return's link for it
/// (whose pickup is rescheduled to a slot offered here); a recipient's pass may not (404). The
/// window is the buyer's tier's.
#[utoipa::path(get, path = "/api/orders/{number}/returnable", tag = "returns", operation_id = "returnable", security(("session" = [])),
    params(("number" = OrderNumber, Path, description = "Order number, PT + 8 digits")),
    responses((status = 200, description = "Every line of the order.", body = ReturnEligibility), (status = 401), (status = 404)))]
pub async fn returnable(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<ReturnEligibility>> {
    let (order, _sight) = order_for(&state, &caller, &number, Act::ReadReturnable).await?;
    let now = state.clock.now();
    let (benefits, judged) = judged_lines(&state.db, &order, now).await?;
    let options = exchange_options(&state.db, order.id).await?;
    let mut items = Vec::with_capacity(judged.len());
    for (line, verdict) in judged {
        let exchange_options = options
            .iter()
            .filter(|(item, ..)| *item == line.id)
            .map(|(_, sku, variant, variant_en, stock)| {
                if *stock < 0 {
                    return Err(ApiError::Corrupt("a variant's stock"));
                }
                Ok(ExchangeOption {
                    sku: sku.clone(),
                    variant: localized(variant.clone(), variant_en.clone()),
                    in_stock: *stock > 0,
                })
            })
            .collect::<ApiResult<_>>()?;
        items.push(ReturnableItem {
            line: count(line.position + 1, "an item position")?,
            quantity: count(line.quantity, "an item quantity")?,
            sku: line.sku,
            name: localized(line.name, line.name_en),
            variant: localized(line.variant, line.variant_en),
            returnable_quantity: verdict.returnable,
            unit_price: Money::fen(line.unit_price_fen),
            return_by: verdict.return_by.map(rfc3339),
            not_returnable: verdict.not_returnable,
            exchange_options,
        });
    }
    Ok(Json(ReturnEligibility {
        order: stored_order_number(&order)?,
        window_days: window_days(&benefits),
        store_credit_bonus_percent: policy::STORE_CREDIT_BONUS_PERCENT,
        items,
        pickup: pickup_offer(&state, &benefits, now).await?,
        reasons: state.config.return_reasons.0.clone(),
    }))
}

fn stored_order_number(order: &OrderRow) -> ApiResult<OrderNumber> {
    OrderNumber::from_wire(&order.number).map_err(|_| ApiError::Corrupt("an order number"))
}

/// Starts a return. The same `Idempotency-Key` with the same body gives the same return (also
/// when twenty arrive at once); with another body it is refused. Every line must be returnable
/// in the quantity asked, checked and taken in one step. Refunds up to 500 CNY are approved at
/// once (with a pickup: the pickup is booked); more waits for review. A pickup names one of the
/// offered slots (`pickup_slot_required`, `pickup_slot_unavailable`); a full one is refused
/// with `pickup_slot_full` (checked and booked in the same step); its fee comes off the refund.
/// An exchange names, for every line, another variant of the line's product in `exchange_for`
/// (`exchange_not_offered` otherwise, also for `exchange_for` with another resolution); its
/// units are reserved from stock in the same step, or it is refused with `out_of_stock`. An
/// exchange refunds nothing (a product's variants sell at one price), so no fee is charged.
#[utoipa::path(post, path = portico_api::paths::RETURNS, tag = "returns", operation_id = "create_return", security(("session" = [])),
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,255}$", min_length = 1, max_length = 255,
        description = "Any unique string the client makes per return it means to start (1-255 visible ASCII)")),
    request_body = NewReturn,
    responses((status = 201, description = "The return (also when the same request is sent again with the same key).", body = ReturnDetail),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 413), (status = 415), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(asked): ApiJson<NewReturn>,
) -> ApiResult<(StatusCode, Json<ReturnDetail>)> {
    // A request without its key is malformed, whoever sends it.
    let key = idempotency_key(&headers)?;
    // Who may start it: the order's buyer, or the buyer's guest pass for it (not a recipient's,
    // not a return link's: one 404, as for someone else's order). Nobody is a 401.
    let (order, _sight) =
        order_for(&state, &caller, asked.order.as_str(), Act::StartReturn).await?;
    // Whose keys these are: the customer's, or (a guest's) the pass's order's.
    let scope = match caller.customer {
        Some(customer) => format!("customer:{customer}"),
        None => format!("guest:{}", order.id),
    };
    match (asked.handover, &asked.pickup_slot) {
        (Handover::Pickup, None) => {
            return Err(ApiError::Refused(
                ErrorCode::PickupSlotRequired,
                "handover pickup needs pickup_slot".into(),
            ))
        }
        (Handover::DropOff | Handover::SelfShip, Some(_)) => {
            return Err(ApiError::Refused(
                ErrorCode::PickupSlotUnavailable,
                format!(
                    "pickup_slot is only for handover pickup, not {}",
                    asked.handover.as_str()
                ),
            ))
        }
        _ => {}
    }
    let exchanging = asked.resolution == Resolution::Exchange;
    for line in &asked.lines {
        let why = match (exchanging, &line.exchange_for) {
            (true, None) => "resolution exchange needs exchange_for on every line",
            (false, Some(_)) => "exchange_for is only for resolution exchange",
            _ => continue,
        };
        return Err(ApiError::Refused(
            ErrorCode::ExchangeNotOffered,
            format!("line {}: {why}", line.line),
        ));
    }
    let request_hash = sha256_hex(&serde_json::to_string(&asked).unwrap_or_default());

    if let Some(return_id) = replayed(&state.db, &scope, &key, &request_hash).await? {
        return Ok((
            StatusCode::CREATED,
            Json(load_return(&state.db, return_id).await?),
        ));
    }

    // Checked after a replay is answered: a return already made stays what it was, even if the
    // reasons offered have changed since.
    if !state.config.return_reasons.0.contains(&asked.reason) {
        return Err(ApiError::Refused(
            ErrorCode::ReasonNotOffered,
            format!(
                "{} is not one of the reasons offered",
                asked.reason.as_str()
            ),
        ));
    }
    if asked.lines.is_empty() {
        return Err(ApiError::Refused(
            ErrorCode::NotReturnable,
            "no lines".into(),
        ));
    }
    let now = state.clock.now();
    let benefits = buyer_benefits(&state.db, &order, now).await?;
    // Every other variant of the order's products, read once (not a query per line).
    let offered = match exchanging {
        true => exchange_options(&state.db, order.id).await?,
        false => Vec::new(),
    };

    // From here on the order's returns are written one at a time, on every instance: what is
    // returnable is judged holding its lock, so another request's return is either seen whole
    // or not begun (and the same request answered meanwhile is answered again).
    let mut tx = db::write_for(&state.db, Lock::Order(order.id)).await?;
    if let Some(return_id) = replayed(&mut *tx, &scope, &key, &request_hash).await? {
        tx.rollback().await?;
        return Ok((
            StatusCode::CREATED,
            Json(load_return(&state.db, return_id).await?),
        ));
    }
    let judged = judged_in(&mut tx, &order, &benefits, now).await?;
    let mut taking = Vec::with_capacity(asked.lines.len());
    let mut goods_fen: i64 = 0;
    for (index, wanted) in asked.lines.iter().enumerate() {
        let refuse = |why: &str| {
            ApiError::Refused(
                ErrorCode::NotReturnable,
                format!("line {}: {why}", wanted.line),
            )
        };
        if asked.lines[..index]
            .iter()
            .any(|earlier| earlier.line == wanted.line)
        {
            return Err(refuse("named twice"));
        }
        let (line, verdict) = judged
            .iter()
            .find(|(line, _)| line.position + 1 == i64::from(wanted.line))
            .ok_or_else(|| refuse("no such line"))?;
        if let Some(reason) = verdict.not_returnable {
            return Err(refuse(reason.as_str()));
        }
        if wanted.quantity == 0 || wanted.quantity > verdict.returnable {
            return Err(refuse(&format!("{} can be returned", verdict.returnable)));
        }
        goods_fen += line.unit_price_fen * i64::from(wanted.quantity);
        let exchange_sku = match &wanted.exchange_for {
            None => None,
            Some(sku) => {
                // Another variant of the line's product; its stock is only judged when it is
                // taken, below (one guarded statement, right under concurrency).
                if !offered
                    .iter()
                    .any(|(item, other, ..)| *item == line.id && other == sku)
                {
                    return Err(ApiError::Refused(
                        ErrorCode::ExchangeNotOffered,
                        format!(
                            "line {}: {sku} is not another variant of this item's product",
                            wanted.line
                        ),
                    ));
                }
                Some(sku.clone())
            }
        };
        taking.push((line.id, wanted.quantity, exchange_sku));
    }

    let slot = match &asked.pickup_slot {
        None => None,
        Some(wanted) => Some(
            parse_rfc3339(&wanted.0)
                .filter(|start| pickup_slots(now).contains(start))
                .ok_or_else(|| {
                    ApiError::Refused(
                        ErrorCode::PickupSlotUnavailable,
                        format!("{} is not the start of a pickup slot offered now", wanted.0),
                    )
                })?,
        ),
    };
    let fee = if slot.is_some() {
        pickup_fee(&benefits).fen
    } else {
        0
    };
    let (refund, fee_charged) = take_fee(refund_for(goods_fen, asked.resolution), fee);
    // The slot's bookings are counted holding its lock too (after the order's).
    if let Some(start) = slot {
        db::lock(&mut tx, Lock::PickupSlot(start)).await?;
    }
    let first = first_status(goods_fen, asked.handover);
    let (return_id,): (i64,) = sqlx::query_as(
        "INSERT INTO returns (number, order_id, status, reason, resolution, handover, refund_fen, \
         pickup_starts_at, pickup_fee_fen, created_at, updated_at) \
         VALUES ('', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(order.id)
    .bind(first.as_str())
    .bind(asked.reason.as_str())
    .bind(asked.resolution.as_str())
    .bind(asked.handover.as_str())
    .bind(refund)
    .bind(slot)
    .bind(fee_charged)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // The booking is written first, then the slot counted with it, in one transaction holding
    // the slot's lock: one step (a read first could be overtaken by another connection's
    // write). Over the capacity, it is all rolled back.
    if let Some(start) = slot {
        refuse_if_full(&mut tx, start, state.config.pickup_slot_capacity).await?;
    }
    let number = return_number(return_id);
    let code = match asked.handover {
        Handover::DropOff => Some(drop_off::code(&state.drop_off_key, &number)),
        Handover::SelfShip | Handover::Pickup => None,
    };
    sqlx::query("UPDATE returns SET number = $1, drop_off_code = $2 WHERE id = $3")
        .bind(&number)
        .bind(code)
        .bind(return_id)
        .execute(&mut *tx)
        .await?;
    if exchanging {
        db::lock(&mut tx, Lock::Stock).await?;
    }
    for (item, quantity, exchange_sku) in taking {
        sqlx::query(
            "INSERT INTO return_items (return_id, order_item_id, quantity, exchange_sku) VALUES ($1, $2, $3, $4)",
        )
        .bind(return_id)
        .bind(item)
        .bind(i64::from(quantity))
        .bind(&exchange_sku)
        .execute(&mut *tx)
        .await?;
        // The exchange's units are reserved here: taken only if that many are in stock, decided
        // by this one statement (never read first, then written), rolled back with the rest.
        if let Some(sku) = exchange_sku {
            let taken = sqlx::query(
                "UPDATE variants SET stock = stock - $1 WHERE sku = $2 AND stock >= $3",
            )
            .bind(i64::from(quantity))
            .bind(&sku)
            .bind(i64::from(quantity))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken != 1 {
                tx.rollback().await?;
                return Err(ApiError::Refused(
                    ErrorCode::OutOfStock,
                    format!("{sku}: fewer than {quantity} in stock"),
                ));
            }
        }
    }
    let kept = sqlx::query(
        "INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, return_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(&scope)
    .bind(&key)
    .bind(&request_hash)
    .bind(return_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if kept == 0 {
        // The key was taken meanwhile by a request on another order (under that order's lock):
        // `idempotency_key_reused`, as when it comes after it.
        tx.rollback().await?;
        let made = replayed(&state.db, &scope, &key, &request_hash).await?;
        let made = made.ok_or(ErrorCode::IdempotencyKeyReused)?;
        return Ok((
            StatusCode::CREATED,
            Json(load_return(&state.db, made).await?),
        ));
    }
    // Told in the same transaction: the message exists exactly when the return does.
    state
        .notifier
        .send(
            &mut *tx,
            Notice::ReturnUpdate {
                return_id,
                status: first.as_str().into(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(load_return(&state.db, return_id).await?),
    ))
}

/// Returns: a customer's, the pass and the drop-off code, and a reviewer's.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(returnable))
        .routes(routes!(create, list))
        .routes(routes!(detail))
        .routes(routes!(cancel))
        .routes(routes!(reschedule))
        .routes(routes!(pass::pass))
        .routes(routes!(drop_off::qr))
        .routes(routes!(review::queue))
        .routes(routes!(review::decide))
}
