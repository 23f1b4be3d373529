//! The applicant's pages: own applications, the Annex 1 form, documents, submission, withdrawal.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::{AttachmentKind, FieldError};
use senim_domain::role::Role;
use senim_store::applications::{self as apps, Application, Attachment, Round};
use senim_store::{blobs, bodies};

use super::form::{BodyOption, applicant, body_options};
use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::ServiceError;
use crate::services::applications::{self as svc, MAX_UPLOAD_BYTES};
use senim_domain::fields::{Values, flatten};

#[derive(Template)]
#[template(path = "applications.html")]
pub struct ListPage {
    pub p: Ctx,
    pub apps: Vec<Application>,
    pub bodies: Vec<BodyOption>,
    pub body_error: bool,
}

impl ListPage {
    pub fn reference(&self, id: &str) -> String {
        crate::services::documents::reference(id)
    }
    pub fn local(&self, rfc3339: &str) -> String {
        super::case::local_time(rfc3339)
    }
    pub fn body_name(&self, code: &str) -> String {
        self.bodies.iter().find(|b| b.code == code).map_or_else(|| code.to_owned(), |b| b.name.clone())
    }
}

pub async fn list(p: Ctx, State(state): State<AppState>) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let apps = apps::for_applicant(&state.store, &user.id, user.org_id.as_deref()).await.unwrap_or_default();
    let bodies = body_options(&state, &p).await;
    render(&ListPage { p, apps, bodies, body_error: false })
}

#[derive(serde::Deserialize)]
pub struct NewForm {
    #[serde(default)]
    body: String,
}

pub async fn create(p: Ctx, State(state): State<AppState>, Form(f): Form<NewForm>) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let form = senim_domain::application::ApplicationForm { body: f.body, ..Default::default() };
    match svc::create(&state, &user, form).await {
        Ok(app) => see_other(&format!("/applications/{}/edit", app.id)),
        Err(ServiceError::Invalid(_)) => {
            let apps = apps::for_applicant(&state.store, &user.id, user.org_id.as_deref()).await.unwrap_or_default();
            let bodies = body_options(&state, &p).await;
            (StatusCode::UNPROCESSABLE_ENTITY, render(&ListPage { p, apps, bodies, body_error: true })).into_response()
        }
        Err(e) => service_error(&p, e),
    }
}

#[derive(Template)]
#[template(path = "application.html")]
pub struct ShowPage {
    pub p: Ctx,
    pub app: Application,
    pub values: Values,
    pub attachments: Vec<Attachment>,
    pub rounds: Vec<Round>,
    pub notices: Vec<apps::Review>,
    pub missing: Vec<FieldError>,
    pub upload_error: String,
    pub withdraw_error: String,
    pub body_name: String,
    pub max_mb: usize,
    pub max_pages: usize,
    pub kinds: Vec<(&'static str, String)>,
    /// The document kind chosen in a refused upload, chosen again.
    pub selected_kind: String,
    pub tasks: Vec<super::tasks::Task>,
    pub timeline: Vec<super::case::Event>,
    pub diffs: Vec<super::case::RoundDiff>,
    pub reference: String,
    /// АППК Arts. 73, 74: the hearing and the acts.
    pub hearing: super::hearing_panel::Panel,
}

impl ShowPage {
    pub fn v(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }
    pub fn editable(&self) -> bool {
        self.app.status.is_editable()
    }
    pub fn withdrawable(&self) -> bool {
        self.app.status.apply(senim_domain::status::Action::Withdraw).is_ok()
    }
    pub fn kind_selected(&self, kind: &str) -> bool {
        self.selected_kind == kind
    }
    pub fn kind_label(&self, kind: &str) -> String {
        self.p.t(&format!("kind-{kind}"))
    }
    pub fn last_round(&self) -> Option<&Round> {
        self.rounds.last()
    }
    pub fn check_label(&self, c: &senim_domain::review::CheckResult) -> String {
        self.p.t(&format!("check-{}", c.check.code()))
    }
}

async fn show_page(p: Ctx, state: &AppState, app: Application, upload_error: String) -> Response {
    show_page_with(p, state, app, (upload_error, String::new()), String::new(), Default::default()).await
}

/// The application page after a refused objection (АППК Art. 73), with what was typed.
pub(super) async fn page_with_hearing(
    p: Ctx,
    state: &AppState,
    app: Application,
    posted: super::hearing_panel::Posted,
) -> Response {
    show_page_with(p, state, app, (String::new(), String::new()), String::new(), posted).await
}

async fn show_page_with(
    p: Ctx,
    state: &AppState,
    app: Application,
    (upload_error, selected_kind): (String, String),
    withdraw_error: String,
    posted: super::hearing_panel::Posted,
) -> Response {
    let attachments = apps::attachments(&state.store, &app.id).await.unwrap_or_default();
    let rounds = apps::rounds(&state.store, &app.id).await.unwrap_or_default();
    let notices = apps::reviews(&state.store, &app.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.decision == senim_domain::status::Status::Nonconforming)
        .collect();
    let missing = if app.status.is_editable() { svc::missing(state, &app).await.unwrap_or_default() } else { vec![] };
    let body_name =
        bodies::get(&state.store, &app.body_code).await.ok().flatten().map(|b| p.text(&b.name)).unwrap_or_default();
    let kinds = AttachmentKind::ALL.iter().map(|k| (k.code(), p.t(&format!("kind-{}", k.code())))).collect();
    let status = if upload_error.is_empty() && withdraw_error.is_empty() && posted.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tasks = if app.status.is_editable() { super::tasks::tasks(&p, &app, &attachments, &missing) } else { vec![] };
    let timeline = super::case::timeline(&p, state, &app.id).await;
    let diffs = super::case::diffs(&p, &rounds);
    let hearing = super::hearing_panel::panel(&p, state, &app, posted).await;
    let page = ShowPage {
        hearing,
        tasks,
        timeline,
        diffs,
        reference: crate::services::documents::reference(&app.id),
        values: flatten(&app.form),
        app,
        attachments,
        rounds,
        notices,
        missing,
        upload_error,
        withdraw_error,
        body_name,
        max_mb: MAX_UPLOAD_BYTES / (1024 * 1024),
        max_pages: state.config.uploads.max_pages,
        kinds,
        selected_kind,
        p,
    };
    (status, render(&page)).into_response()
}

pub async fn show(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    if user.role == Role::Reviewer {
        return see_other(&format!("/review/{id}"));
    }
    match svc::visible(&state, &user, &id).await {
        Ok(app) => show_page(p, &state, app, String::new()).await,
        Err(e) => service_error(&p, e),
    }
}

pub async fn upload(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut kind = None;
    let mut file = None;
    let mut error = String::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("kind") => kind = field.text().await.ok().and_then(|k| AttachmentKind::parse(&k)),
                Some("file") => {
                    let name = field.file_name().unwrap_or("document.pdf").to_owned();
                    match field.bytes().await {
                        Ok(b) if !b.is_empty() => file = Some((name, b.to_vec())),
                        Ok(_) => {}
                        Err(_) => error = p.error_text(&FieldError::new("file", "upload.too_large")),
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                error = p.error_text(&FieldError::new("file", "upload.too_large"));
                break;
            }
        }
    }
    let kind_chosen = kind.map(|k| k.code().to_owned()).unwrap_or_default();
    if error.is_empty() {
        match (kind, file) {
            (None, _) => error = p.error_text(&FieldError::new("kind", "required")),
            (_, None) => error = p.error_text(&FieldError::new("file", "required")),
            (Some(kind), Some((name, bytes))) => match svc::attach(&state, &user, &id, kind, &name, &bytes).await {
                Ok(_) => return see_other(&format!("/applications/{id}#documents")),
                Err(ServiceError::Invalid(errs)) => {
                    error = errs.first().map(|e| p.error_text(e)).unwrap_or_default();
                }
                Err(e) => return service_error(&p, e),
            },
        }
    }
    match svc::visible(&state, &user, &id).await {
        Ok(app) => show_page_with(p, &state, app, (error, kind_chosen), String::new(), Default::default()).await,
        Err(e) => service_error(&p, e),
    }
}

