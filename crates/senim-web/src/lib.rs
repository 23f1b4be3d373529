//! # Senim's HTTP face
//!
//! Public pages, the applicant's and the staff's pages, and the JSON API (`/api/v1`, documented at
//! `/api/openapi.json`). Handlers extract, call one workflow of [`services`], and render.

use std::sync::{Arc, RwLock};

use axum::Router;
use senim_domain::calendar::Calendar;
use senim_domain::lang::Lang;
use senim_store::Store;

pub mod api;
pub mod auth;
pub mod cache;
pub mod charts;
pub mod collation;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod published;
pub mod rate_limit;
pub mod search;
pub mod security;
pub mod services;
pub mod telemetry;

/// Settings of a running server (from the command line and the environment; see `senim serve --help`).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Demo mode: e-mails are kept in the outbox and readable by the administrator.
    pub demo: bool,
    /// SMTP server for the outbox worker (`SENIM_SMTP_URL`); none: see [`services::mailer::MailMode`].
    pub smtp_url: Option<services::mailer::SmtpUrl>,
    /// The From of e-mails (`SENIM_MAIL_FROM`); none: [`services::mailer::DEFAULT_FROM`].
    pub mail_from: Option<String>,
    /// Request rate limits; none (the default, for tests and tools): no limits. `senim serve` sets them.
    pub rate_limits: Option<rate_limit::RateLimits>,
    /// Proxies whose `X-Forwarded-For` names the client (`SENIM_TRUSTED_PROXIES`); default none.
    pub trusted_proxies: Vec<rate_limit::IpNet>,
    /// The address users reach the site at (`SENIM_PUBLIC_URL`), for links in e-mails; without it
    /// links are site-relative.
    pub public_url: String,
    /// Seals new edition signing keys at rest (`SENIM_KEY_PASSPHRASE`); see [`services::key_vault`].
    pub key_passphrase: Option<services::key_vault::Passphrase>,
    /// Bearer token that opens `/metrics` from anywhere (`SENIM_METRICS_TOKEN`); without it only
    /// direct loopback clients read it (see [`telemetry`]).
    pub metrics_token: Option<String>,
    /// Page limit and malware scanning of uploads (`SENIM_UPLOAD_MAX_PAGES`, `SENIM_CLAMD`).
    pub uploads: services::uploads::UploadConfig,
    /// How long this instance may answer the public Lists — a List page for anonymous readers, the
    /// search API, the body list — from memory without asking the database whether a newer edition
    /// or a new pending change exists (`SENIM_READ_TTL_MS`; `senim serve` sets 1 s). Zero, the
    /// default for tests and tools: ask at every request.
    pub read_ttl: std::time::Duration,
}

/// What every handler reaches: one pointer, so that cloning it for each extractor and layer of every
/// request is one reference count (several counts contended across cores showed in profiles).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The fields of [`AppState`].
pub struct Shared {
    pub store: Store,
    calendar: Arc<RwLock<Calendar>>,
    pub config: Config,
    /// Edition files and rendered List pages kept in memory (see [`cache`]).
    pub caches: Arc<cache::Caches>,
    /// The bodies' current editions, parsed and indexed (see [`published`]).
    pub current: Arc<published::CurrentEditions>,
    /// This instance's counters for `/metrics` (see [`telemetry`]).
    pub metrics: Arc<telemetry::Metrics>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, calendar: Calendar, config: Config) -> Self {
        AppState(Arc::new(Shared {
            store,
            calendar: Arc::new(RwLock::new(calendar)),
            config,
            caches: Arc::default(),
            current: Arc::default(),
            metrics: Arc::default(),
        }))
    }

    /// Loads the calendar (shipped years plus administrators' overrides) from the store.
    pub async fn load(store: Store, config: Config) -> anyhow::Result<Self> {
        let calendar = senim_store::calendar::load(&store).await?;
        Ok(Self::new(store, calendar, config))
    }

    /// A snapshot of the working-day calendar.
    pub fn calendar(&self) -> Calendar {
        self.calendar.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Reads the calendar again from the store: an administrator's change made on another instance
    /// sharing the database (`senim serve` does this every minute).
    pub async fn reload_calendar(&self) -> anyhow::Result<()> {
        let calendar = senim_store::calendar::load(&self.store).await?;
        self.set_calendar(calendar);
        Ok(())
    }

    pub fn set_calendar(&self, calendar: Calendar) {
        *self.calendar.write().unwrap_or_else(|p| p.into_inner()) = calendar;
    }

    /// The language of messages that have no reader's choice (e-mails to staff, the audit log).
    pub fn default_lang(&self) -> Lang {
        Lang::Kk
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
