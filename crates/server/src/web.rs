//! The app itself: the built files with an index.html fallback for client-side routes, and the
//! runtime configuration that tells one build where its services are.

use crate::AppState;
use axum::extract::State;
use axum::Json;
use portico_api::RuntimeConfig;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Files from the build; any other path is a client-side route and gets `index.html` (200).
pub fn app_files(static_dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(static_dir).fallback(ServeFile::new(static_dir.join("index.html")))
}

pub async fn runtime_config(State(state): State<AppState>) -> Json<RuntimeConfig> {
    // Services on this same origin, the default brand, and what this server was started with.
    Json(RuntimeConfig {
        tracking_refresh_secs: state.config.tracking_refresh_secs,
        demo: state.config.demo,
        ..RuntimeConfig::default()
    })
}
