//! Registration, e-mail confirmation, password reset and invitations: the pages a person uses before
//! (or instead of) signing in.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_domain::application::FieldError;
use serde::Deserialize;
use tower_sessions::Session;

use super::form::Field;
use super::{Ctx, error_page, render, service_error};
use crate::AppState;
use crate::auth::{self, SESSION_STAMP, SESSION_USER};
use crate::services::ServiceError;
use crate::services::accounts::{self as svc, Registration};

/// A small form of single-value fields (registration, password, invitation).
#[derive(Template)]
#[template(path = "simple_form.html")]
pub struct SimpleForm {
    pub p: Ctx,
    pub title: String,
    pub lead: Vec<String>,
    pub notice: String,
    pub action: String,
    pub button: String,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<Field>,
    pub errors: Vec<FieldError>,
    pub links: Vec<(String, String)>,
}

impl SimpleForm {
    pub fn new(p: Ctx, title_key: &str, action: &str, button_key: &str) -> Self {
        SimpleForm {
            title: p.t(title_key),
            button: p.t(button_key),
            action: action.to_owned(),
            lead: vec![],
            notice: String::new(),
            hidden: vec![],
            fields: vec![],
            errors: vec![],
            links: vec![],
            p,
        }
    }
    pub fn field(mut self, key: &'static str, input: &'static str, autocomplete: &'static str, value: &str) -> Self {
        self.fields.push(Field::new(&self.p, key, input, autocomplete, value, &self.errors));
        self
    }
    pub fn lead(mut self, key: &str) -> Self {
        self.lead.push(self.p.t(key));
        self
    }
    pub fn link(mut self, href: &str, key: &str) -> Self {
        self.links.push((href.to_owned(), self.p.t(key)));
        self
    }
    pub fn errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }
    /// What `field.html` asks of its page for multilingual inputs (none here).
    pub fn langs(&self) -> Vec<(&'static str, String)> {
        vec![]
    }
    pub fn v(&self, _key: &str) -> String {
        String::new()
    }
    /// Rendered with 422 when it carries errors.
    pub fn respond(&self) -> Response {
        let status = if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        (status, render(self)).into_response()
    }
}

/// A page of text, with an optional single-button form.
#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    pub p: Ctx,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub action: String,
    pub button: String,
    pub hidden: Vec<(String, String)>,
    pub links: Vec<(String, String)>,
}

impl Message {
    pub fn new(p: Ctx, title_key: &str, text_keys: &[&str]) -> Self {
        Message {
            title: p.t(title_key),
            paragraphs: text_keys.iter().map(|k| p.t(k)).collect(),
            action: String::new(),
            button: String::new(),
            hidden: vec![],
            links: vec![],
            p,
        }
    }
    pub fn link(mut self, href: &str, key: &str) -> Self {
        self.links.push((href.to_owned(), self.p.t(key)));
        self
    }
}

fn register_form(p: Ctx, r: &Registration, errors: Vec<FieldError>) -> SimpleForm {
    SimpleForm::new(p, "register-title", "/register", "register-button")
        .lead("register-lead")
        .errors(errors)
        .field("name", "text", "name", &r.name)
        .field("email", "email", "email", &r.email)
        .field("password", "password", "new-password", "")
        .field("password_confirm", "password", "new-password", "")
        .field("org_bin_iin", "bin", "off", &r.org_bin_iin)
        .field("org_name", "text", "organization", &r.org_name)
        .link("/signin", "register-have-account")
}

pub async fn register_page(p: Ctx) -> Response {
    register_form(p, &Registration::default(), vec![]).respond()
}

pub async fn register(p: Ctx, State(state): State<AppState>, Form(r): Form<Registration>) -> Response {
    match svc::register(&state, r.clone(), p.lang).await {
        Ok(()) => {
            let mut m = Message::new(p, "register-sent-title", &["register-sent-text"]);
            if state.config.demo {
                m.paragraphs.push(m.p.t("demo-mail-hint"));
            }
            render(&m)
        }
        Err(ServiceError::Invalid(errors)) => register_form(p, &r, errors).respond(),
        Err(e) => service_error(&p, e),
    }
}

