//! Loading, empty and error states, the same everywhere.

use crate::components::labels;
use crate::locale::i18n::*;
use crate::locale::{text, use_locale};
use crate::session::sign_in_href;
use leptos::prelude::*;
use portico_api::ErrorCode;
use portico_client::ApiError;

/// Grey placeholder lines while content loads; announced once to screen readers.
#[component]
pub fn Skeleton(
    /// How many placeholder blocks to draw.
    #[prop(default = 3)]
    blocks: usize,
) -> impl IntoView {
    view! {
        <div class="skeleton" role="status" aria-live="polite">
            <span class="visually-hidden">{text(|l| td_string!(l, common.loading))}</span>
            {(0..blocks).map(|_| view! { <div class="skeleton-block" aria-hidden="true"></div> }).collect_view()}
        </div>
    }
}

/// A failed load, explained, with a way to try again — or, when the page needs a signed-in
/// customer, the way to sign in.
#[component]
pub fn ErrorNotice(
    /// What went wrong.
    error: ApiError,
    /// Called by the "Try again" button; no button when absent.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_locale();
    if error.code() == Some(ErrorCode::Unauthorized) {
        // Back to this very page after signing in (read from the address bar, not the router,
        // so a router-less bundle can show this too).
        let location = window().location();
        let href = sign_in_href(&format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        ));
        return view! {
            <div class="notice notice-info">
                <p>{text(|l| td_string!(l, orders.sign_in_needed))}</p>
                <a href=href class="button">{text(|l| td_string!(l, nav.sign_in))}</a>
            </div>
        }
        .into_any();
    }
    let message = move || labels::api_error(i18n.get(), &error);
    view! {
        <div class="notice notice-error" role="alert">
            <p>{message}</p>
            {retry.map(|retry| view! {
                <button type="button" class="button button-secondary" on:click=move |_| retry.run(())>
                    {text(|l| td_string!(l, common.retry))}
                </button>
            })}
        </div>
    }
    .into_any()
}

/// Nothing to show yet, said kindly.
#[component]
pub fn EmptyState(title: String, body: String) -> impl IntoView {
    view! {
        <div class="empty-state">
            <h2>{title}</h2>
            <p>{body}</p>
        </div>
    }
}
