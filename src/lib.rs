//! Portico, the customer self-service portal: a Leptos app rendered in the browser.
//!
//! `start` reads `portico.config.json`, then mounts [`App`]. Pages live in `pages/` (one file per
//! route, composing only), reusable pieces in `components/`, every call to a service goes through
//! `portico_client` (endpoints from `services`), every page-wide effect lives in `shell`, and
//! every user-visible string goes through `locale::i18n`, generated from `locales/`.

pub mod components;
pub mod config;
pub mod format;
pub mod locale;
pub mod pages;
pub mod pending;
pub mod services;
pub mod session;
pub mod shell;

use components::feedback::FeedbackButton;
use components::header::Header;
use config::RuntimeConfig;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;
use locale::i18n::*;
use locale::text;
use pages::{
    benefits::{BenefitPageRoute, BenefitsRoute},
    guest_lookup::GuestLookupRoute,
    home::HomePage,
    member::MemberRoute,
    my_feedback::MyFeedbackRoute,
    my_returns::MyReturnsRoute,
    not_found::NotFound,
    order_detail::OrderDetailPage,
    orders::OrdersPage,
    return_detail::ReturnDetailRoute,
    sign_in::SignInRoute,
    start_return::StartReturnRoute,
    survey::SurveyRoute,
};

/// Loads the runtime configuration, then mounts the app on `<body>`.
pub fn start() {
    // Leptos sets up its executor when it mounts; the config is fetched before that.
    wasm_bindgen_futures::spawn_local(async {
        let config = config::load().await;
        leptos::mount::mount_to_body(move || view! { <App config/> });
    });
}

/// The whole portal: language, session, header and routes.
#[component]
pub fn App(config: RuntimeConfig) -> impl IntoView {
    let initial_locale = shell::asked_locale()
        .or_else(shell::remembered_locale)
        .unwrap_or_else(|| locale::locale_from_tag(&config.default_locale));
    shell::apply_brand(&config);
    let services = services::Services::from(&config);
    provide_context(services);
    pending::resume(services);
    provide_context(config);
    locale::provide_locale(initial_locale);
    view! { <Shell/> }
}

#[component]
fn Shell() -> impl IntoView {
    shell::follow_language();
    session::provide_session();
    // The staff editor's preview: the page alone, no way to another page (`shell::previewing`).
    let preview = shell::previewing();
    if preview {
        provide_context(components::blocks::Previewing);
    }
    view! {
        <Router>
            {(!preview).then(|| view! {
                <a class="skip-link" href="#main">{text(|l| td_string!(l, app.skip))}</a>
                <Header/>
            })}
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/orders") view=OrdersPage/>
                    <Route path=path!("/orders/:number") view=OrderDetailPage/>
                    <Route path=path!("/orders/:number/return") view={Lazy::<StartReturnRoute>::new()}/>
                    <Route path=path!("/returns") view={Lazy::<MyReturnsRoute>::new()}/>
                    <Route path=path!("/returns/:number") view={Lazy::<ReturnDetailRoute>::new()}/>
                    <Route path=path!("/track") view={Lazy::<GuestLookupRoute>::new()}/>
                    <Route path=path!("/member") view={Lazy::<MemberRoute>::new()}/>
                    <Route path=path!("/benefits") view={Lazy::<BenefitsRoute>::new()}/>
                    <Route path=path!("/benefits/:slug") view={Lazy::<BenefitPageRoute>::new()}/>
                    <Route path=path!("/feedback") view={Lazy::<MyFeedbackRoute>::new()}/>
                    <Route path=path!("/s/:token") view={Lazy::<SurveyRoute>::new()}/>
                </Routes>
            </main>
            {(!preview).then(|| view! {
                <footer class="site-footer">
                    <p>{text(|l| td_string!(l, app.footer))}</p>
                    <FeedbackButton/>
                </footer>
            })}
        </Router>
    }
}
