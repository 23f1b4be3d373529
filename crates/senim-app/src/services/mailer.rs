//! The outbox's delivery worker: claims a due message, sends it, records the outcome.
//!
//! Settings (read by `senim serve`, see its `--help`):
//! - `SENIM_SMTP_URL` — `smtp://host:25`, `smtp://host:587?tls=required`, `smtps://user:pass@host:465`
//!   (lettre's connection URLs). Unset: in demo mode messages are kept in the outbox as the "demo
//!   mailbox" that the administrator reads at `/admin/mail`; otherwise they stay queued and a warning
//!   is logged at start.
//! - `SENIM_MAIL_FROM` — the From of every message (default [`DEFAULT_FROM`]).
//!
//! Every instance of `senim serve` runs a worker. [`outbox::claim`] leases a message (`FOR UPDATE SKIP
//! LOCKED` on PostgreSQL), so several instances never send one message twice; a worker that dies
//! mid-send leaves a lease that expires, and the message is sent again (at least once, never twice at once).

use std::future::Future;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use senim_store::outbox::reschedule;
use senim_store::outbox::{self, Mail};
pub use senim_store::outbox::{NEVER, OutboxRow, get, page};
use senim_store::{Result, Store};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use crate::config::SmtpUrl;
use crate::{AppState, Config};

pub const DEFAULT_FROM: &str = "Senim <noreply@senim.localhost>";

/// How long a claimed message is reserved for its sender: longer than an SMTP exchange can take
/// ([`SMTP_TIMEOUT`]), so that a slow send is never repeated by another instance.
const LEASE_SECS: i64 = 600;
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);

/// Where this instance's mail goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailMode {
    Smtp(SmtpUrl),
    /// Demo without SMTP: messages count as delivered to the demo mailbox (the outbox itself).
    DemoMailbox,
    /// No SMTP and not a demo: messages wait in the outbox.
    Queued,
}

impl MailMode {
    pub fn of(config: &Config) -> MailMode {
        match (&config.smtp_url, config.demo) {
            (Some(url), _) => MailMode::Smtp(url.clone()),
            (None, true) => MailMode::DemoMailbox,
            (None, false) => MailMode::Queued,
        }
    }
}

/// Hands one message on. Implemented by SMTP, by the demo mailbox, and by test stubs.
pub trait Deliver: Send + Sync + 'static {
    /// `Err` carries the text recorded as the message's `last_error`.
    fn deliver(&self, message: Message) -> impl Future<Output = Result<(), String>> + Send;
}

/// SMTP through lettre.
#[derive(Clone)]
pub struct Smtp(AsyncSmtpTransport<Tokio1Executor>);

impl Smtp {
    pub fn from_url(url: &SmtpUrl) -> anyhow::Result<Smtp> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
            .map_err(|e| anyhow::anyhow!("SENIM_SMTP_URL {url:?}: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Smtp(transport))
    }
}

impl Deliver for Smtp {
    async fn deliver(&self, message: Message) -> Result<(), String> {
        self.0.send(message).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
    }
}

/// The demo mailbox: nothing leaves the machine; the outbox row is the delivered message.
#[derive(Clone, Copy)]
pub struct DemoMailbox;

impl Deliver for DemoMailbox {
    async fn deliver(&self, _message: Message) -> Result<(), String> {
        Ok(())
    }
}

/// When to try again after a failure: `base`, doubling each attempt up to `cap`; after `max_attempts`
/// the message is given up (left with its last error for the administrator).
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub base_secs: i64,
    pub cap_secs: i64,
    pub max_attempts: i64,
}

impl Default for Retry {
    /// 1, 2, 4 … minutes, at most an hour between tries; 12 tries span about six hours.
    fn default() -> Self {
        Retry { base_secs: 60, cap_secs: 3600, max_attempts: 12 }
    }
}

impl Retry {
    /// The wait after the `attempt`-th failed try (1-based).
    pub fn wait_secs(&self, attempt: i64) -> i64 {
        let doublings = (attempt - 1).clamp(0, 30) as u32;
        self.base_secs.saturating_mul(1_i64 << doublings).min(self.cap_secs)
    }
}

/// What one pass over the due messages did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
    pub given_up: usize,
}

pub struct Worker<T> {
    store: Store,
    transport: T,
    from: Mailbox,
    retry: Retry,
}

