//! `/orders?page=N`: the signed-in customer's orders, newest first.

use crate::api::{self, Services};
use crate::components::feedback::{EmptyState, ErrorNotice, Skeleton};
use crate::components::labels;
use crate::format;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use portico_api::{paths, OrderPage, OrderSummary};

const PER_PAGE: u32 = 10;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_i18n();
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
    let orders = LocalResource::new(move || {
        let url = format!(
            "{}?page={}&per_page={PER_PAGE}",
            services.orders(paths::ORDERS),
            page.get()
        );
        async move { api::get::<OrderPage>(&url).await }
    });

    view! {
        <section class="page">
            <h1>{t!(i18n, orders.title)}</h1>
            {move || match orders.get() {
                    None => view! { <Skeleton blocks=4/> }.into_any(),
                    Some(loaded) => match loaded {
                        Ok(list) if list.orders.is_empty() => view! {
                            <EmptyState
                                title=t_string!(i18n, orders.empty_title).to_string()
                                body=t_string!(i18n, orders.empty_body).to_string()
                            />
                        }.into_any(),
                        Ok(list) => view! { <OrderList list/> }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice error retry=Callback::new(move |_| orders.refetch())/>
                        }.into_any(),
                    },
                }}
        </section>
    }
}

#[component]
fn OrderList(list: OrderPage) -> impl IntoView {
    let i18n = use_i18n();
    let pages = list.page_count();
    let page = list.page;
    view! {
        <ul class="order-list">
            {list.orders.into_iter().map(|order| view! { <OrderRow order/> }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=move || t_string!(i18n, orders.pages)>
                {(page > 1).then(|| view! {
                    <A href=format!("/orders?page={}", page - 1) attr:rel="prev">{t!(i18n, orders.previous)}</A>
                })}
                <span aria-current="page">{t!(i18n, orders.page_of, page, pages)}</span>
                {(page < pages).then(|| view! {
                    <A href=format!("/orders?page={}", page + 1) attr:rel="next">{t!(i18n, orders.next)}</A>
                })}
            </nav>
        })}
    }
}

#[component]
fn OrderRow(order: OrderSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/orders/{}", order.number);
    let placed_at = order.placed_at.clone();
    let status = order.status;
    let item_count = order.item_count;
    view! {
        <li class="order-row">
            <A href=href attr:class="order-link">
                <span class="order-headline">{order.headline.clone()}</span>
                <span class="order-number mono">{order.number.to_string()}</span>
                <span class="order-meta muted">
                    {t!(i18n, orders.placed_on, date = move || format::date(i18n.get_locale(), &placed_at))}
                    " · "
                    {t!(i18n, orders.item_count, count = item_count)}
                </span>
                <span class="order-total">{format::money(order.total)}</span>
                {match status {
                    Some(status) => view! {
                        <span class=format!("status-badge status-{}", status.as_str())>
                            {move || labels::status(i18n, status)}
                        </span>
                    }.into_any(),
                    None => view! {
                        <span class="status-badge">{t!(i18n, orders.not_shipped)}</span>
                    }.into_any(),
                }}
            </A>
        </li>
    }
}
