//! Human-readable renderings of an edition: the Annex 2 table as CSV, as an HTML page, as an XLSX
//! workbook and as a PDF document.
//!
//! Rules §7 requires the List to be viewable and downloadable in the form of Annex 2, so the
//! renderings carry the eight Annex 2 columns in the Rules' order with their titles in the artifact's
//! language. After them come three columns that Annex 2 does not have but `edition-format.md` asks
//! for, the stable identifiers that let consumers join and sync: registry number, the owner's BIN
//! (empty for a person, whose IIN is never published) and the body's code.
//!
//! Texts are taken in the artifact's language and fall back to Kazakh, Russian, English
//! ([`LangText::best`]), so a row is never blank because one translation is missing.

mod columns;
mod csv_artifact;
mod html_artifact;
mod pdf_artifact;
mod xlsx_artifact;

pub use columns::{column_titles, identifier_titles, languages_of};
pub(crate) use columns::{header, row};
pub use csv_artifact::csv;
pub use html_artifact::html;
pub use html_artifact::list_title;
pub use pdf_artifact::{PDF_MEDIA_TYPE, pdf};
pub use xlsx_artifact::xlsx;
