//! `senim verify` as a reader uses it: downloaded files and the published keys, no database.

#[path = "../../senim-publish/tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use senim_publish::edition::Edition;
use senim_publish::keys::EditionKey;
use senim_store::testing::TempDir;

fn verify(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senim")).arg("verify").args(args).env_remove("SENIM_KEYS").output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The line of `path` in the output.
fn line_of(o: &Output, path: &Path) -> String {
    let name = path.display().to_string();
    stdout(o)
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("no line for {name}: {}", stdout(o)))
        .to_owned()
}

/// A reader's download folder: three artifacts, the served manifest, `1.json` and the key list.
struct Download {
    dir: TempDir,
    edition: Edition,
}

impl Download {
    fn new() -> Download {
        let dir = TempDir::new("senim-verify");
        let edition = common::sample();
        let d = Download { dir, edition };
        for name in ["1.kk.csv", "1.ru.xlsx", "1.kk.html"] {
            let a = d.edition.artifacts.iter().find(|a| a.name == name).unwrap();
            std::fs::write(d.path(name), &a.bytes).unwrap();
        }
        std::fs::write(d.path("1.json"), &d.edition.edition_json.bytes).unwrap();
        std::fs::write(d.path("1.manifest.json"), serde_json::to_vec_pretty(&d.edition.signed).unwrap()).unwrap();
        std::fs::write(d.path("keys.json"), serde_json::to_vec(&common::keys()).unwrap()).unwrap();
        d
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.0.join(name)
    }

    /// `--keys keys.json` and the files.
    fn run(&self, files: &[&str]) -> Output {
        let keys = self.path("keys.json");
        let mut args: Vec<PathBuf> = vec!["--keys".into(), keys];
        args.extend(files.iter().map(|f| self.path(f)));
        verify(&args.iter().map(PathBuf::as_path).collect::<Vec<_>>())
    }

    fn alter(&self, name: &str, f: impl FnOnce(&mut Vec<u8>)) {
        let mut bytes = std::fs::read(self.path(name)).unwrap();
        f(&mut bytes);
        std::fs::write(self.path(name), bytes).unwrap();
    }
}

const ALL: [&str; 5] = ["1.kk.csv", "1.ru.xlsx", "1.kk.html", "1.manifest.json", "1.json"];

