//! Showing wire values to a person: money in fen becomes `¥1,234.50`, UTC instants become dates
//! and times in the customer's language and time zone (the browser's `Intl`).

use crate::config::locale_tag;
use crate::i18n::Locale;
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

fn parse(value: &str) -> Option<Date> {
    let date = Date::new(&JsValue::from_str(value));
    (!date.get_time().is_nan()).then_some(date)
}

/// `2026年11月24日 16:30` / `24 Nov 2026, 16:30`, in the browser's time zone.
pub fn date_time(locale: Locale, at: &UtcTime) -> String {
    match parse(&at.0) {
        Some(date) => String::from(date.to_locale_string(
            locale_tag(locale),
            &options(&[
                ("year", "numeric"),
                ("month", "short"),
                ("day", "numeric"),
                ("hour", "2-digit"),
                ("minute", "2-digit"),
            ]),
        )),
        None => at.0.clone(),
    }
}

/// `2026年11月24日` / `24 Nov 2026`.
pub fn date(locale: Locale, at: &UtcTime) -> String {
    date_only(locale, &at.0)
}

/// A calendar date as it is, without shifting it through a time zone: `11月27日 周五` / `Fri, 27 Nov`.
pub fn calendar_date(locale: Locale, day: &CalendarDate) -> String {
    match parse(&format!("{}T12:00:00Z", day.0)) {
        Some(date) => String::from(date.to_locale_date_string(
            locale_tag(locale),
            &options(&[
                ("weekday", "short"),
                ("month", "short"),
                ("day", "numeric"),
                ("timeZone", "UTC"),
            ]),
        )),
        None => day.0.clone(),
    }
}

fn date_only(locale: Locale, value: &str) -> String {
    match parse(value) {
        Some(date) => String::from(date.to_locale_date_string(
            locale_tag(locale),
            &options(&[("year", "numeric"), ("month", "short"), ("day", "numeric")]),
        )),
        None => value.to_string(),
    }
}
