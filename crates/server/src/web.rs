//! The app itself: the built files with an index.html fallback for client-side routes, and the
//! runtime configuration that tells one build where its services are.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use portico_api::RuntimeConfig;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Files from the build; any other path is a client-side route and gets `index.html` (200).
pub fn app_files(static_dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(static_dir).fallback(ServeFile::new(static_dir.join("index.html")))
}

/// Trunk names the wasm, JS and CSS after their content (`portico-<hash>.js`): those never
/// change and are kept a year; everything else (index.html above all) is revalidated.
pub async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let hashed = !path.starts_with("/api/")
        && path.rsplit_once('/').is_some_and(|(_, file)| {
            file.split_once('-').is_some_and(|(_, rest)| {
                rest.chars().take_while(char::is_ascii_hexdigit).count() >= 16
            })
        });
    let value = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

pub async fn runtime_config(State(state): State<AppState>) -> Json<RuntimeConfig> {
    // Services on this same origin, the default brand, and what this server was started with.
    Json(RuntimeConfig {
        tracking_refresh_secs: state.config.tracking_refresh_secs,
        demo: state.config.demo,
        ..RuntimeConfig::default()
    })
}
