//! The application as a task list (the GOV.UK pattern): each section on a page of its own, saved in
//! any order and shown with its state; then "check your answers" with the declaration, and submit.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::lang::Lang;
use senim_domain::sections::{Section, SectionState};
use senim_store::applications::{self as apps, Application, Attachment};
use senim_store::bodies;

use super::form::{FormPage, applicant, body_options};
use super::{Ctx, render, see_other, service_error};
use crate::AppState;
use crate::services::ServiceError;
use crate::services::applications as svc;
use senim_domain::fields::{Values, flatten, unflatten};

/// One line of the task list.
pub struct Task {
    pub code: &'static str,
    pub label: String,
    pub href: String,
    pub state: &'static str,
    pub state_label: String,
}

fn started(values: &Values, section: Section) -> bool {
    values.iter().any(|(k, v)| !v.trim().is_empty() && Section::of_field(k) == section)
}

/// The task list of an editable application: every section with its state.
pub fn tasks(p: &Ctx, app: &Application, attachments: &[Attachment], missing: &[FieldError]) -> Vec<Task> {
    let values = flatten(&app.form);
    Section::ALL
        .into_iter()
        .map(|s| {
            let begun = match s {
                Section::Documents => !attachments.is_empty(),
                _ => started(&values, s),
            };
            let state: SectionState = s.state(begun, missing);
            let href = match s {
                Section::Documents => format!("/applications/{}#documents", app.id),
                Section::Declaration => format!("/applications/{}/check", app.id),
                _ => format!("/applications/{}/edit/{}", app.id, s.code()),
            };
            Task {
                code: s.code(),
                label: p.t(&format!("task-{}", s.code())),
                href,
                state: state.code(),
                state_label: p.t(&format!("task-state-{}", state.code())),
            }
        })
        .collect()
}

fn form_section(code: &str) -> Option<Section> {
    Section::parse(code).filter(|s| Section::FORMS.contains(s))
}

pub async fn section_page(p: Ctx, State(state): State<AppState>, Path((id, code)): Path<(String, String)>) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(section) = form_section(&code) else {
        return super::error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let app = match svc::visible(&state, &user, &id).await {
        Ok(a) if a.status.is_editable() => a,
        Ok(_) => return see_other(&format!("/applications/{id}")),
        Err(e) => return service_error(&p, e),
    };
    let today = senim_domain::calendar::kz_date(Timestamp::now());
    let errors: Vec<FieldError> =
        app.form.check_draft(today).into_iter().filter(|e| Section::of_field(&e.field) == section).collect();
    let bodies = body_options(&state, &p).await;
    let page = FormPage { p, id, values: flatten(&app.form), errors, bodies, saved: false, section: Some(section) };
    render(&page)
}

