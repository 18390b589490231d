//! The benefit-page editor's side of the contract (staff only, `/api/staff/pages/...`).
//!
//! A page has one working draft, saved as the editor types: each save names the draft's
//! `revision` it started from, and a save from an older revision is refused (`edit_conflict`),
//! so two editors never overwrite each other unseen. What an editor writes is text: Markdown kept
//! as Markdown, parsed into the customer's typed tree ([`crate::Block`]) only when read; a draft
//! may hold text that would be refused (it is saved, never shown to customers), and it lists
//! those `problems` until they are fixed. A publisher publishes a draft now or at a time, as a
//! new numbered version; every version can be compared and restored (as a newer version).

use crate::{Audience, BenefitCard, PageLocale, UtcTime};
use serde::{Deserialize, Serialize};

/// A block as an editor writes it: rich text as Markdown, a tier comparison without data (it is
/// filled from the tiers when a customer reads the page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DraftBlock {
    Hero {
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(max_length = 400))]
        subtitle: Option<String>,
    },
    RichText {
        #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
        markdown: String,
    },
    BenefitGrid {
        #[cfg_attr(feature = "openapi", schema(max_items = 50))]
        items: Vec<BenefitCard>,
    },
    // Braces, not a unit variant: serde lets a tagged enum's unit variant take unknown fields,
    // and a block takes none (the document says so).
    TierComparison {},
    Faq {
        #[cfg_attr(feature = "openapi", schema(max_items = 50))]
        items: Vec<DraftFaqItem>,
    },
    CallToAction {
        #[cfg_attr(feature = "openapi", schema(max_length = 200))]
        label: String,
        #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
        href: String,
    },
}

impl DraftBlock {
    /// The block's kind, as on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Hero { .. } => "hero",
            Self::RichText { .. } => "rich_text",
            Self::BenefitGrid { .. } => "benefit_grid",
            Self::TierComparison {} => "tier_comparison",
            Self::Faq { .. } => "faq",
            Self::CallToAction { .. } => "call_to_action",
        }
    }
}

/// A question and its answer, as Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DraftFaqItem {
    #[cfg_attr(feature = "openapi", schema(max_length = 400))]
    pub question: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub answer: String,
}

/// One language of a page as an editor writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftCopy {
    pub locale: PageLocale,
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub blocks: Vec<DraftBlock>,
}

/// Where a page stands with customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PageState {
    /// Never published: customers see nothing.
    Draft,
    /// A version goes live at `scheduled_at`.
    Scheduled,
    /// Live, and the draft is what is live.
    Published,
    /// Live, and the draft has changed since it was published.
    Changed,
    /// Taken down: customers see nothing until it is published again.
    Unpublished,
}

/// Where a draft stands with its reviewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Being written.
    Editing,
    /// Sent to the publishers; editing it again takes it back.
    Submitted,
    /// A publisher sent it back with a `comment`.
    Returned,
}

/// Something in a draft that customers could not be shown: it is saved, but cannot be
/// submitted, previewed or published until fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageProblem {
    pub locale: PageLocale,
    /// The block (from 1); absent for the page's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<u32>,
    pub kind: ProblemKind,
    /// The start of the refused text (raw HTML, a link), when there is one to name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

/// Why text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Raw HTML (`<b>`, `<script>`) in Markdown: write Markdown. (A plain-text field takes it as
    /// the characters typed.)
    RawHtml,
    /// Markdown outside the subset (images, code, tables, deep headings, nested lists).
    Unsupported,
    /// A link that is not `http(s)://…` or a path on this site.
    Link,
    /// A link without text.
    EmptyLink,
    /// Control characters.
    ControlCharacter,
    /// A text that must not be empty.
    Empty,
}

/// `GET /api/staff/pages`: one page as the editor lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffPageSummary {
    pub slug: String,
    /// The draft's title (zh-CN first, else en; the slug when neither has one).
    pub title: String,
    pub audience: Audience,
    pub state: PageState,
    pub review: ReviewState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<UtcTime>,
    pub updated_at: UtcTime,
    /// Who saved the draft last (their email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

