//! Loyalty: the deployment's tiers (names, thresholds, benefits), a customer's spend as the tiers
//! count it, their tier kept up to date, and where they stand. The rules are in `policy`, free of
//! storage; other capabilities ask here for a customer's benefits.

pub mod policy;

use crate::auth::Caller;
use crate::clock::rfc3339;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use policy::{Spend, Thresholds};
use portico_api::{
    Benefit, ErrorCode, KeepTier, Localized, LoyaltyStatus, Money, NextTier, Tier, TierChange,
    TierChangeKind,
};
use sqlx::{AnyConnection, AnyPool};

const DAY: i64 = 24 * 60 * 60;

/// Every tier, lowest first, with its benefits.
pub async fn tiers(db: &AnyPool) -> ApiResult<Vec<Tier>> {
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT code, name_zh, name_en, reach_fen, keep_fen FROM tiers ORDER BY rank",
    )
    .fetch_all(db)
    .await?;
    let benefits: Vec<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT tier, kind, amount FROM tier_benefits ORDER BY tier, position")
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|(code, zh_cn, en, reach, keep)| {
            let benefits = benefits
                .iter()
                .filter(|(tier, ..)| *tier == code)
                .map(|(_, kind, amount)| benefit(kind, *amount))
                .collect::<ApiResult<_>>()?;
            Ok(Tier {
                code,
                name: Localized { zh_cn, en },
                reach: Money::fen(reach),
                keep: Money::fen(keep),
                benefits,
            })
        })
        .collect()
}

/// A stored benefit: its kind and, where the kind has one, its parameter.
fn benefit(kind: &str, amount: Option<i64>) -> ApiResult<Benefit> {
    let corrupt = || ApiError::Corrupt("a tier benefit");
    let count = || {
        amount
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(corrupt)
    };
    Ok(match kind {
        "return_window" => Benefit::ReturnWindow { days: count()? },
        "free_pickup" => Benefit::FreePickup,
        "priority_line" => Benefit::PriorityLine,
        "birthday_gift" => Benefit::BirthdayGift {
            value: Money::fen(amount.filter(|fen| *fen >= 0).ok_or_else(corrupt)?),
        },
        "extended_warranty" => Benefit::ExtendedWarranty { months: count()? },
        "dedicated_advisor" => Benefit::DedicatedAdvisor,
        _ => return Err(corrupt()),
    })
}

/// The customer's orders as the tiers count them (see `policy`): what is left of each once the
/// goods that came back for money are taken off (an exchange keeps its spend; a refunded order
/// counts nothing; an unpaid one is left out), and when its return window closes — the last
/// parcel's delivery plus `window_days`, the window the customer's tier gives them now (an order
/// they may still return is pending, whatever window it was bought under).
async fn spends(db: &AnyPool, customer: i64, window_days: u32) -> ApiResult<Vec<Spend>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, i64, i64, i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT o.placed_at, o.payment_state, o.total_fen, \
         (SELECT COUNT(*) FROM shipments s WHERE s.order_id = o.id), \
         (SELECT COUNT(*) FROM shipments s WHERE s.order_id = o.id AND s.status = 'delivered'), \
         (SELECT MAX(s.delivered_at) FROM shipments s WHERE s.order_id = o.id), \
         (SELECT CAST(COALESCE(SUM(ri.quantity * i.unit_price_fen), 0) AS BIGINT) FROM return_items ri \
            JOIN returns r ON r.id = ri.return_id JOIN order_items i ON i.id = ri.order_item_id \
            WHERE r.order_id = o.id AND r.resolution <> 'exchange' \
            AND r.status IN ('received', 'refunded')) \
         FROM orders o WHERE o.customer_id = $1 AND o.payment_state <> 'pending'",
    )
    .bind(customer)
    .fetch_all(db)
    .await?;
    let window = i64::from(window_days) * DAY;
    Ok(rows
        .into_iter()
        .map(
            |(placed_at, payment, total, parcels, delivered, last_delivery, returned)| Spend {
                placed_at,
                amount_fen: if payment == "refunded" {
                    0
                } else {
                    (total - returned).max(0)
                },
                counts_from: last_delivery
                    .filter(|_| parcels > 0 && delivered == parcels)
                    .map(|at| at + window),
            },
        )
        .collect())
}

/// What the tiers' rules need of the customer: their tier's index among `tiers`, when its year
/// began, and their spend.
async fn standing(
    db: &AnyPool,
    tiers: &[Tier],
    customer: i64,
) -> ApiResult<(usize, i64, Vec<Spend>)> {
    let (code, since): (String, i64) =
        sqlx::query_as("SELECT tier, tier_evaluated_at FROM customers WHERE id = $1")
            .bind(customer)
            .fetch_one(db)
            .await?;
    let rank = tiers
        .iter()
        .position(|tier| tier.code == code)
        .ok_or(ApiError::Corrupt("a customer's tier"))?;
    let window = crate::returns::policy::window_days(&tiers[rank].benefits);
    Ok((rank, since, spends(db, customer, window).await?))
}

fn thresholds(tiers: &[Tier]) -> Vec<Thresholds> {
    tiers
        .iter()
        .map(|tier| Thresholds {
            reach_fen: tier.reach.fen,
            keep_fen: tier.keep.fen,
        })
        .collect()
}