impl<T: Deliver> Worker<T> {
    pub fn new(store: Store, transport: T, from: Mailbox) -> Self {
        Worker { store, transport, from, retry: Retry::default() }
    }

    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Sends every message due now, one at a time, until none is left (or `stop` is raised between
    /// two messages: a send in progress is finished and recorded first).
    pub async fn deliver_due(&self, stop: Option<&watch::Receiver<bool>>) -> Result<Pass> {
        let mut pass = Pass::default();
        while !stop.is_some_and(|s| *s.borrow()) {
            let Some(mail) = outbox::claim(&self.store, LEASE_SECS).await? else { break };
            // `claim` counted this try; the row it returned shows the count before.
            let attempt = mail.attempts + 1;
            // Err((text, permanent)): a transport failure may pass; an address that cannot be written
            // into a message never will, so that one is given up at once.
            let outcome: Result<(), (String, bool)> = match self.message(&mail) {
                Ok(message) => self.transport.deliver(message).await.map_err(|e| (e, false)),
                Err(e) => Err((e, true)),
            };
            match outcome {
                Ok(()) => {
                    outbox::mark_sent(&self.store, &mail.id).await?;
                    pass.sent += 1;
                }
                Err((error, permanent)) if permanent || attempt >= self.retry.max_attempts => {
                    tracing::error!(mail = %mail.id, attempt, %error, "e-mail given up");
                    let error = format!("gave up after {attempt} attempts: {error}");
                    reschedule(&self.store, &mail.id, &error, NEVER).await?;
                    pass.given_up += 1;
                }
                Err((error, _)) => {
                    let wait = self.retry.wait_secs(attempt);
                    tracing::warn!(mail = %mail.id, attempt, wait_secs = wait, %error, "e-mail not delivered; will retry");
                    let next = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(wait);
                    reschedule(&self.store, &mail.id, &error, &senim_store::rfc3339(next)).await?;
                    pass.failed += 1;
                }
            }
        }
        Ok(pass)
    }

    /// Polls the outbox every `poll` until `stop` is raised.
    pub async fn run(self, poll: Duration, mut stop: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.deliver_due(Some(&stop)).await {
                tracing::error!(error = %e, "outbox");
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                // Raised, or the handle is gone (nobody could stop us later): either way, stop.
                _ = stop.wait_for(|s| *s) => break,
            }
        }
    }

    fn message(&self, mail: &Mail) -> Result<Message, String> {
        let to: Mailbox = mail.to_addr.parse().map_err(|e| format!("recipient address: {e}"))?;
        let domain = self.from.email.domain().to_owned();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            // lettre encodes a non-ASCII subject (RFC 2047) and picks a transfer encoding for the body.
            .subject(&mail.subject)
            // One id per outbox row: a receiver can tell a repeated delivery after a crash.
            .message_id(Some(format!("<{}@{domain}>", mail.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("message: {e}"))
    }
}

/// A running worker; [`MailerHandle::stop`] lets it finish the message in hand and waits for it.
pub struct MailerHandle {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MailerHandle {
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take()
            && tokio::time::timeout(SMTP_TIMEOUT + Duration::from_secs(5), task).await.is_err()
        {
            tracing::warn!("the e-mail worker did not stop in time");
        }
    }
}

/// Starts this instance's worker as the configuration says (`senim serve`).
pub fn spawn(state: &AppState) -> anyhow::Result<MailerHandle> {
    let from_text = state.config.mail_from.as_deref().unwrap_or(DEFAULT_FROM);
    let from: Mailbox = from_text.parse().map_err(|e| anyhow::anyhow!("SENIM_MAIL_FROM `{from_text}`: {e}"))?;
    let (stop, rx) = watch::channel(false);
    let store = state.store.clone();
    let poll = Duration::from_secs(1);
    let task = match MailMode::of(&state.config) {
        MailMode::Smtp(url) => {
            let smtp = Smtp::from_url(&url)?;
            tracing::info!(smtp = ?url, from = %from, "e-mail is delivered by SMTP");
            Some(tokio::spawn(Worker::new(store, smtp, from).run(poll, rx)))
        }
        MailMode::DemoMailbox => {
            tracing::info!("demo: e-mail is kept in the demo mailbox (/admin/mail), not sent");
            Some(tokio::spawn(Worker::new(store, DemoMailbox, from).run(poll, rx)))
        }
        MailMode::Queued => {
            tracing::warn!("SENIM_SMTP_URL is not set: e-mail is NOT delivered; messages stay queued in the outbox");
            None
        }
    };
    Ok(MailerHandle { stop, task })
}
