//! Issue 3, item 1–2: registration with e-mail confirmation, sign-in, password reset and change,
//! organisations and invitations — through the pages, reading the links from the e-mail outbox.

mod common;

use axum::http::StatusCode;
use common::*;
use senim_domain::role::Role;
use senim_store::{dual_tests, outbox};

const NEW_PASSWORD: &str = "жаңа ұзын құпиясөз";

/// The message to an address with a link to `/{kind}/…`, and that link's site path.
async fn link_in(app: &TestApp, to: &str, kind: &str) -> (outbox::Mail, String) {
    let mails = outbox::for_recipient(&app.state.store, to).await.unwrap();
    let marker = format!("/{kind}/");
    for mail in mails.into_iter().rev() {
        if let Some(w) = mail.body.split_whitespace().find(|w| w.contains(&marker)) {
            let path = w.trim_end_matches(['.', ',']).to_owned();
            return (mail, path);
        }
    }
    panic!("no mail to {to} with a {kind} link")
}

fn registration<'a>(email: &'a str, bin: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", "Айгүл Сәрсенова"),
        ("email", email),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("org_bin_iin", bin),
        ("org_name", "«Дәрігер AI» ЖШС"),
    ]
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> common::Reply {
    app.form("/signin", None, &[("email", email), ("password", password)]).await
}

fn cookie_of(r: &common::Reply) -> String {
    r.headers.get("set-cookie").expect("session cookie").to_str().unwrap().split(';').next().unwrap().to_owned()
}

