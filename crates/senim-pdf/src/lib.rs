//! Deterministic, tagged PDFs with Kazakh text: the filled-in application form (Annex 1), the
//! notice of nonconformity, and the public List (Annex 2) as a landscape table.
//!
//! Why this crate exists as it is:
//!
//! * **Byte-identical output.** A published PDF is signed and its hash recorded, so rendering the
//!   same input twice must give the same bytes: no clock, no random ids (the creation date is an
//!   input), fonts embedded in the crate (DejaVu Sans, see `fonts/README.md`), never system fonts.
//! * **Accessible.** Output is validated by krilla as **PDF/UA-1** (export fails otherwise):
//!   tagged structure (headings, paragraphs, tables with header cells), document title and
//!   language, an outline, footers and repeated table headers marked as pagination artifacts.
//!   krilla checks what can be checked mechanically; the semantic parts (reading order, heading
//!   levels) are this crate's responsibility and are kept simple on purpose.
//! * **Kazakh text survives extraction.** Glyphs are embedded with their Unicode mapping, so
//!   Ә Ғ Қ Ң Ө Ұ Ү Һ І copy and search correctly; characters the font lacks are replaced by U+FFFD
//!   rather than failing the document.
//! * **Pure.** Functions take data and return bytes; no I/O. A large table is CPU-bound for
//!   seconds: call it from `spawn_blocking`.
//!
//! ```
//! use senim_pdf::{Document, Lang, Meta};
//! let date = jiff::civil::date(2026, 11, 24);
//! let meta = Meta::new("Өтінім", Lang::Kk, date).with_footer("№ 2026-0001").with_page_label("бет {page} / {pages}");
//! let mut doc = Document::new(meta);
//! doc.heading("1-қосымша").field("Өтініш беруші", "«Сенім» ЖШС").paragraph("Мәтін…");
//! let pdf: Vec<u8> = doc.render().unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```
//!
//! Timings for the table are in the crate's `README.md`.

mod document;
mod fonts;
mod page;
mod table;
mod text;

pub use document::Document;
pub use table::{Column, TableSpec, table, table_of};

/// The document language, written to the catalog and the structure root so screen readers pick
/// the right voice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    /// The BCP 47 tag: `kk`, `ru` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

/// What every Senim PDF carries besides its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Document title (metadata and the outline's first entry).
    pub title: String,
    pub lang: Lang,
    /// Creation date written to the metadata. An input, not the clock, so output is reproducible.
    pub created: jiff::civil::Date,
    /// Left side of every page's footer, e.g. a reference number. May be empty.
    pub footer: String,
    /// Right side of every page's footer; `{page}` and `{pages}` are replaced, e.g.
    /// `"бет {page} / {pages}"`.
    pub page_label: String,
}

impl Meta {
    pub fn new(title: impl Into<String>, lang: Lang, created: jiff::civil::Date) -> Self {
        Self { title: title.into(), lang, created, footer: String::new(), page_label: "{page} / {pages}".to_owned() }
    }

    pub fn with_footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = footer.into();
        self
    }

    pub fn with_page_label(mut self, template: impl Into<String>) -> Self {
        self.page_label = template.into();
        self
    }
}

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// PDF/UA requires a document title (viewers show it instead of the file name).
    #[error("the document has no title")]
    NoTitle,
    #[error("a table needs at least one column")]
    NoColumns,
    #[error("column {column} has width {width}; widths must be positive and finite")]
    ColumnWidth { column: usize, width: f32 },
    #[error("row {row} has {found} cells but the table has {expected} columns")]
    RowLength { row: usize, found: usize, expected: usize },
    #[error("the creation date {0} cannot be written to PDF metadata")]
    Date(jiff::civil::Date),
    /// krilla refused to serialise, e.g. PDF/UA-1 validation failed.
    #[error("PDF export failed: {0}")]
    Export(#[source] krilla::error::KrillaError),
}
