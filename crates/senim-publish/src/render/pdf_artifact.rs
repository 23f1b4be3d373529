//! The PDF rendering: the Annex 2 table on A4 landscape, for readers who print or archive the List.
//!
//! Same columns as the CSV ([`super::header`]/[`super::row`]), drawn by [`senim_pdf::table`]: tagged
//! PDF/UA-1 with the header row repeated on every page, embedded fonts (Kazakh letters extract
//! intact), a footer naming the body and edition, and "p / N" page numbers. The document's creation
//! date is the edition's Kazakhstan publication date, so the same edition renders to the same bytes.

use jiff::civil::Date;
use senim_domain::annex2::{Annex2Entry, BodyRef};
use senim_domain::lang::Lang;
use senim_pdf::{Column, Meta, TableSpec};

/// The media type of the `{n}.{lang}.pdf` artifacts.
pub const PDF_MEDIA_TYPE: &str = "application/pdf";

/// Relative widths of the columns, in [`super::header`] order: narrow for numbers, dates and codes,
/// wide for the free texts, which wrap.
const WIDTHS: [f32; 11] = [3.0, 14.0, 13.0, 10.0, 18.0, 16.0, 7.5, 11.0, 10.5, 8.5, 5.5];

/// "edition N of DATE" in `lang`.
fn edition_of(lang: Lang, number: u32, date: Date) -> String {
    match lang {
        Lang::Kk => format!("{date} жылғы {number}-редакция"),
        Lang::Ru => format!("редакция № {number} от {date}"),
        Lang::En => format!("edition {number} of {date}"),
    }
}

fn page_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "{page} / {pages} бет",
        Lang::Ru => "стр. {page} / {pages}",
        Lang::En => "page {page} / {pages}",
    }
}

fn pdf_lang(lang: Lang) -> senim_pdf::Lang {
    match lang {
        Lang::Kk => senim_pdf::Lang::Kk,
        Lang::Ru => senim_pdf::Lang::Ru,
        Lang::En => senim_pdf::Lang::En,
    }
}

/// The PDF file of `entries` in `lang`: edition `number` of `body`, published on `published_on`
/// (the Kazakhstan calendar date of `published_at`).
///
/// Panics only if the table layout rejects its own fixed columns or krilla refuses the document as
/// PDF/UA-1; characters the font lacks become U+FFFD rather than failing.
pub fn pdf(entries: &[Annex2Entry], body: &BodyRef, number: u32, published_on: Date, lang: Lang) -> Vec<u8> {
    let body_name = body.name.best(lang);
    let edition = edition_of(lang, number, published_on);
    let title = format!("{} — {body_name} — {edition}", super::list_title(lang));
    let spec = TableSpec {
        meta: Meta::new(title, pdf_lang(lang), published_on)
            .with_footer(format!("{body_name} — {edition}"))
            .with_page_label(page_label(lang)),
        subtitle: format!("senim-edition/1 · {} · {number}", body.code),
        columns: super::header(lang).iter().zip(WIDTHS).map(|(t, w)| Column::new(*t, w)).collect(),
    };
    // Each row's cells are made when the table needs them, not all held at once.
    senim_pdf::table_of(&spec, entries.len(), |i| super::row(&entries[i], lang))
        .expect("the Annex 2 table renders as PDF/UA-1")
}
