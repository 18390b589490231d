//! `/`: the two ways in — sign in, or track one order without an account.

use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section class="hero">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
        </section>
        <div class="cards">
            {move || match session.customer_name() {
                Some(_) => view! {
                    <A href="/orders" attr:class="card card-link">
                        <h2>{t!(i18n, nav.orders)}</h2>
                        <p>{t!(i18n, home.sign_in_body)}</p>
                    </A>
                }.into_any(),
                None => view! {
                    <A href="/sign-in" attr:class="card card-link">
                        <h2>{t!(i18n, home.sign_in_title)}</h2>
                        <p>{t!(i18n, home.sign_in_body)}</p>
                    </A>
                }.into_any(),
            }}
            <A href="/track" attr:class="card card-link">
                <h2>{t!(i18n, home.track_title)}</h2>
                <p>{t!(i18n, home.track_body)}</p>
            </A>
        </div>
    }
}
