//! Applications, their documents, rounds (submissions) and reviews.

use jiff::civil::Date;
use senim_domain::application::ApplicationForm;
use senim_domain::review::Checklist;
use senim_domain::status::Status;
use uuid::Uuid;

use crate::{Db, Result, Store, StoreError, Tx, on_pool, on_tx, parse_date};

pub use crate::attachments::{Attachment, add_attachment, attachment_any, attachments, remove_attachment};

#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub id: String,
    pub body_code: String,
    pub owner_user_id: String,
    /// The applicant organisation; every member may see and work on the application.
    pub org_id: Option<String>,
    pub status: Status,
    pub form: ApplicationForm,
    pub current_round: i64,
    pub created_at: String,
    pub updated_at: String,
    pub registry_number: Option<String>,
    pub included_on: Option<Date>,
    pub publication_due_on: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct AppRow {
    id: String,
    body_code: String,
    owner_user_id: String,
    org_id: Option<String>,
    status: String,
    form: String,
    current_round: i64,
    created_at: String,
    updated_at: String,
    registry_number: Option<String>,
    included_on: Option<String>,
    publication_due_on: Option<String>,
}

impl TryFrom<AppRow> for Application {
    type Error = StoreError;
    fn try_from(r: AppRow) -> Result<Self> {
        Ok(Application {
            status: Status::parse(&r.status).ok_or_else(|| StoreError::corrupt(format!("status `{}`", r.status)))?,
            form: serde_json::from_str(&r.form)?,
            included_on: r.included_on.as_deref().map(parse_date).transpose()?,
            publication_due_on: r.publication_due_on.as_deref().map(parse_date).transpose()?,
            id: r.id,
            body_code: r.body_code,
            owner_user_id: r.owner_user_id,
            org_id: r.org_id,
            current_round: r.current_round,
            created_at: r.created_at,
            updated_at: r.updated_at,
            registry_number: r.registry_number,
        })
    }
}

macro_rules! app_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, body_code, owner_user_id, org_id, status, form, current_round, created_at, updated_at, \
             registry_number, included_on, publication_due_on FROM applications ",
            $tail
        )
    };
}

