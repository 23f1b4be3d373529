//! Public pages: the bodies, downloads; health checks. Each body's List is in [`super::list`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use senim_domain::lang::Lang;
use serde::Deserialize;

use super::{Ctx, error_page, render};
use crate::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/style.css"),
    )
        .into_response()
}

/// The one script: live BIN/IIN check-digit feedback (the pages work without it).
pub async fn bin_check_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/bin-check.js"),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Sets the language cookie and returns to the page (only to a local path).
/// Sets the reading language; for a signed-in user it also becomes the language of their e-mails.
pub async fn switch_language(
    p: Ctx,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Kk);
    if let Some(user) = &p.user
        && user.lang != lang.code()
        && let Err(e) = senim_store::users::set_lang(&state.store, &user.id, lang.code()).await
    {
        tracing::warn!(error = %e, "saving the language of e-mails");
    }
    let next = Some(super::account::local_path(q.next)).filter(|n| !n.is_empty()).unwrap_or_else(|| "/".into());
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
}

pub struct BodyRow {
    pub code: String,
    pub name: String,
    pub entries: usize,
    pub edition: Option<i64>,
    pub published_on: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct Home {
    pub p: Ctx,
    pub bodies: Vec<BodyRow>,
}

pub async fn home(p: Ctx, State(state): State<AppState>) -> Response {
    let (all, current) = match (crate::published::bodies(&state).await, crate::published::all_current(&state).await) {
        (Ok(a), Ok(c)) => (a, c),
        _ => return error_page(&p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal"),
    };
    let rows = all
        .iter()
        .map(|b| {
            let ed = current.iter().find(|e| e.body_code == b.code);
            BodyRow {
                code: b.code.clone(),
                name: p.text(&b.short_name),
                entries: ed.map_or(0, |e| e.entries.len()),
                edition: ed.map(|e| e.number),
                published_on: ed.map(|e| e.published_at.chars().take(10).collect()).unwrap_or_default(),
            }
        })
        .collect();
    render(&Home { p, bodies: rows })
}

/// The same stored bytes as the API serves, at a page-friendly address.
pub async fn download(
    State(state): State<AppState>,
    Path((code, n, name)): Path<(String, i64, String)>,
    headers: HeaderMap,
) -> Response {
    match crate::api::public::serve_artifact(&state, &code, n, &name, &headers).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}
