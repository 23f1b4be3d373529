//! `TestApp`: the whole application on a fresh database, driven through its router as a browser or an
//! API client would drive it.
#![allow(dead_code)]

pub mod health;
pub mod routes;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use senim_domain::role::Role;
use senim_store::testing::TestDb;
use senim_store::users::{self, NewUser};
use senim_web::{AppState, Config};
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
    }
}

impl TestApp {
    pub async fn new(db: TestDb) -> TestApp {
        Self::with_config(db, Config::default()).await
    }

    /// An app with a configuration of the test's own.
    pub async fn with_config(db: TestDb, config: Config) -> TestApp {
        let state = AppState::load(db.store.clone(), config).await.unwrap();
        senim_web::services::demo::ensure_bodies(&state).await.unwrap();
        let router = senim_web::app(state.clone());
        TestApp { db, state, router }
    }

    /// Creates a user with [`PASSWORD`] and returns an API token for it.
    pub async fn user(&self, email: &str, role: Role, body: Option<&str>) -> String {
        let hash = senim_web::auth::hash_password(PASSWORD).unwrap();
        let mut tx = self.state.store.begin().await.unwrap();
        let u = users::create(&mut tx, NewUser { email, name: email, password_hash: &hash, role, body_code: body })
            .await
            .unwrap();
        let token = senim_web::auth::new_token().unwrap();
        users::create_token(&mut tx, &u.id, &senim_web::auth::token_digest(&token), "test").await.unwrap();
        tx.commit().await.unwrap();
        token
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub async fn api(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    pub async fn upload(&self, path: &str, auth: Auth<'_>, kind: &str, filename: &str, bytes: &[u8]) -> Reply {
        let boundary = "senimtestboundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n").as_bytes(),
        );
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = auth
            .apply(Request::builder().method("POST").uri(path))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Signs in through the sign-in form; returns the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let r = self.form("/signin", None, &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in failed: {}", r.text());
        let cookie = r.headers.get(header::SET_COOKIE).expect("session cookie").to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let req = Auth::Cookie(cookie).apply(Request::builder().uri(path)).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// Posts a form as a same-origin browser would.
    pub async fn form(&self, path: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Reply {
        let body: String = pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        let req = Auth::Cookie(cookie)
            .apply(Request::builder().method("POST").uri(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

/// The form fields of a working-day calendar year, as the administrator's page posts them.
pub fn calendar_form(y: &senim_domain::calendar::YearCalendar) -> Vec<(String, String)> {
    let mut f = vec![("sources".to_owned(), y.sources.join("\n"))];
    if y.provisional {
        f.push(("provisional".into(), "yes".into()));
    }
    for (i, d) in y.days.iter().enumerate() {
        f.push((format!("d{i}-date"), d.date.to_string()));
        f.push((format!("d{i}-kind"), d.kind.as_str().to_owned()));
        for l in senim_domain::lang::Lang::ALL {
            f.push((format!("d{i}-{}", l.code()), d.name.get(l).unwrap_or_default().to_owned()));
        }
    }
    f
}

impl TestApp {
    /// Posts a form given as owned pairs.
    pub async fn form_owned(&self, path: &str, cookie: &str, form: &[(String, String)]) -> Reply {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.form(path, Some(cookie), &pairs).await
    }

    /// Follows a publication job's page (where `POST /publish` redirects) until the job has ended;
    /// returns the last page.
    pub async fn wait_for_job(&self, location: &str, cookie: &str) -> Reply {
        assert!(location.starts_with("/publish/jobs/"), "not a publication job: {location}");
        for _ in 0..600 {
            let r = self.get(location, Some(cookie)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            if !r.text().contains("http-equiv=\"refresh\"") {
                return r;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the publication job {location} did not end in 30 s");
    }

    /// Creates an application through the API, uploads `audit_report` and a copyright certificate, and
    /// submits it; returns the id and the submission's answer.
    pub async fn submit_application(&self, token: &str, form: Value, audit_report: &[u8]) -> (String, Value) {
        let r = self.api("POST", "/api/v1/applications", Some(token), Some(form)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/applications/{id}/attachments");
        let r = self.upload(&path, Auth::Token(token), "audit_report", "audit.pdf", audit_report).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let cert = pdf("copyright_certificate");
        let r = self.upload(&path, Auth::Token(token), "copyright_certificate", "cert.pdf", &cert).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let r = self.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        (id, r.json())
    }
}

impl TestApp {
    /// After a review with a failed check (status `hearing`): the applicant waives the objection and
    /// the reviewer issues the notice of nonconformity (АППК Art. 73, Rules §8). The decision's JSON.
    pub async fn waive_and_notice(&self, applicant: &str, reviewer: &str, id: &str) -> Value {
        let path = format!("/api/v1/applications/{id}/objection");
        let r = self.api("POST", &path, Some(applicant), Some(serde_json::json!({"waive": true}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let path = format!("/api/v1/applications/{id}/decision");
        let r = self.api("POST", &path, Some(reviewer), Some(serde_json::json!({"outcome": "nonconforming"}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    }
}

pub enum Auth<'a> {
    Token(&'a str),
    Cookie(Option<&'a str>),
}

impl Auth<'_> {
    fn apply(&self, b: axum::http::request::Builder) -> axum::http::request::Builder {
        match self {
            Auth::Token(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Auth::Cookie(Some(c)) => b.header(header::COOKIE, *c),
            Auth::Cookie(None) => b,
        }
    }
}

/// A query-string value, percent-encoded.
pub use senim_app::percent::encode_component as enc;

/// A complete Annex 1 form as the API takes it.
pub fn complete_form(system_kk: &str) -> Value {
    serde_json::json!({
        "body": "health",
        "applicant": {"role": "owner", "name": "«Дәрігер AI» ЖШС", "bin_iin": "971240001315",
            "legal_address": "Астана қ., Мәңгілік Ел 55", "actual_address": "Астана қ., Сарайшық 7",
            "contact": {"name": "Айгүл Сәрсенова", "position": "Директор", "phone": "+7 701 555 44 33", "email": "aigul@dariger.kz"}},
        "system": {"name": {"kk": system_kk, "ru": "Система анализа"}, "purpose": {"kk": "Диагностика"},
            "area": {"kk": "Денсаулық сақтау"}, "functionality": {"kk": "Суреттерді талдау"},
            "conditions_of_use": {"kk": "Дәрігердің бақылауымен"},
            "models": {"description": {"kk": "Нейрондық желі"}, "algorithm_type": "CNN", "external_models": false, "embedded_models": true},
            "data": {"categories": {"kk": "Суреттер"}, "sources": {"kk": "Емханалар"}}},
        "audit": {"auditor": {"kk": "«Аудит» ЖШС"}, "date": "2026-05-14", "conclusions": {"kk": "Сәйкес келеді"}},
        "copyright": {"certificate_number": "41001", "certificate_date": "2026-01-20", "author_contract": false},
        "declaration": {"confirmed": true, "signatory": "Айгүл Сәрсенова"}
    })
}

pub fn pdf(title: &str) -> Vec<u8> {
    senim_web::services::demo::sample_pdf(title)
}

/// Personal data of [`complete_form`] that must never appear in public output.
pub const PRIVATE: [&str; 6] =
    ["Мәңгілік Ел 55", "Сарайшық", "Айгүл", "+7 701 555 44 33", "aigul@dariger.kz", "Директор"];

/// The field errors of a problem answer, as `(field, code)`.
pub fn field_errors(r: &Reply) -> Vec<(String, String)> {
    r.json()["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A header of an answer, or `""`.
pub fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The sections of the task list with what the form posts for each.
pub fn annex1_sections() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "applicant",
            vec![
                ("body", "health"),
                ("applicant.role", "owner"),
                ("applicant.name", "«Көз AI» ЖШС"),
                ("applicant.bin_iin", "940140000385"),
                ("applicant.legal_address", "Алматы қ., Абай 10"),
                ("applicant.actual_address", "Алматы қ., Абай 10"),
                ("applicant.contact.name", "Бауыржан Ахметов"),
                ("applicant.contact.position", "Директор"),
                ("applicant.contact.phone", "+7 727 000 00 00"),
                ("applicant.contact.email", "b@koz.kz"),
            ],
        ),
        (
            "system",
            vec![
                ("system.name.kk", "Көз торын талдау"),
                ("system.name.ru", "Анализ сетчатки"),
                ("system.purpose.kk", "Ерте диагностика"),
                ("system.area.kk", "Офтальмология"),
                ("system.functionality.kk", "Суреттен ауруды анықтайды"),
                ("system.conditions_of_use.kk", "Дәрігер растайды"),
            ],
        ),
        (
            "models",
            vec![
                ("system.models.description.kk", "Нейрондық желі"),
                ("system.models.algorithm_type", "CNN"),
                ("system.models.external_models", "no"),
                ("system.models.embedded_models", "yes"),
                ("system.data.categories.kk", "Көз суреттері"),
                ("system.data.sources.kk", "Клиникалар"),
            ],
        ),
        (
            "audit",
            vec![
                ("audit.auditor.kk", "«Аудит Про» ЖШС"),
                ("audit.date", "2026-04-01"),
                ("audit.conclusions.kk", "Талаптарға сай"),
            ],
        ),
        ("copyright", vec![("copyright.certificate_number", "55555"), ("copyright.certificate_date", "2026-02-02")]),
    ]
}

/// Every Annex 1 field as the one-page form posts it: the sections and the declaration.
pub fn annex1_fields() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = annex1_sections().into_iter().flat_map(|(_, fields)| fields).collect();
    out.extend([("declaration.signatory", "Бауыржан Ахметов"), ("declaration.confirmed", "yes")]);
    out
}

/// The text of a PDF, read by an independent extractor (pdf-extract).
pub fn text_of_pdf(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text extracts")
}
