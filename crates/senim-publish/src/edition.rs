//! Building an edition: the immutable, numbered, signed snapshot of one body's List (Rules §7: "when
//! the List is updated, the updated edition is posted").
//!
//! Everything here is a pure function of its input: given the same entries, time and key, `build`
//! returns the same bytes (the XLSX ones only within one build of the crate; see [`render::xlsx`]), so
//! an edition can be rebuilt and compared, and nothing here does I/O.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use sha2::{Digest, Sha256};

use senim_domain::annex2::{Annex2Entry, BodyRef};
use senim_domain::lang::Lang;

use crate::jcs;
use crate::keys::{ALG, EditionKey};
use crate::manifest::{
    ArtifactRef, Changes, EntriesRef, FORMAT, InclusionProof, Manifest, PreviousRef, Signature, SignedManifest,
};
use crate::merkle::{self, Hash};
use crate::render;

/// The media type of the `{n}.{lang}.xlsx` artifacts (ECMA-376 / ISO/IEC 29500 workbook).
pub const XLSX_MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What the publisher decides; everything else of an edition is derived from it.
pub struct EditionInput<'a> {
    pub body: BodyRef,
    /// The edition's number: 1 for the body's first, then consecutive.
    pub number: u32,
    pub published_at: Timestamp,
    /// `None` for edition 1; otherwise the previous edition's number and manifest hash
    /// ([`Manifest::sha256_hex`]).
    pub previous: Option<PreviousRef>,
    /// The List's entries in the order they are to be published. Their `position` is overwritten with
    /// 1..n in this order. Every entry must belong to `body` (same code) and have a distinct registry
    /// number; verification rejects an edition that breaks either.
    pub entries: Vec<Annex2Entry>,
    pub changes: Changes,
    pub key: &'a EditionKey,
}

/// A stored file of an edition, served byte-identical forever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// A built edition, ready to be stored.
#[derive(Debug, Clone)]
pub struct Edition {
    pub signed: SignedManifest,
    /// The entries as published, positions 1..n.
    pub entries: Vec<Annex2Entry>,
    /// The per-language renderings listed in the manifest: `{n}.{lang}.html`, `{n}.{lang}.csv`,
    /// `{n}.{lang}.xlsx` and `{n}.{lang}.pdf`. The XLSX bytes are not reproducible across versions of the writer: store them
    /// as returned, never re-render them.
    pub artifacts: Vec<Artifact>,
    /// `{n}.json`: manifest, signature and entries. Not listed in the manifest, which it contains.
    pub edition_json: Artifact,
    /// The Merkle leaf hash of each entry, in position order.
    pub leaves: Vec<Hash>,
    /// How long each artifact took to render (for logs and profiling), in the order they finished.
    pub render_times: Vec<(String, std::time::Duration)>,
}

/// Builds, renders and signs an edition.
pub fn build(input: EditionInput) -> Edition {
    build_with_progress(input, &|_, _, _| {})
}

/// [`build`], telling `progress(done, total, name)` as each artifact is rendered (see
/// [`build_into`]), and keeping every file in memory.
pub fn build_with_progress(input: EditionInput, progress: &(dyn Fn(usize, usize, &str) + Sync)) -> Edition {
    let n = input.number;
    let kept = std::sync::Mutex::new(Vec::new());
    let keep = |reference: ArtifactRef, bytes: Vec<u8>| {
        let artifact = Artifact { name: reference.name, media_type: reference.media_type, bytes };
        kept.lock().expect("kept").push(artifact);
        Ok::<(), std::convert::Infallible>(())
    };
    let Ok(built) = build_into(input, progress, &keep);
    let mut by_name: std::collections::HashMap<String, Artifact> =
        kept.into_inner().expect("kept").into_iter().map(|a| (a.name.clone(), a)).collect();
    let edition_json = by_name.remove(&format!("{n}.json")).expect("the edition JSON is kept last");
    let artifacts = built
        .signed
        .manifest
        .artifacts
        .iter()
        .map(|r| by_name.remove(&r.name).expect("every listed file is kept"))
        .collect();
    Edition {
        signed: built.signed,
        entries: built.entries,
        artifacts,
        edition_json,
        leaves: built.leaves,
        render_times: built.render_times,
    }
}

/// An edition built by [`build_into`]: signed, its files already handed over.
#[derive(Debug, Clone)]
pub struct Built {
    pub signed: SignedManifest,
    /// The entries as published, positions 1..n.
    pub entries: Vec<Annex2Entry>,
    /// `{n}.json`, as handed over last.
    pub edition_json: ArtifactRef,
    /// The Merkle leaf hash of each entry, in position order.
    pub leaves: Vec<Hash>,
    /// How long each file took to render and hand over, in the order they finished.
    pub render_times: Vec<(String, std::time::Duration)>,
}

