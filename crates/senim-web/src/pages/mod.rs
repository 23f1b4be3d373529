//! Server-rendered pages. Every page works without JavaScript; forms post back to the same origin.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use senim_domain::application::FieldError;
use senim_domain::lang::{Lang, LangText};
use senim_store::users::User;
use serde::Deserialize;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::i18n;
use crate::services::ServiceError;

pub mod account;
pub mod admin;
pub mod applicant;
pub mod calendar_admin;
pub mod case;
pub mod dashboard;
pub mod document;
pub mod editions;
pub mod entry;
pub mod list;
pub mod opendata;
pub mod organisation;
pub mod public;
pub mod publisher;
pub mod reports;
pub mod second_factor;
pub mod signing_keys;
pub mod signup;
pub mod staff;
pub mod staff_admin;
pub mod tasks;
pub mod verify;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(public::home))
        .route("/healthz", get(public::healthz))
        .route("/readyz", get(public::readyz))
        .route("/metrics", get(crate::telemetry::handler))
        .route("/static/style.css", get(public::stylesheet))
        .route("/static/bin-check.js", get(public::bin_check_script))
        .route("/lang/{code}", get(public::switch_language))
        .route("/bodies/{code}", get(list::body_list))
        .route("/lists", get(list::national_list))
        .route(
            "/verify",
            get(verify::page)
                .post(verify::check)
                .layer(axum::extract::DefaultBodyLimit::max(verify::MAX_VERIFY_BYTES + 64 * 1024)),
        )
        .route("/bodies/{code}/editions/{n}/files/{name}", get(public::download))
        .route("/bodies/{code}/latest/{file}", get(opendata::latest))
        .route("/bodies/{code}/entries/{number}", get(entry::entry))
        .route("/bodies/{code}/editions", get(editions::editions))
        .route("/bodies/{code}/editions/diff", get(editions::diff))
        .route("/bodies/{code}/feed.atom", get(opendata::body_feed))
        .route("/bodies/{code}/datapackage.json", get(opendata::datapackage))
        .route("/bodies/{code}/dcat.jsonld", get(opendata::dcat))
        .route("/feed.atom", get(opendata::site_feed))
        .route("/signin", get(account::signin_page).post(account::signin))
        .route("/signout", post(account::signout))
        .route("/account", get(account::account_page))
        .route("/account/tokens", post(account::create_token))
        .route("/account/password", post(account::change_password))
        .route("/register", get(signup::register_page).post(signup::register))
        .route("/confirm", post(signup::confirm))
        .route("/confirm/resend", get(signup::resend_page).post(signup::resend))
        .route("/confirm/{token}", get(signup::confirm_page))
        .route("/password/forgot", get(signup::forgot_page).post(signup::forgot))
        .route("/password/reset/{token}", get(signup::reset_page).post(signup::reset))
        .route("/invite/{token}", get(signup::invite_page).post(signup::accept_invite))
        .route("/organisation", get(organisation::show).post(organisation::save))
        .route("/organisation/invite", post(organisation::invite))
        .route("/applications", get(applicant::list).post(applicant::create))
        .route("/applications/{id}", get(applicant::show))
        .route("/applications/{id}/edit", get(applicant::edit_page).post(applicant::edit))
        .route("/applications/{id}/edit/{section}", get(tasks::section_page).post(tasks::section_save))
        .route("/applications/{id}/check", get(tasks::check_page))
        .route("/applications/{id}/rounds/{n}/receipt", get(case::receipt))
        .route("/applications/{id}/rounds/{n}/annex1.pdf", get(case::annex1))
        .route("/applications/{id}/rounds/{n}/notice.pdf", get(case::notice))
        .route("/applications/{id}/attachments", post(applicant::upload))
        .route("/applications/{id}/attachments/{aid}", get(applicant::download))
        .route("/applications/{id}/attachments/{aid}/remove", post(applicant::remove))
        .route("/applications/{id}/submit", post(applicant::submit))
        .route("/applications/{id}/withdraw", post(applicant::withdraw))
        .route("/review", get(staff::queue))
        .route("/review/{id}", get(staff::examine).post(staff::decide))
        .route("/review/{id}/take", post(staff::take))
        .route("/review/{id}/assign", post(staff::assign))
        .route("/dashboard", get(dashboard::page))
        .route("/review/{id}/documents/{aid}", get(document::text))
        .route("/publish/exclude", post(publisher::exclude))
        .route("/publish", get(publisher::publish_page).post(publisher::publish))
        .route("/publish/schedule", post(publisher::set_schedule))
        .route("/publish/jobs/{id}", get(publisher::job_page))
        .route("/publish/entries/{number}/amend", get(publisher::amend_form).post(publisher::amend))
        .route("/admin/keys", get(signing_keys::page))
        .route("/admin/keys/rotate", post(signing_keys::rotate))
        .route("/staff", get(staff_admin::page).post(staff_admin::create))
        .route("/staff/second-factor", post(staff_admin::require_second_factor))
        .route("/staff/{id}/disable", post(staff_admin::disable))
        .route("/staff/{id}/enable", post(staff_admin::enable))
        .route("/staff/{id}/role", post(staff_admin::change_role))
        .route("/staff/{id}/second-factor/reset", post(staff_admin::reset_second_factor))
        .route("/signin/code", get(second_factor::code_page).post(second_factor::code))
        .route("/account/second-factor", get(second_factor::setup_page).post(second_factor::confirm))
        .route("/account/second-factor/disable", post(second_factor::disable))
        .route("/admin/calendar", get(calendar_admin::this_year))
        .route("/admin/calendar/{year}", get(calendar_admin::show).post(calendar_admin::save))
        .route("/admin/mail", get(admin::mail_list))
        .route("/admin/mail/{id}", get(admin::mail_message))
        // "Report an error" (issues 5 and 7): the public form and status page, the staff's page.
        .route("/bodies/{code}/entries/{number}/report", post(reports::submit))
        .route("/reports", get(reports::staff_list))
        .route("/reports/{key}", get(reports::status_page))
        .route("/reports/{key}/status", post(reports::set_status))
}

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

pub use senim_app::percent::encode as urlencode;

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
