//! From a queued [`Notice`] to the message it becomes and who it goes to: the facts are read
//! (outside any write transaction) and handed to the typed templates in `message.rs`.

use super::message::{self, Message, Pickup};
use super::Notice;
use crate::clock::{china_clock, china_date_time};
use crate::db::Db;
use crate::orders::localized;
use crate::returns::pass::ReturnLinks;
use crate::returns::policy::PICKUP_WINDOW_SECS;
use portico_api::{Contact, Localized, Money, PageLocale, Resolution, ReturnStatus, Touchpoint};

/// A message and its recipient.
pub struct Composed {
    /// Where it goes, as stored (an email address or a phone number).
    pub to: String,
    pub message: Message,
}

impl Composed {
    /// The recipient as a contact, when it is one (a customer's stored email should be).
    pub fn contact(&self) -> Option<Contact> {
        Contact::from_wire(&self.to).ok()
    }
}

/// What `notice` becomes at `now`; `None` when nobody is to hear it (a contact that is no
/// customer's, a return or invitation that is gone).
pub async fn compose(
    db: &Db,
    now: i64,
    links: &ReturnLinks,
    notice: &Notice,
) -> Result<Option<Composed>, sqlx::Error> {
    match notice {
        Notice::SignInCode {
            contact,
            code,
            locale,
        } => {
            let found: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT name, locale FROM customers WHERE email = $1 OR phone = $2")
                    .bind(contact.as_str())
                    .bind(contact.as_str())
                    .fetch_optional(db)
                    .await?;
            // Strangers get nothing; their request was answered exactly like a customer's.
            // The code is in the language it was asked for in, else the customer's.
            Ok(found.map(|(name, stored)| Composed {
                to: contact.clone(),
                message: message::sign_in_code(&name, code)
                    .in_language(locale.or_else(|| language(stored))),
            }))
        }
        Notice::ReturnUpdate { return_id, status } => {
            return_update(db, now, links, *return_id, Some(status)).await
        }
        Notice::PickupRescheduled { return_id } => {
            return_update(db, now, links, *return_id, None).await
        }
        Notice::SurveyInvitation {
            invitation_id,
            link,
        } => survey_invitation(db, *invitation_id, link).await,
    }
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
    /// The customer's language, when known.
    locale: Option<String>,
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

/// A return moved on to `told` (its status when the notice was queued: its buyer hears that one,
/// also when it moved on again since), or its pickup moved (`None`).
async fn return_update(
    db: &Db,
    now: i64,
    links: &ReturnLinks,
    return_id: i64,
    told: Option<&String>,
) -> Result<Option<Composed>, sqlx::Error> {
    let moved = told.is_none();
    let found: Option<ReturnMessageRow> = sqlx::query_as(
        "SELECT r.number, r.status, r.refund_fen, r.resolution, r.pickup_starts_at, r.pickup_fee_fen, \
         r.drop_off_code, c.email, c.name, c.locale, v.reason AS decision_reason FROM returns r \
         JOIN orders o ON o.id = r.order_id JOIN customers c ON c.id = o.customer_id \
         LEFT JOIN return_reviews v ON v.return_id = r.id WHERE r.id = $1",
    )
    .bind(return_id)
    .fetch_optional(db)
    .await?;
    let Some(mut row) = found else {
        return Ok(None);
    };
    if let Some(status) = told {
        row.status = status.clone();
    }
    let what = if moved {
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
    // What comes back: the money, or for an exchange the variants sent instead; nothing once
    // the return ended early.
    let outcome = if ended_early {
        (String::new(), String::new())
    } else if row.resolution == Resolution::Exchange.as_str() {
        let wanted: Vec<(String, Option<String>, String, Option<String>)> = sqlx::query_as(
            "SELECT i.name, i.name_en, v.variant, v.variant_en FROM return_items ri \
             JOIN order_items i ON i.id = ri.order_item_id \
             JOIN variants v ON v.sku = ri.exchange_sku WHERE ri.return_id = $1 ORDER BY i.position",
        )
        .bind(return_id)
        .fetch_all(db)
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
    // The reviewer's words, in the message that tells their decision (rejected, or the
    // approval's status), as they were written.
    let decided = !moved
        && matches!(
            status,
            Some(ReturnStatus::Rejected | ReturnStatus::Approved | ReturnStatus::PickupScheduled)
        );
    let pickup = row
        .pickup_starts_at
        .filter(|_| before_hand_over)
        .map(|start| Pickup {
            from: china_date_time(start),
            until: china_clock(start.saturating_add(PICKUP_WINDOW_SECS)),
            fee: (row.pickup_fee_fen > 0).then(|| Money::fen(row.pickup_fee_fen).decimal()),
        });
    // Whoever holds the message can follow the return, signed in or not.
    let link = links.link(&row.number, now);
    let message = message::return_update(message::ReturnUpdate {
        name: row.name,
        number: row.number,
        what,
        outcome,
        reason: row.decision_reason.filter(|_| decided),
        pickup,
        drop_off_code: row.drop_off_code.filter(|_| before_hand_over),
        link,
    })
    .in_language(language(row.locale));
    Ok(Some(Composed {
        to: row.email,
        message,
    }))
}

/// A customer's stored language (`customers.locale`), when it is one.
fn language(stored: Option<String>) -> Option<PageLocale> {
    stored.as_deref().and_then(PageLocale::parse)
}

/// Texts (item names, variant labels) in `language`, each falling back to its other language where it has none.
fn in_language(names: &[Localized], language: PageLocale) -> Vec<&str> {
    names.iter().map(|name| name.get(language)).collect()
}

/// Where a survey link's one-click opt-out is POSTed: `/api/surveys/{token}/opt-out` beside the
/// link's `/s/{token}`, when the link is absolute (a mail client needs a whole URL).
pub fn unsubscribe_url(link: &str) -> Option<String> {
    let (origin, token) = link.rsplit_once("/s/")?;
    (origin.starts_with("https://") || origin.starts_with("http://"))
        .then(|| format!("{origin}/api/surveys/{token}/opt-out"))
}

/// The message inviting to a survey: what it is about, the link, and for the first (scale)
/// question one link per score, which answers it with one tap. Nobody hears it once the
/// customer opted out (also after it was queued).
async fn survey_invitation(
    db: &Db,
    invitation_id: i64,
    link: &str,
) -> Result<Option<Composed>, sqlx::Error> {
    let found: Option<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT i.touchpoint, i.reference, c.email, c.name, c.locale FROM survey_invitations i \
         JOIN customers c ON c.id = i.customer_id WHERE i.id = $1 AND NOT c.surveys_opt_out",
    )
    .bind(invitation_id)
    .fetch_optional(db)
    .await?;
    let Some((touchpoint, reference, email, name, locale)) = found else {
        return Ok(None);
    };
    let Some(touchpoint) = Touchpoint::parse(&touchpoint) else {
        tracing::error!(invitation_id, "an invitation's touchpoint cannot be read");
        return Ok(None);
    };
    let items = crate::surveys::subject_items(db, touchpoint, &reference).await?;
    let what = match touchpoint {
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
    let items = if items.is_empty() {
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
    let prompt = survey
        .questions
        .first()
        .map(|q| (q.prompt.zh_cn.clone(), q.prompt.en.clone()))
        .unwrap_or_default();
    let message = message::survey_invitation(message::SurveyInvitation {
        name,
        reference,
        what,
        items,
        link: link.to_string(),
        prompt,
        low,
        high,
        unsubscribe: unsubscribe_url(link),
    })
    .in_language(language(locale));
    Ok(Some(Composed { to: email, message }))
}
