//! The pages' decoding of an Annex 1 form: `application/x-www-form-urlencoded` bytes as axum's `Form`
//! reads them (`serde_urlencoded` into pairs), the flat values into an `ApplicationForm`
//! (`senim_domain::fields`), then the draft and completeness checks.
#![no_main]

use senim_domain::fields as form;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else { return };
    let values: form::Values = pairs.into_iter().collect();
    let (decoded, _errors) = form::unflatten(&values);
    let today = jiff::civil::date(2026, 6, 1);
    let _ = decoded.check_draft(today);
    let _ = decoded.check_complete(today);
    // What the page shows again decodes to the same form.
    let (again, _) = form::unflatten(&form::flatten(&decoded));
    assert_eq!(again, decoded);
});
