//! The JSON API under `/api/v1` (`docs/api-design.md`, `shared/design/api.md`), with the OpenAPI
//! document generated from these handlers at `/api/openapi.json`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use senim_domain::lang::Lang;
use senim_store::users::User;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::ApiError;
use crate::i18n;

pub mod account;
pub mod applicant;
pub mod deadlines;
pub mod public;
pub mod publisher;
pub mod reports;
pub mod staff;
pub mod staff_admin;

#[derive(OpenApi)]
#[openapi(
    info(title = "Senim API", description = "Lists of trusted high-risk AI systems of Kazakhstan's sectoral state bodies (Rules, Order No. 196/НҚ)."),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn openapi_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(public::bodies))
        .routes(routes!(public::id_check))
        .routes(routes!(public::keys))
        .routes(routes!(public::current_edition))
        .routes(routes!(public::manifest))
        .routes(routes!(public::artifact))
        .routes(routes!(public::proof))
        .routes(routes!(public::search))
        .routes(routes!(applicant::list, applicant::create))
        .routes(routes!(applicant::get_one, applicant::replace))
        .routes(routes!(applicant::upload))
        .routes(routes!(applicant::remove_attachment))
        .routes(routes!(applicant::submit))
        .routes(routes!(applicant::withdraw))
        .routes(routes!(account::get_organisation, account::put_organisation))
        .routes(routes!(account::annex1_pdf))
        .routes(routes!(account::notice_pdf))
        .routes(routes!(account::timeline))
        .routes(routes!(staff::queue))
        .routes(routes!(deadlines::dashboard))
        .routes(routes!(deadlines::audit_check))
        .routes(routes!(staff::review))
        .routes(routes!(staff::take))
        .routes(routes!(staff::assign))
        .routes(routes!(staff::exclude))
        .routes(routes!(publisher::pending))
        .routes(routes!(publisher::preview))
        .routes(routes!(publisher::amend))
        .routes(routes!(publisher::get_schedule, publisher::put_schedule))
        .routes(routes!(publisher::rotate_key))
        .routes(routes!(staff::publish))
        .routes(routes!(staff_admin::list, staff_admin::create))
        .routes(routes!(staff_admin::change))
        .routes(routes!(reports::create))
        .routes(routes!(reports::list))
        .routes(routes!(reports::set_status))
}

/// The OpenAPI document, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    openapi_router().split_for_parts().1
}

pub fn router() -> Router<AppState> {
    let (router, doc) = openapi_router().split_for_parts();
    let json = doc.to_pretty_json().unwrap_or_default();
    router.route("/api/openapi.json", get(move || async move { ([("content-type", "application/json")], json) }))
}

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
