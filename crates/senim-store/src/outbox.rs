//! The e-mail outbox: a message is written in the same transaction as the change it reports and sent
//! later by a worker, retried until delivered. Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL so
//! that several instances never send one message twice; SQLite has one writer at a time anyway.

use uuid::Uuid;

use crate::{Db, Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Mail {
    pub id: String,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub attempts: i64,
    pub sent_at: Option<String>,
    pub last_error: Option<String>,
}

pub async fn enqueue(tx: &mut Tx<'_>, to: &str, subject: &str, body: &str) -> Result<String> {
    let id = Uuid::new_v4().to_string();
    let now = crate::now_rfc3339();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO outbox (id, to_addr, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&id).bind(to).bind(subject).bind(body).bind(&now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(id)
}

/// [`enqueue`] for many messages `(to, subject, body)` in statements of [`crate::audit::BATCH_ROWS`].
pub async fn enqueue_many(tx: &mut Tx<'_>, mails: &[(String, String, String)]) -> Result<()> {
    let now = crate::now_rfc3339();
    for chunk in mails.chunks(crate::audit::BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO outbox (id, to_addr, subject, body, created_at, next_attempt_at) VALUES {}",
            crate::audit::placeholders(chunk.len(), 6)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (to, subject, body) in chunk {
                q = q.bind(Uuid::new_v4().to_string()).bind(to).bind(subject).bind(body).bind(&now).bind(&now);
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Claims one due message for sending: pushes its next attempt into the future (so a crashed sender's
/// claim expires) and returns it. The caller reports the outcome with [`mark_sent`] or [`mark_failed`].
pub async fn claim(store: &Store, lease_secs: i64) -> Result<Option<Mail>> {
    let now = jiff::Timestamp::now();
    let lease_until = crate::rfc3339(now + jiff::SignedDuration::from_secs(lease_secs));
    let now = crate::rfc3339(now);
    let mut tx = store.begin().await?;
    let select = match store.db {
        Db::Sqlite(_) => {
            "SELECT id, to_addr, subject, body, created_at, attempts, sent_at, last_error FROM outbox \
             WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY created_at LIMIT 1"
        }
        Db::Postgres(_) => {
            "SELECT id, to_addr, subject, body, created_at, attempts, sent_at, last_error FROM outbox \
             WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
    };
    let mail: Option<Mail> = on_tx!(&mut tx, c => sqlx::query_as(select).bind(&now).fetch_optional(&mut *c).await)?;
    if let Some(m) = &mail {
        on_tx!(&mut tx, c => sqlx::query("UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1 WHERE id = $2")
            .bind(&lease_until)
            .bind(&m.id)
            .execute(&mut *c)
            .await.map(|r| r.rows_affected()))?;
    }
    tx.commit().await?;
    Ok(mail)
}

pub async fn mark_sent(store: &Store, id: &str) -> Result<()> {
    on_pool!(store, p => sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
        .bind(crate::now_rfc3339())
        .bind(id)
        .execute(p)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a failure; the next attempt waits longer each time (1, 2, 4 … minutes, at most a day).
pub async fn mark_failed(store: &Store, id: &str, attempts: i64, error: &str) -> Result<()> {
    let wait = 60_i64.saturating_mul(1 << attempts.clamp(0, 10)).min(86_400);
    let next = crate::rfc3339(jiff::Timestamp::now() + jiff::SignedDuration::from_secs(wait));
    on_pool!(store, p => sqlx::query("UPDATE outbox SET last_error = $1, next_attempt_at = $2 WHERE id = $3")
        .bind(error)
        .bind(&next)
        .bind(id)
        .execute(p)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The newest messages, for the administrator's mail view.
pub async fn recent(store: &Store, limit: i64) -> Result<Vec<Mail>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at, attempts, sent_at, last_error FROM outbox \
         ORDER BY created_at DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Messages for one recipient, newest first.
pub async fn for_recipient(store: &Store, to: &str) -> Result<Vec<Mail>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at, attempts, sent_at, last_error FROM outbox \
         WHERE to_addr = $1 ORDER BY created_at DESC, id",
    )
    .bind(to)
    .fetch_all(p)
    .await)?)
}

/// A given-up message is parked here: due never again, its last error left for the administrator.
pub const NEVER: &str = "9999-12-31T23:59:59Z";

/// One outbox row as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: String,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub sent_at: Option<String>,
    pub last_error: Option<String>,
}

impl OutboxRow {
    pub fn given_up(&self) -> bool {
        self.sent_at.is_none() && self.next_attempt_at.as_str() == NEVER
    }
}

/// Records a failed try and when to try again (`NEVER`: given up).
pub async fn reschedule(store: &Store, id: &str, error: &str, next_attempt_at: &str) -> Result<()> {
    on_pool!(store, p => sqlx::query(
        "UPDATE outbox SET last_error = $1, next_attempt_at = $2 WHERE id = $3 AND sent_at IS NULL",
    )
    .bind(error)
    .bind(next_attempt_at)
    .bind(id)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One page of the outbox, newest first, and the number of messages in all.
pub async fn page(store: &Store, limit: i64, offset: i64) -> Result<(Vec<OutboxRow>, i64)> {
    let rows = on_pool!(store, p => sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at, attempts, next_attempt_at, sent_at, last_error \
         FROM outbox ORDER BY created_at DESC, id LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(p)
    .await)?;
    let total: i64 = on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(p).await)?;
    Ok((rows, total))
}

pub async fn get(store: &Store, id: &str) -> Result<Option<OutboxRow>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT id, to_addr, subject, body, created_at, attempts, next_attempt_at, sent_at, last_error \
         FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(p)
    .await)?)
}
