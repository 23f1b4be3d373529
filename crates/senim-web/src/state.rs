//! What every handler reaches: the application's state and the HTTP layer's settings.

use std::sync::Arc;

use senim_store::Store;

use crate::rate_limit::{IpNet, RateLimits};

/// Settings of a running server: the HTTP layer's own, and the application's ([`senim_app::Config`]).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Request rate limits; none (the default, for tests and tools): no limits. `senim serve` sets them.
    pub rate_limits: Option<RateLimits>,
    /// Proxies whose `X-Forwarded-For` names the client (`SENIM_TRUSTED_PROXIES`); default none.
    pub trusted_proxies: Vec<IpNet>,
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
    pub rate_limits: Option<RateLimits>,
    pub trusted_proxies: Vec<IpNet>,
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
