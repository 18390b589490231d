//! Orders by the retailer's id (`POST /api/ingest/orders`), with their lines (by their place),
//! payment state and amounts, and parcels (by the retailer's id, with any checkpoints known,
//! taken as `checkpoints.rs` takes them). The buyer must have been sent before.

use super::batch::{external_id, phone, read, refusal, taken_already, text, time, Taken};
use super::checkpoints::{self, Sighting};
use crate::state::AppState;
use portico_api::{OrderNumber, OrderRecord, Outcome};
use serde_json::Value;
use sqlx::AnyConnection;

/// One order record, added or updated (or unchanged: no newer than the one taken).
pub(super) async fn take(state: &AppState, db: &mut AnyConnection, record: &Value) -> Taken {
    let record: OrderRecord = read(record)?;
    external_id("id", &record.id)?;
    let version = time("updated_at", &record.updated_at.0)?;
    let placed_at = time("placed_at", &record.placed_at.0)?;
    let number =
        OrderNumber::from_wire(&record.number).map_err(|_| refusal("number", "PT and 8 digits"))?;
    external_id("customer", &record.customer)?;
    let amounts = &record.amounts;
    for (field, money) in [
        ("amounts/subtotal", amounts.subtotal),
        ("amounts/shipping", amounts.shipping),
        ("amounts/discount", amounts.discount),
        ("amounts/total", amounts.total),
    ] {
        if money.fen < 0 {
            return Err(refusal(field, "fen, 0 or more").into());
        }
    }
    let address = &record.address;
    let recipient = text("address/recipient", &address.recipient, 100, false)?;
    let recipient_phone = phone("address/phone", &address.phone)?;
    let province = text("address/province", &address.province, 100, false)?;
    let city = text("address/city", &address.city, 100, false)?;
    let district = text("address/district", &address.district, 100, false)?;
    let street = text("address/street", &address.street, 200, false)?;
    if record.items.is_empty() || record.items.len() > 100 {
        return Err(refusal("items", "an order has 1 to 100 lines").into());
    }
    if record.shipments.len() > 20 {
        return Err(refusal("shipments", "an order has at most 20 parcels").into());
    }
    for (i, shipment) in record.shipments.iter().enumerate() {
        external_id(&format!("shipments/{i}/id"), &shipment.id)?;
        if record.shipments[..i].iter().any(|s| s.id == shipment.id) {
            return Err(refusal(&format!("shipments/{i}/id"), "named twice").into());
        }
        let tracking = &shipment.tracking_number;
        let shaped = (4..=40).contains(&tracking.len())
            && tracking
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !shaped {
            return Err(refusal(
                &format!("shipments/{i}/tracking_number"),
                "4 to 40 letters, digits or '-'",
            )
            .into());
        }
        if let Some(date) = &shipment.estimated_delivery {
            let iso = time::Date::parse(
                &date.0,
                &time::macros::format_description!("[year]-[month]-[day]"),
            );
            if iso.is_err() {
                return Err(refusal(
                    &format!("shipments/{i}/estimated_delivery"),
                    "a date, YYYY-MM-DD",
                )
                .into());
            }
        }
        if shipment.checkpoints.len() > 200 {
            return Err(refusal(
                &format!("shipments/{i}/checkpoints"),
                "a parcel brings at most 200 checkpoints",
            )
            .into());
        }
        for (j, checkpoint) in shipment.checkpoints.iter().enumerate() {
            Sighting::of(checkpoint).checked(&format!("shipments/{i}/checkpoints/{j}/"))?;
        }
    }
    let mut lines = Vec::with_capacity(record.items.len());
    for (i, item) in record.items.iter().enumerate() {
        let field = |name: &str| format!("items/{i}/{name}");
        let sku = text(&field("sku"), &item.sku, 64, false)?;
        let name_zh = text(&field("name/zh-CN"), &item.name.zh_cn, 200, true)?;
        let name_en = text(&field("name/en"), &item.name.en, 200, true)?;
        if name_zh.is_empty() && name_en.is_empty() {
            return Err(refusal(&field("name"), "a name in at least one language").into());
        }
        let variant = text(&field("variant/zh-CN"), &item.variant.zh_cn, 200, true)?;
        let variant_en = text(&field("variant/en"), &item.variant.en, 200, true)?;
        if !(1..=10_000).contains(&item.quantity) {
            return Err(refusal(&field("quantity"), "1 to 10000").into());
        }
        if item.unit_price.fen < 0 {
            return Err(refusal(&field("unit_price"), "fen, 0 or more").into());
        }
        let parcel = match &item.shipment {
            None => None,
            Some(id) => Some(
                record
                    .shipments
                    .iter()
                    .position(|s| &s.id == id)
                    .ok_or_else(|| {
                        refusal(&field("shipment"), "not one of the order's shipments")
                    })? as i64,
            ),
        };
        lines.push((sku, name_zh, name_en, variant, variant_en, parcel, item));
    }
    let buyer: Option<(i64, String)> =
        sqlx::query_as("SELECT id, email FROM customers WHERE external_id = $1")
            .bind(&record.customer)
            .fetch_optional(&mut *db)
            .await?;
    let (buyer, email) = buyer.ok_or_else(|| refusal("customer", "no customer has this id"))?;
    let known: Option<(i64, Option<i64>, i64)> =
        sqlx::query_as("SELECT id, source_version, updated_at FROM orders WHERE external_id = $1")
            .bind(&record.id)
            .fetch_optional(&mut *db)
            .await?;
    if taken_already(known.and_then(|(_, taken, _)| taken), version) {
        return Ok((Outcome::Unchanged, None));
    }
    let holder: Option<i64> = sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(number.as_str())
        .fetch_optional(&mut *db)
        .await?;
    if holder.is_some_and(|holder| Some(holder) != known.map(|(id, ..)| id)) {
        return Err(refusal("number", "another order has this number").into());
    }
    // The same values for both statements: the row the retailer's id names, kept or made.
    let sql = if known.is_some() {
        UPDATE_ORDER
    } else {
        INSERT_ORDER
    };
    let order_id: i64 = sqlx::query_scalar(sql)
        .bind(number.as_str())
        .bind(buyer)
        .bind(placed_at)
        .bind(known.map_or(version, |(.., updated_at)| updated_at.max(version)))
        .bind(record.payment_state.as_str())
        .bind(amounts.subtotal.fen)
        .bind(amounts.shipping.fen)
        .bind(amounts.discount.fen)
        .bind(amounts.total.fen)
        .bind(&email)
        .bind(&recipient)
        .bind(&recipient_phone)
        .bind(&province)
        .bind(&city)
        .bind(&district)
        .bind(&street)
        .bind(version)
        .bind(&record.id)
        .fetch_one(&mut *db)
        .await?;
    // The lines, by their place: rewritten in place (a return names a line by its row), extra
    // old lines removed unless a return took them.
    for (position, (sku, name, name_en, variant, variant_en, parcel, item)) in
        lines.iter().enumerate()
    {
        let none_if_empty = |text: &String| (!text.is_empty()).then(|| text.clone());
        // Rewritten where the place has a line, else added: the same values for both.
        for sql in [UPDATE_LINE, INSERT_LINE] {
            let written = sqlx::query(sql)
                .bind(*parcel)
                .bind(sku)
                .bind(name)
                .bind(none_if_empty(name_en))
                .bind(variant)
                .bind(none_if_empty(variant_en))
                .bind(i64::from(item.quantity))
                .bind(item.unit_price.fen)
                .bind(item.final_sale)
                .bind(order_id)
                .bind(position as i64)
                .execute(&mut *db)
                .await?
                .rows_affected();
            if written > 0 {
                break;
            }
        }
    }
    let returned: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM return_items ri JOIN order_items i ON i.id = ri.order_item_id \
         WHERE i.order_id = $1 AND i.position >= $2",
    )
    .bind(order_id)
    .bind(lines.len() as i64)
    .fetch_one(&mut *db)
    .await?;
    if returned > 0 {
        return Err(refusal("items", "a line a return took cannot be taken away").into());
    }
    sqlx::query("DELETE FROM order_items WHERE order_id = $1 AND position >= $2")
        .bind(order_id)
        .bind(lines.len() as i64)
        .execute(&mut *db)
        .await?;
    for (position, shipment) in record.shipments.iter().enumerate() {
        let field = format!("shipments/{position}/id");
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT order_id FROM shipments WHERE external_id = $1")
                .bind(&shipment.id)
                .fetch_optional(&mut *db)
                .await?;
        if owner.is_some_and(|other| other != order_id) {
            return Err(refusal(&field, "another order's parcel has this id").into());
        }
        let estimated = shipment.estimated_delivery.as_ref().map(|d| d.0.clone());
        let sql = if owner.is_some() {
            UPDATE_PARCEL
        } else {
            INSERT_PARCEL
        };
        let shipment_id: i64 = sqlx::query_scalar(sql)
            .bind(position as i64)
            .bind(shipment.carrier.as_str())
            .bind(&shipment.tracking_number)
            .bind(&estimated)
            .bind(&estimated)
            .bind(order_id)
            .bind(&shipment.id)
            .fetch_one(&mut *db)
            .await?;
        for checkpoint in &shipment.checkpoints {
            checkpoints::record(state, &mut *db, shipment_id, &Sighting::of(checkpoint)).await?;
        }
    }
    let outcome = if known.is_some() {
        Outcome::Updated
    } else {
        Outcome::Added
    };
    Ok((outcome, Some(buyer)))
}

