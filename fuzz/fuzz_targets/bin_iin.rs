//! The BIN/IIN parser and the public check (`GET /api/v1/id/{number}`) on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use senim_domain::identity::{BinIin, report};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let r = report(s);
    match BinIin::parse(s) {
        Ok(id) => {
            // A parsed number is twelve ASCII digits, parses again to itself and is reported valid.
            assert_eq!(id.as_str().len(), 12);
            assert!(id.as_str().bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(
                BinIin::parse(id.as_str()).map(|again| again.as_str().to_owned()).ok().as_deref(),
                Some(id.as_str())
            );
            let _ = id.kind();
            let _ = id.decode();
            assert!(r.valid, "parse accepts {s:?} but the report says invalid");
        }
        Err(_) => assert!(!r.valid, "parse refuses {s:?} but the report says valid"),
    }
});
