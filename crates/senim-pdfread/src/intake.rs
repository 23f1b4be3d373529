//! The intake check of one uploaded document, by its content alone (issue 6, item 6; issue 16,
//! findings 1, 2 and 8): a file becomes an attachment only if
//!
//! 1. its size is within [`MAX_UPLOAD_BYTES`];
//! 2. it **starts** with `%PDF-` (after at most a UTF-8 byte-order mark) and ends with `%%EOF` — an
//!    HTML page, an `.hta` or an `MZ` executable with a PDF inside is not a PDF;
//! 3. it loads within the [`Limits`] (no stream inflating past them), is not encrypted and has between 1
//!    and `max_pages` pages;
//! 4. it carries no active content: no JavaScript, no `/Launch` action, no embedded files;
//! 5. its drawing can be walked within the limits (no form XObject drawing itself, no nesting or
//!    operation count past them): the text reader will be able to read it.
//!
//! The refusal is one of the `upload.*` [`codes`] (messages in `senim-app/i18n/*/uploads.ftl`). The
//! server runs this in the worker process ([`crate::sandbox`]); the fuzz target calls it directly.

use lopdf::{Document, Object};

use crate::drawing;
use crate::limits::Limits;
use crate::load::{LoadError, load};

/// The largest document accepted, stated on the upload form.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// The most pages a document may have unless `SENIM_UPLOAD_MAX_PAGES` says otherwise.
pub const MAX_PAGES: usize = 500;

/// Why a document is refused: the `code` of the field error on `file`.
pub mod codes {
    pub const EMPTY: &str = "upload.empty";
    pub const TOO_LARGE: &str = "upload.too_large";
    pub const NOT_PDF: &str = "upload.not_pdf";
    /// Starts as a PDF but does not parse: damaged or cut short.
    pub const MALFORMED: &str = "upload.malformed";
    pub const ENCRYPTED: &str = "upload.encrypted";
    pub const NO_PAGES: &str = "upload.no_pages";
    pub const TOO_MANY_PAGES: &str = "upload.too_many_pages";
    /// Inflates, nests or draws beyond the reading limits, or the reader gave up on it.
    pub const TOO_COMPLEX: &str = "upload.too_complex";
    /// JavaScript, a launch action or an embedded file.
    pub const ACTIVE_CONTENT: &str = "upload.active_content";
    /// The reader could not be run just now (busy or not installed): try again later.
    pub const UNAVAILABLE: &str = "upload.unavailable";

    /// Every code of this check, for the translation check.
    pub const ALL: [&str; 10] = [
        EMPTY,
        TOO_LARGE,
        NOT_PDF,
        MALFORMED,
        ENCRYPTED,
        NO_PAGES,
        TOO_MANY_PAGES,
        TOO_COMPLEX,
        ACTIVE_CONTENT,
        UNAVAILABLE,
    ];

    /// The worker's code for a code it read back (the one `&'static str` of this list).
    pub fn known(code: &str) -> Option<&'static str> {
        ALL.into_iter().find(|c| *c == code)
    }
}

/// What the check learnt about an accepted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfInfo {
    pub pages: usize,
}

/// The size check alone (done before anything is sent to the worker).
pub fn check_size(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.is_empty() {
        return Err(codes::EMPTY);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(codes::TOO_LARGE);
    }
    Ok(())
}

/// The whole check of one file, synchronous.
pub fn inspect(bytes: &[u8], max_pages: usize, limits: &Limits) -> Result<PdfInfo, &'static str> {
    check_size(bytes)?;
    let bytes = without_bom(bytes);
    if !bytes.starts_with(b"%PDF-") {
        return Err(codes::NOT_PDF);
    }
    // …and ends with an end-of-file marker: without one it was cut short.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(codes::MALFORMED);
    }
    // lopdf unpacks an encrypted file's object streams without the measuring hook: refused unread.
    if mentions(bytes, b"/Encrypt") {
        return Err(codes::ENCRYPTED);
    }
    let loaded = match load(bytes, limits) {
        Ok(l) => l,
        Err(LoadError::Exceeded(_)) => return Err(codes::TOO_COMPLEX),
        Err(LoadError::Parse(_)) => return Err(codes::MALFORMED),
    };
    let doc = &loaded.doc;
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(codes::ENCRYPTED);
    }
    if doc.trailer.get(b"Root").and_then(Object::as_reference).is_err() || doc.catalog().is_err() {
        return Err(codes::MALFORMED);
    }
    // Counted up to one past the limit: a page tree of millions is not walked to the end.
    let pages = doc.page_iter().take(max_pages.saturating_add(1)).count();
    if pages == 0 {
        return Err(codes::NO_PAGES);
    }
    if pages > max_pages {
        return Err(codes::TOO_MANY_PAGES);
    }
    if active_content(doc, bytes).is_some() {
        return Err(codes::ACTIVE_CONTENT);
    }
    drawing::check(&loaded, limits).map_err(|_| codes::TOO_COMPLEX)?;
    Ok(PdfInfo { pages })
}

/// The file from its header on: a UTF-8 byte-order mark before `%PDF-` is the one prefix allowed.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The kinds of active content a registry of trusted systems does not pass on to reviewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Active {
    JavaScript,
    Launch,
    EmbeddedFile,
}

