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
