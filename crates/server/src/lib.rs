//! Portico's reference service: speaks the contract in `portico-api` over axum + sqlx (SQLite),
//! and serves the built app. One module per capability; `app` wires them into one router.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod dev;
pub mod error;
pub mod guest;
pub mod openapi;
pub mod orders;
pub mod rate_limit;
pub mod seed;
pub mod state;
pub mod web;

pub use state::{build_state, AppState};

use axum::routing::{get, post};
use axum::Router;
use portico_api::paths;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// The whole service: JSON API under `/api`, the runtime config, and the app with SPA fallback.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route(paths::SIGN_IN_CODE, post(auth::request_code))
        .route(paths::SIGN_IN_VERIFY, post(auth::verify_code))
        .route(paths::SIGN_OUT, post(auth::sign_out))
        .route(paths::SESSION, get(auth::session))
        .route(paths::ORDERS, get(orders::list))
        .route("/api/orders/{number}", get(orders::detail))
        .route(paths::GUEST_LOOKUP, post(guest::lookup))
        .route(paths::OUTBOX, get(dev::outbox))
        .route(paths::DEMO_ADVANCE, post(dev::advance))
        .route(paths::OPENAPI, get(openapi::document))
        .route("/api/{*rest}", axum::routing::any(error::api_not_found))
        .method_not_allowed_fallback(error::method_not_allowed);
    let static_dir = state.config.static_dir.clone();
    api.route(paths::CONFIG, get(web::runtime_config))
        .with_state(state)
        .fallback_service(web::app_files(&static_dir))
        .layer(axum::middleware::from_fn(web::cache_policy))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
