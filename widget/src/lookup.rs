//! Order lookup: the order number and the email or phone given with it open that one order,
//! masked — what the portal's guest view shows, without a cookie or a session.

use crate::call::Call;
use crate::format;
use crate::locale::fill;
use crate::locale::i18n::*;
use crate::settings::Embed;
use leptos::prelude::*;
use portico_api::{
    paths, CalendarDate, Contact, GuestLookupRequest, Localized, OrderNumber, ParseError,
    ShipmentStatus, UtcTime,
};
use portico_ui::form::{SubmitButton, TextField};
use serde::Deserialize;

/// What the widget shows of the contract's `OrderDetail` (the lookup's answer): serde skips the
/// rest (amounts, address, payment, returns, carriers), so the widget carries no decoder for it.
/// A wasm test decodes a whole `OrderDetail` into it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct TrackedOrder {
    pub number: OrderNumber,
    pub items: Vec<TrackedItem>,
    pub shipments: Vec<TrackedParcel>,
    pub masked: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct TrackedItem {
    pub name: Localized,
    pub variant: Localized,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct TrackedParcel {
    pub status: ShipmentStatus,
    pub estimated_delivery: Option<CalendarDate>,
    pub delayed: bool,
    /// Newest first.
    pub checkpoints: Vec<TrackedCheckpoint>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct TrackedCheckpoint {
    pub at: UtcTime,
    pub location: String,
}

#[component]
pub fn LookupForm(embed: Embed, locale: Locale) -> impl IntoView {
    let number = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let number_error = RwSignal::new(None::<ParseError>);
    let contact_error = RwSignal::new(None::<ParseError>);
    let lookup = Call::<TrackedOrder>::new();
    // The order shown, until the visitor asks for another.
    let found = RwSignal::new(None::<TrackedOrder>);
    Effect::new(move |_| {
        if let Some(Ok(detail)) = lookup.get() {
            found.set(Some(detail));
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
                embed.endpoint(&paths::widget_lookup(embed.partner)),
                &GuestLookupRequest {
                    order_number: n.to_string(),
                    contact: c.as_str().to_string(),
                },
            );
        }
    };

    move || {
        if let Some(order) = found.get() {
            return view! {
                <OrderView order locale/>
                <button type="button" class="link-button" on:click=move |_| found.set(None)>
                    {td_string!(locale, lookup.another)}
                </button>
            }
            .into_any();
        }
        let number_message = number_error
            .get()
            .map(|_| td_string!(locale, errors.invalid_order_number).to_string());
        let contact_message = contact_error
            .get()
            .map(|_| td_string!(locale, errors.invalid_contact).to_string());
        let refused = match lookup.get() {
            Some(Err(error)) => Some(crate::feedback::error_text(locale, &error, |l| {
                td_string!(l, lookup.not_found)
            })),
            _ => None,
        };
        view! {
            <form class="form" on:submit=on_submit.clone() novalidate>
                <h3>{td_string!(locale, lookup.heading)}</h3>
                <TextField
                    id="portico-order-number"
                    name="order_number"
                    label=td_string!(locale, lookup.order_number)
                    hint=td_string!(locale, lookup.order_number_hint)
                    value=number
                    error=number_message
                    autocapitalize="characters"
                    maxlength="10"
                />
                <TextField
                    id="portico-contact"
                    name="contact"
                    label=td_string!(locale, lookup.contact)
                    value=contact
                    error=contact_message
                    inputmode="email"
                    autocomplete="email"
                    maxlength="254"
                />
                {refused.map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <SubmitButton
                    pending=Signal::derive(move || lookup.pending())
                    label=td_string!(locale, lookup.submit)
                    busy_label=td_string!(locale, lookup.busy)
                />
            </form>
        }
        .into_any()
    }
}

fn status_label(locale: Locale, status: ShipmentStatus) -> &'static str {
    match status {
        ShipmentStatus::InfoReceived => td_string!(locale, status.info_received),
        ShipmentStatus::InTransit => td_string!(locale, status.in_transit),
        ShipmentStatus::OutForDelivery => td_string!(locale, status.out_for_delivery),
        ShipmentStatus::Delivered => td_string!(locale, status.delivered),
        ShipmentStatus::DeliveryAttempted => td_string!(locale, status.delivery_attempted),
        ShipmentStatus::Exception => td_string!(locale, status.exception),
        ShipmentStatus::ReturnedToSender => td_string!(locale, status.returned_to_sender),
    }
}

fn next_action(locale: Locale, status: ShipmentStatus) -> Option<&'static str> {
    Some(match status {
        ShipmentStatus::DeliveryAttempted => td_string!(locale, next_action.delivery_attempted),
        ShipmentStatus::Exception => td_string!(locale, next_action.exception),
        ShipmentStatus::ReturnedToSender => td_string!(locale, next_action.returned_to_sender),
        _ => return None,
    })
}

#[component]
fn OrderView(order: TrackedOrder, locale: Locale) -> impl IntoView {
    let number = order.number.to_string();
    let parcels = order.shipments.len();
    view! {
        <article class="order" aria-labelledby="portico-order-title">
            <h3 id="portico-order-title">{fill(td_string!(locale, lookup.result), &number)}</h3>
            <h4>{td_string!(locale, lookup.items)}</h4>
            <ul class="items">
                {order.items.into_iter().map(|item| view! {
                    <li>{crate::locale::pick(locale, &item.name).to_string()}" · "{crate::locale::pick(locale, &item.variant).to_string()}" × "{item.quantity}</li>
                }).collect_view()}
            </ul>
            {order.shipments.into_iter().enumerate().map(|(i, shipment)| {
                view! { <ParcelView shipment locale n=(parcels > 1).then_some(i + 1)/> }
            }).collect_view()}
            {order.masked.then(|| view! { <p class="hint">{td_string!(locale, lookup.masked)}</p> })}
        </article>
    }
}

#[component]
fn ParcelView(shipment: TrackedParcel, locale: Locale, n: Option<usize>) -> impl IntoView {
    let status = shipment.status;
    let latest = shipment.checkpoints.first().cloned();
    view! {
        <section class="parcel" data-status=status.as_str()>
            {n.map(|n| view! { <h4>{fill(td_string!(locale, lookup.parcel), &n.to_string())}</h4> })}
            <p class="status">{status_label(locale, status)}</p>
            {shipment.estimated_delivery.map(|day| {
                let date = format::calendar_date(locale, &day);
                view! { <p>{fill(td_string!(locale, lookup.expected), &date)}</p> }
            })}
            {shipment.delayed.then(|| view! { <p class="warning">{td_string!(locale, lookup.delayed)}</p> })}
            {next_action(locale, status).map(|text| view! { <p class="warning">{text}</p> })}
            {latest.map(|checkpoint| view! {
                <p class="latest">
                    {td_string!(locale, lookup.latest)}": "
                    <time datetime=checkpoint.at.0.clone()>{format::date_time(locale, &checkpoint.at)}</time>
                    " · "{checkpoint.location}
                </p>
            })}
        </section>
    }
}
