//! The deployment's runtime configuration (`portico.config.json`), read once at start so one
//! build of the portal serves any deployment that speaks the contract.

pub use portico_api::RuntimeConfig;
use portico_client::{Credentials, Service};

/// Fetches `portico.config.json` next to the portal; a missing or broken file falls back to the
/// defaults (same-origin services, zh-CN) so the portal still comes up. `index.html` preloads it
/// beside the wasm with the same credentials mode, so this read takes the preloaded answer.
pub async fn load() -> RuntimeConfig {
    let here = Service::new("", Credentials::SameOrigin);
    portico_client::get::<RuntimeConfig>(&here.endpoint(portico_api::paths::CONFIG))
        .await
        .unwrap_or_default()
}

/// The demo outbox, a page the server draws in `locale` (it is not part of this bundle, so links
/// to it carry `rel="external"` and load it whole).
pub fn demo_outbox_href(locale: crate::locale::i18n::Locale) -> String {
    format!(
        "{}?lang={}",
        portico_api::paths::OUTBOX_PAGE,
        crate::locale::locale_tag(locale)
    )
}
