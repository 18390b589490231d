//! The service's notion of now, in unix seconds. Tests move it forward to expire codes.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        system + self.offset.load(Ordering::Relaxed)
    }

    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }

    /// Moves now to `unix` (it goes on ticking from there): tests that depend on the date.
    pub fn set(&self, unix: i64) {
        self.advance(unix - self.now());
    }
}

/// RFC 3339 in UTC, as the contract wants.
pub fn rfc3339(unix: i64) -> portico_api::UtcTime {
    let at =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    portico_api::UtcTime(
        at.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    )
}

/// `HH:MM` of a unix time, in China's time zone (UTC+8).
pub fn china_clock(unix: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(unix.saturating_add(8 * 3600))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// `YYYY-MM-DD HH:MM` of a unix time, in China's time zone (UTC+8).
pub fn china_date_time(unix: i64) -> String {
    format!("{} {}", china_date(unix), china_clock(unix))
}

/// Unix seconds of an RFC 3339 time (any offset); `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|at| at.unix_timestamp())
}

/// `YYYY-MM-DD` of a unix time, in China's time zone (where the parcels are).
pub fn china_date(unix: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(unix.saturating_add(8 * 3600))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let date = at.date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
