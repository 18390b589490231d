//! The portal's page-wide effects, and the only place it touches the document as a whole: the
//! `<html lang>` that follows the language, the brand colours on the root element, the page
//! title, and the language remembered for the next visit. Components and `portico_client` never
//! do any of this, so a bundle without this shell (the widget) can use them.

use crate::locale::i18n::Locale;
use crate::locale::{locale_from_tag, locale_tag, use_locale};
use leptos::prelude::*;
use portico_api::RuntimeConfig;

const LOCALE_KEY: &str = "portico.locale";

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The language a link asks for (`?lang=en`, as the staff preview does), if any.
pub fn asked_locale() -> Option<Locale> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(locale_from_tag)
}

/// Whether this is the staff editor's preview of one benefit page (`/benefits/SLUG?preview=`,
/// in a frame of the staff app): then the portal draws that page alone, without its navigation,
/// and the page's links open in a new tab, so the frame never shows another page.
pub fn previewing() -> bool {
    let location = window().location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return false;
    };
    path.strip_prefix("/benefits/")
        .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
        && search
            .trim_start_matches('?')
            .split('&')
            .any(|pair| pair.strip_prefix("preview=").is_some_and(|r| !r.is_empty()))
}

/// The language the customer picked on an earlier visit, if any.
pub fn remembered_locale() -> Option<Locale> {
    local_storage()?
        .get_item(LOCALE_KEY)
        .ok()
        .flatten()
        .map(|tag| locale_from_tag(&tag))
}

fn remember_locale(locale: Locale) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LOCALE_KEY, locale_tag(locale));
    }
}

/// Brand colours become CSS custom properties, so `style/` never hard-codes a deployment's look.
pub fn apply_brand(config: &RuntimeConfig) {
    use wasm_bindgen::JsCast;
    let Some(root) = document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    let _ = style.set_property("--brand", &config.brand.primary_color);
    let _ = style.set_property("--brand-contrast", &config.brand.primary_contrast);
    document().set_title(&config.brand.name);
}

/// The `<html lang>` follows the chosen language (screen readers and CJK fonts depend on it), and
/// a change of language is remembered for the next visit.
pub fn follow_language() {
    let i18n = use_locale();
    Effect::new(move |previous: Option<Locale>| {
        let locale = i18n.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale_tag(locale));
        }
        if previous.is_some_and(|previous| previous != locale) {
            remember_locale(locale);
        }
        locale
    });
}
