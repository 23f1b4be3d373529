//! One entry of a List: its Annex 2 fields in the reader's language, what each edition did to it, and
//! its inclusion proof, so a reader can check it without trusting this page. An excluded entry's page
//! stays readable: it shows the last published text and the reason of exclusion.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_publish::render::{column_titles, identifier_titles};
use senim_store::bodies;

use super::list::annex2_cells;
use super::{Ctx, error_page, render, service_error};
use crate::AppState;
use crate::services::lists::{self, EntryEvent};
use crate::services::reports::{FIELDS, ReportInput};
use senim_domain::application::FieldError;

/// The report form of an entry page: what was typed, and its errors translated for the reader.
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub values: ReportInput,
    pub errors: Vec<FieldError>,
    /// `(field, message)` in the reader's language, filled in by [`ReportForm::prepare`].
    pub messages: Vec<(String, String)>,
    /// `(field code, label)` of the "which field" choice.
    pub options: Vec<(&'static str, String)>,
    pub(super) labels: Vec<(&'static str, String)>,
}

impl ReportForm {
    /// Translates options, labels and errors for the page.
    pub fn prepare(&mut self, p: &Ctx) {
        self.options = FIELDS.iter().map(|f| (*f, p.t(&format!("report-field-{f}")))).collect();
        self.labels = ["field", "description", "email"].iter().map(|f| (*f, p.t(&format!("report-f-{f}")))).collect();
        self.messages = self.errors.iter().map(|e| (e.field.clone(), p.error_text(e))).collect();
    }
    pub fn err(&self, field: &str) -> &str {
        self.messages.iter().find(|(f, _)| f == field).map_or("", |(_, m)| m.as_str())
    }
    pub fn label<'a>(&'a self, field: &'a str) -> &'a str {
        self.labels.iter().find(|(f, _)| *f == field).map_or(field, |(_, l)| l.as_str())
    }
}

pub struct Event {
    pub edition: i64,
    pub text: String,
}

#[derive(Template)]
#[template(path = "entry.html")]
pub struct EntryPage {
    pub p: Ctx,
    pub code: String,
    pub body_name: String,
    pub registry_number: String,
    pub system_name: String,
    /// `(title, value)` pairs: the Annex 2 columns after "No.", then the identifiers.
    pub fields: Vec<(String, String)>,
    pub events: Vec<Event>,
    pub excluded: bool,
    pub proof_edition: i64,
    pub leaf_index: u64,
    pub tree_size: u64,
    pub path: Vec<String>,
    pub root: String,
    /// The "report an error" form: what was typed and what was wrong with it.
    pub report: ReportForm,
}

pub async fn entry(p: Ctx, State(state): State<AppState>, Path((code, number)): Path<(String, String)>) -> Response {
    entry_view(p, &state, code, number, ReportForm::default()).await
}

/// The entry page, with the report form as given (empty, or as typed with its errors: then 422).
pub async fn entry_view(p: Ctx, state: &AppState, code: String, number: String, mut report: ReportForm) -> Response {
    report.prepare(&p);
    let state = state.clone();
    let Ok(Some(body)) = bodies::get(&state.store, &code).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let record = match lists::entry_record(&state, &code, &number).await {
        Ok(r) => r,
        Err(e) => return service_error(&p, e),
    };
    let lang = p.lang;
    let amendments = senim_store::amendments::of_entry(&state.store, &number).await.unwrap_or_default();
    let e = &record.entry;
    let mut fields: Vec<(String, String)> = column_titles(lang)
        .iter()
        .zip(annex2_cells(e, lang))
        .skip(1) // "No." is the entry's place in one edition, not a property of the entry.
        .map(|(t, v)| ((*t).to_owned(), v))
        .collect();
    let [rn, bin, _] = identifier_titles(lang);
    fields.push((rn.to_owned(), e.registry_number.clone()));
    fields.push((bin.to_owned(), e.owner_bin.clone().unwrap_or_else(|| "—".to_owned())));
    let events = record
        .events
        .iter()
        .map(|ev| match ev {
            EntryEvent::Added { edition, date } => {
                Event { edition: *edition, text: p.t_two("entry-added", "edition", &edition.to_string(), "date", date) }
            }
            EntryEvent::Amended { edition, date } => Event {
                edition: *edition,
                text: amendments
                    .iter()
                    .filter(|a| a.edition == Some(*edition))
                    .fold(p.t_two("entry-amended", "edition", &edition.to_string(), "date", date), |text, a| {
                        format!("{text} {}", p.ta("entry-reason", "reason", a.reason.best(lang)))
                    }),
            },
            EntryEvent::Excluded { edition, date, reason } => Event {
                edition: *edition,
                text: format!(
                    "{} {}",
                    p.t_two("entry-excluded", "edition", &edition.to_string(), "date", date),
                    p.ta("entry-reason", "reason", reason.best(lang))
                ),
            },
        })
        .collect();
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = render(&EntryPage {
        report,
        body_name: p.text(&body.name),
        registry_number: e.registry_number.clone(),
        system_name: e.system_name.best(lang).to_owned(),
        fields,
        events,
        excluded: record.excluded,
        proof_edition: record.proof_edition,
        leaf_index: record.proof.leaf_index,
        tree_size: record.proof.tree_size,
        path: record.proof.path.clone(),
        root: record.merkle_root,
        code,
        p,
    });
    (status, page).into_response()
}
