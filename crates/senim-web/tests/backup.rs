//! Issue 6, item 8: `senim backup` and `senim restore` — every record, file, edition and signature
//! survives a round trip, editions still verify afterwards, and a damaged backup or a database that is
//! not empty is refused without changing anything. Both databases, and SQLite into PostgreSQL.

mod common;

use std::io::{Read, Write};

use axum::http::StatusCode;
use common::*;
use senim_domain::role::Role;
use senim_publish::keys::PublicKeyInfo;
use senim_publish::manifest::{Manifest, SignedManifest};
use senim_store::audit::{self, ChainCheck};
use senim_store::backup;
use senim_store::dual_tests;
use senim_store::testing::TestDb;
use serde_json::json;

/// A health List with two editions (an inclusion, then an exclusion), a notice, and their files.
async fn populated(db: TestDb) -> TestApp {
    let app = TestApp::new(db).await;
    let applicant = app.user("a@dariger.kz", Role::Applicant, None).await;
    let reviewer = app.user("r@health.kz", Role::Reviewer, Some("health")).await;
    let publisher = app.user("p@health.kz", Role::Publisher, Some("health")).await;
    let pass =
        json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}}});
    let fail = json!({"checks": {"completeness": {"pass": true}, "copyright": {"pass": true},
        "audit": {"pass": false, "comment": "Басқа жүйенің есебі"}}});
    let mut numbers = Vec::new();
    for (name, checks) in [("Бірінші", &pass), ("Екінші", &pass), ("Үшінші", &fail)] {
        let (id, _) = app.submit_application(&applicant, complete_form(name), &pdf(name)).await;
        let path = format!("/api/v1/applications/{id}/review");
        let r = app.api("POST", &path, Some(&reviewer), Some(checks.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        if let Some(n) = r.json()["registry_number"].as_str() {
            numbers.push(n.to_owned());
        }
    }
    let r = app.api("POST", "/api/v1/bodies/health/editions", Some(&publisher), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let path = format!("/api/v1/bodies/health/entries/{}/exclude", numbers[0]);
    let r = app.api("POST", &path, Some(&publisher), Some(json!({"reason": {"kk": "Иесінің өтініші"}}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = app.api("POST", "/api/v1/bodies/health/editions", Some(&publisher), None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    app
}

/// A new, empty database of the same kind.
async fn fresh_like(db: &TestDb) -> TestDb {
    if db.url.starts_with("postgres") {
        TestDb::postgres().await.expect("PostgreSQL for the second database")
    } else {
        TestDb::sqlite().await
    }
}

/// The backup's lines after the header (rows and trailer).
fn body_lines(backup: &[u8]) -> Vec<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(backup).read_to_string(&mut text).unwrap();
    text.lines().skip(1).map(str::to_owned).collect()
}

fn recompress(lines: &[String]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all((lines.join("\n") + "\n").as_bytes()).unwrap();
    gz.finish().unwrap()
}

/// Every edition of the health List served by `app` verifies: signatures by the published keys, the
/// hash chain, and every artifact's bytes against its manifest.
async fn assert_editions_verify(app: &TestApp, editions: u32) {
    let v = app.api("GET", "/api/v1/keys", None, None).await.json();
    let v = if v.is_array() { v } else { v["keys"].clone() };
    let keys: Vec<PublicKeyInfo> = serde_json::from_value(v).expect("the published keys");
    let mut manifests: Vec<Manifest> = Vec::new();
    for n in 1..=editions {
        let r = app.api("GET", &format!("/api/v1/bodies/health/editions/{n}/manifest"), None, None).await;
        assert_eq!(r.status, StatusCode::OK, "edition {n}");
        let signed: SignedManifest = serde_json::from_slice(&r.body).unwrap();
        senim_publish::verify::verify_signed_manifest(&signed, &keys).expect("the signature verifies");
        for a in &signed.manifest.artifacts {
            let r = app.api("GET", &format!("/api/v1/bodies/health/editions/{n}/files/{}", a.name), None, None).await;
            assert_eq!(r.status, StatusCode::OK, "{}", a.name);
            assert_eq!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&r.body)), a.sha256, "{}", a.name);
        }
        manifests.push(signed.manifest);
    }
    senim_publish::verify::verify_chain(&manifests).expect("the editions chain");
}

dual_tests! {
    async fn a_backup_restores_every_record_file_edition_and_signature(db: TestDb) {
        let app = populated(db).await;
        let mut bytes = Vec::new();
        let made = backup::dump(&app.state.store, &mut bytes).await.unwrap();
        for table in ["applications", "rounds", "attachments", "blobs", "entries", "editions", "edition_artifacts",
            "signing_keys", "audit_log", "outbox", "users"] {
            let t = made.tables.iter().find(|t| t.name == table).unwrap_or_else(|| panic!("{table} is backed up"));
            assert!(t.rows > 0, "{table} has rows");
        }
        let records = match audit::verify(&app.state.store).await.unwrap() {
            ChainCheck::Intact { records } => records,
            ChainCheck::Broken { seq, reason } => panic!("{seq}: {reason}"),
        };

        let target = fresh_like(&app.db).await;
        let restored = backup::restore(&target.store, &bytes[..]).await.unwrap();
        assert_eq!(restored.tables, made.tables);
        // The same rows, value for value: a backup of the restored database has the same lines.
        let mut again = Vec::new();
        backup::dump(&target.store, &mut again).await.unwrap();
        assert_eq!(body_lines(&bytes), body_lines(&again));
        assert_eq!(audit::verify(&target.store).await.unwrap(), ChainCheck::Intact { records });

        // Served from the restored database: editions verify, files download byte for byte, the
        // applicant's password still signs in.
        let restored_app = TestApp::new(target).await;
        assert_editions_verify(&restored_app, 2).await;
        let cookie = restored_app.sign_in("a@dariger.kz").await;
        let apps = restored_app.get("/applications", Some(&cookie)).await;
        assert!(apps.text().contains("Бірінші") && apps.text().contains("Үшінші"));
        let blobs = senim_store::applications::attachments(&app.state.store, &senim_store::applications::for_applicant(
            &app.state.store,
            &senim_store::users::by_email(&app.state.store, "a@dariger.kz").await.unwrap().unwrap().id,
            None,
        ).await.unwrap()[0].id).await.unwrap();
        for a in blobs {
            let before = senim_store::blobs::get(&app.state.store, &a.sha256).await.unwrap();
            let after = senim_store::blobs::get(&restored_app.state.store, &a.sha256).await.unwrap();
            assert!(before.is_some() && before == after, "{}", a.filename);
        }
    }

    async fn a_damaged_backup_or_a_database_in_use_is_refused_and_nothing_changes(db: TestDb) {
        let app = populated(db).await;
        let mut bytes = Vec::new();
        backup::dump(&app.state.store, &mut bytes).await.unwrap();
        let target = fresh_like(&app.db).await;
        let users = || async { senim_store::users::count(&target.store).await.unwrap() };

        // Cut short: the compressed stream, or the lines (the trailer missing).
        let e = backup::restore(&target.store, &bytes[..bytes.len() / 2]).await.unwrap_err();
        assert!(e.to_string().contains("backup"), "{e}");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let without_trailer = recompress(&lines[..lines.len() - 1]);
        let e = backup::restore(&target.store, &without_trailer[..]).await.unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        assert_eq!(users().await, 0, "nothing was restored");

        // One character of one record changed.
        let i = lines.iter().position(|l| l.contains("\"t\":\"users\"") && l.contains("a@dariger.kz")).unwrap();
        lines[i] = lines[i].replacen("a@dariger.kz", "b@dariger.kz", 1);
        let e = backup::restore(&target.store, &recompress(&lines)[..]).await.unwrap_err();
        assert!(e.to_string().contains("altered"), "{e}");
        assert_eq!(users().await, 0);

        // Not a backup at all.
        let e = backup::restore(&target.store, &recompress(&["{\"hello\": 1}".to_owned()])[..]).await.unwrap_err();
        assert!(e.to_string().contains("not a Senim backup"), "{e}");

        // A database in use is never overwritten.
        let e = backup::restore(&app.state.store, &bytes[..]).await.unwrap_err();
        assert!(e.to_string().contains("empty database"), "{e}");
        assert_editions_verify(&app, 2).await;

        // The intact backup still restores.
        backup::restore(&target.store, &bytes[..]).await.unwrap();
        assert!(users().await > 0);
    }
}

/// An SQLite installation moves to PostgreSQL by backup and restore (when PostgreSQL is configured, as
/// in CI).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sqlite_backup_restores_into_postgresql() {
    let Some(pg) = TestDb::postgres().await else {
        eprintln!("{} unset: SQLite → PostgreSQL restore not run", senim_store::testing::PG_ENV);
        return;
    };
    let app = populated(TestDb::sqlite().await).await;
    let mut bytes = Vec::new();
    let made = backup::dump(&app.state.store, &mut bytes).await.unwrap();
    let restored = backup::restore(&pg.store, &bytes[..]).await.unwrap();
    assert_eq!(restored.tables, made.tables);
    assert_eq!(restored.dialect, "postgres");
    assert!(matches!(audit::verify(&pg.store).await.unwrap(), ChainCheck::Intact { .. }));
    let pg_app = TestApp::new(pg).await;
    assert_editions_verify(&pg_app, 2).await;
    let cookie = pg_app.sign_in("r@health.kz").await;
    assert_eq!(pg_app.get("/review", Some(&cookie)).await.status, StatusCode::OK);
}
