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
use crate::services::lists::{self, Published};

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
    let all = match lists::published(&state, &code).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    let editions = all
        .iter()
        .rev()
        .map(|e| {
            let m = &e.manifest;
            EditionRow {
                number: e.number,
                date: e.date().to_owned(),
                entries: m.entries.count,
                added: m.changes.added.len(),
                amended: m.changes.amended.len(),
                excluded: m.changes.excluded.len(),
                manifest_sha256: e.manifest_sha256.clone(),
                files: m.artifacts.iter().map(|a| a.name.clone()).chain([format!("{}.json", e.number)]).collect(),
            }
        })
        .collect();
    let amendments = senim_store::amendments::published(&state.store, &code).await.unwrap_or_default();
    let mut log = Vec::new();
    for e in all.iter().rev() {
        for a in amendments.iter().filter(|a| a.edition == Some(e.number)) {
            let what = p.ta("editions-log-amended", "number", &a.registry_number);
            log.push((e.number, format!("{what} {}", p.ta("entry-reason", "reason", a.reason.best(p.lang)))));
        }
        for x in &e.manifest.changes.excluded {
            let what = p.ta("editions-log-excluded", "number", &x.registry_number);
            log.push((e.number, format!("{what} {}", p.ta("entry-reason", "reason", x.reason.best(p.lang)))));
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
    let all = match lists::published(&state, &code).await {
        Ok(a) => a,
        Err(e) => return service_error(&p, e),
    };
    let Some(last) = all.last().map(|e| e.number) else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let pick = |v: &Option<String>, default: i64| match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(default),
        Some(s) => s.parse::<i64>().ok(),
    };
    let (Some(from), Some(to)) = (pick(&q.from, (last - 1).max(1)), pick(&q.to, last)) else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let find = |n: i64| all.iter().find(|e| e.number == n);
    let (Some(a), Some(b)) = (find(from), find(to)) else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let (added, removed, changed) = compare(a, b, p.lang);
    render(&DiffPage {
        body_name: p.text(&body.name),
        numbers: all.iter().rev().map(|e| e.number).collect(),
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

fn compare(from: &Published, to: &Published, lang: Lang) -> (Vec<Brief>, Vec<Brief>, Vec<Changed>) {
    let in_from = |n: &str| from.entries.iter().find(|e| e.registry_number == n);
    let in_to = |n: &str| to.entries.iter().find(|e| e.registry_number == n);
    let added = to.entries.iter().filter(|e| in_from(&e.registry_number).is_none()).map(|e| brief(e, lang)).collect();
    let removed = from.entries.iter().filter(|e| in_to(&e.registry_number).is_none()).map(|e| brief(e, lang)).collect();
    let changed = to
        .entries
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
    use senim_publish::manifest::{Changes, EntriesRef, Manifest};

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

    fn published(number: i64, entries: Vec<Annex2Entry>) -> Published {
        Published {
            number,
            manifest_sha256: String::new(),
            manifest: Manifest {
                format: "senim-edition/1".into(),
                body: entries[0].body.clone(),
                edition: number as u32,
                published_at: "2026-06-05T10:00:00+05:00".into(),
                previous: None,
                entries: EntriesRef { count: entries.len() as u64, merkle_root: String::new() },
                changes: Changes::default(),
                artifacts: vec![],
                key_id: String::new(),
            },
            entries,
        }
    }

    #[test]
    fn a_changed_field_is_named_and_a_moved_entry_is_not_a_change() {
        let a = published(1, vec![entry(1, "Система", "Денсаулық сақтау")]);
        let b = published(2, vec![entry(2, "Система", "Медицина")]);
        let (added, removed, changed) = compare(&a, &b, Lang::Kk);
        assert!(added.is_empty() && removed.is_empty());
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].fields.len(), 1);
        assert_eq!(changed[0].fields[0].field, column_titles(Lang::Kk)[3]);
        assert_eq!(
            (changed[0].fields[0].before.as_str(), changed[0].fields[0].after.as_str()),
            ("Денсаулық сақтау", "Медицина")
        );

        let moved = published(3, vec![entry(5, "Система", "Денсаулық сақтау")]);
        assert!(compare(&a, &moved, Lang::Kk).2.is_empty(), "a new position alone is no change");

        let other = published(4, vec![entry(1, "Другая система", "Денсаулық сақтау")]);
        let (_, _, changed) = compare(&a, &other, Lang::Kk);
        assert!(changed[0].fields.is_empty(), "changed only in Russian: listed, no Kazakh field differs");
        assert_eq!(compare(&a, &other, Lang::Ru).2[0].fields[0].after, "Другая система");
    }
}
