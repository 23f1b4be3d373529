//! The system administrator's view of the e-mail outbox: what was sent, what waits, what failed and why.
//! In demo mode without SMTP the outbox is the "demo mailbox", and the administrator reads the messages
//! here; outside demo mode the list shows only the envelope (message texts may hold sign-in links).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use senim_domain::role::Role;
use serde::Deserialize;

use super::{Ctx, error_page, render, require_user};
use crate::AppState;
use crate::services::mailer::{self, MailMode, OutboxRow};

const PER_PAGE: i64 = 50;

fn admin(p: &Ctx) -> Result<(), Response> {
    let user = require_user(p)?;
    if user.role != Role::Admin {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    Ok(())
}

pub struct MailRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub created: String,
    pub state: String,
    pub attempts: i64,
    pub error: String,
}

fn state_text(p: &Ctx, mode: &MailMode, m: &OutboxRow) -> String {
    let key = match (&m.sent_at, mode) {
        (Some(_), MailMode::DemoMailbox) => "admin-mail-state-demo",
        (Some(_), _) => "admin-mail-state-sent",
        (None, _) if m.given_up() => "admin-mail-state-given-up",
        (None, _) if m.last_error.is_some() => "admin-mail-state-retrying",
        (None, _) => "admin-mail-state-queued",
    };
    p.t(key)
}

#[derive(Template)]
#[template(path = "admin_mail.html")]
pub struct MailListPage {
    pub p: Ctx,
    pub lead: String,
    pub rows: Vec<MailRow>,
    /// Whether message texts may be opened (demo mode).
    pub readable: bool,
    pub page: i64,
    pub pages: i64,
}

impl MailListPage {
    pub fn page_label(&self) -> String {
        self.p.ta("admin-mail-page", "number", &format!("{} / {}", self.page, self.pages))
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn mail_list(p: Ctx, State(state): State<AppState>, Query(q): Query<PageQuery>) -> Response {
    if let Err(r) = admin(&p) {
        return r;
    }
    let page = q.page.unwrap_or(1).max(1);
    let (mails, total) = match mailer::page(&state.store, PER_PAGE, (page - 1).saturating_mul(PER_PAGE)).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, "outbox page");
            return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
        }
    };
    let mode = MailMode::of(&state.config);
    let lead = p.t(match mode {
        MailMode::Smtp(_) => "admin-mail-lead-smtp",
        MailMode::DemoMailbox => "admin-mail-lead-demo",
        MailMode::Queued => "admin-mail-lead-queued",
    });
    let rows = mails
        .iter()
        .map(|m| MailRow {
            id: m.id.clone(),
            to: m.to_addr.clone(),
            subject: m.subject.clone(),
            created: m.created_at.clone(),
            state: state_text(&p, &mode, m),
            attempts: m.attempts,
            error: m.last_error.clone().unwrap_or_default(),
        })
        .collect();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    render(&MailListPage { p, lead, rows, readable: state.config.demo, page, pages })
}

#[derive(Template)]
#[template(path = "admin_mail_message.html")]
pub struct MailMessagePage {
    pub p: Ctx,
    pub mail: OutboxRow,
    pub state: String,
}

pub async fn mail_message(p: Ctx, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if let Err(r) = admin(&p) {
        return r;
    }
    if !state.config.demo {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    }
    match mailer::get(&state.store, &id).await {
        Ok(Some(mail)) => {
            let state = state_text(&p, &MailMode::of(&state.config), &mail);
            render(&MailMessagePage { p, mail, state })
        }
        Ok(None) => error_page(&p, StatusCode::NOT_FOUND, "page-not-found"),
        Err(e) => {
            tracing::error!(error = %e, "outbox message");
            error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal")
        }
    }
}
