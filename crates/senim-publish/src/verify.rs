//! Checking editions as a third party would: what `senim verify` and the public verify page run.
//!
//! Each check follows `edition-format.md` and needs only the published keys, never the store, so a
//! reader can reproduce it with SHA-256 and Ed25519 alone. JSON read from bytes is accepted only when
//! its typed form re-serialises to the same canonical bytes: what is returned is then exactly what was
//! hashed and signed, and a verifier that works on raw JSON would reach the same verdict.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::edition::entry_leaf;
use crate::jcs;
use crate::keys::{ALG, PublicKeyInfo, key_id};
use crate::manifest::{EditionJson, FORMAT, InclusionProof, Manifest, SignedManifest};
use crate::merkle::{self, Hash};

/// Why an edition, proof or chain does not verify. Messages say what was found, for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("not a valid {what}: {detail}")]
    Malformed { what: &'static str, detail: String },
    #[error("unknown format `{0}`; this verifier reads `{FORMAT}`")]
    Format(String),
    #[error("unsupported signature algorithm `{0}`; editions are signed with {ALG}")]
    Algorithm(String),
    #[error("the manifest names key `{manifest}` but the signature names key `{signature}`")]
    KeyIdMismatch { manifest: String, signature: String },
    #[error("key `{0}` is not among the published keys")]
    UnknownKey(String),
    #[error("published key `{key_id}` is unusable: {reason}")]
    BadKey { key_id: String, reason: &'static str },
    #[error("key `{key_id}` was retired at {valid_until}, before this edition's time {published_at}")]
    KeyRetired { key_id: String, valid_until: String, published_at: String },
    #[error("the signature value is not standard base64 of 64 bytes")]
    SignatureEncoding,
    #[error("the signature does not match the manifest: it was altered, or not signed with key `{0}`")]
    BadSignature(String),
    #[error("the manifest announces {expected} entries but {found} are present")]
    Count { expected: u64, found: u64 },
    #[error("entry {index} has position {found}; positions must run 1..n in order")]
    Position { index: usize, found: u32 },
    #[error("registry number `{0}` occurs more than once")]
    DuplicateEntry(String),
    #[error("entry `{registry_number}` belongs to body `{found}`, not to `{expected}`")]
    ForeignEntry { registry_number: String, expected: String, found: String },
    #[error("the entries do not hash to the manifest's Merkle root: one was altered, added, removed or moved")]
    MerkleRoot,
    #[error("the proof is for a tree of {proof} entries, but the edition has {manifest}")]
    ProofTreeSize { proof: u64, manifest: u64 },
    #[error("the proof's leaf index {leaf_index} does not match the entry's position {position}")]
    ProofIndex { leaf_index: u64, position: u32 },
    #[error("the inclusion proof does not lead to the manifest's Merkle root")]
    ProofInvalid,
    #[error("a chain of editions starts at edition 1, not at edition {0}")]
    ChainStart(u32),
    #[error("edition {found} follows edition {previous}; editions must be consecutive")]
    ChainGap { previous: u32, found: u32 },
    #[error("edition {edition} is of body `{found}`, in the chain of body `{expected}`")]
    ChainBody { edition: u32, expected: String, found: String },
    #[error("edition {edition} does not name edition {expected:?} as its previous one")]
    ChainLink { edition: u32, expected: Option<u32> },
    #[error("edition {edition} records a hash of edition {previous} that does not match it: one was altered")]
    ChainHash { edition: u32, previous: u32 },
}

/// Checks a served manifest's signature against the published keys.
pub fn verify_signed_manifest(signed: &SignedManifest, keys: &[PublicKeyInfo]) -> Result<(), VerifyError> {
    let (manifest, signature) = (&signed.manifest, &signed.signature);
    if manifest.format != FORMAT {
        return Err(VerifyError::Format(manifest.format.clone()));
    }
    if signature.alg != ALG {
        return Err(VerifyError::Algorithm(signature.alg.clone()));
    }
    if manifest.key_id != signature.key_id {
        return Err(VerifyError::KeyIdMismatch {
            manifest: manifest.key_id.clone(),
            signature: signature.key_id.clone(),
        });
    }
    let info = keys
        .iter()
        .find(|k| k.key_id == signature.key_id)
        .ok_or_else(|| VerifyError::UnknownKey(signature.key_id.clone()))?;
    let public = verifying_key(info)?;
    check_not_retired(info, &manifest.published_at)?;
    let value = STANDARD.decode(&signature.value).map_err(|_| VerifyError::SignatureEncoding)?;
    let value: [u8; 64] = value.try_into().map_err(|_| VerifyError::SignatureEncoding)?;
    let signature_bytes = ed25519_dalek::Signature::from_bytes(&value);
    // Strict verification: our signatures are always canonical, so refusing malleable encodings and
    // weak keys costs nothing and closes the known Ed25519 edge cases.
    public
        .verify_strict(&jcs::to_canonical(manifest), &signature_bytes)
        .map_err(|_| VerifyError::BadSignature(info.key_id.clone()))
}

/// A retired key stays listed so that the editions it signed keep verifying ("Signature" in
/// `edition-format.md`), but it vouches only for editions stamped no later than its `valid_until`: a
/// retired secret that leaks later must not be able to sign new editions. `valid_from` is not
/// checked: no signature can predate its key, so it adds nothing, and the server records it when the
/// key is stored, which may be a moment after the instant its first edition is stamped with.
fn check_not_retired(info: &PublicKeyInfo, published_at: &str) -> Result<(), VerifyError> {
    let Some(valid_until) = &info.valid_until else {
        return Ok(());
    };
    let until: jiff::Timestamp = valid_until
        .parse()
        .map_err(|_| VerifyError::BadKey { key_id: info.key_id.clone(), reason: "its valid_until is not RFC 3339" })?;
    let at: jiff::Timestamp = published_at.parse().map_err(|e: jiff::Error| VerifyError::Malformed {
        what: "manifest",
        detail: format!("published_at `{published_at}`: {e}"),
    })?;
    if at > until {
        return Err(VerifyError::KeyRetired {
            key_id: info.key_id.clone(),
            valid_until: valid_until.clone(),
            published_at: published_at.to_owned(),
        });
    }
    Ok(())
}

/// A listed key, checked to be Ed25519, well-formed and truly the key its id names.
fn verifying_key(info: &PublicKeyInfo) -> Result<VerifyingKey, VerifyError> {
    let bad = |reason| VerifyError::BadKey { key_id: info.key_id.clone(), reason };
    if info.alg != ALG {
        return Err(bad("its algorithm is not Ed25519"));
    }
    let raw = STANDARD.decode(&info.public_key).map_err(|_| bad("it is not standard base64"))?;
    let raw: [u8; 32] = raw.try_into().map_err(|_| bad("it is not 32 bytes long"))?;
    if key_id(&raw) != info.key_id {
        return Err(bad("its id is not derived from the key"));
    }
    VerifyingKey::from_bytes(&raw).map_err(|_| bad("it is not a valid Ed25519 point"))
}

/// Checks an `N.json` file: its signature, and that its entries are exactly the ones the signed
/// Merkle root and count commit to, numbered 1..n, of the manifest's body, each once.
pub fn verify_edition_json(bytes: &[u8], keys: &[PublicKeyInfo]) -> Result<EditionJson, VerifyError> {
    let edition: EditionJson = parse_exact(bytes, "edition JSON")?;
    let signed = SignedManifest { manifest: edition.manifest.clone(), signature: edition.signature.clone() };
    verify_signed_manifest(&signed, keys)?;
    let manifest = &edition.manifest;
    let found = edition.entries.len() as u64;
    if found != manifest.entries.count {
        return Err(VerifyError::Count { expected: manifest.entries.count, found });
    }
    let mut seen = std::collections::BTreeSet::new();
    for (index, entry) in edition.entries.iter().enumerate() {
        if u64::from(entry.position) != index as u64 + 1 {
            return Err(VerifyError::Position { index, found: entry.position });
        }
        if !seen.insert(entry.registry_number.as_str()) {
            return Err(VerifyError::DuplicateEntry(entry.registry_number.clone()));
        }
        check_body(manifest, &entry.registry_number, &entry.body.code)?;
    }
    let leaves: Vec<Hash> = edition.entries.iter().map(entry_leaf).collect();
    if hex::encode(merkle::root(&leaves)) != manifest.entries.merkle_root {
        return Err(VerifyError::MerkleRoot);
    }
    Ok(edition)
}

fn check_body(manifest: &Manifest, registry_number: &str, code: &str) -> Result<(), VerifyError> {
    if code == manifest.body.code {
        return Ok(());
    }
    Err(VerifyError::ForeignEntry {
        registry_number: registry_number.to_owned(),
        expected: manifest.body.code.clone(),
        found: code.to_owned(),
    })
}

/// Which edition a downloaded file is, by its size and SHA-256 alone: `(body code, edition, artifact
/// name)` of the first manifest that lists it. The manifests must have been verified by the caller.
pub fn match_artifact(bytes: &[u8], manifests: &[Manifest]) -> Option<(String, u32, String)> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let size = bytes.len() as u64;
    manifests.iter().find_map(|m| {
        m.artifacts
            .iter()
            .find(|a| a.bytes == size && a.sha256.eq_ignore_ascii_case(&sha256))
            .map(|a| (m.body.code.clone(), m.edition, a.name.clone()))
    })
}

