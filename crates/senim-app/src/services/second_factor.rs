//! The staff's second factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, one step of skew)
//! with ten one-time recovery codes, and the administrator's switch that makes it compulsory.
//!
//! API tokens are not asked for a code: a token is made on the account page, by a user who signed in
//! with both factors (when they have a second one), or by an administrator at the console; it is a
//! 256-bit secret of its own, revocable, and disabling the account revokes it.

use jiff::Timestamp;
use senim_store::audit;
use senim_store::second_factor as store;
use senim_store::staff::{STAFF_TOTP_REQUIRED, set_setting, setting};
use senim_store::users::User;
use serde_json::json;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

use super::{ServiceError, ServiceResult};
use crate::AppState;
use senim_domain::role::Role;

pub const ISSUER: &str = "Senim";
pub const RECOVERY_CODES: usize = 10;

/// A new secret: 160 random bits (RFC 4226 §4), base32.
pub fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Secret::new_stack(bytes).to_base32())
}

fn totp(secret: &str) -> ServiceResult<Totp> {
    let secret = Secret::try_from_base32(secret).map_err(|e| anyhow::anyhow!("TOTP secret: {e:?}"))?;
    Ok(Builder::new().with_secret(secret).build().map_err(|e| anyhow::anyhow!("TOTP: {e:?}"))?)
}

/// The `otpauth://` URI authenticator apps read (Key Uri Format), to type or paste in.
pub fn otpauth_uri(secret: &str, email: &str) -> String {
    let label = crate::percent::encode_component(&format!("{ISSUER}:{email}"));
    format!("otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30")
}

/// The code of a secret at a Unix time (for tests and the demo).
pub fn code_at(secret: &str, unix: u64) -> ServiceResult<String> {
    Ok(totp(secret)?.generate(unix).to_string())
}

fn unix(now: Timestamp) -> u64 {
    u64::try_from(now.as_second()).unwrap_or(0)
}

/// The time step a code matches at `now`, if any (not yet checked for replay).
fn matching_step(secret: &str, code: &str, now: Timestamp) -> ServiceResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    Ok(totp(secret)?.check(&code, unix(now)).and_then(|s| i64::try_from(s).ok()))
}

/// Recovery codes are typed by hand: case, spaces and dashes do not matter.
fn recovery_digest(code: &str) -> String {
    let norm: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(norm.as_bytes()))
}

fn new_recovery_code() -> anyhow::Result<String> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let b32 = Secret::new(Box::new(bytes)).to_base32();
    // 80 bits as 16 base32 characters, in groups of four.
    Ok(b32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-"))
}

pub async fn enrolled(state: &AppState, user: &User) -> ServiceResult<bool> {
    Ok(store::get(&state.store, &user.id).await?.is_some())
}

/// Whether the administrator requires a second factor of every staff account.
pub async fn required(state: &AppState) -> ServiceResult<bool> {
    Ok(setting(&state.store, STAFF_TOTP_REQUIRED).await?.as_deref() == Some("true"))
}

/// A staff member who must enrol before doing anything else.
pub async fn must_enrol(state: &AppState, user: &User) -> ServiceResult<bool> {
    Ok(user.role.is_staff() && required(state).await? && !enrolled(state, user).await?)
}

/// Confirms enrolment: the code must match the new secret. Returns the recovery codes, shown once.
pub async fn enable(
    state: &AppState,
    user: &User,
    secret: &str,
    code: &str,
    now: Timestamp,
) -> ServiceResult<Vec<String>> {
    if !user.role.is_staff() {
        return Err(ServiceError::Forbidden);
    }
    let Some(step) = matching_step(secret, code, now)? else {
        return Err(ServiceError::Invalid(vec![senim_domain::application::FieldError::new("code", "totp.wrong")]));
    };
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect::<anyhow::Result<_>>()?;
    let hashes: Vec<String> = codes.iter().map(|c| recovery_digest(c)).collect();
    let mut tx = state.store.begin().await?;
    store::enable(&mut tx, &user.id, secret, step).await?;
    store::replace_recovery_codes(&mut tx, &user.id, &hashes).await?;
    audit::append(&mut tx, &user.id, "totp.enable", &user.id, &json!({})).await?;
    tx.commit().await?;
    Ok(codes)
}

/// How a second factor was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Totp,
    RecoveryCode,
}

/// Checks a code typed at sign-in: a current TOTP code not used before, or an unused recovery code.
pub async fn verify(state: &AppState, user: &User, code: &str, now: Timestamp) -> ServiceResult<Option<Proof>> {
    let Some(t) = store::get(&state.store, &user.id).await? else {
        return Ok(None);
    };
    if let Some(step) = matching_step(&t.secret, code, now)? {
        // Accepting the step and refusing any step up to it again is one atomic update.
        return Ok(store::accept_step(&state.store, &user.id, step).await?.then_some(Proof::Totp));
    }
    if code.chars().filter(char::is_ascii_alphanumeric).count() == 16
        && store::use_recovery_code(&state.store, &user.id, &recovery_digest(code)).await?
    {
        let mut tx = state.store.begin().await?;
        audit::append(&mut tx, &user.id, "totp.recovery_code_used", &user.id, &json!({})).await?;
        tx.commit().await?;
        return Ok(Some(Proof::RecoveryCode));
    }
    Ok(None)
}

pub async fn recovery_codes_left(state: &AppState, user: &User) -> ServiceResult<i64> {
    Ok(store::recovery_codes_left(&state.store, &user.id).await?)
}

/// Turns the user's own second factor off, with a current code; refused while it is required.
pub async fn disable(state: &AppState, user: &User, code: &str, now: Timestamp) -> ServiceResult<()> {
    if user.role.is_staff() && required(state).await? {
        return Err(ServiceError::State("totp.required"));
    }
    if verify(state, user, code, now).await?.is_none() {
        return Err(ServiceError::Invalid(vec![senim_domain::application::FieldError::new("code", "totp.wrong")]));
    }
    let mut tx = state.store.begin().await?;
    store::disable(&mut tx, &user.id).await?;
    audit::append(&mut tx, &user.id, "totp.disable", &user.id, &json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// The system administrator switches the requirement on or off for all staff.
pub async fn set_required(state: &AppState, actor: &User, on: bool) -> ServiceResult<()> {
    if actor.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    let mut tx = state.store.begin().await?;
    set_setting(&mut tx, STAFF_TOTP_REQUIRED, if on { "true" } else { "false" }, &actor.id).await?;
    audit::append(&mut tx, &actor.id, "settings.staff_totp_required", STAFF_TOTP_REQUIRED, &json!({"value": on}))
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238_and_recovery_codes_normalise() {
        // RFC 6238 Appendix B, SHA-1, T = 59: 94287082 (8 digits); the 6-digit code is its tail.
        let secret = Secret::new(b"12345678901234567890".to_vec().into_boxed_slice()).to_base32();
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        let uri = otpauth_uri(&secret, "a@b.kz");
        assert!(uri.starts_with("otpauth://totp/Senim%3Aa%40b.kz?secret=GEZDGNBVGY3TQOJQ"), "{uri}");
        let c = new_recovery_code().unwrap();
        assert_eq!(c.len(), 19);
        assert_eq!(recovery_digest(&c), recovery_digest(&c.to_lowercase().replace('-', " ")));
    }
}
