//! The feedback button (`POST /api/feedback`: a message from a guest or a customer, counted once
//! under the id the client made) and "My feedback" (`GET /api/feedback`: the customer's answered
//! surveys and messages, with where the team is with each).

use crate::auth::{sha256_hex, Act, Caller};
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::rate_limit::{self, limit, ClientIp};
use crate::state::AppState;
use crate::surveys::definitions::{scale_of, survey_named};
use crate::surveys::{read_value, scale_score};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use portico_api::{
    typed_text, Answer, AnswerValue, ErrorCode, FeedbackCategory, FeedbackItem, FeedbackReceipt,
    FeedbackRequest, FeedbackSource, FeedbackStatus, OrderNumber, QuestionKind, ResponseId,
    FEEDBACK_MAX_CHARS,
};

/// "My feedback" shows at most this many entries.
const MAX_ITEMS: usize = 100;

/// Takes a message from the feedback button, from a guest or a signed-in customer. The text (1 to
/// 2000 characters, not blank: else 422 `bad_request`) is kept trimmed, a rating must be 1-5. An order it names must
/// be the signed-in customer's, or the one a guest pass was given for (404 otherwise). The same
/// id with the same message from the same caller is the same message (200, its receipt again,
/// also when twenty arrive at once); with another message it is `response_id_reused`.
#[utoipa::path(post, path = portico_api::paths::FEEDBACK, tag = "feedback", operation_id = "send_feedback",
    security((), ("session" = [])),
    request_body = FeedbackRequest,
    responses((status = 201, description = "Received.", body = FeedbackReceipt),
        (status = 200, description = "Received before (the same id and message).", body = FeedbackReceipt),
        (status = 400), (status = 403), (status = 404), (status = 409), (status = 413), (status = 415),
        (status = 422), (status = 429)))]
pub async fn send(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
    ApiJson(asked): ApiJson<FeedbackRequest>,
) -> ApiResult<(StatusCode, Json<FeedbackReceipt>)> {
    limit(&state, rate_limit::FEEDBACK_PER_IP, &ip).await?;
    let sender = Sender {
        caller,
        partner: None,
    };
    receive(&state, &sender, &asked).await
}

/// Who a message comes from: the portal's signed-in customer or guest pass, or a partner's
/// widget (which proves no customer and no order: `Caller::default()`).
pub(crate) struct Sender {
    pub caller: Caller,
    pub partner: Option<i64>,
}

/// Checks and keeps one message, once under its id (the rules `send` states).
pub(crate) async fn receive(
    state: &AppState,
    sender: &Sender,
    asked: &FeedbackRequest,
) -> ApiResult<(StatusCode, Json<FeedbackReceipt>)> {
    // As the document states it: at most 2000 characters as sent, not all white space.
    let text = asked.text.trim();
    if text.is_empty() || asked.text.chars().count() > FEEDBACK_MAX_CHARS || !typed_text(text) {
        return Err(ApiError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("text: 1 to {FEEDBACK_MAX_CHARS} characters, not blank, no control characters"),
        ));
    }
    if asked.rating.is_some_and(|r| !(1..=5).contains(&r)) {
        return Err(ApiError::BadRequest(
            StatusCode::UNPROCESSABLE_ENTITY,
            "rating: 1 to 5".into(),
        ));
    }
    let order_id = match &asked.order {
        None => None,
        Some(number) => Some(order_of(state, sender, number).await?),
    };
    // What makes a replay the same message: its content and who sent it (a partner and a
    // rating only where there are any, so messages kept before widgets existed still match).
    let widget = match (sender.partner, asked.rating) {
        (None, None) => String::new(),
        (partner, rating) => format!("{partner:?}\n{rating:?}\n"),
    };
    let fingerprint = sha256_hex(&format!(
        "{}\n{:?}\n{:?}\n{}\n{widget}{text}",
        asked.category.as_str(),
        sender.caller.customer,
        order_id,
        sender.caller.pass_order().unwrap_or_default(),
    ));
    let now = state.clock.now();
    // One statement: the unique id decides which of many identical requests writes the row.
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO feedback_messages (client_id, fingerprint, customer_id, category, text, order_id, created_at, status, partner_id, rating) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'received', $8, $9) ON CONFLICT (client_id) DO NOTHING RETURNING created_at",
    )
    .bind(asked.id.as_str())
    .bind(&fingerprint)
    .bind(sender.caller.customer)
    .bind(asked.category.as_str())
    .bind(text)
    .bind(order_id)
    .bind(now)
    .bind(sender.partner)
    .bind(asked.rating.map(i64::from))
    .fetch_optional(&state.db)
    .await?;
    let receipt = |at: i64| {
        Json(FeedbackReceipt {
            id: asked.id.clone(),
            received_at: rfc3339(at),
        })
    };
    if let Some(at) = inserted {
        return Ok((StatusCode::CREATED, receipt(at)));
    }
    let (stored, at): (String, i64) = sqlx::query_as(
        "SELECT fingerprint, created_at FROM feedback_messages WHERE client_id = $1",
    )
    .bind(asked.id.as_str())
    .fetch_one(&state.db)
    .await?;
    if stored != fingerprint {
        return Err(ErrorCode::ResponseIdReused.into());
    }
    Ok((StatusCode::OK, receipt(at)))
}

