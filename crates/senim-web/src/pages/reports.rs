//! "Report an error" (issues 5 and 7): the form on each public entry page, the reporter's status page
//! at an unguessable address, and the body's staff page of reports (`/reports`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use senim_domain::application::FieldError;
use senim_domain::role::Role;
use senim_store::bodies;
use senim_store::reports::Report;
use serde::Deserialize;

use super::{Ctx, error_page, render, require_user, see_other, service_error, urlencode};
use crate::AppState;
use crate::services::reports::{self as svc, ReportInput, ReportStatus};
use crate::services::{ServiceError, second_factor};

pub use super::entry::ReportForm;

/// `POST /bodies/{code}/entries/{number}/report`: records the report and shows the reporter its status
/// page; with errors, the entry page again with everything typed kept (422).
pub async fn submit(
    p: Ctx,
    State(state): State<AppState>,
    Path((code, number)): Path<(String, String)>,
    Form(input): Form<ReportInput>,
) -> Response {
    match svc::create(&state, &code, &number, &input, p.lang).await {
        Ok(created) => see_other(&format!("{}?sent=1", svc::status_path(&created.token))),
        Err(ServiceError::Invalid(errors)) => {
            let form = ReportForm { values: input, errors, ..ReportForm::default() };
            super::entry::entry_view(p, &state, code, number, form).await
        }
        Err(e) => service_error(&p, e),
    }
}

#[derive(Template)]
#[template(path = "report_status.html")]
pub struct StatusPage {
    pub p: Ctx,
    pub r: Report,
    pub field: String,
    pub status: String,
    pub sent: bool,
    pub address: String,
}

#[derive(Deserialize, Default)]
pub struct SentQuery {
    #[serde(default)]
    sent: String,
}

/// `GET /reports/{token}`: the reporter's view of the report — reference, status and the staff's
/// comment. Never the reporter's e-mail (personal data), never cached or indexed.
pub async fn status_page(
    p: Ctx,
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<SentQuery>,
) -> Response {
    let r = match svc::by_token(&state, &token).await {
        Ok(r) => r,
        Err(e) => return service_error(&p, e),
    };
    let page = StatusPage {
        field: p.t(&format!("report-field-{}", r.field)),
        status: p.t(&format!("report-status-{}", r.status)),
        sent: q.sent == "1",
        address: svc::status_path(&token),
        r,
        p,
    };
    ([(header::CACHE_CONTROL, "no-store"), (header::HeaderName::from_static("x-robots-tag"), "noindex")], render(&page))
        .into_response()
}

/// One report on the staff page.
pub struct Row {
    pub r: Report,
    pub field: String,
    pub status: String,
    pub body_name: String,
    /// The caller may change it (their own body's report, not yet final).
    pub editable: bool,
    /// Statuses it may move to: `(code, label)`.
    pub next: Vec<(&'static str, String)>,
    /// The form as typed, when it came back with errors.
    pub chosen: String,
    pub comment: String,
    pub errors: Vec<(String, String)>,
}

impl Row {
    pub fn err(&self, field: &str) -> &str {
        self.errors.iter().find(|(f, _)| f == field).map_or("", |(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
pub struct StaffPage {
    pub p: Ctx,
    pub rows: Vec<Row>,
    pub q: ListQuery,
    pub statuses: Vec<(&'static str, String)>,
    /// Observers pick a body: (code, short name).
    pub bodies: Vec<(String, String)>,
    pub notice: String,
}

#[derive(Deserialize, Default, Debug, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub done: String,
}

/// Who may open `/reports`: the body's reviewers, publishers and administrators, observers and the
/// administrator (read-only). Staff who must enrol a second factor are sent to do so first.
async fn reader(p: &Ctx, state: &AppState) -> Result<senim_store::users::User, Response> {
    let user = require_user(p)?.clone();
    let allowed = match user.role {
        Role::Reviewer | Role::Publisher | Role::BodyAdmin => user.body_code.is_some(),
        Role::Observer | Role::Admin => true,
        Role::Applicant => false,
    };
    if !allowed {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    if matches!(second_factor::must_enrol(state, &user).await, Ok(true)) {
        return Err(see_other("/account/second-factor"));
    }
    Ok(user)
}

/// The failed form of one report, to show again.
struct Failed {
    id: String,
    status: String,
    comment: String,
    errors: Vec<FieldError>,
}

async fn staff_view(p: Ctx, state: &AppState, q: ListQuery, failed: Option<Failed>) -> Response {
    let user = match reader(&p, state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let status = ReportStatus::parse(&q.status);
    let reports = match svc::list(state, &user, Some(q.body.as_str()), status).await {
        Ok(r) => r,
        Err(e) => return service_error(&p, e),
    };
    let all = bodies::all(&state.store).await.unwrap_or_default();
    let rows = reports
        .into_iter()
        .map(|r| {
            let current = ReportStatus::parse(&r.status);
            let editable = svc::may_handle(&user, &r.body_code) && current.is_some_and(|s| !s.is_final());
            let next = ReportStatus::ALL
                .into_iter()
                .filter(|to| current.is_some_and(|c| c.may_become(*to)))
                .map(|to| (to.code(), p.t(&format!("report-status-{}", to.code()))))
                .collect();
            let (chosen, comment, errors) = match &failed {
                Some(f) if f.id == r.id => (
                    f.status.clone(),
                    f.comment.clone(),
                    f.errors.iter().map(|e| (e.field.clone(), p.error_text(e))).collect(),
                ),
                _ => (String::new(), String::new(), Vec::new()),
            };
            Row {
                field: p.t(&format!("report-field-{}", r.field)),
                status: p.t(&format!("report-status-{}", r.status)),
                body_name: all
                    .iter()
                    .find(|b| b.code == r.body_code)
                    .map(|b| p.text(&b.short_name))
                    .unwrap_or_default(),
                editable,
                next,
                chosen,
                comment,
                errors,
                r,
            }
        })
        .collect();
    let bodies = if user.body_code.is_none() {
        all.iter().map(|b| (b.code.clone(), p.text(&b.short_name))).collect()
    } else {
        Vec::new()
    };
    let notice = if q.done == "status" { p.t("report-done-status") } else { String::new() };
    let code = if failed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let statuses = ReportStatus::ALL.iter().map(|s| (s.code(), p.t(&format!("report-status-{}", s.code())))).collect();
    (code, render(&StaffPage { p, rows, q, statuses, bodies, notice })).into_response()
}

/// `GET /reports`: the reports of the caller's body (every body's for observers), newest first.
pub async fn staff_list(p: Ctx, State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    staff_view(p, &state, q, None).await
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub comment: String,
}

/// `POST /reports/{id}/status`: a reviewer, publisher or body administrator of the report's body moves
/// it on, with a comment for the reporter.
pub async fn set_status(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Response {
    let user = match reader(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match svc::set_status(&state, &user, &id, &f.status, &f.comment).await {
        Ok(r) => see_other(&format!("/reports?done=status#report-{}", urlencode(&r.id))),
        Err(ServiceError::Invalid(errors)) => {
            let failed = Failed { id, status: f.status, comment: f.comment, errors };
            staff_view(p, &state, ListQuery::default(), Some(failed)).await
        }
        Err(e) => service_error(&p, e),
    }
}
