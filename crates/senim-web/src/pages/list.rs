//! Each body's List (Rules §7: "viewed and downloaded"): the current edition in Annex 2 columns, its
//! downloads and stable open-data addresses, and when the List will next change.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;

use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;
use senim_publish::render::column_titles;
use senim_store::{bodies, editions};

use super::{Ctx, error_page, render, service_error};
use crate::AppState;
use crate::cache::PageKey;
use crate::published::{self, IndexedEdition, Scope};
use crate::search::{self, ListParams, ListQuery, SortKey};
use crate::services::lists::{self, NextUpdate};

pub struct Row {
    pub cells: Vec<String>,
    pub registry_number: String,
    pub body_code: String,
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

/// A column header: its title, and for sortable columns the link that sorts by it and its `aria-sort`.
pub struct Header {
    pub title: String,
    pub href: Option<String>,
    pub aria_sort: Option<&'static str>,
}

/// The search form and table headers of a List page (a body's or the national one).
pub struct SearchView {
    pub params: ListParams,
    pub areas: Vec<String>,
    pub years: Vec<i16>,
    /// `(code, name)` of the bodies, for the national List's body filter; empty on a body's page.
    pub bodies: Vec<(String, String)>,
    /// `(code, label)` of the sort keys.
    pub sorts: Vec<(&'static str, String)>,
    pub sort: &'static str,
    pub descending: bool,
    pub headers: Vec<Header>,
    pub count: usize,
    pub total: usize,
    pub filtered: bool,
    /// `None` when the List fits on one page.
    pub paging: Option<Paging>,
    /// The page shown (the one asked for, or the last if that was past the end).
    pub page: usize,
}

/// The sortable columns of the Annex 2 table: "No.", name, owner, date of inclusion.
const SORTABLE: [(usize, SortKey); 4] =
    [(0, SortKey::Number), (1, SortKey::Name), (2, SortKey::Owner), (6, SortKey::Date)];

/// Rows per page of a List (a List of 100,000 entries is read a page at a time).
pub const PAGE_SIZE: usize = 100;

/// Filters, sorts and pages `editions` as `params` asks, and describes the form, headers and pages.
/// CPU-heavy for a large List (the first sort by a column computes its keys): call it off the async
/// threads.
pub fn search_view(p: &Ctx, params: ListParams, editions: &[Arc<IndexedEdition>]) -> (SearchView, Vec<Row>) {
    let lang = p.lang;
    let q = ListQuery::parse(&params);
    let total = editions.iter().map(|e| e.entries.len()).sum();
    let (areas, years) = search::facets(editions, lang);
    let found = search::select(editions, &q, lang, Scope::Names);
    let pages = found.len().div_ceil(PAGE_SIZE).max(1);
    let page = q.page.min(pages);
    let shown = &found[((page - 1) * PAGE_SIZE).min(found.len())..(page * PAGE_SIZE).min(found.len())];
    let rows: Vec<Row> = shown
        .iter()
        .map(|&(k, i)| {
            let e = &editions[k].entries[i as usize];
            Row {
                registry_number: e.registry_number.clone(),
                body_code: e.body.code.clone(),
                cells: annex2_cells(e, lang),
            }
        })
        .collect();
    let headers = column_titles(lang)
        .iter()
        .enumerate()
        .map(|(i, t)| match SORTABLE.iter().find(|(c, _)| *c == i) {
            Some((_, key)) => {
                let current = q.sort == *key;
                let next_dir = if current && !q.descending { "desc" } else { "asc" };
                let aria = match (current, q.descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                };
                Header {
                    title: (*t).to_owned(),
                    href: Some(search::sort_href(&params, *key, next_dir)),
                    aria_sort: Some(aria),
                }
            }
            None => Header { title: (*t).to_owned(), href: None, aria_sort: None },
        })
        .collect();
    let first = (page - 1) * PAGE_SIZE + 1;
    let paging = (pages > 1).then(|| Paging {
        page_of: p.t_two("list-page-of", "page", &page.to_string(), "pages", &pages.to_string()),
        showing: p.t_two("list-page-showing", "from", &first.to_string(), "to", &(first + rows.len() - 1).to_string()),
        prev: (page > 1).then(|| search::page_href(&params, page - 1)),
        next: (page < pages).then(|| search::page_href(&params, page + 1)),
    });
    let view = SearchView {
        areas,
        years,
        bodies: Vec::new(),
        sorts: SortKey::ALL.iter().map(|k| (k.code(), p.t(&format!("search-sort-{}", k.code())))).collect(),
        sort: q.sort.code(),
        descending: q.descending,
        headers,
        count: found.len(),
        total,
        filtered: q.is_filtered(),
        paging,
        page,
        params,
    };
    (view, rows)
}

/// Where the reader is in a List of several pages, and the links to the pages around.
pub struct Paging {
    pub page_of: String,
    pub showing: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "body_list.html")]
pub struct BodyList {
    pub p: Ctx,
    pub code: String,
    pub name: String,
    pub edition: Option<i64>,
    pub published_at: String,
    pub s: SearchView,
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
pub async fn body_list(
    p: Ctx,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<ListParams>,
) -> Response {
    // Within `Config::read_ttl` of the last check, an anonymous reader's default page is answered from
    // memory without a database query.
    let shared = p.user.is_none() && is_default(&params);
    let page_no = ListQuery::parse(&params).page;
    if shared && let Some(html) = state.caches.pages.recent(&code, p.lang, page_no, state.config.read_ttl) {
        return Html(html).into_response();
    }
    let Ok(Some(body)) = bodies::get(&state.store, &code).await else {
        return error_page(&p, StatusCode::NOT_FOUND, "page-not-found");
    };
    let next = match lists::next_update(&state, &code).await {
        Ok(n) => n,
        Err(e) => return service_error(&p, e),
    };
    // Anonymous readers of the default view share one rendering per (edition, language, next
    // update): see crate::cache. Signed-in readers see their own navigation, so theirs is not shared.
    let key = if shared {
        match editions::latest_number(&state.store, &code).await {
            Ok(edition) => Some(PageKey {
                body: code.clone(),
                edition,
                lang: p.lang,
                next_update: next_update_text(&p, next),
                page: page_no,
            }),
            Err(e) => return service_error(&p, e.into()),
        }
    } else {
        None
    };
    if let Some(key) = &key
        && let Some(html) = state.caches.pages.get(key)
    {
        state.caches.pages.checked(key);
        return Html(html).into_response();
    }
    let latest_edition = match published::current(&state, &code).await {
        Ok(c) => c,
        Err(e) => return service_error(&p, e),
    };
    let (s, rows) = match view_off_thread(&p, params, latest_edition.iter().cloned().collect()).await {
        Ok(v) => v,
        Err(r) => return r,
    };
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
    let page = BodyList {
        s,
        name: p.text(&body.name),
        edition: latest_edition.as_ref().map(|e| e.number),
        published_at: latest_edition.as_ref().map(|e| e.published_at.clone()).unwrap_or_default(),
        next_update: next_update_text(&p, next),
        code,
        rows,
        files,
        latest,
        p,
    };
    // A page number past the end shows the last page; it is not kept under its own number.
    let Some(key) = key.filter(|k| k.page == page.s.page) else { return render(&page) };
    match page.render() {
        Ok(html) => {
            let html = axum::body::Bytes::from(html);
            state.caches.pages.put(key.clone(), html.clone());
            state.caches.pages.checked(&key);
            Html(html).into_response()
        }
        Err(_) => render(&page),
    }
}

/// [`search_view`] on a blocking thread: a large List's first sort by a column takes a while.
async fn view_off_thread(
    p: &Ctx,
    params: ListParams,
    editions: Vec<Arc<IndexedEdition>>,
) -> Result<(SearchView, Vec<Row>), Response> {
    let ctx = p.clone();
    tokio::task::spawn_blocking(move || search_view(&ctx, params, &editions))
        .await
        .map_err(|_| error_page(p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal"))
}

/// No search, filter or sort: the List as published (on any page).
fn is_default(params: &ListParams) -> bool {
    [&params.q, &params.area, &params.year, &params.body, &params.sort, &params.dir].iter().all(|v| v.trim().is_empty())
}

#[derive(Template)]
#[template(path = "lists.html")]
pub struct NationalList {
    pub p: Ctx,
    pub s: SearchView,
    pub rows: Vec<Row>,
}

/// The national List: every body's current edition in one table, with the List pages' search,
/// filters (and a body filter) and sorting.
pub async fn national_list(p: Ctx, State(state): State<AppState>, Query(params): Query<ListParams>) -> Response {
    let (all_bodies, current) = match (published::bodies(&state).await, published::all_current(&state).await) {
        (Ok(b), Ok(c)) => (b, c),
        (Err(e), _) | (_, Err(e)) => return service_error(&p, e),
    };
    let mut body_options: Vec<(String, String)> = all_bodies
        .iter()
        .filter(|b| current.iter().any(|e| e.body_code == b.code))
        .map(|b| (b.code.clone(), p.text(&b.name)))
        .collect();
    body_options.sort_by(|a, b| crate::collation::compare(&a.1, &b.1));
    let (mut s, rows) = match view_off_thread(&p, params, current).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    s.bodies = body_options;
    render(&NationalList { p, s, rows })
}