/// The id of order `number` if the caller may name it: one they may track (the signed-in
/// customer's own, or the order of any guest pass, a recipient's too). Anything else is one 404.
async fn order_of(state: &AppState, sender: &Sender, number: &OrderNumber) -> ApiResult<i64> {
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, customer_id FROM orders WHERE number = $1")
            .bind(number.as_str())
            .fetch_optional(&state.db)
            .await?;
    match found {
        Some((id, customer)) if sender.caller.may(Act::Track, id, customer).is_some() => Ok(id),
        _ => Err(ErrorCode::NotFound.into()),
    }
}

#[derive(sqlx::FromRow)]
struct AnsweredRow {
    id: i64,
    response_id: String,
    survey: String,
    reference: String,
    started_at: i64,
    status: String,
    action: Option<String>,
}

fn status(stored: &str) -> ApiResult<FeedbackStatus> {
    FeedbackStatus::parse(stored).ok_or(ApiError::Corrupt("a feedback status"))
}

fn client_id(stored: &str) -> ApiResult<ResponseId> {
    ResponseId::from_wire(stored).ok_or(ApiError::Corrupt("a response id"))
}

/// The signed-in customer's feedback, newest first (at most 100): the surveys they answered (at
/// least one answer) and the messages they sent, each with where the team is with it and what
/// was done. Guests have none to see (401).
#[utoipa::path(get, path = portico_api::paths::FEEDBACK, tag = "feedback", operation_id = "my_feedback",
    security(("session" = [])),
    responses((status = 200, description = "Newest first (at most 100).", body = Vec<FeedbackItem>),
        (status = 401), (status = 429)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<FeedbackItem>>> {
    let customer = caller.customer.ok_or(ErrorCode::Unauthorized)?;
    let answered: Vec<AnsweredRow> = sqlx::query_as(
        "SELECT r.id, r.response_id, r.survey, i.reference, r.started_at, r.status, r.action \
         FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id \
         WHERE r.customer_id = $1 AND EXISTS (SELECT 1 FROM survey_answers a WHERE a.response_id = r.id) \
         ORDER BY r.started_at DESC, r.id DESC LIMIT $2",
    )
    .bind(customer)
    .bind(MAX_ITEMS as i64)
    .fetch_all(&state.db)
    .await?;
    let answers: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.response_id, a.question, a.value FROM survey_answers a \
         JOIN survey_responses r ON r.id = a.response_id WHERE r.customer_id = $1",
    )
    .bind(customer)
    .fetch_all(&state.db)
    .await?;
    let mut items: Vec<(i64, FeedbackItem)> = Vec::new();
    for row in answered {
        let survey = survey_named(&row.survey).ok_or(ApiError::Corrupt("a survey id"))?;
        let given = answers
            .iter()
            .filter(|(response, ..)| *response == row.id)
            .map(|(_, question, value)| {
                Ok(Answer {
                    question: question.clone(),
                    value: read_value(value)?,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        // The survey's comment: its first text question answered.
        let text = survey.questions.iter().find_map(|q| {
            matches!(q.answer, QuestionKind::Text { .. })
                .then(|| given.iter().find(|a| a.question == q.id))
                .flatten()
                .and_then(|a| match &a.value {
                    AnswerValue::Text(text) => Some(text.clone()),
                    _ => None,
                })
        });
        let item = FeedbackItem {
            id: client_id(&row.response_id)?,
            source: FeedbackSource::Survey {
                touchpoint: survey.touchpoint,
                reference: row.reference,
                score: scale_score(&survey, &given),
                scale: scale_of(&survey).cloned(),
            },
            text,
            status: status(&row.status)?,
            received_at: rfc3339(row.started_at),
            action: row.action,
        };
        items.push((row.started_at, item));
    }
    #[allow(clippy::type_complexity)]
    let messages: Vec<(
        String,
        String,
        Option<String>,
        String,
        String,
        i64,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT f.client_id, f.category, o.number, f.text, f.status, f.created_at, f.action \
             FROM feedback_messages f LEFT JOIN orders o ON o.id = f.order_id \
             WHERE f.customer_id = $1 ORDER BY f.created_at DESC, f.id DESC LIMIT $2",
    )
    .bind(customer)
    .bind(MAX_ITEMS as i64)
    .fetch_all(&state.db)
    .await?;
    for (id, category, order, text, stored_status, at, action) in messages {
        let item = FeedbackItem {
            id: client_id(&id)?,
            source: FeedbackSource::Message {
                category: FeedbackCategory::parse(&category)
                    .ok_or(ApiError::Corrupt("a feedback category"))?,
                order: order
                    .map(|n| OrderNumber::from_wire(&n))
                    .transpose()
                    .map_err(|_| ApiError::Corrupt("an order number"))?,
            },
            text: Some(text),
            status: status(&stored_status)?,
            received_at: rfc3339(at),
            action,
        };
        items.push((at, item));
    }
    items.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    items.truncate(MAX_ITEMS);
    Ok(Json(items.into_iter().map(|(_, item)| item).collect()))
}

/// The feedback button and "My feedback".
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default().routes(routes!(send, list))
}
