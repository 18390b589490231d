//! A parcel's moves, whoever reports them (the demo's mover in `dev.rs`, the retailer's systems and
//! the carrier's push in `ingest/`): a checkpoint kept once, the parcel's status moved only by a
//! checkpoint at least as new as the newest it has (an older one joins the history and moves
//! nothing), the order's `updated_at`, and a parcel delivered invites its buyer to a survey about
//! the delivery (`surveys::invite_after`). Return eligibility and tier spend follow from the
//! parcel's status and `delivered_at`, which the returns and loyalty modules read.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use portico_api::{CheckpointEvent, ShipmentStatus, Touchpoint};
use sqlx::AnyConnection;

/// A parcel as a move needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Parcel {
    pub id: i64,
    pub order_id: i64,
    /// The order's number (a survey's reference).
    pub number: String,
    pub customer_id: i64,
    pub status: String,
    pub delivered_at: Option<i64>,
    /// When its newest checkpoint happened.
    pub newest: Option<i64>,
}

/// What [`Parcel`]'s columns are read from (`FROM shipments s JOIN orders o`).
pub const PARCEL_COLUMNS: &str = "s.id, s.order_id, o.number, o.customer_id, s.status, \
     s.delivered_at, (SELECT MAX(c.at) FROM checkpoints c WHERE c.shipment_id = s.id) AS newest";

/// The parcel with shipment id `id`.
pub async fn parcel(db: &mut AnyConnection, id: i64) -> ApiResult<Option<Parcel>> {
    Ok(sqlx::query_as::<_, Parcel>(&format!(
        "SELECT {PARCEL_COLUMNS} FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// Where a parcel is after `event`.
pub fn status_after(event: CheckpointEvent) -> ShipmentStatus {
    use CheckpointEvent as E;
    match event {
        E::LabelCreated => ShipmentStatus::InfoReceived,
        E::PickedUp | E::DepartedFacility | E::ArrivedFacility | E::WeatherDelay => {
            ShipmentStatus::InTransit
        }
        E::OutForDelivery => ShipmentStatus::OutForDelivery,
        E::Delivered => ShipmentStatus::Delivered,
        E::DeliveryAttempted => ShipmentStatus::DeliveryAttempted,
        E::AddressIssue => ShipmentStatus::Exception,
        E::ReturnedToSender => ShipmentStatus::ReturnedToSender,
    }
}

/// One checkpoint of a parcel.
pub struct Move<'a> {
    pub at: i64,
    pub event: CheckpointEvent,
    pub location: &'a str,
    /// The parcel's status after it.
    pub status: ShipmentStatus,
    /// The source's key for the event: the same key twice is one checkpoint (none: always new).
    pub source_key: Option<&'a str>,
}

/// What a checkpoint did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The parcel had it already: nothing changed.
    Known,
    /// Kept in the history; older than the parcel's newest, so the parcel stays where it is.
    Kept,
    /// Kept, and the parcel is where it says.
    Moved,
}

/// Records `step` of `parcel` in the write transaction `tx` (its messages are queued in it).
pub async fn record(
    state: &AppState,
    tx: &mut AnyConnection,
    parcel: &Parcel,
    step: &Move<'_>,
) -> ApiResult<Recorded> {
    let kept = sqlx::query(
        "INSERT INTO checkpoints (shipment_id, at, event, location, source_key) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (shipment_id, source_key) DO NOTHING",
    )
    .bind(parcel.id)
    .bind(step.at)
    .bind(step.event.as_str())
    .bind(step.location)
    .bind(step.source_key)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !kept {
        return Ok(Recorded::Known);
    }
    if parcel.newest.is_some_and(|newest| step.at < newest) {
        return Ok(Recorded::Kept);
    }
    let was =
        ShipmentStatus::parse(&parcel.status).ok_or(ApiError::Corrupt("a shipment status"))?;
    let delivered = step.status == ShipmentStatus::Delivered;
    // The first delivery stays the delivery (a second "delivered" scan changes no window).
    let delivered_at = if delivered {
        parcel.delivered_at.or(Some(step.at))
    } else {
        None
    };
    sqlx::query("UPDATE shipments SET status = $1, delivered_at = $2 WHERE id = $3")
        .bind(step.status.as_str())
        .bind(delivered_at)
        .bind(parcel.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE orders SET updated_at = $1 WHERE id = $2 AND updated_at < $3")
        .bind(step.at)
        .bind(parcel.order_id)
        .bind(step.at)
        .execute(&mut *tx)
        .await?;
    if delivered && was != ShipmentStatus::Delivered {
        let service = crate::surveys::Service {
            customer: parcel.customer_id,
            touchpoint: Touchpoint::Delivery,
            reference: parcel.number.clone(),
            served_at: step.at,
        };
        crate::surveys::invite_after(state, &mut *tx, service).await;
    }
    Ok(Recorded::Moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_leaves_the_parcel_somewhere_it_can_be() {
        for event in CheckpointEvent::ALL {
            let status = status_after(event);
            // Only a delivery delivers, and only a return to sender ends a journey otherwise.
            assert_eq!(
                status == ShipmentStatus::Delivered,
                event == CheckpointEvent::Delivered
            );
            assert_eq!(
                !status.is_moving(),
                matches!(
                    event,
                    CheckpointEvent::Delivered | CheckpointEvent::ReturnedToSender
                )
            );
        }
    }
}
