//! Messages to customers that could not be delivered (admins): what, to whom, why, and a button
//! sending one again.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{paths, FailedMessage, FailedMessages};
use portico_client::Submit;

fn kind(l: Locale, kind: &str) -> String {
    match kind {
        "sign_in_code" => td_string!(l, messages.sign_in_code),
        "return_update" => td_string!(l, messages.return_update),
        "pickup_rescheduled" => td_string!(l, messages.pickup_rescheduled),
        "survey_invitation" => td_string!(l, messages.survey_invitation),
        other => return other.to_string(),
    }
    .to_string()
}

#[component]
pub fn Messages(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// Bumped by a change made here (the audit log reads it again).
    changes: RwSignal<u32>,
) -> impl IntoView {
    let retry = signed.submit::<()>();
    let list = signed.remote::<FailedMessages>(move || {
        changes.track();
        api.read(paths::STAFF_MESSAGES)
    });
    Effect::new(move |_| {
        if retry.value().is_some() {
            changes.update(|n| *n += 1);
        }
    });
    let send_again = move |id: i64| {
        retry.post_empty(signed.write(api, &paths::staff_message_retry(id)));
    };
    view! {
        <section class="card" aria-labelledby="messages-title">
            <h2 id="messages-title">{move || td_string!(locale.get(), messages.title)}</h2>
            {move || {
                let l = locale.get();
                let failed_retry = retry.value().and_then(|r| r.err());
                let retry_error = failed_retry.map(|error| view! { <p class="error" role="alert">{words::error(l, &error)}</p> });
                let body = match list.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(found)) if found.messages.is_empty() => view! { <p>{td_string!(l, messages.none)}</p> }.into_any(),
                    Some(Ok(found)) => found
                        .messages
                        .into_iter()
                        .map(|message| item(l, message, send_again, retry))
                        .collect_view()
                        .into_any(),
                };
                view! { {retry_error} {body} }
            }}
        </section>
    }
}

/// One failed message (the returns queue's panel styles: a heading, a line, facts, actions).
fn item(
    l: Locale,
    message: FailedMessage,
    send_again: impl Fn(i64) + Copy + 'static,
    retry: Submit<()>,
) -> impl IntoView {
    let id = message.id;
    let heading = format!("failed-message-{id}");
    let labelled = heading.clone();
    let to = message.recipient.unwrap_or_default();
    let named = format!(" {to}");
    view! {
        <article class="review" data-testid="failed-message" aria-labelledby=labelled>
            <h3 id=heading>{kind(l, &message.kind)}</h3>
            <p class="hint mono">{to}</p>
            <dl class="facts">
                <div><dt>{td_string!(l, messages.when)}</dt><dd>{words::when(l, &message.failed_at.0)}</dd></div>
                <div><dt>{td_string!(l, messages.tries)}</dt><dd>{message.attempts}</dd></div>
                <div><dt>{td_string!(l, messages.why)}</dt><dd>{message.error}</dd></div>
            </dl>
            <div class="actions">
                <button type="button" class="button secondary" disabled=move || retry.pending()
                    on:click=move |_| send_again(id)>
                    {td_string!(l, messages.retry)}<span class="visually-hidden">{named}</span>
                </button>
            </div>
        </article>
    }
}
