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

use super::form::Field;
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

/// `next` if it is a path on this site, else empty (issue 16, finding 4). Browsers read `/\evil.example`,
/// `/%5Cevil.example` and `/%09/evil.example` as another host, so the rule is checked on the decoded text:
/// one `/`, then a path character (or nothing); no backslash or control character (tab, CR, LF…) anywhere.
/// Spaces and non-ASCII letters (a search for «Ақыл») are percent-encoded, so that the answer is always a
/// valid `Location`.
pub(crate) fn local_path(next: Option<String>) -> String {
    next.filter(|n| is_local_path(n)).map(|n| location_safe(&n)).unwrap_or_default()
}

fn is_local_path(next: &str) -> bool {
    let bad = |c: char| c == '\\' || c.is_control() || (c.is_whitespace() && c != ' ');
    let decoded = percent_decoded(next);
    let mut chars = decoded.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !decoded.chars().any(bad)
        && !next.chars().any(bad)
}

fn location_safe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == ' ' || !c.is_ascii() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `%XX` decoded twice over, so that `%255C` counts as a backslash too.
fn percent_decoded(s: &str) -> String {
    senim_app::percent::decode_lenient(&senim_app::percent::decode_lenient(s))
}

#[cfg(test)]
mod tests {
    use super::local_path;

    /// Issue 16, finding 4: every way the test left the site goes home instead.
    #[test]
    fn next_is_a_path_on_this_site_or_nothing() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%255Cevil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/%2F/evil.example",
            "/%0d%0aX",
            "/\r\nSet-Cookie: x",
            "https://evil.example",
            "evil.example",
            "",
            "%2F%2Fevil.example",
        ] {
            assert_eq!(local_path(Some(bad.to_owned())), "", "{bad:?}");
        }
        for good in ["/", "/applications", "/review/abc?lang=ru", "/bodies/health/list?q=%D0%90", "/a%20b"] {
            assert_eq!(local_path(Some(good.to_owned())), good, "{good:?}");
        }
        // As the query string arrives decoded: a valid Location again.
        assert_eq!(local_path(Some("/search?q=Ақ ыл".to_owned())), "/search?q=%D0%90%D2%9B%20%D1%8B%D0%BB");
    }
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
