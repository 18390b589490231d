//! Partners (admins): each partner who embeds the widget as a panel with its key, its embed
//! snippet (text, never markup), its state switched in place, a form to change it (one open at a
//! time) and a new identity secret on request; and a form to add one. A secret is shown once,
//! when the service makes it. Refusals are said at the field, and the form keeps what was typed.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{
    paths, ErrorCode, NewPartner, PageLocale, PartnerAccount, PartnerAdded, PartnerChange,
    PartnerList, PartnerSecret, Touchpoint, WidgetFeature,
};
use portico_client::ApiError;
use portico_ui::form::{SubmitButton, TextField};

/// What a partner's form holds while it is typed in.
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    origins: RwSignal<String>,
    features: RwSignal<Vec<WidgetFeature>>,
    accent: RwSignal<String>,
    language: RwSignal<PageLocale>,
    survey: RwSignal<Option<Touchpoint>>,
    /// What the last check before sending found wrong.
    wrong: RwSignal<Option<Wrong>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrong {
    Name,
    Origins,
    Features,
    Accent,
}

/// What the form sends, once it passed the check.
struct Draft {
    name: String,
    origins: Vec<String>,
    features: Vec<WidgetFeature>,
    accent: String,
}

impl Fields {
    fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            origins: RwSignal::new(String::new()),
            features: RwSignal::new(WidgetFeature::ALL.to_vec()),
            accent: RwSignal::new("#1f6f4a".into()),
            language: RwSignal::new(PageLocale::ZhCn),
            survey: RwSignal::new(None),
            wrong: RwSignal::new(None),
        }
    }

    fn fill(&self, partner: &PartnerAccount) {
        self.name.set(partner.name.clone());
        self.origins.set(partner.origins.join("\n"));
        self.features.set(partner.features.clone());
        self.accent.set(partner.accent.clone());
        self.language.set(partner.default_locale);
        self.survey.set(partner.active_survey);
        self.wrong.set(None);
    }

    /// The form's values, or what is wrong with them (said at the field, nothing sent).
    fn check(&self) -> Option<Draft> {
        let name = self.name.get_untracked().trim().to_string();
        let origins: Vec<String> = self
            .origins
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect();
        // The panel's order: as the partner had them, ticked ones after.
        let features = self.features.get_untracked();
        let accent = self.accent.get_untracked().trim().to_ascii_lowercase();
        let accent_ok = accent.len() == 7
            && accent.starts_with('#')
            && accent[1..].bytes().all(|b| b.is_ascii_hexdigit());
        let wrong = if name.is_empty() {
            Some(Wrong::Name)
        } else if origins.is_empty() {
            Some(Wrong::Origins)
        } else if features.is_empty() {
            Some(Wrong::Features)
        } else if !accent_ok {
            Some(Wrong::Accent)
        } else {
            None
        };
        self.wrong.set(wrong);
        wrong.is_none().then_some(Draft {
            name,
            origins,
            features,
            accent,
        })
    }
}

fn feature(l: Locale, feature: WidgetFeature) -> &'static str {
    match feature {
        WidgetFeature::Lookup => td_string!(l, partners.feature_lookup),
        WidgetFeature::Feedback => td_string!(l, partners.feature_feedback),
        WidgetFeature::Survey => td_string!(l, partners.feature_survey),
        WidgetFeature::TierBadge => td_string!(l, partners.feature_tier_badge),
    }
}

fn survey(l: Locale, survey: Option<Touchpoint>) -> &'static str {
    match survey {
        None => td_string!(l, partners.survey_none),
        Some(Touchpoint::Delivery) => td_string!(l, partners.survey_delivery),
        Some(Touchpoint::Return) => td_string!(l, partners.survey_return),
        Some(Touchpoint::Support) => td_string!(l, partners.survey_support),
    }
}

fn language(l: Locale, language: PageLocale) -> &'static str {
    match language {
        PageLocale::ZhCn => td_string!(l, partners.language_zh),
        PageLocale::En => td_string!(l, partners.language_en),
    }
}

/// The one tag a partner puts on its pages, for this service's address.
fn snippet(key: &str) -> String {
    let host = window().location().origin().unwrap_or_default();
    format!("<script src=\"{host}/widget.js\" data-partner=\"{key}\" async></script>")
}

/// The ids of a form's fields: the add form's, and the one open change form's.
struct Ids {
    name: &'static str,
    origins: &'static str,
    accent: &'static str,
    language: &'static str,
    survey: &'static str,
}

const NEW_IDS: Ids = Ids {
    name: "new-partner-name",
    origins: "new-partner-origins",
    accent: "new-partner-accent",
    language: "new-partner-language",
    survey: "new-partner-survey",
};
const EDIT_IDS: Ids = Ids {
    name: "partner-name",
    origins: "partner-origins",
    accent: "partner-accent",
    language: "partner-language",
    survey: "partner-survey",
};

