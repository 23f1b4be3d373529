//! The body's examination (Rules §6) and its decision: inclusion (§7) or a notice of nonconformity (§8).

use jiff::Timestamp;
use jiff::civil::Date;
use senim_domain::annex2::{project, registry_number};
use senim_domain::calendar::{WorkingDays, kz_date};
use senim_domain::hearing::HearingDates;
use senim_domain::lang::LangText;
use senim_domain::review::{CheckResult, Checklist, ChecklistInput, Decision};
use senim_domain::role::Role;
use senim_domain::status::{Action, Status};
use senim_store::applications::{self as apps, Application, QueueItem, Review};
use senim_store::hearing::{Act, ActKind, Preliminary};
use senim_store::staff::{QueueFilter, StaffQueueItem};
use senim_store::users::User;
use senim_store::{Tx, audit, bodies, entries, users};
use serde_json::json;

use super::accounts::user_lang;
use super::notify::mail;
use super::procedure;
use super::{ServiceError, ServiceResult};
use crate::AppState;
use crate::i18n::t;

/// The outcome the reviewer and the API see.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Rules §7: included, by the act numbered `act`.
    Included { registry_number: String, included_on: Date, publication_due_on: Date, act: String },
    /// АППК Art. 73: a check failed; the preliminary decision is issued and the hearing runs.
    Hearing { failed: Vec<CheckResult>, round: i64, dates: HearingDates },
    /// Rules §8: the notice of nonconformity, the act numbered `act`.
    Nonconforming { failed: Vec<CheckResult>, round: i64, act: String },
}

