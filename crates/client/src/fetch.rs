//! The one place a request is made, and what its answer means.

use crate::{Credentials, Endpoint};
use leptos::prelude::{on_cleanup, window};
use portico_api::{ErrorCode, Problem};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, Response};

/// Why a call failed, in terms a bundle can explain to a person.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The service answered with a problem document.
    Problem(Problem),
    /// No answer: offline, DNS, CORS, aborted.
    Network,
    /// An answer that could not be read (a deployment speaking another version of the
    /// contract), or a request that could not be written.
    Unexpected,
}

impl ApiError {
    /// The problem's code; `None` when there was no problem document (no answer, or an
    /// unreadable one), so "offline" is never mistaken for "the server broke".
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem(p) => Some(p.code),
            ApiError::Network | ApiError::Unexpected => None,
        }
    }
}

/// A service's answer before it is decoded. Every load and every submission shares this one type
/// (and one future type), so a bundle carries the reactive loading code once rather than once per
/// kind of answer.
pub type Answer = Result<Arc<str>, ApiError>;

/// Reads `endpoint` once, outside any view (a bundle's start-up configuration).
pub async fn get<T: DeserializeOwned>(endpoint: &Endpoint) -> Result<T, ApiError> {
    decode(&send("GET", endpoint, None).await?)
}

/// Sends `body`, JSON written earlier (a bundle may have kept it while the network was gone), with
/// `method`; the answer's text, to [`decode`] when it is wanted.
pub async fn send_json(method: &str, endpoint: &Endpoint, body: String) -> Answer {
    send(method, endpoint, Some(body)).await
}

/// An empty answer (204 No Content) reads as JSON `null`, which decodes as `()`.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let text = if text.is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|_| ApiError::Unexpected)
}

/// What a finished exchange means: the body of a success, or the problem it reports.
pub(crate) fn interpret(ok: bool, text: String) -> Answer {
    if ok {
        Ok(text.into())
    } else {
        Err(serde_json::from_str::<Problem>(&text)
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected))
    }
}

/// The one place a request is made; not generic, so a bundle carries its code once.
pub(crate) async fn send(method: &str, endpoint: &Endpoint, body: Option<String>) -> Answer {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(match endpoint.credentials {
        Credentials::Include => RequestCredentials::Include,
        Credentials::SameOrigin => RequestCredentials::SameOrigin,
        Credentials::Omit => RequestCredentials::Omit,
    });
    let headers = Headers::new().map_err(|_| ApiError::Unexpected)?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| ApiError::Unexpected)?;
    if let Some(key) = &endpoint.idempotency_key {
        headers
            .set("Idempotency-Key", key)
            .map_err(|_| ApiError::Unexpected)?;
    }
    if let Some(token) = &endpoint.csrf_token {
        headers
            .set("X-CSRF-Token", token)
            .map_err(|_| ApiError::Unexpected)?;
    }
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
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(&endpoint.url, &init))
        .await
        .map_err(|_| ApiError::Network)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| ApiError::Network)?)
        .await
        .map_err(|_| ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    interpret(response.ok(), text)
}

// Run in the wasm test runner with the portal's (`make wasm-test`): the crate is built for wasm.
#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn an_empty_answer_decodes_as_nothing() {
        assert_eq!(decode::<()>(""), Ok(()));
        assert_eq!(decode::<u32>("7"), Ok(7));
        assert_eq!(decode::<u32>("\"seven\""), Err(ApiError::Unexpected));
    }

    #[test]
    fn a_success_keeps_its_body_and_a_problem_becomes_its_code() {
        assert_eq!(
            interpret(true, "{\"a\":1}".into()).unwrap().as_ref(),
            "{\"a\":1}"
        );
        let problem = interpret(
            false,
            r#"{"type":"about:blank","title":"Not found","status":404,"code":"not_found"}"#.into(),
        )
        .unwrap_err();
        assert_eq!(problem.code(), Some(ErrorCode::NotFound));
    }

    #[test]
    fn a_failure_without_a_problem_document_has_no_code() {
        let unreadable = interpret(false, "<html>Bad gateway</html>".into()).unwrap_err();
        assert_eq!(unreadable, ApiError::Unexpected);
        assert_eq!(unreadable.code(), None);
        assert_eq!(ApiError::Network.code(), None);
    }
}
