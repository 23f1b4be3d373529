//! Two `senim serve` instances on one PostgreSQL database (issue 6, item 10; `docs/deployment.md`): each
//! instance is an [`AppState`] with its own connection pool and its own router, as two processes behind a
//! load balancer would be. What must hold across them:
//! - a session made by signing in on instance A is good on instance B, and signing out on B ends it on A;
//! - their e-mail outbox workers, running at once, deliver each message exactly once;
//! - deadline reminders (`services::reminders::run_due`) run at once on both are queued once;
//! - scheduled publication (`services::schedule::run_due`) run at once on both publishes one edition.
//!
//! PostgreSQL only (SQLite is one file with one writer: one instance). Without `SENIM_TEST_DATABASE_URL`
//! every test prints "not run" and returns, as the `postgres::` copies of dual tests do.

mod common;
mod published;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use jiff::Timestamp;
use published::Health;
use senim_store::outbox;
use senim_store::testing::TestDb;
use senim_web::services::mailer::{Deliver, Worker};
use senim_web::services::{reminders, schedule};
use senim_web::{AppState, Config};
use serde_json::json;
use tower::ServiceExt;

/// Instance A (the test app with its fresh database) and instance B (a second pool and router on it).
struct Two {
    a: Health,
    b_state: AppState,
    b: Router,
}

async fn two(test: &str) -> Option<Two> {
    let Some(db) = TestDb::postgres().await else {
        eprintln!("{test}: not run (set SENIM_TEST_DATABASE_URL to a PostgreSQL server)");
        return None;
    };
    let a = Health::new(db).await;
    let store = senim_store::Store::connect(&a.app.db.url).await.unwrap();
    let b_state = AppState::load(store, Config::default()).await.unwrap();
    let b = senim_web::app(b_state.clone());
    Some(Two { a, b_state, b })
}

