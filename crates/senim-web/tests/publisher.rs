//! The publisher's side of publication (issue 5) on both databases: the pending changes with their
//! due dates (Rules §7), the preview of the next edition and its diff, amendments of published entries,
//! signing-key rotation by the administrator, and the scheduled daily publication.

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::Timestamp;
use senim_domain::calendar::{WorkingDays, kz_date};
use senim_domain::role::Role;
use senim_store::dual_tests;
use serde_json::{Value, json};

use common::health::Health;

dual_tests! {
    async fn rules_7_pending_inclusion_is_due_in_five_working_days_and_preview_stores_nothing(db: TestDb) {
        let h = Health::new(db).await;
        let number = h.include_system("Бірінші жүйе").await;
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
        let first = h.include_system("Бірінші жүйе").await;
        let second = h.include_system("Екінші жүйе").await;
        h.publish_answer().await;
        let third = h.include_system("Үшінші жүйе").await;
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

        let signed = h.publish_answer().await;
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
        let number = h.include_system("Жүйе").await;
        let new_name = json!({"fields": {"system_name": {"kk": "Жаңа"}}, "reason": {"kk": "Себеп"}});
        let r = h.amend(&number, new_name.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "an inclusion not yet published is not amended: {}", r.text());
        h.publish_answer().await;

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
        let number = h.include_system("Жүйе").await;
        h.publish_answer().await;
        let r = h.amend(&number, json!({"fields": {"area": {"kk": "Медицина"}}, "reason": {"kk": "Сала нақтыланды"}})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let entry_page = h.app.get(&format!("/bodies/health/entries/{number}"), None).await.text();
        assert!(!entry_page.contains("Сала нақтыланды"), "not public before it is published");
        h.publish_answer().await;
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
        let number = h.include_system("Жүйе").await;
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

    async fn issue_7_publication_runs_in_the_background_with_progress_for_its_publisher_only(db: TestDb) {
        let h = Health::new(db).await;
        h.app.user("p@finance.kz", Role::Publisher, Some("finance")).await;
        h.include_system("Фондық жариялау").await;
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
        let first = h.include_system("Бірінші").await;
        h.publish_answer().await;
        h.include_system("Екінші").await;
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
        let m = h.publish_answer().await;
        assert_eq!(m["manifest"]["changes"]["added"].as_array().unwrap().len(), 1);
        assert_eq!(m["manifest"]["changes"]["excluded"].as_array().unwrap().len(), 1);
    }

    // A failed publication removes the files nothing refers to (blobs::discard); a file another run
    // has stored, but not yet listed, may be among them (the same bytes rendered twice). That run then
    // finds it missing and stores nothing rather than an edition without its file.
    async fn issue_7_an_edition_whose_stored_file_was_removed_meanwhile_is_not_stored(db: TestDb) {
        let h = Health::new(db).await;
        h.include_system("Бірінші").await;
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
        let m = h.publish_answer().await;
        assert_eq!(m["manifest"]["changes"]["added"].as_array().unwrap().len(), 1);
        for a in m["manifest"]["artifacts"].as_array().unwrap() {
            let sha = a["sha256"].as_str().unwrap();
            assert!(senim_store::blobs::get(&h.app.state.store, sha).await.unwrap().is_some(), "{a}");
        }
    }
}
