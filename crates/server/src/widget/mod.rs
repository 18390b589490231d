//! The embeddable widget's API, `/api/widget/{key}/...`: what a partner's page may ask on a
//! visitor's behalf. Every request names the partner by its public key and must come from one
//! of that partner's page origins (`Origin`, checked here; CORS answers only that origin, never
//! with credentials); others are a 403 problem, preflights included, which any page may read
//! (so the widget can say it is not available on this site) and nothing more. Nothing here reads or sets
//! a cookie: a visitor gets what they prove in the request — an order number with its email or
//! phone, a survey link's token, or an identity token the partner's backend signed (`identity`).
//! `demo` is the demo partner's own page, served on a second address; `partners` is how admins
//! add and change partners (the staff app).

pub mod demo;
pub mod identity;
pub mod partners;

use crate::error::{problem, ApiError, ApiJson, ApiQuery, ApiResult};
use crate::feedback::{self, Sender};
use crate::rate_limit::{self, limit, ClientIp};
use crate::state::AppState;
use crate::{auth, guest, loyalty, surveys};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use portico_api::{
    Contact, ErrorCode, FeedbackReceipt, FeedbackRequest, GuestLookupRequest, IdentityProof,
    OrderDetail, PartnerSurvey, ResponseId, SurveyAnswers, SurveyInvitation, SurveyResponse,
    TierBadge, Touchpoint, WidgetFeature, WidgetSettings,
};
use serde::Deserialize;
use sqlx::AnyPool;

/// The key of the partner `make run` seeds (its page: `--partner-demo-addr`).
pub const DEMO_PARTNER_KEY: &str = "pk_demo_partner_0001";

/// A partner, as a widget request finds it (put in the request's extensions by [`guard`]).
#[derive(Debug, Clone)]
pub struct Partner {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub features: Vec<WidgetFeature>,
    pub accent: String,
    pub default_locale: String,
    pub secret: String,
    pub origins: Vec<String>,
    /// The survey the partner runs for every visitor, by its touchpoint, if any.
    pub active_survey: Option<Touchpoint>,
}

impl Partner {
    /// `disabled` (404) unless the partner's widget offers `feature`.
    fn offers(&self, feature: WidgetFeature) -> ApiResult<()> {
        if self.features.contains(&feature) {
            Ok(())
        } else {
            Err(ErrorCode::Disabled.into())
        }
    }
}

