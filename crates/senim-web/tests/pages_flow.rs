//! The thin flow in the browser's way: forms, redirects, pages in Kazakh by default.

mod common;

use axum::http::StatusCode;
use common::*;
use senim_domain::role::Role;
use senim_store::dual_tests;

fn app_id(location: &str) -> String {
    location.trim_start_matches("/applications/").split(['/', '?', '#']).next().unwrap().to_owned()
}

dual_tests! {
    async fn thin_flow_in_the_browser_in_kazakh(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        app.user("p@health.kz", Role::Publisher, Some("health")).await;

        let home = app.get("/", None).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.text().contains("<html lang=\"kk\">"), "Kazakh is the default");
        assert!(home.text().contains("Денсаулық сақтау министрлігі"));

        // Applicant: sign in, start, fill in, upload, submit.
        let a = app.sign_in("a@example.kz").await;
        let r = app.form("/applications", Some(&a), &[("body", "health")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let id = app_id(&r.location());
        let mut fields = annex1_fields();
        fields.push(("continue", "1"));
        let r = app.form(&format!("/applications/{id}/edit"), Some(&a), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await;
        assert!(page.text().contains("Аудиторлық қорытынды (PDF)"), "the missing documents are listed");
        for kind in ["audit_report", "copyright_certificate"] {
            let r = app.upload(&format!("/applications/{id}/attachments"), Auth::Cookie(Some(&a)), kind, "есеп.pdf", &pdf(kind)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        }
        let r = app.form(&format!("/applications/{id}/submit"), Some(&a), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = app.get(&format!("/applications/{id}"), Some(&a)).await.text();
        assert!(page.contains("Өтінішіңіз қабылданды"), "receipt shown");
        assert!(page.contains("Берілді"));

        // Reviewer: the queue shows it with its due date; include.
        let r = app.sign_in("r@health.kz").await;
        let queue = app.get("/review", Some(&r)).await.text();
        assert!(queue.contains("Көз торын талдау"));
        let exam = app.get(&format!("/review/{id}"), Some(&r)).await.text();
        assert!(exam.contains("940140000385") && exam.contains("есеп.pdf"));
        let decided = app
            .form(&format!("/review/{id}"), Some(&r), &[("completeness", "pass"), ("copyright", "pass"), ("audit", "pass")])
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.text());

        // Publisher: publish; the public List shows the row and offers the CSV.
        let p = app.sign_in("p@health.kz").await;
        assert!(app.get("/publish", Some(&p)).await.text().contains("HEALTH-"));
        let r = app.form("/publish", Some(&p), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // Rendered in the background: the job's page shows progress, then the edition.
        let done = app.wait_for_job(&r.location(), &p).await.text();
        assert!(done.contains("1-редакция жарияланды"), "{done}");
        let list = app.get("/bodies/health", None).await.text();
        assert!(list.contains("Көз торын талдау") && list.contains("«Көз AI» ЖШС"));
        assert!(list.contains("1.kk.csv"));
        let csv = app.get("/bodies/health/editions/1/files/1.kk.csv", None).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.text().contains("Көз торын талдау"));

        // Russian and English are one click away.
        let ru = app.get("/bodies/health?lang=ru", None).await.text();
        assert!(ru.contains("<html lang=\"ru\">") && ru.contains("Анализ сетчатки"));
        let en = app.get("/lang/en?next=/bodies/health", None).await;
        assert_eq!(en.location(), "/bodies/health");
        assert!(en.headers.get("set-cookie").unwrap().to_str().unwrap().starts_with("lang=en"));
    }

    async fn bad_input_is_shown_beside_its_field_and_nothing_typed_is_lost(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        let a = app.sign_in("a@example.kz").await;
        let id = app_id(&app.form("/applications", Some(&a), &[("body", "health")]).await.location());
        let r = app
            .form(
                &format!("/applications/{id}/edit"),
                Some(&a),
                &[("body", "health"), ("applicant.bin_iin", "971240001316"), ("audit.date", "31.02.2026"),
                  ("applicant.contact.email", "not-an-email"), ("system.name.kk", "Менің <жүйем>")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert!(html.contains("БСН/ЖСН бақылау цифры қате"), "checksum message");
        assert!(html.contains("value=\"971240001316\""), "the wrong BIN is kept");
        assert!(html.contains("value=\"31.02.2026\""), "the unparsable date is kept");
        assert!(html.contains("Менің &#60;жүйем&#62;"), "text kept and escaped");
        assert!(html.contains("aria-describedby=\"applicant-bin_iin-error "), "the error is announced with the field");
        // The parsable part was saved.
        let again = app.get(&format!("/applications/{id}/edit"), Some(&a)).await.text();
        assert!(again.contains("Менің &#60;жүйем&#62;"));

        // A file that is not a PDF is refused with a message; the application is untouched.
        let r = app.upload(&format!("/applications/{id}/attachments"), Auth::Cookie(Some(&a)), "audit_report", "x.pdf", b"MZ not a pdf").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("Файл PDF құжаты емес"));

        // Submitting an incomplete application shows what is missing.
        let r = app.form(&format!("/applications/{id}/submit"), Some(&a), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("Өтінішті беру үшін мыналарды толтырыңыз"));

        // Withdrawal needs its confirmation.
        let r = app.form(&format!("/applications/{id}/withdraw"), Some(&a), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.form(&format!("/applications/{id}/withdraw"), Some(&a), &[("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }

    async fn wrong_password_keeps_the_email_and_says_so(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("a@example.kz", Role::Applicant, None).await;
        let r = app.form("/signin", None, &[("email", "a@example.kz"), ("password", "wrong password")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text().contains("value=\"a@example.kz\""));
        let r = app.form("/signin", None, &[("email", "nobody@example.kz"), ("password", "x")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}
