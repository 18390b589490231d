//! Periodic background work, done once per period however many instances run on the database.
//!
//! Each instance wakes every period and tries to claim the period's run: a `job_runs` row
//! (job, period number) written in the same write transaction as the work. The first instance
//! to get there writes it and works; the others find the row and do nothing; an instance that
//! dies mid-run leaves neither the row nor any of its work, and the next instance to wake in that
//! period does the run. So a period's run happens once, and whole.

use crate::db;
use crate::error::ApiResult;
use crate::state::AppState;
use sqlx::AnyConnection;
use std::time::Duration;

/// The demo's world moving on (parcels, returns and what their customers are told).
pub const DEMO_STEP: &str = "demo_step";
/// Forgetting what nobody needs any more: ended rate-limit windows, old job runs, messages
/// delivered a day ago.
pub const HOUSEKEEPING: &str = "housekeeping";
const HOUSEKEEPING_SECS: u64 = 60 * 60;

/// Starts this instance's periodic jobs: the demo's steps every `demo_every` (demo mode, when
/// not zero) and the hourly housekeeping.
pub fn start(state: &AppState) {
    let instance = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    if state.config.demo && state.config.demo_advance_secs > 0 {
        let every = Duration::from_secs(state.config.demo_advance_secs);
        spawn(state.clone(), instance.clone(), DEMO_STEP, every);
    }
    spawn(
        state.clone(),
        instance,
        HOUSEKEEPING,
        Duration::from_secs(HOUSEKEEPING_SECS),
    );
}

fn spawn(state: AppState, instance: String, job: &'static str, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let slot = state.clock.now() / every.as_secs().max(1) as i64;
            match run(&state, &instance, job, slot).await {
                Ok(true) => tracing::debug!(job, slot, "ran"),
                Ok(false) => tracing::debug!(job, slot, "another instance ran it"),
                Err(error) => tracing::warn!(%error, job, slot, "a periodic job failed"),
            }
        }
    });
}

/// Runs `job` for period `slot` unless it ran already; whether this call ran it.
pub async fn run(state: &AppState, instance: &str, job: &str, slot: i64) -> ApiResult<bool> {
    let now = state.clock.now();
    // The demo's step moves every parcel and every open return: it keeps every other writer out.
    // Housekeeping only forgets rows nobody decides on any more.
    let lock = match job {
        DEMO_STEP => db::Lock::Everything,
        _ => db::Lock::Rows,
    };
    let mut tx = db::write_for(&state.db, lock).await?;
    let claimed = sqlx::query(
        "INSERT INTO job_runs (job, slot, instance, ran_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job, slot) DO NOTHING",
    )
    .bind(job)
    .bind(slot)
    .bind(instance)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        tx.rollback().await?;
        return Ok(false);
    }
    work(state, &mut tx, job, now).await?;
    tx.commit().await?;
    state.notifier.wake();
    Ok(true)
}

async fn work(state: &AppState, tx: &mut AnyConnection, job: &str, now: i64) -> ApiResult<()> {
    match job {
        DEMO_STEP => {
            crate::dev::demo_step(state, tx).await?;
        }
        HOUSEKEEPING => {
            crate::rate_limit::forget_old_windows(&mut *tx, now).await?;
            crate::ingest::signed::forget_old_signatures(
                &mut *tx,
                now,
                state.config.ingest_window_secs,
            )
            .await?;
            sqlx::query("DELETE FROM job_runs WHERE ran_at < $1")
                .bind(now - 7 * 24 * 60 * 60)
                .execute(&mut *tx)
                .await?;
            // Delivered messages are kept a day (a sign-in page asks whether its code went
            // out); failed ones until an admin sends them again.
            sqlx::query("DELETE FROM notices WHERE status = 'sent' AND finished_at < $1")
                .bind(now - 24 * 60 * 60)
                .execute(&mut *tx)
                .await?;
        }
        _ => tracing::error!(job, "no such job"),
    }
    Ok(())
}
