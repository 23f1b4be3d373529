//! `/staff`: the body administrator's page of the body's staff accounts (the system administrator
//! sees any body's), and the administrator's switch that makes a second factor compulsory.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use senim_domain::application::FieldError;
use senim_domain::role::Role;
use senim_store::bodies;
use senim_store::users::User;
use serde::Deserialize;

use super::{Ctx, error_page, render, require_user, see_other, service_error, urlencode};
use crate::AppState;
use crate::services::staff::{self as svc, BODY_ROLES, NewStaff};
use crate::services::{ServiceError, second_factor};

#[derive(Template)]
#[template(path = "staff_admin.html")]
pub struct StaffPage {
    pub p: Ctx,
    pub body: String,
    pub body_name: String,
    /// For the system administrator: every body, to pick one.
    pub bodies: Vec<(String, String)>,
    pub members: Vec<User>,
    pub new: NewStaff,
    pub errors: Vec<FieldError>,
    pub notice: String,
    pub totp_required: bool,
    /// Members with a second factor (ids).
    pub with_totp: Vec<String>,
}

impl StaffPage {
    pub fn is_admin(&self) -> bool {
        self.p.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }
    pub fn roles(&self) -> Vec<(&'static str, String)> {
        BODY_ROLES.iter().map(|r| (r.code(), self.p.t(&format!("userrole-{}", r.code())))).collect()
    }
    pub fn role_name(&self, u: &User) -> String {
        self.p.t(&format!("userrole-{}", u.role.code()))
    }
    pub fn has_totp(&self, u: &User) -> bool {
        self.with_totp.contains(&u.id)
    }
    pub fn is_self(&self, u: &User) -> bool {
        self.p.user.as_ref().is_some_and(|me| me.id == u.id)
    }
    pub fn new_value(&self, field: &str) -> &str {
        if field == "name" { &self.new.name } else { &self.new.email }
    }
    pub fn err(&self, field: &str) -> String {
        self.errors.iter().find(|e| e.field == field).map(|e| self.p.error_text(e)).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
pub struct BodyQuery {
    #[serde(default)]
    body: String,
    #[serde(default)]
    done: String,
}

/// The body the caller manages here: a body administrator's own; the administrator's choice (or the
/// first body). Anyone else may not see the page.
async fn body_of(p: &Ctx, state: &AppState, asked: &str) -> Result<(User, String), Response> {
    let user = require_user(p)?.clone();
    if matches!(second_factor::must_enrol(state, &user).await, Ok(true)) {
        return Err(see_other("/account/second-factor"));
    }
    match user.role {
        Role::BodyAdmin => {
            let own = user.body_code.clone().unwrap_or_default();
            if !asked.is_empty() && asked != own {
                return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
            }
            Ok((user, own))
        }
        Role::Admin if !asked.is_empty() => Ok((user, asked.to_owned())),
        Role::Admin => {
            let first = bodies::all(&state.store).await.ok().and_then(|b| b.into_iter().next()).map(|b| b.code);
            Ok((user, first.unwrap_or_default()))
        }
        _ => Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden")),
    }
}

async fn view(
    p: Ctx,
    state: &AppState,
    user: &User,
    body: String,
    new: NewStaff,
    errors: Vec<FieldError>,
    notice: String,
) -> Response {
    let members = match svc::members(state, user, &body).await {
        Ok(m) => m,
        Err(e) => return service_error(&p, e),
    };
    let all = bodies::all(&state.store).await.unwrap_or_default();
    let body_name = all.iter().find(|b| b.code == body).map(|b| p.text(&b.name)).unwrap_or_default();
    let bodies = if user.role == Role::Admin {
        all.iter().map(|b| (b.code.clone(), p.text(&b.short_name))).collect()
    } else {
        vec![]
    };
    let totp_required = second_factor::required(state).await.unwrap_or(false);
    let with_totp = svc::with_second_factor(state, &members).await.unwrap_or_default();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = StaffPage { p, body, body_name, bodies, members, new, errors, notice, totp_required, with_totp };
    (status, render(&page)).into_response()
}

pub async fn page(p: Ctx, State(state): State<AppState>, Query(q): Query<BodyQuery>) -> Response {
    let (user, body) = match body_of(&p, &state, &q.body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let notice = match q.done.as_str() {
        "created" | "disabled" | "enabled" | "role" | "totp" | "totp-reset" => p.t(&format!("staff-done-{}", q.done)),
        _ => String::new(),
    };
    view(p, &state, &user, body, NewStaff::default(), vec![], notice).await
}

fn back(body: &str, done: &str) -> Response {
    see_other(&format!("/staff?body={}&done={done}", urlencode(body)))
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    body: String,
    #[serde(flatten)]
    new: NewStaff,
}

pub async fn create(p: Ctx, State(state): State<AppState>, Form(f): Form<CreateForm>) -> Response {
    let (user, body) = match body_of(&p, &state, &f.body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match svc::create(&state, &user, &body, &f.new).await {
        Ok(_) => back(&body, "created"),
        Err(ServiceError::Invalid(errors)) => view(p, &state, &user, body, f.new, errors, String::new()).await,
        Err(e) => service_error(&p, e),
    }
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    role: String,
}

async fn member_action(p: Ctx, state: AppState, id: String, f: MemberForm, action: &'static str) -> Response {
    let (user, body) = match body_of(&p, &state, &f.body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result = match action {
        "disabled" => svc::set_disabled(&state, &user, &body, &id, true).await,
        "enabled" => svc::set_disabled(&state, &user, &body, &id, false).await,
        "totp-reset" => svc::reset_second_factor(&state, &user, &body, &id).await,
        _ => svc::set_role(&state, &user, &body, &id, &f.role).await,
    };
    match result {
        Ok(_) => back(&body, action),
        Err(ServiceError::Invalid(errors)) => {
            view(p, &state, &user, body, NewStaff::default(), errors, String::new()).await
        }
        Err(e) => service_error(&p, e),
    }
}

pub async fn disable(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Response {
    member_action(p, state, id, f, "disabled").await
}

pub async fn enable(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Response {
    member_action(p, state, id, f, "enabled").await
}

pub async fn reset_second_factor(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Response {
    member_action(p, state, id, f, "totp-reset").await
}

pub async fn change_role(
    p: Ctx,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Response {
    member_action(p, state, id, f, "role").await
}

#[derive(Deserialize)]
pub struct RequireForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    required: String,
}

/// The administrator's switch: every staff account must use a second factor.
pub async fn require_second_factor(p: Ctx, State(state): State<AppState>, Form(f): Form<RequireForm>) -> Response {
    let user = match require_user(&p) {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    if user.role == Role::Admin && matches!(second_factor::must_enrol(&state, &user).await, Ok(true)) {
        return see_other("/account/second-factor");
    }
    match second_factor::set_required(&state, &user, f.required == "yes").await {
        Ok(()) => back(&f.body, "totp"),
        Err(e) => service_error(&p, e),
    }
}
