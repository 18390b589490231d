//! Any path the portal does not know.

use crate::i18n::*;
use crate::locale::use_locale;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_locale();
    view! {
        <section class="page narrow">
            <h1>{move || td!(i18n.get(), not_found.title)}</h1>
            <p>{move || td!(i18n.get(), not_found.body)}</p>
            <a href="/">{move || td!(i18n.get(), not_found.home)}</a>
        </section>
    }
}