/// One artifact to render: its name, media type and the renderer.
type Job<'a> = (String, String, Box<dyn FnOnce() -> Vec<u8> + Send + 'a>);

/// Builds, renders and signs an edition, handing each file to `keep` with its reference (name,
/// media type, size, SHA-256) as soon as it is rendered, so that the caller can store it and let it
/// go: a List of 100,000 entries has over a gigabyte of files, which need never be in memory
/// together. The per-language files are rendered on as many threads as the machine has cores (the
/// PDFs one at a time) and `keep` is called on those threads; `{n}.json`, which contains the signed
/// manifest, is handed over last. `progress(done, total, name)` is told after each file is kept,
/// `total` counting `{n}.json`. The bytes do not depend on the order files finish in.
///
/// When `keep` fails, no further file is rendered and its first error is returned; files kept
/// before are the caller's to discard.
pub fn build_into<E: Send>(
    input: EditionInput,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
    keep: &(dyn Fn(ArtifactRef, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<Built, E> {
    let n = input.number;
    let mut entries = input.entries;
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.position = u32::try_from(i + 1).expect("fewer than 2^32 entries");
    }
    let leaves: Vec<Hash> = entries.iter().map(entry_leaf).collect();
    let published_at = kazakhstan_time(input.published_at);
    let published_on = kazakhstan_date(input.published_at);

    let langs = render::languages_of(&entries);
    let mut render_times: Vec<(String, std::time::Duration)>;
    let artifacts = {
        let (e, body, at) = (&entries, &input.body, &published_at);
        let pdf = |lang: Lang| -> Job {
            (
                format!("{n}.{lang}.pdf"),
                render::PDF_MEDIA_TYPE.to_owned(),
                Box::new(move || render::pdf(e, body, n, published_on, lang)),
            )
        };
        // The PDFs take longest and most memory, most of all at their end, when krilla writes the
        // whole file (some 800 MB each at 100,000 entries): they are rendered one at a time (krilla
        // compresses each page on its own threads meanwhile), the first at once, the smaller files
        // beside it.
        let mut jobs: Vec<Job> = langs.first().map(|&lang| pdf(lang)).into_iter().collect();
        for &lang in &langs {
            let when = input.published_at;
            jobs.push((
                format!("{n}.{lang}.xlsx"),
                XLSX_MEDIA_TYPE.to_owned(),
                Box::new(move || render::xlsx(e, body, n, when, lang)),
            ));
            jobs.push((
                format!("{n}.{lang}.html"),
                "text/html".to_owned(),
                Box::new(move || render::html(e, body, n, at, lang)),
            ));
            jobs.push((format!("{n}.{lang}.csv"), "text/csv".to_owned(), Box::new(move || render::csv(e, lang))));
        }
        jobs.extend(langs.iter().skip(1).map(|&lang| pdf(lang)));
        let total = jobs.len() + 1;
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(jobs.len().max(1));
        let queue = std::sync::Mutex::new(jobs.into_iter());
        let done = std::sync::Mutex::new(Vec::with_capacity(total));
        let failed: std::sync::Mutex<Option<E>> = std::sync::Mutex::new(None);
        let one_pdf_at_a_time = std::sync::Mutex::new(());
        progress(0, total, "");
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    loop {
                        if failed.lock().expect("failed").is_some() {
                            break;
                        }
                        let next = queue.lock().expect("queue").next();
                        let Some((name, media_type, render)) = next else { break };
                        let started = std::time::Instant::now();
                        let bytes = if media_type == render::PDF_MEDIA_TYPE {
                            let _turn = one_pdf_at_a_time.lock().expect("one PDF at a time");
                            render()
                        } else {
                            render()
                        };
                        let reference = reference(name, media_type, &bytes);
                        if let Err(e) = keep(reference.clone(), bytes) {
                            failed.lock().expect("failed").get_or_insert(e);
                            break;
                        }
                        let took = started.elapsed();
                        let mut done = done.lock().expect("done");
                        progress(done.len() + 1, total, &reference.name);
                        done.push((reference, took));
                    }
                });
            }
        });
        if let Some(e) = failed.into_inner().expect("failed") {
            return Err(e);
        }
        let rendered = done.into_inner().expect("done");
        render_times = rendered.iter().map(|(a, took)| (a.name.clone(), *took)).collect();
        // The manifest lists each language's files together: html, csv, xlsx, pdf.
        let mut by_name: std::collections::HashMap<String, ArtifactRef> =
            rendered.into_iter().map(|(a, _)| (a.name.clone(), a)).collect();
        let mut artifacts = Vec::with_capacity(total);
        for lang in &langs {
            for ext in ["html", "csv", "xlsx", "pdf"] {
                if let Some(a) = by_name.remove(&format!("{n}.{lang}.{ext}")) {
                    artifacts.push(a);
                }
            }
        }
        artifacts
    };
    let total = artifacts.len() + 1;

    let manifest = Manifest {
        format: FORMAT.to_owned(),
        body: input.body,
        edition: n,
        published_at,
        previous: input.previous,
        entries: EntriesRef { count: entries.len() as u64, merkle_root: hex::encode(merkle::root(&leaves)) },
        changes: input.changes,
        artifacts,
        key_id: input.key.key_id(),
    };
    let signed = sign(manifest, input.key);
    let json_started = std::time::Instant::now();
    // Canonical form, so that every byte of the file is significant: there is no whitespace or key
    // order that could be altered without changing what the signature and root cover.
    let bytes = edition_json(&signed, &entries);
    let json = reference(format!("{n}.json"), "application/json".to_owned(), &bytes);
    keep(json.clone(), bytes)?;
    render_times.push((json.name.clone(), json_started.elapsed()));
    progress(total, total, &json.name);
    Ok(Built { signed, entries, edition_json: json, leaves, render_times })
}

