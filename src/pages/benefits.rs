//! `/benefits`: the benefit pages this reader may read (their tier's first), and
//! `/benefits/:slug`: one page, drawn block by block in the reader's language.

use crate::components::blocks::{blocks, Previewing};
use crate::components::page_state::{EmptyState, ErrorNotice, Skeleton};
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{paths, Audience, BenefitPage, ErrorCode, PageSummary};
use portico_client::{ApiError, Remote};

/// The contract's name for a language the portal speaks.
fn page_locale(locale: Locale) -> &'static str {
    crate::locale::language(locale).as_str()
}

/// The list: a wasm chunk of its own, fetched with the list (again when the language changes).
pub struct BenefitsRoute {
    pages: Remote<Vec<PageSummary>>,
}

#[lazy_route]
impl LazyRoute for BenefitsRoute {
    fn data() -> Self {
        let services = Services::current();
        let i18n = use_locale();
        let session = use_session();
        Self {
            pages: Remote::new(move || {
                // Who is signed in decides which tier's page is listed.
                session.customer_name();
                services.loyalty(&format!(
                    "{}?locale={}",
                    paths::PAGES,
                    page_locale(i18n.get())
                ))
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        let pages = this.pages;
        let i18n = use_locale();
        view! {
            <section class="page">
                <h1>{move || td_string!(i18n.get(), benefits.title)}</h1>
                {move || match pages.get() {
                    None => view! { <Skeleton blocks=2/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        let locale = i18n.get();
                        view! {
                            <EmptyState
                                title=td_string!(locale, benefits.title).to_string()
                                body=td_string!(locale, benefits.empty).to_string()
                            />
                        }.into_any()
                    }
                    Some(Ok(list)) => {
                        let locale = i18n.get();
                        view! {
                            <ul class="return-list" data-testid="benefit-pages">
                                {list.into_iter().map(|page| view! {
                                    <li class="panel">
                                        <a class="item-name" href=format!("/benefits/{}", page.slug)>{page.title}</a>
                                        {matches!(page.audience, Audience::Tier { .. }).then(|| view! {
                                            <span class="muted">{td_string!(locale, benefits.for_you)}</span>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Some(Err(error)) => view! {
                        <ErrorNotice error retry=Callback::new(move |_| pages.refetch())/>
                    }.into_any(),
                }}
            </section>
        }
        .into_any()
    }
}

/// One page: a wasm chunk of its own, fetched with the page (again when the language changes).
pub struct BenefitPageRoute {
    page: Remote<BenefitPage>,
}

#[lazy_route]
impl LazyRoute for BenefitPageRoute {
    fn data() -> Self {
        let services = Services::current();
        let i18n = use_locale();
        let params = use_params_map();
        // The staff editor's preview frames this page with `?preview=` (a tier, or a guest):
        // the service answers the draft to staff only.
        let preview = use_query_map().get_untracked().get("preview");
        Self {
            page: Remote::new(move || {
                let slug = params.read().get("slug").unwrap_or_default();
                let preview = preview
                    .as_ref()
                    .map(|reader| format!("&preview={reader}"))
                    .unwrap_or_default();
                services.loyalty(&format!(
                    "{}?locale={}{preview}",
                    paths::benefit_page(&slug),
                    page_locale(i18n.get())
                ))
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        let page = this.page;
        let i18n = use_locale();
        view! {
            <article class="page benefit-page">
                {use_context::<Previewing>().is_none().then(|| view! {
                    <p class="back"><a href="/benefits">{move || td_string!(i18n.get(), benefits.all)}</a></p>
                })}
                {move || match page.get() {
                    None => view! { <Skeleton blocks=4/> }.into_any(),
                    Some(Ok(page)) => {
                        let own = match &page.audience {
                            Audience::Tier { tier } => Some(tier.clone()),
                            Audience::Everyone => None,
                        };
                        view! {
                            <h1>{page.title.clone()}</h1>
                            {blocks(i18n.get(), &page.blocks, own.as_deref())}
                        }.into_any()
                    }
                    Some(Err(ApiError::Problem(p))) if p.code == ErrorCode::NotFound => view! {
                        <h1>{td_string!(i18n.get(), benefits.title)}</h1>
                        <div class="notice notice-info" role="alert"><p>{td_string!(i18n.get(), benefits.not_found)}</p></div>
                    }.into_any(),
                    Some(Err(error)) => view! {
                        <ErrorNotice error retry=Callback::new(move |_| page.refetch())/>
                    }.into_any(),
                }}
            </article>
        }
        .into_any()
    }
}