/// A key as partners are given them: `pk_` and up to 64 letters, digits or underscores.
fn well_formed(key: &str) -> bool {
    key.strip_prefix("pk_").is_some_and(|rest| {
        (1..=64).contains(&rest.len())
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    id: i64,
    name: String,
    features: String,
    accent: String,
    default_locale: String,
    identity_secret: String,
    active_survey: Option<String>,
    origin: Option<String>,
}

/// The enabled partner with public key `key`.
pub async fn find(db: &AnyPool, key: &str) -> ApiResult<Option<Partner>> {
    if !well_formed(key) {
        return Ok(None);
    }
    // One round trip on every widget request: the partner's row once per origin it allows.
    let rows: Vec<PartnerRow> = sqlx::query_as(
        "SELECT p.id, p.name, p.features, p.accent, p.default_locale, p.identity_secret, \
         p.active_survey, o.origin \
         FROM partners p LEFT JOIN partner_origins o ON o.partner_id = p.id \
         WHERE p.public_key = $1 AND p.enabled",
    )
    .bind(key)
    .fetch_all(db)
    .await?;
    let origins = rows.iter().filter_map(|row| row.origin.clone()).collect();
    let Some(PartnerRow {
        id,
        name,
        features,
        accent,
        default_locale,
        identity_secret: secret,
        active_survey,
        ..
    }) = rows.into_iter().next()
    else {
        return Ok(None);
    };
    let features = features
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| WidgetFeature::parse(f).ok_or(ApiError::Corrupt("a partner's feature")))
        .collect::<ApiResult<_>>()?;
    let active_survey = active_survey
        .map(|id| Touchpoint::parse(&id).ok_or(ApiError::Corrupt("a partner's survey")))
        .transpose()?;
    Ok(Some(Partner {
        id,
        key: key.to_string(),
        name,
        features,
        accent,
        default_locale,
        secret,
        origins,
        active_survey,
    }))
}

const ALLOW_METHODS: &str = "GET, POST, PUT";
const ALLOW_HEADERS: &str = "content-type, accept, idempotency-key";

/// Every widget request: the partner is found by the key in the path (404 otherwise), the page's
/// `Origin` must be one of the partner's (403 otherwise, preflights too), and the visitor and
/// the partner each stay under their limits (a preflight is not counted). Every answer,
/// refusals included, tells the browser that this origin (and only it) may read it; the guard's
/// own refusals (no such partner, not its page) are readable by any page ([`readable`]).
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let key = request
        .uri()
        .path()
        .strip_prefix(portico_api::paths::WIDGET)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_string();
    let partner = match find(&state.db, &key).await {
        Ok(Some(partner)) => partner,
        Ok(None) => return readable(problem(ErrorCode::NotFound, None, None)),
        Err(error) => return error.into_response(),
    };
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
        .map(str::to_ascii_lowercase);
    let Some(origin) = origin.filter(|origin| partner.origins.contains(origin)) else {
        return readable(problem(
            ErrorCode::Forbidden,
            Some("the page's origin is not one of this partner's".into()),
            None,
        ));
    };
    let allow = HeaderValue::from_str(&origin).expect("an origin from a header is a header");
    let preflight = request.method() == Method::OPTIONS;
    let ClientIp(ip) = ClientIp::of(&state, request.headers(), request.extensions());
    let limited = if preflight {
        Ok(())
    } else {
        match limit(
            &state,
            rate_limit::WIDGET_PER_VISITOR,
            &rate_limit::requester(&ip, &partner.key),
        )
        .await
        {
            Ok(()) => limit(&state, rate_limit::WIDGET_PER_PARTNER, &partner.key).await,
            refused => refused,
        }
    };
    let mut response = match limited {
        Err(refused) => refused.into_response(),
        Ok(()) => {
            request.extensions_mut().insert(partner);
            next.run(request).await
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("retry-after"),
    );
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    response
}

/// A refusal any page may read, so that the widget on a page the partner did not list says
/// "not available on this site" rather than "no connection" (a response without CORS headers is
/// a network error to a script). `*` grants nothing: no credentials, no preflight (a refused
/// preflight stays a failure to the browser; the widget's first request, its settings, needs
/// none), and the body says only that this page gets nothing here.
fn readable(mut refusal: Response) -> Response {
    let headers = refusal.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.append(header::VARY, HeaderValue::from_static("origin"));
    refusal
}

/// A browser's preflight from one of the partner's pages (others never get here): what the
/// widget may send.
pub async fn preflight() -> Response {
    let mut preflight = StatusCode::NO_CONTENT.into_response();
    let headers = preflight.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    preflight
}

/// The partner's widget: its name, what it offers (in the panel's order), its accent colour and
/// the language it speaks when the page and the browser say nothing.
#[utoipa::path(get, path = "/api/widget/{key}", tag = "widget", operation_id = "widget_settings",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key (the script tag's `data-partner`)")),
    responses((status = 200, description = "The partner's widget.", body = WidgetSettings),
        (status = 403), (status = 404), (status = 429)))]
pub async fn settings(Extension(partner): Extension<Partner>) -> Json<WidgetSettings> {
    let active_survey = partner.survey().is_ok();
    Json(WidgetSettings {
        partner: partner.name,
        features: partner.features,
        accent: partner.accent,
        default_locale: partner.default_locale,
        active_survey,
    })
}

/// An order by its number and the buyer's email or phone (or the recipient's phone), masked, as
/// the portal's guest lookup shows it and under the same limits; no session is made.
#[utoipa::path(post, path = "/api/widget/{key}/lookup", tag = "widget", operation_id = "widget_lookup",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key")),
    request_body = GuestLookupRequest,
    responses((status = 200, description = "The order, masked.", body = OrderDetail),
        (status = 400), (status = 403), (status = 404), (status = 413), (status = 415), (status = 422), (status = 429)))]
pub async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(partner): Extension<Partner>,
    ApiJson(body): ApiJson<GuestLookupRequest>,
) -> ApiResult<Json<OrderDetail>> {
    partner.offers(WidgetFeature::Lookup)?;
    let (_, detail) = guest::prove(&state, &ip, &body).await?;
    Ok(Json(detail))
}

/// A message from the widget, kept with the partner's name, once under the id the widget made
/// (the feedback button's rules: 1-2000 characters, a rating 1-5). A widget proves no order, so
/// a message naming one is a 404.
#[utoipa::path(post, path = "/api/widget/{key}/feedback", tag = "widget", operation_id = "widget_feedback",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key")),
    request_body = FeedbackRequest,
    responses((status = 201, description = "Received.", body = FeedbackReceipt),
        (status = 200, description = "Received before (the same id and message).", body = FeedbackReceipt),
        (status = 400), (status = 403), (status = 404), (status = 409), (status = 413), (status = 415),
        (status = 422), (status = 429)))]
