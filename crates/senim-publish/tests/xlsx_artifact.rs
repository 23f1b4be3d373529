//! The XLSX rendering read back by an independent reader (calamine) and, for what calamine does not
//! expose (frozen pane, autofilter, bold header, document time), from the workbook's XML parts.

mod common;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use senim_domain::lang::Lang;
use senim_publish::edition::XLSX_MEDIA_TYPE;
use senim_publish::render::{self, column_titles, identifier_titles};

/// The XLSX of the sample edition in `lang`; for English, of an edition whose entries all have it.
fn xlsx_of(lang: Lang) -> Vec<u8> {
    let edition = match lang {
        Lang::En => common::build_edition(1, None, vec![common::entry_in_three_languages()]),
        _ => common::sample(),
    };
    let name = format!("1.{lang}.xlsx");
    let artifact = edition.artifacts.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no {name}"));
    assert_eq!(artifact.media_type, XLSX_MEDIA_TYPE);
    artifact.bytes.clone()
}

/// The one worksheet of a workbook, as calamine reads it.
fn cells(bytes: &[u8]) -> (String, calamine::Range<Data>) {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable workbook");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1, "one worksheet: {names:?}");
    let range = book.worksheet_range(&names[0]).expect("the worksheet");
    (names[0].clone(), range)
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("no part {name}")).read_to_string(&mut text).unwrap();
    text
}

fn string(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("expected text, found {other:?}"),
    }
}

#[test]
fn header_row_has_the_annex_2_titles_in_each_language() {
    for lang in [Lang::Kk, Lang::Ru, Lang::En] {
        let (_, range) = cells(&xlsx_of(lang));
        let header: Vec<&str> = range.rows().next().unwrap().iter().map(string).collect();
        let mut expected = column_titles(lang).to_vec();
        expected.extend(identifier_titles(lang));
        assert_eq!(header, expected, "{lang}");
    }
    let (_, kk) = cells(&xlsx_of(Lang::Kk));
    assert_eq!(string(&kk.rows().next().unwrap()[6]), "Тізбеге енгізілген күні");
}

#[test]
fn rows_carry_kazakh_letters_and_the_stable_identifiers() {
    let (sheet, range) = cells(&xlsx_of(Lang::Kk));
    assert_eq!(sheet, "Тізбе");
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 4, "header and three entries");
    assert_eq!(string(&rows[1][1]), "Әйгерім: рентгенді талдау");
    assert_eq!(string(&rows[1][2]), "\"Ғылым-Қазақ\" ЖШС");
    assert!(string(&rows[1][4]).contains("Ұсыныс береді <script>alert('Қ')</script>"));
    assert_eq!(string(&rows[1][5]), "Үміт Аудит ЖШС, 2026-05-14, Сәйкес келеді & Һ І");
    assert_eq!(string(&rows[1][8]), "HEALTH-2026-0001");
    assert_eq!(string(&rows[1][9]), "971240001315", "a BIN stays text");
    assert_eq!(string(&rows[1][10]), "health");
    // A person's entry: no BIN is published; the name falls back to Russian, as in the CSV.
    assert_eq!(string(&rows[2][1]), "Ңұр <script>x()</script>");
    let bin = &rows[2][9];
    assert!(*bin == Data::Empty || *bin == Data::String(String::new()), "{bin:?}");
}

#[test]
fn position_is_a_number_and_the_inclusion_date_a_typed_date() {
    let (_, range) = cells(&xlsx_of(Lang::Ru));
    let rows: Vec<&[Data]> = range.rows().collect();
    for (i, row) in rows.iter().enumerate().skip(1) {
        assert_eq!(row[0], Data::Float(i as f64), "No. of row {i}");
    }
    let Data::DateTime(date) = &rows[1][6] else { panic!("a date cell, found {:?}", rows[1][6]) };
    assert!(date.is_datetime());
    let (y, m, d, ..) = date.to_ymd_hms_milli();
    assert_eq!((y, m, d), (2026, 6, 2));
    // The number format behind it is an ISO date, so the cell shows 2026-06-02 in every locale.
    assert!(part(&xlsx_of(Lang::Ru), "xl/styles.xml").contains(r#"formatCode="yyyy-mm-dd""#));
}

#[test]
fn header_is_frozen_bold_and_filtered() {
    let bytes = xlsx_of(Lang::Kk);
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{sheet}");
    assert!(sheet.contains(r#"<autoFilter ref="A1:K4"/>"#), "{sheet}");
    assert!(sheet.contains("<cols>"), "column widths are set");
    assert!(part(&bytes, "xl/styles.xml").contains("<b/>"), "a bold font for the header");
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains("2026-06-05T05:12:03Z"), "creation time is the publication time: {core}");
    assert!(core.contains("Денсаулық сақтау министрлігі — 1"), "{core}");
    let en = part(&xlsx_of(Lang::En), "docProps/core.xml");
    assert!(en.contains("Ministry of Health — 1"), "{en}");
}

#[test]
fn rendering_is_stable_within_a_build() {
    let edition = common::sample();
    let again = common::sample();
    for (a, b) in edition.artifacts.iter().zip(&again.artifacts) {
        assert_eq!(a.bytes, b.bytes, "{}", a.name);
    }
}

#[test]
fn an_empty_list_is_a_header_only_workbook() {
    let body = common::body();
    let bytes = render::xlsx(&[], &body, 1, common::published_at(), Lang::Kk);
    let (_, range) = cells(&bytes);
    assert_eq!(range.rows().count(), 1);
    assert!(part(&bytes, "xl/worksheets/sheet1.xml").contains(r#"<autoFilter ref="A1:K1"/>"#));
}
