//! `/member`: the signed-in customer's membership — their tier, the spend that counts and what is
//! still pending, the next tier in money and in words, what keeps the tier when its year is nearly
//! up, their benefits, every tier side by side, and how they got here. Worded as what is prepared
//! for the customer, never as what they lack.

use crate::components::page_state::{ErrorNotice, Skeleton};
use crate::components::tiers::{benefit_list, tier_grid, tier_name};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};
use portico_api::{paths, KeepTier, LoyaltyStatus, TierChangeKind};
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
            // Beside what keeps the tier, the pending spend is told there, split by its date.
            {(standing.pending_spend.fen > 0 && standing.keep.is_none()).then(|| view! {
                <p class="muted" data-testid="pending">{td_string!(locale, member.pending).replace("[amount]", &format::money(standing.pending_spend))}</p>
            })}
            <p class="muted">{td_string!(locale, member.evaluation).replace("[date]", &format::date(locale, &standing.next_evaluation))}</p>
        </div>
        {standing.keep.as_ref().map(|keep| keep_view(locale, keep, &name(&standing.tier)))}
        <section class="panel" data-testid="own-benefits">
            <h2>{td_string!(locale, member.your_benefits)}</h2>
            {benefit_list(locale, &own_benefits)}
            <p><a href="/benefits">{td_string!(locale, member.see_benefits)}</a></p>
        </section>
        <section>
            <h2>{td_string!(locale, member.compare)}</h2>
            {tier_grid(locale, tiers, Some(&standing.tier))}
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

/// What keeps the tier at its evaluation: the threshold, what has counted, what pending counts in
/// time, what is still to count by then, and the pending that counts only after it.
fn keep_view(locale: Locale, keep: &KeepTier, tier: &str) -> impl IntoView + use<> {
    let money = |amount: portico_api::Money| format::money(amount);
    let by = |sentence: &str| sentence.replace("[date]", &format::date(locale, &keep.by));
    view! {
        <div class="notice notice-warn" role="status" data-testid="keep-tier">
            <p>{fill(td_string!(locale, member.keep), keep.threshold, &keep.by, tier, locale)}</p>
            <dl class="amounts">
                <div><dt>{td_string!(locale, member.keep_counted)}</dt><dd>{money(keep.counted)}</dd></div>
                {(keep.pending_in_time.fen > 0).then(|| view! {
                    <div><dt>{by(td_string!(locale, member.keep_in_time))}</dt><dd>{money(keep.pending_in_time)}</dd></div>
                })}
                <div class="total"><dt>{by(td_string!(locale, member.keep_needed))}</dt><dd>{money(keep.needed)}</dd></div>
            </dl>
            {(keep.pending_after.fen > 0).then(|| view! {
                <p data-testid="keep-after">{fill(td_string!(locale, member.keep_after), keep.pending_after, &keep.by, tier, locale)}</p>
            })}
        </div>
    }
}
