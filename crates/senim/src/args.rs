//! Arguments several commands share: the database, e-mail, uploads; the key passphrase; progress.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use senim_store::Store;

#[derive(Args, Clone)]
pub struct DbArgs {
    /// Directory of the embedded SQLite database.
    #[arg(long, env = "SENIM_DATA_DIR", default_value = "senim-data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL (`sqlite://PATH` or `postgres://…`); overrides --data-dir.
    #[arg(long, env = "SENIM_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

/// A one-line progress bar on standard error: `stage [#####.....] done/total`.
pub fn progress_bar(done: usize, total: usize, stage: &str) {
    use std::io::Write;
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r{stage:<12} [{}{}] {done}/{total}", "#".repeat(filled), ".".repeat(width - filled));
    let _ = err.flush();
}

impl DbArgs {
    pub async fn open(&self) -> anyhow::Result<Store> {
        let url = match &self.database_url {
            Some(u) => u.clone(),
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .with_context(|| format!("creating {}", self.data_dir.display()))?;
                format!("sqlite://{}", self.data_dir.join("senim.db").display())
            }
        };
        let store = Store::connect(&url).await.with_context(|| format!("opening the database {}", redact(&url)))?;
        store.migrate().await.context("migrating the database")?;
        Ok(store)
    }
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_owned(),
    }
}

/// The intake of uploaded documents (see `senim_app::services::uploads`).
#[derive(Args, Clone)]
pub struct UploadArgs {
    /// The most pages an uploaded PDF may have.
    #[arg(long, env = "SENIM_UPLOAD_MAX_PAGES", default_value_t = senim_app::services::uploads::MAX_PAGES)]
    pub upload_max_pages: usize,
    /// Scan every upload with clamd (INSTREAM) at this Unix socket path or host:port. Unset: no scan.
    /// When set and clamd cannot be reached, uploads are refused ("try again later").
    #[arg(long, env = "SENIM_CLAMD")]
    pub clamd: Option<senim_app::services::uploads::ClamdAddr>,
}

/// `SENIM_KEY_PASSPHRASE`: seals new signing keys at rest. Read from the environment only, never a
/// flag, so that it does not show in the process list.
pub fn key_passphrase() -> Option<senim_app::services::key_vault::Passphrase> {
    std::env::var("SENIM_KEY_PASSPHRASE").ok().filter(|p| !p.is_empty()).map(senim_app::services::key_vault::Passphrase)
}