async fn send(router: &Router, req: Request<Body>) -> Reply {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

async fn get(router: &Router, path: &str, cookie: &str) -> Reply {
    send(router, Request::builder().uri(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_instance_is_good_on_the_other() {
    let Some(t) = two("a_session_made_on_one_instance_is_good_on_the_other").await else { return };
    let cookie = t.a.app.sign_in("r@health.kz").await;
    for (name, router) in [("A", &t.a.app.router), ("B", &t.b)] {
        let r = get(router, "/review", &cookie).await;
        assert_eq!(r.status, StatusCode::OK, "the reviewer's queue on instance {name}: {}", r.location());
    }
    // Signed out on B: the session is gone on A too (it lives in the database, not in a process).
    let req = Request::builder()
        .method("POST")
        .uri("/signout")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let r = send(&t.b, req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = get(&t.a.app.router, "/review", &cookie).await;
    assert_ne!(r.status, StatusCode::OK, "the session ended on B still opens the queue on A");
}

/// A transport that records the Message-ID of every message it is handed.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Deliver for Recorder {
    async fn deliver(&self, message: lettre::Message) -> Result<(), String> {
        let id = message.headers().get_raw("Message-ID").unwrap_or_default().to_owned();
        // A send takes a moment: the other instance's worker must claim around it, not wait for it.
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.0.lock().unwrap().push(id);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_workers_of_two_instances_deliver_each_message_once() {
    let Some(t) = two("the_outbox_workers_of_two_instances_deliver_each_message_once").await else { return };
    let store_a = t.a.app.state.store.clone();
    let before: BTreeSet<String> = outbox::recent(&store_a, 10_000).await.unwrap().into_iter().map(|m| m.id).collect();
    let mut tx = store_a.begin().await.unwrap();
    for i in 0..60 {
        outbox::enqueue(&mut tx, &format!("user{i}@example.kz"), &format!("Message {i}"), "Body").await.unwrap();
    }
    tx.commit().await.unwrap();
    let from: lettre::message::Mailbox = "Senim <noreply@senim.localhost>".parse().unwrap();
    let (ra, rb) = (Recorder::default(), Recorder::default());
    let wa = Worker::new(store_a.clone(), ra.clone(), from.clone());
    let wb = Worker::new(t.b_state.store.clone(), rb.clone(), from);
    let (pa, pb) = tokio::join!(wa.deliver_due(None), wb.deliver_due(None));
    let (pa, pb) = (pa.unwrap(), pb.unwrap());
    let all = outbox::recent(&store_a, 10_000).await.unwrap();
    let expected = all.iter().filter(|m| !before.contains(&m.id)).count() + before.len();
    assert_eq!(pa.sent + pb.sent, expected, "every message sent: A {pa:?}, B {pb:?}");
    assert!(pa.sent > 0 && pb.sent > 0, "both instances took part: A {pa:?}, B {pb:?}");
    let mut ids: Vec<String> = ra.0.lock().unwrap().clone();
    ids.extend(rb.0.lock().unwrap().iter().cloned());
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a message was delivered twice");
    assert_eq!(ids.len(), all.len());
    assert!(all.iter().all(|m| m.sent_at.is_some() && m.attempts == 1), "each message sent, on its first claim");
}

/// 10:00 in Astana on `day`.
fn morning(day: jiff::civil::Date) -> Timestamp {
    format!("{day}T05:00:00Z").parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_and_scheduled_publication_run_once_on_two_instances() {
    let Some(t) = two("reminders_and_scheduled_publication_run_once_on_two_instances").await else { return };
    let (a, b) = (&t.a.app.state, &t.b_state);

    // A round due for a decision: on its due day both instances look for reminders at the same moment.
    let (_, submitted) = t.a.app.submit_application(&t.a.applicant, complete_form("Екі сервер"), &pdf("audit")).await;
    let due: jiff::civil::Date = submitted["due_on"].as_str().unwrap().parse().unwrap();
    let (x, y) = tokio::join!(reminders::run_due(a, morning(due)), reminders::run_due(b, morning(due)));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.reminders + y.reminders, 1, "exactly one reminder: A {x:?}, B {y:?}");
    let mails = outbox::for_recipient(&a.store, "r@health.kz").await.unwrap();
    assert_eq!(mails.iter().filter(|m| m.subject.starts_with("Senim:")).count(), 1, "one e-mail to the reviewer");

    // Scheduled publication at 00:00 Astana time: both instances' passes at one moment, one edition.
    let r =
        t.a.app.api("PUT", "/api/v1/bodies/health/schedule", Some(&t.a.publisher), Some(json!({"at": "00:00"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t.a.include(complete_form("Жоспарлы жүйе")).await;
    let now = Timestamp::now();
    let (x, y) = tokio::join!(schedule::run_due(a, now), schedule::run_due(b, now));
    let all: Vec<schedule::Outcome> = x.unwrap().into_iter().chain(y.unwrap()).collect();
    let published = all.iter().filter(|o| matches!(o, schedule::Outcome::Published { .. })).count();
    assert_eq!(published, 1, "{all:?}");
    assert_eq!(editions(&t).await, 1, "one edition");
    // And the other instance serves it (its in-memory caches were never told).
    let r = get(&t.b, "/bodies/health/latest/list.kk.html", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Жоспарлы жүйе"));
}

async fn editions(t: &Two) -> usize {
    senim_store::editions::history(&t.b_state.store, "health").await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_change_on_one_instance_reaches_the_other_on_reload() {
    let Some(t) = two("a_calendar_change_on_one_instance_reaches_the_other_on_reload").await else { return };
    let mut year = t.a.app.state.calendar().year(2026).expect("2026 is shipped").clone();
    year.sources.push("Changed on instance A".into());
    let mut tx = t.a.app.state.store.begin().await.unwrap();
    senim_store::calendar::save_year(&mut tx, &year, "test").await.unwrap();
    tx.commit().await.unwrap();
    let sources = |s: &AppState| s.calendar().year(2026).unwrap().sources.clone();
    assert!(!sources(&t.b_state).contains(&"Changed on instance A".to_owned()), "B holds the calendar it loaded");
    // What `senim serve` does every minute.
    t.b_state.reload_calendar().await.unwrap();
    assert!(sources(&t.b_state).contains(&"Changed on instance A".to_owned()));
}
