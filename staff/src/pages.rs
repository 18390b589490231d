//! Benefit pages (editors, publishers, admins): every page with where it stands (draft,
//! scheduled, live, changed since, taken down; in review or sent back), each a link to the page
//! in the editor (`/staff/pages/SLUG`, `editor`), and a form to make one, which opens it there.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use portico_api::{
    paths, Audience, NewPage, PageDraft, PageState, ReviewState, StaffPageSummary, StaffRole, Tier,
};
use portico_client::Remote;
use portico_ui::form::{SubmitButton, TextField};

pub fn state_word(l: Locale, state: PageState) -> &'static str {
    match state {
        PageState::Draft => td_string!(l, pages.state_draft),
        PageState::Scheduled => td_string!(l, pages.state_scheduled),
        PageState::Published => td_string!(l, pages.state_published),
        PageState::Changed => td_string!(l, pages.state_changed),
        PageState::Unpublished => td_string!(l, pages.state_unpublished),
    }
}

pub fn review_word(l: Locale, review: ReviewState) -> Option<&'static str> {
    match review {
        ReviewState::Editing => None,
        ReviewState::Submitted => Some(td_string!(l, pages.review_submitted)),
        ReviewState::Returned => Some(td_string!(l, pages.review_returned)),
    }
}

/// Who a page is for, in words: everyone, or a tier by its name.
pub fn audience_word(l: Locale, audience: &Audience, tiers: &[Tier]) -> String {
    match audience {
        Audience::Everyone => td_string!(l, pages.everyone).to_string(),
        Audience::Tier { tier } => tier_audience(l, tiers, tier),
    }
}

/// A tier's members as an audience: the tier's name as the deployment writes it ("Gold",
/// "金卡会员") in a phrase that reads well with any name ("Gold tier", "金卡会员").
pub fn tier_audience(l: Locale, tiers: &[Tier], code: &str) -> String {
    words::fill(
        td_string!(l, pages.tier_audience),
        &tier_name(l, tiers, code),
    )
}

pub fn tier_name(l: Locale, tiers: &[Tier], code: &str) -> String {
    tiers
        .iter()
        .find(|t| t.code == code)
        .map(|t| words::localized(l, &t.name).to_string())
        .unwrap_or_else(|| code.to_string())
}

#[component]
pub fn Pages(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    role: StaffRole,
    /// Bumped after every change that went through.
    changes: RwSignal<u32>,
) -> impl IntoView {
    let list = signed.remote::<Vec<StaffPageSummary>>(move || {
        changes.track();
        api.read(paths::STAFF_PAGES)
    });
    let tiers = Remote::<Vec<Tier>>::new(move || api.read(paths::TIERS));
    let tiers = Signal::derive(move || tiers.get().and_then(Result::ok).unwrap_or_default());
    let writes = matches!(role, StaffRole::Editor | StaffRole::Publisher);
    let navigate = use_navigate();
    view! {
        <section class="card" aria-labelledby="pages-title">
            <h2 id="pages-title">{move || td_string!(locale.get(), pages.title)}</h2>
            {move || {
                let l = locale.get();
                match list.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(found)) => view! {
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{td_string!(l, pages.page)}</th>
                                <th scope="col">{td_string!(l, pages.audience)}</th>
                                <th scope="col">{td_string!(l, pages.state)}</th>
                                <th scope="col">{td_string!(l, pages.updated)}</th>
                            </tr></thead>
                            <tbody>
                                {found.into_iter().map(|page| {
                                    let review = review_word(l, page.review);
                                    view! {
                                        <tr data-testid="page-row">
                                            <td>
                                                <a href=editor_path(&page.slug)>{page.title.clone()}</a>
                                                <span class="mono muted">{format!(" /benefits/{}", page.slug)}</span>
                                            </td>
                                            <td>{audience_word(l, &page.audience, &tiers.get())}</td>
                                            <td>
                                                <span class="tag">{state_word(l, page.state)}</span>
                                                {page.scheduled_at.map(|at| view! { " " {words::when(l, &at.0)} })}
                                                {review.map(|r| view! { " " <span class="tag tag-review">{r}</span> })}
                                            </td>
                                            <td>
                                                {words::when(l, &page.updated_at.0)}
                                                {page.updated_by.map(|by| view! { <br/><span class="mono muted">{by}</span> })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            }}
        </section>
        {writes.then(|| view! {
            <NewPageForm locale api signed tiers made=Callback::new(move |slug: String| {
                changes.update(|n| *n += 1);
                navigate(&editor_path(&slug), Default::default());
            })/>
        })}
    }
}

/// Where a page is open in the editor.
pub fn editor_path(slug: &str) -> String {
    format!("/staff/pages/{slug}")
}

#[component]
fn NewPageForm(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    tiers: Signal<Vec<Tier>>,
    made: Callback<String>,
) -> impl IntoView {
    let slug = RwSignal::new(String::new());
    let audience = RwSignal::new(String::new());
    let bad_slug = RwSignal::new(false);
    let add = signed.submit::<PageDraft>();
    Effect::new(move |_| {
        if let Some(Ok(draft)) = add.value() {
            slug.set(String::new());
            made.run(draft.slug);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = slug.get_untracked().trim().to_string();
        let fits = (1..=64).contains(&typed.len())
            && typed
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        bad_slug.set(!fits);
        if fits {
            let tier = audience.get_untracked();
            add.post(
                signed.write(api, paths::STAFF_PAGES),
                &NewPage {
                    slug: typed,
                    audience: if tier.is_empty() {
                        Audience::Everyone
                    } else {
                        Audience::Tier { tier }
                    },
                },
            );
        }
    };
    move || {
        let l = locale.get();
        let refused = add.value().and_then(Result::err);
        let taken =
            refused.as_ref().and_then(|e| e.code()) == Some(portico_api::ErrorCode::PageExists);
        let slug_error = if bad_slug.get() {
            Some(td_string!(l, pages.slug_rule).to_string())
        } else if taken {
            Some(td_string!(l, errors.page_exists).to_string())
        } else {
            None
        };
        let other = (!taken)
            .then(|| refused.as_ref().map(|e| words::error(l, e)))
            .flatten();
        view! {
            <section class="card" aria-labelledby="new-page-title">
                <h2 id="new-page-title">{td_string!(l, pages.new_title)}</h2>
                <form class="form" on:submit=submit novalidate>
                    <TextField id="new-slug" name="slug" label=td_string!(l, pages.slug) value=slug maxlength="64"
                        hint=td_string!(l, pages.slug_hint) error=slug_error/>
                    <label for="new-audience">{td_string!(l, pages.audience)}</label>
                    <select id="new-audience" on:change=move |ev| audience.set(event_target_value(&ev))>
                        <option value="" selected=move || audience.get().is_empty()>{td_string!(l, pages.everyone)}</option>
                        {tiers.get().into_iter().map(|tier| {
                            let code = tier.code.clone();
                            let label = tier_audience(l, &tiers.get_untracked(), &tier.code);
                            view! { <option value=tier.code.clone() selected=move || audience.get() == code>{label}</option> }
                        }).collect_view()}
                    </select>
                    {other.map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <SubmitButton pending=Signal::derive(move || add.pending())
                        label=td_string!(l, pages.create) busy_label=td_string!(l, pages.creating)/>
                </form>
            </section>
        }
    }
}
