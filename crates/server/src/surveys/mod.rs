//! Surveys after a service: invitations made when a parcel is delivered, a return completed or a
//! ticket solved (throttled per customer, never to one who opted out), each with a signed link
//! (`token`); what the link opens (`GET /api/surveys/{token}`); saving the answers as they are
//! given (`PUT .../response`, merged per question, one response per invitation under the id the
//! client made); opting out. A detractor's finished response opens one follow-up case.
//! `definitions` holds the surveys, `metrics` the numbers, `demo` the seeded responses.

pub mod definitions;
pub mod demo;
pub mod metrics;
pub mod token;

use crate::clock::rfc3339;
use crate::db::{self, Flag};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::notify::Notice;
use crate::rate_limit::{self, limit, ClientIp};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use definitions::{detractor, scale_of, survey_for};
use portico_api::{
    Answer, AnswerError, AnswerValue, ErrorCode, Localized, PartnerSurvey, ResponseId, Survey,
    SurveyAnswers, SurveyInvitation, SurveyResponse, SurveySubject, Touchpoint,
};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
/// How long a finished response may still be changed.
pub const EDIT_WINDOW_SECS: i64 = 24 * HOUR;
/// When a detractor's follow-up is due, from when it was opened.
pub const FOLLOW_UP_SECS: i64 = 48 * HOUR;

/// A service a survey can follow.
#[derive(Debug, Clone)]
pub struct Service {
    pub customer: i64,
    pub touchpoint: Touchpoint,
    /// The order, return or ticket number.
    pub reference: String,
    /// When it happened.
    pub served_at: i64,
}

/// The path a survey link opens in the portal (`/s/TOKEN`).
pub fn link_path(token: &str) -> String {
    format!("/s/{token}")
}

/// Invites the customer to a survey about `service`, unless they opted out or were invited within
/// the deployment's throttle (`PORTICO_SURVEY_THROTTLE_DAYS`); the message goes out off the
/// request path. The invitation's token, when one was made.
pub async fn invite(state: &AppState, service: &Service) -> ApiResult<Option<String>> {
    let mut db = state.db.acquire().await?;
    make_invitation(state, &mut db, service, true).await
}

/// Makes the invitation and sends its message; with `honour_limits`, only when the customer has
/// not opted out and had no invitation within the throttle, decided in the same statement that
/// writes it (two services at once make at most one).
async fn make_invitation(
    state: &AppState,
    db: &mut AnyConnection,
    service: &Service,
    honour_limits: bool,
) -> ApiResult<Option<String>> {
    let now = state.clock.now();
    let expires_at = now + token::LINK_TTL_SECS;
    let since = now - i64::from(state.config.survey_throttle_days) * DAY;
    // What is read below decides: no invitation lately. A customer another transaction is
    // inviting right now is not invited twice (nor waited for).
    if honour_limits && !db::try_lock(db, db::Lock::Invitations(service.customer)).await? {
        return Ok(None);
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO survey_invitations (customer_id, touchpoint, reference, served_at, created_at, expires_at) \
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT $7 OR (\
           NOT EXISTS (SELECT 1 FROM customers WHERE id = $8 AND surveys_opt_out) \
           AND NOT EXISTS (SELECT 1 FROM survey_invitations WHERE customer_id = $9 AND created_at > $10)) \
         RETURNING id",
    )
    .bind(service.customer)
    .bind(service.touchpoint.as_str())
    .bind(&service.reference)
    .bind(service.served_at)
    .bind(now)
    .bind(expires_at)
    .bind(honour_limits)
    .bind(service.customer)
    .bind(service.customer)
    .bind(since)
    .fetch_optional(&mut *db)
    .await?;
    let Some(id) = id else { return Ok(None) };
    let token = token::token(&state.survey_key, id, expires_at);
    let origin = state
        .config
        .public_url
        .as_ref()
        .map(|url| url.origin.as_str())
        .unwrap_or_default();
    let link = format!("{origin}{}", link_path(&token));
    let notice = Notice::SurveyInvitation {
        invitation_id: id,
        link,
    };
    state.notifier.send(&mut *db, notice, now).await?;
    Ok(Some(token))
}

