//! `senim serve`: the one command that runs the HTTP edge (`senim-web`); every other command uses
//! `senim-app` alone.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use senim_web::rate_limit::{IpNet, RateLimits};
use senim_web::{AppState, Config};

use crate::args::{DbArgs, UploadArgs, key_passphrase};

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

/// What `senim serve` takes.
#[derive(Args, Clone)]
pub struct ServeArgs {
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
}

/// `senim serve`.
pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let ServeArgs { db, listen, demo, secure_cookies, public_url, mail, limits, read_ttl_ms } = args;
    let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
    let read_ttl = std::time::Duration::from_millis(read_ttl_ms);
    let config = Config {
        secure_cookies,
        app: senim_app::Config { demo, public_url, read_ttl, ..Default::default() },
        ..Default::default()
    };
    serve(db, &listen, config, mail, limits).await
}

/// Requests per minute (0: no limit) and the proxies believed (see `senim_web::rate_limit`).
#[derive(Args, Clone)]
pub struct LimitArgs {
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
        config.app.uploads = senim_app::services::uploads::UploadConfig {
            max_pages: self.uploads.upload_max_pages,
            clamd: self.uploads.clamd,
            ..Default::default()
        };
        if let Some(clamd) = &config.app.uploads.clamd {
            tracing::info!(%clamd, "uploads are scanned for malware by clamd");
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
    let demo = config.app.demo;
    config.app.key_passphrase = key_passphrase();
    // Environment only, like the passphrase: not in the process list.
    config.metrics_token = std::env::var("SENIM_METRICS_TOKEN").ok().filter(|t| !t.is_empty());
    mail.apply(&mut config.app);
    limits.apply(&mut config);
    let state = AppState::load(store.clone(), config).await?;
    match state.config.uploads.reader.program() {
        Some(program) => tracing::info!(reader = %program.display(), "uploaded PDFs are read by this worker"),
        None => {
            tracing::error!("no PDF worker found (senim pdf-worker, or SENIM_PDF_WORKER): every upload will be refused")
        }
    }
    let loaded = senim_app::services::demo::ensure_bodies(&state).await?;
    if loaded > 0 {
        tracing::info!(bodies = loaded, "loaded the state bodies");
    }
    if demo {
        match senim_app::services::demo::load(&state).await? {
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
    senim_app::services::publication::signing_key(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    println!("Senim is serving on http://{}", listener.local_addr()?);
    let mail_worker = senim_app::services::mailer::spawn(&state)?;
    let reminders = senim_app::services::reminders::spawn(&state);
    // Scheduled publication (Rules §7 helper); each day's run is claimed in the database.
    let scheduler = senim_app::services::schedule::spawn(&state);
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

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
