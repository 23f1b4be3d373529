//! The application's settings (from the command line and the environment; see `senim serve --help`),
//! and the types they are made of.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Settings of the application (from the command line and the environment; see `senim serve --help`).
/// The HTTP layer's own settings (cookies, rate limits, proxies, the metrics token) are `senim-web`'s.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Demo mode: e-mails are kept in the outbox and readable by the administrator.
    pub demo: bool,
    /// SMTP server for the outbox worker (`SENIM_SMTP_URL`); none: see [`services::mailer::MailMode`].
    pub smtp_url: Option<SmtpUrl>,
    /// The From of e-mails (`SENIM_MAIL_FROM`); none: [`services::mailer::DEFAULT_FROM`].
    pub mail_from: Option<String>,
    /// The address users reach the site at (`SENIM_PUBLIC_URL`), for links in e-mails; without it
    /// links are site-relative.
    pub public_url: String,
    /// Seals new edition signing keys at rest (`SENIM_KEY_PASSPHRASE`); see [`services::key_vault`].
    pub key_passphrase: Option<Passphrase>,
    /// Page limit, malware scanning and the PDF reader of uploads (`SENIM_UPLOAD_MAX_PAGES`, `SENIM_CLAMD`).
    pub uploads: UploadConfig,
    /// How long this instance may answer the public Lists — a List page for anonymous readers, the
    /// search API, the body list — from memory without asking the database whether a newer edition
    /// or a new pending change exists (`SENIM_READ_TTL_MS`; `senim serve` sets 1 s). Zero, the
    /// default for tests and tools: ask at every request.
    pub read_ttl: std::time::Duration,
}

/// An SMTP connection URL; its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(pub String);

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        match (s.find("://"), s.rfind('@')) {
            (Some(i), Some(at)) if at > i => write!(f, "SmtpUrl({}://…@{})", &s[..i], &s[at + 1..]),
            _ => write!(f, "SmtpUrl({s})"),
        }
    }
}

/// A passphrase that never appears in logs or `Debug` output.
#[derive(Clone, Default)]
pub struct Passphrase(pub String);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// Settings of the intake (`senim serve --upload-max-pages`, `--clamd`).
#[derive(Debug, Clone)]
pub struct UploadConfig {
    pub max_pages: usize,
    /// The clamd to scan every upload with; none: no scan.
    pub clamd: Option<ClamdAddr>,
    /// The worker that reads PDFs (the intake check and the text layer).
    pub reader: senim_pdfread::PdfReader,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            max_pages: senim_pdfread::intake::MAX_PAGES,
            clamd: None,
            reader: senim_pdfread::PdfReader::locate(),
        }
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
