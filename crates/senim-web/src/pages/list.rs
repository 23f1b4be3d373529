//! Each body's List (Rules §7: "viewed and downloaded"): the current edition in Annex 2 columns, its
//! downloads and stable open-data addresses, and when the List will next change.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;
use senim_publish::render::column_titles;
use senim_store::{bodies, editions};

use super::{Ctx, error_page, render, service_error};
use crate::AppState;
use crate::services::lists::{self, NextUpdate};

pub struct Row {
    pub cells: Vec<String>,
    pub registry_number: String,
}

pub struct FileLink {
    pub name: String,
    pub label: String,
}

/// The stable "latest" links of one language: `(label, href)` per format.
pub struct LatestLinks {
    pub lang: &'static str,
    pub lang_name: String,
    pub links: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "body_list.html")]
pub struct BodyList {
    pub p: Ctx,
    pub code: String,
    pub name: String,
    pub edition: Option<i64>,
    pub published_at: String,
    pub titles: Vec<String>,
    pub rows: Vec<Row>,
    pub files: Vec<FileLink>,
    pub latest: Vec<LatestLinks>,
    pub next_update: String,
}

/// The cells of an entry in the List's Annex 2 columns, in `lang`.
pub fn annex2_cells(e: &Annex2Entry, lang: Lang) -> Vec<String> {
    vec![
        e.position.to_string(),
        e.system_name.best(lang).to_owned(),
        e.owner.best(lang).to_owned(),
        e.area.best(lang).to_owned(),
        e.functionality.best(lang).to_owned(),
        format!("{}, {}, {}", e.audit.auditor.best(lang), e.audit.date, e.audit.conclusions.best(lang)),
        e.included_on.to_string(),
        e.body.name.best(lang).to_owned(),
    ]
}

/// The declared next update, as a sentence in the reader's language.
pub fn next_update_text(p: &Ctx, next: NextUpdate) -> String {
    match next {
        NextUpdate::DueBy(d) => p.ta("list-next-update-due", "date", &d.to_string()),
        NextUpdate::Pending => p.t("list-next-update-pending"),
        NextUpdate::NothingPending => p.t("list-next-update-none"),
    }
}

/// Rules §7: the body's List, viewable (Annex 2 columns) and downloadable.
pub async fn body_list(p: Ctx, State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let Ok(Some(body)) = bodies::get(&state.store, &code).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let (current, next) = match (lists::current(&state, &code).await, lists::next_update(&state, &code).await) {
        (Ok(c), Ok(n)) => (c, n),
        (Err(e), _) | (_, Err(e)) => return service_error(&p, e),
    };
    let lang = p.lang;
    let (latest_edition, entries) = match current {
        Some((e, entries)) => (Some(e), entries),
        None => (None, Vec::new()),
    };
    let rows = entries
        .iter()
        .map(|e| Row { registry_number: e.registry_number.clone(), cells: annex2_cells(e, lang) })
        .collect();
    let mut files = Vec::new();
    let mut latest = Vec::new();
    if let Some(e) = &latest_edition {
        let arts = match editions::artifacts(&state.store, &code, e.number).await {
            Ok(a) => a,
            Err(err) => return service_error(&p, err.into()),
        };
        for l in [Lang::Kk, Lang::Ru, Lang::En] {
            let links: Vec<(&'static str, String)> = ["html", "csv", "xlsx", "pdf"]
                .into_iter()
                .filter(|ext| arts.iter().any(|a| a.name == format!("{}.{}.{ext}", e.number, l.code())))
                .map(|ext| (ext, format!("/bodies/{code}/latest/list.{}.{ext}", l.code())))
                .collect();
            if !links.is_empty() {
                latest.push(LatestLinks { lang: l.code(), lang_name: p.t(&format!("lang-{}", l.code())), links });
            }
        }
        for a in arts {
            let label = p.ta("download-file", "name", &a.name);
            files.push(FileLink { name: a.name, label });
        }
    }
    render(&BodyList {
        titles: column_titles(lang).iter().map(|s| (*s).to_owned()).collect(),
        name: p.text(&body.name),
        edition: latest_edition.as_ref().map(|e| e.number),
        published_at: latest_edition.as_ref().map(|e| e.published_at.clone()).unwrap_or_default(),
        next_update: next_update_text(&p, next),
        code,
        rows,
        files,
        latest,
        p,
    })
}
