//! The staff's list of pages, in three reads whatever their number: every page with its draft,
//! every published version, and the copies of the newest version of each page no editor has
//! touched yet (its draft starts from them).

use super::*;
use std::collections::HashMap;

/// A published version and its page.
#[derive(sqlx::FromRow)]
struct PageVersion {
    page_id: i64,
    #[sqlx(flatten)]
    version: VersionRow,
}

/// Every page with its draft's state at `now`, the most recently changed first.
pub(super) async fn summaries(db: &sqlx::AnyPool, now: i64) -> ApiResult<Vec<StaffPageSummary>> {
    // One transaction: the versions and copies are those of the very drafts read.
    let mut tx = db.begin().await?;
    let rows: Vec<DraftRow> = sqlx::query_as(&format!(
        "{DRAFT_ROWS} ORDER BY COALESCE(d.updated_at, p.created_at) DESC, p.slug"
    ))
    .fetch_all(&mut *tx)
    .await?;
    let versions: Vec<PageVersion> = sqlx::query_as(&format!(
        "{PUBLISHED_VERSIONS} ORDER BY v.page_id, v.version DESC"
    ))
    .fetch_all(&mut *tx)
    .await?;
    let mut versions_of: HashMap<i64, Vec<VersionRow>> = HashMap::new();
    for row in versions {
        versions_of
            .entry(row.page_id)
            .or_default()
            .push(row.version);
    }
    // An untouched page's draft is its newest version with content (as `load` reads it).
    let newest: HashMap<i64, VersionRow> = rows
        .iter()
        .filter(|row| !row.stored())
        .filter_map(|row| {
            let versions = versions_of.get(&row.page_id)?;
            let newest = versions.iter().find(|v| v.locales.is_some())?;
            Some((row.page_id, newest.clone()))
        })
        .collect();
    let mut copies = copies_of(&mut tx, newest.values().map(|v| v.id)).await?;
    tx.commit().await?;

    rows.into_iter()
        .map(|row| {
            let base = newest
                .get(&row.page_id)
                .map(|v| (v.audience.clone(), copies.remove(&v.id).unwrap_or_default()));
            let versions = Versions {
                rows: versions_of.remove(&row.page_id).unwrap_or_default(),
                now,
            };
            Ok(summary(draft_of(row, base)?, &versions))
        })
        .collect()
}

/// The copies of the versions `ids`, by version, in one read.
async fn copies_of(
    db: &mut AnyConnection,
    ids: impl Iterator<Item = i64>,
) -> ApiResult<HashMap<i64, Vec<DraftCopy>>> {
    let ids: Vec<i64> = ids.collect();
    let mut copies: HashMap<i64, Vec<DraftCopy>> = HashMap::new();
    if ids.is_empty() {
        return Ok(copies);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT version_id, locale, title, blocks FROM page_content WHERE version_id IN ({}) \
         ORDER BY version_id, locale DESC",
        marks.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, String, String, String)>(&sql);
    for id in &ids {
        query = query.bind(*id);
    }
    for (version, locale, title, blocks) in query.fetch_all(db).await? {
        copies
            .entry(version)
            .or_default()
            .push(copy_of(&locale, title, &blocks)?);
    }
    Ok(copies)
}

/// A page's line in the list.
fn summary(draft: Draft, versions: &Versions) -> StaffPageSummary {
    let title = PageLocale::ALL
        .iter()
        .find_map(|locale| {
            draft
                .copies
                .iter()
                .find(|c| c.locale == *locale && !c.title.trim().is_empty())
        })
        .map_or_else(|| draft.slug.clone(), |c| c.title.clone());
    StaffPageSummary {
        title,
        audience: audience_of(draft.audience.clone()),
        state: versions.page_state(&draft),
        review: draft.review,
        scheduled_at: versions.scheduled().map(|v| rfc3339(v.publish_at)),
        updated_at: rfc3339(draft.updated_at),
        updated_by: draft.updated_by.clone(),
        slug: draft.slug,
    }
}
