//! Web sessions in the application's own database, so that a session made on one instance works on every
//! other, and an administrator can revoke it. The records are tower-sessions' JSON; `senim-web`'s
//! session store (the HTTP side) reads and writes them through these queries.

use crate::{Store, on_pool};

/// Inserts a new session record; `false` if the id is taken (the caller draws another).
pub async fn insert_new(store: &Store, id: &str, data: &[u8], expires_at: i64) -> crate::Result<bool> {
    let inserted = on_pool!(store, p => sqlx::query(
        "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(inserted == 1)
}

/// Writes a session record, new or not.
pub async fn save(store: &Store, id: &str, data: &[u8], expires_at: i64) -> crate::Result<()> {
    on_pool!(store, p => sqlx::query(
        "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
    )
    .bind(id)
    .bind(data)
    .bind(expires_at)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The record of a session that has not expired at `now` (Unix seconds).
pub async fn load(store: &Store, id: &str, now: i64) -> crate::Result<Option<Vec<u8>>> {
    Ok(on_pool!(store, p => sqlx::query_scalar(
        "SELECT data FROM sessions WHERE id = $1 AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(p)
    .await)?)
}

pub async fn delete(store: &Store, id: &str) -> crate::Result<()> {
    on_pool!(store, p => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Deletes the sessions expired at `now` (Unix seconds): how many.
pub async fn delete_expired(store: &Store, now: i64) -> crate::Result<u64> {
    Ok(
        on_pool!(store, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(p).await.map(|r| r.rows_affected()))?,
    )
}

/// Ends every web session of a user (an account disabled): the session record is tower-sessions'
/// JSON, whose data map holds `"user_id":"<id>"` (see `senim_web::auth::SESSION_USER`).
pub async fn delete_for_user(store: &Store, user_id: &str) -> crate::Result<u64> {
    let pattern = format!("%\"user_id\":\"{user_id}\"%");
    Ok(match &store.db {
        crate::Db::Sqlite(p) => sqlx::query("DELETE FROM sessions WHERE CAST(data AS TEXT) LIKE $1")
            .bind(&pattern)
            .execute(p)
            .await?
            .rows_affected(),
        crate::Db::Postgres(p) => sqlx::query("DELETE FROM sessions WHERE convert_from(data, 'UTF8') LIKE $1")
            .bind(&pattern)
            .execute(p)
            .await?
            .rows_affected(),
    })
}
