//! The upload check (`senim-web/src/services/uploads.rs`, compiled here as it is) on any bytes. The
//! server also runs it under `catch_unwind` and a time limit; here a panic or a hang is a finding.
#![no_main]

#[allow(dead_code)]
#[path = "../../crates/senim-web/src/services/uploads.rs"]
mod uploads;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = uploads::inspect_pdf(data, 50) {
        assert!((1..=50).contains(&info.pages));
    }
});
