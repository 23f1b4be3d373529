//! The JSON API under `/api/v1` (`docs/api-design.md`, `shared/design/api.md`), with the OpenAPI
//! document generated from these handlers at `/api/openapi.json`.

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub mod account;
pub mod applicant;
pub mod deadlines;
mod extract;
pub mod hearing;
pub mod public;
pub mod publisher;
pub mod reports;
pub mod staff;
pub mod staff_admin;

pub use extract::{ApiJson, ApiLang, ApiPath, ApiQuery, ApiUser};

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
        .routes(routes!(account::preliminary_pdf))
        .routes(routes!(account::decision_pdf))
        .routes(routes!(account::timeline))
        .routes(routes!(staff::queue))
        .routes(routes!(deadlines::dashboard))
        .routes(routes!(deadlines::audit_check))
        .routes(routes!(staff::review))
        .routes(routes!(hearing::objection))
        .routes(routes!(hearing::hearing_record))
        .routes(routes!(hearing::decision))
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
