//! Messages to customers, sent off the request path: a handler queues a [`Notice`] and answers
//! at once, so what a request costs does not tell whether its contact belongs to a customer.
//! Notices wait in the `notices` table, so one outlives the instance that queued it: a notice
//! queued in a transaction exists exactly when that transaction's work does. One worker per
//! instance delivers them in the order they came, each in the transaction that removes it from
//! the queue, so however many instances run, each notice is delivered once. In demo mode a
//! delivery is a row in the outbox (`/dev/outbox`); a real deployment plugs its email/SMS here
//! (then sending at least once: a message sent just before its instance died is sent again).

use crate::clock::{china_clock, china_date_time, Clock};
use crate::db::{self, Db};
use crate::orders::localized;
use crate::returns::pass::ReturnLinks;
use crate::returns::policy::PICKUP_WINDOW_SECS;
use portico_api::{Localized, Money, PageLocale, Resolution, ReturnStatus, Touchpoint};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Something to tell a customer (kept as JSON in `notices` until delivered).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A one-time sign-in code (`contact` as on the wire), delivered only if the contact belongs
    /// to a customer.
    SignInCode { contact: String, code: String },
    /// A return started or moved on to `status` (its wire name): its buyer hears so, also when
    /// it moved on again before this was delivered.
    ReturnUpdate { return_id: i64, status: String },
    /// A return's pickup was moved to another slot: its buyer hears the new window.
    PickupRescheduled { return_id: i64 },
    /// A survey invitation was made: its customer gets the link (`link`, the portal's `/s/TOKEN`)
    /// and one link per score of its first question.
    SurveyInvitation { invitation_id: i64, link: String },
}

/// Queues notices and wakes this instance's delivery worker.
#[derive(Clone)]
pub struct Notifier {
    wake: Arc<Notify>,
}

/// A notice whose delivery failed this often is dropped (and logged), not retried for ever.
const ATTEMPTS: i64 = 5;
/// How often an idle worker looks for notices another instance queued.
const POLL: Duration = Duration::from_secs(1);

impl Notifier {
    /// Starts the delivery worker on the current runtime.
    /// Messages about a return carry its link (`links`).
    pub fn start(db: Db, clock: Clock, demo: bool, links: ReturnLinks) -> Self {
        let wake = Arc::new(Notify::new());
        let woken = wake.clone();
        tokio::spawn(async move {
            loop {
                match deliver_next(&db, clock.now(), demo, &links).await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "could not deliver a notice"),
                }
                tokio::select! {
                    () = woken.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
        });
        Notifier { wake }
    }

