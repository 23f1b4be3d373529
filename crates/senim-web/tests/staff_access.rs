//! Issue 4, item 4: every role against every staff route, page and API — allowed or refused, for the
//! case's own body (health) and for another body's staff (finance). One table, read row by row.
//!
//! "Allowed" means the request got past authorisation: a success, or a validation (422) or state
//! (409) answer about its content — the table's mutating requests carry content that is refused after
//! the role check, so that one row does not change what the next row sees. "Refused": 403 or 404 (an
//! object the caller may not see), and for anonymous callers 401 (API) or a redirect to sign in.

mod common;

use axum::http::StatusCode;
use common::*;
use senim_domain::role::Role;
use senim_store::dual_tests;
use serde_json::json;

/// The callers: name, role, body.
const ACTORS: [(&str, Option<Role>, Option<&str>); 10] = [
    ("applicant", Some(Role::Applicant), None),
    ("reviewer", Some(Role::Reviewer), Some("health")),
    ("publisher", Some(Role::Publisher), Some("health")),
    ("body_admin", Some(Role::BodyAdmin), Some("health")),
    ("observer", Some(Role::Observer), None),
    ("admin", Some(Role::Admin), None),
    ("reviewer_other", Some(Role::Reviewer), Some("finance")),
    ("publisher_other", Some(Role::Publisher), Some("finance")),
    ("body_admin_other", Some(Role::BodyAdmin), Some("finance")),
    ("anonymous", None, None),
];

/// A route: page or API, method, path (`{id}`: a submitted health application, `{doc}` one of its
/// documents; `{member}`: a health reviewer; `{report}`: an error report on a health entry; `{entry}`: a
/// published health entry), form or JSON body, and the callers allowed.
struct Route {
    api: bool,
    method: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    json: Option<serde_json::Value>,
    allowed: &'static [&'static str],
}

fn page(
    method: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    allowed: &'static [&'static str],
) -> Route {
    Route { api: false, method, path, form, json: None, allowed }
}

fn api(
    method: &'static str,
    path: &'static str,
    json: Option<serde_json::Value>,
    allowed: &'static [&'static str],
) -> Route {
    Route { api: true, method, path, form: &[], json, allowed }
}

const QUEUE_READERS: &[&str] = &["reviewer", "body_admin", "observer", "reviewer_other", "body_admin_other"];
const STAFF: &[&str] = &[
    "reviewer",
    "publisher",
    "body_admin",
    "observer",
    "admin",
    "reviewer_other",
    "publisher_other",
    "body_admin_other",
];

const REPORT_HANDLERS: &[&str] = &["reviewer", "publisher", "body_admin"];
const REPORT_READERS: &[&str] = &["reviewer", "publisher", "body_admin", "observer", "admin"];

