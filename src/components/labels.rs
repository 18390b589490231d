//! Words for the contract's enums and error codes, in the customer's language.

use crate::api::ApiError;
use crate::i18n::*;
use portico_api::{Carrier, CheckpointEvent, ErrorCode, ParseError, PaymentState, ShipmentStatus};

type I18n = leptos_i18n::I18nContext<Locale>;

pub fn status(i18n: I18n, status: ShipmentStatus) -> String {
    match status {
        ShipmentStatus::InfoReceived => t_string!(i18n, status.info_received),
        ShipmentStatus::InTransit => t_string!(i18n, status.in_transit),
        ShipmentStatus::OutForDelivery => t_string!(i18n, status.out_for_delivery),
        ShipmentStatus::Delivered => t_string!(i18n, status.delivered),
        ShipmentStatus::DeliveryAttempted => t_string!(i18n, status.delivery_attempted),
        ShipmentStatus::Exception => t_string!(i18n, status.exception),
        ShipmentStatus::ReturnedToSender => t_string!(i18n, status.returned_to_sender),
    }
    .to_string()
}

/// What the customer can do about a parcel that needs attention.
pub fn next_action(i18n: I18n, status: ShipmentStatus) -> Option<String> {
    let text = match status {
        ShipmentStatus::DeliveryAttempted => t_string!(i18n, next_action.delivery_attempted),
        ShipmentStatus::Exception => t_string!(i18n, next_action.exception),
        ShipmentStatus::ReturnedToSender => t_string!(i18n, next_action.returned_to_sender),
        _ => return None,
    };
    Some(text.to_string())
}

pub fn event(i18n: I18n, event: CheckpointEvent) -> String {
    match event {
        CheckpointEvent::LabelCreated => t_string!(i18n, event.label_created),
        CheckpointEvent::PickedUp => t_string!(i18n, event.picked_up),
        CheckpointEvent::DepartedFacility => t_string!(i18n, event.departed_facility),
        CheckpointEvent::ArrivedFacility => t_string!(i18n, event.arrived_facility),
        CheckpointEvent::OutForDelivery => t_string!(i18n, event.out_for_delivery),
        CheckpointEvent::Delivered => t_string!(i18n, event.delivered),
        CheckpointEvent::DeliveryAttempted => t_string!(i18n, event.delivery_attempted),
        CheckpointEvent::AddressIssue => t_string!(i18n, event.address_issue),
        CheckpointEvent::WeatherDelay => t_string!(i18n, event.weather_delay),
        CheckpointEvent::ReturnedToSender => t_string!(i18n, event.returned_to_sender),
    }
    .to_string()
}

pub fn carrier(i18n: I18n, carrier: Carrier) -> String {
    match carrier {
        Carrier::SfExpress => t_string!(i18n, carrier.sf_express),
        Carrier::JdLogistics => t_string!(i18n, carrier.jd_logistics),
        Carrier::Zto => t_string!(i18n, carrier.zto),
        Carrier::Ems => t_string!(i18n, carrier.ems),
        Carrier::Other => t_string!(i18n, carrier.other),
    }
    .to_string()
}

pub fn payment(i18n: I18n, state: PaymentState) -> String {
    match state {
        PaymentState::Pending => t_string!(i18n, payment.pending),
        PaymentState::Paid => t_string!(i18n, payment.paid),
        PaymentState::PartiallyRefunded => t_string!(i18n, payment.partially_refunded),
        PaymentState::Refunded => t_string!(i18n, payment.refunded),
    }
    .to_string()
}

/// A failed call, explained.
pub fn api_error(i18n: I18n, error: &ApiError) -> String {
    match error {
        ApiError::Network => t_string!(i18n, errors.network).to_string(),
        ApiError::Unexpected => t_string!(i18n, errors.internal).to_string(),
        ApiError::Problem(problem) if problem.code == ErrorCode::RateLimited => {
            let minutes = problem.retry_after_secs.unwrap_or(60).div_ceil(60).max(1);
            // Interpolating into a plain string needs a build-time option the i18n macro lacks;
            // the translations mark the spot with `[minutes]` instead.
            t_string!(i18n, errors.rate_limited).replace("[minutes]", &minutes.to_string())
        }
        ApiError::Problem(problem) => error_code(i18n, problem.code),
    }
}

pub fn error_code(i18n: I18n, code: ErrorCode) -> String {
    match code {
        ErrorCode::BadRequest => t_string!(i18n, errors.bad_request),
        ErrorCode::InvalidContact => t_string!(i18n, errors.invalid_contact),
        ErrorCode::InvalidOrderNumber => t_string!(i18n, errors.invalid_order_number),
        ErrorCode::InvalidCode => t_string!(i18n, errors.invalid_code),
        ErrorCode::CodeExpired => t_string!(i18n, errors.code_expired),
        ErrorCode::TooManyAttempts => t_string!(i18n, errors.too_many_attempts),
        ErrorCode::RateLimited => t_string!(i18n, errors.rate_limited_soon),
        ErrorCode::Unauthorized => t_string!(i18n, errors.unauthorized),
        ErrorCode::NotFound => t_string!(i18n, errors.not_found),
        ErrorCode::OrderNotFound => t_string!(i18n, errors.order_not_found),
        ErrorCode::Disabled => t_string!(i18n, errors.disabled),
        ErrorCode::Internal => t_string!(i18n, errors.internal),
    }
    .to_string()
}

/// A field the customer filled in wrongly, explained before anything is sent.
pub fn parse_error(i18n: I18n, error: ParseError, empty: fn(I18n) -> String) -> String {
    match error {
        ParseError::Empty => empty(i18n),
        ParseError::InvalidContact => t_string!(i18n, errors.invalid_contact).to_string(),
        ParseError::InvalidOrderNumber => t_string!(i18n, errors.invalid_order_number).to_string(),
        ParseError::InvalidCode => t_string!(i18n, errors.invalid_code).to_string(),
    }
}
