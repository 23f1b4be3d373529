//! `senim verify [--keys FILE_OR_URL] FILES...`: is a downloaded file authentic, and of which edition?
//!
//! Needs no database: only the files and the published keys, as any third party would check them
//! (`edition-format.md`). Each FILE is recognised by its content:
//! - an edition JSON `N.json` (`manifest`, `signature`, `entries`): signature, entry count, positions,
//!   body and Merkle root are checked ([`verify::verify_edition_json`]);
//! - a signed manifest (`manifest`, `signature`, as served at `…/editions/{n}/manifest` or
//!   `…/editions/current`): its signature is checked;
//! - anything else is an artifact (HTML, CSV, XLSX, PDF…): it is authentic when its size and SHA-256
//!   are listed in a manifest that verified above, so pass the manifest or `N.json` along with it.
//!
//! A key signs only editions stamped up to its retirement (`valid_until`); retired keys stay listed
//! and keep vouching for their older editions.
//!
//! `--keys` (or `SENIM_KEYS`) is a key list file as served at `GET /api/v1/keys`, or an `http(s)://`
//! URL: the server's base URL (`/api/v1/keys` is appended) or the key list URL itself. URLs are
//! fetched with `ureq` (blocking, rustls with the webpki root certificates: no OpenSSL, and HTTPS works
//! as on any deployment).
//!
//! Prints one line per file, `OK` or `FAIL`, and exits 0 when every file verified, 1 when any did not,
//! 2 on a usage error or when the keys cannot be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use senim_domain::lang::Lang;
use senim_publish::jcs;
use senim_publish::keys::PublicKeyInfo;
use senim_publish::manifest::{Manifest, SignedManifest};
use senim_publish::verify::{self, VerifyError};
use serde_json::Value;

#[derive(Args)]
pub struct VerifyArgs {
    /// The public keys: a JSON file as served at /api/v1/keys, or a server's base URL.
    #[arg(long, env = "SENIM_KEYS", value_name = "FILE_OR_URL")]
    keys: String,
    /// Downloaded files: artifacts, signed manifests, edition JSON files.
    #[arg(required = true, value_name = "FILES")]
    files: Vec<PathBuf>,
}

/// The path of the key list on a Senim server.
const KEYS_PATH: &str = "/api/v1/keys";
/// A key list is a few hundred bytes a key; anything near this is not one.
const MAX_KEYS_BYTES: u64 = 1 << 20;

/// What a file turned out to be, once read.
enum Kind {
    EditionJson,
    SignedManifest,
    Artifact,
}

/// A file's verdict: what it is, and whether it verified.
struct Verdict {
    path: PathBuf,
    outcome: Result<String, String>,
}

