//! The embeddable widget's side of the contract: what a partner's key enables, and what a visitor
//! on a partner's page may ask. Every widget path carries the partner's public key, so the
//! service can check the page's `Origin` against that partner's allowlist, preflight included.
//! The widget never sends cookies: a visitor gets exactly what they prove in the request (an
//! order number with its email or phone, a survey link, or an identity token the partner's own
//! backend signed for them).

use crate::{Localized, Survey, SurveyResponse};
use serde::{Deserialize, Serialize};

/// What a partner's widget offers; each is switched on per partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WidgetFeature {
    /// An order by its number and the buyer's email or phone: the masked guest view.
    Lookup,
    /// A message with a category, an optional 1-5 rating and text.
    Feedback,
    /// A survey: the one the partner page passes by its invitation link's token, or else the
    /// partner's own active survey, open to any visitor of its pages.
    Survey,
    /// The visitor's tier, once the partner's backend vouches for who they are.
    TierBadge,
}

impl WidgetFeature {
    pub const ALL: [WidgetFeature; 4] =
        [Self::Lookup, Self::Feedback, Self::Survey, Self::TierBadge];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lookup => "lookup",
            Self::Feedback => "feedback",
            Self::Survey => "survey",
            Self::TierBadge => "tier_badge",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == value)
    }
}

/// `GET /api/widget/{key}`: how this partner's widget looks and what it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetSettings {
    /// The partner's name, as visitors know it.
    pub partner: String,
    /// In the order the panel shows them.
    pub features: Vec<WidgetFeature>,
    /// `#rrggbb`: the launcher and the panel's accent (a page can still override it with the
    /// `--portico-accent` custom property).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^#[0-9a-f]{6}$", example = "#b4232a")
    )]
    pub accent: String,
    /// `zh-CN` or `en`: used when neither the page (`data-locale`) nor the browser says.
    pub default_locale: String,
    /// Whether the partner runs a survey of its own for every visitor (`GET .../survey`).
    #[serde(default)]
    pub active_survey: bool,
}

/// `GET /api/widget/{key}/survey`: the partner's active survey, answered by visitors nobody
/// knows. The visitor's browser keeps the id it made for its response; with it
/// (`?response=ID`) comes the response so far, so a visitor who comes back continues it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSurvey {
    pub survey: Survey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<SurveyResponse>,
}

/// `POST /api/widget/{key}/identity`: an identity token the partner's backend made for the
/// visitor: `v1.PAYLOAD.SIGNATURE`, where PAYLOAD is the unpadded base64url of
/// `{"sub":"<the customer's email or phone, exact wire form>","exp":<unix seconds>}` and
/// SIGNATURE the unpadded base64url of HMAC-SHA256 over `v1.PAYLOAD` with the partner's
/// secret. It may live at most 24 hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityProof {
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub token: String,
}

/// What the tier badge shows: the visitor's tier, named in both languages. Nothing else of the
/// customer crosses to the partner's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierBadge {
    /// The tier's code (`regular`, `silver`, `gold`, `diamond` by default).
    pub tier: String,
    pub name: Localized,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_reads_back_from_its_wire_name() {
        for feature in WidgetFeature::ALL {
            assert_eq!(WidgetFeature::parse(feature.as_str()), Some(feature));
            let json = serde_json::to_string(&feature).unwrap();
            assert_eq!(json, format!("\"{}\"", feature.as_str()));
        }
        assert_eq!(WidgetFeature::parse("Lookup"), None);
    }
}
