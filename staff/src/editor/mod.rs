//! One page in the editor: its zh-CN and en copies block by block (add, remove, move up and
//! down, by keyboard too), who it is for, saved as it is typed (a second after the last key,
//! kept on this device first, so a closed tab or a dropped network loses nothing), what
//! customers could not be shown listed with where it is, and the preview: the portal itself in
//! a frame, drawing the draft as a tier's member (or a guest) would see it, at phone or desktop
//! width. A save refused because someone else saved since keeps this text and asks which to
//! keep. Then review: submit (editors); compare, publish now or at a time, send back, take down,
//! restore a version (publishers; `review`).

mod autosave;
mod blocks;
mod preview;
#[cfg(test)]
mod tests;

use crate::locales::i18n::*;
use crate::review::Review;
use crate::{words, Api, Signed};
use autosave::{forget, keep, kept, Saving, Work};
use blocks::{AddBlock, Audience, BlockEditor, Field};
use leptos::prelude::*;
use portico_api::{
    paths, DraftBlock, DraftSave, PageDraft, PageLocale, PageProblem, ProblemKind, ReviewState,
    StaffRole, Tier,
};
use preview::Preview;
use std::time::Duration;

pub fn locale_name(l: Locale, locale: PageLocale) -> &'static str {
    match locale {
        PageLocale::ZhCn => td_string!(l, editor.chinese),
        PageLocale::En => td_string!(l, editor.english),
    }
}

/// A problem in words: where, and what to do.
pub fn problem_text(l: Locale, problem: &PageProblem) -> String {
    let what = match problem.kind {
        ProblemKind::RawHtml => td_string!(l, editor.problem_raw_html),
        ProblemKind::Unsupported => td_string!(l, editor.problem_unsupported),
        ProblemKind::Link => td_string!(l, editor.problem_link),
        ProblemKind::EmptyLink => td_string!(l, editor.problem_empty_link),
        ProblemKind::ControlCharacter => td_string!(l, editor.problem_control),
        ProblemKind::Empty => td_string!(l, editor.problem_empty),
    };
    let place = match problem.block {
        Some(block) => words::fill(td_string!(l, editor.in_block), &block.to_string()),
        None => td_string!(l, editor.in_title).to_string(),
    };
    let found = problem
        .found
        .as_ref()
        .map(|f| format!(" ({})", words::fill(td_string!(l, editor.found), f)))
        .unwrap_or_default();
    format!(
        "{} · {place}: {what}{found}",
        locale_name(l, problem.locale)
    )
}

