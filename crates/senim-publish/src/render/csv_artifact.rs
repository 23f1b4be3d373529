//! The CSV rendering: UTF-8, RFC 4180.
//!
//! Layout, fixed because consumers parse it:
//! - a UTF-8 byte order mark first, because spreadsheet programs otherwise guess a legacy code page and
//!   garble Kazakh letters (the format allows the BOM);
//! - comma separators and CRLF after every record, the last one included (RFC 4180 §2.1–2.2);
//! - a field is quoted only when it holds a comma, a double quote, CR or LF; quotes inside are doubled
//!   (RFC 4180 §2.6–2.7);
//! - a field — or a line inside a field — that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//!   starts with an apostrophe first, so that no spreadsheet runs it as a formula (OWASP's rule against
//!   CSV injection; issue 16, finding 3: a system named `=HYPERLINK(…)` was published as a live formula
//!   in a ministry's signed List); text is otherwise verbatim, nothing trimmed or rewritten;
//! - first the header row, then one row per entry in `position` order; columns as in
//!   [`super::header`]/[`super::row`].

use std::borrow::Cow;

use senim_domain::annex2::Annex2Entry;
use senim_domain::lang::Lang;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The CSV file of `entries` in `lang`.
pub fn csv(entries: &[Annex2Entry], lang: Lang) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(BOM.to_vec());
    // Writing into a Vec cannot fail, and every record has the same number of fields, so the
    // writer's errors (I/O, unequal lengths) cannot occur.
    let header: Vec<Cow<'_, str>> = super::header(lang).into_iter().map(inert).collect();
    writer.write_record(header.iter().map(|c| c.as_bytes())).expect("CSV into memory");
    for entry in entries {
        let row = super::row(entry, lang);
        let cells: Vec<Cow<'_, str>> = row.iter().map(|c| inert(c)).collect();
        writer.write_record(cells.iter().map(|c| c.as_bytes())).expect("CSV into memory");
    }
    writer.into_inner().expect("CSV into memory")
}

/// The characters a spreadsheet reads as the start of a formula (or that hide one after them).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` with an apostrophe before every line that starts with a formula trigger.
pub fn inert(cell: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut at_line_start = true;
    for (i, c) in cell.char_indices() {
        if at_line_start && TRIGGERS.contains(&c) {
            out.get_or_insert_with(|| cell[..i].to_owned()).push('\'');
        }
        if let Some(o) = &mut out {
            o.push(c);
        }
        at_line_start = c == '\n' || c == '\r';
    }
    out.map_or(Cow::Borrowed(cell), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::inert;

    /// Issue 16, finding 3, with OWASP's examples.
    #[test]
    fn formulas_are_published_as_text() {
        for (cell, published) in [
            ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r'=1"),
            ("Сенім\n=2+2", "Сенім\n'=2+2"),
            ("Сенім\r\n=2+2", "Сенім\r\n'=2+2"),
            ("Сенім\r=2+2", "Сенім\r'=2+2"),
        ] {
            assert_eq!(inert(cell), published, "{cell:?}");
        }
        for plain in ["Дәрігер-AI", "1", "2026-06-02", "a = b", "HEALTH-2026-0001", "", "line\nline"] {
            assert!(matches!(inert(plain), std::borrow::Cow::Borrowed(_)), "{plain:?} is left alone");
        }
    }
}
