//! `/orders/:number/return?line=N`: starting a return on one screen. Everything a customer would
//! choose anyway is chosen for them — the item they came from, a refund to the original payment,
//! the usual hand-over — so it takes three taps: open, reason, confirm. The request carries an
//! `Idempotency-Key` that changes only when the form does, so a double click or a retry after
//! the network dropped starts one return.

use crate::components::labels;
use crate::components::page_state::{ErrorNotice, Skeleton};
use crate::components::returns::{slot_picker, slot_was_full, ReturnFacts};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{
    paths, ErrorCode, Handover, Money, NewReturn, Resolution, ReturnDetail, ReturnEligibility,
    ReturnLine, ReturnReason, ReturnableItem, UtcTime,
};
use portico_client::{idempotency_key, Remote, Submit};

/// The route. Most visits never start a return, so its view is a wasm chunk of its own (see
/// scripts/split.py), fetched at the same time as what the order allows.
pub struct StartReturnRoute {
    number: Memo<String>,
    eligibility: Remote<ReturnEligibility>,
}

#[lazy_route]
impl LazyRoute for StartReturnRoute {
    fn data() -> Self {
        let services = Services::current();
        let params = use_params_map();
        let number = Memo::new(move |_| params.read().get("number").unwrap_or_default());
        let eligibility = Remote::<ReturnEligibility>::new(move || {
            services.orders(&paths::returnable(&number.get()))
        });
        Self {
            number,
            eligibility,
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <StartReturnPage number=this.number eligibility=this.eligibility/> }.into_any()
    }
}

#[component]
fn StartReturnPage(number: Memo<String>, eligibility: Remote<ReturnEligibility>) -> impl IntoView {
    let i18n = use_locale();
    let query = use_query_map();
    let created = Submit::<ReturnDetail>::new();
    // Only a started return replaces the form: a refusal leaves it, and what was chosen, as it is.
    let started = Memo::new(move |_| created.value().and_then(Result::ok));

    view! {
        <section class="page">
            <p class="back">
                <a href=move || format!("/orders/{}", number.get())>
                    {move || td_string!(i18n.get(), returns.back)}
                </a>
            </p>
            {move || match (started.get(), eligibility.get()) {
                (Some(done), _) => view! { <Started done/> }.into_any(),
                (_, None) => view! { <Skeleton blocks=4/> }.into_any(),
                (_, Some(Ok(offer))) => {
                    let wanted = query.read_untracked().get("line").and_then(|l| l.parse().ok());
                    view! { <ReturnForm offer wanted created/> }.into_any()
                }
                (_, Some(Err(error))) => view! {
                    <ErrorNotice error retry=Callback::new(move |_| eligibility.refetch())/>
                }.into_any(),
            }}
        </section>
    }
}

/// The items pre-chosen: the one the customer came from, or the only one that can go back.
fn preselected(items: &[ReturnableItem], wanted: Option<u32>) -> Vec<ReturnLine> {
    let open: Vec<&ReturnableItem> = items.iter().filter(|i| i.returnable_quantity > 0).collect();
    let pick = match wanted {
        Some(line) => open.iter().find(|i| i.line == line).copied(),
        None if open.len() == 1 => Some(open[0]),
        None => None,
    };
    pick.map(|item| ReturnLine {
        line: item.line,
        quantity: item.returnable_quantity,
        exchange_for: None,
    })
    .into_iter()
    .collect()
}

/// What the customer gets back for `lines`: store credit adds its bonus, a paid pickup's fee comes
/// off (never below nothing), as the service will reckon it.
fn expected_back(
    offer: &ReturnEligibility,
    lines: &[ReturnLine],
    resolution: Resolution,
    handover: Handover,
) -> Money {
    let before = value_of(offer, lines, resolution).fen;
    let fee = match handover {
        Handover::Pickup => offer.pickup.fee.fen,
        Handover::DropOff | Handover::SelfShip => 0,
    };
    Money::fen((before - fee).max(0))
}

fn value_of(offer: &ReturnEligibility, lines: &[ReturnLine], resolution: Resolution) -> Money {
    let goods: i64 = lines
        .iter()
        .filter_map(|chosen| {
            let item = offer.items.iter().find(|i| i.line == chosen.line)?;
            Some(item.unit_price.fen * i64::from(chosen.quantity))
        })
        .sum();
    match resolution {
        Resolution::Refund => Money::fen(goods),
        Resolution::StoreCredit => {
            Money::fen(goods + goods * i64::from(offer.store_credit_bonus_percent) / 100)
        }
        // A product's variants sell at one price: an exchange gives no money back.
        Resolution::Exchange => Money::fen(0),
    }
}

