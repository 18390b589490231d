//! Returns: what of an order can go back, and why not when it cannot.

use crate::{Localized, Money, OrderNumber, UtcTime};
use serde::{Deserialize, Serialize};

/// Why an item (or the rest of its quantity) cannot be returned. The app turns each into a
/// sentence in the customer's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotReturnable {
    /// Its parcel has not been delivered yet.
    NotDelivered,
    /// The return window (from delivery; longer for higher tiers) has closed.
    WindowClosed,
    /// Sold as final sale.
    FinalSale,
    /// Every unit has already come back.
    AlreadyReturned,
    /// The units not yet back are in a return that is still under way.
    ReturnInProgress,
}

impl NotReturnable {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotDelivered => "not_delivered",
            Self::WindowClosed => "window_closed",
            Self::FinalSale => "final_sale",
            Self::AlreadyReturned => "already_returned",
            Self::ReturnInProgress => "return_in_progress",
        }
    }
}

/// Where a return is. `requested` → `approved` or `pending_review` → `pickup_scheduled` →
/// `picked_up` → `received` → `refunded` or `exchanged`; `rejected` and `cancelled` end it early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatus {
    Requested,
    Approved,
    PendingReview,
    PickupScheduled,
    PickedUp,
    Received,
    Refunded,
    Exchanged,
    Rejected,
    Cancelled,
}

impl ReturnStatus {
    pub const ALL: [ReturnStatus; 10] = [
        Self::Requested,
        Self::Approved,
        Self::PendingReview,
        Self::PickupScheduled,
        Self::PickedUp,
        Self::Received,
        Self::Refunded,
        Self::Exchanged,
        Self::Rejected,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::PendingReview => "pending_review",
            Self::PickupScheduled => "pickup_scheduled",
            Self::PickedUp => "picked_up",
            Self::Received => "received",
            Self::Refunded => "refunded",
            Self::Exchanged => "exchanged",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// The goods are back with the shop (whatever the money is doing).
    pub fn goods_back(self) -> bool {
        matches!(self, Self::Received | Self::Refunded | Self::Exchanged)
    }

    /// Still under way: the goods are on their way back or waiting to be.
    pub fn under_way(self) -> bool {
        matches!(
            self,
            Self::Requested
                | Self::Approved
                | Self::PendingReview
                | Self::PickupScheduled
                | Self::PickedUp
        )
    }
}

/// One line of an order, as far as returning it goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnableItem {
    /// The line's position in the order (1-based): how a return names it.
    pub line: u32,
    pub sku: String,
    pub name: Localized,
    pub variant: Localized,
    /// Units bought.
    pub quantity: u32,
    /// Units that can be returned now (0 when none).
    pub returnable_quantity: u32,
    pub unit_price: Money,
    /// The last moment a return can be started (set once the item's parcel is delivered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_by: Option<UtcTime>,
    /// Why nothing (more) of this line can be returned; absent when some of it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_returnable: Option<NotReturnable>,
    /// The other variants (size, colour) of the same product this line can be exchanged for,
    /// those out of stock included (with `in_stock` false, so they can be shown disabled).
    /// Empty when the product has no other variant.
    #[serde(default)]
    pub exchange_options: Vec<ExchangeOption>,
}

/// Another variant of an item's product, offered in exchange for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeOption {
    /// What [`ReturnLine::exchange_for`] names to ask for it.
    pub sku: String,
    pub variant: Localized,
    /// At least one unit is in stock now (a unit is reserved when a return asks for it).
    pub in_stock: bool,
}

/// `GET /api/orders/{number}/returnable`: what of the order can be returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnEligibility {
    pub order: OrderNumber,
    /// Days from delivery that this customer has to start a return (their tier's benefit).
    pub window_days: u32,
    /// What store credit adds on top of the goods' value, in percent (shown before choosing).
    pub store_credit_bonus_percent: u32,
    pub items: Vec<ReturnableItem>,
    /// Doorstep pickup: what it costs this customer and the slots that can be booked.
    pub pickup: PickupOffer,
    /// The reasons offered, in the order to show them (the deployment chooses them); a return
    /// names one of these.
    pub reasons: Vec<ReturnReason>,
}

