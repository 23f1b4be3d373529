//! The publisher's pages (Rules §7): the pending changes with their due dates, the preview of the next
//! edition and its difference from the current one, publication, amendment and exclusion of published
//! entries, and the body's automatic daily publication.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_domain::lang::{Lang, LangText};
use senim_domain::role::Role;
use senim_publish::render::column_titles;
use senim_store::editions::{self, EditionSummary};
use senim_store::entries::{self, ListEntry, Pending};
use senim_store::schedules::Run;
use senim_store::users::User;
use serde_json::Value;

use super::list::annex2_cells;
use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::preview::{PendingChange, Preview};
use crate::services::{ServiceError, preview, publication, schedule, second_factor};

/// The signed-in publisher with a body (staff who must enrol a second factor are sent to do so).
pub(super) async fn publisher(p: &Ctx, state: &AppState) -> Result<(User, String), Response> {
    let user = require_user(p)?.clone();
    let Some(body) = user.body_code.clone().filter(|_| user.role == Role::Publisher) else {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    };
    if matches!(second_factor::must_enrol(state, &user).await, Ok(true)) {
        return Err(super::see_other("/account/second-factor"));
    }
    Ok((user, body))
}

/// A field's value as text: a language map as `kk: …; ru: …`, so that a change in any language shows.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        Value::Object(m) if m.contains_key("code") && m.contains_key("name") => {
            m.get("name").map(show_value).unwrap_or_default()
        }
        Value::Object(m) => {
            m.iter().map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default())).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// What the publish page says after a POST.
#[derive(Default)]
pub struct Messages {
    /// `publish-nothing`, `publish-stale`, `pub-schedule-saved`, `pub-amended`.
    pub notice: String,
    pub exclude_error: String,
    pub exclude: (String, String, String),
    pub schedule_error: String,
    pub schedule_at: Option<String>,
}

#[derive(Template)]
#[template(path = "publish.html")]
pub struct PublishPage {
    pub p: Ctx,
    pub body: String,
    pub preview: Preview,
    pub titles: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub editions: Vec<EditionSummary>,
    /// Published entries that may be amended or excluded.
    pub listed: Vec<ListEntry>,
    pub m: Messages,
    pub schedule_at: String,
    pub last_run: Option<Run>,
}

impl PublishPage {
    pub fn change(&self, c: &PendingChange) -> String {
        self.p.t(&format!("change-{}", c.change()))
    }
    pub fn due(&self, c: &PendingChange) -> String {
        c.due_on.map_or_else(|| self.p.t("pub-no-deadline"), |d| d.to_string())
    }
    pub fn reason(&self, c: &PendingChange) -> String {
        c.entry.pending_reason.as_ref().map(|r| self.p.text(r)).unwrap_or_default()
    }
    pub fn field(&self, code: &str) -> String {
        self.p.t(&format!("pub-f-{}", code.replace('.', "-")))
    }
    pub fn show(&self, v: &Value) -> String {
        show_value(v)
    }
    pub fn publish_label(&self) -> String {
        self.p.t_two(
            "pub-publish-button",
            "edition",
            &self.preview.edition.to_string(),
            "count",
            &self.preview.change_count().to_string(),
        )
    }
    pub fn summary(&self) -> String {
        i18n_summary(&self.p, &self.preview)
    }
    pub fn run_text(&self, r: &Run) -> String {
        let edition = r.edition.map(|e| e.to_string()).unwrap_or_default();
        format!("{} — {}", r.run_on, self.p.ta(&format!("pub-run-{}", r.outcome), "edition", &edition))
    }
}

fn i18n_summary(p: &Ctx, pv: &Preview) -> String {
    crate::i18n::t_args(
        p.lang,
        "pub-preview-summary",
        &[
            ("edition", pv.edition.to_string()),
            ("added", pv.added.len().to_string()),
            ("amended", pv.amended.len().to_string()),
            ("excluded", pv.excluded.len().to_string()),
            ("entries", pv.entries.len().to_string()),
        ],
    )
}

async fn publish_view(
    p: Ctx,
    state: &AppState,
    user: &User,
    body: String,
    m: Messages,
    status: StatusCode,
) -> Response {
    let preview = match preview::preview(state, user, &body).await {
        Ok(x) => x,
        Err(e) => return service_error(&p, e),
    };
    let (at, last_run) = match schedule::get(state, user, &body).await {
        Ok(x) => x,
        Err(e) => return service_error(&p, e),
    };
    let editions = editions::summaries(&state.store, Some(&body)).await.unwrap_or_default();
    let listed = entries::of_body(&state.store, &body)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.listed && matches!(e.pending, None | Some(Pending::Amended)))
        .collect();
    let titles = column_titles(p.lang).iter().map(|t| (*t).to_owned()).collect();
    let rows = preview.entries.iter().map(|e| annex2_cells(e, p.lang)).collect();
    let schedule_at = m.schedule_at.clone().or(at).unwrap_or_default();
    let page = PublishPage { p, body, preview, titles, rows, editions, listed, m, schedule_at, last_run };
    (status, render(&page)).into_response()
}

