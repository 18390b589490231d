//! The retailer's data in: its systems send customers, orders (with their lines, payment and
//! parcels) and carrier checkpoints in batches, each record by the retailer's own id, every
//! request signed with an integration key (`keys.rs`, admins manage them).
//!
//! The rooms: `signed.rs` checks a request's signature (and keeps it, once); `batch.rs` takes a
//! batch, one write transaction with a savepoint per record (a record refused leaves nothing
//! behind and the others are kept), and reports on each; `customers.rs`, `orders.rs` and
//! `checkpoints.rs` take one record of their kind. Writes are idempotent and tolerate disorder:
//! a record carries the retailer's `updated_at`, and one no newer than what was taken changes
//! nothing; a checkpoint is kept once, and one older than the parcel's newest joins the history
//! without moving the parcel (`tracking::record`, the demo's mover's own step). `import.rs`
//! feeds files through the same way in ([`take_batch`]); `kuaidi100.rs` maps Kuaidi100's push
//! onto [`take`].

mod batch;
mod checkpoints;
mod customers;
pub mod import;
pub mod keys;
pub mod kuaidi100;
mod orders;
pub mod signed;

pub use batch::{records, settle, take, take_batch, Kind, Refusal};
pub use checkpoints::source_key;

use crate::error::ApiResult;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use portico_api::IngestReport;

/// A batch request: signed, then its records taken.
async fn signed_batch(
    state: &AppState,
    kind: Kind,
    (method, uri, headers, body): (Method, Uri, HeaderMap, Bytes),
) -> ApiResult<Response> {
    let seal = signed::check(state, &method, &uri, &headers, &body).await?;
    let records = records(&body)?;
    Ok(batch::answer(
        take(state, kind, &records, Some(&seal)).await?,
    ))
}

/// Upserts customers by the retailer's id. Each record is `added`, `updated`, `unchanged` (the
/// same `updated_at` again, or an older one) or `refused` with the field and why (an email or
/// phone another customer has, a malformed value). 200 when none was refused; else 422
/// `invalid_record` with the report, the others kept.
#[utoipa::path(post, path = portico_api::paths::INGEST_CUSTOMERS, tag = "ingest", operation_id = "ingest_customers",
    security(("integration_key" = [])),
    request_body = portico_api::CustomerBatch,
    responses((status = 200, description = "Every record taken; each one's outcome.", body = IngestReport),
        (status = 400), (status = 401), (status = 409), (status = 413), (status = 422)))]
pub async fn customers(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    signed_batch(&state, Kind::Customers, (method, uri, headers, body)).await
}

/// Upserts orders by the retailer's id, with their lines (by their place), payment state and
/// amounts, and parcels (by the retailer's id, with any checkpoints known). A record whose
/// `updated_at` is not newer than the one taken is `unchanged`. The buyer (`customer`) must have
/// been sent before. 200 when none was refused; else 422 `invalid_record` with the report, the
/// others kept. A parcel delivered invites its buyer to a survey; the buyer's tier counts the
/// order's spend.
#[utoipa::path(post, path = portico_api::paths::INGEST_ORDERS, tag = "ingest", operation_id = "ingest_orders",
    security(("integration_key" = [])),
    request_body = portico_api::OrderBatch,
    responses((status = 200, description = "Every record taken; each one's outcome.", body = IngestReport),
        (status = 400), (status = 401), (status = 409), (status = 413), (status = 422)))]
pub async fn orders(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    signed_batch(&state, Kind::Orders, (method, uri, headers, body)).await
}

/// Adds carrier checkpoints to parcels sent before (by the parcel's id). The same event twice is
/// `unchanged`; one older than the parcel's newest is kept in its history (`added`) without
/// moving the parcel back; a newer one moves the parcel (delivered: its buyer is invited to a
/// survey, the return window opens). 200 when none was refused; else 422 `invalid_record` with
/// the report, the others kept.
#[utoipa::path(post, path = portico_api::paths::INGEST_CHECKPOINTS, tag = "ingest", operation_id = "ingest_checkpoints",
    security(("integration_key" = [])),
    request_body = portico_api::CheckpointBatch,
    responses((status = 200, description = "Every record taken; each one's outcome.", body = IngestReport),
        (status = 400), (status = 401), (status = 409), (status = 413), (status = 422)))]
pub async fn checkpoints(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    signed_batch(&state, Kind::Checkpoints, (method, uri, headers, body)).await
}

/// The ingest API and the staff's integration keys.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(keys::list, keys::add))
        .routes(routes!(keys::rotate))
        .routes(routes!(keys::revoke))
        .routes(routes!(customers))
        .routes(routes!(orders))
        .routes(routes!(checkpoints))
        .routes(routes!(kuaidi100::push))
}
