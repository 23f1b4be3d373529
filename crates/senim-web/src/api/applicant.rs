//! The applicant's calls: drafts, documents, submission, withdrawal (Rules §4, §5, §8).

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::{ApplicationForm, AttachmentKind, FieldError};
use senim_store::applications::{self as apps, Application, Attachment};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiPath as Path;
use super::{ApiJson, ApiLang, ApiUser};
use crate::AppState;
use crate::error::ApiError;
use crate::services::applications as svc;

#[derive(Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub kind: String,
    pub filename: String,
    pub bytes: i64,
    pub sha256: String,
}

impl From<&Attachment> for AttachmentView {
    fn from(a: &Attachment) -> Self {
        AttachmentView {
            id: a.id.clone(),
            kind: a.kind.clone(),
            filename: a.filename.clone(),
            bytes: a.size,
            sha256: a.sha256.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoundView {
    pub round: i64,
    pub received_on: String,
    pub due_on: String,
    pub submitted_at: String,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    pub round: i64,
    pub decided_at: String,
    /// Failed §6 checks with the reviewer's comments.
    #[schema(value_type = Vec<Object>)]
    pub failed: Vec<senim_domain::review::CheckResult>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub status: String,
    pub body: String,
    pub round: i64,
    pub created_at: String,
    pub updated_at: String,
    #[schema(value_type = Object)]
    pub form: ApplicationForm,
    pub attachments: Vec<AttachmentView>,
    pub rounds: Vec<RoundView>,
    pub notices: Vec<NoticeView>,
    pub due_on: Option<String>,
    pub registry_number: Option<String>,
    pub included_on: Option<String>,
    pub publication_due_on: Option<String>,
    /// The hearing (АППК Arts. 73, 74) and the acts that ended rounds (Art. 78 ff.).
    #[serde(flatten)]
    pub hearing: super::hearing::HearingPart,
}

pub async fn view(
    state: &AppState,
    app: Application,
    lang: senim_domain::lang::Lang,
) -> Result<ApplicationView, ApiError> {
    let hearing = super::hearing::part(state, &app, lang).await?;
    let attachments = apps::attachments(&state.store, &app.id).await.map_err(internal)?;
    let rounds = apps::rounds(&state.store, &app.id).await.map_err(internal)?;
    let reviews = apps::reviews(&state.store, &app.id).await.map_err(internal)?;
    let due_on = rounds.last().filter(|_| app.status.awaits_decision()).map(|r| r.due_on.to_string());
    Ok(ApplicationView {
        status: app.status.code().to_owned(),
        body: app.body_code.clone(),
        round: app.current_round,
        created_at: app.created_at.clone(),
        updated_at: app.updated_at.clone(),
        attachments: attachments.iter().map(AttachmentView::from).collect(),
        rounds: rounds
            .iter()
            .map(|r| RoundView {
                round: r.number,
                received_on: r.received_on.to_string(),
                due_on: r.due_on.to_string(),
                submitted_at: r.submitted_at.clone(),
                attachments: r.attachments.iter().map(AttachmentView::from).collect(),
            })
            .collect(),
        notices: reviews
            .iter()
            .filter(|r| r.decision == senim_domain::status::Status::Nonconforming)
            .map(|r| NoticeView {
                round: r.round,
                decided_at: r.decided_at.clone(),
                failed: r.checks.results.iter().filter(|c| !c.pass).cloned().collect(),
            })
            .collect(),
        due_on,
        registry_number: app.registry_number.clone(),
        included_on: app.included_on.map(|d| d.to_string()),
        publication_due_on: app.publication_due_on.map(|d| d.to_string()),
        hearing,
        form: app.form,
        id: app.id,
    })
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "internal error");
    ApiError::internal()
}

/// The caller's own applications.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applicant", security(("bearer" = [])),
    responses((status = 200, body = [ApplicationView]), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
) -> Result<Json<Vec<ApplicationView>>, ApiError> {
    let mut out = Vec::new();
    for app in apps::for_applicant(&state.store, &user.id, user.org_id.as_deref()).await.map_err(internal)? {
        out.push(view(&state, app, lang).await?);
    }
    Ok(Json(out))
}

/// Creates a draft from a (possibly partial) Annex 1 form.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applicant", security(("bearer" = [])),
    request_body(content = Object, description = "Annex 1 form (api.md)"),
    responses((status = 201, body = ApplicationView), (status = 400), (status = 401), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    ApiJson(form): ApiJson<ApplicationForm>,
) -> Result<Response, ApiError> {
    let app = svc::create(&state, &user, form).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok((StatusCode::CREATED, Json(view(&state, app, lang).await?)).into_response())
}

/// One of the caller's applications with its rounds, documents and notices.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 401), (status = 404)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
) -> Result<Json<ApplicationView>, ApiError> {
    let app = svc::visible(&state, &user, &id).await?;
    Ok(Json(view(&state, app, lang).await?))
}

/// Replaces the form data (draft or nonconforming only).
#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Object, description = "Annex 1 form"),
    responses((status = 200, body = ApplicationView), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn replace(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    ApiJson(form): ApiJson<ApplicationForm>,
) -> Result<Json<ApplicationView>, ApiError> {
    let errors = svc::save(&state, &user, &id, form).await.map_err(|e| ApiError::from(e).lang(lang))?;
    if !errors.is_empty() {
        // Saved, but the caller should know what is still wrong.
        return Err(ApiError::validation(errors).lang(lang).detail("saved; fix the listed fields"));
    }
    let app = svc::visible(&state, &user, &id).await?;
    Ok(Json(view(&state, app, lang).await?))
}

/// Uploads a document: multipart `kind` and `file` (a PDF, checked by content: it must start as a PDF,
/// parse within the reading limits, not be encrypted, have at most the page limit and carry no
/// JavaScript, launch action or embedded file; scanned for malware when the server has a scanner). A
/// refused file is a 422 with a field error on `file` (`upload.*` codes, e.g. `upload.too_complex`,
/// `upload.active_content`); 503 with `Retry-After` when the scanner cannot be reached
/// (`upload.scan_unavailable`) or no PDF reader could run (`upload.unavailable`).
#[utoipa::path(post, path = "/api/v1/applications/{id}/attachments", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content_type = "multipart/form-data", content = Object),
    responses((status = 201, body = AttachmentView), (status = 400), (status = 401), (status = 404), (status = 409), (status = 422), (status = 503)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let mut kind = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| ApiError::bad_request(e.body_text()).lang(lang))? {
        match field.name() {
            Some("kind") => kind = Some(field.text().await.map_err(|e| ApiError::bad_request(e.body_text()))?),
            Some("file") => {
                let name = field.file_name().unwrap_or("document.pdf").to_owned();
                let bytes = field.bytes().await.map_err(|e| ApiError::bad_request(e.body_text()).lang(lang))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let mut errors = Vec::new();
    let kind = match kind.as_deref().map(AttachmentKind::parse) {
        Some(Some(k)) => Some(k),
        Some(None) => {
            errors.push(FieldError::new("kind", "attachment.kind"));
            None
        }
        None => {
            errors.push(FieldError::new("kind", "required"));
            None
        }
    };
    if file.is_none() {
        errors.push(FieldError::new("file", "required"));
    }
    let (Some(kind), Some((name, bytes)), true) = (kind, file, errors.is_empty()) else {
        return Err(ApiError::validation(errors).lang(lang));
    };
    let a = match svc::attach(&state, &user, &id, kind, &name, &bytes).await {
        Ok(a) => a,
        // The malware scanner or the PDF reader is down or busy: not the caller's fault, so 503 with
        // Retry-After (the field error still says which field and why).
        Err(crate::services::ServiceError::Invalid(errors))
            if errors.iter().any(|e| crate::services::uploads::codes::is_temporary(e.code)) =>
        {
            let problem = ApiError { errors, ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable") };
            let mut res = problem.lang(lang).into_response();
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("60"));
            return Ok(res);
        }
        Err(e) => return Err(ApiError::from(e).lang(lang)),
    };
    Ok((StatusCode::CREATED, Json(AttachmentView::from(&a))).into_response())
}

/// Removes a document (draft or nonconforming only).
#[utoipa::path(delete, path = "/api/v1/applications/{id}/attachments/{attachment_id}", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn remove_attachment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((id, attachment_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    svc::detach(&state, &user, &id, &attachment_id).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SubmitReceipt {
    pub status: String,
    pub round: i64,
    /// Calendar date of receipt (Kazakhstan time).
    pub received_on: String,
    /// End of the examination period: 10 working days (Rules §6), 5 for a resubmission (§8).
    pub due_on: String,
}

/// Submits, or resubmits after a notice; 422 lists everything missing (attachments as `attachments.{kind}`).
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = SubmitReceipt), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
) -> Result<Json<SubmitReceipt>, ApiError> {
    let round = svc::submit(&state, &user, &id, Timestamp::now()).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(SubmitReceipt {
        status: "submitted".into(),
        round: round.number,
        received_on: round.received_on.to_string(),
        due_on: round.due_on.to_string(),
    }))
}

/// Withdraws the application before a decision.
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applicant", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = ApplicationView), (status = 401), (status = 403), (status = 404), (status = 409)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
) -> Result<Json<ApplicationView>, ApiError> {
    let app = svc::withdraw(&state, &user, &id).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(view(&state, app, lang).await?))
}
