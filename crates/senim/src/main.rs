//! `senim`: the registry of Kazakhstan's Lists of trusted high-risk AI systems.
//!
//! Environment variables (each also a flag; see `senim --help`):
//! - `SENIM_DATA_DIR` — where the embedded SQLite database lives (default `./senim-data`);
//! - `SENIM_DATABASE_URL` — `sqlite://…` or `postgres://…`; overrides the data directory;
//! - `SENIM_LISTEN` — address to serve on (default `127.0.0.1:8080`);
//! - `SENIM_SECURE_COOKIES` — `true` behind TLS;
//! - `SENIM_SMTP_URL`, `SENIM_MAIL_FROM` — e-mail delivery ([`MailArgs`]);
//! - `SENIM_RATE_*`, `SENIM_TRUSTED_PROXIES` — rate limits and the proxies believed ([`LimitArgs`]);
//! - `SENIM_KEYS` — `senim verify`'s key list: a file or a server URL;
//! - `SENIM_METRICS_TOKEN` — bearer token that opens `/metrics` beyond loopback (environment only);
//! - `RUST_LOG` — log filter (default `info`); `SENIM_LOG_JSON=true` for JSON logs.

mod verify;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use jiff::civil::Date;
use senim_domain::calendar::{Calendar, WorkingDays};
use senim_domain::lang::Lang;
use senim_domain::role::Role;
use senim_store::Store;
use senim_store::audit::{self, ChainCheck};
use senim_web::rate_limit::{IpNet, RateLimits};
use senim_web::{AppState, Config};

#[derive(Parser)]
#[command(name = "senim", version, about = "Lists of trusted high-risk AI systems (Rules, Order No. 196/НҚ)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// Directory of the embedded SQLite database.
    #[arg(long, env = "SENIM_DATA_DIR", default_value = "senim-data", global = true)]
    data_dir: PathBuf,
    /// Database URL (`sqlite://PATH` or `postgres://…`); overrides --data-dir.
    #[arg(long, env = "SENIM_DATABASE_URL", global = true)]
    database_url: Option<String>,
}

/// A one-line progress bar on standard error: `stage [#####.....] done/total`.
fn progress_bar(done: usize, total: usize, stage: &str) {
    use std::io::Write;
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r{stage:<12} [{}{}] {done}/{total}", "#".repeat(filled), ".".repeat(width - filled));
    let _ = err.flush();
}

