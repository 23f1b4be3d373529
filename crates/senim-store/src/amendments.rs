//! Amendments of published entries (issue 5): who changed which Annex 2 fields of an entry, from what
//! to what, and why. The signed manifest names an amended entry only by its registry number
//! (`changes.amended`, `edition-format.md`); the reason and the field-level change are kept here and
//! shown in the editions history and the entry's history. Rows are never deleted.

use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::LangText;

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq)]
pub struct Amendment {
    pub id: String,
    pub registry_number: String,
    pub body_code: String,
    pub before: Annex2Entry,
    pub after: Annex2Entry,
    /// Codes of the amended fields (`system_name`, `audit.date`, …).
    pub fields: Vec<String>,
    pub reason: LangText,
    pub amended_by: String,
    pub amended_at: String,
    /// The edition that published it; `None` while it waits.
    pub edition: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    registry_number: String,
    body_code: String,
    before_entry: String,
    after_entry: String,
    fields: String,
    reason: String,
    amended_by: String,
    amended_at: String,
    edition: Option<i64>,
}

impl TryFrom<Row> for Amendment {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        Ok(Amendment {
            before: serde_json::from_str(&r.before_entry)?,
            after: serde_json::from_str(&r.after_entry)?,
            fields: serde_json::from_str(&r.fields)?,
            reason: serde_json::from_str(&r.reason)?,
            id: r.id,
            registry_number: r.registry_number,
            body_code: r.body_code,
            amended_by: r.amended_by,
            amended_at: r.amended_at,
            edition: r.edition,
        })
    }
}

const SELECT: &str = "SELECT id, registry_number, body_code, before_entry, after_entry, fields, reason, amended_by, amended_at, \
                      edition FROM entry_amendments ";

/// Records an amendment (the entry itself is changed by [`crate::entries::amend`] in the same
/// transaction).
pub async fn insert(tx: &mut Tx<'_>, a: &Amendment) -> Result<()> {
    let before = serde_json::to_string(&a.before)?;
    let after = serde_json::to_string(&a.after)?;
    let fields = serde_json::to_string(&a.fields)?;
    let reason = serde_json::to_string(&a.reason)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO entry_amendments (id, registry_number, body_code, before_entry, after_entry, fields, reason, amended_by, \
         amended_at, edition) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&a.id).bind(&a.registry_number).bind(&a.body_code).bind(&before).bind(&after).bind(&fields)
    .bind(&reason).bind(&a.amended_by).bind(&a.amended_at).bind(a.edition)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The body's amendments waiting for the next edition, oldest first.
pub async fn pending(store: &Store, body_code: &str) -> Result<Vec<Amendment>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE body_code = $1 AND edition IS NULL ORDER BY amended_at, registry_number, id"
    ));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_all(p).await)?;
    rows.into_iter().map(Amendment::try_from).collect()
}

/// Every amendment of the body published in an edition, oldest first.
pub async fn published(store: &Store, body_code: &str) -> Result<Vec<Amendment>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE body_code = $1 AND edition IS NOT NULL ORDER BY edition, amended_at, id"
    ));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_all(p).await)?;
    rows.into_iter().map(Amendment::try_from).collect()
}

/// Every amendment of one entry, published or not, oldest first.
pub async fn of_entry(store: &Store, registry_number: &str) -> Result<Vec<Amendment>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE registry_number = $1 ORDER BY amended_at, id"));
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(sql).bind(registry_number).fetch_all(p).await)?;
    rows.into_iter().map(Amendment::try_from).collect()
}

/// After an edition is published: its amendments name it.
pub async fn mark_published(tx: &mut Tx<'_>, registry_numbers: &[String], edition: i64) -> Result<()> {
    for number in registry_numbers {
        on_tx!(tx, c => sqlx::query(
            "UPDATE entry_amendments SET edition = $1 WHERE registry_number = $2 AND edition IS NULL",
        )
        .bind(edition).bind(number)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
