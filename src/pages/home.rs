//! `/`: the two ways in — sign in, or track one order without an account.

use crate::locale::i18n::*;
use crate::locale::text;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="hero">
            <h1>{text(|l| td_string!(l, home.title))}</h1>
            <p class="lead">{text(|l| td_string!(l, home.lead))}</p>
        </section>
        <div class="cards">
            {move || match session.customer_name() {
                Some(_) => view! {
                    <a href="/orders" class="card card-link">
                        <h2>{text(|l| td_string!(l, nav.orders))}</h2>
                        <p>{text(|l| td_string!(l, home.sign_in_body))}</p>
                    </a>
                }.into_any(),
                None => view! {
                    <a href="/sign-in" class="card card-link">
                        <h2>{text(|l| td_string!(l, home.sign_in_title))}</h2>
                        <p>{text(|l| td_string!(l, home.sign_in_body))}</p>
                    </a>
                }.into_any(),
            }}
            <a href="/track" class="card card-link">
                <h2>{text(|l| td_string!(l, home.track_title))}</h2>
                <p>{text(|l| td_string!(l, home.track_body))}</p>
            </a>
        </div>
    }
}