/// A partner's fields, with what is wrong said at the field: the check's finding, or the
/// service's `invalid_origin`.
fn fields_view(
    l: Locale,
    fields: Fields,
    ids: &'static Ids,
    refused: Option<&ApiError>,
) -> impl IntoView {
    let wrong = fields.wrong.get();
    let bad_origin = refused.and_then(ApiError::code) == Some(ErrorCode::InvalidOrigin);
    let origins_error = match (wrong, bad_origin) {
        (Some(Wrong::Origins), _) => Some(td_string!(l, partners.origins_needed).to_string()),
        (_, true) => refused.map(|e| words::error(l, e)),
        _ => None,
    };
    let origins_described = if origins_error.is_some() {
        format!("{}-error", ids.origins)
    } else {
        format!("{}-hint", ids.origins)
    };
    view! {
        <TextField id=ids.name name="name" label=td_string!(l, partners.name) value=fields.name maxlength="100"
            error=(wrong == Some(Wrong::Name)).then(|| td_string!(l, errors.name_needed).to_string())/>
        <label for=ids.origins>{td_string!(l, partners.origins)}</label>
        <textarea id=ids.origins name="origins" rows="3" aria-invalid=origins_error.is_some().to_string()
            aria-describedby=origins_described prop:value=move || fields.origins.get()
            on:input=move |ev| fields.origins.set(event_target_value(&ev))></textarea>
        <p id=format!("{}-hint", ids.origins) class="hint">{td_string!(l, partners.origins_hint)}</p>
        {origins_error.map(|text| view! { <p id=format!("{}-error", ids.origins) class="field-error" role="alert">{text}</p> })}
        <fieldset class="choices">
            <legend>{td_string!(l, partners.features)}</legend>
            {WidgetFeature::ALL.into_iter().map(|f| view! {
                <label class="check"><input type="checkbox" prop:checked=move || fields.features.with(|fs| fs.contains(&f))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        fields.features.update(|fs| {
                            fs.retain(|x| *x != f);
                            if on { fs.push(f) }
                        });
                    }/>
                    {feature(l, f)}</label>
            }).collect_view()}
            {(wrong == Some(Wrong::Features)).then(|| view! {
                <p class="field-error" role="alert">{td_string!(l, partners.features_needed)}</p>
            })}
        </fieldset>
        <TextField id=ids.accent name="accent" label=td_string!(l, partners.accent) value=fields.accent maxlength="7"
            hint=td_string!(l, partners.accent_hint) class="mono"
            error=(wrong == Some(Wrong::Accent)).then(|| td_string!(l, partners.accent_wrong).to_string())/>
        <label for=ids.language>{td_string!(l, partners.language)}</label>
        <select id=ids.language on:change=move |ev| {
            if let Some(found) = PageLocale::parse(&event_target_value(&ev)) { fields.language.set(found) }
        }>
            {PageLocale::ALL.into_iter().map(|each| view! {
                <option value=each.as_str() selected=move || fields.language.get() == each>{language(l, each)}</option>
            }).collect_view()}
        </select>
        <label for=ids.survey>{td_string!(l, partners.survey)}</label>
        <select id=ids.survey on:change=move |ev| fields.survey.set(Touchpoint::parse(&event_target_value(&ev)))>
            <option value="" selected=move || fields.survey.get().is_none()>{survey(l, None)}</option>
            {Touchpoint::ALL.into_iter().map(|each| view! {
                <option value=each.as_str() selected=move || fields.survey.get() == Some(each)>{survey(l, Some(each))}</option>
            }).collect_view()}
        </select>
    }
}

/// What one partner's last action was, to say its answer in its panel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Did {
    Switched,
    Saved,
}

