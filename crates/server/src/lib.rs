//! Portico's reference service: speaks the contract in `portico-api` over axum + sqlx (SQLite or
//! PostgreSQL), and serves the built app. One module per capability; `app` wires them into one
//! router.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod content;
pub mod db;
pub mod dev;
pub mod device;
pub mod error;
pub mod feedback;
pub mod guest;
pub mod ingest;
pub mod jobs;
pub mod loyalty;
pub mod notify;
pub mod openapi;
pub mod ops;
pub mod orders;
pub mod rate_limit;
pub mod returns;
pub mod seed;
pub mod serve;
pub mod signing;
pub mod staff;
pub mod state;
pub mod surveys;
pub mod tracking;
pub mod web;
pub mod widget;

pub use state::{build_state, AppState};

use axum::middleware::from_fn_with_state;
use axum::routing::{any, get};
use axum::Router;
use portico_api::paths;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

/// The documented routes, one router per capability, and the OpenAPI document they make: the
/// JSON API (which `app` compresses) and the probes. Given the state, the widget's API is behind
/// `widget::guard` (the partner, its origins, its limits); the document alone needs no guard.
pub(crate) fn documented(
    guard: Option<&AppState>,
) -> (Router<AppState>, Router<AppState>, OpenApi) {
    let mut widget_api = widget::router();
    if let Some(state) = guard {
        widget_api = widget_api.layer(from_fn_with_state(state.clone(), widget::guard));
    }
    let (api, mut doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(auth::router())
        .merge(orders::router())
        .merge(guest::router())
        .merge(returns::router())
        .merge(loyalty::router())
        .merge(content::router())
        .merge(surveys::router())
        .merge(feedback::router())
        .merge(dev::router())
        .merge(staff::router())
        .merge(notify::router())
        .merge(widget::partners::router())
        .merge(ingest::router())
        .merge(widget_api)
        .split_for_parts();
    let (probes, probes_doc) = ops::router().split_for_parts();
    doc.merge(probes_doc);
    (api, probes, openapi::finish(doc))
}

/// The whole service: JSON API under `/api`, the runtime config, and the app with SPA fallback;
/// every answer with the security headers, every write checked for its origin, every request
/// bounded in time.
pub fn app(state: AppState) -> Router {
    let headers = Arc::new(web::SecurityHeaders::for_build(
        &state.config.static_dir,
        state.config.https(),
    ));
    let time_limit = Duration::from_secs(state.config.request_timeout_secs);
    // JSON answers are compressed as they go; the app's files never are (they are sent as the
    // build precompressed them, see `web::app_files`).
    let (api, probes, doc) = documented(Some(&state));
    let api = api
        .route(paths::OPENAPI, openapi::served(doc, &state.config))
        .route("/api/{*rest}", any(error::api_not_found))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(CompressionLayer::new());
    let mut pages = probes.route(paths::CONFIG, get(web::runtime_config));
    if state.config.demo {
        pages = pages.route(paths::OUTBOX_PAGE, get(dev::outbox_page));
    }
    Router::new()
        .merge(api)
        .merge(pages)
        .fallback(web::app_files)
        .layer(from_fn_with_state(state.clone(), web::same_origin_writes))
        .with_state(state)
        .layer(from_fn_with_state(time_limit, web::time_limit))
        .layer(from_fn_with_state(headers, web::security_headers))
        // Every request has an id (the one a proxy sent in `X-Request-Id`, or a new one), in
        // every log line about it and in its answer.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// The span every log line about a request is in: its id, method and path (never its query,
/// which may carry a token).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|id| id.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
}
