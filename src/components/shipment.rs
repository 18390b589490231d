//! One parcel: where it is, what happens next, and its checkpoint timeline (newest first).

use crate::components::labels;
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use leptos::prelude::*;
use portico_api::{Shipment, ShipmentStatus};

/// Checkpoints shown before "show more".
const TIMELINE_PREVIEW: usize = 3;

/// The steps of a normal journey, for the progress bar.
const STEPS: [ShipmentStatus; 4] = [
    ShipmentStatus::InfoReceived,
    ShipmentStatus::InTransit,
    ShipmentStatus::OutForDelivery,
    ShipmentStatus::Delivered,
];

fn step_reached(status: ShipmentStatus) -> usize {
    match status {
        ShipmentStatus::InfoReceived => 0,
        ShipmentStatus::InTransit | ShipmentStatus::Exception => 1,
        ShipmentStatus::OutForDelivery | ShipmentStatus::DeliveryAttempted => 2,
        ShipmentStatus::Delivered => 3,
        ShipmentStatus::ReturnedToSender => 1,
    }
}

#[component]
pub fn ShipmentCard(
    /// The parcel to show.
    shipment: Shipment,
    /// Its position among the order's parcels, from 1.
    position: usize,
    /// How many parcels the order has.
    count: usize,
    /// The parcels whose whole timeline the customer opened. The page owns it, so a refresh
    /// that redraws the card keeps it open.
    expanded: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let i18n = use_locale();
    let id = shipment.id;
    let show_all = Signal::derive(move || expanded.with(|ids| ids.contains(&id)));
    let toggle = move || {
        expanded.update(|ids| match ids.iter().position(|open| *open == id) {
            Some(at) => {
                ids.remove(at);
            }
            None => ids.push(id),
        })
    };
    let shipment = StoredValue::new(shipment);
    // The card is drawn whole for the current language (a switch redraws it): one reactive
    // scope instead of one per string keeps the app small.
    move || {
        shipment
            .with_value(|shipment| card(i18n.get(), shipment, position, count, show_all, toggle))
    }
}

fn card(
    locale: Locale,
    shipment: &Shipment,
    position: usize,
    count: usize,
    show_all: Signal<bool>,
    toggle: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let status = shipment.status;
    let reached = step_reached(status);
    let heading_id = format!("parcel-{}", shipment.id);
    let tracking_id = format!("tracking-{}", shipment.id);
    let labelled_by = heading_id.clone();
    let hidden = shipment.checkpoints.len().saturating_sub(TIMELINE_PREVIEW);
    let checkpoints = shipment.checkpoints.clone();
    let items = crate::locale::pick_all(locale, &shipment.items);
    let delayed = shipment.delayed && status.is_moving();
    let when = match &shipment.delivered_at {
        Some(at) => (
            td_string!(locale, shipment.delivered_on),
            format::date_time(locale, at),
        ),
        None => (
            td_string!(locale, shipment.eta),
            match &shipment.estimated_delivery {
                Some(day) => format::calendar_date(locale, day),
                None => td_string!(locale, shipment.no_estimate).to_string(),
            },
        ),
    };
    view! {
        <article class="shipment" aria-labelledby=labelled_by data-status=status.as_str()>
            <header class="shipment-head">
                <h3 id=heading_id>{td!(locale, shipment.parcel, n = position, total = count)}</h3>
                <span class=format!("status-badge status-{}", status.as_str())>
                    {labels::status(locale, status)}
                </span>
            </header>
            {(status != ShipmentStatus::ReturnedToSender).then(|| view! {
                <ol class="progress" aria-hidden="true">
                    {STEPS.iter().enumerate().map(|(i, step)| view! {
                        <li class=match i.cmp(&reached) {
                            std::cmp::Ordering::Less => "done",
                            std::cmp::Ordering::Equal => "done current",
                            std::cmp::Ordering::Greater => "",
                        }>{labels::status(locale, *step)}</li>
                    }).collect_view()}
                </ol>
            })}
            {labels::next_action(locale, status).map(|action| view! {
                <div class="notice notice-warn" role="note">
                    <strong>{labels::status(locale, status)}</strong>
                    <p>{action}</p>
                </div>
            })}
            {delayed.then(|| view! {
                <p class="notice notice-info" role="note">{td_string!(locale, shipment.delayed)}</p>
            })}
            <dl class="facts">
                <div>
                    <dt>{td_string!(locale, shipment.carrier)}</dt>
                    <dd>{labels::carrier(locale, shipment.carrier)}</dd>
                </div>
                <div>
                    <dt>{td_string!(locale, shipment.tracking_number)}</dt>
                    <dd class="tracking">
                        <span class="mono" id=tracking_id.clone() data-testid="tracking-number">{shipment.tracking_number.clone()}</span>
                        <CopyButton text=shipment.tracking_number.clone() described_by=tracking_id/>
                    </dd>
                </div>
                <div>
                    <dt>{when.0}</dt>
                    <dd class="eta">{when.1}</dd>
                </div>
            </dl>
            {(!items.is_empty()).then(|| view! {
                <p class="shipment-items"><span class="muted">{td_string!(locale, shipment.contains)}</span>{items}</p>
            })}
            <h4 class="timeline-title">{td_string!(locale, shipment.timeline)}</h4>
            <ol class="timeline">
                {move || {
                    let limit = if show_all.get() { usize::MAX } else { TIMELINE_PREVIEW };
                    checkpoints.iter().take(limit).map(|checkpoint| view! {
                        <li>
                            <time datetime=checkpoint.at.0.clone()>{format::date_time(locale, &checkpoint.at)}</time>
                            <span class="event">{labels::event(locale, checkpoint.event)}</span>
                            <span class="location">{checkpoint.location.clone()}</span>
                        </li>
                    }).collect_view()
                }}
            </ol>
            {(hidden > 0).then(|| {
                view! {
                    <button
                        type="button"
                        class="button button-link"
                        aria-expanded=move || show_all.get().to_string()
                        on:click=move |_| toggle()
                    >
                        {move || if show_all.get() {
                            td!(locale, shipment.show_less).into_any()
                        } else {
                            td!(locale, shipment.show_more, count = hidden).into_any()
                        }}
                    </button>
                }
            })}
        </article>
    }
}

/// Copies a tracking number, and says so.
#[component]
fn CopyButton(
    /// What goes to the clipboard.
    text: String,
    /// The id of the element showing `text`, so the button says what it copies.
    described_by: String,
) -> impl IntoView {
    let i18n = use_locale();
    let copied = RwSignal::new(false);
    // "Copied" only once the browser says the write succeeded (it refuses in insecure contexts,
    // some frames, or without permission).
    let copy = move |_| {
        let written = window().navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(written).await.is_ok() {
                copied.set(true);
                set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
            }
        });
    };
    view! {
        <button
            type="button"
            class="button button-small button-secondary"
            aria-describedby=described_by
            on:click=copy
        >
            {move || if copied.get() {
                td_string!(i18n.get(), shipment.copied).to_string()
            } else {
                td_string!(i18n.get(), shipment.copy).to_string()
            }}
        </button>
        <span class="visually-hidden" role="status">
            {move || copied.get().then(|| td_string!(i18n.get(), shipment.copied).to_string())}
        </span>
    }
}