#[test]
fn authentic_files_verify_and_name_their_edition() {
    let d = Download::new();
    let o = d.run(&ALL);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    for name in ALL {
        assert!(line_of(&o, &d.path(name)).starts_with("OK"), "{out}");
    }
    assert!(line_of(&o, &d.path("1.ru.xlsx")).contains("artifact 1.ru.xlsx: edition 1 of body health"), "{out}");
    assert!(out.contains("Денсаулық сақтау министрлігі"), "{out}");
    assert!(out.contains("published 2026-06-05T10:12:03+05:00"), "{out}");
    assert!(out.contains("edition JSON with 3 entries"), "{out}");
    assert!(out.contains("5 of 5 files verified"), "{out}");

    // An artifact needs only one of the two to be matched: N.json alone carries the manifest.
    let o = d.run(&["1.kk.csv", "1.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // `…/editions/current` adds the edition's number beside the signed manifest.
    let mut current = serde_json::to_value(&d.edition.signed).unwrap();
    current["edition"] = 1.into();
    std::fs::write(d.path("current.json"), serde_json::to_vec(&current).unwrap()).unwrap();
    let o = d.run(&["1.kk.html", "current.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn an_altered_artifact_fails_by_name() {
    let d = Download::new();
    d.alter("1.kk.csv", |b| {
        let last = b.len() - 3;
        b[last] ^= 0x01;
    });
    let o = d.run(&ALL);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let line = line_of(&o, &d.path("1.kk.csv"));
    assert!(line.starts_with("FAIL") && line.contains("not listed"), "{line}");
    assert!(line_of(&o, &d.path("1.ru.xlsx")).starts_with("OK"));
    assert!(stdout(&o).contains("4 of 5 files verified"));
}

#[test]
fn an_altered_manifest_fails_by_name() {
    let d = Download::new();
    d.alter("1.manifest.json", |b| {
        let text = String::from_utf8(b.clone()).unwrap().replacen("10:12:03", "10:12:04", 1);
        *b = text.into_bytes();
    });
    let o = d.run(&["1.kk.csv", "1.manifest.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let line = line_of(&o, &d.path("1.manifest.json"));
    assert!(line.starts_with("FAIL") && line.contains("signature does not match"), "{line}");
    // With nothing verified to match against, the artifact is not vouched for either.
    assert!(line_of(&o, &d.path("1.kk.csv")).starts_with("FAIL"));

    // A raw flipped byte anywhere in the middle: still named, still exit 1.
    let d = Download::new();
    d.alter("1.manifest.json", |b| {
        let middle = b.len() / 2;
        b[middle] ^= 0x01;
    });
    let o = d.run(&["1.manifest.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(line_of(&o, &d.path("1.manifest.json")).starts_with("FAIL"));
}

#[test]
fn an_altered_edition_json_fails_by_name() {
    let d = Download::new();
    d.alter("1.json", |b| {
        let text = String::from_utf8(b.clone()).unwrap().replacen("Өмірзақ", "Өмірзак", 1);
        assert_ne!(&text.as_bytes(), b, "the fixture has the owner's name");
        *b = text.into_bytes();
    });
    let o = d.run(&["1.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let line = line_of(&o, &d.path("1.json"));
    assert!(line.starts_with("FAIL") && line.contains("Merkle root"), "{line}");
}

#[test]
fn a_wrong_key_fails() {
    let d = Download::new();
    let stranger = EditionKey::from_secret_bytes(&[42u8; 32]).public_key_info("2026-01-01T00:00:00+05:00", None);
    std::fs::write(d.path("keys.json"), serde_json::to_vec(std::slice::from_ref(&stranger)).unwrap()).unwrap();
    let o = d.run(&ALL);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(line_of(&o, &d.path("1.manifest.json")).contains("not among the published keys"), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 of 5 files verified"));

    // The right key id, other key material.
    let mut forged = common::keys();
    forged[1].public_key = stranger.public_key;
    std::fs::write(d.path("keys.json"), serde_json::to_vec(&forged).unwrap()).unwrap();
    let o = d.run(&["1.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(line_of(&o, &d.path("1.json")).contains("unusable"), "{}", stdout(&o));
}

#[test]
fn usage_errors_exit_2() {
    let d = Download::new();
    let o = d.run(&[]);
    assert_eq!(o.status.code(), Some(2), "no files");
    let o = verify(&[Path::new("--keys"), &d.path("absent.json"), &d.path("1.json")]);
    assert_eq!(o.status.code(), Some(2), "no key list");
    assert!(String::from_utf8_lossy(&o.stderr).contains("absent.json"));
    let o = verify(&[&d.path("1.json")]);
    assert_eq!(o.status.code(), Some(2), "--keys is required");
    // A file that cannot be read is a failed file, not a usage error.
    let o = d.run(&["1.json", "missing.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(line_of(&o, &d.path("missing.csv")).contains("cannot read"));
}

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(url: &str) -> Vec<u8> {
    let mut response = ureq::get(url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    response.body_mut().with_config().limit(50 << 20).read_to_vec().unwrap()
}

/// The whole path a reader takes: keys from the server's URL, files downloaded from its API.
#[test]
fn keys_from_a_running_server_verify_its_files() {
    let dir = TempDir::new("senim-verify-serve");
    let mut child = Command::new(env!("CARGO_BIN_EXE_senim"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.0.join("data"))
        .env_remove("SENIM_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let _server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("Senim is serving on ") {
                let _ = tx.send(addr.to_owned());
            }
        }
    });
    let base = rx.recv_timeout(Duration::from_secs(120)).expect("the server starts");

    let bodies: serde_json::Value = serde_json::from_slice(&get(&format!("{base}/api/v1/bodies"))).unwrap();
    let body = bodies.as_array().unwrap().iter().find(|b| b["current_edition"].is_number()).expect("a demo edition");
    let (code, n) = (body["code"].as_str().unwrap(), body["current_edition"].as_i64().unwrap());
    let api = format!("{base}/api/v1/bodies/{code}/editions/{n}");
    let manifest = get(&format!("{api}/manifest"));
    std::fs::write(dir.0.join("manifest.json"), &manifest).unwrap();
    let signed: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let mut files = vec![dir.0.join("manifest.json")];
    for a in signed["manifest"]["artifacts"].as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        // Saved under the name the server's Content-Disposition suggests.
        let path = dir.0.join(format!("{code}-{name}"));
        std::fs::write(&path, get(&format!("{api}/files/{name}"))).unwrap();
        files.push(path);
    }
    std::fs::write(dir.0.join(format!("{n}.json")), get(&format!("{api}/files/{n}.json"))).unwrap();
    files.push(dir.0.join(format!("{n}.json")));

    let mut args: Vec<&Path> = vec![Path::new("--keys"), Path::new(&base)];
    args.extend(files.iter().map(PathBuf::as_path));
    let o = verify(&args);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains(&format!("edition {n} of body {code}")), "{}", stdout(&o));
    assert!(stdout(&o).contains(".xlsx"), "the XLSX is among the files: {}", stdout(&o));
}
