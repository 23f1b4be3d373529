//! The intake of uploaded documents (issue 6, item 6; issue 16, findings 1, 2 and 8): a file becomes an
//! attachment only after
//!
//! 1. its size is within [`MAX_UPLOAD_BYTES`],
//! 2. the malware scanner, when one is configured (`SENIM_CLAMD`), has called it clean — if the scanner
//!    cannot be reached the upload is refused with "try again later" (fail closed) and the failure logged,
//! 3. the PDF check of [`senim_pdfread::intake`] passes: it starts as a PDF, loads within the reading
//!    limits, is not encrypted, has between 1 and `max_pages` pages, carries no active content and can
//!    be drawn within the limits.
//!
//! The PDF check runs in a worker process with its own resource limits ([`senim_pdfread::sandbox`]): a
//! hostile file can crash or exhaust that process, never the server. The refusal is a field error on
//! `file` with one of the `upload.*` codes below (messages in `i18n/*/uploads.ftl`). The intake's
//! settings ([`UploadConfig`], [`ClamdAddr`]) are in [`crate::config`].

use std::time::Duration;

pub use crate::config::{ClamdAddr, UploadConfig};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub use senim_pdfread::PdfInfo;
pub use senim_pdfread::intake::{MAX_PAGES, MAX_UPLOAD_BYTES};

/// Longest a malware scan may take (connect, send, verdict) before the scanner counts as unavailable.
const SCAN_TIMEOUT: Duration = Duration::from_secs(60);

/// Bytes per INSTREAM chunk (clamd's default `StreamMaxLength` is 25 MB; a chunk is far below it).
const CHUNK: usize = 64 * 1024;

/// Why an upload is refused: the `code` of the field error on `file`.
pub mod codes {
    pub use senim_pdfread::codes::*;
    /// The malware scanner found something.
    pub const INFECTED: &str = "upload.infected";
    /// The malware scanner is configured but did not answer: try again later.
    pub const SCAN_UNAVAILABLE: &str = "upload.scan_unavailable";

    /// Every code, for the translation check.
    pub fn all() -> impl Iterator<Item = &'static str> {
        senim_pdfread::codes::ALL.into_iter().chain([INFECTED, SCAN_UNAVAILABLE])
    }

    /// The refusals that say "try again later" (503 with `Retry-After` in the API).
    pub fn is_temporary(code: &str) -> bool {
        code == SCAN_UNAVAILABLE || code == UNAVAILABLE
    }
}

/// The whole intake of one file: `Ok` or the refusal code.
pub async fn check(config: &UploadConfig, bytes: &[u8]) -> Result<PdfInfo, &'static str> {
    senim_pdfread::intake::check_size(bytes)?;
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
    config.reader.inspect(bytes, config.max_pages).await
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
}
