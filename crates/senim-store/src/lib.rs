//! # Senim's storage: SQLite (the embedded default) and PostgreSQL
//!
//! One [`Store`] over a typed pool of either database. Queries are written once where the SQL is the same
//! (`$1` placeholders work in both) and expanded for each pool by [`on_pool!`] / [`on_tx!`]; where the
//! dialects differ the arms are written out. Everything a deployment keeps lives here: records, uploaded
//! documents and rendered artifacts as content-addressed blobs, sessions, the e-mail outbox and the
//! hash-chained audit log — so a backup is one consistent copy of one database.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub mod amendments;
pub mod applications;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod blobs;
pub mod bodies;
pub mod calendar;
pub mod deadlines;
pub mod editions;
pub mod email_tokens;
pub mod entries;
pub mod gauges;
pub mod hearing;
pub mod jobs;
pub mod keys;
pub mod organisations;
pub mod outbox;
pub mod reports;
pub mod schedules;
pub mod second_factor;
pub mod sessions;
pub mod staff;
pub mod testing;
pub mod users;

/// Expands one body for each database: `on_pool!(store, pool => query.fetch_all(pool).await)`.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Expands one body for each kind of transaction; `$conn` is a `&mut Connection`.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// A uniqueness rule was broken (e.g. an e-mail already registered); names the constraint.
    #[error("already exists: {0}")]
    Conflict(String),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(format!("JSON: {e}"))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A per-body, per-year serial: registry numbers (`registry_counters`) and act numbers (`act_counters`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Counter {
    Registry,
    Act,
}

/// Takes the next serial of `counter` for a body and year, inside the caller's transaction (the row
/// lock serialises concurrent takers).
pub(crate) async fn next_serial(tx: &mut Tx<'_>, counter: Counter, body_code: &str, year: i16) -> Result<u32> {
    let table = match counter {
        Counter::Registry => "registry_counters",
        Counter::Act => "act_counters",
    };
    let year = i64::from(year);
    let insert = format!(
        "INSERT INTO {table} (body_code, year, last_serial) VALUES ($1, $2, 0) ON CONFLICT (body_code, year) DO NOTHING"
    );
    let update = format!(
        "UPDATE {table} SET last_serial = last_serial + 1 WHERE body_code = $1 AND year = $2 RETURNING last_serial"
    );
    let serial: i64 = on_tx!(tx, c => {
        sqlx::query(sqlx::AssertSqlSafe(insert.clone()))
            .bind(body_code).bind(year)
            .execute(&mut *c)
            .await.map(|r| r.rows_affected())?;
        sqlx::query_scalar(sqlx::AssertSqlSafe(update.clone()))
            .bind(body_code).bind(year)
            .fetch_one(&mut *c)
            .await
    })?;
    u32::try_from(serial).map_err(|_| StoreError::corrupt(format!("{table} serial out of range")))
}

/// Turns a unique-constraint violation into [`StoreError::Conflict`].
pub(crate) fn conflict_on_unique(e: sqlx::Error, what: &str) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what.to_owned()),
        _ => StoreError::Db(e),
    }
}

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct Store {
    pub db: Db,
}

/// A transaction on either database.
pub enum Tx<'a> {
    Sqlite(Transaction<'a, Sqlite>),
    Postgres(Transaction<'a, Postgres>),
}

impl Tx<'_> {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    /// Opens (creating if needed) the database at `url`: `sqlite://path/senim.db` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // WAL with NORMAL is durable across process crashes; FULL also across power loss.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Db::Postgres(pool)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        Ok(Store { db })
    }

    pub fn dialect(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`) so that two
    /// writers queue on the busy timeout instead of failing when one upgrades a read lock.
    pub async fn begin(&self) -> Result<Tx<'static>> {
        Ok(match &self.db {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// `GET /readyz`: the database answers.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}

/// The current instant, RFC 3339 in UTC with second precision: stored instants sort as text.
pub fn now_rfc3339() -> String {
    rfc3339(jiff::Timestamp::now())
}

/// An instant as stored: RFC 3339 in UTC, whole seconds (`2026-06-05T05:12:03Z`), one fixed width so
/// that text order is time order in both databases.
pub fn rfc3339(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn parse_date(s: &str) -> Result<jiff::civil::Date> {
    s.parse().map_err(|e| StoreError::corrupt(format!("date `{s}`: {e}")))
}
