//! Staff accounts (admins): every account with its role and state, changed in place, and a form
//! to add one. A refusal (the last admin, an email taken) is said beside what was tried, and the
//! form keeps what was typed.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{paths, NewStaff, StaffChange, StaffList, StaffMember, StaffRole};
use portico_client::Submit;
use portico_ui::form::{SubmitButton, TextField};

#[component]
pub fn Accounts(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// Bumped after every change that went through.
    changes: RwSignal<u32>,
) -> impl IntoView {
    let list = signed.remote::<StaffList>(move || api.read(paths::STAFF_ACCOUNTS));
    let change = signed.submit::<StaffMember>();
    // Which account the last change was for, to say the answer beside it.
    let changed = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = change.value() {
            list.refetch();
            changes.update(|n| *n += 1);
        }
    });
    let send = move |id: i64, body: StaffChange| {
        changed.set(Some(id));
        change.send("PATCH", signed.write(api, &paths::staff_account(id)), &body);
    };
    view! {
        <section class="card" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{move || td_string!(locale.get(), accounts.title)}</h2>
            {move || {
                let l = locale.get();
                match list.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(found)) => view! {
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{td_string!(l, accounts.name)}</th>
                                <th scope="col">{td_string!(l, accounts.email)}</th>
                                <th scope="col">{td_string!(l, accounts.role)}</th>
                                <th scope="col">{td_string!(l, accounts.state)}</th>
                            </tr></thead>
                            <tbody>
                                {found.staff.into_iter().map(|member| row(l, member, send, change, changed)).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }
            }}
        </section>
        <AddStaff locale api signed added=Callback::new(move |_| {
            list.refetch();
            changes.update(|n| *n += 1);
        })/>
    }
}

fn row(
    l: Locale,
    member: StaffMember,
    send: impl Fn(i64, StaffChange) + Copy + Send + Sync + 'static,
    change: Submit<StaffMember>,
    changed: RwSignal<Option<i64>>,
) -> impl IntoView {
    let id = member.id;
    let enabled = member.enabled;
    let answer = move || {
        (changed.get() == Some(id))
            .then(|| change.value().and_then(Result::err))
            .flatten()
            .map(
                |error| view! { <p class="field-error" role="alert">{words::error(l, &error)}</p> },
            )
    };
    view! {
        <tr class:disabled=!enabled data-testid="staff-row">
            <td>{member.name.clone()}</td>
            <td class="mono">{member.email.clone()}</td>
            <td>
                <select
                    aria-label=words::fill(td_string!(l, accounts.role_of), &member.name)
                    disabled=move || change.pending()
                    on:change=move |ev| {
                        if let Some(role) = StaffRole::parse(&event_target_value(&ev)) {
                            send(id, StaffChange { role: Some(role), enabled: None });
                        }
                    }
                >
                    {StaffRole::ALL.into_iter().map(|role| view! {
                        <option value=role.as_str() selected=role == member.role>{words::role(l, role)}</option>
                    }).collect_view()}
                </select>
                {answer}
            </td>
            <td>
                <span class="state">{if enabled { td_string!(l, accounts.enabled) } else { td_string!(l, accounts.disabled) }}</span>
                " "
                <button type="button" class="link-button" disabled=move || change.pending()
                    on:click=move |_| send(id, StaffChange { role: None, enabled: Some(!enabled) })>
                    {if enabled { td_string!(l, accounts.disable) } else { td_string!(l, accounts.enable) }}
                    <span class="visually-hidden">{format!(" {}", member.name)}</span>
                </button>
            </td>
        </tr>
    }
}

#[component]
fn AddStaff(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    added: Callback<()>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(StaffRole::Editor);
    let no_name = RwSignal::new(false);
    let add = signed.submit::<StaffMember>();
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value() {
            name.set(String::new());
            password.set(String::new());
            added.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        no_name.set(name.get_untracked().trim().is_empty());
        if !no_name.get_untracked() {
            add.post(
                signed.write(api, paths::STAFF_ACCOUNTS),
                &NewStaff {
                    email: email.get_untracked(),
                    name: name.get_untracked(),
                    role: role.get_untracked(),
                    password: password.get_untracked(),
                },
            );
        }
    };
    move || {
        let l = locale.get();
        let refused = add.value().and_then(Result::err);
        let code = refused.as_ref().and_then(|e| e.code());
        let on_email = matches!(
            code,
            Some(portico_api::ErrorCode::InvalidContact | portico_api::ErrorCode::StaffExists)
        );
        let on_password = code == Some(portico_api::ErrorCode::WeakPassword);
        let text = refused.as_ref().map(|e| words::error(l, e));
        let other = (!on_email && !on_password).then(|| text.clone()).flatten();
        let done = match add.value() {
            Some(Ok(member)) => Some(words::fill(td_string!(l, accounts.added), &member.email)),
            _ => None,
        };
        view! {
            <section class="card" aria-labelledby="add-title">
                <h2 id="add-title">{td_string!(l, accounts.add_title)}</h2>
                <form class="form" on:submit=submit novalidate>
                    <TextField id="new-name" name="name" label=td_string!(l, accounts.name) value=name maxlength="100"
                        error=no_name.get().then(|| td_string!(l, errors.name_needed).to_string())/>
                    <TextField id="new-email" name="email" label=td_string!(l, accounts.email) value=email kind="email"
                        inputmode="email" maxlength="254" error=on_email.then(|| text.clone()).flatten()/>
                    <label for="new-role">{td_string!(l, accounts.role)}</label>
                    <select id="new-role" on:change=move |ev| {
                        if let Some(r) = StaffRole::parse(&event_target_value(&ev)) { role.set(r) }
                    }>
                        {StaffRole::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r>{words::role(l, r)}</option>
                        }).collect_view()}
                    </select>
                    <TextField id="new-password" name="password" label=td_string!(l, accounts.password) value=password
                        kind="password" autocomplete="new-password" maxlength="128" hint=td_string!(l, accounts.password_hint)
                        error=on_password.then(|| text.clone()).flatten()/>
                    {other.map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    {done.map(|text| view! { <p class="notice" role="status">{text}</p> })}
                    <SubmitButton pending=Signal::derive(move || add.pending())
                        label=td_string!(l, accounts.add) busy_label=td_string!(l, accounts.adding)/>
                </form>
            </section>
        }
    }
}
