//! The preview: the portal itself in a frame (`/benefits/SLUG?preview=TIER&lang=`), drawing the
//! saved draft as a tier's member (or a guest) would see it, at phone or desktop width; none
//! while the draft has problems.

use crate::locales::i18n::*;
use leptos::prelude::*;
use portico_api::{Audience, PageDraft, PageLocale, Tier, PREVIEW_GUEST};

/// The portal itself in a frame, drawing the saved draft as the reader chosen would see it.
#[component]
pub fn Preview(
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