/// The reviewer's body, or `Forbidden` for anyone who does not review.
pub fn reviewer_body(user: &User) -> ServiceResult<&str> {
    match (user.role, user.body_code.as_deref()) {
        (Role::Reviewer, Some(body)) => Ok(body),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Rules §6, §8: the body's applications awaiting a decision, oldest due first.
pub async fn queue(state: &AppState, user: &User) -> ServiceResult<Vec<QueueItem>> {
    let body = reviewer_body(user)?;
    Ok(apps::queue(&state.store, body).await?)
}

/// Who may look at a queue: the body's reviewers and body administrator see their body's; an observer
/// sees every body's (read-only). The filter's body is forced to the caller's own for body staff.
pub async fn staff_queue(state: &AppState, user: &User, mut filter: QueueFilter) -> ServiceResult<Vec<StaffQueueItem>> {
    match (user.role, user.body_code.as_deref()) {
        (Role::Reviewer | Role::BodyAdmin, Some(body)) => filter.body = Some(body.to_owned()),
        (Role::Observer, _) => {}
        _ => return Err(ServiceError::Forbidden),
    }
    Ok(senim_store::staff::queue(&state.store, &filter).await?)
}

/// The body administrator assigns a case awaiting a decision to a reviewer of the body (or to nobody).
pub async fn assign(state: &AppState, user: &User, id: &str, assignee: Option<&str>) -> ServiceResult<()> {
    let body_code = match (user.role, user.body_code.as_deref()) {
        (Role::BodyAdmin, Some(body)) => body.to_owned(),
        _ => return Err(ServiceError::Forbidden),
    };
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(ServiceError::NotFound);
    }
    let seen = apps::get(&state.store, id).await?.ok_or(ServiceError::NotFound)?;
    if seen.body_code != body_code || seen.status == Status::Draft {
        return Err(ServiceError::NotFound);
    }
    if let Some(a) = assignee {
        let reviewer = users::by_id(&state.store, a).await?;
        let ok = reviewer.as_ref().is_some_and(|r| {
            r.role == Role::Reviewer && !r.disabled && r.body_code.as_deref() == Some(body_code.as_str())
        });
        if !ok {
            return Err(ServiceError::Invalid(vec![senim_domain::application::FieldError::new(
                "assignee",
                "assignee.invalid",
            )]));
        }
    }
    // Reads come before the write transaction (see `applications::attach`).
    let reviewer = match assignee {
        Some(a) => users::by_id(&state.store, a).await?,
        None => None,
    };
    let mut tx = state.store.begin().await?;
    let app = apps::get_for_update(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if app.body_code != body_code || app.status == Status::Draft {
        return Err(ServiceError::NotFound);
    }
    if !app.status.awaits_decision() {
        return Err(ServiceError::State("status.decided"));
    }
    senim_store::staff::assign(&mut tx, id, assignee).await?;
    audit::append(&mut tx, &user.id, "application.assign", id, &json!({"assignee": assignee})).await?;
    if let Some(reviewer) = reviewer {
        let lang = user_lang(&reviewer);
        let args = [("system", app.form.system.name.best(lang).to_owned()), ("name", reviewer.name.clone())];
        mail(&mut tx, &reviewer.email, lang, "mail-assigned", &args).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records the §6 checklist: all pass → included (the act names the official's last position); any
/// fail → the preliminary decision and the hearing (АППК Art. 73).
pub async fn decide(
    state: &AppState,
    user: &User,
    id: &str,
    input: &ChecklistInput,
    now: Timestamp,
) -> ServiceResult<Outcome> {
    decide_as(state, user, id, input, "", now).await
}

/// [`decide`], with the official's position as the act of inclusion is to name it.
pub async fn decide_as(
    state: &AppState,
    user: &User,
    id: &str,
    input: &ChecklistInput,
    position: &str,
    now: Timestamp,
) -> ServiceResult<Outcome> {
    let body_code = reviewer_body(user)?.to_owned();
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(ServiceError::NotFound);
    }
    // Another body's case is not found, whatever the checklist says.
    let seen = apps::get(&state.store, id).await?.ok_or(ServiceError::NotFound)?;
    if seen.body_code != body_code || seen.status == Status::Draft {
        return Err(ServiceError::NotFound);
    }
    let checklist = input.parse().map_err(ServiceError::Invalid)?;
    let body = bodies::get(&state.store, &body_code).await?.ok_or(ServiceError::NotFound)?;
    let today = kz_date(now);
    let staff = users::staff_of(&state.store, &body_code).await?;
    // The owner never changes: read before the write transaction (see `applications::attach`).
    let owner = users::by_id(&state.store, &seen.owner_user_id).await?.ok_or(ServiceError::NotFound)?;
    let position = procedure::official_position(state, user, position).await?;
    let periods = procedure::periods(state).await?;
    let due_on = apps::rounds(&state.store, id)
        .await?
        .into_iter()
        .find(|r| r.number == seen.current_round)
        .map(|r| r.due_on)
        .ok_or(ServiceError::State("status.illegal_transition"))?;

    let mut tx = state.store.begin().await?;
    let app = apps::get_for_update(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if app.body_code != body_code || app.status == Status::Draft {
        return Err(ServiceError::NotFound);
    }
    let outcome = match checklist.decision() {
        Decision::Include => {
            let next = app.status.apply(Action::Include)?;
            record_decision(&mut tx, user, &app, &checklist, next, now).await?;
            let act = procedure::adopt(&mut tx, user, &app, ActKind::Inclusion, &position, LangText::new(), today, now)
                .await?;
            include_in(&mut tx, state, user, &app, &body, &owner, &staff, &checklist, today, &act).await?
        }
        Decision::Nonconformity(failed) => {
            let next = app.status.apply(Action::Preliminary)?;
            let calendar = state.calendar();
            let dates = HearingDates::of(&periods, &calendar, today, due_on)?;
            let preliminary = Preliminary {
                application_id: app.id.clone(),
                round: app.current_round,
                reviewer_id: user.id.clone(),
                checks: checklist.clone(),
                issued_at: senim_store::rfc3339(now),
                dates,
                last_day_to_issue: periods.last_day_to_issue(&calendar, due_on)?,
            };
            senim_store::hearing::insert_preliminary(&mut tx, &preliminary).await?;
            apps::set_status(&mut tx, id, app.status, next).await?;
            audit::append(
                &mut tx,
                &user.id,
                "application.preliminary",
                id,
                &json!({"round": app.current_round, "checks": checklist, "objection_due_on": dates.objection_due_on.to_string()}),
            )
            .await?;
            let lang = user_lang(&owner);
            let reasons: Vec<String> =
                failed.iter().map(|f| format!("{}: {}", t(lang, f.check.citation_key()), f.comment)).collect();
            let args = [
                ("system", app.form.system.name.best(lang).to_owned()),
                ("reasons", reasons.join("\n")),
                ("objection_due", dates.objection_due_on.to_string()),
                ("decision_due", dates.decision_due_on.to_string()),
                ("link", format!("{}/applications/{}", state.config.public_url.trim_end_matches('/'), app.id)),
            ];
            mail(&mut tx, &owner.email, lang, "mail-preliminary", &args).await?;
            Outcome::Hearing { failed, round: app.current_round, dates }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Records the round's final checklist and moves the application to `next` (an inclusion or a notice).
pub(super) async fn record_decision(
    tx: &mut Tx<'_>,
    user: &User,
    app: &Application,
    checklist: &Checklist,
    next: Status,
    now: Timestamp,
) -> ServiceResult<()> {
    let review = Review {
        id: uuid::Uuid::new_v4().to_string(),
        application_id: app.id.clone(),
        round: app.current_round,
        reviewer_id: user.id.clone(),
        checks: checklist.clone(),
        decision: next,
        decided_at: senim_store::rfc3339(now),
    };
    apps::insert_review(tx, &review).await?;
    apps::set_status(tx, &app.id, app.status, next).await?;
    Ok(())
}

/// Rules §7: includes the round's system in the List by `act`: the registry number, the entry awaiting
/// publication within five working days, and the e-mails to the applicant and the publishers.
#[allow(clippy::too_many_arguments)]
pub(super) async fn include_in(
    tx: &mut Tx<'_>,
    state: &AppState,
    user: &User,
    app: &Application,
    body: &senim_store::bodies::Body,
    owner: &User,
    staff: &[User],
    checklist: &Checklist,
    today: Date,
    act: &Act,
) -> ServiceResult<Outcome> {
    // The date of inclusion is the decision date; publication is owed within five working days,
    // counted like the review clock.
    let body_code = &app.body_code;
    let serial = apps::next_registry_serial(tx, body_code, today.year()).await?;
    let number = registry_number(body_code, today.year(), serial);
    let publication_due_on = state.calendar().due_date(today, WorkingDays::PUBLICATION)?;
    let entry = project(&app.form, &number, today, &body.as_ref())
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e}")))?;
    entries::add(tx, &entry, &app.id, publication_due_on).await?;
    apps::set_inclusion(tx, &app.id, &number, today, publication_due_on).await?;
    audit::append(
        tx,
        &user.id,
        "application.include",
        &app.id,
        &json!({"round": app.current_round, "registry_number": number, "checks": checklist, "act": act.number}),
    )
    .await?;
    let system = app.form.system.name.best(user_lang(owner)).to_owned();
    let args = [("system", system), ("number", number.clone()), ("due", publication_due_on.to_string())];
    mail(tx, &owner.email, user_lang(owner), "mail-included", &args).await?;
    for s in staff.iter().filter(|s| s.role == Role::Publisher) {
        mail(tx, &s.email, user_lang(s), "mail-to-publish", &args).await?;
    }
    Ok(Outcome::Included { registry_number: number, included_on: today, publication_due_on, act: act.number.clone() })
}

/// A reviewer takes a case: it is assigned to them, and a submitted case is then under review (the
/// clock keeps running). A case under review that is unassigned (or already theirs) may be taken too;
/// one assigned to a colleague is reassigned only by the body administrator.
pub async fn take(state: &AppState, user: &User, id: &str) -> ServiceResult<()> {
    let body_code = reviewer_body(user)?.to_owned();
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(ServiceError::NotFound);
    }
    // Reads come before the write transaction (see `applications::attach`); the status is checked
    // again under the lock.
    let seen = apps::get(&state.store, id).await?.ok_or(ServiceError::NotFound)?;
    let owner = users::by_id(&state.store, &seen.owner_user_id).await?;
    let assignee = senim_store::staff::assignee(&state.store, id).await?;
    let mut tx = state.store.begin().await?;
    let app = apps::get_for_update(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if app.body_code != body_code || app.status == Status::Draft {
        return Err(ServiceError::NotFound);
    }
    if app.status == Status::UnderReview {
        match assignee {
            Some(a) if a == user.id => return Ok(()),
            Some(_) => return Err(ServiceError::State("case.assigned")),
            None => {}
        }
    } else {
        let next = app.status.apply(Action::Take)?;
        apps::set_status(&mut tx, id, app.status, next).await?;
        if let Some(owner) = owner {
            let lang = user_lang(&owner);
            let args = [("system", app.form.system.name.best(lang).to_owned())];
            mail(&mut tx, &owner.email, lang, "mail-under-review", &args).await?;
        }
    }
    senim_store::staff::assign(&mut tx, id, Some(&user.id)).await?;
    audit::append(&mut tx, &user.id, "application.take", id, &json!({"round": app.current_round})).await?;
    tx.commit().await?;
    Ok(())
}
