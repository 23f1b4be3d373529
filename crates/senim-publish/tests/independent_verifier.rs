//! A second verifier, written from `edition-format.md` alone, the way a third party would: it reads raw
//! JSON and uses only SHA-256, Ed25519, base64 and RFC 8785 (the crate's `jcs`, itself tested against
//! the RFC). It must accept what `build` publishes, and reject a tampered copy.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

use common::*;
use senim_publish::jcs::canonicalize;

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// "the Merkle Tree Hash of RFC 9162 §2.1.1": split at the largest power of two below n.
fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => sha256(&[]),
        1 => leaves[0],
        n => {
            let k = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
            sha256(&[&[1u8], &mth(&leaves[..k]), &mth(&leaves[k..])])
        }
    }
}

/// Verifies `N.json` and the files it lists; returns why not.
fn third_party_verify(edition_json: &[u8], keys_json: &[u8], files: &[(&str, &[u8])]) -> Result<(), String> {
    let doc: Value = serde_json::from_slice(edition_json).map_err(|e| e.to_string())?;
    let keys: Value = serde_json::from_slice(keys_json).map_err(|e| e.to_string())?;
    let manifest = &doc["manifest"];
    let signature = &doc["signature"];
    if manifest["format"] != "senim-edition/1" {
        return Err("format".into());
    }
    if signature["alg"] != "Ed25519" || signature["key_id"] != manifest["key_id"] {
        return Err("signature header".into());
    }
    let key = keys
        .as_array()
        .and_then(|ks| ks.iter().find(|k| k["key_id"] == signature["key_id"] && k["alg"] == "Ed25519"))
        .ok_or("unknown key")?;
    let public = STANDARD.decode(key["public_key"].as_str().ok_or("key")?).map_err(|e| e.to_string())?;
    let public: [u8; 32] = public.try_into().map_err(|_| "key length")?;
    if hex::encode(&sha256(&[&public])[..8]) != key["key_id"].as_str().unwrap_or_default() {
        return Err("key id is not the key's".into());
    }
    let value = STANDARD.decode(signature["value"].as_str().ok_or("signature")?).map_err(|e| e.to_string())?;
    let value: [u8; 64] = value.try_into().map_err(|_| "signature length")?;
    VerifyingKey::from_bytes(&public)
        .map_err(|e| e.to_string())?
        .verify(&canonicalize(manifest), &Signature::from_bytes(&value))
        .map_err(|_| "bad signature")?;

    let entries = doc["entries"].as_array().ok_or("entries")?;
    let leaves: Vec<[u8; 32]> = entries.iter().map(|e| sha256(&[&[0u8], &canonicalize(e)])).collect();
    if manifest["entries"]["count"] != entries.len() {
        return Err("count".into());
    }
    if manifest["entries"]["merkle_root"] != hex::encode(mth(&leaves)) {
        return Err("merkle root".into());
    }
    for (name, bytes) in files {
        let listed = manifest["artifacts"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["name"] == *name))
            .ok_or(format!("{name} is not listed"))?;
        if listed["bytes"] != bytes.len() || listed["sha256"] != hex::encode(sha256(&[bytes])) {
            return Err(format!("{name} does not match"));
        }
    }
    Ok(())
}

#[test]
fn an_independent_verifier_accepts_a_published_edition() {
    let keys_json = serde_json::to_vec(&keys()).unwrap();
    for edition in [sample(), build_edition(9, None, vec![entry_in_three_languages()]), build_edition(2, None, vec![])]
    {
        let files: Vec<(&str, &[u8])> =
            edition.artifacts.iter().map(|a| (a.name.as_str(), a.bytes.as_slice())).collect();
        third_party_verify(&edition.edition_json.bytes, &keys_json, &files).unwrap();
        // The pretty-printed form of the same JSON verifies too: hashes are over canonical bytes.
        let pretty =
            serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&edition.edition_json.bytes).unwrap()).unwrap();
        third_party_verify(&pretty, &keys_json, &files).unwrap();
    }
}

#[test]
fn the_independent_verifier_rejects_tampering() {
    let keys_json = serde_json::to_vec(&keys()).unwrap();
    let edition = sample();
    let mut doc: Value = serde_json::from_slice(&edition.edition_json.bytes).unwrap();
    doc["entries"][0]["audit"]["date"] = "2026-05-15".into();
    let tampered = serde_json::to_vec(&doc).unwrap();
    assert_eq!(third_party_verify(&tampered, &keys_json, &[]), Err("merkle root".to_owned()));

    let mut file = edition.artifacts[1].bytes.clone();
    file[10] ^= 1;
    let name = edition.artifacts[1].name.as_str();
    assert!(third_party_verify(&edition.edition_json.bytes, &keys_json, &[(name, &file)]).is_err());
}
