//! Public, unauthenticated calls: bodies, BIN/IIN check, editions, artifacts, proofs, keys, search.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use senim_domain::annex2::Annex2Entry;
use senim_domain::application::FieldError;
use senim_domain::identity;
use senim_publish::edition;
use senim_store::{blobs, editions};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiLang;
use super::{ApiPath as Path, ApiQuery as Query};
use crate::AppState;
use crate::cache::{self, CachedFile};
use crate::error::ApiError;

#[derive(Serialize, ToSchema)]
pub struct BodySummary {
    pub code: String,
    #[schema(value_type = Object)]
    pub name: senim_domain::lang::LangText,
    pub current_edition: Option<i64>,
    pub entries: i64,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "internal error");
    ApiError::internal()
}

/// Every sectoral state body, with its current edition and number of entries.
#[utoipa::path(get, path = "/api/v1/bodies", tag = "public", responses((status = 200, body = [BodySummary])))]
pub async fn bodies(State(state): State<AppState>) -> Result<Json<Vec<BodySummary>>, ApiError> {
    let all = crate::published::bodies(&state).await.map_err(ApiError::from)?;
    let current = crate::published::all_current(&state).await.map_err(ApiError::from)?;
    let out = all
        .iter()
        .map(|b| {
            let ed = current.iter().find(|e| e.body_code == b.code);
            BodySummary {
                code: b.code.clone(),
                name: b.name.clone(),
                current_edition: ed.map(|e| e.number),
                entries: ed.map_or(0, |e| e.entries.len() as i64),
            }
        })
        .collect();
    Ok(Json(out))
}

/// BIN/IIN check: check digit and what the number encodes. 200 for twelve digits, also when they are
/// not a valid number; a text that is not twelve digits is a malformed request (422, field `number`,
/// code `bin_iin.format`).
#[utoipa::path(get, path = "/api/v1/id/{number}", tag = "public",
    params(("number" = String, Path, description = "12-digit BIN or IIN")),
    responses((status = 200, description = "`{valid, kind, …decoded parts}`", body = Object),
        (status = 422, description = "not twelve digits: problem JSON (`application/problem+json`), field `number`, code `bin_iin.format`")))]
pub async fn id_check(
    ApiLang(lang): ApiLang,
    Path(number): Path<String>,
) -> Result<Json<identity::IdReport>, ApiError> {
    let report = identity::report(&number);
    let malformed = identity::IdError::Format.code();
    if report.error == Some(malformed) {
        return Err(ApiError::validation(vec![FieldError::new("number", malformed)]).lang(lang));
    }
    Ok(Json(report))
}

/// Public keys of edition signatures, retired ones included.
#[utoipa::path(get, path = "/api/v1/keys", tag = "public", responses((status = 200, body = [Object])))]
pub async fn keys(State(state): State<AppState>) -> Result<Response, ApiError> {
    let keys = crate::services::publication::public_keys(&state).await?;
    Ok(Json(keys).into_response())
}

async fn stored_edition(state: &AppState, code: &str, n: i64) -> Result<editions::StoredEdition, ApiError> {
    editions::get(&state.store, code, n).await.map_err(internal)?.ok_or_else(ApiError::not_found)
}

/// The current edition's number and signed manifest; 404 when the body has none yet.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/editions/current", tag = "public",
    params(("code" = String, Path)), responses((status = 200, body = Object), (status = 404)))]
pub async fn current_edition(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, ApiError> {
    let e = editions::latest(&state.store, &code).await.map_err(internal)?.ok_or_else(ApiError::not_found)?;
    let mut v: serde_json::Value = serde_json::from_str(&e.signed_manifest).map_err(internal)?;
    v["edition"] = e.number.into();
    Ok(Json(v).into_response())
}

/// An edition's signed manifest.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/editions/{n}/manifest", tag = "public",
    params(("code" = String, Path), ("n" = i64, Path)), responses((status = 200, body = Object), (status = 400), (status = 404)))]
pub async fn manifest(
    State(state): State<AppState>,
    Path((code, n)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let e = stored_edition(&state, &code, n).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], e.signed_manifest).into_response())
}

/// A stored artifact of an edition, byte-identical forever.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/editions/{n}/files/{name}", tag = "public",
    params(("code" = String, Path), ("n" = i64, Path), ("name" = String, Path)),
    responses((status = 200, description = "the artifact's bytes"), (status = 304), (status = 400), (status = 404)))]
