//! Tiers as customers read them: a tier's name in their language, a benefit in words, and every
//! tier side by side with the customer's own marked (the member page and a page's comparison).

use crate::format;
use crate::locale::i18n::*;
use leptos::prelude::*;
use portico_api::{Benefit, Tier};

/// A tier's name in `locale` (the deployment writes them), or its code if it is not listed.
pub fn tier_name(locale: Locale, tiers: &[Tier], code: &str) -> String {
    tiers
        .iter()
        .find(|tier| tier.code == code)
        .map(|tier| crate::locale::pick(locale, &tier.name).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// One benefit in words, with its parameter.
pub fn benefit(locale: Locale, benefit: &Benefit) -> String {
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

/// A list of benefits in words.
pub fn benefit_list(locale: Locale, benefits: &[Benefit]) -> impl IntoView + use<> {
    view! {
        <ul class="benefit-list">
            {benefits.iter().map(|b| view! { <li>{benefit(locale, b)}</li> }).collect_view()}
        </ul>
    }
}

/// Every tier, lowest first: what reaches it and what it brings; `own` (the reader's tier, if
/// known) marked.
pub fn tier_grid(locale: Locale, tiers: &[Tier], own: Option<&str>) -> impl IntoView + use<> {
    view! {
        <ul class="tier-grid" data-testid="tiers">
            {tiers.iter().map(|tier| {
                let mine = own == Some(tier.code.as_str());
                view! {
                    <li class="panel" class:tier-own=mine aria-current=mine.then_some("true")>
                        <h3>{tier_name(locale, tiers, &tier.code)}</h3>
                        {mine.then(|| view! { <span class="tag">{td_string!(locale, member.your_tier)}</span> })}
                        <p class="muted">{if tier.reach.fen == 0 {
                            td_string!(locale, member.entry).to_string()
                        } else {
                            td_string!(locale, member.reach).replace("[amount]", &format::money(tier.reach))
                        }}</p>
                        {benefit_list(locale, &tier.benefits)}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
