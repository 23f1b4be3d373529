//! The child process that reads one PDF: `senim pdf-worker v1 inspect MAX_PAGES` or `senim pdf-worker
//! v1 text` (the `senim-pdfread` binary takes the same arguments), the file on standard input, one JSON
//! [`Answer`] on standard output. `… v1 limits` answers the limits it set on itself, read back from the
//! kernel (for the tests and an operator's check), without reading a file.
//!
//! Before it reads a byte it confines itself: at most [`MEMORY_LIMIT`] of address space (an allocation
//! past it aborts this process), [`CPU_SECONDS`] of CPU time (then the kernel ends it), no files
//! written, no core dump, no descriptors beyond the three it has. The parent kills it when its time is
//! up and clears its environment, so it sees neither the database URL nor the key passphrase.

use std::io::{Read, Write};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use crate::intake::{self, MAX_UPLOAD_BYTES};
use crate::limits::Limits;
use crate::text;

/// The protocol's version, the first argument: a worker of another version refuses to answer.
pub const PROTOCOL: &str = "v1";

/// Address space of the worker. With the [`Limits`] (256 MiB decoded per file) a real document needs
/// far less; a bomb that slips past them aborts here, not in the server.
pub const MEMORY_LIMIT: u64 = 1 << 30;

/// CPU time of the worker: past the parent's wall-clock limit, in case the parent itself is gone.
pub const CPU_SECONDS: u64 = 60;

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    Accepted {
        pages: usize,
    },
    Refused {
        code: String,
    },
    Text {
        pages: Vec<String>,
    },
    Unreadable {
        reason: String,
    },
    /// The soft limits in force, as the kernel reports them.
    Limits {
        address_space: u64,
        cpu_seconds: u64,
        file_size: u64,
        core_size: u64,
        open_files: u64,
    },
}

/// The worker's `main`, with the arguments after the program (and `pdf-worker`).
pub fn main(args: &[String]) -> ExitCode {
    if let Err(e) = confine() {
        eprintln!("senim pdf-worker: cannot set its resource limits: {e}");
        return ExitCode::from(3);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        [PROTOCOL, "inspect", max] => match max.parse::<usize>() {
            Ok(max_pages) => Mode::Inspect(max_pages),
            Err(_) => return usage(),
        },
        [PROTOCOL, "text"] => Mode::Text,
        [PROTOCOL, "limits"] => return answer(&limits_in_force()),
        _ => return usage(),
    };
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().lock().take(MAX_UPLOAD_BYTES as u64 + 1).read_to_end(&mut input) {
        eprintln!("senim pdf-worker: reading standard input: {e}");
        return ExitCode::from(4);
    }
    let limits = Limits::DEFAULT;
    let answer = match mode {
        Mode::Inspect(max_pages) => match intake::inspect(&input, max_pages, &limits) {
            Ok(info) => Answer::Accepted { pages: info.pages },
            Err(code) => Answer::Refused { code: code.to_owned() },
        },
        Mode::Text => match text::extract(&input, &limits) {
            Ok(pages) => Answer::Text { pages },
            Err(reason) => Answer::Unreadable { reason },
        },
    };
    self::answer(&answer)
}

fn answer(answer: &Answer) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, answer).map_err(std::io::Error::from).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("senim pdf-worker: writing the answer: {e}");
            ExitCode::from(5)
        }
    }
}

enum Mode {
    Inspect(usize),
    Text,
}

fn usage() -> ExitCode {
    eprintln!("usage: senim pdf-worker {PROTOCOL} inspect MAX_PAGES | {PROTOCOL} text  (a PDF on standard input)");
    ExitCode::from(2)
}

#[cfg(unix)]
fn confine() -> std::io::Result<()> {
    use rlimit::{Resource, setrlimit};
    setrlimit(Resource::CORE, 0, 0)?;
    setrlimit(Resource::FSIZE, 0, 0)?;
    setrlimit(Resource::CPU, CPU_SECONDS, CPU_SECONDS)?;
    setrlimit(Resource::AS, MEMORY_LIMIT, MEMORY_LIMIT)?;
    // Standard input, output and error are open already; nothing else is needed.
    setrlimit(Resource::NOFILE, 3, 3)
}

#[cfg(unix)]
fn limits_in_force() -> Answer {
    use rlimit::{Resource, getrlimit};
    let soft = |r: Resource| getrlimit(r).map(|(soft, _)| soft).unwrap_or(u64::MAX);
    Answer::Limits {
        address_space: soft(Resource::AS),
        cpu_seconds: soft(Resource::CPU),
        file_size: soft(Resource::FSIZE),
        core_size: soft(Resource::CORE),
        open_files: soft(Resource::NOFILE),
    }
}

#[cfg(not(unix))]
fn limits_in_force() -> Answer {
    Answer::Limits { address_space: 0, cpu_seconds: 0, file_size: 0, core_size: 0, open_files: 0 }
}

#[cfg(not(unix))]
fn confine() -> std::io::Result<()> {
    Err(std::io::Error::other("resource limits need a Unix system"))
}
