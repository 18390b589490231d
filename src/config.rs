//! The deployment's runtime configuration (`portico.config.json`), read once at start so one
//! build of the app serves any deployment that speaks the contract.

use crate::locale::i18n::Locale;
pub use portico_api::RuntimeConfig;

/// Fetches `portico.config.json` next to the app; a missing or broken file falls back to the
/// defaults (same-origin services, zh-CN) so the portal still comes up.
pub async fn load() -> RuntimeConfig {
    crate::api::get::<RuntimeConfig>(portico_api::paths::CONFIG)
        .await
        .unwrap_or_default()
}

pub fn locale_from_tag(tag: &str) -> Locale {
    if tag.to_ascii_lowercase().starts_with("en") {
        Locale::en
    } else {
        Locale::zh_CN
    }
}

const LOCALE_KEY: &str = "portico.locale";

fn local_storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The language the customer picked on an earlier visit, if any.
pub fn remembered_locale() -> Option<Locale> {
    local_storage()?
        .get_item(LOCALE_KEY)
        .ok()
        .flatten()
        .map(|tag| locale_from_tag(&tag))
}

pub fn remember_locale(locale: Locale) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LOCALE_KEY, locale_tag(locale));
    }
}

pub fn locale_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// Brand colours become CSS custom properties, so `style/` never hard-codes a deployment's look.
pub fn apply_brand(config: &RuntimeConfig) {
    use wasm_bindgen::JsCast;
    let Some(root) = leptos::prelude::document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    let _ = style.set_property("--brand", &config.brand.primary_color);
    let _ = style.set_property("--brand-contrast", &config.brand.primary_contrast);
    leptos::prelude::document().set_title(&config.brand.name);
}
