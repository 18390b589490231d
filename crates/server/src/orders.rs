//! Orders as their owner sees them: the paged list and one order's detail. The detail is also
//! what a guest gets, masked, after proving the order (see `guest`).

use crate::auth::{Act, Caller, Sight};
use crate::clock::{china_date, rfc3339};
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use portico_api::{
    mask_name, mask_phone, Amounts, CalendarDate, Carrier, Checkpoint, CheckpointEvent,
    DeliveryAddress, ErrorCode, Localized, Money, OrderDetail, OrderItem, OrderNumber, OrderPage,
    OrderReturn, OrderSummary, PageQuery, PaymentState, ReturnStatus, Shipment, ShipmentStatus,
};
use sqlx::AnyPool;

const DEFAULT_PER_PAGE: u32 = 10;

/// An item's name or variant label as `order_items` and `variants` keep them: the Chinese text
/// (`name`, `variant`) and the English one (`name_en`, `variant_en`), NULL when the shop gave none
/// (the reader then gets the other, `Localized::get`).
pub fn localized(zh_cn: String, en: Option<String>) -> Localized {
    Localized {
        zh_cn,
        en: en.unwrap_or_default(),
    }
}

/// The status that speaks for an order in the list: trouble first, then the parcel furthest
/// behind, then delivered.
pub fn headline_status(statuses: &[ShipmentStatus]) -> Option<ShipmentStatus> {
    let rank = |s: &ShipmentStatus| match s {
        ShipmentStatus::Exception => 0,
        ShipmentStatus::DeliveryAttempted => 1,
        ShipmentStatus::ReturnedToSender => 2,
        ShipmentStatus::InfoReceived => 3,
        ShipmentStatus::InTransit => 4,
        ShipmentStatus::OutForDelivery => 5,
        ShipmentStatus::Delivered => 6,
    };
    statuses.iter().copied().min_by_key(rank)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    pub number: String,
    placed_at: i64,
    total_fen: i64,
    item_count: i64,
    headline: Option<String>,
    headline_en: Option<String>,
}

/// The signed-in customer's orders, newest first, a page at a time.
#[utoipa::path(get, path = portico_api::paths::ORDERS, tag = "orders", params(PageQuery), security(("session" = [])),
    responses((status = 200, description = "One page of orders.", body = OrderPage), (status = 400), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<OrderPage>> {
    let Some(customer_id) = caller.customer else {
        return Err(ErrorCode::Unauthorized.into());
    };
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=PageQuery::MAX_PAGE).contains(&page)
        || !(1..=PageQuery::MAX_PER_PAGE).contains(&per_page)
    {
        return Err(ApiError::bad_request(format!(
            "page is 1 to {}; per_page is 1 to {}",
            PageQuery::MAX_PAGE,
            PageQuery::MAX_PER_PAGE
        )));
    }
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(&state.db)
        .await?;
    // The page in one query, and the statuses of its parcels in one more (portable SQL: no
    // string aggregation).
    const PAGE: &str = "SELECT id FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC LIMIT $2 OFFSET $3";
    let limit = i64::from(per_page);
    let offset = i64::from(page - 1) * i64::from(per_page);
    let rows = sqlx::query_as::<_, SummaryRow>(&format!(
        "SELECT o.id, o.number, o.placed_at, o.total_fen, \
         (SELECT CAST(COALESCE(SUM(i.quantity), 0) AS BIGINT) FROM order_items i WHERE i.order_id = o.id) AS item_count, \
         (SELECT i.name FROM order_items i WHERE i.order_id = o.id ORDER BY i.position LIMIT 1) AS headline, \
         (SELECT i.name_en FROM order_items i WHERE i.order_id = o.id ORDER BY i.position LIMIT 1) AS headline_en \
         FROM orders o JOIN ({PAGE}) p ON p.id = o.id ORDER BY o.placed_at DESC, o.id DESC"
    ))
    .bind(customer_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.db)
    .await?;
    let statuses: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT s.order_id, s.status FROM shipments s JOIN ({PAGE}) p ON p.id = s.order_id ORDER BY s.order_id, s.position"
    ))
    .bind(customer_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&state.db)
    .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        let statuses = statuses
            .iter()
            .filter(|(order, _)| *order == row.id)
            .map(|(_, s)| ShipmentStatus::parse(s).ok_or(ApiError::Corrupt("a shipment status")))
            .collect::<ApiResult<Vec<_>>>()?;
        orders.push(OrderSummary {
            number: OrderNumber::parse(&row.number)
                .map_err(|_| ApiError::Corrupt("an order number"))?,
            placed_at: rfc3339(row.placed_at),
            total: Money::fen(row.total_fen),
            item_count: row.item_count as u32,
            headline: localized(row.headline.unwrap_or_default(), row.headline_en),
            status: headline_status(&statuses),
            shipment_count: statuses.len() as u32,
        });
    }
    Ok(Json(OrderPage {
        orders,
        page,
        per_page,
        total: total as u32,
    }))
}

