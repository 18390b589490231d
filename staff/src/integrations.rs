//! Integration keys (admins): the keys the retailer's systems sign ingest requests with, one per
//! integration, each with its id, when it was made, rotated and last used; a new secret (rotate)
//! or the end of the key (revoke), each confirmed first; and a form to make one. A secret is
//! shown once, when the service makes it.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{
    paths, IntegrationKey, IntegrationKeyList, IntegrationKeySecret, NewIntegrationKey,
};
use portico_ui::form::{SubmitButton, TextField};

/// What is being confirmed for which key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Confirm {
    Rotate(i64),
    Revoke(i64),
}

#[component]
pub fn Integrations(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// Bumped after every change that went through.
    changes: RwSignal<u32>,
) -> impl IntoView {
    let list = signed.remote::<IntegrationKeyList>(move || api.read(paths::STAFF_INTEGRATIONS));
    let rotate = signed.submit::<IntegrationKeySecret>();
    let revoke = signed.submit::<IntegrationKey>();
    let add = signed.submit::<IntegrationKeySecret>();
    let confirming = RwSignal::new(None::<Confirm>);
    // The key whose new secret the last rotation made.
    let rotated = RwSignal::new(None::<i64>);
    let name = RwSignal::new(String::new());
    let name_missing = RwSignal::new(false);
    let done = move || {
        list.refetch();
        changes.update(|n| *n += 1);
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = rotate.value() {
            done();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = revoke.value() {
            done();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value() {
            name.set(String::new());
            done();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = name.get_untracked().trim().to_string();
        name_missing.set(typed.is_empty());
        if !typed.is_empty() {
            add.post(
                signed.write(api, paths::STAFF_INTEGRATIONS),
                &NewIntegrationKey { name: typed },
            );
        }
    };
    let panel = move |l: Locale, key: IntegrationKey| {
        let id = key.id;
        let live = key.revoked_at.is_none();
        let name = key.name.clone();
        let secret = move || {
            (rotated.get() == Some(id))
                .then(|| rotate.value())
                .flatten()
                .map(|answer| match answer {
                    Ok(made) => view! { <Secret l secret=made.secret/> }.into_any(),
                    Err(error) => {
                        view! { <p class="error" role="alert">{words::error(l, &error)}</p> }
                            .into_any()
                    }
                })
        };
        let when = move |at: &Option<portico_api::UtcTime>| {
            at.as_ref().map_or_else(
                || td_string!(l, integrations.never).to_string(),
                |at| words::when(l, &at.0),
            )
        };
        view! {
            <article class="partner" class:disabled=!live data-testid="integration" aria-labelledby=format!("integration-{id}")>
                <h3 id=format!("integration-{id}")>{key.name.clone()}" "
                    <span class="tag">{if live { td_string!(l, integrations.live) } else { td_string!(l, integrations.revoked) }}</span>
                </h3>
                <dl class="facts">
                    <div><dt>{td_string!(l, integrations.key_id)}</dt><dd class="mono">{key.key_id.clone()}</dd></div>
                    <div><dt>{td_string!(l, integrations.created)}</dt><dd>{words::when(l, &key.created_at.0)}</dd></div>
                    <div><dt>{td_string!(l, integrations.rotated)}</dt><dd>{when(&key.rotated_at)}</dd></div>
                    <div><dt>{td_string!(l, integrations.last_used)}</dt><dd>{when(&key.last_used_at)}</dd></div>
                    {key.revoked_at.as_ref().map(|at| view! {
                        <div><dt>{td_string!(l, integrations.revoked_at)}</dt><dd>{words::when(l, &at.0)}</dd></div>
                    })}
                </dl>
                {live.then(|| view! {
                    <div class="actions">
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(Some(Confirm::Rotate(id)))>
                            {td_string!(l, integrations.rotate)}
                            <span class="visually-hidden">{format!(" {name}")}</span>
                        </button>
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(Some(Confirm::Revoke(id)))>
                            {td_string!(l, integrations.revoke)}
                        </button>
                    </div>
                })}
                {move || confirming.get().filter(|c| matches!(c, Confirm::Rotate(k) | Confirm::Revoke(k) if *k == id)).map(|asked| {
                    let (warning, confirm) = match asked {
                        Confirm::Rotate(_) => (td_string!(l, integrations.rotate_warning), td_string!(l, integrations.rotate_confirm)),
                        Confirm::Revoke(_) => (td_string!(l, integrations.revoke_warning), td_string!(l, integrations.revoke_confirm)),
                    };
                    view! {
                        <div class="notice-box">
                            <p>{warning}</p>
                            <div class="actions">
                                <button type="button" class="button" disabled=move || rotate.pending() || revoke.pending() on:click=move |_| {
                                    confirming.set(None);
                                    match asked {
                                        Confirm::Rotate(_) => {
                                            rotated.set(Some(id));
                                            rotate.post_empty(signed.write(api, &paths::staff_integration(id, "rotate")));
                                        }
                                        Confirm::Revoke(_) => revoke.post_empty(signed.write(api, &paths::staff_integration(id, "revoke"))),
                                    }
                                }>{confirm}</button>
                                <button type="button" class="button secondary" on:click=move |_| confirming.set(None)>
                                    {td_string!(l, integrations.cancel)}
                                </button>
                            </div>
                        </div>
                    }
                })}
                {secret}
            </article>
        }
    };
    view! {
        <section class="card" aria-labelledby="integrations-title">
            <h2 id="integrations-title">{move || td_string!(locale.get(), integrations.title)}</h2>
            <p class="muted">{move || td_string!(locale.get(), integrations.lead)}</p>
            {move || {
                let l = locale.get();
                match list.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(found)) if found.keys.is_empty() => view! { <p class="muted">{td_string!(l, integrations.none_yet)}</p> }.into_any(),
                    Some(Ok(found)) => found.keys.into_iter().map(|k| panel(l, k)).collect_view().into_any(),
                }
            }}
            {move || revoke.value().and_then(Result::err).map(|error| {
                view! { <p class="error" role="alert">{words::error(locale.get(), &error)}</p> }
            })}
        </section>
        {move || {
            let l = locale.get();
            let made = add.value().and_then(Result::ok);
            let refused = add.value().and_then(Result::err).map(|e| words::error(l, &e));
            view! {
                <section class="card" aria-labelledby="add-integration-title">
                    <h2 id="add-integration-title">{td_string!(l, integrations.add_title)}</h2>
                    <form class="form" on:submit=submit novalidate>
                        <TextField id="new-integration-name" name="name" label=td_string!(l, integrations.name) value=name maxlength="100"
                            hint=td_string!(l, integrations.name_hint)
                            error=name_missing.get().then(|| td_string!(l, errors.name_needed).to_string())/>
                        {refused.map(|text| view! { <p class="error" role="alert">{text}</p> })}
                        <p role="status" class="notice">{made.as_ref().map(|made| words::fill(td_string!(l, integrations.added), &made.key.name))}</p>
                        {made.map(|made| view! {
                            <p><span class="muted">{td_string!(l, integrations.key_id)}": "</span><span class="mono" data-testid="new-integration-key">{made.key.key_id}</span></p>
                            <Secret l secret=made.secret/>
                        })}
                        <SubmitButton pending=Signal::derive(move || add.pending())
                            label=td_string!(l, integrations.add) busy_label=td_string!(l, integrations.adding)/>
                    </form>
                </section>
            }
        }}
    }
}

/// A secret the service made, shown this once with what to do with it.
#[component]
fn Secret(l: Locale, secret: String) -> impl IntoView {
    view! {
        <div class="notice-box" data-testid="integration-secret">
            <p><strong>{td_string!(l, integrations.secret)}</strong></p>
            <p class="mono">{secret}</p>
            <p>{td_string!(l, integrations.secret_note)}</p>
        </div>
    }
}
