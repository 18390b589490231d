//! The database: the embedded SQLite file (the default) or PostgreSQL, chosen by the URL; opened
//! (the SQLite file created when missing) and migrated at start.
//!
//! Every query is written once, in SQL both engines read the same way: `$1` placeholders,
//! integer unix seconds, flags compared with `TRUE`/`FALSE`, no engine-specific functions. The
//! schema has a twin per engine (`migrations/sqlite`, `migrations/postgres`; a test keeps their
//! tables and columns in step). What the engines do differently is here and only here.

use sqlx::any::{AnyPoolOptions, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Transaction, ValueRef};
use std::path::Path;
use std::str::FromStr;

/// The service's database, whichever engine it is.
pub type Db = AnyPool;

/// The engines the service runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a database URL names (`sqlite:` or `postgres://`), if it is one of ours.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split_once(':').map(|(scheme, _)| scheme)?;
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }

    /// The engine behind an open pool.
    pub fn of(db: &Db) -> Backend {
        Backend::of_url(db.connect_options().database_url.as_str()).unwrap_or(Backend::Sqlite)
    }
}

/// The URL of the default database: `portico.db` in the data folder.
pub fn default_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("portico.db").display())
}

/// Opens the database `url` names and brings its schema up to date. Several instances may start
/// at once on one PostgreSQL database: the migrator holds a lock while it works.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or_else(|| {
        sqlx::Error::Configuration(
            format!("PORTICO_DATABASE_URL must start with sqlite: or postgres://, not {url:?}")
                .into(),
        )
    })?;
    if backend == Backend::Sqlite {
        // Made once, here: the file, and write-ahead logging (a lasting setting of the file),
        // so readers never wait for a writer. Foreign keys and a 5 s busy wait are sqlx's
        // defaults on every connection.
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        if let Some(folder) = options.get_filename().parent() {
            std::fs::create_dir_all(folder)?;
        }
        options.connect().await?.close().await?;
    }
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        .connect(url)
        .await?;
    migrator(backend).run(&pool).await?;
    Ok(pool)
}

/// The migrations of this build for `backend`.
fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    }
}

/// Whether the database answers and has every migration of this build applied; why not.
pub async fn ready(db: &Db) -> Result<(), String> {
    let newest = migrator(Backend::of(db))
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0);
    let applied: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(db)
            .await
            .map_err(|error| format!("the database does not answer: {error}"))?;
    match applied {
        Some(applied) if applied >= newest => Ok(()),
        applied => Err(format!(
            "the database has migrations up to {} of {newest}",
            applied.unwrap_or(0)
        )),
    }
}

