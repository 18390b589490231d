//! Customers by the retailer's id (`POST /api/ingest/customers`): a new one starts in the
//! first tier; a change of email follows onto her orders; an email or phone another customer
//! has is refused.

use super::batch::{external_id, phone, read, refusal, taken_already, text, time, Taken};
use portico_api::{Contact, CustomerRecord, Outcome, TierChangeKind};
use serde_json::Value;
use sqlx::AnyConnection;

/// One customer record, added or updated (or unchanged: no newer than the one taken).
pub(super) async fn take(db: &mut AnyConnection, record: &Value, now: i64) -> Taken {
    let record: CustomerRecord = read(record)?;
    external_id("id", &record.id)?;
    let version = time("updated_at", &record.updated_at.0)?;
    let name = text("name", &record.name, 100, false)?;
    let email = match Contact::from_wire(&record.email) {
        Ok(Contact::Email(email)) => email.to_ascii_lowercase(),
        _ => return Err(refusal("email", "an ASCII email address").into()),
    };
    let phone = phone("phone", &record.phone)?;
    let locale = record.locale.map(|locale| locale.as_str());
    let known: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, source_version FROM customers WHERE external_id = $1")
            .bind(&record.id)
            .fetch_optional(&mut *db)
            .await?;
    if taken_already(known.and_then(|(_, taken)| taken), version) {
        return Ok((Outcome::Unchanged, None));
    }
    let own = known.map(|(id, _)| id);
    for (field, column, value) in [("email", "email", &email), ("phone", "phone", &phone)] {
        let holder: Option<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM customers WHERE {column} = $1"))
                .bind(value)
                .fetch_optional(&mut *db)
                .await?;
        if holder.is_some_and(|holder| Some(holder) != own) {
            return Err(refusal(field, format!("another customer has this {field}")).into());
        }
    }
    if let Some(id) = own {
        sqlx::query(
            "UPDATE customers SET name = $1, email = $2, phone = $3, source_version = $4, \
             locale = COALESCE($6, locale) WHERE id = $5",
        )
        .bind(&name)
        .bind(&email)
        .bind(&phone)
        .bind(version)
        .bind(id)
        .bind(locale)
        .execute(&mut *db)
        .await?;
        sqlx::query("UPDATE orders SET contact_email = $1 WHERE customer_id = $2")
            .bind(&email)
            .bind(id)
            .execute(&mut *db)
            .await?;
        return Ok((Outcome::Updated, Some(id)));
    }
    let first_tier: String = sqlx::query_scalar("SELECT code FROM tiers ORDER BY rank LIMIT 1")
        .fetch_one(&mut *db)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (email, phone, name, tier, tier_evaluated_at, external_id, source_version, locale) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&email)
    .bind(&phone)
    .bind(&name)
    .bind(&first_tier)
    .bind(now)
    .bind(&record.id)
    .bind(version)
    .bind(locale)
    .fetch_one(&mut *db)
    .await?;
    crate::loyalty::record(db, id, &first_tier, TierChangeKind::Joined, now).await?;
    Ok((Outcome::Added, None))
}
