//! Authorization on every route and object, and bad input answered with 4xx problem JSON, never 500.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use senim_domain::role::Role;
use senim_store::dual_tests;
use serde_json::json;

fn is_problem(r: &Reply) -> bool {
    r.headers.get("content-type").is_some_and(|v| v == "application/problem+json")
}

dual_tests! {
    async fn malformed_requests_get_a_4xx_problem(db: TestDb) {
        let app = TestApp::new(db).await;
        let a = app.user("a@example.kz", Role::Applicant, None).await;
        let bad_json = app
            .send(Request::post("/api/v1/applications").header("authorization", format!("Bearer {a}"))
                .header("content-type", "application/json").body(Body::from("{\"body\": ")).unwrap())
            .await;
        assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
        assert!(is_problem(&bad_json));
        assert_eq!(bad_json.json()["type"], "https://senim.kz/problems/bad-request");
        let wrong_type = app
            .send(Request::post("/api/v1/applications").header("authorization", format!("Bearer {a}"))
                .header("content-type", "text/plain").body(Body::from("{}")).unwrap())
            .await;
        assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
        let wrong_shape = app.api("POST", "/api/v1/applications", Some(&a), Some(json!({"body": 5}))).await;
        assert_eq!(wrong_shape.status, StatusCode::BAD_REQUEST);
        let unknown = app.api("GET", "/api/v1/nothing-here", None, None).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(is_problem(&unknown));
        let not_uuid = app.api("GET", "/api/v1/applications/not-a-uuid", Some(&a), None).await;
        assert_eq!(not_uuid.status, StatusCode::NOT_FOUND);
        // A query string or path parameter that cannot be read is a problem in the reader's language,
        // not axum's plain text.
        for path in ["/api/v1/search?q=a&limit=1&limit=2", "/api/v1/bodies/health/editions/abc/manifest"] {
            let r = app
                .send(Request::get(path).header("accept-language", "ru").body(Body::empty()).unwrap())
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
            assert!(is_problem(&r), "{path}");
            assert_eq!(r.json()["type"], "https://senim.kz/problems/bad-request", "{path}");
            assert_eq!(r.json()["title"], "Некорректный запрос", "{path}");
        }
    }

    async fn field_errors_are_all_listed_with_codes_and_translated_messages(db: TestDb) {
        let app = TestApp::new(db).await;
        let a = app.user("a@example.kz", Role::Applicant, None).await;
        let mut form = complete_form("X");
        form["applicant"]["bin_iin"] = json!("971240001316");
        form["applicant"]["contact"]["email"] = json!("nope");
        let r = app.api("POST", "/api/v1/applications", Some(&a), Some(form.clone())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = r.json()["errors"].clone();
        assert_eq!(errors[0], json!({"field": "applicant.bin_iin", "code": "bin_iin.checksum", "message": "БСН/ЖСН бақылау цифры қате: нөмірді тексеріңіз."}));
        assert_eq!(errors[1]["code"], "email.format");
        let ru = app
            .send(Request::post("/api/v1/applications").header("authorization", format!("Bearer {a}"))
                .header("accept-language", "ru").header("content-type", "application/json")
                .body(Body::from(form.to_string())).unwrap())
            .await;
        assert_eq!(ru.json()["errors"][0]["message"], "Неверная контрольная цифра БИН/ИИН: проверьте номер.");
        let unknown_body = app.api("POST", "/api/v1/applications", Some(&a), Some(json!({"body": "atlantis"}))).await;
        assert_eq!(unknown_body.json()["errors"][0]["code"], "body.unknown");
    }

    async fn no_one_sees_or_changes_another_organisations_application(db: TestDb) {
        let app = TestApp::new(db).await;
        let a = app.user("a@example.kz", Role::Applicant, None).await;
        let b = app.user("b@example.kz", Role::Applicant, None).await;
        let r_other = app.user("r@finance.kz", Role::Reviewer, Some("finance")).await;
        let r_health = app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let p_other = app.user("p@finance.kz", Role::Publisher, Some("finance")).await;
        let id = app.api("POST", "/api/v1/applications", Some(&a), Some(complete_form("Менікі"))).await.json()["id"]
            .as_str().unwrap().to_owned();
        let path = format!("/api/v1/applications/{id}");
        assert_eq!(app.api("GET", &path, Some(&b), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("PUT", &path, Some(&b), Some(complete_form("Ұрланған"))).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("POST", &format!("{path}/submit"), Some(&b), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("POST", &format!("{path}/withdraw"), Some(&b), None).await.status, StatusCode::NOT_FOUND);
        let up = app.upload(&format!("{path}/attachments"), Auth::Token(&b), "audit_report", "x.pdf", &pdf("x")).await;
        assert_eq!(up.status, StatusCode::NOT_FOUND);
        // A draft is the applicant's alone, even for the body's staff.
        assert_eq!(app.api("GET", &path, Some(&r_health), None).await.status, StatusCode::NOT_FOUND);
        assert!(app.api("GET", "/api/v1/applications", Some(&b), None).await.json().as_array().unwrap().is_empty());
        // Staff of another body neither see nor decide it; roles are kept apart.
        let review = json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
        assert_eq!(app.api("POST", &format!("{path}/review"), Some(&r_other), Some(review.clone())).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("POST", &format!("{path}/review"), Some(&a), Some(review)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("GET", "/api/v1/review/queue", Some(&a), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("GET", "/api/v1/bodies/health/pending", Some(&p_other), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("POST", "/api/v1/bodies/health/editions", Some(&p_other), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("POST", "/api/v1/bodies/health/editions", Some(&r_health), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("POST", "/api/v1/applications", Some(&r_health), Some(complete_form("x"))).await.status, StatusCode::FORBIDDEN);
        // The original is untouched.
        assert_eq!(app.api("GET", &path, Some(&a), None).await.json()["form"]["system"]["name"]["kk"], "Менікі");
    }

    async fn every_authenticated_api_route_refuses_anonymous_callers(db: TestDb) {
        let app = TestApp::new(db).await;
        let doc = senim_web::api::openapi();
        let mut checked = 0;
        for (path, item) in &doc.paths.paths {
            let concrete = path.replace("{id}", "00000000-0000-4000-8000-000000000000").replace("{code}", "health")
                .replace("{attachment_id}", "x").replace("{registry_number}", "HEALTH-2026-0001").replace("{n}", "1")
                .replace("{name}", "1.kk.csv").replace("{number}", "971240001315");
            for (method, op) in [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("DELETE", &item.delete)] {
                let Some(op) = op else { continue };
                if op.security.is_none() {
                    continue;
                }
                let r = app.api(method, &concrete, None, Some(json!({}))).await;
                assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                assert!(is_problem(&r));
                checked += 1;
            }
        }
        assert!(checked >= 12, "only {checked} operations are marked as authenticated");
    }

    async fn staff_pages_are_only_for_their_roles(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        app.user("p@health.kz", Role::Publisher, Some("health")).await;
        let cookies = [
            ("applicant", app.sign_in("a@example.kz").await),
            ("reviewer", app.sign_in("r@health.kz").await),
            ("publisher", app.sign_in("p@health.kz").await),
        ];
        let pages = [("/applications", "applicant"), ("/review", "reviewer"), ("/publish", "publisher")];
        for (path, owner) in pages {
            assert_eq!(app.get(path, None).await.status, StatusCode::SEE_OTHER, "{path} anonymous goes to sign-in");
            for (role, cookie) in &cookies {
                let status = app.get(path, Some(cookie)).await.status;
                let expected = if *role == owner { StatusCode::OK } else { StatusCode::FORBIDDEN };
                assert_eq!(status, expected, "{role} on {path}");
            }
        }
    }

    async fn public_basics_health_ready_openapi_and_id_check(db: TestDb) {
        let app = TestApp::new(db).await;
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
        let doc = app.get("/api/openapi.json", None).await.json();
        for path in ["/api/v1/bodies", "/api/v1/id/{number}", "/api/v1/applications", "/api/v1/applications/{id}/submit",
                     "/api/v1/review/queue", "/api/v1/applications/{id}/review", "/api/v1/bodies/{code}/editions",
                     "/api/v1/keys", "/api/v1/bodies/{code}/editions/{n}/manifest"] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from OpenAPI");
        }
        let ok = app.get("/api/v1/id/971240001315", None).await.json();
        assert_eq!(ok["valid"], true);
        assert_eq!(ok["kind"], "bin");
        let bad = app.get("/api/v1/id/971240001316", None).await;
        assert_eq!(bad.status, StatusCode::OK);
        assert_eq!(bad.json()["valid"], false);
        assert_eq!(bad.json()["error"], "bin_iin.checksum");
        // api.md: 200 is for twelve digits that are not a valid number; anything else is malformed.
        for malformed in ["12345", "97124000131x", "9712400013150", "%20"] {
            let r = app.get(&format!("/api/v1/id/{malformed}?lang=ru"), None).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{malformed}");
            assert_eq!(r.json()["errors"][0]["field"], "number");
            assert_eq!(r.json()["errors"][0]["code"], "bin_iin.format");
            assert!(!r.json()["errors"][0]["message"].as_str().unwrap().is_empty());
        }
        let iin = app.get("/api/v1/id/061211600012", None).await.json();
        assert_eq!(iin["kind"], "iin");
        assert_eq!(iin["birth_date"], "2006-12-11");
        assert_eq!(app.get("/api/v1/bodies", None).await.json().as_array().unwrap().len(), 21);
        assert_eq!(app.get("/api/v1/bodies/health/editions/current", None).await.status, StatusCode::NOT_FOUND);
    }

    async fn security_headers_and_cross_site_posts(db: TestDb) {
        let app = TestApp::new(db).await;
        let r = app.get("/", None).await;
        let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
        assert!(r.headers.get("referrer-policy").is_some());
        let cross = app
            .send(Request::post("/signin").header("sec-fetch-site", "cross-site")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("email=a%40example.kz&password=x")).unwrap())
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        app.user("a@example.kz", Role::Applicant, None).await;
        let r = app.form("/signin", None, &[("email", "a@example.kz"), ("password", PASSWORD)]).await;
        let cookie = r.headers.get("set-cookie").unwrap().to_str().unwrap().to_lowercase();
        assert!(cookie.contains("httponly") && cookie.contains("samesite=lax"), "{cookie}");
    }
}

#[tokio::test]
async fn unknown_pages_are_translated_pages_and_unknown_api_paths_are_problems() {
    let app = TestApp::new(senim_store::testing::TestDb::sqlite().await).await;
    let page = app.get("/no-such-page?lang=ru", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text().contains("Страница не найдена"));
    let api = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(is_problem(&api));
}

#[tokio::test]
async fn an_empty_body_code_is_named_as_the_missing_field() {
    let app = TestApp::new(senim_store::testing::TestDb::sqlite().await).await;
    let a = app.user("a@example.kz", Role::Applicant, None).await;
    let id = app.api("POST", "/api/v1/applications", Some(&a), Some(complete_form("X"))).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.api("PUT", &format!("/api/v1/applications/{id}"), Some(&a), Some(json!({"body": ""}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "body");
    assert_eq!(r.json()["errors"][0]["code"], "required");
    // Nothing was overwritten by the refused request.
    let view = app.api("GET", &format!("/api/v1/applications/{id}"), Some(&a), None).await.json();
    assert_eq!(view["form"]["system"]["name"]["kk"], "X");
    let ru = app
        .send(
            Request::get("/api/v1/review/queue")
                .header("authorization", format!("Bearer {a}"))
                .header("accept-language", "ru")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ru.status, StatusCode::FORBIDDEN);
    assert_eq!(ru.json()["title"], "Запрещено");
}
