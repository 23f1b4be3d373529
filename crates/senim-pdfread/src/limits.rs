//! How much work reading one PDF may cost.
//!
//! The figures leave room for real documents — a 500-page text report decodes to a few MB of content; an
//! embedded CJK font to about 20 MB — and none for a bomb: zlib inflates at most about 1,030 times, so a
//! 20 MB upload could otherwise ask for 20 GB.

/// Limits of the code itself; the child process's own limits are in [`crate::worker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most one stream may decode to.
    pub max_stream_bytes: u64,
    /// The most all streams of the file together may decode to.
    pub max_file_bytes: u64,
    /// The most the content streams of one page may decode to together (a page may list the same
    /// stream many times in `/Contents`, and the readers concatenate them).
    pub max_page_content_bytes: u64,
    /// How deeply form XObjects may draw one another.
    pub max_form_depth: usize,
    /// The most drawing operations of the whole document, counted as the text reader executes them
    /// (a form drawn twice counts twice).
    pub max_operations: u64,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_stream_bytes: 64 << 20,
        max_file_bytes: 256 << 20,
        max_page_content_bytes: 16 << 20,
        max_form_depth: 12,
        max_operations: 3_000_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a document was not read to the end: which bound it crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    /// A stream (object number) decodes to more than [`Limits::max_stream_bytes`].
    Stream(u32),
    /// The file's streams decode to more than [`Limits::max_file_bytes`].
    File,
    /// A page's content streams decode to more than [`Limits::max_page_content_bytes`].
    PageContent(u32),
    /// A form XObject (object number) draws itself, directly or through others.
    FormCycle(u32),
    /// Forms nest deeper than [`Limits::max_form_depth`].
    FormDepth,
    /// More than [`Limits::max_operations`] drawing operations.
    Operations,
    /// The page tree's inheritance (`/Parent`) loops.
    PageTreeCycle,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exceeded::Stream(n) => write!(f, "stream {n} decodes to more than one stream may"),
            Exceeded::File => f.write_str("the file's streams decode to more than one file may"),
            Exceeded::PageContent(p) => write!(f, "page {p}'s content decodes to more than one page may"),
            Exceeded::FormCycle(n) => write!(f, "form XObject {n} draws itself"),
            Exceeded::FormDepth => f.write_str("form XObjects nest deeper than allowed"),
            Exceeded::Operations => f.write_str("more drawing operations than allowed"),
            Exceeded::PageTreeCycle => f.write_str("the page tree loops"),
        }
    }
}