/// Checks that `proof.entry` is in the edition of `manifest` (whose signature the caller verified),
/// at the place its position says.
pub fn verify_proof(proof: &InclusionProof, manifest: &Manifest) -> Result<(), VerifyError> {
    if proof.tree_size != manifest.entries.count {
        return Err(VerifyError::ProofTreeSize { proof: proof.tree_size, manifest: manifest.entries.count });
    }
    if proof.leaf_index + 1 != u64::from(proof.entry.position) {
        return Err(VerifyError::ProofIndex { leaf_index: proof.leaf_index, position: proof.entry.position });
    }
    check_body(manifest, &proof.entry.registry_number, &proof.entry.body.code)?;
    let path = proof.path.iter().map(|h| decode_hash(h, "inclusion proof")).collect::<Result<Vec<Hash>, _>>()?;
    let root = decode_hash(&manifest.entries.merkle_root, "manifest")?;
    let leaf = entry_leaf(&proof.entry);
    if merkle::verify_inclusion(&leaf, proof.leaf_index, proof.tree_size, &path, &root) {
        Ok(())
    } else {
        Err(VerifyError::ProofInvalid)
    }
}

/// [`verify_proof`] for a proof as served (`…/proof/{registry_number}`), read strictly from bytes.
pub fn verify_proof_json(bytes: &[u8], manifest: &Manifest) -> Result<InclusionProof, VerifyError> {
    let proof: InclusionProof = parse_exact(bytes, "inclusion proof")?;
    verify_proof(&proof, manifest)?;
    Ok(proof)
}

