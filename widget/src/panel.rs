//! The panel behind the launcher (a modal `<dialog>`: focus stays inside, Escape closes it, and
//! the loader gives focus back to the launcher) and the inline placement of one feature. Both
//! load the partner's settings first: which features, the accent, the default language.

use crate::call::Call;
use crate::events;
use crate::feedback::feedback_view;
use crate::locale::{self, fill, i18n::*};
use crate::lookup::LookupForm;
use crate::settings::{identity, survey_token, Embed};
use crate::style;
use crate::survey::{survey_view, SurveySource};
use leptos::prelude::*;
use portico_api::{paths, IdentityProof, TierBadge, WidgetFeature, WidgetSettings};
use portico_client::ApiError;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::HtmlDialogElement;

thread_local! {
    /// The open panel's dialog and the feature it shows, once drawn.
    static PANEL: RefCell<Option<(HtmlDialogElement, RwSignal<Option<WidgetFeature>>)>> =
        const { RefCell::new(None) };
}

pub fn open(embed: Embed, feature: Option<&str>) {
    let asked = feature.and_then(WidgetFeature::parse);
    let drawn = PANEL.with(|panel| panel.borrow().clone());
    let (dialog, shown) = match drawn {
        Some(drawn) => drawn,
        None => {
            let shown = RwSignal::new(asked);
            style::adopt(&embed.shadow);
            let shadow = embed.shadow.clone();
            crate::mount_in(&shadow, move || view! { <Panel embed shown/> });
            let Some(dialog) = shadow
                .query_selector("dialog")
                .ok()
                .flatten()
                .and_then(|d| d.dyn_into::<HtmlDialogElement>().ok())
            else {
                return;
            };
            PANEL.with(|panel| *panel.borrow_mut() = Some((dialog.clone(), shown)));
            (dialog, shown)
        }
    };
    if asked.is_some() {
        shown.set(asked);
    }
    if !dialog.open() {
        let _ = dialog.show_modal();
    }
}

pub fn close() {
    PANEL.with(|panel| {
        if let Some((dialog, _)) = panel.borrow().as_ref() {
            dialog.close();
        }
    });
}

pub fn inline(embed: Embed, feature: &str) {
    let Some(feature) = WidgetFeature::parse(feature) else {
        return;
    };
    style::adopt(&embed.shadow);
    let shadow = embed.shadow.clone();
    crate::mount_in(&shadow, move || view! { <Inline embed feature/> });
}

/// What a feature draws, in the language chosen. The lookup is in the first download (most
/// panels open on it); feedback and the survey are chunks of their own, fetched when shown (as a
/// chunk the lookup cost more). A kept message does not wait for its chunk: see `crate::resend`.
fn feature_view(
    embed: &Embed,
    settings: &WidgetSettings,
    feature: WidgetFeature,
    locale: Locale,
) -> AnyView {
    let embed = embed.clone();
    let chunk = match feature {
        WidgetFeature::Lookup => return view! { <LookupForm embed locale/> }.into_any(),
        WidgetFeature::Feedback => {
            Suspend::new(async move { feedback_view(embed, locale).await }).into_any()
        }
        WidgetFeature::Survey => {
            let source = match survey_token().get() {
                Some(token) => SurveySource::Invitation(token),
                None if settings.active_survey => SurveySource::Partner(settings.partner.clone()),
                None => return ().into_any(),
            };
            Suspend::new(async move { survey_view(embed, locale, source).await }).into_any()
        }
        WidgetFeature::TierBadge => return ().into_any(),
    };
    // Said while the section's chunk is on its way (the first time it is opened): the words
    // follow where the chunk's view will be, and the stylesheet hides them once it is there
    // (`* + .chunk-wait`), which costs far less than a `<Suspense>` (3.7 KB measured).
    view! {
        <div class="feature">
            {chunk}
            <p class="loading chunk-wait" role="status">{td_string!(locale, panel.loading)}</p>
        </div>
    }
    .into_any()
}

fn feature_label(locale: Locale, feature: WidgetFeature) -> &'static str {
    match feature {
        WidgetFeature::Lookup => td_string!(locale, nav.lookup),
        WidgetFeature::Feedback => td_string!(locale, nav.feedback),
        WidgetFeature::Survey => td_string!(locale, nav.survey),
        WidgetFeature::TierBadge => "",
    }
}

/// The features a visitor chooses between in the panel: not the badge, and a survey only once
/// the page passed an invitation or when the partner runs one of its own.
fn sections(settings: &WidgetSettings, invited: bool) -> Vec<WidgetFeature> {
    let survey = invited || settings.active_survey;
    settings
        .features
        .iter()
        .copied()
        .filter(|f| match f {
            WidgetFeature::Lookup | WidgetFeature::Feedback => true,
            WidgetFeature::Survey => survey,
            WidgetFeature::TierBadge => false,
        })
        .collect()
}

