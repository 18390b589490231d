//! The benefit-page editor's API (staff, `/api/staff/pages/...`): each page's working draft,
//! saved as an editor types under optimistic locking (`revision`), submitted for review, sent
//! back or published (now or at a time) by a publisher as a new version; versions compared,
//! restored (as a newer version) and the page taken down. Every action is in the audit log.
//!
//! A draft keeps whatever was typed, also text customers could never be shown (raw HTML, a
//! `javascript:` link): it is listed in the draft's `problems`, and nothing with a problem can be
//! submitted, previewed or published. What customers read goes through the same checks and
//! parser as every page (`super::check`, `super::render`), so the editor adds no way in.
//!
//! When a version goes live is only its `publish_at`: a scheduled version needs no job to run at
//! its time, and a restart changes nothing. The newest version whose time has come is the page.

use super::markdown::{plain_text, ContentError};
use super::{create_page, insert_version, render_block, valid_slug, NewVersion, PageCopy};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::db::{self, Lock};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use crate::staff::Staff;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use portico_api::{
    Audience, DiffLine, DiffQuery, DraftAction, DraftBlock, DraftCopy, DraftSave, ErrorCode,
    LineChange, LocaleDiff, NewPage, PageDiff, PageDraft, PageLocale, PageProblem, PageState,
    PageVersion, ProblemKind, PublishDraft, ReviewState, SendBack, StaffPageSummary, StaffRole,
    VersionState,
};
use sqlx::AnyConnection;

mod list;

/// Who writes drafts, and who decides what customers read.
const WRITERS: &[StaffRole] = &[StaffRole::Editor, StaffRole::Publisher];
const PUBLISHERS: &[StaffRole] = &[StaffRole::Publisher];
/// Who may read drafts (and preview them).
pub const READERS: &[StaffRole] = &[StaffRole::Editor, StaffRole::Publisher, StaffRole::Admin];

/// Saves by one staff member this close together are one edit in the audit log.
const EDIT_SESSION_SECS: i64 = 600;

fn audience_of(code: Option<String>) -> Audience {
    match code {
        None => Audience::Everyone,
        Some(tier) => Audience::Tier { tier },
    }
}

fn audience_code(audience: &Audience) -> Option<&str> {
    match audience {
        Audience::Everyone => None,
        Audience::Tier { tier } => Some(tier),
    }
}

fn review_of(stored: &str) -> ApiResult<ReviewState> {
    Ok(match stored {
        "editing" => ReviewState::Editing,
        "submitted" => ReviewState::Submitted,
        "returned" => ReviewState::Returned,
        _ => return Err(ApiError::Corrupt("a draft's review state")),
    })
}

fn refused(detail: impl Into<String>) -> ApiError {
    ApiError::Refused(ErrorCode::BadRequest, detail.into())
}

/// The bounds the contract states (`DraftBlock`, `DraftCopy`, `DraftSave`), in characters.
fn within(text: &str, max: usize, what: &str) -> ApiResult<()> {
    if text.chars().count() > max {
        return Err(refused(format!("{what} is longer than {max} characters")));
    }
    Ok(())
}

fn check_bounds(copies: &[DraftCopy]) -> ApiResult<()> {
    if copies.len() > PageLocale::ALL.len() {
        return Err(refused("a draft has at most one copy per language"));
    }
    for (index, copy) in copies.iter().enumerate() {
        if copies[..index].iter().any(|c| c.locale == copy.locale) {
            return Err(refused("a draft has at most one copy per language"));
        }
        within(&copy.title, 200, "a page title")?;
        if copy.blocks.len() > 50 {
            return Err(refused("a page has at most 50 blocks"));
        }
        for block in &copy.blocks {
            match block {
                DraftBlock::Hero { title, subtitle } => {
                    within(title, 200, "a hero's title")?;
                    within(subtitle.as_deref().unwrap_or(""), 400, "a hero's subtitle")?;
                }
                DraftBlock::RichText { markdown } => within(markdown, 20_000, "rich text")?,
                DraftBlock::BenefitGrid { items } => {
                    if items.len() > 50 {
                        return Err(refused("a benefit grid has at most 50 items"));
                    }
                }
                DraftBlock::TierComparison {} => {}
                DraftBlock::Faq { items } => {
                    if items.len() > 50 {
                        return Err(refused("a list of questions has at most 50 items"));
                    }
                    for item in items {
                        within(&item.question, 400, "a question")?;
                        within(&item.answer, 20_000, "an answer")?;
                    }
                }
                DraftBlock::CallToAction { label, href } => {
                    within(label, 200, "a button's label")?;
                    within(href, 2000, "a button's address")?;
                }
            }
        }
    }
    Ok(())
}

