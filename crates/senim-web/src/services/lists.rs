//! The public side of the Lists (Rules §7): what each body's List shows besides its entries — the
//! declared next update, the open-data descriptors and feeds — read from stored, signed editions only.

use axum::http::{HeaderMap, header};
use jiff::civil::Date;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;
use senim_publish::manifest::SignedManifest;
use senim_publish::opendata::FeedEntry;
use senim_store::editions::{self, EditionSummary, StoredEdition};
use senim_store::entries::{self, Pending};

use super::{ServiceError, ServiceResult};
use crate::{AppState, i18n};

/// The body's current edition and its entries, or `None` before the first edition.
pub async fn current(state: &AppState, code: &str) -> ServiceResult<Option<(StoredEdition, Vec<Annex2Entry>)>> {
    let Some(e) = editions::latest(&state.store, code).await? else { return Ok(None) };
    let entries = parse_entries(&e)?;
    Ok(Some((e, entries)))
}

/// The entries of a stored edition.
pub fn parse_entries(e: &StoredEdition) -> ServiceResult<Vec<Annex2Entry>> {
    serde_json::from_str(&e.entries).map_err(|err| ServiceError::Internal(err.into()))
}

/// The signed manifest of a stored edition.
pub fn signed_manifest(json: &str) -> ServiceResult<SignedManifest> {
    serde_json::from_str(json).map_err(|err| ServiceError::Internal(err.into()))
}

/// When the List will next change, as far as the body has decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextUpdate {
    /// An included or amended entry waits: Rules §7 gives five working days from inclusion, so the
    /// next edition is due by the earliest such date.
    DueBy(Date),
    /// Only exclusions wait; the Rules set no deadline for them.
    Pending,
    NothingPending,
}

pub async fn next_update(state: &AppState, code: &str) -> ServiceResult<NextUpdate> {
    let pending = entries::pending(&state.store, code).await?;
    let due = pending
        .iter()
        .filter(|e| matches!(e.pending, Some(Pending::Added | Pending::Amended)))
        .map(|e| e.publication_due_on)
        .min();
    Ok(match (due, pending.is_empty()) {
        (Some(d), _) => NextUpdate::DueBy(d),
        (None, false) => NextUpdate::Pending,
        (None, true) => NextUpdate::NothingPending,
    })
}

/// The site's public base URL without a trailing slash: `SENIM_PUBLIC_URL`, or else what the request
/// was addressed to (feeds and descriptors need absolute URLs).
pub fn site_url(state: &AppState, headers: &HeaderMap) -> String {
    let configured = state.config.public_url.trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The permanent URL of an edition's signed manifest, also its feed entry's id.
pub fn manifest_url(site: &str, code: &str, n: i64) -> String {
    format!("{site}/api/v1/bodies/{code}/editions/{n}/manifest")
}

/// Feed entries of `editions` (newest first), texts in `lang`.
pub fn feed_entries(site: &str, lang: Lang, editions: &[EditionSummary]) -> ServiceResult<Vec<FeedEntry>> {
    editions
        .iter()
        .map(|e| {
            let m = signed_manifest(&e.signed_manifest)?.manifest;
            let summary = i18n::t_args(
                lang,
                "feed-summary",
                &[
                    ("added", m.changes.added.len().to_string()),
                    ("amended", m.changes.amended.len().to_string()),
                    ("excluded", m.changes.excluded.len().to_string()),
                    ("entries", m.entries.count.to_string()),
                ],
            );
            Ok(FeedEntry {
                body_code: e.body_code.clone(),
                body_name: m.body.name.best(lang).to_owned(),
                number: m.edition,
                published_at: m.published_at.clone(),
                url: manifest_url(site, &e.body_code, e.number),
                summary,
            })
        })
        .collect()
}

/// A published edition with its manifest and entries.
pub struct Published {
    pub number: i64,
    pub manifest_sha256: String,
    pub manifest: senim_publish::manifest::Manifest,
    pub entries: Vec<Annex2Entry>,
}

impl Published {
    /// The Kazakhstan calendar date of publication (`YYYY-MM-DD`).
    pub fn date(&self) -> &str {
        self.manifest.published_at.get(..10).unwrap_or(&self.manifest.published_at)
    }
}

/// Every edition of the body, oldest first.
pub async fn published(state: &AppState, code: &str) -> ServiceResult<Vec<Published>> {
    let mut all = editions::history(&state.store, code).await?;
    all.reverse();
    all.iter()
        .map(|e| {
            Ok(Published {
                number: e.number,
                manifest_sha256: e.manifest_sha256.clone(),
                manifest: signed_manifest(&e.signed_manifest)?.manifest,
                entries: parse_entries(e)?,
            })
        })
        .collect()
}

/// What happened to an entry in one edition.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryEvent {
    Added { edition: i64, date: String },
    Amended { edition: i64, date: String },
    Excluded { edition: i64, date: String, reason: senim_domain::lang::LangText },
}

/// An entry's public record: its last published text, what each edition did to it, and its inclusion
/// proof in the last edition that holds it.
pub struct EntryRecord {
    pub entry: Annex2Entry,
    pub events: Vec<EntryEvent>,
    /// The last edition that holds the entry, and the entry's proof in it.
    pub proof_edition: i64,
    pub proof: senim_publish::manifest::InclusionProof,
    pub merkle_root: String,
    /// Set once an exclusion has been published.
    pub excluded: bool,
}

/// The public record of `registry_number` in the body's editions; `NotFound` when no edition has held it.
pub fn entry_record(editions: &[Published], registry_number: &str) -> ServiceResult<EntryRecord> {
    let mut events = Vec::new();
    let mut last: Option<&Published> = None;
    let mut excluded = false;
    for ed in editions {
        let date = ed.date().to_owned();
        let held = ed.entries.iter().any(|e| e.registry_number == registry_number);
        let changes = &ed.manifest.changes;
        if let Some(x) = changes.excluded.iter().find(|x| x.registry_number == registry_number) {
            events.push(EntryEvent::Excluded { edition: ed.number, date: date.clone(), reason: x.reason.clone() });
            excluded = true;
        }
        if held {
            if last.is_none() || changes.added.iter().any(|a| a == registry_number) && excluded {
                events.push(EntryEvent::Added { edition: ed.number, date });
                excluded = false;
            } else if changes.amended.iter().any(|a| a == registry_number) {
                events.push(EntryEvent::Amended { edition: ed.number, date });
            }
            last = Some(ed);
        }
    }
    let ed = last.ok_or(ServiceError::NotFound)?;
    let entry =
        ed.entries.iter().find(|e| e.registry_number == registry_number).cloned().ok_or(ServiceError::NotFound)?;
    let proof = senim_publish::edition::proof(&ed.entries, registry_number).ok_or(ServiceError::NotFound)?;
    Ok(EntryRecord {
        entry,
        events,
        proof_edition: ed.number,
        proof,
        merkle_root: ed.manifest.entries.merkle_root.clone(),
        excluded,
    })
}
