//! Issue 6, item 5: the authorisation matrix, generated from the router. Every route of the
//! application — page routes read from `pages/mod.rs`, API operations from the OpenAPI document — must
//! be classified below, so that a new route cannot escape: the first test fails until it is. Each class
//! is then checked for every route in it, with the own/other object distinction: an applicant's
//! application, document and round are refused to an applicant of another organisation.
//! Staff routes are checked here for outsiders (anonymous, applicant); `staff_access.rs` holds the full
//! role × route table of staff roles and bodies.

mod common;

use axum::http::StatusCode;
use common::routes;
use common::*;
use senim_domain::role::Role;
use senim_store::dual_tests;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, signed in or not (public pages, open data, sign-in and sign-up flows).
    Public,
    /// Any signed-in user, about themselves (account, organisation, own list).
    SignedIn,
    /// An applicant's own application and what hangs from it; other applicants are refused.
    Own,
    /// Staff of a body, the observer or the administrator; never anonymous or applicants.
    Staff,
    /// The system administrator only.
    Admin,
    /// The second step of signing in: only after the password; anyone else is sent to sign in.
    AfterPassword,
    /// The operator's: from loopback or with `SENIM_METRICS_TOKEN`, whatever the role; a request from
    /// elsewhere (here: no peer address) is refused even to the administrator.
    Operator,
}

use Access::*;

