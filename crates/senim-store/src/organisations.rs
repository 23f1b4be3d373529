//! Applicant organisations: a company (BIN) or a person (IIN) whose members file applications together.
//! The profile is the Annex 1 applicant block, kept as JSON and copied into each new application.

use senim_domain::application::Applicant;
use uuid::Uuid;

use crate::{Result, Store, StoreError, Tx, conflict_on_unique, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: String,
    pub bin_iin: String,
    pub profile: Applicant,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    bin_iin: String,
    profile: String,
    updated_at: String,
}

impl TryFrom<Row> for Organisation {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self> {
        Ok(Organisation {
            profile: serde_json::from_str(&r.profile)?,
            id: r.id,
            bin_iin: r.bin_iin,
            updated_at: r.updated_at,
        })
    }
}

/// Registers an organisation; a second one with the same BIN/IIN is a `Conflict("organisations.bin_iin")`.
pub async fn create(tx: &mut Tx<'_>, profile: &Applicant) -> Result<Organisation> {
    let id = Uuid::new_v4().to_string();
    let now = crate::now_rfc3339();
    let json = serde_json::to_string(profile)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO organisations (id, bin_iin, profile, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&id).bind(profile.bin_iin.trim()).bind(&json).bind(&now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|e| conflict_on_unique(e, "organisations.bin_iin"))?;
    Ok(Organisation { id, bin_iin: profile.bin_iin.trim().to_owned(), profile: profile.clone(), updated_at: now })
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Organisation>> {
    let row: Option<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT id, bin_iin, profile, updated_at FROM organisations WHERE id = $1",
    ).bind(id).fetch_optional(p).await)?;
    row.map(Organisation::try_from).transpose()
}

pub async fn by_bin_iin(store: &Store, bin_iin: &str) -> Result<Option<Organisation>> {
    let row: Option<Row> = on_pool!(store, p => sqlx::query_as(
        "SELECT id, bin_iin, profile, updated_at FROM organisations WHERE bin_iin = $1",
    ).bind(bin_iin.trim()).fetch_optional(p).await)?;
    row.map(Organisation::try_from).transpose()
}

/// Replaces the profile. The BIN/IIN identifies the organisation and does not change.
pub async fn save_profile(tx: &mut Tx<'_>, id: &str, profile: &Applicant) -> Result<()> {
    let json = serde_json::to_string(profile)?;
    on_tx!(tx, c => sqlx::query("UPDATE organisations SET profile = $1, updated_at = $2 WHERE id = $3")
        .bind(&json).bind(crate::now_rfc3339()).bind(id)
        .execute(&mut *c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}
