//! The body's calls: the review queue and decisions (Rules §6–§8), pending entries and editions (§7).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::calendar::kz_date;
use senim_domain::review::ChecklistInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiLang, ApiUser};
use super::{ApiPath as Path, ApiQuery as Query};
use crate::AppState;
use crate::error::ApiError;
use crate::services::{publication, review};

#[derive(Serialize, ToSchema)]
pub struct QueueEntry {
    pub id: String,
    /// The application's reference as applicants and staff quote it (`SNM-…`).
    pub reference: String,
    pub body: String,
    pub status: String,
    pub round: i64,
    #[schema(value_type = Object)]
    pub system_name: senim_domain::lang::LangText,
    pub applicant: String,
    pub received_on: String,
    pub due_on: String,
    /// Working days from today to the due date; negative when overdue.
    pub working_days_left: Option<i32>,
    /// АППК Art. 73(1): the last day to issue a preliminary decision so that the hearing ends before
    /// the due date.
    pub preliminary_due_on: Option<String>,
    /// The reviewer the case is assigned to (user id and name), if any.
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
}

/// Applications awaiting a decision, oldest due first: the caller's body's for its reviewers and body
/// administrator, every body's for an observer. Filters: `status` (`submitted`, `under_review`, `hearing`),
/// `round` (`first`, `resubmission`), `mine=yes` (assigned to the caller), `body` (observers).
#[utoipa::path(get, path = "/api/v1/review/queue", tag = "reviewer", security(("bearer" = [])),
    params(("status" = Option<String>, Query), ("round" = Option<String>, Query), ("mine" = Option<String>, Query),
        ("body" = Option<String>, Query)),
    responses((status = 200, body = [QueueEntry]), (status = 401), (status = 403)))]
pub async fn queue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Query(q): Query<crate::pages::staff::QueueQuery>,
) -> Result<Json<Vec<QueueEntry>>, ApiError> {
    let items = review::staff_queue(&state, &user, q.filter(&user)).await.map_err(|e| ApiError::from(e).lang(lang))?;
    let today = kz_date(Timestamp::now());
    let calendar = state.calendar();
    let periods = crate::services::procedure::periods(&state).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(
        items
            .into_iter()
            .map(|s| QueueEntry {
                id: s.item.application.id.clone(),
                reference: crate::services::documents::reference(&s.item.application.id),
                body: s.item.application.body_code.clone(),
                status: s.item.application.status.code().to_owned(),
                round: s.item.round,
                system_name: s.item.application.form.system.name.clone(),
                applicant: s.item.application.form.applicant.name.clone(),
                received_on: s.item.received_on.to_string(),
                due_on: s.item.due_on.to_string(),
                working_days_left: calendar.working_days_left(today, s.item.due_on).ok(),
                preliminary_due_on: periods.last_day_to_issue(&calendar, s.item.due_on).ok().map(|d| d.to_string()),
                assignee: s.assignee_id,
                assignee_name: s.assignee_name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    /// A reviewer of the body (user id), or null to unassign.
    pub assignee: Option<String>,
}

/// The body administrator assigns a case awaiting a decision to a reviewer of the body.
#[utoipa::path(post, path = "/api/v1/applications/{id}/assign", tag = "body administrator", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AssignRequest,
    responses((status = 204), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn assign(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AssignRequest>,
) -> Result<StatusCode, ApiError> {
    review::assign(&state, &user, &id, req.assignee.as_deref()).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewRequest {
    #[schema(value_type = Object)]
    pub checks: ChecklistInput,
    /// The deciding official's position, as an act of inclusion names it (default: their last act's).
    #[serde(default)]
    pub official_position: String,
}

/// Records the §6 checklist: all pass → included (an act); any fail → the preliminary decision and the
/// hearing (status `hearing`, АППК Art. 73), never a notice at once.
#[utoipa::path(post, path = "/api/v1/applications/{id}/review", tag = "reviewer", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReviewRequest,
    responses((status = 200, body = Object), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn review(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> Result<Response, ApiError> {
    let outcome = review::decide_as(&state, &user, &id, &req.checks, &req.official_position, Timestamp::now())
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(super::hearing::outcome_json(&state, &id, outcome, lang).await?).into_response())
}

/// Publishes the next edition with every pending change → the signed manifest.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/editions", tag = "publisher", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 201, body = Object), (status = 401), (status = 403), (status = 409)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let e =
        publication::publish(&state, &user, &code, Timestamp::now()).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok((StatusCode::CREATED, [("content-type", "application/json")], e.signed_manifest).into_response())
}

/// Takes a submitted case (status `under_review`); deciding does this implicitly.
#[utoipa::path(post, path = "/api/v1/applications/{id}/take", tag = "reviewer", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn take(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    review::take(&state, &user, &id).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ExcludeRequest {
    /// Why the entry leaves the List, in kk and/or ru.
    #[schema(value_type = Object)]
    pub reason: senim_domain::lang::LangText,
}

/// Marks a published entry for exclusion in the next edition.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/entries/{registry_number}/exclude", tag = "publisher",
    security(("bearer" = [])), params(("code" = String, Path), ("registry_number" = String, Path)),
    request_body = ExcludeRequest,
    responses((status = 204), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn exclude(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((code, number)): Path<(String, String)>,
    ApiJson(req): ApiJson<ExcludeRequest>,
) -> Result<StatusCode, ApiError> {
    publication::exclude(&state, &user, &code, &number, &req.reason).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(StatusCode::NO_CONTENT)
}
