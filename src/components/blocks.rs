//! A benefit page's blocks, drawn from the contract's typed tree: every text is a text node and
//! every link an `<a>` whose address the service checked (http(s) or this site) — nothing typed
//! by an editor ever reaches the page as HTML. The staff editor's preview is this, in a frame.

use crate::components::tiers::tier_grid;
use crate::locale::i18n::*;
use leptos::prelude::*;
use portico_api::{Block, Inline, RichBlock};

/// Provided while the page is the staff editor's preview (`crate::shell::previewing`): its links
/// open in a new tab, so the frame keeps showing the page (the router never takes a link with a
/// target).
#[derive(Clone, Copy)]
pub struct Previewing;

/// Where a link opens: here, or in a new tab in the preview.
fn target() -> Option<&'static str> {
    use_context::<Previewing>().map(|_| "_blank")
}

fn inline(part: &Inline) -> AnyView {
    let children = |parts: &[Inline]| parts.iter().map(inline).collect_view();
    match part {
        Inline::Text { text } => text.clone().into_any(),
        Inline::Emphasis { children: parts } => view! { <em>{children(parts)}</em> }.into_any(),
        Inline::Strong { children: parts } => {
            view! { <strong>{children(parts)}</strong> }.into_any()
        }
        // Another site's page opens without telling it where the reader came from.
        Inline::Link {
            href,
            children: parts,
        } if !href.starts_with('/') => view! {
            <a href=href.clone() target=target() rel="noopener noreferrer external">{children(parts)}</a>
        }
        .into_any(),
        Inline::Link {
            href,
            children: parts,
        } => view! { <a href=href.clone() target=target()>{children(parts)}</a> }.into_any(),
    }
}

fn inlines(parts: &[Inline]) -> impl IntoView + use<> {
    parts.iter().map(inline).collect_view()
}

/// Rich text: paragraphs, headings (levels 2–4) and lists.
pub fn rich_text(body: &[RichBlock]) -> impl IntoView + use<> {
    body.iter()
        .map(|block| match block {
            RichBlock::Paragraph { inlines: parts } => view! { <p>{inlines(parts)}</p> }.into_any(),
            RichBlock::Heading {
                level: 2,
                inlines: parts,
            } => view! { <h2>{inlines(parts)}</h2> }.into_any(),
            RichBlock::Heading {
                level: 3,
                inlines: parts,
            } => view! { <h3>{inlines(parts)}</h3> }.into_any(),
            RichBlock::Heading { inlines: parts, .. } => {
                view! { <h4>{inlines(parts)}</h4> }.into_any()
            }
            RichBlock::List { ordered, items } => {
                let items = items
                    .iter()
                    .map(|item| view! { <li>{inlines(item)}</li> })
                    .collect_view();
                if *ordered {
                    view! { <ol>{items}</ol> }.into_any()
                } else {
                    view! { <ul>{items}</ul> }.into_any()
                }
            }
        })
        .collect_view()
}

/// Every block of a page, in order; `own` is the reader's tier (marked in a tier comparison).
pub fn blocks(locale: Locale, blocks: &[Block], own: Option<&str>) -> impl IntoView + use<> {
    blocks
        .iter()
        .map(|block| match block {
            Block::Hero { title, subtitle } => view! {
                <div class="banner" data-block="hero">
                    <p class="banner-title">{title.clone()}</p>
                    {subtitle.clone().map(|s| view! { <p class="banner-subtitle">{s}</p> })}
                </div>
            }
            .into_any(),
            Block::RichText { body } => {
                view! { <div class="rich-text" data-block="rich_text">{rich_text(body)}</div> }.into_any()
            }
            Block::BenefitGrid { items } => view! {
                <ul class="benefit-grid" data-block="benefit_grid">
                    {items.iter().map(|card| view! {
                        <li class="panel"><h3>{card.title.clone()}</h3><p>{card.text.clone()}</p></li>
                    }).collect_view()}
                </ul>
            }
            .into_any(),
            Block::TierComparison { tiers } => view! {
                <section data-block="tier_comparison">
                    <h2>{td_string!(locale, member.compare)}</h2>
                    {tier_grid(locale, tiers, own)}
                </section>
            }
            .into_any(),
            Block::Faq { items } => view! {
                <section class="faq" data-block="faq">
                    <h2>{td_string!(locale, benefits.faq)}</h2>
                    {items.iter().map(|item| view! {
                        <details>
                            <summary>{item.question.clone()}</summary>
                            {rich_text(&item.answer)}
                        </details>
                    }).collect_view()}
                </section>
            }
            .into_any(),
            Block::CallToAction { label, href } => view! {
                <p class="cta" data-block="call_to_action">
                    <a class="button" href=href.clone() target=target()>{label.clone()}</a>
                </p>
            }
            .into_any(),
        })
        .collect_view()
}