/// A document of an application, for its applicant and the body's staff; always as a download.
pub async fn download(p: Ctx, State(state): State<AppState>, Path((id, aid)): Path<(String, String)>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    if let Err(e) = svc::visible(&state, &user, &id).await {
        return service_error(&p, e);
    }
    let Ok(Some(a)) = apps::attachment_any(&state.store, &id, &aid).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    match blobs::get(&state.store, &a.sha256).await {
        Ok(Some(bytes)) => super::download_response(bytes, "application/pdf", &svc::pdf_filename(&a.filename)),
        _ => error_page(&p, StatusCode::NOT_FOUND, "page-not-found"),
    }
}

pub async fn remove(p: Ctx, State(state): State<AppState>, Path((id, aid)): Path<(String, String)>) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match svc::detach(&state, &user, &id, &aid).await {
        Ok(()) => see_other(&format!("/applications/{id}#documents")),
        Err(e) => service_error(&p, e),
    }
}

/// Submits from the check-your-answers page: the declaration given there is saved first (Annex 1's
/// closing line), then the whole set is checked (Rules §5). What is missing is shown on that page.
pub async fn submit(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let app = match svc::visible(&state, &user, &id).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    if pairs.iter().any(|(k, _)| k == "from_check") && app.status.is_editable() {
        let mut form = app.form.clone();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim().to_owned());
        form.declaration.signatory = get("declaration.signatory").unwrap_or_default();
        form.declaration.confirmed = get("declaration.confirmed").as_deref() == Some("yes");
        if let Err(e) = svc::save(&state, &user, &id, form).await {
            return service_error(&p, e);
        }
    }
    match svc::submit(&state, &user, &id, Timestamp::now()).await {
        Ok(round) => see_other(&format!("/applications/{id}/rounds/{}/receipt", round.number)),
        Err(ServiceError::Invalid(errors)) => match svc::visible(&state, &user, &id).await {
            Ok(app) => {
                let declaration = errors.into_iter().filter(|e| e.field.starts_with("declaration.")).collect();
                super::tasks::check_page_for(p, &state, app, declaration, true).await
            }
            Err(e) => service_error(&p, e),
        },
        Err(e) => service_error(&p, e),
    }
}

#[derive(serde::Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

/// Withdrawal needs the confirmation box ticked: it cannot be undone.
pub async fn withdraw(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    if f.confirm != "yes" {
        let msg = p.error_text(&FieldError::new("confirm", "withdraw.not_confirmed"));
        return match svc::visible(&state, &user, &id).await {
            Ok(app) => show_page_with(p, &state, app, (String::new(), String::new()), msg, Default::default()).await,
            Err(e) => service_error(&p, e),
        };
    }
    match svc::withdraw(&state, &user, &id).await {
        Ok(_) => see_other(&format!("/applications/{id}")),
        Err(e) => service_error(&p, e),
    }
}
