//! The upload check (`senim_pdfread::intake::inspect`, what the PDF worker runs) on any bytes, in this
//! process and without the worker's resource limits: a panic, a hang or memory past the fuzzer's limit
//! is a finding, even though the server would survive it in the worker.
#![no_main]

use libfuzzer_sys::fuzz_target;
use senim_pdfread::Limits;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = senim_pdfread::intake::inspect(data, 50, &Limits::DEFAULT) {
        assert!((1..=50).contains(&info.pages));
    }
});
