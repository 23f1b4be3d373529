//! The public side of the Lists (Rules §7): what each body's List shows besides its entries — the
//! declared next update, the open-data descriptors and feeds — read from stored, signed editions only.

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

/// The site's public base URL without a trailing slash: `SENIM_PUBLIC_URL`, or else the host the request
/// was addressed to (feeds and descriptors need absolute URLs).
pub fn site_url(state: &AppState, host: Option<&str>) -> String {
    let configured = state.config.public_url.trim_end_matches('/');
    if !configured.is_empty() {
        return configured.to_owned();
    }
    let host =
        host.filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))).unwrap_or("localhost");
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
    roots: std::collections::HashMap<i64, String>,
    entries: std::collections::HashMap<String, EntryHistory>,
}

struct EntryHistory {
    events: Vec<EntryEvent>,
    /// The last edition holding the entry.
    last: i64,
    /// The last edition that added it.
    added_in: i64,
    held: bool,
    excluded: bool,
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

/// The public record of `registry_number` in the body's editions; `NotFound` when no edition has held it.
/// Only the last edition holding it is read whole, for the entry's text and its proof — from memory
/// when that is the current edition (a List of 100,000 entries made each entry page read and parse
/// every edition: about a second a page).
pub async fn entry_record(state: &AppState, code: &str, registry_number: &str) -> ServiceResult<EntryRecord> {
    let Some(current) = crate::published::current(state, code).await? else {
        return Err(ServiceError::NotFound);
    };
    let history = crate::published::history(state, code, current.number).await?;
    let h = history.entries.get(registry_number).ok_or(ServiceError::NotFound)?;
    let number = h.last;
    let wanted = registry_number.to_owned();
    let proof = if number == current.number {
        tokio::task::spawn_blocking(move || current.proof(&wanted)).await.map_err(|e| ServiceError::Internal(e.into()))
    } else {
        // An entry excluded since: its last text is in an older edition, read for this page alone.
        let stored = editions::get(&state.store, code, number).await?.ok_or(ServiceError::NotFound)?;
        tokio::task::spawn_blocking(move || {
            parse_entries(&stored).map(|entries| senim_publish::edition::proof(&entries, &wanted))
        })
        .await
        .map_err(|e| ServiceError::Internal(e.into()))
        .and_then(|parsed| parsed)
    };
    let proof = proof?.ok_or(ServiceError::NotFound)?;
    Ok(EntryRecord {
        entry: proof.entry.clone(),
        events: h.events.clone(),
        proof_edition: number,
        proof,
        merkle_root: history.roots.get(&number).cloned().ok_or(ServiceError::NotFound)?,
        excluded: h.excluded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use senim_domain::annex2::BodyRef;
    use senim_domain::lang::LangText;
    use senim_publish::manifest::{Changes, EntriesRef, Exclusion, Manifest, Signature};

    /// A signed manifest as stored, with only what the history reads filled in.
    fn manifest(number: u32, day: &str, added: &[&str], amended: &[&str], excluded: &[&str]) -> (i64, String) {
        let manifest = Manifest {
            format: "senim-edition/1".into(),
            body: BodyRef { code: "health".into(), name: LangText::new().with(Lang::Kk, "Денсаулық") },
            edition: number,
            published_at: format!("2026-06-{day}T10:00:00+05:00"),
            previous: None,
            entries: EntriesRef { count: 0, merkle_root: format!("root-{number}") },
            changes: Changes {
                added: added.iter().map(|s| (*s).to_owned()).collect(),
                amended: amended.iter().map(|s| (*s).to_owned()).collect(),
                excluded: excluded
                    .iter()
                    .map(|s| Exclusion {
                        registry_number: (*s).to_owned(),
                        reason: LangText::new().with(Lang::Kk, "себеп"),
                    })
                    .collect(),
            },
            artifacts: vec![],
            key_id: String::new(),
        };
        let signature = Signature { alg: "Ed25519".into(), key_id: String::new(), value: String::new() };
        (i64::from(number), serde_json::to_string(&SignedManifest { manifest, signature }).unwrap())
    }

    /// Five editions: A and B added; A amended; B excluded; B back; nothing about A. A is held throughout,
    /// B's last text before its return was in edition 2, and C, never published, has no history.
    #[test]
    fn the_history_follows_additions_amendments_exclusions_and_returns() {
        let history = BodyHistory::build(&[
            manifest(1, "01", &["A", "B"], &[], &[]),
            manifest(2, "02", &[], &["A"], &[]),
            manifest(3, "03", &[], &[], &["B"]),
            manifest(4, "04", &["B"], &[], &[]),
            manifest(5, "05", &["D"], &[], &[]),
        ])
        .unwrap();
        assert_eq!(history.latest, 5);
        let a = &history.entries["A"];
        assert_eq!(
            a.events,
            [
                EntryEvent::Added { edition: 1, date: "2026-06-01".into() },
                EntryEvent::Amended { edition: 2, date: "2026-06-02".into() },
            ]
        );
        assert_eq!((a.last, a.excluded), (5, false));
        let b = &history.entries["B"];
        assert!(matches!(b.events[1], EntryEvent::Excluded { edition: 3, .. }));
        assert_eq!(b.events[2], EntryEvent::Added { edition: 4, date: "2026-06-04".into() });
        assert_eq!((b.last, b.excluded, b.events.len()), (5, false, 3));
        assert!(!history.entries.contains_key("C"));
        assert_eq!(history.roots[&4], "root-4");

        // Excluded for good: the last edition holding it is the one before the exclusion.
        let gone =
            BodyHistory::build(&[manifest(1, "01", &["B"], &[], &[]), manifest(2, "02", &["E"], &[], &["B"])]).unwrap();
        assert_eq!((gone.entries["B"].last, gone.entries["B"].excluded), (1, true));
        assert_eq!(gone.entries["E"].last, 2);
    }
}
