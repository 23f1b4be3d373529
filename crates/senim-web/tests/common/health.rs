//! The health body with an applicant, a reviewer and a publisher, and the steps that put a system on its
//! List: apply → upload both documents → submit → include → publish.

use axum::http::StatusCode;
use senim_domain::role::Role;
use serde_json::{Value, json};

use super::{Reply, TestApp, complete_form, pdf};

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
    pub async fn include(&self, form: Value) -> String {
        let app = &self.app;
        let id = app.submit_application(&self.applicant, form, &pdf("audit_report")).await.0;
        let pass =
            json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
        let r = app.api("POST", &format!("/api/v1/applications/{id}/review"), Some(&self.reviewer), Some(pass)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["registry_number"].as_str().unwrap().to_owned()
    }

    /// [`Health::include`] with the complete form of a system named `system_kk`.
    pub async fn include_system(&self, system_kk: &str) -> String {
        self.include(complete_form(system_kk)).await
    }

    /// Publishes the next edition: the API's answer.
    pub async fn publish_answer(&self) -> Value {
        let r = self.app.api("POST", "/api/v1/bodies/health/editions", Some(&self.publisher), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()
    }

    /// Publishes the next edition: its number.
    pub async fn publish(&self) -> i64 {
        self.publish_answer().await["manifest"]["edition"].as_i64().unwrap()
    }

    pub async fn preview(&self) -> Value {
        let r = self.app.api("GET", "/api/v1/bodies/health/editions/preview", Some(&self.publisher), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    }

    pub async fn amend(&self, number: &str, body: Value) -> Reply {
        let path = format!("/api/v1/bodies/health/entries/{number}/amend");
        self.app.api("POST", &path, Some(&self.publisher), Some(body)).await
    }

    pub async fn exclude(&self, number: &str, reason: &str) {
        let path = format!("/api/v1/bodies/health/entries/{number}/exclude");
        let r = self.app.api("POST", &path, Some(&self.publisher), Some(json!({"reason": {"kk": reason}}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    }

    /// How many editions the body has published.
    pub async fn editions(&self) -> i64 {
        senim_store::editions::history(&self.app.state.store, "health").await.unwrap().len() as i64
    }
}
