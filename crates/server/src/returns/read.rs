//! Reading returns back: who may (`return_for`), one return (`detail`, `load_return`) and the
//! caller's list, newest first.

use super::*;
use std::collections::HashMap;

/// The id of return `number` and of its order, if `caller` may read, cancel or reschedule it and
/// fetch its QR code (the owner of its order, the buyer's guest pass for that order, or this
/// return's link; see [`Caller::may`]); nobody signed in is a 401, anything else one 404 (a
/// recipient's pass too).
pub(crate) async fn return_for(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> ApiResult<(i64, i64)> {
    if caller.is_anonymous() {
        return Err(ErrorCode::Unauthorized.into());
    }
    let found: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.id, o.id, o.customer_id FROM returns r JOIN orders o ON o.id = r.order_id WHERE r.number = $1",
    )
    .bind(number)
    .fetch_optional(&state.db)
    .await?;
    match found {
        Some((id, order, customer)) if caller.may(Act::Return(id), order, customer).is_some() => {
            Ok((id, order))
        }
        _ => Err(ErrorCode::NotFound.into()),
    }
}

/// One return, for the owner of its order, the buyer's guest pass for that order or this
/// return's link.
#[utoipa::path(get, path = "/api/returns/{number}", tag = "returns", operation_id = "return_detail", security(("session" = [])),
    params(("number" = String, Path, description = "Return number, R + 8 digits")),
    responses((status = 200, description = "The return.", body = ReturnDetail), (status = 401), (status = 404)))]
pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Json<ReturnDetail>> {
    let (id, _) = return_for(&state, &caller, &number).await?;
    Ok(Json(load_return(&state.db, id).await?))
}

/// The caller's returns, newest first: a customer's, those of the order the buyer's guest pass
/// is for, or the one return a link's pass is for. A recipient's pass lists none: 401, as for
/// nobody.
#[utoipa::path(get, path = portico_api::paths::RETURNS, tag = "returns", operation_id = "list_returns", security(("session" = [])),
    responses((status = 200, description = "Newest first (at most 100).", body = Vec<ReturnDetail>), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ReturnDetail>>> {
    let (filter, id) = match caller.returns_listed() {
        Some(Listed::Customer(customer)) => ("o.customer_id = $1", customer),
        Some(Listed::Order(order)) => ("r.order_id = $1", order),
        Some(Listed::One(id)) => ("r.id = $1", id),
        None => return Err(ErrorCode::Unauthorized.into()),
    };
    Ok(Json(load_returns(&state.db, filter, id).await?))
}

/// `R` + 8 digits, from the row's id.
pub(super) fn return_number(id: i64) -> String {
    format!("R{:08}", 20_000_000 + id)
}

#[derive(sqlx::FromRow)]
struct ReturnRow {
    id: i64,
    number: String,
    order_number: String,
    status: String,
    reason: String,
    resolution: String,
    handover: String,
    refund_fen: i64,
    pickup_starts_at: Option<i64>,
    pickup_fee_fen: i64,
    drop_off_code: Option<String>,
    created_at: i64,
    updated_at: i64,
    /// Set once a reviewer decided it (`return_reviews`).
    decided_at: Option<i64>,
    decision_reason: Option<String>,
}

/// One line of a return as stored, for [`ReturnedLineRow::line`].
#[derive(sqlx::FromRow)]
pub(crate) struct ReturnedLineRow {
    pub(crate) return_id: i64,
    position: i64,
    name: String,
    name_en: Option<String>,
    variant: String,
    variant_en: Option<String>,
    quantity: i64,
    unit_price_fen: i64,
    exchange_sku: Option<String>,
    exchange_variant: Option<String>,
    exchange_variant_en: Option<String>,
}

/// Every column of [`ReturnedLineRow`]; the caller adds its `WHERE` (on `ri.return_id`) and
/// orders by `ri.return_id, i.position`.
pub(crate) const RETURNED_LINES: &str =
    "SELECT ri.return_id, i.position, i.name, i.name_en, i.variant, i.variant_en, ri.quantity, \
     i.unit_price_fen, ri.exchange_sku, v.variant AS exchange_variant, v.variant_en AS exchange_variant_en \
     FROM return_items ri JOIN order_items i ON i.id = ri.order_item_id \
     LEFT JOIN variants v ON v.sku = ri.exchange_sku";

impl ReturnedLineRow {
    /// The line as the contract names it.
    pub(crate) fn line(self) -> ApiResult<ReturnedLine> {
        let exchange_for = match (self.exchange_sku, self.exchange_variant) {
            (None, _) => None,
            (Some(sku), Some(variant)) => Some(ReturnedVariant {
                sku,
                variant: localized(variant, self.exchange_variant_en),
            }),
            (Some(_), None) => return Err(ApiError::Corrupt("an exchange's variant")),
        };
        Ok(ReturnedLine {
            line: count(self.position + 1, "an item position")?,
            name: localized(self.name, self.name_en),
            variant: localized(self.variant, self.variant_en),
            quantity: count(self.quantity, "a returned quantity")?,
            unit_price: Money::fen(self.unit_price_fen),
            exchange_for,
        })
    }
}

pub(crate) async fn load_return(db: &AnyPool, id: i64) -> ApiResult<ReturnDetail> {
    let mut one = load_returns(db, "r.id = $1", id).await?;
    Ok(one.pop().ok_or(sqlx::Error::RowNotFound)?)
}

/// The returns `filter` (a condition on `r`, the return, and `o`, its order, binding `$1` to
/// `bound`) picks, newest first (at most 100), in two reads (the returns, then all their lines),
/// whatever their number.
async fn load_returns(db: &AnyPool, filter: &str, bound: i64) -> ApiResult<Vec<ReturnDetail>> {
    let picked = format!(
        "FROM returns r JOIN orders o ON o.id = r.order_id WHERE {filter} \
         ORDER BY r.created_at DESC, r.id DESC LIMIT 100"
    );
    // Both reads in one transaction: the lines are those of the very returns read.
    let mut tx = db.begin().await?;
    let rows: Vec<ReturnRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.number, o.number AS order_number, r.status, r.reason, r.resolution, r.handover, \
         r.refund_fen, r.pickup_starts_at, r.pickup_fee_fen, r.drop_off_code, r.created_at, r.updated_at, \
         v.decided_at, v.reason AS decision_reason \
         FROM returns r JOIN orders o ON o.id = r.order_id LEFT JOIN return_reviews v ON v.return_id = r.id \
         WHERE r.id IN (SELECT r.id {picked}) ORDER BY r.created_at DESC, r.id DESC"
    ))
    .bind(bound)
    .fetch_all(&mut *tx)
    .await?;
    let lines: Vec<ReturnedLineRow> = sqlx::query_as(&format!(
        "{RETURNED_LINES} WHERE ri.return_id IN (SELECT r.id {picked}) ORDER BY ri.return_id, i.position"
    ))
    .bind(bound)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut lines_of = by_return(lines)?;
    rows.into_iter()
        .map(|row| {
            let lines = lines_of.remove(&row.id).unwrap_or_default();
            detail_of(row, lines)
        })
        .collect()
}

