//! `/sign-in`: a one-time code to an email address or mobile number, then the code.

use crate::components::form::{SubmitButton, TextField};
use crate::components::labels;
use crate::config::demo_outbox_href;
use crate::locale::i18n::*;
use crate::locale::{language, use_locale};
use crate::services::Services;
use crate::session::{after_sign_in, use_session};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{
    paths, CodeDelivery, CodeRequest, CodeSent, Contact, DeliveryStatus, ParseError, RuntimeConfig,
    SessionInfo, SignInCode, VerifyRequest,
};
use portico_client::{ApiError, Submit};

/// The route: a wasm chunk of its own, fetched when the page is first opened (most visits reach
/// it by a click, from a page already running).
pub struct SignInRoute;

#[lazy_route]
impl LazyRoute for SignInRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <SignInPage/> }.into_any()
    }
}

#[component]
fn SignInPage() -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let demo = expect_context::<RuntimeConfig>().demo;

    let contact = RwSignal::new(String::new());
    // What the code was asked for, in the exact form the services take (the field keeps what
    // the customer typed).
    let asked = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let field_error = RwSignal::new(None::<ParseError>);
    let sent = RwSignal::new(None::<CodeSent>);
    // The code's message could not be sent (the service said so while the page asked).
    let undelivered = RwSignal::new(false);

    let send_code = Submit::<CodeSent>::new();
    let verify = Submit::<SessionInfo>::new();
    let request_code = move |contact: String| {
        send_code.post(
            services.auth(paths::SIGN_IN_CODE),
            &CodeRequest {
                contact,
                locale: Some(language(i18n.get_untracked())),
            },
        );
    };

    Effect::new(move |_| {
        if let Some(Ok(answer)) = send_code.value() {
            undelivered.set(false);
            watch_delivery(services, answer.delivery.clone(), sent, undelivered);
            sent.set(Some(answer));
            code.set(String::new());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(SessionInfo { customer: Some(_) })) = verify.value() {
            session.reload();
            let next = query.read_untracked().get("next");
            navigate(after_sign_in(next.as_deref()), Default::default());
        }
    });

    let on_send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Contact::parse(&contact.get_untracked()) {
            Ok(parsed) => {
                field_error.set(None);
                asked.set(parsed.as_str().to_string());
                request_code(parsed.as_str().to_string());
            }
            Err(e) => field_error.set(Some(e)),
        }
    };
    let on_verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match SignInCode::parse(&code.get_untracked()) {
            Ok(parsed) => {
                field_error.set(None);
                verify.post(
                    services.auth(paths::SIGN_IN_VERIFY),
                    &VerifyRequest {
                        contact: asked.get_untracked(),
                        code: parsed.as_str().to_string(),
                        locale: Some(language(i18n.get_untracked())),
                    },
                );
            }
            Err(e) => field_error.set(Some(e)),
        }
    };

    // The message under the field: what the customer typed wrong, or what the service said.
    let error = move |locale: Locale| -> Option<String> {
        let on_code_step = sent.get().is_some();
        if let Some(e) = field_error.get() {
            let empty = if on_code_step {
                |l: Locale| td_string!(l, errors.empty_code).to_string()
            } else {
                |l: Locale| td_string!(l, errors.empty_contact).to_string()
            };
            return Some(labels::parse_error(locale, e, empty));
        }
        let failed: Option<ApiError> = if on_code_step {
            verify.value().and_then(|r| r.err())
        } else {
            send_code.value().and_then(|r| r.err())
        };
        failed.map(|e| labels::api_error(locale, &e))
    };

    // Drawn whole for the current language; what was typed lives in the signals above.
    move || {
        let locale = i18n.get();
        let message = error(locale);
        let step = match sent.get() {
            None => view! {
                <p class="lead">{td_string!(locale, sign_in.lead)}</p>
                <form class="form" on:submit=on_send novalidate>
                    <TextField
                        id="contact"
                        name="contact"
                        label=td_string!(locale, sign_in.contact_label)
                        value=contact
                        hint=td_string!(locale, sign_in.contact_hint)
                        error=message
                        inputmode="email"
                        autocomplete="username"
                    />
                    <SubmitButton
                        pending=Signal::derive(move || send_code.pending())
                        label=td_string!(locale, sign_in.send_code)
                        busy_label=td_string!(locale, sign_in.sending)
                    />
                </form>
            }
            .into_any(),
            Some(answer) => view! {
                {move || if undelivered.get() {
                    view! { <div class="notice notice-error" role="alert"><p>{td_string!(locale, sign_in.not_sent)}</p></div> }.into_any()
                } else {
                    view! { <p class="lead" role="status">{td!(locale, sign_in.sent_to, to = answer.sent_to.clone())}</p> }.into_any()
                }}
                <form class="form" on:submit=on_verify novalidate>
                    <TextField
                        id="code"
                        name="code"
                        label=td_string!(locale, sign_in.code_label)
                        value=code
                        error=message
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength="6"
                        class="code-input"
                    />
                    <SubmitButton
                        pending=Signal::derive(move || verify.pending())
                        label=td_string!(locale, sign_in.verify)
                        busy_label=td_string!(locale, sign_in.verifying)
                    />
                    <div class="form-links">
                        <button type="button" class="button button-link" on:click=move |_| {
                            field_error.set(None);
                            request_code(asked.get_untracked());
                        }>{td_string!(locale, sign_in.resend)}</button>
                        <button type="button" class="button button-link" on:click=move |_| {
                            field_error.set(None);
                            sent.set(None);
                        }>{td_string!(locale, sign_in.change_contact)}</button>
                    </div>
                </form>
            }
            .into_any(),
        };
        view! {
            <section class="page narrow">
                <h1>{td_string!(locale, sign_in.title)}</h1>
                {step}
                {demo.then(|| view! {
                    <aside class="demo-hint">
                        <p>{td_string!(locale, sign_in.demo_hint)}" "<a href=demo_outbox_href(locale) target="_blank">{td_string!(locale, sign_in.demo_link)}</a></p>
                        <p class="muted">{td_string!(locale, sign_in.demo_accounts)}</p>
                    </aside>
                })}
            </section>
        }
    }
}

/// Asks, once a second for up to 15 s, whether the code's message went out (`delivery`), and
/// sets `undelivered` if it could not be sent, unless another code was asked for since.
fn watch_delivery(
    services: Services,
    delivery: String,
    sent: RwSignal<Option<CodeSent>>,
    undelivered: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        let endpoint = services.auth(&paths::code_delivery(&delivery));
        for _ in 0..15 {
            gloo_timers::future::TimeoutFuture::new(1_000).await;
            let current = sent
                .try_with_untracked(|sent| sent.as_ref().is_some_and(|s| s.delivery == delivery));
            if current != Some(true) {
                return;
            }
            match portico_client::get::<CodeDelivery>(&endpoint).await {
                Ok(CodeDelivery {
                    status: DeliveryStatus::Pending,
                }) => continue,
                Ok(CodeDelivery {
                    status: DeliveryStatus::Failed,
                }) => {
                    undelivered.try_set(true);
                    return;
                }
                _ => return,
            }
        }
    });
}
