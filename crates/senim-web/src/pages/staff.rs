//! The body's pages: the review queue (Rules §6, §8), the examination and decision. Publication (§7) is
//! in `publisher.rs`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::calendar::kz_date;
use senim_domain::review::{CheckOutcome, ChecklistInput};
use senim_domain::role::Role;
use senim_store::applications::{self as apps, Application, Attachment, Round};
use senim_store::staff::QueueFilter;
use senim_store::users::User;

use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::{ServiceError, applications as app_svc, review, second_factor};
use senim_domain::fields::{Values, flatten};

/// The signed-in staff member, if their role is one of `roles` (body roles need their body). Staff
/// who must enrol a second factor are sent to do so first.
pub(super) async fn staff(p: &Ctx, state: &AppState, roles: &[Role]) -> Result<User, Response> {
    let user = require_user(p)?.clone();
    if !roles.contains(&user.role) || (user.role.needs_body() && user.body_code.is_none()) {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    if matches!(second_factor::must_enrol(state, &user).await, Ok(true)) {
        return Err(see_other("/account/second-factor"));
    }
    Ok(user)
}

/// Who may read the queue and the examination pages.
const READERS: [Role; 3] = [Role::Reviewer, Role::BodyAdmin, Role::Observer];

pub struct QueueRow {
    pub id: String,
    pub reference: String,
    pub body: String,
    pub system: String,
    pub applicant: String,
    pub round: i64,
    pub received_on: String,
    pub due_on: String,
    /// АППК Art. 73(1): the last day to issue a preliminary decision so that the hearing ends in time.
    pub preliminary_by: String,
    pub days_left: Option<i32>,
    pub status: String,
    pub assignee_id: String,
    pub assignee: String,
}

impl QueueRow {
    pub fn overdue(&self) -> bool {
        self.days_left.is_some_and(|d| d < 0)
    }
    pub fn soon(&self) -> bool {
        self.days_left.is_some_and(|d| (0..=2).contains(&d))
    }
    pub fn days(&self) -> String {
        self.days_left.map_or_else(|| "—".into(), |d| d.to_string())
    }
}

/// The queue's GET form: `status` (`submitted`, `under_review`, `hearing`), `round` (`first`, `resubmission`),
/// `mine` (assigned to me), `body` (observers).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub round: String,
    #[serde(default)]
    pub mine: String,
    #[serde(default)]
    pub body: String,
}

