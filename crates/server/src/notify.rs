//! Messages to customers, sent off the request path: a handler hands a [`Notice`] to the
//! [`Notifier`] and answers at once, so what a request costs does not tell whether its contact
//! belongs to a customer. One worker delivers notices in the order they came. In demo mode a
//! delivery is a row in the outbox (`/dev/outbox`); a real deployment plugs its email/SMS here.

use crate::clock::Clock;
use portico_api::Contact;
use sqlx::SqlitePool;
use tokio::sync::mpsc;

/// Something to tell a customer.
#[derive(Debug)]
pub enum Notice {
    /// A one-time sign-in code, delivered only if the contact belongs to a customer.
    SignInCode { contact: Contact, code: String },
}

/// Hands notices to the delivery worker.
#[derive(Clone)]
pub struct Notifier {
    queue: mpsc::Sender<Notice>,
}

/// Notices waiting beyond this are dropped (and logged): the rate limits keep a real queue far
/// shorter.
const QUEUE: usize = 4096;

impl Notifier {
    /// Starts the delivery worker on the current runtime.
    pub fn start(db: SqlitePool, clock: Clock, demo: bool) -> Self {
        let (queue, mut notices) = mpsc::channel(QUEUE);
        tokio::spawn(async move {
            while let Some(notice) = notices.recv().await {
                if let Err(error) = deliver(&db, clock.now(), demo, notice).await {
                    tracing::warn!(%error, "could not deliver a notice");
                }
            }
        });
        Notifier { queue }
    }

    /// Queues a notice; never waits.
    pub fn send(&self, notice: Notice) {
        if let Err(error) = self.queue.try_send(notice) {
            tracing::warn!(%error, "notice queue full: a notice was dropped");
        }
    }
}

async fn deliver(db: &SqlitePool, now: i64, demo: bool, notice: Notice) -> Result<(), sqlx::Error> {
    match notice {
        Notice::SignInCode { contact, code } => {
            let name: Option<String> =
                sqlx::query_scalar("SELECT name FROM customers WHERE email = ? OR phone = ?")
                    .bind(contact.as_str())
                    .bind(contact.as_str())
                    .fetch_optional(db)
                    .await?;
            // Strangers get nothing; their request was answered exactly like a customer's.
            let Some(name) = name else { return Ok(()) };
            if !demo {
                tracing::debug!("no delivery channel outside demo mode: sign-in code not sent");
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO outbox (recipient, subject, body, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(contact.as_str())
            .bind("Portico 登录验证码 / Your Portico sign-in code")
            .bind(format!(
                "{name}，您好：\n您的登录验证码是 {code}，10 分钟内有效。如非本人操作，请忽略本消息。\n\nHello {name},\nyour sign-in code is {code}. It is valid for 10 minutes. If you did not ask for it, ignore this message."
            ))
            .bind(now)
            .execute(db)
            .await?;
            Ok(())
        }
    }
}
