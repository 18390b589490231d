//! Demo data for surveys, written once into a fresh database: solved support tickets for the demo
//! customers, a few hundred finished responses over the last 90 days (no customer, no
//! invitation: the numbers have something to count), and each demo customer's own feedback
//! ("My feedback"). Deterministic (fixed seed), relative to the first start's clock, written in
//! one transaction with multi-row inserts so a fresh database starts fast. The demo customers'
//! own invitations are older than the throttle, so a service in the demo still brings one.

use super::definitions::{detractor, scale_of, survey_for};
use crate::db;
use crate::seed::DEMO_CUSTOMERS;
use portico_api::{AnswerValue, FeedbackStatus, QuestionKind, Touchpoint};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{AnyConnection, AnyPool};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
/// How many anonymous finished responses are seeded.
pub const SEEDED_RESPONSES: i64 = 540;
/// Rows per multi-row insert (far below SQLite's limit on bound values).
const BATCH: usize = 150;

/// (customer, subject, opened days ago, solved days ago)
const TICKETS: [(usize, &str, i64, i64); 5] = [
    (0, "发票抬头开错了，想重新开一张", 20, 19),
    (0, "优惠券下单时没有自动抵扣", 6, 5),
    (1, "会员积分没有到账", 61, 60),
    (1, "想开具增值税专用发票", 5, 4),
    (2, "耳机左耳没有声音", 3, 2),
];

const COMMENTS: [&str; 8] = [
    "快递员很有礼貌，送货上门。",
    "比预计早到了一天，很惊喜。",
    "包装有点简陋，好在东西没坏。",
    "送到了驿站却没有通知我。",
    "客服很耐心，一次就说清楚了。",
    "退款到账很快。",
    "等了好几天才有人回复。",
    "整体不错，下次还会再来。",
];

/// One anonymous response: its scale score and other answers, as stored.
struct Drawn {
    touchpoint: Touchpoint,
    finished_at: i64,
    answers: Vec<(&'static str, AnswerValue)>,
}

/// A score on `kind`'s scale, drawn from plausible weights (most customers are content).
fn draw_score(rng: &mut StdRng, kind: &QuestionKind) -> u8 {
    let weights: &[u32] = match kind {
        QuestionKind::Csat => &[5, 7, 12, 31, 45],
        QuestionKind::Nps => &[2, 1, 2, 2, 3, 4, 6, 12, 18, 22, 28],
        _ => &[3, 4, 6, 10, 20, 27, 30],
    };
    let low = kind.scale().map_or(1, |(low, _)| low);
    let mut pick = rng.gen_range(0..weights.iter().sum::<u32>());
    for (offset, weight) in weights.iter().enumerate() {
        if pick < *weight {
            return low + offset as u8;
        }
        pick -= weight;
    }
    low
}

fn draw(rng: &mut StdRng, now: i64) -> Drawn {
    let touchpoint = match rng.gen_range(0..10) {
        0..=4 => Touchpoint::Delivery,
        5..=6 => Touchpoint::Return,
        _ => Touchpoint::Support,
    };
    let survey = survey_for(touchpoint);
    let score = scale_of(&survey).map_or(5, |kind| draw_score(rng, kind));
    let mut answers = vec![("score", AnswerValue::Score(score))];
    match touchpoint {
        Touchpoint::Delivery if score <= 3 => {
            let reasons = [
                "late",
                "damaged",
                "wrong_item",
                "courier",
                "packaging",
                "other",
            ];
            let first = reasons[rng.gen_range(0..reasons.len())];
            let mut chosen = vec![first.to_string()];
            let second = reasons[rng.gen_range(0..reasons.len())];
            if second != first && rng.gen_bool(0.4) {
                chosen.push(second.to_string());
            }
            answers.push(("reasons", AnswerValue::Choices(chosen)));
        }
        Touchpoint::Return if rng.gen_bool(0.7) => {
            let handover = match score {
                1..=3 => "hard",
                4..=5 => "some_trouble",
                _ => "smooth",
            };
            answers.push(("handover", AnswerValue::Choices(vec![handover.into()])));
        }
        _ => {}
    }
    if rng.gen_bool(0.3) {
        let text = COMMENTS[rng.gen_range(0..COMMENTS.len())].to_string();
        let question = if touchpoint == Touchpoint::Support {
            "why"
        } else {
            "comment"
        };
        answers.push((question, AnswerValue::Text(text)));
    }
    Drawn {
        touchpoint,
        finished_at: now - rng.gen_range(HOUR..90 * DAY),
        answers,
    }
}

/// Writes the demo's surveys, tickets and feedback into a database that has none.
pub async fn seed_if_empty(db: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(db)
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let mut customers = Vec::new();
    for customer in &DEMO_CUSTOMERS {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
            .bind(customer.email)
            .fetch_optional(&mut *tx)
            .await?;
        customers.push(id);
    }
    let rows = TICKETS
        .iter()
        .enumerate()
        .filter_map(|(i, (who, subject, opened, solved))| {
            customers[*who].map(|customer| (i, customer, *subject, *opened, *solved))
        })
        .collect::<Vec<_>>();
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO tickets (number, customer_id, subject, opened_at, solved_at) {}",
        db::values(rows.len(), 5)
    );
    let mut tickets = sqlx::query(&sql);
    for (i, customer, subject, opened, solved) in &rows {
        tickets = tickets
            .bind(format!("T{:08}", 20_260_001 + *i as i64))
            .bind(*customer)
            .bind(*subject)
            .bind(now - opened * DAY)
            .bind(now - solved * DAY);
    }
    tickets.execute(&mut *tx).await?;

