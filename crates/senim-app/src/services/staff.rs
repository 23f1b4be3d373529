//! A body's staff, managed by its body administrator (or the system administrator, for any body):
//! accounts for reviewers, publishers and body administrators, a one-time link to set the password,
//! disabling and enabling, and changing a role within the body.

use jiff::SignedDuration;
use senim_domain::application::{FieldError, codes, is_email};
use senim_domain::role::Role;
use senim_store::email_tokens::{self, NewToken, Purpose};
use senim_store::users::{self, NewUser, User};
use senim_store::{StoreError, audit, bodies, second_factor, sessions};
use serde_json::json;

use super::accounts::{link, user_lang};
use super::notify::mail;
use super::{ServiceError, ServiceResult};
use crate::AppState;
use crate::passwords as auth;

/// The roles a body administrator hands out, all within their own body.
pub const BODY_ROLES: [Role; 3] = [Role::Reviewer, Role::Publisher, Role::BodyAdmin];

/// How long the password-setting link of a new staff account lasts.
const SETUP_VALID: SignedDuration = SignedDuration::from_hours(72);

/// What the body administrator types in for a new colleague.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewStaff {
    pub name: String,
    pub email: String,
    /// `reviewer`, `publisher` or `body_admin`.
    pub role: String,
}

/// The caller may manage the staff of `body`: its own body administrator, or the system administrator.
pub async fn check_manager(state: &AppState, actor: &User, body: &str) -> ServiceResult<()> {
    let allowed = match actor.role {
        Role::Admin => true,
        Role::BodyAdmin => actor.body_code.as_deref() == Some(body),
        _ => false,
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    bodies::get(&state.store, body).await?.ok_or(ServiceError::NotFound)?;
    Ok(())
}

/// The body's staff accounts, disabled ones included.
pub async fn members(state: &AppState, actor: &User, body: &str) -> ServiceResult<Vec<User>> {
    check_manager(state, actor, body).await?;
    Ok(users::of_body(&state.store, body).await?.into_iter().filter(|u| BODY_ROLES.contains(&u.role)).collect())
}

fn body_role(code: &str) -> Option<Role> {
    Role::parse(code.trim()).filter(|r| BODY_ROLES.contains(r))
}

/// Creates a staff account and e-mails its holder a one-time link to set a password. No password is
/// set until then: the stored hash is not a PHC string, so nothing signs in with it.
pub async fn create(state: &AppState, actor: &User, body: &str, new: &NewStaff) -> ServiceResult<User> {
    check_manager(state, actor, body).await?;
    let mut errors = Vec::new();
    if new.name.trim().is_empty() {
        errors.push(FieldError::new("name", codes::REQUIRED));
    }
    if new.email.trim().is_empty() {
        errors.push(FieldError::new("email", codes::REQUIRED));
    } else if !is_email(new.email.trim()) {
        errors.push(FieldError::new("email", codes::EMAIL));
    }
    let role = body_role(&new.role);
    if role.is_none() {
        errors.push(FieldError::new("role", "role.invalid"));
    }
    if errors.is_empty() && users::by_email(&state.store, new.email.trim()).await?.is_some() {
        // Only staff managers see this, and they need to know to pick another address.
        errors.push(FieldError::new("email", "email.taken"));
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let unusable = format!("!unset:{}", auth::link_token()?);
    let mut tx = state.store.begin().await?;
    let user = users::create(
        &mut tx,
        NewUser {
            email: new.email.trim(),
            name: new.name.trim(),
            password_hash: &unusable,
            role,
            body_code: Some(body),
        },
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict(_) => ServiceError::Invalid(vec![FieldError::new("email", "email.taken")]),
        other => other.into(),
    })?;
    let token = auth::link_token()?;
    email_tokens::create(
        &mut tx,
        NewToken {
            token_sha256: &auth::token_digest(&token),
            purpose: Purpose::Reset,
            email: &user.email,
            user_id: Some(&user.id),
            org_id: None,
            created_by: Some(&actor.id),
            valid_for: SETUP_VALID,
        },
    )
    .await?;
    audit::append(&mut tx, &actor.id, "staff.create", &user.id, &json!({"body": body, "role": role.code()})).await?;
    let lang = user_lang(&user);
    let args = [
        ("name", user.name.clone()),
        ("role", crate::i18n::t(lang, &format!("userrole-{}", role.code()))),
        ("body", body.to_owned()),
        ("link", link(state, &format!("/password/reset/{token}"))),
    ];
    mail(&mut tx, &user.email, lang, "mail-staff-welcome", &args).await?;
    tx.commit().await?;
    Ok(user)
}

/// A staff account of the body the caller manages; anything else is not found.
async fn member(state: &AppState, actor: &User, body: &str, user_id: &str) -> ServiceResult<User> {
    check_manager(state, actor, body).await?;
    let user = users::by_id(&state.store, user_id).await?.ok_or(ServiceError::NotFound)?;
    if user.body_code.as_deref() != Some(body) || !BODY_ROLES.contains(&user.role) {
        return Err(ServiceError::NotFound);
    }
    Ok(user)
}

/// Disables or enables a staff account. Disabling ends its sessions and revokes its API tokens (so
/// enabling it again brings none of them back); a disabled account cannot sign in.
pub async fn set_disabled(
    state: &AppState,
    actor: &User,
    body: &str,
    user_id: &str,
    disabled: bool,
) -> ServiceResult<User> {
    let user = member(state, actor, body, user_id).await?;
    if user.id == actor.id {
        return Err(ServiceError::State("staff.self"));
    }
    let mut tx = state.store.begin().await?;
    users::set_disabled(&mut tx, &user.id, disabled).await?;
    let revoked = if disabled { users::revoke_tokens(&mut tx, &user.id).await? } else { 0 };
    let action = if disabled { "staff.disable" } else { "staff.enable" };
    audit::append(&mut tx, &actor.id, action, &user.id, &json!({"body": body, "tokens_revoked": revoked})).await?;
    tx.commit().await?;
    if disabled {
        sessions::delete_for_user(&state.store, &user.id).await?;
    }
    Ok(User { disabled, ..user })
}

/// Changes a staff member's role within the body.
pub async fn set_role(state: &AppState, actor: &User, body: &str, user_id: &str, role: &str) -> ServiceResult<User> {
    let user = member(state, actor, body, user_id).await?;
    let Some(role) = body_role(role) else {
        return Err(ServiceError::Invalid(vec![FieldError::new("role", "role.invalid")]));
    };
    if user.id == actor.id {
        // A body administrator demoting themselves could leave the body with nobody to manage it.
        return Err(ServiceError::State("staff.self"));
    }
    if role == user.role {
        return Ok(user);
    }
    let mut tx = state.store.begin().await?;
    users::set_role(&mut tx, &user.id, role).await?;
    audit::append(
        &mut tx,
        &actor.id,
        "staff.role",
        &user.id,
        &json!({"body": body, "from": user.role.code(), "to": role.code()}),
    )
    .await?;
    tx.commit().await?;
    Ok(User { role, ..user })
}

/// Turns off a staff member's second factor (a lost phone and no recovery codes left): they sign in
/// with the password alone and, where it is required, are sent to enrol again at once.
pub async fn reset_second_factor(state: &AppState, actor: &User, body: &str, user_id: &str) -> ServiceResult<User> {
    let user = member(state, actor, body, user_id).await?;
    if user.id == actor.id {
        return Err(ServiceError::State("staff.self"));
    }
    let mut tx = state.store.begin().await?;
    second_factor::disable(&mut tx, &user.id).await?;
    audit::append(&mut tx, &actor.id, "staff.totp_reset", &user.id, &json!({"body": body})).await?;
    tx.commit().await?;
    Ok(user)
}

/// Which of the given accounts have a second factor.
pub async fn with_second_factor(state: &AppState, members: &[User]) -> ServiceResult<Vec<String>> {
    let mut out = Vec::new();
    for m in members {
        if second_factor::get(&state.store, &m.id).await?.is_some() {
            out.push(m.id.clone());
        }
    }
    Ok(out)
}
