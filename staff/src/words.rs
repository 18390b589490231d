//! Words the staff app shows for values and errors, in the language chosen.

use crate::locales::i18n::*;
use portico_api::{
    ErrorCode, Handover, Localized, Money, PageLocale, Resolution, ReturnReason, StaffRole,
};
use portico_client::ApiError;

pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// The language the switch offers.
pub fn other(locale: Locale) -> Locale {
    match locale {
        Locale::en => Locale::zh_CN,
        Locale::zh_CN => Locale::en,
    }
}

pub use portico_ui::text::fill;

pub fn role(locale: Locale, role: StaffRole) -> &'static str {
    match role {
        StaffRole::Editor => td_string!(locale, role.editor),
        StaffRole::Publisher => td_string!(locale, role.publisher),
        StaffRole::Analyst => td_string!(locale, role.analyst),
        StaffRole::Admin => td_string!(locale, role.admin),
    }
}

/// A moment in the reader's language and time zone.
pub fn when(locale: Locale, at: &str) -> String {
    let date = js_sys::Date::new(&at.into());
    date.to_locale_string(tag(locale), &leptos::wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_else(|| at.to_string())
}

/// Fen as staff read money: `¥1,234.50` (integer arithmetic, `Money::decimal`).
pub fn money(amount: Money) -> String {
    format!("¥{}", amount.decimal())
}

/// A name the service gives in each language, in the reader's (in the other where it has none
/// in the reader's: an item named in one language only).
pub fn localized(locale: Locale, text: &Localized) -> &str {
    text.get(match locale {
        Locale::en => PageLocale::En,
        Locale::zh_CN => PageLocale::ZhCn,
    })
}

/// Why the customer sends it back.
pub fn reason(locale: Locale, reason: ReturnReason) -> &'static str {
    match reason {
        ReturnReason::ChangedMind => td_string!(locale, reasons.changed_mind),
        ReturnReason::WrongSize => td_string!(locale, reasons.wrong_size),
        ReturnReason::Damaged => td_string!(locale, reasons.damaged),
        ReturnReason::NotAsDescribed => td_string!(locale, reasons.not_as_described),
        ReturnReason::ArrivedLate => td_string!(locale, reasons.arrived_late),
        ReturnReason::Other => td_string!(locale, reasons.other),
    }
}

/// What the customer gets back.
pub fn resolution(locale: Locale, resolution: Resolution) -> &'static str {
    match resolution {
        Resolution::Refund => td_string!(locale, resolutions.refund),
        Resolution::StoreCredit => td_string!(locale, resolutions.store_credit),
        Resolution::Exchange => td_string!(locale, resolutions.exchange),
    }
}

/// How the goods go back.
pub fn handover(locale: Locale, handover: Handover) -> &'static str {
    match handover {
        Handover::Pickup => td_string!(locale, handovers.pickup),
        Handover::DropOff => td_string!(locale, handovers.drop_off),
        Handover::SelfShip => td_string!(locale, handovers.self_ship),
    }
}

/// What went wrong, for a person.
pub fn error(locale: Locale, error: &ApiError) -> String {
    let problem = match error {
        ApiError::Network => return td_string!(locale, errors.network).to_string(),
        ApiError::Unexpected => return td_string!(locale, errors.other).to_string(),
        ApiError::Problem(problem) => problem,
    };
    match problem.code {
        ErrorCode::InvalidCredentials => td_string!(locale, sign_in.wrong),
        ErrorCode::RateLimited => {
            let minutes = problem.retry_after_secs.unwrap_or(60).div_ceil(60).max(1);
            return fill(
                td_string!(locale, errors.rate_limited),
                &minutes.to_string(),
            );
        }
        ErrorCode::Unauthorized => td_string!(locale, errors.signed_out),
        ErrorCode::Forbidden => td_string!(locale, errors.forbidden),
        ErrorCode::WeakPassword => td_string!(locale, errors.weak_password),
        ErrorCode::InvalidContact => td_string!(locale, errors.invalid_email),
        ErrorCode::StaffExists => td_string!(locale, errors.staff_exists),
        ErrorCode::LastAdmin => td_string!(locale, errors.last_admin),
        ErrorCode::EditConflict => td_string!(locale, errors.edit_conflict),
        ErrorCode::PageExists => td_string!(locale, errors.page_exists),
        ErrorCode::PageInvalid => td_string!(locale, errors.page_invalid),
        ErrorCode::MissingLanguage => td_string!(locale, errors.missing_language),
        ErrorCode::NotPublished => td_string!(locale, errors.not_published),
        ErrorCode::InvalidOrigin => td_string!(locale, errors.invalid_origin),
        ErrorCode::IntegrationExists => td_string!(locale, errors.integration_exists),
        _ => td_string!(locale, errors.other),
    }
    .to_string()
}

/// Whether the service said the session is gone (then the app shows the sign-in again).
pub fn signed_out(error: &ApiError) -> bool {
    error.code() == Some(ErrorCode::Unauthorized)
}