/// One order: in full for its owner, masked for a browser holding a guest pass for it (which
/// lists only the returns the pass opens: all for the buyer's, none for a recipient's, its own
/// for a return link's). Missing, malformed and someone else's are the same 404.
#[utoipa::path(get, path = "/api/orders/{number}", tag = "orders", security(("session" = [])),
    params(("number" = OrderNumber, Path, description = "Order number, PT + 8 digits")),
    responses((status = 200, description = "The order.", body = OrderDetail), (status = 401), (status = 404)))]
pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<OrderDetail>> {
    let (order, sight) = order_for(&state, &caller, &number, Act::Track).await?;
    Ok(Json(
        load_detail(&state.db, order, sight, state.clock.now()).await?,
    ))
}

/// The order `number` names, if `caller` may do `act` on it, and how they see it: its owner,
/// or a guest pass for it whose scope allows `act` (see [`Caller::may`]). Nobody signed in is
/// a 401; malformed, unknown, someone else's and beyond the pass's scope are one 404.
pub async fn order_for(
    state: &AppState,
    caller: &Caller,
    number: &str,
    act: Act,
) -> ApiResult<(OrderRow, Sight)> {
    if caller.is_anonymous() {
        return Err(ErrorCode::Unauthorized.into());
    }
    let not_found = || ApiError::from(ErrorCode::NotFound);
    let number = OrderNumber::from_wire(number).map_err(|_| not_found())?;
    let order = find_order(&state.db, &number)
        .await?
        .ok_or_else(not_found)?;
    match caller.may(act, order.id, order.customer_id) {
        Some(sight) => Ok((order, sight)),
        None => Err(not_found()),
    }
}

/// One stored order, as found by its number: enough to decide who may see it, and to draw it.
#[derive(sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub customer_id: i64,
    pub contact_email: String,
    /// The buyer's own phone (their account's), which proves the order like their email.
    pub buyer_phone: String,
    pub number: String,
    placed_at: i64,
    updated_at: i64,
    payment_state: String,
    subtotal_fen: i64,
    shipping_fen: i64,
    discount_fen: i64,
    total_fen: i64,
    recipient: String,
    pub recipient_phone: String,
    province: String,
    city: String,
    district: String,
    street: String,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    shipment_position: Option<i64>,
    sku: String,
    name: String,
    name_en: Option<String>,
    variant: String,
    variant_en: Option<String>,
    quantity: i64,
    unit_price_fen: i64,
    #[sqlx(try_from = "crate::db::Flag")]
    final_sale: bool,
}

#[derive(sqlx::FromRow)]
struct ShipmentRow {
    id: i64,
    position: i64,
    carrier: String,
    tracking_number: String,
    status: String,
    estimated_delivery: Option<String>,
    first_estimate: Option<String>,
    delivered_at: Option<i64>,
}

pub async fn find_order(db: &AnyPool, number: &OrderNumber) -> ApiResult<Option<OrderRow>> {
    Ok(sqlx::query_as::<_, OrderRow>(
        "SELECT o.id, o.customer_id, o.contact_email, c.phone AS buyer_phone, o.number, o.placed_at, o.updated_at, o.payment_state, o.subtotal_fen, o.shipping_fen, o.discount_fen, o.total_fen, o.recipient, o.recipient_phone, o.province, o.city, o.district, o.street FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = $1",
    )
    .bind(number.as_str())
    .fetch_optional(db)
    .await?)
}

