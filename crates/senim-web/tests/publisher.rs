//! The publisher's side of publication (issue 5) on both databases: the pending changes with their
//! due dates (Rules §7), the preview of the next edition and its diff, amendments of published entries,
//! signing-key rotation by the administrator, and the scheduled daily publication.

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::Timestamp;
use senim_domain::calendar::{WorkingDays, kz_date};
use senim_domain::role::Role;
use senim_publish::keys::PublicKeyInfo;
use senim_publish::manifest::SignedManifest;
use senim_store::dual_tests;
use senim_web::services::schedule::{self, Outcome};
use serde_json::{Value, json};

/// The health body with an applicant, a reviewer and a publisher.
struct Health {
    app: TestApp,
    applicant: String,
    reviewer: String,
    publisher: String,
}

impl Health {
    async fn new(db: senim_store::testing::TestDb) -> Health {
        let app = TestApp::new(db).await;
        let applicant = app.user("a@example.kz", Role::Applicant, None).await;
        let reviewer = app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let publisher = app.user("p@health.kz", Role::Publisher, Some("health")).await;
        Health { app, applicant, reviewer, publisher }
    }

    /// Applies, includes and returns the registry number (not yet published).
    async fn include(&self, system_kk: &str) -> String {
        let app = &self.app;
        let r = app.api("POST", "/api/v1/applications", Some(&self.applicant), Some(complete_form(system_kk))).await;
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

    async fn publish(&self) -> Value {
        let r = self.app.api("POST", "/api/v1/bodies/health/editions", Some(&self.publisher), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()
    }

    async fn preview(&self) -> Value {
        let r = self.app.api("GET", "/api/v1/bodies/health/editions/preview", Some(&self.publisher), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    }

    async fn amend(&self, number: &str, body: Value) -> Reply {
        let path = format!("/api/v1/bodies/health/entries/{number}/amend");
        self.app.api("POST", &path, Some(&self.publisher), Some(body)).await
    }

    async fn editions(&self) -> i64 {
        senim_store::editions::history(&self.app.state.store, "health").await.unwrap().len() as i64
    }
}

fn field_errors(r: &Reply) -> Vec<(String, String)> {
    r.json()["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

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
    async fn rules_7_pending_inclusion_is_due_in_five_working_days_and_preview_stores_nothing(db: TestDb) {
        let h = Health::new(db).await;
        let number = h.include("Бірінші жүйе").await;
        let r = h.app.api("GET", "/api/v1/bodies/health/pending", Some(&h.publisher), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let pending = r.json();
        let today = kz_date(Timestamp::now());
        let due = h.app.state.calendar().due_date(today, WorkingDays::PUBLICATION).unwrap();
        assert_eq!(pending[0]["registry_number"], number.as_str());
        assert_eq!(pending[0]["change"], "added");
        assert_eq!(pending[0]["publication_due_on"], due.to_string(), "Rules §7: five working days from inclusion");

        let preview = h.preview().await;
        assert_eq!(preview["edition"], 1);
        assert_eq!(preview["current_edition"], Value::Null);
        assert_eq!(preview["entries"].as_array().unwrap().len(), 1);
        assert_eq!(preview["entries"][0]["position"], 1);
        assert_eq!(preview["changes"]["added"][0]["registry_number"], number.as_str());
        assert_eq!(h.editions().await, 0, "a preview publishes nothing");
        assert_eq!(senim_store::keys::all(&h.app.state.store).await.unwrap().len(), 0, "nor makes a key");
        let r = h.app.api("GET", "/api/v1/bodies/finance/editions/preview", Some(&h.publisher), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }

    async fn preview_diff_is_what_the_next_edition_publishes(db: TestDb) {
        let h = Health::new(db).await;
        let first = h.include("Бірінші жүйе").await;
        let second = h.include("Екінші жүйе").await;
        h.publish().await;
        let third = h.include("Үшінші жүйе").await;
        let r = h.amend(&first, json!({
            "fields": {"system_name": {"kk": "Бірінші жүйе (түзетілген)", "ru": "Система анализа"},
                       "audit": {"date": "2026-05-15"}},
            "reason": {"kk": "Атауы қате жазылған", "ru": "Опечатка в названии"}
        })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["fields"], json!(["system_name", "audit.date"]));
        let path = format!("/api/v1/bodies/health/entries/{second}/exclude");
        let r = h.app.api("POST", &path, Some(&h.publisher), Some(json!({"reason": {"kk": "Аудит кері қайтарылды"}}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());

        let pending = h.app.api("GET", "/api/v1/bodies/health/pending", Some(&h.publisher), None).await.json();
        let change = |n: &str| pending.as_array().unwrap().iter().find(|p| p["registry_number"] == n).unwrap().clone();
        assert_eq!(change(&first)["change"], "amended");
        assert!(change(&first)["publication_due_on"].is_string());
        assert_eq!(change(&second)["change"], "excluded");
        assert_eq!(change(&second)["publication_due_on"], Value::Null, "the Rules set no period for exclusions");
        assert_eq!(change(&third)["change"], "added");

        let p = h.preview().await;
        assert_eq!((p["edition"].as_i64(), p["current_edition"].as_i64()), (Some(2), Some(1)));
        let amended = &p["changes"]["amended"][0];
        assert_eq!(amended["registry_number"], first.as_str());
        let fields: Vec<&str> = amended["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["system_name", "audit.date"]);
        assert_eq!(amended["fields"][0]["before"]["kk"], "Бірінші жүйе");
        assert_eq!(amended["fields"][0]["after"]["kk"], "Бірінші жүйе (түзетілген)");
        assert_eq!(amended["fields"][1]["before"], "2026-05-14");
        assert_eq!(amended["reasons"][0]["ru"], "Опечатка в названии");
        assert_eq!(p["changes"]["excluded"][0]["registry_number"], second.as_str());
        assert_eq!(p["changes"]["excluded"][0]["reason"]["kk"], "Аудит кері қайтарылды");
        assert_eq!(p["changes"]["added"][0]["registry_number"], third.as_str());
        assert_eq!(h.editions().await, 1);

        let signed = h.publish().await;
        let changes = &signed["manifest"]["changes"];
        assert_eq!(changes["amended"], json!([first]));
        assert_eq!(changes["added"], json!([third]));
        assert_eq!(changes["excluded"][0]["registry_number"], second.as_str());
        let file = h.app.api("GET", "/api/v1/bodies/health/editions/2/files/2.json", None, None).await.json();
        assert_eq!(file["entries"], p["entries"], "the preview's entries are the published entries");
        assert_eq!(file["entries"][0]["system_name"]["kk"], "Бірінші жүйе (түзетілген)");
        assert_eq!(file["entries"][0]["audit"]["date"], "2026-05-15");
        let after = h.preview().await;
        assert!(after["pending"].as_array().unwrap().is_empty(), "publishing settles every change it carried");
    }

    async fn amendment_errors_are_field_errors_and_nothing_changes(db: TestDb) {
        let h = Health::new(db).await;
        let number = h.include("Жүйе").await;
        let new_name = json!({"fields": {"system_name": {"kk": "Жаңа"}}, "reason": {"kk": "Себеп"}});
        let r = h.amend(&number, new_name.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "an inclusion not yet published is not amended: {}", r.text());
        h.publish().await;

        let r = h.amend(&number, json!({
            "fields": {"registry_number": "X-1", "included_on": "2026-01-01", "owner": {"kk": " "},
                       "audit": {"date": "14.05.2026"}, "area": "text"},
            "reason": {"en": "only English"}
        })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.headers.get("content-type").unwrap(), "application/problem+json");
        let mut errors = field_errors(&r);
        errors.sort();
        assert_eq!(errors, [
            ("fields.area".to_owned(), "amend.lang_text".to_owned()),
            ("fields.audit.date".to_owned(), "date.format".to_owned()),
            ("fields.included_on".to_owned(), "amend.not_amendable".to_owned()),
            ("fields.owner".to_owned(), "required".to_owned()),
            ("fields.registry_number".to_owned(), "amend.not_amendable".to_owned()),
            ("reason".to_owned(), "required".to_owned()),
        ]);
        let path = format!("/api/v1/bodies/health/entries/{number}/amend");
        let r = h.app.send(axum::http::Request::builder().method("POST").uri(&path)
            .header("authorization", format!("Bearer {}", h.publisher))
            .header("content-type", "application/json").header("accept-language", "ru")
            .body(axum::body::Body::from(json!({"fields": {}, "reason": {"ru": "Основание"}}).to_string())).unwrap()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["code"], "amend.no_change");
        assert_eq!(r.json()["errors"][0]["message"], "Ничего не изменено: измените хотя бы одно поле.");

        let other = h.app.user("p@finance.kz", Role::Publisher, Some("finance")).await;
        let r = h.app.api("POST", &format!("/api/v1/bodies/health/entries/{number}/amend"), Some(&other), Some(new_name.clone())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = h.app.api("POST", &format!("/api/v1/bodies/finance/entries/{number}/amend"), Some(&other), Some(new_name.clone())).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "another body's entry");
        assert!(h.preview().await["pending"].as_array().unwrap().is_empty(), "nothing was amended");

        let r = h.amend(&number, new_name).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let audit = senim_store::audit::for_object(&h.app.state.store, &number).await.unwrap();
        let record = audit.iter().find(|a| a.action == "entry.amend").expect("audit record of the amendment");
        let publisher = senim_store::users::by_email(&h.app.state.store, "p@health.kz").await.unwrap().unwrap();
        assert_eq!(record.actor, publisher.id);
        assert!(record.detail.contains("Себеп"));
    }

    async fn amendment_reason_is_in_the_public_change_log_and_entry_history(db: TestDb) {
        let h = Health::new(db).await;
        let number = h.include("Жүйе").await;
        h.publish().await;
        let r = h.amend(&number, json!({"fields": {"area": {"kk": "Медицина"}}, "reason": {"kk": "Сала нақтыланды"}})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let entry_page = h.app.get(&format!("/bodies/health/entries/{number}"), None).await.text();
        assert!(!entry_page.contains("Сала нақтыланды"), "not public before it is published");
        h.publish().await;
        let entry_page = h.app.get(&format!("/bodies/health/entries/{number}"), None).await.text();
        assert!(entry_page.contains("Сала нақтыланды"), "the entry's history gives the reason");
        assert!(entry_page.contains("Медицина"));
        let editions = h.app.get("/bodies/health/editions", None).await.text();
        assert!(editions.contains("Сала нақтыланды"), "the editions history gives the reason");
        let diff = h.app.get("/bodies/health/editions/diff?from=1&to=2", None).await.text();
        assert!(diff.contains("Денсаулық сақтау") && diff.contains("Медицина"), "the old text stays readable");
        for p in PRIVATE {
            assert!(!entry_page.contains(p) && !editions.contains(p));
        }
    }

    async fn publish_page_previews_amends_and_keeps_what_was_typed(db: TestDb) {
        let h = Health::new(db).await;
        let number = h.include("Жүйе").await;
        let cookie = h.app.sign_in("p@health.kz").await;
        let page = h.app.get("/publish", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("1-редакцияны жариялау (өзгерістер: 1)"), "the button says what is published: {text}");
        assert!(text.contains(&number));

        // A stale form (the publisher saw other changes) publishes nothing.
        let r = h.app.form("/publish", Some(&cookie), &[("edition", "1"), ("changes", "2")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(h.editions().await, 0);
        let r = h.app.form("/publish", Some(&cookie), &[("edition", "1"), ("changes", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        h.app.wait_for_job(&r.location(), &cookie).await;
        assert_eq!(h.editions().await, 1);

        let form_path = format!("/publish/entries/{number}/amend");
        let form = h.app.get(&form_path, Some(&cookie)).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text().contains("Денсаулық сақтау"), "the form holds the current values");
        assert!(form.text().contains(r#"<label for="f-system_name-kk">"#));
        let typed = [
            ("system_name.kk", "Жүйе 2.0"),
            ("system_name.ru", "Система анализа"),
            ("owner.kk", "«Дәрігер AI» ЖШС"),
            ("owner.ru", "«Дәрігер AI» ЖШС"),
            ("area.kk", "Денсаулық сақтау"),
            ("functionality.kk", "Суреттерді талдау"),
            ("audit.auditor.kk", "«Аудит» ЖШС"),
            ("audit.date", "2026-05-14"),
            ("audit.conclusions.kk", "Сәйкес келеді"),
            ("reason_kk", ""),
            ("reason_ru", ""),
        ];
        let r = h.app.form(&form_path, Some(&cookie), &typed).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text();
        assert!(text.contains("Жүйе 2.0"), "what was typed is kept");
        assert!(text.contains(r#"class="error-summary""#) && text.contains(r##"href="#f-reason""##));
        assert!(text.contains(r#"id="f-reason-error""#), "the message is next to the field");
        let mut with_reason = typed.to_vec();
        with_reason[9] = ("reason_kk", "Нұсқа нөмірі қосылды");
        let r = h.app.form(&form_path, Some(&cookie), &with_reason).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let text = h.app.get("/publish", Some(&cookie)).await.text();
        assert!(text.contains("2-редакцияны жариялау (өзгерістер: 1)"));
        assert!(text.contains("<ins>kk: Жүйе 2.0; ru: Система анализа</ins>"), "field-level before/after: {text}");
        assert!(text.contains("Нұсқа нөмірі қосылды"));
    }

    async fn key_rotation_keeps_old_editions_verifying_and_signs_new_ones(db: TestDb) {
        let h = Health::new(db).await;
        let admin = h.app.user("admin@senim.test", Role::Admin, None).await;
        h.include("Бірінші").await;
        h.publish().await;
        let old = keys(&h.app).await;
        assert_eq!(old.len(), 1);

        let r = h.app.api("POST", "/api/v1/keys/rotate", Some(&h.publisher), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "only the administrator rotates");
        let r = h.app.api("POST", "/api/v1/keys/rotate", Some(&admin), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let new_id = r.json()["key"]["key_id"].as_str().unwrap().to_owned();
        assert_eq!(r.json()["retired"], json!([old[0].key_id]));
        assert_ne!(new_id, old[0].key_id);

        h.include("Екінші").await;
        h.publish().await;
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
        h.include("Жоспарлы жүйе").await;

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
        h.include("Тағы бір жүйе").await;
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
        h.include("Үшінші").await;
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

    async fn issue_7_publication_runs_in_the_background_with_progress_for_its_publisher_only(db: TestDb) {
        let h = Health::new(db).await;
        h.app.user("p@finance.kz", Role::Publisher, Some("finance")).await;
        h.include("Фондық жариялау").await;
        let cookie = h.app.sign_in("p@health.kz").await;
        let r = h.app.form("/publish", Some(&cookie), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let job = r.location();
        let page = h.app.wait_for_job(&job, &cookie).await.text();
        assert!(page.contains("1-редакция жарияланды"), "{page}");
        assert_eq!(h.editions().await, 1);
        let id = job.trim_start_matches("/publish/jobs/");
        let stored = senim_store::jobs::get(&h.app.state.store, id).await.unwrap().unwrap();
        assert_eq!((stored.status.as_str(), stored.edition), ("done", Some(1)));
        assert!(stored.total >= 4 && stored.done == stored.total, "{stored:?}");
        // Another body's publisher does not see it; nothing pending: nothing starts.
        let other = h.app.sign_in("p@finance.kz").await;
        assert_eq!(h.app.get(&job, Some(&other)).await.status, StatusCode::NOT_FOUND);
        let r = h.app.form("/publish", Some(&cookie), &[]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // One job per body at a time.
        assert!(senim_store::jobs::start(&h.app.state.store, "j1", "health", "x").await.unwrap());
        assert!(!senim_store::jobs::start(&h.app.state.store, "j2", "health", "x").await.unwrap());
        assert!(senim_store::jobs::start(&h.app.state.store, "j3", "finance", "x").await.unwrap());
    }

    async fn issue_7_a_change_made_while_an_edition_renders_is_never_lost(db: TestDb) {
        let h = Health::new(db).await;
        let first = h.include("Бірінші").await;
        h.publish().await;
        h.include("Екінші").await;
        // While the artifacts render (outside the write transaction), the publisher excludes the first
        // entry: the rendered edition would miss it, so nothing is stored and a new run is asked for.
        let store = h.app.state.store.clone();
        let handle = tokio::runtime::Handle::current();
        let once = std::sync::Once::new();
        let progress: senim_web::services::publication::ProgressFn = std::sync::Arc::new(move |_, _, _| {
            once.call_once(|| {
                handle.block_on(async {
                    let reason = senim_domain::lang::LangText::new().with(senim_domain::lang::Lang::Kk, "Қате");
                    let mut tx = store.begin().await.unwrap();
                    assert!(senim_store::entries::mark_excluded(&mut tx, &first, &reason).await.unwrap());
                    tx.commit().await.unwrap();
                });
            });
        });
        let publisher = senim_store::users::by_email(&h.app.state.store, "p@health.kz").await.unwrap().unwrap();
        let r = senim_web::services::publication::publish_tracked(
            &h.app.state,
            &publisher.id,
            "health",
            Timestamp::now(),
            None,
            Some(progress),
        )
        .await;
        assert!(matches!(r, Err(senim_web::services::ServiceError::State("publication.changed"))), "{r:?}");
        assert_eq!(h.editions().await, 1, "nothing stored");
        // Its files were stored as they were rendered; nothing refers to them now, so they are gone.
        let orphans: i64 = senim_store::on_pool!(h.app.state.store, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM edition_artifacts a WHERE a.sha256 = b.sha256) \
             AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256) \
             AND NOT EXISTS (SELECT 1 FROM pdf_texts t WHERE t.sha256 = b.sha256)",
        )
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!(orphans, 0, "the files of the edition not stored are removed");
        // The next run carries both changes.
        let m = h.publish().await;
        assert_eq!(m["manifest"]["changes"]["added"].as_array().unwrap().len(), 1);
        assert_eq!(m["manifest"]["changes"]["excluded"].as_array().unwrap().len(), 1);
    }

    // A failed publication removes the files nothing refers to (blobs::discard); a file another run
    // has stored, but not yet listed, may be among them (the same bytes rendered twice). That run then
    // finds it missing and stores nothing rather than an edition without its file.
    async fn issue_7_an_edition_whose_stored_file_was_removed_meanwhile_is_not_stored(db: TestDb) {
        let h = Health::new(db).await;
        h.include("Бірінші").await;
        let store = h.app.state.store.clone();
        let handle = tokio::runtime::Handle::current();
        // After the last file (the edition JSON) is stored, before the write transaction.
        let progress: senim_web::services::publication::ProgressFn = std::sync::Arc::new(move |done, total, _| {
            if done == total {
                handle.block_on(async {
                    let unlisted: Vec<String> = senim_store::on_pool!(store, p => sqlx::query_scalar(
                        "SELECT sha256 FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM edition_artifacts a WHERE a.sha256 = b.sha256) \
                         AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = b.sha256)",
                    )
                    .fetch_all(p)
                    .await)
                    .unwrap();
                    assert!(!unlisted.is_empty(), "the rendered files are stored before they are listed");
                    let first = &unlisted[..1];
                    assert_eq!(senim_store::blobs::discard(&store, first).await.unwrap(), 1);
                });
            }
        });
        let publisher = senim_store::users::by_email(&h.app.state.store, "p@health.kz").await.unwrap().unwrap();
        let r = senim_web::services::publication::publish_tracked(
            &h.app.state,
            &publisher.id,
            "health",
            Timestamp::now(),
            None,
            Some(progress),
        )
        .await;
        assert!(matches!(r, Err(senim_web::services::ServiceError::State("publication.changed"))), "{r:?}");
        assert_eq!(h.editions().await, 0, "nothing stored");
        // Another run renders and stores every file again.
        let m = h.publish().await;
        assert_eq!(m["manifest"]["changes"]["added"].as_array().unwrap().len(), 1);
        for a in m["manifest"]["artifacts"].as_array().unwrap() {
            let sha = a["sha256"].as_str().unwrap();
            assert!(senim_store::blobs::get(&h.app.state.store, sha).await.unwrap().is_some(), "{a}");
        }
    }
}
