//! The audit-report cross-check (Rules §6, fourth paragraph) for the examination page and the API: the text layer of
//! the round's audit report, extracted once per file content and kept, against the facts of the round.
//!
//! Extraction runs `pdf-extract` in the PDF worker process ([`senim_pdfread::sandbox`]), after the
//! bounded load and the walk of the drawing: a file that crashes, exhausts or outlasts the reader ends
//! that process only, and "the text could not be read" is kept for the file and shown as such (issue
//! 16, finding 1). A reader that could not run at all is shown but not kept: the next opening tries again.

use senim_domain::application::AttachmentKind;
use senim_domain::crosscheck::{self, CrossCheck};
use senim_pdfread::TextFailure;
use senim_store::applications as apps;
use senim_store::blobs;
use senim_store::deadlines::{self, PdfText};
use senim_store::users::User;

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// The cross-check of the current round's audit report, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AuditCheck {
    /// The round has no audit report (the completeness check will fail anyway).
    NoReport,
    /// The report could not be read as a PDF's text: the reason, for the reviewer.
    Unreadable { filename: String, sha256: String, error: String },
    /// The report was read.
    Read {
        filename: String,
        sha256: String,
        #[serde(flatten)]
        check: CrossCheck,
    },
}

/// For those who read the examination: the body's reviewers and administrator, and the observer.
pub async fn audit_report(state: &AppState, user: &User, id: &str) -> ServiceResult<AuditCheck> {
    use senim_domain::role::Role;
    if !matches!(user.role, Role::Reviewer | Role::BodyAdmin | Role::Observer) {
        return Err(ServiceError::Forbidden);
    }
    let app = super::applications::visible(state, user, id).await?;
    let Some(round) = apps::rounds(&state.store, &app.id).await?.pop() else {
        return Ok(AuditCheck::NoReport);
    };
    let Some(report) = round.attachments.iter().find(|a| a.kind() == Some(AttachmentKind::AuditReport)) else {
        return Ok(AuditCheck::NoReport);
    };
    let text = text_of(state, &report.sha256).await?;
    Ok(match text {
        PdfText::Pages(pages) => AuditCheck::Read {
            filename: report.filename.clone(),
            sha256: report.sha256.clone(),
            check: crosscheck::cross_check(&round.form, &pages),
        },
        PdfText::Failed(error) => {
            AuditCheck::Unreadable { filename: report.filename.clone(), sha256: report.sha256.clone(), error }
        }
    })
}

/// The file's text, from the store or extracted now (and stored, unless no reader could run).
pub async fn text_of(state: &AppState, sha256: &str) -> ServiceResult<PdfText> {
    if let Some(t) = deadlines::pdf_text(&state.store, sha256).await? {
        return Ok(t);
    }
    let bytes = blobs::get(&state.store, sha256).await?.ok_or(ServiceError::NotFound)?;
    let text = match state.config.uploads.reader.text(&bytes).await {
        Ok(pages) => PdfText::Pages(pages),
        Err(TextFailure::Unreadable(why)) => PdfText::Failed(why),
        Err(TextFailure::Unavailable(_)) => {
            return Ok(PdfText::Failed("the text could not be read just now; open the case again later".into()));
        }
    };
    deadlines::save_pdf_text(&state.store, sha256, &text).await?;
    Ok(text)
}

/// A document's text, page by page, for reading it inline on the examination page (the file itself is
/// only ever served as a download). Same readers as [`audit_report`].
pub async fn document_text(
    state: &AppState,
    user: &User,
    id: &str,
    attachment_id: &str,
) -> ServiceResult<(apps::Attachment, PdfText)> {
    use senim_domain::role::Role;
    if !matches!(user.role, Role::Reviewer | Role::BodyAdmin | Role::Observer) {
        return Err(ServiceError::Forbidden);
    }
    let app = super::applications::visible(state, user, id).await?;
    let attachment = apps::attachment_any(&state.store, &app.id, attachment_id).await?.ok_or(ServiceError::NotFound)?;
    let text = text_of(state, &attachment.sha256).await?;
    Ok((attachment, text))
}
