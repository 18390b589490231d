//! Loyalty: the tiers a deployment defines (names, thresholds, benefits) and where a customer
//! stands: their tier, the spend that counts, what the next tier takes and by when, and what keeps
//! the tier when the next evaluation comes.

use crate::{Localized, Money, UtcTime};
use serde::{Deserialize, Serialize};

/// What a tier brings, with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Benefit {
    /// Days from delivery to start a return.
    ReturnWindow { days: u32 },
    /// Doorstep pickup of a return costs nothing.
    FreePickup,
    /// A service line of its own.
    PriorityLine,
    /// A gift in the birthday month, worth `value`.
    BirthdayGift { value: Money },
    /// The maker's warranty, longer by `months`.
    ExtendedWarranty { months: u32 },
    /// One advisor who knows the customer.
    DedicatedAdvisor,
}

/// One tier, as the deployment defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tier {
    /// `regular`, `gold`, ...: the deployment's own codes; names come with them, per language.
    pub code: String,
    pub name: Localized,
    /// Qualifying spend over the last 12 months that reaches this tier (0 for the first tier).
    pub reach: Money,
    /// Qualifying spend that keeps this tier at an evaluation (0 for the first tier).
    pub keep: Money,
    pub benefits: Vec<Benefit>,
}

/// How a customer came to a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierChangeKind {
    Joined,
    Upgraded,
    Downgraded,
}

impl TierChangeKind {
    pub const ALL: [TierChangeKind; 3] = [Self::Joined, Self::Upgraded, Self::Downgraded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Joined => "joined",
            Self::Upgraded => "upgraded",
            Self::Downgraded => "downgraded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }
}

/// One step of a customer's tier history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierChange {
    pub tier: String,
    pub kind: TierChangeKind,
    pub at: UtcTime,
}

/// The next tier up, and what reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextTier {
    pub tier: String,
    /// Spend still needed, counting only what will still be inside the 12 months on `by`.
    pub needed: Money,
    /// The next evaluation: spend made by then (and past its return window) counts there.
    pub by: UtcTime,
}

/// Said when the next evaluation is 30 days away or less and the spend that will count then is
/// below what keeps the tier. `threshold` = `counted` + `pending_in_time` + `needed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeepTier {
    /// What still has to count by `by` to keep the tier.
    pub needed: Money,
    /// The evaluation: what counts by then decides.
    pub by: UtcTime,
    /// Counted spend that keeps the tier at an evaluation (the tier's `keep`).
    pub threshold: Money,
    /// Counted now, and still inside the 12 months on `by`.
    pub counted: Money,
    /// Pending now, and counted by `by`: its return window closes before (unless it comes back).
    pub pending_in_time: Money,
    /// Pending now, but counted only after `by` (its window closes later, or its parcel is on its
    /// way): it counts towards the following year.
    pub pending_after: Money,
}

/// `GET /api/loyalty/me`: where the signed-in customer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoyaltyStatus {
    pub tier: String,
    /// Spend over the last 12 months that counts: orders past their return window, less what
    /// was refunded.
    pub qualifying_spend: Money,
    /// Spend on orders still inside their return window: shown, counted once the window closes.
    pub pending_spend: Money,
    /// Absent at the top tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextTier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<KeepTier>,
    /// When tiers are next evaluated (spend then decides whether the tier is kept).
    pub next_evaluation: UtcTime,
    /// Newest first.
    pub history: Vec<TierChange>,
    /// Every tier, lowest first: the comparison, and the names of the codes above.
    pub tiers: Vec<Tier>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_benefit_travels_as_its_kind_with_its_parameters() {
        let gift = Benefit::BirthdayGift {
            value: Money::fen(5_000),
        };
        let wire = serde_json::to_value(&gift).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({ "kind": "birthday_gift", "value": 5000 })
        );
        assert_eq!(serde_json::from_value::<Benefit>(wire).unwrap(), gift);
        assert_eq!(
            serde_json::to_value(Benefit::FreePickup).unwrap(),
            serde_json::json!({ "kind": "free_pickup" })
        );
        let name = Localized {
            zh_cn: "金卡".into(),
            en: "Gold".into(),
        };
        assert_eq!(
            serde_json::to_value(&name).unwrap(),
            serde_json::json!({ "zh-CN": "金卡", "en": "Gold" })
        );
    }
}
