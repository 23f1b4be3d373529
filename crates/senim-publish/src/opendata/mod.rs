//! Open-data descriptors of published editions, for harvesters and data portals rather than people:
//!
//! | what | standard | function |
//! |---|---|---|
//! | a feed of new editions | Atom, RFC 4287 | [`atom_feed`] |
//! | an edition's CSV files with their schema | Frictionless Data Package + Table Schema | [`data_package`] |
//! | a body's List as a catalogue dataset | DCAT (JSON-LD, DCAT-AP style) | [`dcat_dataset`] |
//!
//! Pure functions of a manifest or of feed entries, like the rest of the crate; the caller serves
//! them. None of them is signed: each carries or points at the SHA-256 of the signed files.

mod atom;
mod datapackage;
mod dcat;

pub use atom::{FeedEntry, atom_feed, escape as xml_escape};
pub use datapackage::{data_package, table_schema};
pub use dcat::{dcat_dataset, latest_url};

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
    fn descriptor(&self) -> serde_json::Value {
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
fn artifact_parts(name: &str) -> Option<(Lang, &str)> {
    let mut parts = name.split('.');
    let (_, lang, ext) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((Lang::parse(lang)?, ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_names_split_into_language_and_extension() {
        assert_eq!(artifact_parts("3.kk.csv"), Some((Lang::Kk, "csv")));
        assert_eq!(artifact_parts("12.en.xlsx"), Some((Lang::En, "xlsx")));
        assert_eq!(artifact_parts("3.json"), None);
        assert_eq!(artifact_parts("3.de.csv"), None);
        assert_eq!(artifact_parts("3.kk.csv.gz"), None);
    }
}
