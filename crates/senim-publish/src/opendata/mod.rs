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
mod license;

pub use atom::{FeedEntry, atom_feed, escape as xml_escape};
pub use datapackage::{data_package, table_schema};
pub use dcat::{dcat_dataset, latest_url};
pub(crate) use license::artifact_parts;
pub use license::{CC_BY_4_0, License};

#[cfg(test)]
mod tests {
    use super::*;
    use senim_domain::lang::Lang;

    #[test]
    fn artifact_names_split_into_language_and_extension() {
        assert_eq!(artifact_parts("3.kk.csv"), Some((Lang::Kk, "csv")));
        assert_eq!(artifact_parts("12.en.xlsx"), Some((Lang::En, "xlsx")));
        assert_eq!(artifact_parts("3.json"), None);
        assert_eq!(artifact_parts("3.de.csv"), None);
        assert_eq!(artifact_parts("3.kk.csv.gz"), None);
    }
}
