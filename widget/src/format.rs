//! Dates in the visitor's language, by the browser's `Intl` (the widget carries no patterns).

use crate::locale::{self, i18n::Locale};
use js_sys::{Date, Object, Reflect};
use portico_api::{CalendarDate, UtcTime};
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

/// "Fri 27 Nov" / "11月27日周五": a calendar day, never shifted by the time zone.
pub fn calendar_date(locale: Locale, day: &CalendarDate) -> String {
    let date = Date::new(&JsValue::from_str(&format!("{}T00:00:00Z", day.0)));
    if date.get_time().is_nan() {
        return day.0.clone();
    }
    let options = options(&[
        ("timeZone", "UTC"),
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
    ]);
    date.to_locale_date_string(locale::tag(locale), &options)
        .into()
}

/// "27 Nov, 14:05" in the visitor's own time zone.
pub fn date_time(locale: Locale, at: &UtcTime) -> String {
    let date = Date::new(&JsValue::from_str(&at.0));
    if date.get_time().is_nan() {
        return at.0.clone();
    }
    let options = options(&[
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ]);
    date.to_locale_string(locale::tag(locale), &options).into()
}
