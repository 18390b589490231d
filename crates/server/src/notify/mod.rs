//! Messages to customers, sent off the request path: a handler queues a [`Notice`] and answers
//! at once, so what a request costs does not tell whether its contact belongs to a customer.
//! Notices wait in the `notices` table, so one outlives the instance that queued it: a notice
//! queued in a transaction exists exactly when that transaction's work does.
//!
//! Delivery is at least once, and outside any write transaction. One worker per instance claims
//! the oldest due notice with a lease (`claimed_until`: one guarded UPDATE, whose subquery skips
//! rows other claimers hold on PostgreSQL), composes its message (`compose.rs`, from the typed
//! templates in `message.rs`), hands it to the [`Channel`] for its contact (`channel.rs`: email
//! over SMTP, SMS through a provider, the demo's outbox), then marks it `sent`. While the lease
//! runs no other instance takes it, so a restart or a second instance does not send it again
//! meanwhile; an instance that died between claim and send leaves a lease that expires, and the
//! notice is claimed again: sent once it is sent, perhaps twice if the instance died right after
//! handing it over (then with the same `Message-ID` / idempotency key). A failure is tried again
//! with a growing pause until the retry time is over, then the notice is `failed`: kept, listed
//! for admins, who may send it again.

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::returns::pass::ReturnLinks;
use portico_api::{Contact, PageLocale};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub mod channel;
mod compose;
pub mod failed;
pub mod message;
pub mod outbox;
pub mod sms;
pub mod smtp;
pub mod tencent;

pub use channel::{channels, Channel, Channels, Envelope, SendError};

/// Something to tell a customer (kept as JSON in `notices` until delivered).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A one-time sign-in code (`contact` as on the wire), delivered only if the contact belongs
    /// to a customer; in `locale`, the language it was asked for in, when the asker said.
    SignInCode {
        contact: String,
        code: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locale: Option<PageLocale>,
    },
    /// A return started or moved on to `status` (its wire name): its buyer hears so, also when
    /// it moved on again before this was delivered.
    ReturnUpdate { return_id: i64, status: String },
    /// A return's pickup was moved to another slot: its buyer hears the new window.
    PickupRescheduled { return_id: i64 },
    /// A survey invitation was made: its customer gets the link (`link`, the portal's `/s/TOKEN`)
    /// and one link per score of its first question.
    SurveyInvitation { invitation_id: i64, link: String },
}

impl Notice {
    /// What the notice is about, when its messages must arrive in the order they were queued: a
    /// return's ("pickup moved" never after "handed over").
    fn subject(&self) -> Option<String> {
        match self {
            Notice::ReturnUpdate { return_id, .. } | Notice::PickupRescheduled { return_id } => {
                Some(format!("return:{return_id}"))
            }
            Notice::SignInCode { .. } | Notice::SurveyInvitation { .. } => None,
        }
    }
}

/// Queues notices and wakes this instance's delivery worker.
#[derive(Clone)]
pub struct Notifier {
    wake: Arc<Notify>,
}

/// How long a claim holds a notice: twice what a send may take ([`smtp::SEND_TIMEOUT`]). A
/// message claimed by an instance that died goes out this much later.
pub const LEASE_SECS: i64 = 60;
/// How often an idle worker looks for notices another instance queued (or that became due).
const POLL: Duration = Duration::from_secs(1);
/// The pause after a first failure, doubled after each next one up to [`MAX_PAUSE_SECS`].
const FIRST_PAUSE_SECS: i64 = 5;
const MAX_PAUSE_SECS: i64 = 15 * 60;

/// What the delivery worker needs.
pub struct Delivery {
    pub db: Db,
    pub clock: Clock,
    pub channels: Channels,
    /// Messages about a return carry its link.
    pub links: ReturnLinks,
    /// How long after it was queued a notice that keeps failing is tried again
    /// (`PORTICO_DELIVERY_RETRY_SECS`; a sign-in code's only while the code is valid).
    pub retry_secs: i64,
}

