//! The hearing before a refusal (АППК Arts. 73, 74) and the final decision as an act (Art. 78 ff.):
//! `shared/design/api.md`, "The hearing before a refusal".

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::hearing::{HearingRecordInput, ObjectionInput};
use senim_domain::lang::{Lang, LangText};
use senim_store::applications::Application;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::ApiPath as Path;
use super::{ApiJson, ApiLang, ApiUser};
use crate::AppState;
use crate::error::ApiError;
use crate::i18n;
use crate::services::acts::{self, ActView};
use crate::services::hearing::{self, FinalDecisionInput, HearingFile};
use crate::services::review::Outcome;

#[derive(Serialize, ToSchema)]
pub struct PreliminaryView {
    pub round: i64,
    pub issued_on: String,
    pub objection_due_on: String,
    pub decision_due_on: String,
    pub last_day_to_issue: String,
    /// Issued after the last day: the objection period may run past the decision's deadline.
    pub late: bool,
    pub failed_checks: Vec<String>,
    pub legal_basis: Vec<acts::LegalBasis>,
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionView {
    pub id: String,
    pub round: i64,
    pub waived: bool,
    #[schema(value_type = Object)]
    pub text: LangText,
    pub hearing_requested: bool,
    pub received_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct HearingRecordView {
    pub id: String,
    pub round: i64,
    pub held_on: String,
    pub form: String,
    pub place: String,
    pub participants: String,
    #[schema(value_type = Object)]
    pub summary: LangText,
}

/// The hearing part of an application as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct HearingPart {
    /// The current round's preliminary decision, if one was issued.
    pub preliminary_decision: Option<PreliminaryView>,
    pub objections: Vec<ObjectionView>,
    pub hearing_records: Vec<HearingRecordView>,
    /// The latest notice of nonconformity as an act.
    pub notice: Option<ActView>,
    /// Every act of the application (inclusions and notices), oldest first.
    pub acts: Vec<ActView>,
}

/// The hearing part of `app` in `lang`.
pub async fn part(state: &AppState, app: &Application, lang: Lang) -> Result<HearingPart, ApiError> {
    let file: HearingFile = hearing::file_of(state, &app.id).await?;
    let reviews = senim_store::applications::reviews(&state.store, &app.id).await.map_err(internal)?;
    let body = senim_store::bodies::get(&state.store, &app.body_code).await.map_err(internal)?;
    let body_name = body.as_ref().map(|b| b.name.best(lang).to_owned()).unwrap_or_default();
    let role = i18n::t(lang, "role-label-reviewer");
    let acts: Vec<ActView> = file
        .acts
        .iter()
        .filter_map(|a| {
            let review = reviews.iter().find(|r| r.round == a.round)?;
            Some(acts::view(a, &review.checks, &body_name, &role, lang))
        })
        .collect();
    let preliminary_decision = file.preliminary(app.current_round).map(|p| {
        let failed: Vec<_> = p.checks.results.iter().filter(|c| !c.pass).cloned().collect();
        PreliminaryView {
            round: p.round,
            issued_on: p.dates.issued_on.to_string(),
            objection_due_on: p.dates.objection_due_on.to_string(),
            decision_due_on: p.dates.decision_due_on.to_string(),
            last_day_to_issue: p.last_day_to_issue.to_string(),
            late: p.dates.late,
            failed_checks: failed.iter().map(|c| c.check.code().to_owned()).collect(),
            legal_basis: acts::legal_basis(&failed, lang),
        }
    });
    Ok(HearingPart {
        preliminary_decision,
        objections: file
            .objections
            .iter()
            .map(|o| ObjectionView {
                id: o.id.clone(),
                round: o.round,
                waived: o.waived,
                text: o.text.clone(),
                hearing_requested: o.hearing_requested,
                received_on: o.received_on.to_string(),
            })
            .collect(),
        hearing_records: file
            .hearings
            .iter()
            .map(|h| HearingRecordView {
                id: h.id.clone(),
                round: h.round,
                held_on: h.record.held_on.to_string(),
                form: h.record.form.code().to_owned(),
                place: h.record.place.clone(),
                participants: h.record.participants.clone(),
                summary: h.record.summary.clone(),
            })
            .collect(),
        notice: acts.iter().rev().find(|a| a.kind == "nonconformity").cloned(),
        acts,
    })
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "internal error");
    ApiError::internal()
}