#[component]
fn ReturnForm(
    offer: ReturnEligibility,
    wanted: Option<u32>,
    created: Submit<ReturnDetail>,
) -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let lines = RwSignal::new(preselected(&offer.items, wanted));
    let reason = RwSignal::new(None::<ReturnReason>);
    let resolution = RwSignal::new(Resolution::Refund);
    // For an exchange, the variant wanted per line: the first one in stock until chosen.
    let wanted = RwSignal::new(
        offer
            .items
            .iter()
            .filter_map(|i| {
                let first = i.exchange_options.iter().find(|x| x.in_stock)?;
                Some((i.line, first.sku.clone()))
            })
            .collect::<Vec<_>>(),
    );
    // The earliest slot with room; pickup is the usual choice when it costs this customer nothing.
    let earliest = offer
        .pickup
        .slots
        .iter()
        .find(|slot| slot.remaining > 0)
        .map(|slot| slot.starts_at.clone());
    let handover = RwSignal::new(match (&earliest, offer.pickup.fee.fen) {
        (Some(_), 0) => Handover::Pickup,
        _ => Handover::DropOff,
    });
    let slot = RwSignal::new(earliest.clone());
    // Slots that filled up while the customer was deciding (the service said so).
    let taken = RwSignal::new(Vec::<UtcTime>::new());
    let can_pickup = earliest.is_some();
    let missing = RwSignal::new(None::<&'static str>);
    // A new key whenever what would be sent changes; the same one for a repeat of the same.
    let key = StoredValue::new(String::new());
    Effect::new(move |_| {
        lines.track();
        reason.track();
        resolution.track();
        wanted.track();
        handover.track();
        slot.track();
        key.set_value(idempotency_key());
    });
    let offer = StoredValue::new(offer);
    // A slot that filled up meanwhile: marked full, the next free one chosen, nothing else touched.
    Effect::new(move |_| {
        let Some(Err(error)) = created.value() else {
            return;
        };
        if error.code() == Some(ErrorCode::PickupSlotFull) {
            offer.with_value(|o| slot_was_full(&o.pickup.slots, slot, taken));
        }
    });
    let any_open = offer.with_value(|o| o.items.iter().any(|i| i.returnable_quantity > 0));

    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let locale = i18n.get();
        let chosen = lines.get_untracked();
        let Some(why) = reason.get_untracked() else {
            missing.set(Some(td_string!(locale, returns.need_reason)));
            return;
        };
        if chosen.is_empty() {
            missing.set(Some(td_string!(locale, returns.need_item)));
            return;
        }
        let mut chosen = chosen;
        if resolution.get_untracked() == Resolution::Exchange {
            let picks = wanted.get_untracked();
            for line in &mut chosen {
                line.exchange_for = picks
                    .iter()
                    .find(|(l, _)| *l == line.line)
                    .map(|(_, sku)| sku.clone());
            }
            if chosen.iter().any(|line| line.exchange_for.is_none()) {
                missing.set(Some(td_string!(locale, returns.need_variant)));
                return;
            }
        }
        missing.set(None);
        let asked = NewReturn {
            order: offer.with_value(|o| o.order.clone()),
            lines: chosen,
            reason: why,
            resolution: resolution.get_untracked(),
            handover: handover.get_untracked(),
            pickup_slot: match handover.get_untracked() {
                Handover::Pickup => slot.get_untracked(),
                Handover::DropOff | Handover::SelfShip => None,
            },
        };
        created.post(
            services.orders(paths::RETURNS).once(&key.get_value()),
            &asked,
        );
    };

    move || {
        let locale = i18n.get();
        if !any_open {
            return view! {
                <h1>{td_string!(locale, returns.title)}</h1>
                <div class="notice notice-info"><p>{td_string!(locale, returns.nothing_open)}</p></div>
                {offer.with_value(|o| item_list(locale, o, lines))}
            }
            .into_any();
        }
        let percent = offer.with_value(|o| o.store_credit_bonus_percent);
        // Exchange is offered when some item has another size or colour in stock.
        let exchangeable = offer.with_value(|o| {
            o.items
                .iter()
                .any(|i| i.returnable_quantity > 0 && i.exchange_options.iter().any(|x| x.in_stock))
        });
        let resolutions: &[Resolution] = if exchangeable {
            &[
                Resolution::Refund,
                Resolution::StoreCredit,
                Resolution::Exchange,
            ]
        } else {
            &[Resolution::Refund, Resolution::StoreCredit]
        };
        view! {
            <h1>{td_string!(locale, returns.title)}</h1>
            <p class="lead">{td!(locale, returns.lead, number = offer.with_value(|o| o.order.to_string()))}</p>
            <form class="return-form" on:submit=confirm novalidate>
                <fieldset>
                    <legend>{td_string!(locale, returns.items)}</legend>
                    {offer.with_value(|o| item_list(locale, o, lines))}
                </fieldset>
                <fieldset class="chips" data-testid="reasons">
                    <legend>{td_string!(locale, returns.reason)}</legend>
                    {offer.with_value(|o| o.reasons.clone()).into_iter().map(|option| view! {
                        <label class="chip">
                            <input type="radio" name="reason" value=option.as_str()
                                prop:checked=move || reason.get() == Some(option)
                                on:change=move |_| { reason.set(Some(option)); missing.set(None); }/>
                            <span>{labels::return_reason(locale, option)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset class="choices">
                    <legend>{td_string!(locale, returns.resolution)}</legend>
                    {resolutions.iter().copied().map(|option| view! {
                        <label class="choice">
                            <input type="radio" name="resolution" value=option.as_str()
                                prop:checked=move || resolution.get() == option
                                on:change=move |_| resolution.set(option)/>
                            <span>{labels::resolution(locale, option, percent)}</span>
                        </label>
                    }).collect_view()}
                    {move || (resolution.get() == Resolution::Exchange).then(|| offer.with_value(|o| variant_pickers(locale, o, lines, wanted)))}
                </fieldset>
                <fieldset class="choices">
                    <legend>{td_string!(locale, returns.handover)}</legend>
                    {[Handover::Pickup, Handover::DropOff, Handover::SelfShip].into_iter().map(|option| {
                        let note = (option == Handover::Pickup).then(|| pickup_note(locale, &offer, can_pickup));
                        view! {
                            <label class="choice">
                                <input type="radio" name="handover" value=option.as_str()
                                    disabled=option == Handover::Pickup && !can_pickup
                                    prop:checked=move || handover.get() == option
                                    on:change=move |_| handover.set(option)/>
                                <span>{labels::handover(locale, option)}</span>
                                {note.map(|note| view! { <span class="muted">{note}</span> })}
                            </label>
                        }
                    }).collect_view()}
                    {move || (handover.get() == Handover::Pickup).then(|| offer.with_value(|o| slot_picker(locale, &o.pickup.slots, slot, taken)))}
                </fieldset>
                <p class="return-total" data-testid="return-total">
                    <span>{move || match resolution.get() {
                        Resolution::Refund => td_string!(locale, returns.total_refund),
                        Resolution::StoreCredit => td_string!(locale, returns.total_credit),
                        Resolution::Exchange => td_string!(locale, returns.resolutions.exchange),
                    }}</span>
                    <strong>{move || offer.with_value(|o| format::money(expected_back(o, &lines.get(), resolution.get(), handover.get())))}</strong>
                </p>
                {move || missing.get().map(|why| view! { <p class="field-error" role="alert">{why}</p> })}
                {move || match created.value() {
                    Some(Err(error)) => Some(view! { <ErrorNotice error/> }),
                    _ => None,
                }}
                <button type="submit" class="button" disabled=move || created.pending()>
                    {move || if created.pending() {
                        td_string!(locale, returns.confirming)
                    } else {
                        td_string!(locale, returns.confirm)
                    }}
                </button>
            </form>
        }
        .into_any()
    }
}

/// What pickup costs this customer, said beside the choice before anything is confirmed.
fn pickup_note(locale: Locale, offer: &StoredValue<ReturnEligibility>, can_pickup: bool) -> String {
    let fee = offer.with_value(|o| o.pickup.fee);
    if !can_pickup {
        td_string!(locale, returns.no_slots).to_string()
    } else if fee.fen == 0 {
        td_string!(locale, returns.pickup_free).to_string()
    } else {
        td_string!(locale, returns.pickup_fee).replace("[fee]", &format::money(fee))
    }
}

/// For an exchange: what each chosen item comes back as (a variant sold out is shown, not offered).
fn variant_pickers(
    locale: Locale,
    offer: &ReturnEligibility,
    lines: RwSignal<Vec<ReturnLine>>,
    wanted: RwSignal<Vec<(u32, String)>>,
) -> impl IntoView + use<> {
    let sold_out = td_string!(locale, returns.sold_out);
    let chosen = lines.get();
    offer
        .items
        .iter()
        .filter(|i| chosen.iter().any(|c| c.line == i.line) && !i.exchange_options.is_empty())
        .map(|item| {
            let line = item.line;
            let id = format!("exchange-{line}");
            let options = item
                .exchange_options
                .iter()
                .map(|x| {
                    let variant = crate::locale::pick(locale, &x.variant);
                    let label = if x.in_stock { variant.to_string() } else { format!("{variant} ({sold_out})") };
                    view! { <option value=x.sku.clone() disabled=!x.in_stock>{label}</option> }
                })
                .collect_view();
            view! {
                <label for=id.clone() class="slot-label">{td!(locale, returns.exchange_for, item = crate::locale::pick(locale, &item.name).to_string())}</label>
                <select id=id class="slot-select"
                    prop:value=move || wanted.with(|w| w.iter().find(|(l, _)| *l == line).map(|(_, s)| s.clone()).unwrap_or_default())
                    on:change=move |ev| {
                        let sku = event_target_value(&ev);
                        wanted.update(|w| {
                            w.retain(|(l, _)| *l != line);
                            w.push((line, sku));
                        });
                    }>
                    {options}
                </select>
            }
        })
        .collect_view()
}

/// Every line of the order: a box to tick (and how many) where it can go back, why not where not.
fn item_list(
    locale: Locale,
    offer: &ReturnEligibility,
    lines: RwSignal<Vec<ReturnLine>>,
) -> impl IntoView + use<> {
    let rows = offer.items.iter().map(|item| {
        let line = item.line;
        let most = item.returnable_quantity;
        let id = format!("return-line-{line}");
        let chosen = move || lines.with(|l| l.iter().find(|c| c.line == line).map(|c| c.quantity));
        let set = move |quantity: Option<u32>| {
            lines.update(|l| {
                l.retain(|c| c.line != line);
                if let Some(quantity) = quantity {
                    l.push(ReturnLine {
                        line,
                        quantity,
                        exchange_for: None,
                    });
                    l.sort_by_key(|c| c.line);
                }
            })
        };
        let why = item
            .not_returnable
            .map(|why| labels::not_returnable(locale, why, item.return_by.as_ref()));
        let by = item.return_by.as_ref().filter(|_| most > 0).map(|at| format::date(locale, at));
        view! {
            <li class="return-item" class:muted=most == 0>
                <input type="checkbox" id=id.clone() disabled=most == 0
                    prop:checked=move || chosen().is_some()
                    on:change=move |ev| set(event_target_checked(&ev).then_some(most))/>
                <label for=id>
                    <span class="item-name">{crate::locale::pick(locale, &item.name).to_string()}</span>
                    <span class="muted">{crate::locale::pick(locale, &item.variant).to_string()}</span>
                    <span class="muted">{format::money(item.unit_price)}</span>
                    {by.map(|date| view! { <span class="muted">{td!(locale, returns.return_by, date = date)}</span> })}
                    {why.map(|why| view! { <span class="tag">{why}</span> })}
                </label>
                {(most > 1).then(|| view! {
                    <select aria-label=td_string!(locale, returns.how_many)
                        prop:value=move || chosen().unwrap_or(most).to_string()
                        on:change=move |ev| set(event_target_value(&ev).parse().ok())>
                        {(1..=most).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    </select>
                })}
            </li>
        }
    });
    view! { <ul class="return-items">{rows.collect_view()}</ul> }
}

/// The return, started: its number, where it stands, what comes back and what to do next.
#[component]
fn Started(done: ReturnDetail) -> impl IntoView {
    let i18n = use_locale();
    let order = done.order.to_string();
    let number = done.number.clone();
    view! {
        <div class="notice notice-success" role="status" data-testid="return-started">
            <h1>{move || td!(i18n.get(), returns.started, number = number.clone())}</h1>
            <p>{move || labels::return_status(i18n.get(), done.status)}</p>
        </div>
        <ReturnFacts detail=done.clone()/>
        <p class="form-links">
            <a class="button button-secondary" href=format!("/returns/{}", done.number)>{move || td_string!(i18n.get(), returns.follow)}</a>
            <a href=format!("/orders/{order}")>{move || td_string!(i18n.get(), returns.back)}</a>
        </p>
    }
}
