//! The public List as a table: pagination with repeated headers and "p / N", Kazakh text,
//! reproducibility, and inputs that could break the layout.

mod common;

use common::{KAZAKH_LOWER, KAZAKH_UPPER, meta, pages, squash, text};
use senim_pdf::{Column, PdfError, TableSpec, table};

fn spec() -> TableSpec {
    TableSpec {
        meta: meta("Сенімді жоғары тәуекелді ЖИ жүйелерінің тізбесі")
            .with_footer("Денсаулық сақтау министрлігі — 12-басылым, 2026-11-24")
            .with_page_label("{page} / {pages}"),
        subtitle:
            "Список доверенных систем ИИ высокого риска — Министерство здравоохранения — издание 12 от 2026-11-24"
                .into(),
        columns: vec![
            Column::new("Тіркеу нөмірі", 1.2),
            Column::new("Жүйенің атауы", 2.5),
            Column::new("Әзірлеуші", 2.0),
            Column::new("БСН", 1.2),
            Column::new("Қолдану саласы", 2.5),
            Column::new("Енгізілген күні", 1.1),
        ],
    }
}

fn row(i: usize) -> Vec<String> {
    vec![
        format!("KZ-AI-{i:06}"),
        format!("Диагностикалық жүйе «Өркен-{i}»"),
        "«Ғылым Қазақстан Ұлттық Үйі» ЖШС".to_owned(),
        format!("{:012}", 100_000_000_000_u64 + i as u64),
        "Медициналық бейнелерді талдау, әсіресе өкпе рентгенографиясы; ұзақ мәтін".to_owned(),
        "2026-11-24".to_owned(),
    ]
}

fn rows(n: usize) -> Vec<Vec<String>> {
    (1..=n).map(row).collect()
}

#[test]
fn five_hundred_rows_paginate_with_header_and_page_count_on_every_page() {
    let pdf = table(&spec(), &rows(500)).unwrap();
    let pages = pages(&pdf);
    let n = pages.len();
    assert!(n >= 5, "only {n} pages");
    for (i, page) in pages.iter().enumerate() {
        let page = squash(page);
        for title in ["Тіркеунөмірі", "Жүйеніңатауы", "Әзірлеуші", "БСН", "Қолданусаласы"]
        {
            assert!(page.contains(title), "page {} lacks header {title}", i + 1);
        }
        assert!(page.contains(&format!("{}/{n}", i + 1)), "page {} lacks {}/{n}", i + 1, i + 1);
        assert!(page.contains("12-басылым,2026-11-24"), "page {} lacks the edition", i + 1);
    }
    let all = squash(&pages.concat());
    for i in 1..=500 {
        assert!(all.contains(&format!("KZ-AI-{i:06}")), "row {i} missing");
    }
    // Title and subtitle only on the first page.
    assert!(squash(&pages[0]).contains("Сенімдіжоғарытәуекелді"));
    assert!(!squash(&pages[1]).contains("Сенімдіжоғарытәуекелді"));
}

#[test]
fn cells_keep_kazakh_and_russian_letters() {
    let mut rows = rows(3);
    rows[1][1] = KAZAKH_UPPER.iter().collect();
    rows[1][2] = KAZAKH_LOWER.iter().collect();
    let pdf = table(&spec(), &rows).unwrap();
    let text = text(&pdf);
    assert!(text.contains("ӘҒҚҢӨҰҮҺІ"), "{text}");
    assert!(text.contains("әғқңөұүһі"), "{text}");
    assert!(text.contains("Министерство здравоохранения"), "{text}");
}

#[test]
fn identical_input_gives_identical_bytes() {
    let a = table(&spec(), &rows(120)).unwrap();
    let b = table(&spec(), &rows(120)).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, table(&spec(), &rows(121)).unwrap());
}

#[test]
fn long_words_empty_cells_and_giant_cells_do_not_panic() {
    let mut rows = rows(4);
    // Taller than a page: split between lines. 'Һ' occurs nowhere else in the table.
    rows[0][1] = "Һ".repeat(5000);
    rows[1] = vec![String::new(); 6];
    rows[2][4] = "https://example.kz/".to_owned() + &"өте-ұзын-сілтеме".repeat(40);
    rows[3][0] = "\n\n\n".to_owned();
    let pdf = table(&spec(), &rows).unwrap();
    let pages = pages(&pdf);
    assert!(pages.len() >= 2, "the giant cell must continue on another page");
    let all = squash(&pages.concat());
    assert_eq!(all.matches('Һ').count(), 5000, "letters lost or duplicated at page breaks");
    assert!(all.contains("KZ-AI-000003") && all.contains("100000000004"));
}

#[test]
fn bad_shapes_are_errors_not_panics() {
    let mut short = rows(3);
    short[2].pop();
    assert!(matches!(table(&spec(), &short), Err(PdfError::RowLength { row: 2, found: 5, expected: 6 })));
    let mut no_columns = spec();
    no_columns.columns.clear();
    let empty: Vec<Vec<String>> = Vec::new();
    assert!(matches!(table(&no_columns, &empty), Err(PdfError::NoColumns)));
    let mut zero = spec();
    zero.columns[3].width = 0.0;
    assert!(matches!(table(&zero, &empty), Err(PdfError::ColumnWidth { column: 3, .. })));
    // No rows at all is a valid, one-page List.
    assert_eq!(pages(&table(&spec(), &empty).unwrap()).len(), 1);
}

#[test]
fn repeated_headers_are_pagination_artifacts_and_the_table_is_tagged() {
    let pdf = table(&spec(), &rows(200)).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("pdfuaid:part"), "not PDF/UA");
    assert!(raw.contains("/S/Table"), "no Table structure element");
    assert!(raw.contains("/S/TH"), "no header cells");
    assert!(raw.contains("/Lang(kk)"));
}