/// Invites after a service event without failing the event: a survey is a courtesy.
/// In the caller's transaction `db`, which a failure here leaves as it was (a savepoint).
pub async fn invite_after(state: &AppState, db: &mut AnyConnection, service: Service) {
    let invited = async {
        let mut savepoint = sqlx::Connection::begin(&mut *db).await?;
        make_invitation(state, &mut savepoint, &service, true).await?;
        savepoint.commit().await?;
        ApiResult::Ok(())
    };
    if let Err(error) = invited.await {
        tracing::warn!(%error, reference = service.reference, "could not invite to a survey");
    }
}

/// The names of the items a service concerned: an order's lines, a return's (none for a ticket).
pub async fn subject_items(
    db: impl sqlx::AnyExecutor<'_>,
    touchpoint: Touchpoint,
    reference: &str,
) -> Result<Vec<Localized>, sqlx::Error> {
    let query = match touchpoint {
        Touchpoint::Delivery => {
            "SELECT i.name, i.name_en FROM order_items i JOIN orders o ON o.id = i.order_id \
             WHERE o.number = $1 ORDER BY i.position"
        }
        Touchpoint::Return => {
            "SELECT i.name, i.name_en FROM return_items ri JOIN returns r ON r.id = ri.return_id \
             JOIN order_items i ON i.id = ri.order_item_id WHERE r.number = $1 ORDER BY i.position"
        }
        Touchpoint::Support => return Ok(Vec::new()),
    };
    let names: Vec<(String, Option<String>)> =
        sqlx::query_as(query).bind(reference).fetch_all(db).await?;
    Ok(names
        .into_iter()
        .map(|(zh_cn, en)| crate::orders::localized(zh_cn, en))
        .collect())
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    customer_id: i64,
    touchpoint: String,
    reference: String,
    served_at: i64,
    expires_at: i64,
}

/// The invitation `token` names, if this server signed it: a wrong token, or one whose
/// invitation is gone, is a 404.
async fn signed_invitation(state: &AppState, token: &str) -> ApiResult<(InvitationRow, bool)> {
    let signed = token::verify(&state.survey_key, token).ok_or(ErrorCode::NotFound)?;
    let row = sqlx::query_as::<_, InvitationRow>(
        "SELECT id, customer_id, touchpoint, reference, served_at, expires_at FROM survey_invitations WHERE id = $1",
    )
    .bind(signed.invitation)
    .fetch_optional(&state.db)
    .await?
    .filter(|row| row.expires_at == signed.expires_at)
    .ok_or(ErrorCode::NotFound)?;
    Ok((row, signed.expired(state.clock.now())))
}

/// The invitation of a link that still works: 404 for a wrong token, 410 once it has expired.
async fn open_invitation(state: &AppState, token: &str) -> ApiResult<(InvitationRow, Survey)> {
    let (row, expired) = signed_invitation(state, token).await?;
    if expired {
        return Err(ErrorCode::LinkExpired.into());
    }
    let touchpoint =
        Touchpoint::parse(&row.touchpoint).ok_or(ApiError::Corrupt("a survey's touchpoint"))?;
    Ok((row, survey_for(touchpoint)))
}

/// A stored answer's value.
pub fn read_value(json: &str) -> ApiResult<AnswerValue> {
    serde_json::from_str(json).map_err(|_| ApiError::Corrupt("a survey answer"))
}

