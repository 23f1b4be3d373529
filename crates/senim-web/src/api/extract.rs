//! What every API handler extracts: the reader's language, the bearer's user, and path, query and JSON
//! input that answers a translated problem instead of axum's plain text when it cannot be read.

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::ApiError;
use crate::i18n;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use senim_domain::lang::Lang;
use senim_store::users::User;
use serde::de::DeserializeOwned;

/// The language of messages: `Accept-Language` (kk default, ru, en).
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(i18n::negotiate(None, &parts.headers)))
    }
}

/// An authenticated caller (bearer token or session); 401 problem otherwise.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = i18n::negotiate(None, &parts.headers);
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await.unwrap_or(MaybeUser(None));
        user.map(ApiUser).ok_or_else(|| ApiError::unauthorized().lang(lang))
    }
}

/// A path parameter that cannot be read (an edition number that is not a number) is a 400 problem, as
/// JSON like every other API error, not axum's plain-text answer. The API modules import it as `Path`.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = i18n::negotiate(None, &parts.headers);
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text()).lang(lang)),
        }
    }
}

/// A query string that cannot be read (a parameter given twice, a number that is not one) is a 400
/// problem. The API modules import it as `Query`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = i18n::negotiate(None, &parts.headers);
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text()).lang(lang)),
        }
    }
}

/// A JSON body whose every failure (syntax, types, content type) is a 400 problem, never a 500.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = i18n::negotiate(None, req.headers());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError::bad_request(e.body_text()).lang(lang)),
        }
    }
}
