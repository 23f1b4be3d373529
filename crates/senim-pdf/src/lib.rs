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
mod meta;
mod page;
mod table;
mod text;

pub use document::Document;
pub use meta::{Lang, Meta, PdfError};
pub use table::{Column, TableSpec, table, table_of};
