//! Scheduled publication (Rules §7 helper): a body may publish its pending changes automatically once a
//! day at a local time. `publication_runs` has one row per (body, date): inserting it is the claim, so
//! that of several instances sharing one database exactly one runs the day's publication.

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Schedule {
    pub body_code: String,
    /// Local time `HH:MM` (Asia/Almaty); `None`: off.
    pub at_time: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Run {
    pub body_code: String,
    pub run_on: String,
    pub ran_at: String,
    /// `published`, `nothing` or `failed`.
    pub outcome: String,
    pub edition: Option<i64>,
}

pub async fn get(store: &Store, body_code: &str) -> Result<Option<Schedule>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, at_time, updated_by, updated_at FROM publication_schedules WHERE body_code = $1",
    )
    .bind(body_code)
    .fetch_optional(p)
    .await)?)
}

/// Sets (or with `None` switches off) the body's daily publication time.
pub async fn set(tx: &mut Tx<'_>, body_code: &str, at_time: Option<&str>, by: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO publication_schedules (body_code, at_time, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (body_code) DO UPDATE SET at_time = excluded.at_time, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(body_code).bind(at_time).bind(by).bind(crate::now_rfc3339())
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every body with a publication time set.
pub async fn enabled(store: &Store) -> Result<Vec<Schedule>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, at_time, updated_by, updated_at FROM publication_schedules \
         WHERE at_time IS NOT NULL ORDER BY body_code",
    )
    .fetch_all(p)
    .await)?)
}

/// Claims the run of `run_on` for the body: `true` for the one caller that inserted the row, `false`
/// when it exists already. On PostgreSQL a second transaction inserting the same key waits for the
/// first to end and then inserts nothing; on SQLite writers are serialised.
pub async fn claim(
    tx: &mut Tx<'_>,
    body_code: &str,
    run_on: &str,
    outcome: &str,
    edition: Option<i64>,
) -> Result<bool> {
    let done = on_tx!(tx, c => sqlx::query(
        "INSERT INTO publication_runs (body_code, run_on, ran_at, outcome, edition) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (body_code, run_on) DO NOTHING",
    )
    .bind(body_code).bind(run_on).bind(crate::now_rfc3339()).bind(outcome).bind(edition)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn run_of(store: &Store, body_code: &str, run_on: &str) -> Result<Option<Run>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, run_on, ran_at, outcome, edition FROM publication_runs WHERE body_code = $1 AND run_on = $2",
    )
    .bind(body_code)
    .bind(run_on)
    .fetch_optional(p)
    .await)?)
}

/// The body's runs, newest first.
pub async fn runs(store: &Store, body_code: &str, limit: i64) -> Result<Vec<Run>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, run_on, ran_at, outcome, edition FROM publication_runs WHERE body_code = $1 \
         ORDER BY run_on DESC LIMIT $2",
    )
    .bind(body_code)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}