/// One 2-hour window a courier can come to the door in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupSlot {
    /// The window's start: what a return names in [`NewReturn::pickup_slot`].
    pub starts_at: UtcTime,
    pub ends_at: UtcTime,
    /// Bookings the slot can still take (0 when full; a full slot is still listed).
    pub remaining: u32,
}

/// Doorstep pickup as offered for an order: the fee (0 when the buyer's tier includes pickup)
/// and every slot over the next 7 days, starting tomorrow (shop time, UTC+8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupOffer {
    /// Taken off the refund when a pickup is booked.
    pub fee: Money,
    pub slots: Vec<PickupSlot>,
}

/// The pickup window a return has booked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupBooking {
    pub starts_at: UtcTime,
    pub ends_at: UtcTime,
}

/// Why the customer sends it back: one tap from this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    ChangedMind,
    WrongSize,
    Damaged,
    NotAsDescribed,
    ArrivedLate,
    Other,
}

impl ReturnReason {
    pub const ALL: [ReturnReason; 6] = [
        Self::ChangedMind,
        Self::WrongSize,
        Self::Damaged,
        Self::NotAsDescribed,
        Self::ArrivedLate,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChangedMind => "changed_mind",
            Self::WrongSize => "wrong_size",
            Self::Damaged => "damaged",
            Self::NotAsDescribed => "not_as_described",
            Self::ArrivedLate => "arrived_late",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == s)
    }
}

/// What the customer gets back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The money, to the original payment.
    Refund,
    /// Store credit, with the deployment's bonus on top.
    StoreCredit,
    /// Another variant (size, colour) of the same product, in stock, for each line (its
    /// [`ReturnLine::exchange_for`]); reserved when the return starts, given back if it is
    /// cancelled. The variants of a product sell at one price, so nothing is refunded.
    Exchange,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [Self::Refund, Self::StoreCredit, Self::Exchange];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refund => "refund",
            Self::StoreCredit => "store_credit",
            Self::Exchange => "exchange",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|resolution| resolution.as_str() == s)
    }
}

/// How the goods go back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Handover {
    /// Handed in at a drop-off point with the return's QR code.
    DropOff,
    /// Sent by the customer themselves.
    SelfShip,
    /// Collected at the door by a courier in a booked slot.
    Pickup,
}

impl Handover {
    pub const ALL: [Handover; 3] = [Self::DropOff, Self::SelfShip, Self::Pickup];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DropOff => "drop_off",
            Self::SelfShip => "self_ship",
            Self::Pickup => "pickup",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|handover| handover.as_str() == s)
    }
}

/// Units of one order line to send back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnLine {
    /// The order line's position (see [`ReturnableItem::line`]).
    #[serde(deserialize_with = "crate::values::whole")]
    pub line: u32,
    #[serde(deserialize_with = "crate::values::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub quantity: u32,
    /// With resolution `exchange` (and only then, required for every line): the sku of the
    /// variant wanted instead, one of [`ReturnableItem::exchange_options`] in stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_for: Option<String>,
}

/// `POST /api/returns` (with an `Idempotency-Key` header): start a return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReturn {
    pub order: OrderNumber,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub lines: Vec<ReturnLine>,
    pub reason: ReturnReason,
    pub resolution: Resolution,
    pub handover: Handover,
    /// With `handover` `pickup` (and only then): the start of the chosen slot, one of
    /// [`PickupOffer::slots`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_slot: Option<UtcTime>,
}

/// `POST /api/returns/{number}/reschedule`: move a booked pickup to another slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPickupSlot {
    /// The start of the new slot, one of [`PickupOffer::slots`] (the same slot as booked changes
    /// nothing).
    pub pickup_slot: UtcTime,
}

/// `POST /api/returns/{number}/pass`: the token of a return's link (`/returns/{number}?t=TOKEN`,
/// sent in the messages about it), traded for a guest pass to the return's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnPassRequest {
    /// The `t` of the link, as it was sent.
    pub token: String,
}

