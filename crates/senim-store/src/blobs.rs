//! Content-addressed blobs: uploaded documents and rendered artifacts, keyed by SHA-256.

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};
use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Content larger than this is stored in parts of this size (migration 0009), so that storing or
/// reading a file of hundreds of megabytes never has the database hold a second and third copy of
/// it (SQLite holds the bound value and the row record).
pub const PART: usize = 4 << 20;

/// Stores `bytes` once, whatever the number of references (more than [`PART`] bytes in parts);
/// returns its SHA-256.
pub async fn put(tx: &mut Tx<'_>, bytes: &[u8]) -> Result<String> {
    let sha = sha256_hex(bytes);
    put_hashed(tx, &sha, bytes).await?;
    Ok(sha)
}

/// [`put`] in a transaction of its own, for bytes whose SHA-256 the caller has computed: a
/// publication stores each rendered file as soon as it is made, before the transaction that refers
/// to them, so that a List's files need not all be in memory at once. A blob nothing refers to is
/// removed by [`discard`].
pub async fn put_alone(store: &Store, sha256: &str, bytes: &[u8]) -> Result<()> {
    debug_assert_eq!(sha256_hex(bytes), sha256);
    let mut tx = store.begin().await?;
    put_hashed(&mut tx, sha256, bytes).await?;
    tx.commit().await?;
    Ok(())
}

async fn put_hashed(tx: &mut Tx<'_>, sha256: &str, bytes: &[u8]) -> Result<()> {
    let size = bytes.len() as i64;
    let (whole, parts): (&[u8], i64) =
        if bytes.len() <= PART { (bytes, 0) } else { (&[], bytes.len().div_ceil(PART) as i64) };
    let added = on_tx!(tx, c => sqlx::query(
        "INSERT INTO blobs (sha256, size, content, parts) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(size)
    .bind(whole)
    .bind(parts)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    // Nothing more when it is whole or was stored already.
    if parts == 0 || added == 0 {
        return Ok(());
    }
    for (part, content) in (0_i64..).zip(bytes.chunks(PART)) {
        on_tx!(tx, c => sqlx::query("INSERT INTO blob_parts (sha256, part, content) VALUES ($1, $2, $3)")
            .bind(sha256)
            .bind(part)
            .bind(content)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Removes those of `sha256s` that nothing refers to (the files of a publication that was not
/// stored after all), with their parts; returns how many went. A blob something refers to stays.
/// A blob another publication has stored but not yet referred to may go as well (two renderings of
/// the same file); that publication finds it missing ([`all_present`]) and is not stored.
pub async fn discard(store: &Store, sha256s: &[String]) -> Result<u64> {
    let mut removed = 0;
    for sha in sha256s {
        removed += on_pool!(store, p => sqlx::query(
            "DELETE FROM blobs WHERE sha256 = $1 \
             AND NOT EXISTS (SELECT 1 FROM edition_artifacts WHERE sha256 = $1) \
             AND NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = $1) \
             AND NOT EXISTS (SELECT 1 FROM pdf_texts WHERE sha256 = $1)",
        )
        .bind(sha)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(removed)
}

/// Whether every one of `sha256s` is stored: checked in the transaction that is to refer to them,
/// since they were stored before it and may have been discarded since.
pub async fn all_present(tx: &mut Tx<'_>, sha256s: &[&str]) -> Result<bool> {
    for sha in sha256s {
        let found: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM blobs WHERE sha256 = $1")
            .bind(sha)
            .fetch_one(&mut *c)
            .await)?;
        if found == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A blob's bytes, checked against its hash; `None` when there is no such blob.
pub async fn get(store: &Store, sha256: &str) -> Result<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>, i64, i64)> = on_pool!(store, p => sqlx::query_as("SELECT content, size, parts FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(p)
            .await)?;
    let Some((mut content, size, parts)) = row else {
        return Ok(None);
    };
    if parts > 0 {
        // One part at a time, so that only one is ever held twice.
        content = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        for part in 0..parts {
            let bytes: Option<Vec<u8>> = on_pool!(store, p => sqlx::query_scalar(
                "SELECT content FROM blob_parts WHERE sha256 = $1 AND part = $2",
            )
            .bind(sha256)
            .bind(part)
            .fetch_optional(p)
            .await)?;
            let bytes = bytes.ok_or_else(|| StoreError::corrupt(format!("blob {sha256} lacks part {part}")))?;
            content.extend_from_slice(&bytes);
        }
    }
    if sha256_hex(&content) != sha256 {
        return Err(StoreError::corrupt(format!("blob {sha256} does not match its hash")));
    }
    Ok(Some(content))
}
