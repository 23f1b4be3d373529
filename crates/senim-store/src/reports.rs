//! Error reports on published entries ("report an error", issues 5 and 7): a task for the body's staff
//! with its own status. The reporter's e-mail is personal data: it leaves this module only towards
//! staff pages, staff API answers and the outbox, never towards public output.

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Report {
    pub id: String,
    pub reference: String,
    pub body_code: String,
    pub registry_number: String,
    pub field: String,
    pub description: String,
    pub reporter_email: Option<String>,
    pub lang: String,
    pub status: String,
    pub staff_comment: String,
    pub handled_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A new report as the service has checked it.
pub struct NewReport<'a> {
    pub id: &'a str,
    pub reference: &'a str,
    pub token_hash: &'a str,
    pub body_code: &'a str,
    pub registry_number: &'a str,
    pub field: &'a str,
    pub description: &'a str,
    pub reporter_email: Option<&'a str>,
    pub lang: &'a str,
}

const COLUMNS: &str = "id, reference, body_code, registry_number, field, description, reporter_email, lang, status, \
                       staff_comment, handled_by, created_at, updated_at";

pub async fn insert(tx: &mut Tx<'_>, r: &NewReport<'_>) -> Result<()> {
    let now = crate::now_rfc3339();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO error_reports (id, reference, token_hash, body_code, registry_number, field, description, \
         reporter_email, lang, status, staff_comment, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', '', $10, $10)",
    )
    .bind(r.id).bind(r.reference).bind(r.token_hash).bind(r.body_code).bind(r.registry_number)
    .bind(r.field).bind(r.description).bind(r.reporter_email).bind(r.lang).bind(&now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|e| crate::conflict_on_unique(e, "error_reports"))?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Report>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM error_reports WHERE id = $1"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?)
}

/// The report whose status-address token has SHA-256 `token_hash`.
pub async fn by_token_hash(store: &Store, token_hash: &str) -> Result<Option<Report>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM error_reports WHERE token_hash = $1"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(token_hash).fetch_optional(p).await)?)
}

/// Reports of one body (or of every body), newest first; `status` filters when given.
pub async fn list(store: &Store, body_code: Option<&str>, status: Option<&str>) -> Result<Vec<Report>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM error_reports WHERE ($1 IS NULL OR body_code = $1) AND ($2 IS NULL OR status = $2) \
         ORDER BY created_at DESC, reference"
    ));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(body_code).bind(status).fetch_all(p).await)?)
}

/// Moves a report from `from` to `to` with the staff comment; `false` when its status was no longer
/// `from` (someone else changed it first: compare-and-set, as for applications).
pub async fn set_status(
    tx: &mut Tx<'_>,
    id: &str,
    from: &str,
    to: &str,
    comment: &str,
    handled_by: &str,
) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE error_reports SET status = $1, staff_comment = $2, handled_by = $3, updated_at = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(to).bind(comment).bind(handled_by).bind(crate::now_rfc3339()).bind(id).bind(from)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}
