//! `/returns`: the signed-in customer's returns, newest first, each with where it stands.

use crate::components::labels;
use crate::components::page_state::{EmptyState, ErrorNotice, Skeleton};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{paths, ReturnDetail};
use portico_client::Remote;

/// The route: a wasm chunk of its own, fetched at the same time as the list.
pub struct MyReturnsRoute {
    returns: Remote<Vec<ReturnDetail>>,
}

#[lazy_route]
impl LazyRoute for MyReturnsRoute {
    fn data() -> Self {
        let services = Services::current();
        Self {
            returns: Remote::new(move || services.orders(paths::RETURNS)),
        }
    }

    fn view(this: Self) -> AnyView {
        let returns = this.returns;
        let i18n = use_locale();
        view! {
            <section class="page">
                <h1>{move || td_string!(i18n.get(), returns.list_title)}</h1>
                {move || match returns.get() {
                    None => view! { <Skeleton blocks=3/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        let locale = i18n.get();
                        view! {
                            <EmptyState
                                title=td_string!(locale, returns.list_title).to_string()
                                body=td_string!(locale, returns.list_empty).to_string()
                            />
                        }.into_any()
                    }
                    Some(Ok(list)) => {
                        let locale = i18n.get();
                        view! {
                            <ul class="return-list">
                                {list.into_iter().map(|r| view! {
                                    <li class="panel">
                                        <a href=format!("/returns/{}", r.number) class="item-name">
                                            {td!(locale, returns.detail_title, number = r.number.clone())}
                                        </a>
                                        <span class="muted">{td!(locale, returns.for_order, number = r.order.to_string())}</span>
                                        <span>{labels::return_status(locale, r.status)}</span>
                                        <span class="muted">{format::date(locale, &r.created_at)} " · " {format::money(r.refund)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Some(Err(error)) => view! {
                        <ErrorNotice error retry=Callback::new(move |_| returns.refetch())/>
                    }.into_any(),
                }}
            </section>
        }
        .into_any()
    }
}