/// The innermost refusal: why, and what was found.
fn problem_kind(error: &ContentError) -> (ProblemKind, Option<String>) {
    match error {
        ContentError::RawHtml { found } => (ProblemKind::RawHtml, Some(found.clone())),
        ContentError::Unsupported(_) => (ProblemKind::Unsupported, None),
        ContentError::Link { href } => (ProblemKind::Link, Some(href.clone())),
        ContentError::EmptyLink => (ProblemKind::EmptyLink, None),
        ContentError::ControlCharacter => (ProblemKind::ControlCharacter, None),
        ContentError::Empty => (ProblemKind::Empty, None),
        ContentError::At { error, .. } => problem_kind(error),
    }
}

/// What in these copies customers could not be shown: at most one problem per block.
pub fn problems(copies: &[DraftCopy]) -> Vec<PageProblem> {
    let mut found = Vec::new();
    for copy in copies {
        let mut note = |block: Option<u32>, error: &ContentError| {
            let (kind, excerpt) = problem_kind(error);
            found.push(PageProblem {
                locale: copy.locale,
                block,
                kind,
                found: excerpt,
            });
        };
        if let Err(error) = plain_text(&copy.title) {
            note(None, &error);
        }
        for (index, block) in copy.blocks.iter().enumerate() {
            if let Err(error) = render_block(block, &[]) {
                note(u32::try_from(index + 1).ok(), &error);
            }
        }
    }
    found
}

/// The languages `copies` has no text in.
fn missing(copies: &[DraftCopy]) -> Vec<PageLocale> {
    PageLocale::ALL
        .into_iter()
        .filter(|locale| !copies.iter().any(|c| c.locale == *locale))
        .collect()
}

/// A page's draft as stored (or as it would start, made from the newest version).
struct Draft {
    page_id: i64,
    /// Whether its row exists (a page no editor touched has none yet).
    stored: bool,
    slug: String,
    revision: i64,
    audience: Option<String>,
    copies: Vec<DraftCopy>,
    review: ReviewState,
    comment: Option<String>,
    published_revision: Option<i64>,
    updated_by: Option<String>,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    page_id: i64,
    slug: String,
    created_at: i64,
    revision: Option<i64>,
    audience: Option<String>,
    copies: Option<String>,
    review: Option<String>,
    comment: Option<String>,
    published_revision: Option<i64>,
    updated_by: Option<String>,
    updated_at: Option<i64>,
}

/// One published version, its content unread.
#[derive(sqlx::FromRow, Clone)]
struct VersionRow {
    id: i64,
    version: i64,
    publish_at: i64,
    audience: Option<String>,
    restored_from: Option<i64>,
    published_by: Option<String>,
    locales: Option<String>,
}

/// Every column of [`VersionRow`] (and the page's id), of published versions; the caller adds
/// its conditions (`AND ...`) and order.
const PUBLISHED_VERSIONS: &str =
    "SELECT v.page_id, v.id, v.version, v.publish_at, v.audience, v.restored_from, s.email AS published_by, \
     (SELECT string_agg(locale, ',') FROM page_content WHERE version_id = v.id) AS locales \
     FROM page_versions v LEFT JOIN staff s ON s.id = v.published_by WHERE v.state = 'published'";

/// Where a page's versions stand at `now`: which one is live (the newest whose time has come)
/// and which are still to come.
struct Versions {
    rows: Vec<VersionRow>,
    now: i64,
}

impl Versions {
    async fn of(db: &mut AnyConnection, page_id: i64, now: i64) -> ApiResult<Self> {
        let rows = sqlx::query_as::<_, VersionRow>(&format!(
            "{PUBLISHED_VERSIONS} AND v.page_id = $1 ORDER BY v.version DESC"
        ))
        .bind(page_id)
        .fetch_all(db)
        .await?;
        Ok(Versions { rows, now })
    }

    /// The version customers read now (perhaps one that took the page down).
    fn effective(&self) -> Option<&VersionRow> {
        self.rows.iter().find(|v| v.publish_at <= self.now)
    }

    fn state_of(&self, row: &VersionRow) -> VersionState {
        let effective = self.effective().map_or(0, |v| v.version);
        if row.version == effective {
            VersionState::Live
        } else if row.version > effective && row.publish_at > self.now {
            VersionState::Scheduled
        } else {
            VersionState::Superseded
        }
    }

    /// The live version, if it shows anything.
    fn live(&self) -> Option<&VersionRow> {
        self.effective().filter(|v| v.locales.is_some())
    }

    /// The newest version still to come.
    fn scheduled(&self) -> Option<&VersionRow> {
        self.rows
            .first()
            .filter(|v| self.state_of(v) == VersionState::Scheduled)
    }

