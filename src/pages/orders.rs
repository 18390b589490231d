//! `/orders?page=N`: the signed-in customer's orders, newest first.

use crate::components::labels;
use crate::components::page_state::{EmptyState, ErrorNotice, Skeleton};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::{text, use_locale};
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use portico_api::{paths, OrderPage, OrderSummary};
use portico_client::Remote;

const PER_PAGE: u32 = 10;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    });
    let orders = Remote::<OrderPage>::new(move || {
        services.orders(&format!(
            "{}?page={}&per_page={PER_PAGE}",
            paths::ORDERS,
            page.get()
        ))
    });

    view! {
        <section class="page">
            <h1>{text(|l| td_string!(l, orders.title))}</h1>
            {move || match orders.get() {
                None => view! { <Skeleton blocks=4/> }.into_any(),
                Some(Ok(list)) if list.orders.is_empty() => {
                    let locale = i18n.get();
                    view! {
                        <EmptyState
                            title=td_string!(locale, orders.empty_title).to_string()
                            body=td_string!(locale, orders.empty_body).to_string()
                        />
                    }.into_any()
                }
                Some(Ok(list)) => order_list(i18n.get(), list).into_any(),
                Some(Err(error)) => view! {
                    <ErrorNotice error retry=Callback::new(move |_| orders.refetch())/>
                }.into_any(),
            }}
        </section>
    }
}

fn order_list(locale: Locale, list: OrderPage) -> impl IntoView {
    let pages = list.page_count();
    let page = list.page;
    view! {
        <ul class="order-list">
            {list.orders.into_iter().map(|order| order_row(locale, order)).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=td_string!(locale, orders.pages)>
                {(page > 1).then(|| view! {
                    <a href=format!("/orders?page={}", page - 1) rel="prev">{td_string!(locale, orders.previous)}</a>
                })}
                <span aria-current="page">{td!(locale, orders.page_of, page, pages)}</span>
                {(page < pages).then(|| view! {
                    <a href=format!("/orders?page={}", page + 1) rel="next">{td_string!(locale, orders.next)}</a>
                })}
            </nav>
        })}
    }
}

fn order_row(locale: Locale, order: OrderSummary) -> impl IntoView {
    let (class, status) = match order.status {
        Some(status) => (
            format!("status-badge status-{}", status.as_str()),
            labels::status(locale, status),
        ),
        None => (
            "status-badge".to_string(),
            td_string!(locale, orders.not_shipped).to_string(),
        ),
    };
    view! {
        <li class="order-row">
            <a href=format!("/orders/{}", order.number) class="order-link">
                <span class="order-headline">{crate::locale::pick(locale, &order.headline).to_string()}</span>
                <span class="order-number mono">{order.number.to_string()}</span>
                <span class="order-meta muted">
                    {td!(locale, orders.placed_on, date = format::date(locale, &order.placed_at))}
                    " · "
                    {td!(locale, orders.item_count, count = order.item_count)}
                </span>
                <span class="order-total">{format::money(order.total)}</span>
                <span class=class>{status}</span>
            </a>
        </li>
    }
}
