//! The audit log: append-only and hash-chained, so that removing or changing a record is detectable.
//!
//! Record `n` stores `hash_n = SHA-256(hash_{n-1} ‖ 0x0a ‖ seq ‖ 0x0a ‖ at ‖ 0x0a ‖ actor ‖ 0x0a ‖
//! action ‖ 0x0a ‖ object ‖ 0x0a ‖ detail)`, with 64 zeros before the first. Appends are serialised by
//! updating the single `audit_head` row inside the writer's transaction, so the chain never forks, on
//! SQLite or on PostgreSQL, however many instances write.

use sha2::{Digest, Sha256};

use crate::{Result, Store, Tx, on_pool, on_tx};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

fn chain_hash(prev: &str, seq: i64, at: &str, actor: &str, action: &str, object: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for (i, part) in [prev, &seq.to_string(), at, actor, action, object, detail].iter().enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends a record in the caller's transaction: it commits or rolls back with the change it records.
pub async fn append(
    tx: &mut Tx<'_>,
    actor: &str,
    action: &str,
    object: &str,
    detail: &serde_json::Value,
) -> Result<i64> {
    let at = crate::now_rfc3339();
    let detail = detail.to_string();
    let (seq, prev): (i64, String) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
    )
    .fetch_one(&mut *c)
    .await)?;
    let hash = chain_hash(&prev, seq, &at, actor, action, object, &detail);
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(seq).bind(&at).bind(actor).bind(action).bind(object).bind(&detail).bind(&prev).bind(&hash)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected())?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *c).await.map(|r| r.rows_affected())
    })?;
    Ok(seq)
}

/// Rows per multi-row statement of the batch writers: 100 rows of up to 8 values stay far below both
/// databases' limits on bound parameters (SQLite 32,766; PostgreSQL 65,535). Not more: the SQLite
/// driver looks each `$n` up by name among all of the statement's parameters, which grows with the
/// square of their number (500 rows spent more time there than in SQLite itself).
pub(crate) const BATCH_ROWS: usize = 100;

/// `($1, …, $k), ($k+1, …)`: the placeholders of `rows` rows of `cols` values, numbered from `$1`.
pub(crate) fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends records `(action, object, detail)` by one actor in the caller's transaction, chained in
/// order exactly as [`append`] would chain them one by one, in a few statements instead of three per
/// record (a first edition of 100,000 entries records 100,000 publications).
pub async fn append_many(tx: &mut Tx<'_>, actor: &str, records: &[(&str, &str, serde_json::Value)]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let at = crate::now_rfc3339();
    let count = records.len() as i64;
    let (last, mut prev): (i64, String) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash",
    )
    .bind(count)
    .fetch_one(&mut *c)
    .await)?;
    let mut rows = Vec::with_capacity(records.len());
    for (i, (action, object, detail)) in records.iter().enumerate() {
        let seq = last - count + 1 + i as i64;
        let detail = detail.to_string();
        let hash = chain_hash(&prev, seq, &at, actor, action, object, &detail);
        rows.push((seq, *action, *object, detail, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    for chunk in rows.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) VALUES {}",
            placeholders(chunk.len(), 8)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (seq, action, object, detail, prev_hash, hash) in chunk {
                q = q.bind(*seq).bind(&at).bind(actor).bind(*action).bind(*object).bind(detail).bind(prev_hash).bind(hash);
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    on_tx!(tx, c => sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Appends one record in its own transaction.
pub async fn append_now(
    store: &Store,
    actor: &str,
    action: &str,
    object: &str,
    detail: &serde_json::Value,
) -> Result<i64> {
    let mut tx = store.begin().await?;
    let seq = append(&mut tx, actor, action, object, detail).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    Intact {
        records: i64,
    },
    /// The first record whose stored hash, predecessor or sequence number is wrong.
    Broken {
        seq: i64,
        reason: String,
    },
}

/// Walks the whole chain in order, in pages, and checks every link and the head.
pub async fn verify(store: &Store) -> Result<ChainCheck> {
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1_i64;
    loop {
        let page: Vec<AuditRecord> = on_pool!(store, p => sqlx::query_as(
            "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log \
             WHERE seq >= $1 ORDER BY seq LIMIT 1000",
        )
        .bind(expected_seq)
        .fetch_all(p)
        .await)?;
        if page.is_empty() {
            break;
        }
        for r in page {
            if r.seq != expected_seq {
                return Ok(ChainCheck::Broken {
                    seq: expected_seq,
                    reason: format!("record {expected_seq} is missing"),
                });
            }
            if r.prev_hash != prev {
                return Ok(ChainCheck::Broken {
                    seq: r.seq,
                    reason: "its link to the previous record does not match".into(),
                });
            }
            let h = chain_hash(&r.prev_hash, r.seq, &r.at, &r.actor, &r.action, &r.object, &r.detail);
            if h != r.hash {
                return Ok(ChainCheck::Broken { seq: r.seq, reason: "its content does not match its hash".into() });
            }
            prev = r.hash;
            expected_seq += 1;
        }
    }
    let (head_seq, head_hash): (i64, String) =
        on_pool!(store, p => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(p).await)?;
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Ok(ChainCheck::Broken {
            seq: expected_seq,
            reason: format!("the log ends at record {} but {head_seq} were written", expected_seq - 1),
        });
    }
    Ok(ChainCheck::Intact { records: expected_seq - 1 })
}

/// The newest records first, for the administrator's view.
pub async fn recent(store: &Store, limit: i64) -> Result<Vec<AuditRecord>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Records about one object, oldest first (an application's timeline).
pub async fn for_object(store: &Store, object: &str) -> Result<Vec<AuditRecord>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log WHERE object = $1 ORDER BY seq",
    )
    .bind(object)
    .fetch_all(p)
    .await)?)
}
