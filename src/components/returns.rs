//! Pieces of a return that the screens starting and following one both draw: what comes back and
//! how the goods get to us (the booked window, the drop-off code with its QR), and the pickup slot
//! picker.

use crate::components::labels;
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use portico_api::{paths, Handover, PickupSlot, Resolution, ReturnDetail, UtcTime};

/// What comes back (refund or store credit, any pickup fee), the hand-over and what to do next.
#[component]
pub fn ReturnFacts(detail: ReturnDetail) -> impl IntoView {
    let i18n = use_locale();
    let qr = Services::current()
        .orders(&paths::return_drop_off_qr(&detail.number))
        .url()
        .to_string();
    move || {
        let locale = i18n.get();
        let done = &detail;
        let next = match (&done.handover, &done.pickup, &done.drop_off_code) {
            (Handover::Pickup, Some(booked), _) => view! {
                <p data-testid="pickup-window">{td!(locale, returns.next_pickup, window = format::window(locale, &booked.starts_at, &booked.ends_at))}</p>
            }
            .into_any(),
            (Handover::DropOff, _, Some(code)) => view! {
                <figure class="drop-off">
                    <img src=qr.clone() width="200" height="200" alt=td_string!(locale, returns.qr_alt).replace("[code]", code)/>
                    <figcaption>
                        {td_string!(locale, returns.code_label)}
                        <strong class="mono" data-testid="drop-off-code">{code.clone()}</strong>
                    </figcaption>
                </figure>
            }
            .into_any(),
            (Handover::SelfShip, ..) => view! { <p>{td_string!(locale, returns.next_self_ship)}</p> }.into_any(),
            _ => view! { <p>{td_string!(locale, returns.next_drop_off)}</p> }.into_any(),
        };
        // When the money (or the new item) is on its way: a day once it can be told, else how
        // long after the goods reach the shop; nothing once the return has ended. English needs
        // its singular; Chinese says both alike.
        let settles = match (&done.settles_by, done.settle_days) {
            (Some(by), _) => Some(
                td_string!(locale, returns.settle_by).replace("[date]", &format::date(locale, by)),
            ),
            (None, _)
                if !done.status.under_way()
                    && done.status != portico_api::ReturnStatus::Received =>
            {
                None
            }
            (None, 1) => Some(td_string!(locale, returns.settle_within_one).to_string()),
            (None, days) => {
                Some(td_string!(locale, returns.settle_within).replace("[days]", &days.to_string()))
            }
        };
        let handed_over =
            !done.status.under_way() || done.status == portico_api::ReturnStatus::PickedUp;
        view! {
            <dl class="amounts">
                <div>
                    <dt>{match done.resolution {
                        Resolution::Refund => td_string!(locale, returns.resolutions.refund),
                        Resolution::StoreCredit => td_string!(locale, returns.total_credit),
                        Resolution::Exchange => td_string!(locale, returns.resolutions.exchange),
                    }}</dt>
                    <dd>{format::money(done.refund)}</dd>
                </div>
                {(done.pickup_fee.fen > 0).then(|| view! {
                    <div><dt>{td_string!(locale, returns.fee)}</dt><dd>{format::money(done.pickup_fee)}</dd></div>
                })}
                <div><dt>{td_string!(locale, returns.handover)}</dt><dd>{labels::handover(locale, done.handover)}</dd></div>
                {settles.map(|when| view! {
                    <div><dt>{td_string!(locale, returns.settle)}</dt><dd data-testid="settles">{when}</dd></div>
                })}
            </dl>
            {(!handed_over).then_some(next)}
        }
    }
}

/// After the service refused the chosen slot as full (it filled up while the customer decided):
/// that slot is marked taken and the next one of `slots` with room chosen instead, so nothing
/// else the customer chose changes.
pub fn slot_was_full(
    slots: &[PickupSlot],
    slot: RwSignal<Option<UtcTime>>,
    taken: RwSignal<Vec<UtcTime>>,
) {
    if let Some(full) = slot.get_untracked() {
        taken.update(|t| t.push(full));
    }
    let next = taken.with_untracked(|taken| {
        slots
            .iter()
            .find(|s| s.remaining > 0 && !taken.contains(&s.starts_at))
            .map(|s| s.starts_at.clone())
    });
    slot.set(next);
}

/// The pickup slots of the coming week; a full one is shown and cannot be chosen.
pub fn slot_picker(
    locale: Locale,
    slots: &[PickupSlot],
    slot: RwSignal<Option<UtcTime>>,
    taken: RwSignal<Vec<UtcTime>>,
) -> impl IntoView + use<> {
    let full_word = td_string!(locale, returns.slot_full);
    let options = {
        taken.with(|taken| {
            slots
                .iter()
                .map(|s| {
                    let when = format::window(locale, &s.starts_at, &s.ends_at);
                    let full = s.remaining == 0 || taken.contains(&s.starts_at);
                    let label = if full {
                        format!("{when} ({full_word})")
                    } else {
                        when
                    };
                    view! { <option value=s.starts_at.0.clone() disabled=full>{label}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <label for="pickup-slot" class="slot-label">{td_string!(locale, returns.slot)}</label>
        <select id="pickup-slot" class="slot-select"
            prop:value=move || slot.get().map(|s| s.0).unwrap_or_default()
            on:change=move |ev| slot.set(Some(UtcTime(event_target_value(&ev))))>
            {options}
        </select>
    }
}