    fn page_state(&self, draft: &Draft) -> PageState {
        if self.scheduled().is_some() {
            return PageState::Scheduled;
        }
        match self.effective() {
            None => PageState::Draft,
            Some(v) if v.locales.is_none() => PageState::Unpublished,
            Some(_) if draft.published_revision == Some(draft.revision) => PageState::Published,
            Some(_) => PageState::Changed,
        }
    }
}

fn version_number(stored: i64) -> ApiResult<u32> {
    u32::try_from(stored).map_err(|_| ApiError::Corrupt("a page version"))
}

/// A stored version's copies.
async fn version_copies(db: &mut AnyConnection, version_id: i64) -> ApiResult<Vec<DraftCopy>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT locale, title, blocks FROM page_content WHERE version_id = $1 ORDER BY locale DESC",
    )
    .bind(version_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(locale, title, blocks)| copy_of(&locale, title, &blocks))
        .collect()
}

/// A stored copy (a `page_content` row) as the editor has it.
fn copy_of(locale: &str, title: String, blocks: &str) -> ApiResult<DraftCopy> {
    Ok(DraftCopy {
        locale: PageLocale::parse(locale).ok_or(ApiError::Corrupt("a page's language"))?,
        title,
        blocks: serde_json::from_str(blocks).map_err(|_| ApiError::Corrupt("a benefit page"))?,
    })
}

/// Every column of [`DraftRow`]; the caller adds its `WHERE` and order.
const DRAFT_ROWS: &str =
    "SELECT p.id AS page_id, p.slug, p.created_at, d.revision, d.audience, d.copies, d.review, \
     d.comment, d.published_revision, s.email AS updated_by, d.updated_at \
     FROM pages p LEFT JOIN page_drafts d ON d.page_id = p.id LEFT JOIN staff s ON s.id = d.updated_by";

/// The draft of page `slug` (404 for no such page). A page no editor has touched yet (the demo's)
/// starts from its newest version, at revision 0.
async fn load(db: &mut AnyConnection, slug: &str) -> ApiResult<Draft> {
    if !valid_slug(slug) {
        return Err(ErrorCode::NotFound.into());
    }
    let row = sqlx::query_as::<_, DraftRow>(&format!("{DRAFT_ROWS} WHERE p.slug = $1"))
        .bind(slug)
        .fetch_optional(&mut *db)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if row.stored() {
        return draft_of(row, None);
    }
    let newest: Option<VersionRow> = sqlx::query_as(
        "SELECT v.id, v.version, v.publish_at, v.audience, v.restored_from, NULL AS published_by, \
         NULL AS locales FROM page_versions v WHERE v.page_id = $1 AND v.state = 'published' \
         AND EXISTS (SELECT 1 FROM page_content WHERE version_id = v.id) ORDER BY v.version DESC LIMIT 1",
    )
    .bind(row.page_id)
    .fetch_optional(&mut *db)
    .await?;
    let newest = match newest {
        Some(version) => Some((version.audience, version_copies(db, version.id).await?)),
        None => None,
    };
    draft_of(row, newest)
}

impl DraftRow {
    /// Whether the page's draft has its row (a page no editor touched has none yet).
    fn stored(&self) -> bool {
        self.revision.is_some()
            && self.copies.is_some()
            && self.review.is_some()
            && self.updated_at.is_some()
    }
}

/// The draft `row` holds; a page without one starts from `newest`, its newest version with
/// content (audience, copies), if any.
fn draft_of(row: DraftRow, newest: Option<(Option<String>, Vec<DraftCopy>)>) -> ApiResult<Draft> {
    if let (Some(revision), Some(copies), Some(review), Some(updated_at)) =
        (row.revision, &row.copies, &row.review, row.updated_at)
    {
        return Ok(Draft {
            page_id: row.page_id,
            stored: true,
            slug: row.slug,
            revision,
            audience: row.audience,
            copies: serde_json::from_str(copies).map_err(|_| ApiError::Corrupt("a draft"))?,
            review: review_of(review)?,
            comment: row.comment,
            published_revision: row.published_revision,
            updated_by: row.updated_by,
            updated_at,
        });
    }
    let published = newest.is_some();
    let (audience, copies) = newest.unwrap_or_default();
    Ok(Draft {
        page_id: row.page_id,
        stored: false,
        slug: row.slug,
        revision: 0,
        audience,
        copies,
        review: ReviewState::Editing,
        comment: None,
        published_revision: published.then_some(0),
        updated_by: None,
        updated_at: row.created_at,
    })
}

