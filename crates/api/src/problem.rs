//! Errors on the wire: RFC 9457 `application/problem+json` with a stable machine code.

use serde::{Deserialize, Serialize};

/// The stable reason a request failed. The app shows a localized message for each; the
/// English `title` in [`Problem`] is for logs and developers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body or a parameter could not be read.
    BadRequest,
    /// The contact is neither an email address nor a mainland mobile number.
    InvalidContact,
    /// The order number does not have the `PT` + 8 digits shape.
    InvalidOrderNumber,
    /// The sign-in code is wrong (or there is no code for this contact).
    InvalidCode,
    /// The sign-in code is older than 10 minutes or was already used.
    CodeExpired,
    /// Five wrong tries: a new code is needed.
    TooManyAttempts,
    /// Too many requests from this address or for this target; `retry_after_secs` says when.
    RateLimited,
    /// A session is needed.
    Unauthorized,
    /// Nothing here, or nothing this caller may see (the two are never told apart).
    NotFound,
    /// The order lookup found no order with these details.
    OrderNotFound,
    /// A feature switched off in this deployment (e.g. the demo outbox).
    Disabled,
    /// A write that did not come from this site (its `Origin` is another one, or a staff write
    /// without its session's CSRF token), or a staff role that may not do this.
    Forbidden,
    /// The service took too long or is overloaded; the request may be retried.
    Unavailable,
    /// A write that must not happen twice came without an `Idempotency-Key` header.
    IdempotencyKeyRequired,
    /// This `Idempotency-Key` was already used for a different request.
    IdempotencyKeyReused,
    /// Something in the return cannot be returned (now); `detail` says which line and why.
    NotReturnable,
    /// The return has gone too far for this (e.g. cancelling after the hand-over).
    ReturnLocked,
    /// A return handed over by pickup needs `pickup_slot`.
    PickupSlotRequired,
    /// The `pickup_slot` is not one of the slots offered now (or came with another hand-over
    /// than pickup).
    PickupSlotUnavailable,
    /// The pickup slot is fully booked; another one may be chosen.
    PickupSlotFull,
    /// An exchange that cannot be made as asked: a line without `exchange_for` in an exchange,
    /// `exchange_for` with another resolution, or a sku that is not another variant of the
    /// line's product; `detail` says which line.
    ExchangeNotOffered,
    /// The variant asked for in exchange has fewer units in stock than asked; another may be
    /// chosen.
    OutOfStock,
    /// The return's reason is not one of those offered (see `reasons` in the returnable answer).
    ReasonNotOffered,
    /// A link that worked once has expired (a survey link lives 14 days).
    LinkExpired,
    /// The survey was finished more than 24 hours ago: it can be read, no longer changed.
    SurveyClosed,
    /// An answer does not fit its survey; `detail` names the question.
    InvalidAnswer,
    /// This response id already stands for another response or another message.
    ResponseIdReused,
    /// An identity token that is forged, expired, lives longer than 24 hours, or names no
    /// customer (the widget's tier badge).
    InvalidIdentity,
    /// A staff sign-in with an email and password that do not match an enabled account (the
    /// two are never told apart).
    InvalidCredentials,
    /// A staff password shorter than 12 characters (or longer than 128).
    WeakPassword,
    /// A staff account with this email exists already.
    StaffExists,
    /// The change would leave no enabled admin.
    LastAdmin,
    /// Someone saved this draft since the revision named: the save is refused, the text the
    /// caller sent is theirs to keep; read the draft again to see the other one.
    EditConflict,
    /// A page with this slug exists already.
    PageExists,
    /// The draft holds text customers cannot be shown (see the draft's `problems`).
    PageInvalid,
    /// A language has no text; publish with `allow_missing` to go ahead.
    MissingLanguage,
    /// Nothing of this page is live (or scheduled) to take down.
    NotPublished,
    /// Another reviewer decided this return first: it no longer waits for review.
    AlreadyDecided,
    /// A partner's page origin that is not exactly `http(s)://host[:port]` as a browser sends
    /// it in `Origin` (a path, a query, a user, another scheme); `detail` names it.
    InvalidOrigin,
    /// The service failed; the request may be retried.
    Internal,
}

/// `application/problem+json` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` or a documentation page).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Set with [`ErrorCode::RateLimited`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}