pub async fn send_feedback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Extension(partner): Extension<Partner>,
    ApiJson(asked): ApiJson<FeedbackRequest>,
) -> ApiResult<(StatusCode, Json<FeedbackReceipt>)> {
    partner.offers(WidgetFeature::Feedback)?;
    limit(&state, rate_limit::FEEDBACK_PER_IP, &ip).await?;
    let sender = Sender {
        caller: auth::Caller::default(),
        partner: Some(partner.id),
    };
    feedback::receive(&state, &sender, &asked).await
}

/// The tier badge: the tier of the customer an identity token names, if the partner's secret
/// signed it, it has not expired and it lives at most 24 hours; anything else (a forged or
/// expired token, or one naming nobody) is one 401 `invalid_identity`. Nothing else of the
/// customer is told.
#[utoipa::path(post, path = "/api/widget/{key}/identity", tag = "widget", operation_id = "widget_identity",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key")),
    request_body = IdentityProof,
    responses((status = 200, description = "The visitor's tier.", body = TierBadge),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 413), (status = 415), (status = 422), (status = 429)))]
pub async fn identify(
    State(state): State<AppState>,
    Extension(partner): Extension<Partner>,
    ApiJson(proof): ApiJson<IdentityProof>,
) -> ApiResult<Json<TierBadge>> {
    partner.offers(WidgetFeature::TierBadge)?;
    let now = state.clock.now();
    let sub = identity::verify(&partner.secret, &proof.token, now).map_err(|why| {
        tracing::debug!(?why, partner = partner.key, "identity token refused");
        ErrorCode::InvalidIdentity
    })?;
    let contact = Contact::from_wire(&sub).map_err(|_| ErrorCode::InvalidIdentity)?;
    let customer = auth::find_customer(&state, &contact)
        .await?
        .ok_or(ErrorCode::InvalidIdentity)?
        .id;
    let standing = loyalty::refresh(&state.db, customer, now).await?;
    let tier = &standing.tiers[standing.rank];
    Ok(Json(TierBadge {
        tier: tier.code.clone(),
        name: tier.name.clone(),
    }))
}

/// A survey link opened in the widget: what `GET /api/surveys/{token}` answers.
#[utoipa::path(get, path = "/api/widget/{key}/surveys/{token}", tag = "widget", operation_id = "widget_survey",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key"),
        ("token" = String, Path, max_length = 100, description = "The token of the survey link")),
    responses((status = 200, description = "The survey and the response so far.", body = SurveyInvitation),
        (status = 403), (status = 404), (status = 410), (status = 429)))]
pub async fn survey(
    State(state): State<AppState>,
    ip: ClientIp,
    Extension(partner): Extension<Partner>,
    Path(path): Path<(String, String)>,
) -> ApiResult<Json<SurveyInvitation>> {
    partner.offers(WidgetFeature::Survey)?;
    surveys::survey(State(state), ip, Path(path.1)).await
}

/// Saves the widget's answers so far: what `PUT /api/surveys/{token}/response` does.
#[utoipa::path(put, path = "/api/widget/{key}/surveys/{token}/response", tag = "widget", operation_id = "widget_save_survey_response",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key"),
        ("token" = String, Path, max_length = 100, description = "The token of the survey link")),
    request_body = SurveyAnswers,
    responses((status = 200, description = "The response as stored now.", body = SurveyResponse),
        (status = 400), (status = 403), (status = 404), (status = 409), (status = 410), (status = 413),
        (status = 415), (status = 422), (status = 429)))]
pub async fn save_survey(
    State(state): State<AppState>,
    ip: ClientIp,
    Extension(partner): Extension<Partner>,
    Path(path): Path<(String, String)>,
    body: ApiJson<SurveyAnswers>,
) -> ApiResult<Json<SurveyResponse>> {
    partner.offers(WidgetFeature::Survey)?;
    surveys::save(State(state), ip, Path(path.1), body).await
}

impl Partner {
    /// The survey the partner runs for every visitor: `disabled` (404) when it runs none.
    fn survey(&self) -> ApiResult<Touchpoint> {
        self.offers(WidgetFeature::Survey)?;
        self.active_survey.ok_or_else(|| ErrorCode::Disabled.into())
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerSurveyQuery {
    /// The id the visitor's browser made for its response, to read the response so far.
    #[param(pattern = "^[A-Za-z0-9_-]{16,64}$")]
    response: Option<ResponseId>,
}

/// The partner's own survey, open to every visitor of its pages (no invitation, nobody known);
/// with `response`, that response so far when it is this partner's.
#[utoipa::path(get, path = "/api/widget/{key}/survey", tag = "widget", operation_id = "widget_partner_survey",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key"),
        PartnerSurveyQuery),
    responses((status = 200, description = "The survey and the visitor's response so far.", body = PartnerSurvey),
        (status = 400), (status = 403), (status = 404), (status = 429)))]
