//! Building an edition and verifying it with the crate's own verifier.

mod common;

use common::*;
use senim_domain::lang::Lang;
use senim_publish::edition::{EditionInput, build, proof};
use senim_publish::keys::key_id;
use senim_publish::manifest::{Changes, FORMAT};
use senim_publish::render;
use senim_publish::verify::{
    match_artifact, verify_edition_json, verify_proof, verify_proof_json, verify_signed_manifest,
};
use sha2::{Digest, Sha256};

#[test]
fn a_built_edition_verifies() {
    let edition = sample();
    verify_signed_manifest(&edition.signed, &keys()).unwrap();
    let back = verify_edition_json(&edition.edition_json.bytes, &keys()).unwrap();
    assert_eq!(back.manifest, edition.signed.manifest);
    assert_eq!(back.signature, edition.signed.signature);
    assert_eq!(back.entries, edition.entries);
}

/// The edition JSON is written a member at a time (a List of 100,000 entries is never one JSON value
/// in memory): it must be exactly the canonical form of the whole, for a List and an empty one.
#[test]
fn the_edition_json_is_the_canonical_form_of_manifest_signature_and_entries() {
    for edition in [sample(), build_edition(2, None, vec![])] {
        let whole = senim_publish::jcs::to_canonical(&senim_publish::manifest::EditionJson {
            manifest: edition.signed.manifest.clone(),
            signature: edition.signed.signature.clone(),
            entries: edition.entries.clone(),
        });
        assert_eq!(String::from_utf8(edition.edition_json.bytes.clone()).unwrap(), String::from_utf8(whole).unwrap());
    }
}

#[test]
fn the_manifest_says_what_the_format_says() {
    let edition = sample();
    let m = &edition.signed.manifest;
    assert_eq!(m.format, FORMAT);
    assert_eq!(m.edition, 1);
    assert_eq!(m.published_at, "2026-06-05T10:12:03+05:00");
    assert_eq!(m.previous, None);
    assert_eq!(m.entries.count, 3);
    assert_eq!(m.key_id, key_id(&key().public_bytes()));
    assert_eq!(edition.signed.signature.alg, "Ed25519");
    let positions: Vec<u32> = edition.entries.iter().map(|e| e.position).collect();
    assert_eq!(positions, [1, 2, 3]);
    // Not every entry has an English name, so there is no English rendering.
    let names: Vec<&str> = m.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["1.kk.html", "1.kk.csv", "1.kk.xlsx", "1.kk.pdf", "1.ru.html", "1.ru.csv", "1.ru.xlsx", "1.ru.pdf"]
    );
    assert_eq!(edition.edition_json.name, "1.json");
    assert_eq!(edition.edition_json.media_type, "application/json");
    for (artifact, reference) in edition.artifacts.iter().zip(&m.artifacts) {
        assert_eq!(reference.bytes, artifact.bytes.len() as u64);
        assert_eq!(reference.media_type, artifact.media_type);
    }
    // The manifest serialises with `previous: null`, as the format requires for edition 1.
    let json = serde_json::to_value(m).unwrap();
    assert!(json["previous"].is_null() && json.as_object().unwrap().contains_key("previous"));
    assert!(
        json["entries"]["merkle_root"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
}

#[test]
fn english_is_rendered_when_every_entry_has_it() {
    let edition = build_edition(4, None, vec![entry_in_three_languages()]);
    let names: Vec<&str> = edition.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "4.kk.html",
            "4.kk.csv",
            "4.kk.xlsx",
            "4.kk.pdf",
            "4.ru.html",
            "4.ru.csv",
            "4.ru.xlsx",
            "4.ru.pdf",
            "4.en.html",
            "4.en.csv",
            "4.en.xlsx",
            "4.en.pdf"
        ]
    );
    assert_eq!(render::languages_of(&[]), [Lang::Kk, Lang::Ru]);
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let (a, b) = (sample(), sample());
    assert_eq!(a.edition_json, b.edition_json);
    assert_eq!(a.artifacts, b.artifacts);
    assert_eq!(a.leaves, b.leaves);
}

#[test]
fn every_artifact_is_matched_by_its_bytes() {
    let edition = sample();
    let other = build_edition(2, None, vec![entry_of_person()]);
    let manifests = [other.signed.manifest.clone(), edition.signed.manifest.clone()];
    for artifact in &edition.artifacts {
        let found = match_artifact(&artifact.bytes, &manifests).unwrap();
        assert_eq!(found, ("health".to_owned(), 1, artifact.name.clone()));
    }
    assert_eq!(match_artifact(&edition.edition_json.bytes, &manifests), None);
    assert_eq!(match_artifact(b"", &manifests), None);
}

