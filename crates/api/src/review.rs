//! The returns review queue (staff: publishers and admins): the returns that wait for a person
//! (refunds over 500 CNY) with what a reviewer weighs, and the decision that ends the wait.

use crate::{
    Handover, Localized, Money, OrderNumber, Resolution, ReturnReason, ReturnedLine, UtcTime,
};
use serde::{Deserialize, Serialize};

/// The most characters a decision's reason has (what the customer reads).
pub const DECISION_REASON_MAX_CHARS: usize = 500;

/// What a reviewer decides about a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The return goes ahead as an automatic approval would (a booked pickup is scheduled).
    Approve,
    /// The return ends here; stock an exchange reserved is given back.
    Reject,
}

impl ReviewDecision {
    pub const ALL: [ReviewDecision; 2] = [Self::Approve, Self::Reject];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|decision| decision.as_str() == s)
    }
}

/// `POST /api/staff/returns/{number}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnDecision {
    pub decision: ReviewDecision,
    /// Why, in words the customer reads as they are (plain text, never markup): required to
    /// reject (not blank), optional to approve (blank is none). At most 500 characters, no
    /// control characters (line breaks included); white space around it is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")
    )]
    pub reason: Option<String>,
}

/// A reason as the service keeps it: trimmed, `None` when blank. `Err` names what is wrong: more
/// than [`DECISION_REASON_MAX_CHARS`] characters, or a control character.
pub fn decision_reason(reason: Option<&str>) -> Result<Option<String>, &'static str> {
    let Some(reason) = reason else {
        return Ok(None);
    };
    if reason.chars().count() > DECISION_REASON_MAX_CHARS {
        return Err("a reason is at most 500 characters");
    }
    if reason.chars().any(char::is_control) {
        return Err("a reason has no control characters (line breaks included)");
    }
    let trimmed = reason.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_string()))
}

/// What a customer's returns so far say, for a reviewer: the returns they started before this
/// one, how many of those were declined, and what their refunds came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnHistory {
    /// Returns started before this one (any status, cancelled ones too).
    pub earlier_returns: u32,
    /// Of those, how many were declined.
    pub rejected: u32,
    /// What those that were refunded paid back (money or store credit).
    pub refunded: Money,
}

/// The buyer of a return in review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedCustomer {
    pub name: String,
    /// The tier's code (`gold`) and its name in each language.
    pub tier: String,
    pub tier_name: Localized,
    pub history: ReturnHistory,
}

/// A return waiting for review, with what a reviewer weighs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnToReview {
    /// `R` + 8 digits.
    pub number: String,
    pub order: OrderNumber,
    pub created_at: UtcTime,
    pub lines: Vec<ReturnedLine>,
    /// What the customer would get (see [`crate::ReturnDetail::refund`]).
    pub refund: Money,
    pub reason: ReturnReason,
    pub resolution: Resolution,
    pub handover: Handover,
    pub customer: ReviewedCustomer,
}

/// `GET /api/staff/returns`: the returns waiting for review, oldest first (at most 100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewQueue {
    pub returns: Vec<ReturnToReview>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_kept_trimmed_and_refused_when_too_long_or_with_control_characters() {
        assert_eq!(decision_reason(None), Ok(None));
        assert_eq!(decision_reason(Some("  ")), Ok(None));
        assert_eq!(
            decision_reason(Some(" 商品有使用痕迹 ")),
            Ok(Some("商品有使用痕迹".into()))
        );
        let longest = "好".repeat(DECISION_REASON_MAX_CHARS);
        assert_eq!(decision_reason(Some(&longest)), Ok(Some(longest.clone())));
        assert!(decision_reason(Some(&format!("{longest}好"))).is_err());
        for control in ["a\nb", "a\tb", "a\u{0}b", "a\u{7f}b", "a\u{85}b"] {
            assert!(decision_reason(Some(control)).is_err(), "{control:?}");
        }
        // Markup is text like any other: kept as typed, drawn as text.
        assert_eq!(
            decision_reason(Some("<script>alert(1)</script>")),
            Ok(Some("<script>alert(1)</script>".into()))
        );
    }

    #[test]
    fn every_decision_reads_back_from_its_name_and_a_reason_may_be_left_out() {
        for decision in ReviewDecision::ALL {
            assert_eq!(ReviewDecision::parse(decision.as_str()), Some(decision));
        }
        let approve: ReturnDecision = serde_json::from_str(r#"{"decision": "approve"}"#).unwrap();
        assert_eq!(approve.reason, None);
        assert_eq!(
            serde_json::to_string(&approve).unwrap(),
            r#"{"decision":"approve"}"#
        );
        assert!(serde_json::from_str::<ReturnDecision>(r#"{"decision": "maybe"}"#).is_err());
    }
}
