//! Demo-only endpoints: the outbox of "sent" messages (as JSON, and as the page `/dev/outbox`),
//! and moving parcels along their route. All answer `disabled` unless the server runs with
//! `--demo`.

use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use maud::{html, DOCTYPE};
use portico_api::{CheckpointEvent, ErrorCode, OutboxMessage, ShipmentStatus};
use serde::Serialize;
use sqlx::AnyConnection;
use std::sync::LazyLock;

pub(crate) fn demo_only(state: &AppState) -> ApiResult<()> {
    if state.config.demo {
        Ok(())
    } else {
        Err(ErrorCode::Disabled.into())
    }
}

/// The messages the demo "sent", newest first (at most 100). Demo mode only.
#[utoipa::path(get, path = portico_api::paths::OUTBOX, tag = "demo",
    responses((status = 200, description = "Newest first.", body = Vec<OutboxMessage>), (status = 404)))]
pub async fn outbox(State(state): State<AppState>) -> ApiResult<Json<Vec<OutboxMessage>>> {
    demo_only(&state)?;
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, body, created_at FROM outbox ORDER BY id DESC LIMIT 100",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, to, subject, body, at)| OutboxMessage {
                id,
                to,
                subject,
                body,
                sent_at: rfc3339(at),
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Advanced {
    /// How many parcels moved one step.
    pub advanced: u32,
    /// How many returns moved one step.
    pub returns_advanced: u32,
}

/// Moves every moving demo parcel, and every return not waiting on its customer or on a
/// reviewer, one step. Demo mode only.
#[utoipa::path(post, path = portico_api::paths::DEMO_ADVANCE, tag = "demo",
    responses((status = 200, description = "How many parcels and returns moved.", body = Advanced), (status = 403), (status = 404)))]
pub async fn advance(State(state): State<AppState>) -> ApiResult<Json<Advanced>> {
    demo_only(&state)?;
    // Every parcel and every open return: every other writer kept out.
    let mut tx = crate::db::write_for(&state.db, crate::db::Lock::Everything).await?;
    let advanced = demo_step(&state, &mut tx).await?;
    tx.commit().await?;
    state.notifier.wake();
    Ok(Json(advanced))
}

/// One step of the demo's world, in the write transaction `tx` (the messages it sends are
/// queued in it too): the parcels on their way, then the returns.
pub async fn demo_step(state: &AppState, tx: &mut AnyConnection) -> ApiResult<Advanced> {
    let advanced = advance_shipments(state, &mut *tx).await?;
    let returns_advanced = crate::returns::advance_demo(state, &mut *tx).await?;
    Ok(Advanced {
        advanced,
        returns_advanced,
    })
}

#[derive(sqlx::FromRow)]
struct Moving {
    #[sqlx(flatten)]
    parcel: crate::tracking::Parcel,
    route: String,
    route_step: i64,
    city: String,
    district: String,
}

