//! `/dev/outbox` (demo deployments): what the service would have sent, so a newcomer can read
//! their sign-in code.

use crate::api::{Remote, Services};
use crate::components::feedback::{EmptyState, ErrorNotice, Skeleton};
use crate::format;
use crate::i18n::*;
use crate::locale::{text, use_locale};
use leptos::prelude::*;
use portico_api::{paths, OutboxMessage};

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
            {move || match messages.get() {
                    None => view! { <Skeleton/> }.into_any(),
                    Some(loaded) => match loaded {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState title=td_string!(i18n.get(), outbox.empty).to_string() body=String::new()/>
                        }.into_any(),
                        Ok(list) => view! {
                            <ol class="outbox">
                                {list.into_iter().map(|message| {
                                    let sent_at = message.sent_at.clone();
                                    let datetime = sent_at.0.clone();
                                    view! {
                                        <li class="panel" data-testid="outbox-message">
                                            <p class="muted">
                                                {move || td!(i18n.get(), outbox.to, to = message.to.clone())}" · "
                                                <time datetime=datetime>{move || format::date_time(i18n.get(), &sent_at)}</time>
                                            </p>
                                            <h2 class="outbox-subject">{message.subject}</h2>
                                            <pre class="outbox-body">{message.body}</pre>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice error retry=Callback::new(move |_| messages.refetch())/>
                        }.into_any(),
                    },
                }}
        </section>
    }
}
