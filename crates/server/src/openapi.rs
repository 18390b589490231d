//! The OpenAPI document, generated from the handlers and the contract's types. Each capability's
//! router (`returns::router()`, ...) brings its operations, `crate::documented` merges them into
//! [`ApiDoc`], and [`finish`] makes it describe the wire as it is: each operation lists every
//! status it can answer; [`WireTruths`] gives every error status its `application/problem+json`
//! body, adds the 503 any request can meet, the `Retry-After` of a 429, and the session cookie as
//! a security scheme. Schemathesis checks the served document against the running server in
//! `make test`.

use crate::auth::session_cookie;
use crate::config::Config;
use crate::state::AppState;
use axum::routing::{get, MethodRouter};
use axum::Json;
use std::sync::Arc;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi};

/// What no handler says: the title, the shared schemas and the `ingest` tag.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portico services",
        description = "The contract between the Portico app and the services it calls. Errors are \
            RFC 9457 problem documents with a stable `code`. Requests carry exact forms (an order \
            number is `PT` + 8 digits, a contact an 11-digit mainland mobile number or an ASCII \
            email); apps normalize what people type. Writes from a browser must come from the \
            portal's own origin; the widget's API (`/api/widget/{key}/...`) answers only the \
            partner's page origins, with CORS and never with cookies."
    ),
    components(schemas(portico_api::RuntimeConfig, portico_api::ErrorCode, portico_api::Problem)),
    tags((name = "ingest", description = INGEST_TAG))
)]
pub struct ApiDoc;

/// How the retailer's systems sign what they send (`ingest::signed`).
const INGEST_TAG: &str = "The retailer's systems send customers, orders (with their lines, payment and \
    parcels) and carrier checkpoints, by their own ids, in batches of 1 to 500 records. Every request is \
    signed with an integration key an admin made (`POST /api/staff/integrations`, the secret shown \
    once): `X-Portico-Key` is the key's id (`ik_...`), `X-Portico-Timestamp` the current unix time in \
    seconds, and `X-Portico-Signature` the lower-case hex HMAC-SHA256, keyed with the secret's 64 \
    characters as bytes, of the method, a line feed, the path (with its query, if any), a line feed, \
    the timestamp, a line feed, then the body's bytes exactly as sent: \
    `hex(HMAC_SHA256(secret, \"POST\\n/api/ingest/orders\\n1765120000\\n\" + body))`. A missing or \
    wrong signature, or a key unknown or revoked, is a 401 `invalid_signature`; a timestamp more than \
    `PORTICO_INGEST_WINDOW_SECS` (300) from the server's clock a 401 `stale_request`; the same \
    signature a second time a 409 `replayed_request` (sign every request afresh; a retry with a new \
    timestamp is safe: writes are idempotent). Every record carries the retailer's `updated_at` (a \
    checkpoint its time): one no newer than what was taken changes nothing, a checkpoint older than \
    the parcel's newest joins its history without moving it back. The answer lists each record's \
    outcome (`added`, `updated`, `unchanged`, `refused` with the field and why); with a record \
    refused it is a 422 `invalid_record` problem whose `report` says so, the valid records kept. \
    Kuaidi100's push (`/api/ingest/kuaidi100`) is signed Kuaidi100's way instead: `sign` = \
    MD5(param + salt), upper-case hex, the salt `PORTICO_KUAIDI100_SALT`.";

/// The cookie name the committed document carries (plain http, as `make run`).
const DEFAULT_COOKIE: &str = "portico_session";
const DEFAULT_STAFF_COOKIE: &str = "portico_staff";

struct WireTruths;

impl Modify for WireTruths {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                DEFAULT_COOKIE,
                "The session cookie set by sign-in or a guest lookup (HttpOnly). Over https it \
                 is `__Host-portico_session`.",
            ))),
        );
        components.add_security_scheme(
            "staff_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                DEFAULT_STAFF_COOKIE,
                "The staff session cookie set by staff sign-in (HttpOnly, SameSite=Strict, 8 \
                 hours). Over https it is `__Host-portico_staff`. Staff writes also carry the \
                 session's CSRF token in `X-CSRF-Token`.",
            ))),
        );
        components.add_security_scheme(
            "integration_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Portico-Key",
                "An integration key's id, with X-Portico-Timestamp and X-Portico-Signature (an \
                 HMAC-SHA256 of the request under the key's secret: see the `ingest` tag).",
            ))),
        );
        bounds_the_types_leave_out(doc);
        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                responses.insert("503".into(), RefOr::T(Response::default()));
                for (status, response) in responses.iter_mut() {
                    if status.as_str() >= "400" {
                        *response = RefOr::T(problem_response(status));
                    }
                }
            }
        }
    }
}

