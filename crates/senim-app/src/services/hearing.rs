//! The hearing before a notice of nonconformity (АППК Arts. 73, 74) and the final decision as an
//! administrative act (Art. 78 ff.): the applicant's objection or waiver, the reviewer's hearing record,
//! and the act that ends the round — a notice of nonconformity (Rules §8) or an inclusion (§7).

use jiff::Timestamp;
use senim_domain::calendar::kz_date;
use senim_domain::hearing::{self as domain, HearingRecordInput, ObjectionInput};
use senim_domain::lang::LangText;
use senim_domain::review::{ChecklistInput, Decision};
use senim_domain::role::Role;
use senim_domain::status::{Action, Status};
use senim_store::applications::{self as apps, Application};
use senim_store::hearing::{self as store, Act, ActKind, Objection, Preliminary, StoredHearing};
use senim_store::users::{self, User};
use senim_store::{Tx, audit, bodies};
use serde::Deserialize;
use serde_json::json;

use super::accounts::user_lang;
use super::applications::visible;
use super::notify::mail;
use super::procedure::{adopt, official_position};
use super::review::{Outcome, include_in, record_decision, reviewer_body};
use super::{ServiceError, ServiceResult};
use crate::AppState;
use crate::i18n::t;

/// Everything of a case's hearings, for the pages and the API.
#[derive(Debug, Clone, Default)]
pub struct HearingFile {
    pub preliminaries: Vec<Preliminary>,
    pub objections: Vec<Objection>,
    pub hearings: Vec<StoredHearing>,
    pub acts: Vec<Act>,
}

impl HearingFile {
    /// The preliminary decision of `round`, if one was issued.
    pub fn preliminary(&self, round: i64) -> Option<&Preliminary> {
        self.preliminaries.iter().find(|p| p.round == round)
    }
    pub fn act(&self, round: i64) -> Option<&Act> {
        self.acts.iter().find(|a| a.round == round)
    }
    pub fn objections_of(&self, round: i64) -> impl Iterator<Item = &Objection> {
        self.objections.iter().filter(move |o| o.round == round)
    }
    pub fn hearings_of(&self, round: i64) -> impl Iterator<Item = &StoredHearing> {
        self.hearings.iter().filter(move |h| h.round == round)
    }
}

/// The hearing file of an application the caller may see.
pub async fn file(state: &AppState, user: &User, id: &str) -> ServiceResult<HearingFile> {
    let app = visible(state, user, id).await?;
    file_of(state, &app.id).await
}

pub async fn file_of(state: &AppState, id: &str) -> ServiceResult<HearingFile> {
    Ok(HearingFile {
        preliminaries: store::preliminaries(&state.store, id).await?,
        objections: store::objections(&state.store, id).await?,
        hearings: store::hearings(&state.store, id).await?,
        acts: store::acts(&state.store, id).await?,
    })
}

/// The case in the hearing, locked for a change, with its preliminary decision.
async fn in_hearing(tx: &mut Tx<'_>, state: &AppState, id: &str) -> ServiceResult<(Application, Preliminary)> {
    let app = apps::get_for_update(tx, id).await?.ok_or(ServiceError::NotFound)?;
    if app.status != Status::Hearing {
        return Err(ServiceError::State("hearing.not_in_hearing"));
    }
    let preliminary = store::preliminaries(&state.store, id)
        .await?
        .into_iter()
        .find(|p| p.round == app.current_round)
        .ok_or(ServiceError::State("hearing.not_in_hearing"))?;
    Ok((app, preliminary))
}

/// The people to tell of a step in a case: its reviewer, or every reviewer of the body.
async fn case_reviewers(state: &AppState, app: &Application) -> ServiceResult<Vec<User>> {
    let staff = users::staff_of(&state.store, &app.body_code).await?;
    let assignee = senim_store::staff::assignee(&state.store, &app.id).await?;
    let reviewers: Vec<User> = staff.into_iter().filter(|u| u.role == Role::Reviewer).collect();
    Ok(match assignee.and_then(|a| reviewers.iter().find(|u| u.id == a).cloned()) {
        Some(one) => vec![one],
        None => reviewers,
    })
}

