//! The browser's live BIN/IIN check (`static/bin-check.js`) agrees with the domain's parser on every
//! number tried. Runs the script under Node, which every machine of this project's kind has.

use senim_domain::identity::BinIin;

#[test]
fn the_live_check_in_the_browser_agrees_with_the_server() {
    // A deterministic spread of numbers: every check digit for many prefixes, plus bad formats.
    let mut numbers: Vec<String> = Vec::new();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..400 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let prefix = format!("{:011}", x % 100_000_000_000);
        for d in 0..10 {
            numbers.push(format!("{prefix}{d}"));
        }
    }
    numbers.extend(["97124000131".into(), "9712400013155".into(), "97124000131a".into(), String::new()]);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/static/bin-check.js");
    let program = format!(
        "const f = require({script:?}); const n = JSON.parse(require('fs').readFileSync(0, 'utf8')); \
         process.stdout.write(JSON.stringify(n.map(f)));"
    );
    let mut child = std::process::Command::new("node")
        .args(["-e", &program])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node (Node.js) runs the browser script; it is on every machine of this kind");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(serde_json::to_string(&numbers).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verdicts: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let mut valid = 0;
    for (n, js) in numbers.iter().zip(&verdicts) {
        let rust = match BinIin::parse(n) {
            Ok(_) => String::new(),
            Err(e) => e.code().trim_start_matches("bin_iin.").to_owned(),
        };
        valid += usize::from(rust.is_empty());
        assert_eq!(js, &rust, "{n}");
    }
    assert!(valid > 300, "the sample holds valid numbers too ({valid})");
}
