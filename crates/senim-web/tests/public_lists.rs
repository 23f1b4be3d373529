//! The public side of the Lists: stable "latest" files, feeds and open-data descriptors, the declared
//! next update, entry pages, edition history and diffs, search and Kazakh sorting — on both databases,
//! and never a byte of personal data.

mod common;

use axum::http::StatusCode;
use common::*;
use senim_store::dual_tests;
use serde_json::json;

use common::health::Health;

/// A public page that must answer and carry no personal data.
async fn page(h: &Health, path: &str) -> String {
    let r = h.app.get(path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    let text = r.text();
    assert_no_personal_data(path, &text);
    text
}

fn assert_no_personal_data(path: &str, text: &str) {
    for private in PRIVATE {
        assert!(!text.contains(private), "{path} leaks {private}");
    }
}

dual_tests! {
    async fn latest_files_are_the_current_editions_bytes_with_a_short_cache(db: TestDb) {
        let h = Health::new(db).await;
        h.include(complete_form("Рентген талдаушы")).await;
        assert_eq!(h.publish().await, 1);
        let app = &h.app;
        for (latest, fixed) in [
            ("list.kk.csv", "1.kk.csv"), ("list.ru.html", "1.ru.html"), ("list.kk.xlsx", "1.kk.xlsx"),
            ("list.ru.pdf", "1.ru.pdf"), ("list.kk.json", "1.json"),
        ] {
            let r = app.get(&format!("/bodies/health/latest/{latest}"), None).await;
            assert_eq!(r.status, StatusCode::OK, "{latest}");
            let f = app.get(&format!("/api/v1/bodies/health/editions/1/files/{fixed}"), None).await;
            assert_eq!(r.body, f.body, "{latest} is {fixed}");
            assert_eq!(header(&r, "cache-control"), "public, max-age=300");
            assert_eq!(header(&r, "content-location"), format!("/bodies/health/editions/1/files/{fixed}"));
            assert_eq!(header(&r, "etag"), header(&f, "etag"));
        }
        assert!(app.get("/bodies/health/latest/list.kk.pdf", None).await.body.starts_with(b"%PDF-"));
        // No English texts, so no English files; unknown formats and bodies are 404.
        for missing in ["/bodies/health/latest/list.en.csv", "/bodies/health/latest/list.kk.exe", "/bodies/nope/latest/list.kk.csv",
                        "/bodies/finance/latest/list.kk.csv", "/bodies/finance/datapackage.json"] {
            assert_eq!(app.get(missing, None).await.status, StatusCode::NOT_FOUND, "{missing}");
        }

        // A new edition moves "latest" on.
        h.include(complete_form("Екінші жүйе")).await;
        assert_eq!(h.publish().await, 2);
        let r = app.get("/bodies/health/latest/list.kk.csv", None).await;
        assert!(r.text().contains("Екінші жүйе"));
        assert_eq!(header(&r, "content-location"), "/bodies/health/editions/2/files/2.kk.csv");
    }

    async fn feeds_and_descriptors_describe_the_published_editions(db: TestDb) {
        let h = Health::new(db).await;
        h.include(complete_form("Рентген талдаушы")).await;
        h.publish().await;
        h.include(complete_form("Екінші жүйе")).await;
        h.publish().await;
        let app = &h.app;

        let r = app.get("/bodies/health/feed.atom", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(header(&r, "content-type"), "application/atom+xml; charset=utf-8");
        let feed = r.text();
        assert_no_personal_data("feed", &feed);
        assert!(feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert_eq!(feed.matches("<entry>").count(), 2);
        assert!(feed.contains("/api/v1/bodies/health/editions/2/manifest</id>"));
        // Newest first, in the reader's language.
        assert!(feed.find("editions/2/manifest").unwrap() < feed.find("editions/1/manifest").unwrap());
        assert!(feed.contains("1 қосылды"), "{feed}");
        let en = app.get("/bodies/health/feed.atom?lang=en", None).await.text();
        assert!(en.contains("1 added"), "{en}");
        let all = app.get("/feed.atom", None).await.text();
        assert_eq!(all.matches("<entry>").count(), 2);
        assert!(all.contains("<category term=\"health\""));
        assert_eq!(app.get("/bodies/nope/feed.atom", None).await.status, StatusCode::NOT_FOUND);
        // A body without editions has a valid, empty feed.
        let empty = app.get("/bodies/finance/feed.atom", None).await;
        assert_eq!(empty.status, StatusCode::OK);
        assert_eq!(empty.text().matches("<entry>").count(), 0);

        let r = app.get("/bodies/health/datapackage.json", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_no_personal_data("datapackage", &r.text());
        let package = r.json();
        assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
        let resources = package["resources"].as_array().unwrap();
        assert_eq!(resources.len(), 2, "kk and ru CSV");
        let path = resources[0]["path"].as_str().unwrap();
        assert!(path.starts_with("http://") && path.ends_with("/api/v1/bodies/health/editions/2/files/2.kk.csv"), "{path}");
        let csv = app.get("/api/v1/bodies/health/editions/2/files/2.kk.csv", None).await;
        assert_eq!(resources[0]["bytes"], csv.body.len());

        let r = app.get("/bodies/health/dcat.jsonld", None).await;
        assert_eq!(header(&r, "content-type"), "application/ld+json");
        let dcat = r.json();
        assert_eq!(dcat["dct:license"]["@id"], "https://creativecommons.org/licenses/by/4.0/");
        let urls: Vec<&str> = dcat["dcat:distribution"].as_array().unwrap().iter().map(|d| d["dcat:downloadURL"]["@id"].as_str().unwrap()).collect();
        assert!(urls.iter().any(|u| u.ends_with("/bodies/health/latest/list.kk.pdf")), "{urls:?}");
        // Every distribution URL is served.
        for url in urls {
            let path = &url[url.find("/bodies/").unwrap()..];
            assert_eq!(app.get(path, None).await.status, StatusCode::OK, "{path}");
        }
    }

    async fn the_list_page_links_open_data_and_declares_the_next_update(db: TestDb) {
        let h = Health::new(db).await;
        let html = page(&h, "/bodies/health").await;
        assert!(html.contains("күтілетін өзгеріс жоқ"), "nothing pending before any inclusion");
        assert!(html.contains(r#"<link rel="alternate" type="application/atom+xml" href="/bodies/health/feed.atom""#));

        let number = h.include(complete_form("Рентген талдаушы")).await;
        let pending = h.app.api("GET", "/api/v1/bodies/health/pending", Some(&h.publisher), None).await.json();
        let due = pending[0]["publication_due_on"].as_str().unwrap().to_owned();
        let html = page(&h, "/bodies/health").await;
        assert!(html.contains(&format!("келесі редакция {due} күнінен кешіктірілмей")), "due date declared");
        let ru = page(&h, "/bodies/health?lang=ru").await;
        assert!(ru.contains(&format!("не позднее {due}")));

        h.publish().await;
        let html = page(&h, "/bodies/health").await;
        assert!(html.contains("күтілетін өзгеріс жоқ"));
        for link in ["/bodies/health/latest/list.kk.pdf", "/bodies/health/latest/list.ru.csv", "/bodies/health/datapackage.json",
                     "/bodies/health/dcat.jsonld", "/bodies/health/feed.atom", "/bodies/health/editions/1/files/1.kk.pdf",
                     &format!("/bodies/health/entries/{number}")] {
            assert!(html.contains(&format!("href=\"{link}\"")), "no link to {link}");
        }
        assert!(!html.contains("list.en."), "no English files to link");

        h.exclude(&number, "Иесінің өтініші").await;
        let html = page(&h, "/bodies/health").await;
        assert!(html.contains("келесі редакцияны күтетін өзгерістер бар"), "an exclusion has no deadline");
    }

    async fn entry_pages_show_fields_history_and_proof_and_outlive_exclusion(db: TestDb) {
        let h = Health::new(db).await;
        let kept = h.include(complete_form("Қалатын жүйе")).await;
        let gone = h.include(complete_form("Кететін жүйе")).await;
        let pending_path = format!("/bodies/health/entries/{gone}");
        assert_eq!(h.app.get(&pending_path, None).await.status, StatusCode::NOT_FOUND, "not public before its edition");
        h.publish().await;
        let list = page(&h, "/bodies/health").await;
        assert!(list.contains(&format!("<a href=\"/bodies/health/entries/{kept}\">Қалатын жүйе</a>")));

        let html = page(&h, &format!("/bodies/health/entries/{kept}")).await;
        assert!(html.contains("<h1>Қалатын жүйе</h1>"));
        for field in ["Жасанды интеллект жүйесінің қолдану саласы (аясы)", "Денсаулық сақтау", "«Аудит» ЖШС, 2026-05-14, Сәйкес келеді",
                      "971240001315", "1-редакцияда"] {
            assert!(html.contains(field), "entry page lacks {field}");
        }
        let proof_url = format!("/api/v1/bodies/health/editions/1/proof/{kept}");
        assert!(html.contains(&format!("href=\"{proof_url}\"")));
        let proof = h.app.get(&proof_url, None).await.json();
        let manifest = h.app.get("/api/v1/bodies/health/editions/1/manifest", None).await.json();
        assert!(html.contains(manifest["manifest"]["entries"]["merkle_root"].as_str().unwrap()), "root shown");
        for step in proof["path"].as_array().unwrap() {
            assert!(html.contains(step.as_str().unwrap()), "audit path shown");
        }
        let en = page(&h, &format!("/bodies/health/entries/{kept}?lang=en")).await;
        assert!(en.contains("Area (sphere) of use") && en.contains("Added to the List in edition 1"));

        h.exclude(&gone, "Иесінің өтініші бойынша").await;
        h.publish().await;
        let html = page(&h, &format!("/bodies/health/entries/{gone}")).await;
        assert!(html.contains("<h1>Кететін жүйе</h1>"), "an excluded entry stays readable");
        assert!(html.contains("тізбеден алынып тасталды"));
        assert!(html.contains("2-редакцияда") && html.contains("Себебі: Иесінің өтініші бойынша"));
        assert!(html.contains(&format!("/api/v1/bodies/health/editions/1/proof/{gone}")), "proof from the last edition holding it");
        let ru = page(&h, &format!("/bodies/health/entries/{gone}?lang=ru")).await;
        assert!(ru.contains("Исключена из перечня в редакции № 2"));
        assert!(!page(&h, "/bodies/health").await.contains("Кететін жүйе"));
        // Entry pages read an entry's history from the manifests' changes: each edition's entries must be
        // exactly the previous edition's, plus those added, less those excluded.
        let mut held: std::collections::BTreeSet<String> = Default::default();
        for n in 1..=2 {
            let file = h.app.get(&format!("/bodies/health/editions/{n}/files/{n}.json"), None).await.json();
            let changes = &file["manifest"]["changes"];
            for x in changes["excluded"].as_array().unwrap() {
                held.remove(x["registry_number"].as_str().unwrap());
            }
            held.extend(changes["added"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()));
            let entries: std::collections::BTreeSet<String> = file["entries"].as_array().unwrap().iter()
                .map(|e| e["registry_number"].as_str().unwrap().to_owned()).collect();
            assert_eq!(entries, held, "edition {n}");
        }
        // An entry held by both editions: its proof is from the current one, and it was added once.
        let kept_now = page(&h, &format!("/bodies/health/entries/{kept}?lang=en")).await;
        assert!(kept_now.contains(&format!("href=\"/api/v1/bodies/health/editions/2/proof/{kept}\"")), "{kept_now}");
        assert_eq!(kept_now.matches("Added to the List in edition").count(), 1);
        let proof = h.app.get(&format!("/api/v1/bodies/health/editions/2/proof/{kept}"), None).await.json();
        for step in proof["path"].as_array().unwrap() {
            assert!(kept_now.contains(step.as_str().unwrap()), "the page's audit path is the API's");
        }
        assert_eq!(h.app.get("/bodies/health/entries/HEALTH-2026-9999", None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(h.app.get(&format!("/bodies/finance/entries/{kept}"), None).await.status, StatusCode::NOT_FOUND);
    }

    async fn edition_history_and_diff_between_any_two_editions(db: TestDb) {
        let h = Health::new(db).await;
        assert!(page(&h, "/bodies/health/editions").await.contains("Редакция әлі жарияланған жоқ"));
        assert_eq!(h.app.get("/bodies/health/editions/diff", None).await.status, StatusCode::NOT_FOUND);
        let first = h.include(complete_form("Бірінші жүйе")).await;
        h.publish().await;
        let second = h.include(complete_form("Екінші жүйе")).await;
        h.publish().await;
        h.exclude(&first, "Мерзімі өтті").await;
        h.publish().await;

        let html = page(&h, "/bodies/health/editions").await;
        for n in 1..=3 {
            assert!(html.contains(&format!("id=\"edition-{n}\"")), "edition {n} listed");
            let m = h.app.get(&format!("/api/v1/bodies/health/editions/{n}/manifest"), None).await.json();
            let sha = senim_publish::manifest::Manifest::sha256_hex(&serde_json::from_value(m["manifest"].clone()).unwrap());
            assert!(html.contains(&sha), "manifest hash of edition {n}");
            assert!(html.contains(&format!("/bodies/health/editions/{n}/files/{n}.kk.pdf")));
            assert!(html.contains(&format!("/bodies/health/editions/{n}/files/{n}.json")));
        }
        assert!(html.find("edition-3").unwrap() < html.find("edition-1").unwrap(), "newest first");
        // Edition 3: 1 entry, nothing added or amended, one excluded.
        assert!(html.contains("<th scope=\"row\">3</th><td>"), "{html}");
        let row3 = &html[html.find("id=\"edition-3\"").unwrap()..];
        assert!(row3.contains("<td>1</td><td>0</td><td>0</td><td>1</td>"), "counts of edition 3");

        let diff = page(&h, "/bodies/health/editions/diff?from=1&to=3").await;
        let added = &diff[diff.find("Қосылған жазбалар").unwrap()..diff.find("Алынып тасталған жазбалар").unwrap()];
        assert!(added.contains(&second) && !added.contains(&first));
        let removed = &diff[diff.find("Алынып тасталған жазбалар").unwrap()..diff.find("Өзгертілген жазбалар").unwrap()];
        assert!(removed.contains(&first) && !removed.contains(&second));
        assert!(diff.contains("<option value=\"1\" selected>"));
        // Default: the previous and the current edition; either order works.
        let default = page(&h, "/bodies/health/editions/diff").await;
        assert!(default.contains("2-редакция мен 3-редакцияның айырмашылығы"));
        let back = page(&h, "/bodies/health/editions/diff?from=3&to=1").await;
        let added_back = &back[back.find("Қосылған жазбалар").unwrap()..back.find("Алынып тасталған жазбалар").unwrap()];
        assert!(added_back.contains(&first));
        for bad in ["?from=9&to=1", "?from=x&to=1"] {
            let r = h.app.get(&format!("/bodies/health/editions/diff{bad}"), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        }
    }

    async fn the_list_page_searches_filters_and_sorts_in_kazakh_order(db: TestDb) {
        let h = Health::new(db).await;
        let mut numbers = Vec::new();
        for name in ["Ірі жүйе", "Үлкен жүйе", "Ақ жүйе", "Ұлы жүйе"] {
            let mut form = complete_form(name);
            if name == "Ақ жүйе" {
                form["system"]["area"] = json!({"kk": "Білім беру"});
            }
            numbers.push(h.include(form).await);
        }
        h.publish().await;
        let order = |html: &str, names: &[&str]| {
            let at: Vec<usize> = names.iter().map(|n| html.find(&format!(">{n}</a>")).unwrap_or_else(|| panic!("{n} missing"))).collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "order {names:?}");
        };
        let html = page(&h, "/bodies/health?sort=name").await;
        order(&html, &["Ақ жүйе", "Ұлы жүйе", "Үлкен жүйе", "Ірі жүйе"]);
        assert!(html.contains(r#"aria-sort="ascending"><a href="?sort=name&#38;dir=desc">"#));
        assert!(html.contains(r#"<th scope="col" aria-sort="none"><a href="?sort=owner&#38;dir=asc">"#));
        assert!(html.contains(r#"<label for="search-q">"#) && html.contains("<caption>"));
        let html = page(&h, "/bodies/health?sort=name&dir=desc").await;
        order(&html, &["Ірі жүйе", "Үлкен жүйе", "Ұлы жүйе", "Ақ жүйе"]);
        assert!(html.contains(r#"aria-sort="descending""#));

        let html = page(&h, &format!("/bodies/health?q={}", enc("ІРІ"))).await;
        assert!(html.contains(">Ірі жүйе</a>") && !html.contains(">Ақ жүйе</a>"));
        assert!(html.contains("4 жазбаның 1 жазбасы табылды"), "count shown");
        let html = page(&h, &format!("/bodies/health?q={}", numbers[3])).await;
        assert!(html.contains(">Ұлы жүйе</a>") && !html.contains(">Ірі жүйе</a>"));
        let html = page(&h, "/bodies/health?q=971240001315&lang=ru").await;
        assert!(html.contains("Найдено записей: 4 из 4"), "BIN matches every entry of the owner");
        let html = page(&h, &format!("/bodies/health?area={}", enc("Білім беру"))).await;
        assert!(html.contains(">Ақ жүйе</a>") && !html.contains(">Ұлы жүйе</a>"));
        assert!(html.contains("<option selected>Білім беру</option>"));
        let html = page(&h, "/bodies/health?year=1999").await;
        assert!(html.contains("Сұрауға сәйкес жазба табылмады."));
        assert!(!html.contains("<table"));
        let html = page(&h, "/bodies/health?q=жоқ-мұндай&sort=bogus&dir=sideways").await;
        assert!(html.contains("Сұрауға сәйкес жазба табылмады."));

        let hits = h.app.get("/api/v1/search?q=971240001315", None).await.json();
        assert_eq!(hits.as_array().unwrap().len(), 4, "the API finds by BIN too");
        let hits = h.app.get(&format!("/api/v1/search?q={}", numbers[0]), None).await.json();
        assert_eq!(hits.as_array().unwrap().len(), 1);
    }

    async fn long_lists_are_read_a_page_at_a_time_on_the_pages_and_through_the_api(db: TestDb) {
        let h = Health::new(db).await;
        let seeded = senim_web::services::seed::seed(&h.app.state, "health", 230, &|_, _, _| {}).await.unwrap();
        let rows = |html: &str| html.matches(r#"<tr id=""#).count();
        let html = page(&h, "/bodies/health").await;
        assert_eq!(rows(&html), 100, "a page of the List holds 100 rows");
        assert!(html.contains("1–100 жазбалар көрсетілген") && html.contains("1-бет, барлығы 3 бет"), "where the reader is");
        assert!(html.contains(r#"<a href="?page=2" rel="next">"#) && !html.contains(r#"rel="prev""#));
        assert!(html.contains("230 жазбаның 230 жазбасы табылды"));
        let last = page(&h, "/bodies/health?page=3").await;
        assert_eq!(rows(&last), 30);
        assert!(last.contains("201–230") && last.contains(r#"<a href="?page=2" rel="prev">"#) && !last.contains(r#"rel="next""#));
        assert_eq!(page(&h, "/bodies/health?page=99").await, last, "past the end is the last page");
        assert_eq!(page(&h, "/bodies/health?page=bogus").await, html, "not a number is the first page");
        let second = page(&h, "/bodies/health?page=2").await;
        assert!(rows(&second) == 100 && second != html && second != last, "each page cached as its own");
        // Every entry is on exactly one page, in edition order.
        let ids = |html: &str| -> Vec<String> {
            html.split(r#"<tr id=""#).skip(1).map(|s| s[..s.find('"').unwrap()].to_owned()).collect()
        };
        let all: Vec<String> = [&html, &second, &last].iter().flat_map(|p| ids(p)).collect();
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((all.len(), unique.len()), (230, 230));
        // Filters and the order carry over to the next page; a new sort starts again at page 1.
        let sorted = page(&h, "/bodies/health?sort=name&dir=desc").await;
        assert!(sorted.contains(r#"<a href="?sort=name&#38;dir=desc&#38;page=2" rel="next">"#));
        assert!(sorted.contains(r#"<a href="?sort=name&#38;dir=asc">"#), "sort links carry no page");
        let national = page(&h, "/lists?body=health&page=3").await;
        assert_eq!(rows(&national), 30, "the national List pages the same way");

        // The API: 20 hits unless asked, the total in a header, a link to the next page.
        let r = h.app.get("/api/v1/search?q=", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json().as_array().unwrap().len(), 20);
        assert_eq!(header(&r, "x-total-count"), "230");
        assert_eq!(header(&r, "link"), r#"</api/v1/search?q=&limit=20&offset=20>; rel="next""#);
        let r = h.app.get("/api/v1/search?q=&limit=100&offset=200", None).await;
        let hits = r.json();
        let hits = hits.as_array().unwrap();
        assert_eq!(hits.len(), 30, "the last page");
        assert_eq!(header(&r, "link"), "", "no next page after the last");
        assert_eq!(hits[0]["entry"]["position"], 201);
        assert_eq!(hits[0]["edition"], seeded.edition);
        for (bad, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset")] {
            let r = h.app.get(&format!("/api/v1/search?q=&{bad}"), None).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert_eq!(header(&r, "content-type"), "application/problem+json", "{bad}");
            assert_eq!(r.json()["errors"][0]["field"], field, "{bad}");
        }
        let r = h
            .app
            .send(
                axum::http::Request::get("/api/v1/search?q=&limit=0&offset=x")
                    .header("accept-language", "ru")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        let errors = r.json()["errors"].clone();
        assert_eq!(errors.as_array().unwrap().len(), 2, "both bad values named at once");
        assert_eq!(errors[0]["message"], "Введите целое число от 1 до 500", "translated");

        // A page that spans two bodies (in order of their codes: finance before health), and every
        // hit on exactly one page when paging through all of them, asked once and again (from memory).
        senim_web::services::seed::seed(&h.app.state, "finance", 30, &|_, _, _| {}).await.unwrap();
        let r = h.app.get("/api/v1/search?q=&limit=10&offset=25", None).await;
        assert_eq!(header(&r, "x-total-count"), "260");
        let spans: Vec<(String, i64)> = r.json().as_array().unwrap().iter()
            .map(|hit| (hit["body"].as_str().unwrap().to_owned(), hit["entry"]["position"].as_i64().unwrap()))
            .collect();
        let expected: Vec<(String, i64)> = (26..=30).map(|n| ("finance".to_owned(), n))
            .chain((1..=5).map(|n| ("health".to_owned(), n))).collect();
        assert_eq!(spans, expected);
        for _ in 0..2 {
            let mut seen = Vec::new();
            for offset in (0..260).step_by(7) {
                let r = h.app.get(&format!("/api/v1/search?q=&limit=7&offset={offset}"), None).await;
                for hit in r.json().as_array().unwrap() {
                    seen.push(hit["entry"]["registry_number"].as_str().unwrap().to_owned());
                }
            }
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!((seen.len(), unique.len()), (260, 260));
        }
    }

    async fn the_national_list_gathers_every_body_with_the_same_search(db: TestDb) {
        let h = Health::new(db).await;
        assert!(page(&h, "/").await.contains(r#"<a href="/lists">"#), "linked from the home page");
        let html = page(&h, "/lists").await;
        assert!(html.contains("Сұрауға сәйкес жазба табылмады."), "nothing published yet");
        for name in ["Ірі жүйе", "Ақ жүйе"] {
            h.include(complete_form(name)).await;
        }
        h.publish().await;
        let html = page(&h, "/lists?sort=name").await;
        let (a, i) = (html.find(">Ақ жүйе</a>").unwrap(), html.find(">Ірі жүйе</a>").unwrap());
        assert!(a < i, "Kazakh order");
        assert!(html.contains(r#"<a href="/bodies/health/entries/"#), "rows link to their body's entries");
        assert!(html.contains(r#"<label for="search-body">"#) && html.contains(r#"<option value="health">"#));
        assert!(html.contains("2 жазбаның 2 жазбасы табылды"));
        let html = page(&h, "/lists?body=health&q=%D0%90%D2%9B").await;
        assert!(html.contains(">Ақ жүйе</a>") && !html.contains(">Ірі жүйе</a>"));
        assert!(html.contains(r#"<option value="health" selected>"#));
        let html = page(&h, "/lists?body=finance&lang=en").await;
        assert!(html.contains("No entries match the search."));
    }

    async fn printed_lists_repeat_headers_and_hide_navigation_and_forms(db: TestDb) {
        let app = TestApp::new(db).await;
        let css = app.get("/static/style.css", None).await.text();
        let print = &css[css.find("@media print").expect("print styles")..];
        for rule in ["thead { display: table-header-group; }", "form { display: none; }", "a[href]::after { content: none", "width: 100%"] {
            assert!(print.contains(rule), "print styles lack {rule}");
        }
    }

    async fn verify_names_the_edition_a_published_file_belongs_to(db: TestDb) {
        let h = Health::new(db).await;
        assert!(page(&h, "/").await.contains(r#"<a href="/verify">"#), "linked from the footer");
        let form = page(&h, "/verify").await;
        assert!(form.contains(r#"enctype="multipart/form-data""#) && form.contains(r#"<label for="verify-file">"#));
        h.include(complete_form("Тексерілетін жүйе")).await;
        h.publish().await;
        let csv = h.app.get("/bodies/health/editions/1/files/1.kk.csv", None).await.body;
        let r = h.app.upload("/verify", Auth::Cookie(None), "", "list.csv", &csv).await;
        assert_eq!(r.status, StatusCode::OK);
        let html = r.text();
        assert!(html.contains("Бұл файл мына жарияланған редакцияның файлы"), "{html}");
        assert!(html.contains(r#"<a href="/bodies/health/editions/1/files/1.kk.csv">1.kk.csv</a>"#));
        assert_no_personal_data("/verify", &html);

        let html = h.app.upload("/verify", Auth::Cookie(None), "", "other.pdf", &pdf("басқа")).await.text();
        assert!(html.contains("Бұл файл жарияланған бірде-бір редакцияға сәйкес келмейді."));
        let html = h.app.upload("/verify", Auth::Cookie(None), "", "x.exe", b"MZ").await.text();
        assert!(html.contains("Тек PDF, CSV, XLSX, HTML немесе JSON"));
    }
}
