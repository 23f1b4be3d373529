//! The documents of an application: added, replaced and removed while it is a draft; the bytes stay
//! for the rounds that refer to them.

use crate::{Result, Store, Tx, on_pool, on_tx};
use senim_domain::application::AttachmentKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: String,
    pub application_id: String,
    pub kind: String,
    pub filename: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

impl Attachment {
    pub fn kind(&self) -> Option<AttachmentKind> {
        AttachmentKind::parse(&self.kind)
    }
}

pub async fn add_attachment(
    tx: &mut Tx<'_>,
    application_id: &str,
    kind: AttachmentKind,
    filename: &str,
    media_type: &str,
    bytes: &[u8],
) -> Result<Attachment> {
    let sha256 = crate::blobs::put(tx, bytes).await?;
    let a = Attachment {
        id: Uuid::new_v4().to_string(),
        application_id: application_id.to_owned(),
        kind: kind.code().to_owned(),
        filename: filename.to_owned(),
        media_type: media_type.to_owned(),
        size: bytes.len() as i64,
        sha256,
        created_at: crate::now_rfc3339(),
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO attachments (id, application_id, kind, filename, media_type, size, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&a.id).bind(&a.application_id).bind(&a.kind).bind(&a.filename).bind(&a.media_type)
    .bind(a.size).bind(&a.sha256).bind(&a.created_at)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(a)
}

/// Marks an attachment removed (the bytes stay: earlier rounds may refer to them). False if none.
pub async fn remove_attachment(tx: &mut Tx<'_>, application_id: &str, attachment_id: &str) -> Result<bool> {
    let done = on_tx!(tx, c => sqlx::query(
        "UPDATE attachments SET removed_at = $1 WHERE id = $2 AND application_id = $3 AND removed_at IS NULL",
    )
    .bind(crate::now_rfc3339()).bind(attachment_id).bind(application_id)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// The application's current documents, oldest first.
pub async fn attachments(store: &Store, application_id: &str) -> Result<Vec<Attachment>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT id, application_id, kind, filename, media_type, size, sha256, created_at FROM attachments \
         WHERE application_id = $1 AND removed_at IS NULL ORDER BY created_at, id",
    )
    .bind(application_id)
    .fetch_all(p)
    .await)?)
}

/// Any attachment of the application, current, removed or of an earlier round.
pub async fn attachment_any(store: &Store, application_id: &str, attachment_id: &str) -> Result<Option<Attachment>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT id, application_id, kind, filename, media_type, size, sha256, created_at FROM attachments \
         WHERE application_id = $1 AND id = $2",
    )
    .bind(application_id)
    .bind(attachment_id)
    .fetch_optional(p)
    .await)?)
}