pub async fn create(
    tx: &mut Tx<'_>,
    owner_user_id: &str,
    org_id: Option<&str>,
    form: &ApplicationForm,
) -> Result<Application> {
    let id = Uuid::new_v4().to_string();
    let now = crate::now_rfc3339();
    let json = serde_json::to_string(form)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO applications (id, body_code, owner_user_id, org_id, status, form, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id).bind(&form.body).bind(owner_user_id).bind(org_id).bind(Status::Draft.code()).bind(&json).bind(&now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(Application {
        id,
        body_code: form.body.clone(),
        owner_user_id: owner_user_id.to_owned(),
        org_id: org_id.map(str::to_owned),
        status: Status::Draft,
        form: form.clone(),
        current_round: 0,
        created_at: now.clone(),
        updated_at: now,
        registry_number: None,
        included_on: None,
        publication_due_on: None,
    })
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Application>> {
    let row: Option<AppRow> =
        on_pool!(store, p => sqlx::query_as(app_select!("WHERE id = $1")).bind(id).fetch_optional(p).await)?;
    row.map(Application::try_from).transpose()
}

/// Loads an application inside a write transaction, locking its row on PostgreSQL so that two
/// decisions on one application cannot interleave.
pub async fn get_for_update(tx: &mut Tx<'_>, id: &str) -> Result<Option<Application>> {
    let row: Option<AppRow> = match tx {
        Tx::Sqlite(t) => sqlx::query_as(app_select!("WHERE id = $1")).bind(id).fetch_optional(&mut **t).await?,
        Tx::Postgres(t) => {
            sqlx::query_as(app_select!("WHERE id = $1 FOR UPDATE")).bind(id).fetch_optional(&mut **t).await?
        }
    };
    row.map(Application::try_from).transpose()
}

/// The applications a user works on: their own, and their organisation's.
pub async fn for_applicant(store: &Store, owner_user_id: &str, org_id: Option<&str>) -> Result<Vec<Application>> {
    let rows: Vec<AppRow> = on_pool!(store, p => sqlx::query_as(app_select!(
        "WHERE owner_user_id = $1 OR (org_id IS NOT NULL AND org_id = $2) ORDER BY created_at DESC, id"
    ))
        .bind(owner_user_id)
        .bind(org_id)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(Application::try_from).collect()
}

/// Every application of a body in the given statuses.
pub async fn for_body(store: &Store, body_code: &str, statuses: &[Status]) -> Result<Vec<Application>> {
    let rows: Vec<AppRow> = on_pool!(store, p => sqlx::query_as(app_select!("WHERE body_code = $1 ORDER BY created_at, id"))
        .bind(body_code)
        .fetch_all(p)
        .await)?;
    let apps: Result<Vec<Application>> = rows.into_iter().map(Application::try_from).collect();
    Ok(apps?.into_iter().filter(|a| statuses.contains(&a.status)).collect())
}

pub async fn save_form(tx: &mut Tx<'_>, id: &str, form: &ApplicationForm) -> Result<()> {
    let json = serde_json::to_string(form)?;
    on_tx!(tx, c => sqlx::query("UPDATE applications SET form = $1, body_code = $2, updated_at = $3 WHERE id = $4")
        .bind(&json).bind(&form.body).bind(crate::now_rfc3339()).bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves the status from `from` to `to`; fails if someone else moved it first.
pub async fn set_status(tx: &mut Tx<'_>, id: &str, from: Status, to: Status) -> Result<()> {
    let done = on_tx!(tx, c => sqlx::query("UPDATE applications SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.code()).bind(crate::now_rfc3339()).bind(id).bind(from.code())
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    if done != 1 {
        return Err(StoreError::Conflict(format!("application {id} is no longer {from}")));
    }
    Ok(())
}

/// [`set_status`] for many applications at once, in statements of [`crate::audit::BATCH_ROWS`]; a
/// conflict if any of them is no longer `from`.
pub async fn set_status_many(tx: &mut Tx<'_>, ids: &[String], from: Status, to: Status) -> Result<()> {
    let now = crate::now_rfc3339();
    for chunk in ids.chunks(crate::audit::BATCH_ROWS) {
        let list = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect::<Vec<_>>().join(", ");
        let sql = format!("UPDATE applications SET status = $1, updated_at = $2 WHERE status = $3 AND id IN ({list})");
        let done = on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(to.code()).bind(&now).bind(from.code());
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        if done != chunk.len() as u64 {
            return Err(StoreError::Conflict(format!(
                "{} of the applications are no longer {from}",
                chunk.len() as u64 - done
            )));
        }
    }
    Ok(())
}

/// The owner (user id) of each of the applications `ids` that exists, as `(application, owner)`.
pub async fn owners_of(store: &Store, ids: &[String]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(crate::audit::BATCH_ROWS) {
        let list = (0..chunk.len()).map(|i| format!("${}", i + 1)).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT id, owner_user_id FROM applications WHERE id IN ({list})");
        let rows: Vec<(String, String)> = on_pool!(store, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for id in chunk {
                q = q.bind(id);
            }
            q.fetch_all(p).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn set_inclusion(
    tx: &mut Tx<'_>,
    id: &str,
    registry_number: &str,
    included_on: Date,
    publication_due_on: Date,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE applications SET registry_number = $1, included_on = $2, publication_due_on = $3 WHERE id = $4",
    )
    .bind(registry_number).bind(included_on.to_string()).bind(publication_due_on.to_string()).bind(id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

// ---- rounds ----------------------------------------------------------------------------------------

/// One submission (Rules §6 for the first, §8 for each resubmission): frozen form and documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub application_id: String,
    pub number: i64,
    pub form: ApplicationForm,
    pub attachments: Vec<Attachment>,
    pub submitted_at: String,
    pub received_on: Date,
    pub due_on: Date,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    application_id: String,
    number: i64,
    form: String,
    attachments: String,
    submitted_at: String,
    received_on: String,
    due_on: String,
}

impl TryFrom<RoundRow> for Round {
    type Error = StoreError;
    fn try_from(r: RoundRow) -> Result<Self> {
        Ok(Round {
            form: serde_json::from_str(&r.form)?,
            attachments: serde_json::from_str(&r.attachments)?,
            received_on: parse_date(&r.received_on)?,
            due_on: parse_date(&r.due_on)?,
            application_id: r.application_id,
            number: r.number,
            submitted_at: r.submitted_at,
        })
    }
}

pub async fn insert_round(tx: &mut Tx<'_>, round: &Round) -> Result<()> {
    let form = serde_json::to_string(&round.form)?;
    let attachments = serde_json::to_string(&round.attachments)?;
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO rounds (application_id, number, form, attachments, submitted_at, received_on, due_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&round.application_id).bind(round.number).bind(&form).bind(&attachments)
        .bind(&round.submitted_at).bind(round.received_on.to_string()).bind(round.due_on.to_string())
        .execute(&mut *c)
        .await.map(|r| r.rows_affected())?;
        sqlx::query("UPDATE applications SET current_round = $1 WHERE id = $2")
            .bind(round.number).bind(&round.application_id)
            .execute(&mut *c)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn rounds(store: &Store, application_id: &str) -> Result<Vec<Round>> {
    let rows: Vec<RoundRow> = on_pool!(store, p => sqlx::query_as(
        "SELECT application_id, number, form, attachments, submitted_at, received_on, due_on FROM rounds \
         WHERE application_id = $1 ORDER BY number",
    )
    .bind(application_id)
    .fetch_all(p)
    .await)?;
    rows.into_iter().map(Round::try_from).collect()
}

// ---- the review queue ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    pub application: Application,
    pub round: i64,
    pub received_on: Date,
    pub due_on: Date,
}

/// The body's applications awaiting a decision, oldest due first (Rules §6, §8).
pub async fn queue(store: &Store, body_code: &str) -> Result<Vec<QueueItem>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        number: i64,
        received_on: String,
        due_on: String,
    }
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT a.id, r.number, r.received_on, r.due_on FROM applications a \
         JOIN rounds r ON r.application_id = a.id AND r.number = a.current_round \
         WHERE a.body_code = $1 AND a.status IN ('submitted', 'under_review', 'hearing') \
         ORDER BY r.due_on, r.submitted_at, a.id",
    )
    .bind(body_code)
    .fetch_all(p)
    .await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let application = get(store, &r.id).await?.ok_or_else(|| StoreError::corrupt("queue row vanished"))?;
        out.push(QueueItem {
            application,
            round: r.number,
            received_on: parse_date(&r.received_on)?,
            due_on: parse_date(&r.due_on)?,
        });
    }
    Ok(out)
}

// ---- reviews ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: String,
    pub application_id: String,
    pub round: i64,
    pub reviewer_id: String,
    pub checks: Checklist,
    pub decision: Status,
    pub decided_at: String,
}

pub async fn insert_review(tx: &mut Tx<'_>, review: &Review) -> Result<()> {
    let checks = serde_json::to_string(&review.checks)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO reviews (id, application_id, round, reviewer_id, checks, decision, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&review.id).bind(&review.application_id).bind(review.round).bind(&review.reviewer_id)
    .bind(&checks).bind(review.decision.code()).bind(&review.decided_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|e| crate::conflict_on_unique(e, "reviews.round"))?;
    Ok(())
}

pub async fn reviews(store: &Store, application_id: &str) -> Result<Vec<Review>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        application_id: String,
        round: i64,
        reviewer_id: String,
        checks: String,
        decision: String,
        decided_at: String,
    }
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT id, application_id, round, reviewer_id, checks, decision, decided_at FROM reviews \
         WHERE application_id = $1 ORDER BY round",
    )
    .bind(application_id)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Review {
                checks: serde_json::from_str(&r.checks)?,
                decision: Status::parse(&r.decision)
                    .ok_or_else(|| StoreError::corrupt(format!("decision `{}`", r.decision)))?,
                id: r.id,
                application_id: r.application_id,
                round: r.round,
                reviewer_id: r.reviewer_id,
                decided_at: r.decided_at,
            })
        })
        .collect()
}

/// Counts per status, for the home page and the demo check.
pub async fn count_by_status(store: &Store) -> Result<Vec<(String, i64)>> {
    Ok(on_pool!(store, p => sqlx::query_as("SELECT status, COUNT(*) FROM applications GROUP BY status ORDER BY status")
        .fetch_all(p)
        .await)?)
}

/// The next registry serial of a body for a year, taken inside the inclusion's transaction.
pub async fn next_registry_serial(tx: &mut Tx<'_>, body_code: &str, year: i16) -> Result<u32> {
    crate::next_serial(tx, crate::Counter::Registry, body_code, year).await
}

pub fn is_sqlite(store: &Store) -> bool {
    matches!(store.db, Db::Sqlite(_))
}
