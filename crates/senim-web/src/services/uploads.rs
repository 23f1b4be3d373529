//! The intake of uploaded documents (issue 6, item 6): a file becomes an attachment only after
//!
//! 1. its size is within [`MAX_UPLOAD_BYTES`],
//! 2. the malware scanner, when one is configured (`SENIM_CLAMD`), has called it clean — if the scanner
//!    cannot be reached the upload is refused with "try again later" (fail closed) and the failure logged,
//! 3. it parses as a PDF (`lopdf`), is not encrypted (trailer `/Encrypt`) and has between 1 and
//!    `max_pages` pages.
//!
//! Parsing runs on a blocking thread under `catch_unwind` and a time limit, as the text extraction in
//! [`super::crosscheck`] does: a hostile file can make a parser panic or spin, never take the server down.
//! The refusal is a field error on `file` with one of the `upload.*` codes below (messages in
//! `i18n/*/uploads.ftl`).
//!
//! This file uses only std, tokio, tracing and lopdf (no `crate::` paths): the fuzz harness in `fuzz/`
//! compiles it as it is, so that it fuzzes exactly the server's code without building the whole server.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest document accepted, stated on the upload form.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// The most pages a document may have unless `SENIM_UPLOAD_MAX_PAGES` says otherwise.
pub const MAX_PAGES: usize = 500;

/// Longest the PDF check may take before the file is refused.
const PARSE_TIMEOUT: Duration = Duration::from_secs(20);

/// Longest a malware scan may take (connect, send, verdict) before the scanner counts as unavailable.
const SCAN_TIMEOUT: Duration = Duration::from_secs(60);

/// Bytes per INSTREAM chunk (clamd's default `StreamMaxLength` is 25 MB; a chunk is far below it).
const CHUNK: usize = 64 * 1024;

/// Why an upload is refused: the `code` of the field error on `file`.
pub mod codes {
    pub const EMPTY: &str = "upload.empty";
    pub const TOO_LARGE: &str = "upload.too_large";
    pub const NOT_PDF: &str = "upload.not_pdf";
    /// Starts as a PDF but does not parse: damaged or cut short.
    pub const MALFORMED: &str = "upload.malformed";
    pub const ENCRYPTED: &str = "upload.encrypted";
    pub const NO_PAGES: &str = "upload.no_pages";
    pub const TOO_MANY_PAGES: &str = "upload.too_many_pages";
    /// The malware scanner found something.
    pub const INFECTED: &str = "upload.infected";
    /// The malware scanner is configured but did not answer: try again later.
    pub const SCAN_UNAVAILABLE: &str = "upload.scan_unavailable";

    /// Every code, for the translation check.
    pub const ALL: [&str; 9] =
        [EMPTY, TOO_LARGE, NOT_PDF, MALFORMED, ENCRYPTED, NO_PAGES, TOO_MANY_PAGES, INFECTED, SCAN_UNAVAILABLE];
}

/// Settings of the intake (`senim serve --upload-max-pages`, `--clamd`).
#[derive(Debug, Clone)]
pub struct UploadConfig {
    pub max_pages: usize,
    /// The clamd to scan every upload with; none: no scan.
    pub clamd: Option<ClamdAddr>,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig { max_pages: MAX_PAGES, clamd: None }
    }
}

/// Where clamd listens: a Unix socket path (anything containing `/`) or `host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClamdAddr {
    Unix(PathBuf),
    Tcp(String),
}

impl FromStr for ClamdAddr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.contains('/') {
            Ok(ClamdAddr::Unix(PathBuf::from(s)))
        } else if s.rsplit_once(':').is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok()) {
            Ok(ClamdAddr::Tcp(s.to_owned()))
        } else {
            Err(format!("{s:?} is neither a Unix socket path nor host:port"))
        }
    }
}

impl std::fmt::Display for ClamdAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClamdAddr::Unix(p) => write!(f, "{}", p.display()),
            ClamdAddr::Tcp(a) => f.write_str(a),
        }
    }
}

/// What the PDF check learnt about an accepted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfInfo {
    pub pages: usize,
}

