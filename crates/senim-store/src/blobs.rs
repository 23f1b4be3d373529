//! Content-addressed blobs: uploaded documents and rendered artifacts, keyed by SHA-256.

use crate::{Result, Store, Tx, on_pool, on_tx};
use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Stores `bytes` once, whatever the number of references; returns its SHA-256.
pub async fn put(tx: &mut Tx<'_>, bytes: &[u8]) -> Result<String> {
    let sha = sha256_hex(bytes);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(bytes.len() as i64)
    .bind(bytes)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(sha)
}

pub async fn get(store: &Store, sha256: &str) -> Result<Option<Vec<u8>>> {
    let content: Option<Vec<u8>> = on_pool!(store, p => sqlx::query_scalar("SELECT content FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(p)
        .await)?;
    match content {
        Some(c) if sha256_hex(&c) != sha256 => {
            Err(crate::StoreError::corrupt(format!("blob {sha256} does not match its hash")))
        }
        other => Ok(other),
    }
}