#[test]
fn every_entry_has_a_proof_that_verifies() {
    let edition = sample();
    let manifest = &edition.signed.manifest;
    for (i, entry) in edition.entries.iter().enumerate() {
        let p = proof(&edition.entries, &entry.registry_number).unwrap();
        assert_eq!(p.leaf_index, i as u64);
        assert_eq!(p.tree_size, 3);
        assert_eq!(&p.entry, entry);
        verify_proof(&p, manifest).unwrap();
        let served = serde_json::to_vec(&p).unwrap();
        assert_eq!(verify_proof_json(&served, manifest).unwrap(), p);
    }
    assert!(proof(&edition.entries, "HEALTH-2026-9999").is_none());
}

#[test]
fn html_escapes_all_markup() {
    let edition = sample();
    for artifact in edition.artifacts.iter().filter(|a| a.name.ends_with(".html")) {
        let page = String::from_utf8(artifact.bytes.clone()).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\""), "{}", artifact.name);
        assert!(!page.contains("<script"), "{}", artifact.name);
        assert!(!page.contains("<b>"));
        assert!(page.contains("<caption>") && page.contains("<th scope=\"col\">"));
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains("&quot;"));
        assert_eq!(page.matches("<tr>").count(), 4, "a header row and three entries");
    }
    let kk = String::from_utf8(edition.artifacts[0].bytes.clone()).unwrap();
    assert!(kk.contains("<html lang=\"kk\">"));
    assert!(kk.contains("<title>"));
    assert!(kk.contains("Ғылым-Қазақ"));
    assert!(kk.contains("Сәйкес келеді &amp; Һ І"));
    assert!(kk.contains("<time datetime=\"2026-06-05T10:12:03+05:00\">"));
    for title in render::column_titles(Lang::Kk) {
        assert!(kk.contains(&format!("<th scope=\"col\">{title}</th>")), "{title}");
    }
}

#[test]
fn csv_keeps_texts_verbatim() {
    let edition = sample();
    let csv = &edition.artifacts[1];
    assert_eq!(csv.name, "1.kk.csv");
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&csv.bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..8], render::column_titles(Lang::Kk));
    assert_eq!(&header[8..], render::identifier_titles(Lang::Kk));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][2], "\"Ғылым-Қазақ\" ЖШС");
    assert_eq!(&rows[0][4], "Өкпе суреттерін талдайды,\nҰсыныс береді <script>alert('Қ')</script>");
    assert_eq!(&rows[0][5], "Үміт Аудит ЖШС, 2026-05-14, Сәйкес келеді & Һ І");
    assert_eq!(&rows[1][1], "Ңұр <script>x()</script>", "falls back to Russian");
    assert_eq!(&rows[1][9], "", "a person's IIN is never published");
    let ids: Vec<&str> = rows[2].iter().skip(8).collect();
    assert_eq!(ids, ["HEALTH-2026-0003", "040840003227", "health"]);
}

#[test]
fn positions_follow_the_given_order() {
    let key = key();
    let mut reversed = entries();
    reversed.reverse();
    reversed[0].position = 42;
    let edition = build(EditionInput {
        body: body(),
        number: 1,
        published_at: published_at(),
        previous: None,
        entries: reversed,
        changes: Changes::default(),
        key: &key,
    });
    let order: Vec<(&str, u32)> = edition.entries.iter().map(|e| (e.registry_number.as_str(), e.position)).collect();
    assert_eq!(order, [("HEALTH-2026-0003", 1), ("HEALTH-2026-0002", 2), ("HEALTH-2026-0001", 3)]);
    verify_edition_json(&edition.edition_json.bytes, &keys()).unwrap();
}

