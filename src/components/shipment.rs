//! One parcel: where it is, what happens next, and its checkpoint timeline (newest first).

use crate::components::labels;
use crate::format;
use crate::i18n::*;
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
) -> impl IntoView {
    let i18n = use_i18n();
    let status = shipment.status;
    let reached = step_reached(status);
    let heading_id = format!("parcel-{}", shipment.id);
    let tracking_id = format!("tracking-{}", shipment.id);
    let labelled_by = heading_id.clone();
    let show_all = RwSignal::new(false);
    let hidden = shipment.checkpoints.len().saturating_sub(TIMELINE_PREVIEW);
    let checkpoints = StoredValue::new(shipment.checkpoints.clone());
    let tracking_number = shipment.tracking_number.clone();
    let estimated = shipment.estimated_delivery.clone();
    let delivered_at = shipment.delivered_at.clone();
    let carrier = shipment.carrier;
    let items = shipment.items.join("、");
    let delayed = shipment.delayed && status.is_moving();

    view! {
        <article class="shipment" aria-labelledby=labelled_by data-status=status.as_str()>
            <header class="shipment-head">
                <h3 id=heading_id>{t!(i18n, shipment.parcel, n = position, total = count)}</h3>
                <span class=format!("status-badge status-{}", status.as_str())>
                    {move || labels::status(i18n, status)}
                </span>
            </header>
            {(status != ShipmentStatus::ReturnedToSender).then(|| view! {
                <ol class="progress" aria-hidden="true">
                    {STEPS.iter().enumerate().map(|(i, step)| {
                        let step = *step;
                        view! {
                            <li class:done=move || i <= reached class:current=move || i == reached>
                                {move || labels::status(i18n, step)}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            {move || labels::next_action(i18n, status).map(|action| view! {
                <div class="notice notice-warn" role="note">
                    <strong>{labels::status(i18n, status)}</strong>
                    <p>{action}</p>
                </div>
            })}
            {delayed.then(|| view! {
                <p class="notice notice-info" role="note">{t!(i18n, shipment.delayed)}</p>
            })}
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, shipment.carrier)}</dt>
                    <dd>{move || labels::carrier(i18n, carrier)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, shipment.tracking_number)}</dt>
                    <dd class="tracking">
                        <span class="mono" id=tracking_id.clone() data-testid="tracking-number">{tracking_number.clone()}</span>
                        <CopyButton text=tracking_number described_by=tracking_id/>
                    </dd>
                </div>
                {match delivered_at {
                    Some(at) => view! {
                        <div>
                            <dt>{t!(i18n, shipment.delivered_on)}</dt>
                            <dd>{move || format::date_time(i18n.get_locale(), &at)}</dd>
                        </div>
                    }.into_any(),
                    None => view! {
                        <div>
                            <dt>{t!(i18n, shipment.eta)}</dt>
                            <dd class="eta">{move || match &estimated {
                                Some(day) => format::calendar_date(i18n.get_locale(), day),
                                None => t_string!(i18n, shipment.no_estimate).to_string(),
                            }}</dd>
                        </div>
                    }.into_any(),
                }}
            </dl>
            {(!items.is_empty()).then(|| view! {
                <p class="shipment-items"><span class="muted">{t!(i18n, shipment.contains)}": "</span>{items}</p>
            })}
            <h4 class="timeline-title">{t!(i18n, shipment.timeline)}</h4>
            <ol class="timeline">
                {move || {
                    let limit = if show_all.get() { usize::MAX } else { TIMELINE_PREVIEW };
                    checkpoints.with_value(|all| all.iter().take(limit).map(|checkpoint| {
                        let at = checkpoint.at.clone();
                        let datetime = at.0.clone();
                        let event = checkpoint.event;
                        let location = checkpoint.location.clone();
                        view! {
                            <li>
                                <time datetime=datetime>{move || format::date_time(i18n.get_locale(), &at)}</time>
                                <span class="event">{move || labels::event(i18n, event)}</span>
                                <span class="location">{location}</span>
                            </li>
                        }
                    }).collect_view())
                }}
            </ol>
            {(hidden > 0).then(|| view! {
                <button
                    type="button"
                    class="button button-link"
                    aria-expanded=move || show_all.get().to_string()
                    on:click=move |_| show_all.update(|all| *all = !*all)
                >
                    {move || if show_all.get() {
                        t!(i18n, shipment.show_less).into_any()
                    } else {
                        t!(i18n, shipment.show_more, count = hidden).into_any()
                    }}
                </button>
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
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
    };
    view! {
        <button
            type="button"
            class="button button-small button-secondary"
            aria-describedby=described_by
            on:click=copy
        >
            {move || if copied.get() {
                t_string!(i18n, shipment.copied).to_string()
            } else {
                t_string!(i18n, shipment.copy).to_string()
            }}
        </button>
        <span class="visually-hidden" role="status">
            {move || copied.get().then(|| t_string!(i18n, shipment.copied).to_string())}
        </span>
    }
}
