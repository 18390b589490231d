//! Showing wire values to a person: money in fen becomes `¥1,234.50`, UTC instants become dates
//! and times in the customer's language and time zone (the browser's `Intl`).

use crate::locale::i18n::Locale;
use crate::locale::locale_tag;
use js_sys::{Date, Object, Reflect};
use portico_api::{CalendarDate, Money, UtcTime};
use wasm_bindgen::JsValue;

/// `¥1,234.50`, `-¥20.00` (the same in both languages: the yuan sign is what shoppers read).
pub fn money(amount: Money) -> String {
    if amount.fen < 0 {
        format!("-¥{}", Money::fen(-amount.fen).decimal())
    } else {
        format!("¥{}", amount.decimal())
    }
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

/// `value` (anything JS `Date` reads) in the customer's language; `date_only` leaves out the
/// time of day. Unreadable input is shown as it came.
fn localized(locale: Locale, value: &str, date_only: bool, pairs: &[(&str, &str)]) -> String {
    let date = Date::new(&JsValue::from_str(value));
    if date.get_time().is_nan() {
        return value.to_string();
    }
    let (tag, options) = (locale_tag(locale), options(pairs));
    String::from(if date_only {
        date.to_locale_date_string(tag, &options)
    } else {
        date.to_locale_string(tag, &options)
    })
}

/// `2026年11月24日 16:30` / `24 Nov 2026, 16:30`, in the browser's time zone.
pub fn date_time(locale: Locale, at: &UtcTime) -> String {
    let pairs = [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ];
    localized(locale, &at.0, false, &pairs)
}

/// `2026年11月24日` / `24 Nov 2026`.
pub fn date(locale: Locale, at: &UtcTime) -> String {
    let pairs = [("year", "numeric"), ("month", "short"), ("day", "numeric")];
    localized(locale, &at.0, true, &pairs)
}

/// A calendar date as it is, without shifting it through a time zone: `11月27日 周五` / `Fri, 27 Nov`.
pub fn calendar_date(locale: Locale, day: &CalendarDate) -> String {
    let pairs = [
        ("weekday", "short"),
        ("month", "short"),
        ("day", "numeric"),
        ("timeZone", "UTC"),
    ];
    match localized(locale, &format!("{}T12:00:00Z", day.0), true, &pairs) {
        shown if shown.ends_with("T12:00:00Z") => day.0.clone(),
        shown => shown,
    }
}
