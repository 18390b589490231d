//! Every call to a service goes through here: one small typed helper on the browser's fetch, which
//! sends cookies, turns `application/problem+json` into [`ApiError::Problem`] and aborts its
//! request when the view that asked for it is cleaned up.

use leptos::prelude::{on_cleanup, window};
use portico_api::{ErrorCode, Problem, RuntimeConfig};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, Response};

/// Base URLs of the services this deployment talks to ("" is the app's own origin).
#[derive(Debug, Clone)]
pub struct Services {
    auth: String,
    orders: String,
}

impl From<&RuntimeConfig> for Services {
    fn from(config: &RuntimeConfig) -> Self {
        let trim = |s: &str| s.trim_end_matches('/').to_string();
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

pub async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    decode(send("GET", url, None).await?)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Unexpected)?;
    decode(send("POST", url, Some(body)).await?)
}

/// A POST whose answer has no body we need (204).
pub async fn post_empty(url: &str) -> Result<(), ApiError> {
    send("POST", url, None).await.map(|_| ())
}

fn decode<T: DeserializeOwned>(text: String) -> Result<T, ApiError> {
    serde_json::from_str(&text).map_err(|_| ApiError::Unexpected)
}

/// The one place a request is made; not generic, so the app carries its code once.
async fn send(method: &str, url: &str, body: Option<String>) -> Result<String, ApiError> {
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
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| ApiError::Network)?,
        Err(_) => return Err(ApiError::Network),
    }
    .as_string()
    .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(serde_json::from_str::<Problem>(&text)
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected))
    }
}
