//! The JSON objects of `senim-edition/1`, field for field as `edition-format.md` shows them.
//!
//! The manifest-side structs deny unknown fields and require `previous` to be present (even as
//! `null`): a verifier that silently dropped a misspelt or injected member would check a different
//! object than the one it was given. The outer [`SignedManifest`] stays open because
//! `…/editions/current` may add an `"edition"` member beside `manifest` and `signature`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use senim_domain::annex2::{Annex2Entry, BodyRef};
use senim_domain::lang::LangText;

use crate::jcs;

/// The `format` of every manifest this crate writes and accepts.
pub const FORMAT: &str = "senim-edition/1";

/// What an edition is: its body, number, time, Merkle root, change log and stored files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub body: BodyRef,
    pub edition: u32,
    /// Kazakhstan time, `2026-06-05T10:12:03+05:00`.
    pub published_at: String,
    /// `null` for edition 1; otherwise the hash link to the edition before.
    #[serde(deserialize_with = "Option::deserialize")]
    pub previous: Option<PreviousRef>,
    pub entries: EntriesRef,
    pub changes: Changes,
    pub artifacts: Vec<ArtifactRef>,
    pub key_id: String,
}

impl Manifest {
    /// `SHA-256(JCS(manifest))` in lowercase hex: what the next edition's `previous` points at.
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(jcs::to_canonical(self)))
    }

    /// The artifact of this name, if the manifest lists it.
    pub fn artifact(&self, name: &str) -> Option<&ArtifactRef> {
        self.artifacts.iter().find(|a| a.name == name)
    }
}

/// The hash-chain link to the previous edition of the same body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousRef {
    pub edition: u32,
    pub manifest_sha256: String,
}

/// How many entries the edition has and the Merkle root over them, in `position` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntriesRef {
    pub count: u64,
    pub merkle_root: String,
}

/// The change log against the previous edition, by registry number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    pub added: Vec<String>,
    pub amended: Vec<String>,
    pub excluded: Vec<Exclusion>,
}

/// An entry dropped from the List, with the written reason the architecture requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub registry_number: String,
    pub reason: LangText,
}

/// A stored rendering, matched by hash alone when someone brings a downloaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactRef {
    /// `{n}.{lang}.{ext}`, e.g. `3.kk.csv`.
    pub name: String,
    pub media_type: String,
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
}

/// The Ed25519 signature over `JCS(manifest)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Always `"Ed25519"`.
    pub alg: String,
    pub key_id: String,
    /// The 64-byte signature in standard padded base64.
    pub value: String,
}

/// A manifest as served: `{"manifest": {…}, "signature": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedManifest {
    pub manifest: Manifest,
    pub signature: Signature,
}

/// The edition JSON artifact `N.json`: the signed manifest and every entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionJson {
    pub manifest: Manifest,
    pub signature: Signature,
    pub entries: Vec<Annex2Entry>,
}

/// An RFC 9162 inclusion proof of one entry, as served at `…/proof/{registry_number}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// 0-based: `entry.position - 1`.
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The audit path, lowercase hex, nearest sibling first.
    pub path: Vec<String>,
    pub entry: Annex2Entry,
}
