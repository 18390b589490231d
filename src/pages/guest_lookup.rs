//! `/track`: find one order with its number and the contact given with it, no account needed.
//! A match opens the order's protected view (personal data masked).

use crate::api::{self, Services};
use crate::components::labels;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use portico_api::{paths, Contact, GuestLookupRequest, OrderDetail, OrderNumber};

#[component]
pub fn GuestLookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let services = Services::current();
    let navigate = use_navigate();
    let number = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let number_error = RwSignal::new(None::<String>);
    let contact_error = RwSignal::new(None::<String>);

    let lookup = Action::new_local(move |body: &GuestLookupRequest| {
        let url = services.orders(paths::GUEST_LOOKUP);
        let body = body.clone();
        async move { api::post::<_, OrderDetail>(&url, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(detail)) = lookup.value().get() {
            navigate(&format!("/orders/{}", detail.number), Default::default());
        }
    });
    let service_error = move || {
        lookup
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| labels::api_error(i18n, &e))
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed_number = OrderNumber::parse(&number.get_untracked());
        let parsed_contact = Contact::parse(&contact.get_untracked());
        number_error.set(parsed_number.as_ref().err().map(|e| {
            labels::parse_error(i18n, *e, |i18n| {
                t_string!(i18n, errors.empty_order_number).to_string()
            })
        }));
        contact_error.set(parsed_contact.as_ref().err().map(|e| {
            labels::parse_error(i18n, *e, |i18n| {
                t_string!(i18n, errors.empty_contact).to_string()
            })
        }));
        if let (Ok(n), Ok(c)) = (parsed_number, parsed_contact) {
            lookup.dispatch(GuestLookupRequest {
                order_number: n.to_string(),
                contact: c.as_str().to_string(),
            });
        }
    };

    view! {
        <section class="page narrow">
            <h1>{t!(i18n, track.title)}</h1>
            <p class="lead">{t!(i18n, track.lead)}</p>
            <form class="form" on:submit=on_submit novalidate>
                <label for="order-number">{t!(i18n, track.number_label)}</label>
                <input
                    id="order-number"
                    name="order-number"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    bind:value=number
                    aria-invalid=move || number_error.get().is_some().to_string()
                    aria-describedby=move || if number_error.get().is_some() { "order-number-error" } else { "order-number-hint" }
                />
                <p id="order-number-hint" class="hint">{t!(i18n, track.number_hint)}</p>
                {move || number_error.get().map(|m| view! { <p id="order-number-error" class="field-error" role="alert">{m}</p> })}

                <label for="lookup-contact">{t!(i18n, track.contact_label)}</label>
                <input
                    id="lookup-contact"
                    name="contact"
                    type="text"
                    inputmode="email"
                    autocomplete="email"
                    bind:value=contact
                    aria-invalid=move || contact_error.get().is_some().to_string()
                    aria-describedby=move || contact_error.get().map(|_| "lookup-contact-error")
                />
                {move || contact_error.get().map(|m| view! { <p id="lookup-contact-error" class="field-error" role="alert">{m}</p> })}

                {move || service_error().map(|m| view! { <div class="notice notice-error" role="alert"><p>{m}</p></div> })}
                <button type="submit" class="button" disabled=move || lookup.pending().get()>
                    {move || if lookup.pending().get() {
                        t_string!(i18n, track.submitting)
                    } else {
                        t_string!(i18n, track.submit)
                    }}
                </button>
            </form>
        </section>
    }
}
