//! The staff's second factor: a TOTP secret (RFC 6238) per user, the last time step accepted (so that
//! a code works once), and one-time recovery codes stored as their SHA-256.

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserTotp {
    pub user_id: String,
    /// Base32 (RFC 4648, no padding).
    pub secret: String,
    pub enabled_at: String,
    pub last_step: i64,
}

pub async fn get(store: &Store, user_id: &str) -> Result<Option<UserTotp>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT user_id, secret, enabled_at, last_step FROM user_totp WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(p)
    .await)?)
}

/// Turns the second factor on with a confirmed secret; `step` is the step of the code that confirmed it.
pub async fn enable(tx: &mut Tx<'_>, user_id: &str, secret: &str, step: i64) -> Result<()> {
    on_tx!(tx, c => {
        sqlx::query("DELETE FROM user_totp WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
        sqlx::query("INSERT INTO user_totp (user_id, secret, enabled_at, last_step) VALUES ($1, $2, $3, $4)")
            .bind(user_id).bind(secret).bind(crate::now_rfc3339()).bind(step)
            .execute(&mut *c)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Turns the second factor off and forgets the recovery codes.
pub async fn disable(tx: &mut Tx<'_>, user_id: &str) -> Result<()> {
    on_tx!(tx, c => {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
        sqlx::query("DELETE FROM user_totp WHERE user_id = $1").bind(user_id).execute(&mut *c).await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Records that the code of `step` was used. False when that step (or a later one) was used before:
/// RFC 6238 §5.2, a code is accepted once.
pub async fn accept_step(store: &Store, user_id: &str, step: i64) -> Result<bool> {
    let n = on_pool!(store, p => sqlx::query("UPDATE user_totp SET last_step = $1 WHERE user_id = $2 AND last_step < $1")
        .bind(step).bind(user_id)
        .execute(p)
        .await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Replaces the user's recovery codes with new ones (their SHA-256).
pub async fn replace_recovery_codes(tx: &mut Tx<'_>, user_id: &str, hashes: &[String]) -> Result<()> {
    let now = crate::now_rfc3339();
    on_tx!(tx, c => {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
        for h in hashes {
            sqlx::query("INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES ($1, $2, $3)")
                .bind(h).bind(user_id).bind(&now)
                .execute(&mut *c)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    })?;
    Ok(())
}

/// Uses up a recovery code. False when it is not one of the user's, or was used already.
pub async fn use_recovery_code(store: &Store, user_id: &str, code_sha256: &str) -> Result<bool> {
    let n = on_pool!(store, p => sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE code_hash = $2 AND user_id = $3 AND used_at IS NULL",
    )
    .bind(crate::now_rfc3339()).bind(code_sha256).bind(user_id)
    .execute(p)
    .await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// How many recovery codes the user has left.
pub async fn recovery_codes_left(store: &Store, user_id: &str) -> Result<i64> {
    Ok(on_pool!(store, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(p)
    .await)?)
}
