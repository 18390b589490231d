//! Feedback from the partner's page: what it is about, an optional 1-5 rating, and the message.
//! Each message gets its id before it is sent and is kept on the device until the service has
//! settled it, so a message written offline goes out when the network is back (also after a
//! reload), and a retry is the same message (the service counts an id once).

use crate::events;
use crate::locale::i18n::*;
use crate::settings::Embed;
use leptos::prelude::*;
use portico_api::{
    paths, ErrorCode, FeedbackCategory, FeedbackRequest, ResponseId, FEEDBACK_MAX_CHARS,
};
use portico_client::{idempotency_key, send_json, ApiError, Endpoint};
use send_wrapper::SendWrapper;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Storage;

const KEPT: &str = "portico-widget:feedback:";

fn storage() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

/// What an answer means for a kept message: the service decided (a success, or a refusal that
/// will not change on a retry), so it is forgotten; anything else keeps it for a retry.
pub(crate) fn settled(answer: &Result<std::sync::Arc<str>, ApiError>) -> bool {
    match answer {
        Ok(_) => true,
        Err(ApiError::Problem(p)) => {
            (400..500).contains(&p.status) && !matches!(p.status, 408 | 429)
        }
        Err(_) => false,
    }
}

/// Sends one kept message; forgets it once settled. `true` when the service took it.
async fn deliver(endpoint: Endpoint, key: String, json: String) -> Result<(), ApiError> {
    let answer = send_json("POST", &endpoint, json).await;
    if settled(&answer) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&key);
        }
    }
    answer.map(|_| ())
}

/// Sends every message this partner's page kept (at start, and whenever the browser is back
/// online), telling the page about each one that arrived.
pub fn send_kept(embed: &Embed) {
    let Some(storage) = storage() else { return };
    let prefix = format!("{KEPT}{}:", embed.partner);
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .collect();
    for key in keys {
        let Some(json) = storage.get_item(&key).ok().flatten() else {
            continue;
        };
        let endpoint = embed.endpoint(&paths::widget_feedback(embed.partner));
        let host = embed.host.clone();
        let id = key[prefix.len()..].to_string();
        // Not Leptos's executor: this also runs before anything is mounted (`crate::resend`).
        wasm_bindgen_futures::spawn_local(async move {
            if deliver(endpoint, key, json).await.is_ok() {
                events::dispatch(&host, "portico:feedback-sent", Some(&id));
            }
        });
    }
}

thread_local! {
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Once per page: send what is kept now, and again each time the browser is back online.
pub fn resend_when_online(embed: &Embed) {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    send_kept(embed);
    let embed = embed.clone();
    let online = Closure::<dyn Fn()>::new(move || send_kept(&embed));
    let _ = window().add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    online.forget();
}

#[derive(Clone, PartialEq)]
enum Sending {
    Idle,
    Busy,
    Sent,
    /// Kept on the device: no network now.
    Kept,
    Refused(String),
}

fn category_label(locale: Locale, category: FeedbackCategory) -> &'static str {
    match category {
        FeedbackCategory::Problem => td_string!(locale, feedback.problem),
        FeedbackCategory::Idea => td_string!(locale, feedback.idea),
        FeedbackCategory::Praise => td_string!(locale, feedback.praise),
        FeedbackCategory::Other => td_string!(locale, feedback.other),
    }
}

/// What went wrong with a request, in words; `not_found` says what a 404 means here.
pub fn error_text(
    locale: Locale,
    error: &ApiError,
    not_found: fn(Locale) -> &'static str,
) -> &'static str {
    match error.code() {
        _ if *error == ApiError::Network => td_string!(locale, errors.network),
        Some(ErrorCode::RateLimited) => td_string!(locale, errors.rate_limited),
        Some(ErrorCode::OrderNotFound | ErrorCode::NotFound) => not_found(locale),
        Some(ErrorCode::InvalidOrderNumber) => td_string!(locale, errors.invalid_order_number),
        Some(ErrorCode::InvalidContact) => td_string!(locale, errors.invalid_contact),
        Some(ErrorCode::Forbidden | ErrorCode::Disabled) => {
            td_string!(locale, errors.not_available)
        }
        _ => td_string!(locale, errors.unexpected),
    }
}

fn new_id() -> ResponseId {
    ResponseId::from_wire(&idempotency_key()).expect("32 hex digits are a response id")
}

/// The form, a chunk of its own (`#[lazy]`): fetched when a visitor opens the feedback section.
#[cfg(not(test))]
#[leptos::lazy]
pub fn feedback_view(embed: Embed, locale: Locale) -> AnyView {
    view! { <FeedbackForm embed locale/> }.into_any()
}

/// The same, drawn at once: wasm tests cannot load split chunks.
#[cfg(test)]
pub async fn feedback_view(embed: Embed, locale: Locale) -> AnyView {
    view! { <FeedbackForm embed locale/> }.into_any()
}

