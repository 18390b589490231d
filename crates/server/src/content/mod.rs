//! Benefit pages: what the shop tells customers about tiers and campaigns, per language, in
//! typed blocks. Versions are kept (draft or published, each published one going live at its
//! publish time), so the staff editor to come only adds the writing side. A page is for everyone
//! or for one tier's members; anyone else gets the 404 of a page that does not exist.
//!
//! Stored content is what the editor typed (Markdown kept as Markdown); it is checked when saved
//! and parsed again when read, into the contract's tree (see `markdown`). A stored page that no
//! longer passes is the service's fault: logged and answered 500, never shown.

pub mod demo;
pub mod editor;
pub mod markdown;
#[cfg(test)]
mod safety;

use crate::auth::Caller;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::staff::Staff;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use markdown::{link_target, plain_text, ContentError};
use portico_api::{
    Audience, BenefitPage, BenefitPageQuery, BenefitPagesQuery, Block, ErrorCode, FaqItem,
    PageSummary, Tier, PREVIEW_GUEST,
};
use sqlx::AnyPool;

/// A block as stored: the editor's, [`DraftBlock`] (rich text as the Markdown typed, the tier
/// comparison without data: it is filled from the tiers when read).
pub use portico_api::{
    DraftBlock as StoredBlock, DraftCopy as PageCopy, DraftFaqItem as StoredFaqItem,
};

/// A published version as it is saved: who it is for (a tier's code, or everyone), its
/// languages (none: the page is taken down from `publish_at` on), from when it is live (unix
/// seconds, perhaps later than now), who published it and what it restored.
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    pub audience: Option<&'a str>,
    pub copies: &'a [PageCopy],
    pub publish_at: i64,
    pub published_by: Option<i64>,
    pub restored_from: Option<u32>,
}

