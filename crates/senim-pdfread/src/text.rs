//! The text layer of a document, page by page, as `pdf-extract` reads it — after the bounded load and
//! the walk of its drawing, so that `pdf-extract` only ever executes what was counted.

use crate::drawing;
use crate::limits::Limits;
use crate::load::{LoadError, load};

/// The most text returned (a 500-page report is about 2 MB of text): past it, the pages read so far.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// Each page's text, or why there is none (a sentence for the reviewer's page and the log).
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, String> {
    let loaded = match load(crate::intake::without_bom(bytes), limits) {
        Ok(l) => l,
        Err(LoadError::Exceeded(e)) => return Err(format!("the file exceeds the reading limits: {e}")),
        Err(LoadError::Parse(e)) => return Err(format!("the file does not parse as a PDF: {e}")),
    };
    if loaded.doc.is_encrypted() || loaded.doc.was_encrypted() {
        return Err("the file is encrypted".into());
    }
    drawing::check(&loaded, limits).map_err(|e| format!("the file exceeds the reading limits: {e}"))?;
    let doc = &loaded.doc;
    let mut pages = Vec::new();
    let mut total = 0;
    // As pdf-extract's own `extract_text_from_mem_by_pages`: page after page until one fails.
    for number in 1..=doc.get_pages().len() as u32 {
        let mut text = String::new();
        let read = {
            let mut out = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(doc, &mut out, number)
        };
        if read.is_err() {
            break;
        }
        total += text.len();
        if total > MAX_TEXT_BYTES {
            break;
        }
        pages.push(text);
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw;

    #[test]
    fn the_text_of_each_page_is_read() {
        let pages = extract(&raw::text_page("Audit report 2026"), &Limits::DEFAULT).unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains("Audit report 2026"), "{pages:?}");
    }

    /// Issue 16, finding 1: without the walk this test aborts the test process (stack overflow).
    #[test]
    fn a_form_that_draws_itself_is_not_executed() {
        let e = extract(&raw::self_drawing_form(), &Limits::DEFAULT).unwrap_err();
        assert!(e.contains("draws itself"), "{e}");
    }

    #[test]
    fn a_content_bomb_is_not_inflated() {
        let limits = Limits { max_stream_bytes: 8 << 20, ..Limits::DEFAULT };
        let e = extract(&raw::content_stream_bomb(64 << 20), &limits).unwrap_err();
        assert!(e.contains("reading limits"), "{e}");
    }
}
