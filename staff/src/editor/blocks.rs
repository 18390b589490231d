//! The editor's form, piece by piece: a labelled field bound to the draft, who the page is for,
//! one block of each kind (its fields, moved up and down by keyboard too, removed) and adding
//! one.

use super::autosave::Work;
use crate::locales::i18n::*;
use crate::words;
use leptos::prelude::*;
use portico_api::{Audience, BenefitCard, DraftBlock, DraftFaqItem, PageLocale, Tier};

/// A change to the draft as typed.
pub type Change = Box<dyn FnOnce(&mut Work)>;

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

/// A labelled text field bound to one piece of the draft.
#[component]
pub fn Field(
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
pub fn Audience(
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
pub fn BlockEditor(
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
pub fn AddBlock(
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
