//! Publication's keys and clocks (issue 5) on both databases: signing-key rotation by the administrator,
//! keys sealed with a passphrase, the scheduled daily publication (Rules §7), and the publisher's API in
//! the OpenAPI document.

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::Timestamp;
use senim_domain::role::Role;
use senim_publish::keys::PublicKeyInfo;
use senim_publish::manifest::SignedManifest;
use senim_store::dual_tests;
use senim_web::services::schedule::{self, Outcome};
use serde_json::{Value, json};

use common::health::Health;

async fn keys(app: &TestApp) -> Vec<PublicKeyInfo> {
    serde_json::from_slice(&app.api("GET", "/api/v1/keys", None, None).await.body).unwrap()
}

async fn manifest(app: &TestApp, n: u32) -> SignedManifest {
    let r = app.api("GET", &format!("/api/v1/bodies/health/editions/{n}/manifest"), None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    serde_json::from_slice(&r.body).unwrap()
}

/// 09:00 in Astana (UTC+5) on `day` of December 2026, plus `minutes`.
fn almaty(day: i8, minutes: i64) -> Timestamp {
    let t: Timestamp = format!("2026-12-{day:02}T04:00:00Z").parse().unwrap();
    t + jiff::SignedDuration::from_mins(minutes)
}

dual_tests! {
    async fn key_rotation_keeps_old_editions_verifying_and_signs_new_ones(db: TestDb) {
        let h = Health::new(db).await;
        let admin = h.app.user("admin@senim.test", Role::Admin, None).await;
        h.include_system("Бірінші").await;
        h.publish_answer().await;
        let old = keys(&h.app).await;
        assert_eq!(old.len(), 1);

        let r = h.app.api("POST", "/api/v1/keys/rotate", Some(&h.publisher), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "only the administrator rotates");
        let r = h.app.api("POST", "/api/v1/keys/rotate", Some(&admin), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let new_id = r.json()["key"]["key_id"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["retired"], json!([old[0].key_id]));
        assert_ne!(new_id, old[0].key_id);

        h.include_system("Екінші").await;
        h.publish_answer().await;
        let listed = keys(&h.app).await;
        assert_eq!(listed.len(), 2, "the retired key stays published");
        let retired = listed.iter().find(|k| k.key_id == old[0].key_id).unwrap();
        assert!(retired.valid_until.is_some());
        assert!(listed.iter().any(|k| k.key_id == new_id && k.valid_until.is_none()));
        let (one, two) = (manifest(&h.app, 1).await, manifest(&h.app, 2).await);
        assert_eq!(one.manifest.key_id, old[0].key_id);
        assert_eq!(two.manifest.key_id, new_id, "the next edition is signed by the new key");
        senim_publish::verify::verify_signed_manifest(&one, &listed).expect("edition 1 still verifies");
        senim_publish::verify::verify_signed_manifest(&two, &listed).expect("edition 2 verifies");
        // The retired key vouches for nothing stamped after its retirement.
        let mut late = one.clone();
        late.manifest.published_at = "2099-01-01T00:00:00+05:00".into();
        assert!(senim_publish::verify::verify_signed_manifest(&late, &listed).is_err());
        let audit = senim_store::audit::for_object(&h.app.state.store, &new_id).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "key.rotate"));

        // The page: every key listed; rotating needs the confirmation.
        let cookie = h.app.sign_in("admin@senim.test").await;
        let page = h.app.get("/admin/keys", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains(&old[0].key_id) && page.text().contains(&new_id));
        let r = h.app.form("/admin/keys/rotate", Some(&cookie), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(keys(&h.app).await.len(), 2);
        let r = h.app.form("/admin/keys/rotate", Some(&cookie), &[("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(keys(&h.app).await.iter().filter(|k| k.valid_until.is_none()).count(), 1);
        assert_eq!(keys(&h.app).await.len(), 3);
        let publisher_cookie = h.app.sign_in("p@health.kz").await;
        assert_eq!(h.app.get("/admin/keys", Some(&publisher_cookie)).await.status, StatusCode::FORBIDDEN);
    }

    async fn rules_7_scheduled_publication_runs_once_a_day_at_its_time(db: TestDb) {
        let h = Health::new(db).await;
        let r = h.app.api("PUT", "/api/v1/bodies/health/schedule", Some(&h.publisher), Some(json!({"at": "9:00"}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&r), [("at".to_owned(), "schedule.time".to_owned())]);
        let r = h.app.api("PUT", "/api/v1/bodies/health/schedule", Some(&h.publisher), Some(json!({"at": "09:00"}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["at"], "09:00");
        h.include_system("Жоспарлы жүйе").await;

        let state = &h.app.state;
        assert!(schedule::run_due(state, almaty(1, -1)).await.unwrap().is_empty(), "not before 09:00 Astana time");
        let done = schedule::run_due(state, almaty(1, 0)).await.unwrap();
        assert_eq!(done, [Outcome::Published { body: "health".into(), edition: 1 }]);
        assert!(schedule::run_due(state, almaty(1, 30)).await.unwrap().is_empty(), "once a day");
        let edition = senim_store::editions::get(&state.store, "health", 1).await.unwrap().unwrap();
        assert_eq!(edition.published_by, schedule::ACTOR);
        let audit = senim_store::audit::for_object(&state.store, "health/1").await.unwrap();
        assert_eq!(audit[0].actor, "system:schedule");

        // The next day: nothing pending is recorded, and not tried again.
        assert_eq!(schedule::run_due(state, almaty(2, 5)).await.unwrap(), [Outcome::Nothing { body: "health".into() }]);
        assert!(schedule::run_due(state, almaty(2, 6)).await.unwrap().is_empty());
        let r = h.app.api("GET", "/api/v1/bodies/health/schedule", Some(&h.publisher), None).await.json();
        assert_eq!(r["last_run"]["outcome"], "nothing");

        // Two instances on one database, at the same moment: exactly one publishes.
        h.include_system("Тағы бір жүйе").await;
        let other = senim_web::AppState::load(
            senim_store::Store::connect(&h.app.db.url).await.unwrap(),
            senim_web::Config::default(),
        )
        .await
        .unwrap();
        let (a, b) = tokio::join!(schedule::run_due(state, almaty(3, 0)), schedule::run_due(&other, almaty(3, 0)));
        let all: Vec<Outcome> = a.unwrap().into_iter().chain(b.unwrap()).collect();
        let published = all.iter().filter(|o| matches!(o, Outcome::Published { .. })).count();
        assert_eq!(published, 1, "{all:?}");
        assert!(all.iter().all(|o| matches!(o, Outcome::Published { .. } | Outcome::Skipped { .. })), "{all:?}");
        assert_eq!(h.editions().await, 2);

        // Off: nothing runs.
        h.include_system("Үшінші").await;
        let r = h.app.api("PUT", "/api/v1/bodies/health/schedule", Some(&h.publisher), Some(json!({"at": null}))).await;
        assert_eq!(r.json()["at"], Value::Null);
        assert!(schedule::run_due(state, almaty(4, 0)).await.unwrap().is_empty());
        assert_eq!(h.editions().await, 2);
    }

    async fn schedule_is_set_by_the_body_on_the_page_and_refused_to_others(db: TestDb) {
        let h = Health::new(db).await;
        let reviewer = h.reviewer.clone();
        let r = h.app.api("PUT", "/api/v1/bodies/health/schedule", Some(&reviewer), Some(json!({"at": "10:00"}))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let body_admin = h.app.user("ba@health.kz", Role::BodyAdmin, Some("health")).await;
        let r = h.app.api("PUT", "/api/v1/bodies/health/schedule", Some(&body_admin), Some(json!({"at": "10:00"}))).await;
        assert_eq!(r.status, StatusCode::OK, "the body administrator may set it too");
        let cookie = h.app.sign_in("p@health.kz").await;
        let r = h.app.form("/publish/schedule", Some(&cookie), &[("at", "10 am")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(r#"value="10 am""#), "what was typed is kept");
        assert!(r.text().contains(r#"id="schedule-at-error""#));
        let r = h.app.form("/publish/schedule", Some(&cookie), &[("at", "18:30")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(h.app.get("/publish", Some(&cookie)).await.text().contains("18:30"));
        let r = h.app.form("/publish/schedule", Some(&cookie), &[("at", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let s = senim_store::schedules::get(&h.app.state.store, "health").await.unwrap().unwrap();
        assert_eq!(s.at_time, None, "an empty time switches it off");
    }

    async fn with_a_key_passphrase_new_signing_keys_are_stored_sealed(db: TestDb) {
        use senim_web::services::key_vault::{self, Passphrase};
        let pass = Passphrase("a long key passphrase".into());
        let config = senim_web::Config { app: senim_app::Config { key_passphrase: Some(pass), ..Default::default() }, ..Default::default() };
        let sealed_state = senim_web::AppState::load(db.store.clone(), config).await.unwrap();
        senim_web::services::demo::ensure_bodies(&sealed_state).await.unwrap();
        let key = senim_web::services::publication::signing_key(&sealed_state).await.unwrap();
        let stored = senim_store::keys::active(&db.store).await.unwrap().unwrap();
        assert!(key_vault::is_sealed(&stored.secret_key), "the secret is stored sealed");
        assert!(!stored.secret_key.windows(32).any(|w| w == key.secret_bytes()), "not in clear");
        let again = senim_web::services::publication::signing_key(&sealed_state).await.unwrap();
        assert_eq!(again.key_id(), key.key_id(), "and opens again with the passphrase");

        // Without the passphrase (or with a wrong one) a sealed key cannot sign: an error, not a new key.
        let plain = senim_web::AppState::load(db.store.clone(), senim_web::Config::default()).await.unwrap();
        assert!(senim_web::services::publication::signing_key(&plain).await.is_err());
        let wrong = senim_web::Config { app: senim_app::Config { key_passphrase: Some(Passphrase("wrong".into())), ..Default::default() }, ..Default::default() };
        let wrong = senim_web::AppState::load(db.store.clone(), wrong).await.unwrap();
        assert!(senim_web::services::publication::signing_key(&wrong).await.is_err());
        assert_eq!(senim_store::keys::all(&db.store).await.unwrap().len(), 1);

        // A rotation under the passphrase seals the new key too.
        let admin = {
            let hash = senim_web::auth::hash_password(PASSWORD).unwrap();
            let mut tx = db.store.begin().await.unwrap();
            let u = senim_store::users::create(&mut tx, senim_store::users::NewUser {
                email: "admin@senim.test", name: "admin", password_hash: &hash, role: Role::Admin, body_code: None,
            }).await.unwrap();
            tx.commit().await.unwrap();
            u
        };
        let r = senim_web::services::signing_keys::rotate(&sealed_state, &admin, Timestamp::now()).await.unwrap();
        assert!(key_vault::is_sealed(&r.key.secret_key));
    }

    async fn openapi_lists_the_publisher_calls(db: TestDb) {
        let app = TestApp::new(db).await;
        let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
        for path in [
            "/api/v1/bodies/{code}/editions/preview",
            "/api/v1/bodies/{code}/entries/{registry_number}/amend",
            "/api/v1/bodies/{code}/schedule",
            "/api/v1/keys/rotate",
            "/api/v1/bodies/{code}/pending",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} missing from the OpenAPI document");
        }
    }
}