fn answer(draft: Draft, versions: &Versions) -> ApiResult<PageDraft> {
    let state = versions.page_state(&draft);
    Ok(PageDraft {
        revision: u32::try_from(draft.revision).map_err(|_| ApiError::Corrupt("a revision"))?,
        audience: audience_of(draft.audience.clone()),
        state,
        review: draft.review,
        comment: draft.comment.clone(),
        live_version: versions
            .live()
            .map(|v| version_number(v.version))
            .transpose()?,
        scheduled_at: versions.scheduled().map(|v| rfc3339(v.publish_at)),
        updated_at: rfc3339(draft.updated_at),
        updated_by: draft.updated_by.clone(),
        problems: problems(&draft.copies),
        missing: missing(&draft.copies),
        slug: draft.slug,
        copies: draft.copies,
    })
}

/// Reads the draft and its versions in one connection and answers them.
async fn read(state: &AppState, slug: &str) -> ApiResult<PageDraft> {
    let mut db = state.db.acquire().await?;
    let draft = load(&mut db, slug).await?;
    let versions = Versions::of(&mut db, draft.page_id, state.clock.now()).await?;
    answer(draft, &versions)
}

/// Refuses an action on a draft that is no longer at `revision`.
fn at_revision(draft: &Draft, revision: u32) -> ApiResult<()> {
    if draft.revision != i64::from(revision) {
        return Err(ApiError::Refused(
            ErrorCode::EditConflict,
            format!(
                "the draft is at revision {}, saved by {} since",
                draft.revision,
                draft.updated_by.as_deref().unwrap_or("someone")
            ),
        ));
    }
    Ok(())
}

/// Refuses a draft customers could not be shown, or one with no text at all.
fn showable(draft: &Draft, allow_missing: bool) -> ApiResult<()> {
    let problems = problems(&draft.copies);
    if let Some(first) = problems.first() {
        return Err(ApiError::Refused(
            ErrorCode::PageInvalid,
            format!(
                "{} problem(s), the first in {} block {:?}",
                problems.len(),
                first.locale.as_str(),
                first.block
            ),
        ));
    }
    let missing = missing(&draft.copies);
    if draft.copies.is_empty() || (!missing.is_empty() && !allow_missing) {
        let names: Vec<&str> = missing.iter().map(|l| l.as_str()).collect();
        return Err(ApiError::Refused(
            ErrorCode::MissingLanguage,
            format!("no text in {}", names.join(", ")),
        ));
    }
    Ok(())
}

/// Every page with its draft's state, the most recently changed first (editors, publishers,
/// admins).
#[utoipa::path(get, path = portico_api::paths::STAFF_PAGES, tag = "editor", operation_id = "staff_pages",
    security(("staff_session" = [])),
    responses((status = 200, description = "Every page, the most recently changed first.", body = Vec<StaffPageSummary>),
        (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<StaffPageSummary>>> {
    staff.may(READERS)?;
    Ok(Json(list::summaries(&state.db, state.clock.now()).await?))
}

/// A new page with an empty draft (editors and publishers); `page_exists` if the slug is taken.
#[utoipa::path(post, path = portico_api::paths::STAFF_PAGES, tag = "editor", operation_id = "staff_page_add",
    security(("staff_session" = [])),
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = NewPage,
    responses((status = 201, description = "The page's draft.", body = PageDraft),
        (status = 400), (status = 401), (status = 403), (status = 409), (status = 413),
        (status = 415), (status = 422)))]
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(body): ApiJson<NewPage>,
) -> ApiResult<(StatusCode, Json<PageDraft>)> {
    staff.may(WRITERS)?;
    if !valid_slug(&body.slug) {
        return Err(refused("a slug is 1 to 64 of a-z, 0-9 and -"));
    }
    let tier = audience_code(&body.audience);
    if let Some(tier) = tier {
        known_tier(&state, tier).await?;
    }
    let now = state.clock.now();
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM pages WHERE slug = $1")
        .bind(&body.slug)
        .fetch_optional(&state.db)
        .await?;
    if exists.is_some() {
        return Err(ErrorCode::PageExists.into());
    }
    let page_id = create_page(&state.db, &body.slug, now)
        .await
        .map_err(|_| refused("the page could not be made"))?;
    let made = sqlx::query(
        "INSERT INTO page_drafts (page_id, revision, audience, copies, review, updated_by, updated_at) \
         VALUES ($1, 1, $2, '[]', 'editing', $3, $4) ON CONFLICT (page_id) DO NOTHING",
    )
    .bind(page_id)
    .bind(tier)
    .bind(staff.id())
    .bind(now)
    .execute(&state.db)
    .await?
    .rows_affected();
    if made == 0 {
        return Err(ErrorCode::PageExists.into());
    }
    staff
        .record(&state, "page_created", Some(&body.slug), tier)
        .await?;
    Ok((StatusCode::CREATED, Json(read(&state, &body.slug).await?)))
}

