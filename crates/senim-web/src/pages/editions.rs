//! A body's editions: every edition with its changes, manifest hash and files, and the difference
//! between any two editions (entries added, removed, and changed field by field).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;
use senim_publish::render::{column_titles, identifier_titles};
use senim_store::bodies;
use serde::Deserialize;

use super::list::annex2_cells;
use super::{Ctx, error_page, render, service_error};
use crate::AppState;
use crate::services::lists;
use crate::services::{ServiceError, ServiceResult};
use senim_publish::manifest::Manifest;

pub struct EditionRow {
    pub number: i64,
    pub date: String,
    pub entries: u64,
    pub added: usize,
    pub amended: usize,
    pub excluded: usize,
    pub manifest_sha256: String,
    pub files: Vec<String>,
}

#[derive(Template)]
#[template(path = "editions.html")]
pub struct EditionsPage {
    pub p: Ctx,
    pub code: String,
    pub body_name: String,
    pub editions: Vec<EditionRow>,
    /// The change log with reasons: (edition, line), newest edition first. Exclusion reasons come from
    /// the signed manifests; amendment reasons from the amendments' records (the manifest lists only
    /// the registry numbers of amended entries).
    pub log: Vec<(i64, String)>,
}

pub async fn editions(p: Ctx, State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let Ok(Some(body)) = bodies::get(&state.store, &code).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    // The manifests alone: an edition's entries (hundreds of megabytes in a large List) are not needed.
    let all = match manifests(&state, &code).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    let editions = all
        .iter()
        .rev()
        .map(|(number, sha256, m)| EditionRow {
            number: *number,
            date: m.published_at.get(..10).unwrap_or(&m.published_at).to_owned(),
            entries: m.entries.count,
            added: m.changes.added.len(),
            amended: m.changes.amended.len(),
            excluded: m.changes.excluded.len(),
            manifest_sha256: sha256.clone(),
            files: m.artifacts.iter().map(|a| a.name.clone()).chain([format!("{number}.json")]).collect(),
        })
        .collect();
    let amendments = senim_store::amendments::published(&state.store, &code).await.unwrap_or_default();
    let mut log = Vec::new();
    for (number, _, manifest) in all.iter().rev() {
        for a in amendments.iter().filter(|a| a.edition == Some(*number)) {
            let what = p.ta("editions-log-amended", "number", &a.registry_number);
            log.push((*number, format!("{what} {}", p.ta("entry-reason", "reason", a.reason.best(p.lang)))));
        }
        for x in &manifest.changes.excluded {
            let what = p.ta("editions-log-excluded", "number", &x.registry_number);
            log.push((*number, format!("{what} {}", p.ta("entry-reason", "reason", x.reason.best(p.lang)))));
        }
    }
    render(&EditionsPage { body_name: p.text(&body.name), code, editions, log, p })
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

pub struct Brief {
    pub registry_number: String,
    pub system_name: String,
}

pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct Changed {
    pub registry_number: String,
    pub system_name: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Template)]
#[template(path = "editions_diff.html")]
pub struct DiffPage {
    pub p: Ctx,
    pub code: String,
    pub body_name: String,
    /// Every edition number, newest first, for the form.
    pub numbers: Vec<i64>,
    pub from: i64,
    pub to: i64,
    pub added: Vec<Brief>,
    pub removed: Vec<Brief>,
    pub changed: Vec<Changed>,
}

/// `?from=N&to=M`: what changed between two editions (in either order). Without parameters, the
/// previous and the current edition.
pub async fn diff(
    p: Ctx,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Response {
    let Ok(Some(body)) = bodies::get(&state.store, &code).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let numbers = match senim_store::editions::summaries(&state.store, Some(&code)).await {
        Ok(all) => {
            let mut numbers: Vec<i64> = all.into_iter().map(|e| e.number).collect();
            numbers.sort_unstable();
            numbers
        }
        Err(e) => return service_error(&p, e.into()),
    };
    let Some(&last) = numbers.last() else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let pick = |v: &Option<String>, default: i64| match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(default),
        Some(s) => s.parse::<i64>().ok(),
    };
    let (Some(from), Some(to)) = (pick(&q.from, (last - 1).max(1)), pick(&q.to, last)) else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    if !numbers.contains(&from) || !numbers.contains(&to) {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    }
    // Only the two editions compared are read: the current one from memory, another parsed for this page.
    let (a, b) = match (entries_of(&state, &code, from, last).await, entries_of(&state, &code, to, last).await) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return service_error(&p, e),
    };
    let lang = p.lang;
    let Ok((added, removed, changed)) =
        tokio::task::spawn_blocking(move || compare(a.entries(), b.entries(), lang)).await
    else {
        return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal");
    };
    render(&DiffPage {
        body_name: p.text(&body.name),
        numbers: numbers.into_iter().rev().collect(),
        code,
        from,
        to,
        added,
        removed,
        changed,
        p,
    })
}

fn brief(e: &Annex2Entry, lang: Lang) -> Brief {
    Brief { registry_number: e.registry_number.clone(), system_name: e.system_name.best(lang).to_owned() }
}

/// The titled fields of an entry that can change: the Annex 2 columns after "No." and the BIN.
fn fields(e: &Annex2Entry, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        column_titles(lang).iter().zip(annex2_cells(e, lang)).skip(1).map(|(t, v)| ((*t).to_owned(), v)).collect();
    out.push((identifier_titles(lang)[1].to_owned(), e.owner_bin.clone().unwrap_or_default()));
    out
}

