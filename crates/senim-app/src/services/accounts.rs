//! Self-service accounts (issue 3): registration with e-mail confirmation, password reset and change,
//! the organisation (identified by its BIN/IIN) and invitations of colleagues.
//!
//! Answers never say whether an e-mail address has an account: a duplicate registration and a reset
//! for an unknown address look the same to the asker, and the address's owner gets a message instead.

use jiff::SignedDuration;
use senim_domain::application::{Applicant, FieldError, codes, is_email};
use senim_domain::identity::BinIin;
use senim_domain::lang::Lang;
use senim_domain::role::Role;
use senim_store::email_tokens::{self, NewToken, Purpose};
use senim_store::organisations::{self, Organisation};
use senim_store::users::{self, NewUser, User};
use senim_store::{StoreError, audit};
use serde_json::json;

use super::notify::mail;
use super::{ServiceError, ServiceResult};
use crate::AppState;
use crate::passwords as auth;

/// Shortest password accepted; long passphrases are welcome (NIST SP 800-63B: length over rules).
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 200;

const CONFIRM_VALID: SignedDuration = SignedDuration::from_hours(48);
const RESET_VALID: SignedDuration = SignedDuration::from_hours(1);
const INVITE_VALID: SignedDuration = SignedDuration::from_hours(7 * 24);

/// What a person registering types in.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Registration {
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    pub org_bin_iin: String,
    pub org_name: String,
}

/// The errors of a new password and its repetition.
pub fn check_password(password: &str, confirm: &str, field: &'static str) -> Vec<FieldError> {
    let n = password.chars().count();
    if n == 0 {
        vec![FieldError::new(field, codes::REQUIRED)]
    } else if n < MIN_PASSWORD_CHARS {
        vec![FieldError::new(field, "password.too_short")]
    } else if n > MAX_PASSWORD_CHARS {
        vec![FieldError::new(field, codes::TOO_LONG)]
    } else if password != confirm {
        vec![FieldError::new(format!("{field}_confirm"), "password.mismatch")]
    } else {
        vec![]
    }
}

fn require(errors: &mut Vec<FieldError>, field: &'static str, value: &str) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, codes::REQUIRED));
    }
}

fn check_email(errors: &mut Vec<FieldError>, field: &'static str, value: &str) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, codes::REQUIRED));
    } else if !is_email(value) {
        errors.push(FieldError::new(field, codes::EMAIL));
    }
}

/// The absolute address of a path, for links in e-mails.
pub fn link(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.public_url.trim_end_matches('/'))
}

async fn issue_token(
    tx: &mut senim_store::Tx<'_>,
    purpose: Purpose,
    email: &str,
    user_id: Option<&str>,
    org_id: Option<&str>,
    created_by: Option<&str>,
    valid_for: SignedDuration,
) -> ServiceResult<String> {
    let token = auth::link_token()?;
    let digest = auth::token_digest(&token);
    email_tokens::create(
        tx,
        NewToken { token_sha256: &digest, purpose, email, user_id, org_id, created_by, valid_for },
    )
    .await?;
    Ok(token)
}

