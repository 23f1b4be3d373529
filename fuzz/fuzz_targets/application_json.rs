//! The API's JSON application body (`ApiJson<ApplicationForm>`: serde_json) and the checks it meets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use senim_domain::application::ApplicationForm;

fuzz_target!(|data: &[u8]| {
    let Ok(form) = serde_json::from_slice::<ApplicationForm>(data) else { return };
    let today = jiff::civil::date(2026, 6, 1);
    let _ = form.check_draft(today);
    let _ = form.check_complete(today);
    // What the API answers with reads back as the same form.
    let json = serde_json::to_vec(&form).expect("a form serialises");
    assert_eq!(serde_json::from_slice::<ApplicationForm>(&json).expect("and reads back"), form);
});
