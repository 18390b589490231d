//! What the customer gave that still waits for the network: survey answers and feedback messages
//! are kept in the browser (`localStorage`) before they are sent, and sent again when the network
//! comes back, also after the tab was closed and the portal opened again. The service counts each
//! once (the client-made response id in the body), so sending twice is harmless.
//!
//! One entry per key: `portico.pending:METHOD PATH` (a `#…` after the path keeps two messages to
//! the same path apart), its value the JSON body. A newer body for the same key replaces the older.

use crate::services::Services;
use leptos::prelude::*;
use portico_api::ResponseId;
use portico_client::{idempotency_key, send_json, Answer, ApiError};

const PREFIX: &str = "portico.pending:";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// A new id for something the customer sends: 128 random bits, so it is never taken.
pub fn new_id() -> ResponseId {
    ResponseId::from_wire(&idempotency_key()).expect("32 hex digits make a response id")
}

/// The storage key for a request: `method` and `path` (plus `tag` when one path takes several).
pub fn key(method: &str, path: &str, tag: &str) -> String {
    if tag.is_empty() {
        format!("{PREFIX}{method} {path}")
    } else {
        format!("{PREFIX}{method} {path}#{tag}")
    }
}

/// The body waiting under `key`, if any.
pub fn waiting(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `body` under `key` until it is sent.
pub fn keep(key: &str, body: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, body);
    }
}

/// Sends what is kept under `key` (`body`) and forgets it once the service has answered, whatever
/// the answer: only a request that never arrived is worth sending again. A newer body kept in the
/// meantime stays.
async fn deliver(services: Services, key: String, body: String) -> Answer {
    let Some((method, path)) = key
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once(' '))
    else {
        return Err(ApiError::Unexpected);
    };
    let path = path.split('#').next().unwrap_or(path);
    let answer = send_json(method, &services.surveys(path), body.clone()).await;
    if !matches!(answer, Err(ApiError::Network)) && waiting(&key).as_deref() == Some(body.as_str())
    {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&key);
        }
    }
    answer
}

/// Keeps `body` under `key`, then sends it; the service's answer, or [`ApiError::Network`] when it
/// stays kept for later.
pub async fn send(services: Services, key: String, body: String) -> Answer {
    keep(&key, &body);
    listen(services);
    deliver(services, key, body).await
}

/// At start: anything kept from an earlier visit is sent (the code that sends it is fetched only
/// then, most visits have nothing kept).
pub fn resume(services: Services) {
    let kept = storage().is_some_and(|storage| {
        (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .any(|key| key.starts_with(PREFIX))
    });
    if kept {
        leptos::task::spawn_local(send_all(services));
    }
}

/// Sends everything kept now, and again whenever the browser comes back online.
#[leptos::lazy]
fn send_all(services: Services) {
    listen(services);
    flush(services);
}

fn flush(services: Services) {
    let Some(storage) = storage() else { return };
    let kept: Vec<(String, String)> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .filter_map(|key| Some((key.clone(), storage.get_item(&key).ok().flatten()?)))
        .collect();
    for (key, body) in kept {
        leptos::task::spawn_local(async move {
            let _ = deliver(services, key, body).await;
        });
    }
}

/// From the first thing kept on: whatever is kept is sent when the browser is online again.
fn listen(services: Services) {
    thread_local!(static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if LISTENING.with(|on| on.replace(true)) {
        return;
    }
    // The listener lives as long as the page.
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        flush(services)
    }));
}
