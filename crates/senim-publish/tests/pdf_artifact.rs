//! The PDF artifact: the Annex 2 table per language, readable by an independent PDF reader, with
//! Kazakh letters intact, the column titles of its language and the edition in its title.

mod common;

use senim_domain::lang::Lang;
use senim_publish::render::{self, PDF_MEDIA_TYPE, column_titles};

fn pdf_of(edition: &senim_publish::edition::Edition, name: &str) -> Vec<u8> {
    let artifact = edition.artifacts.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no {name}"));
    assert_eq!(artifact.media_type, PDF_MEDIA_TYPE);
    assert!(artifact.bytes.starts_with(b"%PDF-"));
    artifact.bytes.clone()
}

/// Whitespace-insensitive text: the layout wraps cells where it likes.
fn text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("pdf-extract reads the PDF");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn kazakh_pdf_extracts_with_every_kazakh_letter_and_the_entry() {
    let edition = common::sample();
    let kk = text(&pdf_of(&edition, "1.kk.pdf"));
    for letter in ['Ә', 'Ғ', 'Қ', 'Ң', 'Ө', 'Ұ', 'Ү', 'Һ', 'І'] {
        assert!(kk.contains(letter), "{letter} lost in extraction");
    }
    assert!(kk.contains(&squash("Әйгерім: рентгенді талдау")));
    assert!(kk.contains("HEALTH-2026-0001") && kk.contains("971240001315"));
    // Markup is text in a PDF, never interpreted.
    assert!(kk.contains(&squash("<script>alert('Қ')</script>")));
    for title in column_titles(Lang::Kk) {
        assert!(kk.contains(&squash(title)), "column title {title} missing");
    }
    let list = squash(render::list_title(Lang::Kk));
    assert!(kk.contains(&list), "title");
    assert!(kk.contains(&squash("Денсаулық сақтау министрлігі — 2026-06-05 жылғы 1-редакция")));
    assert!(kk.contains("1/1бет"), "page numbers");
}

#[test]
fn each_language_has_its_column_titles() {
    let edition = common::build_edition(4, None, vec![common::entry_in_three_languages()]);
    for (lang, name, system) in
        [(Lang::Ru, "4.ru.pdf", "Хикмет"), (Lang::En, "4.en.pdf", "Hikmet"), (Lang::Kk, "4.kk.pdf", "Һикмет")]
    {
        let t = text(&pdf_of(&edition, name));
        for title in column_titles(lang) {
            assert!(t.contains(&squash(title)), "{name}: column title {title} missing");
        }
        assert!(t.contains(system), "{name}: {system}");
    }
    assert!(text(&pdf_of(&edition, "4.ru.pdf")).contains(&squash("редакция № 4 от 2026-06-05")));
    assert!(text(&pdf_of(&edition, "4.en.pdf")).contains(&squash("edition 4 of 2026-06-05")));
}

#[test]
fn the_pdf_is_listed_in_the_manifest_and_reproducible() {
    let edition = common::sample();
    let again = common::sample();
    let listed = edition.signed.manifest.artifacts.iter().find(|a| a.name == "1.ru.pdf").expect("listed");
    assert_eq!(listed.media_type, "application/pdf");
    assert_eq!(listed.bytes, pdf_of(&edition, "1.ru.pdf").len() as u64);
    assert_eq!(pdf_of(&edition, "1.kk.pdf"), pdf_of(&again, "1.kk.pdf"));
}