/// The first active content found: in any dictionary of the parsed document (names as lopdf decoded
/// them, so `/J#53` is `/JS`), or spelt plainly in the file's bytes (objects lopdf could not parse).
pub fn active_content(doc: &Document, bytes: &[u8]) -> Option<Active> {
    let mut stack: Vec<&Object> = doc.objects.values().collect();
    while let Some(o) = stack.pop() {
        let dict = match o {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            Object::Array(a) => {
                stack.extend(a.iter());
                continue;
            }
            _ => continue,
        };
        let name_is = |k: &[u8], v: &[u8]| dict.get(k).and_then(Object::as_name).is_ok_and(|n| n == v);
        if dict.has(b"JS") || dict.has(b"JavaScript") || name_is(b"S", b"JavaScript") {
            return Some(Active::JavaScript);
        }
        if name_is(b"S", b"Launch") {
            return Some(Active::Launch);
        }
        if dict.has(b"EF")
            || dict.has(b"EmbeddedFiles")
            || name_is(b"Type", b"EmbeddedFile")
            || name_is(b"Subtype", b"FileAttachment")
        {
            return Some(Active::EmbeddedFile);
        }
        stack.extend(dict.iter().map(|(_, v)| v));
    }
    if mentions(bytes, b"/JavaScript") {
        Some(Active::JavaScript)
    } else if mentions(bytes, b"/Launch") {
        Some(Active::Launch)
    } else if mentions(bytes, b"/EmbeddedFile") || mentions(bytes, b"/EmbeddedFiles") {
        Some(Active::EmbeddedFile)
    } else {
        None
    }
}

/// `name` in the bytes, followed by a delimiter or white space (so `/Launch` is not `/LaunchPad`).
fn mentions(bytes: &[u8], name: &[u8]) -> bool {
    bytes.windows(name.len() + 1).any(|w| {
        w.starts_with(name)
            && matches!(
                w[name.len()],
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0' | b'/' | b'<' | b'>' | b'[' | b']' | b'(' | b')'
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::{self, RawPdf};

    fn check(bytes: &[u8]) -> Result<PdfInfo, &'static str> {
        inspect(bytes, MAX_PAGES, &Limits::DEFAULT)
    }

    #[test]
    fn documents_are_checked_by_content_not_by_name() {
        assert_eq!(check(b""), Err(codes::EMPTY));
        assert_eq!(check(b"MZ\x90\x00 an executable"), Err(codes::NOT_PDF));
        assert_eq!(check(b"%PDF-1.7 but cut short"), Err(codes::MALFORMED));
        assert_eq!(check(b"%PDF-1.7 garbage %%EOF"), Err(codes::MALFORMED));
        assert_eq!(check(&raw::text_page("ok")), Ok(PdfInfo { pages: 1 }));
        assert_eq!(inspect(&raw::text_page("ok"), 0, &Limits::DEFAULT), Err(codes::TOO_MANY_PAGES));
        assert_eq!(check(&vec![b' '; MAX_UPLOAD_BYTES + 1]), Err(codes::TOO_LARGE));
    }

    /// Issue 16, finding 8: `%PDF-` somewhere in the first KiB used to be enough.
    #[test]
    fn a_pdf_behind_other_content_is_not_a_pdf() {
        for prefix in [&b"<html><body>"[..], b"MZ\x90\x00\x03", b"<hta:application>", b" ", b"\xEF\xBB"] {
            let bytes = RawPdf::new().prefix(prefix).finish_with_one_page("");
            assert_eq!(check(&bytes), Err(codes::NOT_PDF), "{:?}", String::from_utf8_lossy(prefix));
        }
        let bom = RawPdf::new().prefix(b"\xEF\xBB\xBF").finish_with_one_page("");
        assert_eq!(check(&bom), Ok(PdfInfo { pages: 1 }), "a UTF-8 BOM before the header is allowed");
    }

    /// Issue 16, finding 8: JavaScript, launch actions and embedded files are refused.
    #[test]
    fn active_content_is_refused() {
        let cases = [
            "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
            "/OpenAction << /S /Launch /F (cmd.exe) >>",
            "/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) /EF << /F 1 0 R >> >>] >> >>",
            // Escaped names: #53 is S.
            "/OpenAction << /#53 /JavaScript /J#53 (app.alert(1)) >>",
        ];
        for extra in cases {
            let mut pdf = RawPdf::new();
            let page = pdf.page("", "");
            let bytes = pdf.finish(&[page], extra);
            assert_eq!(check(&bytes), Err(codes::ACTIVE_CONTENT), "{extra}");
        }
    }

    /// Issue 16, finding 1: the form that draws itself is refused at the door.
    #[test]
    fn a_form_that_draws_itself_is_refused() {
        assert_eq!(check(&raw::self_drawing_form()), Err(codes::TOO_COMPLEX));
    }

    /// Issue 16, finding 2: an object stream inflating a thousandfold is refused without inflating it.
    #[test]
    fn a_decompression_bomb_is_refused() {
        let limits = Limits { max_stream_bytes: 8 << 20, ..Limits::DEFAULT };
        assert_eq!(inspect(&raw::object_stream_bomb(64 << 20), MAX_PAGES, &limits), Err(codes::TOO_COMPLEX));
        assert_eq!(inspect(&raw::content_stream_bomb(64 << 20), MAX_PAGES, &limits), Err(codes::TOO_COMPLEX));
    }

    #[test]
    fn every_code_is_known() {
        for c in codes::ALL {
            assert_eq!(codes::known(c), Some(c));
        }
        assert_eq!(codes::known("upload.other"), None);
    }
}