/// Every route: method, path as the router writes it, class.
const ROUTES: &[(&str, &str, Access)] = &[
    // Public pages and files.
    ("GET", "/", Public),
    ("GET", "/healthz", Public),
    ("GET", "/metrics", Operator),
    ("GET", "/readyz", Public),
    ("GET", "/static/style.css", Public),
    ("GET", "/static/bin-check.js", Public),
    ("GET", "/lang/{code}", Public),
    ("GET", "/bodies/{code}", Public),
    ("GET", "/lists", Public),
    ("GET", "/verify", Public),
    ("POST", "/verify", Public),
    ("GET", "/bodies/{code}/editions/{n}/files/{name}", Public),
    ("GET", "/bodies/{code}/latest/{file}", Public),
    ("GET", "/bodies/{code}/entries/{number}", Public),
    ("GET", "/bodies/{code}/editions", Public),
    ("GET", "/bodies/{code}/editions/diff", Public),
    ("GET", "/bodies/{code}/feed.atom", Public),
    ("GET", "/bodies/{code}/datapackage.json", Public),
    ("GET", "/bodies/{code}/dcat.jsonld", Public),
    ("GET", "/feed.atom", Public),
    ("POST", "/bodies/{code}/entries/{number}/report", Public),
    ("GET", "/reports/{key}", Public),
    // Signing in and up (tokens in the path are the credential).
    ("GET", "/signin", Public),
    ("POST", "/signin", Public),
    ("POST", "/signout", Public),
    ("GET", "/register", Public),
    ("POST", "/register", Public),
    ("POST", "/confirm", Public),
    ("GET", "/confirm/resend", Public),
    ("POST", "/confirm/resend", Public),
    ("GET", "/confirm/{token}", Public),
    ("GET", "/password/forgot", Public),
    ("POST", "/password/forgot", Public),
    ("GET", "/password/reset/{token}", Public),
    ("POST", "/password/reset/{token}", Public),
    ("GET", "/invite/{token}", Public),
    ("POST", "/invite/{token}", Public),
    ("GET", "/signin/code", AfterPassword),
    ("POST", "/signin/code", AfterPassword),
    // The signed-in user's own things.
    ("GET", "/account", SignedIn),
    ("POST", "/account/tokens", SignedIn),
    ("POST", "/account/password", SignedIn),
    ("GET", "/organisation", SignedIn),
    ("POST", "/organisation", SignedIn),
    ("POST", "/organisation/invite", SignedIn),
    ("GET", "/applications", SignedIn),
    ("POST", "/applications", SignedIn),
    // An applicant's application.
    ("GET", "/applications/{id}", Own),
    ("POST", "/applications/{id}/objection", Own),
    ("GET", "/applications/{id}/edit", Own),
    ("POST", "/applications/{id}/edit", Own),
    ("GET", "/applications/{id}/edit/{section}", Own),
    ("POST", "/applications/{id}/edit/{section}", Own),
    ("GET", "/applications/{id}/check", Own),
    ("GET", "/applications/{id}/rounds/{n}/receipt", Own),
    ("GET", "/applications/{id}/rounds/{n}/annex1.pdf", Own),
    ("GET", "/applications/{id}/rounds/{n}/notice.pdf", Own),
    ("GET", "/applications/{id}/rounds/{n}/preliminary.pdf", Own),
    ("GET", "/applications/{id}/rounds/{n}/decision.pdf", Own),
    ("POST", "/applications/{id}/attachments", Own),
    ("GET", "/applications/{id}/attachments/{aid}", Own),
    ("POST", "/applications/{id}/attachments/{aid}/remove", Own),
    ("POST", "/applications/{id}/submit", Own),
    ("POST", "/applications/{id}/withdraw", Own),
    // Staff pages.
    ("GET", "/review", Staff),
    ("GET", "/review/{id}", Staff),
    ("POST", "/review/{id}", Staff),
    ("POST", "/review/{id}/take", Staff),
    ("POST", "/review/{id}/hearing-record", Staff),
    ("POST", "/review/{id}/decision", Staff),
    ("POST", "/review/{id}/assign", Staff),
    ("GET", "/dashboard", Staff),
    ("GET", "/review/{id}/documents/{aid}", Staff),
    ("POST", "/publish/exclude", Staff),
    ("GET", "/publish", Staff),
    ("POST", "/publish", Staff),
    ("POST", "/publish/schedule", Staff),
    ("GET", "/publish/jobs/{id}", Staff),
    ("GET", "/publish/entries/{number}/amend", Staff),
    ("POST", "/publish/entries/{number}/amend", Staff),
    ("GET", "/staff", Staff),
    ("POST", "/staff", Staff),
    ("POST", "/staff/{id}/disable", Staff),
    ("POST", "/staff/{id}/enable", Staff),
    ("POST", "/staff/{id}/role", Staff),
    ("POST", "/staff/{id}/second-factor/reset", Staff),
    ("GET", "/account/second-factor", Staff),
    ("POST", "/account/second-factor", Staff),
    ("POST", "/account/second-factor/disable", Staff),
    ("GET", "/reports", Staff),
    ("POST", "/reports/{key}/status", Staff),
    // The administrator's pages.
    ("GET", "/admin/keys", Admin),
    ("POST", "/admin/keys/rotate", Admin),
    ("POST", "/staff/second-factor", Admin),
    ("GET", "/admin/calendar", Admin),
    ("GET", "/admin/hearing", Admin),
    ("POST", "/admin/hearing", Admin),
    ("GET", "/admin/calendar/{year}", Admin),
    ("POST", "/admin/calendar/{year}", Admin),
    ("GET", "/admin/mail", Admin),
    ("GET", "/admin/mail/{id}", Admin),
    // The API (paths as in the OpenAPI document).
    ("GET", "/api/openapi.json", Public),
    ("GET", "/api/v1/bodies", Public),
    ("GET", "/api/v1/bodies/{code}/editions/current", Public),
    ("GET", "/api/v1/bodies/{code}/editions/{n}/files/{name}", Public),
    ("GET", "/api/v1/bodies/{code}/editions/{n}/manifest", Public),
    ("GET", "/api/v1/bodies/{code}/editions/{n}/proof/{registry_number}", Public),
    ("POST", "/api/v1/bodies/{code}/entries/{registry_number}/reports", Public),
    ("GET", "/api/v1/id/{number}", Public),
    ("GET", "/api/v1/keys", Public),
    ("GET", "/api/v1/search", Public),
    ("GET", "/api/v1/organisation", SignedIn),
    ("PUT", "/api/v1/organisation", SignedIn),
    ("GET", "/api/v1/applications", SignedIn),
    ("POST", "/api/v1/applications", SignedIn),
    ("GET", "/api/v1/applications/{id}", Own),
    ("PUT", "/api/v1/applications/{id}", Own),
    ("POST", "/api/v1/applications/{id}/attachments", Own),
    ("DELETE", "/api/v1/applications/{id}/attachments/{attachment_id}", Own),
    ("GET", "/api/v1/applications/{id}/rounds/{n}/annex1.pdf", Own),
    ("GET", "/api/v1/applications/{id}/rounds/{n}/notice.pdf", Own),
    ("GET", "/api/v1/applications/{id}/rounds/{n}/preliminary.pdf", Own),
    ("GET", "/api/v1/applications/{id}/rounds/{n}/decision.pdf", Own),
    ("POST", "/api/v1/applications/{id}/submit", Own),
    ("GET", "/api/v1/applications/{id}/timeline", Own),
    ("POST", "/api/v1/applications/{id}/withdraw", Own),
    ("POST", "/api/v1/applications/{id}/assign", Staff),
    ("GET", "/api/v1/applications/{id}/audit-check", Staff),
    ("POST", "/api/v1/applications/{id}/review", Staff),
    ("POST", "/api/v1/applications/{id}/hearing-record", Staff),
    ("POST", "/api/v1/applications/{id}/decision", Staff),
    ("POST", "/api/v1/applications/{id}/objection", Own),
    ("POST", "/api/v1/applications/{id}/take", Staff),
    ("POST", "/api/v1/bodies/{code}/editions", Staff),
    ("GET", "/api/v1/bodies/{code}/editions/preview", Staff),
    ("POST", "/api/v1/bodies/{code}/entries/{registry_number}/amend", Staff),
    ("POST", "/api/v1/bodies/{code}/entries/{registry_number}/exclude", Staff),
    ("GET", "/api/v1/bodies/{code}/pending", Staff),
    ("GET", "/api/v1/bodies/{code}/reports", Staff),
    ("GET", "/api/v1/bodies/{code}/schedule", Staff),
    ("PUT", "/api/v1/bodies/{code}/schedule", Staff),
    ("GET", "/api/v1/bodies/{code}/staff", Staff),
    ("POST", "/api/v1/bodies/{code}/staff", Staff),
    ("PATCH", "/api/v1/bodies/{code}/staff/{id}", Staff),
    ("GET", "/api/v1/dashboard", Staff),
    ("GET", "/api/v1/review/queue", Staff),
    ("POST", "/api/v1/reports/{id}/status", Staff),
    ("POST", "/api/v1/keys/rotate", Admin),
];

