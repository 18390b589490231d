//! Operations: whether the process is up (`/healthz`) and whether it can serve (`/readyz`: its
//! database answers and has every migration this build knows), for a load balancer or an
//! orchestrator deciding where to send requests.

use crate::db;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

/// What `/healthz` and `/readyz` answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `up`, `ready` or `not_ready`.
    pub status: &'static str,
    /// Why not ready, in words for whoever operates the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The process is up and answering.
#[utoipa::path(get, path = portico_api::paths::HEALTHZ, tag = "operations", operation_id = "healthz",
    responses((status = 200, description = "The process is up.", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "up",
        detail: None,
    })
}

/// The service can serve: its database answers and has every migration of this build applied.
#[utoipa::path(get, path = portico_api::paths::READYZ, tag = "operations", operation_id = "readyz",
    responses((status = 200, description = "Ready to serve.", body = Health),
        (status = 503, description = "Not ready: the database does not answer or lacks a migration.", body = Health)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match db::ready(&state.db).await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ready",
                detail: None,
            }),
        ),
        Err(why) => {
            tracing::warn!(%why, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "not_ready",
                    detail: Some(why),
                }),
            )
        }
    }
}

/// The probes (`app` keeps them out of the compressed API).
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}
