//! The licence of the open data, and the names of the edition files the descriptors list.

use senim_domain::lang::Lang;

/// The licence a body publishes its List under, as descriptors name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct License {
    /// SPDX identifier, e.g. `CC-BY-4.0`.
    pub name: &'static str,
    /// The licence's canonical URL.
    pub path: &'static str,
    pub title: &'static str,
}

impl License {
    pub(crate) fn descriptor(&self) -> serde_json::Value {
        serde_json::json!({"name": self.name, "path": self.path, "title": self.title})
    }
}

/// Creative Commons Attribution 4.0 International: an open licence that lets anyone reuse the List
/// with attribution. Which licence applies is the operator's choice; this is the one the descriptors
/// get unless configured otherwise.
pub const CC_BY_4_0: License = License {
    name: "CC-BY-4.0",
    path: "https://creativecommons.org/licenses/by/4.0/",
    title: "Creative Commons Attribution 4.0 International",
};

/// The language and extension of a per-language artifact name `{n}.{lang}.{ext}`; `None` for `{n}.json`
/// and anything else.
pub(crate) fn artifact_parts(name: &str) -> Option<(Lang, &str)> {
    let mut parts = name.split('.');
    let (_, lang, ext) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((Lang::parse(lang)?, ext))
}
