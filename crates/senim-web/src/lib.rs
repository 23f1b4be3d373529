//! # Senim's HTTP face
//!
//! Public pages, the applicant's and the staff's pages, and the JSON API (`/api/v1`, documented at
//! `/api/openapi.json`), with sessions, authentication, CSRF, security headers, rate limits and
//! telemetry. Handlers extract, call one workflow of `senim-app` ([`services`]), and render.

use axum::Router;

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod headers;
pub mod i18n;
pub mod pages;
pub mod rate_limit;
pub mod security;
pub mod sessions;
mod state;
pub mod telemetry;

/// The workflows, read model and caches live in `senim-app`; re-exported so that handlers and tests
/// name them as before.
pub use senim_app::{cache, collation, published, search, services};

pub use state::{AppState, Config, Http, WebShared};

/// The whole application: pages, API and the security layers around them.
pub fn app(state: AppState) -> Router {
    let router = Router::new().merge(pages::router()).merge(api::router()).fallback(not_found);
    security::wrap(router, state)
}

/// Unknown paths: problem JSON under `/api/`, a translated page elsewhere.
async fn not_found(p: pages::Ctx, uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        error::ApiError::not_found().lang(p.lang).into_response()
    } else {
        pages::error_page(&p, axum::http::StatusCode::NOT_FOUND, "page-not-found")
    }
}
