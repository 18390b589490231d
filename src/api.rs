//! Every call to a service goes through here: [`Remote`] for what a page loads, [`Submit`] for
//! what a form sends, both on one small helper over the browser's fetch, which sends cookies,
//! turns `application/problem+json` into [`ApiError::Problem`] and aborts its request when the
//! view that asked for it is cleaned up.

use leptos::prelude::*;
use portico_api::{ErrorCode, Problem, RuntimeConfig};
use serde::{de::DeserializeOwned, Serialize};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, Response};

/// Base URLs of the services this deployment talks to ("" is the app's own origin). Read once
/// when the app starts and kept for the life of the page, so handlers can copy them freely.
#[derive(Debug, Clone, Copy)]
pub struct Services {
    auth: &'static str,
    orders: &'static str,
}

impl From<&RuntimeConfig> for Services {
    fn from(config: &RuntimeConfig) -> Self {
        let trim = |s: &str| -> &'static str { s.trim_end_matches('/').to_string().leak() };
        Self {
            auth: trim(&config.services.auth),
            orders: trim(&config.services.orders),
        }
    }
}

impl Services {
    pub fn auth(&self, path: &str) -> String {
        format!("{}{path}", self.auth)
    }

    pub fn orders(&self, path: &str) -> String {
        format!("{}{path}", self.orders)
    }

    /// The services in the current reactive owner's context.
    pub fn current() -> Self {
        leptos::prelude::expect_context::<Services>()
    }
}

/// Why a call failed, in terms the app can explain to a customer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The service answered with a problem document.
    Problem(Problem),
    /// No answer: offline, DNS, CORS, aborted.
    Network,
    /// An answer we could not read (a deployment speaking another version of the contract).
    Unexpected,
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Problem(p) => p.code,
            ApiError::Network => ErrorCode::Internal,
            ApiError::Unexpected => ErrorCode::Internal,
        }
    }
}

/// A service's answer before it is decoded. Every load and every submission in the app shares
/// this one type (and one future type), so the release wasm carries the reactive loading code
/// once rather than once per kind of answer.
type Answer = Result<Arc<str>, ApiError>;

/// Reads `url` once, outside any view (the runtime configuration).
pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    decode(&send("GET", url, None).await?)
}

/// Data a page shows, loaded from a service: fetched at once, and again whenever a signal that
/// `url` reads changes, or on [`Remote::refetch`]. A reload that brings the same answer changes
/// nothing on the page (no redraw, nothing the customer opened or typed is reset).
pub struct Remote<T> {
    resource: LocalResource<Answer>,
    answer: Memo<Option<Answer>>,
    decoded: PhantomData<fn() -> T>,
}

impl<T> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Remote<T> {}

impl<T: DeserializeOwned> Remote<T> {
    pub fn new(url: impl Fn() -> String + 'static) -> Self {
        let (resource, answer) = load(Rc::new(url));
        Self {
            resource,
            answer,
            decoded: PhantomData,
        }
    }

    /// `None` until the first answer arrives; tracked, so a view reading it follows reloads.
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.answer.get().map(|answer| decode(&answer?))
    }

    pub fn refetch(&self) {
        self.resource.refetch();
    }
}

fn load(url: Rc<dyn Fn() -> String>) -> (LocalResource<Answer>, Memo<Option<Answer>>) {
    let resource = LocalResource::new(move || {
        let url = url();
        async move { send("GET", &url, None).await }
    });
    (resource, Memo::new(move |_| resource.get()))
}

/// A request a form sends (POST with a JSON body): pending while on its way, then its answer.
pub struct Submit<T> {
    action: Action<(String, Option<String>), Answer>,
    decoded: PhantomData<fn() -> T>,
}

impl<T> Clone for Submit<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Submit<T> {}

impl<T: DeserializeOwned> Submit<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            action: submit(),
            decoded: PhantomData,
        }
    }

    /// Sends `body` as JSON. A body that cannot be serialized is never sent (not even empty):
    /// the answer is `Unexpected`, which the page shows as an error.
    pub fn post(&self, url: String, body: &impl Serialize) {
        match serde_json::to_string(body) {
            Ok(body) => {
                self.action.dispatch((url, Some(body)));
            }
            Err(_) => self.action.value().set(Some(Err(ApiError::Unexpected))),
        }
    }

    /// A POST without a body (signing out).
    pub fn post_empty(&self, url: String) {
        self.action.dispatch((url, None));
    }

    /// The latest answer, `None` before the first; tracked.
    pub fn value(&self) -> Option<Result<T, ApiError>> {
        self.action.value().get().map(|answer| decode(&answer?))
    }

    /// Whether a request is on its way; tracked.
    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }
}

fn submit() -> Action<(String, Option<String>), Answer> {
    Action::new_local(|(url, body): &(String, Option<String>)| {
        let (url, body) = (url.clone(), body.clone());
        async move { send("POST", &url, body).await }
    })
}

/// An empty answer (204 No Content) reads as JSON `null`, which decodes as `()`.
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let text = if text.is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|_| ApiError::Unexpected)
}

/// The one place a request is made; not generic, so the app carries its code once.
async fn send(method: &str, url: &str, body: Option<String>) -> Answer {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::Include);
    let headers = Headers::new().map_err(|_| ApiError::Unexpected)?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| ApiError::Unexpected)?;
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(|_| ApiError::Unexpected)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    if let Ok(abort) = AbortController::new() {
        init.set_signal(Some(&abort.signal()));
        let abort = send_wrapper::SendWrapper::new(abort);
        on_cleanup(move || abort.abort());
    }
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| ApiError::Network)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| ApiError::Network)?)
        .await
        .map_err(|_| ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text.into())
    } else {
        Err(serde_json::from_str::<Problem>(&text)
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected))
    }
}
