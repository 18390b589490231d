//! `/sign-in`: a one-time code to an email address or mobile number, then the code.

use crate::api::{self, ApiError, Services};
use crate::components::labels;
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use portico_api::{
    paths, CodeRequest, CodeSent, Contact, RuntimeConfig, SessionInfo, SignInCode, VerifyRequest,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let services = Services::current();
    let session = use_session();
    let navigate = use_navigate();
    let demo = expect_context::<RuntimeConfig>().demo;

    let contact = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let field_error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<CodeSent>);

    let send_code = {
        let services = services.clone();
        Action::new_local(move |contact: &String| {
            let url = services.auth(paths::SIGN_IN_CODE);
            let body = CodeRequest {
                contact: contact.clone(),
            };
            async move { api::post::<_, CodeSent>(&url, &body).await }
        })
    };
    let verify = Action::new_local(move |body: &VerifyRequest| {
        let url = services.auth(paths::SIGN_IN_VERIFY);
        let body = body.clone();
        async move { api::post::<_, SessionInfo>(&url, &body).await }
    });

    Effect::new(move |_| {
        if let Some(Ok(answer)) = send_code.value().get() {
            sent.set(Some(answer));
            code.set(String::new());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(SessionInfo::Customer { .. })) = verify.value().get() {
            session.reload();
            navigate("/orders", Default::default());
        }
    });

    let on_send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Contact::parse(&contact.get_untracked()) {
            Ok(parsed) => {
                field_error.set(None);
                send_code.dispatch(parsed.as_str().to_string());
            }
            Err(e) => field_error.set(Some(labels::parse_error(i18n, e, |i18n| {
                t_string!(i18n, errors.empty_contact).to_string()
            }))),
        }
    };
    let on_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match SignInCode::parse(&code.get_untracked()) {
            Ok(parsed) => {
                field_error.set(None);
                verify.dispatch(VerifyRequest {
                    contact: contact.get_untracked(),
                    code: parsed.as_str().to_string(),
                });
            }
            Err(e) => field_error.set(Some(labels::parse_error(i18n, e, |i18n| {
                t_string!(i18n, errors.empty_code).to_string()
            }))),
        }
    };

    // The message under the field: what the customer typed wrong, or what the service said.
    let error = move || {
        field_error.get().or_else(|| {
            let failed = |v: Option<Result<_, ApiError>>| v.and_then(Result::err);
            let from_send = failed(send_code.value().get().map(|r| r.map(|_| ())));
            let from_verify = failed(verify.value().get().map(|r| r.map(|_| ())));
            let latest = if sent.get().is_some() {
                from_verify
            } else {
                from_send
            };
            latest.map(|e| labels::api_error(i18n, &e))
        })
    };
    let error_view = move || {
        error().map(|message| {
            view! { <p id="sign-in-error" class="field-error" role="alert">{message}</p> }
        })
    };
    let described_by = move || error().map(|_| "sign-in-error");

    view! {
        <section class="page narrow">
            <h1>{t!(i18n, sign_in.title)}</h1>
            {move || match sent.get() {
                None => view! {
                    <p class="lead">{t!(i18n, sign_in.lead)}</p>
                    <form class="form" on:submit=on_send novalidate>
                        <label for="contact">{t!(i18n, sign_in.contact_label)}</label>
                        <input
                            id="contact"
                            name="contact"
                            type="text"
                            inputmode="email"
                            autocomplete="username"
                            bind:value=contact
                            aria-invalid=move || error().is_some().to_string()
                            aria-describedby=move || described_by().unwrap_or("contact-hint")
                        />
                        <p id="contact-hint" class="hint">{t!(i18n, sign_in.contact_hint)}</p>
                        {error_view}
                        <button type="submit" class="button" disabled=move || send_code.pending().get()>
                            {move || if send_code.pending().get() {
                                t_string!(i18n, sign_in.sending)
                            } else {
                                t_string!(i18n, sign_in.send_code)
                            }}
                        </button>
                    </form>
                }.into_any(),
                Some(answer) => view! {
                    <p class="lead" role="status">{t!(i18n, sign_in.sent_to, to = answer.sent_to.clone())}</p>
                    <form class="form" on:submit=on_verify novalidate>
                        <label for="code">{t!(i18n, sign_in.code_label)}</label>
                        <input
                            id="code"
                            name="code"
                            type="text"
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            maxlength="6"
                            class="code-input"
                            bind:value=code
                            aria-invalid=move || error().is_some().to_string()
                            aria-describedby=move || described_by().unwrap_or("")
                        />
                        {error_view}
                        <button type="submit" class="button" disabled=move || verify.pending().get()>
                            {move || if verify.pending().get() {
                                t_string!(i18n, sign_in.verifying)
                            } else {
                                t_string!(i18n, sign_in.verify)
                            }}
                        </button>
                        <div class="form-links">
                            <button type="button" class="button button-link" on:click=move |_| {
                                field_error.set(None);
                                send_code.dispatch(contact.get_untracked());
                            }>{t!(i18n, sign_in.resend)}</button>
                            <button type="button" class="button button-link" on:click=move |_| {
                                field_error.set(None);
                                sent.set(None);
                            }>{t!(i18n, sign_in.change_contact)}</button>
                        </div>
                    </form>
                }.into_any(),
            }}
            {demo.then(|| view! {
                <aside class="demo-hint">
                    <p>{t!(i18n, sign_in.demo_hint)}" "<A href="/dev/outbox">{t!(i18n, sign_in.demo_link)}</A></p>
                    <p class="muted">{t!(i18n, sign_in.demo_accounts)}</p>
                </aside>
            })}
        </section>
    }
}
