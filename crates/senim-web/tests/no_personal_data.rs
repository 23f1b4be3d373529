//! No personal data in any public output (issues 5 and 7): every personal field of the seeded database
//! — applicants' addresses, contact persons, telephones and e-mails, signatories, a person's IIN, the
//! applicant's account, an error reporter's e-mail — holds a distinctive marker; then everything an
//! anonymous reader can get is fetched in kk, ru and en and searched for every marker: every page,
//! every API answer, every file of every edition (HTML, CSV, the XML inside each XLSX, the text of each
//! PDF, JSON), feeds and open-data descriptors, headers included.
//!
//! How the crawl stays complete: it is not a list kept by hand. The page routes are read from the
//! router's own source (`src/pages/mod.rs`, `src/api/mod.rs`; `src/lib.rs` must merge no other
//! router) and the API routes from the OpenAPI document the API router generates; every GET route is
//! fetched anonymously with every value its path parameters can take here. A new route is crawled
//! without touching this file; a route with a path parameter this file does not know fails the test
//! until `candidates` learns what to put there.
//!
//! Positive controls make the test able to fail: public markers (the system's name, the owner of
//! the organisation) must be found in every artifact kind, so a reader that extracts nothing (an XLSX
//! read as raw zip, a PDF without text) cannot pass silently.

mod common;
mod published;

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::routes::{self, Surface};
use common::*;
use published::Health;
use senim_store::dual_tests;
use serde_json::{Value, json};

/// Personal data: must appear nowhere public.
const PERSONAL: &[&str] = &[
    "PDMARK-LEGAL-ADDRESS",
    "PDMARK-ACTUAL-ADDRESS",
    "PDMARK-CONTACT-NAME",
    "PDMARK-CONTACT-POSITION",
    "pdmark-contact@marker.kz",
    "987 65 43",
    // The same telephone normalised (ten digits: no hash or id contains them by chance).
    "7019876543",
    "PDMARK-SIGNATORY",
    "PDMARK-IND-LEGAL",
    "PDMARK-IND-ACTUAL",
    "PDMARK-IND-CONTACT",
    "pdmark-ind@marker.kz",
    "PDMARK-IND-SIGNATORY",
    // A person's IIN (the individual applicant's); a legal entity's BIN is public.
    "880515300120",
    "pdmark-account@marker.kz",
    "pdmark-reporter@marker.kz",
];

/// Public on purpose: found in every artifact kind (the positive control).
const PUBLIC: &[&str] = &["PUBMARKSYSTEM", "PUBMARKOWNER"];

fn lang_text(s: &str) -> Value {
    json!({"kk": s, "ru": s, "en": s})
}

/// An Annex 1 form with texts in all three languages (so that English files exist too) and markers
/// in every personal field.
fn form(system: &str, owner: &str, bin_iin: &str, personal: [&str; 6]) -> Value {
    let [legal, actual, contact, position, email, signatory] = personal;
    json!({
        "body": "health",
        "applicant": {"role": "owner", "name": owner, "bin_iin": bin_iin,
            "legal_address": legal, "actual_address": actual,
            "contact": {"name": contact, "position": position, "phone": "+7 701 987 65 43", "email": email}},
        "system": {"name": lang_text(system), "purpose": lang_text("Диагностика"),
            "area": lang_text("Денсаулық сақтау"), "functionality": lang_text("Суреттерді талдау"),
            "conditions_of_use": lang_text("Дәрігердің бақылауымен"),
            "models": {"description": lang_text("Нейрондық желі"), "algorithm_type": "CNN", "external_models": false, "embedded_models": true},
            "data": {"categories": lang_text("Суреттер"), "sources": lang_text("Емханалар")}},
        "audit": {"auditor": lang_text("«Аудит» ЖШС"), "date": "2026-05-14", "conclusions": lang_text("Сәйкес келеді")},
        "copyright": {"certificate_number": "41001", "certificate_date": "2026-01-20", "author_contract": false},
        "declaration": {"confirmed": true, "signatory": signatory}
    })
}

/// What the seeded database holds that the crawl needs for path parameters.
struct Seeded {
    registry_numbers: Vec<String>,
    application_id: String,
    report_id: String,
    report_token: String,
    /// (edition, artifact names) of the health List.
    editions: Vec<(i64, Vec<String>)>,
}