#[test]
fn every_route_of_the_router_is_classified_and_nothing_else_is() {
    let served: Vec<(String, String)> = routes::all().into_iter().map(|r| (r.method, r.path)).collect();
    let classified: Vec<(String, String)> = ROUTES.iter().map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned())).collect();
    let missing: Vec<_> = served.iter().filter(|r| !classified.contains(r)).collect();
    assert!(missing.is_empty(), "routes nobody classified in tests/authz_matrix.rs: {missing:?}");
    let stale: Vec<_> = classified.iter().filter(|r| !served.contains(r)).collect();
    assert!(stale.is_empty(), "classified routes the router does not serve: {stale:?}");
}

/// One request as a browser (pages) or an API client would send it; `who`: (session cookie, token).
async fn send(app: &TestApp, method: &str, path: &str, who: Option<(&str, &str)>) -> Reply {
    let api = path.starts_with("/api/");
    let upload = path.ends_with("/attachments");
    match (api, upload) {
        (true, true) => {
            let auth = who.map_or(Auth::Cookie(None), |(_, t)| Auth::Token(t));
            app.upload(path, auth, "audit_report", "x.pdf", &pdf("x")).await
        }
        (true, false) => {
            let body = if matches!(method, "GET" | "DELETE") { None } else { Some(body_for(path)) };
            app.api(method, path, who.map(|(_, t)| t), body).await
        }
        (false, true) => app.upload(path, Auth::Cookie(who.map(|(c, _)| c)), "audit_report", "x.pdf", &pdf("x")).await,
        (false, false) if method == "GET" => app.get(path, who.map(|(c, _)| c)).await,
        (false, false) => app.form(path, who.map(|(c, _)| c), &[]).await,
    }
}

