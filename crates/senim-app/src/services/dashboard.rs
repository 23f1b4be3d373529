//! The dashboards: a body's performance against the Rules' clocks for its staff, and every body's for
//! the observer and the administrator (see `senim_domain::stats` for what each figure counts).

use jiff::Timestamp;
use jiff::civil::Date;
use senim_domain::application::FieldError;
use senim_domain::calendar::kz_date;
use senim_domain::role::Role;
use senim_domain::stats::{self, Stats};
use senim_store::bodies::{self, Body};
use senim_store::deadlines;
use senim_store::users::User;

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// What was asked for: a body (or every body) and a period; text as typed, for the form.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct DashboardQuery {
    /// A body's code; empty: every body (observer and administrator only).
    #[serde(default)]
    pub body: Option<String>,
    /// First day of the period, `YYYY-MM-DD`; default: 1 January of this year.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day of the period, `YYYY-MM-DD`; default: today.
    #[serde(default)]
    pub to: Option<String>,
}

/// A dashboard: the figures of the scope, and for every-body scope each body's line.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// `None`: every body.
    pub body: Option<Body>,
    pub stats: Stats,
    pub hearing: HearingFigures,
    pub per_body: Vec<(Body, Stats)>,
}

/// The hearing in the period (АППК Art. 73): preliminary decisions issued, those issued after the last
/// day that let the objection period end before the deadline, and notices decided without one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct HearingFigures {
    pub preliminary_decisions: u32,
    pub late: u32,
    pub skipped: u32,
}

async fn hearing_figures(state: &AppState, body: Option<&str>, from: Date, to: Date) -> ServiceResult<HearingFigures> {
    let issued = senim_store::hearing::issued_between(&state.store, body, from, to).await?;
    let mut skipped = 0;
    for at in senim_store::hearing::notices_without_hearing(&state.store, body).await? {
        let day = at.parse::<Timestamp>().map(kz_date).map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e}")))?;
        if (from..=to).contains(&day) {
            skipped += 1;
        }
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(HearingFigures {
        preliminary_decisions: count(issued.len()),
        late: count(issued.iter().filter(|p| p.dates.late).count()),
        skipped,
    })
}

fn parse_day(field: &'static str, text: Option<&str>, default: Date, errors: &mut Vec<FieldError>) -> Date {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => default,
        Some(t) => t.parse().unwrap_or_else(|_| {
            errors.push(FieldError::new(field, "date.invalid"));
            default
        }),
    }
}

/// The caller's dashboard: body staff see their own body; the observer and the administrator any
/// body or all of them.
pub async fn dashboard(state: &AppState, user: &User, q: &DashboardQuery, now: Timestamp) -> ServiceResult<Dashboard> {
    let asked = q.body.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let scope = match (user.role, user.body_code.as_deref()) {
        (Role::Reviewer | Role::Publisher | Role::BodyAdmin, Some(own)) => match asked {
            Some(b) if b != own => return Err(ServiceError::Forbidden),
            _ => Some(own.to_owned()),
        },
        (Role::Observer | Role::Admin, _) => asked.map(str::to_owned),
        _ => return Err(ServiceError::Forbidden),
    };
    let today = kz_date(now);
    let mut errors = Vec::new();
    let start_of_year = jiff::civil::date(today.year(), 1, 1);
    let from = parse_day("from", q.from.as_deref(), start_of_year, &mut errors);
    let to = parse_day("to", q.to.as_deref(), today, &mut errors);
    if errors.is_empty() && from > to {
        errors.push(FieldError::new("to", "period.order"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let body = match &scope {
        Some(code) => Some(bodies::get(&state.store, code).await?.ok_or(ServiceError::NotFound)?),
        None => None,
    };
    let rounds = deadlines::round_facts(&state.store, scope.as_deref()).await?;
    let pubs = deadlines::publication_facts(&state.store, scope.as_deref()).await?;
    let calendar = state.calendar();
    let stats = stats::compute(&calendar, &rounds, &pubs, from, to, today)?;
    let mut per_body = Vec::new();
    if scope.is_none() {
        for b in &bodies::all(&state.store).await? {
            let r: Vec<_> = rounds.iter().filter(|r| r.body_code == b.code).cloned().collect();
            let p: Vec<_> = pubs.iter().filter(|p| p.body_code == b.code).cloned().collect();
            if r.is_empty() && p.is_empty() {
                continue;
            }
            per_body.push((b.clone(), stats::compute(&calendar, &r, &p, from, to, today)?));
        }
    }
    let hearing = hearing_figures(state, scope.as_deref(), from, to).await?;
    Ok(Dashboard { body, stats, hearing, per_body })
}