/// Lines read for many returns (ordered by return), as the contract names them, by return.
pub(crate) fn by_return(lines: Vec<ReturnedLineRow>) -> ApiResult<HashMap<i64, Vec<ReturnedLine>>> {
    let mut lines_of: HashMap<i64, Vec<ReturnedLine>> = HashMap::new();
    for line in lines {
        lines_of
            .entry(line.return_id)
            .or_default()
            .push(line.line()?);
    }
    Ok(lines_of)
}

/// A return as the contract names it, from its row and its lines.
fn detail_of(row: ReturnRow, lines: Vec<ReturnedLine>) -> ApiResult<ReturnDetail> {
    let corrupt = ApiError::Corrupt;
    let status = ReturnStatus::parse(&row.status).ok_or(corrupt("a return status"))?;
    let resolution = Resolution::parse(&row.resolution).ok_or(corrupt("a resolution"))?;
    let pickup_ends_at = row
        .pickup_starts_at
        .map(|start| start.saturating_add(PICKUP_WINDOW_SECS));
    Ok(ReturnDetail {
        number: row.number,
        order: OrderNumber::from_wire(&row.order_number).map_err(|_| corrupt("an order number"))?,
        status,
        lines,
        reason: ReturnReason::parse(&row.reason).ok_or(corrupt("a return reason"))?,
        resolution,
        handover: Handover::parse(&row.handover).ok_or(corrupt("a hand-over"))?,
        refund: Money::fen(row.refund_fen),
        pickup_fee: Money::fen(row.pickup_fee_fen),
        pickup: row
            .pickup_starts_at
            .zip(pickup_ends_at)
            .map(|(start, end)| PickupBooking {
                starts_at: rfc3339(start),
                ends_at: rfc3339(end),
            }),
        drop_off_code: row.drop_off_code,
        settle_days: settle_days(resolution),
        settles_by: settles_by(status, resolution, pickup_ends_at, row.updated_at).map(rfc3339),
        created_at: rfc3339(row.created_at),
        decided_at: row.decided_at.map(rfc3339),
        decision_reason: row.decision_reason,
    })
}

/// A stored count as the contract's `u32`; a negative or huge one is a corrupt row.
pub(crate) fn count(stored: i64, what: &'static str) -> ApiResult<u32> {
    u32::try_from(stored).map_err(|_| ApiError::Corrupt(what))
}