fn signin_redirect(r: &Reply) -> bool {
    r.status == StatusCode::SEE_OTHER && r.location().starts_with("/signin")
}

/// Refused: 401 (API), a redirect to sign in (pages), 403, or 404 (an object the caller may not see).
fn refused(r: &Reply) -> bool {
    matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) || signin_redirect(r)
}

/// Let through: anything but a refusal (a validation or state answer about the content included).
fn let_through(r: &Reply) -> bool {
    !refused(r) && r.status != StatusCode::INTERNAL_SERVER_ERROR
}

/// A public route lets anyone through: never 403 or a redirect to sign in; 404 only means the object
/// in the path does not exist (an unknown token), and 401 is a failed sign-in's answer.
fn public(route: &str, r: &Reply) -> bool {
    let unknown_ok = (["{token}", "{key}"].iter().any(|t| route.contains(t)) || route == "/confirm")
        && r.status == StatusCode::NOT_FOUND;
    let failed_signin = route == "/signin" && r.status == StatusCode::UNAUTHORIZED;
    let_through(r) || unknown_ok || failed_signin
}

/// A JSON body of the right shape (and wrong content), so that a refusal is about who asks.
fn body_for(route: &str) -> serde_json::Value {
    if route.ends_with("/review") {
        json!({"checks": {}})
    } else if route.ends_with("/amend") {
        json!({"fields": {}, "reason": {}})
    } else if route.ends_with("/exclude") {
        json!({"reason": {}})
    } else if route.ends_with("/assign") {
        json!({"assignee": null})
    } else if route.ends_with("/status") {
        json!({"status": "in_progress", "comment": ""})
    } else {
        json!({})
    }
}

