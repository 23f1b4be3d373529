//! The hearing on the case pages (АППК Arts. 73, 74): the preliminary decision and its dates, the
//! applicant's objection or waiver, the reviewer's hearing record and final decision, and every act
//! that ended a round (Art. 78 ff.) with how to complain.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::calendar::kz_date;
use senim_domain::fields::Values;
use senim_domain::hearing::{HearingForm, HearingRecordInput, ObjectionInput, final_decision_blocker};
use senim_domain::lang::{Lang, LangText};
use senim_domain::review::{CheckOutcome, ChecklistInput};
use senim_domain::role::Role;
use senim_domain::status::Status;
use senim_store::applications::Application;
use senim_store::hearing::{Objection, Preliminary, StoredHearing};

use super::{Ctx, require_user, see_other, service_error};
use crate::AppState;
use crate::services::acts::{self, ActView};
use crate::services::hearing::{self, FinalDecisionInput};
use crate::services::{ServiceError, applications as app_svc};

/// Which hearing form a refused post came from, with what was typed and what was wrong.
#[derive(Debug, Clone, Default)]
pub struct Posted {
    pub form: &'static str,
    pub values: Values,
    pub errors: Vec<FieldError>,
}

/// What the case pages show of the hearing.
pub struct Panel {
    pub round: i64,
    pub preliminary: Option<Preliminary>,
    pub legal_basis: Vec<acts::LegalBasis>,
    pub objections: Vec<Objection>,
    pub hearings: Vec<StoredHearing>,
    pub acts: Vec<ActView>,
    /// The case is in the hearing now.
    pub open: bool,
    /// The applicant may still answer (the objection period runs, no waiver yet).
    pub may_object: bool,
    /// Why the final decision must wait, in words (empty when it may be taken).
    pub blocker: String,
    pub posted: Posted,
    /// The reviewer's position as their last act named it.
    pub position: String,
    pub today: String,
}

impl Panel {
    pub fn err(&self, form: &str, field: &str) -> Option<&FieldError> {
        (self.posted.form == form).then(|| self.posted.errors.iter().find(|e| e.field == field)).flatten()
    }
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.posted.form == form { self.posted.values.get(key).cloned().unwrap_or_default() } else { String::new() }
    }
    pub fn forms(&self) -> Vec<&'static str> {
        HearingForm::ALL.iter().map(|f| f.code()).collect()
    }
    pub fn answered(&self) -> bool {
        !self.objections.is_empty()
    }
}

/// The hearing panel of `app` for the signed-in user.
pub async fn panel(p: &Ctx, state: &AppState, app: &Application, posted: Posted) -> Panel {
    let file = hearing::file_of(state, &app.id).await.unwrap_or_default();
    let reviews = senim_store::applications::reviews(&state.store, &app.id).await.unwrap_or_default();
    let body = senim_store::bodies::get(&state.store, &app.body_code).await.ok().flatten();
    let body_name = body.as_ref().map(|b| p.text(&b.name)).unwrap_or_default();
    let role = p.t("role-label-reviewer");
    let acts = file
        .acts
        .iter()
        .filter_map(|a| {
            let r = reviews.iter().find(|r| r.round == a.round)?;
            Some(acts::view(a, &r.checks, &body_name, &role, p.lang))
        })
        .collect();
    let round = app.current_round;
    let open = app.status == Status::Hearing;
    let today = kz_date(Timestamp::now());
    let preliminary = file.preliminary(round).cloned().filter(|_| open || app.status == Status::Nonconforming);
    let objections: Vec<Objection> = file.objections_of(round).cloned().collect();
    let hearings: Vec<StoredHearing> = file.hearings_of(round).cloned().collect();
    let requested = objections.iter().any(|o| o.hearing_requested);
    let (may_object, blocker) = match preliminary.as_ref().filter(|_| open) {
        Some(pre) => {
            let waived = objections.iter().any(|o| o.waived);
            let blocker =
                final_decision_blocker(today, &pre.dates, !objections.is_empty(), requested, !hearings.is_empty());
            let words = match blocker {
                Some("hearing.objection_period") => {
                    p.ta("decision-wait", "date", &pre.dates.objection_due_on.to_string())
                }
                Some(code) => p.error_text(&FieldError::new("", code)),
                None => String::new(),
            };
            (today <= pre.dates.objection_due_on && !waived, words)
        }
        None => (false, String::new()),
    };
    let legal_basis =
        preliminary.as_ref().map(|pre| acts::legal_basis(&pre.checks.results, p.lang)).unwrap_or_default();
    let position = match &p.user {
        Some(u) if u.role == Role::Reviewer => {
            senim_store::hearing::position(&state.store, &u.id).await.unwrap_or_default()
        }
        _ => String::new(),
    };
    Panel {
        round,
        preliminary,
        legal_basis,
        objections,
        hearings,
        acts,
        open,
        may_object,
        blocker,
        posted,
        position,
        today: today.to_string(),
    }
}

