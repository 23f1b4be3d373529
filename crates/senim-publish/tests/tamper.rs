//! Any change to a published byte is caught: the edition JSON, the served manifest, the artifacts, the
//! entries, and the keys and signature around them.

mod common;

use common::*;
use senim_publish::edition::{proof, sign};
use senim_publish::jcs::to_canonical;
use senim_publish::keys::EditionKey;
use senim_publish::manifest::SignedManifest;
use senim_publish::verify::{
    VerifyError, match_artifact, verify_edition_json, verify_proof_json, verify_signed_manifest,
};

/// Each byte changed in two ways: its lowest bit (a neighbouring character) and its case bit.
const MASKS: [u8; 2] = [0x01, 0x20];

#[test]
fn flipping_any_byte_of_the_edition_json_fails() {
    let edition = sample();
    let keys = keys();
    let bytes = &edition.edition_json.bytes;
    assert!(verify_edition_json(bytes, &keys).is_ok());
    for i in 0..bytes.len() {
        for mask in MASKS {
            let mut altered = bytes.clone();
            altered[i] ^= mask;
            assert!(
                verify_edition_json(&altered, &keys).is_err(),
                "byte {i} ^ {mask:#04x} went unnoticed: {}",
                String::from_utf8_lossy(&altered[i.saturating_sub(30)..(i + 30).min(altered.len())])
            );
        }
    }
}

#[test]
fn flipping_any_byte_of_the_served_manifest_fails() {
    let edition = build_edition(2, None, entries());
    let keys = keys();
    for served in [serde_json::to_vec(&edition.signed).unwrap(), serde_json::to_vec_pretty(&edition.signed).unwrap()] {
        let parsed: SignedManifest = serde_json::from_slice(&served).unwrap();
        verify_signed_manifest(&parsed, &keys).unwrap();
        for i in 0..served.len() {
            // Pretty-printed whitespace is insignificant by design; only compact bytes are all meaningful.
            if served[i].is_ascii_whitespace() {
                continue;
            }
            for mask in MASKS {
                let mut altered = served.clone();
                altered[i] ^= mask;
                let ok = serde_json::from_slice::<SignedManifest>(&altered)
                    .map(|s| verify_signed_manifest(&s, &keys).is_ok())
                    .unwrap_or(false);
                assert!(!ok, "byte {i} ^ {mask:#04x}: {}", String::from_utf8_lossy(&altered));
            }
        }
    }
}

#[test]
fn flipping_any_byte_of_an_artifact_loses_the_match() {
    let edition = sample();
    let manifests = [edition.signed.manifest.clone()];
    for artifact in &edition.artifacts {
        for i in 0..artifact.bytes.len() {
            let mut altered = artifact.bytes.clone();
            altered[i] ^= 0x01;
            assert_eq!(match_artifact(&altered, &manifests), None, "{} byte {i}", artifact.name);
        }
        let mut longer = artifact.bytes.clone();
        longer.push(b'\n');
        assert_eq!(match_artifact(&longer, &manifests), None);
        assert_eq!(match_artifact(&artifact.bytes[..artifact.bytes.len() - 1], &manifests), None);
    }
}

#[test]
fn flipping_any_byte_of_an_entry_fails_its_proof() {
    let edition = sample();
    let manifest = &edition.signed.manifest;
    for entry in &edition.entries {
        let served = to_canonical(&proof(&edition.entries, &entry.registry_number).unwrap());
        verify_proof_json(&served, manifest).unwrap();
        let entry_json = to_canonical(entry);
        let start = served.windows(entry_json.len()).position(|w| w == entry_json.as_slice()).unwrap();
        for i in start..start + entry_json.len() {
            for mask in MASKS {
                let mut altered = served.clone();
                altered[i] ^= mask;
                assert!(verify_proof_json(&altered, manifest).is_err(), "{} byte {i}", entry.registry_number);
            }
        }
    }
}

