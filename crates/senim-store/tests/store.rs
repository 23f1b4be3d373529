//! The store's behaviour, on SQLite and on PostgreSQL (`SENIM_TEST_DATABASE_URL`).

use jiff::civil::date;
use senim_domain::application::{ApplicationForm, AttachmentKind};
use senim_domain::calendar::{Calendar, YearCalendar};
use senim_domain::lang::{Lang, LangText};
use senim_domain::role::Role;
use senim_domain::status::Status;
use senim_store::audit::{self, ChainCheck};
use senim_store::bodies::{self, Body};
use senim_store::users::{self, NewUser};
use senim_store::{Db, Store, StoreError, applications as apps, blobs, dual_tests, on_pool, outbox};
use serde_json::json;

async fn seed_body(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let name =
        LangText::new().with(Lang::Kk, "Денсаулық сақтау министрлігі").with(Lang::Ru, "Министерство здравоохранения");
    bodies::upsert(
        &mut tx,
        &Body {
            code: "health".into(),
            name: name.clone(),
            short_name: name,
            gov_slug: Some("dsm".into()),
            sort_order: 1,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn seed_user(store: &Store, email: &str, role: Role) -> users::User {
    let mut tx = store.begin().await.unwrap();
    let body = role.needs_body().then_some("health");
    let u = users::create(&mut tx, NewUser { email, name: "Тест", password_hash: "x", role, body_code: body })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    u
}

/// Rewrites a stored audit record the way an intruder with database access would.
async fn tamper_audit(store: &Store, seq: i64) {
    match &store.db {
        Db::Sqlite(p) => {
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(p).await.unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update").execute(p).await.unwrap();
        }
    }
    on_pool!(store, p => sqlx::query("UPDATE audit_log SET detail = '{\"forged\":true}' WHERE seq = $1").bind(seq).execute(p).await.map(|r| r.rows_affected()))
        .unwrap();
}

dual_tests! {
    async fn blobs_are_stored_once_by_their_sha256(db: TestDb) {
        let mut tx = db.store.begin().await.unwrap();
        let a = blobs::put(&mut tx, b"%PDF-1.4 one").await.unwrap();
        let b = blobs::put(&mut tx, b"%PDF-1.4 one").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(a, b);
        assert_eq!(a, blobs::sha256_hex(b"%PDF-1.4 one"));
        assert_eq!(blobs::get(&db.store, &a).await.unwrap().unwrap(), b"%PDF-1.4 one");
        assert_eq!(blobs::get(&db.store, &"0".repeat(64)).await.unwrap(), None);
    }

    // Issue 7: a rendered file of hundreds of megabytes is stored in parts and read back whole;
    // storing it again changes nothing; removing an unreferenced one takes its parts with it.
    async fn large_blobs_are_stored_in_parts_and_read_back_whole(db: TestDb) {
        let large: Vec<u8> = (0..2 * blobs::PART + 12_345).map(|i| (i * 7 % 251) as u8).collect();
        let sha = blobs::sha256_hex(&large);
        blobs::put_alone(&db.store, &sha, &large).await.unwrap();
        blobs::put_alone(&db.store, &sha, &large).await.unwrap();
        let counts = |sha: String| {
            let store = db.store.clone();
            async move {
                let parts: i64 = on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM blob_parts WHERE sha256 = $1").bind(&sha).fetch_one(p).await).unwrap();
                let rows: i64 = on_pool!(store, p => sqlx::query_scalar("SELECT COUNT(*) FROM blobs WHERE sha256 = $1").bind(&sha).fetch_one(p).await).unwrap();
                (rows, parts)
            }
        };
        assert_eq!(counts(sha.clone()).await, (1, 3), "one blob in three parts, stored once");
        assert_eq!(blobs::get(&db.store, &sha).await.unwrap().as_deref(), Some(&large[..]));

        // An upload stored within its application's transaction is stored the same way.
        let upload: Vec<u8> = (0..blobs::PART + 1).map(|i| (i % 253) as u8).collect();
        let mut tx = db.store.begin().await.unwrap();
        let upload_sha = blobs::put(&mut tx, &upload).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(counts(upload_sha.clone()).await, (1, 2));
        assert_eq!(blobs::get(&db.store, &upload_sha).await.unwrap().as_deref(), Some(&upload[..]));

        // A small one stays whole.
        let small = b"%PDF-1.7 small".to_vec();
        let small_sha = blobs::sha256_hex(&small);
        blobs::put_alone(&db.store, &small_sha, &small).await.unwrap();
        assert_eq!(counts(small_sha.clone()).await, (1, 0));
        assert_eq!(blobs::get(&db.store, &small_sha).await.unwrap(), Some(small));

        // A missing part is corruption, not a short file.
        on_pool!(db.store, p => sqlx::query("DELETE FROM blob_parts WHERE sha256 = $1 AND part = 1").bind(&sha).execute(p).await.map(|r| r.rows_affected())).unwrap();
        assert!(matches!(blobs::get(&db.store, &sha).await, Err(StoreError::Corrupt(_))));

        assert_eq!(blobs::discard(&db.store, &[sha.clone(), small_sha.clone()]).await.unwrap(), 2);
        assert_eq!(counts(sha.clone()).await, (0, 0), "the parts go with their blob");
        assert_eq!(blobs::get(&db.store, &small_sha).await.unwrap(), None);
    }

    async fn a_blob_something_refers_to_is_not_discarded(db: TestDb) {
        let mut tx = db.store.begin().await.unwrap();
        let sha = blobs::put(&mut tx, b"%PDF-1.4 attached").await.unwrap();
        tx.commit().await.unwrap();
        // Referred to by a cached text layer (the simplest of the tables that refer to blobs).
        on_pool!(db.store, p => sqlx::query("INSERT INTO pdf_texts (sha256, status, pages, extracted_at) VALUES ($1, 'text', '[]', '2026-11-25')").bind(&sha).execute(p).await.map(|r| r.rows_affected())).unwrap();
        assert_eq!(blobs::discard(&db.store, std::slice::from_ref(&sha)).await.unwrap(), 0);
        assert!(blobs::get(&db.store, &sha).await.unwrap().is_some());
    }

    async fn audit_log_is_a_hash_chain_that_detects_a_changed_record(db: TestDb) {
        for i in 0..5 {
            audit::append_now(&db.store, "tester", "thing.happen", &format!("obj-{i}"), &json!({"i": i})).await.unwrap();
        }
        assert_eq!(audit::verify(&db.store).await.unwrap(), ChainCheck::Intact { records: 5 });
        tamper_audit(&db.store, 3).await;
        match audit::verify(&db.store).await.unwrap() {
            ChainCheck::Broken { seq, .. } => assert_eq!(seq, 3),
            other => panic!("tampering not detected: {other:?}"),
        }
    }

    async fn audit_log_refuses_updates_and_deletes(db: TestDb) {
        audit::append_now(&db.store, "tester", "x", "y", &json!({})).await.unwrap();
        let upd = on_pool!(db.store, p => sqlx::query("UPDATE audit_log SET actor = 'evil'").execute(p).await.map(|r| r.rows_affected()));
        assert!(upd.is_err(), "update must be refused");
        let del = on_pool!(db.store, p => sqlx::query("DELETE FROM audit_log").execute(p).await.map(|r| r.rows_affected()));
        assert!(del.is_err(), "delete must be refused");
    }

    async fn audit_appends_from_many_tasks_keep_one_chain(db: TestDb) {
        let mut handles = Vec::new();
        for i in 0..20 {
            let store = db.store.clone();
            handles.push(tokio::spawn(async move {
                audit::append_now(&store, "t", "a", &i.to_string(), &json!({})).await.unwrap();
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        assert_eq!(audit::verify(&db.store).await.unwrap(), ChainCheck::Intact { records: 20 });
    }

    async fn audit_records_appended_in_batches_chain_like_single_appends(db: TestDb) {
        audit::append_now(&db.store, "t", "before", "o", &json!({})).await.unwrap();
        // More than one statement's worth of rows, to cross a batch boundary.
        let objects: Vec<String> = (0..1203).map(|i| format!("obj-{i}")).collect();
        let records: Vec<(&str, &str, serde_json::Value)> =
            objects.iter().map(|o| ("thing.batch", o.as_str(), json!({"o": o}))).collect();
        let mut tx = db.store.begin().await.unwrap();
        audit::append_many(&mut tx, "batcher", &records).await.unwrap();
        audit::append_many(&mut tx, "batcher", &[]).await.unwrap();
        tx.commit().await.unwrap();
        audit::append_now(&db.store, "t", "after", "o", &json!({})).await.unwrap();
        assert_eq!(audit::verify(&db.store).await.unwrap(), ChainCheck::Intact { records: 1205 });
        tamper_audit(&db.store, 700).await;
        match audit::verify(&db.store).await.unwrap() {
            ChainCheck::Broken { seq, .. } => assert_eq!(seq, 700),
            other => panic!("tampering inside a batch not detected: {other:?}"),
        }
    }

    async fn users_are_unique_by_email_case_insensitively(db: TestDb) {
        seed_body(&db.store).await;
        seed_user(&db.store, "Reviewer@Example.kz", Role::Reviewer).await;
        let found = users::by_email(&db.store, "reviewer@example.KZ").await.unwrap().unwrap();
        assert_eq!(found.body_code.as_deref(), Some("health"));
        let mut tx = db.store.begin().await.unwrap();
        let again = users::create(
            &mut tx,
            NewUser { email: "reviewer@example.kz", name: "x", password_hash: "x", role: Role::Applicant, body_code: None },
        )
        .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    }

    async fn status_changes_only_from_the_expected_status(db: TestDb) {
        seed_body(&db.store).await;
        let u = seed_user(&db.store, "a@example.kz", Role::Applicant).await;
        let mut tx = db.store.begin().await.unwrap();
        let app = apps::create(&mut tx, &u.id, None, &ApplicationForm { body: "health".into(), ..Default::default() }).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        apps::set_status(&mut tx, &app.id, Status::Draft, Status::Submitted).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.store.begin().await.unwrap();
        let stale = apps::set_status(&mut tx, &app.id, Status::Draft, Status::Withdrawn).await;
        assert!(matches!(stale, Err(StoreError::Conflict(_))));
        drop(tx);
        assert_eq!(apps::get(&db.store, &app.id).await.unwrap().unwrap().status, Status::Submitted);
    }

    async fn attachments_can_be_removed_but_their_bytes_stay(db: TestDb) {
        seed_body(&db.store).await;
        let u = seed_user(&db.store, "a@example.kz", Role::Applicant).await;
        let mut tx = db.store.begin().await.unwrap();
        let app = apps::create(&mut tx, &u.id, None, &ApplicationForm { body: "health".into(), ..Default::default() }).await.unwrap();
        let a = apps::add_attachment(&mut tx, &app.id, AttachmentKind::AuditReport, "a.pdf", "application/pdf", b"%PDF-x")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(apps::attachments(&db.store, &app.id).await.unwrap().len(), 1);
        let mut tx = db.store.begin().await.unwrap();
        assert!(apps::remove_attachment(&mut tx, &app.id, &a.id).await.unwrap());
        assert!(!apps::remove_attachment(&mut tx, &app.id, &a.id).await.unwrap());
        tx.commit().await.unwrap();
        assert!(apps::attachments(&db.store, &app.id).await.unwrap().is_empty());
        assert!(apps::attachment_any(&db.store, &app.id, &a.id).await.unwrap().is_some());
        assert!(blobs::get(&db.store, &a.sha256).await.unwrap().is_some());
    }

    async fn registry_serials_count_per_body_and_year(db: TestDb) {
        let mut tx = db.store.begin().await.unwrap();
        assert_eq!(apps::next_registry_serial(&mut tx, "health", 2026).await.unwrap(), 1);
        assert_eq!(apps::next_registry_serial(&mut tx, "health", 2026).await.unwrap(), 2);
        assert_eq!(apps::next_registry_serial(&mut tx, "health", 2027).await.unwrap(), 1);
        assert_eq!(apps::next_registry_serial(&mut tx, "finance", 2026).await.unwrap(), 1);
        tx.commit().await.unwrap();
    }

    async fn outbox_messages_are_claimed_once_and_marked_sent(db: TestDb) {
        let mut tx = db.store.begin().await.unwrap();
        outbox::enqueue(&mut tx, "a@example.kz", "Тақырып", "Мәтін").await.unwrap();
        tx.commit().await.unwrap();
        let m = outbox::claim(&db.store, 60).await.unwrap().expect("one message");
        assert_eq!(m.subject, "Тақырып");
        assert!(outbox::claim(&db.store, 60).await.unwrap().is_none(), "a claimed message is leased");
        outbox::mark_sent(&db.store, &m.id).await.unwrap();
        let all = outbox::recent(&db.store, 10).await.unwrap();
        assert!(all[0].sent_at.is_some());
    }

    async fn a_calendar_override_replaces_the_shipped_year(db: TestDb) {
        let shipped = Calendar::builtin();
        let mut year: YearCalendar = shipped.year(2026).unwrap().clone();
        // An administrator adds a day off on Wednesday 2 December 2026.
        let extra = senim_domain::calendar::SpecialDay {
            date: date(2026, 12, 2),
            kind: senim_domain::calendar::DayKind::Transferred,
            name: LangText::new().with(Lang::Kk, "Сынақ").with(Lang::Ru, "Тест"),
        };
        year.days.push(extra);
        year.days.sort_by_key(|d| d.date);
        let mut tx = db.store.begin().await.unwrap();
        senim_store::calendar::save_year(&mut tx, &year, "admin").await.unwrap();
        tx.commit().await.unwrap();
        let loaded = senim_store::calendar::load(&db.store).await.unwrap();
        assert!(shipped.is_working_day(date(2026, 12, 2)).unwrap());
        assert!(!loaded.is_working_day(date(2026, 12, 2)).unwrap());
    }
}