fn text_of(values: &Values, prefix: &str) -> LangText {
    let mut t = LangText::new();
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        if let Some(v) = values.get(&format!("{prefix}_{}", lang.code())).filter(|v| !v.trim().is_empty()) {
            t.set(lang, v.clone());
        }
    }
    t
}

/// The applicant's objection or waiver from the application page.
pub async fn object(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let input = ObjectionInput {
        text: text_of(&values, "text"),
        hearing_requested: values.get("hearing_requested").is_some_and(|v| v == "yes"),
        waive: values.get("action").is_some_and(|v| v == "waive"),
    };
    match hearing::object(&state, &user, &id, &input, Timestamp::now()).await {
        Ok(_) => see_other(&format!("/applications/{id}#hearing")),
        Err(ServiceError::Invalid(errors)) => refused(p, &state, &user, &id, "objection", values, errors).await,
        Err(ServiceError::State(code)) => {
            refused(p, &state, &user, &id, "objection", values, vec![FieldError::new("text", code)]).await
        }
        Err(e) => service_error(&p, e),
    }
}

/// The reviewer's hearing record from the examination page.
pub async fn record(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    let user = match super::staff::staff(&p, &state, &[Role::Reviewer]).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let input = HearingRecordInput {
        held_on: get("held_on"),
        form: get("form"),
        place: get("place"),
        participants: get("participants"),
        summary: text_of(&values, "summary"),
    };
    match hearing::record(&state, &user, &id, &input, Timestamp::now()).await {
        Ok(_) => see_other(&format!("/review/{id}#hearing")),
        Err(ServiceError::Invalid(errors)) => refused(p, &state, &user, &id, "record", values, errors).await,
        Err(ServiceError::State(code)) => {
            refused(p, &state, &user, &id, "record", values, vec![FieldError::new("summary", code)]).await
        }
        Err(e) => service_error(&p, e),
    }
}

/// The reviewer's final decision from the examination page: a notice on the preliminary decision's
/// grounds, or an inclusion when the hearing removed them.
pub async fn decide(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Response {
    let user = match super::staff::staff(&p, &state, &[Role::Reviewer]).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let outcome = values.get("outcome").cloned().unwrap_or_default();
    // An inclusion after the hearing: the objection removed the grounds, every check now passes.
    let checks = (outcome == "included").then(|| {
        let pass = CheckOutcome { pass: Some(true), comment: String::new() };
        ChecklistInput { completeness: pass.clone(), copyright: pass.clone(), audit: pass }
    });
    let input = FinalDecisionInput {
        outcome,
        checks,
        objection_considered: text_of(&values, "objection_considered"),
        official_position: values.get("official_position").cloned().unwrap_or_default(),
    };
    match hearing::decide(&state, &user, &id, &input, Timestamp::now()).await {
        Ok(_) => see_other(&format!("/review/{id}")),
        Err(ServiceError::Invalid(errors)) => refused(p, &state, &user, &id, "decision", values, errors).await,
        Err(ServiceError::State(code)) => {
            refused(p, &state, &user, &id, "decision", values, vec![FieldError::new("outcome", code)]).await
        }
        Err(e) => service_error(&p, e),
    }
}

/// The case page again, with the refused form's values and errors.
async fn refused(
    p: Ctx,
    state: &AppState,
    user: &senim_store::users::User,
    id: &str,
    form: &'static str,
    values: Values,
    errors: Vec<FieldError>,
) -> Response {
    let posted = Posted { form, values, errors };
    if user.role == Role::Applicant {
        match app_svc::visible(state, user, id).await {
            Ok(app) => super::applicant::page_with_hearing(p, state, app, posted).await,
            Err(e) => service_error(&p, e),
        }
    } else {
        super::staff::examine_with_hearing(p, state, user, id, posted).await
    }
}
