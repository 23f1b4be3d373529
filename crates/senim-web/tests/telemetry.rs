//! `/metrics` and request ids through the whole router (issue 6, item 10): what an operator's Prometheus
//! and log search see, and who may read the metrics.

mod common;
mod published;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::*;
use published::{Health, header};
use senim_store::dual_tests;
use senim_web::{AppState, Config};
use serde_json::json;

fn metrics_request(peer: Option<[u8; 4]>, extra: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::builder().uri("/metrics");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::empty()).unwrap();
    if let Some(ip) = peer {
        req.extensions_mut().insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    }
    req
}

/// The value of a metric line (`name{labels} value`), if present.
fn value(text: &str, line_start: &str) -> Option<f64> {
    text.lines().find(|l| l.starts_with(line_start)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok())
}

dual_tests! {
    async fn metrics_show_routes_queues_outbox_and_publications_without_personal_data(db: TestDb) {
        let h = Health::new(db).await;
        let app = &h.app;
        let number = h.include(complete_form("Метрика жүйесі")).await;
        let (_, _) = app.submit_application(&h.applicant, complete_form("Күтіп тұр"), &pdf("audit")).await;
        for _ in 0..3 {
            assert_eq!(app.get("/bodies/health", None).await.status, StatusCode::OK);
        }
        // A person's IIN in the path: the metrics keep the template only.
        assert_eq!(app.get("/api/v1/id/880515300120", None).await.status, StatusCode::OK);
        assert_eq!(app.get("/no/such/page/880515300120", None).await.status, StatusCode::NOT_FOUND);

        let r = app.send(metrics_request(Some([127, 0, 0, 1]), &[])).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(header(&r, "content-type").starts_with("application/openmetrics-text"));
        let text = r.text();
        // Route templates, never the path typed: no registry number, no IIN.
        let list = "senim_http_request_duration_seconds_count{method=\"GET\",route=\"/bodies/{code}\",status=\"2xx\"}";
        assert_eq!(value(&text, list), Some(3.0), "{text}");
        assert!(text.contains("route=\"/api/v1/id/{number}\""), "{text}");
        assert!(text.contains("route=\"unmatched\",status=\"4xx\""), "{text}");
        assert!(!text.contains(&number) && !text.contains("880515300120"), "{text}");
        assert!(text.contains("senim_http_requests_in_flight 1"), "this request is in flight: {text}");
        // Read from the database: one round awaiting a decision, one inclusion awaiting publication, and
        // the outbox's e-mails to the applicant queued (no SMTP in tests).
        assert_eq!(value(&text, "senim_queue_depth{queue=\"awaiting_decision\"}"), Some(1.0), "{text}");
        assert_eq!(value(&text, "senim_queue_depth{queue=\"awaiting_publication\"}"), Some(1.0), "{text}");
        assert!(value(&text, "senim_outbox_messages{state=\"queued\"}").unwrap() >= 1.0, "{text}");
        assert_eq!(value(&text, "senim_outbox_messages{state=\"given_up\"}"), Some(0.0), "{text}");
        assert_eq!(value(&text, "senim_publication_duration_seconds_count"), Some(0.0), "{text}");

        h.publish().await;
        let text = app.send(metrics_request(Some([127, 0, 0, 1]), &[])).await.text();
        assert_eq!(value(&text, "senim_publication_duration_seconds_count"), Some(1.0), "{text}");
        assert_eq!(value(&text, "senim_queue_depth{queue=\"awaiting_publication\"}"), Some(0.0), "{text}");
        for marker in PRIVATE {
            assert!(!text.contains(marker), "{marker} in the metrics");
        }
        assert!(!text.contains("a@example.kz") && !text.contains("@health.kz"));
    }

    async fn metrics_are_read_from_loopback_or_with_the_token_only(db: TestDb) {
        let app = TestApp::new(db).await;
        let refused = [
            metrics_request(None, &[]),
            metrics_request(Some([10, 1, 2, 3]), &[]),
            // nginx on the same host: the peer is loopback, but the request came from outside.
            metrics_request(Some([127, 0, 0, 1]), &[("x-forwarded-for", "203.0.113.7")]),
        ];
        for req in refused {
            assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(app.send(metrics_request(Some([127, 0, 0, 1]), &[])).await.status, StatusCode::OK);

        let config = Config { metrics_token: Some("metrics-secret-token".into()), ..Config::default() };
        let state = AppState::load(app.state.store.clone(), config).await.unwrap();
        let router = senim_web::app(state);
        let send = |req: Request<Body>| {
            let router = router.clone();
            async move { tower::ServiceExt::oneshot(router, req).await.unwrap().status() }
        };
        let bearer = [("authorization", "Bearer metrics-secret-token")];
        assert_eq!(send(metrics_request(Some([10, 1, 2, 3]), &bearer)).await, StatusCode::OK);
        assert_eq!(send(metrics_request(Some([127, 0, 0, 1]), &[])).await, StatusCode::FORBIDDEN, "the token is required");
        let wrong = [("authorization", "Bearer metrics-secret-tokeN")];
        assert_eq!(send(metrics_request(Some([127, 0, 0, 1]), &wrong)).await, StatusCode::FORBIDDEN);
    }

    async fn every_answer_names_its_request_id(db: TestDb) {
        let app = TestApp::new(db).await;
        let r = app.get("/", None).await;
        let made = header(&r, "x-request-id").to_owned();
        assert_eq!(made.len(), 36, "a UUID is made: {made:?}");
        let again = app.get("/", None).await;
        assert_ne!(header(&again, "x-request-id"), made, "one id per request");

        let with = |id: &str| Request::builder().uri("/api/v1/bodies").header("x-request-id", id).body(Body::empty()).unwrap();
        let r = app.send(with("nginx-5f1c9a0e2b7d4c3a")).await;
        assert_eq!(header(&r, "x-request-id"), "nginx-5f1c9a0e2b7d4c3a", "a well-formed id is kept");
        for bad in ["a b", "<script>", &"x".repeat(200)] {
            let r = app.send(with(bad)).await;
            let id = header(&r, "x-request-id");
            assert!(id.len() == 36 && id != bad, "{bad:?} replaced by {id:?}");
        }
        // Errors too (problem JSON under /api/), and refused requests.
        let r = app.api("POST", "/api/v1/applications", None, Some(json!({}))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(header(&r, "x-request-id").len(), 36);
    }
}
