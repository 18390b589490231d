//! Words for the contract's enums and error codes, in the customer's language.

use crate::locale::i18n::*;
use portico_api::{
    Carrier, CheckpointEvent, ErrorCode, FeedbackCategory, Handover, NotReturnable, ParseError,
    PaymentState, Resolution, ReturnReason, ReturnStatus, ShipmentStatus, UtcTime,
};
use portico_client::ApiError;

pub fn status(locale: Locale, status: ShipmentStatus) -> String {
    match status {
        ShipmentStatus::InfoReceived => td_string!(locale, status.info_received),
        ShipmentStatus::InTransit => td_string!(locale, status.in_transit),
        ShipmentStatus::OutForDelivery => td_string!(locale, status.out_for_delivery),
        ShipmentStatus::Delivered => td_string!(locale, status.delivered),
        ShipmentStatus::DeliveryAttempted => td_string!(locale, status.delivery_attempted),
        ShipmentStatus::Exception => td_string!(locale, status.exception),
        ShipmentStatus::ReturnedToSender => td_string!(locale, status.returned_to_sender),
    }
    .to_string()
}

/// What the customer can do about a parcel that needs attention.
pub fn next_action(locale: Locale, status: ShipmentStatus) -> Option<String> {
    let text = match status {
        ShipmentStatus::DeliveryAttempted => td_string!(locale, next_action.delivery_attempted),
        ShipmentStatus::Exception => td_string!(locale, next_action.exception),
        ShipmentStatus::ReturnedToSender => td_string!(locale, next_action.returned_to_sender),
        _ => return None,
    };
    Some(text.to_string())
}

pub fn event(locale: Locale, event: CheckpointEvent) -> String {
    match event {
        CheckpointEvent::LabelCreated => td_string!(locale, event.label_created),
        CheckpointEvent::PickedUp => td_string!(locale, event.picked_up),
        CheckpointEvent::DepartedFacility => td_string!(locale, event.departed_facility),
        CheckpointEvent::ArrivedFacility => td_string!(locale, event.arrived_facility),
        CheckpointEvent::OutForDelivery => td_string!(locale, event.out_for_delivery),
        CheckpointEvent::Delivered => td_string!(locale, event.delivered),
        CheckpointEvent::DeliveryAttempted => td_string!(locale, event.delivery_attempted),
        CheckpointEvent::AddressIssue => td_string!(locale, event.address_issue),
        CheckpointEvent::WeatherDelay => td_string!(locale, event.weather_delay),
        CheckpointEvent::ReturnedToSender => td_string!(locale, event.returned_to_sender),
    }
    .to_string()
}

pub fn carrier(locale: Locale, carrier: Carrier) -> String {
    match carrier {
        Carrier::SfExpress => td_string!(locale, carrier.sf_express),
        Carrier::JdLogistics => td_string!(locale, carrier.jd_logistics),
        Carrier::Zto => td_string!(locale, carrier.zto),
        Carrier::Ems => td_string!(locale, carrier.ems),
        Carrier::Other => td_string!(locale, carrier.other),
    }
    .to_string()
}

pub fn payment(locale: Locale, state: PaymentState) -> String {
    match state {
        PaymentState::Pending => td_string!(locale, payment.pending),
        PaymentState::Paid => td_string!(locale, payment.paid),
        PaymentState::PartiallyRefunded => td_string!(locale, payment.partially_refunded),
        PaymentState::Refunded => td_string!(locale, payment.refunded),
    }
    .to_string()
}