/// A tier's code the deployment has; else `bad_request`.
async fn known_tier(state: &AppState, tier: &str) -> ApiResult<()> {
    let known: Option<String> = sqlx::query_scalar("SELECT code FROM tiers WHERE code = $1")
        .bind(tier)
        .fetch_optional(&state.db)
        .await?;
    known
        .map(drop)
        .ok_or_else(|| refused(format!("there is no tier {tier:?}")))
}

/// A page's working draft and where it stands (editors, publishers, admins).
#[utoipa::path(get, path = "/api/staff/pages/{slug}", tag = "editor", operation_id = "staff_page",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug")),
    responses((status = 200, description = "The draft.", body = PageDraft),
        (status = 401), (status = 403), (status = 404)))]
pub async fn draft(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(READERS)?;
    Ok(Json(read(&state, &slug).await?))
}

/// Saves the draft as it is now (editors and publishers), from the revision it was read at:
/// `edit_conflict` when someone saved since (their text stays; this one is not saved). Text
/// customers could not be shown is saved too, and listed in `problems`. Editing a submitted draft
/// takes it back from review.
#[utoipa::path(put, path = "/api/staff/pages/{slug}/draft", tag = "editor", operation_id = "staff_page_save",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = DraftSave,
    responses((status = 200, description = "The draft as saved, at its next revision.", body = PageDraft),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 413), (status = 415), (status = 422)))]
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<DraftSave>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(WRITERS)?;
    check_bounds(&body.copies)?;
    let tier = audience_code(&body.audience);
    if let Some(tier) = tier {
        known_tier(&state, tier).await?;
    }
    let now = state.clock.now();
    let copies = serde_json::to_string(&body.copies).expect("a draft serializes");
    let mut tx = db::write_for(&state.db, Lock::Page(&slug)).await?;
    let before = load(&mut tx, &slug).await?;
    at_revision(&before, body.revision)?;
    if !before.stored {
        sqlx::query(
            "INSERT INTO page_drafts (page_id, revision, audience, copies, review, published_revision, updated_by, updated_at) \
             VALUES ($1, 1, $2, $3, 'editing', $4, $5, $6)",
        )
        .bind(before.page_id)
        .bind(tier)
        .bind(&copies)
        .bind(before.published_revision)
        .bind(staff.id())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    } else {
        let saved = sqlx::query(
            "UPDATE page_drafts SET revision = revision + 1, audience = $1, copies = $2, \
             review = CASE review WHEN 'submitted' THEN 'editing' ELSE review END, \
             updated_by = $3, updated_at = $4 WHERE page_id = $5 AND revision = $6",
        )
        .bind(tier)
        .bind(&copies)
        .bind(staff.id())
        .bind(now)
        .bind(before.page_id)
        .bind(before.revision)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Guarded by the revision read: no longer there, someone saved since.
        if saved != 1 {
            return Err(ErrorCode::EditConflict.into());
        }
    }
    // A save every few seconds while typing is one edit in the log, not hundreds: a save goes
    // in unless the page's last entry is this staff member's edit of a few minutes ago.
    let last: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT actor, action, at FROM audit_log WHERE target = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(&slug)
    .fetch_optional(&mut *tx)
    .await?;
    let continues = last.is_some_and(|(actor, action, at)| {
        actor == staff.email() && action == "page_edited" && now - at < EDIT_SESSION_SECS
    });
    if !continues {
        crate::staff::audit::record(
            &mut *tx,
            now,
            Some(staff.id()),
            staff.email(),
            "page_edited",
            Some(&slug),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(read(&state, &slug).await?))
}

/// Sends the draft to the publishers (editors and publishers): refused while it has problems
/// (`page_invalid`) or no text at all (`missing_language`).
#[utoipa::path(post, path = "/api/staff/pages/{slug}/submit", tag = "editor", operation_id = "staff_page_submit",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = DraftAction,
    responses((status = 200, description = "The draft, submitted.", body = PageDraft),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 413), (status = 415), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<DraftAction>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(WRITERS)?;
    review(&state, &staff, &slug, body.revision, Review::Submit).await
}

/// Sends a draft back to its editors with a comment (publishers).
#[utoipa::path(post, path = "/api/staff/pages/{slug}/send-back", tag = "editor", operation_id = "staff_page_send_back",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = SendBack,
    responses((status = 200, description = "The draft, returned with the comment.", body = PageDraft),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 413), (status = 415), (status = 422)))]
pub async fn send_back(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<SendBack>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(PUBLISHERS)?;
    // As the document says: 1 to 1000 characters of typed text, not blank (kept trimmed).
    let comment = body.comment.trim();
    if comment.is_empty()
        || body.comment.chars().count() > 1000
        || !portico_api::typed_text(&body.comment)
    {
        return Err(refused("a comment is 1 to 1000 characters of text"));
    }
    review(
        &state,
        &staff,
        &slug,
        body.revision,
        Review::SendBack(comment.to_string()),
    )
    .await
}