/// Where a customer stands: every tier, lowest first, their tier's index among them, when its
/// year began, and their spend.
pub struct Standing {
    pub tiers: Vec<Tier>,
    pub rank: usize,
    pub since: i64,
    orders: Vec<Spend>,
}

impl Standing {
    /// What the customer's tier brings.
    pub fn benefits(&self) -> &[Benefit] {
        &self.tiers[self.rank].benefits
    }
}

/// Brings the customer's tier up to date at `now` and says where they stand then: a tier year
/// that has ended is evaluated, and spend that reaches higher moves them up at once (see
/// `policy::due_change`). The change is written only if nobody else wrote one meanwhile, with its
/// history row, in one transaction; if someone did, their change is read back.
pub async fn refresh(db: &AnyPool, customer: i64, now: i64) -> ApiResult<Standing> {
    let tiers = tiers(db).await?;
    let (rank, since, orders) = standing(db, &tiers, customer).await?;
    let Some((to, at)) = policy::due_change(&thresholds(&tiers), rank, since, &orders, now) else {
        return Ok(Standing {
            tiers,
            rank,
            since,
            orders,
        });
    };
    let mut tx = db.begin().await?;
    let moved = sqlx::query(
        "UPDATE customers SET tier = $1, tier_evaluated_at = $2 WHERE id = $3 AND tier = $4 AND tier_evaluated_at = $5",
    )
    .bind(&tiers[to].code)
    .bind(at)
    .bind(customer)
    .bind(&tiers[rank].code)
    .bind(since)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if moved && to != rank {
        let kind = if to > rank {
            TierChangeKind::Upgraded
        } else {
            TierChangeKind::Downgraded
        };
        record(&mut tx, customer, &tiers[to].code, kind, at).await?;
    }
    tx.commit().await?;
    if !moved {
        let (rank, since, orders) = standing(db, &tiers, customer).await?;
        return Ok(Standing {
            tiers,
            rank,
            since,
            orders,
        });
    }
    // Another tier may have another return window: the spend is then read again by it.
    let orders = if to == rank {
        orders
    } else {
        let window = crate::returns::policy::window_days(&tiers[to].benefits);
        spends(db, customer, window).await?
    };
    Ok(Standing {
        tiers,
        rank: to,
        since: at,
        orders,
    })
}

/// Writes one step of a customer's tier history.
pub async fn record(
    db: &mut AnyConnection,
    customer: i64,
    tier: &str,
    kind: TierChangeKind,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tier_history (customer_id, tier, kind, at) VALUES ($1, $2, $3, $4)")
        .bind(customer)
        .bind(tier)
        .bind(kind.as_str())
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

/// Every tier, lowest first, with what it takes and what it brings. Anyone may ask.
#[utoipa::path(get, path = portico_api::paths::TIERS, tag = "loyalty", operation_id = "tiers",
    responses((status = 200, description = "Every tier, lowest first.", body = Vec<Tier>)))]
pub async fn list_tiers(State(state): State<AppState>) -> ApiResult<Json<Vec<Tier>>> {
    Ok(Json(tiers(&state.db).await?))
}

/// Where the signed-in customer stands: their tier (brought up to date first), the spend that
/// counts and what is pending, the next tier and by when, what keeps the tier when its year is
/// nearly up, the history, and every tier for the comparison. A guest pass is not enough (401).
#[utoipa::path(get, path = portico_api::paths::LOYALTY, tag = "loyalty", operation_id = "loyalty_status", security(("session" = [])),
    responses((status = 200, description = "The customer's standing.", body = LoyaltyStatus), (status = 401)))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<LoyaltyStatus>> {
    let customer = caller.customer.ok_or(ErrorCode::Unauthorized)?;
    let now = state.clock.now();
    let Standing {
        tiers,
        rank,
        since,
        orders,
    } = refresh(&state.db, customer, now).await?;
    let rules = thresholds(&tiers);
    let history: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT tier, kind, at FROM tier_history WHERE customer_id = $1 ORDER BY at DESC, id DESC",
    )
    .bind(customer)
    .fetch_all(&state.db)
    .await?;
    let history = history
        .into_iter()
        .map(|(tier, kind, at)| {
            Ok(TierChange {
                tier,
                kind: TierChangeKind::parse(&kind).ok_or(ApiError::Corrupt("a tier change"))?,
                at: rfc3339(at),
            })
        })
        .collect::<ApiResult<_>>()?;
    Ok(Json(LoyaltyStatus {
        tier: tiers[rank].code.clone(),
        qualifying_spend: Money::fen(policy::qualifying(&orders, now)),
        pending_spend: Money::fen(policy::pending(&orders, now)),
        next: policy::towards_next(&rules, rank, since, &orders, now).map(|(next, needed, by)| {
            NextTier {
                tier: tiers[next].code.clone(),
                needed: Money::fen(needed),
                by: rfc3339(by),
            }
        }),
        keep: policy::keep_outlook(&rules, rank, since, &orders, now).map(|keep| KeepTier {
            needed: Money::fen(keep.needed_fen),
            by: rfc3339(keep.by),
            threshold: Money::fen(keep.keep_fen),
            counted: Money::fen(keep.counted_fen),
            pending_in_time: Money::fen(keep.in_time_fen),
            pending_after: Money::fen(keep.after_fen),
        }),
        next_evaluation: rfc3339(policy::next_evaluation(since, now)),
        history,
        tiers,
    }))
}

/// The customer's tier and the tiers.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default()
        .routes(routes!(status))
        .routes(routes!(list_tiers))
}
