//! The hearing of a round (АППК Arts. 73, 74) and the act that ends it (Art. 78 ff.): the preliminary
//! decision, the applicant's objections or waiver, the hearing records, and the final decision's act.

use jiff::civil::Date;
use senim_domain::hearing::{HearingDates, HearingForm, HearingRecord};
use senim_domain::lang::LangText;
use senim_domain::review::Checklist;

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

fn date(s: &str, what: &str) -> Result<Date> {
    s.parse().map_err(|e| StoreError::corrupt(format!("{what} `{s}`: {e}")))
}

fn text(json: &str) -> Result<LangText> {
    Ok(serde_json::from_str(json)?)
}

/// A round's preliminary decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Preliminary {
    pub application_id: String,
    pub round: i64,
    pub reviewer_id: String,
    pub checks: Checklist,
    pub issued_at: String,
    pub dates: HearingDates,
    pub last_day_to_issue: Date,
}

pub async fn insert_preliminary(tx: &mut Tx<'_>, p: &Preliminary) -> Result<()> {
    let checks = serde_json::to_string(&p.checks)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO preliminary_decisions (application_id, round, reviewer_id, checks, issued_at, issued_on, \
         objection_due_on, decision_due_on, last_day_to_issue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&p.application_id).bind(p.round).bind(&p.reviewer_id).bind(&checks).bind(&p.issued_at)
    .bind(p.dates.issued_on.to_string()).bind(p.dates.objection_due_on.to_string())
    .bind(p.dates.decision_due_on.to_string()).bind(p.last_day_to_issue.to_string())
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|e| crate::conflict_on_unique(e, "preliminary_decisions.round"))?;
    Ok(())
}

type PreliminaryRow = (String, i64, String, String, String, String, String, String, String);

fn preliminary_of(r: PreliminaryRow) -> Result<Preliminary> {
    let (application_id, round, reviewer_id, checks, issued_at, issued_on, objection_due_on, decision_due_on, last) = r;
    let last_day_to_issue = date(&last, "last_day_to_issue")?;
    let issued_on = date(&issued_on, "issued_on")?;
    Ok(Preliminary {
        application_id,
        round,
        reviewer_id,
        checks: serde_json::from_str(&checks)?,
        issued_at,
        dates: HearingDates {
            issued_on,
            objection_due_on: date(&objection_due_on, "objection_due_on")?,
            decision_due_on: date(&decision_due_on, "decision_due_on")?,
            late: issued_on > last_day_to_issue,
        },
        last_day_to_issue,
    })
}

const PRELIMINARY_COLUMNS: &str = "application_id, round, reviewer_id, checks, issued_at, issued_on, \
    objection_due_on, decision_due_on, last_day_to_issue";

/// Every preliminary decision of an application, oldest round first.
pub async fn preliminaries(store: &Store, application_id: &str) -> Result<Vec<Preliminary>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {PRELIMINARY_COLUMNS} FROM preliminary_decisions WHERE application_id = $1 ORDER BY round"
    ));
    let rows: Vec<PreliminaryRow> = on_pool!(store, p => sqlx::query_as(sql).bind(application_id).fetch_all(p).await)?;
    rows.into_iter().map(preliminary_of).collect()
}

/// The preliminary decisions of a body's cases in a period of issue, for the dashboard.
pub async fn issued_between(store: &Store, body_code: Option<&str>, from: Date, to: Date) -> Result<Vec<Preliminary>> {
    let columns = PRELIMINARY_COLUMNS.split(", ").map(|c| format!("d.{}", c.trim())).collect::<Vec<_>>().join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {columns} FROM preliminary_decisions d JOIN applications a ON a.id = d.application_id \
         WHERE d.issued_on >= $1 AND d.issued_on <= $2 AND ($3 IS NULL OR a.body_code = $3) ORDER BY d.issued_on"
    ));
    let rows: Vec<PreliminaryRow> = on_pool!(store, p => sqlx::query_as(sql)
        .bind(from.to_string()).bind(to.to_string()).bind(body_code)
        .fetch_all(p).await)?;
    rows.into_iter().map(preliminary_of).collect()
}

/// The applicant's answer to a preliminary decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Objection {
    pub id: String,
    pub application_id: String,
    pub round: i64,
    pub author_id: String,
    pub waived: bool,
    pub text: LangText,
    pub hearing_requested: bool,
    pub received_on: Date,
    pub received_at: String,
}

pub async fn insert_objection(tx: &mut Tx<'_>, o: &Objection) -> Result<()> {
    let text = serde_json::to_string(&o.text)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO objections (id, application_id, round, author_id, waived, text, hearing_requested, \
         received_on, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&o.id).bind(&o.application_id).bind(o.round).bind(&o.author_id).bind(o.waived).bind(&text)
    .bind(o.hearing_requested).bind(o.received_on.to_string()).bind(&o.received_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn objections(store: &Store, application_id: &str) -> Result<Vec<Objection>> {
    type Row = (String, String, i64, String, bool, String, bool, String, String);
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT id, application_id, round, author_id, waived, text, hearing_requested, received_on, received_at \
         FROM objections WHERE application_id = $1 ORDER BY round, received_at, id",
    )
    .bind(application_id)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(id, application_id, round, author_id, waived, t, hearing_requested, on, received_at)| {
            Ok(Objection {
                id,
                application_id,
                round,
                author_id,
                waived,
                text: text(&t)?,
                hearing_requested,
                received_on: date(&on, "received_on")?,
                received_at,
            })
        })
        .collect()
}

