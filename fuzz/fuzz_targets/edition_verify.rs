//! The edition verifier (`senim verify`, the public verify page) on any bytes: an `N.json` edition, an
//! inclusion proof against a real manifest, a chain of manifests, and the artifact lookup.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use senim_publish::keys::{EditionKey, PublicKeyInfo};
use senim_publish::manifest::Manifest;
use senim_publish::verify;

fn keys() -> &'static [PublicKeyInfo] {
    static KEYS: OnceLock<Vec<PublicKeyInfo>> = OnceLock::new();
    KEYS.get_or_init(|| {
        vec![
            EditionKey::from_secret_bytes(&[1u8; 32])
                .public_key_info("2026-01-01T00:00:00+05:00", Some("2026-04-01T00:00:00+05:00")),
            EditionKey::from_secret_bytes(&[7u8; 32]).public_key_info("2026-04-01T00:00:00+05:00", None),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 4 {
        0 => {
            let _ = verify::verify_edition_json(rest, keys());
        }
        1 => {
            // A proof read from the bytes against a manifest also read from them (the proof checks do
            // not need the signature).
            let Some(split) = rest.iter().position(|&b| b == 0) else { return };
            let Ok(manifest) = serde_json::from_slice::<Manifest>(&rest[..split]) else { return };
            let _ = verify::verify_proof_json(&rest[split + 1..], &manifest);
        }
        2 => {
            if let Ok(manifests) = serde_json::from_slice::<Vec<Manifest>>(rest) {
                let _ = verify::verify_chain(&manifests);
                let _ = verify::match_artifact(rest, &manifests);
            }
        }
        _ => {
            if let Ok(signed) = serde_json::from_slice(rest) {
                let _ = verify::verify_signed_manifest(&signed, keys());
            }
        }
    }
});
