//! Benefit pages: what an editor wrote, as a typed tree the app draws with its own views.
//!
//! Nothing here is markup. Rich text arrives already parsed (by the server, from a small
//! Markdown subset) into paragraphs, headings, lists, emphasis and links whose `href` is
//! `http(s)://…` or a path on this site (`/…`), so what an editor typed can never become script
//! in a customer's browser; text nodes are text, whatever characters they hold.

use crate::{Tier, UtcTime};
use serde::{Deserialize, Serialize};

/// A language a page is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PageLocale {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl PageLocale {
    pub const ALL: [PageLocale; 2] = [Self::ZhCn, Self::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|locale| locale.as_str() == s)
    }
}

/// `GET /api/pages?locale=zh-CN`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BenefitPagesQuery {
    /// The language to list the pages in.
    pub locale: PageLocale,
}

/// `GET /api/pages/{slug}?locale=zh-CN`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BenefitPageQuery {
    /// The language to read the page in.
    pub locale: PageLocale,
    /// Staff only: the page's draft as a member of this tier (its code) or as `guest` would see
    /// it; without a staff session, `unauthorized`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(pattern = "^[a-z0-9_-]{1,32}$"))]
    pub preview: Option<String>,
}

/// A run of text inside a paragraph, heading or list item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text, drawn as text (never parsed as markup).
    Text { text: String },
    Emphasis {
        #[cfg_attr(feature = "openapi", schema(no_recursion))]
        children: Vec<Inline>,
    },
    Strong {
        #[cfg_attr(feature = "openapi", schema(no_recursion))]
        children: Vec<Inline>,
    },
    /// `href` is `http://…`, `https://…` or a path on this site starting with a single `/`.
    Link {
        href: String,
        #[cfg_attr(feature = "openapi", schema(no_recursion))]
        children: Vec<Inline>,
    },
}

/// A block of rich text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RichBlock {
    Paragraph {
        inlines: Vec<Inline>,
    },
    /// Levels 2 to 4: the page's title is its only level 1.
    Heading {
        #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 4))]
        level: u8,
        inlines: Vec<Inline>,
    },
    /// Each item is one line of inline content (lists do not nest).
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
}

/// One benefit in a grid of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitCard {
    pub title: String,
    pub text: String,
}

/// A question and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaqItem {
    pub question: String,
    pub answer: Vec<RichBlock>,
}

/// One section of a page, in the order the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Hero {
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subtitle: Option<String>,
    },
    RichText {
        body: Vec<RichBlock>,
    },
    BenefitGrid {
        items: Vec<BenefitCard>,
    },
    /// Every tier, lowest first, as the deployment defines them now (never typed by an editor).
    TierComparison {
        tiers: Vec<Tier>,
    },
    Faq {
        items: Vec<FaqItem>,
    },
    /// `href` follows the rule of [`Inline::Link`].
    CallToAction {
        label: String,
        href: String,
    },
}

/// Who a page is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    /// Members of one tier (its code).
    Tier {
        tier: String,
    },
}

/// `GET /api/pages`: one of the pages the caller may read, in the language asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageSummary {
    pub slug: String,
    pub title: String,
    pub audience: Audience,
}

/// `GET /api/pages/{slug}`: the published page in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BenefitPage {
    pub slug: String,
    pub locale: PageLocale,
    pub title: String,
    pub blocks: Vec<Block>,
    pub audience: Audience,
    /// When this version went live.
    pub published_at: UtcTime,
    /// Grows with each version published.
    pub version: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_travels_as_tagged_blocks() {
        let page = BenefitPage {
            slug: "gold-benefits".into(),
            locale: PageLocale::En,
            title: "Gold".into(),
            blocks: vec![
                Block::Hero {
                    title: "Hello".into(),
                    subtitle: None,
                },
                Block::RichText {
                    body: vec![RichBlock::Paragraph {
                        inlines: vec![Inline::Strong {
                            children: vec![Inline::Text { text: "Hi".into() }],
                        }],
                    }],
                },
            ],
            audience: Audience::Tier {
                tier: "gold".into(),
            },
            published_at: UtcTime("2026-01-01T00:00:00Z".into()),
            version: 2,
        };
        let wire = serde_json::to_value(&page).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({
                "slug": "gold-benefits",
                "locale": "en",
                "title": "Gold",
                "blocks": [
                    { "kind": "hero", "title": "Hello" },
                    { "kind": "rich_text", "body": [
                        { "kind": "paragraph", "inlines": [
                            { "kind": "strong", "children": [{ "kind": "text", "text": "Hi" }] }
                        ] }
                    ] }
                ],
                "audience": { "kind": "tier", "tier": "gold" },
                "published_at": "2026-01-01T00:00:00Z",
                "version": 2
            })
        );
        assert_eq!(serde_json::from_value::<BenefitPage>(wire).unwrap(), page);
        assert_eq!(PageLocale::parse("zh-CN"), Some(PageLocale::ZhCn));
        assert_eq!(PageLocale::parse("zh"), None);
    }
}
