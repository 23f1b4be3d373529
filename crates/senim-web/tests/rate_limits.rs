//! Rate limits: sign-in, account e-mails, uploads and API writes answer 429 with `Retry-After` past
//! their limit — a translated page for browsers, problem JSON for the API — keyed by the client's
//! address, which a trusted proxy may name in `X-Forwarded-For` and nobody else may.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use common::*;
use senim_domain::role::Role;
use senim_store::dual_tests;
use senim_store::testing::TestDb;
use senim_web::rate_limit::RateLimits;
use senim_web::{AppState, Config};

async fn app_with(db: TestDb, config: Config) -> TestApp {
    let state = AppState::load(db.store.clone(), config).await.unwrap();
    senim_web::services::demo::ensure_bodies(&state).await.unwrap();
    let router = senim_web::app(state.clone());
    TestApp { db, state, router }
}

fn limits(l: RateLimits) -> Config {
    Config { rate_limits: Some(l), ..Config::default() }
}

/// Only the limit under test; the others off.
fn none() -> RateLimits {
    RateLimits {
        signin_per_ip: 0,
        signin_per_email: 0,
        account_per_ip: 0,
        upload_per_ip: 0,
        api_write_per_token: 0,
        report_per_ip: 0,
    }
}

/// A sign-in form post from `peer` (as `senim serve` sees it through `ConnectInfo`), with extra headers.
async fn sign_in_from(app: &TestApp, peer: Option<&str>, email: &str, headers: &[(&str, &str)]) -> Reply {
    let body = format!("email={}&password=wrong+password", enc(email));
    let mut req = Request::builder()
        .method("POST")
        .uri("/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::from(body)).unwrap();
    if let Some(peer) = peer {
        req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    }
    app.send(req).await
}

fn retry_after(r: &Reply) -> u64 {
    let v = r.headers.get(header::RETRY_AFTER).expect("Retry-After").to_str().unwrap();
    v.parse().unwrap_or_else(|_| panic!("Retry-After in seconds: {v}"))
}

dual_tests! {
    async fn the_eleventh_sign_in_within_a_minute_gets_429_with_a_translated_page(db: TestDb) {
        let app = app_with(db, Config { rate_limits: Some(RateLimits::default()), ..Config::default() }).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        // No ConnectInfo (requests built in-process): every request counts as one loopback client.
        for i in 0..10 {
            let r = sign_in_from(&app, None, &format!("guess{i}@example.kz"), &[]).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {} is answered normally", i + 1);
        }
        let r = sign_in_from(&app, None, "guess10@example.kz", &[]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        let wait = retry_after(&r);
        assert!((1..=60).contains(&wait), "{wait}");
        let html = r.text();
        assert!(html.contains("<html lang=\"kk\">") && html.contains("Сұраулар тым көп"), "{html}");
        let ru = sign_in_from(&app, None, "guess11@example.kz", &[("accept-language", "ru")]).await;
        assert_eq!(ru.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(ru.text().contains("Слишком много запросов"));
        // The real user, from the same address, waits too; other pages are not limited.
        let r = app.form("/signin", None, &[("email", "a@example.kz"), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(app.get("/", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/signin", None).await.status, StatusCode::OK);
    }

    async fn sign_ins_for_one_address_are_limited_whatever_the_client(db: TestDb) {
        let app = app_with(db, limits(RateLimits { signin_per_email: 3, ..none() })).await;
        for (i, peer) in ["198.51.100.1:1", "198.51.100.2:1", "198.51.100.3:1"].into_iter().enumerate() {
            let r = sign_in_from(&app, Some(peer), "Victim@Example.kz", &[]).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {}", i + 1);
        }
        let r = sign_in_from(&app, Some("198.51.100.4:1"), "victim@example.kz", &[]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "same address in another case");
        let r = sign_in_from(&app, Some("198.51.100.4:1"), "other@example.kz", &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "another address is not affected");
    }

    async fn api_writes_past_the_limit_get_problem_json_429(db: TestDb) {
        let app = app_with(db, limits(RateLimits { api_write_per_token: 2, ..none() })).await;
        let token = app.user("a@example.kz", Role::Applicant, None).await;
        let other = app.user("b@example.kz", Role::Applicant, None).await;
        for _ in 0..2 {
            let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form("Жүйе"))).await;
            assert!(r.status.is_success(), "{} {}", r.status, r.text());
        }
        let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form("Жүйе"))).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(retry_after(&r) >= 1);
        assert_eq!(r.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
        let p = r.json();
        assert_eq!(p["status"], 429);
        assert_eq!(p["type"], "https://senim.kz/problems/rate-limited");
        assert_eq!(p["title"], "Сұраулар тым көп");
        // Reads are not limited; another token has its own allowance.
        assert_eq!(app.api("GET", "/api/v1/applications", Some(&token), None).await.status, StatusCode::OK);
        let r = app.api("POST", "/api/v1/applications", Some(&other), Some(complete_form("Жүйе"))).await;
        assert!(r.status.is_success(), "{}", r.status);
        let mut req = Request::builder()
            .method("POST")
            .uri("/api/v1/applications")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("accept-language", "en")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(complete_form("Жүйе").to_string()))
            .unwrap();
        req.extensions_mut().insert(ConnectInfo("203.0.113.1:5".parse::<SocketAddr>().unwrap()));
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "per token, from any address");
        assert_eq!(r.json()["title"], "Too many requests");
    }

    async fn uploads_and_account_mails_are_limited_per_client(db: TestDb) {
        let app = app_with(db, limits(RateLimits { upload_per_ip: 2, account_per_ip: 1, ..none() })).await;
        let token = app.user("a@example.kz", Role::Applicant, None).await;
        let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form("Жүйе"))).await;
        let id = r.json()["id"].as_str().unwrap().to_owned();
        for _ in 0..2 {
            let r = app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(&token), "audit_report", "a.pdf", &pdf("a")).await;
            assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS);
        }
        // The page route shares the allowance with the API's.
        let r = app.upload(&format!("/applications/{id}/attachments"), Auth::Cookie(None), "audit_report", "a.pdf", &pdf("a")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.text().contains("Сұраулар тым көп"));

        let first = app.form("/password/forgot", None, &[("email", "a@example.kz")]).await;
        assert_ne!(first.status, StatusCode::TOO_MANY_REQUESTS);
        let again = app.form("/register", None, &[("email", "x@example.kz")]).await;
        assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS, "registration and reset share the allowance");
        assert!(retry_after(&again) >= 1);
    }

    async fn a_trusted_proxys_forwarded_for_names_the_client_and_an_untrusted_ones_is_ignored(db: TestDb) {
        let config = Config {
            rate_limits: Some(RateLimits { signin_per_ip: 1, ..none() }),
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..Config::default()
        };
        let app = app_with(db, config).await;
        let proxy = Some("10.1.2.3:44321");
        let via = |client: &'static str| [("x-forwarded-for", client)];
        // Behind the trusted proxy: each client its own allowance.
        assert_eq!(sign_in_from(&app, proxy, "x@example.kz", &via("203.0.113.7")).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in_from(&app, proxy, "x@example.kz", &via("203.0.113.8")).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in_from(&app, proxy, "x@example.kz", &via("203.0.113.7")).await.status, StatusCode::TOO_MANY_REQUESTS);
        // A client cannot escape by prepending its own X-Forwarded-For: the proxy appends the real one.
        let spoofed = [("x-forwarded-for", "192.0.2.99, 203.0.113.8")];
        assert_eq!(sign_in_from(&app, proxy, "x@example.kz", &spoofed).await.status, StatusCode::TOO_MANY_REQUESTS);

        // Directly from an untrusted peer, the header is the client's own words: ignored.
        let direct = Some("198.51.100.20:5000");
        assert_eq!(sign_in_from(&app, direct, "x@example.kz", &via("192.0.2.1")).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in_from(&app, direct, "x@example.kz", &via("192.0.2.2")).await.status, StatusCode::TOO_MANY_REQUESTS);
        // And the address it claimed was never charged.
        assert_eq!(sign_in_from(&app, proxy, "x@example.kz", &via("192.0.2.1")).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn without_configured_limits_nothing_is_limited(db: TestDb) {
        let app = app_with(db, Config::default()).await;
        for _ in 0..25 {
            assert_eq!(sign_in_from(&app, None, "x@example.kz", &[]).await.status, StatusCode::UNAUTHORIZED);
        }
    }
}
