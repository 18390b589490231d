//! `/returns/:number`: one return — where it stands on its way (with the reviewer's reason when
//! one decided it), what comes back, how the goods get to us — and, while nothing has been
//! handed over, cancelling it.

use crate::components::labels;
use crate::components::page_state::{ErrorNotice, Skeleton};
use crate::components::returns::{slot_picker, slot_was_full, ReturnFacts};
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{
    paths, Handover, NewPickupSlot, ReturnDetail, ReturnEligibility, ReturnPassRequest,
    ReturnStatus, UtcTime,
};
use portico_client::{Remote, Submit};

/// The route: a wasm chunk of its own, fetched at the same time as the return. Opened from the
/// link in a message (`?t=`), it first trades the link for a pass to that return's order, so a
/// customer who is not signed in (or a guest) can follow it.
pub struct ReturnDetailRoute {
    detail: Remote<ReturnDetail>,
    link: Option<Submit<()>>,
}

#[lazy_route]
impl LazyRoute for ReturnDetailRoute {
    fn data() -> Self {
        let services = Services::current();
        let params = use_params_map();
        let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
        let link = use_query_map().read_untracked().get("t").map(|token| {
            let pass = Submit::<()>::new();
            pass.post(
                services.orders(&paths::return_pass(&number.get_untracked())),
                &ReturnPassRequest { token },
            );
            pass
        });
        let detail = Remote::new(move || {
            // Read again once the link has opened the return for this browser.
            if let Some(pass) = link {
                pass.value();
            }
            services.orders(&paths::return_detail(&number.get()))
        });
        Self { detail, link }
    }

    fn view(this: Self) -> AnyView {
        view! { <ReturnDetailPage detail=this.detail link=this.link/> }.into_any()
    }
}

#[component]
fn ReturnDetailPage(detail: Remote<ReturnDetail>, link: Option<Submit<()>>) -> impl IntoView {
    let i18n = use_locale();
    view! {
        <section class="page">
            {move || match (link.map(|pass| pass.value()), detail.get()) {
                (Some(None), _) | (_, None) => view! { <Skeleton blocks=4/> }.into_any(),
                (Some(Some(Err(_))), _) => view! {
                    <div class="notice notice-info" role="alert">
                        <p>{td_string!(i18n.get(), returns.link_invalid)}</p>
                        <a href="/sign-in" class="button">{td_string!(i18n.get(), nav.sign_in)}</a>
                    </div>
                }.into_any(),
                (_, Some(Ok(current))) => view! { <ReturnView current reload=Callback::new(move |_| detail.refetch())/> }.into_any(),
                (_, Some(Err(error))) => view! {
                    <ErrorNotice error retry=Callback::new(move |_| detail.refetch())/>
                }.into_any(),
            }}
        </section>
    }
}

/// The steps this return goes through, in order: a pickup is booked and picked up, other goods are
/// approved and then arrive; a large refund is reviewed first.
fn steps(detail: &ReturnDetail) -> Vec<ReturnStatus> {
    let mut steps = vec![ReturnStatus::Requested];
    if detail.status == ReturnStatus::PendingReview || detail.refund.fen > 50_000 {
        steps.push(ReturnStatus::PendingReview);
    }
    match detail.handover {
        Handover::Pickup => steps.extend([ReturnStatus::PickupScheduled, ReturnStatus::PickedUp]),
        Handover::DropOff | Handover::SelfShip => steps.push(ReturnStatus::Approved),
    }
    steps.extend([ReturnStatus::Received, ReturnStatus::Refunded]);
    steps
}

fn step_label(locale: Locale, status: ReturnStatus) -> &'static str {
    match status {
        ReturnStatus::Requested => td_string!(locale, returns.steps.requested),
        ReturnStatus::PendingReview => td_string!(locale, returns.steps.pending_review),
        ReturnStatus::Approved => td_string!(locale, returns.steps.approved),
        ReturnStatus::PickupScheduled => td_string!(locale, returns.steps.pickup_scheduled),
        ReturnStatus::PickedUp => td_string!(locale, returns.steps.picked_up),
        ReturnStatus::Received => td_string!(locale, returns.steps.received),
        ReturnStatus::Exchanged => td_string!(locale, returns.steps.exchanged),
        ReturnStatus::Refunded | ReturnStatus::Rejected | ReturnStatus::Cancelled => {
            td_string!(locale, returns.steps.refunded)
        }
    }
}

