//! A body with published entries, for the tests of the public side (reports, artifact serving, the
//! personal-data crawl): an applicant, a health reviewer and a health publisher, driven through the API.
#![allow(dead_code)]

use axum::http::StatusCode;
use senim_domain::role::Role;
use serde_json::json;

use crate::common::*;

pub struct Health {
    pub app: TestApp,
    pub applicant: String,
    pub reviewer: String,
    pub publisher: String,
}

impl Health {
    pub async fn new(db: senim_store::testing::TestDb) -> Health {
        Self::with_app(TestApp::new(db).await, "a@example.kz").await
    }

    /// On an app built by the caller, with the applicant's account at `applicant_email`.
    pub async fn with_app(app: TestApp, applicant_email: &str) -> Health {
        let applicant = app.user(applicant_email, Role::Applicant, None).await;
        let reviewer = app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let publisher = app.user("p@health.kz", Role::Publisher, Some("health")).await;
        Health { app, applicant, reviewer, publisher }
    }

    /// Applies with `form`, includes it and returns the registry number (not yet published).
    pub async fn include(&self, form: serde_json::Value) -> String {
        let app = &self.app;
        let r = app.api("POST", "/api/v1/applications", Some(&self.applicant), Some(form)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_owned();
        for kind in ["audit_report", "copyright_certificate"] {
            let path = format!("/api/v1/applications/{id}/attachments");
            let r = app.upload(&path, Auth::Token(&self.applicant), kind, "d.pdf", &pdf(kind)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        let r = app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&self.applicant), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let pass =
            json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
        let r = app.api("POST", &format!("/api/v1/applications/{id}/review"), Some(&self.reviewer), Some(pass)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["registry_number"].as_str().unwrap().to_owned()
    }

    /// Publishes the next edition; returns its number.
    pub async fn publish(&self) -> i64 {
        let r = self.app.api("POST", "/api/v1/bodies/health/editions", Some(&self.publisher), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["manifest"]["edition"].as_i64().unwrap()
    }
}

pub fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}
