//! # Senim's HTTP face
//!
//! Public pages, the applicant's and the staff's pages, and the JSON API (`/api/v1`, documented at
//! `/api/openapi.json`), with sessions, authentication, CSRF, security headers, rate limits and
//! telemetry. Handlers extract, call one workflow of `senim-app` ([`services`]), and render.

use std::sync::Arc;

use axum::Router;
use senim_store::Store;

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod rate_limit;
pub mod security;
pub mod sessions;
pub mod telemetry;

/// The workflows, read model and caches live in `senim-app`; re-exported so that handlers and tests
/// name them as before.
pub use senim_app::{cache, collation, published, search, services};

/// Settings of a running server: the HTTP layer's own, and the application's ([`senim_app::Config`]).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Request rate limits; none (the default, for tests and tools): no limits. `senim serve` sets them.
    pub rate_limits: Option<rate_limit::RateLimits>,
    /// Proxies whose `X-Forwarded-For` names the client (`SENIM_TRUSTED_PROXIES`); default none.
    pub trusted_proxies: Vec<rate_limit::IpNet>,
    /// Bearer token that opens `/metrics` from anywhere (`SENIM_METRICS_TOKEN`); without it only
    /// direct loopback clients read it (see [`telemetry`]).
    pub metrics_token: Option<String>,
    /// Everything that is not HTTP.
    pub app: senim_app::Config,
}

/// The HTTP layer's settings, kept beside the application's state.
#[derive(Debug, Clone, Default)]
pub struct Http {
    pub secure_cookies: bool,
    pub rate_limits: Option<rate_limit::RateLimits>,
    pub trusted_proxies: Vec<rate_limit::IpNet>,
    pub metrics_token: Option<String>,
}

/// What every handler reaches: the application's state ([`senim_app::AppState`], reached through
/// `Deref`: `state.store`, `state.config`, a workflow's `&AppState` argument) and the HTTP settings.
#[derive(Clone)]
pub struct AppState(Arc<WebShared>);

pub struct WebShared {
    pub app: senim_app::AppState,
    pub http: Http,
}

impl std::ops::Deref for AppState {
    type Target = WebShared;
    fn deref(&self) -> &WebShared {
        &self.0
    }
}

impl std::ops::Deref for WebShared {
    type Target = senim_app::AppState;
    fn deref(&self) -> &senim_app::AppState {
        &self.app
    }
}

impl AppState {
    pub fn new(app: senim_app::AppState, config: Config) -> Self {
        let Config { secure_cookies, rate_limits, trusted_proxies, metrics_token, app: _ } = config;
        AppState(Arc::new(WebShared {
            app,
            http: Http { secure_cookies, rate_limits, trusted_proxies, metrics_token },
        }))
    }

    /// Loads the application's state (the calendar from the store) under these settings.
    pub async fn load(store: Store, config: Config) -> anyhow::Result<Self> {
        let app = senim_app::AppState::load(store, config.app.clone()).await?;
        Ok(Self::new(app, config))
    }
}

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