/// What a write transaction reads and decides on, locked from its first statement to its end
/// (see [`write_for`]): writes on different things go side by side, writes on one thing one after
/// another, across every instance on the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock<'a> {
    /// An order's returns: the units of its lines taken back, their statuses and exchanges
    /// (starting, cancelling, rescheduling and reviewing a return).
    Order(i64),
    /// The bookings of the pickup slot starting then (its capacity), taken after an order's.
    PickupSlot(i64),
    /// The stock of exchange variants, taken last by whoever reserves or gives back units (one
    /// key: a return's lines change several variants, which must not wait for each other in a
    /// ring).
    Stock,
    /// A benefit page (its draft, versions and review), by slug.
    Page(&'a str),
    /// A survey response, by the id its client made.
    SurveyResponse(&'a str),
    /// A customer's survey invitations (how many lately): only tried, see [`try_lock`].
    Invitations(i64),
    /// A widget partner.
    Partner(i64),
    /// An integration key.
    IntegrationKey(i64),
    /// The name of a live integration key (one live key per name).
    IntegrationName(&'a str),
    /// Every staff account at once: "an enabled admin is left" reads them all.
    StaffAccounts,
    /// Nothing but its own rows: each of its decisions is one guarded statement (a `WHERE` on
    /// what it read, `ON CONFLICT`, `RETURNING`) or a row of its own.
    Rows,
    /// Every other writer kept out: a write that touches what no one key names (an ingest
    /// batch: any customers, orders and parcels, in its records' order; the demo's world moving
    /// on: every parcel and every open return).
    Everything,
}

impl Lock<'_> {
    /// Its PostgreSQL advisory lock: a kind and the thing (an id folded to 32 bits, or a
    /// text's hash). Two things sharing a key only wait for each other.
    fn keys(self) -> Option<(i32, i32)> {
        let fold = |id: i64| (id ^ (id >> 32)) as i32;
        let hash = |text: &str| {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(text.as_bytes());
            i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
        };
        let (kind, thing) = match self {
            Lock::Order(id) => (1, fold(id)),
            Lock::PickupSlot(start) => (2, fold(start)),
            Lock::Stock => (10, 0),
            Lock::Page(slug) => (3, hash(slug)),
            Lock::SurveyResponse(id) => (4, hash(id)),
            Lock::Invitations(customer) => (5, fold(customer)),
            Lock::Partner(id) => (6, fold(id)),
            Lock::IntegrationKey(id) => (7, fold(id)),
            Lock::IntegrationName(name) => (8, hash(name)),
            Lock::StaffAccounts => (9, 0),
            Lock::Rows | Lock::Everything => return None,
        };
        Some((LOCK_KINDS + kind, thing))
    }
}

/// A transaction that writes after it reads what it decides on, holding `lock` from its first
/// statement, so no other writer changes what it read before it commits. SQLite has one writer at
/// a time (`BEGIN IMMEDIATE`). PostgreSQL: `lock`'s transaction-scoped advisory lock, and the
/// database-wide one shared ([`Lock::Everything`] takes that one alone, exclusively). Reads never
/// wait for it. A writer that needs a second thing locks it next with [`lock`].
pub async fn write_for(db: &Db, lock: Lock<'_>) -> Result<Transaction<'static, Any>, sqlx::Error> {
    match Backend::of(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            // The database-wide lock first, always (the thing's is taken for the row it gives):
            // nobody holding a thing waits behind `Everything`.
            match lock.keys() {
                None => {
                    let everyone = match lock {
                        Lock::Everything => "pg_advisory_xact_lock",
                        _ => "pg_advisory_xact_lock_shared",
                    };
                    sqlx::query(&format!(
                        "SELECT COUNT(*) FROM (SELECT {everyone}($1)) AS locked"
                    ))
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                }
                Some((kind, thing)) => {
                    sqlx::query(
                        "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($2, $3) \
                         FROM (SELECT pg_advisory_xact_lock_shared($1)) AS everyone) AS locked",
                    )
                    .bind(WRITE_LOCK)
                    .bind(kind)
                    .bind(thing)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            Ok(tx)
        }
    }
}

/// Also locks `lock` in `tx`, a transaction of [`write_for`] (SQLite's writer holds everything
/// already). Taken after the transaction's own lock, in one order (an order, its pickup slot,
/// the stock), so two writers never wait for each other in a ring.
pub async fn lock(tx: &mut sqlx::AnyConnection, lock: Lock<'_>) -> Result<(), sqlx::Error> {
    if let (true, Some((kind, thing))) = (is_postgres(tx), lock.keys()) {
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1, $2)) AS locked")
            .bind(kind)
            .bind(thing)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Locks `lock` in `tx` if nobody holds it, without waiting: whether it is now held. For what
/// may be skipped when another transaction is at it (never waiting, it cannot close a ring).
pub async fn try_lock(tx: &mut sqlx::AnyConnection, lock: Lock<'_>) -> Result<bool, sqlx::Error> {
    match (is_postgres(tx), lock.keys()) {
        (true, Some((kind, thing))) => {
            let Flag(held) = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1, $2)")
                .bind(kind)
                .bind(thing)
                .fetch_one(&mut *tx)
                .await?;
            Ok(held)
        }
        _ => Ok(true),
    }
}

fn is_postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME
}

/// What ends a subquery choosing a row to claim: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so
/// claimers racing each other take different rows instead of waiting on one; SQLite has one
/// writer at a time, so a guarded UPDATE is already the only claimer.
pub fn skip_locked(db: &Db) -> &'static str {
    match Backend::of(db) {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    }
}