enum Review {
    Submit,
    SendBack(String),
}

async fn review(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    revision: u32,
    step: Review,
) -> ApiResult<Json<PageDraft>> {
    let now = state.clock.now();
    let mut tx = db::write_for(&state.db, Lock::Page(slug)).await?;
    let draft = load(&mut tx, slug).await?;
    at_revision(&draft, revision)?;
    let (review, comment, action) = match &step {
        Review::Submit => {
            showable(&draft, true)?;
            ("submitted", None, "page_submitted")
        }
        Review::SendBack(comment) => ("returned", Some(comment.as_str()), "page_sent_back"),
    };
    stored_draft(&mut tx, &draft, now).await?;
    sqlx::query("UPDATE page_drafts SET review = $1, comment = $2 WHERE page_id = $3")
        .bind(review)
        .bind(comment)
        .bind(draft.page_id)
        .execute(&mut *tx)
        .await?;
    crate::staff::audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        action,
        Some(slug),
        comment,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(read(state, slug).await?))
}

/// Makes sure the draft has its row (a page no editor touched has none yet).
async fn stored_draft(tx: &mut AnyConnection, draft: &Draft, now: i64) -> ApiResult<()> {
    if !draft.stored {
        sqlx::query(
            "INSERT INTO page_drafts (page_id, revision, audience, copies, review, published_revision, updated_at) \
             VALUES ($1, 0, $2, $3, 'editing', $4, $5)",
        )
        .bind(draft.page_id)
        .bind(&draft.audience)
        .bind(serde_json::to_string(&draft.copies).expect("a draft serializes"))
        .bind(draft.published_revision)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Publishes the draft at `revision` as a new version (publishers), live now or at `at`:
/// refused with problems (`page_invalid`) and, unless `allow_missing`, with a language missing.
/// The server needs nothing to happen at that time: the version is the page from then on,
/// whatever restarted in between.
#[utoipa::path(post, path = "/api/staff/pages/{slug}/publish", tag = "editor", operation_id = "staff_page_publish",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    request_body = PublishDraft,
    responses((status = 200, description = "The draft, published (or scheduled).", body = PageDraft),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409),
        (status = 413), (status = 415), (status = 422)))]
pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<PublishDraft>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(PUBLISHERS)?;
    let now = state.clock.now();
    let at = match &body.at {
        None => now,
        Some(time) => parse_rfc3339(&time.0)
            .ok_or_else(|| refused("`at` is an RFC 3339 time"))?
            .max(now),
    };
    let mut tx = db::write_for(&state.db, Lock::Page(&slug)).await?;
    let draft = load(&mut tx, &slug).await?;
    at_revision(&draft, body.revision)?;
    showable(&draft, body.allow_missing)?;
    let version = insert_version(
        &mut tx,
        draft.page_id,
        NewVersion {
            audience: draft.audience.as_deref(),
            copies: &draft.copies,
            publish_at: at,
            published_by: Some(staff.id()),
            restored_from: None,
        },
        now,
    )
    .await?;
    published(&mut tx, &draft, now).await?;
    let detail = if at > now {
        format!("version {version}, live from {}", rfc3339(at).0)
    } else {
        format!("version {version}")
    };
    let action = if at > now {
        "page_scheduled"
    } else {
        "page_published"
    };
    crate::staff::audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        action,
        Some(&slug),
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(read(&state, &slug).await?))
}