pub async fn artifact(
    State(state): State<AppState>,
    Path((code, n, name)): Path<(String, i64, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    serve_artifact(&state, &code, n, &name, &headers).await
}

/// How long a dated edition file may be cached: forever, it never changes.
pub const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// Serves an edition's stored file from the in-memory cache (read from the database once), in the
/// best variant `Accept-Encoding` allows (brotli, gzip, identity), with a strong ETag per variant,
/// `Vary: Accept-Encoding` and an immutable cache lifetime; 304 when `If-None-Match` names the variant.
pub async fn serve_artifact(
    state: &AppState,
    code: &str,
    n: i64,
    name: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let file = match state.caches.artifacts.get(code, n, name) {
        Some(f) => f,
        None => {
            let lock = state.caches.artifacts.loading(code, n, name);
            let _one_reader = lock.lock().await;
            let file = load_artifact(state, code, n, name).await;
            state.caches.artifacts.loaded(code, n, name);
            file?
        }
    };
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok());
    let (coding, bytes) = file.variant(accept);
    let etag = coding.etag(&file.sha256);
    let mut h = HeaderMap::new();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE_CACHE));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if cache::none_match(headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()), &etag) {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    let media = if file.media_type.starts_with("text/") {
        format!("{}; charset=utf-8", file.media_type)
    } else {
        file.media_type.clone()
    };
    let disposition =
        if name.ends_with(".html") { "inline".to_owned() } else { format!("attachment; filename=\"{code}-{name}\"") };
    for (k, v) in [(header::CONTENT_TYPE, media), (header::CONTENT_DISPOSITION, disposition)] {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    if let Some(enc) = coding.header() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    Ok((h, bytes).into_response())
}

/// A file not in the cache: read from the database (checked against its hash), kept in the cache if
/// it fits, with its compressed variants made now (small files) or in the background (large ones).
async fn load_artifact(
    state: &AppState,
    code: &str,
    n: i64,
    name: &str,
) -> Result<std::sync::Arc<CachedFile>, ApiError> {
    if let Some(f) = state.caches.artifacts.peek(code, n, name) {
        return Ok(f); // another reader loaded it while this one waited
    }
    let a = editions::artifact(&state.store, code, n, name).await.map_err(internal)?.ok_or_else(ApiError::not_found)?;
    let bytes = blobs::get(&state.store, &a.sha256).await.map_err(internal)?.ok_or_else(ApiError::internal)?;
    if state.caches.artifacts.keeps(bytes.len()) && bytes.len() <= cache::COMPRESS_INLINE {
        let file = tokio::task::spawn_blocking(move || CachedFile::build(a.media_type, a.sha256, bytes))
            .await
            .map_err(internal)?;
        let file = std::sync::Arc::new(file);
        state.caches.artifacts.put(code, n, name, file.clone());
        Ok(file)
    } else if state.caches.artifacts.keeps(bytes.len()) {
        // A large file: kept and answered as stored now, its variants made in the background.
        let file = std::sync::Arc::new(CachedFile::identity_only(a.media_type, a.sha256, bytes));
        state.caches.artifacts.put(code, n, name, file.clone());
        if file.compressible() {
            let (caches, code, name, stored) = (state.caches.clone(), code.to_owned(), name.to_owned(), file.clone());
            tokio::task::spawn_blocking(move || {
                let full =
                    CachedFile::build(stored.media_type.clone(), stored.sha256.clone(), stored.identity.to_vec());
                caches.artifacts.put(&code, n, &name, std::sync::Arc::new(full));
            });
        }
        Ok(file)
    } else {
        Ok(std::sync::Arc::new(CachedFile::identity_only(a.media_type, a.sha256, bytes)))
    }
}

/// The inclusion proof of an entry in an edition (RFC 9162 audit path).
#[utoipa::path(get, path = "/api/v1/bodies/{code}/editions/{n}/proof/{registry_number}", tag = "public",
    params(("code" = String, Path), ("n" = i64, Path), ("registry_number" = String, Path)),
    responses((status = 200, body = Object), (status = 400), (status = 404)))]
