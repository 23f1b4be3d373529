//! The second factor in the browser: the sign-in step that asks for a code, and the account page
//! where staff enrol (secret shown as base32 text and an `otpauth://` URI, confirmed by a code).
//!
//! Between the password and the code the session holds only a *pending* marker: [`crate::auth`]
//! reads `user_id`, which is written once the code is right, so a half-signed-in session opens nothing.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_store::audit;
use senim_store::users::{self, User};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::account::{home_of, local_path};
use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::auth::{self, SESSION_STAMP, SESSION_USER};
use crate::services::ServiceError;
use crate::services::second_factor::{self as svc, Proof};

const PENDING_USER: &str = "pending_user_id";
const PENDING_STAMP: &str = "pending_stamp";
const PENDING_NEXT: &str = "pending_next";
const PENDING_TRIES: &str = "pending_tries";
const SETUP_SECRET: &str = "totp_setup_secret";
/// Wrong codes allowed per password sign-in; then the password must be given again.
const MAX_TRIES: u32 = 5;

/// After a right password for an enrolled user: remember who is half signed in, and ask for the code.
pub async fn start(p: &Ctx, session: &Session, user: &User, next: String) -> Response {
    let stamp = auth::session_stamp(&user.password_hash);
    if session.cycle_id().await.is_err()
        || session.remove_value(SESSION_USER).await.is_err()
        || session.insert(PENDING_USER, &user.id).await.is_err()
        || session.insert(PENDING_STAMP, stamp).await.is_err()
        || session.insert(PENDING_NEXT, next).await.is_err()
        || session.insert(PENDING_TRIES, 0_u32).await.is_err()
    {
        return error_page(p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
    }
    see_other("/signin/code")
}

#[derive(Template)]
#[template(path = "signin_code.html")]
pub struct CodePage {
    pub p: Ctx,
    pub failed: bool,
}

async fn pending_user(state: &AppState, session: &Session) -> Option<User> {
    let id = session.get::<String>(PENDING_USER).await.ok().flatten()?;
    let stamp = session.get::<String>(PENDING_STAMP).await.ok().flatten()?;
    users::by_id(&state.store, &id)
        .await
        .ok()
        .flatten()
        .filter(|u| !u.disabled && auth::session_stamp(&u.password_hash) == stamp)
}

async fn clear_pending(session: &Session) {
    for key in [PENDING_USER, PENDING_STAMP, PENDING_NEXT, PENDING_TRIES] {
        let _ = session.remove_value(key).await;
    }
}

pub async fn code_page(p: Ctx, State(state): State<AppState>, session: Session) -> Response {
    if pending_user(&state, &session).await.is_none() {
        return see_other("/signin");
    }
    render(&CodePage { p, failed: false })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The second step of sign-in. Rate-limited like `/signin` (see `rate_limit.rs`), and at most
/// [`MAX_TRIES`] wrong codes per password.
pub async fn code(p: Ctx, State(state): State<AppState>, session: Session, Form(f): Form<CodeForm>) -> Response {
    let Some(user) = pending_user(&state, &session).await else {
        return see_other("/signin");
    };
    let proof = match svc::verify(&state, &user, &f.code, Timestamp::now()).await {
        Ok(p) => p,
        Err(e) => return service_error(&p, e),
    };
    let Some(proof) = proof else {
        let tries = session.get::<u32>(PENDING_TRIES).await.ok().flatten().unwrap_or(0) + 1;
        let _ =
            audit::append_now(&state.store, &user.id, "user.signin_code_wrong", &user.id, &json!({"try": tries})).await;
        if tries >= MAX_TRIES {
            clear_pending(&session).await;
            return see_other("/signin");
        }
        let _ = session.insert(PENDING_TRIES, tries).await;
        return (StatusCode::UNAUTHORIZED, render(&CodePage { p, failed: true })).into_response();
    };
    let next = session.get::<String>(PENDING_NEXT).await.ok().flatten().unwrap_or_default();
    clear_pending(&session).await;
    if session.cycle_id().await.is_err()
        || session.insert(SESSION_USER, &user.id).await.is_err()
        || session.insert(SESSION_STAMP, auth::session_stamp(&user.password_hash)).await.is_err()
    {
        return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
    }
    let how = if proof == Proof::Totp { "totp" } else { "recovery_code" };
    let _ = audit::append_now(&state.store, &user.id, "user.signin", &user.id, &json!({"second_factor": how})).await;
    let next = local_path(Some(next));
    see_other(if next.is_empty() { home_of(user.role) } else { &next })
}

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SetupPage {
    pub p: Ctx,
    pub enrolled: bool,
    pub required: bool,
    pub codes_left: i64,
    /// While enrolling: the new secret (base32, in groups of four) and its URI.
    pub secret: String,
    pub uri: String,
    pub error: String,
    /// Just enrolled: the recovery codes, shown this once.
    pub recovery_codes: Vec<String>,
}

impl SetupPage {
    pub fn secret_groups(&self) -> String {
        self.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }
}

async fn setup_view(p: Ctx, state: &AppState, session: &Session, user: &User, error: String) -> Response {
    if !user.role.is_staff() {
        return error_page(&p, StatusCode::FORBIDDEN, "page-forbidden");
    }
    let enrolled = match svc::enrolled(state, user).await {
        Ok(e) => e,
        Err(e) => return service_error(&p, e),
    };
    let required = svc::required(state).await.unwrap_or(false);
    let codes_left = if enrolled { svc::recovery_codes_left(state, user).await.unwrap_or(0) } else { 0 };
    let mut secret = String::new();
    if !enrolled {
        // One secret per enrolment attempt, kept in the session until a code confirms it.
        secret = match session.get::<String>(SETUP_SECRET).await.ok().flatten() {
            Some(s) => s,
            None => {
                let Ok(s) = svc::new_secret() else {
                    return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
                };
                if session.insert(SETUP_SECRET, &s).await.is_err() {
                    return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
                }
                s
            }
        };
    }
    let uri = if secret.is_empty() { String::new() } else { svc::otpauth_uri(&secret, &user.email) };
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SetupPage { p, enrolled, required, codes_left, secret, uri, error, recovery_codes: vec![] };
    (status, render(&page)).into_response()
}

pub async fn setup_page(p: Ctx, State(state): State<AppState>, session: Session) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    setup_view(p, &state, &session, &user, String::new()).await
}

/// Confirms enrolment with a code from the new secret, and shows the recovery codes once.
pub async fn confirm(p: Ctx, State(state): State<AppState>, session: Session, Form(f): Form<CodeForm>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let Some(secret) = session.get::<String>(SETUP_SECRET).await.ok().flatten() else {
        return setup_view(p, &state, &session, &user, String::new()).await;
    };
    match svc::enable(&state, &user, &secret, &f.code, Timestamp::now()).await {
        Ok(recovery_codes) => {
            let _ = session.remove_value(SETUP_SECRET).await;
            let required = svc::required(&state).await.unwrap_or(false);
            let page = SetupPage {
                p,
                enrolled: true,
                required,
                codes_left: recovery_codes.len() as i64,
                secret: String::new(),
                uri: String::new(),
                error: String::new(),
                recovery_codes,
            };
            render(&page)
        }
        Err(ServiceError::Invalid(_)) => {
            let msg = p.t("err-totp-wrong");
            setup_view(p, &state, &session, &user, msg).await
        }
        Err(e) => service_error(&p, e),
    }
}

pub async fn disable(p: Ctx, State(state): State<AppState>, session: Session, Form(f): Form<CodeForm>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match svc::disable(&state, &user, &f.code, Timestamp::now()).await {
        Ok(()) => setup_view(p, &state, &session, &user, String::new()).await,
        Err(ServiceError::Invalid(_)) => {
            let msg = p.t("err-totp-wrong");
            setup_view(p, &state, &session, &user, msg).await
        }
        Err(e) => service_error(&p, e),
    }
}