/// The stored answers of response `id`, in the survey's order.
async fn stored_answers(
    db: &mut AnyConnection,
    survey: &Survey,
    id: i64,
) -> ApiResult<Vec<Answer>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT question, value FROM survey_answers WHERE response_id = $1")
            .bind(id)
            .fetch_all(db)
            .await?;
    let mut answers = rows
        .into_iter()
        .map(|(question, value)| {
            Ok(Answer {
                value: read_value(&value)?,
                question,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    answers.sort_by_key(|a| survey.questions.iter().position(|q| q.id == a.question));
    Ok(answers)
}

/// Whose a response is: an invitation's (a customer's survey link) or a partner's active
/// survey's (a visitor of its pages, nobody known).
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Invitation { id: i64, customer: i64 },
    Partner(i64),
}

/// A stored response as the save reads it: its row, its id, when it was finished.
type Stored = (i64, String, Option<i64>);

impl Owner {
    /// The owner's response, found by the invitation, or for a partner by the id its visitor's
    /// browser made: an id used by anyone else's response is `response_id_reused`.
    async fn response(
        self,
        db: &mut AnyConnection,
        response_id: &str,
    ) -> ApiResult<Option<Stored>> {
        match self {
            Owner::Invitation { id, .. } => Ok(sqlx::query_as(
                "SELECT id, response_id, finished_at FROM survey_responses WHERE invitation_id = $1",
            )
            .bind(id)
            .fetch_optional(db)
            .await?),
            Owner::Partner(partner) => {
                let row: Option<(i64, String, Option<i64>, Option<i64>)> = sqlx::query_as(
                    "SELECT id, response_id, finished_at, partner_id FROM survey_responses \
                     WHERE response_id = $1",
                )
                .bind(response_id)
                .fetch_optional(db)
                .await?;
                match row {
                    Some((_, _, _, owner)) if owner != Some(partner) => {
                        Err(ErrorCode::ResponseIdReused.into())
                    }
                    row => {
                        Ok(row.map(|(id, response_id, finished, _)| (id, response_id, finished)))
                    }
                }
            }
        }
    }
}

/// Which stored response to read.
enum Which<'a> {
    /// By its row.
    Row(i64),
    /// An invitation's.
    Invitation(i64),
    /// A partner's visitor's, by the id their browser made (only if it is this partner's).
    Partner(i64, &'a str),
}

/// The response `which` names, as the contract shows it, if there is one.
async fn load_response(
    db: &mut AnyConnection,
    survey: &Survey,
    which: Which<'_>,
) -> ApiResult<Option<SurveyResponse>> {
    let condition = match which {
        Which::Row(_) => "r.id = $1",
        Which::Invitation(_) => "r.invitation_id = $1",
        Which::Partner(..) => "r.response_id = $1 AND r.partner_id = $2",
    };
    let sql = format!(
        "SELECT r.id, r.response_id, r.finished_at, \
         EXISTS (SELECT 1 FROM follow_ups f WHERE f.response_id = r.id) \
         FROM survey_responses r WHERE {condition}"
    );
    let query = sqlx::query_as(&sql);
    let query = match which {
        Which::Row(id) | Which::Invitation(id) => query.bind(id),
        Which::Partner(partner, id) => query.bind(id).bind(partner),
    };
    let row: Option<(i64, String, Option<i64>, Flag)> = query.fetch_optional(&mut *db).await?;
    let Some((id, response_id, finished_at, Flag(follow_up))) = row else {
        return Ok(None);
    };
    Ok(Some(SurveyResponse {
        response_id: ResponseId::from_wire(&response_id)
            .ok_or(ApiError::Corrupt("a response id"))?,
        answers: stored_answers(db, survey, id).await?,
        finished_at: finished_at.map(rfc3339),
        editable_until: finished_at.map(|at| rfc3339(at + EDIT_WINDOW_SECS)),
        follow_up,
    }))
}

/// What a survey link opens: the survey, what it is about, the response so far (also once it can
/// no longer be changed) and when the link expires. No sign-in: the token is the right.
#[utoipa::path(get, path = "/api/surveys/{token}", tag = "surveys", operation_id = "survey",
    params(("token" = String, Path, max_length = 100, description = "The token of the survey link (`/s/TOKEN`)")),
    responses((status = 200, description = "The survey and the response so far.", body = SurveyInvitation),
        (status = 404), (status = 410), (status = 429)))]
