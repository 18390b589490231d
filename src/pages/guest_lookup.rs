//! `/track`: find one order with its number and the contact given with it, no account needed.
//! A match opens the order's protected view (personal data masked).

use crate::components::form::{SubmitButton, TextField};
use crate::components::labels;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{paths, Contact, GuestLookupRequest, OrderDetail, OrderNumber, ParseError};
use portico_client::Submit;

/// The route: a wasm chunk of its own. A visit that starts here gets an index that preloads it
/// beside the main module (`dist/routes/track.html`), so it costs no extra round trip.
pub struct GuestLookupRoute;

#[lazy_route]
impl LazyRoute for GuestLookupRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <GuestLookupPage/> }.into_any()
    }
}

#[component]
fn GuestLookupPage() -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let navigate = use_navigate();
    let number = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let number_error = RwSignal::new(None::<ParseError>);
    let contact_error = RwSignal::new(None::<ParseError>);

    let lookup = Submit::<OrderDetail>::new();
    Effect::new(move |_| {
        if let Some(Ok(detail)) = lookup.value() {
            navigate(&format!("/orders/{}", detail.number), Default::default());
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed_number = OrderNumber::parse(&number.get_untracked());
        let parsed_contact = Contact::parse(&contact.get_untracked());
        number_error.set(parsed_number.as_ref().err().copied());
        contact_error.set(parsed_contact.as_ref().err().copied());
        if let (Ok(n), Ok(c)) = (parsed_number, parsed_contact) {
            lookup.post(
                services.orders(paths::GUEST_LOOKUP),
                &GuestLookupRequest {
                    order_number: n.to_string(),
                    contact: c.as_str().to_string(),
                },
            );
        }
    };

    // Drawn whole for the current language; what was typed lives in the signals above.
    move || {
        let locale = i18n.get();
        let number_message = number_error.get().map(|e| {
            labels::parse_error(locale, e, |l| {
                td_string!(l, errors.empty_order_number).to_string()
            })
        });
        let contact_message = contact_error.get().map(|e| {
            labels::parse_error(locale, e, |l| {
                td_string!(l, errors.empty_contact).to_string()
            })
        });
        view! {
            <section class="page narrow">
                <h1>{td_string!(locale, track.title)}</h1>
                <p class="lead">{td_string!(locale, track.lead)}</p>
                <form class="form" on:submit=on_submit novalidate>
                    <TextField
                        id="order-number"
                        name="order-number"
                        label=td_string!(locale, track.number_label)
                        value=number
                        hint=td_string!(locale, track.number_hint)
                        error=number_message
                        autocapitalize="characters"
                    />
                    <TextField
                        id="lookup-contact"
                        name="contact"
                        label=td_string!(locale, track.contact_label)
                        value=contact
                        error=contact_message
                        inputmode="email"
                        autocomplete="email"
                    />

                    {move || lookup.value().and_then(Result::err).map(|e| view! {
                        <div class="notice notice-error" role="alert"><p>{labels::api_error(locale, &e)}</p></div>
                    })}
                    <SubmitButton
                        pending=Signal::derive(move || lookup.pending())
                        label=td_string!(locale, track.submit)
                        busy_label=td_string!(locale, track.submitting)
                    />
                </form>
            </section>
        }
    }
}
