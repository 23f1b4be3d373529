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

impl Artifact {
    fn reference(&self) -> ArtifactRef {
        ArtifactRef {
            name: self.name.clone(),
            media_type: self.media_type.clone(),
            bytes: self.bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&self.bytes)),
        }
    }
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

/// One artifact to render: its name, media type and the renderer.
type Job<'a> = (String, String, Box<dyn FnOnce() -> Vec<u8> + Send + 'a>);

/// [`build`], telling `progress(done, total, name)` as each artifact is rendered. The artifacts are
/// rendered on as many threads as the machine has cores (the largest, the PDFs, first); the result
/// does not depend on the order they finish in.
pub fn build_with_progress(input: EditionInput, progress: &(dyn Fn(usize, usize, &str) + Sync)) -> Edition {
    let n = input.number;
    let mut entries = input.entries;
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.position = u32::try_from(i + 1).expect("fewer than 2^32 entries");
    }
    let leaves: Vec<Hash> = entries.iter().map(entry_leaf).collect();
    let published_at = kazakhstan_time(input.published_at);
    let published_on = kazakhstan_date(input.published_at);

    let langs = render::languages_of(&entries);
    let render_times: Vec<(String, std::time::Duration)>;
    let artifacts = {
        let (e, body, at) = (&entries, &input.body, &published_at);
        let mut jobs: Vec<Job> = Vec::new();
        for &lang in &langs {
            jobs.push((
                format!("{n}.{lang}.pdf"),
                render::PDF_MEDIA_TYPE.to_owned(),
                Box::new(move || render::pdf(e, body, n, published_on, lang)),
            ));
        }
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
        let total = jobs.len();
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(total.max(1));
        let queue = std::sync::Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>().into_iter());
        let done = std::sync::Mutex::new(Vec::with_capacity(total));
        progress(0, total, "");
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    loop {
                        let next = queue.lock().expect("queue").next();
                        let Some((i, (name, media_type, render))) = next else { break };
                        let started = std::time::Instant::now();
                        let bytes = render();
                        let took = started.elapsed();
                        let mut done = done.lock().expect("done");
                        progress(done.len() + 1, total, &name);
                        done.push((i, Artifact { name, media_type, bytes }, took));
                    }
                });
            }
        });
        let mut rendered = done.into_inner().expect("done");
        render_times = rendered.iter().map(|(_, a, took)| (a.name.clone(), *took)).collect();
        rendered.sort_by_key(|(i, _, _)| *i);
        // The manifest lists each language's files together, as before: html, csv, xlsx, pdf.
        let mut artifacts = Vec::with_capacity(total);
        let mut by_name: std::collections::HashMap<String, Artifact> =
            rendered.into_iter().map(|(_, a, _)| (a.name.clone(), a)).collect();
        for lang in &langs {
            for ext in ["html", "csv", "xlsx", "pdf"] {
                if let Some(a) = by_name.remove(&format!("{n}.{lang}.{ext}")) {
                    artifacts.push(a);
                }
            }
        }
        artifacts
    };

    let manifest = Manifest {
        format: FORMAT.to_owned(),
        body: input.body,
        edition: n,
        published_at,
        previous: input.previous,
        entries: EntriesRef { count: entries.len() as u64, merkle_root: hex::encode(merkle::root(&leaves)) },
        changes: input.changes,
        artifacts: artifacts.iter().map(Artifact::reference).collect(),
        key_id: input.key.key_id(),
    };
    let signed = sign(manifest, input.key);
    let json_started = std::time::Instant::now();
    let edition_json = Artifact {
        name: format!("{n}.json"),
        media_type: "application/json".to_owned(),
        // Canonical form, so that every byte of the file is significant: there is no whitespace or
        // key order that could be altered without changing what the signature and root cover.
        bytes: edition_json(&signed, &entries),
    };
    let mut render_times = render_times;
    render_times.push((edition_json.name.clone(), json_started.elapsed()));
    Edition { signed, entries, artifacts, edition_json, leaves, render_times }
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