#[component]
fn ReturnView(current: ReturnDetail, reload: Callback<()>) -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let cancel = Submit::<ReturnDetail>::new();
    let asking = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value() {
            reload.run(());
        }
    });
    let number = current.number.clone();
    let may_move_pickup = current.handover == Handover::Pickup
        && current.pickup.is_some()
        && matches!(
            current.status,
            ReturnStatus::PickupScheduled | ReturnStatus::PendingReview | ReturnStatus::Approved
        );
    let may_cancel = matches!(
        current.status,
        ReturnStatus::Requested
            | ReturnStatus::Approved
            | ReturnStatus::PendingReview
            | ReturnStatus::PickupScheduled
    );
    let path = steps(&current);
    let reached = path.iter().position(|s| *s == current.status);
    let current = StoredValue::new(current);

    move || {
        let locale = i18n.get();
        let detail = current.get_value();
        let ended = matches!(
            detail.status,
            ReturnStatus::Cancelled | ReturnStatus::Rejected
        );
        let number = number.clone();
        view! {
            <p class="back"><a href=format!("/orders/{}", detail.order)>{td!(locale, returns.for_order, number = detail.order.to_string())}</a></p>
            <h1>{td!(locale, returns.detail_title, number = detail.number.clone())}</h1>
            <p class="lead" data-testid="return-status">{labels::return_status(locale, detail.status)}</p>
            // A reviewer's words, as they wrote them: a text node, never markup.
            {detail.decision_reason.clone().map(|why| view! {
                <p data-testid="decision-reason"><strong>{td_string!(locale, returns.decision_why)}</strong>{why}</p>
            })}
            {(!ended).then(|| view! {
                <ol class="return-steps">
                    {path.iter().enumerate().map(|(i, step)| {
                        let state = match reached {
                            Some(at) if i < at => "done",
                            Some(at) if i == at => "current",
                            _ => "todo",
                        };
                        view! {
                            <li class=state aria-current=(state == "current").then_some("step")>
                                {step_label(locale, *step)}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            <ReturnFacts detail=detail.clone()/>
            {move || match cancel.value() {
                Some(Err(error)) => Some(view! { <ErrorNotice error/> }),
                _ => None,
            }}
            {may_move_pickup.then(|| view! {
                <Reschedule number=detail.number.clone() order=detail.order.to_string()
                    booked=detail.pickup.as_ref().map(|p| p.starts_at.clone()) reload/>
            })}
            {may_cancel.then(|| {
                let number = number.clone();
                move || if asking.get() {
                    let number = number.clone();
                    view! {
                        <div class="notice notice-warn" role="alertdialog" aria-labelledby="cancel-question">
                            <p id="cancel-question">{td_string!(locale, returns.cancel_question)}</p>
                            <p class="form-links">
                                <button type="button" class="button" disabled=move || cancel.pending()
                                    on:click=move |_| cancel.post_empty(services.orders(&paths::return_cancel(&number)))>
                                    {move || if cancel.pending() { td_string!(locale, returns.cancelling) } else { td_string!(locale, returns.cancel_yes) }}
                                </button>
                                <button type="button" class="button button-secondary" on:click=move |_| asking.set(false)>
                                    {td_string!(locale, returns.cancel_keep)}
                                </button>
                            </p>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button-secondary" on:click=move |_| asking.set(true)>
                            {td_string!(locale, returns.cancel)}
                        </button>
                    }.into_any()
                }
            })}
        }
    }
}

/// Moving a booked pickup to another slot of the coming week.
#[component]
fn Reschedule(
    number: String,
    order: String,
    booked: Option<UtcTime>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let open = RwSignal::new(false);
    let slot = RwSignal::new(booked);
    let taken = RwSignal::new(Vec::<UtcTime>::new());
    let save = Submit::<ReturnDetail>::new();
    let offer =
        Remote::<ReturnEligibility>::new(move || services.orders(&paths::returnable(&order)));
    Effect::new(move |_| match save.value() {
        Some(Ok(_)) => reload.run(()),
        Some(Err(error)) if error.code() == Some(portico_api::ErrorCode::PickupSlotFull) => {
            if let Some(Ok(o)) = untrack(|| offer.get()) {
                slot_was_full(&o.pickup.slots, slot, taken);
            }
        }
        _ => {}
    });
    let number = StoredValue::new(number);
    move || {
        let locale = i18n.get();
        if !open.get() {
            return view! {
                <button type="button" class="button button-secondary" on:click=move |_| open.set(true)>
                    {td_string!(locale, returns.reschedule)}
                </button>
            }
            .into_any();
        }
        let send = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Some(pickup_slot) = slot.get_untracked() {
                let path = number.with_value(|n| paths::reschedule_pickup(n));
                save.post(services.orders(&path), &NewPickupSlot { pickup_slot });
            }
        };
        view! {
            <form class="return-form" on:submit=send>
                {move || match offer.get() {
                    Some(Ok(o)) => slot_picker(locale, &o.pickup.slots, slot, taken).into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error/> }.into_any(),
                    None => view! { <Skeleton blocks=1/> }.into_any(),
                }}
                {move || match save.value() {
                    Some(Err(error)) => Some(view! { <ErrorNotice error/> }),
                    _ => None,
                }}
                <button type="submit" class="button" disabled=move || save.pending()>
                    {move || if save.pending() { td_string!(locale, returns.rescheduling) } else { td_string!(locale, returns.reschedule_save) }}
                </button>
            </form>
        }
        .into_any()
    }
}
