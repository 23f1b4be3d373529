//! Issue 4, items 3, 4 and 6: the audit-report cross-check on real PDFs (Rules §6, fourth paragraph), the dashboards
//! with their figures and charts, and a calendar change that moves publication due dates (§7) — on
//! both databases. Reminders are tested without HTTP in senim-app (`tests/reminders.rs`).

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::civil::Date;
use senim_domain::calendar::{DayKind, WorkingDays};
use senim_domain::role::Role;
use senim_store::{deadlines, dual_tests};
use serde_json::{Value, json};

/// A health body with its staff, a finance reviewer, an observer and an applicant (API tokens).
struct Body {
    app: TestApp,
    applicant: String,
    reviewer: String,
    publisher: String,
    observer: String,
    other: String,
}

impl Body {
    async fn new(db: senim_store::testing::TestDb) -> Body {
        let app = TestApp::new(db).await;
        let applicant = app.user("a@dariger.kz", Role::Applicant, None).await;
        let reviewer = app.user("r1@health.kz", Role::Reviewer, Some("health")).await;
        app.user("r2@health.kz", Role::Reviewer, Some("health")).await;
        app.user("head@health.kz", Role::BodyAdmin, Some("health")).await;
        let publisher = app.user("p@health.kz", Role::Publisher, Some("health")).await;
        let observer = app.user("o@ai.gov.kz", Role::Observer, None).await;
        let other = app.user("r@finance.kz", Role::Reviewer, Some("finance")).await;
        Body { app, applicant, reviewer, publisher, observer, other }
    }