/// Checks that `manifests` are a body's editions 1..n in order, each linked to the one before by the
/// hash of its manifest. Signatures are checked separately ([`verify_signed_manifest`]).
pub fn verify_chain(manifests: &[Manifest]) -> Result<(), VerifyError> {
    let Some(first) = manifests.first() else {
        return Ok(());
    };
    if first.edition != 1 {
        return Err(VerifyError::ChainStart(first.edition));
    }
    if first.previous.is_some() {
        return Err(VerifyError::ChainLink { edition: 1, expected: None });
    }
    for pair in manifests.windows(2) {
        let (before, this) = (&pair[0], &pair[1]);
        if this.body.code != first.body.code {
            return Err(VerifyError::ChainBody {
                edition: this.edition,
                expected: first.body.code.clone(),
                found: this.body.code.clone(),
            });
        }
        if Some(this.edition) != before.edition.checked_add(1) {
            return Err(VerifyError::ChainGap { previous: before.edition, found: this.edition });
        }
        let link = this
            .previous
            .as_ref()
            .filter(|p| p.edition == before.edition)
            .ok_or(VerifyError::ChainLink { edition: this.edition, expected: Some(before.edition) })?;
        if link.manifest_sha256 != before.sha256_hex() {
            return Err(VerifyError::ChainHash { edition: this.edition, previous: before.edition });
        }
    }
    Ok(())
}

fn decode_hash(text: &str, what: &'static str) -> Result<Hash, VerifyError> {
    let malformed = || VerifyError::Malformed { what, detail: format!("`{text}` is not a 32-byte hex hash") };
    hex::decode(text).ok().and_then(|b| b.try_into().ok()).ok_or_else(malformed)
}

/// Parses `bytes` as `T`, and accepts it only when `T` re-serialises to the same canonical JSON, so that
/// nothing the typed form drops or fills in (an unknown member, a missing `null`) goes unnoticed.
fn parse_exact<T: DeserializeOwned + Serialize>(bytes: &[u8], what: &'static str) -> Result<T, VerifyError> {
    let malformed = |detail: String| VerifyError::Malformed { what, detail };
    let raw: Value = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    let typed: T = serde_json::from_value(raw.clone()).map_err(|e| malformed(e.to_string()))?;
    if jcs::to_canonical(&typed) != jcs::canonicalize(&raw) {
        return Err(malformed("it holds members or values outside the format".to_owned()));
    }
    Ok(typed)
}
