//! "Report an error" (issues 5 and 7): anyone tells the body that a published entry is wrong; the
//! report becomes a task for the body's staff (new → in progress → resolved / rejected, with a
//! comment), and the reporter follows it at an unguessable address without an account.
//!
//! The reporter's optional e-mail is personal data: it is stored, shown to the body's staff and used
//! for the reply, and never written to public output (tests/no_personal_data.rs) nor the audit log.

use senim_domain::application::{FieldError, codes, is_email};
use senim_domain::lang::Lang;
use senim_domain::role::Role;
use senim_store::reports::{self as store, NewReport, Report};
use senim_store::users::{self, User};
use senim_store::{audit, bodies};
use serde_json::json;
use uuid::Uuid;

use super::accounts::{link, user_lang};
use super::notify::mail;
use super::{ServiceError, ServiceResult, lists};
use crate::AppState;
use crate::passwords as auth;

/// The Annex 2 fields a reporter can point at, and `other`.
pub const FIELDS: [&str; 9] =
    ["system_name", "owner", "owner_bin", "area", "functionality", "audit", "included_on", "body", "other"];

/// The longest description accepted (characters).
pub const MAX_DESCRIPTION: usize = 4_000;

/// A report's status. `new` → `in_progress` → `resolved` | `rejected`; a new report may also be
/// resolved or rejected at once. Resolved and rejected are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    New,
    InProgress,
    Resolved,
    Rejected,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 4] = [Self::New, Self::InProgress, Self::Resolved, Self::Rejected];

    pub fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::Resolved => "resolved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Resolved | Self::Rejected)
    }

    /// Whether staff may move a report from `self` to `to`.
    pub fn may_become(self, to: ReportStatus) -> bool {
        matches!(
            (self, to),
            (Self::New, Self::InProgress | Self::Resolved | Self::Rejected)
                | (Self::InProgress, Self::Resolved | Self::Rejected)
        )
    }
}

/// What the reporter typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    /// Which field is wrong: `system_name`, `owner`, `owner_bin`, `area`, `functionality`, `audit`,
    /// `included_on`, `body` or `other`.
    pub field: String,
    /// What is wrong, and what would be right.
    pub description: String,
    /// Optional: where to send a reply. Never published.
    pub email: String,
}

impl ReportInput {
    /// Every problem at once.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !FIELDS.contains(&self.field.trim()) {
            errors.push(FieldError::new("field", "report.field"));
        }
        let description = self.description.trim();
        if description.is_empty() {
            errors.push(FieldError::new("description", codes::REQUIRED));
        } else if description.chars().count() > MAX_DESCRIPTION {
            errors.push(FieldError::new("description", codes::TOO_LONG));
        }
        let email = self.email.trim();
        if !email.is_empty() && (!is_email(email) || email.len() > 254) {
            errors.push(FieldError::new("email", codes::EMAIL));
        }
        errors
    }
}

/// A report just made: its record and the token of the reporter's status address.
pub struct Created {
    pub report: Report,
    pub token: String,
}

/// The reporter's status address.
pub fn status_path(token: &str) -> String {
    format!("/reports/{token}")
}

fn reference(id: &str) -> String {
    let hex: String = id.chars().filter(|c| c.is_ascii_hexdigit()).take(10).collect();
    format!("ERR-{}", hex.to_uppercase())
}

/// Records a report on a published entry of `body_code` and tells the body's staff.
pub async fn create(
    state: &AppState,
    body_code: &str,
    registry_number: &str,
    input: &ReportInput,
    lang: Lang,
) -> ServiceResult<Created> {
    let body = bodies::get(&state.store, body_code).await?.ok_or(ServiceError::NotFound)?;
    // Only entries some edition has published can be reported (the entry page exists).
    lists::entry_record(state, body_code, registry_number).await?;
    let errors = input.check();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let id = Uuid::new_v4().to_string();
    let reference = reference(&id);
    let token = auth::link_token()?;
    let email = Some(input.email.trim()).filter(|e| !e.is_empty()).map(senim_store::users::normalize_email);
    let field = input.field.trim();
    let staff = users::staff_of(&state.store, body_code).await?;
    let mut tx = state.store.begin().await?;
    store::insert(
        &mut tx,
        &NewReport {
            id: &id,
            reference: &reference,
            token_hash: &auth::token_digest(&token),
            body_code,
            registry_number,
            field,
            description: input.description.trim(),
            reporter_email: email.as_deref(),
            lang: lang.code(),
        },
    )
    .await?;
    // The audit record names the entry and the field, not the reporter.
    audit::append(
        &mut tx,
        "public",
        "report.create",
        &id,
        &json!({"body": body_code, "registry_number": registry_number, "field": field, "reference": reference}),
    )
    .await?;
    for member in staff.iter().filter(|u| matches!(u.role, Role::Reviewer | Role::Publisher | Role::BodyAdmin)) {
        let lang = user_lang(member);
        let args = [
            ("reference", reference.clone()),
            ("number", registry_number.to_owned()),
            ("body", body.name.best(lang).to_owned()),
            ("link", link(state, "/reports")),
        ];
        mail(&mut tx, &member.email, lang, "mail-report-new", &args).await?;
    }
    if let Some(to) = &email {
        let args = [
            ("reference", reference.clone()),
            ("number", registry_number.to_owned()),
            ("link", link(state, &status_path(&token))),
        ];
        mail(&mut tx, to, lang, "mail-report-received", &args).await?;
    }
    tx.commit().await?;
    let report = store::get(&state.store, &id).await?.ok_or(ServiceError::NotFound)?;
    Ok(Created { report, token })
}

