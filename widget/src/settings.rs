//! Where the widget is (the partner's page, its host element and shadow root), which service it
//! talks to, and the visitor's proof of who they are, if the partner's backend gave one.

use crate::locale::{self, i18n::Locale};
use leptos::prelude::*;
use portico_api::paths;
use portico_client::{Credentials, Endpoint, Service};
use send_wrapper::SendWrapper;
use web_sys::{HtmlElement, ShadowRoot};

/// One place the widget is drawn: the element the loader made on the partner's page, its shadow
/// root, the service and the partner's key, and the language.
#[derive(Clone)]
pub struct Embed {
    pub host: SendWrapper<HtmlElement>,
    pub shadow: SendWrapper<ShadowRoot>,
    pub service: Service,
    pub partner: &'static str,
    /// The language the page asked for (`data-locale`) or the browser's; `None`: the partner's.
    pub asked_locale: Option<Locale>,
}

impl Embed {
    pub fn new(
        host: HtmlElement,
        shadow: ShadowRoot,
        base: &str,
        partner: &str,
        asked_locale: Option<&str>,
    ) -> Self {
        Embed {
            host: SendWrapper::new(host),
            shadow: SendWrapper::new(shadow),
            // The widget never sends cookies: a visitor proves what they see in each request.
            service: Service::new(base, Credentials::Omit),
            partner: partner.to_string().leak(),
            asked_locale: asked_locale.and_then(locale::from_tag),
        }
    }

    pub fn endpoint(&self, path: &str) -> Endpoint {
        self.service.endpoint(path)
    }

    /// The service's own portal (`/track` and friends), for "see everything".
    pub fn portal_url(&self, path: &str) -> String {
        self.endpoint(path).url().to_string()
    }

    pub fn settings_endpoint(&self) -> Endpoint {
        self.endpoint(&paths::widget(self.partner))
    }
}

// Reference-counted rather than arena signals: these live as long as the page, whichever view
// first asks for them (an arena signal made inside a view would be disposed with that view).
thread_local! {
    static IDENTITY: ArcRwSignal<Option<String>> = ArcRwSignal::new(None);
    static SURVEY: ArcRwSignal<Option<String>> = ArcRwSignal::new(None);
}

/// The token of the survey invitation the partner page passed (`Portico.survey`), if any.
pub fn survey_token() -> ArcRwSignal<Option<String>> {
    SURVEY.with(ArcRwSignal::clone)
}

/// The identity token the partner page gave (`Portico.identify`), shared by every mount.
pub fn identity() -> ArcRwSignal<Option<String>> {
    IDENTITY.with(ArcRwSignal::clone)
}
