//! Open data at stable addresses: the current edition's files under `/bodies/{code}/latest/…`, Atom
//! feeds of new editions, and each List's Data Package and DCAT descriptors (all unsigned; each points
//! at the signed files by URL and SHA-256).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use senim_domain::lang::Lang;
use senim_publish::opendata::{self, CC_BY_4_0};
use senim_publish::render::list_title;
use senim_store::{bodies, editions};

use super::Ctx;
use crate::AppState;
use crate::api::public::serve_artifact;
use crate::error::ApiError;
use crate::services::ServiceError;
use crate::services::lists::{self, site_url};

fn host(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok())
}

/// How long a "latest" file may be cached: a new edition shows within five minutes, and a reader who
/// needs the exact edition follows `Content-Location` to the immutable file.
pub const LATEST_CACHE: &str = "public, max-age=300";

/// Extensions a "latest" file can have; `json` is the language-independent edition JSON.
const EXTENSIONS: [&str; 5] = ["html", "csv", "xlsx", "pdf", "json"];

fn api_error(e: ServiceError) -> ApiError {
    match e {
        ServiceError::NotFound => ApiError::not_found(),
        other => {
            tracing::error!(error = %other, "open data");
            ApiError::internal()
        }
    }
}

/// `list.{lang}.{ext}` → the artifact name in edition `n`.
fn artifact_name(file: &str, n: i64) -> Option<String> {
    let rest = file.strip_prefix("list.")?;
    let (lang, ext) = rest.split_once('.')?;
    let lang = Lang::parse(lang)?;
    if !EXTENSIONS.contains(&ext) {
        return None;
    }
    Some(if ext == "json" { format!("{n}.json") } else { format!("{n}.{}.{ext}", lang.code()) })
}

/// `/bodies/{code}/latest/list.{lang}.{ext}`: the current edition's file, served (not redirected) with
/// a short cache lifetime, its SHA-256 as ETag, and `Content-Location` naming the immutable copy.
pub async fn latest(
    State(state): State<AppState>,
    Path((code, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Only the current edition's number is read; the file itself comes from the cache.
    let number = editions::latest_number(&state.store, &code)
        .await
        .map_err(|e| api_error(ServiceError::from(e)))?
        .ok_or_else(ApiError::not_found)?;
    let name = artifact_name(&file, number).ok_or_else(ApiError::not_found)?;
    let mut response = serve_artifact(&state, &code, number, &name, &headers).await?;
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(LATEST_CACHE));
    if let Ok(v) = HeaderValue::from_str(&format!("/bodies/{code}/editions/{number}/files/{name}")) {
        h.insert(header::CONTENT_LOCATION, v);
    }
    Ok(response)
}

fn atom(xml: String) -> Response {
    ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (header::CACHE_CONTROL, LATEST_CACHE)], xml)
        .into_response()
}

/// `/feed.atom`: every edition of every body, newest first, in the reader's language.
pub async fn site_feed(p: Ctx, State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let site = site_url(&state, host(&headers));
    let all = editions::summaries(&state.store, None).await.map_err(|e| api_error(e.into()))?;
    let entries = lists::feed_entries(&site, p.lang, &all).map_err(api_error)?;
    let url = format!("{site}/feed.atom");
    let title = format!("{} — {}", p.t("site-name"), p.t("feed-editions"));
    Ok(atom(opendata::atom_feed(&url, &title, &url, &entries)))
}

/// `/bodies/{code}/feed.atom`: the body's editions, newest first.
pub async fn body_feed(
    p: Ctx,
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let body =
        bodies::get(&state.store, &code).await.map_err(|e| api_error(e.into()))?.ok_or_else(ApiError::not_found)?;
    let site = site_url(&state, host(&headers));
    let all = editions::summaries(&state.store, Some(&code)).await.map_err(|e| api_error(e.into()))?;
    let entries = lists::feed_entries(&site, p.lang, &all).map_err(api_error)?;
    let url = format!("{site}/bodies/{code}/feed.atom");
    let title = format!("{} — {}", list_title(p.lang), body.name.best(p.lang));
    Ok(atom(opendata::atom_feed(&url, &title, &url, &entries)))
}

async fn current_manifest(state: &AppState, code: &str) -> Result<senim_publish::manifest::Manifest, ApiError> {
    let e =
        editions::latest(&state.store, code).await.map_err(|e| api_error(e.into()))?.ok_or_else(ApiError::not_found)?;
    Ok(lists::signed_manifest(&e.signed_manifest).map_err(api_error)?.manifest)
}

fn json(media_type: &'static str, value: &serde_json::Value) -> Response {
    let body = serde_json::to_vec_pretty(value).unwrap_or_default();
    (StatusCode::OK, [(header::CONTENT_TYPE, media_type), (header::CACHE_CONTROL, LATEST_CACHE)], body).into_response()
}

/// `/bodies/{code}/datapackage.json`: the current edition's CSV files as a Frictionless Data Package
/// (absolute, immutable file URLs with their sizes and SHA-256).
pub async fn datapackage(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let manifest = current_manifest(&state, &code).await?;
    let base =
        format!("{}/api/v1/bodies/{code}/editions/{}/files/", site_url(&state, host(&headers)), manifest.edition);
    Ok(json("application/json", &opendata::data_package(&manifest, &base, &CC_BY_4_0)))
}

/// `/bodies/{code}/dcat.jsonld`: the List as a DCAT dataset whose distributions are the "latest" URLs.
pub async fn dcat(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let manifest = current_manifest(&state, &code).await?;
    Ok(json("application/ld+json", &opendata::dcat_dataset(&manifest, &site_url(&state, host(&headers)), &CC_BY_4_0)))
}

#[cfg(test)]
mod tests {
    use super::artifact_name;

    #[test]
    fn latest_names_map_onto_the_editions_files() {
        assert_eq!(artifact_name("list.kk.csv", 3).as_deref(), Some("3.kk.csv"));
        assert_eq!(artifact_name("list.ru.pdf", 12).as_deref(), Some("12.ru.pdf"));
        assert_eq!(artifact_name("list.en.json", 2).as_deref(), Some("2.json"));
        assert_eq!(artifact_name("list.de.csv", 2), None);
        assert_eq!(artifact_name("list.kk.exe", 2), None);
        assert_eq!(artifact_name("3.kk.csv", 3), None);
        assert_eq!(artifact_name("list.kk.csv.gz", 3), None);
    }
}