#[component]
pub fn Editor(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    role: StaffRole,
    slug: String,
    tiers: Signal<Vec<Tier>>,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let path = paths::staff_page(&slug, "");
    let loaded = signed.remote::<PageDraft>(move || api.read(&path));
    // The service's latest word on the draft (loaded, then each save's answer).
    let server = RwSignal::new(None::<PageDraft>);
    let work = RwSignal::new(None::<Work>);
    let status = RwSignal::new(Saving::Saved);
    let said =
        Memo::new(move |before: Option<&Saving>| autosave::said(status.get(), before.copied()));
    let tab = RwSignal::new(PageLocale::ZhCn);
    let save = signed.submit::<PageDraft>();
    // Edits made, and the edits the save on its way carries.
    let edits = RwSignal::new(0u32);
    let sent = RwSignal::new(0u32);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let slug = StoredValue::new(slug);
    // Left (another screen, Back): what waits is kept on this device and sent when the page is
    // opened again, never by a timer outliving the editor.
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });

    Effect::new(move |_| {
        if let Some(Ok(draft)) = loaded.get() {
            let fresh = Work {
                revision: draft.revision,
                audience: draft.audience.clone(),
                copies: draft.copies.clone(),
            };
            // A copy kept on this device from the same revision is newer than the service's.
            let mine = slug
                .with_value(|s| kept(s))
                .filter(|k| k.revision == draft.revision);
            let resume = mine.is_some();
            work.set(Some(mine.unwrap_or(fresh)));
            server.set(Some(draft));
            if resume {
                edits.update(|n| *n += 1);
                status.set(Saving::Waiting);
            }
        }
    });

    let send_now = move || {
        if save.pending() || status.get_untracked() == Saving::Conflict {
            return;
        }
        let Some(current) = work.get_untracked() else {
            return;
        };
        sent.set(edits.get_untracked());
        status.set(Saving::Sending);
        save.send(
            "PUT",
            signed.write(api, &paths::staff_page(&slug.get_value(), "draft")),
            &DraftSave {
                revision: current.revision,
                audience: current.audience,
                copies: current.copies,
            },
        );
    };
    let schedule = move |after: Duration| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(set_timeout_with_handle(send_now, after).ok());
    };
    Effect::new(move |_| {
        let Some(answer) = save.value() else {
            return;
        };
        let (next, again) =
            autosave::answered(&answer, edits.get_untracked() == sent.get_untracked());
        if let Ok(draft) = answer {
            work.update(|w| {
                if let Some(w) = w {
                    w.revision = draft.revision;
                }
            });
            server.set(Some(draft));
            changes.update(|n| *n += 1);
        }
        match (next, work.get_untracked()) {
            (Saving::Saved, _) => slug.with_value(|s| forget(s)),
            (Saving::Waiting, Some(w)) => slug.with_value(|s| keep(s, &w)),
            _ => {}
        }
        status.set(next);
        if let Some(after) = again {
            schedule(after);
        }
    });
    // Resumed from this device: send it.
    Effect::new(move |_| {
        if status.get() == Saving::Waiting && !save.pending() && timer.get_value().is_none() {
            schedule(autosave::SOON);
        }
    });

    let edit = move |change: Box<dyn FnOnce(&mut Work)>| {
        work.update(|w| {
            if let Some(w) = w {
                change(w);
            }
        });
        edits.update(|n| *n += 1);
        if let Some(w) = work.get_untracked() {
            slug.with_value(|s| keep(s, &w));
        }
        if let Some((next, after)) = autosave::typed(status.get_untracked()) {
            status.set(next);
            schedule(after);
        }
    };
    let edit = StoredValue::new(edit);
    let change = move |f: Box<dyn FnOnce(&mut Work)>| edit.with_value(|e| e(f));

    // Someone else saved: keep mine over theirs, or take theirs.
    let keep_mine = move |_| {
        let path = paths::staff_page(&slug.get_value(), "");
        let reread = api.read(&path);
        leptos::task::spawn_local(async move {
            if let Ok(latest) = portico_client::get::<PageDraft>(&reread).await {
                work.update(|w| {
                    if let Some(w) = w {
                        w.revision = latest.revision;
                    }
                });
                status.set(Saving::Waiting);
                send_now();
            }
        });
    };
    let take_theirs = move |_| {
        slug.with_value(|s| forget(s));
        status.set(Saving::Saved);
        loaded.refetch();
    };

    // Whether there is a draft to edit: the form is drawn once, not again at every key.
    let has_work = Memo::new(move |_| work.with(|w| w.is_some()));
    let shape = Memo::new(move |_| {
        let locale = tab.get();
        work.with(|w| {
            w.as_ref().map(|w| {
                w.copy(locale).map(|c| {
                    c.blocks
                        .iter()
                        .map(|b| {
                            let items = match b {
                                DraftBlock::BenefitGrid { items } => items.len(),
                                DraftBlock::Faq { items } => items.len(),
                                _ => 0,
                            };
                            (b.kind(), items)
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    });

    view! {
        <section class="card editor" aria-labelledby="editor-title">
            <p><a href="/staff/pages">{move || td_string!(locale.get(), editor.back)}</a></p>
            {move || {
                let l = locale.get();
                match (loaded.get(), server.get()) {
                    (Some(Err(error)), _) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    (_, None) => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    (_, Some(draft)) => view! {
                        <h2 id="editor-title">
                            {work.with(|w| w.as_ref().and_then(|w| w.copy(tab.get_untracked()).map(|c| c.title.clone())).filter(|t| !t.is_empty()))
                                .unwrap_or_else(|| format!("/benefits/{}", draft.slug))}
                        </h2>
                        <p class="muted">
                            <span class="tag">{crate::pages::state_word(l, draft.state)}</span>
                            {crate::pages::review_word(l, draft.review).map(|r| view! { " " <span class="tag tag-review">{r}</span> })}
                            {draft.scheduled_at.clone().map(|at| view! { " " {words::fill(td_string!(l, editor.goes_live), &words::when(l, &at.0))} })}
                        </p>
                        {draft.comment.clone().map(|comment| view! {
                            <div class="notice-box" role="note">
                                <p><strong>{td_string!(l, editor.sent_back_because)}</strong></p>
                                <p class="pre">{comment}</p>
                            </div>
                        })}
                    }.into_any(),
                }
            }}
            <p class="save-state" role="status" data-testid="save-state">{move || {
                let l = locale.get();
                match said.get() {
                    Saving::Saved => td_string!(l, editor.saved),
                    Saving::Waiting | Saving::Sending => td_string!(l, editor.saving),
                    Saving::Offline => td_string!(l, editor.offline),
                    Saving::Failed => td_string!(l, editor.save_failed),
                    Saving::Conflict => "",
                }
            }}</p>
            {move || (status.get() == Saving::Conflict).then(|| {
                let l = locale.get();
                let by = server.get().and_then(|d| d.updated_by).unwrap_or_default();
                view! {
                    <div class="conflict" role="alert">
                        <p>{words::fill(td_string!(l, editor.conflict), &by)}</p>
                        <div class="actions">
                            <button type="button" class="button secondary" on:click=keep_mine>{td_string!(l, editor.keep_mine)}</button>
                            <button type="button" class="button secondary" on:click=take_theirs>{td_string!(l, editor.take_theirs)}</button>
                        </div>
                    </div>
                }
            })}
            {move || has_work.get().then(|| view! {
                <div class="editor-grid">
                    <div class="editor-form">
                        <Audience locale work tiers change/>
                        <div class="tabs" role="group" aria-label=move || td_string!(locale.get(), editor.language)>
                            {PageLocale::ALL.into_iter().map(|locale_tab| view! {
                                <button type="button" class="tab" aria-pressed=move || (tab.get() == locale_tab).to_string()
                                    on:click=move |_| tab.set(locale_tab)>
                                    {move || locale_name(locale.get(), locale_tab)}
                                </button>
                            }).collect_view()}
                        </div>
                        {move || {
                            let l = locale.get();
                            let problems: Vec<PageProblem> = server.get().map(|d| d.problems).unwrap_or_default();
                            (!problems.is_empty()).then(|| view! {
                                <div class="problems" role="alert">
                                    <p><strong>{td_string!(l, editor.problems)}</strong></p>
                                    <ul>{problems.iter().map(|p| view! { <li>{problem_text(l, p)}</li> }).collect_view()}</ul>
                                </div>
                            })
                        }}
                        {move || {
                            let locale_tab = tab.get();
                            let l = locale.get_untracked();
                            match shape.get().flatten() {
                                None => view! {
                                    <p class="muted">{move || words::fill(td_string!(locale.get(), editor.no_copy), locale_name(locale.get(), locale_tab))}</p>
                                    <button type="button" class="button secondary" on:click=move |_| change(Box::new(move |w| { w.copy_mut(locale_tab); }))>
                                        {words::fill(td_string!(l, editor.write_copy), locale_name(l, locale_tab))}
                                    </button>
                                }.into_any(),
                                Some(blocks) => {
                                    let count = blocks.len();
                                    view! {
                                        <Field label=Signal::derive(move || td_string!(locale.get(), editor.page_title).to_string())
                                            id=format!("title-{}", locale_tab.as_str())
                                            value=Signal::derive(move || work.with(|w| w.as_ref().and_then(|w| w.copy(locale_tab)).map(|c| c.title.clone()).unwrap_or_default()))
                                            set=Callback::new(move |text: String| change(Box::new(move |w| w.copy_mut(locale_tab).title = text)))
                                            multiline=false/>
                                        <ol class="blocks">
                                            {blocks.into_iter().enumerate().map(|(index, (kind, items))| view! {
                                                <BlockEditor locale work locale_tab index kind items count change/>
                                            }).collect_view()}
                                        </ol>
                                        <AddBlock locale locale_tab change/>
                                    }.into_any()
                                }
                            }
                        }}
                    </div>
                    <Preview locale slug=slug.get_value() tiers tab server/>
                </div>
            })}
            {move || server.get().map(|draft| view! {
                <Review locale api signed role draft dirty=Signal::derive(move || status.get() != Saving::Saved)
                    changed=Callback::new(move |after: PageDraft| {
                        work.update(|w| if let Some(w) = w { *w = Work { revision: after.revision, audience: after.audience.clone(), copies: after.copies.clone() } });
                        server.set(Some(after));
                        changes.update(|n| *n += 1);
                    })/>
            })}
        </section>
    }
}

/// Whether the draft is sent to review or not yet.
pub fn submitted(draft: &PageDraft) -> bool {
    draft.review == ReviewState::Submitted
}