    let mut rng = StdRng::seed_from_u64(2027);
    let drawn: Vec<Drawn> = (0..SEEDED_RESPONSES).map(|_| draw(&mut rng, now)).collect();
    for (chunk_index, chunk) in drawn.chunks(BATCH).enumerate() {
        let first_id = (chunk_index * BATCH) as i64 + 1;
        let sql = format!(
            "INSERT INTO survey_responses (id, response_id, survey, touchpoint, started_at, updated_at, finished_at, status) {}",
            db::values(chunk.len(), 8)
        );
        let mut responses = sqlx::query(&sql);
        for (i, one) in chunk.iter().enumerate() {
            let id = first_id + i as i64;
            let status = if now - one.finished_at > 14 * DAY {
                FeedbackStatus::Reviewed
            } else {
                FeedbackStatus::Received
            };
            responses = responses
                .bind(id)
                .bind(format!("seed{id:012}"))
                .bind(one.touchpoint.as_str())
                .bind(one.touchpoint.as_str())
                .bind(one.finished_at - 3 * 60)
                .bind(one.finished_at)
                .bind(one.finished_at)
                .bind(status.as_str());
        }
        responses.execute(&mut *tx).await?;
        let answers: Vec<(i64, &str, String, i64)> = chunk
            .iter()
            .enumerate()
            .flat_map(|(i, one)| {
                one.answers.iter().map(move |(question, value)| {
                    let json = serde_json::to_string(value).unwrap_or_default();
                    (first_id + i as i64, *question, json, one.finished_at)
                })
            })
            .collect();
        for part in answers.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO survey_answers (response_id, question, value, answered_at) {}",
                db::values(part.len(), 4)
            );
            let mut insert = sqlx::query(&sql);
            for (id, question, value, at) in part {
                insert = insert.bind(*id).bind(*question).bind(value).bind(*at);
            }
            insert.execute(&mut *tx).await?;
        }
        let follow_ups: Vec<(i64, i64)> = chunk
            .iter()
            .enumerate()
            .filter(|(_, one)| {
                let survey = survey_for(one.touchpoint);
                matches!((scale_of(&survey), &one.answers[0].1),
                    (Some(kind), AnswerValue::Score(score)) if detractor(kind, *score))
            })
            .map(|(i, one)| (first_id + i as i64, one.finished_at))
            .collect();
        if !follow_ups.is_empty() {
            let sql = format!(
                "INSERT INTO follow_ups (response_id, opened_at, due_at, status) {}",
                db::values(follow_ups.len(), 4)
            );
            let mut insert = sqlx::query(&sql);
            for (id, at) in &follow_ups {
                let status = if now - at > 3 * DAY { "closed" } else { "open" };
                insert = insert
                    .bind(*id)
                    .bind(*at)
                    .bind(at + super::FOLLOW_UP_SECS)
                    .bind(status);
            }
            insert.execute(&mut *tx).await?;
        }
    }
    // The responses above were numbered here: the engine's own numbering goes on after them.
    db::ids_taken(&mut tx, "survey_responses").await?;
    if let [Some(wang), Some(li), Some(chen)] = customers[..] {
        stories(&mut tx, now, wang, li, chen).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One answered survey of a demo customer, with its invitation (made the day after the service).
struct Story<'a> {
    customer: i64,
    touchpoint: Touchpoint,
    reference: String,
    served_at: i64,
    response_id: &'a str,
    answers: &'a [(&'a str, AnswerValue)],
    status: FeedbackStatus,
    action: Option<&'a str>,
}

