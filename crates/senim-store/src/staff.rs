//! The body's work as its staff see it: the review queue with filters and assignees, assignment of
//! cases, and the system-wide settings an administrator switches.

use senim_domain::status::Status;

use crate::applications::{self, QueueItem};
use crate::{Result, Store, StoreError, Tx, on_pool, on_tx, parse_date};

/// Which cases of the queue to show. `None` everywhere: every case awaiting a decision, all bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub body: Option<String>,
    /// `submitted` or `under_review`; others are not in the queue.
    pub status: Option<Status>,
    /// `Some(false)`: first rounds (Rules §6); `Some(true)`: resubmissions (§8).
    pub resubmission: Option<bool>,
    pub assignee: Option<String>,
}

/// One case of the queue, with whom it is assigned to.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffQueueItem {
    pub item: QueueItem,
    pub assignee_id: Option<String>,
    pub assignee_name: Option<String>,
}

/// Cases awaiting a decision (Rules §6, §8) that match the filter, oldest due first.
pub async fn queue(store: &Store, f: &QueueFilter) -> Result<Vec<StaffQueueItem>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        number: i64,
        received_on: String,
        due_on: String,
        assignee_id: Option<String>,
        assignee_name: Option<String>,
    }
    let mut sql = String::from(
        "SELECT a.id, r.number, r.received_on, r.due_on, a.assignee_id, u.name AS assignee_name \
         FROM applications a JOIN rounds r ON r.application_id = a.id AND r.number = a.current_round \
         LEFT JOIN users u ON u.id = a.assignee_id \
         WHERE a.status IN ('submitted', 'under_review', 'hearing')",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut cond = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(b) = &f.body {
        cond(&mut sql, " AND a.body_code = ?", b.clone());
    }
    if let Some(s) = f.status {
        cond(&mut sql, " AND a.status = ?", s.code().to_owned());
    }
    if let Some(a) = &f.assignee {
        cond(&mut sql, " AND a.assignee_id = ?", a.clone());
    }
    match f.resubmission {
        Some(true) => sql.push_str(" AND r.number > 1"),
        Some(false) => sql.push_str(" AND r.number = 1"),
        None => {}
    }
    sql.push_str(" ORDER BY r.due_on, r.submitted_at, a.id");
    let rows: Vec<Row> = on_pool!(store, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        for b in &binds {
            q = q.bind(b);
        }
        q.fetch_all(p).await
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let application =
            applications::get(store, &r.id).await?.ok_or_else(|| StoreError::corrupt("queue row vanished"))?;
        out.push(StaffQueueItem {
            item: QueueItem {
                application,
                round: r.number,
                received_on: parse_date(&r.received_on)?,
                due_on: parse_date(&r.due_on)?,
            },
            assignee_id: r.assignee_id,
            assignee_name: r.assignee_name,
        });
    }
    Ok(out)
}

/// Who a case is assigned to.
pub async fn assignee(store: &Store, application_id: &str) -> Result<Option<String>> {
    let v: Option<Option<String>> = on_pool!(store, p => sqlx::query_scalar(
        "SELECT assignee_id FROM applications WHERE id = $1",
    )
    .bind(application_id)
    .fetch_optional(p)
    .await)?;
    Ok(v.flatten())
}

/// Assigns a case to a reviewer (or to nobody).
pub async fn assign(tx: &mut Tx<'_>, application_id: &str, user_id: Option<&str>) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE applications SET assignee_id = $1 WHERE id = $2")
        .bind(user_id).bind(application_id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The setting that makes a second factor compulsory for every staff account.
pub const STAFF_TOTP_REQUIRED: &str = "staff_totp_required";

pub async fn setting(store: &Store, key: &str) -> Result<Option<String>> {
    Ok(on_pool!(store, p => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(p)
        .await)?)
}

pub async fn set_setting(tx: &mut Tx<'_>, key: &str, value: &str, by: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(key).bind(value).bind(crate::now_rfc3339()).bind(by)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}