impl DbArgs {
    async fn open(&self) -> anyhow::Result<Store> {
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

/// E-mail delivery from the outbox (see `senim_web::services::mailer`).
#[derive(Args, Clone)]
struct MailArgs {
    /// SMTP server: `smtp://host:25`, `smtp://host:587?tls=required`, `smtps://user:pass@host:465`.
    /// Unset: with --demo, e-mail is kept in the demo mailbox (/admin/mail); otherwise it stays queued.
    #[arg(long, env = "SENIM_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The From of every e-mail.
    #[arg(long, env = "SENIM_MAIL_FROM", default_value = senim_web::services::mailer::DEFAULT_FROM)]
    mail_from: String,
}

impl MailArgs {
    fn apply(self, config: &mut Config) {
        config.smtp_url = self.smtp_url.filter(|u| !u.is_empty()).map(senim_web::services::mailer::SmtpUrl);
        config.mail_from = Some(self.mail_from);
    }
}

/// Requests per minute (0: no limit) and the proxies believed (see `senim_web::rate_limit`).
#[derive(Args, Clone)]
struct LimitArgs {
    /// `POST /signin` per client IP.
    #[arg(long, env = "SENIM_RATE_SIGNIN", default_value_t = RateLimits::default().signin_per_ip)]
    rate_signin: u32,
    /// `POST /signin` per e-mail address tried.
    #[arg(long, env = "SENIM_RATE_SIGNIN_EMAIL", default_value_t = RateLimits::default().signin_per_email)]
    rate_signin_email: u32,
    /// `POST /register`, `/password/forgot`, `/confirm/resend` per client IP.
    #[arg(long, env = "SENIM_RATE_ACCOUNT", default_value_t = RateLimits::default().account_per_ip)]
    rate_account: u32,
    /// Attachment uploads (pages and API) per client IP.
    #[arg(long, env = "SENIM_RATE_UPLOAD", default_value_t = RateLimits::default().upload_per_ip)]
    rate_upload: u32,
    /// API writes per bearer token.
    #[arg(long, env = "SENIM_RATE_API_WRITE", default_value_t = RateLimits::default().api_write_per_token)]
    rate_api_write: u32,
    /// Error reports on published entries (pages and API) per client IP.
    #[arg(long, env = "SENIM_RATE_REPORT", default_value_t = RateLimits::default().report_per_ip)]
    rate_report: u32,
    /// Reverse proxies whose X-Forwarded-For names the client: addresses or CIDR ranges, comma-separated.
    #[arg(long, env = "SENIM_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<IpNet>,
    #[command(flatten)]
    uploads: UploadArgs,
}

/// The intake of uploaded documents (see `senim_web::services::uploads`).
#[derive(Args, Clone)]
struct UploadArgs {
    /// The most pages an uploaded PDF may have.
    #[arg(long, env = "SENIM_UPLOAD_MAX_PAGES", default_value_t = senim_web::services::uploads::MAX_PAGES)]
    upload_max_pages: usize,
    /// Scan every upload with clamd (INSTREAM) at this Unix socket path or host:port. Unset: no scan.
    /// When set and clamd cannot be reached, uploads are refused ("try again later").
    #[arg(long, env = "SENIM_CLAMD")]
    clamd: Option<senim_web::services::uploads::ClamdAddr>,
}

impl LimitArgs {
    fn apply(self, config: &mut Config) {
        config.rate_limits = Some(RateLimits {
            signin_per_ip: self.rate_signin,
            signin_per_email: self.rate_signin_email,
            account_per_ip: self.rate_account,
            upload_per_ip: self.rate_upload,
            api_write_per_token: self.rate_api_write,
            report_per_ip: self.rate_report,
        });
        config.trusted_proxies = self.trusted_proxies;
        config.uploads = senim_web::services::uploads::UploadConfig {
            max_pages: self.uploads.upload_max_pages,
            clamd: self.uploads.clamd,
            ..Default::default()
        };
        if let Some(clamd) = &config.uploads.clamd {
            tracing::info!(%clamd, "uploads are scanned for malware by clamd");
        }
    }
}

#[derive(Subcommand)]
enum Command {
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
    Verify(verify::VerifyArgs),
}

#[derive(Subcommand)]
enum AdminCommand {
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
enum CalendarCommand {
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
enum AuditCommand {
    /// Check the audit log's hash chain; exit 1 naming the first broken record.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Logs go to standard error through a writer thread, so that a request never waits for the write
/// of its log line (one INFO line per request); none is dropped: a full buffer makes the logger wait.
/// Standard output is left to what a command answers (a token, "edition 1 published"), which scripts
/// read: the writer thread would otherwise interleave log lines with it in any order.
/// The writer thread writes what is queued through a buffer and flushes it whenever the queue is
/// empty: under load one `write` carries many lines instead of one each (a 90 KB page at 30,000 per
/// second paid 3% of its time in those writes), and a quiet server's lines still appear at once.
/// Colours only on a terminal. The guard flushes what is left when `main` returns.
fn init_logging() -> tracing_appender::non_blocking::WorkerGuard {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    let fmt = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    if std::env::var("SENIM_LOG_JSON").is_ok_and(|v| v == "true") {
        fmt.json().init();
    } else {
        fmt.with_ansi(std::io::stderr().is_terminal()).init();
    }
    guard
}

/// mimalloc rather than glibc's malloc: publishing 100,000 entries allocates from several threads, and
/// glibc kept freed memory in per-thread arenas (peak 5.7 GB against 3.8 GB for the same code with
/// mimalloc; docs/architecture.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `senim pdf-worker …`: the child process that reads one uploaded PDF within its own resource
    // limits (senim_pdfread::worker). Dispatched before logging and the runtime start: it needs neither.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("pdf-worker") {
        return senim_pdfread::worker::main(&args[2..]);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async_main())
}

async fn async_main() -> ExitCode {
    let _logs = init_logging();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { db, listen, demo, secure_cookies, public_url, mail, limits, read_ttl_ms } => {
            let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
            let read_ttl = std::time::Duration::from_millis(read_ttl_ms);
            let config = Config { secure_cookies, demo, public_url, read_ttl, ..Config::default() };
            serve(db, &listen, config, mail, limits).await
        }
        Command::Seed { db, body, entries } => {
            let store = db.open().await?;
            let config = Config { key_passphrase: key_passphrase(), ..Config::default() };
            let state = AppState::load(store.clone(), config).await?;
            let started = std::time::Instant::now();
            let seeded = senim_web::services::seed::seed(&state, &body, entries, &progress_bar).await?;
            eprintln!();
            println!(
                "{entries} entries added to {body}; edition {} published in {:.2} s (total {:.1} s)",
                seeded.edition,
                seeded.publish_secs,
                started.elapsed().as_secs_f64()
            );
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { db, file } => {
            let store = db.open().await?;
            let partial = file.with_extension("partial");
            let out = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
            let mut out = std::io::BufWriter::new(out);
            let summary = senim_store::backup::dump(&store, &mut out).await?;
            let out = out.into_inner().map_err(|e| anyhow::anyhow!("writing {}: {e}", partial.display()))?;
            out.sync_all()?;
            std::fs::rename(&partial, &file).with_context(|| format!("renaming to {}", file.display()))?;
            let size = std::fs::metadata(&file)?.len();
            println!(
                "backup of {}: {} tables, {} rows, written to {} ({:.1} MB)",
                summary.dialect,
                summary.tables.len(),
                summary.rows(),
                file.display(),
                size as f64 / 1e6
            );
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { db, file } => {
            let store = db.open().await?;
            let input = std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?;
            let summary = senim_store::backup::restore(&store, std::io::BufReader::new(input)).await?;
            match audit::verify(&store).await? {
                ChainCheck::Intact { records } => println!(
                    "restored into {}: {} tables, {} rows; audit log intact ({records} records)",
                    summary.dialect,
                    summary.tables.len(),
                    summary.rows()
                ),
                ChainCheck::Broken { seq, reason } => bail!("restored, but the audit log is broken at {seq}: {reason}"),
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { db } => {
            let store = db.open().await?;
            println!("database {} is up to date", store.dialect());
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin { command } => admin(command).await,
        Command::Calendar { command } => calendar(command).await,
        Command::Verify(args) => tokio::task::spawn_blocking(move || verify::run(&args)).await?,
        Command::Audit { command: AuditCommand::Verify { db } } => {
            let store = db.open().await?;
            match audit::verify(&store).await? {
                ChainCheck::Intact { records } => {
                    println!("audit log intact: {records} records");
                    Ok(ExitCode::SUCCESS)
                }
                ChainCheck::Broken { seq, reason } => {
                    println!("audit log broken at record {seq}: {reason}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// `config` holds what the command line set directly (cookies, demo, public URL, read TTL).
async fn serve(
    db: DbArgs,
    listen: &str,
    mut config: Config,
    mail: MailArgs,
    limits: LimitArgs,
) -> anyhow::Result<ExitCode> {
    let store = db.open().await?;
    let demo = config.demo;
    config.key_passphrase = key_passphrase();
    // Environment only, like the passphrase: not in the process list.
    config.metrics_token = std::env::var("SENIM_METRICS_TOKEN").ok().filter(|t| !t.is_empty());
    mail.apply(&mut config);
    limits.apply(&mut config);
    let state = AppState::load(store.clone(), config).await?;
    let loaded = senim_web::services::demo::ensure_bodies(&state).await?;
    if loaded > 0 {
        tracing::info!(bodies = loaded, "loaded the state bodies");
    }
    if demo {
        match senim_web::services::demo::load(&state).await? {
            Some(accounts) => {
                println!("Demo accounts (passwords shown once):");
                for a in accounts {
                    let body = a.body.map(|b| format!(" [{b}]")).unwrap_or_default();
                    println!("  {:<11} {:<28} {}{}", a.role.code(), a.email, a.password, body);
                }
            }
            None => println!("Demo: the database already has users; nothing loaded."),
        }
    }
    senim_web::services::publication::signing_key(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    println!("Senim is serving on http://{}", listener.local_addr()?);
    let mail_worker = senim_web::services::mailer::spawn(&state)?;
    let reminders = senim_web::services::reminders::spawn(&state);
    // Scheduled publication (Rules §7 helper); each day's run is claimed in the database.
    let scheduler = senim_web::services::schedule::spawn(&state);
    // Another instance sharing the database may change the working-day calendar: read it every minute.
    let calendar_state = state.clone();
    let calendar_reload = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            if let Err(e) = calendar_state.reload_calendar().await {
                tracing::warn!(error = %e, "reloading the working-day calendar failed; will retry");
            }
        }
    });
    let app = senim_web::app(state);
    // The peer address is the rate limits' client key (see senim_web::rate_limit).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    reminders.stop().await;
    mail_worker.stop().await;
    scheduler.stop().await;
    calendar_reload.abort();
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `SENIM_KEY_PASSPHRASE`: seals new signing keys at rest. Read from the environment only, never a
/// flag, so that it does not show in the process list.
fn key_passphrase() -> Option<senim_web::services::key_vault::Passphrase> {
    std::env::var("SENIM_KEY_PASSPHRASE").ok().filter(|p| !p.is_empty()).map(senim_web::services::key_vault::Passphrase)
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

async fn admin(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser { db, email, role, body, name, password_stdin: _ } => {
            let role = Role::parse(&role).with_context(|| format!("unknown role `{role}`"))?;
            if role.needs_body() != body.is_some() {
                bail!("--body is required for reviewer, publisher and body_admin, and only for them");
            }
            if !senim_domain::application::is_email(&email) {
                bail!("`{email}` is not an e-mail address");
            }
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            if password.chars().count() < 10 {
                bail!("the password must have at least 10 characters");
            }
            let store = db.open().await?;
            let state = AppState::load(store.clone(), Config::default()).await?;
            senim_web::services::demo::ensure_bodies(&state).await?;
            if let Some(b) = &body
                && senim_store::bodies::get(&store, b).await?.is_none()
            {
                bail!("unknown body `{b}`");
            }
            let hash = senim_web::auth::hash_password_blocking(password).await?;
            let mut tx = store.begin().await?;
            let name = name.unwrap_or_else(|| email.clone());
            let user = senim_store::users::create(
                &mut tx,
                senim_store::users::NewUser {
                    email: &email,
                    name: &name,
                    password_hash: &hash,
                    role,
                    body_code: body.as_deref(),
                },
            )
            .await?;
            audit::append(&mut tx, "cli", "user.create", &user.id, &serde_json::json!({"role": role.code()})).await?;
            tx.commit().await?;
            println!("created {} ({})", user.email, role.code());
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::CreateToken { db, email } => {
            let store = db.open().await?;
            let user =
                senim_store::users::by_email(&store, &email).await?.with_context(|| format!("no user `{email}`"))?;
            let token = senim_web::auth::new_token()?;
            let mut tx = store.begin().await?;
            senim_store::users::create_token(&mut tx, &user.id, &senim_web::auth::token_digest(&token), "cli").await?;
            audit::append(&mut tx, "cli", "token.create", &user.id, &serde_json::json!({})).await?;
            tx.commit().await?;
            println!("token for {} ({}):", user.email, user.role.code());
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn calendar(command: CalendarCommand) -> anyhow::Result<ExitCode> {
    match command {
        CalendarCommand::Due { db, received, working_days } => {
            let received: Date = received.parse().with_context(|| format!("`{received}` is not a YYYY-MM-DD date"))?;
            let n = WorkingDays::new(working_days).map_err(|e| anyhow::anyhow!("{e}"))?;
            let cal = load_calendar(&db).await?;
            let registered = cal.registration_day(received)?;
            let due = cal.due_date(received, n)?;
            println!("received {received}, registered {registered}, + {} working days", n.get());
            println!("{due}");
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Set { db, file, by } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let year = senim_domain::calendar::YearCalendar::from_toml(&text)?;
            year.validate()?;
            let store = db.open().await?;
            let mut tx = store.begin().await?;
            senim_store::calendar::save_year(&mut tx, &year, &by).await?;
            let detail =
                serde_json::json!({"working_days": year.working_days_count(), "provisional": year.provisional});
            audit::append(&mut tx, &by, "calendar.set", &year.year.to_string(), &detail).await?;
            tx.commit().await?;
            println!("calendar {} saved: {} working days", year.year, year.working_days_count());
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Show { db, year, lang } => {
            let lang = Lang::parse(&lang).unwrap_or(Lang::Kk);
            let cal = load_calendar(&db).await?;
            let y = cal.year(year).with_context(|| format!("no calendar data for {year}"))?;
            println!(
                "{year}{}: {} working days",
                if y.provisional { " (provisional)" } else { "" },
                y.working_days_count()
            );
            for d in &y.days {
                println!("{} {} {:?} {}", d.date, d.date.strftime("%a"), d.kind, d.name.best(lang));
            }
            for s in &y.sources {
                println!("source: {s}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The calendar with overrides when a database is reachable; the shipped one otherwise.
async fn load_calendar(db: &DbArgs) -> anyhow::Result<Calendar> {
    let store = db.open().await?;
    Ok(senim_store::calendar::load(&store).await?)
}
