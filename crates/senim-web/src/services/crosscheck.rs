//! The audit-report cross-check (Rules §6.3) for the examination page and the API: the text layer of
//! the round's audit report, extracted once per file content and kept, against the facts of the round.
//!
//! Extraction runs `pdf-extract`, which can panic or spin on odd files (stack.md): it runs on a
//! blocking thread, under `catch_unwind` and a time limit, and a failure is kept and shown as such.

use std::time::Duration;

use senim_domain::application::AttachmentKind;
use senim_domain::crosscheck::{self, CrossCheck};
use senim_store::applications as apps;
use senim_store::blobs;
use senim_store::deadlines::{self, PdfText};
use senim_store::users::User;

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// Longest an extraction may take before it is given up.
const EXTRACT_TIMEOUT: Duration = Duration::from_secs(30);

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

/// The file's text, from the store or extracted now (and stored).
pub async fn text_of(state: &AppState, sha256: &str) -> ServiceResult<PdfText> {
    if let Some(t) = deadlines::pdf_text(&state.store, sha256).await? {
        return Ok(t);
    }
    let bytes = blobs::get(&state.store, sha256).await?.ok_or(ServiceError::NotFound)?;
    let text = extract(bytes).await;
    deadlines::save_pdf_text(&state.store, sha256, &text).await?;
    Ok(text)
}

/// Extracts the text of each page, never panicking and never taking longer than the limit.
pub async fn extract(bytes: Vec<u8>) -> PdfText {
    let job = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(&bytes))
    });
    match tokio::time::timeout(EXTRACT_TIMEOUT, job).await {
        Ok(Ok(Ok(Ok(pages)))) => PdfText::Pages(pages),
        Ok(Ok(Ok(Err(e)))) => PdfText::Failed(format!("{e}")),
        Ok(Ok(Err(_))) | Ok(Err(_)) => PdfText::Failed("the PDF reader failed on this file".into()),
        Err(_) => PdfText::Failed(format!("reading the text took longer than {} s", EXTRACT_TIMEOUT.as_secs())),
    }
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
