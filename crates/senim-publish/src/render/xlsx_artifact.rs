//! The XLSX rendering: the Annex 2 table as an Excel workbook, for readers who filter and sort.
//!
//! Same columns as the CSV ([`super::header`]/[`super::row`]); what the workbook adds is types and
//! layout:
//! - "No." is a number and the inclusion date a real Excel date (`yyyy-mm-dd`), so both sort and
//!   filter as such; the registry number and the BIN stay text (a BIN's leading zero matters);
//! - the header row is bold, frozen and carries an autofilter; columns have fixed widths and long texts
//!   wrap.
//!
//! An XLSX file is a zip of XML parts that a writer is free to lay out differently from one version to
//! the next, so it is not reproducible the way the CSV is: it is rendered once at publication, stored,
//! and the manifest hashes the stored bytes. Within one build of this crate the output is nonetheless a
//! function of the input, because the document's creation time is set to the publication time (the zip
//! entries carry rust_xlsxwriter's fixed 1980 timestamp).

use jiff::Timestamp;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use senim_domain::annex2::{Annex2Entry, BodyRef};
use senim_domain::lang::Lang;

/// Column of "No.", written as a number.
const POSITION: usize = 0;
/// Column of the inclusion date, written as a date.
const INCLUDED_ON: usize = 6;
/// Width of each column in characters, in [`super::header`] order: narrow for numbers, codes and
/// dates, wide for the free texts, which wrap.
const WIDTHS: [f64; 11] = [6.0, 32.0, 32.0, 24.0, 48.0, 40.0, 14.0, 30.0, 20.0, 16.0, 10.0];
/// Excel's limit on the characters of one cell. The domain caps a text at 10,000 characters, so only
/// entries from elsewhere can reach it; they are clipped rather than refused, because the CSV, HTML and
/// JSON of the same edition carry the full text.
const MAX_CELL_CHARS: usize = 32_767;

/// The worksheet's name (Excel allows 31 characters and no `[]:*?/\`).
fn sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "Тізбе",
        Lang::Ru => "Перечень",
        Lang::En => "List",
    }
}

/// The XLSX file of `entries` in `lang`: edition `number` of `body`, published at `published_at`.
pub fn xlsx(entries: &[Annex2Entry], body: &BodyRef, number: u32, published_at: Timestamp, lang: Lang) -> Vec<u8> {
    // The writer fails only past Excel's limits (1,048,576 rows, 32,767 characters a cell) or on a
    // bad sheet name: cells are clipped and the name is fixed, and a List has far fewer rows.
    workbook(entries, body, number, published_at, lang).expect("an Annex 2 table within Excel's limits")
}

fn workbook(
    entries: &[Annex2Entry],
    body: &BodyRef,
    number: u32,
    published_at: Timestamp,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let title = format!("{} — {number}", body.name.best(lang));
    let created = ExcelDateTime::from_timestamp(published_at.as_second())?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_author(body.name.best(lang))
            .set_company(body.name.best(lang))
            .set_keywords(format!("senim-edition/1, {}, {number}", body.code))
            .set_creation_datetime(&created),
    );

    let header_format = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let text_format = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date_format = Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top);

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(lang))?;
    let header = super::header(lang);
    for (col, title) in header.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *title, &header_format)?;
        sheet.set_column_width(col, WIDTHS[usize::from(col)])?;
    }
    for (i, entry) in entries.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in super::row(entry, lang).into_iter().enumerate() {
            let c = col as u16;
            match col {
                POSITION => {
                    sheet.write_number_with_format(row, c, f64::from(entry.position), &text_format)?;
                }
                INCLUDED_ON => {
                    let d = entry.included_on;
                    let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    sheet.write_datetime_with_format(row, c, &date, &date_format)?;
                }
                _ => {
                    sheet.write_string_with_format(row, c, clip(&cell).as_ref(), &text_format)?;
                }
            }
        }
    }
    let last_col = (header.len() - 1) as u16;
    let last_row = u32::try_from(entries.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// `text` cut to Excel's cell limit, with an ellipsis when cut.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some(_) => {
            let (at, _) = text.char_indices().nth(MAX_CELL_CHARS - 1).expect("longer than the limit");
            format!("{}…", &text[..at]).into()
        }
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_clipped_to_excels_limit() {
        let long = "Ә".repeat(MAX_CELL_CHARS + 5);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), MAX_CELL_CHARS);
        assert!(clipped.ends_with("Ә…"));
        let exact = "Ұ".repeat(MAX_CELL_CHARS);
        assert_eq!(clip(&exact), exact.as_str());
        assert_eq!(clip("Қ"), "Қ");
    }
}
