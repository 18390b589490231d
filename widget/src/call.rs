//! A request whose decoded answer a view reads: two plain signals filled by `portico_client`'s
//! one fetch, without Leptos's resource and action machinery, which the widget cannot afford
//! (measured in bench/results.md, "The widget's budget").

use leptos::prelude::*;
use portico_client::{decode, get, send_json, ApiError, Endpoint};
use serde::de::DeserializeOwned;

pub struct Call<T: Send + Sync + 'static> {
    answer: RwSignal<Option<Result<T, ApiError>>>,
    pending: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Call<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Call<T> {}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Call<T> {
    pub fn new() -> Self {
        Call {
            answer: RwSignal::new(None),
            pending: RwSignal::new(false),
        }
    }

    /// A call that reads `endpoint` at once.
    pub fn load(endpoint: Endpoint) -> Self {
        let call = Self::new();
        call.send("GET", endpoint, None);
        call
    }

    /// Sends the request (`body`: JSON already written); its answer replaces the last one.
    pub fn send(&self, method: &'static str, endpoint: Endpoint, body: Option<String>) {
        let (answer, pending) = (self.answer, self.pending);
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = match body {
                Some(body) => send_json(method, &endpoint, body)
                    .await
                    .and_then(|text| decode::<T>(&text)),
                None => get::<T>(&endpoint).await,
            };
            // The view may be gone by now: nothing to write to then.
            let _ = answer.try_set(Some(result));
            let _ = pending.try_set(false);
        });
    }

    /// Sends `body` as JSON with POST; a body that cannot be written is never sent.
    pub fn post(&self, endpoint: Endpoint, body: &impl serde::Serialize) {
        match serde_json::to_string(body) {
            Ok(json) => self.send("POST", endpoint, Some(json)),
            Err(_) => self.answer.set(Some(Err(ApiError::Unexpected))),
        }
    }

    /// The latest answer, `None` before the first; tracked.
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.answer.get()
    }

    /// Whether a request is on its way; tracked.
    pub fn pending(&self) -> bool {
        self.pending.get()
    }
}