    /// Queues `notice` on `db` (a pool, or the connection of a transaction it then belongs to).
    pub async fn send<'c>(
        &self,
        db: impl sqlx::AnyExecutor<'c>,
        notice: Notice,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let body = serde_json::to_string(&notice).expect("a notice serializes");
        sqlx::query("INSERT INTO notices (body, created_at, attempts) VALUES ($1, $2, 0)")
            .bind(body)
            .bind(now)
            .execute(db)
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Wakes the worker (after a transaction that queued notices committed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Delivers the oldest notice, in the transaction that removes it; `false` when none waits.
async fn deliver_next(
    db: &Db,
    now: i64,
    demo: bool,
    links: &ReturnLinks,
) -> Result<bool, sqlx::Error> {
    // A look first, outside the write lock: an idle queue costs no writer anything.
    let waiting: Option<i64> = sqlx::query_scalar("SELECT id FROM notices LIMIT 1")
        .fetch_optional(db)
        .await?;
    if waiting.is_none() {
        return Ok(false);
    }
    let mut tx = db::write(db).await?;
    let next: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT id, body, attempts FROM notices ORDER BY id LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, body, attempts)) = next else {
        tx.rollback().await?;
        return Ok(false);
    };
    let delivered = match serde_json::from_str::<Notice>(&body) {
        Ok(notice) => deliver(&mut tx, now, demo, links, notice).await,
        Err(error) => {
            tracing::error!(%error, id, "a queued notice does not parse: dropped");
            Ok(())
        }
    };
    match delivered {
        Ok(()) => {
            sqlx::query("DELETE FROM notices WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Err(error) => {
            // What the delivery wrote is undone; the notice is tried again later, or dropped.
            tx.rollback().await?;
            let query = if attempts + 1 >= ATTEMPTS {
                tracing::error!(%error, id, "a notice failed {ATTEMPTS} times: dropped");
                "DELETE FROM notices WHERE id = $1"
            } else {
                tracing::warn!(%error, id, "could not deliver a notice: tried again later");
                "UPDATE notices SET attempts = attempts + 1 WHERE id = $1"
            };
            sqlx::query(query).bind(id).execute(db).await?;
        }
    }
    Ok(true)
}

/// What a message about a return says.
#[derive(sqlx::FromRow)]
struct ReturnMessageRow {
    number: String,
    status: String,
    refund_fen: i64,
    resolution: String,
    pickup_starts_at: Option<i64>,
    pickup_fee_fen: i64,
    drop_off_code: Option<String>,
    email: String,
    name: String,
    /// A reviewer's reason (`return_reviews`), when one decided the return and gave one.
    decision_reason: Option<String>,
}

/// What a return's status means to its buyer, in Chinese and in English.
fn return_status_words(status: &str) -> (&'static str, &'static str) {
    match ReturnStatus::parse(status) {
        Some(ReturnStatus::Requested) => ("已提交", "has been received"),
        Some(ReturnStatus::Approved) => (
            "已批准，请按约定方式交回商品",
            "is approved: hand the goods over as you chose",
        ),
        Some(ReturnStatus::PendingReview) => (
            "正在审核，我们会尽快答复",
            "is being reviewed; we will answer soon",
        ),
        Some(ReturnStatus::PickupScheduled) => ("已预约上门取件", "has a pickup booked"),
        Some(ReturnStatus::PickedUp) => ("商品已交出", "has been handed over"),
        Some(ReturnStatus::Received) => ("商品已到仓", "has arrived at our warehouse"),
        Some(ReturnStatus::Refunded) => ("已退款", "is refunded"),
        Some(ReturnStatus::Exchanged) => ("换货已发出", "is exchanged: the new item is on its way"),
        Some(ReturnStatus::Rejected) => ("未获批准", "was not approved"),
        Some(ReturnStatus::Cancelled) => ("已取消", "is cancelled"),
        None => ("状态已更新", "has changed"),
    }
}

async fn deliver(
    db: &mut AnyConnection,
    now: i64,
    demo: bool,
    links: &ReturnLinks,
    notice: Notice,
) -> Result<(), sqlx::Error> {
    match notice {
        Notice::ReturnUpdate { return_id, .. } | Notice::PickupRescheduled { return_id } => {
            let (moved, told) = match &notice {
                Notice::ReturnUpdate { status, .. } => (false, Some(status.clone())),
                _ => (true, None),
            };
            if !demo {
                tracing::debug!("no delivery channel outside demo mode: return update not sent");
                return Ok(());
            }
            let found: Option<ReturnMessageRow> = sqlx::query_as(
                "SELECT r.number, r.status, r.refund_fen, r.resolution, r.pickup_starts_at, r.pickup_fee_fen, \
                 r.drop_off_code, c.email, c.name, v.reason AS decision_reason FROM returns r \
                 JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = o.customer_id \
                 LEFT JOIN return_reviews v ON v.return_id = r.id WHERE r.id = $1",
            )
            .bind(return_id)
            .fetch_optional(&mut *db)
            .await?;
            let Some(mut row) = found else {
                return Ok(());
            };
            if let Some(status) = told {
                row.status = status;
            }
            let (number, name) = (&row.number, &row.name);
            let (zh, en) = if moved {
                ("的上门取件已改期", "has its pickup moved")
            } else {
                return_status_words(&row.status)
            };
            let amount = Money::fen(row.refund_fen).decimal();
            let status = ReturnStatus::parse(&row.status);
            let ended_early = matches!(
                status,
                Some(ReturnStatus::Rejected | ReturnStatus::Cancelled)
            );
            // What comes back: the money, or for an exchange the variants sent instead; nothing
            // once the return ended early.
            let (outcome_zh, outcome_en) = if ended_early {
                (String::new(), String::new())
            } else if row.resolution == Resolution::Exchange.as_str() {
                let wanted: Vec<(String, Option<String>, String, Option<String>)> = sqlx::query_as(
                    "SELECT i.name, i.name_en, v.variant, v.variant_en FROM return_items ri \
                     JOIN order_items i ON i.id = ri.order_item_id \
                     JOIN variants v ON v.sku = ri.exchange_sku WHERE ri.return_id = $1 ORDER BY i.position",
                )
                .bind(return_id)
                .fetch_all(&mut *db)
                .await?;
                let (names, variants): (Vec<_>, Vec<_>) = wanted
                    .into_iter()
                    .map(|(name, name_en, variant, variant_en)| {
                        (localized(name, name_en), localized(variant, variant_en))
                    })
                    .unzip();
                let named = |language, open, close, separator| {
                    in_language(&names, language)
                        .iter()
                        .zip(in_language(&variants, language))
                        .map(|(name, variant)| format!("{name}{open}{variant}{close}"))
                        .collect::<Vec<_>>()
                        .join(separator)
                };
                (
                    format!("换货：{}。", named(PageLocale::ZhCn, "（", "）", "、")),
                    format!("Exchange for: {}.", named(PageLocale::En, " (", ")", ", ")),
                )
            } else {
                (
                    format!("退款金额 ¥{amount}。"),
                    format!("Refund: ¥{amount}."),
                )
            };
            // How to hand the goods over, while that is still to come.
            let before_hand_over =
                status.is_some_and(|status| status.under_way() && status != ReturnStatus::PickedUp);
            let (mut more_zh, mut more_en) = (String::new(), String::new());
            // The reviewer's words, in the message that tells their decision (rejected, or the
            // approval's status), as they were written.
            let decided = !moved
                && matches!(
                    status,
                    Some(
                        ReturnStatus::Rejected
                            | ReturnStatus::Approved
                            | ReturnStatus::PickupScheduled
                    )
                );
            if let Some(reason) = row.decision_reason.as_ref().filter(|_| decided) {
                more_zh.push_str(&format!("\n原因：{reason}"));
                more_en.push_str(&format!("\nReason: {reason}"));
            }
            if let Some(start) = row.pickup_starts_at.filter(|_| before_hand_over) {
                let from = china_date_time(start);
                let until = china_clock(start.saturating_add(PICKUP_WINDOW_SECS));
                more_zh.push_str(&format!("\n上门取件时间：{from}–{until}（北京时间）。"));
                more_en.push_str(&format!("\nPickup: {from}–{until} (China time)."));
                if row.pickup_fee_fen > 0 {
                    let fee = Money::fen(row.pickup_fee_fen).decimal();
                    more_zh.push_str(&format!("取件费 ¥{fee} 已从退款中扣除。"));
                    more_en.push_str(&format!(
                        " The pickup fee of ¥{fee} is taken off the refund."
                    ));
                }
            }
            if let Some(code) = row.drop_off_code.as_ref().filter(|_| before_hand_over) {
                more_zh.push_str(&format!("\n到店交回时请出示退货码 {code}。"));
                more_en.push_str(&format!(
                    "\nShow the return code {code} at the drop-off point."
                ));
            }
            // Whoever holds the message can follow the return, signed in or not.
            if let Some(link) = links.link(number, now) {
                more_zh.push_str(&format!("\n查看退货进度：{link}"));
                more_en.push_str(&format!("\nFollow your return: {link}"));
            }
            sqlx::query(
                "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&row.email)
            .bind(format!("Portico 退货 {number} / Your return {number}"))
            .bind(format!(
                "{name}，您好：\n您的退货 {number}{zh}。{outcome_zh}{more_zh}\n\nHello {name},\nyour return {number} {en}. {outcome_en}{more_en}"
            ))
            .bind(now)
            .execute(&mut *db)
            .await?;
            Ok(())
        }
        Notice::SurveyInvitation {
            invitation_id,
            link,
        } => {
            if !demo {
                tracing::debug!(
                    "no delivery channel outside demo mode: survey invitation not sent"
                );
                return Ok(());
            }
            survey_message(db, now, invitation_id, &link).await
        }
        Notice::SignInCode { contact, code } => {
            let name: Option<String> =
                sqlx::query_scalar("SELECT name FROM customers WHERE email = $1 OR phone = $2")
                    .bind(contact.as_str())
                    .bind(contact.as_str())
                    .fetch_optional(&mut *db)
                    .await?;
            // Strangers get nothing; their request was answered exactly like a customer's.
            let Some(name) = name else { return Ok(()) };
            if !demo {
                tracing::debug!("no delivery channel outside demo mode: sign-in code not sent");
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(contact.as_str())
            .bind("Portico 登录验证码 / Your Portico sign-in code")
            .bind(format!(
                "{name}，您好：\n您的登录验证码是 {code}，10 分钟内有效。如非本人操作，请忽略本消息。\n\nHello {name},\nyour sign-in code is {code}. It is valid for 10 minutes. If you did not ask for it, ignore this message."
            ))
            .bind(now)
            .execute(&mut *db)
            .await?;
            Ok(())
        }
    }
}

/// Texts (item names, variant labels) in `language`, each falling back to its other language where it has none.
fn in_language(names: &[Localized], language: PageLocale) -> Vec<&str> {
    names.iter().map(|name| name.get(language)).collect()
}

/// The message inviting to a survey: what it is about, the link, and for the first (scale)
/// question one link per score, which answers it with one tap.
async fn survey_message(
    db: &mut AnyConnection,
    now: i64,
    invitation_id: i64,
    link: &str,
) -> Result<(), sqlx::Error> {
    let found: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT i.touchpoint, i.reference, c.email, c.name FROM survey_invitations i \
         JOIN customers c ON c.id = i.customer_id WHERE i.id = $1",
    )
    .bind(invitation_id)
    .fetch_optional(&mut *db)
    .await?;
    let Some((touchpoint, reference, email, name)) = found else {
        return Ok(());
    };
    let Some(touchpoint) = Touchpoint::parse(&touchpoint) else {
        tracing::error!(invitation_id, "an invitation's touchpoint cannot be read");
        return Ok(());
    };
    let items = crate::surveys::subject_items(&mut *db, touchpoint, &reference).await?;
    let (what_zh, what_en) = match touchpoint {
        Touchpoint::Delivery => (
            format!("您的订单 {reference} 已送达"),
            format!("your order {reference} was delivered"),
        ),
        Touchpoint::Return => (
            format!("您的退货 {reference} 已办结"),
            format!("your return {reference} is complete"),
        ),
        Touchpoint::Support => (
            format!("您的服务工单 {reference} 已解决"),
            format!("your support ticket {reference} was solved"),
        ),
    };
    let (items_zh, items_en) = if items.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("（{}）", in_language(&items, PageLocale::ZhCn).join("、")),
            format!(" ({})", in_language(&items, PageLocale::En).join(", ")),
        )
    };
    let survey = crate::surveys::definitions::survey_for(touchpoint);
    let (low, high) = survey
        .questions
        .first()
        .and_then(|q| q.answer.scale())
        .unwrap_or((1, 5));
    let taps: Vec<String> = (low..=high)
        .map(|score| format!("{score}: {link}?score={score}"))
        .collect();
    let taps = taps.join("\n");
    let (prompt_zh, prompt_en) = survey
        .questions
        .first()
        .map(|q| (q.prompt.zh_cn.as_str(), q.prompt.en.as_str()))
        .unwrap_or_default();
    sqlx::query("INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&email)
        .bind(format!("Portico 服务评价 {reference} / How did we do? {reference}"))
        .bind(format!(
            "{name}，您好：\n{what_zh}{items_zh}。花一分钟告诉我们您的感受好吗？\n参与评价：{link}\n\
             {prompt_zh}（{low} 到 {high} 分，点一下分数即可）\n{taps}\n\
             链接 14 天内有效。不想再收到评价邀请？打开链接即可退订。\n\n\
             Hello {name},\n{what_en}{items_en}. Could you spare a minute to tell us how it went?\n\
             Take the survey: {link}\n{prompt_en} ({low} to {high}: one tap on a score answers)\n{taps}\n\
             The link works for 14 days. No more surveys? The link lets you opt out."
        ))
        .bind(now)
        .execute(&mut *db)
        .await?;
    Ok(())
}
