//! The system administrator edits a year of the working-day calendar in the browser: the year is
//! validated, stored (replacing the shipped one, like `senim calendar set`), audited, loaded into the
//! running server, and the due dates of open rounds and of inclusions awaiting publication that have
//! not yet passed are counted again.
//! Rounds already overdue keep their date: what was late stays late.

use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::calendar::{WorkingDays, YearCalendar, kz_date};
use senim_domain::role::Role;
use senim_store::users::User;
use senim_store::{audit, calendar};
use serde_json::json;

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// What a save changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub working_days: u32,
    /// Open rounds whose due date moved: (application id, round, old due date, new due date).
    pub moved: Vec<(String, i64, String, String)>,
    /// Inclusions awaiting publication whose due date moved (Rules §7): (registry number, old, new).
    pub publications_moved: Vec<(String, String, String)>,
}

fn admin(user: &User) -> ServiceResult<()> {
    if user.role == Role::Admin { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// The year as the server uses it now (shipped or overridden), if it has data.
pub fn year(state: &AppState, user: &User, year: i16) -> ServiceResult<Option<YearCalendar>> {
    admin(user)?;
    Ok(state.calendar().year(year).cloned())
}

/// Validates and saves a year; see the module's note.
pub async fn save(state: &AppState, user: &User, year: YearCalendar, now: Timestamp) -> ServiceResult<Saved> {
    admin(user)?;
    year.validate().map_err(|e| ServiceError::Invalid(vec![FieldError::new("days", e.code())]))?;
    let mut next = state.calendar();
    next.set_year(year.clone());
    let today = kz_date(now);
    let mut moved = Vec::new();
    for (id, number, received_on, due_on) in calendar::open_rounds(&state.store, today).await? {
        let received: jiff::civil::Date = received_on.parse().map_err(|e| anyhow::anyhow!("round date: {e}"))?;
        let period = if number == 1 { WorkingDays::EXAMINATION } else { WorkingDays::RE_EXAMINATION };
        let due = next.due_date(received, period)?;
        if due.to_string() != due_on {
            moved.push((id, number, due_on, due.to_string()));
        }
    }
    // Rules §7: publication is owed five working days from inclusion; those not yet passed move too.
    let mut publications_moved = Vec::new();
    for p in senim_store::deadlines::pending_publications(&state.store, None).await? {
        if p.due_on < today {
            continue;
        }
        let due = next.due_date(p.included_on, WorkingDays::PUBLICATION)?;
        if due != p.due_on {
            publications_moved.push((p.registry_number, p.due_on.to_string(), due.to_string()));
        }
    }
    let mut tx = state.store.begin().await?;
    calendar::save_year(&mut tx, &year, &user.id).await?;
    for (number, _, due) in &publications_moved {
        let due: jiff::civil::Date = due.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        senim_store::deadlines::set_publication_due(&mut tx, number, due).await?;
    }
    for (id, number, _, due) in &moved {
        let due: jiff::civil::Date = due.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        calendar::set_round_due(&mut tx, id, *number, due).await?;
    }
    let detail = json!({
        "working_days": year.working_days_count(),
        "provisional": year.provisional,
        "rounds_moved": moved.iter().map(|(id, n, from, to)| json!({"application": id, "round": n, "from": from, "to": to})).collect::<Vec<_>>(),
        "publications_moved": publications_moved.iter().map(|(n, from, to)| json!({"registry_number": n, "from": from, "to": to})).collect::<Vec<_>>(),
    });
    audit::append(&mut tx, &user.id, "calendar.set", &year.year.to_string(), &detail).await?;
    tx.commit().await?;
    state.set_calendar(next);
    Ok(Saved { working_days: year.working_days_count(), moved, publications_moved })
}
