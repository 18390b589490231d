//! Demo-only endpoints: the outbox of "sent" messages, and moving parcels along their route.
//! Both answer `disabled` unless the server runs with `--demo`.

use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use portico_api::{CheckpointEvent, ErrorCode, OutboxMessage, ShipmentStatus};
use serde::Serialize;
use sqlx::SqlitePool;

fn demo_only(state: &AppState) -> ApiResult<()> {
    if state.config.demo {
        Ok(())
    } else {
        Err(ErrorCode::Disabled.into())
    }
}

/// The messages the demo "sent", newest first (at most 100). Demo mode only.
#[utoipa::path(get, path = "/api/dev/outbox", tag = "demo",
    responses((status = 200, description = "Newest first.", body = Vec<OutboxMessage>), (status = 404)))]
pub async fn outbox(State(state): State<AppState>) -> ApiResult<Json<Vec<OutboxMessage>>> {
    demo_only(&state)?;
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, body, created_at FROM outbox ORDER BY id DESC LIMIT 100",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, to, subject, body, at)| OutboxMessage {
                id,
                to,
                subject,
                body,
                sent_at: rfc3339(at),
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Advanced {
    /// How many parcels moved one step.
    pub advanced: u32,
}

/// Moves every moving demo parcel one step. Demo mode only.
#[utoipa::path(post, path = "/api/dev/advance-shipments", tag = "demo",
    responses((status = 200, description = "How many parcels moved.", body = Advanced), (status = 403), (status = 404)))]
pub async fn advance(State(state): State<AppState>) -> ApiResult<Json<Advanced>> {
    demo_only(&state)?;
    let advanced = advance_shipments(&state.db, state.clock.now()).await?;
    Ok(Json(Advanced { advanced }))
}

#[derive(sqlx::FromRow)]
struct Moving {
    id: i64,
    order_id: i64,
    status: String,
    route: String,
    route_step: i64,
    city: String,
    district: String,
}

/// Moves every parcel that is on its way one step: picked up, through the next facility, out
/// for delivery, delivered. Parcels in trouble stay as they are, so the demo keeps every state.
pub async fn advance_shipments(db: &SqlitePool, now: i64) -> Result<u32, ApiError> {
    let moving = sqlx::query_as::<_, Moving>(
        "SELECT s.id, s.order_id, s.status, s.route, s.route_step, o.city, o.district FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.status IN ('info_received', 'in_transit', 'out_for_delivery')",
    )
    .fetch_all(db)
    .await?;
    let mut tx = db.begin().await?;
    for parcel in &moving {
        let route: Vec<&str> = parcel.route.split('|').filter(|s| !s.is_empty()).collect();
        let step = parcel.route_step.max(0) as usize;
        let local = format!("{}{} 营业部", parcel.city, parcel.district);
        let (status, event, location, step) = match ShipmentStatus::parse(&parcel.status)
            .ok_or(ApiError::Corrupt("a shipment status"))?
        {
            ShipmentStatus::InfoReceived => (
                ShipmentStatus::InTransit,
                CheckpointEvent::PickedUp,
                route.first().copied().unwrap_or("发货仓").to_string(),
                step,
            ),
            ShipmentStatus::InTransit if step < route.len() => (
                ShipmentStatus::InTransit,
                if step.is_multiple_of(2) {
                    CheckpointEvent::ArrivedFacility
                } else {
                    CheckpointEvent::DepartedFacility
                },
                route[step].to_string(),
                step + 1,
            ),
            ShipmentStatus::InTransit => (
                ShipmentStatus::OutForDelivery,
                CheckpointEvent::OutForDelivery,
                local,
                step,
            ),
            _ => (
                ShipmentStatus::Delivered,
                CheckpointEvent::Delivered,
                local,
                step,
            ),
        };
        sqlx::query(
            "INSERT INTO checkpoints (shipment_id, at, event, location) VALUES (?, ?, ?, ?)",
        )
        .bind(parcel.id)
        .bind(now)
        .bind(event.as_str())
        .bind(&location)
        .execute(&mut *tx)
        .await?;
        let delivered_at = (status == ShipmentStatus::Delivered).then_some(now);
        sqlx::query(
            "UPDATE shipments SET status = ?, route_step = ?, delivered_at = COALESCE(?, delivered_at) WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(step as i64)
        .bind(delivered_at)
        .bind(parcel.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE orders SET updated_at = ? WHERE id = ?")
            .bind(now)
            .bind(parcel.order_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(moving.len() as u32)
}
