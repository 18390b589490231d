//! Staff sign-in: a work email and a password. What was typed stays when it is refused. And
//! the first step of a new account: its password set with a one-time link.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{paths, ErrorCode, PasswordLink, PasswordSet, StaffSession, StaffSignIn};
use portico_client::Submit;
use portico_ui::form::{SubmitButton, TextField};

#[component]
pub fn SignIn(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// The email whose password a link just set: filled in, with a word saying so.
    #[prop(optional)]
    welcome: Option<String>,
) -> impl IntoView {
    let just_set = welcome.is_some();
    let email = RwSignal::new(welcome.unwrap_or_default());
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
                {just_set.then(|| view! { <p class="notice" role="status">{td_string!(l, set_password.done)}</p> })}
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

/// The token of a password link (`/staff/#set-password=TOKEN`, printed by
/// `portico-server staff add`), if the app was opened with one.
pub fn link_token() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let token = hash.strip_prefix("#set-password=")?;
    (!token.is_empty()).then(|| token.to_string())
}

/// Takes the token out of the address (it works once; Back should not offer it again).
fn forget_link() {
    if let Ok(history) = window().history() {
        let path = window().location().pathname().unwrap_or_default();
        let _ =
            history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// Setting the password with a one-time link; then signing in, the email filled in.
#[component]
pub fn SetPassword(
    locale: RwSignal<Locale>,
    api: Api,
    token: String,
    /// The email of the account, once its password is set.
    done: Callback<String>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let differ = RwSignal::new(false);
    let set = Submit::<PasswordSet>::new();
    Effect::new(move |_| {
        if let Some(Ok(answer)) = set.value() {
            forget_link();
            done.run(answer.email);
        }
    });
    let token = StoredValue::new(token);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (p, a) = (password.get_untracked(), again.get_untracked());
        differ.set(p != a);
        if p == a {
            set.post(
                api.read(paths::STAFF_PASSWORD_LINK),
                &PasswordLink {
                    token: token.get_value(),
                    password: p,
                },
            );
        }
    };
    move || {
        let l = locale.get();
        let error = if differ.get() {
            Some(td_string!(l, set_password.differ).to_string())
        } else {
            set.value().and_then(Result::err).map(|e| match e.code() {
                Some(ErrorCode::LinkExpired) => td_string!(l, set_password.expired).to_string(),
                _ => words::error(l, &e),
            })
        };
        view! {
            <section class="card sign-in">
                <h1>{td_string!(l, set_password.title)}</h1>
                <p>{td_string!(l, set_password.intro)}</p>
                <form class="form" on:submit=submit novalidate>
                    <TextField id="new-password" name="password" label=td_string!(l, set_password.password)
                        value=password error=None kind="password" autocomplete="new-password" maxlength="128"/>
                    <TextField id="new-password-again" name="again" label=td_string!(l, set_password.again)
                        value=again error=error kind="password" autocomplete="new-password" maxlength="128"/>
                    <SubmitButton pending=Signal::derive(move || set.pending())
                        label=td_string!(l, set_password.submit) busy_label=td_string!(l, set_password.busy)/>
                </form>
            </section>
        }
    }
}
