//! One page in the editor: its zh-CN and en copies block by block (add, remove, move up and
//! down, by keyboard too), who it is for, saved as it is typed (a second after the last key,
//! kept on this device first, so a closed tab or a dropped network loses nothing), what
//! customers could not be shown listed with where it is, and the preview: the portal itself in
//! a frame, drawing the draft as a tier's member (or a guest) would see it, at phone or desktop
//! width. A save refused because someone else saved since keeps this text and asks which to
//! keep. Then review: submit (editors); compare, publish now or at a time, send back, take down,
//! restore a version (publishers; `review`).

use crate::locales::i18n::*;
use crate::review::Review;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{
    paths, Audience, BenefitCard, DraftBlock, DraftCopy, DraftFaqItem, DraftSave, ErrorCode,
    PageDraft, PageLocale, PageProblem, ProblemKind, ReviewState, StaffRole, Tier, PREVIEW_GUEST,
};
use portico_client::ApiError;
use std::time::Duration;

/// What is being edited: the draft as typed, and the revision it was read (or last saved) at.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Work {
    revision: u32,
    audience: Audience,
    copies: Vec<DraftCopy>,
}

impl Work {
    fn copy_mut(&mut self, locale: PageLocale) -> &mut DraftCopy {
        if let Some(at) = self.copies.iter().position(|c| c.locale == locale) {
            return &mut self.copies[at];
        }
        self.copies.push(DraftCopy {
            locale,
            title: String::new(),
            blocks: Vec::new(),
        });
        self.copies.sort_by_key(|c| c.locale != PageLocale::ZhCn);
        let at = self
            .copies
            .iter()
            .position(|c| c.locale == locale)
            .unwrap_or(0);
        &mut self.copies[at]
    }

    fn copy(&self, locale: PageLocale) -> Option<&DraftCopy> {
        self.copies.iter().find(|c| c.locale == locale)
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn kept_key(slug: &str) -> String {
    format!("portico-staff:draft:{slug}")
}

/// What this device kept of a draft not yet saved.
fn kept(slug: &str) -> Option<Work> {
    let text = storage()?.get_item(&kept_key(slug)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn keep(slug: &str, work: &Work) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(work)) {
        let _ = storage.set_item(&kept_key(slug), &text);
    }
}

fn forget(slug: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&kept_key(slug));
    }
}

pub fn locale_name(l: Locale, locale: PageLocale) -> &'static str {
    match locale {
        PageLocale::ZhCn => td_string!(l, editor.chinese),
        PageLocale::En => td_string!(l, editor.english),
    }
}

fn kind_name(l: Locale, kind: &str) -> &'static str {
    match kind {
        "hero" => td_string!(l, editor.kind_hero),
        "rich_text" => td_string!(l, editor.kind_rich_text),
        "benefit_grid" => td_string!(l, editor.kind_benefit_grid),
        "tier_comparison" => td_string!(l, editor.kind_tier_comparison),
        "faq" => td_string!(l, editor.kind_faq),
        _ => td_string!(l, editor.kind_call_to_action),
    }
}

const KINDS: [&str; 6] = [
    "hero",
    "rich_text",
    "benefit_grid",
    "tier_comparison",
    "faq",
    "call_to_action",
];

