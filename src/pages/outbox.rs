//! `/dev/outbox` (demo deployments): what the service would have sent, so a newcomer can read
//! their sign-in code.

use crate::components::page_state::{EmptyState, ErrorNotice, Skeleton};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::{text, use_locale};
use crate::services::Services;
use leptos::prelude::*;
use portico_api::{paths, OutboxMessage};
use portico_client::Remote;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let messages = Remote::<Vec<OutboxMessage>>::new(move || services.auth(paths::OUTBOX));
    view! {
        <section class="page narrow">
            <h1>{text(|l| td_string!(l, outbox.title))}</h1>
            <p class="lead">{text(|l| td_string!(l, outbox.lead))}</p>
            <button type="button" class="button button-secondary" on:click=move |_| messages.refetch()>
                {text(|l| td_string!(l, outbox.refresh))}
            </button>
            // Drawn whole for the current language.
            {move || {
                let locale = i18n.get();
                match messages.get() {
                    None => view! { <Skeleton/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <EmptyState title=td_string!(locale, outbox.empty).to_string() body=String::new()/>
                    }.into_any(),
                    Some(Ok(list)) => view! {
                        <ol class="outbox">
                            {list.into_iter().map(|message| view! {
                                <li class="panel" data-testid="outbox-message">
                                    <p class="muted">
                                        {td!(locale, outbox.to, to = message.to)}" · "
                                        <time datetime=message.sent_at.0.clone()>{format::date_time(locale, &message.sent_at)}</time>
                                    </p>
                                    <h2 class="outbox-subject">{message.subject}</h2>
                                    <pre class="outbox-body">{message.body}</pre>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Some(Err(error)) => view! {
                        <ErrorNotice error retry=Callback::new(move |_| messages.refetch())/>
                    }.into_any(),
                }
            }}
        </section>
    }
}
