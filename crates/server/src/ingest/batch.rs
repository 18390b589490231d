//! A batch taken: one write transaction (which keeps a signed request's signature too), each
//! record in a savepoint of its own, so a record refused leaves nothing behind and the others
//! are kept; the report of what became of each record, a refusal naming its field by path
//! (`items/1/quantity`); the checks every kind of record makes of its fields.

use super::signed::Seal;
use super::{checkpoints, customers, orders};
use crate::clock::parse_rfc3339;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_api::{
    Contact, ErrorCode, IngestReport, Outcome, RecordOutcome, RecordProblem, INGEST_MAX_RECORDS,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;

/// A record refused: what is wrong, in which field.
#[derive(Debug)]
pub struct Refusal {
    pub field: String,
    pub detail: String,
}

pub(super) fn refusal(field: &str, detail: impl Into<String>) -> Refusal {
    Refusal {
        field: field.into(),
        detail: detail.into(),
    }
}

/// A record's fate while it is taken: refused, or a database error that ends the batch.
pub(super) enum Failed {
    Record(Refusal),
    Batch(ApiError),
}

impl From<Refusal> for Failed {
    fn from(refusal: Refusal) -> Self {
        Failed::Record(refusal)
    }
}

impl<E: Into<ApiError>> From<E> for Failed {
    fn from(error: E) -> Self {
        Failed::Batch(error.into())
    }
}

/// A record read into its type, or refused naming the field serde stopped at.
pub(super) fn read<T: DeserializeOwned>(record: &Value) -> Result<T, Refusal> {
    serde_path_to_error::deserialize(record).map_err(|error| {
        let detail = error.inner().to_string();
        let at = error.path().to_string();
        // serde_path_to_error writes `items[1].quantity`; a field here is `items/1/quantity`.
        let at = if at == "." {
            String::new()
        } else {
            at.replace("].", "/")
                .replace(['[', '.'], "/")
                .replace(']', "")
        };
        // A missing field is named by serde's message, not by the path (which stops above it).
        let missing = detail
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        let field = match (missing, at.is_empty()) {
            (Some(name), true) => name.to_string(),
            (Some(name), false) => format!("{at}/{name}"),
            (None, _) => at,
        };
        Refusal { field, detail }
    })
}

/// The record's id as far as it can be read, for the report.
fn id_of(record: &Value, field: &str) -> Option<String> {
    record
        .get(field)
        .and_then(Value::as_str)
        .map(|id| id.chars().take(64).collect())
}

pub(super) fn external_id(field: &str, id: &str) -> Result<(), Refusal> {
    let shaped = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b));
    if shaped {
        Ok(())
    } else {
        Err(refusal(
            field,
            "an id is 1 to 64 letters, digits, '.', '_', ':' or '-'",
        ))
    }
}

pub(super) fn time(field: &str, text: &str) -> Result<i64, Refusal> {
    parse_rfc3339(text).ok_or_else(|| refusal(field, "not an RFC 3339 time"))
}

/// Typed text that is kept: 1 to `max` characters once trimmed (0 with `may_be_empty`), no
/// control characters.
pub(super) fn text(
    field: &str,
    value: &str,
    max: usize,
    may_be_empty: bool,
) -> Result<String, Refusal> {
    let trimmed = value.trim();
    if (!may_be_empty && trimmed.is_empty())
        || trimmed.chars().count() > max
        || value.chars().any(char::is_control)
    {
        let least = if may_be_empty { 0 } else { 1 };
        return Err(refusal(
            field,
            format!("{least} to {max} characters, no control characters"),
        ));
    }
    Ok(trimmed.to_string())
}

pub(super) fn phone(field: &str, value: &str) -> Result<String, Refusal> {
    match Contact::from_wire(value) {
        Ok(Contact::Phone(phone)) => Ok(phone),
        _ => Err(refusal(field, "an 11-digit mainland mobile number")),
    }
}

/// Whether a record of `version` is no newer than the one taken before (its `source_version`):
/// such a record changes nothing.
pub(super) fn taken_already(taken: Option<i64>, version: i64) -> bool {
    taken.is_some_and(|taken| version <= taken)
}

/// What a batch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Customers,
    Orders,
    Checkpoints,
    /// Checkpoints of a parcel known by its tracking number (a carrier's push, `kuaidi100.rs`).
    Tracked,
}

impl Kind {
    /// The field of a record that names it in the report.
    fn id_field(self) -> &'static str {
        match self {
            Kind::Checkpoints => "shipment",
            Kind::Tracked => "tracking_number",
            Kind::Customers | Kind::Orders => "id",
        }
    }
}

