//! The deployment's runtime configuration (`portico.config.json`), read once at start so one
//! build of the portal serves any deployment that speaks the contract.

pub use portico_api::RuntimeConfig;
use portico_client::{Credentials, Service};

/// Fetches `portico.config.json` next to the portal; a missing or broken file falls back to the
/// defaults (same-origin services, zh-CN) so the portal still comes up.
pub async fn load() -> RuntimeConfig {
    let here = Service::new("", Credentials::Include);
    portico_client::get::<RuntimeConfig>(&here.endpoint(portico_api::paths::CONFIG))
        .await
        .unwrap_or_default()
}
