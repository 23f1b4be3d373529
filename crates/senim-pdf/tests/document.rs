//! The form document: Kazakh and Russian text survives, every field appears, output is
//! reproducible, and the file declares PDF/UA.

mod common;

use common::{KAZAKH_LOWER, KAZAKH_UPPER, meta, pages, squash, text};
use senim_pdf::{Document, Lang, Meta};

fn annex_1() -> Document {
    let meta = meta("1-қосымша. Өтінім").with_footer("№ KZ-2026-000123").with_page_label("бет {page} / {pages}");
    let mut doc = Document::new(meta);
    doc.heading("Жасанды интеллект жүйесін тізілімге енгізуге өтінім")
        .subheading("1. Өтініш беруші туралы мәліметтер")
        .field("Атауы", "«Әлем Ғылым Қызмет Ң Өнім Ұлт Үміт Һ Ілім» ЖШС")
        .field("БСН", "123456789012")
        .field("Мекенжайы", "Астана қ., Қабанбай батыр даңғылы, 11\nКеңсе 45")
        .field("Байланыс", "")
        .spacer()
        .subheading("2. Жүйе туралы")
        .paragraph("әғқңөұүһі — барлық қазақ әріптері. Русский текст: съешь же ещё этих мягких французских булок.")
        .field("Жүйенің атауы", "Диагностика-ИИ");
    doc
}

#[test]
fn kazakh_and_russian_letters_extract_intact() {
    let pdf = annex_1().render().unwrap();
    let text = text(&pdf);
    for c in KAZAKH_UPPER.iter().chain(&KAZAKH_LOWER) {
        assert!(text.contains(*c), "{c} missing from extracted text:\n{text}");
    }
    assert!(text.contains("әғқңөұүһі"), "{text}");
    assert!(text.contains("съешь же ещё этих мягких французских булок"), "{text}");
}

#[test]
fn every_label_and_value_appears() {
    let pdf = annex_1().render().unwrap();
    let text = squash(&text(&pdf));
    for s in [
        "Атауы",
        "«ӘлемҒылымҚызметҢӨнімҰлтҮмітҺІлім»ЖШС",
        "БСН",
        "123456789012",
        "Мекенжайы",
        "Астанақ.,Қабанбайбатырдаңғылы,11",
        "Кеңсе45",
        "Байланыс",
        "Жүйеніңатауы",
        "Диагностика-ИИ",
        "1.Өтінішберушітуралымәліметтер",
        "№KZ-2026-000123",
        "бет1/1",
    ] {
        assert!(text.contains(s), "{s:?} missing from {text}");
    }
}

#[test]
fn identical_input_gives_identical_bytes() {
    let a = annex_1().render().unwrap();
    let b = annex_1().render().unwrap();
    assert_eq!(a, b);
    let mut other = annex_1();
    other.paragraph("бір сөз артық");
    assert_ne!(a, other.render().unwrap(), "different input must differ");
}

#[test]
fn metadata_declares_title_language_date_and_pdf_ua() {
    let pdf = annex_1().render().unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("pdfuaid:part"), "no PDF/UA identification in XMP");
    assert!(raw.contains("/Lang(kk)"), "no document language");
    assert!(raw.contains("/StructTreeRoot"), "not tagged");
    assert!(raw.contains("/Outlines"), "no outline");
    assert!(raw.contains("2026-11-24"), "creation date not written");
    let ru = Document::new(Meta::new("Уведомление", Lang::Ru, jiff::civil::date(2026, 1, 2)))
        .paragraph("Текст")
        .render()
        .unwrap();
    assert!(String::from_utf8_lossy(&ru).contains("/Lang(ru)"));
}

#[test]
fn long_values_continue_on_the_next_page_with_correct_page_numbers() {
    let mut doc = Document::new(meta("Ұзын").with_page_label("бет {page} / {pages}"));
    doc.heading("Сәйкессіздік туралы хабарлама");
    let long: Vec<String> = (1..=150).map(|i| format!("{i}-жол: қосымша түсініктеме")).collect();
    doc.field("Негіздеме", long.join("\n"));
    doc.paragraph("Соңғы абзац.");
    let pdf = doc.render().unwrap();
    let pages = pages(&pdf);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let squashed = squash(page);
        assert!(squashed.contains(&format!("бет{}/{n}", i + 1)), "page {}: {page}", i + 1);
    }
    let all = squash(&pages.concat());
    for i in [1, 75, 150] {
        assert!(all.contains(&format!("{i}-жол:")), "line {i} lost");
    }
    assert!(all.contains("Соңғыабзац."));
}

#[test]
fn an_unbroken_word_longer_than_the_column_wraps_instead_of_panicking() {
    let word = "Ә".repeat(3000);
    let mut doc = Document::new(meta("Сөз"));
    doc.field(&word, &word).paragraph(&word).heading(&word);
    let pdf = doc.render().unwrap();
    assert!(squash(&text(&pdf)).matches(&"Ә".repeat(20)).count() > 100);
}

#[test]
fn empty_document_and_odd_characters_still_render() {
    let pdf = Document::new(meta("Бос")).render().unwrap();
    assert_eq!(pages(&pdf).len(), 1);
    let untitled = Document::new(meta(" ")).render();
    assert!(matches!(untitled, Err(senim_pdf::PdfError::NoTitle)), "{untitled:?}");
    let mut doc = Document::new(meta("Таңбалар"));
    doc.field("", "").paragraph("emoji 😀 tab\tbell\u{7} 中文").subheading("");
    let text = text(&doc.render().unwrap());
    assert!(text.contains("emoji"), "{text}");
}