impl<'a> NewVersion<'a> {
    /// A version for `audience` in `copies`, live from `publish_at`, published by no staff member
    /// (the demo's, the tests').
    pub fn at(audience: Option<&'a str>, copies: &'a [PageCopy], publish_at: i64) -> Self {
        NewVersion {
            audience,
            copies,
            publish_at,
            published_by: None,
            restored_from: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Content(#[from] ContentError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// A page's slug: 1 to 64 of `a-z`, `0-9` and `-`.
pub fn valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The page's blocks as customers get them; `tiers` fills a tier comparison.
fn render(blocks: &[StoredBlock], tiers: &[Tier]) -> Result<Vec<Block>, ContentError> {
    blocks
        .iter()
        .enumerate()
        .map(|(index, block)| {
            render_block(block, tiers)
                .map_err(|error| error.at(format!("block {} ({})", index + 1, block.kind())))
        })
        .collect()
}

pub(super) fn render_block(block: &StoredBlock, tiers: &[Tier]) -> Result<Block, ContentError> {
    Ok(match block {
        StoredBlock::Hero { title, subtitle } => {
            plain_text(title).map_err(|e| e.at("title"))?;
            if let Some(subtitle) = subtitle {
                plain_text(subtitle).map_err(|e| e.at("subtitle"))?;
            }
            Block::Hero {
                title: title.clone(),
                subtitle: subtitle.clone(),
            }
        }
        StoredBlock::RichText { markdown: text } => Block::RichText {
            body: markdown::parse(text)?,
        },
        StoredBlock::BenefitGrid { items } => {
            for (index, item) in items.iter().enumerate() {
                let place = |field: &str| format!("item {} {field}", index + 1);
                plain_text(&item.title).map_err(|e| e.at(place("title")))?;
                plain_text(&item.text).map_err(|e| e.at(place("text")))?;
            }
            Block::BenefitGrid {
                items: items.clone(),
            }
        }
        StoredBlock::TierComparison {} => Block::TierComparison {
            tiers: tiers.to_vec(),
        },
        StoredBlock::Faq { items } => Block::Faq {
            items: items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let place = |field: &str| format!("item {} {field}", index + 1);
                    plain_text(&item.question).map_err(|e| e.at(place("question")))?;
                    Ok(FaqItem {
                        question: item.question.clone(),
                        answer: markdown::parse(&item.answer).map_err(|e| e.at(place("answer")))?,
                    })
                })
                .collect::<Result<_, ContentError>>()?,
        },
        StoredBlock::CallToAction { label, href } => {
            plain_text(label).map_err(|e| e.at("label"))?;
            Block::CallToAction {
                label: label.clone(),
                href: link_target(href).map_err(|e| e.at("href"))?,
            }
        }
    })
}

/// Checks one language of a page as it would be saved: what the editor's write API will refuse.
pub fn check(copy: &PageCopy) -> Result<(), ContentError> {
    plain_text(&copy.title)
        .map_err(|e| e.at("page title"))
        .and_then(|()| render(&copy.blocks, &[]).map(drop))
        .map_err(|e| e.at(copy.locale.as_str()))
}

/// Makes a page under `slug`; the id of the page already under it if there is one.
pub async fn create_page(db: &AnyPool, slug: &str, now: i64) -> Result<i64, SaveError> {
    if !valid_slug(slug) {
        return Err(ContentError::Unsupported(format!("the slug {slug:?}")).into());
    }
    sqlx::query(
        "INSERT INTO pages (slug, created_at) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING",
    )
    .bind(slug)
    .bind(now)
    .execute(db)
    .await?;
    Ok(sqlx::query_scalar("SELECT id FROM pages WHERE slug = $1")
        .bind(slug)
        .fetch_one(db)
        .await?)
}

/// Saves a new published version of page `page_id` (each language checked first); its version
/// number, one more than the page's newest.
pub async fn save_version(
    db: &AnyPool,
    page_id: i64,
    version: NewVersion<'_>,
    now: i64,
) -> Result<u32, SaveError> {
    for copy in version.copies {
        check(copy)?;
    }
    let mut tx = db.begin().await?;
    let number = insert_version(&mut tx, page_id, version, now).await?;
    tx.commit().await?;
    Ok(number)
}

/// Writes a version in the transaction `tx` (already checked); its number.
pub(crate) async fn insert_version(
    tx: &mut sqlx::AnyConnection,
    page_id: i64,
    version: NewVersion<'_>,
    now: i64,
) -> Result<u32, sqlx::Error> {
    let (id, number): (i64, i64) = sqlx::query_as(
        "INSERT INTO page_versions (page_id, version, state, publish_at, created_at, audience, published_by, restored_from) \
         SELECT $1, COALESCE(MAX(version), 0) + 1, 'published', $2, $3, $4, $5, $6 FROM page_versions WHERE page_id = $7 \
         RETURNING id, version",
    )
    .bind(page_id)
    .bind(version.publish_at)
    .bind(now)
    .bind(version.audience)
    .bind(version.published_by)
    .bind(version.restored_from.map(i64::from))
    .bind(page_id)
    .fetch_one(&mut *tx)
    .await?;
    for copy in version.copies {
        let blocks = serde_json::to_string(&copy.blocks).expect("stored blocks serialize");
        sqlx::query(
            "INSERT INTO page_content (version_id, locale, title, blocks) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(copy.locale.as_str())
        .bind(&copy.title)
        .bind(blocks)
        .execute(&mut *tx)
        .await?;
    }
    Ok(u32::try_from(number).unwrap_or(u32::MAX))
}

#[derive(sqlx::FromRow)]
struct LiveRow {
    audience: Option<String>,
    version: i64,
    publish_at: i64,
    title: Option<String>,
    blocks: Option<String>,
}

/// A benefit page in one language: the newest version whose publish time has come. A page for
/// one tier is seen by that tier's signed-in members; unknown, not yet published and someone
/// else's tier's are the same 404. Its tier comparison holds the tiers as they are now.
#[utoipa::path(get, path = "/api/pages/{slug}", tag = "pages", operation_id = "benefit_page",
    security((), ("session" = []), ("staff_session" = [])),
    params(("slug" = String, Path, pattern = "^[a-z0-9-]{1,64}$", description = "The page's slug"), BenefitPageQuery),
    responses((status = 200, description = "The page, published and for this caller (or with `preview`, the draft for that reader).", body = BenefitPage),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 422), (status = 500)))]
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    staff: Result<Staff, ApiError>,
    Path(slug): Path<String>,
    ApiQuery(query): ApiQuery<BenefitPageQuery>,
) -> ApiResult<Json<BenefitPage>> {
    let not_found = || ApiError::from(ErrorCode::NotFound);
    let locale = query.locale;
    if let Some(reader) = &query.preview {
        staff?.may(editor::READERS)?;
        let tier = (reader != PREVIEW_GUEST).then_some(reader.as_str());
        let draft = editor::preview(&state, &slug, locale, tier).await?;
        let tiers = crate::loyalty::tiers(&state.db).await?;
        // Checked by `preview`: a draft with problems is never drawn.
        let blocks = render(&draft.copy.blocks, &tiers).map_err(|_| ErrorCode::PageInvalid)?;
        return Ok(Json(BenefitPage {
            slug,
            locale,
            title: draft.copy.title,
            blocks,
            audience: match draft.audience {
                None => Audience::Everyone,
                Some(tier) => Audience::Tier { tier },
            },
            published_at: rfc3339(state.clock.now()),
            version: u32::try_from(draft.revision).unwrap_or(u32::MAX),
        }));
    }
    if !valid_slug(&slug) {
        return Err(not_found());
    }
    let live = sqlx::query_as::<_, LiveRow>(
        "SELECT v.audience, v.version, v.publish_at, c.title, c.blocks \
         FROM pages p JOIN page_versions v ON v.page_id = p.id \
         LEFT JOIN page_content c ON c.version_id = v.id AND c.locale = $1 \
         WHERE p.slug = $2 AND v.state = 'published' AND v.publish_at <= $3 \
         ORDER BY v.version DESC LIMIT 1",
    )
    .bind(locale.as_str())
    .bind(&slug)
    .bind(state.clock.now())
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(not_found)?;
    let audience = match live.audience {
        None => Audience::Everyone,
        Some(tier) => {
            if caller_tier(&state.db, &caller).await?.as_deref() != Some(tier.as_str()) {
                return Err(not_found());
            }
            Audience::Tier { tier }
        }
    };
    // The newest live version speaks for the page; without this language it has none yet.
    let (Some(title), Some(blocks)) = (live.title, live.blocks) else {
        return Err(not_found());
    };
    let corrupt = |error: &dyn std::fmt::Display| {
        tracing::error!(%slug, version = live.version, locale = locale.as_str(), %error,
            "a stored benefit page does not pass");
        ApiError::Corrupt("a benefit page")
    };
    let stored: Vec<StoredBlock> = serde_json::from_str(&blocks).map_err(|e| corrupt(&e))?;
    let tiers = if stored.contains(&StoredBlock::TierComparison {}) {
        crate::loyalty::tiers(&state.db).await?
    } else {
        Vec::new()
    };
    plain_text(&title).map_err(|e| corrupt(&e.at("page title")))?;
    let blocks = render(&stored, &tiers).map_err(|e| corrupt(&e))?;
    Ok(Json(BenefitPage {
        slug,
        locale,
        title,
        blocks,
        audience,
        published_at: rfc3339(live.publish_at),
        version: u32::try_from(live.version).map_err(|_| ApiError::Corrupt("a page version"))?,
    }))
}

