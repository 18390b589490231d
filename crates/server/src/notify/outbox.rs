//! The demo's channel: a message "sent" is a row of the outbox (its subject and text part), which
//! the demo reads at `/dev/outbox` (`dev.rs`). Only in demo mode, for what no real channel takes.
//! Exactly once, as before real delivery: the row is written in the transaction that marks its
//! notice sent (guarded by its status), so an instance killed in between leaves neither.

use super::channel::{Channel, Envelope, SendError, Sending};
use crate::db::Db;

pub struct Outbox {
    pub db: Db,
    pub clock: crate::clock::Clock,
}

impl Outbox {
    async fn put(&self, envelope: &Envelope<'_>) -> Result<(), sqlx::Error> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let marked = sqlx::query(
            "UPDATE notices SET status = 'sent', finished_at = $2, recipient = $3 \
             WHERE id = $1 AND status = 'waiting'",
        )
        .bind(envelope.id)
        .bind(now)
        .bind(envelope.to.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked == 1 {
            sqlx::query(
                "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(envelope.to.as_str())
            .bind(&envelope.message.subject)
            .bind(envelope.message.text())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }
}

impl Channel for Outbox {
    fn name(&self) -> &'static str {
        "outbox"
    }

    fn send<'a>(&'a self, envelope: &'a Envelope<'a>) -> Sending<'a> {
        Box::pin(async move {
            self.put(envelope)
                .await
                .map_err(|error| SendError::Transient(format!("outbox: {error}")))
        })
    }
}