/// Runs the command; `Err` is a usage or key problem (exit 2), verdicts are printed.
pub fn run(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let keys = load_keys(&args.keys)?;
    let mut files = Vec::new();
    let mut verdicts = Vec::new();
    for path in &args.files {
        match std::fs::read(path) {
            Ok(bytes) => files.push((path.clone(), bytes)),
            Err(e) => verdicts.push(Verdict { path: path.clone(), outcome: Err(format!("cannot read it: {e}")) }),
        }
    }

    // Manifests first, from signed manifests and edition JSON files alike, so that the artifacts can
    // then be matched against every manifest that verified.
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut artifacts = Vec::new();
    for (path, bytes) in &files {
        let outcome = match kind(bytes) {
            Kind::EditionJson => verify::verify_edition_json(bytes, &keys)
                .map(|edition| {
                    let text = format!(
                        "edition JSON with {} entries, Merkle root and signature valid: {}",
                        edition.entries.len(),
                        describe(&edition.manifest)
                    );
                    manifests.push(edition.manifest);
                    text
                })
                .map_err(|e| format!("edition JSON: {e}")),
            Kind::SignedManifest => signed_manifest(bytes, &keys)
                .map(|signed| {
                    let text = format!("signed manifest, signature valid: {}", describe(&signed.manifest));
                    manifests.push(signed.manifest);
                    text
                })
                .map_err(|e| format!("signed manifest: {e}")),
            Kind::Artifact => {
                artifacts.push((path, bytes));
                continue;
            }
        };
        verdicts.push(Verdict { path: path.clone(), outcome });
    }
    for (path, bytes) in artifacts {
        let outcome = match verify::match_artifact(bytes, &manifests) {
            Some((code, n, name)) => {
                let manifest = manifests.iter().find(|m| m.body.code == code && m.edition == n).expect("matched");
                Ok(format!("artifact {name}: {}", describe(manifest)))
            }
            None if manifests.is_empty() => Err("no verified manifest or edition JSON was given to check it \
                                                 against: pass N.json or the signed manifest too"
                .to_owned()),
            None => Err(format!(
                "its SHA-256 is not listed in the verified manifest(s) ({}): it was altered, or is of another edition",
                manifests.iter().map(|m| format!("{} № {}", m.body.code, m.edition)).collect::<Vec<_>>().join(", ")
            )),
        };
        verdicts.push(Verdict { path: path.clone(), outcome });
    }

    // In the order given, so that a reader finds each file where they put it.
    verdicts.sort_by_key(|v| args.files.iter().position(|p| *p == v.path));
    let failed = verdicts.iter().filter(|v| v.outcome.is_err()).count();
    for v in &verdicts {
        match &v.outcome {
            Ok(what) => println!("OK    {}: {what}", v.path.display()),
            Err(why) => println!("FAIL  {}: {why}", v.path.display()),
        }
    }
    println!("{} of {} files verified", verdicts.len() - failed, verdicts.len());
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Which edition a manifest is: body, number and publication time.
fn describe(m: &Manifest) -> String {
    format!(
        "edition {} of body {} ({}), published {}",
        m.edition,
        m.body.code,
        m.body.name.best(Lang::Kk),
        m.published_at
    )
}

/// An edition JSON has `entries` beside `manifest` and `signature`; a signed manifest has only those
/// two (and perhaps `edition`, as `…/current` adds); everything else is an artifact.
fn kind(bytes: &[u8]) -> Kind {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(bytes) else {
        return Kind::Artifact;
    };
    match (object.contains_key("manifest"), object.contains_key("signature"), object.contains_key("entries")) {
        (true, true, true) => Kind::EditionJson,
        (true, true, false) => Kind::SignedManifest,
        _ => Kind::Artifact,
    }
}

/// A served signed manifest, read strictly: its `manifest` must be exactly the typed manifest (no
/// member dropped or added in reading), then its signature is checked against the keys.
fn signed_manifest(bytes: &[u8], keys: &[PublicKeyInfo]) -> Result<SignedManifest, VerifyError> {
    let malformed = |detail: String| VerifyError::Malformed { what: "signed manifest", detail };
    let raw: Value = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    let signed: SignedManifest = serde_json::from_value(raw.clone()).map_err(|e| malformed(e.to_string()))?;
    if jcs::to_canonical(&signed.manifest) != jcs::canonicalize(&raw["manifest"]) {
        return Err(malformed("its manifest holds members or values outside the format".to_owned()));
    }
    verify::verify_signed_manifest(&signed, keys)?;
    Ok(signed)
}

/// The published keys from a file or a server.
fn load_keys(source: &str) -> anyhow::Result<Vec<PublicKeyInfo>> {
    let (bytes, from) = if source.starts_with("http://") || source.starts_with("https://") {
        let url = keys_url(source);
        (fetch(&url).with_context(|| format!("fetching the keys from {url}"))?, url)
    } else {
        let path = Path::new(source);
        (std::fs::read(path).with_context(|| format!("reading the keys file {}", path.display()))?, source.to_owned())
    };
    let keys: Vec<PublicKeyInfo> = serde_json::from_slice(&bytes)
        .with_context(|| format!("{from} is not a key list (a JSON array as served at {KEYS_PATH})"))?;
    if keys.is_empty() {
        bail!("{from} lists no keys");
    }
    Ok(keys)
}

/// The key list URL of `source`: itself when it already names the key list, else `source` as a base.
fn keys_url(source: &str) -> String {
    let base = source.trim_end_matches('/');
    if base.ends_with(KEYS_PATH) { base.to_owned() } else { format!("{base}{KEYS_PATH}") }
}

fn fetch(url: &str) -> anyhow::Result<Vec<u8>> {
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into();
    let mut response = agent.get(url).header("Accept", "application/json").call()?;
    Ok(response.body_mut().with_config().limit(MAX_KEYS_BYTES).read_to_vec()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_url_accepts_a_base_or_the_list_itself() {
        assert_eq!(keys_url("https://senim.example.kz"), "https://senim.example.kz/api/v1/keys");
        assert_eq!(keys_url("https://senim.example.kz/"), "https://senim.example.kz/api/v1/keys");
        assert_eq!(keys_url("http://127.0.0.1:8080/api/v1/keys"), "http://127.0.0.1:8080/api/v1/keys");
    }
}
