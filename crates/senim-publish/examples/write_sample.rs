//! Writes one sample edition as a server would publish it, for checks with outside tools
//! (`.ci/check-formats.py`):
//!
//! ```text
//! cargo run -p senim-publish --example write_sample -- DIR
//! ```
//!
//! DIR receives every artifact (`1.kk.html`, `1.kk.csv`, `1.kk.xlsx`, …), `1.json`, the signed
//! manifest (`1.manifest.json`), the public keys (`keys.json`), and the open-data descriptors:
//! `datapackage.json` (paths relative to DIR), `dcat.jsonld` and `feed.atom`. The entries are the
//! integration tests' fixtures: every Kazakh-specific letter, markup, quotes, commas and line breaks.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use senim_domain::lang::Lang;
use senim_publish::opendata::{self, CC_BY_4_0, FeedEntry};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: write_sample DIR")?);
    std::fs::create_dir_all(&dir)?;
    // Edition 2 with English throughout, after an edition 1 without: both kinds of language sets.
    let first = common::sample();
    let second = common::build_edition(
        2,
        Some(senim_publish::manifest::PreviousRef { edition: 1, manifest_sha256: first.signed.manifest.sha256_hex() }),
        vec![common::entry_in_three_languages()],
    );
    let mut files = 0;
    for edition in [&first, &second] {
        let n = edition.signed.manifest.edition;
        for artifact in edition.artifacts.iter().chain([&edition.edition_json]) {
            std::fs::write(dir.join(&artifact.name), &artifact.bytes)?;
            files += 1;
        }
        std::fs::write(dir.join(format!("{n}.manifest.json")), serde_json::to_vec_pretty(&edition.signed)?)?;
    }
    std::fs::write(dir.join("keys.json"), serde_json::to_vec_pretty(&common::keys())?)?;

    let package = opendata::data_package(&first.signed.manifest, "", &CC_BY_4_0);
    std::fs::write(dir.join("datapackage.json"), serde_json::to_vec_pretty(&package)?)?;
    let site = "https://senim.example.kz";
    let dcat = opendata::dcat_dataset(&second.signed.manifest, site, &CC_BY_4_0);
    std::fs::write(dir.join("dcat.jsonld"), serde_json::to_vec_pretty(&dcat)?)?;
    let entries: Vec<FeedEntry> = [&second, &first]
        .iter()
        .map(|e| {
            let m = &e.signed.manifest;
            FeedEntry {
                body_code: m.body.code.clone(),
                body_name: m.body.name.best(Lang::Kk).to_owned(),
                number: m.edition,
                published_at: m.published_at.clone(),
                url: format!("{site}/bodies/{}/editions/{}", m.body.code, m.edition),
                summary: format!("+{} <added> & \"excluded\" {}", m.changes.added.len(), m.changes.excluded.len()),
            }
        })
        .collect();
    let feed = opendata::atom_feed(
        &format!("{site}/feed.atom"),
        "Senim — редакциялар",
        &format!("{site}/feed.atom"),
        &entries,
    );
    std::fs::write(dir.join("feed.atom"), feed)?;
    println!("wrote {files} edition files, 2 signed manifests, keys.json and 3 descriptors to {}", dir.display());
    Ok(())
}
