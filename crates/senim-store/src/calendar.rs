//! Administrators' overrides of the working-day calendar: a stored year replaces the shipped one.

use senim_domain::calendar::{Calendar, YearCalendar};

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

pub async fn save_year(tx: &mut Tx<'_>, year: &YearCalendar, by: &str) -> Result<()> {
    let data = year.to_toml();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO calendar_years (year, data, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(i64::from(year.year)).bind(&data).bind(crate::now_rfc3339()).bind(by)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The shipped calendar with every stored override applied.
pub async fn load(store: &Store) -> Result<Calendar> {
    let rows: Vec<(i64, String)> =
        on_pool!(store, p => sqlx::query_as("SELECT year, data FROM calendar_years ORDER BY year").fetch_all(p).await)?;
    let mut calendar = Calendar::builtin();
    for (year, data) in rows {
        let parsed =
            YearCalendar::from_toml(&data).map_err(|e| StoreError::corrupt(format!("calendar year {year}: {e}")))?;
        calendar.set_year(parsed);
    }
    Ok(calendar)
}

/// The current round of each application awaiting a decision whose due date is `on_or_after` or later:
/// (application id, round number, received on, due on).
pub async fn open_rounds(store: &Store, on_or_after: jiff::civil::Date) -> Result<Vec<(String, i64, String, String)>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT r.application_id, r.number, r.received_on, r.due_on FROM rounds r \
         JOIN applications a ON a.id = r.application_id AND a.current_round = r.number \
         WHERE a.status IN ('submitted', 'under_review', 'hearing') AND r.due_on >= $1 ORDER BY r.due_on, r.application_id",
    )
    .bind(on_or_after.to_string())
    .fetch_all(p)
    .await)?)
}

/// Moves a round's due date (after a calendar change).
pub async fn set_round_due(
    tx: &mut Tx<'_>,
    application_id: &str,
    number: i64,
    due_on: jiff::civil::Date,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE rounds SET due_on = $1 WHERE application_id = $2 AND number = $3")
        .bind(due_on.to_string()).bind(application_id).bind(number)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}