pub async fn proof(
    State(state): State<AppState>,
    Path((code, n, number)): Path<(String, i64, String)>,
) -> Result<Response, ApiError> {
    let e = stored_edition(&state, &code, n).await?;
    let entries: Vec<Annex2Entry> = serde_json::from_str(&e.entries).map_err(internal)?;
    let proof = edition::proof(&entries, &number).ok_or_else(ApiError::not_found)?;
    Ok(Json(proof).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words to find in the system's name, owner, area or functionality (any language), its registry number or the owner's BIN.
    #[serde(default)]
    pub q: String,
    /// How many hits to return: 1 to 500, 20 when not given. The total is in `X-Total-Count`; a
    /// `Link` header with `rel="next"` gives the next page while there is one.
    #[serde(default)]
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    pub limit: String,
    /// How many hits to skip (0 when not given).
    #[serde(default)]
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: String,
}

/// Hits per search answer unless `limit` says otherwise, and the most one answer gives.
pub const SEARCH_LIMIT: (usize, usize) = (20, 500);

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    pub body: String,
    pub edition: i64,
    #[schema(value_type = Object)]
    pub entry: Annex2Entry,
}

/// A [`SearchHit`] as it is written, borrowing the held edition's entry rather than copying it.
#[derive(Serialize)]
struct SearchHitRef<'a> {
    body: &'a str,
    edition: i64,
    entry: &'a Annex2Entry,
}

/// Entries of every body's current edition matching `q`, bodies in order of their codes and entries
/// in edition order, a page at a time (`limit`, `offset`).
#[utoipa::path(get, path = "/api/v1/search", tag = "public", params(SearchQuery),
    responses((status = 200, body = [SearchHit],
        headers(("X-Total-Count" = u64, description = "hits in all"),
            ("Link" = String, description = "`<…>; rel=\"next\"` while more hits follow"))),
        (status = 400, description = "a query string that cannot be read (a parameter given twice)"),
        (status = 422, description = "`limit` or `offset` is not a whole number in range: field errors `search.limit`, `search.offset`")))]
pub async fn search(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    Query(q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    // A bad `limit` or `offset` is a field error in the reader's language (both reported at once).
    let number = |v: &str, default: usize, range: std::ops::RangeInclusive<usize>| {
        let v = v.trim();
        if v.is_empty() {
            return Some(default);
        }
        v.parse::<usize>().ok().filter(|n| range.contains(n))
    };
    let limit = number(&q.limit, SEARCH_LIMIT.0, 1..=SEARCH_LIMIT.1);
    let offset = number(&q.offset, 0, 0..=usize::MAX >> 1);
    let (Some(limit), Some(offset)) = (limit, offset) else {
        let mut errors = Vec::new();
        if limit.is_none() {
            errors.push(senim_domain::application::FieldError::new("limit", "search.limit"));
        }
        if offset.is_none() {
            errors.push(senim_domain::application::FieldError::new("offset", "search.offset"));
        }
        return Err(ApiError::validation(errors).lang(lang));
    };
    let needle = q.q.trim().to_lowercase();
    let current = crate::published::all_current(&state).await.map_err(|e| ApiError::from(e).lang(lang))?;
    // A query answered recently is taken from memory; another is collected on a blocking thread (a
    // word found in most of 100,000 entries takes milliseconds).
    let scope = crate::published::Scope::Everything;
    let found: Vec<std::sync::Arc<[u32]>> = match current.iter().map(|e| e.recently_matched(&needle, scope)).collect() {
        Some(found) => found,
        None => {
            let (current, needle) = (current.clone(), needle.clone());
            tokio::task::spawn_blocking(move || current.iter().map(|e| e.matching_cached(&needle, scope)).collect())
                .await
                .map_err(internal)?
        }
    };
    let total: usize = found.iter().map(|f| f.len()).sum();
    let mut hits: Vec<SearchHitRef> = Vec::with_capacity(limit.min(total));
    let mut skip = offset;
    for (e, found) in current.iter().zip(&found) {
        let here = found.get(skip.min(found.len())..).unwrap_or_default();
        skip = skip.saturating_sub(found.len());
        for &i in here.iter().take(limit - hits.len()) {
            hits.push(SearchHitRef { body: &e.body_code, edition: e.number, entry: &e.entries[i as usize] });
        }
    }
    let mut h = HeaderMap::new();
    h.insert("x-total-count", HeaderValue::from(total as u64));
    if offset + limit < total {
        let next = format!(
            "</api/v1/search?q={}&limit={limit}&offset={}>; rel=\"next\"",
            crate::search::encode(q.q.trim()),
            offset + limit
        );
        if let Ok(v) = HeaderValue::from_str(&next) {
            h.insert(header::LINK, v);
        }
    }
    Ok((h, Json(hits)).into_response())
}
