//! The Annex 1 form on one page: its fields with their values and errors, and who may fill it in.

use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::ServiceError;
use crate::services::applications::{self as svc};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::{ApplicantRole, FieldError};
use senim_domain::fields::{LANG_FIELDS, Values, flatten, unflatten};
use senim_domain::role::Role;
use senim_domain::sections::Section;
use senim_store::bodies;

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

pub(super) fn applicant(p: &Ctx) -> Result<senim_store::users::User, Response> {
    let user = require_user(p)?.clone();
    if user.role != Role::Applicant {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    Ok(user)
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