/// Moves every parcel that is on its way one step: picked up, through the next facility, out
/// for delivery, delivered. Parcels in trouble stay as they are, so the demo keeps every state.
/// Each step is a checkpoint recorded as any other (`tracking::record`: a parcel delivered may
/// bring its buyer a survey about the delivery).
async fn advance_shipments(state: &AppState, tx: &mut AnyConnection) -> Result<u32, ApiError> {
    let now = state.clock.now();
    let moving = sqlx::query_as::<_, Moving>(&format!(
        "SELECT {}, s.route, s.route_step, o.city, o.district FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.status IN ('info_received', 'in_transit', 'out_for_delivery')",
        crate::tracking::PARCEL_COLUMNS
    ))
    .fetch_all(&mut *tx)
    .await?;
    for moving in &moving {
        let parcel = &moving.parcel;
        let route: Vec<&str> = moving.route.split('|').filter(|s| !s.is_empty()).collect();
        let step = moving.route_step.max(0) as usize;
        let local = format!("{}{} 营业部", moving.city, moving.district);
        let (status, event, location, step) = match ShipmentStatus::parse(&parcel.status)
            .ok_or(ApiError::Corrupt("a shipment status"))?
        {
            ShipmentStatus::InfoReceived => (
                ShipmentStatus::InTransit,
                CheckpointEvent::PickedUp,
                route.first().copied().unwrap_or("发货仓").to_string(),
                step,
            ),
            ShipmentStatus::InTransit if step < route.len() => (
                ShipmentStatus::InTransit,
                if step.is_multiple_of(2) {
                    CheckpointEvent::ArrivedFacility
                } else {
                    CheckpointEvent::DepartedFacility
                },
                route[step].to_string(),
                step + 1,
            ),
            ShipmentStatus::InTransit => (
                ShipmentStatus::OutForDelivery,
                CheckpointEvent::OutForDelivery,
                local,
                step,
            ),
            _ => (
                ShipmentStatus::Delivered,
                CheckpointEvent::Delivered,
                local,
                step,
            ),
        };
        let parcel = crate::tracking::Parcel {
            newest: parcel.newest.map(|newest| newest.min(now)),
            ..parcel.clone()
        };
        let step_taken = crate::tracking::Move {
            at: now,
            event,
            location: &location,
            status,
            source_key: None,
        };
        crate::tracking::record(state, &mut *tx, &parcel, &step_taken).await?;
        sqlx::query("UPDATE shipments SET route_step = $1 WHERE id = $2")
            .bind(step as i64)
            .bind(parcel.id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(moving.len() as u32)
}

/// The demo outbox as a page of its own, drawn here rather than in the customer bundle (whose
/// customers never see it): `/dev/outbox?lang=en|zh-CN`, else the browser's language. Everything
/// in a message is text (maud escapes it); the page runs no script and uses the build's styles.
pub async fn outbox_page(
    State(state): State<AppState>,
    Query(query): Query<OutboxPageQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Json(messages) = outbox(State(state.clone())).await?;
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let lang = page_language(query.lang.as_deref(), accept);
    let text = |key: &str| translation(lang, key);
    let index =
        std::fs::read_to_string(state.config.static_dir.join("index.html")).unwrap_or_default();
    let page = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (text("outbox.title")) " · Portico" }
                @if let Some(href) = crate::web::stylesheet(&index) {
                    link rel="stylesheet" href=(href);
                }
            }
            body {
                a class="skip-link" href="#main" { (text("app.skip")) }
                header class="site-header" {
                    a href="/" class="brand" { "Portico" }
                }
                main id="main" tabindex="-1" {
                    section class="page narrow" {
                        h1 { (text("outbox.title")) }
                        p class="lead" { (text("outbox.lead")) }
                        a class="button button-secondary" href={ "/dev/outbox?lang=" (lang.tag()) } {
                            (text("outbox.refresh"))
                        }
                        @if messages.is_empty() {
                            div class="empty-state" { h2 { (text("outbox.empty")) } }
                        } @else {
                            ol class="outbox" {
                                @for message in &messages {
                                    li class="panel" data-testid="outbox-message" {
                                        p class="muted" {
                                            (text("outbox.to").replace("{{ to }}", &message.to)) " · "
                                            time datetime=(message.sent_at.0) { (readable_time(&message.sent_at.0)) }
                                        }
                                        h2 class="outbox-subject" { (message.subject) }
                                        pre class="outbox-body" { (message.body) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Html(page.into_string()).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub struct OutboxPageQuery {
    lang: Option<String>,
}

/// The two languages the portal speaks, as the outbox page picks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLanguage {
    Chinese,
    English,
}

impl PageLanguage {
    fn tag(self) -> &'static str {
        match self {
            PageLanguage::Chinese => "zh-CN",
            PageLanguage::English => "en",
        }
    }

    fn of_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .trim()
            .split(['-', '_', ';'])
            .next()?
            .to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(PageLanguage::Chinese),
            "en" => Some(PageLanguage::English),
            _ => None,
        }
    }
}

/// `?lang=` when it names a language we speak, else the first of the browser's languages we
/// speak, else Chinese (the portal's default).
pub fn page_language(asked: Option<&str>, accept_language: &str) -> PageLanguage {
    asked
        .and_then(PageLanguage::of_tag)
        .or_else(|| accept_language.split(',').find_map(PageLanguage::of_tag))
        .unwrap_or(PageLanguage::Chinese)
}

/// The portal's own wording (`locales/*.json`), so the page and the app never disagree.
fn translation(lang: PageLanguage, key: &str) -> String {
    static LOCALES: LazyLock<[serde_json::Value; 2]> = LazyLock::new(|| {
        [
            serde_json::from_str(include_str!("../../../locales/zh-CN.json")).unwrap_or_default(),
            serde_json::from_str(include_str!("../../../locales/en.json")).unwrap_or_default(),
        ]
    });
    let table = &LOCALES[lang as usize];
    key.split('.')
        .try_fold(table, |node, part| node.get(part))
        .and_then(|value| value.as_str())
        .unwrap_or(key)
        .to_string()
}

/// `2026-11-27T00:40:33Z` as `2026-11-27 00:40 UTC`.
fn readable_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

/// The demo's endpoints (the page `/dev/outbox` is not in the API: `app` adds it).
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(outbox))
        .routes(routes!(advance))
}
