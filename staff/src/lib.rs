//! Portico's staff app: a Leptos bundle of its own under `/staff/`, never downloaded by
//! customers. Staff sign in with their email and password (`sign_in`); what follows is what
//! their role may do: editors and publishers write benefit pages and publishers publish them
//! (`pages`, `editor`, `review`; admins read them), admins and publishers review returns over
//! 500 CNY (`returns`) and read the audit log (`audit`), admins manage staff accounts
//! (`accounts`), the partners who embed the widget (`partners`), the keys the shop's systems
//! sign ingest requests with (`integrations`) and the messages to customers that could not be
//! delivered (`messages`, with a button sending one again). Each screen has its address under
//! `/staff/` (`desk`: the routes, the nav, who may open what). Every request goes through
//! `portico_client` to the staff API on this origin, with the session's cookie; every write
//! carries the session's CSRF token. The only page-wide effects (`<html lang>`, the title) live
//! here.

mod accounts;
mod audit;
mod desk;
mod editor;
mod integrations;
mod messages;
mod pages;
mod partners;
mod returns;
mod review;
mod sign_in;
mod words;

// The `i18n` module is generated from `staff/locales/*.json` at compile time.
#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}

use leptos::prelude::*;
use leptos_router::components::Router;
use locales::i18n::*;
use portico_api::{paths, StaffSession};
use portico_client::{ApiError, Credentials, Endpoint, Remote, Service, Submit};
use serde::de::DeserializeOwned;

/// The staff API: on this origin, with the staff cookie.
#[derive(Clone, Copy)]
pub(crate) struct Api(Service);

impl Api {
    pub(crate) fn read(self, path: &str) -> Endpoint {
        self.0.endpoint(path)
    }
}

/// Who is signed in, with the CSRF token their writes carry; `None` when nobody is.
#[derive(Clone, Copy)]
pub(crate) struct Signed(RwSignal<Option<StaffSession>>);

impl Signed {
    /// A write's endpoint, with the session's CSRF token.
    pub(crate) fn write(self, api: Api, path: &str) -> Endpoint {
        let token = self
            .0
            .with_untracked(|s| s.as_ref().and_then(|s| s.csrf_token.clone()))
            .unwrap_or_default();
        api.read(path).with_csrf(&token)
    }

    /// Forgets the session here (signed out, or the service said it has ended).
    pub(crate) fn forget(self) {
        self.0.set(None);
    }

    /// A load whose answer "signed out" forgets the session: the sign-in shows, at this address.
    pub(crate) fn remote<T: DeserializeOwned + 'static>(
        self,
        endpoint: impl Fn() -> Endpoint + 'static,
    ) -> Remote<T> {
        let remote = Remote::new(endpoint);
        self.watch(move || remote.get().and_then(Result::err));
        remote
    }

    /// A form's request whose answer "signed out" forgets the session.
    pub(crate) fn submit<T: DeserializeOwned + 'static>(self) -> Submit<T> {
        let submit = Submit::new();
        self.watch(move || submit.value().and_then(Result::err));
        submit
    }

    /// The one place a lost session is handled.
    fn watch(self, refused: impl Fn() -> Option<ApiError> + 'static) {
        Effect::new(move |_| {
            if refused().is_some_and(|error| words::signed_out(&error)) {
                self.forget();
            }
        });
    }
}

/// The language the app speaks: the browser's (Chinese unless it asks for another), switchable.
fn browser_locale() -> Locale {
    let asked = window().navigator().language().unwrap_or_default();
    if asked.is_empty() || asked.starts_with("zh") {
        Locale::zh_CN
    } else {
        Locale::en
    }
}

pub fn start() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let locale = RwSignal::new(browser_locale());
    let api = Api(Service::new("", Credentials::SameOrigin));
    let session = Remote::<StaffSession>::new(move || api.read(paths::STAFF_SESSION));
    let signed = Signed(RwSignal::new(None));
    // Opened with a password link: that first; then the sign-in, the email filled in.
    let link = RwSignal::new(sign_in::link_token());
    let welcome = RwSignal::new(None::<String>);
    // A link opened in a tab already on the app changes only the fragment.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(token) = sign_in::link_token() {
            link.set(Some(token));
        }
    });
    let done = Callback::new(move |email: String| {
        welcome.set(Some(email));
        link.set(None);
    });
    Effect::new(move |_| {
        if let Some(Ok(found)) = session.get() {
            signed.0.set(found.staff.is_some().then_some(found));
        }
    });
    // The page's language and title follow the language chosen.
    Effect::new(move |_| {
        let locale = locale.get();
        let document = document();
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", words::tag(locale));
        }
        document.set_title(td_string!(locale, app.title));
    });
    let switch = move |_| {
        locale.update(|l| {
            *l = if *l == Locale::en {
                Locale::zh_CN
            } else {
                Locale::en
            }
        })
    };
    view! {
        <Router>
            <header class="bar">
                <p class="brand">{move || td_string!(locale.get(), app.title)}</p>
                <button type="button" class="link-button" lang=move || words::tag(words::other(locale.get())) on:click=switch>
                    {move || td_string!(locale.get(), app.language)}
                </button>
            </header>
            <main id="main">
                // The language is read inside each piece, never here: switching it redraws no screen.
                {move || {
                    match (session.get(), signed.0.get(), link.get()) {
                        (_, _, Some(token)) => view! { <sign_in::SetPassword locale api token done/> }.into_any(),
                        (None, _, _) => view! {
                            <p class="loading" role="status">{move || td_string!(locale.get(), app.loading)}</p>
                        }.into_any(),
                        (_, Some(found), _) => view! { <desk::SignedIn locale api signed found/> }.into_any(),
                        (_, None, _) => match welcome.get() {
                            Some(email) => view! { <sign_in::SignIn locale api signed welcome=email/> }.into_any(),
                            None => view! { <sign_in::SignIn locale api signed/> }.into_any(),
                        },
                    }
                }}
            </main>
        </Router>
    }
}
