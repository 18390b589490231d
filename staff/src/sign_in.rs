//! Staff sign-in: a work email and a password. What was typed stays when it is refused.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{paths, StaffSession, StaffSignIn};
use portico_client::Submit;
use portico_ui::form::{SubmitButton, TextField};

#[component]
pub fn SignIn(locale: RwSignal<Locale>, api: Api, signed: Signed) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let sign_in = Submit::<StaffSession>::new();
    Effect::new(move |_| {
        if let Some(Ok(found)) = sign_in.value() {
            signed.0.set(Some(found));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (e, p) = (email.get_untracked(), password.get_untracked());
        missing.set(e.trim().is_empty() || p.is_empty());
        if !missing.get_untracked() {
            sign_in.post(
                api.read(paths::STAFF_SIGN_IN),
                &StaffSignIn {
                    email: e.trim().to_string(),
                    password: p,
                },
            );
        }
    };
    move || {
        let l = locale.get();
        let error = if missing.get() {
            Some(td_string!(l, sign_in.need_both).to_string())
        } else {
            sign_in
                .value()
                .and_then(Result::err)
                .map(|e| words::error(l, &e))
        };
        view! {
            <section class="card sign-in">
                <h1>{td_string!(l, sign_in.title)}</h1>
                <form class="form" on:submit=submit novalidate>
                    <TextField id="staff-email" name="email" label=td_string!(l, sign_in.email)
                        value=email error=None kind="email" autocomplete="username" inputmode="email" maxlength="254"/>
                    <TextField id="staff-password" name="password" label=td_string!(l, sign_in.password)
                        value=password error=error kind="password" autocomplete="current-password" maxlength="128"/>
                    <SubmitButton pending=Signal::derive(move || sign_in.pending())
                        label=td_string!(l, sign_in.submit) busy_label=td_string!(l, sign_in.busy)/>
                </form>
            </section>
        }
    }
}