#[test]
fn an_empty_list_is_an_edition_too() {
    let edition = build_edition(5, None, vec![]);
    let m = &edition.signed.manifest;
    assert_eq!(m.entries.count, 0);
    assert_eq!(m.entries.merkle_root, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    verify_edition_json(&edition.edition_json.bytes, &keys()).unwrap();
}

#[test]
fn the_current_edition_object_may_carry_its_number() {
    // `…/editions/current` serves the signed manifest and may add `"edition"` beside it.
    let edition = sample();
    let mut served = serde_json::to_value(&edition.signed).unwrap();
    served["edition"] = 1.into();
    let parsed: senim_publish::manifest::SignedManifest = serde_json::from_value(served).unwrap();
    verify_signed_manifest(&parsed, &keys()).unwrap();
}

#[test]
fn progress_counts_every_artifact_once_and_the_result_is_the_same_as_without() {
    let key = key();
    let calls = std::sync::Mutex::new(Vec::new());
    let edition = senim_publish::edition::build_with_progress(
        EditionInput {
            body: body(),
            number: 1,
            published_at: published_at(),
            previous: None,
            changes: Changes {
                added: entries().iter().map(|e| e.registry_number.clone()).collect(),
                ..Changes::default()
            },
            entries: entries(),
            key: &key,
        },
        &|done, total, name| calls.lock().unwrap().push((done, total, name.to_owned())),
    );
    let calls = calls.into_inner().unwrap();
    // Every listed file, then the edition JSON.
    let total = edition.artifacts.len() + 1;
    assert_eq!(calls.first(), Some(&(0, total, String::new())), "progress starts at zero");
    let done: Vec<usize> = calls.iter().skip(1).map(|c| c.0).collect();
    assert_eq!(done, (1..=total).collect::<Vec<_>>(), "one step per artifact, in order");
    assert_eq!(calls.last().map(|c| c.2.as_str()), Some("1.json"), "the edition JSON comes last");
    let mut names: Vec<&str> = calls.iter().skip(1).map(|c| c.2.as_str()).collect();
    names.sort_unstable();
    let mut expected: Vec<&str> =
        edition.artifacts.iter().chain([&edition.edition_json]).map(|a| a.name.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
    // Rendered on several threads, the edition is byte for byte the one `build` makes.
    assert_eq!(edition.artifacts, sample().artifacts);
    assert_eq!(edition.edition_json, sample().edition_json);
}

fn input(key: &senim_publish::keys::EditionKey) -> EditionInput<'_> {
    EditionInput {
        body: body(),
        number: 1,
        published_at: published_at(),
        previous: None,
        changes: Changes { added: entries().iter().map(|e| e.registry_number.clone()).collect(), ..Changes::default() },
        entries: entries(),
        key,
    }
}

/// Issue 7: a large edition's files are handed over one by one as they are rendered (to be stored
/// and let go), each with the reference the manifest lists for it, and the edition JSON last.
#[test]
fn build_into_hands_over_each_file_once_with_the_reference_the_manifest_lists() {
    let key = key();
    let kept = std::sync::Mutex::new(Vec::new());
    let built = senim_publish::edition::build_into(input(&key), &|_, _, _| {}, &|reference, bytes: Vec<u8>| {
        assert_eq!(reference.bytes, bytes.len() as u64);
        assert_eq!(reference.sha256, hex::encode(Sha256::digest(&bytes)));
        kept.lock().unwrap().push((reference, bytes));
        Ok::<(), ()>(())
    })
    .unwrap();
    let kept = kept.into_inner().unwrap();
    let whole = sample();
    assert_eq!(built.signed, whole.signed, "the same signed manifest as building in memory");
    let (json, files) = kept.split_last().unwrap();
    assert_eq!(json.0, built.edition_json);
    assert_eq!(json.1, whole.edition_json.bytes);
    let mut listed = built.signed.manifest.artifacts.clone();
    let mut handed: Vec<_> = files.iter().map(|(r, _)| r.clone()).collect();
    listed.sort_by(|a, b| a.name.cmp(&b.name));
    handed.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(handed, listed, "each listed file handed over exactly once");
    for (reference, bytes) in files {
        let same = whole.artifacts.iter().find(|a| a.name == reference.name).unwrap();
        assert_eq!(&same.bytes, bytes, "{}", reference.name);
    }
}

/// When the caller cannot keep a file (its store fails), the build stops and says why.
#[test]
fn build_into_stops_at_the_first_file_that_cannot_be_kept() {
    let key = key();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    // Only the first file fails: the others could be kept, but none is rendered after the failure.
    let outcome = senim_publish::edition::build_into(input(&key), &|_, _, _| {}, &|reference, _| match calls
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    {
        0 => Err(format!("disk full at {}", reference.name)),
        _ => Ok(()),
    });
    let error = outcome.unwrap_err();
    assert!(error.starts_with("disk full at 1."), "{error}");
    // The failing thread stops; each other thread finishes at most the file it had begun.
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    let files = sample().artifacts.len();
    let tried = calls.into_inner();
    assert!(tried <= threads.min(files), "{tried} of {files} files handed over on {threads} threads");
}
