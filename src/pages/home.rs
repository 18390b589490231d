//! `/`: the two ways in — sign in, or track one order without an account.

use crate::i18n::*;
use crate::locale::use_locale;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_locale();
    let session = use_session();
    view! {
        <section class="hero">
            <h1>{move || td!(i18n.get(), home.title)}</h1>
            <p class="lead">{move || td!(i18n.get(), home.lead)}</p>
        </section>
        <div class="cards">
            {move || match session.customer_name() {
                Some(_) => view! {
                    <a href="/orders" class="card card-link">
                        <h2>{move || td!(i18n.get(), nav.orders)}</h2>
                        <p>{move || td!(i18n.get(), home.sign_in_body)}</p>
                    </a>
                }.into_any(),
                None => view! {
                    <a href="/sign-in" class="card card-link">
                        <h2>{move || td!(i18n.get(), home.sign_in_title)}</h2>
                        <p>{move || td!(i18n.get(), home.sign_in_body)}</p>
                    </a>
                }.into_any(),
            }}
            <a href="/track" class="card card-link">
                <h2>{move || td!(i18n.get(), home.track_title)}</h2>
                <p>{move || td!(i18n.get(), home.track_body)}</p>
            </a>
        </div>
    }
}
