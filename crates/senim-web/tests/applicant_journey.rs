//! Issue 3, items 3–8: the task-list form, documents (replace, remove, SHA-256), check your answers
//! with the declaration, the receipt, the Annex 1 PDF, the timeline, the notice (page and PDF in
//! three languages), resubmission with a diff both sides see, and e-mails in the user's language.

mod common;

use axum::http::StatusCode;
use common::*;
use senim_domain::role::Role;
use senim_store::{dual_tests, outbox};

fn task_state(page: &str, section: &str) -> String {
    let marker = format!("id=\"task-{section}-state\" class=\"tag task-");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no task {section}")) + marker.len();
    page[at..].split('"').next().unwrap().to_owned()
}

dual_tests! {
    async fn an_applicant_fills_the_task_list_checks_the_answers_and_submits(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("a@koz.kz", Role::Applicant, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let a = app.sign_in("a@koz.kz").await;
        let r = app.form("/applications", Some(&a), &[("body", "health")]).await;
        let id = r.location().trim_start_matches("/applications/").split('/').next().unwrap().to_owned();

        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert_eq!(task_state(&page, "system"), "not_started");
        assert_eq!(task_state(&page, "documents"), "not_started");

        // A section with a mistake: shown beside the field, the rest of the section kept, others untouched.
        let r = app
            .form(&format!("/applications/{id}/edit/audit"), Some(&a), &[("audit.auditor.kk", "«Аудит Про» ЖШС"), ("audit.date", "2099-01-01"), ("continue", "1")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"audit-date-error\"") && r.text().contains("«Аудит Про» ЖШС"));
        assert!(!r.text().contains("id=\"system-name-kk\""), "only the audit section is on its page");
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert_eq!(task_state(&page, "audit"), "has_errors");

        // Every section, in any order (reverse here); each save returns to the task list.
        for (section, fields) in annex1_sections().into_iter().rev() {
            let mut fields = fields.clone();
            fields.push(("continue", "1"));
            let r = app.form(&format!("/applications/{id}/edit/{section}"), Some(&a), &fields).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{section}: {}", r.text());
            assert_eq!(r.location(), format!("/applications/{id}"));
        }
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        for section in ["applicant", "system", "models", "audit", "copyright"] {
            assert_eq!(task_state(&page, section), "completed", "{section}");
        }
        assert_eq!(task_state(&page, "documents"), "not_started");
        // Saving one section left the others as they were.
        let check = app.get(&format!("/applications/{id}/check"), Some(&a)).await.text();
        assert!(check.contains("Көз торын талдау") && check.contains("940140000385") && check.contains("2026-04-01"));
        assert!(check.contains("Аудиторлық қорытынды (PDF)"), "missing documents block submission: {check}");

        // Documents: upload, replace (one per kind), remove; SHA-256 shown.
        let upload = |kind: &'static str, title: &'static str| {
            let app = &app;
            let a = a.clone();
            let id = id.clone();
            async move { app.upload(&format!("/applications/{id}/attachments"), Auth::Cookie(Some(&a)), kind, "есеп.pdf", &pdf(title)).await }
        };
        assert_eq!(upload("audit_report", "first").await.status, StatusCode::SEE_OTHER);
        assert_eq!(upload("audit_report", "second").await.status, StatusCode::SEE_OTHER);
        assert_eq!(upload("copyright_certificate", "cert").await.status, StatusCode::SEE_OTHER);
        assert_eq!(upload("author_contract", "extra").await.status, StatusCode::SEE_OTHER);
        let attachments = senim_store::applications::attachments(&app.state.store, &id).await.unwrap();
        assert_eq!(attachments.len(), 3, "the second audit report replaced the first");
        let second = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(pdf("second")));
        assert!(attachments.iter().any(|x| x.sha256 == second));
        let contract = attachments.iter().find(|x| x.kind == "author_contract").unwrap().id.clone();
        let r = app.form(&format!("/applications/{id}/attachments/{contract}/remove"), Some(&a), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert!(page.contains(&second), "the SHA-256 is shown");
        assert_eq!(task_state(&page, "documents"), "completed");

        // Submission without the declaration: refused on the check page, beside the checkbox.
        let r = app.form(&format!("/applications/{id}/submit"), Some(&a), &[("from_check", "1"), ("declaration.signatory", "Бауыржан Ахметов")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"declaration-confirmed-error\"") && r.text().contains("value=\"Бауыржан Ахметов\""));
        let r = app
            .form(&format!("/applications/{id}/submit"), Some(&a), &[("from_check", "1"), ("declaration.signatory", "Бауыржан Ахметов"), ("declaration.confirmed", "yes")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.location(), format!("/applications/{id}/rounds/1/receipt"));

        // The receipt: reference, date of receipt, the due date of the examination, what happens next.
        let receipt = app.get(&r.location(), Some(&a)).await.text();
        let round = senim_store::applications::rounds(&app.state.store, &id).await.unwrap().pop().unwrap();
        let reference = senim_web::services::documents::reference(&id);
        assert!(receipt.contains(&reference));
        assert!(receipt.contains(&round.received_on.to_string()) && receipt.contains(&round.due_on.to_string()));
        let expected_due = app.state.calendar().due_date(round.received_on, senim_domain::calendar::WorkingDays::EXAMINATION).unwrap();
        assert_eq!(round.due_on, expected_due, "Rules §6: 10 working days");
        assert!(receipt.contains("10 жұмыс күні"));

        // The submitted application as a filled-in Annex 1 PDF, with Kazakh intact.
        let pdf_reply = app.get(&format!("/applications/{id}/rounds/1/annex1.pdf"), Some(&a)).await;
        assert_eq!(pdf_reply.status, StatusCode::OK);
        assert_eq!(pdf_reply.headers.get("content-type").unwrap(), "application/pdf");
        let text = text_of_pdf(&pdf_reply.body);
        for expected in ["Көз торын талдау", "940140000385", "«Көз AI» ЖШС", &reference, &second[..16]] {
            assert!(text.contains(expected), "{expected} in the Annex 1 PDF: {text}");
        }
        // Staff of the body may download it; another applicant may not.
        let rv = app.sign_in("r@health.kz").await;
        assert_eq!(app.get(&format!("/applications/{id}/rounds/1/annex1.pdf"), Some(&rv)).await.status, StatusCode::OK);
        app.user("x@other.kz", Role::Applicant, None).await;
        let x = app.sign_in("x@other.kz").await;
        for path in ["rounds/1/annex1.pdf", "rounds/1/receipt", "check", "edit/system"] {
            assert_eq!(app.get(&format!("/applications/{id}/{path}"), Some(&x)).await.status, StatusCode::NOT_FOUND, "{path}");
        }

        // The list of own applications shows status and dates; the timeline records the steps.
        let list = app.get("/applications", Some(&a)).await.text();
        assert!(list.contains("Көз торын талдау"));
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert!(page.contains("1-раунд берілді") || page.contains("раунд берілді"), "timeline: {page}");
        let mails = outbox::for_recipient(&app.state.store, "a@koz.kz").await.unwrap();
        assert!(mails.iter().any(|m| m.subject.starts_with("Өтініш") || m.body.contains("Көз торын талдау")));
    }

    async fn a_notice_is_read_downloaded_corrected_and_resubmitted_with_a_diff(db: TestDb) {
        let app = TestApp::new(db).await;
        let token = app.user("a@koz.kz", Role::Applicant, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form("Жүйе"))).await;
        let id = r.json()["id"].as_str().unwrap().to_owned();
        for kind in ["audit_report", "copyright_certificate"] {
            app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(&token), kind, "a.pdf", &pdf(kind)).await;
        }
        assert_eq!(app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&token), None).await.status, StatusCode::OK);

        let rv = app.sign_in("r@health.kz").await;
        let r = app
            .form(&format!("/review/{id}"), Some(&rv), &[("completeness", "pass"), ("copyright", "pass"), ("audit", "fail"), ("audit_comment", "Есептегі жүйе атауы өтінімдегіден басқа")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        // АППК Art. 73: the applicant reads the preliminary decision and objects on the page.
        let a = app.sign_in("a@koz.kz").await;
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert!(page.contains("Алдын ала шешім және тыңдау") && page.contains("6-тармақтың төртінші абзацы"), "{page}");
        assert!(page.contains("Есептегі жүйе атауы өтінімдегіден басқа"), "the reason is shown");
        let objection = format!("/applications/{id}/objection");
        let r = app.form(&objection, Some(&a), &[("action", "object"), ("text_kk", " ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"objection-text-error\""), "the error is next to the field");
        let r = app.form(&objection, Some(&a), &[("action", "waive"), ("text_kk", "Атауы 2-бетте"), ("hearing_requested", "yes")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("Атауы 2-бетте"), "what was typed is kept");
        let r = app.form(&objection, Some(&a), &[("action", "object"), ("text_kk", "Атауы 2-бетте дұрыс"), ("hearing_requested", "yes")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        // АППК Art. 74: the reviewer records the hearing, then decides; each refusal keeps the input.
        let exam = app.get(&format!("/review/{id}"), Some(&rv)).await.text();
        assert!(exam.contains("Атауы 2-бетте дұрыс") && exam.contains("/review/") && exam.contains("hearing-record"), "{exam}");
        let decision = format!("/review/{id}/decision");
        let r = app.form(&decision, Some(&rv), &[("outcome", "nonconforming"), ("objection_considered_kk", "Қаралды")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("тыңдау хаттамасын сақтаңыз"), "why it must wait");
        let record = format!("/review/{id}/hearing-record");
        let r = app.form(&record, Some(&rv), &[("held_on", "2026-13-40"), ("participants", "Р. Сарапшы"), ("form", "in_person")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("id=\"record-held_on-error\"") && html.contains("id=\"record-summary-error\""), "{html}");
        assert!(html.contains("value=\"2026-13-40\"") && html.contains("Р. Сарапшы"), "what was typed is kept");
        let today = senim_domain::calendar::kz_date(jiff::Timestamp::now()).to_string();
        let r = app.form(&record, Some(&rv), &[("held_on", today.as_str()), ("form", "in_person"), ("place", "Астана, Мәңгілік Ел 8, 305-бөлме"), ("participants", "Р. Сарапшы; А. Сәрсенова"), ("summary_kk", "Өтініш беруші 2-бетті көрсетті")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let r = app.form(&decision, Some(&rv), &[("outcome", "nonconforming"), ("objection_considered_kk", "2-беттегі атау басқа жүйеге қатысты"), ("official_position", "Бас сарапшы")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert!(page.contains("Сәйкессіздік туралы хабарлама (әкімшілік акт)") && page.contains("HEALTH-A-"), "the act");
        assert!(page.contains("2-беттегі атау басқа жүйеге қатысты") && page.contains("Бас сарапшы"));
        assert!(page.contains("ӘРПК 92-бабы") && page.contains("Астана, Мәңгілік Ел 8"), "the complaint route and the record");
        // АППК Art. 78 ff.: the notice's PDF carries every element of the act, in Kazakh and in the
        // reader's language; the preliminary decision's PDF its grounds and dates.
        for (lang, items) in [
            ("kk", ["HEALTH-A-", "Бас сарапшы", "6-тармақтың төртінші абзацы", "2-беттегі атау басқа жүйеге қатысты", "ӘРПК 91-бабы", "ӘРПК 136-бабы"]),
            ("ru", ["HEALTH-A-", "Бас сарапшы", "абзац четвёртый пункта 6", "2-беттегі атау басқа жүйеге қатысты", "статья 91 АППК", "статья 136 АППК"]),
        ] {
            let r = app.get(&format!("/applications/{id}/rounds/1/notice.pdf?lang={lang}"), Some(&a)).await;
            let text = text_of_pdf(&r.body).split_whitespace().collect::<Vec<_>>().join(" ");
            for item in items {
                assert!(text.contains(item), "{lang}: {item} missing from the notice: {text}");
            }
        }
        let r = app.get(&format!("/applications/{id}/rounds/1/preliminary.pdf"), Some(&a)).await;
        assert_eq!(r.status, StatusCode::OK);
        let text = text_of_pdf(&r.body);
        assert!(text.contains("Алдын ала шешім") && text.contains("Есептегі жүйе атауы өтінімдегіден басқа"), "{text}");
        for (lang, title) in [("kk", "Сәйкессіздік туралы хабарлама"), ("ru", "Уведомление о несоответствии"), ("en", "Notice of nonconformity")] {
            let r = app.get(&format!("/applications/{id}/rounds/1/notice.pdf?lang={lang}"), Some(&a)).await;
            assert_eq!(r.status, StatusCode::OK, "{lang}");
            let text = text_of_pdf(&r.body);
            assert!(text.contains(title), "{lang}: {text}");
            assert!(text.contains("Есептегі жүйе атауы өтінімдегіден басқа"), "{lang}: the reviewer's reason");
        }
        assert_eq!(app.get(&format!("/applications/{id}/rounds/2/notice.pdf"), Some(&a)).await.status, StatusCode::NOT_FOUND);

        // Correct the data and replace the audit report, then resubmit: round 2, due in 5 working days.
        let r = app
            .form(&format!("/applications/{id}/edit/system"), Some(&a), &[("system.name.kk", "Жаңартылған жүйе"), ("system.purpose.kk", "Диагностика"), ("system.area.kk", "Денсаулық сақтау"), ("system.functionality.kk", "Суреттерді талдау"), ("system.conditions_of_use.kk", "Дәрігердің бақылауымен"), ("continue", "1")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        app.upload(&format!("/applications/{id}/attachments"), Auth::Cookie(Some(&a)), "audit_report", "жаңа.pdf", &pdf("corrected")).await;
        let r = app.form(&format!("/applications/{id}/submit"), Some(&a), &[("from_check", "1"), ("declaration.signatory", "Айгүл Сәрсенова"), ("declaration.confirmed", "yes")]).await;
        assert_eq!(r.location(), format!("/applications/{id}/rounds/2/receipt"), "{}", r.text());
        let rounds = senim_store::applications::rounds(&app.state.store, &id).await.unwrap();
        let expected = app.state.calendar().due_date(rounds[1].received_on, senim_domain::calendar::WorkingDays::RE_EXAMINATION).unwrap();
        assert_eq!(rounds[1].due_on, expected, "Rules §8: 5 working days");
        assert!(app.get(&r.location(), Some(&a)).await.text().contains("5 жұмыс күні"));

        // The diff of round 1 → 2, the same for both sides.
        let mine = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        let theirs = app.get(&format!("/review/{id}"), Some(&rv)).await.text();
        for page in [&mine, &theirs] {
            assert!(page.contains("1-раундтан 2-раундқа дейінгі өзгерістер"), "diff heading");
            assert!(page.contains("<del>Жүйе</del>") && page.contains("<ins>Жаңартылған жүйе</ins>"));
            assert!(page.contains("жаңа.pdf"), "the replaced document is in the diff");
        }
        assert!(mine.contains("Сәйкессіздік туралы хабарлама") || mine.contains("хабарлама"), "timeline has the notice");
    }

    async fn e_mails_follow_each_change_of_status_in_the_users_language(db: TestDb) {
        let app = TestApp::new(db).await;
        let token = app.user("a@koz.kz", Role::Applicant, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        // The applicant reads Russian: switching the language while signed in sets it for e-mails.
        let a = app.sign_in("a@koz.kz").await;
        app.get("/lang/ru?next=/applications", Some(&a)).await;
        let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form("Жүйе"))).await;
        let id = r.json()["id"].as_str().unwrap().to_owned();
        for kind in ["audit_report", "copyright_certificate"] {
            app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(&token), kind, "a.pdf", &pdf(kind)).await;
        }
        app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&token), None).await;
        let rv = app.sign_in("r@health.kz").await;
        app.form(&format!("/review/{id}/take"), Some(&rv), &[]).await;
        app.api("POST", &format!("/api/v1/applications/{id}/withdraw"), Some(&token), None).await;
        let subjects: Vec<String> =
            outbox::for_recipient(&app.state.store, "a@koz.kz").await.unwrap().into_iter().map(|m| m.subject).collect();
        for expected in ["Система анализа", "Начато рассмотрение", "Заявление отозвано"] {
            assert!(subjects.iter().any(|s| s.contains(expected)), "{expected} in {subjects:?}");
        }
        // The reviewer still reads Kazakh.
        let staff: Vec<String> =
            outbox::for_recipient(&app.state.store, "r@health.kz").await.unwrap().into_iter().map(|m| m.subject).collect();
        assert!(staff.iter().any(|s| s.contains("Жүйе")), "{staff:?}");
    }
}

mod api {
    use super::*;

    dual_tests! {
        async fn the_organisation_pdfs_and_timeline_work_through_the_api(db: TestDb) {
            let app = TestApp::new(db).await;
            let token = app.user("a@koz.kz", Role::Applicant, None).await;
            let other = app.user("x@other.kz", Role::Applicant, None).await;
            // No organisation yet: 404; the page creates one.
            assert_eq!(app.api("GET", "/api/v1/organisation", Some(&token), None).await.status, StatusCode::NOT_FOUND);
            let a = app.sign_in("a@koz.kz").await;
            app.form("/organisation", Some(&a), &[("applicant.name", "«Көз AI» ЖШС"), ("applicant.bin_iin", "940140000385")]).await;
            let r = app.api("GET", "/api/v1/organisation", Some(&token), None).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.json()["bin_iin"], "940140000385");
            let bad = serde_json::json!({"name": "«Көз AI» ЖШС", "contact": {"phone": "12", "email": "x"}});
            let r = app.api("PUT", "/api/v1/organisation", Some(&token), Some(bad)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            let fields: Vec<String> = r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
            assert_eq!(fields, ["applicant.contact.email", "applicant.contact.phone"]);
            let good = serde_json::json!({"name": "«Көз AI» ЖШС", "legal_address": "Алматы", "contact": {"phone": "+7 727 000 00 00"}});
            let r = app.api("PUT", "/api/v1/organisation", Some(&token), Some(good)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            assert_eq!(r.json()["profile"]["legal_address"], "Алматы");

            // A new application through the API starts from the profile.
            let r = app.api("POST", "/api/v1/applications", Some(&token), Some(serde_json::json!({"body": "health"}))).await;
            assert_eq!(r.json()["form"]["applicant"]["bin_iin"], "940140000385");
            let id = r.json()["id"].as_str().unwrap().to_owned();
            let r = app.api("PUT", &format!("/api/v1/applications/{id}"), Some(&token), Some(complete_form("Жүйе"))).await;
            assert_eq!(r.status, StatusCode::OK);
            for kind in ["audit_report", "copyright_certificate"] {
                app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(&token), kind, "a.pdf", &pdf(kind)).await;
            }
            assert_eq!(app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&token), None).await.status, StatusCode::OK);

            let r = app.api("GET", &format!("/api/v1/applications/{id}/rounds/1/annex1.pdf"), Some(&token), None).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(text_of_pdf(&r.body).contains("Жүйе"));
            assert_eq!(app.api("GET", &format!("/api/v1/applications/{id}/rounds/1/notice.pdf"), Some(&token), None).await.status, StatusCode::NOT_FOUND, "no notice on round 1");
            assert_eq!(app.api("GET", &format!("/api/v1/applications/{id}/rounds/9/annex1.pdf"), Some(&token), None).await.status, StatusCode::NOT_FOUND);
            let r = app.api("GET", &format!("/api/v1/applications/{id}/timeline"), Some(&token), None).await;
            let texts: Vec<String> = r.json().as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap().to_owned()).collect();
            assert!(texts.iter().any(|t| t.contains("1-раунд берілді")), "{texts:?}");

            // Another applicant sees none of it.
            for path in [format!("/api/v1/applications/{id}/rounds/1/annex1.pdf"), format!("/api/v1/applications/{id}/timeline")] {
                assert_eq!(app.api("GET", &path, Some(&other), None).await.status, StatusCode::NOT_FOUND, "{path}");
            }
            assert_eq!(app.api("PUT", "/api/v1/organisation", Some(&other), Some(serde_json::json!({}))).await.status, StatusCode::FORBIDDEN);
        }
    }
}

mod authorization {
    use super::*;

    dual_tests! {
        async fn no_one_sees_or_changes_another_organisations_application(db: TestDb) {
            let app = TestApp::new(db).await;
            let token = app.user("a@koz.kz", Role::Applicant, None).await;
            let stranger_token = app.user("x@other.kz", Role::Applicant, None).await;
            let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form("Жүйе"))).await;
            let id = r.json()["id"].as_str().unwrap().to_owned();
            let up = app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(&token), "audit_report", "a.pdf", &pdf("a")).await;
            let aid = up.json()["id"].as_str().unwrap().to_owned();
            let before = senim_store::applications::get(&app.state.store, &id).await.unwrap().unwrap();

            let x = app.sign_in("x@other.kz").await;
            for path in [
                format!("/applications/{id}"),
                format!("/applications/{id}/edit"),
                format!("/applications/{id}/edit/system"),
                format!("/applications/{id}/check"),
                format!("/applications/{id}/attachments/{aid}"),
                format!("/applications/{id}/rounds/1/receipt"),
                format!("/applications/{id}/rounds/1/annex1.pdf"),
                format!("/applications/{id}/rounds/1/notice.pdf"),
            ] {
                assert_eq!(app.get(&path, Some(&x)).await.status, StatusCode::NOT_FOUND, "GET {path}");
            }
            for path in [
                format!("/applications/{id}/edit"),
                format!("/applications/{id}/edit/system"),
                format!("/applications/{id}/attachments/{aid}/remove"),
                format!("/applications/{id}/submit"),
                format!("/applications/{id}/withdraw"),
            ] {
                let r = app.form(&path, Some(&x), &[("system.name.kk", "Басып алу"), ("confirm", "yes"), ("from_check", "1")]).await;
                assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
            }
            let r = app.upload(&format!("/applications/{id}/attachments"), Auth::Cookie(Some(&x)), "audit_report", "a.pdf", &pdf("x")).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
            for (method, path) in [
                ("GET", format!("/api/v1/applications/{id}")),
                ("PUT", format!("/api/v1/applications/{id}")),
                ("DELETE", format!("/api/v1/applications/{id}/attachments/{aid}")),
                ("POST", format!("/api/v1/applications/{id}/submit")),
                ("POST", format!("/api/v1/applications/{id}/withdraw")),
                ("GET", format!("/api/v1/applications/{id}/timeline")),
            ] {
                let body = (method == "PUT").then(|| complete_form("Басып алу"));
                assert_eq!(app.api(method, &path, Some(&stranger_token), body).await.status, StatusCode::NOT_FOUND, "{method} {path}");
            }
            let list = app.api("GET", "/api/v1/applications", Some(&stranger_token), None).await;
            assert_eq!(list.json().as_array().unwrap().len(), 0);
            let after = senim_store::applications::get(&app.state.store, &id).await.unwrap().unwrap();
            assert_eq!(before, after, "nothing changed");
            assert_eq!(senim_store::applications::attachments(&app.state.store, &id).await.unwrap().len(), 1);
        }
    }
}

mod concurrency {
    use super::*;

    dual_tests! {
        async fn many_uploads_and_submissions_at_once_all_succeed(db: TestDb) {
            // More concurrent writers than the SQLite pool has connections: a read from the pool inside
            // a write transaction would wait for a connection held by writers queued behind that lock.
            let app = std::sync::Arc::new(TestApp::new(db).await);
            let token = app.user("a@koz.kz", Role::Applicant, None).await;
            let mut ids = Vec::new();
            for i in 0..12 {
                let r = app.api("POST", "/api/v1/applications", Some(&token), Some(complete_form(&format!("Жүйе {i}")))).await;
                ids.push(r.json()["id"].as_str().unwrap().to_owned());
            }
            let mut tasks = Vec::new();
            for id in ids.clone() {
                let (app, token) = (app.clone(), token.clone());
                tasks.push(tokio::spawn(async move {
                    for kind in ["audit_report", "copyright_certificate", "audit_report"] {
                        let r = app.upload(&format!("/api/v1/applications/{id}/attachments"), Auth::Token(&token), kind, "a.pdf", &pdf(&id)).await;
                        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
                    }
                    let r = app.api("POST", &format!("/api/v1/applications/{id}/submit"), Some(&token), None).await;
                    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
            for id in ids {
                let a = senim_store::applications::get(&app.state.store, &id).await.unwrap().unwrap();
                assert_eq!(a.status, senim_domain::status::Status::Submitted);
            }
        }
    }
}
