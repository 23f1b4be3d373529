//! A submitted document's text, page by page, for staff who read it beside the checklist (Rules §6).
//! The file itself stays a download with its stored media type.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use senim_domain::role::Role;
use senim_store::applications::Attachment;
use senim_store::deadlines::PdfText;

use super::{Ctx, render, service_error};
use crate::AppState;

#[derive(Template)]
#[template(path = "document_text.html")]
pub struct DocumentTextPage {
    pub p: Ctx,
    pub app_id: String,
    pub attachment: Attachment,
    pub pages: Vec<String>,
    pub error: Option<String>,
}

impl DocumentTextPage {
    pub fn kind(&self) -> String {
        self.p.t(&format!("kind-{}", self.attachment.kind))
    }
    pub fn empty(&self) -> bool {
        self.pages.iter().map(|p| p.chars().filter(|c| c.is_alphanumeric()).count()).sum::<usize>() < 40
    }
    pub fn numbered(&self) -> Vec<(usize, String)> {
        self.pages.iter().enumerate().map(|(i, t)| (i + 1, t.trim().to_owned())).collect()
    }
}

pub async fn text(p: Ctx, State(state): State<AppState>, Path((id, aid)): Path<(String, String)>) -> Response {
    let user = match super::staff::staff(&p, &state, &[Role::Reviewer, Role::BodyAdmin, Role::Observer]).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match crate::services::crosscheck::document_text(&state, &user, &id, &aid).await {
        Ok((attachment, text)) => {
            let (pages, error) = match text {
                PdfText::Pages(pages) => (pages, None),
                PdfText::Failed(e) => (vec![], Some(e)),
            };
            render(&DocumentTextPage { p, app_id: id, attachment, pages, error })
        }
        Err(e) => service_error(&p, e),
    }
}