pub async fn publish_page(p: Ctx, State(state): State<AppState>) -> Response {
    let (user, body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    publish_view(p, &state, &user, body, Messages::default(), StatusCode::OK).await
}

#[derive(serde::Deserialize)]
pub struct PublishForm {
    /// The edition number and change count the publisher saw; a mismatch means the pending changes moved.
    #[serde(default)]
    edition: String,
    #[serde(default)]
    changes: String,
}

pub async fn publish(p: Ctx, State(state): State<AppState>, Form(f): Form<PublishForm>) -> Response {
    let (user, body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if !f.edition.is_empty() || !f.changes.is_empty() {
        let seen = match preview::preview(&state, &user, &body).await {
            Ok(pv) => (pv.edition.to_string(), pv.change_count().to_string()),
            Err(e) => return service_error(&p, e),
        };
        if seen != (f.edition.clone(), f.changes.clone()) {
            let m = Messages { notice: "pub-stale".into(), ..Messages::default() };
            return publish_view(p, &state, &user, body, m, StatusCode::CONFLICT).await;
        }
    }
    // Rendered in the background; the job's page shows the progress, then the edition.
    match publication::start_job(&state, &user, &body).await {
        Ok(id) => see_other(&format!("/publish/jobs/{id}")),
        Err(ServiceError::State("publication.running")) => {
            match senim_store::jobs::running(&state.store, &body).await {
                Ok(Some(job)) => see_other(&format!("/publish/jobs/{}", job.id)),
                _ => service_error(&p, ServiceError::State("publication.running")),
            }
        }
        Err(ServiceError::State(_)) => {
            let m = Messages { notice: "publish-nothing".into(), ..Messages::default() };
            publish_view(p, &state, &user, body, m, StatusCode::CONFLICT).await
        }
        Err(e) => service_error(&p, e),
    }
}

#[derive(Template)]
#[template(path = "publish_job.html")]
pub struct JobPage {
    pub p: Ctx,
    pub job: senim_store::jobs::Job,
}

impl JobPage {
    pub fn running(&self) -> bool {
        self.job.status == "running"
    }
    pub fn percent(&self) -> i64 {
        (self.job.done * 100).checked_div(self.job.total).unwrap_or(0)
    }
    /// Why a job failed, in words.
    pub fn error(&self) -> String {
        match self.job.error.as_deref() {
            Some("publication.changed") => self.p.t("job-error-changed"),
            Some("publication.nothing_pending") => self.p.t("publish-nothing"),
            Some("interrupted") => self.p.t("job-error-interrupted"),
            _ => self.p.t("job-error-internal"),
        }
    }
}

/// The progress of a publication job; refreshes itself (without JavaScript) while it runs.
pub async fn job_page(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let (user, _body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match publication::job(&state, &user, &id).await {
        Ok(job) => render(&JobPage { p, job }),
        Err(e) => service_error(&p, e),
    }
}

#[derive(serde::Deserialize)]
pub struct ExcludeForm {
    #[serde(default)]
    registry_number: String,
    #[serde(default)]
    reason_kk: String,
    #[serde(default)]
    reason_ru: String,
}

pub async fn exclude(p: Ctx, State(state): State<AppState>, Form(f): Form<ExcludeForm>) -> Response {
    let (user, body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let reason = LangText::new().with(Lang::Kk, f.reason_kk.clone()).with(Lang::Ru, f.reason_ru.clone());
    match publication::exclude(&state, &user, &body, &f.registry_number, &reason).await {
        Ok(()) => see_other("/publish"),
        Err(ServiceError::Invalid(errors)) => {
            let m = Messages {
                exclude_error: errors.first().map(|e| p.error_text(e)).unwrap_or_default(),
                exclude: (f.registry_number, f.reason_kk, f.reason_ru),
                ..Messages::default()
            };
            publish_view(p, &state, &user, body, m, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(&p, e),
    }
}

#[derive(serde::Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    at: String,
}

/// Sets the daily publication time, or with an empty time switches it off.
pub async fn set_schedule(p: Ctx, State(state): State<AppState>, Form(f): Form<ScheduleForm>) -> Response {
    let (user, body) = match publisher(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match schedule::set(&state, &user, &body, Some(&f.at)).await {
        Ok(_) => see_other("/publish#schedule-h"),
        Err(ServiceError::Invalid(errors)) => {
            let m = Messages {
                schedule_error: errors.first().map(|e| p.error_text(e)).unwrap_or_default(),
                schedule_at: Some(f.at),
                ..Messages::default()
            };
            publish_view(p, &state, &user, body, m, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(&p, e),
    }
}