async fn seed(h: &Health) -> Seeded {
    let org = form(
        "PUBMARKSYSTEM Рентген",
        "PUBMARKOWNER ЖШС",
        "971240001315",
        [
            "PDMARK-LEGAL-ADDRESS",
            "PDMARK-ACTUAL-ADDRESS",
            "PDMARK-CONTACT-NAME",
            "PDMARK-CONTACT-POSITION",
            "pdmark-contact@marker.kz",
            "PDMARK-SIGNATORY",
        ],
    );
    let person = form(
        "Жеке жүйе",
        "Жеке тұлға",
        "880515300120",
        [
            "PDMARK-IND-LEGAL",
            "PDMARK-IND-ACTUAL",
            "PDMARK-IND-CONTACT",
            "Маман",
            "pdmark-ind@marker.kz",
            "PDMARK-IND-SIGNATORY",
        ],
    );
    let kept = h.include(org).await;
    let excluded = h.include(person.clone()).await;
    assert_eq!(h.publish().await, 1);
    let path = format!("/api/v1/bodies/health/entries/{excluded}/exclude");
    let r = h.app.api("POST", &path, Some(&h.publisher), Some(json!({"reason": {"kk": "Иесінің өтініші"}}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let third = h
        .include(form(
            "Үшінші жүйе",
            "PUBMARKOWNER ЖШС",
            "971240001315",
            [
                "PDMARK-LEGAL-ADDRESS",
                "PDMARK-ACTUAL-ADDRESS",
                "PDMARK-CONTACT-NAME",
                "PDMARK-CONTACT-POSITION",
                "pdmark-contact@marker.kz",
                "PDMARK-SIGNATORY",
            ],
        ))
        .await;
    assert_eq!(h.publish().await, 2);
    // Still pending: an inclusion waiting for edition 3 (the List declares its due date).
    let pending = h.include(person).await;
    // A draft that never went anywhere.
    let r = h.app.api("POST", "/api/v1/applications", Some(&h.applicant), Some(json!({"body": "health"}))).await;
    let application_id = r.json()["id"].as_str().unwrap_or("x").to_owned();

    let r = h
        .app
        .api(
            "POST",
            &format!("/api/v1/bodies/health/entries/{kept}/reports"),
            None,
            Some(json!({"field": "owner", "description": "Иесінің атауы қате", "email": "pdmark-reporter@marker.kz"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(!r.text().contains("pdmark-reporter"), "the receipt is public too: {}", r.text());
    let receipt = r.json();
    let url = receipt["status_url"].as_str().unwrap();
    let report_token = url.rsplit('/').next().unwrap().to_owned();
    // A staff answer the reporter reads.
    let r = h
        .app
        .api(
            "POST",
            &format!("/api/v1/reports/{}/status", receipt["id"].as_str().unwrap()),
            Some(&h.reviewer),
            Some(json!({"status": "in_progress", "comment": "Тексеріп жатырмыз"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let mut editions = Vec::new();
    for n in [1, 2] {
        let m = h.app.get(&format!("/api/v1/bodies/health/editions/{n}/manifest"), None).await.json();
        let mut names: Vec<String> = m["manifest"]["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect();
        assert!(names.iter().any(|n| n.contains(".en.")), "English files exist: {names:?}");
        names.push(format!("{n}.json"));
        editions.push((n, names));
    }
    Seeded {
        registry_numbers: vec![kept, excluded, third, pending],
        application_id,
        report_id: receipt["id"].as_str().unwrap().to_owned(),
        report_token,
        editions,
    }
}

/// The values a path parameter takes in the crawl, given the values chosen so far. Unknown names
/// panic: a new route with a new parameter must be taught here.
fn candidates(route: &str, param: &str, chosen: &HashMap<String, String>, s: &Seeded) -> Vec<String> {
    let v = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    match param {
        "code" => v(&["health", "finance", "nope"]),
        "n" => v(&["1", "2", "3"]),
        "name" => {
            let n: i64 = chosen.get("n").and_then(|n| n.parse().ok()).unwrap_or(0);
            let mut names =
                s.editions.iter().find(|(e, _)| *e == n).map(|(_, names)| names.clone()).unwrap_or_default();
            names.push(format!("{n}.kk.exe"));
            names
        }
        "file" => {
            let mut out = Vec::new();
            for lang in ["kk", "ru", "en"] {
                for ext in ["html", "csv", "xlsx", "pdf", "json"] {
                    out.push(format!("list.{lang}.{ext}"));
                }
            }
            out
        }
        // `/api/v1/id/{number}` checks a BIN/IIN: it answers about whatever number it is given.
        "number" if route.starts_with("/api/v1/id/") => v(&["971240001315"]),
        "number" | "registry_number" => {
            let mut out = s.registry_numbers.clone();
            out.push("HEALTH-1999-0001".into());
            out
        }
        "token" | "key" => vec![s.report_token.clone(), "x".into()],
        "id" => vec![s.application_id.clone(), s.report_id.clone(), "x".into()],
        "aid" | "member" => v(&["x"]),
        "section" => v(&["applicant", "system"]),
        "year" => v(&["2026"]),
        "lang" => v(&["kk", "ru", "en"]),
        other => panic!("route {route}: the crawl does not know what to put in {{{other}}}; add it to `candidates`"),
    }
}

/// The readable text of a response: as is for text, the XML parts of an XLSX, the text of a PDF.
fn readable(path: &str, body: &[u8], extracted: &mut HashMap<Vec<u8>, String>) -> String {
    if let Some(t) = extracted.get(body) {
        return t.clone();
    }
    let text = if body.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(Cursor::new(body)).unwrap_or_else(|e| panic!("{path}: not a zip: {e}"));
        let mut all = String::new();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut s = String::new();
            if part.read_to_string(&mut s).is_ok() {
                all.push_str(&s);
                all.push('\n');
            }
        }
        all
    } else if body.starts_with(b"%PDF-") {
        pdf_extract::extract_text_from_mem(body).unwrap_or_else(|e| panic!("{path}: PDF text: {e}"))
    } else {
        String::from_utf8_lossy(body).into_owned()
    };
    extracted.insert(body.to_vec(), text.clone());
    text
}

fn with_lang(path: &str, lang: &str) -> String {
    if path.contains('?') { format!("{path}&lang={lang}") } else { format!("{path}?lang={lang}") }
}

dual_tests! {
    async fn no_personal_data_appears_in_any_public_output(db: TestDb) {
        let h = Health::with_app(TestApp::new(db).await, "pdmark-account@marker.kz").await;
        let seeded = seed(&h).await;
        let app = &h.app;
        let (pages, api) = (routes::get_paths(Surface::Pages), routes::get_paths(Surface::Api));
        assert!(api.iter().any(|p| p.ends_with("/files/{name}")), "{api:?}");

        let mut urls: Vec<(String, bool)> = Vec::new();
        for route in &pages {
            urls.extend(routes::expand(route, &|p, chosen| candidates(route, p, chosen, &seeded)).into_iter().map(|u| (u, false)));
        }
        for route in &api {
            urls.extend(routes::expand(route, &|p, chosen| candidates(route, p, chosen, &seeded)).into_iter().map(|u| (u, true)));
        }
        // Query variants of the pages and calls that take one.
        for extra in ["/bodies/health?q=PUBMARK", "/bodies/health?sort=owner&dir=desc&area=x&year=2026", "/lists?q=PUBMARK",
                      "/lists?body=health&sort=date", "/bodies/health/editions/diff?from=1&to=2", "/lang/ru?next=/bodies/health"] {
            urls.push((extra.to_owned(), false));
        }
        for extra in ["/api/v1/search?q=", "/api/v1/search?q=PUBMARK", "/api/v1/search?q=971240001315"] {
            urls.push((extra.to_owned(), true));
        }

        let mut leaks = BTreeSet::new();
        let mut fetched = 0;
        let mut ok = 0;
        let mut extracted: HashMap<Vec<u8>, String> = HashMap::new();
        let mut public_seen: HashMap<&str, BTreeSet<String>> = HashMap::new();
        for (url, is_api) in &urls {
            for lang in ["kk", "ru", "en"] {
                let mut req = Request::builder().uri(if *is_api { url.clone() } else { with_lang(url, lang) });
                req = req.header("accept-language", lang);
                let r = app.send(req.body(Body::empty()).unwrap()).await;
                fetched += 1;
                if r.status == StatusCode::OK {
                    ok += 1;
                }
                let mut text = readable(url, &r.body, &mut extracted);
                for (k, v) in &r.headers {
                    text.push_str(&format!("\n{k}: {}", String::from_utf8_lossy(v.as_bytes())));
                }
                for marker in PERSONAL {
                    if text.contains(marker) || r.body.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                        leaks.insert(format!("{url} [{lang}] shows {marker}"));
                    }
                }
                let kind = url.rsplit('.').next().unwrap_or("").to_owned();
                for marker in PUBLIC {
                    if r.status == StatusCode::OK && text.contains(marker) {
                        public_seen.entry(marker).or_default().insert(kind.clone());
                    }
                }
            }
        }
        // The one public answer to a POST that shows stored data: /verify names the edition a file is from.
        for (n, names) in &seeded.editions {
            for name in names.iter().filter(|n| n.ends_with(".pdf")) {
                let file = app.get(&format!("/api/v1/bodies/health/editions/{n}/files/{name}"), None).await;
                let r = app.upload("/verify", Auth::Cookie(None), "file", name, &file.body).await;
                assert_eq!(r.status, StatusCode::OK, "/verify {name}");
                assert!(r.text().contains(name.as_str()), "/verify recognises {name}");
                for marker in PERSONAL {
                    if r.text().contains(marker) {
                        leaks.insert(format!("/verify with {name} shows {marker}"));
                    }
                }
            }
        }
        eprintln!("crawled {fetched} responses ({ok} answered 200) from {} URLs", urls.len());
        assert!(leaks.is_empty(), "personal data in public output:\n{}", leaks.into_iter().collect::<Vec<_>>().join("\n"));
        // The crawl really read the Lists: every artifact kind showed the public markers.
        for marker in PUBLIC {
            let seen = &public_seen[marker];
            for kind in ["html", "csv", "xlsx", "pdf", "json"] {
                assert!(seen.contains(kind), "{marker} not found in any .{kind}: the reader of that kind sees nothing ({seen:?})");
            }
        }
        assert!(ok > 300, "{ok} of {fetched} requests answered 200: the crawl did not reach the Lists");
        // The staff do see what the public must not: the markers are really in the database.
        let staff = app.api("GET", "/api/v1/bodies/health/reports", Some(&h.reviewer), None).await.text();
        assert!(staff.contains("pdmark-reporter@marker.kz"));
    }
}