fn routes() -> Vec<Route> {
    let bad_checks = json!({"checks": {}});
    vec![
        // The queue and the examination (Rules §6, §8).
        page("GET", "/review", &[], QUEUE_READERS),
        page("GET", "/review?status=submitted&round=first&mine=yes", &[], QUEUE_READERS),
        page("GET", "/review/{id}", &[], &["reviewer", "body_admin", "observer"]),
        page("POST", "/review/{id}/take", &[], &["reviewer"]),
        page("POST", "/review/{id}", &[("completeness", "maybe")], &["reviewer"]),
        page("POST", "/review/{id}/assign", &[("assignee", "nobody")], &["body_admin"]),
        api("GET", "/api/v1/review/queue", None, QUEUE_READERS),
        api("POST", "/api/v1/applications/{id}/take", None, &["reviewer"]),
        api("POST", "/api/v1/applications/{id}/review", Some(bad_checks), &["reviewer"]),
        api("POST", "/api/v1/applications/{id}/assign", Some(json!({"assignee": "nobody"})), &["body_admin"]),
        api("GET", "/api/v1/applications/{id}/audit-check", None, &["reviewer", "body_admin", "observer"]),
        page("GET", "/review/{id}/documents/{doc}", &[], &["reviewer", "body_admin", "observer"]),
        // The dashboards: every staff member sees their own body; only the observer and the
        // administrator choose another (or every) body.
        page("GET", "/dashboard", &[], STAFF),
        page("GET", "/dashboard?body=health", &[], &["reviewer", "publisher", "body_admin", "observer", "admin"]),
        api("GET", "/api/v1/dashboard", None, STAFF),
        api(
            "GET",
            "/api/v1/dashboard?body=health",
            None,
            &["reviewer", "publisher", "body_admin", "observer", "admin"],
        ),
        // Publication (Rules §7).
        page("GET", "/publish", &[], &["publisher", "publisher_other"]),
        page("POST", "/publish/exclude", &[("registry_number", "NONE")], &["publisher", "publisher_other"]),
        api("GET", "/api/v1/bodies/health/pending", None, &["publisher"]),
        api("POST", "/api/v1/bodies/health/editions", None, &["publisher"]),
        api("POST", "/api/v1/bodies/health/entries/NONE/exclude", Some(json!({"reason": {}})), &["publisher"]),
        // Publication, issue 5: preview, amendment (`{entry}`: a published health entry; the requests
        // carry no reason, so nothing is amended), schedule, signing keys.
        page("GET", "/publish/entries/{entry}/amend", &[], &["publisher"]),
        page("POST", "/publish/entries/{entry}/amend", &[("reason_kk", "")], &["publisher"]),
        page("GET", "/publish/entries/NONE/amend", &[], &[]),
        page("POST", "/publish/schedule", &[("at", "25:00")], &["publisher", "publisher_other"]),
        page("GET", "/admin/keys", &[], &["admin"]),
        page("POST", "/admin/keys/rotate", &[("confirm", "no")], &["admin"]),
        api("GET", "/api/v1/bodies/health/editions/preview", None, &["publisher"]),
        api(
            "POST",
            "/api/v1/bodies/health/entries/{entry}/amend",
            Some(json!({"fields": {}, "reason": {}})),
            &["publisher"],
        ),
        api("POST", "/api/v1/bodies/health/entries/NONE/amend", Some(json!({"fields": {}, "reason": {}})), &[]),
        api("GET", "/api/v1/bodies/health/schedule", None, &["publisher", "body_admin"]),
        api("PUT", "/api/v1/bodies/health/schedule", Some(json!({"at": "25:00"})), &["publisher", "body_admin"]),
        api("POST", "/api/v1/keys/rotate", Some(json!({})), &["admin"]),
        // Staff administration.
        page("GET", "/staff?body=health", &[], &["body_admin", "admin"]),
        page(
            "POST",
            "/staff",
            &[("body", "health"), ("name", ""), ("email", "x"), ("role", "admin")],
            &["body_admin", "admin"],
        ),
        page("POST", "/staff/{member}/role", &[("body", "health"), ("role", "admin")], &["body_admin", "admin"]),
        page("POST", "/staff/{member}/enable", &[("body", "health")], &["body_admin", "admin"]),
        page("POST", "/staff/{member}/second-factor/reset", &[("body", "health")], &["body_admin", "admin"]),
        page("POST", "/staff/second-factor", &[("required", "no")], &["admin"]),
        api("GET", "/api/v1/bodies/health/staff", None, &["body_admin", "admin"]),
        api(
            "POST",
            "/api/v1/bodies/health/staff",
            Some(json!({"name": "", "email": "x", "role": "admin"})),
            &["body_admin", "admin"],
        ),
        api("PATCH", "/api/v1/bodies/health/staff/{member}", Some(json!({"role": "admin"})), &["body_admin", "admin"]),
        // The second factor: every staff account, not applicants.
        page("GET", "/account/second-factor", &[], STAFF),
        page("POST", "/account/second-factor", &[("code", "000000")], STAFF),
        // Error reports (issues 5 and 7): the body's reviewers, publishers and administrators handle
        // them; observers and the administrator read; other bodies' staff get 404.
        page("GET", "/reports?body=health", &[], REPORT_READERS),
        page("POST", "/reports/{report}/status", &[("status", "bogus")], REPORT_HANDLERS),
        api("GET", "/api/v1/bodies/health/reports", None, REPORT_READERS),
        api("POST", "/api/v1/reports/{report}/status", Some(json!({"status": "bogus"})), REPORT_HANDLERS),
    ]
}

fn refused(api: bool, anonymous: bool, r: &Reply) -> bool {
    match (api, anonymous) {
        (true, true) => r.status == StatusCode::UNAUTHORIZED,
        (false, true) => r.status == StatusCode::SEE_OTHER && r.location().starts_with("/signin"),
        _ => matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
    }
}

