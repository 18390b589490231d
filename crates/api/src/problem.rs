//! Errors on the wire: RFC 9457 `application/problem+json` with a stable machine code.

use serde::{de, Deserialize, Deserializer, Serialize};

/// Declares [`ErrorCode`] from one list, each code with its name on the wire, and beside it every
/// code and every name in that order: what [`ErrorCode`]'s reader walks. Every bundle reads
/// `ErrorCode` in its main module; serde's derived reader, a match over every name that reads an
/// index or bytes too, made the portal's main wasm 3.0 KB larger (1.4 KB gzip, ~500 B brotli).
/// (A name is a `tt`, not a `literal`: utoipa does not see through the invisible group a `literal`
/// fragment arrives in, and would document the variants' Rust names.)
macro_rules! error_codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$doc:meta])* $code:ident = $wire:tt,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$doc])* #[serde(rename = $wire)] $code,)+
        }

        impl $name {
            /// Every code, in the order of [`Self::NAMES`].
            const ALL: &'static [$name] = &[$($name::$code),+];
            /// Every code's name on the wire, each followed by a space: one string, not a table
            /// of pointers into it (which compressed to 144 B more).
            const NAMES: &'static str = concat!($($wire, " "),+);
        }
    };
}

error_codes! {
    /// The stable reason a request failed. The app shows a localized message for each; the
    /// English `title` in [`Problem`] is for logs and developers only.
    pub enum ErrorCode {
        /// The body or a parameter could not be read.
        BadRequest = "bad_request",
        /// The contact is neither an email address nor a mainland mobile number.
        InvalidContact = "invalid_contact",
        /// The order number does not have the `PT` + 8 digits shape.
        InvalidOrderNumber = "invalid_order_number",
        /// The sign-in code is wrong (or there is no code for this contact).
        InvalidCode = "invalid_code",
        /// The sign-in code is older than 10 minutes or was already used.
        CodeExpired = "code_expired",
        /// Five wrong tries: a new code is needed.
        TooManyAttempts = "too_many_attempts",
        /// Too many requests from this address or for this target; `retry_after_secs` says when.
        RateLimited = "rate_limited",
        /// A session is needed.
        Unauthorized = "unauthorized",
        /// Nothing here, or nothing this caller may see (the two are never told apart).
        NotFound = "not_found",
        /// The order lookup found no order with these details.
        OrderNotFound = "order_not_found",
        /// A feature switched off in this deployment (e.g. the demo outbox).
        Disabled = "disabled",
        /// A write that did not come from this site (its `Origin` is another one, or a staff write
        /// without its session's CSRF token), or a staff role that may not do this.
        Forbidden = "forbidden",
        /// The service took too long or is overloaded; the request may be retried.
        Unavailable = "unavailable",
        /// A write that must not happen twice came without an `Idempotency-Key` header.
        IdempotencyKeyRequired = "idempotency_key_required",
        /// This `Idempotency-Key` was already used for a different request.
        IdempotencyKeyReused = "idempotency_key_reused",
        /// Something in the return cannot be returned (now); `detail` says which line and why.
        NotReturnable = "not_returnable",
        /// The return has gone too far for this (e.g. cancelling after the hand-over).
        ReturnLocked = "return_locked",
        /// A return handed over by pickup needs `pickup_slot`.
        PickupSlotRequired = "pickup_slot_required",
        /// The `pickup_slot` is not one of the slots offered now (or came with another hand-over
        /// than pickup).
        PickupSlotUnavailable = "pickup_slot_unavailable",
        /// The pickup slot is fully booked; another one may be chosen.
        PickupSlotFull = "pickup_slot_full",
        /// An exchange that cannot be made as asked: a line without `exchange_for` in an exchange,
        /// `exchange_for` with another resolution, or a sku that is not another variant of the
        /// line's product; `detail` says which line.
        ExchangeNotOffered = "exchange_not_offered",
        /// The variant asked for in exchange has fewer units in stock than asked; another may be
        /// chosen.
        OutOfStock = "out_of_stock",
        /// The return's reason is not one of those offered (see `reasons` in the returnable answer).
        ReasonNotOffered = "reason_not_offered",
        /// A link that worked once has expired (a survey link lives 14 days).
        LinkExpired = "link_expired",
        /// The survey was finished more than 24 hours ago: it can be read, no longer changed.
        SurveyClosed = "survey_closed",
        /// An answer does not fit its survey; `detail` names the question.
        InvalidAnswer = "invalid_answer",
        /// This response id already stands for another response or another message.
        ResponseIdReused = "response_id_reused",
        /// An identity token that is forged, expired, lives longer than 24 hours, or names no
        /// customer (the widget's tier badge).
        InvalidIdentity = "invalid_identity",
        /// A staff sign-in with an email and password that do not match an enabled account (the
        /// two are never told apart).
        InvalidCredentials = "invalid_credentials",
        /// A staff password shorter than 12 characters (or longer than 128).
        WeakPassword = "weak_password",
        /// A staff account with this email exists already.
        StaffExists = "staff_exists",
        /// The change would leave no enabled admin.
        LastAdmin = "last_admin",
        /// Someone saved this draft since the revision named: the save is refused, the text the
        /// caller sent is theirs to keep; read the draft again to see the other one.
        EditConflict = "edit_conflict",
        /// A page with this slug exists already.
        PageExists = "page_exists",
        /// The draft holds text customers cannot be shown (see the draft's `problems`).
        PageInvalid = "page_invalid",
        /// A language has no text; publish with `allow_missing` to go ahead.
        MissingLanguage = "missing_language",
        /// Nothing of this page is live (or scheduled) to take down.
        NotPublished = "not_published",
        /// Another reviewer decided this return first: it no longer waits for review.
        AlreadyDecided = "already_decided",
        /// A partner's page origin that is not exactly `http(s)://host[:port]` as a browser sends
        /// it in `Origin` (a path, a query, a user, another scheme); `detail` names it.
        InvalidOrigin = "invalid_origin",
        /// An ingest request without a valid signature: no key named, a key unknown or revoked,
        /// or an HMAC that is not the one of the request (`detail` says which).
        InvalidSignature = "invalid_signature",
        /// An ingest request whose `X-Portico-Timestamp` is outside the replay window.
        StaleRequest = "stale_request",
        /// An ingest request already taken (the same signature twice).
        ReplayedRequest = "replayed_request",
        /// A record of an ingest batch refused; the problem's `report` says which and why, and
        /// the other records were kept.
        InvalidRecord = "invalid_record",
        /// A live integration key with this name exists already.
        IntegrationExists = "integration_exists",
        /// The service failed; the request may be retried.
        Internal = "internal",
    }
}