dual_tests! {
    async fn every_route_refuses_who_it_must_and_lets_through_who_it_may(db: TestDb) {
        let app = TestApp::new(db).await;
        let a_token = app.user("a@dariger.kz", Role::Applicant, None).await;
        let b_token = app.user("b@other.kz", Role::Applicant, None).await;
        let reviewer_token = app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let admin_token = app.user("root@senim.kz", Role::Admin, None).await;
        // A works for an organisation; B for none.
        let a_user = senim_store::users::by_email(&app.state.store, "a@dariger.kz").await.unwrap().unwrap();
        let profile: senim_domain::application::Applicant =
            serde_json::from_value(complete_form("x")["applicant"].clone()).unwrap();
        let mut tx = app.state.store.begin().await.unwrap();
        let org = senim_store::organisations::create(&mut tx, &profile).await.unwrap();
        senim_store::users::set_org(&mut tx, &a_user.id, &org.id).await.unwrap();
        tx.commit().await.unwrap();
        // A's application, with a notice of nonconformity (so every page of it exists), and another one
        // included and published (so the public List has an entry, edition files and a proof).
        let (id, _) = app.submit_application(&a_token, complete_form("Менің жүйем"), &pdf("report")).await;
        let aid = senim_store::applications::attachments(&app.state.store, &id).await.unwrap()[0].id.clone();
        let fail = json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true},
            "audit": {"pass": false, "comment": "Есеп басқа жүйе туралы"}}});
        let r = app.api("POST", &format!("/api/v1/applications/{id}/review"), Some(&reviewer_token), Some(fail)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        app.waive_and_notice(&a_token, &reviewer_token, &id).await;
        let (published, _) = app.submit_application(&a_token, complete_form("Жарияланған"), &pdf("report")).await;
        let pass = json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
        let path = format!("/api/v1/applications/{published}/review");
        let number = app.api("POST", &path, Some(&reviewer_token), Some(pass)).await.json()["registry_number"]
            .as_str()
            .unwrap()
            .to_owned();
        let publisher = app.user("p@health.kz", Role::Publisher, Some("health")).await;
        let r = app.api("POST", "/api/v1/bodies/health/editions", Some(&publisher), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let mail = senim_store::outbox::recent(&app.state.store, 1).await.unwrap()[0].id.clone();
        let cookie = |email: &'static str| app.sign_in(email);
        let (a, b, r, root) = (cookie("a@dariger.kz").await, cookie("b@other.kz").await, cookie("r@health.kz").await, cookie("root@senim.kz").await);
        let fill = |path: &str| {
            // The decision to include exists for the included application only.
            path.replace("/applications/{id}/rounds/{n}/decision.pdf", &format!("/applications/{published}/rounds/1/decision.pdf"))
                .replace("/admin/mail/{id}", &format!("/admin/mail/{mail}"))
                .replace("{id}", &id)
                .replace("{aid}", &aid)
                .replace("{attachment_id}", &aid)
                .replace("{section}", "system")
                .replace("{n}", "1")
                .replace("{code}", "health")
                .replace("{number}", &number)
                .replace("{registry_number}", &number)
                .replace("{name}", "1.kk.csv")
                .replace("{file}", "list.kk.csv")
                .replace("{token}", "no-such-token")
                .replace("{key}", "no-such-report")
                .replace("{year}", "2026")
        };
        let mut failures = Vec::new();
        let mut checked = 0;
        for &(method, route, access) in ROUTES {
            let path = fill(route);
            // Destructive requests go last for the object's owner, so that the others still see it.
            let destructive = route.ends_with("/withdraw") || route.ends_with("/remove") || method == "DELETE";
            let mut expect = |who: &str, ok: bool, r: Reply| {
                checked += 1;
                if !ok {
                    failures.push(format!("{method} {route} as {who}: got {} {}", r.status, r.location()));
                }
            };
            match access {
                Public => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", public(route, &got), got);
                }
                SignedIn => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", refused(&got), got);
                    let got = send(&app, method, &path, Some((&a, &a_token))).await;
                    expect("applicant", let_through(&got), got);
                }
                Own => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", refused(&got), got);
                    let got = send(&app, method, &path, Some((&b, &b_token))).await;
                    expect("another applicant", refused(&got), got);
                    if !destructive {
                        let got = send(&app, method, &path, Some((&a, &a_token))).await;
                        expect("the owner", let_through(&got), got);
                    }
                }
                Staff => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", refused(&got), got);
                    let got = send(&app, method, &path, Some((&a, &a_token))).await;
                    expect("applicant", refused(&got), got);
                }
                Admin => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", refused(&got), got);
                    let got = send(&app, method, &path, Some((&a, &a_token))).await;
                    expect("applicant", refused(&got), got);
                    let got = send(&app, method, &path, Some((&r, &reviewer_token))).await;
                    expect("reviewer", refused(&got), got);
                    let got = send(&app, method, &path, Some((&root, &admin_token))).await;
                    // Outside the demo the mailbox page is off: 404 even for the administrator.
                    let off = route == "/admin/mail/{id}" && got.status == StatusCode::NOT_FOUND;
                    expect("administrator", let_through(&got) || off, got);
                }
                Operator => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", refused(&got), got);
                    let got = send(&app, method, &path, Some((&root, &admin_token))).await;
                    expect("administrator (not loopback)", refused(&got), got);
                }
                AfterPassword => {
                    let got = send(&app, method, &path, None).await;
                    expect("anonymous", signin_redirect(&got), got);
                }
            }
        }
        assert!(failures.is_empty(), "{} of {checked} checks wrong:\n{}", failures.len(), failures.join("\n"));
        println!("authorisation matrix: {} routes, {checked} checks", ROUTES.len());
    }
}
