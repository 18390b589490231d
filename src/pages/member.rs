//! `/member`: the signed-in customer's membership — their tier, the spend that counts and what is
//! still pending, the next tier in money and in words, what keeps the tier when its year is nearly
//! up, their benefits, every tier side by side, and how they got here. Worded as what is prepared
//! for the customer, never as what they lack.

use crate::components::page_state::{ErrorNotice, Skeleton};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{paths, Benefit, LoyaltyStatus, Tier, TierChangeKind};
use portico_client::Remote;

/// The route: a wasm chunk of its own, fetched at the same time as the customer's standing.
pub struct MemberRoute {
    status: Remote<LoyaltyStatus>,
}

#[lazy_route]
impl LazyRoute for MemberRoute {
    fn data() -> Self {
        let services = Services::current();
        Self {
            status: Remote::new(move || services.loyalty(paths::LOYALTY)),
        }
    }

    fn view(this: Self) -> AnyView {
        let status = this.status;
        let i18n = use_locale();
        view! {
            <section class="page member">
                <h1>{move || td_string!(i18n.get(), member.title)}</h1>
                {move || match status.get() {
                    None => view! { <Skeleton blocks=4/> }.into_any(),
                    Some(Ok(standing)) => member_view(i18n.get(), &standing).into_any(),
                    Some(Err(error)) => view! {
                        <ErrorNotice error retry=Callback::new(move |_| status.refetch())/>
                    }
                    .into_any(),
                }}
            </section>
        }
        .into_any()
    }
}

/// A tier's name in `locale` (the deployment writes them), or its code if it is not listed.
fn tier_name(locale: Locale, tiers: &[Tier], code: &str) -> String {
    tiers
        .iter()
        .find(|tier| tier.code == code)
        .map(|tier| match locale {
            Locale::zh_CN => tier.name.zh_cn.clone(),
            Locale::en => tier.name.en.clone(),
        })
        .unwrap_or_else(|| code.to_string())
}

/// One benefit in words, with its parameter.
fn benefit(locale: Locale, benefit: &Benefit) -> String {
    match benefit {
        Benefit::ReturnWindow { days } => {
            td_string!(locale, member.benefits.return_window).replace("[days]", &days.to_string())
        }
        Benefit::FreePickup => td_string!(locale, member.benefits.free_pickup).to_string(),
        Benefit::PriorityLine => td_string!(locale, member.benefits.priority_line).to_string(),
        Benefit::BirthdayGift { value } => td_string!(locale, member.benefits.birthday_gift)
            .replace("[value]", &format::money(*value)),
        Benefit::ExtendedWarranty { months } => {
            td_string!(locale, member.benefits.extended_warranty)
                .replace("[months]", &months.to_string())
        }
        Benefit::DedicatedAdvisor => {
            td_string!(locale, member.benefits.dedicated_advisor).to_string()
        }
    }
}

/// A sentence with `[amount]`, `[date]` and `[tier]` filled in.
fn fill(
    sentence: &str,
    amount: portico_api::Money,
    date: &portico_api::UtcTime,
    tier: &str,
    locale: Locale,
) -> String {
    sentence
        .replace("[amount]", &format::money(amount))
        .replace("[date]", &format::date(locale, date))
        .replace("[tier]", tier)
}

fn member_view(locale: Locale, standing: &LoyaltyStatus) -> impl IntoView + use<> {
    let tiers = &standing.tiers;
    let name = |code: &str| tier_name(locale, tiers, code);
    let current = tiers.iter().find(|tier| tier.code == standing.tier);
    let own_benefits = current
        .map(|tier| tier.benefits.clone())
        .unwrap_or_default();
    let progress = match &standing.next {
        Some(next) => {
            let goal = tiers
                .iter()
                .find(|tier| tier.code == next.tier)
                .map_or(0, |tier| tier.reach.fen);
            let label =
                td_string!(locale, member.progress_label).replace("[tier]", &name(&next.tier));
            view! {
                <p data-testid="next-tier">{fill(td_string!(locale, member.to_next), next.needed, &next.by, &name(&next.tier), locale)}</p>
                <progress max=goal.max(1).to_string() value=(goal - next.needed.fen).max(0).to_string() aria-label=label></progress>
            }
            .into_any()
        }
        None => {
            view! { <p data-testid="next-tier">{td_string!(locale, member.top)}</p> }.into_any()
        }
    };
    view! {
        <div class="panel tier-card" data-testid="tier-card">
            <p class="muted">{td_string!(locale, member.your_tier)}</p>
            <p class="tier-name">{name(&standing.tier)}</p>
            <p>{td_string!(locale, member.qualifying).replace("[amount]", &format::money(standing.qualifying_spend))}</p>
            {progress}
            {(standing.pending_spend.fen > 0).then(|| view! {
                <p class="muted" data-testid="pending">{td_string!(locale, member.pending).replace("[amount]", &format::money(standing.pending_spend))}</p>
            })}
            <p class="muted">{td_string!(locale, member.evaluation).replace("[date]", &format::date(locale, &standing.next_evaluation))}</p>
        </div>
        {standing.keep.as_ref().map(|keep| view! {
            <div class="notice notice-warn" role="status" data-testid="keep-tier">
                <p>{fill(td_string!(locale, member.keep), keep.needed, &keep.by, &name(&standing.tier), locale)}</p>
            </div>
        })}
        <section class="panel">
            <h2>{td_string!(locale, member.your_benefits)}</h2>
            <ul class="benefit-list" data-testid="own-benefits">
                {own_benefits.iter().map(|b| view! { <li>{benefit(locale, b)}</li> }).collect_view()}
            </ul>
        </section>
        <section>
            <h2>{td_string!(locale, member.compare)}</h2>
            <ul class="tier-grid" data-testid="tiers">
                {tiers.iter().map(|tier| {
                    let own = tier.code == standing.tier;
                    view! {
                        <li class="panel" class:tier-own=own aria-current=own.then_some("true")>
                            <h3>{name(&tier.code)}</h3>
                            {own.then(|| view! { <span class="tag tag-own">{td_string!(locale, member.your_tier)}</span> })}
                            <p class="muted">{if tier.reach.fen == 0 {
                                td_string!(locale, member.entry).to_string()
                            } else {
                                td_string!(locale, member.reach).replace("[amount]", &format::money(tier.reach))
                            }}</p>
                            <ul class="benefit-list">
                                {tier.benefits.iter().map(|b| view! { <li>{benefit(locale, b)}</li> }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="panel">
            <h2>{td_string!(locale, member.history)}</h2>
            <ol class="tier-history" data-testid="history">
                {standing.history.iter().map(|step| {
                    let what = match step.kind {
                        TierChangeKind::Joined => td_string!(locale, member.joined),
                        TierChangeKind::Upgraded => td_string!(locale, member.upgraded),
                        TierChangeKind::Downgraded => td_string!(locale, member.downgraded),
                    };
                    view! {
                        <li>
                            <span>{what.replace("[tier]", &name(&step.tier))}</span>
                            <span class="muted">{format::date(locale, &step.at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