#[component]
pub fn Partners(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// Bumped after every change that went through.
    changes: RwSignal<u32>,
) -> impl IntoView {
    let list = signed.remote::<PartnerList>(move || api.read(paths::STAFF_PARTNERS));
    let change = signed.submit::<PartnerAccount>();
    let rotate = signed.submit::<PartnerSecret>();
    // Which partner the last change, or the last new secret, was for.
    let changed = RwSignal::new(None::<(i64, Did)>);
    let rotated = RwSignal::new(None::<i64>);
    // The one partner whose change form is open, and whose new secret is being confirmed.
    let editing = RwSignal::new(None::<i64>);
    let confirming = RwSignal::new(None::<i64>);
    let fields = Fields::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = change.value() {
            if matches!(changed.get_untracked(), Some((_, Did::Saved))) {
                editing.set(None);
            }
            list.refetch();
            changes.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = rotate.value() {
            changes.update(|n| *n += 1);
        }
    });
    let save = move |partner: &PartnerAccount| {
        let Some(draft) = fields.check() else { return };
        let survey = fields.survey.get_untracked();
        changed.set(Some((partner.id, Did::Saved)));
        change.send(
            "PATCH",
            signed.write(api, &paths::staff_partner(partner.id)),
            &PartnerChange {
                name: Some(draft.name),
                origins: Some(draft.origins),
                // The form keeps the partner's order (ticked ones after): unchanged is not sent.
                features: (draft.features != partner.features).then_some(draft.features),
                accent: Some(draft.accent),
                default_locale: Some(fields.language.get_untracked()),
                active_survey: survey,
                clear_survey: survey.is_none() && partner.active_survey.is_some(),
                enabled: None,
            },
        );
    };
    let panel = move |l: Locale, partner: PartnerAccount| {
        let id = partner.id;
        let enabled = partner.enabled;
        let ours = move |did: Did| changed.get() == Some((id, did));
        let refused = move |did: Did| {
            ours(did)
                .then(|| change.value().and_then(Result::err))
                .flatten()
        };
        // Each answer is its own reactive piece: the panel is not drawn again for it, so a form
        // being typed in keeps its focus.
        let said = move || match change.value() {
            Some(Ok(now)) if ours(Did::Switched) && now.enabled => {
                Some(words::fill(td_string!(l, partners.now_enabled), &now.name))
            }
            Some(Ok(now)) if ours(Did::Switched) => {
                Some(words::fill(td_string!(l, partners.now_disabled), &now.name))
            }
            Some(Ok(_)) if ours(Did::Saved) => Some(td_string!(l, partners.saved).to_string()),
            _ => None,
        };
        let secret = move || {
            (rotated.get() == Some(id))
                .then(|| rotate.value())
                .flatten()
                .map(|answer| match answer {
                    Ok(made) => view! { <Secret l secret=made.identity_secret/> }.into_any(),
                    Err(error) => {
                        view! { <p class="error" role="alert">{words::error(l, &error)}</p> }
                            .into_any()
                    }
                })
        };
        let features: Vec<&str> = partner.features.iter().map(|f| feature(l, *f)).collect();
        let snippet = snippet(&partner.key);
        let for_edit = partner.clone();
        let name = partner.name.clone();
        view! {
            <article class="partner" class:disabled=!enabled data-testid="partner" aria-labelledby=format!("partner-{id}")>
                <h3 id=format!("partner-{id}")>{partner.name.clone()}" "
                    <span class="tag">{if enabled { td_string!(l, partners.enabled) } else { td_string!(l, partners.disabled) }}</span>
                </h3>
                <dl class="facts">
                    <div><dt>{td_string!(l, partners.key)}</dt><dd class="mono">{partner.key.clone()}</dd></div>
                    <div><dt>{td_string!(l, partners.origins)}</dt><dd class="mono">{partner.origins.join(" ")}</dd></div>
                    <div><dt>{td_string!(l, partners.features)}</dt><dd>{features.join(", ")}</dd></div>
                    <div><dt>{td_string!(l, partners.accent)}</dt><dd class="mono">{partner.accent.clone()}</dd></div>
                    <div><dt>{td_string!(l, partners.language)}</dt><dd>{language(l, partner.default_locale)}</dd></div>
                    <div><dt>{td_string!(l, partners.survey)}</dt><dd>{survey(l, partner.active_survey)}</dd></div>
                </dl>
                <p class="muted">{td_string!(l, partners.embed)}</p>
                <pre class="snippet mono"><code>{snippet}</code></pre>
                <div class="actions">
                    <button type="button" class="button secondary" disabled=move || change.pending()
                        on:click=move |_| {
                            changed.set(Some((id, Did::Switched)));
                            change.send("PATCH", signed.write(api, &paths::staff_partner(id)),
                                &PartnerChange { enabled: Some(!enabled), ..Default::default() });
                        }>
                        {if enabled { td_string!(l, partners.disable) } else { td_string!(l, partners.enable) }}
                        <span class="visually-hidden">{format!(" {name}")}</span>
                    </button>
                    <button type="button" class="button secondary" aria-expanded=move || (editing.get() == Some(id)).to_string()
                        on:click=move |_| {
                            if editing.get_untracked() == Some(id) {
                                editing.set(None);
                            } else {
                                // A new form starts without an earlier answer.
                                fields.fill(&for_edit);
                                changed.set(None);
                                editing.set(Some(id));
                            }
                        }>
                        {td_string!(l, partners.change)}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(Some(id))>
                        {td_string!(l, partners.rotate)}
                    </button>
                </div>
                {move || refused(Did::Switched).map(|error| view! { <p class="error" role="alert">{words::error(l, &error)}</p> })}
                <p role="status" class="notice">{said}</p>
                {move || (confirming.get() == Some(id)).then(|| view! {
                    <div class="notice-box">
                        <p>{td_string!(l, partners.rotate_warning)}</p>
                        <div class="actions">
                            <button type="button" class="button" disabled=move || rotate.pending() on:click=move |_| {
                                confirming.set(None);
                                rotated.set(Some(id));
                                rotate.post_empty(signed.write(api, &paths::staff_partner_secret(id)));
                            }>{td_string!(l, partners.rotate_confirm)}</button>
                            <button type="button" class="button secondary" on:click=move |_| confirming.set(None)>
                                {td_string!(l, partners.cancel)}
                            </button>
                        </div>
                    </div>
                })}
                {secret}
                {move || (editing.get() == Some(id)).then(|| {
                    let partner = partner.clone();
                    view! {
                        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); save(&partner) }>
                            {move || {
                                let refused = refused(Did::Saved);
                                let other = refused.as_ref()
                                    .filter(|e| e.code() != Some(ErrorCode::InvalidOrigin))
                                    .map(|e| words::error(l, e));
                                view! {
                                    {fields_view(l, fields, &EDIT_IDS, refused.as_ref())}
                                    {other.map(|text| view! { <p class="error" role="alert">{text}</p> })}
                                }
                            }}
                            <div class="actions">
                                <SubmitButton pending=Signal::derive(move || change.pending())
                                    label=td_string!(l, partners.save) busy_label=td_string!(l, partners.saving)/>
                                <button type="button" class="button secondary" on:click=move |_| editing.set(None)>
                                    {td_string!(l, partners.cancel)}
                                </button>
                            </div>
                        </form>
                    }
                })}
            </article>
        }
    };
    view! {
        <section class="card" aria-labelledby="partners-title">
            <h2 id="partners-title">{move || td_string!(locale.get(), partners.title)}</h2>
            {move || {
                let l = locale.get();
                match list.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(found)) if found.partners.is_empty() => view! { <p class="muted">{td_string!(l, partners.none_yet)}</p> }.into_any(),
                    Some(Ok(found)) => found.partners.into_iter().map(|p| panel(l, p)).collect_view().into_any(),
                }
            }}
        </section>
        <AddPartner locale api signed added=Callback::new(move |_| {
            list.refetch();
            changes.update(|n| *n += 1);
        })/>
    }
}