/// The whole intake of one file: `Ok` or the refusal code.
pub async fn check(config: &UploadConfig, bytes: &[u8]) -> Result<PdfInfo, &'static str> {
    check_size(bytes)?;
    if let Some(addr) = &config.clamd {
        match tokio::time::timeout(SCAN_TIMEOUT, scan(addr, bytes)).await {
            Ok(Ok(Verdict::Clean)) => {}
            Ok(Ok(Verdict::Found(name))) => {
                tracing::warn!(clamd = %addr, signature = %name, size = bytes.len(), "upload refused: malware found");
                return Err(codes::INFECTED);
            }
            Ok(Err(error)) => {
                tracing::error!(clamd = %addr, %error, "upload refused: the malware scanner cannot be used");
                return Err(codes::SCAN_UNAVAILABLE);
            }
            Err(_) => {
                tracing::error!(clamd = %addr, timeout_secs = SCAN_TIMEOUT.as_secs(), "upload refused: the malware scan timed out");
                return Err(codes::SCAN_UNAVAILABLE);
            }
        }
    }
    let owned = bytes.to_vec();
    let max_pages = config.max_pages;
    let job = tokio::task::spawn_blocking(move || std::panic::catch_unwind(|| inspect_pdf(&owned, max_pages)));
    match tokio::time::timeout(PARSE_TIMEOUT, job).await {
        Ok(Ok(Ok(verdict))) => verdict,
        Ok(Ok(Err(_))) | Ok(Err(_)) => {
            tracing::warn!(size = bytes.len(), "upload refused: the PDF parser failed on it");
            Err(codes::MALFORMED)
        }
        Err(_) => {
            tracing::warn!(size = bytes.len(), "upload refused: parsing took longer than the limit");
            Err(codes::MALFORMED)
        }
    }
}

fn check_size(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.is_empty() {
        return Err(codes::EMPTY);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(codes::TOO_LARGE);
    }
    Ok(())
}

/// The PDF check on its own, synchronous (the fuzz target calls it directly): by content, never by name.
pub fn inspect_pdf(bytes: &[u8], max_pages: usize) -> Result<PdfInfo, &'static str> {
    check_size(bytes)?;
    // A PDF starts with its header (within the first KiB, as readers allow)…
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(codes::NOT_PDF);
    }
    // …and ends with an end-of-file marker: without one it was cut short.
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(codes::MALFORMED);
    }
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(doc) => doc,
        // lopdf tries the empty password on an encrypted file and fails on the rest: still "encrypted".
        Err(_) if mentions_encrypt(bytes) => return Err(codes::ENCRYPTED),
        Err(_) => return Err(codes::MALFORMED),
    };
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(codes::ENCRYPTED);
    }
    if doc.trailer.get(b"Root").and_then(lopdf::Object::as_reference).is_err() || doc.catalog().is_err() {
        return Err(codes::MALFORMED);
    }
    // Counted up to one past the limit: a page tree of millions is not walked to the end.
    let pages = doc.page_iter().take(max_pages.saturating_add(1)).count();
    if pages == 0 {
        return Err(codes::NO_PAGES);
    }
    if pages > max_pages {
        return Err(codes::TOO_MANY_PAGES);
    }
    Ok(PdfInfo { pages })
}

/// An `/Encrypt` key in a trailer (or cross-reference stream) dictionary.
fn mentions_encrypt(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

/// clamd's answer about one stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The signature's name, as clamd reports it.
    Found(String),
}

/// Sends `bytes` to clamd with `zINSTREAM` and reads its verdict.
pub async fn scan(addr: &ClamdAddr, bytes: &[u8]) -> std::io::Result<Verdict> {
    match addr {
        #[cfg(unix)]
        ClamdAddr::Unix(path) => instream(tokio::net::UnixStream::connect(path).await?, bytes).await,
        #[cfg(not(unix))]
        ClamdAddr::Unix(_) => Err(std::io::Error::other("Unix sockets are not available on this system")),
        ClamdAddr::Tcp(a) => instream(tokio::net::TcpStream::connect(a.as_str()).await?, bytes).await,
    }
}