/// Why an item cannot go back, in the customer's words: a closed window says the day it closed
/// (`return_by`, in the customer's language).
pub fn not_returnable(locale: Locale, why: NotReturnable, return_by: Option<&UtcTime>) -> String {
    match (why, return_by) {
        (NotReturnable::WindowClosed, Some(by)) => {
            return td_string!(locale, returns.why_not.closed_on)
                .replace("[date]", &crate::format::date(locale, by))
        }
        (NotReturnable::NotDelivered, _) => td_string!(locale, returns.why_not.not_delivered),
        (NotReturnable::WindowClosed, None) => td_string!(locale, returns.why_not.window_closed),
        (NotReturnable::FinalSale, _) => td_string!(locale, returns.why_not.final_sale),
        (NotReturnable::AlreadyReturned, _) => td_string!(locale, returns.why_not.already_returned),
        (NotReturnable::ReturnInProgress, _) => {
            td_string!(locale, returns.why_not.return_in_progress)
        }
    }
    .to_string()
}

pub fn return_reason(locale: Locale, reason: ReturnReason) -> &'static str {
    match reason {
        ReturnReason::ChangedMind => td_string!(locale, returns.reasons.changed_mind),
        ReturnReason::WrongSize => td_string!(locale, returns.reasons.wrong_size),
        ReturnReason::Damaged => td_string!(locale, returns.reasons.damaged),
        ReturnReason::NotAsDescribed => td_string!(locale, returns.reasons.not_as_described),
        ReturnReason::ArrivedLate => td_string!(locale, returns.reasons.arrived_late),
        ReturnReason::Other => td_string!(locale, returns.reasons.other),
    }
}

/// How the money comes back; store credit says its bonus (`percent`).
pub fn resolution(locale: Locale, resolution: Resolution, percent: u32) -> String {
    match resolution {
        Resolution::Refund => td_string!(locale, returns.resolutions.refund).to_string(),
        Resolution::StoreCredit => td_string!(locale, returns.resolutions.store_credit)
            .replace("[percent]", &percent.to_string()),
        Resolution::Exchange => td_string!(locale, returns.resolutions.exchange).to_string(),
    }
}

pub fn handover(locale: Locale, handover: Handover) -> &'static str {
    match handover {
        Handover::Pickup => td_string!(locale, returns.handovers.pickup),
        Handover::DropOff => td_string!(locale, returns.handovers.drop_off),
        Handover::SelfShip => td_string!(locale, returns.handovers.self_ship),
    }
}

pub fn feedback_category(locale: Locale, category: FeedbackCategory) -> &'static str {
    match category {
        FeedbackCategory::Problem => td_string!(locale, feedback.problem),
        FeedbackCategory::Idea => td_string!(locale, feedback.idea),
        FeedbackCategory::Praise => td_string!(locale, feedback.praise),
        FeedbackCategory::Other => td_string!(locale, feedback.other),
    }
}

pub fn return_status(locale: Locale, status: ReturnStatus) -> &'static str {
    match status {
        ReturnStatus::Requested => td_string!(locale, returns.status.requested),
        ReturnStatus::Approved => td_string!(locale, returns.status.approved),
        ReturnStatus::PendingReview => td_string!(locale, returns.status.pending_review),
        ReturnStatus::PickupScheduled => td_string!(locale, returns.status.pickup_scheduled),
        ReturnStatus::PickedUp => td_string!(locale, returns.status.picked_up),
        ReturnStatus::Received => td_string!(locale, returns.status.received),
        ReturnStatus::Refunded => td_string!(locale, returns.status.refunded),
        ReturnStatus::Exchanged => td_string!(locale, returns.status.exchanged),
        ReturnStatus::Rejected => td_string!(locale, returns.status.rejected),
        ReturnStatus::Cancelled => td_string!(locale, returns.status.cancelled),
    }
}

/// A failed call, explained.
pub fn api_error(locale: Locale, error: &ApiError) -> String {
    match error {
        ApiError::Network => td_string!(locale, errors.network).to_string(),
        ApiError::Unexpected => td_string!(locale, errors.internal).to_string(),
        ApiError::Problem(problem) if problem.code == ErrorCode::RateLimited => {
            let minutes = problem.retry_after_secs.unwrap_or(60).div_ceil(60).max(1);
            // Interpolating into a plain string needs a build-time option the i18n macro lacks;
            // the translations mark the spot with `[minutes]` instead.
            td_string!(locale, errors.rate_limited).replace("[minutes]", &minutes.to_string())
        }
        ApiError::Problem(problem) => error_code(locale, problem.code),
    }
}

