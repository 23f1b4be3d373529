//! Issue 16, findings 1 and 2: reading a PDF cannot take the server down. These tests run the real
//! worker (`senim-pdfread`, the same code as `senim pdf-worker`) and stand-in workers that crash or
//! hang, and check that each read ends with an answer in bounded time.

use std::time::{Duration, Instant};

use senim_pdfread::raw::{self, RawPdf};
use senim_pdfread::{PdfInfo, PdfReader, TextFailure, codes};

fn worker() -> PdfReader {
    PdfReader::command(env!("CARGO_BIN_EXE_senim-pdfread"), Vec::<String>::new())
}

/// A stand-in worker: a shell script (the worker's own arguments follow as `$1…`).
fn script(body: &str) -> PdfReader {
    PdfReader::command("/bin/sh", ["-c", body, "worker"])
}

#[tokio::test]
async fn the_worker_checks_and_reads_an_ordinary_report() {
    let pdf = raw::text_page("Audit report 2026");
    assert_eq!(worker().inspect(&pdf, 500).await, Ok(PdfInfo { pages: 1 }));
    let pages = worker().text(&pdf).await.unwrap();
    assert!(pages[0].contains("Audit report 2026"), "{pages:?}");
}

/// Finding 1: the form that draws itself. In the server's own process this overflowed the stack.
#[tokio::test]
async fn a_form_that_draws_itself_is_refused_and_its_text_recorded_as_unreadable() {
    let pdf = raw::self_drawing_form();
    assert_eq!(worker().inspect(&pdf, 500).await, Err(codes::TOO_COMPLEX));
    match worker().text(&pdf).await {
        Err(TextFailure::Unreadable(why)) => assert!(why.contains("draws itself"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// Finding 2: a 2 MB-class object stream bomb is refused by the capped decoder, not inflated.
#[tokio::test]
async fn an_object_stream_bomb_is_refused_without_being_inflated() {
    let pdf = raw::object_stream_bomb(1 << 30);
    assert!(pdf.len() < 2 << 20, "the bomb is small: {} bytes", pdf.len());
    let started = Instant::now();
    assert_eq!(worker().inspect(&pdf, 500).await, Err(codes::TOO_COMPLEX));
    assert!(matches!(worker().text(&pdf).await, Err(TextFailure::Unreadable(_))));
    // Inflating 1 GiB takes seconds; the cap stops after 64 MiB.
    assert!(started.elapsed() < Duration::from_secs(15), "{:?}", started.elapsed());
}

/// Finding 2, the backstop: the worker confines itself before it reads — the limits the kernel holds for
/// it are the ones documented.
#[test]
fn the_worker_runs_within_its_limits() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_senim-pdfread"))
        .args(["v1", "limits"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["answer"], "limits");
    assert_eq!(answer["address_space"], senim_pdfread::worker::MEMORY_LIMIT);
    assert_eq!(answer["cpu_seconds"], senim_pdfread::worker::CPU_SECONDS);
    assert_eq!((answer["file_size"].as_u64(), answer["core_size"].as_u64()), (Some(0), Some(0)));
    assert_eq!(answer["open_files"], 3);
}

/// Finding 2: a cross-reference stream is read before lopdf's filter sees any object, so the code's caps
/// do not measure it; it asks for 1.25 GiB, past the worker's 1 GiB (measured by hand: the worker peaks
/// near 660 MB, where lopdf's `read_to_end` fails, and answers). Whatever ends the worker, the caller
/// gets a refusal and the file is not accepted.
#[tokio::test]
async fn a_cross_reference_stream_bomb_is_refused() {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let xref = pdf.len();
    let data = raw::deflate_zeros(5 << 28);
    pdf.extend_from_slice(
        format!("1 0 obj\n<< /Type /XRef /Size 2 /W [1 4 2] /Filter /FlateDecode /Length {} >>\nstream\n", data.len())
            .as_bytes(),
    );
    pdf.extend_from_slice(&data);
    pdf.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    assert!(pdf.len() < 20 << 20);
    let refused = worker().inspect(&pdf, 500).await;
    assert!(refused == Err(codes::TOO_COMPLEX) || refused == Err(codes::MALFORMED), "{refused:?}");
}

#[tokio::test]
async fn a_worker_that_crashes_is_a_refusal_not_a_crash() {
    let crashing = script("cat >/dev/null; kill -SEGV $$");
    assert_eq!(crashing.inspect(&raw::text_page("x"), 500).await, Err(codes::TOO_COMPLEX));
    assert!(matches!(crashing.text(&raw::text_page("x")).await, Err(TextFailure::Unreadable(_))));
    let garbage = script("cat >/dev/null; echo not json");
    assert_eq!(garbage.inspect(&raw::text_page("x"), 500).await, Err(codes::TOO_COMPLEX));
}

/// Finding 2: the time limit stops the work, not only the answer — the worker is killed.
#[tokio::test]
async fn a_worker_past_its_time_is_killed() {
    let pid_file = std::env::temp_dir().join(format!("senim-pdfread-hang-{}", std::process::id()));
    let hanging = script(&format!("echo $$ > {}; exec sleep 60", pid_file.display()))
        .with_timeouts(Duration::from_millis(500), Duration::from_millis(500));
    let started = Instant::now();
    assert_eq!(hanging.inspect(&raw::text_page("x"), 500).await, Err(codes::TOO_COMPLEX));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let _ = std::fs::remove_file(&pid_file);
    assert!(!std::path::Path::new(&format!("/proc/{}", pid.trim())).exists(), "worker {pid} still runs");
}

#[tokio::test]
async fn no_worker_is_unavailable_not_accepted() {
    let none = PdfReader::command("/nonexistent/senim-pdfread", Vec::<String>::new());
    assert_eq!(none.inspect(&raw::text_page("x"), 500).await, Err(codes::UNAVAILABLE));
    assert!(matches!(none.text(&raw::text_page("x")).await, Err(TextFailure::Unavailable(_))));
}

#[tokio::test]
async fn the_worker_refuses_another_protocol() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_senim-pdfread")).args(["v0", "text"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// The worker's environment is cleared: it never sees the server's secrets.
#[tokio::test]
async fn the_worker_sees_no_environment() {
    assert!(std::env::var_os("HOME").is_some(), "this test needs a HOME to hide");
    let env = script(
        "cat >/dev/null; if [ -n \"$HOME\" ]; then c=upload.encrypted; else c=upload.malformed; fi; \
         printf '{\"answer\":\"refused\",\"code\":\"%s\"}' $c",
    );
    assert_eq!(env.inspect(&raw::text_page("x"), 500).await, Err(codes::MALFORMED));
}

#[tokio::test]
async fn many_reads_at_once_all_answer() {
    let reader = worker();
    let pdf = raw::text_page("x");
    let runs: Vec<_> = (0..12)
        .map(|_| {
            let (reader, pdf) = (reader.clone(), pdf.clone());
            tokio::spawn(async move { reader.inspect(&pdf, 500).await })
        })
        .collect();
    for r in runs {
        assert_eq!(r.await.unwrap(), Ok(PdfInfo { pages: 1 }));
    }
}

#[test]
fn the_fixture_writer_makes_files_lopdf_reads() {
    let mut pdf = RawPdf::new();
    let page = pdf.page("BT /F1 12 Tf 72 720 Td (two) Tj ET", "");
    let other = pdf.page("", "");
    let bytes = pdf.finish(&[page, other], "");
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 2);
}
