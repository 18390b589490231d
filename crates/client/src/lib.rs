//! Every call a Portico bundle makes to a service goes through here: [`Remote`] for what a view
//! loads, [`Submit`] for what a form sends, [`get`] for a one-off read, all on one small,
//! non-generic helper over the browser's fetch. It sends the credentials its [`Service`] says,
//! turns `application/problem+json` into [`ApiError::Problem`], and aborts a request when the
//! view that asked for it is cleaned up.
//!
//! **Invariant:** no router, no i18n, nothing document-wide (no `<html>`, no `:root`, no storage):
//! the portal, the staff app and the widget each bring their own shell. Where a service is and
//! whether cookies go with it is passed in, never read from a page-relative file.

mod fetch;
mod reactive;

pub use fetch::{decode, get, send_json, Answer, ApiError};
pub use reactive::{Remote, Submit};

/// Whether requests carry the browser's cookies for the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// Cookies go along, also to another origin (the portal, whose session is a cookie).
    Include,
    /// Cookies go along only to the page's own origin: the browser's default, and what a
    /// `<link rel=preload crossorigin>` fetches with, so a preloaded file is used, not fetched twice.
    SameOrigin,
    /// Never any cookie (a widget on a partner's page proves who it is otherwise).
    Omit,
}

/// One service of a deployment: its base URL ("" is the page's own origin) and credentials mode.
/// Made once when a bundle starts and kept for the life of the page, so it is `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    base: &'static str,
    credentials: Credentials,
}

impl Service {
    pub fn new(base_url: &str, credentials: Credentials) -> Self {
        // Leaked once per service per page: a handful of bytes that live as long as the page.
        let base: &'static str = base_url.trim_end_matches('/').to_string().leak();
        Self { base, credentials }
    }

    /// The request target for `path` (`/api/orders`) on this service.
    pub fn endpoint(&self, path: &str) -> Endpoint {
        Endpoint {
            url: format!("{}{path}", self.base),
            credentials: self.credentials,
            idempotency_key: None,
            csrf_token: None,
        }
    }
}

/// Where one request goes, and with which credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    credentials: Credentials,
    idempotency_key: Option<String>,
    csrf_token: Option<String>,
}

impl Endpoint {
    /// The URL, for what the browser fetches by itself (an `<img src>`), never for a request.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The same request, sent with an `Idempotency-Key`: sent again with the same key (a double
    /// click, a retry after the network dropped), the service does it once.
    pub fn once(self, key: &str) -> Self {
        Self {
            idempotency_key: Some(key.to_string()),
            ..self
        }
    }
}

impl Endpoint {
    /// The same request, carrying the session's CSRF token in `X-CSRF-Token` (every staff write
    /// must: the staff session's cookie alone does not let a write through).
    pub fn with_csrf(self, token: &str) -> Self {
        Self {
            csrf_token: Some(token.to_string()),
            ..self
        }
    }
}

/// A new `Idempotency-Key`: 128 random bits from the browser's cryptographic generator, as hex.
pub fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    if bytes == [0; 16] {
        // No crypto (never in a browser that runs wasm): the clock still keeps keys apart.
        bytes[..8].copy_from_slice(&js_sys::Date::now().to_bits().to_le_bytes());
        bytes[8..].copy_from_slice(&js_sys::Math::random().to_bits().to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
