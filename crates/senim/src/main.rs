//! `senim`: the registry of Kazakhstan's Lists of trusted high-risk AI systems.
//!
//! Environment variables (each also a flag; see `senim --help`):
//! - `SENIM_DATA_DIR` — where the embedded SQLite database lives (default `./senim-data`);
//! - `SENIM_DATABASE_URL` — `sqlite://…` or `postgres://…`; overrides the data directory;
//! - `SENIM_LISTEN` — address to serve on (default `127.0.0.1:8080`);
//! - `SENIM_SECURE_COOKIES` — `true` behind TLS;
//! - `SENIM_SMTP_URL`, `SENIM_MAIL_FROM` — e-mail delivery (`serve::MailArgs`);
//! - `SENIM_RATE_*`, `SENIM_TRUSTED_PROXIES` — rate limits and the proxies believed (`serve::LimitArgs`);
//! - `SENIM_KEYS` — `senim verify`'s key list: a file or a server URL;
//! - `SENIM_METRICS_TOKEN` — bearer token that opens `/metrics` beyond loopback (environment only);
//! - `RUST_LOG` — log filter (default `info`); `SENIM_LOG_JSON=true` for JSON logs.

mod admin;
mod args;
mod cli;
#[cfg(feature = "serve")]
mod serve;
mod verify;

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use senim_store::audit::{self, ChainCheck};

use args::{key_passphrase, progress_bar};
use cli::{AuditCommand, Cli, Command};

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
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args).await,
        Command::Seed { db, body, entries } => {
            let store = db.open().await?;
            let config = senim_app::Config { key_passphrase: key_passphrase(), ..Default::default() };
            let state = senim_app::AppState::load(store.clone(), config).await?;
            let started = std::time::Instant::now();
            let seeded = senim_app::services::seed::seed(&state, &body, entries, &progress_bar).await?;
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
        Command::Admin { command } => admin::admin(command).await,
        Command::Calendar { command } => admin::calendar(command).await,
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
