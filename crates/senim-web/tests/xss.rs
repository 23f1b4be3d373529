//! Markup typed by applicants, reviewers, publishers and readers never runs in anyone's browser (issue 6,
//! item 5). Every text field that is published or shown to someone — the system's name, purpose, area,
//! functionality and conditions of use in kk/ru/en, the owner, the auditor and the conclusions, the
//! reviewer's comments, the reasons of an amendment and of an exclusion, an error report and the staff's
//! answer — holds script, an attribute breakout, a `javascript:` URL and template syntax; the entry is
//! included, published, amended, and another excluded; then every GET route of the application (read from
//! the router's source and the OpenAPI document, as `no_personal_data.rs` does) is fetched anonymously and
//! as the applicant, the reviewer, the publisher and the administrator, with every edition file.
//!
//! Every HTML or XML answer must show the markup only escaped, put no `javascript:` URL into an attribute,
//! and carry a Content-Security-Policy without inline script. Positive controls: each field's marker is
//! found (escaped) in some HTML page, and the HTML artifact of the edition shows the system's name, so a
//! crawl that reached nothing cannot pass.
//!
//! CSV cells are data: the renderer writes text verbatim (its documented layout, `csv_artifact.rs`), and
//! this test pins that a cell starting with `=` is kept as typed rather than silently rewritten.

mod common;
mod published;

use std::collections::{BTreeSet, HashMap};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::routes::{self, Surface};
use common::*;
use published::Health;
use senim_domain::role::Role;
use senim_store::dual_tests;
use serde_json::{Value, json};

/// What an attacker types, after a marker naming the field (`XSS-name-kk`).
fn payload(tag: &str) -> String {
    format!(
        "XSS-{tag} <script>alert(1)</script> \"><img src=x onerror=alert(1)> 'onmouseover='alert(1) javascript:alert(1) {{{{ 7*7 }}}}"
    )
}

/// The same text as a whole field value that could become a link or a spreadsheet formula.
fn link_payload(tag: &str) -> String {
    format!("javascript:alert('{tag}')//XSS-{tag}")
}

/// Strings whose presence in an HTML or XML answer means the markup was not escaped.
const RAW: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "\"><img",
    "'onmouseover='",
    "href=\"javascript:",
    "src=\"javascript:",
    "action=\"javascript:",
    "href='javascript:",
    "href=javascript:",
];

fn lang_map(field: &str) -> Value {
    json!({"kk": payload(&format!("{field}-kk")), "ru": payload(&format!("{field}-ru")), "en": payload(&format!("{field}-en"))})
}

fn form(field_prefix: &str) -> Value {
    let f = |name: &str| lang_map(&format!("{field_prefix}{name}"));
    json!({
        "body": "health",
        "applicant": {"role": "owner", "name": payload(&format!("{field_prefix}owner")), "bin_iin": "971240001315",
            "legal_address": payload("legal-address"), "actual_address": payload("actual-address"),
            "contact": {"name": payload("contact"), "position": payload("position"), "phone": "+7 701 555 44 33", "email": "xss@example.kz"}},
        "system": {"name": f("name"), "purpose": f("purpose"), "area": f("area"), "functionality": f("functionality"),
            "conditions_of_use": f("conditions"),
            "models": {"description": f("models"), "algorithm_type": payload("algorithm"), "external_models": false, "embedded_models": true},
            "data": {"categories": f("categories"), "sources": f("sources")}},
        "audit": {"auditor": f("auditor"), "date": "2026-05-14", "conclusions": f("conclusions")},
        "copyright": {"certificate_number": "41001", "certificate_date": "2026-01-20", "author_contract": false},
        "declaration": {"confirmed": true, "signatory": payload("signatory")}
    })
}

