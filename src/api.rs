//! Every call to a service goes through here: one small typed fetch helper on gloo-net, which
//! sends cookies, turns `application/problem+json` into [`ApiError::Problem`] and aborts its
//! request when the view that asked for it is cleaned up.

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::on_cleanup;
use portico_api::{ErrorCode, Problem, RuntimeConfig};
use serde::{de::DeserializeOwned, Serialize};
use web_sys::RequestCredentials;

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
    decode(send(Request::get(url), None).await?)
}

pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Unexpected)?;
    decode(send(Request::post(url), Some(body)).await?)
}

/// A POST whose answer has no body we need (204).
pub async fn post_empty(url: &str) -> Result<(), ApiError> {
    send(Request::post(url), None).await.map(|_| ())
}

fn decode<T: DeserializeOwned>(text: String) -> Result<T, ApiError> {
    serde_json::from_str(&text).map_err(|_| ApiError::Unexpected)
}

/// The one place a request is made; not generic, so the app carries its code once.
async fn send(builder: RequestBuilder, body: Option<String>) -> Result<String, ApiError> {
    let abort = web_sys::AbortController::new().ok();
    let signal = abort.as_ref().map(|a| a.signal());
    if let Some(abort) = abort {
        let abort = send_wrapper::SendWrapper::new(abort);
        on_cleanup(move || abort.abort());
    }
    let builder = builder
        .credentials(RequestCredentials::Include)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Unexpected)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(text)
    } else {
        Err(serde_json::from_str::<Problem>(&text)
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected))
    }
}
