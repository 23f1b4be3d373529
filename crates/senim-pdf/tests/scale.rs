//! The List at 1,000 and 10,000 rows: correctness only (timings depend on the build profile and
//! the machine, so they are printed, not asserted; measured numbers are in the README).
//!
//! `cargo test -p senim-pdf --release --test scale -- --nocapture` prints them.

mod common;

use std::time::Instant;

use common::{meta, squash, text};
use senim_pdf::{Column, TableSpec, table};

fn spec() -> TableSpec {
    TableSpec {
        meta: meta("Сенімді жоғары тәуекелді ЖИ жүйелерінің тізбесі").with_footer("12-басылым"),
        subtitle: "Денсаулық сақтау министрлігі".into(),
        columns: ["Нөмір", "Атауы", "Әзірлеуші", "БСН", "Сала", "Нұсқа", "Күйі", "Күні"]
            .iter()
            .zip([1.2, 2.5, 2.0, 1.2, 2.5, 0.8, 1.0, 1.1])
            .map(|(title, width)| Column::new(*title, width))
            .collect(),
    }
}

fn rows(n: usize) -> Vec<Vec<String>> {
    (1..=n)
        .map(|i| {
            vec![
                format!("KZ-AI-{i:06}"),
                format!("Диагностикалық жүйе «Өркен-{i}» / Система «Өркен-{i}»"),
                "«Ғылым Қазақстан Ұлттық Үйі» ЖШС".to_owned(),
                format!("{:012}", 100_000_000_000_u64 + i as u64),
                "Медициналық бейнелерді талдау; анализ медицинских изображений".to_owned(),
                format!("{}.{}", i % 7, i % 3),
                if i % 2 == 0 { "Күшінде" } else { "Тоқтатылған" }.to_owned(),
                "2026-11-24".to_owned(),
            ]
        })
        .collect()
}

/// Counts `/Type/Page` objects (not `/Type/Pages`): krilla writes no object streams.
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    pdf.windows(needle.len() + 1).filter(|w| w.starts_with(needle) && w[needle.len()] != b's').count()
}

fn render(n: usize) -> (Vec<u8>, f64) {
    let rows = rows(n);
    let start = Instant::now();
    let pdf = table(&spec(), &rows).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "{n} rows: {seconds:.2} s, {} pages, {} KiB ({} build)",
        page_count(&pdf),
        pdf.len() / 1024,
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    (pdf, seconds)
}

#[test]
fn a_thousand_rows_all_extract() {
    let (pdf, _) = render(1_000);
    let all = squash(&text(&pdf));
    for i in 1..=1_000 {
        assert!(all.contains(&format!("KZ-AI-{i:06}")), "row {i} missing");
    }
    let n = page_count(&pdf);
    assert!(n > 20, "{n} pages");
    assert!(all.contains(&format!("{n}/{n}")));
}

#[test]
fn ten_thousand_rows_paginate_proportionally() {
    let (small, _) = render(1_000);
    let (large, _) = render(10_000);
    let (a, b) = (page_count(&small), page_count(&large));
    // Same rows repeated: ten times the rows, about ten times the pages.
    assert!((b as f64 / a as f64 - 10.0).abs() < 0.5, "{a} pages for 1k, {b} for 10k");
    assert!(large.ends_with(b"%%EOF") || large.ends_with(b"%%EOF\n"));
}

/// The size stack.md plans for. Ignored by default (about half a minute in release, far longer
/// in debug): `cargo test -p senim-pdf --release --test scale -- --ignored --nocapture`.
#[test]
#[ignore = "slow: run in release when touching the table layout"]
fn a_hundred_thousand_rows_render() {
    let (pdf, _) = render(100_000);
    assert!(page_count(&pdf) > 5_000);
}
