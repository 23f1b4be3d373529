//! The editions held in memory, one per body, and the small values kept for the read TTL.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use senim_store::Store;
use senim_store::bodies::Body;
use senim_store::editions;

use super::history::{BodyHistory, parse_entries};
use super::index::IndexedEdition;
use crate::services::{ServiceError, ServiceResult};

/// The editions held in memory, by body: at most one per body, the newest asked for.
#[derive(Default)]
pub struct CurrentEditions {
    slots: Mutex<BTreeMap<String, Arc<Slot>>>,
    /// The latest edition numbers as last read from the database, and when (see `Config::read_ttl`).
    pub(super) numbers: Fresh<LatestNumbers>,
    /// Each body's entry histories, built from its manifests at its latest edition (see
    /// [`crate::services::BodyHistory`]).
    pub(super) histories: Mutex<BTreeMap<String, Arc<BodyHistory>>>,
    /// The state bodies as last read from the database, and when (same TTL).
    pub(super) bodies: Fresh<Arc<Vec<Body>>>,
}

/// Every body's latest edition number, by body code.
pub(super) type LatestNumbers = Arc<Vec<(String, i64)>>;

struct Slot {
    number: i64,
    edition: tokio::sync::OnceCell<Arc<IndexedEdition>>,
}

impl CurrentEditions {
    fn slot(&self, body: &str, number: i64) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        match slots.get(body) {
            Some(s) if s.number >= number => {
                if s.number == number {
                    return s.clone();
                }
                // An older edition asked for (a reader that looked just before a publication): give it
                // its own slot without replacing the newer one.
                Arc::new(Slot { number, edition: tokio::sync::OnceCell::new() })
            }
            _ => {
                let s = Arc::new(Slot { number, edition: tokio::sync::OnceCell::new() });
                slots.insert(body.to_owned(), s.clone());
                s
            }
        }
    }

    /// Edition `number` of `body`, read and indexed on first use.
    pub async fn get(&self, store: &Store, body: &str, number: i64) -> ServiceResult<Arc<IndexedEdition>> {
        let slot = self.slot(body, number);
        let edition = slot
            .edition
            .get_or_try_init(|| async {
                let stored = editions::get(store, body, number).await?.ok_or(ServiceError::NotFound)?;
                tokio::task::spawn_blocking(move || {
                    let entries = parse_entries(&stored)?;
                    Ok::<_, ServiceError>(Arc::new(IndexedEdition::new(
                        stored.body_code,
                        stored.number,
                        stored.published_at,
                        entries,
                    )))
                })
                .await
                .map_err(|e| ServiceError::Internal(e.into()))?
            })
            .await?;
        Ok(edition.clone())
    }

    /// How many editions are held (for `/metrics`).
    pub fn held(&self) -> usize {
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).values().filter(|s| s.edition.initialized()).count()
    }
}

/// A value read from the database and kept for `Config::read_ttl` (zero: never kept).
pub(super) struct Fresh<T>(Mutex<Option<(std::time::Instant, T)>>);

impl<T> Default for Fresh<T> {
    fn default() -> Self {
        Fresh(Mutex::new(None))
    }
}

impl<T: Clone> Fresh<T> {
    /// The value kept, if read less than `ttl` ago.
    pub(super) fn within(&self, ttl: std::time::Duration) -> Option<T> {
        if ttl.is_zero() {
            return None;
        }
        let held = self.0.lock().unwrap_or_else(|p| p.into_inner());
        held.as_ref().filter(|(at, _)| at.elapsed() < ttl).map(|(_, v)| v.clone())
    }

    pub(super) fn keep(&self, value: T) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((std::time::Instant::now(), value));
    }

    pub(super) fn forget(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl CurrentEditions {
    /// Forgets the latest numbers read (after this instance published: its readers see the new
    /// edition at once, whatever `Config::read_ttl`).
    pub fn published(&self) {
        self.numbers.forget();
    }
}
