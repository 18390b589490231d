//! Signing in with a one-time code sent to an email address or a mobile phone.

use crate::{PageLocale, UtcTime};
use serde::{Deserialize, Serialize};

/// `POST /api/auth/code`: send a code to this contact. The answer is the same whether or not
/// the contact belongs to a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// An email address (ASCII, at most 254 characters) or a mainland China mobile number
    /// (11 digits), exactly; apps normalize what people type (`+86`, spaces) before sending.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(?:1[3-9][0-9]{9}|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$",
            max_length = 254,
            example = "li.na@example.com"
        )
    )]
    pub contact: String,
    /// The language the asker reads (the portal's): the code's message is written in it alone.
    /// Without it, in the customer's language if known, else in both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<PageLocale>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// Where the code went, masked (`w***@example.com`, `138****1234`).
    pub sent_to: String,
    /// How long the code stays valid.
    pub expires_in_secs: u64,
    pub length: u8,
    /// Asks whether the code went out: `GET /api/auth/code/{delivery}` (an app asks for a few
    /// seconds, and says so if it could not be sent).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub delivery: String,
}

/// `GET /api/auth/code/{delivery}`: what became of a code's message. A contact that is nobody's
/// reads as `sent`, as a customer's code that went out does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeDelivery {
    pub status: DeliveryStatus,
}

/// Where a message is: on its way, handed to the mail server or SMS provider, or not sent (it
/// failed, perhaps to be tried again; the customer is best told to try another contact or later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Failed,
}

/// `POST /api/auth/verify`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    /// The contact the code was sent to, in the same exact form as [`CodeRequest::contact`].
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(?:1[3-9][0-9]{9}|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$",
            max_length = 254,
            example = "li.na@example.com"
        )
    )]
    pub contact: String,
    /// The six digits from the message.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{6}$", example = "123456")
    )]
    pub code: String,
    /// The language the customer reads (the portal's): kept, so that their later messages are
    /// written in it alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<PageLocale>,
}

/// The signed-in customer, as they see themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerProfile {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// The customer's loyalty tier (see `GET /api/loyalty/tiers` for its name and benefits).
    pub tier: String,
}

/// `GET /api/auth/session`: who is on the other end of this cookie, if anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// The signed-in customer; `null` when nobody is signed in.
    pub customer: Option<CustomerProfile>,
}

/// A message the demo server "sent" (`GET /api/dev/outbox`, demo mode only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent_at: UtcTime,
}