async fn answered(tx: &mut AnyConnection, story: Story<'_>) -> Result<(), sqlx::Error> {
    let invited = story.served_at + DAY;
    let finished = invited + 2 * HOUR;
    let invitation: i64 = sqlx::query_scalar(
        "INSERT INTO survey_invitations (customer_id, touchpoint, reference, served_at, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(story.customer)
    .bind(story.touchpoint.as_str())
    .bind(&story.reference)
    .bind(story.served_at)
    .bind(invited)
    .bind(invited + super::token::LINK_TTL_SECS)
    .fetch_one(&mut *tx)
    .await?;
    let response: i64 = sqlx::query_scalar(
        "INSERT INTO survey_responses (response_id, invitation_id, survey, touchpoint, customer_id, started_at, \
         updated_at, finished_at, status, action) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(story.response_id)
    .bind(invitation)
    .bind(story.touchpoint.as_str())
    .bind(story.touchpoint.as_str())
    .bind(story.customer)
    .bind(finished - 5 * 60)
    .bind(finished)
    .bind(finished)
    .bind(story.status.as_str())
    .bind(story.action)
    .fetch_one(&mut *tx)
    .await?;
    for (question, value) in story.answers {
        sqlx::query(
            "INSERT INTO survey_answers (response_id, question, value, answered_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(response)
        .bind(question)
        .bind(serde_json::to_string(value).unwrap_or_default())
        .bind(finished)
        .execute(&mut *tx)
        .await?;
    }
    let survey = survey_for(story.touchpoint);
    if let (Some(kind), Some((_, AnswerValue::Score(score)))) =
        (scale_of(&survey), story.answers.first())
    {
        if detractor(kind, *score) {
            sqlx::query(
                "INSERT INTO follow_ups (response_id, opened_at, due_at, status) VALUES ($1, $2, $3, 'closed')",
            )
            .bind(response)
            .bind(finished)
            .bind(finished + super::FOLLOW_UP_SECS)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// The customer's latest order delivered before `before`: (number, delivered at).
async fn delivered_before(
    tx: &mut AnyConnection,
    customer: i64,
    before: i64,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.number, s.delivered_at FROM orders o JOIN shipments s ON s.order_id = o.id \
         WHERE o.customer_id = $1 AND s.status = 'delivered' AND s.delivered_at < $2 \
         ORDER BY s.delivered_at DESC LIMIT 1",
    )
    .bind(customer)
    .bind(before)
    .fetch_optional(tx)
    .await
}

#[allow(clippy::too_many_arguments)]
async fn message(
    tx: &mut AnyConnection,
    client_id: &str,
    customer: i64,
    category: &str,
    text: &str,
    at: i64,
    status: FeedbackStatus,
    action: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO feedback_messages (client_id, fingerprint, customer_id, category, text, created_at, status, action) \
         VALUES ($1, 'seed', $2, $3, $4, $5, $6, $7)",
    )
    .bind(client_id)
    .bind(customer)
    .bind(category)
    .bind(text)
    .bind(at)
    .bind(status.as_str())
    .bind(action)
    .execute(tx)
    .await?;
    Ok(())
}

/// Wang rated a late, dented delivery 3 (reviewed) and reported a problem the team fixed; Li
/// answered a support survey (9) and sent an idea; Chen rated a damaged delivery 2, was called
/// back, and the team acted.
async fn stories(
    tx: &mut AnyConnection,
    now: i64,
    wang: i64,
    li: i64,
    chen: i64,
) -> Result<(), sqlx::Error> {
    let old = now - 35 * DAY;
    let text = |t: &str| AnswerValue::Text(t.into());
    let choices = |c: &[&str]| AnswerValue::Choices(c.iter().map(|s| s.to_string()).collect());
    if let Some((reference, served_at)) = delivered_before(tx, wang, old).await? {
        let answers = [
            ("score", AnswerValue::Score(3)),
            ("reasons", choices(&["late", "packaging"])),
            (
                "comment",
                text("比预计晚到了两天，外箱也压坏了一角，好在东西没事。"),
            ),
        ];
        let story = Story {
            customer: wang,
            touchpoint: Touchpoint::Delivery,
            reference,
            served_at,
            response_id: "demo-wang-delivery-0001",
            answers: &answers,
            status: FeedbackStatus::Reviewed,
            action: None,
        };
        answered(tx, story).await?;
    }
    message(
        tx,
        "demo-wang-message-0001",
        wang,
        "problem",
        "订单页上的预计送达时间一直没有更新。",
        now - 40 * DAY,
        FeedbackStatus::ActionTaken,
        Some("已修复：预计送达时间现在会随物流进度自动更新。谢谢您告诉我们！"),
    )
    .await?;
    let li_ticket: Option<(String, i64)> = sqlx::query_as(
        "SELECT number, solved_at FROM tickets WHERE customer_id = $1 AND solved_at < $2 ORDER BY solved_at DESC LIMIT 1",
    )
    .bind(li)
    .bind(old)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((reference, served_at)) = li_ticket {
        let answers = [
            ("score", AnswerValue::Score(9)),
            ("why", text("客服回复很快，当天就把积分补上了。")),
        ];
        let story = Story {
            customer: li,
            touchpoint: Touchpoint::Support,
            reference,
            served_at,
            response_id: "demo-li-support-00001",
            answers: &answers,
            status: FeedbackStatus::Reviewed,
            action: None,
        };
        answered(tx, story).await?;
    }
    message(
        tx,
        "demo-li-message-00001",
        li,
        "idea",
        "希望可以按商品名称搜索历史订单。",
        now - 8 * DAY,
        FeedbackStatus::Received,
        None,
    )
    .await?;
    if let Some((reference, served_at)) = delivered_before(tx, chen, old).await? {
        let answers = [
            ("score", AnswerValue::Score(2)),
            ("reasons", choices(&["damaged"])),
            ("comment", text("外包装被压扁了，盒子里的配件也散了。")),
        ];
        let story = Story {
            customer: chen,
            touchpoint: Touchpoint::Delivery,
            reference,
            served_at,
            response_id: "demo-chen-delivery-001",
            answers: &answers,
            status: FeedbackStatus::ActionTaken,
            action: Some("我们已致电向您致歉，补发了缺失的配件，并请快递公司改进了装运方式。"),
        };
        answered(tx, story).await?;
    }
    Ok(())
}