/// The draft is what was just published: out of review, nothing changed since.
async fn published(tx: &mut AnyConnection, draft: &Draft, now: i64) -> ApiResult<()> {
    stored_draft(tx, draft, now).await?;
    sqlx::query(
        "UPDATE page_drafts SET review = 'editing', comment = NULL, published_revision = revision \
         WHERE page_id = $1",
    )
    .bind(draft.page_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Takes the page down now (publishers), and with it any version still to come: a version
/// without languages is the page from now on. `not_published` when nothing is live or coming.
#[utoipa::path(post, path = "/api/staff/pages/{slug}/unpublish", tag = "editor", operation_id = "staff_page_unpublish",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 200, description = "The draft; customers see no page.", body = PageDraft),
        (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn unpublish(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(PUBLISHERS)?;
    let now = state.clock.now();
    let mut tx = db::write_for(&state.db, Lock::Page(&slug)).await?;
    let draft = load(&mut tx, &slug).await?;
    let versions = Versions::of(&mut tx, draft.page_id, now).await?;
    if versions.live().is_none() && versions.scheduled().is_none() {
        return Err(ErrorCode::NotPublished.into());
    }
    let version = insert_version(
        &mut tx,
        draft.page_id,
        NewVersion {
            audience: draft.audience.as_deref(),
            copies: &[],
            publish_at: now,
            published_by: Some(staff.id()),
            restored_from: None,
        },
        now,
    )
    .await?;
    stored_draft(&mut tx, &draft, now).await?;
    crate::staff::audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        "page_unpublished",
        Some(&slug),
        Some(&format!("version {version}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(read(&state, &slug).await?))
}

/// Every published version of a page, newest first (editors, publishers, admins).
#[utoipa::path(get, path = "/api/staff/pages/{slug}/versions", tag = "editor", operation_id = "staff_page_versions",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug")),
    responses((status = 200, description = "The versions, newest first.", body = Vec<PageVersion>),
        (status = 401), (status = 403), (status = 404)))]
pub async fn versions(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
) -> ApiResult<Json<Vec<PageVersion>>> {
    staff.may(READERS)?;
    let mut db = state.db.acquire().await?;
    let draft = load(&mut db, &slug).await?;
    let versions = Versions::of(&mut db, draft.page_id, state.clock.now()).await?;
    versions
        .rows
        .iter()
        .map(|row| {
            Ok(PageVersion {
                version: version_number(row.version)?,
                state: versions.state_of(row),
                publish_at: rfc3339(row.publish_at),
                audience: audience_of(row.audience.clone()),
                locales: row
                    .locales
                    .as_deref()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(PageLocale::parse)
                    .collect(),
                restored_from: row.restored_from.map(version_number).transpose()?,
                published_by: row.published_by.clone(),
            })
        })
        .collect::<ApiResult<_>>()
        .map(Json)
}

/// Publishes an old version's content again, now, as a new version (publishers); the draft
/// becomes that content too. A version that took the page down has none: `not_published`.
#[utoipa::path(post, path = "/api/staff/pages/{slug}/versions/{version}/restore", tag = "editor", operation_id = "staff_page_restore",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"),
        ("version" = u32, Path, minimum = 1, description = "The version to restore"),
        ("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 200, description = "The draft, the restored content live again.", body = PageDraft),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((slug, version)): ApiPath<(String, u32)>,
) -> ApiResult<Json<PageDraft>> {
    staff.may(PUBLISHERS)?;
    let now = state.clock.now();
    let mut tx = db::write_for(&state.db, Lock::Page(&slug)).await?;
    let draft = load(&mut tx, &slug).await?;
    let versions = Versions::of(&mut tx, draft.page_id, now).await?;
    let old = versions
        .rows
        .iter()
        .find(|row| row.version == i64::from(version))
        .cloned()
        .ok_or(ErrorCode::NotFound)?;
    if old.locales.is_none() {
        return Err(ApiError::Refused(
            ErrorCode::NotPublished,
            "that version took the page down; it has nothing to restore".into(),
        ));
    }
    let copies = version_copies(&mut tx, old.id).await?;
    let number = insert_version(
        &mut tx,
        draft.page_id,
        NewVersion {
            audience: old.audience.as_deref(),
            copies: &copies,
            publish_at: now,
            published_by: Some(staff.id()),
            restored_from: Some(version),
        },
        now,
    )
    .await?;
    stored_draft(&mut tx, &draft, now).await?;
    sqlx::query(
        "UPDATE page_drafts SET revision = revision + 1, audience = $1, copies = $2, review = 'editing', \
         comment = NULL, published_revision = revision + 1, updated_by = $3, updated_at = $4 WHERE page_id = $5",
    )
    .bind(&old.audience)
    .bind(serde_json::to_string(&copies).expect("a draft serializes"))
    .bind(staff.id())
    .bind(now)
    .bind(draft.page_id)
    .execute(&mut *tx)
    .await?;
    crate::staff::audit::record(
        &mut *tx,
        now,
        Some(staff.id()),
        staff.email(),
        "page_restored",
        Some(&slug),
        Some(&format!("version {version} as version {number}")),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(read(&state, &slug).await?))
}

/// A page as lines of text, per language: what a diff compares (nothing for a language the
/// side has no text in).
fn lines(audience: &Option<String>, copy: Option<&DraftCopy>) -> Vec<String> {
    let Some(copy) = copy else {
        return Vec::new();
    };
    let mut out = vec![match audience {
        None => "[audience] everyone".to_string(),
        Some(tier) => format!("[audience] {tier}"),
    }];
    out.push(format!("[title] {}", copy.title));
    let mut text = |label: &str, value: &str| {
        out.extend(value.lines().enumerate().map(|(i, line)| {
            if i == 0 {
                format!("{label}{line}")
            } else {
                line.to_string()
            }
        }));
    };
    for block in &copy.blocks {
        match block {
            DraftBlock::Hero { title, subtitle } => {
                text("[hero] ", title);
                if let Some(subtitle) = subtitle {
                    text("", subtitle);
                }
            }
            DraftBlock::RichText { markdown } => text("[text] ", markdown),
            DraftBlock::BenefitGrid { items } => {
                text("[benefits]", "");
                for item in items {
                    text("- ", &format!("{}: {}", item.title, item.text));
                }
            }
            DraftBlock::TierComparison {} => text("[tier comparison]", ""),
            DraftBlock::Faq { items } => {
                text("[questions]", "");
                for item in items {
                    text("Q: ", &item.question);
                    text("A: ", &item.answer);
                }
            }
            DraftBlock::CallToAction { label, href } => {
                text("[button] ", &format!("{label} -> {href}"));
            }
        }
    }
    out
}

/// Compares two states of a page, line by line per language (editors, publishers, admins):
/// `from` a version (absent: the live one), `to` a version (absent: the draft).
#[utoipa::path(get, path = "/api/staff/pages/{slug}/diff", tag = "editor", operation_id = "staff_page_diff",
    security(("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"), DiffQuery),
    responses((status = 200, description = "The two sides, line by line.", body = PageDiff),
        (status = 400), (status = 401), (status = 403), (status = 404)))]
pub async fn diff(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> ApiResult<Json<PageDiff>> {
    staff.may(READERS)?;
    let mut db = state.db.acquire().await?;
    let draft = load(&mut db, &slug).await?;
    let versions = Versions::of(&mut db, draft.page_id, state.clock.now()).await?;
    let find = |number: u32| {
        versions
            .rows
            .iter()
            .find(|row| row.version == i64::from(number))
            .cloned()
            .ok_or(ApiError::from(ErrorCode::NotFound))
    };
    let from = match query.from {
        Some(number) => Some(find(number)?),
        None => versions.live().cloned(),
    };
    let to = query.to.map(find).transpose()?;
    let side = |row: Option<VersionRow>| async {
        Ok::<_, ApiError>(match row {
            Some(row) => {
                let mut db = state.db.acquire().await?;
                (row.audience.clone(), version_copies(&mut db, row.id).await?)
            }
            None => (None, Vec::new()),
        })
    };
    let (old_audience, old) = side(from.clone()).await?;
    let (new_audience, new) = match &to {
        Some(row) => side(Some(row.clone())).await?,
        None => (draft.audience.clone(), draft.copies.clone()),
    };
    let mut changed = false;
    let locales = PageLocale::ALL
        .into_iter()
        .map(|locale| {
            let pick = |copies: &[DraftCopy]| copies.iter().find(|c| c.locale == locale).cloned();
            let before = lines(&old_audience, pick(&old).as_ref());
            let after = lines(&new_audience, pick(&new).as_ref());
            let before: Vec<&str> = before.iter().map(String::as_str).collect();
            let after: Vec<&str> = after.iter().map(String::as_str).collect();
            let lines: Vec<DiffLine> =
                similar::capture_diff_slices(similar::Algorithm::Myers, &before, &after)
                    .iter()
                    .flat_map(|op| op.iter_changes(&before, &after))
                    .map(|change| DiffLine {
                        change: match change.tag() {
                            similar::ChangeTag::Equal => LineChange::Same,
                            similar::ChangeTag::Insert => LineChange::Added,
                            similar::ChangeTag::Delete => LineChange::Removed,
                        },
                        text: change.value().to_string(),
                    })
                    .collect();
            changed |= lines.iter().any(|line| line.change != LineChange::Same);
            LocaleDiff { locale, lines }
        })
        .collect();
    Ok(Json(PageDiff {
        from: from.map(|row| version_number(row.version)).transpose()?,
        to: to.map(|row| version_number(row.version)).transpose()?,
        changed,
        locales,
    }))
}

/// The draft of `slug` in `locale` as a reader of `tier` (`None`: a guest) would get it: the
/// preview. 404 when that reader would see no page (another tier's); `page_invalid` while the
/// draft has problems.
pub async fn preview(
    state: &AppState,
    slug: &str,
    locale: PageLocale,
    tier: Option<&str>,
) -> ApiResult<PreviewCopy> {
    let mut db = state.db.acquire().await?;
    let draft = load(&mut db, slug).await?;
    drop(db);
    if draft.audience.is_some() && draft.audience.as_deref() != tier {
        return Err(ErrorCode::NotFound.into());
    }
    showable(&draft, true)?;
    let copy = draft
        .copies
        .iter()
        .find(|c| c.locale == locale)
        .cloned()
        .ok_or(ErrorCode::NotFound)?;
    Ok(PreviewCopy {
        audience: draft.audience,
        revision: draft.revision,
        copy,
    })
}

/// A draft's one language, as a preview reads it.
pub struct PreviewCopy {
    pub audience: Option<String>,
    pub revision: i64,
    pub copy: PageCopy,
}
