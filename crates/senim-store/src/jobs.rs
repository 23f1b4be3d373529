//! Publication jobs: an edition rendered in the background while the publisher's page shows progress.

use crate::{Result, Store, on_pool};

/// A job older than this without a sign of life is taken to have died with its server.
pub const STALE_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    pub id: String,
    pub body_code: String,
    pub requested_by: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub done: i64,
    pub total: i64,
    pub stage: String,
    pub edition: Option<i64>,
    pub error: Option<String>,
    pub started_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT id, body_code, requested_by, status, done, total, stage, edition, error, started_at, \
                      updated_at FROM publication_jobs";

/// Starts a job for the body; `false` when one is already running there.
pub async fn start(store: &Store, id: &str, body_code: &str, requested_by: &str) -> Result<bool> {
    let now = crate::now_rfc3339();
    let stale = crate::rfc3339(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(STALE_SECS));
    on_pool!(store, p => sqlx::query(
        "UPDATE publication_jobs SET status = 'failed', error = 'interrupted', updated_at = $1 \
         WHERE body_code = $2 AND status = 'running' AND updated_at < $3",
    )
    .bind(&now).bind(body_code).bind(&stale)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    let inserted = on_pool!(store, p => sqlx::query(
        "INSERT INTO publication_jobs (id, body_code, requested_by, status, started_at, updated_at) \
         VALUES ($1, $2, $3, 'running', $4, $4) ON CONFLICT DO NOTHING",
    )
    .bind(id).bind(body_code).bind(requested_by).bind(&now)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(inserted == 1)
}

/// Records progress: `done` of `total` artifacts rendered, the last one's name.
pub async fn progress(store: &Store, id: &str, done: usize, total: usize, stage: &str) -> Result<()> {
    let (done, total) = (i64::try_from(done).unwrap_or(i64::MAX), i64::try_from(total).unwrap_or(i64::MAX));
    on_pool!(store, p => sqlx::query(
        "UPDATE publication_jobs SET done = $1, total = $2, stage = $3, updated_at = $4 WHERE id = $5 AND status = 'running'",
    )
    .bind(done).bind(total).bind(stage).bind(crate::now_rfc3339()).bind(id)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends a job: `Ok(edition)` published, `Err(reason)` failed.
pub async fn finish(store: &Store, id: &str, outcome: std::result::Result<i64, String>) -> Result<()> {
    let (status, edition, error) = match outcome {
        Ok(n) => ("done", Some(n), None),
        Err(e) => ("failed", None, Some(e)),
    };
    on_pool!(store, p => sqlx::query(
        "UPDATE publication_jobs SET status = $1, edition = $2, error = $3, done = CASE WHEN $1 = 'done' THEN total \
         ELSE done END, updated_at = $4 WHERE id = $5",
    )
    .bind(status).bind(edition).bind(error).bind(crate::now_rfc3339()).bind(id)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Job>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?)
}

/// The body's running job, if any.
pub async fn running(store: &Store, body_code: &str) -> Result<Option<Job>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE body_code = $1 AND status = 'running'"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_optional(p).await)?)
}
