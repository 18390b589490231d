//! Showing wire values to a person: money in fen becomes `¥1,234.50`, UTC instants become dates
//! and times in the customer's language (names and order from `locales/`) and time zone.

use crate::locale::i18n::*;
use js_sys::Date;
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

/// The calendar parts of an instant in the browser's time zone (`utc` false) or in UTC.
struct Parts {
    year: i32,
    month: usize,
    day: u32,
    weekday: usize,
    time: String,
}

/// Read with JS `Date` (anything it reads), its parts taken with its plain getters: the browser's
/// `Intl` would do the same, but its first use in a page costs ~40 ms of main thread here (160 ms
/// on a 4x slower phone) while it loads the language's data — the largest task of a page.
fn parts(value: &str, utc: bool) -> Option<Parts> {
    let date = Date::new(&JsValue::from_str(value));
    if date.get_time().is_nan() {
        return None;
    }
    let (year, month, day, weekday, hour, minute) = if utc {
        let d = &date;
        (
            d.get_utc_full_year(),
            d.get_utc_month(),
            d.get_utc_date(),
            d.get_utc_day(),
            d.get_utc_hours(),
            d.get_utc_minutes(),
        )
    } else {
        let d = &date;
        (
            d.get_full_year(),
            d.get_month(),
            d.get_date(),
            d.get_day(),
            d.get_hours(),
            d.get_minutes(),
        )
    };
    Some(Parts {
        year: year as i32,
        month: month as usize,
        day,
        weekday: weekday as usize,
        time: format!("{hour:02}:{minute:02}"),
    })
}

/// The `index`th of a translated comma-separated list (month or weekday names).
fn nth(list: &str, index: usize) -> &str {
    list.split(',').nth(index).unwrap_or_default()
}

/// A translated pattern (`{year}年{month}月{day}日`) with its `{name}`s filled in. Single braces:
/// these patterns are filled here, not by the i18n macros (whose `{{ }}` build view code).
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(pattern.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

fn day_month_year(locale: Locale, parts: &Parts) -> String {
    let month = nth(td_string!(locale, format.months), parts.month);
    fill(
        td_string!(locale, format.date),
        &[
            ("year", &parts.year.to_string()),
            ("month", month),
            ("day", &parts.day.to_string()),
        ],
    )
}

/// `2026年11月24日 16:30` / `24 Nov 2026, 16:30`, in the browser's time zone. Unreadable input
/// is shown as it came.
pub fn date_time(locale: Locale, at: &UtcTime) -> String {
    match parts(&at.0, false) {
        Some(parts) => fill(
            td_string!(locale, format.date_time),
            &[
                ("date", &day_month_year(locale, &parts)),
                ("time", &parts.time),
            ],
        ),
        None => at.0.clone(),
    }
}

/// `2026年11月24日` / `24 Nov 2026`, in the browser's time zone.
pub fn date(locale: Locale, at: &UtcTime) -> String {
    match parts(&at.0, false) {
        Some(parts) => day_month_year(locale, &parts),
        None => at.0.clone(),
    }
}

fn weekday_day_month(locale: Locale, parts: &Parts) -> String {
    let month = nth(td_string!(locale, format.months), parts.month);
    let weekday = nth(td_string!(locale, format.weekdays), parts.weekday);
    fill(
        td_string!(locale, format.calendar_date),
        &[
            ("weekday", weekday),
            ("day", &parts.day.to_string()),
            ("month", month),
        ],
    )
}

/// A calendar date as it is, without shifting it through a time zone: `11月27日 周五` / `Fri, 27 Nov`.
pub fn calendar_date(locale: Locale, day: &CalendarDate) -> String {
    match parts(&format!("{}T12:00:00Z", day.0), true) {
        Some(parts) => weekday_day_month(locale, &parts),
        None => day.0.clone(),
    }
}

/// A window of time on one day, in the browser's time zone: `11月28日 周六 09:00–11:00` /
/// `Sat, 28 Nov 09:00–11:00`.
pub fn window(locale: Locale, starts: &UtcTime, ends: &UtcTime) -> String {
    match (parts(&starts.0, false), parts(&ends.0, false)) {
        (Some(from), Some(to)) => format!(
            "{} {}–{}",
            weekday_day_month(locale, &from),
            from.time,
            to.time
        ),
        _ => format!("{}–{}", starts.0, ends.0),
    }
}
