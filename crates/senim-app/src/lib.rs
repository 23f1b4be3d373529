//! # Senim's application: the workflows of the Rules, with no HTTP in sight
//!
//! Everything the service does, as functions of one [`AppState`]: the workflows of the Rules and of the
//! АППК ([`services`]: submission, review, publication, amendment, reports, reminders, schedules, the
//! outbox worker, demo data and `seed`), the published read model and its search ([`published`],
//! [`search`], [`collation`]), the caches of edition files and pages ([`cache`]), the translations that
//! e-mails and documents need ([`i18n`]), the secrets of accounts ([`passwords`]) and this instance's
//! metrics ([`metrics`]). A workflow takes typed input and returns a typed result or a
//! [`services::ServiceError`]; `senim-web` turns requests into those calls and their results into pages
//! and JSON, and the `senim` binary calls them directly for everything but `serve`.
//!
//! This crate depends on no HTTP crate (no axum, tower, hyper or askama): `.ci/layers` checks it.

use std::sync::{Arc, RwLock};

use senim_domain::calendar::Calendar;
use senim_domain::lang::Lang;
use senim_store::Store;

pub mod cache;
pub mod collation;
pub mod i18n;
pub mod metrics;
pub mod passwords;
pub mod percent;
pub mod published;
pub mod search;
pub mod services;

/// Settings of the application (from the command line and the environment; see `senim serve --help`).
/// The HTTP layer's own settings (cookies, rate limits, proxies, the metrics token) are `senim-web`'s.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Demo mode: e-mails are kept in the outbox and readable by the administrator.
    pub demo: bool,
    /// SMTP server for the outbox worker (`SENIM_SMTP_URL`); none: see [`services::mailer::MailMode`].
    pub smtp_url: Option<services::mailer::SmtpUrl>,
    /// The From of e-mails (`SENIM_MAIL_FROM`); none: [`services::mailer::DEFAULT_FROM`].
    pub mail_from: Option<String>,
    /// The address users reach the site at (`SENIM_PUBLIC_URL`), for links in e-mails; without it
    /// links are site-relative.
    pub public_url: String,
    /// Seals new edition signing keys at rest (`SENIM_KEY_PASSPHRASE`); see [`services::key_vault`].
    pub key_passphrase: Option<services::key_vault::Passphrase>,
    /// Page limit, malware scanning and the PDF reader of uploads (`SENIM_UPLOAD_MAX_PAGES`, `SENIM_CLAMD`).
    pub uploads: services::uploads::UploadConfig,
    /// How long this instance may answer the public Lists — a List page for anonymous readers, the
    /// search API, the body list — from memory without asking the database whether a newer edition
    /// or a new pending change exists (`SENIM_READ_TTL_MS`; `senim serve` sets 1 s). Zero, the
    /// default for tests and tools: ask at every request.
    pub read_ttl: std::time::Duration,
}

/// What every workflow reaches: one pointer, so that cloning it for each extractor and layer of every
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
    /// This instance's counters for `/metrics` (see [`metrics`]).
    pub metrics: Arc<metrics::Metrics>,
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