/// `GET /api/staff/pages/{slug}`: a page's working draft, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageDraft {
    pub slug: String,
    /// Pass back with the next save: a save from an older revision is `edit_conflict`.
    pub revision: u32,
    pub audience: Audience,
    /// The languages written so far.
    pub copies: Vec<DraftCopy>,
    pub state: PageState,
    pub review: ReviewState,
    /// Why a publisher sent it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The version customers read now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<UtcTime>,
    pub updated_at: UtcTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// What must be fixed before it can be shown to customers.
    pub problems: Vec<PageProblem>,
    /// The languages the draft has no text in (customers reading in one see no page).
    pub missing: Vec<PageLocale>,
}

/// `POST /api/staff/pages`: a new page, its draft empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPage {
    /// The page's address, `/benefits/{slug}`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9-]{1,64}$"))]
    pub slug: String,
    pub audience: Audience,
}

/// `PUT /api/staff/pages/{slug}/draft`: the draft as it is now, from the revision it started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftSave {
    #[serde(deserialize_with = "crate::values::whole")]
    pub revision: u32,
    pub audience: Audience,
    #[cfg_attr(feature = "openapi", schema(max_items = 2))]
    pub copies: Vec<DraftCopy>,
}

/// `POST .../submit` and `.../unpublish`: the revision the staff member is looking at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftAction {
    #[serde(deserialize_with = "crate::values::whole")]
    pub revision: u32,
}

/// `POST .../send-back`: back to its editors, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendBack {
    #[serde(deserialize_with = "crate::values::whole")]
    pub revision: u32,
    /// Why, for its editors: 1 to 1000 characters, not blank, no control character but line
    /// breaks and tabs.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub comment: String,
}

/// `POST .../publish`: the draft at `revision` goes live now, or at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishDraft {
    #[serde(deserialize_with = "crate::values::whole")]
    pub revision: u32,
    /// When it goes live (absent: now). A time past is now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<UtcTime>,
    /// Publish though a language has no text (`missing_language` otherwise).
    #[serde(default)]
    pub allow_missing: bool,
}

/// How a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// What customers read now.
    Live,
    /// Goes live at its `publish_at`.
    Scheduled,
    /// Was live, or would have been: a newer version took its place.
    Superseded,
}

/// `GET /api/staff/pages/{slug}/versions`: one published version, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageVersion {
    pub version: u32,
    pub state: VersionState,
    pub publish_at: UtcTime,
    pub audience: Audience,
    /// Its languages; none for a version that took the page down (unpublished).
    pub locales: Vec<PageLocale>,
    /// The version it restored, if it was a restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<u32>,
    /// Who published it (their email); absent for the demo's own pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_by: Option<String>,
}

/// `GET /api/staff/pages/{slug}/diff?from=&to=`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct DiffQuery {
    /// A version (absent: the live one, or nothing when none is live).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub from: Option<u32>,
    /// A version (absent: the draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub to: Option<u32>,
}

/// Whether a line is in both sides, only the newer or only the older.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// One language of a comparison: the page as lines of text (a block's kind as a `[heading]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocaleDiff {
    pub locale: PageLocale,
    pub lines: Vec<DiffLine>,
}

/// Two states of a page side by side, per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageDiff {
    /// The older side's version; absent when there was none (a page never published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<u32>,
    /// The newer side's version; absent for the draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<u32>,
    /// Whether the two differ at all (audience included).
    pub changed: bool,
    pub locales: Vec<LocaleDiff>,
}

/// `GET /api/pages/{slug}?locale=&preview=guest`: a staff preview of the draft as a reader
/// who is not signed in (else `preview=` names a tier).
pub const PREVIEW_GUEST: &str = "guest";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_is_a_whole_number_however_json_writes_it() {
        let read = |json: &str| serde_json::from_str::<DraftAction>(json).map(|a| a.revision);
        assert_eq!(read(r#"{"revision": 3}"#).unwrap(), 3);
        assert_eq!(read(r#"{"revision": 3.0}"#).unwrap(), 3);
        for refused in [
            r#"{"revision": 3.5}"#,
            r#"{"revision": -1}"#,
            r#"{"revision": 1e12}"#,
            r#"{"revision": "3"}"#,
        ] {
            assert!(read(refused).is_err(), "{refused}");
        }
    }
}
