//! Finding entries in published Lists: the text match shared by the List pages and the search API,
//! and the List pages' filters and sorting (text in Kazakh alphabetical order, see [`crate::collation`]).

use std::sync::Arc;

use senim_domain::lang::Lang;
use serde::Deserialize;

use crate::collation;
use crate::published::{IndexedEdition, Scope, TextColumn};

/// The query string of a List page, as the GET form sends it (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    /// The page of a long List (1-based; anything else is the first page).
    #[serde(default)]
    pub page: String,
}

/// The columns a List can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The edition's own order ("No."), the default.
    Number,
    Name,
    Owner,
    Date,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [SortKey::Number, SortKey::Name, SortKey::Owner, SortKey::Date];

    pub fn code(self) -> &'static str {
        match self {
            SortKey::Number => "number",
            SortKey::Name => "name",
            SortKey::Owner => "owner",
            SortKey::Date => "date",
        }
    }

    fn parse(s: &str) -> SortKey {
        SortKey::ALL.into_iter().find(|k| k.code() == s).unwrap_or(SortKey::Number)
    }
}

/// A parsed List query: unknown sort keys and directions fall back to the edition's order.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub needle: String,
    pub area: Option<String>,
    pub year: Option<i16>,
    pub body: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// 1-based.
    pub page: usize,
}

impl ListQuery {
    pub fn parse(p: &ListParams) -> ListQuery {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        ListQuery {
            needle: p.q.trim().to_lowercase(),
            area: opt(&p.area),
            year: p.year.trim().parse().ok(),
            body: opt(&p.body),
            sort: SortKey::parse(p.sort.trim()),
            descending: p.dir.trim() == "desc",
            page: p.page.trim().parse().ok().filter(|&n| n >= 1).unwrap_or(1),
        }
    }

    /// Whether the reader narrowed the List at all.
    pub fn is_filtered(&self) -> bool {
        !self.needle.is_empty() || self.area.is_some() || self.year.is_some() || self.body.is_some()
    }
}

/// One entry of a selection: the index of its edition in the slice given to [`select`], and its
/// index in that edition's entries.
pub type Hit = (usize, u32);

/// The entries of `editions` that `q` selects, in the order it asks for; texts compared in `lang`.
/// Without a sort, bodies follow in alphabetical order of their names and entries in edition order.
pub fn select(editions: &[Arc<IndexedEdition>], q: &ListQuery, lang: Lang, scope: Scope) -> Vec<Hit> {
    let mut ranked: Vec<usize> =
        (0..editions.len()).filter(|&k| q.body.as_deref().is_none_or(|b| editions[k].body_code == b)).collect();
    let body_name = |k: usize| editions[k].entries.first().map_or("", |e| e.body.name.best(lang));
    ranked.sort_by(|&a, &b| collation::compare(body_name(a), body_name(b)));
    let mut rank = vec![0usize; editions.len()];
    for (r, &k) in ranked.iter().enumerate() {
        rank[k] = r;
    }
    let mut hits: Vec<Hit> = Vec::new();
    for &k in &ranked {
        let e = &editions[k];
        hits.extend(
            e.matching(&q.needle, scope)
                .into_iter()
                .filter(|&i| {
                    let entry = &e.entries[i as usize];
                    q.area.as_deref().is_none_or(|a| entry.area.best(lang) == a)
                        && q.year.is_none_or(|y| entry.included_on.year() == y)
                })
                .map(|i| (k, i)),
        );
    }
    // Hits are in edition order already: only another order needs sorting.
    let edition_order = |a: &Hit, b: &Hit| rank[a.0].cmp(&rank[b.0]).then(a.1.cmp(&b.1));
    match q.sort {
        SortKey::Number => {}
        SortKey::Name | SortKey::Owner => {
            let column = if q.sort == SortKey::Name { TextColumn::Name } else { TextColumn::Owner };
            let keys: Vec<&[Box<[u8]>]> = editions.iter().map(|e| e.sort_keys(lang, column)).collect();
            hits.sort_by(|a, b| {
                keys[a.0][a.1 as usize].cmp(&keys[b.0][b.1 as usize]).then_with(|| edition_order(a, b))
            });
        }
        SortKey::Date => {
            let date = |h: &Hit| editions[h.0].entries[h.1 as usize].included_on;
            hits.sort_by(|a, b| date(a).cmp(&date(b)).then_with(|| edition_order(a, b)));
        }
    }
    if q.descending {
        hits.reverse();
    }
    hits
}

/// The areas (in `lang`, Kazakh order) and years (newest first) of `editions`, for the selects.
pub fn facets(editions: &[Arc<IndexedEdition>], lang: Lang) -> (Vec<String>, Vec<i16>) {
    let mut areas: Vec<String> = editions.iter().flat_map(|e| e.facets(lang).areas.iter().cloned()).collect();
    areas.sort_by(|a, b| collation::compare(a, b));
    areas.dedup();
    let mut years: Vec<i16> = editions.iter().flat_map(|e| e.facets(lang).years.iter().copied()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    (areas, years)
}

/// Percent-encodes a query-string value.
pub use crate::percent::encode_component as encode;

/// The query string (with `?`) of `p` showing page `page`, keeping its filters and order.
pub fn page_href(p: &ListParams, page: usize) -> String {
    let mut parts = Vec::new();
    for (k, v) in
        [("q", &p.q), ("area", &p.area), ("year", &p.year), ("body", &p.body), ("sort", &p.sort), ("dir", &p.dir)]
    {
        if !v.trim().is_empty() {
            parts.push(format!("{k}={}", encode(v.trim())));
        }
    }
    parts.push(format!("page={page}"));
    format!("?{}", parts.join("&"))
}

/// The query string (with `?`) of `p` sorted by `sort` in direction `dir`, keeping its filters (and
/// going back to the first page).
pub fn sort_href(p: &ListParams, sort: SortKey, dir: &str) -> String {
    let mut parts = Vec::new();
    for (k, v) in [("q", &p.q), ("area", &p.area), ("year", &p.year), ("body", &p.body)] {
        if !v.trim().is_empty() {
            parts.push(format!("{k}={}", encode(v.trim())));
        }
    }
    parts.push(format!("sort={}", sort.code()));
    parts.push(format!("dir={dir}"));
    format!("?{}", parts.join("&"))
}