#[component]
pub fn FeedbackForm(embed: Embed, locale: Locale) -> impl IntoView {
    resend_when_online(&embed);
    let category = RwSignal::new(None::<FeedbackCategory>);
    let rating = RwSignal::new(None::<u8>);
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let sending = RwSignal::new(Sending::Idle);
    // One id per message: retries and the offline resend carry it.
    let id = StoredValue::new(new_id());
    let host = embed.host.clone();
    let listener_host = embed.host.clone();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() == Sending::Busy {
            return;
        }
        let typed = text.get_untracked();
        let missing = if category.get_untracked().is_none() {
            Some(td_string!(locale, errors.need_category))
        } else if typed.trim().is_empty() {
            Some(td_string!(locale, errors.need_text))
        } else if typed.chars().count() > FEEDBACK_MAX_CHARS {
            Some(td_string!(locale, errors.too_long))
        } else {
            None
        };
        problem.set(missing);
        let (Some(chosen), None) = (category.get_untracked(), missing) else {
            return;
        };
        let body = FeedbackRequest {
            id: id.get_value(),
            category: chosen,
            text: typed.trim().to_string(),
            order: None,
            rating: rating.get_untracked(),
        };
        let Ok(json) = serde_json::to_string(&body) else {
            sending.set(Sending::Refused(
                td_string!(locale, errors.unexpected).into(),
            ));
            return;
        };
        let key = format!("{KEPT}{}:{}", embed.partner, body.id.as_str());
        if let Some(storage) = storage() {
            let _ = storage.set_item(&key, &json);
        }
        sending.set(Sending::Busy);
        let endpoint = embed.endpoint(&paths::widget_feedback(embed.partner));
        let host = host.clone();
        let sent_id = body.id.as_str().to_string();
        leptos::task::spawn_local(async move {
            let state = match deliver(endpoint, key, json).await {
                Ok(()) => {
                    events::dispatch(&host, "portico:feedback-sent", Some(&sent_id));
                    Sending::Sent
                }
                Err(ApiError::Network) => Sending::Kept,
                Err(error) => Sending::Refused(
                    error_text(locale, &error, |l| td_string!(l, errors.not_available)).into(),
                ),
            };
            let _ = sending.try_set(state);
        });
    };
    let another = move |_| {
        id.set_value(new_id());
        category.set(None);
        rating.set(None);
        text.set(String::new());
        sending.set(Sending::Idle);
    };
    // A kept message that arrives later (back online) ends this form's wait too.
    let sent_later = {
        let host = listener_host;
        let on_sent =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                if event.detail().as_string().as_deref() == Some(id.get_value().as_str()) {
                    let _ = sending.try_set(Sending::Sent);
                }
            });
        let _ = host.add_event_listener_with_callback(
            "portico:feedback-sent",
            on_sent.as_ref().unchecked_ref(),
        );
        SendWrapper::new((host, on_sent))
    };
    on_cleanup(move || {
        let (host, on_sent) = sent_later.take();
        let _ = host.remove_event_listener_with_callback(
            "portico:feedback-sent",
            on_sent.as_ref().unchecked_ref(),
        );
    });

    move || {
        match sending.get() {
        Sending::Sent => view! {
            <div class="thanks" role="status">
                <p>{td_string!(locale, feedback.thanks)}</p>
                <button type="button" class="link-button" on:click=another>{td_string!(locale, feedback.another)}</button>
            </div>
        }
        .into_any(),
        state => {
            let busy = state == Sending::Busy;
            view! {
                <form class="form" on:submit=on_submit.clone() novalidate>
                    <h3>{td_string!(locale, feedback.heading)}</h3>
                    <fieldset class="choices">
                        <legend>{td_string!(locale, feedback.category)}</legend>
                        {FeedbackCategory::ALL.into_iter().map(|c| view! {
                            <label class="choice">
                                <input
                                    type="radio"
                                    name="portico-category"
                                    value=c.as_str()
                                    prop:checked=move || category.get() == Some(c)
                                    on:change=move |_| category.set(Some(c))
                                />
                                <span>{category_label(locale, c)}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset class="choices rating">
                        <legend>{td_string!(locale, feedback.rating)}</legend>
                        {(1u8..=5).map(|n| {
                            let end = match n {
                                1 => Some(td_string!(locale, feedback.rating_low)),
                                5 => Some(td_string!(locale, feedback.rating_high)),
                                _ => None,
                            };
                            view! {
                                <label class="choice">
                                    <input
                                        type="radio"
                                        name="portico-rating"
                                        value=n.to_string()
                                        prop:checked=move || rating.get() == Some(n)
                                        on:change=move |_| rating.set(Some(n))
                                    />
                                    <span>{n}{end.map(|end| view! { <span class="end">" "{end}</span> })}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <label for="portico-feedback-text">{td_string!(locale, feedback.text)}</label>
                    <textarea
                        id="portico-feedback-text"
                        name="text"
                        rows="4"
                        bind:value=text
                        aria-describedby="portico-feedback-hint"
                    ></textarea>
                    <p id="portico-feedback-hint" class="hint">{td_string!(locale, feedback.text_hint)}</p>
                    {problem.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                    {match state {
                        Sending::Kept => Some(view! { <p class="notice" role="status">{td_string!(locale, feedback.queued)}</p> }.into_any()),
                        Sending::Refused(message) => Some(view! { <p class="error" role="alert">{message}</p> }.into_any()),
                        _ => None,
                    }}
                    <button type="submit" class="button" disabled=busy>
                        {if busy { td_string!(locale, feedback.busy) } else { td_string!(locale, feedback.submit) }}
                    </button>
                </form>
            }
            .into_any()
        }
    }
    }
}