/// Takes a batch of `kind` records (the API's, the import's and the carrier push's one way in),
/// then what follows it outside the transaction ([`settle`]).
pub async fn take(
    state: &AppState,
    kind: Kind,
    records: &[Value],
    seal: Option<&Seal>,
) -> ApiResult<IngestReport> {
    let (report, buyers) = take_batch(state, kind, records, seal).await?;
    settle(state, buyers).await?;
    Ok(report)
}

/// Takes a batch of `kind` records: one write transaction (which keeps a signed request's
/// `seal` too), each record in a savepoint of its own. The report, and the buyers whose spend it
/// changed (for [`settle`]).
pub async fn take_batch(
    state: &AppState,
    kind: Kind,
    records: &[Value],
    seal: Option<&Seal>,
) -> ApiResult<(IngestReport, BTreeSet<i64>)> {
    let now = state.clock.now();
    let mut report = IngestReport::default();
    let mut buyers = BTreeSet::new();
    // A batch's records name any customers, orders and parcels, in no order a lock could
    // follow: it keeps every other writer out.
    let mut tx = db::write_for(&state.db, db::Lock::Everything).await?;
    if let Some(seal) = seal {
        seal.take(&mut tx, now).await?;
    }
    for (index, record) in records.iter().enumerate() {
        let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
        let taken = match kind {
            Kind::Customers => customers::take(&mut savepoint, record, now).await,
            Kind::Orders => orders::take(state, &mut savepoint, record).await,
            Kind::Checkpoints => checkpoints::take(state, &mut savepoint, record).await,
            Kind::Tracked => checkpoints::take_tracked(state, &mut savepoint, record).await,
        };
        let (outcome, problem) = match taken {
            Ok((outcome, buyer)) => {
                savepoint.commit().await?;
                buyers.extend(buyer);
                (outcome, None)
            }
            Err(Failed::Record(why)) => {
                savepoint.rollback().await?;
                (
                    Outcome::Refused,
                    Some(RecordProblem {
                        code: ErrorCode::InvalidRecord,
                        field: why.field,
                        detail: why.detail,
                    }),
                )
            }
            Err(Failed::Batch(error)) => return Err(error),
        };
        report.push(RecordOutcome {
            index: index as u32,
            id: id_of(record, kind.id_field()),
            outcome,
            problem,
        });
    }
    tx.commit().await?;
    Ok((report, buyers))
}

/// What follows taken records: their messages (survey invitations) woken, and the buyers' tiers
/// brought up to date with their spend (`loyalty::refresh`, as reading them would).
pub async fn settle(state: &AppState, buyers: BTreeSet<i64>) -> ApiResult<()> {
    state.notifier.wake();
    let now = state.clock.now();
    for customer in buyers {
        crate::loyalty::refresh(&state.db, customer, now).await?;
    }
    Ok(())
}

/// What taking one record did, and the buyer whose tier it may change.
pub(super) type Taken = Result<(Outcome, Option<i64>), Failed>;

/// The records of a batch body `{"records": [...]}`, 1 to 500 of them (else the request's 400 or
/// 422, nothing taken).
pub fn records(body: &[u8]) -> ApiResult<Vec<Value>> {
    #[derive(serde::Deserialize)]
    struct Batch {
        records: Vec<Value>,
    }
    let batch: Batch = serde_json::from_slice(body).map_err(|error| {
        ApiError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the body is {{\"records\": [...]}}: {error}"),
        )
    })?;
    if batch.records.is_empty() || batch.records.len() > INGEST_MAX_RECORDS {
        return Err(ApiError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("a batch has 1 to {INGEST_MAX_RECORDS} records"),
        ));
    }
    Ok(batch.records)
}

/// The answer to a batch: 200 with the report when every record was taken, else a 422
/// `invalid_record` problem document carrying the report as `report` (the others were kept).
pub(super) fn answer(report: IngestReport) -> Response {
    if report.refused == 0 {
        return Json(report).into_response();
    }
    let detail = format!(
        "{} of {} records were refused (see report); the others were kept",
        report.refused,
        report.records.len()
    );
    let mut document = serde_json::to_value(crate::error::problem_body(
        ErrorCode::InvalidRecord,
        Some(detail),
    ))
    .unwrap_or_default();
    document["report"] = serde_json::to_value(&report).unwrap_or_default();
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(document)).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    response
}