/// An order row by the retailer's id (`$18`), kept: `updated_at` never goes back.
const UPDATE_ORDER: &str = "UPDATE orders SET number = $1, customer_id = $2, placed_at = $3, updated_at = $4, \
    payment_state = $5, subtotal_fen = $6, shipping_fen = $7, discount_fen = $8, total_fen = $9, contact_email = $10, \
    recipient = $11, recipient_phone = $12, province = $13, city = $14, district = $15, street = $16, \
    source_version = $17 WHERE external_id = $18 RETURNING id";
/// An order row by the retailer's id, made.
const INSERT_ORDER: &str = "INSERT INTO orders (number, customer_id, placed_at, updated_at, payment_state, \
    subtotal_fen, shipping_fen, discount_fen, total_fen, contact_email, recipient, recipient_phone, province, city, \
    district, street, source_version, external_id) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id";
/// An order's line at its place (`$10`, `$11`), rewritten: a return names it by its row.
const UPDATE_LINE: &str =
    "UPDATE order_items SET shipment_position = $1, sku = $2, name = $3, name_en = $4, \
    variant = $5, variant_en = $6, quantity = $7, unit_price_fen = $8, final_sale = $9 \
    WHERE order_id = $10 AND position = $11";
/// An order's line at a place that had none.
const INSERT_LINE: &str = "INSERT INTO order_items (shipment_position, sku, name, name_en, variant, variant_en, \
    quantity, unit_price_fen, final_sale, order_id, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// An order's parcel by the retailer's id (`$7`), kept: its first estimate stays the first.
const UPDATE_PARCEL: &str =
    "UPDATE shipments SET position = $1, carrier = $2, tracking_number = $3, \
    estimated_delivery = $4, first_estimate = COALESCE(first_estimate, $5) \
    WHERE order_id = $6 AND external_id = $7 RETURNING id";
/// An order's parcel by the retailer's id, made: its information received, no route of the demo's.
const INSERT_PARCEL: &str =
    "INSERT INTO shipments (position, carrier, tracking_number, estimated_delivery, \
    first_estimate, order_id, external_id, status, route, route_step) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'info_received', '', 0) RETURNING id";