pub async fn partner_survey(
    State(state): State<AppState>,
    Extension(partner): Extension<Partner>,
    ApiQuery(query): ApiQuery<PartnerSurveyQuery>,
) -> ApiResult<Json<PartnerSurvey>> {
    let touchpoint = partner.survey()?;
    Ok(Json(
        surveys::partner_survey(&state, partner.id, touchpoint, query.response.as_ref()).await?,
    ))
}

/// Saves a visitor's answers to the partner's survey, as a survey link's are saved (merged per
/// question, checked, editable 24 hours after finishing), under the id the visitor's browser
/// made: an id already used by another response is `response_id_reused`.
#[utoipa::path(put, path = "/api/widget/{key}/survey/response", tag = "widget", operation_id = "widget_save_partner_survey",
    params(("key" = String, Path, pattern = "^pk_[A-Za-z0-9_]{1,64}$", description = "The partner's public key")),
    request_body = SurveyAnswers,
    responses((status = 200, description = "The response as stored now.", body = SurveyResponse),
        (status = 400), (status = 403), (status = 404), (status = 409), (status = 413),
        (status = 415), (status = 422), (status = 429)))]
pub async fn save_partner_survey(
    State(state): State<AppState>,
    Extension(partner): Extension<Partner>,
    ApiJson(body): ApiJson<SurveyAnswers>,
) -> ApiResult<Json<SurveyResponse>> {
    let survey = surveys::definitions::survey_for(partner.survey()?);
    let owner = surveys::Owner::Partner(partner.id);
    Ok(Json(
        surveys::save_answers(&state, owner, &survey, &body).await?,
    ))
}

/// Seeds the demo partner (every feature, an active survey, the origins of its demo page) unless
/// it exists; the origins of `page` (the address its page is served on) are added if missing.
pub async fn seed_demo_partner(
    db: &AnyPool,
    page: Option<std::net::SocketAddr>,
) -> Result<(), sqlx::Error> {
    use rand::Rng;
    let secret = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    let features: Vec<&str> = WidgetFeature::ALL.iter().map(|f| f.as_str()).collect();
    sqlx::query(
        "INSERT INTO partners (public_key, name, features, accent, default_locale, identity_secret, active_survey) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (public_key) DO NOTHING",
    )
    .bind(DEMO_PARTNER_KEY)
    .bind(demo::PARTNER_NAME)
    .bind(features.join(","))
    .bind("#1f6f4a")
    .bind("zh-CN")
    .bind(secret)
    // Its visitors are asked how likely they are to recommend the shop (NPS).
    .bind(Touchpoint::Support.as_str())
    .execute(db)
    .await?;
    let mut origins = vec![
        "http://127.0.0.1:8081".to_string(),
        "http://localhost:8081".to_string(),
    ];
    if let Some(page) = page {
        origins.push(format!("http://{page}"));
        origins.push(format!("http://localhost:{}", page.port()));
    }
    for origin in origins {
        sqlx::query(
            "INSERT INTO partner_origins (partner_id, origin) \
             SELECT id, $1 FROM partners WHERE public_key = $2 ON CONFLICT DO NOTHING",
        )
        .bind(origin)
        .bind(DEMO_PARTNER_KEY)
        .execute(db)
        .await?;
    }
    Ok(())
}

/// The widget's API, each route answering CORS preflight; `app` puts it behind [`guard`].
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter, UtoipaMethodRouterExt};
    use utoipa_axum::routes;
    let cors = |route: UtoipaMethodRouter<AppState>| route.map(|route| route.options(preflight));
    OpenApiRouter::default()
        .routes(cors(routes!(settings)))
        .routes(cors(routes!(lookup)))
        .routes(cors(routes!(send_feedback)))
        .routes(cors(routes!(identify)))
        .routes(cors(routes!(survey)))
        .routes(cors(routes!(save_survey)))
        .routes(cors(routes!(partner_survey)))
        .routes(cors(routes!(save_partner_survey)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_told_by_their_form() {
        assert!(well_formed(DEMO_PARTNER_KEY));
        assert!(!well_formed("pk_"));
        assert!(!well_formed("sk_demo"));
        assert!(!well_formed("pk_demo/../x"));
        assert!(!well_formed(&format!("pk_{}", "a".repeat(65))));
    }
}
