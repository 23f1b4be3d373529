//! A file as it is stored and served: its bytes and their gzip and brotli variants, made once, and the
//! choice among them by `Accept-Encoding`.

use std::io::Write;

use bytes::Bytes;

/// A content coding of a cached file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

impl Coding {
    /// The `Content-Encoding` value (none for identity).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }

    /// The variant's strong ETag: each representation has its own (RFC 9110 §8.8.3).
    pub fn etag(self, sha256: &str) -> String {
        match self {
            Coding::Identity => format!("\"{sha256}\""),
            Coding::Gzip => format!("\"{sha256}.gz\""),
            Coding::Brotli => format!("\"{sha256}.br\""),
        }
    }
}

/// One stored artifact and its precompressed variants.
#[derive(Debug)]
pub struct CachedFile {
    pub media_type: String,
    pub sha256: String,
    pub identity: Bytes,
    pub gzip: Option<Bytes>,
    pub brotli: Option<Bytes>,
}

impl CachedFile {
    /// Builds the file and its variants: gzip and brotli for text formats when they are smaller.
    /// XLSX and PDF are compressed already and are kept as they are. CPU-heavy: call it off the async
    /// threads.
    pub fn build(media_type: String, sha256: String, bytes: Vec<u8>) -> CachedFile {
        let (gzip, brotli) = if compressible(&media_type) {
            let smaller = |v: Vec<u8>| (v.len() < bytes.len()).then(|| Bytes::from(v));
            (gzip(&bytes).and_then(smaller), brotli(&bytes).and_then(smaller))
        } else {
            (None, None)
        };
        CachedFile { media_type, sha256, identity: Bytes::from(bytes), gzip, brotli }
    }

    /// Whether gzip and brotli variants would be made for this file (see [`Self::build`]).
    pub fn compressible(&self) -> bool {
        compressible(&self.media_type) && self.gzip.is_none() && self.brotli.is_none()
    }

    /// The file as stored, without variants (for files too large to keep: see [`ArtifactCache::keeps`],
    /// and for large files until their variants are ready).
    pub fn identity_only(media_type: String, sha256: String, bytes: Vec<u8>) -> CachedFile {
        CachedFile { media_type, sha256, identity: Bytes::from(bytes), gzip: None, brotli: None }
    }

    pub(super) fn weight(&self) -> usize {
        self.identity.len() + self.gzip.as_ref().map_or(0, Bytes::len) + self.brotli.as_ref().map_or(0, Bytes::len)
    }

    /// The variant to send for an `Accept-Encoding` header, and its bytes.
    pub fn variant(&self, accept_encoding: Option<&str>) -> (Coding, Bytes) {
        let accepted = AcceptEncoding::parse(accept_encoding.unwrap_or(""));
        let mut best = (Coding::Identity, self.identity.clone(), accepted.q("identity"));
        for (coding, bytes) in [(Coding::Gzip, &self.gzip), (Coding::Brotli, &self.brotli)] {
            let Some(bytes) = bytes else { continue };
            let name = coding.header().unwrap_or("identity");
            let q = accepted.q(name);
            // Ties go to the later (smaller) coding: brotli over gzip over identity.
            if q > 0.0 && q >= best.2 {
                best = (coding, bytes.clone(), q);
            }
        }
        (best.0, best.1)
    }
}

pub(super) fn compressible(media_type: &str) -> bool {
    let m = media_type.split(';').next().unwrap_or("").trim();
    m.starts_with("text/") || matches!(m, "application/json" | "application/xml" | "application/atom+xml")
}

pub(super) fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::best());
    e.write_all(bytes).ok()?;
    e.finish().ok()
}

/// Quality 9 rather than 11: on this class of machine 11 takes seconds for a List of a few MB, and
/// the first reader waits for it; 9 gives most of the gain.
pub(super) fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 9, 22);
        w.write_all(bytes).ok()?;
        w.flush().ok()?;
    }
    Some(out)
}

/// A parsed `Accept-Encoding` (RFC 9110 §12.5.3).
pub(super) struct AcceptEncoding(Vec<(String, f32)>);

impl AcceptEncoding {
    fn parse(header: &str) -> Self {
        AcceptEncoding(
            header
                .split(',')
                .filter_map(|part| {
                    let mut it = part.split(';');
                    let name = it.next()?.trim().to_ascii_lowercase();
                    if name.is_empty() {
                        return None;
                    }
                    let q = it
                        .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                        .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q)))?;
                    Some((name, q))
                })
                .collect(),
        )
    }

    /// The weight of a coding: its own entry, else `*`, else 0 — except identity, which is acceptable
    /// unless excluded (RFC 9110 §12.5.3) but, unlisted, is preferred least: `gzip;q=0.5` gets gzip.
    fn q(&self, coding: &str) -> f32 {
        let find = |name: &str| self.0.iter().find(|(n, _)| n == name).map(|(_, q)| *q);
        find(coding).or_else(|| find("*")).unwrap_or(if coding == "identity" { f32::MIN_POSITIVE } else { 0.0 })
    }
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 §13.1.2 asks), or is `*`.
pub fn none_match(header: Option<&str>, etag: &str) -> bool {
    header.is_some_and(|h| h.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag))
}