/// A file's reference as the manifest lists it.
fn reference(name: String, media_type: String, bytes: &[u8]) -> ArtifactRef {
    ArtifactRef { name, media_type, bytes: bytes.len() as u64, sha256: hex::encode(Sha256::digest(bytes)) }
}

/// `JCS(EditionJson { manifest, signature, entries })`, written a member at a time: the members in
/// the order JCS sorts their names (`entries`, `manifest`, `signature`) and the array as its entries'
/// own canonical forms. The same bytes as canonicalising the whole, without holding 100,000 entries
/// as one `serde_json::Value` (several times the file's size) or a second copy of the entries.
fn edition_json(signed: &SignedManifest, entries: &[Annex2Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"entries\":[");
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&jcs::to_canonical(entry));
    }
    out.extend_from_slice(b"],\"manifest\":");
    out.extend_from_slice(&jcs::to_canonical(&signed.manifest));
    out.extend_from_slice(b",\"signature\":");
    out.extend_from_slice(&jcs::to_canonical(&signed.signature));
    out.push(b'}');
    out
}

/// Signs `JCS(manifest)` with `key`.
pub fn sign(manifest: Manifest, key: &EditionKey) -> SignedManifest {
    let value = STANDARD.encode(key.sign(&jcs::to_canonical(&manifest)));
    let signature = Signature { alg: ALG.to_owned(), key_id: key.key_id(), value };
    SignedManifest { manifest, signature }
}

/// The Merkle leaf hash of an entry: `SHA-256(0x00 ‖ JCS(entry))`.
pub fn entry_leaf(entry: &Annex2Entry) -> Hash {
    merkle::leaf_hash(&jcs::to_canonical(entry))
}

/// The inclusion proof of the entry with `registry_number` among an edition's entries (in position
/// order), or `None` when the edition does not contain it.
pub fn proof(edition_entries: &[Annex2Entry], registry_number: &str) -> Option<InclusionProof> {
    let index = edition_entries.iter().position(|e| e.registry_number == registry_number)?;
    let leaves: Vec<Hash> = edition_entries.iter().map(entry_leaf).collect();
    let path = merkle::inclusion_proof(&leaves, index)?;
    Some(InclusionProof {
        leaf_index: index as u64,
        tree_size: leaves.len() as u64,
        path: path.iter().map(hex::encode).collect(),
        entry: edition_entries[index].clone(),
    })
}

/// Kazakhstan's offset from UTC. The whole country has kept UTC+5 since 1 March 2024; a fixed offset
/// rather than a tz database keeps published bytes independent of the host's tzdata.
const KAZAKHSTAN_HOURS: i8 = 5;

/// The Kazakhstan calendar date of a timestamp.
pub fn kazakhstan_date(at: Timestamp) -> jiff::civil::Date {
    at.to_zoned(TimeZone::fixed(Offset::constant(KAZAKHSTAN_HOURS))).date()
}

/// A timestamp as Kazakhstan time to the second, `2026-06-05T10:12:03+05:00`.
pub fn kazakhstan_time(at: Timestamp) -> String {
    let zone = TimeZone::fixed(Offset::constant(KAZAKHSTAN_HOURS));
    at.to_zoned(zone).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_at_is_kazakhstan_time_to_the_second() {
        let at: Timestamp = "2026-06-05T05:12:03.987Z".parse().unwrap();
        assert_eq!(kazakhstan_time(at), "2026-06-05T10:12:03+05:00");
        let midnight: Timestamp = "2026-12-31T19:00:00Z".parse().unwrap();
        assert_eq!(kazakhstan_time(midnight), "2027-01-01T00:00:00+05:00");
    }
}