/// Registers a person and their organisation; the account works once the address is confirmed.
/// An address that already has an account gets an e-mail saying so, and the caller sees the same
/// "check your e-mail" answer as for a new one.
pub async fn register(state: &AppState, r: Registration, lang: Lang) -> ServiceResult<()> {
    let mut errors = Vec::new();
    require(&mut errors, "name", &r.name);
    check_email(&mut errors, "email", &r.email);
    errors.extend(check_password(&r.password, &r.password_confirm, "password"));
    if r.org_bin_iin.trim().is_empty() {
        errors.push(FieldError::new("org_bin_iin", codes::REQUIRED));
    } else if let Err(e) = BinIin::parse(&r.org_bin_iin) {
        errors.push(FieldError::new("org_bin_iin", e.code()));
    }
    require(&mut errors, "org_name", &r.org_name);
    if errors.is_empty() && organisations::by_bin_iin(&state.store, &r.org_bin_iin).await?.is_some() {
        // The BIN of a company is public, so saying it is registered leaks nothing; it stops a
        // stranger from opening a second organisation in another's name.
        errors.push(FieldError::new("org_bin_iin", "org.exists"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if let Some(existing) = users::by_email(&state.store, &r.email).await? {
        let mut tx = state.store.begin().await?;
        let args = [("link", link(state, "/password/forgot"))];
        mail(&mut tx, &existing.email, user_lang(&existing), "mail-already-registered", &args).await?;
        tx.commit().await?;
        return Ok(());
    }
    let hash = auth::hash_password_blocking(r.password.clone()).await?;
    let profile = Applicant {
        name: r.org_name.trim().to_owned(),
        bin_iin: r.org_bin_iin.trim().to_owned(),
        contact: senim_domain::application::Contact {
            name: r.name.trim().to_owned(),
            email: users::normalize_email(&r.email),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut tx = state.store.begin().await?;
    let org = organisations::create(&mut tx, &profile).await.map_err(|e| conflict(e, "org_bin_iin", "org.exists"))?;
    let new =
        NewUser { email: &r.email, name: r.name.trim(), password_hash: &hash, role: Role::Applicant, body_code: None };
    let user = users::register(&mut tx, new, &org.id, lang.code(), false).await.map_err(|e| match e {
        // Registered by someone else a moment ago: same answer as above.
        StoreError::Conflict(_) => ServiceError::Invalid(vec![FieldError::new("email", "email.taken")]),
        other => other.into(),
    })?;
    let token = issue_token(&mut tx, Purpose::Confirm, &user.email, Some(&user.id), None, None, CONFIRM_VALID).await?;
    audit::append(&mut tx, &user.id, "user.register", &user.id, &json!({"org": org.id, "bin_iin": org.bin_iin}))
        .await?;
    let args = [("name", user.name.clone()), ("link", link(state, &format!("/confirm/{token}")))];
    mail(&mut tx, &user.email, lang, "mail-confirm", &args).await?;
    tx.commit().await?;
    Ok(())
}

fn conflict(e: StoreError, field: &'static str, code: &'static str) -> ServiceError {
    match e {
        StoreError::Conflict(_) => ServiceError::Invalid(vec![FieldError::new(field, code)]),
        other => other.into(),
    }
}

pub fn user_lang(user: &User) -> Lang {
    Lang::parse(&user.lang).unwrap_or(Lang::Kk)
}

/// Follows a confirmation link. Returns the confirmed user.
pub async fn confirm(state: &AppState, token: &str) -> ServiceResult<User> {
    let digest = auth::token_digest(token);
    let t = email_tokens::live(&state.store, &digest, Purpose::Confirm).await?.ok_or(ServiceError::NotFound)?;
    let user_id = t.user_id.ok_or(ServiceError::NotFound)?;
    let user = users::by_id(&state.store, &user_id).await?.ok_or(ServiceError::NotFound)?;
    let mut tx = state.store.begin().await?;
    if !email_tokens::consume(&mut tx, &digest).await? {
        return Err(ServiceError::NotFound);
    }
    users::confirm_email(&mut tx, &user.id).await?;
    audit::append(&mut tx, &user.id, "user.confirm_email", &user.id, &json!({})).await?;
    tx.commit().await?;
    Ok(User { email_confirmed: true, ..user })
}

/// Sends a new confirmation link to an unconfirmed account (silently nothing otherwise).
pub async fn resend_confirmation(state: &AppState, email: &str) -> ServiceResult<()> {
    let Some(user) = users::by_email(&state.store, email).await?.filter(|u| !u.email_confirmed && !u.disabled) else {
        return Ok(());
    };
    let mut tx = state.store.begin().await?;
    let token = issue_token(&mut tx, Purpose::Confirm, &user.email, Some(&user.id), None, None, CONFIRM_VALID).await?;
    let args = [("name", user.name.clone()), ("link", link(state, &format!("/confirm/{token}")))];
    mail(&mut tx, &user.email, user_lang(&user), "mail-confirm", &args).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a password-reset link if the address has an account; the caller cannot tell either way.
pub async fn forgot_password(state: &AppState, email: &str) -> ServiceResult<()> {
    let mut errors = Vec::new();
    check_email(&mut errors, "email", email);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let Some(user) = users::by_email(&state.store, email).await?.filter(|u| !u.disabled) else {
        return Ok(());
    };
    let mut tx = state.store.begin().await?;
    let token = issue_token(&mut tx, Purpose::Reset, &user.email, Some(&user.id), None, None, RESET_VALID).await?;
    audit::append(&mut tx, &user.id, "user.password_reset_requested", &user.id, &json!({})).await?;
    let args = [("name", user.name.clone()), ("link", link(state, &format!("/password/reset/{token}")))];
    mail(&mut tx, &user.email, user_lang(&user), "mail-reset", &args).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link is still good (to show the form or say it has expired).
pub async fn reset_link_is_live(state: &AppState, token: &str) -> ServiceResult<bool> {
    Ok(email_tokens::live(&state.store, &auth::token_digest(token), Purpose::Reset).await?.is_some())
}

/// Sets a new password from a reset link. Following the link also proves the address.
pub async fn reset_password(state: &AppState, token: &str, password: &str, confirm: &str) -> ServiceResult<User> {
    let digest = auth::token_digest(token);
    let t = email_tokens::live(&state.store, &digest, Purpose::Reset).await?.ok_or(ServiceError::NotFound)?;
    let errors = check_password(password, confirm, "password");
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let user_id = t.user_id.ok_or(ServiceError::NotFound)?;
    let user = users::by_id(&state.store, &user_id).await?.ok_or(ServiceError::NotFound)?;
    let hash = auth::hash_password_blocking(password.to_owned()).await?;
    let mut tx = state.store.begin().await?;
    if !email_tokens::consume(&mut tx, &digest).await? {
        return Err(ServiceError::NotFound);
    }
    users::set_password(&mut tx, &user.id, &hash).await?;
    users::confirm_email(&mut tx, &user.id).await?;
    audit::append(&mut tx, &user.id, "user.password_reset", &user.id, &json!({})).await?;
    mail(&mut tx, &user.email, user_lang(&user), "mail-password-changed", &[("name", user.name.clone())]).await?;
    tx.commit().await?;
    Ok(User { password_hash: hash, email_confirmed: true, ..user })
}

/// Changes the signed-in user's password; the current one is asked for again.
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: &str,
    password: &str,
    confirm: &str,
) -> ServiceResult<User> {
    let mut errors = Vec::new();
    if !auth::verify_password_blocking(current.to_owned(), user.password_hash.clone()).await {
        errors.push(FieldError::new("current_password", "password.wrong"));
    }
    errors.extend(check_password(password, confirm, "password"));
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = auth::hash_password_blocking(password.to_owned()).await?;
    let mut tx = state.store.begin().await?;
    users::set_password(&mut tx, &user.id, &hash).await?;
    audit::append(&mut tx, &user.id, "user.password_change", &user.id, &json!({})).await?;
    mail(&mut tx, &user.email, user_lang(user), "mail-password-changed", &[("name", user.name.clone())]).await?;
    tx.commit().await?;
    Ok(User { password_hash: hash, ..user.clone() })
}

/// The applicant's organisation, if they have one.
pub async fn organisation_of(state: &AppState, user: &User) -> ServiceResult<Option<Organisation>> {
    match &user.org_id {
        Some(id) => Ok(organisations::get(&state.store, id).await?),
        None => Ok(None),
    }
}

/// Saves the organisation profile (the Annex 1 applicant block). The BIN/IIN identifies the
/// organisation and is not changed here. Format errors are returned and nothing is saved.
pub async fn save_profile(state: &AppState, user: &User, mut profile: Applicant) -> ServiceResult<Organisation> {
    let org = organisation_of(state, user).await?.ok_or(ServiceError::Forbidden)?;
    profile.bin_iin = org.bin_iin.clone();
    let probe = senim_domain::application::ApplicationForm { applicant: profile.clone(), ..Default::default() };
    let errors: Vec<FieldError> = probe
        .check_draft(senim_domain::calendar::kz_date(jiff::Timestamp::now()))
        .into_iter()
        .filter(|e| e.field.starts_with("applicant."))
        .collect();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    organisations::save_profile(&mut tx, &org.id, &profile).await?;
    audit::append(&mut tx, &user.id, "organisation.save", &org.id, &json!({})).await?;
    tx.commit().await?;
    Ok(Organisation { profile, ..org })
}

/// Creates an organisation for an applicant who has none yet (accounts made by an administrator).
pub async fn create_organisation(state: &AppState, user: &User, profile: Applicant) -> ServiceResult<Organisation> {
    if user.role != Role::Applicant || user.org_id.is_some() {
        return Err(ServiceError::Forbidden);
    }
    let mut errors = Vec::new();
    if profile.bin_iin.trim().is_empty() {
        errors.push(FieldError::new("applicant.bin_iin", codes::REQUIRED));
    } else if let Err(e) = BinIin::parse(&profile.bin_iin) {
        errors.push(FieldError::new("applicant.bin_iin", e.code()));
    }
    require(&mut errors, "applicant.name", &profile.name);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    let org =
        organisations::create(&mut tx, &profile).await.map_err(|e| conflict(e, "applicant.bin_iin", "org.exists"))?;
    users::set_org(&mut tx, &user.id, &org.id).await?;
    audit::append(&mut tx, &user.id, "organisation.create", &org.id, &json!({"bin_iin": org.bin_iin})).await?;
    tx.commit().await?;
    Ok(org)
}

/// Invites a colleague by e-mail to join the caller's organisation.
pub async fn invite(state: &AppState, user: &User, email: &str) -> ServiceResult<()> {
    let org = organisation_of(state, user).await?.ok_or(ServiceError::Forbidden)?;
    let mut errors = Vec::new();
    check_email(&mut errors, "email", email);
    if errors.is_empty() && users::by_email(&state.store, email).await?.is_some() {
        errors.push(FieldError::new("email", "invite.has_account"));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    let token = issue_token(&mut tx, Purpose::Invite, email, None, Some(&org.id), Some(&user.id), INVITE_VALID).await?;
    audit::append(&mut tx, &user.id, "organisation.invite", &org.id, &json!({"email": users::normalize_email(email)}))
        .await?;
    let args = [
        ("name", user.name.clone()),
        ("org", org.profile.name.clone()),
        ("link", link(state, &format!("/invite/{token}"))),
    ];
    mail(&mut tx, email, user_lang(user), "mail-invite", &args).await?;
    tx.commit().await?;
    Ok(())
}

/// An open invitation: the address it was sent to and the organisation's name.
pub async fn invitation(state: &AppState, token: &str) -> ServiceResult<(String, Organisation)> {
    let t = email_tokens::live(&state.store, &auth::token_digest(token), Purpose::Invite)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let org_id = t.org_id.ok_or(ServiceError::NotFound)?;
    let org = organisations::get(&state.store, &org_id).await?.ok_or(ServiceError::NotFound)?;
    Ok((t.email, org))
}

/// Accepts an invitation: a new confirmed account in the organisation (the link proved the address).
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    name: &str,
    password: &str,
    confirm: &str,
    lang: Lang,
) -> ServiceResult<User> {
    let (email, org) = invitation(state, token).await?;
    let mut errors = Vec::new();
    require(&mut errors, "name", name);
    errors.extend(check_password(password, confirm, "password"));
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let hash = auth::hash_password_blocking(password.to_owned()).await?;
    let mut tx = state.store.begin().await?;
    if !email_tokens::consume(&mut tx, &auth::token_digest(token)).await? {
        return Err(ServiceError::NotFound);
    }
    let new =
        NewUser { email: &email, name: name.trim(), password_hash: &hash, role: Role::Applicant, body_code: None };
    let user = users::register(&mut tx, new, &org.id, lang.code(), true)
        .await
        .map_err(|e| conflict(e, "email", "invite.has_account"))?;
    audit::append(&mut tx, &user.id, "organisation.join", &org.id, &json!({"user": user.id})).await?;
    tx.commit().await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_length_and_a_matching_repetition() {
        assert_eq!(check_password("", "", "password")[0].code, codes::REQUIRED);
        assert_eq!(check_password("short", "short", "password")[0].code, "password.too_short");
        let mismatch = check_password("long enough passphrase", "long enough passphrasE", "password");
        assert_eq!(mismatch[0].field, "password_confirm");
        assert_eq!(mismatch[0].code, "password.mismatch");
        assert!(check_password("тұрақты құпиясөз", "тұрақты құпиясөз", "password").is_empty());
        let long = "x".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(check_password(&long, &long, "password")[0].code, codes::TOO_LONG);
    }
}
