//! What every page handler starts from — the request's language, path, user and query ([`Ctx`]) — and
//! how a page answers: rendered, as an error page, a redirect or a download.

use crate::AppState;
use crate::auth::MaybeUser;
use crate::i18n;
use crate::services::ServiceError;
use askama::Template;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use senim_domain::application::FieldError;
use senim_domain::lang::{Lang, LangText};
use senim_store::users::User;
use serde::Deserialize;

/// What every page needs: the reader's language and who is signed in.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<User>,
    /// The current path, for the language switcher.
    pub path: String,
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let q = Query::<LangQuery>::from_request_parts(parts, state).await.ok().and_then(|q| q.0.lang);
        let lang = i18n::negotiate(q.as_deref(), &parts.headers);
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await.unwrap_or(MaybeUser(None));
        Ok(Ctx { lang, user, path: parts.uri.path().to_owned() })
    }
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    pub fn ta(&self, key: &str, name: &'static str, value: &str) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_owned())])
    }
    /// A message with two named arguments.
    pub fn t_two(&self, key: &str, a: &'static str, av: &str, b: &'static str, bv: &str) -> String {
        i18n::t_args(self.lang, key, &[(a, av.to_owned()), (b, bv.to_owned())])
    }
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
    pub fn text(&self, t: &LangText) -> String {
        t.best(self.lang).to_owned()
    }
    pub fn status(&self, code: &str) -> String {
        self.t(&format!("status-{code}"))
    }
    pub fn role(&self) -> &'static str {
        self.user.as_ref().map_or("", |u| u.role.code())
    }
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        [(Lang::Kk, "Қазақша"), (Lang::Ru, "Русский"), (Lang::En, "English")]
            .into_iter()
            .map(|(l, name)| (l.code(), name, l == self.lang))
            .collect()
    }
    pub fn error_text(&self, e: &FieldError) -> String {
        i18n::error_message(self.lang, e.code)
    }
    pub fn field_label(&self, field: &str) -> String {
        i18n::field_label(self.lang, field)
    }
}

/// Renders a template, or a logged 500 page if rendering itself fails.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub p: Ctx,
    pub title: String,
    pub message: String,
}

/// An error shown as a page in the reader's language.
pub fn error_page(p: &Ctx, status: StatusCode, key: &str) -> Response {
    let page = ErrorPage { title: p.t(&format!("{key}-title")), message: p.t(&format!("{key}-text")), p: p.clone() };
    (status, render(&page)).into_response()
}

/// Maps a workflow error onto a page.
pub fn service_error(p: &Ctx, e: ServiceError) -> Response {
    match e {
        ServiceError::NotFound => error_page(p, StatusCode::NOT_FOUND, "page-not-found"),
        ServiceError::Forbidden => error_page(p, StatusCode::FORBIDDEN, "page-forbidden"),
        ServiceError::State(_) | ServiceError::Invalid(_) => error_page(p, StatusCode::CONFLICT, "page-conflict"),
        ServiceError::Internal(e) => {
            tracing::error!(error = %e, "internal error");
            error_page(p, StatusCode::INTERNAL_SERVER_ERROR, "page-internal")
        }
    }
}

/// A page that needs a signed-in user: otherwise to the sign-in page, then back.
pub fn require_user(p: &Ctx) -> Result<&User, Response> {
    p.user.as_ref().ok_or_else(|| Redirect::to(&format!("/signin?next={}", urlencode(&p.path))).into_response())
}

pub use senim_app::percent::encode_path as urlencode;

/// A redirect after a successful POST (303, so the browser GETs the result).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Sends stored bytes as a download with their stored media type (never rendered inline).
pub fn download_response(bytes: Vec<u8>, media_type: &str, filename: &str) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = media_type.parse() {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ascii: String =
        filename.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    if let Ok(v) = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", urlencode(filename)).parse() {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    (headers, bytes).into_response()
}