/// The pages the caller may read now, in the language asked: their tier's first, then those for
/// everyone, each by its newest live version (a page without this language yet is left out).
#[utoipa::path(get, path = portico_api::paths::PAGES, tag = "pages", operation_id = "benefit_pages",
    security((), ("session" = [])),
    params(BenefitPagesQuery),
    responses((status = 200, description = "The pages for this caller, their tier's first.", body = Vec<PageSummary>),
        (status = 400), (status = 500)))]
pub async fn pages(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<BenefitPagesQuery>,
) -> ApiResult<Json<Vec<PageSummary>>> {
    let tier = caller_tier(&state.db, &caller).await?;
    let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT p.slug, v.audience, c.title FROM pages p \
         JOIN page_versions v ON v.id = (SELECT id FROM page_versions \
           WHERE page_id = p.id AND state = 'published' AND publish_at <= $1 \
           ORDER BY version DESC LIMIT 1) \
         JOIN page_content c ON c.version_id = v.id AND c.locale = $2 \
         WHERE v.audience IS NULL OR v.audience = $3 ORDER BY v.audience IS NULL, p.slug",
    )
    .bind(state.clock.now())
    .bind(query.locale.as_str())
    .bind(tier)
    .fetch_all(&state.db)
    .await?;
    rows.into_iter()
        .map(|(slug, audience, title)| {
            plain_text(&title).map_err(|error| {
                tracing::error!(%slug, %error, "a stored benefit page's title does not pass");
                ApiError::Corrupt("a benefit page")
            })?;
            Ok(PageSummary {
                slug,
                title,
                audience: match audience {
                    None => Audience::Everyone,
                    Some(tier) => Audience::Tier { tier },
                },
            })
        })
        .collect::<ApiResult<_>>()
        .map(Json)
}

/// The signed-in customer's tier; none for a guest or nobody.
async fn caller_tier(db: &AnyPool, caller: &Caller) -> ApiResult<Option<String>> {
    let Some(customer) = caller.customer else {
        return Ok(None);
    };
    Ok(
        sqlx::query_scalar("SELECT tier FROM customers WHERE id = $1")
            .bind(customer)
            .fetch_optional(db)
            .await?,
    )
}

/// Benefit pages as customers read them, and the staff's editor.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(pages))
        .routes(routes!(page))
        .routes(routes!(editor::list, editor::add))
        .routes(routes!(editor::draft))
        .routes(routes!(editor::save))
        .routes(routes!(editor::submit))
        .routes(routes!(editor::send_back))
        .routes(routes!(editor::publish))
        .routes(routes!(editor::unpublish))
        .routes(routes!(editor::versions))
        .routes(routes!(editor::restore))
        .routes(routes!(editor::diff))
}