/// A secret the service made, shown this once with what to do with it.
#[component]
fn Secret(l: Locale, secret: String) -> impl IntoView {
    view! {
        <div class="notice-box" data-testid="partner-secret">
            <p><strong>{td_string!(l, partners.secret)}</strong></p>
            <p class="mono">{secret}</p>
            <p>{td_string!(l, partners.secret_note)}</p>
        </div>
    }
}

#[component]
fn AddPartner(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    added: Callback<()>,
) -> impl IntoView {
    let fields = Fields::new();
    let add = signed.submit::<PartnerAdded>();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value() {
            fields.name.set(String::new());
            fields.origins.set(String::new());
            added.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(draft) = fields.check() {
            add.post(
                signed.write(api, paths::STAFF_PARTNERS),
                &NewPartner {
                    name: draft.name,
                    origins: draft.origins,
                    features: draft.features,
                    accent: draft.accent,
                    default_locale: fields.language.get_untracked(),
                    active_survey: fields.survey.get_untracked(),
                },
            );
        }
    };
    move || {
        let l = locale.get();
        let refused = add.value().and_then(Result::err);
        let other = refused
            .as_ref()
            .filter(|e| e.code() != Some(ErrorCode::InvalidOrigin))
            .map(|e| words::error(l, e));
        let made = add.value().and_then(Result::ok);
        view! {
            <section class="card" aria-labelledby="add-partner-title">
                <h2 id="add-partner-title">{td_string!(l, partners.add_title)}</h2>
                <form class="form" on:submit=submit novalidate>
                    {fields_view(l, fields, &NEW_IDS, refused.as_ref())}
                    {other.map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <p role="status" class="notice">{made.as_ref().map(|made| words::fill(td_string!(l, partners.added), &made.partner.name))}</p>
                    {made.map(|made| view! {
                        <p><span class="muted">{td_string!(l, partners.key)}": "</span><span class="mono" data-testid="new-partner-key">{made.partner.key}</span></p>
                        <Secret l secret=made.identity_secret/>
                    })}
                    <SubmitButton pending=Signal::derive(move || add.pending())
                        label=td_string!(l, partners.add) busy_label=td_string!(l, partners.adding)/>
                </form>
            </section>
        }
    }
}
