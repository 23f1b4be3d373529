//! Shared test helpers: text extraction with pdf-extract (a different PDF reader than the one
//! that wrote the file, so a broken ToUnicode map or font would show up here).

#![allow(dead_code)] // each test binary uses a different subset

use senim_pdf::{Lang, Meta};

pub const KAZAKH_UPPER: [char; 9] = ['Ә', 'Ғ', 'Қ', 'Ң', 'Ө', 'Ұ', 'Ү', 'Һ', 'І'];
pub const KAZAKH_LOWER: [char; 9] = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];

pub fn meta(title: &str) -> Meta {
    Meta::new(title, Lang::Kk, jiff::civil::date(2026, 11, 24))
}

/// The text of each page, in order. Panics with the reader's error: a file pdf-extract cannot
/// read is a failed test.
pub fn pages(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf).expect("pdf-extract reads the PDF")
}

pub fn text(pdf: &[u8]) -> String {
    pages(pdf).concat()
}

/// Whitespace-insensitive: extraction may put a line break where the layout wrapped.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