fn new_block(kind: &str) -> DraftBlock {
    match kind {
        "hero" => DraftBlock::Hero {
            title: String::new(),
            subtitle: None,
        },
        "rich_text" => DraftBlock::RichText {
            markdown: String::new(),
        },
        "benefit_grid" => DraftBlock::BenefitGrid {
            items: vec![BenefitCard {
                title: String::new(),
                text: String::new(),
            }],
        },
        "tier_comparison" => DraftBlock::TierComparison {},
        "faq" => DraftBlock::Faq {
            items: vec![DraftFaqItem {
                question: String::new(),
                answer: String::new(),
            }],
        },
        _ => DraftBlock::CallToAction {
            label: String::new(),
            href: String::new(),
        },
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

/// Where saving stands.
#[derive(Clone, Copy, PartialEq)]
enum Saving {
    Saved,
    Waiting,
    Sending,
    /// The network failed: kept here, tried again.
    Offline,
    /// Someone else saved since.
    Conflict,
    Failed,
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
    // What the save line says: while offline or failing, typing and trying again keep saying so
    // until a save is answered, so the line (two on a phone) does not shrink and grow under the
    // editor's fields at every key.
    let said = Memo::new(
        move |before: Option<&Saving>| match (status.get(), before) {
            (
                Saving::Waiting | Saving::Sending,
                Some(&trouble @ (Saving::Offline | Saving::Failed)),
            ) => trouble,
            (now, _) => now,
        },
    );
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
    Effect::new(move |_| match save.value() {
        Some(Ok(draft)) => {
            work.update(|w| {
                if let Some(w) = w {
                    w.revision = draft.revision;
                }
            });
            server.set(Some(draft));
            changes.update(|n| *n += 1);
            if edits.get_untracked() == sent.get_untracked() {
                status.set(Saving::Saved);
                slug.with_value(|s| forget(s));
            } else {
                // Typed while it was on its way: that goes next, from the new revision.
                if let Some(w) = work.get_untracked() {
                    slug.with_value(|s| keep(s, &w));
                }
                status.set(Saving::Waiting);
                schedule(Duration::from_millis(300));
            }
        }
        Some(Err(error)) if error.code() == Some(ErrorCode::EditConflict) => {
            status.set(Saving::Conflict)
        }
        Some(Err(ApiError::Network)) => {
            status.set(Saving::Offline);
            schedule(Duration::from_secs(5));
        }
        Some(Err(_)) => status.set(Saving::Failed),
        None => {}
    });
    // Resumed from this device: send it.
    Effect::new(move |_| {
        if status.get() == Saving::Waiting && !save.pending() && timer.get_value().is_none() {
            schedule(Duration::from_millis(300));
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
        if status.get_untracked() != Saving::Conflict {
            status.set(Saving::Waiting);
            schedule(Duration::from_millis(1000));
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

type Change = Box<dyn FnOnce(&mut Work)>;

/// A labelled text field bound to one piece of the draft.
#[component]
fn Field(
    label: Signal<String>,
    id: String,
    value: Signal<String>,
    set: Callback<String>,
    multiline: bool,
    #[prop(optional)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.is_some().then(|| hint_id.clone());
    let input = if multiline {
        view! {
            <textarea id=id.clone() rows="6" aria-describedby=described.clone() prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" aria-describedby=described.clone() prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || hint.get()}</p> })}
            {input}
        </div>
    }
}

#[component]
fn Audience(
    locale: RwSignal<Locale>,
    work: RwSignal<Option<Work>>,
    tiers: Signal<Vec<Tier>>,
    change: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let current = move || {
        work.with(|w| match w.as_ref().map(|w| &w.audience) {
            Some(Audience::Tier { tier }) => tier.clone(),
            _ => String::new(),
        })
    };
    view! {
        <div class="field">
            <label for="audience">{move || td_string!(locale.get(), pages.audience)}</label>
            <select id="audience" on:change=move |ev| {
                let code = event_target_value(&ev);
                change(Box::new(move |w| w.audience = if code.is_empty() { Audience::Everyone } else { Audience::Tier { tier: code } }));
            }>
                <option value="" selected=move || current().is_empty()>{move || td_string!(locale.get(), pages.everyone)}</option>
                {move || {
                    let l = locale.get();
                    tiers.get().into_iter().map(|tier| {
                        let code = tier.code.clone();
                        let label = crate::pages::tier_audience(l, &tiers.get_untracked(), &tier.code);
                        view! { <option value=tier.code.clone() selected=move || current() == code>{label}</option> }
                    }).collect_view()
                }}
            </select>
        </div>
    }
}

/// Reads or writes block `index` of the copy in `locale_tab`.
fn with_block<T>(
    work: &Option<Work>,
    locale_tab: PageLocale,
    index: usize,
    f: impl FnOnce(&DraftBlock) -> T,
) -> Option<T> {
    work.as_ref()?.copy(locale_tab)?.blocks.get(index).map(f)
}

#[component]
fn BlockEditor(
    locale: RwSignal<Locale>,
    work: RwSignal<Option<Work>>,
    locale_tab: PageLocale,
    index: usize,
    kind: &'static str,
    items: usize,
    count: usize,
    change: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let base = format!("b{}-{index}", locale_tab.as_str());
    let update = move |f: Box<dyn FnOnce(&mut DraftBlock)>| {
        change(Box::new(move |w| {
            if let Some(block) = w.copy_mut(locale_tab).blocks.get_mut(index) {
                f(block);
            }
        }))
    };
    let text = move |read: fn(&DraftBlock) -> String| {
        Signal::derive(move || {
            work.with(|w| with_block(w, locale_tab, index, read))
                .unwrap_or_default()
        })
    };
    let label = move |key: fn(Locale) -> &'static str| {
        Signal::derive(move || key(locale.get()).to_string())
    };
    let move_to = move |to: usize| {
        change(Box::new(move |w| {
            let blocks = &mut w.copy_mut(locale_tab).blocks;
            if to < blocks.len() {
                blocks.swap(index, to);
            }
        }));
        // The moved block's own button keeps the focus for the next move (the other one at an
        // end). The blocks are drawn by position, so that button is already there.
        let up = if to < index { to > 0 } else { to + 1 == count };
        let id = format!(
            "b{}-{to}-{}",
            locale_tab.as_str(),
            if up { "up" } else { "down" }
        );
        if let Some(button) = document().get_element_by_id(&id) {
            let _ = leptos::wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(button)
                .focus();
        }
    };
    let fields = match kind {
        "hero" => view! {
            <Field id=format!("{base}-title") label=label(|l| td_string!(l, editor.hero_title)) multiline=false
                value=text(|b| match b { DraftBlock::Hero { title, .. } => title.clone(), _ => String::new() })
                set=Callback::new(move |t: String| update(Box::new(move |b| if let DraftBlock::Hero { title, .. } = b { *title = t })))/>
            <Field id=format!("{base}-subtitle") label=label(|l| td_string!(l, editor.hero_subtitle)) multiline=false
                value=text(|b| match b { DraftBlock::Hero { subtitle, .. } => subtitle.clone().unwrap_or_default(), _ => String::new() })
                set=Callback::new(move |t: String| update(Box::new(move |b| if let DraftBlock::Hero { subtitle, .. } = b { *subtitle = (!t.is_empty()).then_some(t) })))/>
        }
        .into_any(),
        "rich_text" => view! {
            <Field id=format!("{base}-text") label=label(|l| td_string!(l, editor.markdown)) multiline=true
                hint=label(|l| td_string!(l, editor.markdown_hint))
                value=text(|b| match b { DraftBlock::RichText { markdown } => markdown.clone(), _ => String::new() })
                set=Callback::new(move |t: String| update(Box::new(move |b| if let DraftBlock::RichText { markdown } = b { *markdown = t })))/>
        }
        .into_any(),
        "tier_comparison" => view! {
            <p class="hint">{move || td_string!(locale.get(), editor.tier_comparison_hint)}</p>
        }
        .into_any(),
        "call_to_action" => view! {
            <Field id=format!("{base}-label") label=label(|l| td_string!(l, editor.button_label)) multiline=false
                value=text(|b| match b { DraftBlock::CallToAction { label, .. } => label.clone(), _ => String::new() })
                set=Callback::new(move |t: String| update(Box::new(move |b| if let DraftBlock::CallToAction { label, .. } = b { *label = t })))/>
            <Field id=format!("{base}-href") label=label(|l| td_string!(l, editor.button_href)) multiline=false
                hint=label(|l| td_string!(l, editor.href_hint))
                value=text(|b| match b { DraftBlock::CallToAction { href, .. } => href.clone(), _ => String::new() })
                set=Callback::new(move |t: String| update(Box::new(move |b| if let DraftBlock::CallToAction { href, .. } = b { *href = t })))/>
        }
        .into_any(),
        grid_or_faq => {
            let faq = grid_or_faq == "faq";
            view! {
                <ol class="items">
                    {(0..items).map(|item| {
                        let item_text = move |first: bool| Signal::derive(move || work.with(|w| with_block(w, locale_tab, index, |b| match b {
                            DraftBlock::BenefitGrid { items } => items.get(item).map(|i| if first { i.title.clone() } else { i.text.clone() }),
                            DraftBlock::Faq { items } => items.get(item).map(|i| if first { i.question.clone() } else { i.answer.clone() }),
                            _ => None,
                        }).flatten()).unwrap_or_default());
                        let set_item = move |first: bool| Callback::new(move |t: String| update(Box::new(move |b| match b {
                            DraftBlock::BenefitGrid { items } => if let Some(i) = items.get_mut(item) { if first { i.title = t } else { i.text = t } },
                            DraftBlock::Faq { items } => if let Some(i) = items.get_mut(item) { if first { i.question = t } else { i.answer = t } },
                            _ => {}
                        })));
                        view! {
                            <li class="item">
                                <Field id=format!("{base}-{item}-a") multiline=false value=item_text(true) set=set_item(true)
                                    label=label(if faq { |l| td_string!(l, editor.question) } else { |l| td_string!(l, editor.benefit_title) })/>
                                <Field id=format!("{base}-{item}-b") multiline=faq value=item_text(false) set=set_item(false)
                                    label=label(if faq { |l| td_string!(l, editor.answer) } else { |l| td_string!(l, editor.benefit_text) })/>
                                <button type="button" class="link-button" on:click=move |_| update(Box::new(move |b| match b {
                                    DraftBlock::BenefitGrid { items } if item < items.len() => { items.remove(item); }
                                    DraftBlock::Faq { items } if item < items.len() => { items.remove(item); }
                                    _ => {}
                                }))>{move || td_string!(locale.get(), editor.remove_item)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <button type="button" class="button secondary" on:click=move |_| update(Box::new(|b| match b {
                    DraftBlock::BenefitGrid { items } => items.push(BenefitCard { title: String::new(), text: String::new() }),
                    DraftBlock::Faq { items } => items.push(DraftFaqItem { question: String::new(), answer: String::new() }),
                    _ => {}
                }))>{move || td_string!(locale.get(), editor.add_item)}</button>
            }
            .into_any()
        }
    };
    let heading_id = format!("{base}-kind");
    let labelled_by = heading_id.clone();
    view! {
        <li class="block" aria-labelledby=labelled_by data-testid="block">
            <div class="block-head">
                <h3 id=heading_id>{move || words::fill(td_string!(locale.get(), editor.block_n), &(index + 1).to_string())} " · " {move || kind_name(locale.get(), kind)}</h3>
                <div class="actions">
                    <button type="button" class="link-button" id=format!("{base}-up") disabled=index == 0 on:click=move |_| move_to(index.saturating_sub(1))>
                        {move || td_string!(locale.get(), editor.move_up)}<span class="visually-hidden">{move || format!(" {}", words::fill(td_string!(locale.get(), editor.block_n), &(index + 1).to_string()))}</span>
                    </button>
                    <button type="button" class="link-button" id=format!("{base}-down") disabled=index + 1 == count on:click=move |_| move_to(index + 1)>
                        {move || td_string!(locale.get(), editor.move_down)}<span class="visually-hidden">{move || format!(" {}", words::fill(td_string!(locale.get(), editor.block_n), &(index + 1).to_string()))}</span>
                    </button>
                    <button type="button" class="link-button danger" on:click=move |_| change(Box::new(move |w| {
                        let blocks = &mut w.copy_mut(locale_tab).blocks;
                        if index < blocks.len() { blocks.remove(index); }
                    }))>
                        {move || td_string!(locale.get(), editor.remove_block)}<span class="visually-hidden">{move || format!(" {}", words::fill(td_string!(locale.get(), editor.block_n), &(index + 1).to_string()))}</span>
                    </button>
                </div>
            </div>
            {fields}
        </li>
    }
}

#[component]
fn AddBlock(
    locale: RwSignal<Locale>,
    locale_tab: PageLocale,
    change: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let kind = RwSignal::new("rich_text");
    let id = format!("add-kind-{}", locale_tab.as_str());
    view! {
        <div class="add-block">
            <label for=id.clone()>{move || td_string!(locale.get(), editor.add_kind)}</label>
            <select id=id on:change=move |ev| {
                let picked = event_target_value(&ev);
                if let Some(k) = KINDS.iter().find(|k| **k == picked) { kind.set(k) }
            }>
                {move || {
                    let l = locale.get();
                    KINDS.iter().map(|k| view! { <option value=*k selected=move || kind.get() == *k>{kind_name(l, k)}</option> }).collect_view()
                }}
            </select>
            <button type="button" class="button secondary" on:click=move |_| {
                let k = kind.get_untracked();
                change(Box::new(move |w| w.copy_mut(locale_tab).blocks.push(new_block(k))));
            }>{move || td_string!(locale.get(), editor.add_block)}</button>
        </div>
    }
}

/// The portal itself in a frame, drawing the saved draft as the reader chosen would see it.
#[component]
fn Preview(
    locale: RwSignal<Locale>,
    slug: String,
    tiers: Signal<Vec<Tier>>,
    tab: RwSignal<PageLocale>,
    server: RwSignal<Option<PageDraft>>,
) -> impl IntoView {
    let reader = RwSignal::new(String::from(PREVIEW_GUEST));
    // A tier's page is previewed as its members first.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        match server.get().map(|d| d.audience) {
            Some(Audience::Tier { tier }) => {
                reader.set(tier);
                true
            }
            Some(Audience::Everyone) => true,
            None => false,
        }
    });
    let desktop = RwSignal::new(false);
    let slug = StoredValue::new(slug);
    let src = move || {
        let revision = server.with(|d| d.as_ref().map_or(0, |d| d.revision));
        format!(
            "/benefits/{}?preview={}&lang={}&r={revision}",
            slug.get_value(),
            reader.get(),
            tab.get().as_str()
        )
    };
    view! {
        <div class="preview" data-testid="preview">
            <h3>{move || td_string!(locale.get(), editor.preview)}</h3>
            <div class="preview-controls">
                <label for="preview-reader">{move || td_string!(locale.get(), editor.preview_as)}</label>
                <select id="preview-reader" on:change=move |ev| reader.set(event_target_value(&ev))>
                    <option value=PREVIEW_GUEST selected=move || reader.get() == PREVIEW_GUEST>{move || td_string!(locale.get(), editor.guest)}</option>
                    {move || {
                        let l = locale.get();
                        tiers.get().into_iter().map(|tier| {
                            let code = tier.code.clone();
                            view! { <option value=tier.code.clone() selected=move || reader.get() == code>{crate::pages::tier_name(l, &tiers.get_untracked(), &tier.code)}</option> }
                        }).collect_view()
                    }}
                </select>
                <button type="button" class="tab" aria-pressed=move || (!desktop.get()).to_string() on:click=move |_| desktop.set(false)>
                    {move || td_string!(locale.get(), editor.phone)}
                </button>
                <button type="button" class="tab" aria-pressed=move || desktop.get().to_string() on:click=move |_| desktop.set(true)>
                    {move || td_string!(locale.get(), editor.desktop)}
                </button>
            </div>
            <p class="hint">{move || td_string!(locale.get(), editor.preview_hint)}</p>
            {move || {
                let blocked = server.with(|d| d.as_ref().is_some_and(|d| !d.problems.is_empty()));
                if blocked {
                    view! { <p class="notice-box">{td_string!(locale.get(), editor.preview_blocked)}</p> }.into_any()
                } else {
                    view! {
                        <div class="frame-box" tabindex="0" role="group" aria-label=move || td_string!(locale.get(), editor.preview)>
                            <iframe class="frame" class:desktop=move || desktop.get() src=src
                                title=move || td_string!(locale.get(), editor.preview)></iframe>
                        </div>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// Whether the draft is sent to review or not yet.
pub fn submitted(draft: &PageDraft) -> bool {
    draft.review == ReviewState::Submitted
}