/// The JSON of a decision's outcome (`POST …/review`, `POST …/decision`).
pub async fn outcome_json(state: &AppState, id: &str, outcome: Outcome, lang: Lang) -> Result<Value, ApiError> {
    Ok(match outcome {
        Outcome::Included { registry_number, included_on, publication_due_on, act } => json!({
            "status": "included",
            "registry_number": registry_number,
            "included_on": included_on.to_string(),
            "publication_due_on": publication_due_on.to_string(),
            "act_number": act,
        }),
        Outcome::Hearing { failed, round, dates } => json!({
            "status": "hearing",
            "preliminary_decision": {
                "round": round,
                "issued_on": dates.issued_on.to_string(),
                "objection_due_on": dates.objection_due_on.to_string(),
                "decision_due_on": dates.decision_due_on.to_string(),
                "late": dates.late,
                "failed_checks": failed.iter().map(|c| c.check.code()).collect::<Vec<_>>(),
                "legal_basis": acts::legal_basis(&failed, lang),
            },
        }),
        Outcome::Nonconforming { failed, round, act } => {
            let app = senim_store::applications::get(&state.store, id)
                .await
                .map_err(internal)?
                .ok_or_else(ApiError::not_found)?;
            let notice = part(state, &app, lang).await?.acts.into_iter().find(|a| a.act_number == act);
            json!({"status": "nonconforming", "notice": notice.map_or_else(
                || json!({"round": round, "failed": failed}),
                |n| {
                    let mut v = serde_json::to_value(n).unwrap_or_default();
                    v["failed"] = serde_json::to_value(&failed).unwrap_or_default();
                    v
                },
            )})
        }
    })
}

/// АППК Art. 73(3): the applicant objects to the preliminary decision (optionally asking to be heard),
/// or waives (`{"waive": true}`), while the case is in the hearing and not after `objection_due_on`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/objection", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "`{\"text\": {\"kk\": \"…\"}, \"hearing_requested\": bool}` or `{\"waive\": true}`"),
    responses((status = 201, body = Object), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn objection(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ObjectionInput>,
) -> Result<Response, ApiError> {
    let o = hearing::object(&state, &user, &id, &input, Timestamp::now())
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    let body = json!({"id": o.id, "received_on": o.received_on.to_string(), "waived": o.waived, "hearing_requested": o.hearing_requested});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// АППК Art. 74: the reviewer records a hearing.
#[utoipa::path(post, path = "/api/v1/applications/{id}/hearing-record", tag = "reviewer", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "`{\"held_on\": \"YYYY-MM-DD\", \"form\": \"in_person\"|\"video\"|\"written\", \"place\", \"participants\", \"summary\": {\"kk\": \"…\"}}`"),
    responses((status = 201, body = Object), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn hearing_record(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<HearingRecordInput>,
) -> Result<Response, ApiError> {
    let h = hearing::record(&state, &user, &id, &input, Timestamp::now())
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    let body = json!({"id": h.id, "held_on": h.record.held_on.to_string(), "form": h.record.form.code()});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The final decision after the hearing: `nonconforming` (the notice, an act) or `included`. Refused
/// (409) while the objection period runs and the applicant has not answered, or before the record of a
/// hearing the applicant asked for.
#[utoipa::path(post, path = "/api/v1/applications/{id}/decision", tag = "reviewer", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = Object, description = "`{\"outcome\": \"nonconforming\"|\"included\", \"checks\": {…}, \"objection_considered\": {\"kk\": \"…\"}, \"official_position\": \"…\"}`"),
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn decision(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FinalDecisionInput>,
) -> Result<Response, ApiError> {
    let outcome = hearing::decide(&state, &user, &id, &input, Timestamp::now())
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(outcome_json(&state, &id, outcome, lang).await?).into_response())
}
