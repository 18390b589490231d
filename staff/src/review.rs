//! Review, below the editor: an editor submits the draft; a publisher compares it with what is
//! live, publishes it now or at a time (warned first when a language has no text), sends it back
//! with a comment, takes the page down, and compares or restores any version.

use crate::editor::{locale_name, submitted};
use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{
    paths, DraftAction, LineChange, PageDiff, PageDraft, PageState, PageVersion, PublishDraft,
    SendBack, StaffRole, UtcTime, VersionState,
};

fn version_state(l: Locale, state: VersionState) -> &'static str {
    match state {
        VersionState::Live => td_string!(l, review.live),
        VersionState::Scheduled => td_string!(l, review.scheduled),
        VersionState::Superseded => td_string!(l, review.superseded),
    }
}

/// A `datetime-local` value (the reader's time zone) as a UTC time.
fn utc(local: &str) -> Option<UtcTime> {
    let date = js_sys::Date::new(&local.into());
    date.get_time()
        .is_finite()
        .then(|| UtcTime(date.to_iso_string().into()))
}

#[component]
pub fn Review(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    role: StaffRole,
    draft: PageDraft,
    /// Whether typing is not saved yet (nothing goes to review unsaved).
    dirty: Signal<bool>,
    /// The draft as an action left it.
    changed: Callback<PageDraft>,
) -> impl IntoView {
    let slug = StoredValue::new(draft.slug.clone());
    let revision = draft.revision;
    let act = signed.submit::<PageDraft>();
    Effect::new(move |_| {
        if let Some(Ok(after)) = act.value() {
            changed.run(after);
        }
    });
    let path = move |then: &str| paths::staff_page(&slug.get_value(), then);
    let publisher = role == StaffRole::Publisher;
    let writer = matches!(role, StaffRole::Editor | StaffRole::Publisher);
    let blocked = !draft.problems.is_empty();
    let can_submit = writer && !submitted(&draft) && !blocked && !draft.copies.is_empty();
    let missing = draft.missing.clone();
    let live = matches!(
        draft.state,
        PageState::Published | PageState::Changed | PageState::Scheduled
    );
    let when = RwSignal::new(String::new());
    let allow_missing = RwSignal::new(false);
    let comment = RwSignal::new(String::new());
    let no_comment = RwSignal::new(false);
    let diff = signed.remote::<PageDiff>(move || api.read(&path("diff")));
    let versions = signed.remote::<Vec<PageVersion>>(move || api.read(&path("versions")));
    let compare = RwSignal::new(None::<u32>);
    let old_diff = signed.remote::<PageDiff>(move || match compare.get() {
        Some(v) => api.read(&format!("{}?from={v}", path("diff"))),
        None => api.read(&path("diff")),
    });
    let error = move || {
        act.value()
            .and_then(Result::err)
            .map(|e| words::error(locale.get(), &e))
    };
    view! {
        <section class="page-review" aria-labelledby="review-title">
            <h3 id="review-title">{move || td_string!(locale.get(), review.title)}</h3>
            {move || error().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {blocked.then(|| view! { <p class="hint">{move || td_string!(locale.get(), review.fix_first)}</p> })}
            {can_submit.then(|| view! {
                <button type="button" class="button" disabled=move || act.pending() || dirty.get()
                    on:click=move |_| act.post(signed.write(api, &path("submit")), &DraftAction { revision })>
                    {move || td_string!(locale.get(), review.submit)}
                </button>
            })}
            {(submitted(&draft) && !publisher).then(|| view! { <p class="notice">{move || td_string!(locale.get(), review.waiting)}</p> })}
            {publisher.then(|| view! {
                <h4>{move || td_string!(locale.get(), review.changes)}</h4>
                {move || diff_view(locale.get(), diff.get().and_then(Result::ok))}
                <div class="publish">
                    {(!missing.is_empty()).then(|| {
                        let names = missing.clone();
                        view! {
                            <p class="warning" role="note">{move || {
                                let l = locale.get();
                                let list: Vec<&str> = names.iter().map(|m| locale_name(l, *m)).collect();
                                words::fill(td_string!(l, review.missing), &list.join(", "))
                            }}</p>
                            <label class="check"><input type="checkbox" prop:checked=move || allow_missing.get()
                                on:change=move |ev| allow_missing.set(event_target_checked(&ev))/>
                                {move || td_string!(locale.get(), review.allow_missing)}</label>
                        }
                    })}
                    <label for="publish-at">{move || td_string!(locale.get(), review.at)}</label>
                    <p class="hint" id="publish-at-hint">{move || td_string!(locale.get(), review.at_hint)}</p>
                    <input id="publish-at" type="datetime-local" aria-describedby="publish-at-hint" prop:value=move || when.get()
                        on:input=move |ev| when.set(event_target_value(&ev))/>
                    <div class="actions">
                        <button type="button" class="button" data-testid="publish"
                            disabled=move || act.pending() || dirty.get() || blocked || (!missing.is_empty() && !allow_missing.get())
                            on:click=move |_| act.post(signed.write(api, &path("publish")), &PublishDraft {
                                revision,
                                at: utc(&when.get_untracked()),
                                allow_missing: allow_missing.get_untracked(),
                            })>
                            {move || if when.get().is_empty() { td_string!(locale.get(), review.publish_now) } else { td_string!(locale.get(), review.schedule) }}
                        </button>
                        {live.then(|| view! {
                            <button type="button" class="button secondary take-down" disabled=move || act.pending()
                                on:click=move |_| act.post_empty(signed.write(api, &path("unpublish")))>
                                {move || td_string!(locale.get(), review.unpublish)}
                            </button>
                        })}
                    </div>
                </div>
                <div class="send-back">
                    <label for="send-back">{move || td_string!(locale.get(), review.comment)}</label>
                    <textarea id="send-back" rows="3" aria-invalid=move || no_comment.get().to_string()
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    {move || no_comment.get().then(|| view! { <p class="field-error" role="alert">{td_string!(locale.get(), review.comment_needed)}</p> })}
                    <button type="button" class="button secondary" disabled=move || act.pending() on:click=move |_| {
                        let text = comment.get_untracked();
                        no_comment.set(text.trim().is_empty());
                        if !text.trim().is_empty() {
                            act.post(signed.write(api, &path("send-back")), &SendBack { revision, comment: text });
                        }
                    }>{move || td_string!(locale.get(), review.send_back)}</button>
                </div>
            })}
            <h4>{move || td_string!(locale.get(), review.versions)}</h4>
            {move || {
                let l = locale.get();
                match versions.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{td_string!(l, review.no_versions)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="versions">
                            {list.into_iter().map(|v| {
                                let number = v.version;
                                let down = v.locales.is_empty();
                                view! {
                                    <li data-testid="version">
                                        <strong>{words::fill(td_string!(l, review.version_n), &number.to_string())}</strong>
                                        " · " {version_state(l, v.state)} " · " {words::when(l, &v.publish_at.0)}
                                        {down.then(|| view! { " · " {td_string!(l, review.taken_down)} })}
                                        {v.restored_from.map(|r| view! { " · " {words::fill(td_string!(l, review.restored_from), &r.to_string())} })}
                                        {v.published_by.map(|by| view! { " · " <span class="mono">{by}</span> })}
                                        " "
                                        {(!down).then(|| view! {
                                            <button type="button" class="link-button" on:click=move |_| compare.set(Some(number))>
                                                {td_string!(l, review.compare)}<span class="visually-hidden">{format!(" {number}")}</span>
                                            </button>
                                        })}
                                        {(publisher && !down && v.state != VersionState::Live).then(|| view! {
                                            <button type="button" class="link-button" disabled=move || act.pending()
                                                on:click=move |_| act.post_empty(signed.write(api, &paths::staff_page_restore(&slug.get_value(), number)))>
                                                {td_string!(l, review.restore)}<span class="visually-hidden">{format!(" {number}")}</span>
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            }}
            {move || compare.get().map(|v| view! {
                <h4>{words::fill(td_string!(locale.get(), review.compared), &v.to_string())}</h4>
                {diff_view(locale.get(), old_diff.get().and_then(Result::ok))}
            })}
        </section>
    }
}

/// A comparison, one language after the other: lines taken out and put in, marked by more than
/// colour.
fn diff_view(l: Locale, diff: Option<PageDiff>) -> impl IntoView {
    let Some(diff) = diff else {
        return view! { <p class="loading">{td_string!(l, app.loading)}</p> }.into_any();
    };
    if !diff.changed {
        return view! { <p class="muted" data-testid="diff">{td_string!(l, review.no_changes)}</p> }.into_any();
    }
    view! {
        <div class="diff" data-testid="diff">
            {diff.locales.into_iter().map(|part| view! {
                <p class="diff-locale">{locale_name(l, part.locale)}</p>
                <pre class="diff-lines">{part.lines.into_iter().filter(|line| line.change != LineChange::Same).map(|line| match line.change {
                    LineChange::Added => view! { <ins>{format!("+ {}\n", line.text)}</ins> }.into_any(),
                    _ => view! { <del>{format!("− {}\n", line.text)}</del> }.into_any(),
                }).collect_view()}</pre>
            }).collect_view()}
        </div>
    }
    .into_any()
}