#[test]
fn a_changed_entry_is_caught_even_when_re_serialised() {
    let edition = sample();
    let keys = keys();
    let mut json: serde_json::Value = serde_json::from_slice(&edition.edition_json.bytes).unwrap();
    json["entries"][1]["owner"]["kk"] = "Басқа адам".into();
    let err = verify_edition_json(&serde_json::to_vec(&json).unwrap(), &keys).unwrap_err();
    assert_eq!(err, VerifyError::MerkleRoot);

    // Swapping two entries, with positions fixed up, changes the root too.
    let mut json: serde_json::Value = serde_json::from_slice(&edition.edition_json.bytes).unwrap();
    let entries = json["entries"].as_array_mut().unwrap();
    entries.swap(0, 1);
    entries[0]["position"] = 1.into();
    entries[1]["position"] = 2.into();
    let err = verify_edition_json(&serde_json::to_vec(&json).unwrap(), &keys).unwrap_err();
    assert_eq!(err, VerifyError::MerkleRoot);

    // Dropping an entry is a count mismatch; an unknown member is outside the format.
    let mut json: serde_json::Value = serde_json::from_slice(&edition.edition_json.bytes).unwrap();
    json["entries"].as_array_mut().unwrap().pop();
    let err = verify_edition_json(&serde_json::to_vec(&json).unwrap(), &keys).unwrap_err();
    assert_eq!(err, VerifyError::Count { expected: 3, found: 2 });
    let mut json: serde_json::Value = serde_json::from_slice(&edition.edition_json.bytes).unwrap();
    json["entries"][0]["iin"] = "900101300123".into();
    let err = verify_edition_json(&serde_json::to_vec(&json).unwrap(), &keys).unwrap_err();
    assert!(matches!(err, VerifyError::Malformed { .. }), "{err}");
}

#[test]
fn signatures_need_the_right_published_key() {
    let edition = sample();
    let signed = &edition.signed;
    assert_eq!(verify_signed_manifest(signed, &[]), Err(VerifyError::UnknownKey(signed.signature.key_id.clone())));

    // A key listed under this id but with other key material.
    let mut forged = keys();
    forged[1].public_key = EditionKey::from_secret_bytes(&[9u8; 32]).public_key_info("", None).public_key;
    assert!(matches!(verify_signed_manifest(signed, &forged), Err(VerifyError::BadKey { .. })));

    // Signed by another key that is listed: the manifest's key id no longer matches.
    let other = EditionKey::from_secret_bytes(&[1u8; 32]);
    let mut resigned = sign(signed.manifest.clone(), &other);
    assert!(matches!(verify_signed_manifest(&resigned, &keys()), Err(VerifyError::KeyIdMismatch { .. })));
    // ... and with the key id rewritten too, it is a valid signature by a key of another holder; the
    // manifest still has to name it. Here it does, but that key was retired before the edition's
    // time, so it is refused; were it still current, this would verify: keys, not bytes, carry trust.
    resigned.manifest.key_id = other.key_id();
    let resigned = sign(resigned.manifest, &other);
    assert!(matches!(verify_signed_manifest(&resigned, &keys()), Err(VerifyError::KeyRetired { .. })));
    let mut unretired = keys();
    unretired[0].valid_until = None;
    verify_signed_manifest(&resigned, &unretired).unwrap();

    let mut wrong_alg = signed.clone();
    wrong_alg.signature.alg = "RS256".to_owned();
    assert_eq!(verify_signed_manifest(&wrong_alg, &keys()), Err(VerifyError::Algorithm("RS256".to_owned())));
    let mut wrong_format = signed.clone();
    wrong_format.manifest.format = "senim-edition/2".to_owned();
    assert!(matches!(verify_signed_manifest(&wrong_format, &keys()), Err(VerifyError::Format(_))));
    let mut garbled = signed.clone();
    garbled.signature.value = "not base64!".to_owned();
    assert_eq!(verify_signed_manifest(&garbled, &keys()), Err(VerifyError::SignatureEncoding));
}

#[test]
fn errors_read_as_sentences() {
    let edition = sample();
    let err = verify_signed_manifest(&edition.signed, &[]).unwrap_err();
    assert_eq!(err.to_string(), format!("key `{}` is not among the published keys", key().key_id()));
}

#[test]
fn a_retired_key_vouches_only_for_editions_up_to_its_retirement() {
    let edition = sample(); // published 2026-06-05T10:12:03+05:00
    let mut keys = keys();
    let ours = keys.iter_mut().find(|k| k.key_id == key().key_id()).unwrap();
    ours.valid_until = Some("2026-06-05T05:12:03Z".to_owned()); // the same instant: still valid
    assert_eq!(verify_signed_manifest(&edition.signed, &keys), Ok(()));
    let ours = keys.iter_mut().find(|k| k.key_id == key().key_id()).unwrap();
    ours.valid_until = Some("2026-06-05T10:12:02+05:00".to_owned());
    assert!(matches!(verify_signed_manifest(&edition.signed, &keys), Err(VerifyError::KeyRetired { .. })));
    assert!(matches!(verify_edition_json(&edition.edition_json.bytes, &keys), Err(VerifyError::KeyRetired { .. })));
}