/// The INSTREAM exchange: `zINSTREAM\0`, chunks each after its 4-byte big-endian length, a zero-length
/// chunk, then one NUL-terminated reply: `stream: OK`, `stream: NAME FOUND` or `… ERROR`.
async fn instream<S: AsyncRead + AsyncWrite + Unpin>(mut s: S, bytes: &[u8]) -> std::io::Result<Verdict> {
    s.write_all(b"zINSTREAM\0").await?;
    for chunk in bytes.chunks(CHUNK) {
        let len = u32::try_from(chunk.len()).map_err(std::io::Error::other)?;
        s.write_all(&len.to_be_bytes()).await?;
        s.write_all(chunk).await?;
    }
    s.write_all(&0u32.to_be_bytes()).await?;
    s.flush().await?;
    let mut reply = Vec::new();
    // The reply is short; read it whole (up to the NUL or the close), never more than 4 KiB.
    let mut buf = [0u8; 512];
    loop {
        let n = s.read(&mut buf).await?;
        reply.extend_from_slice(&buf[..n]);
        if n == 0 || reply.contains(&0) || reply.len() > 4096 {
            break;
        }
    }
    parse_reply(&reply)
}

fn parse_reply(reply: &[u8]) -> std::io::Result<Verdict> {
    let text = String::from_utf8_lossy(reply);
    let text = text.trim_end_matches(['\0', '\n', '\r', ' ']);
    let body = text.strip_prefix("stream:").map(str::trim).unwrap_or(text);
    if body == "OK" {
        Ok(Verdict::Clean)
    } else if let Some(name) = body.strip_suffix(" FOUND") {
        Ok(Verdict::Found(name.trim().to_owned()))
    } else {
        Err(std::io::Error::other(format!("clamd answered {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamd_addresses_are_a_socket_path_or_host_and_port() {
        assert_eq!("/run/clamav/clamd.ctl".parse(), Ok(ClamdAddr::Unix("/run/clamav/clamd.ctl".into())));
        assert_eq!("127.0.0.1:3310".parse(), Ok(ClamdAddr::Tcp("127.0.0.1:3310".into())));
        assert_eq!("clamav:3310".parse(), Ok(ClamdAddr::Tcp("clamav:3310".into())));
        assert!("clamav".parse::<ClamdAddr>().is_err());
        assert!(":3310".parse::<ClamdAddr>().is_err());
    }

    #[test]
    fn clamd_replies_are_read_as_clean_found_or_an_error() {
        assert_eq!(parse_reply(b"stream: OK\0").unwrap(), Verdict::Clean);
        assert_eq!(
            parse_reply(b"stream: Eicar-Test-Signature FOUND\0").unwrap(),
            Verdict::Found("Eicar-Test-Signature".into())
        );
        assert!(parse_reply(b"INSTREAM size limit exceeded. ERROR\0").is_err());
        assert!(parse_reply(b"").is_err());
    }

    #[test]
    fn documents_are_checked_by_content_not_by_name() {
        assert_eq!(inspect_pdf(b"", MAX_PAGES), Err(codes::EMPTY));
        assert_eq!(inspect_pdf(b"MZ\x90\x00 an executable", MAX_PAGES), Err(codes::NOT_PDF));
        assert_eq!(inspect_pdf(b"%PDF-1.7 but cut short", MAX_PAGES), Err(codes::MALFORMED));
        assert_eq!(inspect_pdf(b"%PDF-1.7 garbage %%EOF", MAX_PAGES), Err(codes::MALFORMED));
        assert_eq!(inspect_pdf(&super::super::demo::sample_pdf("ok"), MAX_PAGES), Ok(PdfInfo { pages: 1 }));
        assert_eq!(inspect_pdf(&super::super::demo::sample_pdf("ok"), 0), Err(codes::TOO_MANY_PAGES));
        assert_eq!(inspect_pdf(&vec![b' '; MAX_UPLOAD_BYTES + 1], MAX_PAGES), Err(codes::TOO_LARGE));
    }
}
