//! The server's side of the worker: one child process per file read, at most [`WORKERS`] at a time,
//! killed when its time is up. Whatever the child does — answers, crashes, aborts on memory, spins — the
//! server gets an answer in bounded time and memory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

use crate::intake::{self, PdfInfo, codes};
use crate::text::MAX_TEXT_BYTES;
use crate::worker::{Answer, PROTOCOL};

/// Workers running at once (each may use up to [`crate::worker::MEMORY_LIMIT`]).
pub const WORKERS: usize = 2;

/// Longest the intake check may take, waiting for a free worker included.
pub const INSPECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Longest reading the text layer may take, waiting for a free worker included.
pub const TEXT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest answer read back (text as JSON); the worker is killed past it.
const MAX_ANSWER: u64 = 2 * MAX_TEXT_BYTES as u64 + (1 << 20);

/// What the worker wrote on standard error, kept for the log when it failed.
const MAX_STDERR: u64 = 8 << 10;

/// How to run the worker, shared by every clone.
#[derive(Clone)]
pub struct PdfReader(Arc<Inner>);

struct Inner {
    /// None: no worker was found; every read fails as unavailable (and says why in the log).
    program: Option<PathBuf>,
    args: Vec<OsString>,
    permits: Semaphore,
    inspect_timeout: Duration,
    text_timeout: Duration,
}

impl std::fmt::Debug for PdfReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfReader").field("program", &self.0.program).field("args", &self.0.args).finish()
    }
}

impl Default for PdfReader {
    fn default() -> Self {
        Self::locate()
    }
}

/// Why the text layer was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFailure {
    /// The file itself: it does not parse, exceeds the limits, crashed or outlasted the reader. Keep it.
    Unreadable(String),
    /// No reader could run just now: ask again later, do not keep it.
    Unavailable(String),
}

/// How a run of the worker ended, other than with an answer.
#[derive(Debug)]
enum Failure {
    Unavailable(String),
    TimedOut,
    Crashed(String),
}

impl PdfReader {
    /// The worker of this installation: `SENIM_PDF_WORKER` (a program taking the worker's arguments),
    /// else `senim pdf-worker` when this program is `senim`, else a `senim-pdfread` beside this
    /// program or one directory up (test binaries live in `target/debug/deps/`).
    pub fn locate() -> Self {
        if let Some(p) = std::env::var_os("SENIM_PDF_WORKER") {
            return Self::command(p, Vec::<OsString>::new());
        }
        let Ok(exe) = std::env::current_exe() else { return Self::missing() };
        if exe.file_stem().is_some_and(|s| s == "senim") {
            return Self::command(&exe, ["pdf-worker"]);
        }
        let name = format!("senim-pdfread{}", std::env::consts::EXE_SUFFIX);
        let dirs = [exe.parent(), exe.parent().and_then(Path::parent)];
        match dirs.into_iter().flatten().map(|d| d.join(&name)).find(|p| p.is_file()) {
            Some(p) => Self::command(p, Vec::<OsString>::new()),
            None => Self::missing(),
        }
    }

    /// A worker run as `program args… v1 MODE…`.
    pub fn command<I, S>(program: impl AsRef<std::ffi::OsStr>, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        Self::build(Some(PathBuf::from(program.as_ref())), args.into_iter().map(Into::into).collect())
    }

    fn missing() -> Self {
        Self::build(None, Vec::new())
    }

    fn build(program: Option<PathBuf>, args: Vec<OsString>) -> Self {
        PdfReader(Arc::new(Inner {
            program,
            args,
            permits: Semaphore::new(WORKERS),
            inspect_timeout: INSPECT_TIMEOUT,
            text_timeout: TEXT_TIMEOUT,
        }))
    }

    /// The same worker with other time limits (tests of the limits themselves).
    pub fn with_timeouts(&self, inspect: Duration, text: Duration) -> Self {
        PdfReader(Arc::new(Inner {
            program: self.0.program.clone(),
            args: self.0.args.clone(),
            permits: Semaphore::new(WORKERS),
            inspect_timeout: inspect,
            text_timeout: text,
        }))
    }

    /// The program this reader runs, if one was found.
    pub fn program(&self) -> Option<&Path> {
        self.0.program.as_deref()
    }

