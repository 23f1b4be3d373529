//! `/verify`: anyone can check whether a file they hold is a published List artifact. The upload is
//! hashed as it streams in (never stored) and its SHA-256 looked up among the stored editions' artifacts.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use senim_store::{bodies, editions};
use sha2::{Digest, Sha256};

use super::{Ctx, render, service_error};
use crate::AppState;

/// The largest file `/verify` hashes.
pub const MAX_VERIFY_BYTES: usize = 50 * 1024 * 1024;

/// The kinds of file an edition publishes.
const EXTENSIONS: [&str; 5] = ["pdf", "csv", "xlsx", "html", "json"];

/// A published artifact that has the uploaded file's bytes.
pub struct Match {
    pub body_code: String,
    pub body_name: String,
    pub edition: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
pub struct Verify {
    pub p: Ctx,
    /// Set once a file was checked: its name and SHA-256.
    pub checked: Option<(String, String)>,
    pub matches: Vec<Match>,
    pub error: String,
}

pub async fn page(p: Ctx) -> Response {
    render(&Verify { p, checked: None, matches: Vec::new(), error: String::new() })
}

/// Hashes the uploaded `file` field, refusing other kinds than an edition publishes and files over
/// [`MAX_VERIFY_BYTES`]; returns its name and hex SHA-256, or the key of the error to show.
async fn hash_upload(multipart: &mut Multipart) -> Result<(String, String), &'static str> {
    while let Some(mut field) = multipart.next_field().await.map_err(|_| "verify-too-large")? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if name.is_empty() {
            return Err("verify-no-file");
        }
        if !EXTENSIONS.contains(&ext.as_str()) {
            return Err("verify-wrong-kind");
        }
        let mut hasher = Sha256::new();
        let mut size = 0usize;
        while let Some(chunk) = field.chunk().await.map_err(|_| "verify-too-large")? {
            size += chunk.len();
            if size > MAX_VERIFY_BYTES {
                return Err("verify-too-large");
            }
            hasher.update(&chunk);
        }
        if size == 0 {
            return Err("verify-no-file");
        }
        return Ok((name, hex::encode(hasher.finalize())));
    }
    Err("verify-no-file")
}

pub async fn check(p: Ctx, State(state): State<AppState>, mut multipart: Multipart) -> Response {
    let (name, sha) = match hash_upload(&mut multipart).await {
        Ok(v) => v,
        Err(key) => {
            let error = p.t(key);
            return render(&Verify { p, checked: None, matches: Vec::new(), error });
        }
    };
    let found = match editions::artifacts_by_sha256(&state.store, &sha).await {
        Ok(f) => f,
        Err(e) => return service_error(&p, e.into()),
    };
    let mut matches = Vec::new();
    for a in found {
        let body_name = match bodies::get(&state.store, &a.body_code).await {
            Ok(Some(b)) => p.text(&b.name),
            Ok(None) => a.body_code.clone(),
            Err(e) => return service_error(&p, e.into()),
        };
        matches.push(Match { body_code: a.body_code, body_name, edition: a.edition, name: a.name });
    }
    render(&Verify { p, checked: Some((name, sha)), matches, error: String::new() })
}
