//! What every handler can reach, and how it is made at start.

use crate::clock::Clock;
use crate::config::Config;
use crate::notify::{self, Notifier};
use crate::rate_limit::RateLimiter;
use crate::returns::pass::ReturnLinks;
use crate::{content, db, returns, seed, surveys, widget};
use sqlx::AnyPool;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: AnyPool,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub limits: Arc<RateLimiter>,
    pub notifier: Notifier,
    /// The key drop-off codes are signed with (made once per database, see `db::server_key`).
    pub drop_off_key: Arc<str>,
    /// The key return links are signed with (see `returns::pass`).
    pub return_pass_key: Arc<str>,
    /// The key survey links are signed with (see `surveys::token`).
    pub survey_key: Arc<str>,
    /// The key device cookies are signed with (see `device`).
    pub device_key: Arc<str>,
    /// Which copy of index.html a lazy route's first visit gets (`web::RoutePages`).
    pub route_pages: Arc<crate::web::RoutePages>,
}

/// Opens (creating, migrating and seeding when new) the database and builds the state.
pub async fn build_state(config: Config) -> Result<AppState, sqlx::Error> {
    let clock = Clock::default();
    let db = db::connect(&config.database()).await?;
    // Instances starting at once on a new database: one seeds it, the others then find it seeded.
    let starting = db::Starting::begin(&db).await?;
    if config.demo {
        seed_demo(&db, &config, clock.now()).await?;
    }
    let drop_off_key: Arc<str> = db::server_key(&db, "drop_off").await?.into();
    returns::drop_off::backfill_codes(&db, &drop_off_key).await?;
    let return_pass_key: Arc<str> = db::server_key(&db, "return_pass").await?.into();
    let survey_key: Arc<str> = db::server_key(&db, "survey").await?.into();
    let device_key: Arc<str> = db::server_key(&db, "device").await?.into();
    starting.end().await?;
    let limits = Arc::new(RateLimiter::new(config.rate_limit_factor));
    let links = ReturnLinks {
        key: return_pass_key.clone(),
        origin: config
            .public_url
            .as_ref()
            .map(|url| url.origin.clone())
            .unwrap_or_default(),
    };
    let mut channels = notify::Channels::configured(&config)
        .map_err(|error| sqlx::Error::Configuration(error.into()))?;
    if config.demo {
        channels.outbox = Some(Arc::new(notify::outbox::Outbox {
            db: db.clone(),
            clock: clock.clone(),
        }));
    }
    let notifier = Notifier::start(notify::Delivery {
        db: db.clone(),
        clock: clock.clone(),
        channels,
        links,
        retry_secs: i64::try_from(config.delivery_retry_secs).unwrap_or(i64::MAX),
    });
    let route_pages = Arc::new(crate::web::RoutePages::for_build(&config.static_dir));
    Ok(AppState {
        notifier,
        db,
        config: Arc::new(config),
        clock,
        limits,
        drop_off_key,
        return_pass_key,
        survey_key,
        device_key,
        route_pages,
    })
}

/// Demo mode only: the demo's customers, orders, pages, survey answers, staff and partner, on a
/// database that has none (outside demo mode the database starts empty).
async fn seed_demo(db: &AnyPool, config: &Config, now: i64) -> Result<(), sqlx::Error> {
    seed::seed_if_empty(db, now).await?;
    content::demo::seed_pages_if_empty(db, now)
        .await
        .map_err(|error| match error {
            content::SaveError::Database(error) => error,
            // The demo's own copy failing its checks is a bug (a unit test reads every page).
            content::SaveError::Content(error) => sqlx::Error::Configuration(error.into()),
        })?;
    surveys::demo::seed_if_empty(db, now).await?;
    widget::seed_demo_partner(db, config.partner_demo_addr).await?;
    crate::staff::seed_demo_staff(db, now)
        .await
        .map_err(|error| sqlx::Error::Configuration(error.to_string().into()))
}
