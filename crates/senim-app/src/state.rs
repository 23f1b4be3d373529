//! The application's state: the store, the working-day calendar, the settings, the caches and the
//! held editions, this instance's metrics.

use std::sync::{Arc, RwLock};

use senim_domain::calendar::Calendar;
use senim_domain::lang::Lang;
use senim_store::Store;

use crate::cache::Caches;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::published::CurrentEditions;

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
    pub caches: Arc<Caches>,
    /// The bodies' current editions, parsed and indexed (see [`published`]).
    pub current: Arc<CurrentEditions>,
    /// This instance's counters for `/metrics` (see [`metrics`]).
    pub metrics: Arc<Metrics>,
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
