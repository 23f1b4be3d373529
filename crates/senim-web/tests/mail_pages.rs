//! The administrator's view of the outbox: the demo mailbox's messages, failures and pagination, and
//! nobody else's access to them. Delivery itself is tested in senim-app (`tests/outbox.rs`).

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use senim_domain::role::Role;
use senim_store::dual_tests;
use senim_store::outbox;
use senim_store::testing::{TestDb, enqueue_mail as enqueue};
use senim_web::services::mailer::{self, DemoMailbox, Worker};
use senim_web::{AppState, Config};

async fn app_with(db: TestDb, config: Config) -> TestApp {
    let state = AppState::load(db.store.clone(), config).await.unwrap();
    senim_web::services::demo::ensure_bodies(&state).await.unwrap();
    let router = senim_web::app(state.clone());
    TestApp { db, state, router }
}

dual_tests! {
    async fn the_administrator_reads_the_demo_mailbox_and_nobody_else_does(db: TestDb) {
        let app = app_with(db, Config { app: senim_app::Config { demo: true, ..Default::default() }, ..Default::default() }).await;
        app.user("admin@example.kz", Role::Admin, None).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let store = app.state.store.clone();
        let id = enqueue(&store, "aigul@dariger.kz", "Өтініш қабылданды: «Көз AI» жүйесі", "«Көз AI» өтінішіңіз (1-беру) қабылданды.\nМемлекеттік орган оны 2026-04-08 дейін қарайды.").await;
        let pass = Worker::new(store.clone(), DemoMailbox, mailer::DEFAULT_FROM.parse().unwrap()).deliver_due(None).await.unwrap();
        assert_eq!(pass.sent, 1);

        let admin = app.sign_in("admin@example.kz").await;
        let list = app.get("/admin/mail", Some(&admin)).await;
        assert_eq!(list.status, StatusCode::OK);
        let html = list.text();
        assert!(html.contains("aigul@dariger.kz"));
        assert!(html.contains("Өтініш қабылданды: «Көз AI» жүйесі"));
        assert!(html.contains("Демо пошта жәшігіне жеткізілді"), "delivered to the demo mailbox");
        assert!(html.contains(&format!("/admin/mail/{id}")));
        let one = app.get(&format!("/admin/mail/{id}"), Some(&admin)).await;
        assert_eq!(one.status, StatusCode::OK);
        assert!(one.text().contains("Мемлекеттік орган оны 2026-04-08 дейін қарайды."));
        let en = app.get(&format!("/admin/mail/{id}?lang=en"), Some(&admin)).await.text();
        assert!(en.contains("Delivered to the demo mailbox"));
        assert_eq!(app.get("/admin/mail/no-such-id", Some(&admin)).await.status, StatusCode::NOT_FOUND);

        for who in ["a@example.kz", "r@health.kz"] {
            let c = app.sign_in(who).await;
            assert_eq!(app.get("/admin/mail", Some(&c)).await.status, StatusCode::FORBIDDEN, "{who}");
            let r = app.get(&format!("/admin/mail/{id}"), Some(&c)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
            assert!(!r.text().contains("Мемлекеттік орган"));
        }
        let anonymous = app.get("/admin/mail", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(anonymous.location().starts_with("/signin"));
    }

    async fn the_mail_list_is_paginated_newest_first_and_shows_failures(db: TestDb) {
        let app = app_with(db, Config::default()).await;
        app.user("admin@example.kz", Role::Admin, None).await;
        let store = app.state.store.clone();
        // Stored instants have whole seconds: give the oldest its own second.
        let first = enqueue(&store, "first@example.kz", "Ең бірінші хат", "Мәтін").await;
        tokio::time::sleep(Duration::from_millis(1100)).await;
        for i in 0..50 {
            enqueue(&store, &format!("u{i}@example.kz"), &format!("Хат {i}"), "Мәтін").await;
        }
        // Every message tried once and refused by the server, as the worker records it.
        while let Some(mail) = outbox::claim(&store, 600).await.unwrap() {
            outbox::mark_failed(&store, &mail.id, 1, "SMTP: 550 mailbox unavailable").await.unwrap();
        }
        let admin = app.sign_in("admin@example.kz").await;
        let page1 = app.get("/admin/mail", Some(&admin)).await.text();
        assert!(!page1.contains("Ең бірінші хат"), "the oldest is not on the first page");
        assert!(page1.contains("/admin/mail?page=2"));
        assert!(page1.contains("SMTP: 550 mailbox unavailable"), "last error shown");
        assert!(page1.contains("Жіберілмеді, қайталанады"));
        assert!(page1.contains("SENIM_SMTP_URL"), "the lead says mail is not being delivered");
        assert!(!page1.contains("/admin/mail/"), "outside demo mode the texts are not offered");
        let page2 = app.get("/admin/mail?page=2", Some(&admin)).await.text();
        assert!(page2.contains("Ең бірінші хат"));
        assert!(page2.contains("Бет: 2 / 2"));
        assert_eq!(app.get(&format!("/admin/mail/{first}"), Some(&admin)).await.status, StatusCode::NOT_FOUND);
    }
}
