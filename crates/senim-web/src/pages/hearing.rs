//! The hearing's forms on the case pages (АППК Arts. 73, 74): the applicant's objection or waiver, the
//! reviewer's hearing record and final decision. What the pages show is in `hearing_panel.rs`.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::fields::Values;
use senim_domain::hearing::{HearingRecordInput, ObjectionInput};
use senim_domain::lang::{Lang, LangText};
use senim_domain::review::{CheckOutcome, ChecklistInput};
use senim_domain::role::Role;

use super::{Ctx, require_user, see_other, service_error};
use crate::AppState;
use crate::services::hearing::{self, FinalDecisionInput};
use crate::services::{ServiceError, applications as app_svc};

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
    let posted = super::hearing_panel::Posted { form, values, errors };
    if user.role == Role::Applicant {
        match app_svc::visible(state, user, id).await {
            Ok(app) => super::applicant::page_with_hearing(p, state, app, posted).await,
            Err(e) => service_error(&p, e),
        }
    } else {
        super::staff::examine_with_hearing(p, state, user, id, posted).await
    }
}
