//! Server-rendered pages. Every page works without JavaScript; forms post back to the same origin.

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub mod account;
pub mod admin;
pub mod amend;
pub mod applicant;
pub mod audit_view;
pub mod calendar_admin;
pub mod case;
mod ctx;
pub mod dashboard;
pub mod document;
pub mod editions;
pub mod entry;
pub mod form;
pub mod hearing;
pub mod hearing_admin;
pub mod hearing_panel;
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

pub use ctx::{
    Ctx, ErrorPage, download_response, error_page, render, require_user, see_other, service_error, urlencode,
};

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
        .route("/applications/{id}/objection", post(hearing::object))
        .route("/applications/{id}/edit", get(form::edit_page).post(form::edit))
        .route("/applications/{id}/edit/{section}", get(tasks::section_page).post(tasks::section_save))
        .route("/applications/{id}/check", get(tasks::check_page))
        .route("/applications/{id}/rounds/{n}/receipt", get(case::receipt))
        .route("/applications/{id}/rounds/{n}/annex1.pdf", get(case::annex1))
        .route("/applications/{id}/rounds/{n}/notice.pdf", get(case::notice))
        .route("/applications/{id}/rounds/{n}/preliminary.pdf", get(case::preliminary))
        .route("/applications/{id}/rounds/{n}/decision.pdf", get(case::inclusion))
        .route("/applications/{id}/attachments", post(applicant::upload))
        .route("/applications/{id}/attachments/{aid}", get(applicant::download))
        .route("/applications/{id}/attachments/{aid}/remove", post(applicant::remove))
        .route("/applications/{id}/submit", post(applicant::submit))
        .route("/applications/{id}/withdraw", post(applicant::withdraw))
        .route("/review", get(staff::queue))
        .route("/review/{id}", get(staff::examine).post(staff::decide))
        .route("/review/{id}/take", post(staff::take))
        .route("/review/{id}/hearing-record", post(hearing::record))
        .route("/review/{id}/decision", post(hearing::decide))
        .route("/review/{id}/assign", post(staff::assign))
        .route("/dashboard", get(dashboard::page))
        .route("/review/{id}/documents/{aid}", get(document::text))
        .route("/publish/exclude", post(publisher::exclude))
        .route("/publish", get(publisher::publish_page).post(publisher::publish))
        .route("/publish/schedule", post(publisher::set_schedule))
        .route("/publish/jobs/{id}", get(publisher::job_page))
        .route("/publish/entries/{number}/amend", get(amend::amend_form).post(amend::amend))
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
        .route("/admin/hearing", get(hearing_admin::show).post(hearing_admin::save))
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
