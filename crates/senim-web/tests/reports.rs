//! "Report an error" (issues 5 and 7): anyone reports an error in a published entry from its page or
//! the API, follows it at an unguessable address; the body's staff — and only they — move it on
//! (new → in progress → resolved / rejected) with a comment; e-mails go through the outbox; the
//! reporter's e-mail stays with the staff.

mod common;
mod published;

use axum::http::StatusCode;
use common::*;
use published::{Health, header};
use senim_domain::role::Role;
use senim_store::testing::TestDb;
use senim_store::{audit, dual_tests, outbox};
use senim_web::rate_limit::RateLimits;
use senim_web::{AppState, Config};
use serde_json::json;

const REPORTER: &str = "reporter@example.kz";

async fn published(db: TestDb) -> (Health, String) {
    let h = Health::new(db).await;
    let number = h.include(complete_form("Рентген талдаушы")).await;
    h.publish().await;
    (h, number)
}

/// Reports through the API; returns the 201 answer.
async fn report(h: &Health, number: &str, body: serde_json::Value) -> serde_json::Value {
    let path = format!("/api/v1/bodies/health/entries/{number}/reports");
    let r = h.app.api("POST", &path, None, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

fn status_path(receipt: &serde_json::Value) -> String {
    let url = receipt["status_url"].as_str().unwrap();
    url[url.find("/reports/").unwrap()..].to_owned()
}

dual_tests! {
    async fn a_reader_reports_an_error_from_the_entry_page_and_follows_it_without_an_account(db: TestDb) {
        let (h, number) = published(db).await;
        let app = &h.app;
        let entry = format!("/bodies/health/entries/{number}");
        let page = app.get(&entry, None).await.text();
        assert!(page.contains(&format!(r#"action="/bodies/health/entries/{number}/report""#)), "the form is on the page");
        assert!(page.contains(r#"<label for="report-description">"#) && page.contains(r#"<label for="report-email">"#));
        let en = app.get(&format!("{entry}?lang=en"), None).await.text();
        assert!(en.contains("Report an error in this entry"));

        // Errors: every one at once, next to its field, in the reader's language; nothing typed is lost.
        let post = format!("{entry}/report");
        let typed = "Атауы қате жазылған — дұрысы «Рентген-талдаушы»";
        let r = app.form(&post, None, &[("field", "colour"), ("description", typed), ("email", "not-an-address")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains(r#"class="error-summary""#));
        assert!(html.contains(r#"id="report-field-error""#) && html.contains("Қате бар өрісті таңдаңыз."));
        assert!(html.contains(r#"id="report-email-error""#) && html.contains("name@example.kz"));
        assert!(html.contains(typed), "the description is kept");
        assert!(html.contains(r#"value="not-an-address""#), "the e-mail is kept");
        let r = app.form(&post, None, &[("field", "owner"), ("description", "  "), ("email", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(r#"id="report-description-error""#) && r.text().contains("Міндетті өріс."));
        assert!(r.text().contains(r#"<option value="owner" selected>"#), "the chosen field is kept");

        let r = app.form(&post, None, &[("field", "system_name"), ("description", typed), ("email", REPORTER)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let status = r.location();
        assert!(status.starts_with("/reports/") && status.ends_with("?sent=1"), "{status}");
        let token = status.trim_start_matches("/reports/").trim_end_matches("?sent=1");
        assert!(token.len() >= 43, "256-bit token: {token}");

        let r = app.get(&status, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(header(&r, "cache-control"), "no-store");
        let html = r.text();
        assert!(html.contains("ERR-") && html.contains("Жаңа") && html.contains(typed));
        assert!(!html.contains(REPORTER), "the reporter's e-mail is never shown publicly");
        // Another token, or none like it, finds nothing.
        for wrong in ["/reports/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/reports/x"] {
            assert_eq!(app.get(wrong, None).await.status, StatusCode::NOT_FOUND, "{wrong}");
        }

        // The body's staff hear of it; the reporter gets the address; the audit log names no reporter.
        for staff in ["r@health.kz", "p@health.kz"] {
            let mails = outbox::for_recipient(&app.state.store, staff).await.unwrap();
            assert!(mails.iter().any(|m| m.body.contains(&number) && m.body.contains("/reports")), "{staff}: {mails:?}");
        }
        let mails = outbox::for_recipient(&app.state.store, REPORTER).await.unwrap();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].body.contains(token), "the status address is mailed to the reporter");
        let records = audit::recent(&app.state.store, 50).await.unwrap();
        let created: Vec<_> = records.iter().filter(|r| r.action == "report.create").collect();
        assert_eq!(created.len(), 1);
        assert!(!created[0].detail.contains(REPORTER));
    }

    async fn staff_move_a_report_on_and_the_reporter_reads_the_outcome(db: TestDb) {
        let (h, number) = published(db).await;
        let app = &h.app;
        let receipt = report(&h, &number, json!({"field": "area", "description": "Сала қате", "email": REPORTER})).await;
        assert_eq!(receipt["status"], "new");
        assert!(receipt["reference"].as_str().unwrap().starts_with("ERR-"));
        let id = receipt["id"].as_str().unwrap().to_owned();
        let status = status_path(&receipt);

        let other = app.user("r@finance.kz", Role::Reviewer, Some("finance")).await;
        let observer = app.user("o@senim.kz", Role::Observer, None).await;
        let applicant = h.applicant.clone();
        let list = "/api/v1/bodies/health/reports";
        let r = app.api("GET", list, Some(&h.reviewer), None).await;
        assert_eq!(r.status, StatusCode::OK);
        let reports = r.json();
        assert_eq!(reports.as_array().unwrap().len(), 1);
        assert_eq!(reports[0]["reporter_email"], REPORTER, "staff see the address to reply");
        assert_eq!(reports[0]["registry_number"], number);
        assert_eq!(app.api("GET", list, Some(&observer), None).await.status, StatusCode::OK);
        assert_eq!(app.api("GET", list, Some(&other), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("GET", list, Some(&applicant), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("GET", list, None, None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.api("GET", &format!("{list}?status=bogus"), Some(&h.reviewer), None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.api("GET", &format!("{list}?status=resolved"), Some(&h.reviewer), None).await.json().as_array().unwrap().len(), 0);

        let set = format!("/api/v1/reports/{id}/status");
        let take = json!({"status": "in_progress"});
        assert_eq!(app.api("POST", &set, Some(&observer), Some(take.clone())).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("POST", &set, Some(&other), Some(take.clone())).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("POST", "/api/v1/reports/nope/status", Some(&h.reviewer), Some(take.clone())).await.status, StatusCode::NOT_FOUND);
        let r = app.api("POST", &set, Some(&h.publisher), Some(take)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["status"], "in_progress");
        let r = app.api("POST", &set, Some(&h.reviewer), Some(json!({"status": "resolved"}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "resolving needs a comment");
        assert_eq!(r.json()["errors"][0]["field"], "comment");
        let r = app.api("POST", &set, Some(&h.reviewer), Some(json!({"status": "resolved", "comment": "Next edition corrects the area."}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = app.api("POST", &set, Some(&h.reviewer), Some(json!({"status": "in_progress"}))).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "resolved is final");

        let html = app.get(&format!("{status}?lang=en"), None).await.text();
        assert!(html.contains("Resolved") && html.contains("Next edition corrects the area."), "{html}");
        let mails = outbox::for_recipient(&app.state.store, REPORTER).await.unwrap();
        assert!(mails.iter().any(|m| m.body.contains("Next edition corrects the area.")), "the reporter is told");
        let records = audit::recent(&app.state.store, 50).await.unwrap();
        assert_eq!(records.iter().filter(|r| r.action == "report.status").count(), 2);
    }

    async fn the_staff_page_lists_the_bodys_reports_and_keeps_a_failed_answer(db: TestDb) {
        let (h, number) = published(db).await;
        let app = &h.app;
        let receipt = report(&h, &number, json!({"field": "audit", "description": "Аудит күні қате", "email": REPORTER})).await;
        let id = receipt["id"].as_str().unwrap();
        let reviewer = app.sign_in("r@health.kz").await;
        let page = app.get("/reports", Some(&reviewer)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Аудит күні қате") && html.contains(REPORTER) && html.contains(&format!("/reports/{id}/status")));

        let path = format!("/reports/{id}/status");
        let r = app.form(&path, Some(&reviewer), &[("status", "rejected"), ("comment", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(&format!(r#"id="report-{id}-comment-error""#)));
        assert!(r.text().contains(r#"<option value="rejected" selected>"#), "the chosen status is kept");
        let r = app.form(&path, Some(&reviewer), &[("status", "rejected"), ("comment", "Жазба дұрыс")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let html = app.get("/reports?status=rejected", Some(&reviewer)).await.text();
        assert!(html.contains("Жазба дұрыс") && html.contains("Қабылданбады"));
        assert!(!html.contains(&format!("/reports/{id}/status")), "a final report has no form");

        // Other bodies' staff neither see nor change it; applicants may not open the page.
        app.user("r@finance.kz", Role::Reviewer, Some("finance")).await;
        let other = app.sign_in("r@finance.kz").await;
        assert!(!app.get("/reports", Some(&other)).await.text().contains("Аудит күні қате"));
        assert_eq!(app.get("/reports?body=health", Some(&other)).await.status, StatusCode::NOT_FOUND);
        let applicant = app.sign_in("a@example.kz").await;
        assert_eq!(app.get("/reports", Some(&applicant)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/reports", None).await.status, StatusCode::SEE_OTHER);
    }

    async fn malformed_or_misdirected_reports_are_client_errors(db: TestDb) {
        let (h, number) = published(db).await;
        let app = &h.app;
        let path = format!("/api/v1/bodies/health/entries/{number}/reports");
        let req = axum::http::Request::builder().method("POST").uri(&path).header("content-type", "application/json")
            .body(axum::body::Body::from("{not json")).unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(header(&r, "content-type"), "application/problem+json");
        let r = app.api("POST", &path, None, Some(json!({"field": 7}))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let long = "x".repeat(4001);
        let r = app.api("POST", &path, None, Some(json!({"field": "nope", "description": long, "email": "@"}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = r.json();
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["field", "description", "email"]);
        let ok = json!({"field": "other", "description": "?"});
        for missing in ["/api/v1/bodies/health/entries/HEALTH-1999-0001/reports", "/api/v1/bodies/nope/entries/X/reports",
                        &format!("/api/v1/bodies/finance/entries/{number}/reports")] {
            assert_eq!(app.api("POST", missing, None, Some(ok.clone())).await.status, StatusCode::NOT_FOUND, "{missing}");
        }
        let r = app.form(&format!("/bodies/health/entries/{number}-X/report"), None, &[("field", "other"), ("description", "?")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Listed in the OpenAPI document.
        let doc = app.get("/api/openapi.json", None).await.json();
        for p in ["/api/v1/bodies/{code}/entries/{registry_number}/reports", "/api/v1/bodies/{code}/reports", "/api/v1/reports/{id}/status"] {
            assert!(doc["paths"][p].is_object(), "{p} missing from the OpenAPI document");
        }
    }

    async fn reports_are_limited_per_client_address(db: TestDb) {
        let limits = RateLimits { report_per_ip: 2, ..RateLimits::default() };
        let state = AppState::load(db.store.clone(), Config { rate_limits: Some(limits), ..Config::default() }).await.unwrap();
        senim_web::services::demo::ensure_bodies(&state).await.unwrap();
        let router = senim_web::app(state.clone());
        let h = Health::with_app(TestApp { db, state, router }, "a@example.kz").await;
        let number = h.include(complete_form("Рентген талдаушы")).await;
        h.publish().await;
        let api = format!("/api/v1/bodies/health/entries/{number}/reports");
        let body = json!({"field": "other", "description": "?"});
        assert_eq!(h.app.api("POST", &api, None, Some(body.clone())).await.status, StatusCode::CREATED);
        let page = format!("/bodies/health/entries/{number}/report");
        assert_eq!(h.app.form(&page, None, &[("field", "other"), ("description", "?")]).await.status, StatusCode::SEE_OTHER);
        let r = h.app.api("POST", &api, None, Some(body)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(!header(&r, "retry-after").is_empty());
        let r = h.app.form(&page, None, &[("field", "other"), ("description", "?")]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Reading is not limited.
        assert_eq!(h.app.get(&format!("/bodies/health/entries/{number}"), None).await.status, StatusCode::OK);
    }
}