/// A hearing as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHearing {
    pub id: String,
    pub application_id: String,
    pub round: i64,
    pub reviewer_id: String,
    pub record: HearingRecord,
    pub recorded_at: String,
}

pub async fn insert_hearing(tx: &mut Tx<'_>, h: &StoredHearing) -> Result<()> {
    let summary = serde_json::to_string(&h.record.summary)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO hearing_records (id, application_id, round, reviewer_id, held_on, form, place, participants, \
         summary, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&h.id).bind(&h.application_id).bind(h.round).bind(&h.reviewer_id)
    .bind(h.record.held_on.to_string()).bind(h.record.form.code()).bind(&h.record.place)
    .bind(&h.record.participants).bind(&summary).bind(&h.recorded_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn hearings(store: &Store, application_id: &str) -> Result<Vec<StoredHearing>> {
    type Row = (String, String, i64, String, String, String, String, String, String, String);
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT id, application_id, round, reviewer_id, held_on, form, place, participants, summary, recorded_at \
         FROM hearing_records WHERE application_id = $1 ORDER BY round, held_on, recorded_at",
    )
    .bind(application_id)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(id, application_id, round, reviewer_id, held_on, form, place, participants, summary, recorded_at)| {
            Ok(StoredHearing {
                id,
                application_id,
                round,
                reviewer_id,
                record: HearingRecord {
                    held_on: date(&held_on, "held_on")?,
                    form: HearingForm::parse(&form).ok_or_else(|| StoreError::corrupt(format!("form `{form}`")))?,
                    place,
                    participants,
                    summary: text(&summary)?,
                },
                recorded_at,
            })
        })
        .collect()
}

/// What an act decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActKind {
    /// Rules §8: the notice of nonconformity.
    Nonconformity,
    /// Rules §7: the inclusion in the List.
    Inclusion,
}

impl ActKind {
    pub fn code(self) -> &'static str {
        match self {
            ActKind::Nonconformity => "nonconformity",
            ActKind::Inclusion => "inclusion",
        }
    }
}

/// The final decision of a round as an administrative act.
#[derive(Debug, Clone, PartialEq)]
pub struct Act {
    pub number: String,
    pub application_id: String,
    pub round: i64,
    pub kind: ActKind,
    pub official_id: String,
    pub official_name: String,
    pub official_position: String,
    pub objection_considered: LangText,
    pub adopted_on: Date,
    pub adopted_at: String,
}

pub async fn insert_act(tx: &mut Tx<'_>, a: &Act) -> Result<()> {
    let considered = serde_json::to_string(&a.objection_considered)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO acts (number, application_id, round, kind, official_id, official_name, official_position, \
         objection_considered, adopted_on, adopted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&a.number).bind(&a.application_id).bind(a.round).bind(a.kind.code()).bind(&a.official_id)
    .bind(&a.official_name).bind(&a.official_position).bind(&considered).bind(a.adopted_on.to_string())
    .bind(&a.adopted_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|e| crate::conflict_on_unique(e, "acts.round"))?;
    Ok(())
}

pub async fn acts(store: &Store, application_id: &str) -> Result<Vec<Act>> {
    type Row = (String, String, i64, String, String, String, String, String, String, String);
    let rows: Vec<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT number, application_id, round, kind, official_id, official_name, official_position, \
         objection_considered, adopted_on, adopted_at FROM acts WHERE application_id = $1 ORDER BY round",
    )
    .bind(application_id)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|(number, application_id, round, kind, official_id, official_name, official_position, c, on, at)| {
            let kind = match kind.as_str() {
                "nonconformity" => ActKind::Nonconformity,
                "inclusion" => ActKind::Inclusion,
                other => return Err(StoreError::corrupt(format!("act kind `{other}`"))),
            };
            Ok(Act {
                number,
                application_id,
                round,
                kind,
                official_id,
                official_name,
                official_position,
                objection_considered: text(&c)?,
                adopted_on: date(&on, "adopted_on")?,
                adopted_at: at,
            })
        })
        .collect()
}

/// The next act serial of a body for a year, taken inside the decision's transaction.
pub async fn next_act_serial(tx: &mut Tx<'_>, body_code: &str, year: i16) -> Result<u32> {
    crate::next_serial(tx, crate::Counter::Act, body_code, year).await
}

/// The official's position as their last act named it.
pub async fn set_position(tx: &mut Tx<'_>, user_id: &str, position: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET position = $1 WHERE id = $2")
        .bind(position).bind(user_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn position(store: &Store, user_id: &str) -> Result<String> {
    Ok(on_pool!(store, p => sqlx::query_scalar("SELECT position FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(p)
        .await)?
    .unwrap_or_default())
}

/// When each notice of nonconformity without a preliminary decision before it was decided (a hearing
/// skipped, АППК Art. 73): RFC 3339 instants, for the dashboard.
pub async fn notices_without_hearing(store: &Store, body_code: Option<&str>) -> Result<Vec<String>> {
    Ok(on_pool!(store, p => sqlx::query_scalar(
        "SELECT v.decided_at FROM reviews v JOIN applications a ON a.id = v.application_id \
         LEFT JOIN preliminary_decisions d ON d.application_id = v.application_id AND d.round = v.round \
         WHERE v.decision = 'nonconforming' AND d.application_id IS NULL AND ($1 IS NULL OR a.body_code = $1) \
         ORDER BY v.decided_at",
    )
    .bind(body_code)
    .fetch_all(p)
    .await)?)
}
