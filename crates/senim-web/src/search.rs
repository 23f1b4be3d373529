//! Finding entries in published Lists: the text match shared by the List pages and the search API,
//! and the List pages' filters and sorting (text in Kazakh alphabetical order, see [`crate::collation`]).

use std::cmp::Ordering;

use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;
use serde::Deserialize;

use crate::collation;

/// Whether `entry` matches the query `needle` (already lower-cased and trimmed): its system name or
/// owner in any language, its registry number or its owner's BIN. An empty needle matches everything.
pub fn matches(entry: &Annex2Entry, needle: &str) -> bool {
    needle.is_empty()
        || [&entry.system_name, &entry.owner]
            .iter()
            .flat_map(|t| t.0.values())
            .chain(std::iter::once(&entry.registry_number))
            .chain(entry.owner_bin.as_ref())
            .any(|s| s.to_lowercase().contains(needle))
}

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
        }
    }

    /// Whether the reader narrowed the List at all.
    pub fn is_filtered(&self) -> bool {
        !self.needle.is_empty() || self.area.is_some() || self.year.is_some() || self.body.is_some()
    }
}

/// The areas (in `lang`, Kazakh order) and years (newest first) present in `entries`, for the selects.
pub fn facets(entries: &[Annex2Entry], lang: Lang) -> (Vec<String>, Vec<i16>) {
    let mut areas: Vec<String> = entries.iter().map(|e| e.area.best(lang).to_owned()).collect();
    areas.sort_by(|a, b| collation::compare(a, b));
    areas.dedup();
    let mut years: Vec<i16> = entries.iter().map(|e| e.included_on.year()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    (areas, years)
}

/// The entries `q` selects, in the order it asks for; texts compared in `lang`.
pub fn apply(entries: Vec<Annex2Entry>, q: &ListQuery, lang: Lang) -> Vec<Annex2Entry> {
    let mut out: Vec<Annex2Entry> = entries
        .into_iter()
        .filter(|e| matches(e, &q.needle))
        .filter(|e| q.area.as_deref().is_none_or(|a| e.area.best(lang) == a))
        .filter(|e| q.year.is_none_or(|y| e.included_on.year() == y))
        .filter(|e| q.body.as_deref().is_none_or(|b| e.body.code == b))
        .collect();
    let edition_order = |a: &Annex2Entry, b: &Annex2Entry| {
        collation::compare(a.body.name.best(lang), b.body.name.best(lang)).then(a.position.cmp(&b.position))
    };
    out.sort_by(|a, b| {
        let o = match q.sort {
            SortKey::Number => Ordering::Equal,
            SortKey::Name => collation::compare(a.system_name.best(lang), b.system_name.best(lang)),
            SortKey::Owner => collation::compare(a.owner.best(lang), b.owner.best(lang)),
            SortKey::Date => a.included_on.cmp(&b.included_on),
        };
        let o = o.then_with(|| edition_order(a, b));
        if q.descending { o.reverse() } else { o }
    });
    out
}

/// Percent-encodes a query-string value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The query string (with `?`) of `p` sorted by `sort` in direction `dir`, keeping its filters.
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
