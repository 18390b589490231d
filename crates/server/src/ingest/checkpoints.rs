//! Carrier checkpoints of parcels sent before (`POST /api/ingest/checkpoints`, by the parcel's
//! id), of a parcel known by its tracking number (Kuaidi100's push, `kuaidi100.rs`), and of an
//! order's parcels (`orders.rs`): each through the step every parcel's move takes
//! (`tracking::record`): kept once (by its id, or its time, event and location), one older than
//! the parcel's newest joining the history without moving the parcel.

use super::batch::{external_id, read, refusal, text, time, Failed, Refusal, Taken};
use crate::error::ApiError;
use crate::state::AppState;
use crate::tracking::{self, Move, Recorded};
use portico_api::{
    Carrier, CheckpointEvent, CheckpointRecord, Outcome, ShipmentCheckpoint, UtcTime,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// A checkpoint of the parcel with a tracking number (of a carrier, where several share it).
#[derive(serde::Deserialize)]
struct TrackedCheckpoint {
    tracking_number: String,
    carrier: Carrier,
    id: Option<String>,
    at: UtcTime,
    event: CheckpointEvent,
    location: String,
}

/// What a checkpoint says, whichever record brought it: the source's id for it (if any), its
/// time, event and location, as sent.
pub(super) struct Sighting<'a> {
    id: Option<&'a str>,
    at: &'a str,
    event: CheckpointEvent,
    location: &'a str,
}

impl<'a> Sighting<'a> {
    fn new(
        id: &'a Option<String>,
        at: &'a UtcTime,
        event: CheckpointEvent,
        location: &'a str,
    ) -> Self {
        Sighting {
            id: id.as_deref(),
            at: &at.0,
            event,
            location,
        }
    }

    /// An order's parcel's checkpoint.
    pub(super) fn of(checkpoint: &'a CheckpointRecord) -> Self {
        Sighting::new(
            &checkpoint.id,
            &checkpoint.at,
            checkpoint.event,
            &checkpoint.location,
        )
    }

    /// Its fields checked: its id's form, its time, its location's length; its time and
    /// location as kept. `prefix` is the path to the checkpoint in its record.
    pub(super) fn checked(&self, prefix: &str) -> Result<(i64, String), Refusal> {
        if let Some(id) = self.id {
            external_id(&format!("{prefix}id"), id)?;
        }
        let at = time(&format!("{prefix}at"), self.at)?;
        let location = text(&format!("{prefix}location"), self.location, 200, true)?;
        Ok((at, location))
    }
}

/// The key a checkpoint is known by: its source's id, or its time, event and location.
pub fn source_key(id: Option<&str>, at: i64, event: &str, location: &str) -> String {
    match id {
        Some(id) => format!("id:{id}"),
        None => {
            let digest = Sha256::digest(format!("{at}\n{event}\n{location}").as_bytes());
            format!("h:{}", hex::encode(&digest[..16]))
        }
    }
}

/// One checkpoint of the parcel with shipment id `shipment`, through the same step as every
/// parcel's move; and the parcel's buyer.
pub(super) async fn record(
    state: &AppState,
    db: &mut AnyConnection,
    shipment: i64,
    sighting: &Sighting<'_>,
) -> Result<(Recorded, i64), Failed> {
    let parcel = tracking::parcel(&mut *db, shipment)
        .await?
        .ok_or(ApiError::Corrupt("a shipment just read or written"))?;
    let (at, location) = sighting.checked("")?;
    let key = source_key(sighting.id, at, sighting.event.as_str(), &location);
    let step = Move {
        at,
        event: sighting.event,
        location: &location,
        status: tracking::status_after(sighting.event),
        source_key: Some(&key),
    };
    let recorded = tracking::record(state, db, &parcel, &step).await?;
    Ok((recorded, parcel.customer_id))
}

/// One checkpoint of a parcel sent before, by the parcel's id.
pub(super) async fn take(state: &AppState, db: &mut AnyConnection, record: &Value) -> Taken {
    let record: ShipmentCheckpoint = read(record)?;
    external_id("shipment", &record.shipment)?;
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM shipments WHERE external_id = $1")
        .bind(&record.shipment)
        .fetch_optional(&mut *db)
        .await?;
    let id = id.ok_or_else(|| refusal("shipment", "no parcel has this id"))?;
    let sighting = Sighting::new(&record.id, &record.at, record.event, &record.location);
    on_parcel(state, db, id, &sighting).await
}

/// One checkpoint of the parcel with a tracking number: of the carrier named where several
/// parcels have it, else the newest of them.
pub(super) async fn take_tracked(
    state: &AppState,
    db: &mut AnyConnection,
    record: &Value,
) -> Taken {
    let record: TrackedCheckpoint = read(record)?;
    let parcels: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, carrier FROM shipments WHERE tracking_number = $1 ORDER BY id DESC",
    )
    .bind(&record.tracking_number)
    .fetch_all(&mut *db)
    .await?;
    let id = parcels
        .iter()
        .find(|(_, carrier)| Carrier::parse(carrier) == record.carrier)
        .or(parcels.first())
        .map(|(id, _)| *id)
        .ok_or_else(|| refusal("tracking_number", "no parcel has this tracking number"))?;
    let sighting = Sighting::new(&record.id, &record.at, record.event, &record.location);
    on_parcel(state, db, id, &sighting).await
}

/// A checkpoint record's outcome: `unchanged` when it was known, else `added` (kept, the parcel
/// moved or not), its buyer's tier to refresh.
async fn on_parcel(
    state: &AppState,
    db: &mut AnyConnection,
    shipment: i64,
    sighting: &Sighting<'_>,
) -> Taken {
    Ok(match record(state, db, shipment, sighting).await? {
        (Recorded::Known, _) => (Outcome::Unchanged, None),
        (Recorded::Kept | Recorded::Moved, buyer) => (Outcome::Added, Some(buyer)),
    })
}
