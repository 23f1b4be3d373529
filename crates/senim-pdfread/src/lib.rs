//! # Reading PDFs nobody vouches for
//!
//! Every document an applicant uploads is read twice by the server: once at intake (does it parse, how
//! many pages, is it encrypted, does it carry active content) and once when a reviewer opens the case
//! (the text layer of the audit report, for the cross-check). Both readers, `lopdf` and `pdf-extract`,
//! were written for documents their users chose to open; an uploaded file is chosen by whoever uploads
//! it. An outside test (issue 16) found a form XObject that draws itself — `pdf-extract` recursed until
//! the stack overflowed and the whole server aborted, on every later opening too — and streams that
//! inflate a 2 MB upload to 2 GB.
//!
//! So reading is bounded twice over:
//!
//! 1. **In the code** ([`load`], [`drawing`]): every stream is measured with a capped decoder before
//!    `lopdf` may inflate it (per stream, per page's content and per file, [`Limits`]); image data, which
//!    neither reader needs, is dropped unread; form XObjects are walked before `pdf-extract` sees them,
//!    refusing a cycle, nesting deeper than [`Limits::max_form_depth`] and more drawing operations than
//!    [`Limits::max_operations`] counted as `pdf-extract` would execute them.
//! 2. **Around the code** ([`worker`], [`sandbox`]): the reading runs in a child process — `senim
//!    pdf-worker`, or the `senim-pdfread` binary in tests — that sets its own limits before it reads a
//!    byte (address space, CPU seconds, no files, no core dumps) and is killed when its time is up. A
//!    crash, an abort on memory or a runaway ends that process only; the server records "the text could
//!    not be read" and goes on. A stack overflow cannot be caught inside a process (`catch_unwind` does
//!    not see it), which is why the boundary is a process and not a thread.
//!
//! [`raw`] writes small PDFs object by object: the demo's sample documents and every test fixture,
//! including the hostile ones.

pub mod drawing;
pub mod intake;
pub mod limits;
pub mod load;
pub mod raw;
pub mod sandbox;
pub mod text;
pub mod worker;

pub use intake::{PdfInfo, codes};
pub use limits::Limits;
pub use sandbox::{PdfReader, TextFailure};
