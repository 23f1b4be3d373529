//! The command line: what each command takes (flags and their environment variables).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use senim_store::Store;

use crate::serve::LimitArgs;

#[derive(Parser)]
#[command(name = "senim", version, about = "Lists of trusted high-risk AI systems (Rules, Order No. 196/НҚ)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

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

/// E-mail delivery from the outbox (see `senim_app::services::mailer`).
#[derive(Args, Clone)]
pub struct MailArgs {
    /// SMTP server: `smtp://host:25`, `smtp://host:587?tls=required`, `smtps://user:pass@host:465`.
    /// Unset: with --demo, e-mail is kept in the demo mailbox (/admin/mail); otherwise it stays queued.
    #[arg(long, env = "SENIM_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From of every e-mail.
    #[arg(long, env = "SENIM_MAIL_FROM", default_value = senim_app::services::mailer::DEFAULT_FROM)]
    pub mail_from: String,
}

impl MailArgs {
    pub fn apply(self, config: &mut senim_app::Config) {
        config.smtp_url = self.smtp_url.filter(|u| !u.is_empty()).map(senim_app::services::mailer::SmtpUrl);
        config.mail_from = Some(self.mail_from);
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

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web UI and the API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on.
        #[arg(long, env = "SENIM_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// On an empty database, load demo bodies, accounts, applications and an edition.
        #[arg(long)]
        demo: bool,
        /// Mark session cookies Secure (behind TLS).
        #[arg(long, env = "SENIM_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The address users reach the site at, for links in e-mails (e.g. https://senim.gov.kz);
        /// default: http://LISTEN.
        #[arg(long, env = "SENIM_PUBLIC_URL")]
        public_url: Option<String>,
        #[command(flatten)]
        mail: MailArgs,
        #[command(flatten)]
        limits: LimitArgs,
        /// How long (ms) the public Lists may be answered from memory before asking the database
        /// again whether a newer edition or pending change exists: a change made on another instance
        /// shows within this time. 0: ask at every request.
        #[arg(long, env = "SENIM_READ_TTL_MS", default_value_t = 1000)]
        read_ttl_ms: u64,
    },
    /// Fill a body's List with N realistic included applications and publish an edition (for
    /// benchmarks and demos of scale).
    Seed {
        #[command(flatten)]
        db: DbArgs,
        /// The body, e.g. `health`.
        #[arg(long)]
        body: String,
        /// How many entries to add.
        #[arg(long)]
        entries: usize,
    },
    /// Write a consistent backup of the whole database (records, files, editions, keys, audit log)
    /// to FILE while the server runs.
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Where to write the backup (gzip-compressed JSON lines); written to FILE.partial, then renamed.
        file: PathBuf,
    },
    /// Restore a backup into a new, empty database (SQLite or PostgreSQL) at the same schema version.
    Restore {
        #[command(flatten)]
        db: DbArgs,
        /// The backup made by `senim backup`.
        file: PathBuf,
    },
    /// Create or update the database schema.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Accounts and tokens.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The working-day calendar of the Rules' deadlines.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Check downloaded edition files (artifacts, manifests, N.json) against the published keys;
    /// no database needed. Exit 0: all authentic; 1: any not.
    Verify(crate::verify::VerifyArgs),
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a user; the password is read from standard input.
    CreateUser {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        /// applicant, reviewer, publisher, body_admin, admin or observer.
        #[arg(long)]
        role: String,
        /// The body's code; required for reviewer, publisher and body_admin.
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Create an API token for a user; prints it as the last line.
    CreateToken {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the due date of a period of working days (last line: YYYY-MM-DD).
    Due {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        received: String,
        #[arg(long)]
        working_days: u16,
    },
    /// Replace a year's calendar with an administrator's TOML file (same format as the shipped
    /// `crates/senim-domain/calendar/YEAR.toml`); validated, stored, and recorded in the audit log.
    Set {
        #[command(flatten)]
        db: DbArgs,
        /// The year's TOML file.
        #[arg(long)]
        file: PathBuf,
        /// Who makes the change (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// List a year's non-working weekdays and worked weekend days, with their names.
    Show {
        #[command(flatten)]
        db: DbArgs,
        year: i16,
        #[arg(long, default_value = "kk")]
        lang: String,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exit 1 naming the first broken record.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `SENIM_KEY_PASSPHRASE`: seals new signing keys at rest. Read from the environment only, never a
/// flag, so that it does not show in the process list.
pub fn key_passphrase() -> Option<senim_app::services::key_vault::Passphrase> {
    std::env::var("SENIM_KEY_PASSPHRASE").ok().filter(|p| !p.is_empty()).map(senim_app::services::key_vault::Passphrase)
}
