//! Fast serving of published editions (issues 5 and 7): edition files come from memory after the
//! first read, precompressed (brotli, gzip) as `Accept-Encoding` allows, each variant with its own
//! strong ETag, `Vary: Accept-Encoding` and 304 answers; the rendered List page is cached for
//! anonymous readers and a new edition (or a new pending inclusion) is never served stale.

mod common;
mod published;

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use published::{Health, header};
use senim_store::dual_tests;
use sha2::{Digest, Sha256};

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::builder().uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("valid gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).expect("valid brotli");
    out
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

dual_tests! {
    async fn every_variant_decompresses_to_the_stored_artifact(db: TestDb) {
        let h = Health::new(db).await;
        h.include(complete_form("Рентген талдаушы")).await;
        h.include(complete_form("Екінші жүйе")).await;
        h.publish().await;
        let app = &h.app;
        let manifest = app.get("/api/v1/bodies/health/editions/1/manifest", None).await.json();
        let mut names: Vec<(String, String)> = manifest["manifest"]["artifacts"].as_array().unwrap().iter()
            .map(|a| (a["name"].as_str().unwrap().to_owned(), a["sha256"].as_str().unwrap().to_owned())).collect();
        assert!(names.len() >= 8, "html, csv, xlsx, pdf in kk and ru: {names:?}");
        names.push(("1.json".to_owned(), String::new()));
        let mut compressed = 0;
        for (name, sha) in &names {
            for base in ["/api/v1/bodies/health/editions/1/files/", "/bodies/health/editions/1/files/"] {
                let path = format!("{base}{name}");
                let plain = app.get(&path, None).await;
                assert_eq!(plain.status, StatusCode::OK, "{path}");
                assert_eq!(header(&plain, "content-encoding"), "", "{path}: identity without Accept-Encoding");
                assert_eq!(header(&plain, "vary").to_ascii_lowercase(), "accept-encoding", "{path}");
                assert_eq!(header(&plain, "cache-control"), "public, max-age=31536000, immutable");
                if !sha.is_empty() {
                    assert_eq!(&sha256(&plain.body), sha, "{path}: the signed bytes");
                    assert_eq!(header(&plain, "etag"), format!("\"{sha}\""));
                }
                let text = name.ends_with(".csv") || name.ends_with(".html") || name.ends_with(".json");
                for (accept, coding) in [("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br, zstd", "br"), ("br;q=0.1, gzip;q=0.9", "gzip")] {
                    let r = get_with(app, &path, &[("accept-encoding", accept)]).await;
                    assert_eq!(r.status, StatusCode::OK);
                    assert_eq!(header(&r, "vary").to_ascii_lowercase(), "accept-encoding");
                    if !text {
                        // PDF and XLSX are compressed inside already: sent as they are.
                        assert_eq!(header(&r, "content-encoding"), "", "{path} {accept}");
                        assert_eq!(r.body, plain.body);
                        continue;
                    }
                    assert_eq!(header(&r, "content-encoding"), coding, "{path} {accept}");
                    assert!(r.body.len() < plain.body.len(), "{path}: the variant is smaller");
                    let back = if coding == "br" { unbrotli(&r.body) } else { gunzip(&r.body) };
                    assert_eq!(back, plain.body, "{path} {accept}: decompresses to the stored bytes");
                    assert_ne!(header(&r, "etag"), header(&plain, "etag"), "each variant has its own ETag");
                    assert_eq!(header(&r, "content-type"), header(&plain, "content-type"));
                    compressed += 1;
                }
            }
        }
        assert!(compressed >= 4 * 2 * 5, "html, csv (kk, ru) and json compressed: {compressed}");
    }

    async fn etags_answer_304_per_variant_on_dated_and_latest_addresses(db: TestDb) {
        let h = Health::new(db).await;
        h.include(complete_form("Рентген талдаушы")).await;
        h.publish().await;
        let app = &h.app;
        for path in ["/api/v1/bodies/health/editions/1/files/1.kk.csv", "/bodies/health/latest/list.kk.csv"] {
            let br = get_with(app, path, &[("accept-encoding", "br")]).await;
            let etag = header(&br, "etag").to_owned();
            assert!(etag.starts_with('"') && etag.ends_with(".br\""), "{path}: strong ETag of the brotli variant: {etag}");
            let r = get_with(app, path, &[("accept-encoding", "br"), ("if-none-match", &etag)]).await;
            assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{path}");
            assert!(r.body.is_empty());
            assert_eq!(header(&r, "etag"), etag);
            assert_eq!(header(&r, "vary").to_ascii_lowercase(), "accept-encoding");
            let r = get_with(app, path, &[("accept-encoding", "br"), ("if-none-match", &format!("\"other\", W/{etag}"))]).await;
            assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{path}: lists and weak comparison");
            // The brotli ETag does not validate the identity variant, nor the other way round.
            let r = get_with(app, path, &[("if-none-match", &etag)]).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            let plain_etag = header(&r, "etag").to_owned();
            let r = get_with(app, path, &[("accept-encoding", "gzip"), ("if-none-match", &plain_etag)]).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert_eq!(header(&r, "content-encoding"), "gzip");
        }
        let latest = get_with(app, "/bodies/health/latest/list.kk.csv", &[("accept-encoding", "gzip")]).await;
        assert_eq!(header(&latest, "cache-control"), "public, max-age=300", "latest: a short lifetime");
        assert_eq!(header(&latest, "content-location"), "/bodies/health/editions/1/files/1.kk.csv");
        let r = get_with(app, "/bodies/health/latest/list.kk.csv", &[("accept-encoding", "gzip"), ("if-none-match", header(&latest, "etag"))]).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        assert_eq!(header(&r, "cache-control"), "public, max-age=300");
        for missing in ["/api/v1/bodies/health/editions/1/files/1.kk.csv.gz", "/api/v1/bodies/health/editions/2/files/2.kk.csv",
                        "/bodies/nope/editions/1/files/1.kk.csv"] {
            assert_eq!(get_with(app, missing, &[("accept-encoding", "br")]).await.status, StatusCode::NOT_FOUND, "{missing}");
        }
    }

    async fn files_are_read_from_the_database_once(db: TestDb) {
        let h = Health::new(db).await;
        h.include(complete_form("Рентген талдаушы")).await;
        h.publish().await;
        let app = &h.app;
        let before = app.state.caches.artifacts.stats();
        let path = "/api/v1/bodies/health/editions/1/files/1.ru.html";
        let first = get_with(app, path, &[("accept-encoding", "gzip")]).await;
        let after_first = app.state.caches.artifacts.stats();
        assert_eq!(after_first.misses, before.misses + 1);
        assert_eq!(after_first.entries, before.entries + 1);
        for accept in ["gzip", "br", ""] {
            get_with(app, path, &[("accept-encoding", accept)]).await;
        }
        get_with(app, "/bodies/health/editions/1/files/1.ru.html", &[]).await;
        let after = app.state.caches.artifacts.stats();
        assert_eq!(after.misses, after_first.misses, "served from memory");
        assert_eq!(after.hits, after_first.hits + 4);
        assert_eq!(get_with(app, path, &[("accept-encoding", "gzip")]).await.body, first.body);
    }

    async fn within_the_read_ttl_the_lists_are_answered_from_memory(db: TestDb) {
        // An hour, so that a change made behind the cache's back stays unseen for the whole test.
        let config = senim_web::Config { app: senim_app::Config { read_ttl: std::time::Duration::from_secs(3600), ..Default::default() }, ..Default::default() };
        let h = Health::with_app(TestApp::with_config(db, config).await, "a@example.kz").await;
        h.include(complete_form("Бірінші жүйе")).await;
        h.publish().await;
        let app = &h.app;
        let first = app.get("/bodies/health", None).await.text();
        let hits = app.get("/api/v1/search?q=", None).await;
        assert_eq!(header(&hits, "x-total-count"), "1");
        // Another instance publishes edition 2 (simulated: straight through the services, which drop
        // only the caches of the instance that publishes — here a second state on the same database).
        let other = senim_web::AppState::load(app.state.store.clone(), senim_web::Config::default()).await.unwrap();
        h.include(complete_form("Екінші жүйе")).await;
        let publisher = senim_store::users::by_email(&app.state.store, "p@health.kz").await.unwrap().unwrap();
        senim_web::services::publication::publish_as(&other, &publisher.id, "health", jiff::Timestamp::now())
            .await
            .unwrap();
        // This instance answers from memory: the page and the search do not ask the database.
        assert_eq!(app.get("/bodies/health", None).await.text(), first, "the page is the one checked last");
        assert_eq!(header(&app.get("/api/v1/search?q=", None).await, "x-total-count"), "1");
        let searched = app.get("/bodies/health?q=%D0%95%D0%BA%D1%96", None).await.text();
        assert!(!searched.contains("Екінші жүйе"), "a search reads the editions known a moment ago too");
        // A publication on this instance is seen at once.
        h.include(complete_form("Үшінші жүйе")).await;
        h.publish().await;
        let html = app.get("/bodies/health", None).await.text();
        assert!(html.contains("Үшінші жүйе") && html.contains("Екінші жүйе"));
        assert_eq!(header(&app.get("/api/v1/search?q=", None).await, "x-total-count"), "3");
    }

    async fn the_list_page_is_cached_for_anonymous_readers_and_a_new_edition_replaces_it(db: TestDb) {
        let h = Health::new(db).await;
        h.include(complete_form("Бірінші жүйе")).await;
        h.publish().await;
        let app = &h.app;
        let stats = || app.state.caches.pages.stats();
        let first = app.get("/bodies/health", None).await;
        assert_eq!(first.status, StatusCode::OK);
        let s1 = stats();
        let again = app.get("/bodies/health", None).await;
        assert_eq!(again.body, first.body);
        assert_eq!(stats().hits, s1.hits + 1, "the second reader gets the cached page");
        // Each language is its own page; a search is not cached.
        let ru = app.get("/bodies/health?lang=ru", None).await.text();
        assert!(ru.contains("lang=\"ru\""));
        assert_eq!(app.get("/bodies/health?lang=ru", None).await.text(), ru);
        let entries = stats().entries;
        app.get("/bodies/health?q=%D0%91%D1%96%D1%80", None).await;
        assert_eq!(stats().entries, entries, "searches are rendered each time");
        // A signed-in reader sees their own navigation, never a shared page.
        let cookie = app.sign_in("a@example.kz").await;
        let mine = app.get("/bodies/health", Some(&cookie)).await.text();
        assert!(mine.contains("/signout"));
        assert!(!app.get("/bodies/health", None).await.text().contains("/signout"));

        // A new inclusion changes the declared next update at once, before any edition.
        h.include(complete_form("Екінші жүйе")).await;
        let pending = app.get("/bodies/health", None).await.text();
        assert_ne!(pending.as_bytes(), first.body.as_slice());
        assert!(!pending.contains("күтілетін өзгеріс жоқ"), "the next update is declared");
        assert!(!pending.contains("Екінші жүйе"), "not yet published");
        // The new edition replaces the cached pages.
        h.publish().await;
        assert_eq!(stats().entries, 0, "publication drops the body's cached pages");
        let html = app.get("/bodies/health", None).await.text();
        assert!(html.contains("Екінші жүйе") && html.contains("Бірінші жүйе"));
        assert!(html.contains("/bodies/health/editions/2/files/2.kk.csv"));
        let ru = app.get("/bodies/health?lang=ru", None).await.text();
        assert!(ru.contains("/bodies/health/editions/2/files/2.ru.csv"));
    }
}
