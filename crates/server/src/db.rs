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

/// A transaction that writes after it reads what it decides on: it holds the database's write
/// lock from its first statement, so no other writer changes what it read before it commits
/// (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: one transaction-scoped advisory lock, across every
/// instance on the database). Reads elsewhere never wait for it.
pub async fn write(db: &Db) -> Result<Transaction<'static, Any>, sqlx::Error> {
    match Backend::of(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
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
    if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        ))
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// The advisory lock [`write`] takes on PostgreSQL ("portico" in ASCII).
const WRITE_LOCK: i64 = 0x0070_6f72_7469_636f;

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
