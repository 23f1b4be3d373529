//! What a body's editions did to each entry, read from the signed manifests alone, and the parsing of
//! stored editions.

use senim_domain::annex2::Annex2Entry;
use senim_publish::manifest::SignedManifest;
use senim_store::editions::StoredEdition;

use crate::services::{ServiceError, ServiceResult};

/// The entries of a stored edition.
pub fn parse_entries(e: &StoredEdition) -> ServiceResult<Vec<Annex2Entry>> {
    serde_json::from_str(&e.entries).map_err(|err| ServiceError::Internal(err.into()))
}

/// The signed manifest of a stored edition.
pub fn signed_manifest(json: &str) -> ServiceResult<SignedManifest> {
    serde_json::from_str(json).map_err(|err| ServiceError::Internal(err.into()))
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

/// What every edition of a body did to each of its entries, read from the manifests alone (each says
/// what it added, amended and excluded). Built once per current edition and kept (see
/// [`crate::published`]): the first edition of a List of 100,000 entries names them all in its
/// manifest, megabytes to parse, which each entry page would otherwise do again.
pub struct BodyHistory {
    /// The edition it was built at (the body's latest).
    pub latest: i64,
    pub(crate) roots: std::collections::HashMap<i64, String>,
    pub(crate) entries: std::collections::HashMap<String, EntryHistory>,
}

pub(crate) struct EntryHistory {
    pub(crate) events: Vec<EntryEvent>,
    /// The last edition holding the entry.
    pub(crate) last: i64,
    /// The last edition that added it.
    added_in: i64,
    held: bool,
    pub(crate) excluded: bool,
}

impl BodyHistory {
    /// From the body's signed manifests, oldest first. An edition holds an entry when it adds it, or
    /// when the one before held it and this one does not exclude it.
    pub fn build(manifests: &[(i64, String)]) -> ServiceResult<BodyHistory> {
        let mut roots = std::collections::HashMap::new();
        let mut entries: std::collections::HashMap<String, EntryHistory> = std::collections::HashMap::new();
        let mut previous = 0;
        for (number, json) in manifests {
            let manifest = signed_manifest(json)?.manifest;
            let date = manifest.published_at.get(..10).unwrap_or(&manifest.published_at).to_owned();
            let changes = &manifest.changes;
            for x in &changes.excluded {
                if let Some(h) = entries.get_mut(&x.registry_number) {
                    h.events.push(EntryEvent::Excluded {
                        edition: *number,
                        date: date.clone(),
                        reason: x.reason.clone(),
                    });
                    if h.held {
                        h.last = previous;
                    }
                    h.held = false;
                    h.excluded = true;
                }
            }
            // Added: new to the List, or back after an exclusion.
            for added in &changes.added {
                let h = entries.entry(added.clone()).or_insert(EntryHistory {
                    events: Vec::new(),
                    last: *number,
                    added_in: *number,
                    held: false,
                    excluded: false,
                });
                h.added_in = *number;
                if !h.held {
                    h.events.push(EntryEvent::Added { edition: *number, date: date.clone() });
                    h.excluded = false;
                }
                h.held = true;
            }
            for amended in &changes.amended {
                if let Some(h) = entries.get_mut(amended)
                    && h.held
                    && h.added_in != *number
                {
                    h.events.push(EntryEvent::Amended { edition: *number, date: date.clone() });
                }
            }
            roots.insert(*number, manifest.entries.merkle_root);
            previous = *number;
        }
        for h in entries.values_mut().filter(|h| h.held) {
            h.last = previous;
        }
        Ok(BodyHistory { latest: previous, roots, entries })
    }
}