    async fn decide(&self, id: &str, pass: bool) -> Value {
        let checks = if pass {
            json!({"completeness": {"pass": true}, "copyright": {"pass": true}, "audit": {"pass": true}})
        } else {
            json!({"completeness": {"pass": true}, "copyright": {"pass": true},
                "audit": {"pass": false, "comment": "Есепте басқа БСН көрсетілген"}})
        };
        let path = format!("/api/v1/applications/{id}/review");
        let r = self.app.api("POST", &path, Some(&self.reviewer), Some(json!({"checks": checks}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        if pass { r.json() } else { self.app.waive_and_notice(&self.applicant, &self.reviewer, id).await }
    }
}

/// An audit report as an auditor's office would make it: a tagged PDF with a real text layer in an
/// embedded font (Kazakh letters included), one paragraph per line of `lines`.
fn report_pdf(lines: &[String]) -> Vec<u8> {
    let meta = senim_pdf::Meta::new("Аудит есебі", senim_pdf::Lang::Kk, jiff::civil::date(2026, 5, 14));
    let mut doc = senim_pdf::Document::new(meta);
    doc.heading("Ақпараттық жүйе аудитінің есебі");
    for l in lines {
        doc.paragraph(l.clone());
    }
    doc.render().expect("the report renders")
}

/// The lines of a report of `complete_form(system)`'s facts, with `bin` and `date` as written by the
/// auditor.
fn report_lines(system: &str, bin: &str, date: &str) -> Vec<String> {
    vec![
        format!("Жүйе: «{system}»."),
        format!("Тапсырыс беруші: «Дәрігер AI» ЖШС, БСН {bin}."),
        format!("Аудитор: «Аудит» ЖШС. Аудит күні: {date}."),
        "Қорытынды: жүйе ақпараттық қауіпсіздік талаптарына сәйкес келеді.".to_owned(),
    ]
}

fn report_of(system: &str, bin: &str, date: &str) -> Vec<u8> {
    report_pdf(&report_lines(system, bin, date))
}

/// A scanned report: one page that is only an image, no text layer.
fn scanned_pdf() -> Vec<u8> {
    let content = "q 612 0 0 792 0 0 cm /Im1 Do Q";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\u{40}\u{60}\u{20}\u{70}\nendstream".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn facts(check: &Value) -> std::collections::BTreeMap<String, Value> {
    check["facts"].as_array().unwrap().iter().map(|f| (f["fact"].as_str().unwrap().to_owned(), f.clone())).collect()
}

fn date_of(v: &Value) -> Date {
    v.as_str().unwrap().parse().unwrap()
}

/// A PDF reader that accepts every file, as the intake did before issue 16: so that a test can hold a
/// case whose report was accepted then.
fn accepting_reader() -> senim_pdfread::PdfReader {
    let answer = r#"cat >/dev/null; printf '{"answer":"accepted","pages":1}'"#;
    senim_pdfread::PdfReader::command("/bin/sh", ["-c", answer, "worker"])
}

dual_tests! {
    // Issue 16, finding 1: a report whose form XObject draws itself made text extraction overflow the
    // stack and abort the server on every opening of the case; a report whose content stream inflates
    // a thousandfold grew the server by gigabytes (finding 2). Accepted before the fix, such files are
    // now read in the worker: the case opens, the cross-check says the text could not be read, and the
    // failure is kept so the file is not read again. Without the worker this test aborts its process.
    async fn a_report_that_crashes_the_reader_opens_as_unreadable_and_the_server_goes_on(db: TestDb) {
        let mut b = Body::new(db).await;
        let current = b.app.router.clone();
        let before_the_fix = senim_web::AppState::load(
            b.app.state.store.clone(),
            senim_web::Config {
                app: senim_app::Config {
                    uploads: senim_web::services::uploads::UploadConfig { reader: accepting_reader(), ..Default::default() },
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .unwrap();
        b.app.router = senim_web::app(before_the_fix);
        let form = complete_form("Дәрігер-AI");
        let (looping, _) = b.app.submit_application(&b.applicant, form.clone(), &senim_pdfread::raw::self_drawing_form()).await;
        let (bomb, _) =
            b.app.submit_application(&b.applicant, form, &senim_pdfread::raw::content_stream_bomb(300 << 20)).await;
        b.app.router = current;
        let app = &b.app;
        let cookie = app.sign_in("r1@health.kz").await;
        for (id, why) in [(&looping, "draws itself"), (&bomb, "reading limits")] {
            for _ in 0..2 {
                let r = app.api("GET", &format!("/api/v1/applications/{id}/audit-check"), Some(&b.reviewer), None).await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                let check = r.json();
                assert_eq!(check["state"], "unreadable", "{check}");
                assert!(check["error"].as_str().unwrap().contains(why), "{check}");
                let page = app.get(&format!("/review/{id}?lang=en"), Some(&cookie)).await;
                assert_eq!(page.status, StatusCode::OK);
                assert!(page.text().contains("text could not be read"), "{}", page.text());
            }
            let sha = app.api("GET", &format!("/api/v1/applications/{id}/audit-check"), Some(&b.reviewer), None).await.json()
                ["sha256"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(matches!(deadlines::pdf_text(&app.state.store, &sha).await.unwrap(), Some(deadlines::PdfText::Failed(_))));
        }
        // The server still reads ordinary reports.
        let (good, _) = app.submit_application(&b.applicant, complete_form("Дәрігер-AI"), &pdf("audit")).await;
        let r = app.api("GET", &format!("/api/v1/applications/{good}/audit-check"), Some(&b.reviewer), None).await;
        assert_eq!(r.json()["state"], "read", "{}", r.text());
    }

    async fn rules_6_fourth_paragraph_the_audit_report_is_cross_checked_fact_by_fact(db: TestDb) {
        let b = Body::new(db).await;
        let app = &b.app;
        let mut lines = report_lines("Дәрігер-AI", "9712 4000 1315", "2026 жылғы 14 мамыр");
        lines.push("Оқыту деректерінің кітапханалары бағаланды: міндетті метадеректер бар.".to_owned());
        lines.push("Заңның 17-бабының 3-тармағында тыйым салынған функционал анықталған жоқ.".to_owned());
        let good = report_pdf(&lines);
        let (good_id, _) = app.submit_application(&b.applicant, complete_form("Дәрігер-AI"), &good).await;
        let bad = report_of("Басқа жүйе", "971240001316", "2026 жылғы 15 мамыр");
        let (bad_id, _) = app.submit_application(&b.applicant, complete_form("Дәрігер-AI"), &bad).await;
        let (scan_id, _) = app.submit_application(&b.applicant, complete_form("Дәрігер-AI"), &scanned_pdf()).await;

        let r = app.api("GET", &format!("/api/v1/applications/{good_id}/audit-check"), Some(&b.reviewer), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let check = r.json();
        assert_eq!((check["state"].as_str(), check["report"].as_str()), (Some("read"), Some("checked")), "{check}");
        assert_eq!(check["filename"], "audit.pdf");
        let f = facts(&check);
        for fact in ["system_name", "owner_name", "bin_iin", "auditor", "audit_date", "conclusions"] {
            assert_eq!(f[fact]["result"], "found", "{fact}: {}", f[fact]);
            assert_eq!(f[fact]["page"], 1);
        }
        assert_eq!(f["bin_iin"]["matched"], "9712 4000 1315");
        // Order No. 263, item 13-1: where the report assesses the training data and Art. 17(3).
        let points = check["ai_points"].as_array().unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!((points[0]["point"].as_str(), points[0]["result"].as_str()), (Some("training_data"), Some("found")));
        assert_eq!((points[1]["point"].as_str(), points[1]["page"].as_u64()), (Some("prohibited_functionality"), Some(1)));
        assert!(points[1]["excerpt"].as_str().unwrap().contains("17-бабының 3-тармағында"));
        assert!(f["audit_date"]["excerpt"].as_str().unwrap().contains("2026 жылғы 14 мамыр"));
        // Extracted once and kept.
        let sha = check["sha256"].as_str().unwrap();
        assert!(matches!(deadlines::pdf_text(&app.state.store, sha).await.unwrap(), Some(deadlines::PdfText::Pages(_))));

        let r = app.api("GET", &format!("/api/v1/applications/{bad_id}/audit-check"), Some(&b.reviewer), None).await;
        let f = facts(&r.json());
        for fact in ["system_name", "bin_iin", "audit_date"] {
            assert_eq!(f[fact]["result"], "missing", "{fact}: {}", f[fact]);
        }
        for fact in ["owner_name", "auditor", "conclusions"] {
            assert_eq!(f[fact]["result"], "found", "{fact}");
        }
        let points = r.json()["ai_points"].clone();
        assert!(points.as_array().unwrap().iter().all(|p| p["result"] == "missing"), "{points}");

        let r = app.api("GET", &format!("/api/v1/applications/{scan_id}/audit-check"), Some(&b.reviewer), None).await;
        let check = r.json();
        assert_eq!((check["state"].as_str(), check["report"].as_str()), (Some("read"), Some("no_text")), "{check}");
        assert_eq!(check["pages"], 1);

        // The examination page shows the same, in the reviewer's language.
        let cookie = app.sign_in("r1@health.kz").await;
        let html = app.get(&format!("/review/{good_id}"), Some(&cookie)).await.text();
        assert!(html.contains("1-бетте табылды"), "found on page 1");
        assert!(!html.contains("class=\"mismatch\""));
        let html = app.get(&format!("/review/{bad_id}"), Some(&cookie)).await.text();
        assert_eq!(html.matches("class=\"mismatch\"").count(), 5, "three facts and both AI points");
        assert!(html.contains("17-бабының 3-тармағында тыйым салынған функционалдың жоқтығы"));
        assert!(html.contains("Табылмады"));
        let html = app.get(&format!("/review/{scan_id}?lang=en"), Some(&cookie)).await.text();
        assert!(html.contains("has no text layer"), "a scan says so");
        assert!(!html.contains("Not found"), "and does not pretend every fact is missing");

        // Each document can be read on the page, as text by page; the file stays a download.
        let docs = senim_store::applications::attachments(&app.state.store, &good_id).await.unwrap();
        let report = docs.iter().find(|a| a.kind == "audit_report").unwrap();
        let r = app.get(&format!("/review/{good_id}/documents/{}", report.id), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        let html = r.text();
        assert!(html.contains("1-бет") && html.contains("Тапсырыс беруші: «Дәрігер AI» ЖШС"), "{html}");
        assert!(html.contains(&format!("/applications/{good_id}/attachments/{}", report.id)));
        let scan = senim_store::applications::attachments(&app.state.store, &scan_id).await.unwrap();
        let scan_report = scan.iter().find(|a| a.kind == "audit_report").unwrap();
        let html = app.get(&format!("/review/{scan_id}/documents/{}?lang=ru", scan_report.id), Some(&cookie)).await.text();
        assert!(html.contains("нет текстового слоя"));
        let path = format!("/review/{bad_id}/documents/{}", report.id);
        assert_eq!(app.get(&path, Some(&cookie)).await.status, StatusCode::NOT_FOUND, "another application's file");

        // Staff of the body and the observer may look; the applicant and other bodies may not.
        let path = format!("/api/v1/applications/{good_id}/audit-check");
        assert_eq!(app.api("GET", &path, Some(&b.observer), None).await.status, StatusCode::OK);
        assert_eq!(app.api("GET", &path, Some(&b.applicant), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("GET", &path, Some(&b.other), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("GET", &path, None, None).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn dashboards_count_against_the_deadlines_for_each_role(db: TestDb) {
        let b = Body::new(db).await;
        let app = &b.app;
        let (included, _) = app.submit_application(&b.applicant, complete_form("Бірінші"), &pdf("a")).await;
        let (noticed, _) = app.submit_application(&b.applicant, complete_form("Екінші"), &pdf("a")).await;
        app.submit_application(&b.applicant, complete_form("Үшінші"), &pdf("a")).await;
        b.decide(&included, true).await;
        b.decide(&noticed, false).await;

        let r = app.api("GET", "/api/v1/dashboard", Some(&b.reviewer), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let d = r.json();
        assert_eq!(d["body"], "health");
        let s = &d["stats"];
        assert_eq!((s["received"].as_u64(), s["decided"].as_u64()), (Some(3), Some(2)), "{s}");
        assert_eq!((s["included"].as_u64(), s["nonconforming"].as_u64()), (Some(1), Some(1)));
        assert_eq!(s["share_within_deadline"].as_f64(), Some(100.0));
        assert_eq!(s["median_working_days"].as_f64(), Some(0.0));
        assert_eq!((s["open"].as_u64(), s["overdue_now"].as_u64()), (Some(1), Some(0)));
        assert_eq!(s["publications_pending"].as_u64(), Some(1));
        // АППК Art. 73: the notice came after a preliminary decision issued in time.
        assert_eq!(d["hearing"], json!({"preliminary_decisions": 1, "late": 0, "skipped": 0}));
        assert_eq!(s["months"].as_array().unwrap().len(), 12);
        let this_month = s["months"].as_array().unwrap().last().unwrap();
        assert_eq!((this_month["received"].as_u64(), this_month["decided"].as_u64()), (Some(3), Some(2)));

        // Body staff see their own body only; the observer sees every body and each one's line.
        let r = app.api("GET", "/api/v1/dashboard?body=finance", Some(&b.reviewer), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.api("GET", "/api/v1/dashboard", Some(&b.other), None).await;
        assert_eq!(r.json()["stats"]["received"].as_u64(), Some(0), "finance received nothing");
        let r = app.api("GET", "/api/v1/dashboard", Some(&b.observer), None).await;
        let d = r.json();
        assert!(d["body"].is_null());
        assert_eq!(d["stats"]["received"].as_u64(), Some(3));
        let lines = d["by_body"].as_array().unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["body"], "health");
        let r = app.api("GET", "/api/v1/dashboard?body=health", Some(&b.observer), None).await;
        assert_eq!(r.json()["body"], "health");
        assert_eq!(app.api("GET", "/api/v1/dashboard?body=nowhere", Some(&b.observer), None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.api("GET", "/api/v1/dashboard", Some(&b.applicant), None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api("GET", "/api/v1/dashboard", None, None).await.status, StatusCode::UNAUTHORIZED);

        // A period before anything happened counts nothing decided; a bad period is refused field by field.
        let r = app.api("GET", "/api/v1/dashboard?from=2026-01-01&to=2026-01-31", Some(&b.reviewer), None).await;
        assert!(r.json()["stats"]["median_working_days"].is_null());
        let r = app.api("GET", "/api/v1/dashboard?from=2026-13-01", Some(&b.reviewer), None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["field"], "from");
        let r = app.api("GET", "/api/v1/dashboard?from=2026-06-01&to=2026-05-01", Some(&b.reviewer), None).await;
        assert_eq!(r.json()["errors"][0]["field"], "to");

        // The page: figures, the charts drawn on the server, and the same figures in a table.
        let cookie = app.sign_in("head@health.kz").await;
        let r = app.get("/dashboard", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        let html = r.text();
        assert_eq!(html.matches("<svg class=\"chart\" role=\"img\"").count(), 2, "months and outcomes");
        assert!(html.contains("<title id=\"chart-months-t\">"));
        assert!(html.contains("<summary>"), "the chart's figures as a table");
        let observer = app.sign_in("o@ai.gov.kz").await;
        let html = app.get("/dashboard?lang=ru", Some(&observer)).await.text();
        assert!(html.contains("id=\"chart-bodies-t\""), "the observer compares bodies");
        assert!(html.contains("Доля решений в срок по органам"));
        let r = app.get("/dashboard?from=2026-02-30&to=2026-01-01", Some(&observer)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("value=\"2026-02-30\""), "what was typed is kept");
        assert!(html.contains("id=\"d-from-error\""));
        let applicant = app.sign_in("a@dariger.kz").await;
        assert_eq!(app.get("/dashboard", Some(&applicant)).await.status, StatusCode::FORBIDDEN);
    }

    async fn rules_7_a_calendar_change_moves_publication_due_dates_not_yet_passed(db: TestDb) {
        let b = Body::new(db).await;
        let app = &b.app;
        app.user("root@senim.kz", Role::Admin, None).await;
        let (id, _) = app.submit_application(&b.applicant, complete_form("Күнтізбе"), &pdf("a")).await;
        let included = b.decide(&id, true).await;
        let included_on = date_of(&included["included_on"]);
        let due = date_of(&included["publication_due_on"]);

        // A weekday off by decree on the first working day after inclusion: publication is due a
        // working day later.
        let cal = app.state.calendar();
        let mut day = included_on.tomorrow().unwrap();
        while !cal.is_working_day(day).unwrap() {
            day = day.tomorrow().unwrap();
        }
        let y = cal.year(day.year()).unwrap().clone();
        let mut form = calendar_form(&y);
        let n = y.days.len();
        form.push((format!("d{n}-date"), day.to_string()));
        form.push((format!("d{n}-kind"), DayKind::Transferred.as_str().to_owned()));
        form.push((format!("d{n}-kk"), "Сынақ демалысы".to_owned()));
        let root = app.sign_in("root@senim.kz").await;
        let r = app.form_owned(&format!("/admin/calendar/{}", day.year()), &root, &form).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());

        let expected = app.state.calendar().due_date(included_on, WorkingDays::PUBLICATION).unwrap();
        assert!(expected > due);
        let r = app.api("GET", "/api/v1/bodies/health/pending", Some(&b.publisher), None).await;
        assert_eq!(r.json()[0]["publication_due_on"], expected.to_string(), "{}", r.text());
        let pending = deadlines::pending_publications(&app.state.store, Some("health")).await.unwrap();
        assert_eq!(pending[0].due_on, expected);
        let audit = senim_store::audit::for_object(&app.state.store, &day.year().to_string()).await.unwrap();
        let number = included["registry_number"].as_str().unwrap();
        assert!(audit.iter().any(|a| a.action == "calendar.set" && a.detail.contains(number)));
    }
}