    /// The intake check ([`intake::inspect`]) in a worker: `Ok`, or the `upload.*` code of the refusal.
    /// A worker that crashed or ran out of time refuses the file as too complex; none available: unavailable.
    pub async fn inspect(&self, bytes: &[u8], max_pages: usize) -> Result<PdfInfo, &'static str> {
        intake::check_size(bytes)?;
        let max = max_pages.to_string();
        match self.run(&["inspect", &max], bytes, self.0.inspect_timeout).await {
            Ok(Answer::Accepted { pages }) => Ok(PdfInfo { pages }),
            Ok(Answer::Refused { code }) => Err(codes::known(&code).unwrap_or(codes::MALFORMED)),
            Ok(other) => {
                tracing::error!(?other, "the PDF worker answered an intake check with something else");
                Err(codes::UNAVAILABLE)
            }
            Err(Failure::Unavailable(why)) => {
                tracing::error!(%why, size = bytes.len(), "upload refused: the PDF reader cannot be run");
                Err(codes::UNAVAILABLE)
            }
            Err(Failure::TimedOut) => {
                tracing::warn!(size = bytes.len(), "upload refused: reading it took longer than the limit");
                Err(codes::TOO_COMPLEX)
            }
            Err(Failure::Crashed(how)) => {
                tracing::warn!(%how, size = bytes.len(), "upload refused: the PDF reader failed on it");
                Err(codes::TOO_COMPLEX)
            }
        }
    }

    /// The text layer, page by page ([`crate::text::extract`]) in a worker.
    pub async fn text(&self, bytes: &[u8]) -> Result<Vec<String>, TextFailure> {
        match self.run(&["text"], bytes, self.0.text_timeout).await {
            Ok(Answer::Text { pages }) => Ok(pages),
            Ok(Answer::Unreadable { reason }) => Err(TextFailure::Unreadable(reason)),
            Ok(other) => {
                tracing::error!(?other, "the PDF worker answered a text request with something else");
                Err(TextFailure::Unavailable("the PDF reader answered something else".into()))
            }
            Err(Failure::Unavailable(why)) => {
                tracing::error!(%why, "the text of a document cannot be read: the PDF reader cannot be run");
                Err(TextFailure::Unavailable(why))
            }
            Err(Failure::TimedOut) => Err(TextFailure::Unreadable(format!(
                "reading the text took longer than {} s",
                self.0.text_timeout.as_secs()
            ))),
            Err(Failure::Crashed(how)) => {
                tracing::warn!(%how, "the PDF reader failed on a document's text");
                Err(TextFailure::Unreadable("the PDF reader failed on this file".into()))
            }
        }
    }

    async fn run(&self, mode: &[&str], input: &[u8], limit: Duration) -> Result<Answer, Failure> {
        let Some(program) = &self.0.program else {
            return Err(Failure::Unavailable(
                "no PDF reader was found (senim pdf-worker, senim-pdfread, or SENIM_PDF_WORKER)".into(),
            ));
        };
        let started = tokio::time::Instant::now();
        let permit = match tokio::time::timeout(limit, self.0.permits.acquire()).await {
            Ok(Ok(p)) => p,
            _ => return Err(Failure::Unavailable("every PDF reader stayed busy".into())),
        };
        let mut child = tokio::process::Command::new(program)
            .args(&self.0.args)
            .arg(PROTOCOL)
            .args(mode)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| Failure::Unavailable(format!("{}: {e}", program.display())))?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(Failure::Unavailable("the PDF reader's pipes were not opened".into()));
        };
        let exchange = async {
            let write = async move {
                // A worker that stops reading early (it refused the file) closes the pipe: not an error.
                let _ = stdin.write_all(input).await;
            };
            let (_, out, err) = tokio::join!(write, read_capped(stdout, MAX_ANSWER), read_capped(stderr, MAX_STDERR));
            (out, err, child.wait().await)
        };
        let remaining = limit.saturating_sub(started.elapsed());
        let ended = tokio::time::timeout(remaining, exchange).await;
        let result = match ended {
            Err(_) => {
                let _ = child.start_kill();
                let _ = child.wait().await;
                Err(Failure::TimedOut)
            }
            Ok((out, err, status)) => {
                let status = status.map_err(|e| Failure::Crashed(format!("waiting for it: {e}")))?;
                let stderr = String::from_utf8_lossy(&err).trim().to_owned();
                match (status.success(), out.len() as u64 <= MAX_ANSWER) {
                    (true, true) => serde_json::from_slice::<Answer>(&out)
                        .map_err(|e| Failure::Crashed(format!("its answer does not read: {e}; {stderr}"))),
                    (true, false) => Err(Failure::Crashed("its answer was longer than the limit".into())),
                    (false, _) => Err(Failure::Crashed(format!("{status}; {stderr}"))),
                }
            }
        };
        drop(permit);
        result
    }
}

/// Up to `cap + 1` bytes of a pipe; the pipe is closed when this returns, so a worker writing more is
/// stopped by the broken pipe instead of waiting for a reader.
async fn read_capped<R: AsyncRead + Unpin>(pipe: R, cap: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = pipe.take(cap + 1).read_to_end(&mut buf).await;
    buf
}