impl QueueQuery {
    pub fn filter(&self, user: &User) -> QueueFilter {
        QueueFilter {
            body: Some(self.body.clone()).filter(|b| !b.is_empty()),
            status: match self.status.as_str() {
                "submitted" => Some(senim_domain::status::Status::Submitted),
                "under_review" => Some(senim_domain::status::Status::UnderReview),
                "hearing" => Some(senim_domain::status::Status::Hearing),
                _ => None,
            },
            resubmission: match self.round.as_str() {
                "first" => Some(false),
                "resubmission" => Some(true),
                _ => None,
            },
            assignee: (self.mine == "yes").then(|| user.id.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "queue.html")]
pub struct QueuePage {
    pub p: Ctx,
    pub rows: Vec<QueueRow>,
    pub q: QueueQuery,
    /// Observers pick a body: (code, short name).
    pub bodies: Vec<(String, String)>,
    /// Body administrators assign: the body's active reviewers (id, name).
    pub reviewers: Vec<(String, String)>,
}

impl QueuePage {
    pub fn role(&self) -> &'static str {
        self.p.role()
    }
    pub fn options(&self, which: &str) -> Vec<(&'static str, String)> {
        let codes: &[&'static str] =
            if which == "status" { &["submitted", "under_review", "hearing"] } else { &["first", "resubmission"] };
        codes
            .iter()
            .map(|c| (*c, if which == "status" { self.p.status(c) } else { self.p.t(&format!("queue-round-{c}")) }))
            .collect()
    }
    pub fn chosen(&self, which: &str) -> &str {
        if which == "status" { &self.q.status } else { &self.q.round }
    }
}

pub async fn queue(p: Ctx, State(state): State<AppState>, Query(q): Query<QueueQuery>) -> Response {
    let user = match staff(&p, &state, &READERS).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let items = match review::staff_queue(&state, &user, q.filter(&user)).await {
        Ok(i) => i,
        Err(e) => return service_error(&p, e),
    };
    let today = kz_date(Timestamp::now());
    let calendar = state.calendar();
    let periods = crate::services::procedure::periods(&state).await.unwrap_or_default();
    let rows = items
        .into_iter()
        .map(|s| QueueRow {
            id: s.item.application.id.clone(),
            reference: crate::services::documents::reference(&s.item.application.id),
            body: s.item.application.body_code.clone(),
            system: p.text(&s.item.application.form.system.name),
            applicant: s.item.application.form.applicant.name.clone(),
            round: s.item.round,
            received_on: s.item.received_on.to_string(),
            due_on: s.item.due_on.to_string(),
            preliminary_by: periods
                .last_day_to_issue(&calendar, s.item.due_on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            days_left: calendar.working_days_left(today, s.item.due_on).ok(),
            status: p.status(s.item.application.status.code()),
            assignee_id: s.assignee_id.unwrap_or_default(),
            assignee: s.assignee_name.unwrap_or_default(),
        })
        .collect();
    let bodies = if user.role == Role::Observer {
        senim_store::bodies::all(&state.store)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|b| (b.code.clone(), p.text(&b.short_name)))
            .collect()
    } else {
        vec![]
    };
    let reviewers = match (user.role, user.body_code.as_deref()) {
        (Role::BodyAdmin, Some(body)) => senim_store::users::staff_of(&state.store, body)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|u| u.role == Role::Reviewer)
            .map(|u| (u.id, u.name))
            .collect(),
        _ => vec![],
    };
    render(&QueuePage { p, rows, q, bodies, reviewers })
}

#[derive(serde::Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

/// The body administrator assigns a case to a reviewer of the body (empty: to nobody).
pub async fn assign(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Response {
    let user = match staff(&p, &state, &[Role::BodyAdmin]).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let assignee = Some(f.assignee.as_str()).filter(|a| !a.is_empty());
    match review::assign(&state, &user, &id, assignee).await {
        Ok(()) => see_other("/review"),
        Err(ServiceError::Invalid(_)) => error_page(&p, StatusCode::UNPROCESSABLE_ENTITY, "page-conflict"),
        Err(e) => service_error(&p, e),
    }
}

#[derive(Template)]
#[template(path = "examine.html")]
pub struct ExaminePage {
    pub p: Ctx,
    pub app: Application,
    pub values: Values,
    pub round: Option<Round>,
    pub attachments: Vec<Attachment>,
    pub input: ChecklistInput,
    pub errors: Vec<FieldError>,
    pub decidable: bool,
    /// What changed between rounds (Rules §8), as the applicant sees it too.
    pub diffs: Vec<super::case::RoundDiff>,
    /// Who the case is assigned to (name).
    pub assignee: Option<String>,
    /// Rules §6, fourth paragraph: the audit report against the round's facts.
    pub audit_check: Option<crate::services::crosscheck::AuditCheck>,
    /// АППК Arts. 73, 74: the hearing and the acts.
    pub hearing: super::hearing_panel::Panel,
}

impl ExaminePage {
    /// Reviewers take a submitted case, or an unassigned one under review.
    pub fn takeable(&self) -> bool {
        self.p.role() == "reviewer"
            && (self.app.status == senim_domain::status::Status::Submitted || self.assignee.is_none())
            && self.app.status.awaits_decision()
    }
}

impl ExaminePage {
    pub fn v(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }
    pub fn checks(&self) -> Vec<(&'static str, String, &CheckOutcome)> {
        vec![
            ("completeness", self.p.t("check-completeness"), &self.input.completeness),
            ("copyright", self.p.t("check-copyright"), &self.input.copyright),
            ("audit", self.p.t("check-audit"), &self.input.audit),
        ]
    }
    pub fn err(&self, key: &str) -> String {
        self.errors.iter().find(|e| e.field == key).map(|e| self.p.error_text(e)).unwrap_or_default()
    }
    pub fn kind_label(&self, kind: &str) -> String {
        self.p.t(&format!("kind-{kind}"))
    }
    /// Rules §6 second paragraph's sub-points with whether the round gives each.
    pub fn completeness_points(&self) -> Vec<(String, bool)> {
        let form = self.round.as_ref().map_or(&self.app.form, |r| &r.form);
        senim_domain::review::completeness_points(form)
            .into_iter()
            .map(|(code, ok)| (self.p.t(&format!("point-{code}")), ok))
            .collect()
    }
    /// The cross-check's lines (`audit_view::fact_lines`).
    pub fn crosscheck_lines(&self) -> Vec<(String, String, String, bool, String)> {
        super::audit_view::fact_lines(&self.p, self.audit_check.as_ref())
    }
    /// The AI audit's two points (`audit_view::ai_point_lines`).
    pub fn ai_point_lines(&self) -> Vec<(String, String, bool, String)> {
        super::audit_view::ai_point_lines(&self.p, self.audit_check.as_ref())
    }
    /// The cross-check's headline.
    pub fn crosscheck_summary(&self) -> String {
        super::audit_view::summary(&self.p, self.audit_check.as_ref())
    }
}

/// The examination page after a refused hearing record or final decision, with what was typed.
pub(super) async fn examine_with_hearing(
    p: Ctx,
    state: &AppState,
    user: &User,
    id: &str,
    posted: super::hearing_panel::Posted,
) -> Response {
    examine_page(p, state, user, id, (ChecklistInput::default(), vec![]), posted).await
}

async fn examine_page(
    p: Ctx,
    state: &AppState,
    user: &User,
    id: &str,
    (input, errors): (ChecklistInput, Vec<FieldError>),
    posted: super::hearing_panel::Posted,
) -> Response {
    let app = match app_svc::visible(state, user, id).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    let mut rounds = apps::rounds(&state.store, id).await.unwrap_or_default();
    let diffs = super::case::diffs(&p, &rounds);
    let round = rounds.pop();
    let attachments = round.as_ref().map(|r| r.attachments.clone()).unwrap_or_default();
    let values = flatten(round.as_ref().map_or(&app.form, |r| &r.form));
    let status =
        if errors.is_empty() && posted.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let hearing = super::hearing_panel::panel(&p, state, &app, posted).await;
    let assignee = match senim_store::staff::assignee(&state.store, id).await.ok().flatten() {
        Some(a) => senim_store::users::by_id(&state.store, &a).await.ok().flatten().map(|u| u.name),
        None => None,
    };
    let audit_check = match crate::services::crosscheck::audit_report(state, user, id).await {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(error = %e, application = id, "audit-report cross-check");
            None
        }
    };
    let page = ExaminePage {
        audit_check,
        // Only reviewers decide; body administrators and observers read. In the hearing the final
        // decision has its own form.
        decidable: app.status.awaits_decision()
            && app.status != senim_domain::status::Status::Hearing
            && user.role == Role::Reviewer,
        hearing,
        assignee,
        app,
        values,
        round,
        attachments,
        input,
        errors,
        diffs,
        p,
    };
    (status, render(&page)).into_response()
}

pub async fn take(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let user = match staff(&p, &state, &[Role::Reviewer]).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match review::take(&state, &user, &id).await {
        Ok(()) => see_other(&format!("/review/{id}")),
        Err(e) => service_error(&p, e),
    }
}

pub async fn examine(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let user = match staff(&p, &state, &READERS).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    examine_page(p, &state, &user, &id, (ChecklistInput::default(), vec![]), Default::default()).await
}

#[derive(serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    completeness: String,
    #[serde(default)]
    completeness_comment: String,
    #[serde(default)]
    copyright: String,
    #[serde(default)]
    copyright_comment: String,
    #[serde(default)]
    audit: String,
    #[serde(default)]
    audit_comment: String,
}

fn outcome(pass: &str, comment: String) -> CheckOutcome {
    let pass = match pass {
        "pass" => Some(true),
        "fail" => Some(false),
        _ => None,
    };
    CheckOutcome { pass, comment }
}

pub async fn decide(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    let user = match staff(&p, &state, &[Role::Reviewer]).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let input = ChecklistInput {
        completeness: outcome(&f.completeness, f.completeness_comment),
        copyright: outcome(&f.copyright, f.copyright_comment),
        audit: outcome(&f.audit, f.audit_comment),
    };
    match review::decide(&state, &user, &id, &input, Timestamp::now()).await {
        Ok(_) => see_other(&format!("/review/{id}")),
        Err(ServiceError::Invalid(errors)) => {
            examine_page(p, &state, &user, &id, (input, errors), Default::default()).await
        }
        Err(e) => service_error(&p, e),
    }
}
