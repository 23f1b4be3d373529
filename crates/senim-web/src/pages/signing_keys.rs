//! The system administrator's signing keys (issue 5): every key with its validity, and rotation.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::role::Role;
use senim_store::keys::StoredKey;
use senim_store::users::User;

use super::{Ctx, error_page, render, require_user, see_other, service_error};
use crate::AppState;
use crate::services::{second_factor, signing_keys};

async fn admin(p: &Ctx, state: &AppState) -> Result<User, Response> {
    let user = require_user(p)?.clone();
    if user.role != Role::Admin {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    if matches!(second_factor::must_enrol(state, &user).await, Ok(true)) {
        return Err(see_other("/account/second-factor"));
    }
    Ok(user)
}

#[derive(Template)]
#[template(path = "admin_keys.html")]
pub struct KeysPage {
    pub p: Ctx,
    pub keys: Vec<StoredKey>,
    pub error: String,
    pub rotated: bool,
    /// Whether new keys are sealed (`SENIM_KEY_PASSPHRASE` is set).
    pub sealing: bool,
}

impl KeysPage {
    pub fn public_key(&self, k: &StoredKey) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&k.public_key)
    }
    pub fn stored(&self, k: &StoredKey) -> String {
        let sealed = crate::services::key_vault::is_sealed(&k.secret_key);
        self.p.t(if sealed { "keys-sealed" } else { "keys-unsealed" })
    }
}

async fn view(p: Ctx, state: &AppState, user: &User, error: String, rotated: bool) -> Response {
    let keys = match signing_keys::list(state, user).await {
        Ok(k) => k,
        Err(e) => return service_error(&p, e),
    };
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let sealing = state.config.key_passphrase.is_some();
    (status, render(&KeysPage { p, keys, error, rotated, sealing })).into_response()
}

#[derive(serde::Deserialize)]
pub struct KeysQuery {
    #[serde(default)]
    rotated: String,
}

pub async fn page(p: Ctx, State(state): State<AppState>, q: axum::extract::Query<KeysQuery>) -> Response {
    let user = match admin(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    view(p, &state, &user, String::new(), q.rotated == "yes").await
}

#[derive(serde::Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    confirm: String,
}

/// Rotates the key once the administrator has ticked the confirmation.
pub async fn rotate(p: Ctx, State(state): State<AppState>, Form(f): Form<RotateForm>) -> Response {
    let user = match admin(&p, &state).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if f.confirm != "yes" {
        let msg = p.t("err-keys-not_confirmed");
        return view(p, &state, &user, msg, false).await;
    }
    match signing_keys::rotate(&state, &user, Timestamp::now()).await {
        Ok(_) => see_other("/admin/keys?rotated=yes"),
        Err(e) => service_error(&p, e),
    }
}
