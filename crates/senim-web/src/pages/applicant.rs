//! The applicant's pages: own applications, the Annex 1 form, documents, submission, withdrawal.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::{ApplicantRole, AttachmentKind, FieldError};
use senim_domain::role::Role;
use senim_domain::sections::Section;
use senim_store::applications::{self as apps, Application, Attachment, Round};
use senim_store::{blobs, bodies};

use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::ServiceError;
use crate::services::applications::{self as svc, MAX_UPLOAD_BYTES};
use senim_domain::fields::{LANG_FIELDS, Values, flatten, unflatten};

pub struct BodyOption {
    pub code: String,
    pub name: String,
}

pub(super) async fn body_options(state: &AppState, p: &Ctx) -> Vec<BodyOption> {
    bodies::all(&state.store)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|b| BodyOption { name: p.text(&b.short_name), code: b.code })
        .collect()
}

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

pub(super) fn applicant(p: &Ctx) -> Result<senim_store::users::User, Response> {
    let user = require_user(p)?.clone();
    if user.role != Role::Applicant {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    Ok(user)
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

/// One input of the Annex 1 form.
pub struct Field {
    pub key: &'static str,
    pub id: String,
    pub label: String,
    /// `text`, `bin`, `tel`, `email`, `date`, `lang` (kk/ru/en texts), `yesno`, `check`.
    pub input: &'static str,
    /// Shown under the label and referenced by `aria-describedby`.
    pub hint: String,
    pub autocomplete: &'static str,
    pub value: String,
    pub error: String,
}

impl Field {
    /// A single-value input outside the Annex 1 form (accounts, organisation), with its error if any.
    pub fn new(
        p: &Ctx,
        key: &'static str,
        input: &'static str,
        autocomplete: &'static str,
        value: &str,
        errors: &[FieldError],
    ) -> Field {
        Field {
            key,
            id: key.replace('.', "-"),
            label: p.field_label(key),
            input,
            hint: if key == "password" { p.t("hint-password") } else { String::new() },
            autocomplete,
            value: if input == "password" { String::new() } else { value.to_owned() },
            error: errors.iter().find(|e| e.field == key).map(|e| p.error_text(e)).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "application_form.html")]
pub struct FormPage {
    pub p: Ctx,
    pub id: String,
    pub values: Values,
    pub errors: Vec<FieldError>,
    pub bodies: Vec<BodyOption>,
    pub saved: bool,
    /// One section of the task list, or the whole form on one page.
    pub section: Option<Section>,
}

impl FormPage {
    pub fn shows(&self, code: &str) -> bool {
        match self.section {
            Some(s) => s.code() == code,
            None => true,
        }
    }
    pub fn action(&self) -> String {
        match self.section {
            Some(s) => format!("/applications/{}/edit/{}", self.id, s.code()),
            None => format!("/applications/{}/edit", self.id),
        }
    }
    pub fn heading(&self) -> String {
        match self.section {
            Some(s) => self.p.t(&format!("task-{}", s.code())),
            None => self.p.t("form-title"),
        }
    }
    pub fn v(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }
    pub fn is(&self, key: &str, value: &str) -> bool {
        self.values.get(key).map(String::as_str) == Some(value)
    }
    pub fn err(&self, key: &str) -> String {
        self.errors.iter().find(|e| e.field == key).map(|e| self.p.error_text(e)).unwrap_or_default()
    }
    pub fn has_err(&self, key: &str) -> bool {
        self.errors.iter().any(|e| e.field == key)
    }
    pub fn roles(&self) -> Vec<(&'static str, String)> {
        ApplicantRole::ALL.iter().map(|r| (r.code(), self.p.t(&format!("role-{}", r.code())))).collect()
    }
    pub fn lang_fields(&self) -> Vec<&'static str> {
        LANG_FIELDS.to_vec()
    }
    /// One input of the form, with what the template needs to draw it.
    fn field(&self, key: &'static str, input: &'static str, autocomplete: &'static str) -> Field {
        Field {
            key,
            id: key.replace('.', "-"),
            label: self.p.field_label(key),
            // A date is typed as text (YYYY-MM-DD): a date input cannot show back a mistyped value.
            hint: if input == "date" { self.p.t("hint-date") } else { String::new() },
            input: if input == "date" { "text" } else { input },
            autocomplete,
            value: self.v(key),
            error: self.err(key),
        }
    }
    pub fn applicant_fields(&self) -> Vec<Field> {
        vec![
            self.field("applicant.name", "text", "organization"),
            self.field("applicant.bin_iin", "bin", "off"),
            self.field("applicant.legal_address", "text", "address-line1"),
            self.field("applicant.actual_address", "text", "address-line1"),
            self.field("applicant.contact.name", "text", "name"),
            self.field("applicant.contact.position", "text", "organization-title"),
            self.field("applicant.contact.phone", "tel", "tel"),
            self.field("applicant.contact.email", "email", "email"),
        ]
    }
    pub fn system_fields(&self) -> Vec<Field> {
        ["system.name", "system.purpose", "system.area", "system.functionality", "system.conditions_of_use"]
            .into_iter()
            .map(|k| self.field(k, "lang", ""))
            .collect()
    }
    pub fn model_fields(&self) -> Vec<Field> {
        vec![
            self.field("system.models.description", "lang", ""),
            self.field("system.models.algorithm_type", "text", "off"),
            self.field("system.models.external_models", "yesno", ""),
            self.field("system.models.embedded_models", "yesno", ""),
            self.field("system.data.categories", "lang", ""),
            self.field("system.data.sources", "lang", ""),
        ]
    }
    pub fn audit_fields(&self) -> Vec<Field> {
        vec![
            self.field("audit.auditor", "lang", ""),
            self.field("audit.date", "date", "off"),
            self.field("audit.conclusions", "lang", ""),
        ]
    }
    pub fn copyright_fields(&self) -> Vec<Field> {
        vec![
            self.field("copyright.certificate_number", "text", "off"),
            self.field("copyright.certificate_date", "date", "off"),
            self.field("copyright.author_contract", "check", ""),
        ]
    }
    pub fn declaration_fields(&self) -> Vec<Field> {
        vec![self.field("declaration.signatory", "text", "name"), self.field("declaration.confirmed", "check", "")]
    }
    pub fn langs(&self) -> Vec<(&'static str, String)> {
        senim_domain::lang::Lang::ALL.iter().map(|l| (l.code(), self.p.t(&format!("lang-{}", l.code())))).collect()
    }
    /// `system.name` → `system-name-kk`: an id for a label's `for`.
    pub fn id_of(&self, key: &str, lang: &str) -> String {
        let base = key.replace('.', "-");
        if lang.is_empty() { base } else { format!("{base}-{lang}") }
    }
}

pub async fn edit_page(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let app = match svc::visible(&state, &user, &id).await {
        Ok(a) if a.status.is_editable() => a,
        Ok(_) => return see_other(&format!("/applications/{id}")),
        Err(e) => return service_error(&p, e),
    };
    let errors = app.form.check_draft(senim_domain::calendar::kz_date(Timestamp::now()));
    let bodies = body_options(&state, &p).await;
    render(&FormPage { p, id, values: flatten(&app.form), errors, bodies, saved: false, section: None })
}

/// Saves the Annex 1 form (whatever is filled in); format errors are shown next to their fields.
pub async fn edit(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let values: Values = pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    let (form, mut errors) = unflatten(&values);
    let go_on = values.contains_key("continue");
    match svc::save(&state, &user, &id, form).await {
        Ok(more) => errors.extend(more),
        Err(ServiceError::Invalid(more)) => errors.extend(more),
        Err(e) => return service_error(&p, e),
    }
    if errors.is_empty() && go_on {
        return see_other(&format!("/applications/{id}"));
    }
    let bodies = body_options(&state, &p).await;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, render(&FormPage { p, id, values, errors, bodies, saved: true, section: None })).into_response()
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
    show_page_with(p, state, app, (upload_error, String::new()), String::new()).await
}

async fn show_page_with(
    p: Ctx,
    state: &AppState,
    app: Application,
    (upload_error, selected_kind): (String, String),
    withdraw_error: String,
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
    let status = if upload_error.is_empty() && withdraw_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tasks = if app.status.is_editable() { super::tasks::tasks(&p, &app, &attachments, &missing) } else { vec![] };
    let timeline = super::case::timeline(&p, state, &app.id).await;
    let diffs = super::case::diffs(&p, &rounds);
    let page = ShowPage {
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
        Ok(app) => show_page_with(p, &state, app, (error, kind_chosen), String::new()).await,
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
            Ok(app) => show_page_with(p, &state, app, (String::new(), String::new()), msg).await,
            Err(e) => service_error(&p, e),
        };
    }
    match svc::withdraw(&state, &user, &id).await {
        Ok(_) => see_other(&format!("/applications/{id}")),
        Err(e) => service_error(&p, e),
    }
}