pub fn error_code(locale: Locale, code: ErrorCode) -> String {
    match code {
        ErrorCode::BadRequest => td_string!(locale, errors.bad_request),
        ErrorCode::InvalidContact => td_string!(locale, errors.invalid_contact),
        ErrorCode::InvalidOrderNumber => td_string!(locale, errors.invalid_order_number),
        ErrorCode::InvalidCode => td_string!(locale, errors.invalid_code),
        ErrorCode::CodeExpired => td_string!(locale, errors.code_expired),
        ErrorCode::TooManyAttempts => td_string!(locale, errors.too_many_attempts),
        ErrorCode::RateLimited => td_string!(locale, errors.rate_limited_soon),
        // The widget's identity token: the portal never sends one.
        ErrorCode::Unauthorized | ErrorCode::InvalidIdentity => {
            td_string!(locale, errors.unauthorized)
        }
        ErrorCode::NotFound => td_string!(locale, errors.not_found),
        ErrorCode::OrderNotFound => td_string!(locale, errors.order_not_found),
        ErrorCode::Disabled => td_string!(locale, errors.disabled),
        ErrorCode::Forbidden => td_string!(locale, errors.forbidden),
        ErrorCode::Unavailable => td_string!(locale, errors.unavailable),
        ErrorCode::Internal => td_string!(locale, errors.internal),
        ErrorCode::IdempotencyKeyRequired | ErrorCode::IdempotencyKeyReused => {
            td_string!(locale, errors.bad_request)
        }
        ErrorCode::NotReturnable => td_string!(locale, errors.not_returnable),
        ErrorCode::ReturnLocked => td_string!(locale, errors.return_locked),
        ErrorCode::PickupSlotRequired => td_string!(locale, errors.pickup_slot_required),
        ErrorCode::PickupSlotUnavailable => td_string!(locale, errors.pickup_slot_unavailable),
        ErrorCode::PickupSlotFull => td_string!(locale, errors.pickup_slot_full),
        ErrorCode::ExchangeNotOffered => td_string!(locale, errors.exchange_not_offered),
        ErrorCode::OutOfStock => td_string!(locale, errors.out_of_stock),
        ErrorCode::ReasonNotOffered => td_string!(locale, errors.reason_not_offered),
        ErrorCode::LinkExpired => td_string!(locale, survey.expired_body),
        ErrorCode::SurveyClosed => td_string!(locale, errors.survey_closed),
        // Staff codes: the portal never signs staff in.
        ErrorCode::InvalidAnswer
        | ErrorCode::ResponseIdReused
        | ErrorCode::InvalidCredentials
        | ErrorCode::WeakPassword
        | ErrorCode::StaffExists
        | ErrorCode::LastAdmin
        | ErrorCode::EditConflict
        | ErrorCode::PageExists
        | ErrorCode::PageInvalid
        | ErrorCode::MissingLanguage
        | ErrorCode::NotPublished
        | ErrorCode::AlreadyDecided
        | ErrorCode::InvalidOrigin
        | ErrorCode::InvalidSignature
        | ErrorCode::StaleRequest
        | ErrorCode::ReplayedRequest
        | ErrorCode::InvalidRecord
        | ErrorCode::IntegrationExists => td_string!(locale, errors.bad_request),
    }
    .to_string()
}

/// A field the customer filled in wrongly, explained before anything is sent.
pub fn parse_error(locale: Locale, error: ParseError, empty: fn(Locale) -> String) -> String {
    match error {
        ParseError::Empty => empty(locale),
        ParseError::InvalidContact => td_string!(locale, errors.invalid_contact).to_string(),
        ParseError::InvalidOrderNumber => {
            td_string!(locale, errors.invalid_order_number).to_string()
        }
        ParseError::InvalidCode => td_string!(locale, errors.invalid_code).to_string(),
    }
}