/// Typed text that is not blank: no control character but a line break or a tab
/// ([`portico_api::typed_text`]), and one character that is neither a control character nor one
/// `str::trim` takes away (Unicode White_Space).
const TYPED_NOT_BLANK: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*\
    [^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]\
    [^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";

/// Bounds the server enforces that the contract's types do not state: a feedback text and a
/// send-back comment are typed text, not blank (and a feedback text's length); a score is one
/// byte; an answer's value has exactly one key, and a draft's block only its kind's fields
/// (serde's `deny_unknown_fields` on a tagged enum, which utoipa does not carry over).
fn bounds_the_types_leave_out(doc: &mut utoipa::openapi::OpenApi) {
    let Ok(mut tree) = serde_json::to_value(&*doc) else {
        return;
    };
    let schemas = &mut tree["components"]["schemas"];
    if let Some(text) = schemas.pointer_mut("/FeedbackRequest/properties/text") {
        text["minLength"] = 1.into();
        text["maxLength"] = portico_api::FEEDBACK_MAX_CHARS.into();
    }
    for typed in [
        "/FeedbackRequest/properties/text",
        "/SendBack/properties/comment",
    ] {
        if let Some(text) = schemas.pointer_mut(typed) {
            text["pattern"] = TYPED_NOT_BLANK.into();
        }
    }
    for closed in ["/AnswerValue/oneOf", "/DraftBlock/oneOf"] {
        if let Some(variants) = schemas.pointer_mut(closed).and_then(|v| v.as_array_mut()) {
            for variant in variants {
                variant["additionalProperties"] = false.into();
                if let Some(score) = variant.pointer_mut("/properties/score") {
                    score["maximum"] = u8::MAX.into();
                }
            }
        }
    }
    if let Ok(tightened) = serde_json::from_value(tree) {
        *doc = tightened;
    }
}

fn problem_response(status: &str) -> Response {
    let description = match status {
        "400" => {
            "The body is not JSON, or a parameter is out of its bounds (`bad_request`), or a \
             write that must happen once came without an `Idempotency-Key` \
             (`idempotency_key_required`); a partner's name blank or over 100 characters, no \
             feature or one twice, an accent not `#rrggbb`, or a survey both named and cleared \
             (`bad_request`)."
        }
        "401" => {
            "A session is needed (`unauthorized`; on the staff API a staff session, which a \
             customer's is not), or the widget's identity token is forged, expired, lives \
             longer than 24 hours or names nobody (`invalid_identity`), or a staff sign-in's \
             email and password match no enabled account (`invalid_credentials`)."
        }
        "403" => {
            "A write from a browser on another site (`forbidden`); on the widget's API, a page \
             origin (`Origin`) that is not one of the partner's, or none (`forbidden`); on the \
             staff API, a write without the session's `X-CSRF-Token`, or a role that may not do \
             this (`forbidden`)."
        }
        "404" => "Nothing here, or nothing this caller may see; the two are never told apart.",
        "409" => {
            "The return has gone too far for this, e.g. it was handed over (`return_locked`), \
             the pickup slot asked for is fully booked (`pickup_slot_full`), or the variant asked \
             for in exchange has too few units in stock (`out_of_stock`); a survey finished more \
             than 24 hours ago (`survey_closed`); a response or feedback id already used for \
             another link or another message (`response_id_reused`); a staff email already \
             used (`staff_exists`), or a change that would leave no enabled admin (`last_admin`); \
             a draft saved since the revision named (`edit_conflict`), a page slug taken \
             (`page_exists`), or nothing of a page published to take down or restore \
             (`not_published`); \
             a return another reviewer decided first (`already_decided`), or that no longer \
             waits for review (`return_locked`)."
        }
        "410" => "The link worked once and has expired (`link_expired`).",
        "413" => "The body is larger than 2 MB (`bad_request`).",
        "415" => "The body is not `application/json` (`bad_request`).",
        "422" => {
            "The body does not have the documented shape (`bad_request`), or a value is refused \
             (`invalid_contact`, `invalid_order_number`, `invalid_code`, `code_expired`, \
             `too_many_attempts`, `not_returnable` with the line and why in `detail`, \
             `idempotency_key_reused`, `pickup_slot_required`, `pickup_slot_unavailable`, \
             `exchange_not_offered` with the line and why in `detail`, `invalid_answer` with \
             the question in `detail`, `weak_password`: a staff password of 12 to 128 characters; \
             `page_invalid`: a draft with text customers cannot be shown, `missing_language`: a \
             draft without text in a language, `invalid_origin`: a partner's page origin that is \
             not `http(s)://host[:port]`), \
             or a review's reason is refused (`bad_request`: blank for a rejection, over 500 \
             characters, or with a control character)."
        }
        "429" => "Too many requests (`rate_limited`); `Retry-After` says when to come back.",
        "500" => {
            "The service failed (`internal`), e.g. stored content it can no longer read; it is \
             logged, and nothing of it is shown."
        }
        "503" => "The request took too long or the service is overloaded (`unavailable`); retry.",
        _ => "A problem document.",
    };
    let mut response = ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    );
    if status == "429" {
        response = response.header(
            "retry-after",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                )
                .description(Some("Seconds until the limit opens again."))
                .build(),
        );
    }
    response.build()
}

/// The document of the routers' operations, with the wire truths added.
pub(crate) fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    WireTruths.modify(&mut doc);
    doc
}

/// The document as pretty JSON (what `openapi.json` in the repository holds).
pub fn json() -> String {
    crate::documented(None)
        .2
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

/// The route serving the document, naming the session cookies this deployment really uses.
pub fn served(mut doc: utoipa::openapi::OpenApi, config: &Config) -> MethodRouter<AppState> {
    let names = [
        ("session", session_cookie(config)),
        ("staff_session", crate::staff::staff_cookie(config)),
    ];
    if let Some(components) = doc.components.as_mut() {
        for (scheme, name) in names {
            if let Some(SecurityScheme::ApiKey(ApiKey::Cookie(value))) =
                components.security_schemes.get_mut(scheme)
            {
                value.name = name.to_string();
            }
        }
    }
    let doc = Arc::new(doc);
    get(move || std::future::ready(Json(utoipa::openapi::OpenApi::clone(&doc))))
}