/// Registers and confirms an applicant; returns the session cookie.
async fn registered(app: &TestApp, email: &str, bin: &str) -> String {
    let r = app.form("/register", None, &registration(email, bin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (_, link) = link_in(app, email, "confirm").await;
    let token = link.rsplit('/').next().unwrap().to_owned();
    let r = app.form("/confirm", None, &[("token", &token)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = sign_in_with(app, email, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    cookie_of(&r)
}

dual_tests! {
    // Issue 16, finding 4: `next` leaves the site neither after the language switch nor after sign-in;
    // a CR LF in it is no longer a 500.
    async fn next_never_leaves_the_site(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("a@dariger.kz", Role::Applicant, None).await;
        // As a query string (percent-encoded) and as the form field it becomes (decoded).
        for (query, field) in [
            ("/%5Cevil.example", "/\\evil.example"),
            ("//evil.example", "//evil.example"),
            ("/%09/evil.example", "/\t/evil.example"),
            ("/%0d%0aX", "/\r\nX"),
            ("%2F%2Fevil.example", "%2F%2Fevil.example"),
        ] {
            let r = app.get(&format!("/lang/ru?next={query}"), None).await;
            assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/".to_owned()), "language switch, {query}");
            let r = app.form("/signin", None, &[("email", "a@dariger.kz"), ("password", PASSWORD), ("next", field)]).await;
            assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/applications".to_owned()), "sign-in, {query}");
        }
        let r = app.get("/lang/ru?next=/%5C%5Cevil.example", None).await;
        assert_eq!(r.location(), "/");
        let r = app.get("/lang/kk?next=/bodies/health/list%3Fq%3D%D0%90", None).await;
        assert_eq!(r.location(), "/bodies/health/list?q=%D0%90", "a path on the site is kept");
    }

    async fn a_new_applicant_registers_confirms_the_address_and_signs_in(db: TestDb) {
        let app = TestApp::new(db).await;
        let page = app.get("/register", None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("Есептік жазба ашу"), "the form is in Kazakh by default");

        let r = app.form("/register", None, &registration("Aigul@Dariger.kz", "971240001315")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("Поштаңызды тексеріңіз"));

        // Not confirmed yet: the right password gets "confirm first", not a session.
        let r = sign_in_with(&app, "aigul@dariger.kz", PASSWORD).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.text().contains("Алдымен электрондық пошта мекенжайыңызды растаңыз"));
        // A wrong password says only that sign-in failed.
        let r = sign_in_with(&app, "aigul@dariger.kz", "not the password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let (mail, link) = link_in(&app, "aigul@dariger.kz", "confirm").await;
        assert!(mail.subject.contains("растаңыз"), "the mail is in the registrant's language: {}", mail.subject);
        assert!(link.starts_with("/confirm/"), "{link}");
        // Following the link shows a button; only the POST confirms (mail scanners fetch links).
        let page = app.get(&link, None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(sign_in_with(&app, "aigul@dariger.kz", PASSWORD).await.status, StatusCode::FORBIDDEN);
        let token = link.rsplit('/').next().unwrap();
        let r = app.form("/confirm", None, &[("token", token)]).await;
        assert_eq!(r.status, StatusCode::OK);
        // A token works once.
        let again = app.form("/confirm", None, &[("token", token)]).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);

        let r = sign_in_with(&app, "aigul@dariger.kz", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/applications");
        let cookie = cookie_of(&r);

        // The organisation exists with the BIN and name given, and prefills a new application.
        let org = app.get("/organisation", Some(&cookie)).await;
        assert!(org.text().contains("971240001315") && org.text().contains("«Дәрігер AI» ЖШС"));
        let r = app.form("/applications", Some(&cookie), &[("body", "health")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let id = r.location().trim_start_matches("/applications/").split('/').next().unwrap().to_owned();
        let r = app.api("GET", &format!("/api/v1/applications/{id}"), None, None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "API needs a token");
        let form = app.get(&format!("/applications/{id}/edit"), Some(&cookie)).await.text();
        assert!(form.contains("971240001315"), "the applicant block is prefilled from the organisation");
    }

    async fn registration_errors_are_shown_next_to_their_fields_and_keep_the_input(db: TestDb) {
        let app = TestApp::new(db).await;
        let r = app
            .form(
                "/register",
                None,
                &[
                    ("name", "Бауыржан"),
                    ("email", "not-an-address"),
                    ("password", "short"),
                    ("password_confirm", "short"),
                    ("org_bin_iin", "971240001316"),
                    ("org_name", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("Бауыржан") && html.contains("not-an-address") && html.contains("971240001316"));
        assert!(!html.contains("value=\"short\""), "passwords are never sent back");
        for id in ["email-error", "password-error", "org_bin_iin-error", "org_name-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
        }
        assert!(html.contains("тексеру цифры") || html.contains("бақылау"), "the BIN checksum message: {html}");

        let r = app
            .form("/register", Some("lang=ru"), &[("password", "a long test password"), ("password_confirm", "another long one")])
            .await;
        assert!(r.text().contains("Пароли не совпадают"), "Russian messages");
        assert!(outbox::for_recipient(&app.state.store, "not-an-address").await.unwrap().is_empty());
    }

    async fn the_same_organisation_or_address_cannot_be_registered_twice(db: TestDb) {
        let app = TestApp::new(db).await;
        registered(&app, "first@dariger.kz", "971240001315").await;
        let r = app.form("/register", None, &registration("second@dariger.kz", "971240001315")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("шақыруды сұраңыз"), "ask a member for an invitation");
        // The same address again: the same answer as a new one, and a mail to the owner of the address.
        let r = app.form("/register", None, &registration("first@dariger.kz", "940140000385")).await;
        assert_eq!(r.status, StatusCode::OK);
        let mails = outbox::for_recipient(&app.state.store, "first@dariger.kz").await.unwrap();
        assert_eq!(mails.len(), 2, "the confirmation, then the warning");
        assert!(mails.iter().any(|m| m.subject.contains("есептік жазба бар")), "{mails:?}");
    }

    async fn a_forgotten_password_is_reset_by_a_link_that_ends_other_sessions(db: TestDb) {
        let app = TestApp::new(db).await;
        let old_session = registered(&app, "a@dariger.kz", "971240001315").await;
        assert_eq!(app.get("/account", Some(&old_session)).await.status, StatusCode::OK);

        // An unknown address gets the same answer and no mail.
        let r = app.form("/password/forgot", None, &[("email", "nobody@example.kz")]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(outbox::for_recipient(&app.state.store, "nobody@example.kz").await.unwrap().is_empty());

        let r = app.form("/password/forgot", None, &[("email", "a@dariger.kz")]).await;
        assert_eq!(r.status, StatusCode::OK);
        let (_, link) = link_in(&app, "a@dariger.kz", "password/reset").await;
        assert!(link.starts_with("/password/reset/"), "{link}");
        assert_eq!(app.get(&link, None).await.status, StatusCode::OK);
        let r = app.form(&link, None, &[("password", NEW_PASSWORD), ("password_confirm", "different")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.form(&link, None, &[("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());

        assert_eq!(sign_in_with(&app, "a@dariger.kz", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in_with(&app, "a@dariger.kz", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
        // The session from before the reset is signed out.
        assert_eq!(app.get("/account", Some(&old_session)).await.status, StatusCode::SEE_OTHER);
        // The link was used up.
        assert_eq!(app.get(&link, None).await.status, StatusCode::NOT_FOUND);
    }

    async fn a_signed_in_user_changes_the_password_with_the_current_one(db: TestDb) {
        let app = TestApp::new(db).await;
        let cookie = registered(&app, "a@dariger.kz", "971240001315").await;
        let other = cookie_of(&sign_in_with(&app, "a@dariger.kz", PASSWORD).await);
        let r = app
            .form("/account/password", Some(&cookie), &[("current_password", "wrong one here"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"current_password-error\""));
        let r = app
            .form("/account/password", Some(&cookie), &[("current_password", PASSWORD), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let this = cookie_of(&r);
        assert_eq!(app.get("/account", Some(&this)).await.status, StatusCode::OK, "this session goes on");
        assert_eq!(app.get("/account", Some(&other)).await.status, StatusCode::SEE_OTHER, "other sessions end");
        let mails = outbox::for_recipient(&app.state.store, "a@dariger.kz").await.unwrap();
        assert!(mails.iter().any(|m| m.subject.contains("өзгертілді")), "{mails:?}");
    }

    async fn a_colleague_joins_by_invitation_and_works_on_the_same_applications(db: TestDb) {
        let app = TestApp::new(db).await;
        let first = registered(&app, "a@dariger.kz", "971240001315").await;
        let r = app.form("/applications", Some(&first), &[("body", "health")]).await;
        let id = r.location().trim_start_matches("/applications/").split('/').next().unwrap().to_owned();

        let r = app.form("/organisation/invite", Some(&first), &[("email", "colleague@dariger.kz")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r.text().contains("colleague@dariger.kz"));
        let (mail, link) = link_in(&app, "colleague@dariger.kz", "invite").await;
        assert!(mail.body.contains("«Дәрігер AI» ЖШС"));
        let r = app.form(&link, None, &[("name", "Бауыржан Ахметов"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let colleague = cookie_of(&r);
        let list = app.get("/applications", Some(&colleague)).await.text();
        assert!(list.contains(&id), "the colleague sees the organisation's application");
        assert_eq!(app.get(&format!("/applications/{id}/edit"), Some(&colleague)).await.status, StatusCode::OK);
        let members = app.get("/organisation", Some(&first)).await.text();
        assert!(members.contains("colleague@dariger.kz") && members.contains("Бауыржан Ахметов"));

        // Another organisation sees none of it.
        let stranger = registered(&app, "x@other.kz", "940140000385").await;
        assert!(!app.get("/applications", Some(&stranger)).await.text().contains(&id));
        assert_eq!(app.get(&format!("/applications/{id}"), Some(&stranger)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/applications/{id}/edit"), Some(&stranger)).await.status, StatusCode::NOT_FOUND);
    }

    async fn the_organisation_profile_is_checked_and_saved(db: TestDb) {
        let app = TestApp::new(db).await;
        let cookie = registered(&app, "a@dariger.kz", "971240001315").await;
        let r = app
            .form("/organisation", Some(&cookie), &[("applicant.name", "«Дәрігер AI» ЖШС"), ("applicant.contact.phone", "12"), ("applicant.legal_address", "Астана")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"applicant-contact-phone-error\"") && r.text().contains("value=\"Астана\""));
        let r = app
            .form("/organisation", Some(&cookie), &[("applicant.name", "«Дәрігер AI» ЖШС"), ("applicant.contact.phone", "+7 701 555 44 33"), ("applicant.legal_address", "Астана"), ("applicant.bin_iin", "940140000385")])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let page = r.text();
        assert!(page.contains("971240001315"), "the BIN/IIN does not change");
        assert!(page.contains("+7 701 555 44 33"));

        // An applicant made by an administrator creates the organisation first.
        app.user("made@example.kz", Role::Applicant, None).await;
        let made = app.sign_in("made@example.kz").await;
        let r = app.form("/organisation", Some(&made), &[("applicant.name", "X"), ("applicant.bin_iin", "971240001315")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "that BIN is taken");
        let r = app.form("/organisation", Some(&made), &[("applicant.name", "«Көз AI» ЖШС"), ("applicant.bin_iin", "940140000385")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(app.get("/organisation", Some(&made)).await.text().contains("940140000385"));
        // Staff have no organisation page.
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let r = app.get("/organisation", Some(&app.sign_in("r@health.kz").await)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}
