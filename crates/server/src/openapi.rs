//! The OpenAPI document, generated from the handlers and the contract's types.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico services",
        description = "The contract between the Portico app and the services it calls."
    ),
    paths(
        crate::auth::request_code,
        crate::auth::verify_code,
        crate::auth::sign_out,
        crate::auth::session,
        crate::orders::list,
        crate::orders::detail,
        crate::guest::lookup,
        crate::dev::outbox,
        crate::dev::advance,
    ),
    components(schemas(portico_api::RuntimeConfig, portico_api::ErrorCode))
)]
pub struct ApiDoc;

/// The document as pretty JSON (what `openapi.json` in the repository holds).
pub fn json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
