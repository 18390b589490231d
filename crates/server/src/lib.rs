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
use axum::routing::{any, get, patch, post, put};
use axum::Router;
use portico_api::paths;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The widget's API: every route behind `widget::guard` (the partner, its origins, its limits).
fn widget_api(state: &AppState) -> Router<AppState> {
    use widget::preflight;
    Router::new()
        .route(
            "/api/widget/{key}",
            get(widget::settings).options(preflight),
        )
        .route(
            "/api/widget/{key}/lookup",
            post(widget::lookup).options(preflight),
        )
        .route(
            "/api/widget/{key}/feedback",
            post(widget::send_feedback).options(preflight),
        )
        .route(
            "/api/widget/{key}/identity",
            post(widget::identify).options(preflight),
        )
        .route(
            "/api/widget/{key}/surveys/{token}",
            get(widget::survey).options(preflight),
        )
        .route(
            "/api/widget/{key}/surveys/{token}/response",
            put(widget::save_survey).options(preflight),
        )
        .route(
            "/api/widget/{key}/survey",
            get(widget::partner_survey).options(preflight),
        )
        .route(
            "/api/widget/{key}/survey/response",
            put(widget::save_partner_survey).options(preflight),
        )
        .layer(from_fn_with_state(state.clone(), widget::guard))
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
    let api = Router::new()
        .route(paths::SIGN_IN_CODE, post(auth::request_code))
        .route("/api/auth/code/{delivery}", get(auth::code_delivery))
        .route(paths::SIGN_IN_VERIFY, post(auth::verify_code))
        .route(paths::SIGN_OUT, post(auth::sign_out))
        .route(paths::SESSION, get(auth::session))
        .route(paths::ORDERS, get(orders::list))
        .route("/api/orders/{number}", get(orders::detail))
        .route("/api/orders/{number}/returnable", get(returns::returnable))
        .route(paths::RETURNS, post(returns::create).get(returns::list))
        .route("/api/returns/{number}", get(returns::detail))
        .route("/api/returns/{number}/cancel", post(returns::cancel))
        .route(
            "/api/returns/{number}/reschedule",
            post(returns::reschedule),
        )
        .route("/api/returns/{number}/pass", post(returns::pass::pass))
        .route(
            "/api/returns/{number}/drop-off.svg",
            get(returns::drop_off::qr),
        )
        .route(paths::LOYALTY, get(loyalty::status))
        .route(paths::TIERS, get(loyalty::list_tiers))
        .route(paths::PAGES, get(content::pages))
        .route("/api/pages/{slug}", get(content::page))
        .route("/api/surveys/{token}", get(surveys::survey))
        .route("/api/surveys/{token}/response", put(surveys::save))
        .route("/api/surveys/{token}/opt-out", post(surveys::opt_out))
        .route(paths::FEEDBACK, post(feedback::send).get(feedback::list))
        .route(paths::GUEST_LOOKUP, post(guest::lookup))
        .route(paths::OUTBOX, get(dev::outbox))
        .route(paths::DEMO_ADVANCE, post(dev::advance))
        .route(
            "/api/dev/survey-invitations",
            post(surveys::demo_invitation),
        )
        .route(paths::STAFF_SIGN_IN, post(staff::sign_in))
        .route(
            paths::STAFF_PASSWORD_LINK,
            post(staff::password_link::set_password),
        )
        .route(paths::STAFF_SESSION, get(staff::session))
        .route(paths::STAFF_SIGN_OUT, post(staff::sign_out))
        .route(
            paths::STAFF_SIGN_OUT_EVERYWHERE,
            post(staff::sign_out_everywhere),
        )
        .route(
            paths::STAFF_ACCOUNTS,
            get(staff::accounts::list).post(staff::accounts::add),
        )
        .route("/api/staff/accounts/{id}", patch(staff::accounts::change))
        .route(paths::STAFF_AUDIT, get(staff::audit::list))
        .route(paths::STAFF_MESSAGES, get(notify::failed::list))
        .route(
            "/api/staff/messages/{id}/retry",
            post(notify::failed::retry),
        )
        .route(
            paths::STAFF_PARTNERS,
            get(widget::partners::list).post(widget::partners::add),
        )
        .route("/api/staff/partners/{id}", patch(widget::partners::change))
        .route(
            "/api/staff/partners/{id}/secret",
            post(widget::partners::rotate_secret),
        )
        .route(
            paths::STAFF_PAGES,
            get(content::editor::list).post(content::editor::add),
        )
        .route("/api/staff/pages/{slug}", get(content::editor::draft))
        .route("/api/staff/pages/{slug}/draft", put(content::editor::save))
        .route(
            "/api/staff/pages/{slug}/submit",
            post(content::editor::submit),
        )
        .route(
            "/api/staff/pages/{slug}/send-back",
            post(content::editor::send_back),
        )
        .route(
            "/api/staff/pages/{slug}/publish",
            post(content::editor::publish),
        )
        .route(
            "/api/staff/pages/{slug}/unpublish",
            post(content::editor::unpublish),
        )
        .route(
            "/api/staff/pages/{slug}/versions",
            get(content::editor::versions),
        )
        .route(
            "/api/staff/pages/{slug}/versions/{version}/restore",
            post(content::editor::restore),
        )
        .route("/api/staff/pages/{slug}/diff", get(content::editor::diff))
        .route(
            paths::STAFF_INTEGRATIONS,
            get(ingest::keys::list).post(ingest::keys::add),
        )
        .route(
            "/api/staff/integrations/{id}/rotate",
            post(ingest::keys::rotate),
        )
        .route(
            "/api/staff/integrations/{id}/revoke",
            post(ingest::keys::revoke),
        )
        .route(paths::INGEST_CUSTOMERS, post(ingest::customers))
        .route(paths::INGEST_ORDERS, post(ingest::orders))
        .route(paths::INGEST_CHECKPOINTS, post(ingest::checkpoints))
        .route(paths::INGEST_KUAIDI100, post(ingest::kuaidi100::push))
        .route(paths::STAFF_RETURNS, get(returns::review::queue))
        .route(
            "/api/staff/returns/{number}/decision",
            post(returns::review::decide),
        )
        .merge(widget_api(&state))
        .route(paths::OPENAPI, get(openapi::document))
        .route("/api/{*rest}", any(error::api_not_found))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(CompressionLayer::new());
    let mut pages = Router::new()
        .route(paths::CONFIG, get(web::runtime_config))
        .route(paths::HEALTHZ, get(ops::healthz))
        .route(paths::READYZ, get(ops::readyz));
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
