//! The public side of the Lists (Rules §7): what each body's List shows besides its entries — the
//! declared next update, the open-data descriptors and feeds — read from stored, signed editions only.

use jiff::civil::Date;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;
use senim_publish::opendata::FeedEntry;
use senim_store::editions::{self, EditionSummary, StoredEdition};
use senim_store::entries::{self, Pending};

use super::{ServiceError, ServiceResult};
pub use crate::published::{BodyHistory, EntryEvent, EntryRecord, parse_entries, signed_manifest};
use crate::{AppState, i18n};

/// The body's current edition and its entries, or `None` before the first edition.
pub async fn current(state: &AppState, code: &str) -> ServiceResult<Option<(StoredEdition, Vec<Annex2Entry>)>> {
    let Some(e) = editions::latest(&state.store, code).await? else { return Ok(None) };
    let entries = parse_entries(&e)?;
    Ok(Some((e, entries)))
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
    use senim_publish::manifest::SignedManifest;
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
