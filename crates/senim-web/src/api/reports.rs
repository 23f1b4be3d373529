//! "Report an error" through the API: anyone reports an error in a published entry; the body's staff
//! list their reports and move them on (issues 5 and 7).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_store::reports::Report;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiLang, ApiUser};
use super::{ApiPath as Path, ApiQuery as Query};
use crate::AppState;
use crate::error::ApiError;
use crate::services::accounts::link;
use crate::services::reports::{self as svc, ReportInput, ReportStatus};

/// What the reporter gets back: the report's id and reference, its status, and the address where the
/// status can be followed without an account (keep it: it is shown only once).
#[derive(Serialize, ToSchema)]
pub struct ReportReceipt {
    pub id: String,
    pub reference: String,
    /// `new`
    pub status: String,
    pub status_url: String,
}

/// Reports an error in a published entry. No account needed; limited per client address. An e-mail
/// address, if given, is used only to reply and is never published.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/entries/{registry_number}/reports", tag = "public",
    params(("code" = String, Path), ("registry_number" = String, Path)), request_body = ReportInput,
    responses((status = 201, body = ReportReceipt), (status = 400), (status = 404), (status = 422), (status = 429)))]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    Path((code, number)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Response, ApiError> {
    let created = svc::create(&state, &code, &number, &input, lang).await.map_err(|e| ApiError::from(e).lang(lang))?;
    let receipt = ReportReceipt {
        id: created.report.id,
        reference: created.report.reference,
        status: created.report.status,
        status_url: link(&state, &svc::status_path(&created.token)),
    };
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// A report as the body's staff see it (with the reporter's e-mail, for the reply).
#[derive(Serialize, ToSchema)]
pub struct StaffReport {
    pub id: String,
    pub reference: String,
    pub body: String,
    pub registry_number: String,
    pub field: String,
    pub description: String,
    pub reporter_email: Option<String>,
    /// `new`, `in_progress`, `resolved` or `rejected`.
    pub status: String,
    pub staff_comment: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Report> for StaffReport {
    fn from(r: Report) -> Self {
        StaffReport {
            id: r.id,
            reference: r.reference,
            body: r.body_code,
            registry_number: r.registry_number,
            field: r.field,
            description: r.description,
            reporter_email: r.reporter_email,
            status: r.status,
            staff_comment: r.staff_comment,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ReportsQuery {
    /// Only reports with this status.
    #[serde(default)]
    pub status: Option<String>,
}

/// The body's error reports, newest first: for its reviewers, publishers and body administrators, and
/// (read-only) observers and the administrator.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/reports", tag = "reports", security(("bearer" = [])),
    params(("code" = String, Path), ReportsQuery),
    responses((status = 200, body = [StaffReport]), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
    Query(q): Query<ReportsQuery>,
) -> Result<Json<Vec<StaffReport>>, ApiError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ReportStatus::parse(s).ok_or_else(|| {
            ApiError::validation(vec![senim_domain::application::FieldError::new("status", "report.status")]).lang(lang)
        })?),
    };
    let reports = svc::list(&state, &user, Some(&code), status).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(reports.into_iter().map(StaffReport::from).collect()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct StatusRequest {
    /// `in_progress`, `resolved` or `rejected`.
    pub status: String,
    /// What the reporter reads; required to resolve or reject.
    pub comment: String,
}

/// Moves a report on (new → in_progress → resolved / rejected) with a comment for the reporter: the
/// body's reviewers, publishers and body administrators only.
#[utoipa::path(post, path = "/api/v1/reports/{id}/status", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = StaffReport), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn set_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<StatusRequest>,
) -> Result<Json<StaffReport>, ApiError> {
    let r = svc::set_status(&state, &user, &id, &req.status, &req.comment)
        .await
        .map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(r.into()))
}