/// Held while an instance seeds the database at start: on PostgreSQL a session lock, so of the
/// instances starting at once on a new database one seeds and the others wait, then find it
/// seeded. (SQLite's file has one service process.)
pub struct Starting(Option<sqlx::pool::PoolConnection<Any>>);

/// The session lock [`Starting`] holds on PostgreSQL.
const START_LOCK: i64 = WRITE_LOCK + 1;

impl Starting {
    pub async fn begin(db: &Db) -> Result<Starting, sqlx::Error> {
        if Backend::of(db) == Backend::Sqlite {
            return Ok(Starting(None));
        }
        let mut conn = db.acquire().await?;
        // Closed rather than pooled when done with, so a start that fails half-way (the lock
        // still held) leaves no locked connection behind.
        conn.close_on_drop();
        sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_lock($1)) AS locked")
            .bind(START_LOCK)
            .execute(&mut *conn)
            .await?;
        Ok(Starting(Some(conn)))
    }

    pub async fn end(self) -> Result<(), sqlx::Error> {
        if let Some(mut conn) = self.0 {
            sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_unlock($1)) AS unlocked")
                .bind(START_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

/// `VALUES ($1, $2), ($3, $4), ...`: `rows` rows of `columns` placeholders each, for one
/// statement that inserts many rows (bound in row order).
pub fn values(rows: usize, columns: usize) -> String {
    let row = |r: usize| {
        let marks: Vec<String> = (1..=columns)
            .map(|c| format!("${}", r * columns + c))
            .collect();
        format!("({})", marks.join(", "))
    };
    let rows: Vec<String> = (0..rows).map(row).collect();
    format!("VALUES {}", rows.join(", "))
}

/// After rows were written with ids chosen by the caller: the ids the engine hands out next
/// come after them (SQLite always takes the largest plus one; PostgreSQL's identity column has
/// its own counter, moved here).
pub async fn ids_taken(conn: &mut sqlx::AnyConnection, table: &str) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// The database-wide advisory lock on PostgreSQL ("portico" in ASCII): every writer of
/// [`write_for`] holds it shared, [`Lock::Everything`] alone. (Earlier builds took it for every
/// write, so an instance of one still keeps out of a newer one's way.)
const WRITE_LOCK: i64 = 0x0070_6f72_7469_636f;

/// The first kind of [`Lock::keys`] ("pt" and a number: two-key locks of this service's own).
const LOCK_KINDS: i32 = 0x7074_0000;

/// The secret named `name`, made (32 random bytes, hex) the first time it is asked for and kept
/// in the database, so what it signed stays valid across restarts (and is the same on every
/// instance).
pub async fn server_key(db: &Db, name: &str) -> Result<String, sqlx::Error> {
    use rand::Rng;
    let fresh = hex::encode(rand::thread_rng().gen::<[u8; 32]>());
    sqlx::query(
        "INSERT INTO server_keys (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fresh)
    .execute(db)
    .await?;
    sqlx::query_scalar("SELECT secret FROM server_keys WHERE name = $1")
        .bind(name)
        .fetch_one(db)
        .await
}

/// A yes/no column as either engine gives it back: PostgreSQL's `BOOLEAN`, SQLite's 0 or 1.
/// Read a flag into a `bool` field with `#[sqlx(try_from = "Flag")]`, or take `.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl sqlx::Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as sqlx::Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        if value.type_info().kind() == AnyTypeInfoKind::Bool {
            <bool as sqlx::Decode<Any>>::decode(value).map(Flag)
        } else {
            <i64 as sqlx::Decode<Any>>::decode(value).map(|n| Flag(n != 0))
        }
    }
}
