//! The entries of each body's List and the changes waiting for its next edition (Rules §7).

use jiff::civil::Date;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::LangText;

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx, parse_date};

/// A change not yet published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    Added,
    Amended,
    Excluded,
}

impl Pending {
    pub fn code(self) -> &'static str {
        match self {
            Pending::Added => "added",
            Pending::Amended => "amended",
            Pending::Excluded => "excluded",
        }
    }
    fn parse(s: &str) -> Option<Pending> {
        [Pending::Added, Pending::Amended, Pending::Excluded].into_iter().find(|p| p.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    pub registry_number: String,
    pub body_code: String,
    pub application_id: String,
    pub entry: Annex2Entry,
    pub included_on: Date,
    pub publication_due_on: Date,
    /// False once an exclusion has been published.
    pub listed: bool,
    pub pending: Option<Pending>,
    pub pending_reason: Option<LangText>,
}

#[derive(sqlx::FromRow)]
struct Row {
    registry_number: String,
    body_code: String,
    application_id: String,
    entry: String,
    included_on: String,
    publication_due_on: String,
    state: String,
    pending: Option<String>,
    pending_reason: Option<String>,
}

impl TryFrom<Row> for ListEntry {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        Ok(ListEntry {
            entry: serde_json::from_str(&r.entry)?,
            included_on: parse_date(&r.included_on)?,
            publication_due_on: parse_date(&r.publication_due_on)?,
            listed: r.state == "listed",
            pending: r
                .pending
                .as_deref()
                .map(|p| Pending::parse(p).ok_or_else(|| StoreError::corrupt(format!("pending `{p}`"))))
                .transpose()?,
            pending_reason: r.pending_reason.as_deref().map(serde_json::from_str).transpose()?,
            registry_number: r.registry_number,
            body_code: r.body_code,
            application_id: r.application_id,
        })
    }
}

const SELECT: &str = "SELECT registry_number, body_code, application_id, entry, included_on, publication_due_on, \
                      state, pending, pending_reason FROM entries ";

/// Rules §7: an included system enters the List; it is published with the next edition.
pub async fn add(tx: &mut Tx<'_>, entry: &Annex2Entry, application_id: &str, publication_due_on: Date) -> Result<()> {
    let json = serde_json::to_string(entry)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO entries (registry_number, body_code, application_id, entry, included_on, publication_due_on, \
         state, pending, pending_since) VALUES ($1, $2, $3, $4, $5, $6, 'listed', 'added', $7)",
    )
    .bind(&entry.registry_number).bind(&entry.body.code).bind(application_id).bind(&json)
    .bind(entry.included_on.to_string()).bind(publication_due_on.to_string()).bind(crate::now_rfc3339())
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Marks a listed entry for exclusion in the next edition, with the publisher's reason.
pub async fn mark_excluded(tx: &mut Tx<'_>, registry_number: &str, reason: &LangText) -> Result<bool> {
    let reason = serde_json::to_string(reason)?;
    let done = on_tx!(tx, c => sqlx::query(
        "UPDATE entries SET pending = 'excluded', pending_reason = $1, pending_since = $2 \
         WHERE registry_number = $3 AND state = 'listed' AND (pending IS NULL OR pending = 'amended')",
    )
    .bind(&reason).bind(crate::now_rfc3339()).bind(registry_number)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn get(store: &Store, registry_number: &str) -> Result<Option<ListEntry>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE registry_number = $1"));
    let row: Option<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(registry_number).fetch_optional(p).await)?;
    row.map(ListEntry::try_from).transpose()
}

/// Every entry of the body ever listed, in List order (date of inclusion, then registry number).
pub async fn of_body(store: &Store, body_code: &str) -> Result<Vec<ListEntry>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE body_code = $1 ORDER BY included_on, registry_number"));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_all(p).await)?;
    rows.into_iter().map(ListEntry::try_from).collect()
}

/// Entries with a change waiting for the next edition.
pub async fn pending(store: &Store, body_code: &str) -> Result<Vec<ListEntry>> {
    // Read through the partial index `entries_pending`: every public List page asks this (the declared
    // next update), and a List of 100,000 entries has only a handful pending.
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE body_code = $1 AND pending IS NOT NULL ORDER BY included_on, registry_number"
    ));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_all(p).await)?;
    rows.into_iter().map(ListEntry::try_from).collect()
}

