//! Any path the portal does not know.

use crate::locale::i18n::*;
use crate::locale::text;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow">
            <h1>{text(|l| td_string!(l, not_found.title))}</h1>
            <p>{text(|l| td_string!(l, not_found.body))}</p>
            <a href="/">{text(|l| td_string!(l, not_found.home))}</a>
        </section>
    }
}
