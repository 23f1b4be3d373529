//! Who is asking: a browser session (cookie) or an API token (`Authorization: Bearer`). The secrets
//! themselves (argon2id, token digests) are `senim_app::passwords`'.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use senim_store::users::{self, User};
use tower_sessions::Session;

pub use senim_app::passwords::*;

use crate::AppState;

pub const SESSION_USER: &str = "user_id";
/// A digest of the password hash at sign-in: a password change or reset ends every other session.
pub const SESSION_STAMP: &str = "stamp";

/// The caller, if signed in (session) or authenticated (token).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get("authorization").and_then(|v| v.to_str().ok())
            && let Some(token) = auth.strip_prefix("Bearer ")
        {
            let user = users::by_token(&state.store, &token_digest(token.trim())).await.ok().flatten();
            return Ok(MaybeUser(user));
        }
        let Ok(session) = Session::from_request_parts(parts, state).await else {
            return Ok(MaybeUser(None));
        };
        let Ok(Some(id)) = session.get::<String>(SESSION_USER).await else {
            return Ok(MaybeUser(None));
        };
        let stamp = session.get::<String>(SESSION_STAMP).await.ok().flatten();
        let user = users::by_id(&state.store, &id)
            .await
            .ok()
            .flatten()
            .filter(|u| !u.disabled && stamp.as_deref() == Some(session_stamp(&u.password_hash).as_str()));
        Ok(MaybeUser(user))
    }
}
