//! Signing in and out, and the account page where API tokens are made.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_store::{audit, users};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::applicant::Field;
use super::{Ctx, error_page, render, require_user, see_other};
use crate::AppState;
use crate::auth::{self, SESSION_STAMP, SESSION_USER};
use crate::services::{ServiceError, accounts};
use senim_domain::application::FieldError;

#[derive(Template)]
#[template(path = "signin.html")]
pub struct SigninPage {
    pub p: Ctx,
    pub email: String,
    pub next: String,
    pub failed: bool,
    pub unconfirmed: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub(crate) fn local_path(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//")).unwrap_or_default()
}

pub async fn signin_page(p: Ctx, Query(q): Query<NextQuery>) -> Response {
    render(&SigninPage { p, email: String::new(), next: local_path(q.next), failed: false, unconfirmed: false })
}

#[derive(Deserialize)]
pub struct SigninForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Where each role starts.
pub(crate) fn home_of(role: senim_domain::role::Role) -> &'static str {
    use senim_domain::role::Role;
    match role {
        Role::Applicant => "/applications",
        Role::Reviewer | Role::Observer => "/review",
        Role::Publisher => "/publish",
        Role::BodyAdmin | Role::Admin => "/account",
    }
}

pub async fn signin(p: Ctx, State(state): State<AppState>, session: Session, Form(f): Form<SigninForm>) -> Response {
    let user = users::by_email(&state.store, &f.email).await.ok().flatten().filter(|u| !u.disabled);
    let phc = user.as_ref().map_or_else(|| auth::dummy_hash().to_owned(), |u| u.password_hash.clone());
    let ok = auth::verify_password_blocking(f.password, phc).await && user.is_some();
    let Some(user) = user.filter(|_| ok) else {
        let page = SigninPage { p, email: f.email, next: local_path(Some(f.next)), failed: true, unconfirmed: false };
        return (StatusCode::UNAUTHORIZED, render(&page)).into_response();
    };
    // Said only to whoever knows the password, so it tells a stranger nothing.
    if !user.email_confirmed {
        let page = SigninPage { p, email: f.email, next: local_path(Some(f.next)), failed: false, unconfirmed: true };
        return (StatusCode::FORBIDDEN, render(&page)).into_response();
    }
    // With a second factor the password is only the first step: the session holds a marker, not the user.
    match crate::services::second_factor::enrolled(&state, &user).await {
        Ok(true) => return super::second_factor::start(&p, &session, &user, local_path(Some(f.next))).await,
        Ok(false) => {}
        Err(e) => return super::service_error(&p, e),
    }
    // A new session id at sign-in, so a planted id cannot be ridden.
    if session.cycle_id().await.is_err()
        || session.insert(SESSION_USER, &user.id).await.is_err()
        || session.insert(SESSION_STAMP, auth::session_stamp(&user.password_hash)).await.is_err()
    {
        return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
    }
    let _ = audit::append_now(&state.store, &user.id, "user.signin", &user.id, &json!({})).await;
    if matches!(crate::services::second_factor::must_enrol(&state, &user).await, Ok(true)) {
        return see_other("/account/second-factor");
    }
    let next = local_path(Some(f.next));
    see_other(if next.is_empty() { home_of(user.role) } else { &next })
}

pub async fn signout(session: Session) -> Response {
    let _ = session.flush().await;
    see_other("/")
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub p: Ctx,
    pub new_token: Option<String>,
    pub password_fields: Vec<Field>,
    pub password_errors: Vec<FieldError>,
    pub password_changed: bool,
}

impl AccountPage {
    fn new(p: Ctx, new_token: Option<String>, password_errors: Vec<FieldError>, password_changed: bool) -> Self {
        let password_fields = vec![
            Field::new(&p, "current_password", "password", "current-password", "", &password_errors),
            Field::new(&p, "password", "password", "new-password", "", &password_errors),
            Field::new(&p, "password_confirm", "password", "new-password", "", &password_errors),
        ];
        AccountPage { p, new_token, password_fields, password_errors, password_changed }
    }
    /// What `field.html` asks of its page for multilingual inputs (none here).
    pub fn langs(&self) -> Vec<(&'static str, String)> {
        vec![]
    }
    pub fn v(&self, _key: &str) -> String {
        String::new()
    }
}

pub async fn account_page(p: Ctx) -> Response {
    if let Err(r) = require_user(&p) {
        return r;
    }
    render(&AccountPage::new(p, None, vec![], false))
}

#[derive(Deserialize)]
pub struct ChangePassword {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// Changes the password; this session stays signed in (with the new stamp), every other one ends.
pub async fn change_password(
    p: Ctx,
    State(state): State<AppState>,
    session: Session,
    Form(f): Form<ChangePassword>,
) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match accounts::change_password(&state, &user, &f.current_password, &f.password, &f.password_confirm).await {
        Ok(updated) => {
            if session.cycle_id().await.is_err()
                || session.insert(SESSION_STAMP, auth::session_stamp(&updated.password_hash)).await.is_err()
            {
                return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
            }
            render(&AccountPage::new(p, None, vec![], true))
        }
        Err(ServiceError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, render(&AccountPage::new(p, None, errors, false))).into_response()
        }
        Err(e) => super::service_error(&p, e),
    }
}

/// Creates an API token for the signed-in user; shown once.
pub async fn create_token(p: Ctx, State(state): State<AppState>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let Ok(token) = auth::new_token() else {
        return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
    };
    let result = async {
        let mut tx = state.store.begin().await?;
        users::create_token(&mut tx, &user.id, &auth::token_digest(&token), "web").await?;
        audit::append(&mut tx, &user.id, "token.create", &user.id, &json!({})).await?;
        tx.commit().await
    }
    .await;
    if result.is_err() {
        return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
    }
    render(&AccountPage::new(p, Some(token), vec![], false))
}
