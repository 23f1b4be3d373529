//! Amending a published entry (a new text for some of its fields, with a reason), shown in the next
//! edition's change log.

use super::publisher::publisher;
use super::{Ctx, error_page, render, see_other, service_error};
use crate::AppState;
use crate::services::amendment::{AMENDABLE, TEXT_FIELDS};
use crate::services::{ServiceError, amendment};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::lang::{Lang, LangText};
use senim_store::entries::{self, ListEntry};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One amendable field of the form.
pub struct AmendField {
    pub code: &'static str,
    /// The HTML id (`f-system_name`, `f-audit-date`).
    pub id: String,
    pub label: String,
    pub error: String,
    /// Text fields: (language code, language name, input name, value); the date has one, language "".
    pub inputs: Vec<(&'static str, String, String, String)>,
}

#[derive(Template)]
#[template(path = "publish_amend.html")]
pub struct AmendPage {
    pub p: Ctx,
    pub registry_number: String,
    pub system_name: String,
    pub fields: Vec<AmendField>,
    pub reason_kk: String,
    pub reason_ru: String,
    pub reason_error: String,
    /// Errors for the summary: (anchor id, label, message).
    pub summary: Vec<(String, String, String)>,
}

fn field_id(code: &str) -> String {
    format!("f-{}", code.replace('.', "-"))
}

/// The form's inputs: the entry's current values, or what was typed.
fn amend_values(entry: &ListEntry) -> HashMap<String, String> {
    let mut v = HashMap::new();
    for code in AMENDABLE {
        match amendment::field_value(&entry.entry, code) {
            Value::Object(m) => {
                for (lang, text) in m {
                    v.insert(format!("{code}.{lang}"), text.as_str().unwrap_or_default().to_owned());
                }
            }
            Value::String(s) => {
                v.insert(code.to_owned(), s);
            }
            _ => {}
        }
    }
    v
}

fn amend_page(
    p: Ctx,
    entry: &ListEntry,
    values: &HashMap<String, String>,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let err = |field: &str| errors.iter().find(|e| e.field == field).map(|e| p.error_text(e)).unwrap_or_default();
    let val = |name: &str| values.get(name).cloned().unwrap_or_default();
    let fields: Vec<AmendField> = AMENDABLE
        .iter()
        .map(|code| {
            let inputs = if TEXT_FIELDS.contains(code) {
                Lang::ALL
                    .iter()
                    .map(|l| {
                        let name = format!("{code}.{}", l.code());
                        (l.code(), p.t(&format!("lang-{}", l.code())), name.clone(), val(&name))
                    })
                    .collect()
            } else {
                vec![("", String::new(), (*code).to_owned(), val(code))]
            };
            AmendField {
                code,
                id: field_id(code),
                label: p.t(&format!("pub-f-{}", code.replace('.', "-"))),
                error: err(&format!("fields.{code}")),
                inputs,
            }
        })
        .collect();
    let mut summary: Vec<(String, String, String)> = errors
        .iter()
        .map(|e| {
            let code = e.field.strip_prefix("fields.").unwrap_or(&e.field);
            let (id, label) = match code {
                "reason" => ("f-reason".to_owned(), p.t("pub-amend-reason")),
                "fields" => ("f-system_name".to_owned(), p.t("pub-amend-fields")),
                c if AMENDABLE.contains(&c) => (field_id(c), p.t(&format!("pub-f-{}", c.replace('.', "-")))),
                c => (field_id(c), c.to_owned()),
            };
            (id, label, p.error_text(e))
        })
        .collect();
    summary.dedup();
    let page = AmendPage {
        registry_number: entry.registry_number.clone(),
        system_name: p.text(&entry.entry.system_name),
        reason_kk: val("reason_kk"),
        reason_ru: val("reason_ru"),
        reason_error: err("reason"),
        fields,
        summary,
        p,
    };
    (status, render(&page)).into_response()
}

async fn own_entry(p: &Ctx, state: &AppState, body: &str, number: &str) -> Result<ListEntry, Response> {
    match entries::get(&state.store, number).await {
        Ok(Some(e)) if e.body_code == body => Ok(e),
        Ok(_) => Err(error_page(p, StatusCode::NOT_FOUND, "page-not-found")),
        Err(e) => Err(service_error(p, ServiceError::from(e))),
    }
}

pub async fn amend_form(p: Ctx, State(state): State<AppState>, Path(number): Path<String>) -> Response {
    let (_, body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let entry = match own_entry(&p, &state, &body, &number).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let values = amend_values(&entry);
    amend_page(p, &entry, &values, &[], StatusCode::OK)
}

/// The form's fields as the API's `fields` object. A field none of whose inputs was sent is left out
/// (unchanged); the form itself always sends every input.
fn fields_json(form: &HashMap<String, String>) -> Value {
    let mut fields = Map::new();
    let mut audit = Map::new();
    for code in AMENDABLE {
        let value = if TEXT_FIELDS.contains(&code) {
            let mut m = Map::new();
            for l in Lang::ALL {
                if let Some(t) = form.get(&format!("{code}.{}", l.code())) {
                    m.insert(l.code().to_owned(), Value::String(t.clone()));
                }
            }
            if m.is_empty() {
                continue;
            }
            Value::Object(m)
        } else {
            let Some(v) = form.get(code) else { continue };
            Value::String(v.clone())
        };
        match code.strip_prefix("audit.") {
            Some(sub) => audit.insert(sub.to_owned(), value),
            None => fields.insert(code.to_owned(), value),
        };
    }
    fields.insert("audit".into(), Value::Object(audit));
    Value::Object(fields)
}

pub async fn amend(
    p: Ctx,
    State(state): State<AppState>,
    Path(number): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (user, body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let entry = match own_entry(&p, &state, &body, &number).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let reason = LangText::new()
        .with(Lang::Kk, form.get("reason_kk").cloned().unwrap_or_default())
        .with(Lang::Ru, form.get("reason_ru").cloned().unwrap_or_default());
    match amendment::amend(&state, &user, &body, &number, &fields_json(&form), &reason, Timestamp::now()).await {
        Ok(_) => see_other("/publish#preview-h"),
        Err(ServiceError::Invalid(errors)) => amend_page(p, &entry, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => service_error(&p, e),
    }
}
