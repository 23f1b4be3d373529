//! What every document carries besides its content (title, language, date, footer), and why one could
//! not be produced.

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
