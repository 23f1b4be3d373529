//! One-time links sent by e-mail: confirming an address, resetting a password, joining an
//! organisation. Only the token's SHA-256 is stored; a token is used once and expires.

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Reset,
    Invite,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Reset => "reset",
            Purpose::Invite => "invite",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmailToken {
    pub email: String,
    pub user_id: Option<String>,
    pub org_id: Option<String>,
    pub created_by: Option<String>,
    pub expires_at: String,
    pub used_at: Option<String>,
}

pub struct NewToken<'a> {
    pub token_sha256: &'a str,
    pub purpose: Purpose,
    pub email: &'a str,
    pub user_id: Option<&'a str>,
    pub org_id: Option<&'a str>,
    pub created_by: Option<&'a str>,
    pub valid_for: jiff::SignedDuration,
}

pub async fn create(tx: &mut Tx<'_>, t: NewToken<'_>) -> Result<()> {
    let now = jiff::Timestamp::now();
    let expires = crate::rfc3339(now + t.valid_for);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO email_tokens (token_hash, purpose, email, user_id, org_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.token_sha256).bind(t.purpose.code()).bind(crate::users::normalize_email(t.email)).bind(t.user_id)
    .bind(t.org_id).bind(t.created_by).bind(crate::rfc3339(now)).bind(&expires)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A live token of the given purpose: not used, not expired.
pub async fn live(store: &Store, token_sha256: &str, purpose: Purpose) -> Result<Option<EmailToken>> {
    let row: Option<EmailToken> = on_pool!(store, p => sqlx::query_as(
        "SELECT email, user_id, org_id, created_by, expires_at, used_at FROM email_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_sha256).bind(purpose.code()).bind(crate::now_rfc3339())
    .fetch_optional(p).await)?;
    Ok(row)
}

/// Marks a token used, inside the transaction that acts on it. False when it was already used (a
/// second click racing the first): the caller must then roll back.
pub async fn consume(tx: &mut Tx<'_>, token_sha256: &str) -> Result<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(crate::now_rfc3339()).bind(token_sha256)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Invitations still open for an organisation (for its members' page).
pub async fn open_invitations(store: &Store, org_id: &str) -> Result<Vec<EmailToken>> {
    let rows: Vec<EmailToken> = on_pool!(store, p => sqlx::query_as(
        "SELECT email, user_id, org_id, created_by, expires_at, used_at FROM email_tokens \
         WHERE org_id = $1 AND purpose = 'invite' AND used_at IS NULL AND expires_at > $2 ORDER BY email",
    )
    .bind(org_id).bind(crate::now_rfc3339())
    .fetch_all(p).await)?;
    Ok(rows)
}
