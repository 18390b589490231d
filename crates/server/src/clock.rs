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

/// `YYYY-MM-DD` of a unix time, in China's time zone (where the parcels are).
pub fn china_date(unix: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(unix + 8 * 3600)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let date = at.date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
