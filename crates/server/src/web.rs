//! The app itself: the built files with an index.html fallback for client-side routes, and the
//! runtime configuration that tells one build where its services are.

use crate::AppState;
use axum::extract::State;
use axum::Json;
use portico_api::{Brand, RuntimeConfig, ServiceUrls};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Files from the build; any other path is a client-side route and gets `index.html` (200).
pub fn app_files(static_dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(static_dir).fallback(ServeFile::new(static_dir.join("index.html")))
}

pub async fn runtime_config(State(state): State<AppState>) -> Json<RuntimeConfig> {
    Json(RuntimeConfig {
        services: ServiceUrls {
            auth: String::new(),
            orders: String::new(),
        },
        default_locale: "zh-CN".into(),
        brand: Brand {
            name: "Portico".into(),
            primary_color: "#0b5cad".into(),
            primary_contrast: "#ffffff".into(),
        },
        tracking_refresh_secs: state.config.tracking_refresh_secs,
        demo: state.config.demo,
    })
}