/// АППК Art. 73(3): the applicant objects to the preliminary decision (and may ask to be heard), or says
/// they will not object, within the objection period.
pub async fn object(
    state: &AppState,
    user: &User,
    id: &str,
    input: &ObjectionInput,
    now: Timestamp,
) -> ServiceResult<Objection> {
    let seen = visible(state, user, id).await?;
    if user.role != Role::Applicant {
        return Err(ServiceError::Forbidden);
    }
    input.validate().map_err(ServiceError::Invalid)?;
    let today = kz_date(now);
    let reviewers = case_reviewers(state, &seen).await?;
    let earlier = store::objections(&state.store, id).await?;
    let mut tx = state.store.begin().await?;
    let (app, preliminary) = in_hearing(&mut tx, state, id).await?;
    if today > preliminary.dates.objection_due_on {
        return Err(ServiceError::State("objection.period_over"));
    }
    let this_round: Vec<&Objection> = earlier.iter().filter(|o| o.round == app.current_round).collect();
    if this_round.iter().any(|o| o.waived) || (input.waive && !this_round.is_empty()) {
        return Err(ServiceError::State("objection.already_answered"));
    }
    let objection = Objection {
        id: uuid::Uuid::new_v4().to_string(),
        application_id: app.id.clone(),
        round: app.current_round,
        author_id: user.id.clone(),
        waived: input.waive,
        text: input.text.normalized(),
        hearing_requested: input.hearing_requested,
        received_on: today,
        received_at: senim_store::rfc3339(now),
    };
    store::insert_objection(&mut tx, &objection).await?;
    let action = if input.waive { "hearing.waive" } else { "hearing.object" };
    let detail = json!({"round": app.current_round, "hearing_requested": input.hearing_requested});
    audit::append(&mut tx, &user.id, action, id, &detail).await?;
    let key = match (input.waive, input.hearing_requested) {
        (true, _) => "mail-waived",
        (false, true) => "mail-objection-hearing",
        (false, false) => "mail-objection",
    };
    for r in &reviewers {
        let lang = user_lang(r);
        let args = [
            ("system", app.form.system.name.best(lang).to_owned()),
            ("reference", super::documents::reference(&app.id)),
            ("link", format!("{}/review/{}", state.config.public_url.trim_end_matches('/'), app.id)),
        ];
        mail(&mut tx, &r.email, lang, key, &args).await?;
    }
    tx.commit().await?;
    Ok(objection)
}

/// АППК Art. 74: the reviewer records a hearing of the case.
pub async fn record(
    state: &AppState,
    user: &User,
    id: &str,
    input: &HearingRecordInput,
    now: Timestamp,
) -> ServiceResult<StoredHearing> {
    let body = reviewer_body(user)?.to_owned();
    let seen = visible(state, user, id).await?;
    if seen.body_code != body {
        return Err(ServiceError::NotFound);
    }
    let owner = users::by_id(&state.store, &seen.owner_user_id).await?;
    let mut tx = state.store.begin().await?;
    let (app, preliminary) = in_hearing(&mut tx, state, id).await?;
    let record = input.parse(preliminary.dates.issued_on, kz_date(now)).map_err(ServiceError::Invalid)?;
    let hearing = StoredHearing {
        id: uuid::Uuid::new_v4().to_string(),
        application_id: app.id.clone(),
        round: app.current_round,
        reviewer_id: user.id.clone(),
        record,
        recorded_at: senim_store::rfc3339(now),
    };
    store::insert_hearing(&mut tx, &hearing).await?;
    let detail = json!({"round": app.current_round, "held_on": hearing.record.held_on.to_string(), "form": hearing.record.form.code()});
    audit::append(&mut tx, &user.id, "hearing.record", id, &detail).await?;
    if let Some(owner) = owner {
        // АППК Art. 74: the participant may read the record.
        let lang = user_lang(&owner);
        let args = [
            ("system", app.form.system.name.best(lang).to_owned()),
            ("held_on", hearing.record.held_on.to_string()),
            ("link", format!("{}/applications/{}", state.config.public_url.trim_end_matches('/'), app.id)),
        ];
        mail(&mut tx, &owner.email, lang, "mail-hearing-recorded", &args).await?;
    }
    tx.commit().await?;
    Ok(hearing)
}

/// The reviewer's final decision after the hearing, as entered.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FinalDecisionInput {
    /// `nonconforming` or `included`; must agree with the checks.
    pub outcome: String,
    /// The checks as they stand after the hearing; omitted, the preliminary decision's.
    pub checks: Option<ChecklistInput>,
    /// How the objection was considered (required when the applicant objected).
    pub objection_considered: LangText,
    /// The deciding official's position as the act names it; omitted, the one of their last act.
    pub official_position: String,
}