/// One line of a return, as the customer reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnedLine {
    pub line: u32,
    pub name: Localized,
    pub variant: Localized,
    pub quantity: u32,
    pub unit_price: Money,
    /// With resolution `exchange`: the variant that comes back instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_for: Option<ReturnedVariant>,
}

/// The variant an exchange sends in place of the one returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnedVariant {
    pub sku: String,
    pub variant: Localized,
}

/// A return: what goes back, how, and what comes back for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnDetail {
    /// `R` + 8 digits.
    pub number: String,
    pub order: OrderNumber,
    pub status: ReturnStatus,
    pub lines: Vec<ReturnedLine>,
    pub reason: ReturnReason,
    pub resolution: Resolution,
    pub handover: Handover,
    /// What the customer gets: the goods' price, plus the bonus for store credit, less the
    /// pickup fee; 0 for an exchange (the new variant costs what the returned one did).
    pub refund: Money,
    /// The pickup fee taken off the refund (0 without pickup, or when the tier includes it; never
    /// more than the refund before it).
    pub pickup_fee: Money,
    /// The booked pickup window (with `handover` `pickup`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup: Option<PickupBooking>,
    /// What the drop-off point scans (with `handover` `drop_off`): `R` + 8 digits, `-`, 8
    /// characters. Its QR code is at `/api/returns/{number}/drop-off.svg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_off_code: Option<String>,
    /// Days from the goods reaching the shop until the refund is paid, the store credit added, or
    /// the new variant sent.
    pub settle_days: u32,
    /// The day that is expected by, when it can be told: with a booked pickup, or once the goods
    /// are handed over. Absent before a drop-off or a parcel sent by the customer, and once the
    /// return has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settles_by: Option<UtcTime>,
    pub created_at: UtcTime,
    /// When a reviewer decided it (a refund over 500 CNY waits for one); absent when nobody had to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<UtcTime>,
    /// Why it was declined (or approved, when the reviewer said), as the reviewer wrote it: plain
    /// text, to be shown as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

/// A return of an order, as the order's page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderReturn {
    /// `R` + 8 digits.
    pub number: String,
    pub status: ReturnStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_may_be_written_as_a_whole_float_but_never_as_a_fraction() {
        let read = |json: &str| serde_json::from_str::<ReturnLine>(json);
        let line = read(r#"{"line": 2.0, "quantity": 1}"#).unwrap();
        assert_eq!((line.line, line.quantity), (2, 1));
        assert!(read(r#"{"line": 2.5, "quantity": 1}"#).is_err());
        assert!(read(r#"{"line": -1, "quantity": 1}"#).is_err());
        assert!(read(r#"{"line": 1, "quantity": 4294967296}"#).is_err());
        assert!(read(r#"{"line": "1", "quantity": 1}"#).is_err());
    }

    #[test]
    fn every_resolution_reads_back_from_its_name() {
        for resolution in Resolution::ALL {
            assert_eq!(Resolution::parse(resolution.as_str()), Some(resolution));
            let wire = serde_json::to_value(resolution).unwrap();
            assert_eq!(wire, resolution.as_str());
        }
        assert_eq!(Resolution::parse("exchange"), Some(Resolution::Exchange));
    }

    #[test]
    fn exchange_for_is_left_out_unless_set_and_older_payloads_still_read() {
        let line = ReturnLine {
            line: 1,
            quantity: 1,
            exchange_for: None,
        };
        assert_eq!(
            serde_json::to_string(&line).unwrap(),
            r#"{"line":1,"quantity":1}"#
        );
        let wanted: ReturnLine =
            serde_json::from_str(r#"{"line": 1, "quantity": 1, "exchange_for": "SKU-1"}"#).unwrap();
        assert_eq!(wanted.exchange_for.as_deref(), Some("SKU-1"));
        let older: ReturnableItem = serde_json::from_str(
            r#"{"line": 1, "sku": "S", "name": {"zh-CN": "N"}, "variant": {"en": "V"}, "quantity": 1,
                "returnable_quantity": 1, "unit_price": 100}"#,
        )
        .unwrap();
        assert!(older.exchange_options.is_empty());
    }
}
