//! `senim serve`: the one command that runs the HTTP edge (`senim-web`); every other command uses
//! `senim-app` alone.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use senim_web::rate_limit::{IpNet, RateLimits};
use senim_web::{AppState, Config};

use crate::args::{DbArgs, MailArgs, UploadArgs, key_passphrase};

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
pub async fn serve(
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
    tracing::info!(reader = ?state.config.uploads.reader.program(), "uploaded PDFs are read by this worker");
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