/// Every edition's number, manifest hash and manifest, oldest first (without the entries).
async fn manifests(state: &AppState, code: &str) -> ServiceResult<Vec<(i64, String, Manifest)>> {
    let mut all = senim_store::editions::summaries(&state.store, Some(code)).await?;
    all.sort_by_key(|e| e.number);
    all.into_iter()
        .map(|e| Ok((e.number, e.manifest_sha256, lists::signed_manifest(&e.signed_manifest)?.manifest)))
        .collect()
}

/// An edition's entries: the current edition as held in memory, an older one read and parsed.
enum Entries {
    Held(std::sync::Arc<crate::published::IndexedEdition>),
    Read(Vec<Annex2Entry>),
}

impl Entries {
    fn entries(&self) -> &[Annex2Entry] {
        match self {
            Entries::Held(e) => &e.entries,
            Entries::Read(v) => v,
        }
    }
}

async fn entries_of(state: &AppState, code: &str, number: i64, current: i64) -> ServiceResult<Entries> {
    if number == current {
        return Ok(Entries::Held(state.current.get(&state.store, code, number).await?));
    }
    let stored = senim_store::editions::get(&state.store, code, number).await?.ok_or(ServiceError::NotFound)?;
    tokio::task::spawn_blocking(move || lists::parse_entries(&stored).map(Entries::Read))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))?
}

fn by_number(entries: &[Annex2Entry]) -> std::collections::HashMap<&str, &Annex2Entry> {
    entries.iter().map(|e| (e.registry_number.as_str(), e)).collect()
}

/// Entries added, removed and changed from `from` to `to`, by registry number (looked up by hash: two
/// editions of 100,000 entries compare in a fraction of a second).
fn compare(from: &[Annex2Entry], to: &[Annex2Entry], lang: Lang) -> (Vec<Brief>, Vec<Brief>, Vec<Changed>) {
    let (before_map, after_map) = (by_number(from), by_number(to));
    let in_from = |n: &str| before_map.get(n).copied();
    let in_to = |n: &str| after_map.get(n).copied();
    let added = to.iter().filter(|e| in_from(&e.registry_number).is_none()).map(|e| brief(e, lang)).collect();
    let removed = from.iter().filter(|e| in_to(&e.registry_number).is_none()).map(|e| brief(e, lang)).collect();
    let changed = to
        .iter()
        .filter_map(|after| {
            let before = in_from(&after.registry_number)?;
            // The position is the entry's place in one edition, not part of what was published about it.
            let same = Annex2Entry { position: after.position, ..before.clone() } == *after;
            if same {
                return None;
            }
            let fields = fields(before, lang)
                .into_iter()
                .zip(fields(after, lang))
                .filter(|((_, x), (_, y))| x != y)
                .map(|((field, before), (_, after))| FieldChange { field, before, after })
                .collect();
            Some(Changed {
                registry_number: after.registry_number.clone(),
                system_name: after.system_name.best(lang).to_owned(),
                fields,
            })
        })
        .collect();
    (added, removed, changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use senim_domain::annex2::{AuditColumn, BodyRef};
    use senim_domain::lang::LangText;

    fn entry(position: u32, name_ru: &str, area: &str) -> Annex2Entry {
        let t = |kk: &str| LangText::new().with(Lang::Kk, kk);
        Annex2Entry {
            registry_number: "HEALTH-2026-0001".into(),
            position,
            system_name: t("Жүйе").with(Lang::Ru, name_ru),
            owner: t("Ие"),
            owner_bin: None,
            area: t(area),
            functionality: t("Ф"),
            audit: AuditColumn { auditor: t("А"), date: jiff::civil::date(2026, 5, 14), conclusions: t("Оң") },
            included_on: jiff::civil::date(2026, 6, 2),
            body: BodyRef { code: "health".into(), name: t("Денсаулық") },
        }
    }

    #[test]
    fn a_changed_field_is_named_and_a_moved_entry_is_not_a_change() {
        let a = vec![entry(1, "Система", "Денсаулық сақтау")];
        let b = vec![entry(2, "Система", "Медицина")];
        let (added, removed, changed) = compare(&a, &b, Lang::Kk);
        assert!(added.is_empty() && removed.is_empty());
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].fields.len(), 1);
        assert_eq!(changed[0].fields[0].field, column_titles(Lang::Kk)[3]);
        assert_eq!(
            (changed[0].fields[0].before.as_str(), changed[0].fields[0].after.as_str()),
            ("Денсаулық сақтау", "Медицина")
        );

        let moved = vec![entry(5, "Система", "Денсаулық сақтау")];
        assert!(compare(&a, &moved, Lang::Kk).2.is_empty(), "a new position alone is no change");

        let other = vec![entry(1, "Другая система", "Денсаулық сақтау")];
        let (_, _, changed) = compare(&a, &other, Lang::Kk);
        assert!(changed[0].fields.is_empty(), "changed only in Russian: listed, no Kazakh field differs");
        assert_eq!(compare(&a, &other, Lang::Ru).2[0].fields[0].after, "Другая система");

        let mut second = entry(2, "Екінші", "Білім");
        second.registry_number = "HEALTH-2026-0002".into();
        let (added, removed, changed) = compare(&a, &[second.clone()], Lang::Kk);
        assert_eq!(added.iter().map(|b| b.registry_number.as_str()).collect::<Vec<_>>(), ["HEALTH-2026-0002"]);
        assert_eq!(removed.iter().map(|b| b.registry_number.as_str()).collect::<Vec<_>>(), ["HEALTH-2026-0001"]);
        assert!(changed.is_empty());
    }
}