pub async fn survey(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> ApiResult<Json<SurveyInvitation>> {
    limit(&state, rate_limit::SURVEY_PER_IP, &ip).await?;
    let (row, survey) = open_invitation(&state, &token).await?;
    let mut db = state.db.acquire().await?;
    let response = load_response(&mut db, &survey, Which::Invitation(row.id)).await?;
    let about = SurveySubject {
        touchpoint: survey.touchpoint,
        items: subject_items(&state.db, survey.touchpoint, &row.reference).await?,
        reference: row.reference,
        at: rfc3339(row.served_at),
    };
    Ok(Json(SurveyInvitation {
        survey,
        about,
        response,
        expires_at: rfc3339(row.expires_at),
    }))
}

fn invalid(error: AnswerError) -> ApiError {
    let question = match error {
        AnswerError::UnknownQuestion(q) | AnswerError::Invalid(q) | AnswerError::Missing(q) => q,
    };
    ApiError::Refused(ErrorCode::InvalidAnswer, question)
}

/// Saves the answers given so far. Each replaces a stored answer to its question; the merged
/// answers must fit the survey (`invalid_answer`, the question in `detail`), and with
/// `finished` answer every required question shown. The first save fixes the response id:
/// another id for this link, or an id used for another link, is `response_id_reused`. Saving
/// again what was saved changes nothing, so retries (and many at once) are one response. A
/// finished response can be changed for 24 hours (`survey_closed` after); its `finished_at`
/// stays the first finish. A finished detractor's response (CSAT 1-2, NPS 0-6) opens one
/// follow-up case.
#[utoipa::path(put, path = "/api/surveys/{token}/response", tag = "surveys", operation_id = "save_survey_response",
    params(("token" = String, Path, max_length = 100, description = "The token of the survey link")),
    request_body = SurveyAnswers,
    responses((status = 200, description = "The response as stored now.", body = SurveyResponse),
        (status = 400), (status = 403), (status = 404), (status = 409), (status = 410), (status = 413),
        (status = 415), (status = 422), (status = 429)))]
pub async fn save(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<SurveyAnswers>,
) -> ApiResult<Json<SurveyResponse>> {
    limit(&state, rate_limit::SURVEY_PER_IP, &ip).await?;
    let (invitation, survey) = open_invitation(&state, &token).await?;
    let owner = Owner::Invitation {
        id: invitation.id,
        customer: invitation.customer_id,
    };
    Ok(Json(save_answers(&state, owner, &survey, &body).await?))
}

