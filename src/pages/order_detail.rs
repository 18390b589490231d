//! `/orders/:number`: one order — items, amounts, payment, delivery address and every parcel.
//! While a parcel is moving the page refreshes itself (not while the tab is hidden) and says
//! when a new checkpoint has arrived.

use crate::components::labels;
use crate::components::page_state::{ErrorNotice, Skeleton};
use crate::components::shipment::ShipmentCard;
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use crate::session::{sign_in_href, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use portico_api::{
    paths, CheckpointEvent, ErrorCode, Money, OrderDetail, OrderItem, OrderNumber, RuntimeConfig,
};
use portico_client::{ApiError, Remote};
use std::time::Duration;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let i18n = use_locale();
    let session = use_session();
    let services = Services::current();
    let refresh_secs = expect_context::<RuntimeConfig>()
        .tracking_refresh_secs
        .max(5);
    let params = use_params_map();
    let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
    let order = Remote::<OrderDetail>::new(move || services.orders(&paths::order(&number.get())));

    // Checkpoints seen so far, to notice new ones after a refresh.
    let seen = StoredValue::new(None::<(String, usize)>);
    let announcement = RwSignal::new(None::<CheckpointEvent>);
    // Parcels whose whole timeline is open; kept here so refreshes do not close them.
    let expanded = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        let Some(Ok(detail)) = order.get() else {
            return;
        };
        let count: usize = detail.shipments.iter().map(|s| s.checkpoints.len()).sum();
        let key = detail.number.to_string();
        let before = seen.get_value();
        seen.set_value(Some((key.clone(), count)));
        if let Some((before_key, before_count)) = before {
            if before_key == key && count > before_count {
                let newest = detail
                    .shipments
                    .iter()
                    .filter_map(|s| s.checkpoints.first())
                    .max_by(|a, b| a.at.cmp(&b.at));
                if let Some(checkpoint) = newest {
                    announcement.set(Some(checkpoint.event));
                }
            }
        }
    });

    let moving = move || {
        order
            .get()
            .and_then(Result::ok)
            .is_some_and(|d| d.shipments.iter().any(|s| s.status.is_moving()))
    };
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let visible = document().visibility_state() == web_sys::VisibilityState::Visible;
            if visible && moving() {
                order.refetch();
            }
        },
        Duration::from_secs(u64::from(refresh_secs)),
    ) {
        on_cleanup(move || handle.clear());
    }

    view! {
        <section class="page">
            {move || {
                let locale = i18n.get();
                // A guest came from the lookup and has no order list to go back to.
                let guest = session.info().is_some_and(|info| info.customer.is_none());
                let (back, label) = if guest {
                    ("/track", td_string!(locale, nav.track))
                } else {
                    ("/orders", td_string!(locale, order.back))
                };
                view! {
                    <p class="back"><a href=back>{label}</a></p>
                    <div class="live-update" role="status" aria-live="polite">
                        {announcement.get().map(|event| view! {
                            <p class="notice notice-success" data-testid="new-checkpoint">
                                {td!(locale, shipment.new_checkpoint, what = labels::event(locale, event))}
                            </p>
                        })}
                    </div>
                }
            }}
            {move || match order.get() {
                None => view! { <Skeleton blocks=5/> }.into_any(),
                Some(Ok(detail)) => view! { <OrderView detail moving=Signal::derive(moving) expanded/> }.into_any(),
                Some(Err(ApiError::Problem(p))) if p.code == ErrorCode::NotFound => {
                    let locale = i18n.get();
                    view! {
                        <h1>{td!(locale, order.title, number = number.get_untracked())}</h1>
                        <div class="notice notice-info" role="alert"><p>{td_string!(locale, order.not_found)}</p></div>
                    }.into_any()
                }
                Some(Err(error)) => view! {
                    <ErrorNotice error retry=Callback::new(move |_| order.refetch())/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn OrderView(
    detail: OrderDetail,
    moving: Signal<bool>,
    expanded: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let i18n = use_locale();
    let detail = StoredValue::new(detail);
    // Drawn whole for the current language (a switch redraws it).
    move || detail.with_value(|detail| order_view(i18n.get(), detail, moving, expanded))
}

fn order_view(
    locale: Locale,
    detail: &OrderDetail,
    moving: Signal<bool>,
    expanded: RwSignal<Vec<i64>>,
) -> impl IntoView + use<> {
    let count = detail.shipments.len();
    let address = &detail.address;
    let amounts = &detail.amounts;
    view! {
        <header class="order-head">
            <h1>{td!(locale, order.title, number = detail.number.to_string())}</h1>
            <p class="muted">{td!(locale, order.placed_on, date = format::date_time(locale, &detail.placed_at))}</p>
        </header>
        {detail.masked.then(|| view! {
            <div class="notice notice-info" data-testid="guest-notice">
                <p>{td_string!(locale, order.guest_notice)}</p>
                <a href=sign_in_href(&format!("/orders/{}", detail.number))>{td_string!(locale, order.guest_sign_in)}</a>
            </div>
        })}
        <div class="order-grid">
            <div class="order-main">
                <h2>{td_string!(locale, order.parcels)}</h2>
                {move || moving.get().then(|| view! {
                    <p class="muted live-note">{td_string!(locale, shipment.live_note)}</p>
                })}
                {if count == 0 {
                    view! { <p class="notice notice-info">{td_string!(locale, order.no_parcels)}</p> }.into_any()
                } else {
                    detail.shipments.iter().cloned().enumerate().map(|(i, shipment)| view! {
                        <ShipmentCard shipment position=i + 1 count expanded/>
                    }).collect_view().into_any()
                }}
            </div>
            <aside class="order-side">
                <section class="panel">
                    <h2>{td_string!(locale, order.items)}</h2>
                    <ul class="items">
                        {detail.items.iter().zip(1..).map(|(item, line)| view! {
                            <li>
                                <span class="item-name">{crate::locale::pick(locale, &item.name).to_string()}</span>
                                <span class="muted">{crate::locale::pick(locale, &item.variant).to_string()}</span>
                                <span class="item-line">
                                    <span>{td!(locale, order.quantity, count = item.quantity)}</span>
                                    <span>{format::money(item.unit_price)}</span>
                                </span>
                                {item_return(locale, item, &detail.number, line)}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                {(!detail.returns.is_empty()).then(|| view! {
                    <section class="panel" data-testid="order-returns">
                        <h2>{td_string!(locale, order.returns)}</h2>
                        <ul class="order-returns">
                            {detail.returns.iter().map(|r| view! {
                                <li>
                                    <a class="item-name" href=format!("/returns/{}", r.number)>
                                        {td!(locale, returns.detail_title, number = r.number.clone())}
                                    </a>
                                    <span class="muted">{labels::return_status(locale, r.status)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section class="panel">
                    <h2>{td_string!(locale, order.amounts)}</h2>
                    <dl class="amounts">
                        <div><dt>{td_string!(locale, order.subtotal)}</dt><dd>{format::money(amounts.subtotal)}</dd></div>
                        <div><dt>{td_string!(locale, order.shipping)}</dt><dd>{format::money(amounts.shipping)}</dd></div>
                        {(amounts.discount.fen != 0).then(|| view! {
                            <div><dt>{td_string!(locale, order.discount)}</dt><dd>{format::money(Money::fen(-amounts.discount.fen.abs()))}</dd></div>
                        })}
                        <div class="total"><dt>{td_string!(locale, order.total)}</dt><dd>{format::money(amounts.total)}</dd></div>
                        <div><dt>{td_string!(locale, order.payment)}</dt><dd>{labels::payment(locale, detail.payment_state)}</dd></div>
                    </dl>
                </section>
                <section class="panel">
                    <h2>{td_string!(locale, order.delivery)}</h2>
                    <address data-testid="address">
                        <span>{format!("{} {}", address.recipient, address.phone)}</span>
                        <span>{format!("{} {} {}", address.province, address.city, address.district)}</span>
                        {match address.street.clone() {
                            Some(street) => view! { <span>{street}</span> }.into_any(),
                            None => view! { <span class="muted">{td_string!(locale, order.street_hidden)}</span> }.into_any(),
                        }}
                    </address>
                </section>
            </aside>
        </div>
    }
}

/// What an item's row says about returning it, as the service judged the line: "Return" (and
/// until when) where some of it can go back, else why not ("Returns closed on 12 Nov").
fn item_return(
    locale: Locale,
    item: &OrderItem,
    order: &OrderNumber,
    line: u32,
) -> impl IntoView + use<> {
    if item.returnable_quantity > 0 {
        let until = item.return_by.as_ref().map(|by| {
            td_string!(locale, returns.open_until).replace("[date]", &format::date(locale, by))
        });
        view! {
            <span class="item-return">
                <a href=format!("/orders/{order}/return?line={line}")>{td_string!(locale, returns.start)}</a>
                {until.map(|until| view! { <span class="muted">{until}</span> })}
            </span>
        }
        .into_any()
    } else {
        item.not_returnable
            .map(|why| {
                view! {
                    <span class="tag" data-testid="why-not-returnable">
                        {labels::not_returnable(locale, why, item.return_by.as_ref())}
                    </span>
                }
            })
            .into_any()
    }
}
