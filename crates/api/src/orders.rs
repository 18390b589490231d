//! Orders, their items and the shipments that carry them.

use crate::{CalendarDate, Localized, Money, NotReturnable, OrderNumber, OrderReturn, UtcTime};
use serde::{Deserialize, Serialize};

/// Where a parcel is. A parcel is "moving" until it is delivered or back with the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    InfoReceived,
    InTransit,
    OutForDelivery,
    Delivered,
    DeliveryAttempted,
    Exception,
    ReturnedToSender,
}

impl ShipmentStatus {
    pub const ALL: [ShipmentStatus; 7] = [
        Self::InfoReceived,
        Self::InTransit,
        Self::OutForDelivery,
        Self::Delivered,
        Self::DeliveryAttempted,
        Self::Exception,
        Self::ReturnedToSender,
    ];

    /// Whether new checkpoints can still come, so the page keeps refreshing.
    pub fn is_moving(self) -> bool {
        !matches!(self, Self::Delivered | Self::ReturnedToSender)
    }

    /// Whether the customer should read this first (shown as a warning with a next action).
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Self::DeliveryAttempted | Self::Exception | Self::ReturnedToSender
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InfoReceived => "info_received",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::DeliveryAttempted => "delivery_attempted",
            Self::Exception => "exception",
            Self::ReturnedToSender => "returned_to_sender",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// Carriers the reference data uses; deployments may send others as `other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    SfExpress,
    JdLogistics,
    Zto,
    Ems,
    #[serde(other)]
    Other,
}

impl Carrier {
    pub const ALL: [Carrier; 4] = [Self::SfExpress, Self::JdLogistics, Self::Zto, Self::Ems];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SfExpress => "sf_express",
            Self::JdLogistics => "jd_logistics",
            Self::Zto => "zto",
            Self::Ems => "ems",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .unwrap_or(Self::Other)
    }
}

/// What happened at a checkpoint, in words the app translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckpointEvent {
    LabelCreated,
    PickedUp,
    DepartedFacility,
    ArrivedFacility,
    OutForDelivery,
    Delivered,
    DeliveryAttempted,
    AddressIssue,
    WeatherDelay,
    ReturnedToSender,
}

impl CheckpointEvent {
    pub const ALL: [CheckpointEvent; 10] = [
        Self::LabelCreated,
        Self::PickedUp,
        Self::DepartedFacility,
        Self::ArrivedFacility,
        Self::OutForDelivery,
        Self::Delivered,
        Self::DeliveryAttempted,
        Self::AddressIssue,
        Self::WeatherDelay,
        Self::ReturnedToSender,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LabelCreated => "label_created",
            Self::PickedUp => "picked_up",
            Self::DepartedFacility => "departed_facility",
            Self::ArrivedFacility => "arrived_facility",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::DeliveryAttempted => "delivery_attempted",
            Self::AddressIssue => "address_issue",
            Self::WeatherDelay => "weather_delay",
            Self::ReturnedToSender => "returned_to_sender",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    pub at: UtcTime,
    pub event: CheckpointEvent,
    /// City (and facility) as the carrier reports it.
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shipment {
    pub id: i64,
    pub carrier: Carrier,
    pub tracking_number: String,
    pub status: ShipmentStatus,
    /// The carrier's current promise; `None` once delivered or when unknown.
    pub estimated_delivery: Option<CalendarDate>,
    /// The first promise was missed (or the parcel is stuck): the app says so plainly.
    pub delayed: bool,
    pub delivered_at: Option<UtcTime>,
    /// Newest first.
    pub checkpoints: Vec<Checkpoint>,
    /// Names of the items in this parcel, each in both languages.
    pub items: Vec<Localized>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Pending,
    Paid,
    PartiallyRefunded,
    Refunded,
}

impl PaymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Paid,
            Self::PartiallyRefunded,
            Self::Refunded,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderItem {
    pub sku: String,
    /// The item's name in each language the shop gave (at least one; a reader gets the other
    /// where one is empty, `Localized::get`). An ingest of orders names items with this same type.
    pub name: Localized,
    /// Colour, size, ... as shown on the product page, in each language (as `name`).
    pub variant: Localized,
    pub quantity: u32,
    pub unit_price: Money,
    /// Final-sale items cannot be returned.
    pub final_sale: bool,
    /// Units that can be returned now (0 when none), as `GET /api/orders/{number}/returnable`
    /// judges the line: the order's page offers a return only where this is above 0.
    #[serde(default)]
    pub returnable_quantity: u32,
    /// The last moment a return can be started (set once the item's parcel is delivered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_by: Option<UtcTime>,
    /// Why nothing (more) of this line can be returned; absent when some of it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_returnable: Option<NotReturnable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amounts {
    pub subtotal: Money,
    pub shipping: Money,
    pub discount: Money,
    pub total: Money,
}

/// The delivery address. `street` and the full phone are only given to the signed-in owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAddress {
    pub recipient: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub street: Option<String>,
}

/// One line in the order list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub number: OrderNumber,
    pub placed_at: UtcTime,
    pub total: Money,
    pub item_count: u32,
    /// Name of the first item, to recognise the order at a glance.
    pub headline: Localized,
    /// The status of the parcel that most needs attention (or is furthest behind).
    pub status: Option<ShipmentStatus>,
    pub shipment_count: u32,
}

/// `GET /api/orders/{number}` and the guest lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    pub number: OrderNumber,
    pub placed_at: UtcTime,
    pub payment_state: PaymentState,
    pub amounts: Amounts,
    pub items: Vec<OrderItem>,
    pub shipments: Vec<Shipment>,
    pub address: DeliveryAddress,
    /// True for the guest ("pre-authenticated") view: personal data is masked.
    pub masked: bool,
    /// When anything in this order last changed.
    pub updated_at: UtcTime,
    /// The order's returns, newest first (cancelled ones too).
    #[serde(default)]
    pub returns: Vec<OrderReturn>,
}

/// `GET /api/orders?page=1&per_page=10`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PageQuery {
    /// Which page, from 1 (the default).
    #[cfg_attr(feature = "openapi", param(value_type = u32, required = false, minimum = 1, maximum = 100000))]
    pub page: Option<u32>,
    /// Orders per page, 1 to 50 (default 10).
    #[cfg_attr(feature = "openapi", param(value_type = u32, required = false, minimum = 1, maximum = 50))]
    pub per_page: Option<u32>,
}

impl PageQuery {
    /// Bounds the service enforces (400 beyond), as the OpenAPI document states them.
    pub const MAX_PAGE: u32 = 100_000;
    pub const MAX_PER_PAGE: u32 = 50;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: u32,
}

impl OrderPage {
    pub fn page_count(&self) -> u32 {
        self.total.div_ceil(self.per_page.max(1))
    }
}

/// `POST /api/guest/lookup`: order number plus the email or phone given with the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuestLookupRequest {
    /// `PT` + 8 digits, exactly.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^PT[0-9]{8}$", example = "PT20261001")
    )]
    pub order_number: String,
    /// The buyer's email or phone, or the recipient's phone (a gift's recipient may track it),
    /// in the exact form of [`crate::CodeRequest::contact`].
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(?:1[3-9][0-9]{9}|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$",
            max_length = 254,
            example = "li.na@example.com"
        )
    )]
    pub contact: String,
}