/// Saves `body` as `owner`'s response to `survey` (what [`save`] documents): merged per
/// question, checked, one response per owner and per client-made id, in a write transaction
/// holding the response (its id), so that concurrent saves of it queue.
pub async fn save_answers(
    state: &AppState,
    owner: Owner,
    survey: &Survey,
    body: &SurveyAnswers,
) -> ApiResult<SurveyResponse> {
    survey.check(&body.answers, false).map_err(invalid)?;
    let now = state.clock.now();
    // The response's lock is taken first, so what is read below cannot change before this
    // transaction writes: concurrent saves queue instead of failing. Another id for the same
    // invitation is another lock: the invitation's unique key refuses the second.
    let mut tx = db::write_for(
        &state.db,
        db::Lock::SurveyResponse(body.response_id.as_str()),
    )
    .await?;
    let existing = owner.response(&mut tx, body.response_id.as_str()).await?;
    let (id, finished_at) = match existing {
        Some((_, stored, _)) if stored != body.response_id.as_str() => {
            return Err(ErrorCode::ResponseIdReused.into())
        }
        Some((_, _, Some(finished))) if now >= finished + EDIT_WINDOW_SECS => {
            return Err(ErrorCode::SurveyClosed.into())
        }
        Some((id, _, finished_at)) => (id, finished_at),
        None => {
            let (invitation, customer, partner) = match owner {
                Owner::Invitation { id, customer } => (Some(id), Some(customer), None),
                Owner::Partner(partner) => (None, None, Some(partner)),
            };
            // Unique response id and invitation: a clash is an id already used elsewhere.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO survey_responses (response_id, invitation_id, survey, touchpoint, customer_id, \
                 partner_id, started_at, updated_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received') \
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(body.response_id.as_str())
            .bind(invitation)
            .bind(&survey.id)
            .bind(survey.touchpoint.as_str())
            .bind(customer)
            .bind(partner)
            .bind(now)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            (id.ok_or(ErrorCode::ResponseIdReused)?, None)
        }
    };
    let mut merged = stored_answers(&mut tx, survey, id).await?;
    merged.retain(|old| !body.answers.iter().any(|new| new.question == old.question));
    merged.extend(body.answers.iter().cloned());
    let finished = body.finished || finished_at.is_some();
    survey.check(&merged, finished).map_err(invalid)?;
    for answer in &body.answers {
        let value =
            serde_json::to_string(&answer.value).map_err(|_| ApiError::Corrupt("an answer"))?;
        sqlx::query(
            "INSERT INTO survey_answers (response_id, question, value, answered_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (response_id, question) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
        )
        .bind(id)
        .bind(&answer.question)
        .bind(value)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE survey_responses SET updated_at = $1, \
         finished_at = CASE WHEN $2 THEN COALESCE(finished_at, $3) ELSE finished_at END WHERE id = $4",
    )
    .bind(now)
    .bind(finished)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    // A follow-up is someone calling the customer back: a partner's visitor is nobody known.
    let known = matches!(owner, Owner::Invitation { .. });
    if finished && known && is_detractor(survey, &merged) {
        sqlx::query(
            "INSERT INTO follow_ups (response_id, opened_at, due_at, status) VALUES ($1, $2, $3, 'open') \
             ON CONFLICT (response_id) DO NOTHING",
        )
        .bind(id)
        .bind(now)
        .bind(now + FOLLOW_UP_SECS)
        .execute(&mut *tx)
        .await?;
    }
    let response = load_response(&mut tx, survey, Which::Row(id))
        .await?
        .ok_or(ApiError::Corrupt("a response just saved"))?;
    tx.commit().await?;
    Ok(response)
}

/// A partner's active survey for a visitor: the survey, and with `response` (the id the
/// visitor's browser made) that response so far when it is this partner's.
pub async fn partner_survey(
    state: &AppState,
    partner: i64,
    touchpoint: Touchpoint,
    response: Option<&ResponseId>,
) -> ApiResult<PartnerSurvey> {
    let survey = survey_for(touchpoint);
    let response = match response {
        Some(id) => {
            let which = Which::Partner(partner, id.as_str());
            load_response(&mut *state.db.acquire().await?, &survey, which).await?
        }
        None => None,
    };
    Ok(PartnerSurvey { survey, response })
}

/// The score given to the survey's scale question, if any.
pub fn scale_score(survey: &Survey, answers: &[Answer]) -> Option<u8> {
    let first = survey.questions.first()?;
    answers
        .iter()
        .find(|a| a.question == first.id)
        .and_then(|a| match a.value {
            AnswerValue::Score(score) => Some(score),
            _ => None,
        })
}

fn is_detractor(survey: &Survey, answers: &[Answer]) -> bool {
    scale_of(survey)
        .zip(scale_score(survey, answers))
        .is_some_and(|(kind, score)| detractor(kind, score))
}

/// No more survey invitations for the customer the link was sent to. A link this server signed
/// works for this also after it expired (an old message must still be able to stop the next).
/// It is also survey mail's one-click unsubscribe (RFC 8058): any body, from any origin.
#[utoipa::path(post, path = "/api/surveys/{token}/opt-out", tag = "surveys", operation_id = "survey_opt_out",
    params(("token" = String, Path, max_length = 100, description = "The token of a survey link")),
    responses((status = 204, description = "No more invitations go to this customer."),
        (status = 403), (status = 404), (status = 429)))]
