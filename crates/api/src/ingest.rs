//! The retailer's data in: integration keys as admins manage them, and the records the retailer's
//! systems send to `/api/ingest/...` (customers; orders with their items, payment and parcels;
//! carrier checkpoints), each by the retailer's own id, and what became of each record.

use crate::{Amounts, CalendarDate, Carrier, CheckpointEvent, ErrorCode, Localized, Money};
use crate::{PaymentState, UtcTime};
use serde::{Deserialize, Serialize};

/// The most characters an integration's name has.
pub const INTEGRATION_NAME_MAX_CHARS: usize = 100;
/// The most records one ingest request carries.
pub const INGEST_MAX_RECORDS: usize = 500;

/// An integration key as admins see it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationKey {
    pub id: i64,
    /// What a signed request names in `X-Portico-Key`: `ik_` and 24 lower-case letters and digits.
    pub key_id: String,
    /// The integration (the order system, the carrier feed, ...); one live key per name.
    pub name: String,
    pub created_at: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<UtcTime>,
    /// A revoked key signs nothing any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<UtcTime>,
    /// The last request it signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<UtcTime>,
}

/// `GET /api/staff/integrations` (admins): every key, live ones first, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationKeyList {
    pub keys: Vec<IntegrationKey>,
}

/// `POST /api/staff/integrations` (admins): a key for a new integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewIntegrationKey {
    /// 1 to 100 characters once trimmed, no control characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub name: String,
}

/// A key with its secret, told once: when the key is made and when it is rotated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationKeySecret {
    pub key: IntegrationKey,
    /// The HMAC-SHA256 key, 64 hex digits: requests are signed with these characters as bytes.
    pub secret: String,
}

/// A customer of the retailer, by the retailer's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerRecord {
    /// The retailer's id for the customer: 1 to 64 letters, digits, `.`, `_`, `:`, `-`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub id: String,
    /// When the retailer last changed the customer: an older record than the one taken changes
    /// nothing.
    pub updated_at: UtcTime,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub name: String,
    /// An ASCII email, as the customer signs in with it.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$",
            max_length = 254
        )
    )]
    pub email: String,
    /// An 11-digit mainland mobile number.
    #[cfg_attr(feature = "openapi", schema(pattern = "^1[3-9][0-9]{9}$"))]
    pub phone: String,
    /// The language the customer reads, when the retailer knows it: their messages are written
    /// in it alone (until they sign in to the portal in another). Without it, what is known
    /// stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<crate::PageLocale>,
}

/// Where an order goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressRecord {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub recipient: String,
    /// An 11-digit mainland mobile number.
    #[cfg_attr(feature = "openapi", schema(pattern = "^1[3-9][0-9]{9}$"))]
    pub phone: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub province: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub city: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub district: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub street: String,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRecord {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub sku: String,
    /// At least one language.
    pub name: Localized,
    #[serde(default)]
    pub variant: Localized,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub quantity: u32,
    pub unit_price: Money,
    #[serde(default)]
    pub final_sale: bool,
    /// The retailer's id of the parcel that carries it (one of the order's `shipments`), if
    /// shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment: Option<String>,
}

/// A carrier's checkpoint: what happened to a parcel, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointRecord {
    /// The source's id for the event, if it has one (else the event is known by its time, event
    /// and location): the same event twice is kept once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub id: Option<String>,
    pub at: UtcTime,
    pub event: CheckpointEvent,
    /// City (and facility) as the carrier reports it.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub location: String,
}

/// A parcel of an order, by the retailer's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentRecord {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub id: String,
    pub carrier: Carrier,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9-]{4,40}$"))]
    pub tracking_number: String,
    /// The carrier's current promise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<CalendarDate>,
    /// Checkpoints known so far (more may come by `POST /api/ingest/checkpoints`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub checkpoints: Vec<CheckpointRecord>,
}

/// An order of the retailer, by its id, with its lines, payment and parcels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRecord {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub id: String,
    /// When the retailer last changed the order: an older record than the one taken changes
    /// nothing.
    pub updated_at: UtcTime,
    /// The number customers know it by, `PT` + 8 digits.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^PT[0-9]{8}$", example = "PT20261001")
    )]
    pub number: String,
    /// The retailer's id of the buyer (a customer sent before, or in the same batch of customers).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub customer: String,
    pub placed_at: UtcTime,
    pub payment_state: PaymentState,
    pub amounts: Amounts,
    pub address: AddressRecord,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub items: Vec<ItemRecord>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub shipments: Vec<ShipmentRecord>,
}

/// A checkpoint of a parcel the retailer sent before, by the parcel's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentCheckpoint {
    /// The retailer's id of the parcel (a shipment of an order sent before).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub shipment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._:-]{1,64}$"))]
    pub id: Option<String>,
    pub at: UtcTime,
    pub event: CheckpointEvent,
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub location: String,
}

/// `POST /api/ingest/customers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerBatch {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub records: Vec<CustomerRecord>,
}

/// `POST /api/ingest/orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderBatch {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub records: Vec<OrderRecord>,
}

/// `POST /api/ingest/checkpoints`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointBatch {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub records: Vec<ShipmentCheckpoint>,
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// New: kept.
    Added,
    /// Known, and changed by this record.
    Updated,
    /// Known, and this record changed nothing (the same again, or older than what was taken).
    Unchanged,
    /// Not kept: `problem` says why.
    Refused,
}

/// Why a record was refused: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordProblem {
    pub code: ErrorCode,
    /// The field, as a path in the record (`email`, `items/0/quantity`).
    pub field: String,
    pub detail: String,
}

/// One record's outcome, in the order they were sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordOutcome {
    /// The record's place in `records`, from 0.
    pub index: u32,
    /// The record's id (the parcel's for a checkpoint), when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<RecordProblem>,
}

/// What an ingest did, record by record. With a record refused it is the `report` of a 422
/// `invalid_record` problem document (the other records were kept all the same).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestReport {
    pub added: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub refused: u32,
    pub records: Vec<RecordOutcome>,
}

impl IngestReport {
    /// Counts `outcome` in and keeps it.
    pub fn push(&mut self, outcome: RecordOutcome) {
        match outcome.outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Refused => self.refused += 1,
        }
        self.records.push(outcome);
    }
}
