//! Issue 4: staff accounts managed by the body administrator, the TOTP second factor, and the queue's
//! filters and assignment — through the pages and the API, on both databases.

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::Timestamp;
use senim_domain::role::Role;
use senim_store::{dual_tests, outbox};
use senim_web::services::second_factor::code_at;
use serde_json::json;

const NEW_PASSWORD: &str = "қызметкердің ұзын құпиясөзі";

fn cookie_of(r: &Reply) -> String {
    r.headers.get("set-cookie").expect("session cookie").to_str().unwrap().split(';').next().unwrap().to_owned()
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> Reply {
    app.form("/signin", None, &[("email", email), ("password", password)]).await
}

/// The site path of the last link to `/{kind}/…` mailed to an address.
async fn link_in(app: &TestApp, to: &str, kind: &str) -> String {
    let mails = outbox::for_recipient(&app.state.store, to).await.unwrap();
    let marker = format!("/{kind}/");
    mails
        .into_iter()
        .rev()
        .find_map(|m| {
            m.body.split_whitespace().find(|w| w.contains(&marker)).map(|w| w.trim_end_matches(['.', ',']).to_owned())
        })
        .unwrap_or_else(|| panic!("no mail to {to} with a {kind} link"))
}

fn now_unix() -> u64 {
    Timestamp::now().as_second() as u64
}

/// Enrols the signed-in user: reads the secret off the page, confirms with a code; returns the secret
/// and the recovery codes shown.
async fn enrol(app: &TestApp, cookie: &str) -> (String, Vec<String>) {
    let r = app.get("/account/second-factor", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    let secret = page.split("secret=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    assert!(page.contains("otpauth://totp/Senim"), "the URI is shown");
    let r = app.form("/account/second-factor", Some(cookie), &[("code", "000000x")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a wrong code does not enrol");
    let code = code_at(&secret, now_unix()).unwrap();
    let r = app.form("/account/second-factor", Some(cookie), &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    let codes: Vec<String> =
        page.split("<li><code>").skip(1).map(|s| s.split("</code>").next().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    (secret, codes)
}

dual_tests! {
    async fn a_body_administrator_creates_changes_disables_and_enables_staff(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("boss@health.kz", Role::BodyAdmin, Some("health")).await;
        let boss = app.sign_in("boss@health.kz").await;

        let r = app.get("/staff", Some(&boss)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        // Errors are named next to the fields, and nothing is created.
        let r = app.form("/staff", Some(&boss), &[("name", ""), ("email", "nope"), ("role", "admin")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"staff-email-error\""));
        assert!(r.text().contains("id=\"staff-role-error\""));
        // Another body is not theirs.
        let r = app.form("/staff", Some(&boss), &[("body", "finance"), ("name", "X"), ("email", "x@f.kz"), ("role", "reviewer")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let r = app.form("/staff", Some(&boss), &[("name", "Ерлан Қасымов"), ("email", "Erlan@Health.kz"), ("role", "reviewer")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        // No password yet: nothing signs in until the e-mailed link is followed.
        assert_eq!(sign_in_with(&app, "erlan@health.kz", "").await.status, StatusCode::UNAUTHORIZED);
        let link = link_in(&app, "erlan@health.kz", "password/reset").await;
        let r = app.form(&link, None, &[("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = sign_in_with(&app, "erlan@health.kz", NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/review");
        let erlan = cookie_of(&r);

        let erlan_user = senim_store::users::by_email(&app.state.store, "erlan@health.kz").await.unwrap().unwrap();
        assert_eq!(erlan_user.role, Role::Reviewer);
        assert_eq!(erlan_user.body_code.as_deref(), Some("health"));
        let id = erlan_user.id.clone();
        // An API token made while signed in.
        let r = app.form("/account/tokens", Some(&erlan), &[]).await;
        let token = r.text().split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
        assert_eq!(app.api("GET", "/api/v1/review/queue", Some(&token), None).await.status, StatusCode::OK);

        // Role within the body.
        let r = app.form(&format!("/staff/{id}/role"), Some(&boss), &[("role", "publisher")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let u = senim_store::users::by_id(&app.state.store, &id).await.unwrap().unwrap();
        assert_eq!(u.role, Role::Publisher);
        let r = app.form(&format!("/staff/{id}/role"), Some(&boss), &[("role", "admin")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "only the body's roles");

        // Disabled: the session, the token and the password all stop working.
        let r = app.form(&format!("/staff/{id}/disable"), Some(&boss), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/account", Some(&erlan)).await.status, StatusCode::SEE_OTHER, "session ended");
        assert_eq!(app.api("GET", "/api/v1/review/queue", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in_with(&app, "erlan@health.kz", NEW_PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        // Enabled again: the password works; the revoked token stays revoked.
        let r = app.form(&format!("/staff/{id}/enable"), Some(&boss), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(sign_in_with(&app, "erlan@health.kz", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
        assert_eq!(app.api("GET", "/api/v1/review/queue", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);

        // Nobody disables themselves.
        let me = senim_store::users::by_email(&app.state.store, "boss@health.kz").await.unwrap().unwrap();
        let r = app.form(&format!("/staff/{}/disable", me.id), Some(&boss), &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // Every change is in the audit log.
        let actions: Vec<String> =
            senim_store::audit::for_object(&app.state.store, &id).await.unwrap().into_iter().map(|a| a.action).collect();
        for a in ["staff.create", "staff.role", "staff.disable", "staff.enable"] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        let page = app.get("/staff", Some(&boss)).await.text();
        assert!(page.contains("Ерлан Қасымов") && page.contains("erlan@health.kz"));
    }

    async fn the_system_administrator_manages_any_body_and_the_api_does_the_same(db: TestDb) {
        let app = TestApp::new(db).await;
        let admin = app.user("root@senim.kz", Role::Admin, None).await;
        let boss = app.user("boss@health.kz", Role::BodyAdmin, Some("health")).await;

        let r = app.api("POST", "/api/v1/bodies/finance/staff", Some(&admin), Some(json!({"name": "Гүлнар", "email": "g@finance.kz", "role": "publisher"}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["body"], "finance");
        let r = app.api("POST", "/api/v1/bodies/finance/staff", Some(&admin), Some(json!({"name": "Гүлнар", "email": "g@finance.kz", "role": "publisher"}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "address taken");
        assert_eq!(r.json()["errors"][0]["code"], "email.taken");
        let r = app.api("GET", "/api/v1/bodies/finance/staff", Some(&admin), None).await;
        assert_eq!(r.json().as_array().unwrap().len(), 1);

        // The health body administrator sees only their own body.
        assert_eq!(app.api("GET", "/api/v1/bodies/finance/staff", Some(&boss), None).await.status, StatusCode::FORBIDDEN);
        let r = app.api("PATCH", &format!("/api/v1/bodies/health/staff/{id}"), Some(&boss), Some(json!({"disabled": true}))).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "not a member of health");
        assert_eq!(app.api("GET", "/api/v1/bodies/atlantis/staff", Some(&admin), None).await.status, StatusCode::NOT_FOUND);

        let r = app.api("PATCH", &format!("/api/v1/bodies/finance/staff/{id}"), Some(&admin), Some(json!({"role": "reviewer", "disabled": true}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["role"], "reviewer");
        assert_eq!(r.json()["disabled"], true);

        // The page for another body, by the administrator.
        app.user("root2@senim.kz", Role::Admin, None).await;
        let c = app.sign_in("root2@senim.kz").await;
        let r = app.get("/staff?body=finance", Some(&c)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("g@finance.kz"));
    }

    async fn totp_codes_work_once_and_recovery_codes_once(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let c = app.sign_in("r@health.kz").await;
        let (secret, recovery) = enrol(&app, &c).await;

        // The password alone no longer signs in: the session is only pending.
        let r = sign_in_with(&app, "r@health.kz", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/signin/code");
        let pending = cookie_of(&r);
        assert_eq!(app.get("/review", Some(&pending)).await.status, StatusCode::SEE_OTHER);
        assert!(app.get("/review", Some(&pending)).await.location().starts_with("/signin"));
        assert_eq!(app.get("/signin/code", Some(&pending)).await.status, StatusCode::OK);

        // Wrong code.
        let r = app.form("/signin/code", Some(&pending), &[("code", "123456")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // The code of the next step (the enrolment used this step's): accepted.
        let next = code_at(&secret, now_unix() + 30).unwrap();
        let r = app.form("/signin/code", Some(&pending), &[("code", &next)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), "/review");
        let signed = cookie_of(&r);
        assert_eq!(app.get("/review", Some(&signed)).await.status, StatusCode::OK);

        // The same code again (a replay within its window): refused.
        let r = sign_in_with(&app, "r@health.kz", PASSWORD).await;
        let pending = cookie_of(&r);
        let r = app.form("/signin/code", Some(&pending), &[("code", &next)]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a code works once");
        let earlier = code_at(&secret, now_unix()).unwrap();
        let r = app.form("/signin/code", Some(&pending), &[("code", &earlier)]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "an earlier step is refused too");

        // A recovery code (typed loosely) works once.
        let loose = recovery[3].to_lowercase().replace('-', " ");
        let r = app.form("/signin/code", Some(&pending), &[("code", &loose)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = sign_in_with(&app, "r@health.kz", PASSWORD).await;
        let pending = cookie_of(&r);
        let r = app.form("/signin/code", Some(&pending), &[("code", &recovery[3])]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a recovery code works once");

        // Five wrong codes (one above, four here): back to the password, even with a right code after.
        for _ in 0..3 {
            assert_eq!(app.form("/signin/code", Some(&pending), &[("code", "000000")]).await.status, StatusCode::UNAUTHORIZED);
        }
        let r = app.form("/signin/code", Some(&pending), &[("code", "000000")]).await;
        assert_eq!(r.location(), "/signin", "after five wrong codes the pending sign-in is dropped");
        let r = app.form("/signin/code", Some(&pending), &[("code", &recovery[5])]).await;
        assert_eq!(r.location(), "/signin");
        assert_eq!(app.get("/review", Some(&pending)).await.status, StatusCode::SEE_OTHER, "not signed in");

        // API tokens are not asked for a code.
        let token = app.user("r2@health.kz", Role::Reviewer, Some("health")).await;
        assert_eq!(app.api("GET", "/api/v1/review/queue", Some(&token), None).await.status, StatusCode::OK);
    }

    async fn required_second_factor_sends_staff_without_one_to_enrol(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("root@senim.kz", Role::Admin, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        let root = app.sign_in("root@senim.kz").await;
        let r = app.form("/staff/second-factor", Some(&root), &[("required", "yes")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);

        let r = sign_in_with(&app, "r@health.kz", PASSWORD).await;
        assert_eq!(r.location(), "/account/second-factor");
        let c = cookie_of(&r);
        let r = app.get("/review", Some(&c)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/account/second-factor");
        let (_secret, _) = enrol(&app, &c).await;
        assert_eq!(app.get("/review", Some(&c)).await.status, StatusCode::OK);
        // Applicants are not staff: no second factor asked.
        let r = sign_in_with(&app, "a@example.kz", PASSWORD).await;
        assert_eq!(r.location(), "/applications");
        // A reviewer may not switch the requirement.
        let r = app.form("/staff/second-factor", Some(&c), &[("required", "no")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // A lost phone: the body administrator resets the second factor; the password signs in and,
        // as it is required, the reviewer is sent to enrol again.
        let r = sign_in_with(&app, "r@health.kz", PASSWORD).await;
        assert_eq!(r.location(), "/signin/code");
        app.user("boss@health.kz", Role::BodyAdmin, Some("health")).await;
        let r = sign_in_with(&app, "boss@health.kz", PASSWORD).await;
        assert_eq!(r.location(), "/account/second-factor");
        let boss = cookie_of(&r);
        let r = app.get("/staff", Some(&boss)).await;
        assert_eq!(r.location(), "/account/second-factor", "staff administration waits for the second factor too");
        enrol(&app, &boss).await;
        assert!(app.get("/staff", Some(&boss)).await.text().contains("/second-factor/reset"));
        let id = senim_store::users::by_email(&app.state.store, "r@health.kz").await.unwrap().unwrap().id;
        let r = app.form(&format!("/staff/{id}/second-factor/reset"), Some(&boss), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = sign_in_with(&app, "r@health.kz", PASSWORD).await;
        assert_eq!(r.location(), "/account/second-factor");
        let audit = senim_store::audit::for_object(&app.state.store, &id).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "staff.totp_reset"));
    }

    async fn the_queue_filters_assigns_and_shows_observers_every_body(db: TestDb) {
        let app = TestApp::new(db).await;
        let applicant = app.user("a@example.kz", Role::Applicant, None).await;
        let r1 = app.user("r1@health.kz", Role::Reviewer, Some("health")).await;
        app.user("r2@health.kz", Role::Reviewer, Some("health")).await;
        let boss = app.user("boss@health.kz", Role::BodyAdmin, Some("health")).await;
        let observer = app.user("o@senim.kz", Role::Observer, None).await;
        let other_reviewer = app.user("r@finance.kz", Role::Reviewer, Some("finance")).await;
        let first = app.submit_application(&applicant, complete_form("Бірінші"), &pdf("audit_report")).await.0;
        let second = app.submit_application(&applicant, complete_form("Екінші"), &pdf("audit_report")).await.0;

        // Take assigns to oneself.
        let r = app.api("POST", &format!("/api/v1/applications/{first}/take"), Some(&r1), None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let q = app.api("GET", "/api/v1/review/queue?mine=yes", Some(&r1), None).await.json();
        assert_eq!(q.as_array().unwrap().len(), 1);
        assert_eq!(q[0]["id"], first.as_str());
        assert_eq!(q[0]["assignee_name"], "r1@health.kz");
        assert!(q[0]["reference"].as_str().unwrap().starts_with("SNM-"));
        let q = app.api("GET", "/api/v1/review/queue?status=submitted", Some(&r1), None).await.json();
        assert_eq!(q.as_array().unwrap().len(), 1);
        assert_eq!(q[0]["id"], second.as_str());
        let q = app.api("GET", "/api/v1/review/queue?round=resubmission", Some(&r1), None).await.json();
        assert!(q.as_array().unwrap().is_empty());
        let q = app.api("GET", "/api/v1/review/queue?round=first", Some(&r1), None).await.json();
        assert_eq!(q.as_array().unwrap().len(), 2);
        // A colleague cannot take a case assigned to someone else.
        let r2_token = app.user("r3@health.kz", Role::Reviewer, Some("health")).await;
        let r = app.api("POST", &format!("/api/v1/applications/{first}/take"), Some(&r2_token), None).await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // The body administrator assigns to anyone of the body, not to strangers.
        let r2_user = senim_store::users::by_email(&app.state.store, "r2@health.kz").await.unwrap().unwrap();
        let fin = senim_store::users::by_email(&app.state.store, "r@finance.kz").await.unwrap().unwrap();
        let r = app.api("POST", &format!("/api/v1/applications/{first}/assign"), Some(&boss), Some(json!({"assignee": fin.id}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let before = outbox::for_recipient(&app.state.store, "r2@health.kz").await.unwrap().len();
        let r = app.api("POST", &format!("/api/v1/applications/{first}/assign"), Some(&boss), Some(json!({"assignee": r2_user.id}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let mails = outbox::for_recipient(&app.state.store, "r2@health.kz").await.unwrap();
        assert_eq!(mails.len(), before + 1, "the assignee is told");
        assert!(mails.iter().any(|m| m.subject.contains("Бірінші")), "the assignment mail names the case");
        let r = app.api("POST", &format!("/api/v1/applications/{first}/assign"), Some(&r1), Some(json!({"assignee": null}))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "reviewers do not assign");

        // Observers: every body, read-only, with a body filter.
        let q = app.api("GET", "/api/v1/review/queue", Some(&observer), None).await.json();
        assert_eq!(q.as_array().unwrap().len(), 2);
        let q = app.api("GET", "/api/v1/review/queue?body=finance", Some(&observer), None).await.json();
        assert!(q.as_array().unwrap().is_empty());
        assert_eq!(app.api("POST", &format!("/api/v1/applications/{second}/take"), Some(&observer), None).await.status, StatusCode::FORBIDDEN);
        let checks = json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
        assert_eq!(app.api("POST", &format!("/api/v1/applications/{second}/review"), Some(&observer), Some(checks)).await.status, StatusCode::FORBIDDEN);
        // Another body's reviewer sees none of it.
        let q = app.api("GET", "/api/v1/review/queue", Some(&other_reviewer), None).await.json();
        assert!(q.as_array().unwrap().is_empty());

        // The page: filters by GET form, the assignee column, observers' examination page without a decision form.
        let c = app.sign_in("r1@health.kz").await;
        let page = app.get("/review?status=under_review&round=first", Some(&c)).await.text();
        assert!(page.contains("Бірінші") && !page.contains("Екінші"), "filtered by status");
        assert!(page.contains("r2@health.kz"), "the assignee is shown");
        let o = app.sign_in("o@senim.kz").await;
        let r = app.get("/review?body=health", Some(&o)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("Екінші"));
        let r = app.get(&format!("/review/{second}"), Some(&o)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.text().contains("action=\"/review/"), "no take or decision form for observers");
        let b = app.sign_in("boss@health.kz").await;
        let r = app.get("/review", Some(&b)).await;
        assert!(r.text().contains(&format!("action=\"/review/{first}/assign\"")));
        let r = app.form(&format!("/review/{second}/assign"), Some(&b), &[("assignee", &r2_user.id)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}