pub async fn opt_out(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> ApiResult<StatusCode> {
    limit(&state, rate_limit::SURVEY_PER_IP, &ip).await?;
    let (invitation, _expired) = signed_invitation(&state, &token).await?;
    sqlx::query("UPDATE customers SET surveys_opt_out = TRUE WHERE id = $1")
        .bind(invitation.customer_id)
        .execute(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A demo customer and the touchpoint to send a survey about now.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DemoInvitationRequest {
    #[schema(max_length = 254)]
    pub email: String,
    pub touchpoint: Touchpoint,
}

/// The invitation made: its link in the portal and its token.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DemoInvitation {
    /// `/s/TOKEN`, relative to the portal.
    pub link: String,
    pub token: String,
}

/// The customer's latest service of this kind: the latest delivered order, the latest return
/// (a completed one first), the latest solved ticket.
async fn latest_service(
    db: &AnyPool,
    customer: i64,
    touchpoint: Touchpoint,
) -> ApiResult<Option<(String, i64)>> {
    let query = match touchpoint {
        Touchpoint::Delivery => {
            "SELECT o.number, MAX(s.delivered_at) AS at FROM orders o JOIN shipments s ON s.order_id = o.id \
             WHERE o.customer_id = $1 AND s.status = 'delivered' AND s.delivered_at IS NOT NULL \
             GROUP BY o.id ORDER BY at DESC, o.id DESC LIMIT 1"
        }
        Touchpoint::Return => {
            "SELECT r.number, r.updated_at FROM returns r JOIN orders o ON o.id = r.order_id \
             WHERE o.customer_id = $1 ORDER BY r.status IN ('refunded', 'exchanged') DESC, r.updated_at DESC, r.id DESC LIMIT 1"
        }
        Touchpoint::Support => {
            "SELECT number, solved_at FROM tickets WHERE customer_id = $1 AND solved_at IS NOT NULL \
             ORDER BY solved_at DESC, id DESC LIMIT 1"
        }
    };
    Ok(sqlx::query_as(query)
        .bind(customer)
        .fetch_optional(db)
        .await?)
}

/// Demo only: sends a demo customer a survey about their latest service of the kind asked for,
/// now, as if the service had just happened: the throttle and an opt-out are not applied (so
/// tests in parallel each get their own), the message goes to the outbox. A customer without
/// such a service (no return yet) is a 404.
#[utoipa::path(post, path = "/api/dev/survey-invitations", tag = "demo", operation_id = "demo_survey_invitation",
    request_body = DemoInvitationRequest,
    responses((status = 201, description = "The invitation's link and token.", body = DemoInvitation),
        (status = 400), (status = 403), (status = 404), (status = 413), (status = 415), (status = 422)))]
pub async fn demo_invitation(
    State(state): State<AppState>,
    ApiJson(asked): ApiJson<DemoInvitationRequest>,
) -> ApiResult<(StatusCode, Json<DemoInvitation>)> {
    crate::dev::demo_only(&state)?;
    let customer: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(&asked.email)
        .fetch_optional(&state.db)
        .await?
        .ok_or_else(|| {
            ApiError::Refused(
                ErrorCode::NotFound,
                "no demo customer has this email".into(),
            )
        })?;
    let (reference, served_at) = latest_service(&state.db, customer, asked.touchpoint)
        .await?
        .ok_or_else(|| {
            ApiError::Refused(
                ErrorCode::NotFound,
                format!(
                    "this customer has no {} to ask about yet",
                    asked.touchpoint.as_str()
                ),
            )
        })?;
    let service = Service {
        customer,
        touchpoint: asked.touchpoint,
        reference,
        served_at,
    };
    let mut db = state.db.acquire().await?;
    let token = make_invitation(&state, &mut db, &service, false)
        .await?
        .ok_or(ApiError::Corrupt("an invitation made regardless of limits"))?;
    Ok((
        StatusCode::CREATED,
        Json(DemoInvitation {
            link: link_path(&token),
            token,
        }),
    ))
}

/// Answering a survey, opting out, and the demo's invitation.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(survey))
        .routes(routes!(save))
        .routes(routes!(opt_out))
        .routes(routes!(demo_invitation))
}
