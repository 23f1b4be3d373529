//! The PDF reading worker on its own (`senim pdf-worker` is the same program inside the `senim` binary):
//! the tests of every crate run this one, deployment runs `senim`.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    senim_pdfread::worker::main(&args)
}
