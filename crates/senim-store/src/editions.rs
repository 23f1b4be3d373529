//! Published editions: immutable, numbered, with their stored artifacts (Rules §7).

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEdition {
    pub body_code: String,
    pub number: i64,
    pub published_at: String,
    pub manifest_sha256: String,
    /// `{"manifest", "signature"}` exactly as served.
    pub signed_manifest: String,
    /// The edition's entries, a JSON array.
    pub entries: String,
    pub published_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredArtifact {
    pub body_code: String,
    pub edition: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

pub async fn insert(tx: &mut Tx<'_>, e: &StoredEdition) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO editions (body_code, number, published_at, manifest_sha256, signed_manifest, entries, published_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&e.body_code).bind(e.number).bind(&e.published_at).bind(&e.manifest_sha256)
    .bind(&e.signed_manifest).bind(&e.entries).bind(&e.published_by)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))
    .map_err(|err| crate::conflict_on_unique(err, "editions.number"))?;
    Ok(())
}

/// Lists a file of an edition whose bytes are already stored ([`crate::blobs::put_alone`]).
pub async fn insert_artifact(
    tx: &mut Tx<'_>,
    body_code: &str,
    edition: i64,
    name: &str,
    media_type: &str,
    size: u64,
    sha256: &str,
) -> Result<()> {
    let size = i64::try_from(size).map_err(|_| crate::StoreError::corrupt(format!("{name}: {size} bytes")))?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO edition_artifacts (body_code, edition, name, media_type, size, sha256) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(body_code).bind(edition).bind(name).bind(media_type).bind(size).bind(sha256)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

const SELECT: &str =
    "SELECT body_code, number, published_at, manifest_sha256, signed_manifest, entries, published_by FROM editions ";

pub async fn get(store: &Store, body_code: &str, number: i64) -> Result<Option<StoredEdition>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE body_code = $1 AND number = $2"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(body_code).bind(number).fetch_optional(p).await)?)
}

pub async fn latest(store: &Store, body_code: &str) -> Result<Option<StoredEdition>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE body_code = $1 ORDER BY number DESC LIMIT 1"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_optional(p).await)?)
}

/// The number of the body's latest edition, without reading the edition (the web crate's caches of
/// immutable files and rendered List pages key on it).
pub async fn latest_number(store: &Store, body_code: &str) -> Result<Option<i64>> {
    Ok(on_pool!(store, p => sqlx::query_scalar("SELECT MAX(number) FROM editions WHERE body_code = $1")
        .bind(body_code)
        .fetch_one(p)
        .await)?)
}

/// The latest edition number of every body that has published, by body code: one small query on the
/// (body, number) key, so readers can check at each request that what they hold in memory is current.
pub async fn latest_numbers(store: &Store) -> Result<Vec<(String, i64)>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, MAX(number) FROM editions GROUP BY body_code ORDER BY body_code"
    )
    .fetch_all(p)
    .await)?)
}

/// The number and manifest hash of the body's latest edition, without its entries (what the next
/// edition links back to).
pub async fn latest_ref(store: &Store, body_code: &str) -> Result<Option<(i64, String)>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT number, manifest_sha256 FROM editions WHERE body_code = $1 ORDER BY number DESC LIMIT 1",
    )
    .bind(body_code)
    .fetch_optional(p)
    .await)?)
}

/// The latest edition's number inside a publishing transaction (locks nothing on SQLite, where the
/// writer holds the database; on PostgreSQL the unique key on (body, number) refuses a racing twin).
pub async fn latest_number_in(tx: &mut Tx<'_>, body_code: &str) -> Result<Option<i64>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar("SELECT MAX(number) FROM editions WHERE body_code = $1")
        .bind(body_code)
        .fetch_one(&mut *c)
        .await)?)
}

/// Every edition of a body, newest first, without the entries (for history pages).
pub async fn history(store: &Store, body_code: &str) -> Result<Vec<StoredEdition>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE body_code = $1 ORDER BY number DESC"));
    Ok(on_pool!(store, p => sqlx::query_as(sql).bind(body_code).fetch_all(p).await)?)
}

/// The newest edition of every body that has one.
pub async fn all_latest(store: &Store) -> Result<Vec<StoredEdition>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT} e WHERE number = (SELECT MAX(number) FROM editions x WHERE x.body_code = e.body_code) ORDER BY body_code"
    ));
    Ok(on_pool!(store, p => sqlx::query_as(sql).fetch_all(p).await)?)
}

pub async fn artifacts(store: &Store, body_code: &str, edition: i64) -> Result<Vec<StoredArtifact>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, edition, name, media_type, size, sha256 FROM edition_artifacts \
         WHERE body_code = $1 AND edition = $2 ORDER BY name",
    )
    .bind(body_code)
    .bind(edition)
    .fetch_all(p)
    .await)?)
}

pub async fn artifact(store: &Store, body_code: &str, edition: i64, name: &str) -> Result<Option<StoredArtifact>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, edition, name, media_type, size, sha256 FROM edition_artifacts \
         WHERE body_code = $1 AND edition = $2 AND name = $3",
    )
    .bind(body_code)
    .bind(edition)
    .bind(name)
    .fetch_optional(p)
    .await)?)
}

/// The published artifacts whose bytes have SHA-256 `sha256` (lower-case hex), oldest edition first.
pub async fn artifacts_by_sha256(store: &Store, sha256: &str) -> Result<Vec<StoredArtifact>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, edition, name, media_type, size, sha256 FROM edition_artifacts \
         WHERE sha256 = $1 ORDER BY body_code, edition, name",
    )
    .bind(sha256)
    .fetch_all(p)
    .await)?)
}

/// An edition without its entries: enough for history pages and feeds.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EditionSummary {
    pub body_code: String,
    pub number: i64,
    pub published_at: String,
    pub manifest_sha256: String,
    /// `{"manifest", "signature"}` exactly as served.
    pub signed_manifest: String,
}

/// Every edition of every body (or of `body_code` only), newest publication first.
pub async fn summaries(store: &Store, body_code: Option<&str>) -> Result<Vec<EditionSummary>> {
    Ok(on_pool!(store, p => sqlx::query_as(
        "SELECT body_code, number, published_at, manifest_sha256, signed_manifest FROM editions \
         WHERE $1 IS NULL OR body_code = $1 ORDER BY published_at DESC, body_code, number DESC",
    )
    .bind(body_code)
    .fetch_all(p)
    .await)?)
}