/// Applies with `form` and records the checklist with markup in each comment; `pass` decides.
async fn apply_and_review(h: &Health, form: Value, pass: bool) -> (String, Value) {
    let app = &h.app;
    let r = app.api("POST", "/api/v1/applications", Some(&h.applicant), Some(form)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    for kind in ["audit_report", "copyright_certificate"] {
        let path = format!("/api/v1/applications/{id}/attachments");
        let r = app.upload(&path, Auth::Token(&h.applicant), kind, "<b>x</b>.pdf", &pdf(kind)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let r = app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&h.applicant), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let check = |name: &str| json!({"pass": pass, "comment": payload(&format!("comment-{name}"))});
    let body = json!({"checks": {"completeness": check("completeness"), "copyright": check("copyright"), "audit": check("audit")}});
    let r = app.api("POST", &format!("/api/v1/applications/{id}/review"), Some(&h.reviewer), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    (id, r.json())
}

struct Seeded {
    registry_numbers: Vec<String>,
    /// Application, report and outbox ids (every `{id}` a route can take here).
    ids: Vec<String>,
    attachment_ids: Vec<String>,
    report_token: String,
    editions: Vec<(i64, Vec<String>)>,
}

fn candidates(route: &str, param: &str, chosen: &HashMap<String, String>, s: &Seeded) -> Vec<String> {
    let v = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    match param {
        "code" => v(&["health"]),
        "n" => v(&["1", "2", "3"]),
        "name" => {
            let n: i64 = chosen.get("n").and_then(|n| n.parse().ok()).unwrap_or(0);
            s.editions.iter().find(|(e, _)| *e == n).map(|(_, names)| names.clone()).unwrap_or_default()
        }
        "file" => ["kk", "ru", "en"].iter().map(|l| format!("list.{l}.html")).collect(),
        "number" if route.starts_with("/api/v1/id/") => v(&["971240001315"]),
        "number" | "registry_number" => s.registry_numbers.clone(),
        "token" | "key" => {
            let mut out = vec![s.report_token.clone()];
            out.extend(s.ids.iter().cloned());
            out
        }
        "id" => s.ids.clone(),
        "aid" => s.attachment_ids.clone(),
        "member" => v(&["x"]),
        "section" => v(&["applicant", "system", "models", "audit", "copyright"]),
        "year" => v(&["2026"]),
        "lang" => v(&["kk", "ru", "en"]),
        other => {
            panic!("route {route}: the XSS crawl does not know what to put in {{{other}}}; add it to `candidates`")
        }
    }
}

async fn seed(h: &Health) -> Seeded {
    let app = &h.app;
    let (kept_id, kept) = apply_and_review(h, form(""), true).await;
    let kept = kept["registry_number"].as_str().unwrap().to_owned();
    let (gone_id, gone) = apply_and_review(h, form("gone-"), true).await;
    let gone = gone["registry_number"].as_str().unwrap().to_owned();
    // A notice of nonconformity whose comments the applicant reads.
    let (notice_id, _) = apply_and_review(h, form("notice-"), false).await;
    assert_eq!(h.publish().await, 1);

    let fields = json!({
        "system_name": {"kk": payload("amended-name-kk"), "ru": link_payload("amended-name-ru"), "en": payload("amended-name-en")},
        "owner": {"kk": "=HYPERLINK(\"http://evil.example\",\"XSS-csv\")", "ru": payload("amended-owner-ru")},
        "area": lang_map("amended-area"),
        "functionality": lang_map("amended-functionality"),
        "audit": {"auditor": lang_map("amended-auditor"), "date": "2026-05-15", "conclusions": lang_map("amended-conclusions")},
    });
    let reason = json!({"kk": payload("amend-reason-kk"), "ru": payload("amend-reason-ru")});
    let path = format!("/api/v1/bodies/health/entries/{kept}/amend");
    let r = app.api("POST", &path, Some(&h.publisher), Some(json!({"fields": fields, "reason": reason}))).await;
    assert_eq!(r.status, StatusCode::OK, "amend: {}", r.text());
    let path = format!("/api/v1/bodies/health/entries/{gone}/exclude");
    let reason = json!({"reason": {"kk": payload("exclude-reason-kk"), "ru": payload("exclude-reason-ru")}});
    let r = app.api("POST", &path, Some(&h.publisher), Some(reason)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "exclude: {}", r.text());
    assert_eq!(h.publish().await, 2);
    // Pending for edition 3: shown in the publisher's preview and on the List's next update.
    let (_, pending) = apply_and_review(h, form("pending-"), true).await;
    let pending = pending["registry_number"].as_str().unwrap().to_owned();

    let r = app
        .api(
            "POST",
            &format!("/api/v1/bodies/health/entries/{kept}/reports"),
            None,
            Some(json!({"field": "owner", "description": payload("report"), "email": "reader@example.kz"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let receipt = r.json();
    let report_id = receipt["id"].as_str().unwrap().to_owned();
    let report_token = receipt["status_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let body = json!({"status": "in_progress", "comment": payload("report-answer")});
    let r = app.api("POST", &format!("/api/v1/reports/{report_id}/status"), Some(&h.reviewer), Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    let mut editions = Vec::new();
    for n in [1, 2] {
        let m = app.get(&format!("/api/v1/bodies/health/editions/{n}/manifest"), None).await.json();
        let mut names: Vec<String> = m["manifest"]["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .filter(|n| !n.ends_with(".xlsx") && !n.ends_with(".pdf"))
            .collect();
        names.push(format!("{n}.json"));
        editions.push((n, names));
    }
    let mut attachment_ids = Vec::new();
    for id in [&kept_id, &notice_id] {
        let a = app.api("GET", &format!("/api/v1/applications/{id}"), Some(&h.applicant), None).await.json();
        for att in a["attachments"].as_array().into_iter().flatten() {
            if let Some(aid) = att["id"].as_str() {
                attachment_ids.push(aid.to_owned());
            }
        }
    }
    assert!(!attachment_ids.is_empty(), "the applications' attachments were found");
    let (mail, _) = senim_web::services::mailer::page(&h.app.state.store, 500, 0).await.unwrap();
    let mut ids = vec![kept_id, gone_id, notice_id, report_id];
    ids.extend(
        mail.into_iter().filter(|m| m.body.contains("XSS-") || m.subject.contains("XSS-")).map(|m| m.id).take(3),
    );
    Seeded { registry_numbers: vec![kept, gone, pending], ids, attachment_ids, report_token, editions }
}

fn header_of(r: &Reply, name: header::HeaderName) -> &str {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

dual_tests! {
    async fn markup_in_every_shown_field_is_escaped_everywhere(db: TestDb) {
        let h = Health::new(db).await;
        h.app.user("admin@xss.kz", Role::Admin, None).await;
        let seeded = seed(&h).await;
        let app = &h.app;
        let mut who: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
        for (role, email) in [("applicant", "a@example.kz"), ("reviewer", "r@health.kz"), ("publisher", "p@health.kz"), ("admin", "admin@xss.kz")] {
            who.push((role, Some(app.sign_in(email).await)));
        }

        let mut urls: Vec<String> = Vec::new();
        for route in [routes::get_paths(Surface::Pages), routes::get_paths(Surface::Api)].concat() {
            urls.extend(routes::expand(&route, &|p, chosen| candidates(&route, p, chosen, &seeded)));
        }
        urls.extend(["/bodies/health?q=XSS", "/lists?q=XSS", "/bodies/health/editions/diff?from=1&to=2", "/api/v1/search?q=XSS"].map(String::from));

        let mut failures = BTreeSet::new();
        let mut seen_in_html: BTreeSet<String> = BTreeSet::new();
        let (mut html_answers, mut fetched) = (0, 0);
        for (role, cookie) in &who {
            for url in &urls {
                for lang in ["kk", "ru", "en"] {
                    let sep = if url.contains('?') { '&' } else { '?' };
                    let mut req = Request::builder().uri(format!("{url}{sep}lang={lang}")).header("accept-language", lang);
                    if let Some(c) = cookie {
                        req = req.header(header::COOKIE, c);
                    }
                    let r = app.send(req.body(Body::empty()).unwrap()).await;
                    fetched += 1;
                    let ctype = header_of(&r, header::CONTENT_TYPE).to_owned();
                    if !(ctype.contains("html") || ctype.contains("xml")) {
                        continue;
                    }
                    let text = r.text();
                    for raw in RAW {
                        if text.to_ascii_lowercase().contains(&raw.to_ascii_lowercase()) {
                            failures.insert(format!("{url} [{lang}, {role}] ({ctype}) holds unescaped {raw:?}"));
                        }
                    }
                    if ctype.contains("html") {
                        html_answers += 1;
                        let csp = header_of(&r, header::CONTENT_SECURITY_POLICY);
                        let script_src = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src"));
                        let default_none = csp.split(';').map(str::trim).any(|d| d == "default-src 'none'");
                        let forbids_inline = match script_src {
                            Some(d) => !d.contains("'unsafe-inline'") && !d.contains("'unsafe-eval'") && !d.contains('*'),
                            None => default_none,
                        };
                        if !forbids_inline {
                            failures.insert(format!("{url} [{role}]: CSP allows inline script: {csp:?}"));
                        }
                        if r.status == StatusCode::OK {
                            for part in text.split("XSS-").skip(1) {
                                let tag: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
                                seen_in_html.insert(tag);
                            }
                        }
                    }
                }
            }
        }
        println!(
            "xss: {} URLs x 3 languages x {} callers: {fetched} answers searched, {html_answers} HTML; markers shown in HTML: {seen_in_html:?}",
            urls.len(),
            who.len()
        );
        assert!(failures.is_empty(), "markup not neutralised:\n{}", failures.into_iter().collect::<Vec<_>>().join("\n"));

        // Positive controls: every field was really shown somewhere (escaped), so the checks above read it.
        let expected = [
            "name-kk", "name-ru", "name-en", "purpose-kk", "area-kk", "area-en", "functionality-kk", "conditions-kk",
            "owner", "auditor-kk", "conclusions-kk", "comment-completeness", "comment-audit", "amended-name-kk",
            "amended-name-ru", "amended-owner-ru", "amended-area-kk", "amended-auditor-kk", "amended-conclusions-kk",
            "amend-reason-kk", "exclude-reason-kk", "report", "report-answer",
        ];
        let missing: Vec<&str> = expected.iter().copied().filter(|t| !seen_in_html.contains(*t)).collect();
        assert!(missing.is_empty(), "never shown in any HTML page, so never checked: {missing:?}");

        // The edition's HTML artifact shows the names escaped (not only the site's pages).
        for (n, names) in &seeded.editions {
            let name = names.iter().find(|n| n.ends_with(".kk.html")).expect("an HTML artifact");
            let r = app.get(&format!("/bodies/health/editions/{n}/files/{name}"), None).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(r.text().contains("XSS-name-kk &lt;script&gt;") || r.text().contains("XSS-amended-name-kk &lt;script&gt;"),
                "edition {n}'s HTML shows the name escaped");
        }
        // CSV is data: the formula-like owner is published inert, an apostrophe first (issue 16, finding 3).
        let csv = app.get("/bodies/health/editions/2/files/2.kk.csv", None).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.text().contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"XSS-csv\"\")\""), "{}", csv.text());
        assert!(!csv.text().contains(",\"=HYPERLINK"), "no live formula: {}", csv.text());
    }
}
