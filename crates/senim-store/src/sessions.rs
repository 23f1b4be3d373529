//! Web sessions in the application's own database (tower-sessions' `SessionStore`), so that a session
//! made on one instance works on every other, and an administrator can revoke it.

use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::{self, ExpiredDeletion, SessionStore};

use crate::{Store, on_pool};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    store: Store,
}

impl DbSessionStore {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        loop {
            let data = serde_json::to_vec(&*record).map_err(backend)?;
            let inserted = on_pool!(self.store, p => sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(record.expiry_date.unix_timestamp())
            .execute(p)
            .await.map(|r| r.rows_affected()))
            .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_vec(record).map_err(backend)?;
        on_pool!(self.store, p => sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(&data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(p)
        .await.map(|r| r.rows_affected()))
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = jiff::Timestamp::now().as_second();
        let data: Option<Vec<u8>> = on_pool!(self.store, p => sqlx::query_scalar(
            "SELECT data FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(now)
        .fetch_optional(p)
        .await)
        .map_err(backend)?;
        data.map(|d| serde_json::from_slice(&d).map_err(backend)).transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_pool!(self.store, p => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id.to_string()).execute(p).await.map(|r| r.rows_affected()))
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = jiff::Timestamp::now().as_second();
        on_pool!(self.store, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(p).await.map(|r| r.rows_affected()))
            .map_err(backend)?;
        Ok(())
    }
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
