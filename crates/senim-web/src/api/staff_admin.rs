//! A body's staff accounts over the API: the body administrator's (or the system administrator's)
//! list, new accounts (the holder sets a password through an e-mailed link), roles and disabling.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use senim_store::users::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiPath as Path;
use super::{ApiJson, ApiLang, ApiUser};
use crate::AppState;
use crate::error::ApiError;
use crate::services::staff::{self as svc, NewStaff};

#[derive(Serialize, ToSchema)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub email: String,
    /// `reviewer`, `publisher` or `body_admin`.
    pub role: String,
    pub body: String,
    pub disabled: bool,
}

impl From<User> for StaffMember {
    fn from(u: User) -> Self {
        StaffMember {
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role.code().to_owned(),
            body: u.body_code.unwrap_or_default(),
            disabled: u.disabled,
        }
    }
}

/// The body's staff accounts, disabled ones included.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/staff", tag = "body administrator", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = [StaffMember]), (status = 401), (status = 403), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
) -> Result<Json<Vec<StaffMember>>, ApiError> {
    let members = svc::members(&state, &user, &code).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(members.into_iter().map(StaffMember::from).collect()))
}

/// Creates a staff account; its holder gets an e-mail with a one-time link to set the password.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/staff", tag = "body administrator", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = NewStaff,
    responses((status = 201, body = StaffMember), (status = 400), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<NewStaff>,
) -> Result<(StatusCode, Json<StaffMember>), ApiError> {
    let created = svc::create(&state, &user, &code, &req).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

#[derive(Deserialize, ToSchema)]
pub struct StaffChange {
    /// A new role within the body: `reviewer`, `publisher` or `body_admin`.
    pub role: Option<String>,
    /// `true` disables the account (its sessions end and its API tokens are revoked); `false` enables it.
    pub disabled: Option<bool>,
    /// `true` turns the member's second factor off (lost phone); they enrol again if it is required.
    #[serde(default)]
    pub reset_second_factor: bool,
}

/// Changes a staff account's role and/or disables or enables it.
#[utoipa::path(patch, path = "/api/v1/bodies/{code}/staff/{id}", tag = "body administrator",
    security(("bearer" = [])), params(("code" = String, Path), ("id" = String, Path)), request_body = StaffChange,
    responses((status = 200, body = StaffMember), (status = 400), (status = 401), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn change(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path((code, id)): Path<(String, String)>,
    ApiJson(req): ApiJson<StaffChange>,
) -> Result<Json<StaffMember>, ApiError> {
    let err = |e| ApiError::from(e).lang(lang);
    let mut member = None;
    if let Some(role) = &req.role {
        member = Some(svc::set_role(&state, &user, &code, &id, role).await.map_err(err)?);
    }
    if req.reset_second_factor {
        member = Some(svc::reset_second_factor(&state, &user, &code, &id).await.map_err(err)?);
    }
    if let Some(disabled) = req.disabled {
        member = Some(svc::set_disabled(&state, &user, &code, &id, disabled).await.map_err(err)?);
    }
    let member = match member {
        Some(m) => m,
        None => svc::members(&state, &user, &code)
            .await
            .map_err(err)?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| ApiError::not_found().lang(lang))?,
    };
    Ok(Json(member.into()))
}
