//! `/feedback`: the signed-in customer's feedback — each survey answered and each message sent,
//! newest first, with where it stands (received, reviewed, action taken) and what was done.

use crate::components::labels;
use crate::components::page_state::{EmptyState, ErrorNotice, Skeleton};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{paths, FeedbackItem, FeedbackSource, FeedbackStatus, Touchpoint};
use portico_client::Remote;

/// The route: a wasm chunk of its own, fetched at the same time as the list.
pub struct MyFeedbackRoute {
    items: Remote<Vec<FeedbackItem>>,
}

#[lazy_route]
impl LazyRoute for MyFeedbackRoute {
    fn data() -> Self {
        let services = Services::current();
        Self {
            items: Remote::new(move || services.surveys(paths::FEEDBACK)),
        }
    }

    fn view(this: Self) -> AnyView {
        let items = this.items;
        let i18n = use_locale();
        view! {
            <section class="page my-feedback">
                <h1>{move || td_string!(i18n.get(), my_feedback.title)}</h1>
                <p class="lead">{move || td_string!(i18n.get(), my_feedback.lead)}</p>
                {move || match items.get() {
                    None => view! { <Skeleton blocks=3/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <EmptyState
                            title=td_string!(i18n.get(), my_feedback.empty_title).to_string()
                            body=td_string!(i18n.get(), my_feedback.empty_body).to_string()
                        />
                    }
                    .into_any(),
                    Some(Ok(list)) => view! {
                        <ol class="feedback-list">
                            {list.into_iter().map(|item| entry(i18n.get(), item)).collect_view()}
                        </ol>
                    }
                    .into_any(),
                    Some(Err(error)) => view! {
                        <ErrorNotice error retry=Callback::new(move |_| items.refetch())/>
                    }
                    .into_any(),
                }}
            </section>
        }
        .into_any()
    }
}

/// One piece of feedback: what it was, when, where it stands, and what was done.
fn entry(locale: Locale, item: FeedbackItem) -> impl IntoView {
    let (title, detail) = match &item.source {
        FeedbackSource::Survey {
            touchpoint,
            reference,
            score,
            scale,
        } => {
            let pattern = match touchpoint {
                Touchpoint::Delivery => td_string!(locale, my_feedback.survey_delivery),
                Touchpoint::Return => td_string!(locale, my_feedback.survey_return),
                Touchpoint::Support => td_string!(locale, my_feedback.survey_support),
            };
            let score =
                score
                    .zip(scale.as_ref().and_then(|s| s.scale()))
                    .map(|(score, (_, max))| {
                        td_string!(locale, my_feedback.score)
                            .replace("[score]", &score.to_string())
                            .replace("[max]", &max.to_string())
                    });
            (pattern.replace("[ref]", reference), score)
        }
        FeedbackSource::Message { category, order } => {
            let category = labels::feedback_category(locale, *category);
            (
                td_string!(locale, my_feedback.message).replace("[category]", category),
                order.as_ref().map(|number| {
                    td_string!(locale, my_feedback.about_order).replace("[ref]", number.as_str())
                }),
            )
        }
    };
    let (status, class) = match item.status {
        FeedbackStatus::Received => (td_string!(locale, my_feedback.received), "status-badge"),
        FeedbackStatus::Reviewed => (
            td_string!(locale, my_feedback.reviewed),
            "status-badge status-reviewed",
        ),
        FeedbackStatus::ActionTaken => (
            td_string!(locale, my_feedback.action_taken),
            "status-badge status-action_taken",
        ),
    };
    view! {
        <li class="panel feedback-entry" data-testid="feedback-entry">
            <div class="feedback-entry-head">
                <h2>{title}</h2>
                <span class=class>{status}</span>
            </div>
            <p class="muted">{format::date_time(locale, &item.received_at)}</p>
            {detail.map(|detail| view! { <p>{detail}</p> })}
            {item.text.map(|text| view! { <p class="feedback-text">{text}</p> })}
            {item.action.map(|action| view! {
                <div class="feedback-action">
                    <h3>{td_string!(locale, my_feedback.action)}</h3>
                    <p>{action}</p>
                </div>
            })}
        </li>
    }
}
