//! Optional encryption at rest of the edition signing keys' secret halves (`SENIM_KEY_PASSPHRASE`).
//!
//! Without a passphrase a secret is stored as its raw 32 bytes, as before. With one, a new key's secret
//! is stored sealed: `MAGIC ‖ salt (16) ‖ nonce (12) ‖ ChaCha20-Poly1305(secret) with tag (48)`, under a
//! key derived from the passphrase with Argon2id (the crate's defaults, as for passwords) and the salt.
//! A key stored before the passphrase was set stays raw until the next rotation; reading a sealed key
//! without the passphrase, or with a wrong one, is an error, never a silent fallback.

pub use crate::config::Passphrase;
use argon2::Argon2;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};

/// The prefix of a sealed secret (a raw secret is exactly 32 bytes, so the two cannot be confused).
pub const MAGIC: &[u8] = b"senim-sealed-key/1";
const SALT: usize = 16;
const NONCE: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the signing key is stored encrypted: set SENIM_KEY_PASSPHRASE")]
    PassphraseNeeded,
    #[error("the signing key could not be decrypted: wrong SENIM_KEY_PASSPHRASE, or the stored key is damaged")]
    Undecryptable,
    #[error("the stored signing key is malformed")]
    Malformed,
    #[error("key derivation or random numbers failed: {0}")]
    Crypto(String),
}

/// Whether a stored secret is sealed.
pub fn is_sealed(stored: &[u8]) -> bool {
    stored.starts_with(MAGIC)
}

fn aead_key(passphrase: &Passphrase, salt: &[u8]) -> Result<LessSafeKey, VaultError> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(passphrase.0.as_bytes(), salt, &mut key)
        .map_err(|e| VaultError::Crypto(e.to_string()))?;
    let unbound = UnboundKey::new(&CHACHA20_POLY1305, &key).map_err(|_| VaultError::Crypto("aead key".into()))?;
    Ok(LessSafeKey::new(unbound))
}

/// The bytes to store for `secret`: sealed under the passphrase, or raw without one.
pub fn seal(secret: &[u8; 32], passphrase: Option<&Passphrase>) -> Result<Vec<u8>, VaultError> {
    let Some(passphrase) = passphrase else { return Ok(secret.to_vec()) };
    let mut salt = [0u8; SALT];
    let mut nonce = [0u8; NONCE];
    getrandom::fill(&mut salt).map_err(|e| VaultError::Crypto(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| VaultError::Crypto(e.to_string()))?;
    let mut sealed = secret.to_vec();
    aead_key(passphrase, &salt)?
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(MAGIC), &mut sealed)
        .map_err(|_| VaultError::Crypto("seal".into()))?;
    Ok([MAGIC, &salt, &nonce, &sealed].concat())
}

/// The raw secret of stored bytes.
pub fn open(stored: &[u8], passphrase: Option<&Passphrase>) -> Result<[u8; 32], VaultError> {
    let Some(rest) = stored.strip_prefix(MAGIC) else {
        return stored.try_into().map_err(|_| VaultError::Malformed);
    };
    let passphrase = passphrase.ok_or(VaultError::PassphraseNeeded)?;
    if rest.len() != SALT + NONCE + 32 + CHACHA20_POLY1305.tag_len() {
        return Err(VaultError::Malformed);
    }
    let (salt, rest) = rest.split_at(SALT);
    let (nonce, sealed) = rest.split_at(NONCE);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| VaultError::Malformed)?;
    let mut buf = sealed.to_vec();
    let plain = aead_key(passphrase, salt)?
        .open_in_place(nonce, Aad::from(MAGIC), &mut buf)
        .map_err(|_| VaultError::Undecryptable)?;
    plain.try_into().map_err(|_| VaultError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_passphrase() {
        let secret = [7u8; 32];
        let pass = Passphrase("correct horse battery staple".into());
        let sealed = seal(&secret, Some(&pass)).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.windows(32).any(|w| w == secret), "the secret is not stored in clear");
        assert_eq!(open(&sealed, Some(&pass)).unwrap(), secret);
        assert!(matches!(open(&sealed, None), Err(VaultError::PassphraseNeeded)));
        assert!(matches!(open(&sealed, Some(&Passphrase("wrong".into()))), Err(VaultError::Undecryptable)));
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(matches!(open(&tampered, Some(&pass)), Err(VaultError::Undecryptable)));
    }

    #[test]
    fn without_a_passphrase_a_secret_is_stored_and_read_raw() {
        let secret = [9u8; 32];
        assert_eq!(seal(&secret, None).unwrap(), secret.to_vec());
        assert_eq!(open(&secret, None).unwrap(), secret);
        assert_eq!(open(&secret, Some(&Passphrase("p".into()))).unwrap(), secret, "a key stored before the passphrase");
        assert!(matches!(open(&[1, 2, 3], None), Err(VaultError::Malformed)));
    }
}
