//! Ed25519 signing keys of editions and the public key list (`GET /api/v1/keys`).
//!
//! Ed25519 because it has one parameter set, small keys and deterministic signatures, and libraries
//! in every language verify it: a third party needs nothing else (`edition-format.md`, "Signature").

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The only signature algorithm of `senim-edition/1`, as written in manifests and the key list.
pub const ALG: &str = "Ed25519";

/// The key an edition is signed with.
///
/// `Debug` shows only the key id, so that the secret never reaches a log.
#[derive(Clone)]
pub struct EditionKey {
    signing: SigningKey,
}

impl EditionKey {
    /// A fresh key from the operating system's random source.
    ///
    /// # Panics
    /// When the operating system cannot supply randomness, which leaves no safe way to make a key; use
    /// [`EditionKey::try_generate`] to handle that instead.
    pub fn generate() -> EditionKey {
        Self::try_generate().expect("the operating system's random source failed")
    }

    /// A fresh key, or the random source's error.
    pub fn try_generate() -> Result<EditionKey, getrandom::Error> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)?;
        Ok(Self::from_secret_bytes(&secret))
    }

    /// The key with this 32-byte Ed25519 secret (seed), e.g. as kept by the key store.
    pub fn from_secret_bytes(secret: &[u8; 32]) -> EditionKey {
        EditionKey { signing: SigningKey::from_bytes(secret) }
    }

    /// The 32-byte secret, for the key store. Handle with care.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }

    /// The raw 32-byte public key.
    pub fn public_bytes(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// This key's id; see [`key_id`].
    pub fn key_id(&self) -> String {
        key_id(&self.public_bytes())
    }

    /// The 64-byte Ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// This key's entry in the public key list.
    pub fn public_key_info(&self, valid_from: &str, valid_until: Option<&str>) -> PublicKeyInfo {
        PublicKeyInfo {
            key_id: self.key_id(),
            alg: ALG.to_owned(),
            public_key: STANDARD.encode(self.public_bytes()),
            valid_from: valid_from.to_owned(),
            valid_until: valid_until.map(str::to_owned),
        }
    }
}

impl std::fmt::Debug for EditionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditionKey").field("key_id", &self.key_id()).finish_non_exhaustive()
    }
}

/// The id of a public key: lowercase hex of the first 8 bytes of `SHA-256(public key)`.
///
/// Derived from the key itself, so a verifier can check that a listed id belongs to its key.
pub fn key_id(public: &[u8; 32]) -> String {
    let digest = Sha256::digest(public);
    hex::encode(&digest[..8])
}

/// One entry of `GET /api/v1/keys`. A retired key stays listed with `valid_until` set, so that old
/// editions keep verifying.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PublicKeyInfo {
    pub key_id: String,
    /// Always [`ALG`].
    pub alg: String,
    /// The raw 32-byte public key in standard padded base64 (RFC 4648 §4).
    pub public_key: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_round_trips_and_debug_hides_it() {
        let key = EditionKey::generate();
        let again = EditionKey::from_secret_bytes(&key.secret_bytes());
        assert_eq!(again.public_bytes(), key.public_bytes());
        let shown = format!("{key:?}");
        assert!(shown.contains(&key.key_id()));
        assert!(!shown.contains(&hex::encode(key.secret_bytes())));
    }

    /// RFC 8032 §7.1, TEST 1: the secret key and the public key it yields.
    #[test]
    fn rfc8032_test_1_public_key() {
        let secret = hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        let key = EditionKey::from_secret_bytes(&secret.try_into().unwrap());
        assert_eq!(hex::encode(key.public_bytes()), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assert_eq!(key.key_id(), hex::encode(&Sha256::digest(key.public_bytes())[..8]));
        assert_eq!(key.key_id().len(), 16);
    }
}