/// Saves one section: the section's posted values replace its old ones; the other sections stay.
pub async fn section_save(
    p: Ctx,
    State(state): State<AppState>,
    Path((id, code)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(section) = form_section(&code) else {
        return super::error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let app = match svc::visible(&state, &user, &id).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    let go_on = pairs.iter().any(|(k, _)| k == "continue");
    let mut values: Values = flatten(&app.form).into_iter().filter(|(k, _)| Section::of_field(k) != section).collect();
    values.extend(
        pairs.into_iter().filter(|(k, v)| !v.trim().is_empty() && Section::of_field(k) == section && k != "save"),
    );
    let (form, mut errors) = unflatten(&values);
    match svc::save(&state, &user, &id, form).await {
        Ok(more) => errors.extend(more),
        Err(ServiceError::Invalid(more)) => errors.extend(more),
        Err(e) => return service_error(&p, e),
    }
    errors.retain(|e| Section::of_field(&e.field) == section);
    if errors.is_empty() && go_on {
        return see_other(&format!("/applications/{id}"));
    }
    let bodies = body_options(&state, &p).await;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = FormPage { p, id, values, errors, bodies, saved: true, section: Some(section) };
    (status, render(&page)).into_response()
}

/// One answer on the check page.
pub struct Answer {
    pub label: String,
    pub value: String,
    /// The language of the value when it is a text in one language (for `lang=`).
    pub lang: &'static str,
}

pub struct AnswerGroup {
    pub title: String,
    pub href: String,
    pub change: String,
    pub answers: Vec<Answer>,
}

/// The answers of a form, grouped by section, in the reader's language (used by the check page, the
/// submitted application and the staff's examination page).
pub fn answers(p: &Ctx, form_values: &Values, body_name: &str, app_id: &str) -> Vec<AnswerGroup> {
    let mut groups: Vec<AnswerGroup> = Section::FORMS
        .into_iter()
        .chain([Section::Declaration])
        .map(|s| AnswerGroup {
            title: p.t(&format!("task-{}", s.code())),
            href: if s == Section::Declaration {
                format!("/applications/{app_id}/check#declaration")
            } else {
                format!("/applications/{app_id}/edit/{}", s.code())
            },
            change: p.ta("change-section", "name", &p.t(&format!("task-{}", s.code()))),
            answers: vec![],
        })
        .collect();
    let index = |s: Section| {
        if s == Section::Declaration { 5 } else { Section::FORMS.iter().position(|x| *x == s).unwrap_or(0) }
    };
    for (key, value) in form_values {
        let section = Section::of_field(key);
        let (label, lang) = match Lang::ALL.iter().find(|l| key.ends_with(&format!(".{}", l.code()))) {
            Some(l) => {
                let base = &key[..key.len() - 3];
                (format!("{} ({})", p.field_label(base), p.t(&format!("lang-{}", l.code()))), l.code())
            }
            None => (p.field_label(key), ""),
        };
        let shown = match key.as_str() {
            "body" => body_name.to_owned(),
            "applicant.role" => p.t(&format!("role-{value}")),
            _ if value == "yes" => p.t("yes"),
            _ if value == "no" => p.t("no"),
            _ => value.clone(),
        };
        groups[index(section)].answers.push(Answer { label, value: shown, lang });
    }
    groups
}

#[derive(Template)]
#[template(path = "check.html")]
pub struct CheckPage {
    pub p: Ctx,
    pub app: Application,
    pub groups: Vec<AnswerGroup>,
    pub attachments: Vec<Attachment>,
    pub missing: Vec<FieldError>,
    pub signatory: String,
    pub confirmed: bool,
    pub declaration_errors: Vec<FieldError>,
}

impl CheckPage {
    pub fn kind_label(&self, kind: &str) -> String {
        self.p.t(&format!("kind-{kind}"))
    }
    /// What stops submission, apart from the declaration given on this page.
    pub fn blocking(&self) -> Vec<&FieldError> {
        self.missing.iter().filter(|e| Section::of_field(&e.field) != Section::Declaration).collect()
    }
    pub fn declaration_error(&self, field: &str) -> String {
        self.declaration_errors.iter().find(|e| e.field == field).map(|e| self.p.error_text(e)).unwrap_or_default()
    }
    pub fn fix_href(&self, e: &FieldError) -> String {
        match Section::of_field(&e.field) {
            Section::Documents => format!("/applications/{}#documents", self.app.id),
            Section::Declaration => "#declaration".to_owned(),
            s => format!("/applications/{}/edit/{}#{}", self.app.id, s.code(), e.field.replace('.', "-")),
        }
    }
}

/// The check page; `failed` after a refused submission (answered 422).
pub async fn check_page_for(
    p: Ctx,
    state: &AppState,
    app: Application,
    declaration_errors: Vec<FieldError>,
    failed: bool,
) -> Response {
    let attachments = apps::attachments(&state.store, &app.id).await.unwrap_or_default();
    let missing = svc::missing(state, &app).await.unwrap_or_default();
    let body_name =
        bodies::get(&state.store, &app.body_code).await.ok().flatten().map(|b| p.text(&b.name)).unwrap_or_default();
    let values: Values =
        flatten(&app.form).into_iter().filter(|(k, _)| Section::of_field(k) != Section::Declaration).collect();
    let groups = answers(&p, &values, &body_name, &app.id).into_iter().filter(|g| !g.answers.is_empty()).collect();
    let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = CheckPage {
        signatory: app.form.declaration.signatory.clone(),
        confirmed: app.form.declaration.confirmed,
        p,
        app,
        groups,
        attachments,
        missing,
        declaration_errors,
    };
    (status, render(&page)).into_response()
}

pub async fn check_page(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let user = match applicant(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match svc::visible(&state, &user, &id).await {
        Ok(a) if a.status.is_editable() => check_page_for(p, &state, a, vec![], false).await,
        Ok(_) => see_other(&format!("/applications/{id}")),
        Err(e) => service_error(&p, e),
    }
}
