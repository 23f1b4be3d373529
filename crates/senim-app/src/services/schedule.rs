//! Scheduled publication (Rules §7 helper): a body may have its pending changes published
//! automatically every day at a local time (Asia/Almaty, UTC+5). [`run_due`] does one pass and is what
//! tests call with a fixed time; [`spawn`] runs it every half minute in `senim serve`. The day's run is
//! claimed by a row keyed (body, date) in the same transaction as the edition, so that with several
//! instances on one database exactly one publishes; the audit actor is `system:schedule`.

use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use senim_domain::application::FieldError;
use senim_domain::calendar::KZ_OFFSET_HOURS;
use senim_domain::role::Role;
use senim_store::audit;
use senim_store::schedules::{self, Run, Schedule};
use senim_store::users::User;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::{ServiceError, ServiceResult, publication};
use crate::AppState;

/// The audit actor of scheduled publications.
pub const ACTOR: &str = "system:schedule";

/// The publisher or the body administrator of the body, or `Forbidden`.
fn may_schedule(user: &User, body_code: &str) -> ServiceResult<()> {
    match (user.role, user.body_code.as_deref()) {
        (Role::Publisher | Role::BodyAdmin, Some(b)) if b == body_code => Ok(()),
        _ => Err(ServiceError::Forbidden),
    }
}

/// `HH:MM` (24-hour), or an error on the field `at`.
pub fn parse_time(s: &str) -> Result<Time, FieldError> {
    let s = s.trim();
    let ok = s.len() == 5 && s.as_bytes()[2] == b':';
    let parsed = ok
        .then(|| Some((s[..2].parse::<i8>().ok()?, s[3..].parse::<i8>().ok()?)))
        .flatten()
        .and_then(|(h, m)| Time::new(h, m, 0, 0).ok());
    parsed.ok_or_else(|| FieldError::new("at", "schedule.time"))
}

/// The body's schedule and its last run.
pub async fn get(state: &AppState, user: &User, body_code: &str) -> ServiceResult<(Option<String>, Option<Run>)> {
    may_schedule(user, body_code)?;
    let at = schedules::get(&state.store, body_code).await?.and_then(|s| s.at_time);
    let last = schedules::runs(&state.store, body_code, 1).await?.into_iter().next();
    Ok((at, last))
}

/// Sets the daily time (`Some("HH:MM")`) or switches the schedule off (`None` or empty).
pub async fn set(state: &AppState, user: &User, body_code: &str, at: Option<&str>) -> ServiceResult<Option<String>> {
    may_schedule(user, body_code)?;
    let at = match at.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_time(s).map_err(|e| ServiceError::Invalid(vec![e]))?.strftime("%H:%M").to_string()),
        None => None,
    };
    let mut tx = state.store.begin().await?;
    schedules::set(&mut tx, body_code, at.as_deref(), &user.id).await?;
    audit::append(&mut tx, &user.id, "schedule.set", body_code, &json!({"at": at, "timezone": "Asia/Almaty"})).await?;
    tx.commit().await?;
    Ok(at)
}

/// What one pass did for one body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Published {
        body: String,
        edition: i64,
    },
    Nothing {
        body: String,
    },
    /// Another instance ran it first.
    Skipped {
        body: String,
    },
    Failed {
        body: String,
    },
}

fn local(now: Timestamp) -> (Date, Time) {
    let dt = jiff::tz::offset(KZ_OFFSET_HOURS).to_datetime(now);
    (dt.date(), dt.time())
}

/// One pass: every body whose time of day (Asia/Almaty) has come and whose run of today has not
/// happened publishes its pending changes. Idempotent: calling it again the same day does nothing.
pub async fn run_due(state: &AppState, now: Timestamp) -> ServiceResult<Vec<Outcome>> {
    let (today, time) = local(now);
    let day = today.to_string();
    let mut out = Vec::new();
    for Schedule { body_code, at_time, .. } in schedules::enabled(&state.store).await? {
        let Some(at) = at_time.as_deref().and_then(|t| parse_time(t).ok()) else { continue };
        if time < at || schedules::run_of(&state.store, &body_code, &day).await?.is_some() {
            continue;
        }
        let body = body_code.clone();
        let outcome = match publication::publish_with(state, ACTOR, &body_code, now, Some(today)).await {
            Ok(e) => Outcome::Published { body, edition: e.number },
            Err(ServiceError::State("schedule.already_run")) => Outcome::Skipped { body },
            // Nothing pending may also mean that another instance has just published them: then its
            // claim is already there and this pass did nothing.
            Err(ServiceError::State("publication.nothing_pending")) => {
                if record(state, &body_code, &day, "nothing").await? {
                    Outcome::Nothing { body }
                } else {
                    Outcome::Skipped { body }
                }
            }
            Err(e) => {
                tracing::error!(body = %body_code, error = %e, "scheduled publication failed");
                record(state, &body_code, &day, "failed").await?;
                Outcome::Failed { body }
            }
        };
        out.push(outcome);
    }
    Ok(out)
}

/// Records a run that published nothing (claiming the day, so it is not tried again); `false` when the
/// day was already claimed.
async fn record(state: &AppState, body_code: &str, day: &str, outcome: &str) -> ServiceResult<bool> {
    let mut tx = state.store.begin().await?;
    let claimed = schedules::claim(&mut tx, body_code, day, outcome, None).await?;
    if claimed {
        audit::append(&mut tx, ACTOR, "schedule.run", body_code, &json!({"day": day, "outcome": outcome})).await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// The running scheduler; [`SchedulerHandle::stop`] ends it.
pub struct SchedulerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl SchedulerHandle {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(30), self.task).await;
    }
}

/// Starts the scheduler of this instance (`senim serve`): a pass every 30 seconds.
pub fn spawn(state: &AppState) -> SchedulerHandle {
    let (stop, mut rx) = watch::channel(false);
    let state = state.clone();
    let task = tokio::spawn(async move {
        loop {
            if let Err(e) = run_due(&state, Timestamp::now()).await {
                tracing::error!(error = %e, "publication schedule");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(30)) => {}
                _ = rx.wait_for(|s| *s) => break,
            }
        }
    });
    SchedulerHandle { stop, task }
}
