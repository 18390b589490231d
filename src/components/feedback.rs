//! The feedback button on every page, for guests and signed-in customers alike. The button is all
//! a first visit carries; the dialog behind it (category, message, the order it is about) is a
//! wasm chunk of its own, fetched when the button is first pressed. A message is kept on the
//! device before it is sent and sent again when the network is back; its client-made id makes
//! the service count it once. What was typed survives closing the dialog.

use crate::components::labels;
use crate::locale::i18n::*;
use crate::locale::{text, use_locale};
use crate::pending;
use crate::services::Services;
use crate::session::use_session;
use leptos::html::Dialog;
use leptos::prelude::*;
use portico_api::{
    paths, FeedbackCategory, FeedbackRequest, OrderNumber, OrderPage, ResponseId,
    FEEDBACK_MAX_CHARS,
};
use portico_client::{ApiError, Remote};
use serde::{Deserialize, Serialize};

/// What was typed, kept in the browser (`localStorage`) while the dialog is closed, also when the
/// tab is closed, and the id the message will be sent with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    category: Option<FeedbackCategory>,
    text: String,
    order: Option<OrderNumber>,
    id: Option<ResponseId>,
}

const DRAFT_KEY: &str = "portico.feedback-draft";

fn draft_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

#[component]
pub fn FeedbackButton() -> impl IntoView {
    let open = RwSignal::new(false);
    let close = Callback::new(move |_| open.set(false));
    view! {
        <button type="button" class="feedback-button" aria-haspopup="dialog" on:click=move |_| open.set(true)>
            {text(|l| td_string!(l, feedback.button))}
        </button>
        {move || open.get().then(|| Suspend::new(async move { feedback_dialog(close).await }))}
    }
}

/// Where the message stands.
#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Writing,
    Busy,
    Sent,
    Kept,
    /// Not sent: nothing chosen, nothing written, too long, or the service's refusal.
    NoCategory,
    Empty,
    TooLong,
    Refused(ApiError),
}

