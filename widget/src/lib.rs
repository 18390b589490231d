//! Portico's embeddable widget: what a visitor on a partner's page can do without leaving it —
//! track an order, send feedback, answer a survey, see their tier. A Leptos bundle of its own
//! with no router, mounted by the loader (`loader.js`) into Shadow DOM it made on the partner's
//! page: the panel (a modal `<dialog>`) behind the launcher button, or one feature drawn inline
//! in a `<portico-widget feature="...">` element.
//!
//! **Invariants:** nothing here touches the partner's document outside its shadow roots (no
//! `<head>`, no globals but the loader's `window.Portico`), styles are adopted by the shadow
//! root (`style.rs`), requests go through `portico_client` without cookies, and the visitor is
//! shown only what they proved in the request.

mod call;
mod events;
mod feedback;
mod format;
mod locale;
mod lookup;
mod panel;
mod settings;
mod style;
mod survey;
#[cfg(test)]
mod tests;

use leptos::prelude::*;
use settings::Embed;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// Draws the panel into `shadow` (the launcher's shadow root, `host` its element) and opens it,
/// showing `feature` first when given; `survey` is the token of a survey invitation to answer.
/// Called again, it opens the same panel: what the visitor typed is still there.
#[wasm_bindgen]
pub fn open_panel(
    host: HtmlElement,
    shadow: ShadowRoot,
    base: String,
    partner: String,
    locale: Option<String>,
    feature: Option<String>,
    survey: Option<String>,
) {
    if survey.is_some() {
        settings::survey_token().set(survey);
    }
    let embed = Embed::new(host, shadow, &base, &partner, locale.as_deref());
    panel::open(embed, feature.as_deref());
}

/// Sends the feedback this partner's page kept on an earlier visit (the loader calls it at page
/// load when something is kept), and again whenever the browser is back online.
#[wasm_bindgen]
pub fn resend(host: HtmlElement, shadow: ShadowRoot, base: String, partner: String) {
    let embed = Embed::new(host, shadow, &base, &partner, None);
    feedback::resend_when_online(&embed);
}

/// Closes the panel, if open (focus goes back to the launcher).
#[wasm_bindgen]
pub fn close_panel() {
    panel::close();
}

/// Draws one feature inline in `shadow` (a `<portico-widget feature="...">` element's).
#[wasm_bindgen]
pub fn mount_inline(
    host: HtmlElement,
    shadow: ShadowRoot,
    base: String,
    partner: String,
    locale: Option<String>,
    feature: String,
) {
    let embed = Embed::new(host, shadow, &base, &partner, locale.as_deref());
    panel::inline(embed, &feature);
}

/// The partner's backend vouched for the visitor: `token` is its identity token. The tier
/// badge shows once the service accepts it; `None` forgets it.
#[wasm_bindgen]
pub fn identify(token: Option<String>) {
    settings::identity().set(token);
}

/// Mounts `view` in a fresh element appended to `shadow`. The mount lives as long as the page
/// (the handle is leaked on purpose: dropping it would take the view away).
fn mount_in<V: IntoView + 'static>(shadow: &ShadowRoot, view: impl FnOnce() -> V + 'static) {
    let Some(root) = leptos::prelude::document()
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    root.set_class_name("portico-root");
    if shadow.append_child(&root).is_err() {
        return;
    }
    std::mem::forget(leptos::mount::mount_to(root, view));
}