/// A code's name as [`Serialize`] writes it (a string); anything else is refused.
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::NAMES
            .split_terminator(' ')
            .position(|known| known == name)
            .and_then(|at| Self::ALL.get(at).copied())
            .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(&name), &"an error code"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_the_name_it_is_written_as() {
        let names: Vec<&str> = ErrorCode::NAMES.split_terminator(' ').collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for (at, (code, name)) in ErrorCode::ALL.iter().zip(&names).enumerate() {
            // The names are the variants in snake_case, as they always were.
            let mut snake = String::new();
            for c in format!("{code:?}").chars() {
                if c.is_ascii_uppercase() && !snake.is_empty() {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            assert_eq!(*name, snake);
            assert!(!names[..at].contains(name), "{name} twice");
            let written = serde_json::to_string(code).unwrap();
            assert_eq!(written, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<ErrorCode>(&written).unwrap(), *code);
        }
    }

    #[test]
    fn a_name_that_is_no_code_is_refused() {
        for text in [
            "\"no_such_code\"",
            "\"NotFound\"",
            "\"\"",
            "\" \"",
            "\"not_found \"",
            "\"notfound\"",
            "\"not__found\"",
            "\"_not_found\"",
            "\"not_Found\"",
            "\"Not_found\"",
            "\"not_foundx\"",
            "\"not_foun\"",
            "{\"not_found\":null}",
            "3",
            "null",
        ] {
            assert!(serde_json::from_str::<ErrorCode>(text).is_err(), "{text}");
        }
        let problem = r#"{"type":"about:blank","title":"x","status":400,"code":"gone_fishing"}"#;
        assert!(serde_json::from_str::<Problem>(problem).is_err());
    }
}
