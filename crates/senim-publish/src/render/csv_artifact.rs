//! The CSV rendering: UTF-8, RFC 4180.
//!
//! Layout, fixed because consumers parse it:
//! - a UTF-8 byte order mark first, because spreadsheet programs otherwise guess a legacy code page and
//!   garble Kazakh letters (the format allows the BOM);
//! - comma separators and CRLF after every record, the last one included (RFC 4180 §2.1–2.2);
//! - a field is quoted only when it holds a comma, a double quote, CR or LF; quotes inside are doubled
//!   (RFC 4180 §2.6–2.7); text is otherwise verbatim, nothing trimmed or rewritten;
//! - first the header row, then one row per entry in `position` order; columns as in
//!   [`super::header`]/[`super::row`].

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
    writer.write_record(super::header(lang)).expect("CSV into memory");
    for entry in entries {
        writer.write_record(super::row(entry, lang)).expect("CSV into memory");
    }
    writer.into_inner().expect("CSV into memory")
}