/// The dialog: a modal `<dialog>` (the browser keeps focus inside and Escape closes it).
#[leptos::lazy]
fn feedback_dialog(close: Callback<()>) -> AnyView {
    let i18n = use_locale();
    let services = Services::current();
    let signed_in = use_session().customer_name().is_some();
    let node = NodeRef::<Dialog>::new();
    let mut kept: Draft = draft_storage()
        .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    // The order on screen is the one it is about (a draft from another page keeps its words only).
    let here = window().location().pathname().unwrap_or_default();
    kept.order = here
        .strip_prefix("/orders/")
        .and_then(|rest| OrderNumber::from_wire(rest.split('/').next().unwrap_or("")).ok());
    let id = StoredValue::new(kept.id.clone().unwrap_or_else(pending::new_id));
    let draft = Draft {
        id: Some(id.get_value()),
        ..kept
    };
    let category = RwSignal::new(draft.category);
    let text = RwSignal::new(draft.text);
    let order = RwSignal::new(draft.order);
    Effect::new(move |_| {
        let draft = Draft {
            category: category.get(),
            text: text.get(),
            order: order.get(),
            id: Some(id.get_value()),
        };
        if let (Some(storage), Ok(json)) = (draft_storage(), serde_json::to_string(&draft)) {
            let _ = storage.set_item(DRAFT_KEY, &json);
        }
    });
    Effect::new(move |_| {
        if let Some(dialog) = node.get() {
            let _ = dialog.show_modal();
        }
    });
    // The signed-in customer's orders to choose from, the one on screen chosen first.
    let orders =
        signed_in.then(|| Remote::<OrderPage>::new(move || services.orders(paths::ORDERS)));
    let sending = RwSignal::new(Sending::Writing);
    let done = Memo::new(move |_| matches!(sending.get(), Sending::Sent | Sending::Kept));
    let send = move || {
        let chosen = category.get_untracked();
        let typed = text.get_untracked();
        let problem = if chosen.is_none() {
            Some(Sending::NoCategory)
        } else if typed.trim().is_empty() {
            Some(Sending::Empty)
        } else if typed.chars().count() > FEEDBACK_MAX_CHARS {
            Some(Sending::TooLong)
        } else {
            None
        };
        if let Some(problem) = problem {
            sending.set(problem);
            return;
        }
        let Some(chosen) = chosen else { return };
        let body = FeedbackRequest {
            id: id.get_value(),
            category: chosen,
            text: typed.trim().to_string(),
            order: order.get_untracked().filter(|_| signed_in),
            rating: None,
        };
        let Ok(json) = serde_json::to_string(&body) else {
            sending.set(Sending::Refused(ApiError::Unexpected));
            return;
        };
        sending.set(Sending::Busy);
        let key = pending::key("POST", paths::FEEDBACK, body.id.as_str());
        leptos::task::spawn_local(async move {
            let answer = pending::send(services, key, json).await;
            let done = match answer {
                Ok(_) => Sending::Sent,
                Err(ApiError::Network) => Sending::Kept,
                Err(error) => Sending::Refused(error),
            };
            if matches!(done, Sending::Sent | Sending::Kept) {
                // The next message is a new one.
                text.set(String::new());
                category.set(None);
                id.set_value(pending::new_id());
            }
            sending.set(done);
        });
    };
    let order_choice = move || {
        let page = orders?.get()?.ok()?;
        let locale = i18n.get();
        let options = page
            .orders
            .into_iter()
            .map(|summary| {
                let number = summary.number.clone();
                let selected = move || order.get().as_ref() == Some(&number);
                view! {
                    <option value=summary.number.as_str().to_string() selected=selected>
                        {format!("{} · {}", summary.number, crate::locale::pick(locale, &summary.headline))}
                    </option>
                }
            })
            .collect_view();
        Some(view! {
            <label for="feedback-order">{td_string!(i18n.get(), feedback.order)}</label>
            <select id="feedback-order" on:change=move |ev| order.set(OrderNumber::from_wire(&event_target_value(&ev)).ok())>
                <option value="" selected=move || order.get().is_none()>{td_string!(i18n.get(), feedback.no_order)}</option>
                {options}
            </select>
        })
    };
    view! {
        <dialog node_ref=node class="feedback-dialog" aria-labelledby="feedback-title" on:close=move |_| close.run(())>
            <div class="feedback-head">
                <h2 id="feedback-title">{move || td_string!(i18n.get(), feedback.title)}</h2>
                <button type="button" class="button button-link" on:click=move |_| close.run(())>
                    {move || td_string!(i18n.get(), feedback.close)}
                </button>
            </div>
            {move || match done.get() {
                true => view! {
                    <div class="notice notice-success" role="status">
                        <p>{if sending.get() == Sending::Sent {
                            td_string!(i18n.get(), feedback.sent)
                        } else {
                            td_string!(i18n.get(), feedback.kept_offline)
                        }}</p>
                        {signed_in.then(|| view! { <a href="/feedback" on:click=move |_| close.run(())>{td_string!(i18n.get(), feedback.mine)}</a> })}
                    </div>
                }
                .into_any(),
                false => view! {
                    <form class="feedback-form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
                        <fieldset class="survey-question">
                            <legend>{td_string!(i18n.get(), feedback.category)}</legend>
                            <div class="survey-options">{categories(category)}</div>
                        </fieldset>
                        <label for="feedback-text">{td_string!(i18n.get(), feedback.text)}</label>
                        <textarea id="feedback-text" rows="5" maxlength=FEEDBACK_MAX_CHARS.to_string()
                            aria-describedby="feedback-hint"
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <p id="feedback-hint" class="hint">{td_string!(i18n.get(), feedback.text_hint)}</p>
                        {order_choice}
                        {move || {
                            let locale = i18n.get();
                            let why = match sending.get() {
                                Sending::NoCategory => td_string!(locale, survey.required).to_string(),
                                Sending::Empty => td_string!(locale, feedback.empty).to_string(),
                                Sending::TooLong => td_string!(locale, feedback.too_long).to_string(),
                                Sending::Refused(error) => labels::api_error(locale, &error),
                                _ => return None,
                            };
                            Some(view! { <p class="field-error" role="alert">{why}</p> })
                        }}
                        <button type="submit" class="button" disabled=move || sending.get() == Sending::Busy>
                            {move || if sending.get() == Sending::Busy {
                                td_string!(i18n.get(), feedback.sending)
                            } else {
                                td_string!(i18n.get(), feedback.send)
                            }}
                        </button>
                    </form>
                }
                .into_any(),
            }}
        </dialog>
    }
    .into_any()
}

/// The categories as radio buttons.
fn categories(chosen: RwSignal<Option<FeedbackCategory>>) -> impl IntoView {
    let i18n = use_locale();
    FeedbackCategory::ALL
        .into_iter()
        .map(|category| {
            let label = move || labels::feedback_category(i18n.get(), category);
            view! {
                <label class="survey-option">
                    <input type="radio" name="feedback-category"
                        prop:checked=move || chosen.get() == Some(category)
                        on:change=move |_| chosen.set(Some(category))/>
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view()
}
