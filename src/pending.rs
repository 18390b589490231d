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

/// The keys whose request is on its way (one request per key at a time), and the service's answer
/// to the last body sent under each key. A handful of entries at most: lists will do.
#[derive(Default)]
struct Sending {
    keys: Vec<String>,
    answers: Vec<(String, Answer)>,
}

thread_local!(static SENDING: std::cell::RefCell<Sending> = Default::default());

fn on_its_way(key: &str) -> bool {
    SENDING.with(|s| s.borrow().keys.iter().any(|k| k == key))
}

/// Whether the service has settled a request for good: it took it, or refused it for a reason
/// sending it again cannot change. No answer, an unreadable one, "too many requests" and the
/// service's own failures (5xx) are worth another try, so what was kept stays.
fn settled(answer: &Answer) -> bool {
    match answer {
        Ok(_) => true,
        Err(ApiError::Problem(problem)) => {
            (400..500).contains(&problem.status) && !matches!(problem.status, 408 | 429)
        }
        Err(ApiError::Network | ApiError::Unexpected) => false,
    }
}

/// Sends what is kept under `key`, again while a newer body was kept meanwhile, and forgets it once
/// settled. `None` when another request for the key is already on its way (it sends the newest).
async fn deliver(services: Services, key: String) -> Option<Answer> {
    if on_its_way(&key) {
        return None;
    }
    SENDING.with(|s| s.borrow_mut().keys.push(key.clone()));
    let mut last = None;
    if let Some((method, path)) = key
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once(' '))
    {
        let path = path.split('#').next().unwrap_or(path);
        while let Some(body) = waiting(&key) {
            let answer = send_json(method, &services.surveys(path), body.clone()).await;
            let done = settled(&answer);
            SENDING.with(|s| {
                let answers = &mut s.borrow_mut().answers;
                answers.retain(|(k, _)| *k != key);
                answers.push((key.clone(), answer.clone()));
            });
            last = Some(answer);
            let newer = waiting(&key).filter(|now| *now != body);
            if !done {
                break;
            }
            if newer.is_none() {
                if let Some(storage) = storage() {
                    let _ = storage.remove_item(&key);
                }
                break;
            }
        }
    }
    SENDING.with(|s| s.borrow_mut().keys.retain(|k| *k != key));
    last
}

/// Keeps `body` under `key`, then sends it; the service's answer, or [`ApiError::Network`] when it
/// stays kept for later. While another request for the key is on its way, waits for it (it sends
/// this newer body next) and gives its answer.
pub async fn send(services: Services, key: String, body: String) -> Answer {
    keep(&key, &body);
    listen(services);
    loop {
        if let Some(answer) = deliver(services, key.clone()).await {
            return answer;
        }
        if !on_its_way(&key) {
            return SENDING
                .with(|s| {
                    let s = s.borrow();
                    s.answers
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, a)| a.clone())
                })
                .unwrap_or(Err(ApiError::Network));
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
}

/// At start: anything kept from an earlier visit is sent (the code that sends it is fetched only
/// then, most visits have nothing kept).
pub fn resume(services: Services) {
    if !kept_keys().is_empty() {
        leptos::task::spawn_local(send_all(services));
    }
}

/// Sends everything kept now, and again whenever the browser comes back online.
#[leptos::lazy]
fn send_all(services: Services) {
    listen(services);
    flush(services);
}

/// The keys of everything kept.
fn kept_keys() -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(PREFIX))
        .collect()
}

fn flush(services: Services) {
    for key in kept_keys() {
        leptos::task::spawn_local(async move {
            let _ = deliver(services, key).await;
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
