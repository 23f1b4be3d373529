//! The bodies' current editions, parsed once and indexed in memory (issue 7).
//!
//! Every public reading of the Lists — a body's List page, the national List, the search API, the
//! body list — starts from the current editions. An edition's entries are stored as one JSON array
//! (about 175 MB at 100,000 entries); reading and parsing it on each request made every reader pay
//! for the whole List. Here each edition is read once, by the first request that needs it (others
//! wait for that one read rather than repeating it), and kept with what the readers ask of it:
//!
//! - a word index of the searchable texts, so a query looks at the distinct words, not every entry;
//! - sort keys per language and text column, computed on first use;
//! - the areas and years offered as filters, per language.
//!
//! Editions never change once published, so nothing here goes stale: each request still asks the
//! database for the latest edition numbers (one small query on the primary key) and takes a newer
//! edition — published by this instance or another on the same database — as soon as it exists.

mod held;
mod history;
mod index;

use std::sync::Arc;

use senim_store::bodies::Body;
use senim_store::editions;

pub use held::CurrentEditions;
pub use history::{BodyHistory, EntryEvent, EntryRecord, parse_entries, signed_manifest};
pub use index::{Facets, IndexedEdition, Scope, TextColumn};

use crate::AppState;
use crate::services::{ServiceError, ServiceResult};
use held::LatestNumbers;

/// Every body's latest edition number: from the database, or from memory if read there less than
/// `Config::read_ttl` ago.
async fn latest_numbers(state: &AppState) -> ServiceResult<LatestNumbers> {
    if let Some(numbers) = state.current.numbers.within(state.config.read_ttl) {
        return Ok(numbers);
    }
    let numbers = Arc::new(editions::latest_numbers(&state.store).await?);
    state.current.numbers.keep(numbers.clone());
    Ok(numbers)
}

/// The state bodies (in their order), from the database or from memory if read there less than
/// `Config::read_ttl` ago: the national List and the body list name every body on every request.
pub async fn bodies(state: &AppState) -> ServiceResult<Arc<Vec<Body>>> {
    if let Some(bodies) = state.current.bodies.within(state.config.read_ttl) {
        return Ok(bodies);
    }
    let all = Arc::new(senim_store::bodies::all(&state.store).await?);
    state.current.bodies.keep(all.clone());
    Ok(all)
}

/// What the editions of `body` up to `latest` did to each entry, built on first use per edition.
pub async fn history(state: &AppState, body: &str, latest: i64) -> ServiceResult<Arc<BodyHistory>> {
    if let Some(h) = state.current.histories.lock().unwrap_or_else(|p| p.into_inner()).get(body)
        && h.latest == latest
    {
        return Ok(h.clone());
    }
    // Without the entries: the summaries hold number and signed manifest.
    let mut manifests: Vec<(i64, String)> = editions::summaries(&state.store, Some(body))
        .await?
        .into_iter()
        .filter(|e| e.number <= latest)
        .map(|e| (e.number, e.signed_manifest))
        .collect();
    manifests.sort_by_key(|(n, _)| *n);
    let built = tokio::task::spawn_blocking(move || BodyHistory::build(&manifests))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))??;
    let built = Arc::new(built);
    let mut held = state.current.histories.lock().unwrap_or_else(|p| p.into_inner());
    if held.get(body).is_none_or(|h| h.latest < built.latest) {
        held.insert(body.to_owned(), built.clone());
    }
    Ok(built)
}

/// The current edition of `body`, or `None` before its first edition.
pub async fn current(state: &AppState, body: &str) -> ServiceResult<Option<Arc<IndexedEdition>>> {
    let numbers = latest_numbers(state).await?;
    match numbers.iter().find(|(b, _)| b == body) {
        Some((_, n)) => Ok(Some(state.current.get(&state.store, body, *n).await?)),
        None => Ok(None),
    }
}

/// The current edition of every body that has published, by body code.
pub async fn all_current(state: &AppState) -> ServiceResult<Vec<Arc<IndexedEdition>>> {
    let mut out = Vec::new();
    for (body, n) in latest_numbers(state).await?.iter() {
        out.push(state.current.get(&state.store, body, *n).await?);
    }
    Ok(out)
}