impl Notifier {
    /// Starts the delivery worker on the current runtime.
    pub fn start(delivery: Delivery) -> Self {
        let wake = Arc::new(Notify::new());
        let woken = wake.clone();
        tokio::spawn(async move {
            loop {
                match deliver_next(&delivery).await {
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
        self.queue(db, notice, now, None).await
    }

    /// Queues `notice` under `ticket` (random: whoever holds it may ask what became of it).
    pub async fn queue<'c>(
        &self,
        db: impl sqlx::AnyExecutor<'c>,
        notice: Notice,
        now: i64,
        ticket: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let body = serde_json::to_string(&notice).expect("a notice serializes");
        sqlx::query(
            "INSERT INTO notices (body, created_at, attempts, ticket, subject) VALUES ($1, $2, 0, $3, $4)",
        )
        .bind(body)
        .bind(now)
        .bind(ticket)
        .bind(notice.subject())
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

/// The pause before the next try of a notice that failed `failures` times.
pub fn pause_after(failures: i64) -> i64 {
    let doublings = failures.saturating_sub(1).clamp(0, 20) as u32;
    (FIRST_PAUSE_SECS << doublings).min(MAX_PAUSE_SECS)
}

/// Until when a notice queued at `created_at` is tried: a sign-in code only while it is valid.
fn retry_until(notice: Option<&Notice>, created_at: i64, retry_secs: i64) -> i64 {
    let window = match notice {
        Some(Notice::SignInCode { .. }) => retry_secs.min(crate::auth::CODE_TTL_SECS),
        _ => retry_secs,
    };
    created_at.saturating_add(window)
}

/// What became of one try.
enum Outcome {
    /// Handed over, or nobody was to hear it (`to` is then `None`).
    Sent { to: Option<String> },
    Failed {
        to: Option<String>,
        error: SendError,
    },
}

/// Claims the oldest due notice, delivers it and records what became of it; `false` when none
/// is due.
async fn deliver_next(delivery: &Delivery) -> Result<bool, sqlx::Error> {
    let db = &delivery.db;
    let now = delivery.clock.now();
    // A look first, without writing: an idle queue costs no writer anything.
    // Due, not held by a claim, and not behind an older notice of its subject still waiting.
    const DUE: &str = "SELECT id FROM notices n WHERE status = 'waiting' AND next_attempt_at <= $1 \
         AND claimed_until <= $1 AND NOT EXISTS (SELECT 1 FROM notices o WHERE o.subject = n.subject \
         AND o.id < n.id AND o.status = 'waiting')";
    let due: Option<i64> = sqlx::query_scalar(&format!("{DUE} LIMIT 1"))
        .bind(now)
        .fetch_optional(db)
        .await?;
    if due.is_none() {
        return Ok(false);
    }
    let claimed: Option<(i64, String, i64, i64)> = sqlx::query_as(&format!(
        "UPDATE notices SET claimed_until = $2 WHERE id = ({DUE} ORDER BY id LIMIT 1{}) \
         AND status = 'waiting' AND claimed_until <= $1 RETURNING id, body, attempts, created_at",
        db::skip_locked(db)
    ))
    .bind(now)
    .bind(now.saturating_add(LEASE_SECS))
    .fetch_optional(db)
    .await?;
    // Another instance took it first: look again.
    let Some((id, body, attempts, created_at)) = claimed else {
        return Ok(true);
    };
    let notice = serde_json::from_str::<Notice>(&body);
    let outcome = match &notice {
        Ok(notice) => attempt(delivery, id, notice, now).await,
        Err(error) => Outcome::Failed {
            to: None,
            error: SendError::Permanent(format!("the notice does not parse: {error}")),
        },
    };
    let now = delivery.clock.now();
    let (status, to, error, next) = match outcome {
        Outcome::Sent { to } => ("sent", to, None, 0),
        Outcome::Failed { to, error } => {
            let next = now.saturating_add(pause_after(attempts + 1));
            let until = retry_until(notice.as_ref().ok(), created_at, delivery.retry_secs);
            let status = match &error {
                SendError::Transient(_) if next <= until => "waiting",
                _ => "failed",
            };
            if status == "failed" {
                tracing::error!(%error, id, "a message could not be delivered: given up");
            } else {
                tracing::warn!(%error, id, "could not deliver a message: tried again later");
            }
            (status, to, Some(error.to_string()), next)
        }
    };
    let finished = (status != "waiting").then_some(now);
    let failures = i64::from(error.is_some());
    sqlx::query(
        "UPDATE notices SET status = $2, claimed_until = 0, next_attempt_at = $3, finished_at = $4, \
         attempts = attempts + $5, recipient = COALESCE($6, recipient), last_error = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(next)
    .bind(finished)
    .bind(failures)
    .bind(to)
    .bind(error)
    .execute(db)
    .await?;
    Ok(true)
}

/// One try at delivering `notice` (queued as `id`).
async fn attempt(delivery: &Delivery, id: i64, notice: &Notice, now: i64) -> Outcome {
    // A code to a kind of contact nothing here reaches fails for strangers too: whether it
    // failed must not tell who is a customer.
    if let Notice::SignInCode { contact, .. } = notice {
        if let Ok(parsed) = Contact::from_wire(contact) {
            if let Err(failed) = channel_for(&delivery.channels, &parsed, contact) {
                return failed;
            }
        }
    }
    let composed = match compose::compose(&delivery.db, now, &delivery.links, notice).await {
        Ok(Some(composed)) => composed,
        Ok(None) => return Outcome::Sent { to: None },
        Err(error) => {
            return Outcome::Failed {
                to: None,
                error: SendError::Transient(format!("reading the message's facts: {error}")),
            }
        }
    };
    let to = Some(composed.to.clone());
    let Some(contact) = composed.contact() else {
        return Outcome::Failed {
            to,
            error: SendError::Permanent("not an email address or a phone number".into()),
        };
    };
    let channel = match channel_for(&delivery.channels, &contact, &composed.to) {
        Ok(channel) => channel,
        Err(failed) => return failed,
    };
    let envelope = Envelope {
        id,
        to: &contact,
        message: &composed.message,
    };
    match channel.send(&envelope).await {
        Ok(()) => Outcome::Sent { to },
        Err(error) => Outcome::Failed { to, error },
    }
}

/// The channel for `contact` (`to`), or the failure of a message to it when nothing here
/// reaches its kind.
fn channel_for<'a>(
    channels: &'a Channels,
    contact: &Contact,
    to: &str,
) -> Result<&'a dyn Channel, Outcome> {
    if let Some(channel) = channels.for_contact(contact) {
        return Ok(channel);
    }
    let kind = match contact {
        Contact::Email(_) => "email (PORTICO_SMTP_URL)",
        Contact::Phone(_) => "SMS (PORTICO_SMS_URL)",
    };
    Err(Outcome::Failed {
        to: Some(to.to_string()),
        error: SendError::Permanent(format!("no channel delivers {kind} here")),
    })
}

/// The staff's failed messages.
pub fn router() -> utoipa_axum::router::OpenApiRouter<crate::state::AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(failed::list))
        .routes(routes!(failed::retry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_from_five_seconds_up_to_fifteen_minutes() {
        let pauses: Vec<i64> = (1..=10).map(pause_after).collect();
        assert_eq!(pauses, [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]);
        assert_eq!(pause_after(1_000), 900);
    }

    #[test]
    fn a_sign_in_code_is_tried_only_while_it_is_valid() {
        let code = Notice::SignInCode {
            contact: "a@example.com".into(),
            code: "123456".into(),
            locale: None,
        };
        assert_eq!(
            retry_until(Some(&code), 100, 86_400),
            100 + crate::auth::CODE_TTL_SECS
        );
        let survey = Notice::SurveyInvitation {
            invitation_id: 1,
            link: String::new(),
        };
        assert_eq!(retry_until(Some(&survey), 100, 86_400), 86_500);
        assert_eq!(retry_until(None, 100, 60), 160);
    }
}
