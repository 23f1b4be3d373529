//! Rotation of the edition signing key by the system administrator (issue 5). The old key gets
//! `valid_until = now` and stays published at `GET /api/v1/keys`, so the editions it signed keep
//! verifying (`senim_publish::verify` accepts a retired key only for editions stamped no later than its
//! `valid_until`); a new key is generated and signs every later edition.
//!
//! Storage: the secret halves are kept in the database (`signing_keys.secret_key`), so that every
//! instance of a deployment signs with the same key and a backup restores it. Without
//! `SENIM_KEY_PASSPHRASE` they are stored unencrypted, and whoever can read the database or a backup can
//! sign editions; with it, new keys are sealed (`key_vault`). Rotate the key when it may have leaked.

use jiff::Timestamp;
use senim_domain::role::Role;
use senim_publish::keys::{EditionKey, PublicKeyInfo};
use senim_store::audit;
use senim_store::keys::{self, StoredKey};
use senim_store::users::User;
use serde_json::json;

use super::{ServiceError, ServiceResult};
use crate::AppState;

/// The outcome of a rotation.
#[derive(Debug, Clone)]
pub struct Rotation {
    /// The keys retired (normally one; none on a database that had no key yet).
    pub retired: Vec<String>,
    pub key: StoredKey,
}

/// Every key ever used, oldest first (public halves and validity only are shown from it).
pub async fn list(state: &AppState, user: &User) -> ServiceResult<Vec<StoredKey>> {
    admin_only(user)?;
    Ok(keys::all(&state.store).await?)
}

fn admin_only(user: &User) -> ServiceResult<()> {
    if user.role == Role::Admin { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Retires the active key at `now` and makes a new one active, in one transaction.
pub async fn rotate(state: &AppState, user: &User, now: Timestamp) -> ServiceResult<Rotation> {
    admin_only(user)?;
    let at = senim_store::rfc3339(now);
    let before: Vec<String> =
        keys::all(&state.store).await?.into_iter().filter(|k| k.valid_until.is_none()).map(|k| k.key_id).collect();
    let key = EditionKey::try_generate().map_err(|e| ServiceError::Internal(anyhow::anyhow!("random: {e}")))?;
    let stored = StoredKey {
        key_id: key.key_id(),
        public_key: key.public_bytes().to_vec(),
        secret_key: seal_secret(state, &key)?,
        valid_from: at.clone(),
        valid_until: None,
    };
    let mut tx = state.store.begin().await?;
    // The audit append comes first: it locks the audit head, so two rotations at once run one after the
    // other and the second retires the key the first made (never two active keys).
    audit::append(&mut tx, &user.id, "key.rotate", &stored.key_id, &json!({"retired": before, "at": at})).await?;
    keys::retire_active(&mut tx, &at).await?;
    keys::insert(&mut tx, &stored).await?;
    tx.commit().await?;
    Ok(Rotation { retired: before, key: stored })
}

/// The signing key, generated on first use.
pub async fn signing_key(state: &AppState) -> ServiceResult<EditionKey> {
    if let Some(k) = keys::active(&state.store).await? {
        return key_from_stored(state, &k);
    }
    let key = EditionKey::generate();
    let stored = StoredKey {
        key_id: key.key_id(),
        public_key: key.public_bytes().to_vec(),
        secret_key: seal_secret(state, &key)?,
        valid_from: senim_store::now_rfc3339(),
        valid_until: None,
    };
    let mut tx = state.store.begin().await?;
    keys::insert(&mut tx, &stored).await?;
    audit::append(&mut tx, "system", "key.generate", &stored.key_id, &json!({})).await?;
    tx.commit().await?;
    Ok(key)
}

fn key_from_stored(state: &AppState, k: &StoredKey) -> ServiceResult<EditionKey> {
    let secret = super::key_vault::open(&k.secret_key, state.config.key_passphrase.as_ref())
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("signing key {}: {e}", k.key_id)))?;
    Ok(EditionKey::from_secret_bytes(&secret))
}

/// The secret half as stored: sealed when a key passphrase is configured (see `key_vault`).
pub fn seal_secret(state: &AppState, key: &EditionKey) -> ServiceResult<Vec<u8>> {
    super::key_vault::seal(&key.secret_bytes(), state.config.key_passphrase.as_ref())
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("sealing the signing key: {e}")))
}

/// Every public key ever used, for `GET /api/v1/keys`.
pub async fn public_keys(state: &AppState) -> ServiceResult<Vec<PublicKeyInfo>> {
    use base64::Engine;
    Ok(keys::all(&state.store)
        .await?
        .into_iter()
        .map(|k| PublicKeyInfo {
            key_id: k.key_id,
            alg: "Ed25519".into(),
            public_key: base64::engine::general_purpose::STANDARD.encode(&k.public_key),
            valid_from: k.valid_from,
            valid_until: k.valid_until,
        })
        .collect())
}