/// What the next edition would carry, read inside a transaction: a SHA-256 over each pending entry's
/// registry number, change, when it was made and its content. Publication renders outside the write
/// transaction and compares this before storing, so that a change made meanwhile is never lost or half
/// published. The rows are hashed as they stream in: a first edition of 100,000 entries would otherwise
/// hold every entry's JSON again through the rendering.
pub async fn pending_fingerprint_in(tx: &mut Tx<'_>, body_code: &str) -> Result<[u8; 32]> {
    Ok(on_tx!(tx, c => fingerprint(sqlx::query_as(FINGERPRINT).bind(body_code).fetch(&mut *c)).await)?)
}

/// The same, read outside a transaction.
pub async fn pending_fingerprint(store: &Store, body_code: &str) -> Result<[u8; 32]> {
    Ok(on_pool!(store, p => fingerprint(sqlx::query_as(FINGERPRINT).bind(body_code).fetch(p)).await)?)
}

const FINGERPRINT: &str = "SELECT registry_number, pending, COALESCE(pending_since, ''), entry FROM entries \
                           WHERE body_code = $1 AND pending IS NOT NULL ORDER BY registry_number";

/// Each field length-prefixed, so that no two different sequences of rows hash alike.
async fn fingerprint<S>(rows: S) -> std::result::Result<[u8; 32], sqlx::Error>
where
    S: futures_util::Stream<Item = std::result::Result<(String, String, String, String), sqlx::Error>>,
{
    use futures_util::TryStreamExt;
    use sha2::Digest;
    let hasher = rows
        .try_fold(sha2::Sha256::new(), |mut h, (number, pending, since, entry)| async move {
            for field in [number, pending, since, entry] {
                h.update((field.len() as u64).to_be_bytes());
                h.update(field.as_bytes());
            }
            Ok(h)
        })
        .await?;
    Ok(hasher.finalize().into())
}

/// After an edition is published: clears the pending changes it carried (and only those: an inclusion
/// committed while the edition was rendered waits for the next one).
pub async fn settle(tx: &mut Tx<'_>, registry_numbers: &[String]) -> Result<()> {
    // Two statements per 100 entries (a first edition may settle 100,000).
    for chunk in registry_numbers.chunks(crate::audit::BATCH_ROWS) {
        let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let exclude =
            format!("UPDATE entries SET state = 'excluded' WHERE pending = 'excluded' AND registry_number IN ({list})");
        let clear = format!(
            "UPDATE entries SET pending = NULL, pending_reason = NULL, pending_since = NULL WHERE registry_number IN ({list})"
        );
        for sql in [exclude, clear] {
            on_tx!(tx, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                for number in chunk {
                    q = q.bind(number);
                }
                q.execute(&mut *c).await.map(|r| r.rows_affected())
            })?;
        }
    }
    Ok(())
}

/// Rules §7 (an updated List is posted as an updated edition): replaces a published entry's Annex 2
/// row with its amended text, to be published with the next edition. Only a listed entry that is
/// already published (no change pending, or an earlier amendment pending) can be amended. The
/// publication due date becomes that of the amendment unless an earlier amendment already waits.
pub async fn amend(
    tx: &mut Tx<'_>,
    registry_number: &str,
    entry: &Annex2Entry,
    reason: &LangText,
    publication_due_on: Date,
) -> Result<bool> {
    let json = serde_json::to_string(entry)?;
    let reason = serde_json::to_string(reason)?;
    let done = on_tx!(tx, c => sqlx::query(
        "UPDATE entries SET entry = $1, pending_reason = $2, \
         publication_due_on = CASE WHEN pending = 'amended' THEN publication_due_on ELSE $3 END, \
         pending_since = CASE WHEN pending = 'amended' THEN pending_since ELSE $4 END, pending = 'amended' \
         WHERE registry_number = $5 AND state = 'listed' AND (pending IS NULL OR pending = 'amended')",
    )
    .bind(&json).bind(&reason).bind(publication_due_on.to_string()).bind(crate::now_rfc3339()).bind(registry_number)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