#[component]
fn Panel(embed: Embed, shown: RwSignal<Option<WidgetFeature>>) -> impl IntoView {
    let settings = Call::<WidgetSettings>::load(embed.settings_endpoint());
    let host = embed.host.clone();
    let close = move |_| {
        PANEL.with(|panel| {
            if let Some((dialog, _)) = panel.borrow().as_ref() {
                dialog.close();
            }
        })
    };
    let on_close = move |_| events::dispatch(&host, "portico:close", None);
    let asked = embed.asked_locale;
    let locale = move || {
        let partner_default = match settings.get() {
            Some(Ok(s)) => s.default_locale,
            _ => String::new(),
        };
        locale::choose(asked, &partner_default)
    };
    let accent = move || match settings.get() {
        Some(Ok(s)) => s.accent,
        _ => String::new(),
    };
    // The launcher (drawn by the loader before any settings) takes the partner's accent too,
    // once known: a custom property on the widget's own host element, inherited by its shadow.
    let launcher = embed.host.clone();
    Effect::new(move |_| {
        if let Some(Ok(s)) = settings.get() {
            let _ = launcher
                .style()
                .set_property("--portico-partner-accent", &s.accent);
        }
    });
    view! {
        <dialog
            class="panel"
            part="panel"
            aria-labelledby="portico-title"
            lang=move || locale::tag(locale())
            style=("--portico-partner-accent", accent)
            on:close=on_close
            on:keydown=keep_focus_inside
        >
            <header class="panel-header" part="header">
                <h2 id="portico-title">{move || td_string!(locale(), panel.title)}</h2>
                <button type="button" class="close" part="close" on:click=close>
                    {move || td_string!(locale(), panel.close)}
                </button>
            </header>
            {move || {
                let locale = locale();
                match settings.get() {
                    None => view! { <p class="loading" role="status">{td_string!(locale, panel.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{unavailable(locale, &error)}</p> }.into_any(),
                    Some(Ok(settings)) => {
                        let offered = sections(&settings, survey_token().get().is_some());
                        let current = shown
                            .get()
                            .filter(|f| offered.contains(f))
                            .or_else(|| offered.first().copied());
                        let badge = settings
                            .features
                            .contains(&WidgetFeature::TierBadge)
                            .then(|| view! { <Badge embed=embed.clone() locale/> });
                        view! {
                            {badge}
                            <nav class="sections" aria-label=td_string!(locale, panel.sections)>
                                {offered.iter().map(|&feature| view! {
                                    <button
                                        type="button"
                                        class="section"
                                        aria-pressed=(current == Some(feature)).to_string()
                                        on:click=move |_| shown.set(Some(feature))
                                    >
                                        {feature_label(locale, feature)}
                                    </button>
                                }).collect_view()}
                            </nav>
                            {current.map(|feature| feature_view(&embed, &settings, feature, locale))}
                            <p class="portal-link">
                                <a href=embed.portal_url("/") target="_blank" rel="noopener noreferrer">
                                    {td_string!(locale, panel.portal)}
                                </a>
                            </p>
                        }
                        .into_any()
                    }
                }
            }}
        </dialog>
    }
}

/// Tab from the panel's last control goes to its first, Shift+Tab from the first to the last:
/// a modal dialog alone lets focus leave for the browser's own controls.
fn keep_focus_inside(ev: leptos::ev::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Some(dialog) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(found) = dialog.query_selector_all("button:not([disabled]), input, textarea, a[href]")
    else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = dialog
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .and_then(|root| root.active_element());
    let at = |e: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == e.as_ref() as &web_sys::Element)
    };
    let target = if ev.shift_key() && at(first) {
        last
    } else if !ev.shift_key() && at(last) {
        first
    } else {
        return;
    };
    ev.prevent_default();
    let _ = target.focus();
}

#[component]
fn Inline(embed: Embed, feature: WidgetFeature) -> impl IntoView {
    let settings = Call::<WidgetSettings>::load(embed.settings_endpoint());
    let asked = embed.asked_locale;
    move || {
        let (locale, accent, body) = match settings.get() {
            None => {
                let locale = locale::choose(asked, "");
                let body = view! { <p class="loading" role="status">{td_string!(locale, panel.loading)}</p> }.into_any();
                (locale, String::new(), body)
            }
            Some(Err(error)) => {
                let locale = locale::choose(asked, "");
                let body =
                    view! { <p class="error" role="alert">{unavailable(locale, &error)}</p> }
                        .into_any();
                (locale, String::new(), body)
            }
            Some(Ok(settings)) => {
                let locale = locale::choose(asked, &settings.default_locale);
                let body = if settings.features.contains(&feature) {
                    feature_view(&embed, &settings, feature, locale)
                } else {
                    view! { <p class="error" role="alert">{td_string!(locale, errors.not_available)}</p> }.into_any()
                };
                (locale, settings.accent, body)
            }
        };
        view! {
            <section class="inline" part="panel" lang=locale::tag(locale) style=("--portico-partner-accent", accent)>
                {body}
            </section>
        }
    }
}

/// The visitor's tier, once the partner page vouched for them (`Portico.identify`); nothing
/// at all for a token the service refuses.
#[component]
fn Badge(embed: Embed, locale: Locale) -> impl IntoView {
    let badge = Call::<TierBadge>::new();
    Effect::new(move |_| {
        if let Some(token) = identity().get() {
            badge.post(
                embed.endpoint(&paths::widget_identity(embed.partner)),
                &IdentityProof { token },
            );
        }
    });
    move || {
        let shown = identity().get().is_some();
        match badge.get() {
            Some(Ok(badge)) if shown => {
                let tier = locale::pick(locale, &badge.name).to_string();
                Some(view! {
                    <p class="badge" part="badge" data-tier=badge.tier>
                        {fill(td_string!(locale, badge.member), &tier)}
                    </p>
                })
            }
            _ => None,
        }
    }
}

/// The settings could not be read: the partner is not set up for this page, or the service is
/// away.
fn unavailable(locale: Locale, error: &ApiError) -> &'static str {
    match error {
        ApiError::Network => td_string!(locale, errors.network),
        ApiError::Problem(_) => td_string!(locale, errors.not_available),
        ApiError::Unexpected => td_string!(locale, panel.unavailable),
    }
}