/// The report behind a status address; `NotFound` for any other token.
pub async fn by_token(state: &AppState, token: &str) -> ServiceResult<Report> {
    if token.len() > 100 {
        return Err(ServiceError::NotFound);
    }
    store::by_token_hash(&state.store, &auth::token_digest(token)).await?.ok_or(ServiceError::NotFound)
}

/// Whose reports the caller reads: `Some(body)` for the body's reviewers, publishers and body
/// administrators; `None` (every body) for observers and the administrator, who read and change nothing.
fn reader_scope(user: &User) -> ServiceResult<Option<&str>> {
    match (user.role, user.body_code.as_deref()) {
        (Role::Reviewer | Role::Publisher | Role::BodyAdmin, Some(b)) => Ok(Some(b)),
        (Role::Observer | Role::Admin, _) => Ok(None),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Whether the caller may change the status of reports of `body_code`.
pub fn may_handle(user: &User, body_code: &str) -> bool {
    matches!(user.role, Role::Reviewer | Role::Publisher | Role::BodyAdmin)
        && user.body_code.as_deref() == Some(body_code)
}

/// Reports the caller may read: of `body` when given (another body's: `NotFound` for body staff),
/// else of the caller's body (every body for observers), optionally with one status.
pub async fn list(
    state: &AppState,
    user: &User,
    body: Option<&str>,
    status: Option<ReportStatus>,
) -> ServiceResult<Vec<Report>> {
    let scope = reader_scope(user)?;
    let body = match (scope, body.filter(|b| !b.is_empty())) {
        (Some(own), Some(asked)) if own != asked => return Err(ServiceError::NotFound),
        (Some(own), _) => Some(own),
        (None, asked) => asked,
    };
    if let Some(b) = body {
        bodies::get(&state.store, b).await?.ok_or(ServiceError::NotFound)?;
    }
    Ok(store::list(&state.store, body, status.map(ReportStatus::code)).await?)
}

/// Staff move a report on, with a comment the reporter reads. A comment is required to resolve or
/// reject (the reporter is owed a reason).
pub async fn set_status(state: &AppState, user: &User, id: &str, to: &str, comment: &str) -> ServiceResult<Report> {
    reader_scope(user)?;
    let report = store::get(&state.store, id).await?.ok_or(ServiceError::NotFound)?;
    let visible = match user.body_code.as_deref() {
        Some(b) if user.role.needs_body() => b == report.body_code,
        _ => true,
    };
    if !visible {
        return Err(ServiceError::NotFound);
    }
    if !may_handle(user, &report.body_code) {
        return Err(ServiceError::Forbidden);
    }
    let comment = comment.trim();
    let mut errors = Vec::new();
    let to = ReportStatus::parse(to);
    if to.is_none() {
        errors.push(FieldError::new("status", "report.status"));
    }
    if comment.chars().count() > MAX_DESCRIPTION {
        errors.push(FieldError::new("comment", codes::TOO_LONG));
    } else if comment.is_empty() && to.is_some_and(ReportStatus::is_final) {
        errors.push(FieldError::new("comment", codes::REQUIRED));
    }
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let from = ReportStatus::parse(&report.status)
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("report {id} has status `{}`", report.status)))?;
    if !from.may_become(to) {
        return Err(ServiceError::State("report.illegal_transition"));
    }
    let mut tx = state.store.begin().await?;
    if !store::set_status(&mut tx, id, from.code(), to.code(), comment, &user.id).await? {
        return Err(ServiceError::State("report.changed"));
    }
    audit::append(&mut tx, &user.id, "report.status", id, &json!({"from": from.code(), "to": to.code()})).await?;
    if let Some(email) = &report.reporter_email {
        let lang = Lang::parse(&report.lang).unwrap_or(Lang::Kk);
        let args = [
            ("reference", report.reference.clone()),
            ("status", crate::i18n::t(lang, &format!("report-status-{}", to.code()))),
            ("comment", comment.to_owned()),
        ];
        mail(&mut tx, email, lang, "mail-report-status", &args).await?;
    }
    tx.commit().await?;
    store::get(&state.store, id).await?.ok_or(ServiceError::NotFound)
}