fn allowed(r: &Reply) -> bool {
    r.status.is_success()
        || matches!(r.status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY)
        || (r.status == StatusCode::SEE_OTHER && !r.location().starts_with("/signin"))
}

dual_tests! {
    async fn every_role_is_allowed_or_refused_on_every_staff_route(db: TestDb) {
        let app = TestApp::new(db).await;
        let mut tokens = std::collections::HashMap::new();
        let mut cookies = std::collections::HashMap::new();
        for (name, role, body) in ACTORS {
            if let Some(role) = role {
                let email = format!("{name}@senim.test");
                tokens.insert(name, app.user(&email, role, body).await);
                cookies.insert(name, app.sign_in(&email).await);
            }
        }
        app.user("member@health.test", Role::Reviewer, Some("health")).await;
        let member = senim_store::users::by_email(&app.state.store, "member@health.test").await.unwrap().unwrap().id;
        let id = {
            let applicant = &tokens["applicant"];
            let r = app.api("POST", "/api/v1/applications", Some(applicant), Some(complete_form("Тексерілетін жүйе"))).await;
            let id = r.json()["id"].as_str().unwrap().to_owned();
            for kind in ["audit_report", "copyright_certificate"] {
                app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(applicant), kind, "d.pdf", &pdf(kind)).await;
            }
            let r = app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(applicant), None).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            id
        };
        // A published entry of the health List, for the amendment routes.
        let entry = {
            let applicant = &tokens["applicant"];
            let r = app.api("POST", "/api/v1/applications", Some(applicant), Some(complete_form("Жарияланған жүйе"))).await;
            let eid = r.json()["id"].as_str().unwrap().to_owned();
            for kind in ["audit_report", "copyright_certificate"] {
                app.upload(&format!("/api/v1/applications/{eid}/attachments"), Auth::Token(applicant), kind, "d.pdf", &pdf(kind)).await;
            }
            app.api("POST", &format!("/api/v1/applications/{eid}/submit"), Some(applicant), None).await;
            let pass = json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
            let r = app.api("POST", &format!("/api/v1/applications/{eid}/review"), Some(&tokens["reviewer"]), Some(pass)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            let number = r.json()["registry_number"].as_str().unwrap().to_owned();
            let r = app.api("POST", "/api/v1/bodies/health/editions", Some(&tokens["publisher"]), None).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
            number
        };

        // A report on a health entry, written straight to the store (the table needs no published List).
        let report = "00000000-0000-4000-8000-000000000001";
        let mut tx = app.state.store.begin().await.unwrap();
        senim_store::reports::insert(&mut tx, &senim_store::reports::NewReport {
            id: report, reference: "ERR-TEST", token_hash: "t", body_code: "health", registry_number: "HEALTH-2026-0001",
            field: "other", description: "?", reporter_email: None, lang: "kk",
        }).await.unwrap();
        tx.commit().await.unwrap();

        let doc = senim_store::applications::attachments(&app.state.store, &id).await.unwrap()[0].id.clone();
        let mut failures = Vec::new();
        let mut checked = 0;
        for route in routes() {
            let path = route
                .path
                .replace("{id}", &id)
                .replace("{member}", &member)
                .replace("{doc}", &doc)
                .replace("{entry}", &entry)
                .replace("{report}", report);
            for (name, role, _) in ACTORS {
                let anonymous = role.is_none();
                let r = if route.api {
                    app.api(route.method, &path, tokens.get(name).map(String::as_str), route.json.clone()).await
                } else if route.method == "GET" {
                    app.get(&path, cookies.get(name).map(String::as_str)).await
                } else {
                    app.form(&path, cookies.get(name).map(String::as_str), route.form).await
                };
                let want = route.allowed.contains(&name);
                let ok = if want { allowed(&r) } else { refused(route.api, anonymous, &r) };
                checked += 1;
                if !ok {
                    failures.push(format!(
                        "{} {} as {name}: expected {}, got {} {}",
                        route.method,
                        route.path,
                        if want { "allowed" } else { "refused" },
                        r.status,
                        r.location()
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{} of {checked} checks wrong:\n{}", failures.len(), failures.join("\n"));
        assert_eq!(checked, routes().len() * ACTORS.len());
    }
}
