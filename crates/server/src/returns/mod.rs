//! Returns: what of an order can go back (and why not), from the order's lines, their parcels,
//! the returns already made and the buyer's tier. The rules are in `policy`, free of storage.

pub mod policy;

use crate::auth::Caller;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::orders::order_for;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use policy::{judge, window_days, LineFacts};
use portico_api::{Money, OrderNumber, ReturnEligibility, ReturnStatus, ReturnableItem, TierName};

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    position: i64,
    sku: String,
    name: String,
    variant: String,
    quantity: i64,
    unit_price_fen: i64,
    final_sale: bool,
    /// When the line's parcel was delivered (none while it is not, or has no parcel yet).
    delivered_at: Option<i64>,
}

/// What of the order can be returned now, line by line, with the reason where nothing can. Its
/// owner and a browser with a guest pass for it may ask; the window is the buyer's tier's.
#[utoipa::path(get, path = "/api/orders/{number}/returnable", tag = "returns", security(("session" = [])),
    params(("number" = OrderNumber, Path, description = "Order number, PT + 8 digits")),
    responses((status = 200, description = "Every line of the order.", body = ReturnEligibility), (status = 401), (status = 404)))]
pub async fn returnable(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<ReturnEligibility>> {
    let (order, _masked) = order_for(&state, &caller, &number).await?;
    let (tier,): (String,) = sqlx::query_as("SELECT tier FROM customers WHERE id = ?")
        .bind(order.customer_id)
        .fetch_one(&state.db)
        .await?;
    let tier = TierName::parse(&tier).ok_or(ApiError::Corrupt("a customer's tier"))?;
    let days = window_days(tier);
    let lines = sqlx::query_as::<_, LineRow>(
        "SELECT i.id, i.position, i.sku, i.name, i.variant, i.quantity, i.unit_price_fen, i.final_sale, \
         CASE WHEN s.status = 'delivered' THEN s.delivered_at END AS delivered_at \
         FROM order_items i LEFT JOIN shipments s ON s.order_id = i.order_id AND s.position = i.shipment_position \
         WHERE i.order_id = ? ORDER BY i.position",
    )
    .bind(order.id)
    .fetch_all(&state.db)
    .await?;
    let taken: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT ri.order_item_id, r.status, SUM(ri.quantity) FROM return_items ri \
         JOIN returns r ON r.id = ri.return_id WHERE r.order_id = ? GROUP BY ri.order_item_id, r.status",
    )
    .bind(order.id)
    .fetch_all(&state.db)
    .await?;
    let now = state.clock.now();
    let mut items = Vec::with_capacity(lines.len());
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
        let quantity = count(line.quantity, "an item quantity")?;
        let verdict = judge(
            LineFacts {
                quantity,
                final_sale: line.final_sale,
                delivered_at: line.delivered_at,
                returned,
                in_progress,
            },
            days,
            now,
        );
        items.push(ReturnableItem {
            line: count(line.position, "an item position")?,
            sku: line.sku,
            name: line.name,
            variant: line.variant,
            quantity,
            returnable_quantity: verdict.returnable,
            unit_price: Money::fen(line.unit_price_fen),
            return_by: verdict.return_by.map(rfc3339),
            not_returnable: verdict.not_returnable,
        });
    }
    let order_number =
        OrderNumber::from_wire(&order.number).map_err(|_| ApiError::Corrupt("an order number"))?;
    Ok(Json(ReturnEligibility {
        order: order_number,
        window_days: days,
        items,
    }))
}

/// A stored count as the contract's `u32`; a negative or huge one is a corrupt row.
fn count(stored: i64, what: &'static str) -> ApiResult<u32> {
    u32::try_from(stored).map_err(|_| ApiError::Corrupt(what))
}