/// The confirmation link shows a button rather than confirming on GET, so that a mail scanner that
/// fetches links does not use the token up.
pub async fn confirm_page(p: Ctx, Path(token): Path<String>) -> Response {
    let mut m = Message::new(p, "confirm-title", &["confirm-text"]);
    m.action = "/confirm".into();
    m.button = m.p.t("confirm-button");
    m.hidden.push(("token".into(), token));
    render(&m)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

pub async fn confirm(p: Ctx, State(state): State<AppState>, Form(f): Form<TokenForm>) -> Response {
    match svc::confirm(&state, &f.token).await {
        Ok(_) => render(&Message::new(p, "confirmed-title", &["confirmed-text"]).link("/signin", "nav-signin")),
        Err(ServiceError::NotFound) => link_expired(p),
        Err(e) => service_error(&p, e),
    }
}

fn link_expired(p: Ctx) -> Response {
    let m = Message::new(p, "link-expired-title", &["link-expired-text"])
        .link("/confirm/resend", "resend-title")
        .link("/password/forgot", "forgot-title");
    (StatusCode::NOT_FOUND, render(&m)).into_response()
}

#[derive(Deserialize, Default)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

fn resend_form(p: Ctx, email: &str, errors: Vec<FieldError>) -> SimpleForm {
    SimpleForm::new(p, "resend-title", "/confirm/resend", "resend-button")
        .lead("resend-lead")
        .errors(errors)
        .field("email", "email", "email", email)
}

pub async fn resend_page(p: Ctx) -> Response {
    resend_form(p, "", vec![]).respond()
}

pub async fn resend(p: Ctx, State(state): State<AppState>, Form(f): Form<EmailForm>) -> Response {
    if !senim_domain::application::is_email(&f.email) {
        return resend_form(p, &f.email, vec![FieldError::new("email", "email.format")]).respond();
    }
    match svc::resend_confirmation(&state, &f.email).await {
        Ok(()) => render(&Message::new(p, "register-sent-title", &["resend-sent-text"])),
        Err(e) => service_error(&p, e),
    }
}

fn forgot_form(p: Ctx, email: &str, errors: Vec<FieldError>) -> SimpleForm {
    SimpleForm::new(p, "forgot-title", "/password/forgot", "forgot-button")
        .lead("forgot-lead")
        .errors(errors)
        .field("email", "email", "email", email)
}

pub async fn forgot_page(p: Ctx) -> Response {
    forgot_form(p, "", vec![]).respond()
}

pub async fn forgot(p: Ctx, State(state): State<AppState>, Form(f): Form<EmailForm>) -> Response {
    match svc::forgot_password(&state, &f.email).await {
        Ok(()) => render(&Message::new(p, "forgot-sent-title", &["forgot-sent-text"])),
        Err(ServiceError::Invalid(errors)) => forgot_form(p, &f.email, errors).respond(),
        Err(e) => service_error(&p, e),
    }
}

fn reset_form(p: Ctx, token: &str, errors: Vec<FieldError>) -> SimpleForm {
    SimpleForm::new(p, "reset-title", &format!("/password/reset/{token}"), "reset-button")
        .errors(errors)
        .field("password", "password", "new-password", "")
        .field("password_confirm", "password", "new-password", "")
}

pub async fn reset_page(p: Ctx, State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match svc::reset_link_is_live(&state, &token).await {
        Ok(true) => reset_form(p, &token, vec![]).respond(),
        Ok(false) => link_expired(p),
        Err(e) => service_error(&p, e),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn reset(
    p: Ctx,
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Response {
    match svc::reset_password(&state, &token, &f.password, &f.password_confirm).await {
        Ok(_) => render(&Message::new(p, "reset-done-title", &["reset-done-text"]).link("/signin", "nav-signin")),
        Err(ServiceError::Invalid(errors)) => reset_form(p, &token, errors).respond(),
        Err(ServiceError::NotFound) => link_expired(p),
        Err(e) => service_error(&p, e),
    }
}

fn invite_form(p: Ctx, token: &str, email: &str, org: &str, name: &str, errors: Vec<FieldError>) -> SimpleForm {
    let mut f = SimpleForm::new(p, "join-title", &format!("/invite/{token}"), "join-button").errors(errors);
    f.lead.push(i18n_join_lead(&f.p, org, email));
    f.field("name", "text", "name", name).field("password", "password", "new-password", "").field(
        "password_confirm",
        "password",
        "new-password",
        "",
    )
}

fn i18n_join_lead(p: &Ctx, org: &str, email: &str) -> String {
    crate::i18n::t_args(p.lang, "join-lead", &[("org", org.to_owned()), ("email", email.to_owned())])
}

pub async fn invite_page(p: Ctx, State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match svc::invitation(&state, &token).await {
        Ok((email, org)) => invite_form(p, &token, &email, &org.profile.name, "", vec![]).respond(),
        Err(ServiceError::NotFound) => link_expired(p),
        Err(e) => service_error(&p, e),
    }
}

#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn accept_invite(
    p: Ctx,
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Form(f): Form<JoinForm>,
) -> Response {
    match svc::accept_invitation(&state, &token, &f.name, &f.password, &f.password_confirm, p.lang).await {
        Ok(user) => {
            if session.cycle_id().await.is_err()
                || session.insert(SESSION_USER, &user.id).await.is_err()
                || session.insert(SESSION_STAMP, auth::session_stamp(&user.password_hash)).await.is_err()
            {
                return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
            }
            super::see_other("/applications")
        }
        Err(ServiceError::Invalid(errors)) => match svc::invitation(&state, &token).await {
            Ok((email, org)) => invite_form(p, &token, &email, &org.profile.name, &f.name, errors).respond(),
            Err(e) => service_error(&p, e),
        },
        Err(ServiceError::NotFound) => link_expired(p),
        Err(e) => service_error(&p, e),
    }
}