/// The final decision of a round in the hearing (АППК Art. 73: only once the applicant has objected or
/// waived, or the objection period has ended, and after a hearing the applicant asked for).
pub async fn decide(
    state: &AppState,
    user: &User,
    id: &str,
    input: &FinalDecisionInput,
    now: Timestamp,
) -> ServiceResult<Outcome> {
    let body_code = reviewer_body(user)?.to_owned();
    let seen = visible(state, user, id).await?;
    if seen.body_code != body_code {
        return Err(ServiceError::NotFound);
    }
    let today = kz_date(now);
    let file = file_of(state, id).await?;
    let round = seen.current_round;
    let preliminary = file.preliminary(round).ok_or(ServiceError::State("hearing.not_in_hearing"))?;
    let objections: Vec<&Objection> = file.objections_of(round).collect();
    let objected = objections.iter().any(|o| !o.waived);
    let requested = objections.iter().any(|o| o.hearing_requested);
    let heard = file.hearings_of(round).next().is_some();
    let mut errors = Vec::new();
    let checklist = match &input.checks {
        Some(c) => match c.parse() {
            Ok(c) => Some(c),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        None => Some(preliminary.checks.clone()),
    };
    let outcome_include = match input.outcome.as_str() {
        "included" => Some(true),
        "nonconforming" => Some(false),
        "" => {
            errors.push(senim_domain::application::FieldError::new("outcome", "required"));
            None
        }
        _ => {
            errors.push(senim_domain::application::FieldError::new("outcome", "decision.outcome"));
            None
        }
    };
    if let (Some(c), Some(include)) = (&checklist, outcome_include)
        && (c.decision() == Decision::Include) != include
    {
        errors.push(senim_domain::application::FieldError::new("outcome", "decision.outcome_checks"));
    }
    let considered = input.objection_considered.normalized();
    if objected && considered.iter().next().is_none() {
        errors.push(senim_domain::application::FieldError::new("objection_considered", "required"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (Some(checklist), Some(include)) = (checklist, outcome_include) else {
        return Err(ServiceError::Internal(anyhow::anyhow!("checked above")));
    };
    if let Some(code) =
        domain::final_decision_blocker(today, &preliminary.dates, !objections.is_empty(), requested, heard)
    {
        return Err(ServiceError::State(code));
    }
    let position = official_position(state, user, &input.official_position).await?;
    let body = bodies::get(&state.store, &body_code).await?.ok_or(ServiceError::NotFound)?;
    let staff = users::staff_of(&state.store, &body_code).await?;
    let owner = users::by_id(&state.store, &seen.owner_user_id).await?.ok_or(ServiceError::NotFound)?;

    let mut tx = state.store.begin().await?;
    let (app, _) = in_hearing(&mut tx, state, id).await?;
    let next = app.status.apply(if include { Action::Include } else { Action::Notice })?;
    record_decision(&mut tx, user, &app, &checklist, next, now).await?;
    let kind = if include { ActKind::Inclusion } else { ActKind::Nonconformity };
    let act = adopt(&mut tx, user, &app, kind, &position, considered, today, now).await?;
    let outcome = if include {
        include_in(&mut tx, state, user, &app, &body, &owner, &staff, &checklist, today, &act).await?
    } else {
        notify_notice(&mut tx, state, user, &app, &owner, &checklist, &act).await?
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Rules §8: the notice of nonconformity is sent (e-mail; the page, the API and the PDF show it).
async fn notify_notice(
    tx: &mut Tx<'_>,
    state: &AppState,
    user: &User,
    app: &Application,
    owner: &User,
    checklist: &senim_domain::review::Checklist,
    act: &Act,
) -> ServiceResult<Outcome> {
    let failed: Vec<_> = checklist.results.iter().filter(|r| !r.pass).cloned().collect();
    audit::append(
        tx,
        &user.id,
        "application.notice",
        &app.id,
        &json!({"round": app.current_round, "checks": checklist, "act": act.number}),
    )
    .await?;
    let lang = user_lang(owner);
    let reasons: Vec<String> =
        failed.iter().map(|f| format!("{}: {}", t(lang, f.check.citation_key()), f.comment)).collect();
    let args = [
        ("system", app.form.system.name.best(lang).to_owned()),
        ("reasons", reasons.join("\n")),
        ("act", act.number.clone()),
        ("link", format!("{}/applications/{}", state.config.public_url.trim_end_matches('/'), app.id)),
    ];
    mail(tx, &owner.email, lang, "mail-notice", &args).await?;
    Ok(Outcome::Nonconforming { failed, round: app.current_round, act: act.number.clone() })
}