/// One order with its items and parcels as `sight` sees it: masked for a guest pass, with the
/// returns it shows. `now` decides which promises are already missed.
pub async fn load_detail(
    db: &AnyPool,
    order: OrderRow,
    sight: Sight,
    now: i64,
) -> ApiResult<OrderDetail> {
    let masked = sight.masked();
    let order_id = order.id;
    // What of each line can be returned, judged as the returns module judges it (line order);
    // nothing is said to a caller who may not start a return on the order.
    let mut verdicts = if sight.starts_returns() {
        crate::returns::verdicts(db, &order, now).await?
    } else {
        Vec::new()
    }
    .into_iter();
    let items = sqlx::query_as::<_, ItemRow>(
        "SELECT shipment_position, sku, name, name_en, variant, variant_en, quantity, unit_price_fen, final_sale FROM order_items WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    let shipment_rows = sqlx::query_as::<_, ShipmentRow>(
        "SELECT id, position, carrier, tracking_number, status, estimated_delivery, first_estimate, delivered_at FROM shipments WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    // The order's returns, as far as its page lists them (the returns module writes them) and
    // as far as the caller may see them.
    let return_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, number, status FROM returns WHERE order_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    let returns = return_rows
        .into_iter()
        .filter(|(id, ..)| sight.shows_return(*id))
        .map(|(_, number, status)| {
            Ok(OrderReturn {
                number,
                status: ReturnStatus::parse(&status).ok_or(ApiError::Corrupt("a return status"))?,
            })
        })
        .collect::<ApiResult<_>>()?;
    let today = china_date(now);
    // Every checkpoint of the order in one query, newest first, then dealt out per parcel.
    let all_checkpoints: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT c.shipment_id, c.at, c.event, c.location FROM checkpoints c JOIN shipments s ON s.id = c.shipment_id WHERE s.order_id = $1 ORDER BY c.at DESC, c.id DESC",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    let mut shipments = Vec::with_capacity(shipment_rows.len());
    for row in shipment_rows {
        let checkpoints = all_checkpoints
            .iter()
            .filter(|(shipment, ..)| *shipment == row.id)
            .map(|(_, at, event, location)| (*at, event.clone(), location.clone()));
        let status =
            ShipmentStatus::parse(&row.status).ok_or(ApiError::Corrupt("a shipment status"))?;
        let delivered = status == ShipmentStatus::Delivered;
        let delayed = !delivered
            && match (&row.estimated_delivery, &row.first_estimate) {
                (Some(now), Some(first)) => now > first || *first < today,
                (None, Some(first)) => *first < today,
                _ => false,
            };
        shipments.push(Shipment {
            id: row.id,
            carrier: Carrier::parse(&row.carrier),
            tracking_number: row.tracking_number,
            status,
            estimated_delivery: if delivered {
                None
            } else {
                row.estimated_delivery.map(CalendarDate)
            },
            delayed,
            delivered_at: row.delivered_at.map(rfc3339),
            checkpoints: checkpoints
                .map(|(at, event, location)| {
                    Ok(Checkpoint {
                        at: rfc3339(at),
                        event: CheckpointEvent::parse(&event)
                            .ok_or(ApiError::Corrupt("a checkpoint event"))?,
                        location,
                    })
                })
                .collect::<ApiResult<_>>()?,
            items: items
                .iter()
                .filter(|i| i.shipment_position == Some(row.position))
                .map(|i| localized(i.name.clone(), i.name_en.clone()))
                .collect(),
        });
    }
    Ok(OrderDetail {
        number: OrderNumber::parse(&order.number)
            .map_err(|_| ApiError::Corrupt("an order number"))?,
        placed_at: rfc3339(order.placed_at),
        payment_state: PaymentState::parse(&order.payment_state)
            .ok_or(ApiError::Corrupt("a payment state"))?,
        amounts: Amounts {
            subtotal: Money::fen(order.subtotal_fen),
            shipping: Money::fen(order.shipping_fen),
            discount: Money::fen(order.discount_fen),
            total: Money::fen(order.total_fen),
        },
        items: items
            .into_iter()
            .map(|i| {
                // Nothing to say (none offered, no reason) where the caller is not told.
                let verdict = verdicts.next().unwrap_or_default();
                OrderItem {
                    sku: i.sku,
                    name: localized(i.name, i.name_en),
                    variant: localized(i.variant, i.variant_en),
                    quantity: i.quantity as u32,
                    unit_price: Money::fen(i.unit_price_fen),
                    final_sale: i.final_sale,
                    returnable_quantity: verdict.returnable,
                    return_by: verdict.return_by.map(rfc3339),
                    not_returnable: verdict.not_returnable,
                }
            })
            .collect(),
        shipments,
        address: if masked {
            DeliveryAddress {
                recipient: mask_name(&order.recipient),
                phone: mask_phone(&order.recipient_phone),
                province: order.province,
                city: order.city,
                district: order.district,
                street: None,
            }
        } else {
            DeliveryAddress {
                recipient: order.recipient,
                phone: order.recipient_phone,
                province: order.province,
                city: order.city,
                district: order.district,
                street: Some(order.street),
            }
        },
        masked,
        returns,
        updated_at: rfc3339(order.updated_at),
    })
}

/// A customer's orders.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(list))
        .routes(routes!(detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trouble_speaks_first_then_the_slowest_parcel() {
        use ShipmentStatus::*;
        assert_eq!(headline_status(&[Delivered, Exception]), Some(Exception));
        assert_eq!(headline_status(&[Delivered, InTransit]), Some(InTransit));
        assert_eq!(headline_status(&[Delivered]), Some(Delivered));
        assert_eq!(headline_status(&[]), None);
    }
}
