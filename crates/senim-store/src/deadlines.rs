//! What the deadline engine reads and records: every round with its clock and decision (for the
//! dashboards), the inclusions waiting for publication (Rules §7), the reminders already sent, and the
//! extracted text of uploaded PDFs (for the audit-report cross-check).

use jiff::Timestamp;
use jiff::civil::Date;
use senim_domain::calendar::kz_date;
use senim_domain::stats::{PublicationFact, RoundFact};

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx, parse_date};

/// Every round (of one body, or of all), with its decision if there is one.
pub async fn round_facts(store: &Store, body: Option<&str>) -> Result<Vec<RoundFact>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        body_code: String,
        number: i64,
        received_on: String,
        due_on: String,
        decided_at: Option<String>,
        decision: Option<String>,
        status: String,
        current_round: i64,
    }
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT a.body_code, r.number, r.received_on, r.due_on, v.decided_at, v.decision, a.status, \
         a.current_round FROM rounds r JOIN applications a ON a.id = r.application_id \
         LEFT JOIN reviews v ON v.application_id = r.application_id AND v.round = r.number \
         WHERE ($1 IS NULL OR a.body_code = $1) ORDER BY r.received_on",
    )
    .bind(body)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|r| {
            let decided = match (r.decided_at, r.decision) {
                (Some(at), Some(decision)) => {
                    let at: Timestamp =
                        at.parse().map_err(|e| StoreError::corrupt(format!("decided_at `{at}`: {e}")))?;
                    Some((kz_date(at), decision == "included"))
                }
                _ => None,
            };
            let open = decided.is_none()
                && r.number == r.current_round
                && matches!(r.status.as_str(), "submitted" | "under_review" | "hearing");
            Ok(RoundFact {
                body_code: r.body_code,
                round: r.number,
                received_on: parse_date(&r.received_on)?,
                due_on: parse_date(&r.due_on)?,
                decided,
                open,
            })
        })
        .collect()
}

/// An inclusion not yet published (Rules §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPublication {
    pub registry_number: String,
    pub body_code: String,
    pub application_id: String,
    pub included_on: Date,
    pub due_on: Date,
}

/// Inclusions waiting for their first edition (of one body, or of all), earliest due first.
pub async fn pending_publications(store: &Store, body: Option<&str>) -> Result<Vec<PendingPublication>> {
    let rows: Vec<(String, String, String, String, String)> = on_pool!(store, p => sqlx::query_as(
        "SELECT registry_number, body_code, application_id, included_on, publication_due_on FROM entries \
         WHERE pending = 'added' AND ($1 IS NULL OR body_code = $1) ORDER BY publication_due_on, registry_number",
    )
    .bind(body)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(registry_number, body_code, application_id, included, due)| {
            Ok(PendingPublication {
                registry_number,
                body_code,
                application_id,
                included_on: parse_date(&included)?,
                due_on: parse_date(&due)?,
            })
        })
        .collect()
}

/// The same, as the dashboard counts them.
pub async fn publication_facts(store: &Store, body: Option<&str>) -> Result<Vec<PublicationFact>> {
    Ok(pending_publications(store, body)
        .await?
        .into_iter()
        .map(|p| PublicationFact { body_code: p.body_code, due_on: p.due_on })
        .collect())
}

/// Moves an inclusion's publication due date (after a calendar change).
pub async fn set_publication_due(tx: &mut Tx<'_>, registry_number: &str, due_on: Date) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE entries SET publication_due_on = $1 WHERE registry_number = $2")
        .bind(due_on.to_string()).bind(registry_number)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("UPDATE applications SET publication_due_on = $1 WHERE registry_number = $2")
        .bind(due_on.to_string()).bind(registry_number)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Claims a reminder: true if it had not been sent (and is now recorded), false if it had.
pub async fn claim_reminder(
    tx: &mut Tx<'_>,
    subject: &str,
    stage: &str,
    due_on: Date,
    body_code: &str,
    recipients: usize,
    now: Timestamp,
) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "INSERT INTO reminders (subject, stage, due_on, body_code, recipients, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(subject).bind(stage).bind(due_on.to_string()).bind(body_code)
    .bind(i64::try_from(recipients).unwrap_or(i64::MAX)).bind(crate::rfc3339(now))
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Reminders sent: (subject, stage, due on), oldest first.
pub async fn reminders(store: &Store) -> Result<Vec<(String, String, String)>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT subject, stage, due_on FROM reminders ORDER BY sent_at, subject, stage",
    )
    .fetch_all(p)
    .await)?)
}

/// A PDF's extracted text layer, or why extraction failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfText {
    Pages(Vec<String>),
    Failed(String),
}

/// The stored extraction of a file, if it was extracted before.
pub async fn pdf_text(store: &Store, sha256: &str) -> Result<Option<PdfText>> {
    let row: Option<(String, String, Option<String>)> = on_pool!(store, p => sqlx::query_as(
        "SELECT status, pages, error FROM pdf_texts WHERE sha256 = $1",
    )
    .bind(sha256)
    .fetch_optional(p)
    .await)?;
    row.map(|(status, pages, error)| match status.as_str() {
        "text" => Ok(PdfText::Pages(serde_json::from_str(&pages)?)),
        _ => Ok(PdfText::Failed(error.unwrap_or_default())),
    })
    .transpose()
}

/// Records a file's extraction (the first one recorded wins: the content never changes).
pub async fn save_pdf_text(store: &Store, sha256: &str, text: &PdfText) -> Result<()> {
    let (status, pages, error) = match text {
        PdfText::Pages(p) => ("text", serde_json::to_string(p)?, None),
        PdfText::Failed(e) => ("failed", "[]".to_owned(), Some(e.as_str())),
    };
    on_pool!(store, p => sqlx::query(
        "INSERT INTO pdf_texts (sha256, status, pages, error, extracted_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(sha256).bind(status).bind(&pages).bind(error).bind(crate::now_rfc3339())
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}
