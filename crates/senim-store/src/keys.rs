//! Edition signing keys. The secret stays in the database (so that every instance of a scale-out
//! deployment signs with the same key and a backup restores it); retired keys keep their public half
//! listed so that old editions keep verifying.

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredKey {
    pub key_id: String,
    pub public_key: Vec<u8>,
    pub secret_key: Vec<u8>,
    pub valid_from: String,
    pub valid_until: Option<String>,
}

pub async fn insert(tx: &mut Tx<'_>, key: &StoredKey) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO signing_keys (key_id, public_key, secret_key, valid_from, valid_until) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&key.key_id).bind(&key.public_key).bind(&key.secret_key).bind(&key.valid_from).bind(&key.valid_until)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Retires every active key (sets `valid_until`), before a new one is inserted.
pub async fn retire_active(tx: &mut Tx<'_>, at: &str) -> Result<u64> {
    let done = on_tx!(tx, c => sqlx::query("UPDATE signing_keys SET valid_until = $1 WHERE valid_until IS NULL")
        .bind(at)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(done)
}

/// The key that signs new editions.
pub async fn active(store: &Store) -> Result<Option<StoredKey>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT key_id, public_key, secret_key, valid_from, valid_until FROM signing_keys \
         WHERE valid_until IS NULL ORDER BY valid_from DESC LIMIT 1",
    )
    .fetch_optional(p)
    .await)?)
}

/// Every key ever used, oldest first.
pub async fn all(store: &Store) -> Result<Vec<StoredKey>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT key_id, public_key, secret_key, valid_from, valid_until FROM signing_keys ORDER BY valid_from, key_id",
    )
    .fetch_all(p)
    .await)?)
}
