//! Issue 4, item 5: the administrator edits a year of the working-day calendar in the browser; the
//! save is validated, audited, used at once, and moves the due dates of open rounds not yet overdue.

mod common;

use axum::http::StatusCode;
use common::*;
use jiff::Timestamp;
use senim_domain::calendar::{DayKind, WorkingDays, kz_date};
use senim_domain::role::Role;
use senim_store::applications as apps;
use senim_store::dual_tests;

async fn due_of(app: &TestApp, id: &str) -> String {
    apps::rounds(&app.state.store, id).await.unwrap().last().unwrap().due_on.to_string()
}

dual_tests! {
    async fn an_administrator_edits_a_year_and_open_deadlines_follow(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("root@senim.kz", Role::Admin, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let applicant = app.user("a@example.kz", Role::Applicant, None).await;
        let root = app.sign_in("root@senim.kz").await;
        let r = app.get("/admin/calendar", Some(&root)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let this_year = kz_date(Timestamp::now()).year();
        assert_eq!(r.location(), format!("/admin/calendar/{this_year}"));
        let r = app.get("/admin/calendar/2026", Some(&root)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text().contains("2026-01-01"), "the shipped holidays are listed");
        let reviewer = app.sign_in("r@health.kz").await;
        assert_eq!(app.get("/admin/calendar/2026", Some(&reviewer)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/admin/calendar/1066", Some(&root)).await.status, StatusCode::NOT_FOUND);

        let open = app.submit_application(&applicant, complete_form("Ашық іс"), &pdf("audit_report")).await.0;
        let late = app.submit_application(&applicant, complete_form("Мерзімі өткен іс"), &pdf("audit_report")).await.0;
        // Make one round overdue: its date must not move.
        let yesterday = kz_date(Timestamp::now()).yesterday().unwrap();
        let mut tx = app.state.store.begin().await.unwrap();
        senim_store::calendar::set_round_due(&mut tx, &late, 1, yesterday).await.unwrap();
        tx.commit().await.unwrap();

        // A weekday off moved by decree on the first working day after registration: the open round's
        // due date moves one working day later.
        let round = apps::rounds(&app.state.store, &open).await.unwrap().pop().unwrap();
        let cal = app.state.calendar();
        let mut day = cal.registration_day(round.received_on).unwrap().tomorrow().unwrap();
        while !cal.is_working_day(day).unwrap() {
            day = day.tomorrow().unwrap();
        }
        let year = day.year();
        let y = cal.year(year).unwrap().clone();
        let mut form = calendar_form(&y);
        let n = y.days.len();
        form.push((format!("d{n}-date"), day.to_string()));
        form.push((format!("d{n}-kind"), DayKind::Transferred.as_str().to_owned()));
        form.push((format!("d{n}-kk"), "Сынақ демалысы".to_owned()));
        let r = app.form_owned(&format!("/admin/calendar/{year}"), &root, &form).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(!app.state.calendar().is_working_day(day).unwrap(), "the running server uses the new year");
        let expected = app.state.calendar().due_date(round.received_on, WorkingDays::EXAMINATION).unwrap();
        assert_eq!(due_of(&app, &open).await, expected.to_string());
        assert!(expected > round.due_on);
        assert_eq!(due_of(&app, &late).await, yesterday.to_string(), "overdue rounds keep their date");
        let audit = senim_store::audit::for_object(&app.state.store, &year.to_string()).await.unwrap();
        assert!(audit.iter().any(|a| a.action == "calendar.set" && a.detail.contains(&open)));
        // Stored: a fresh load sees it too.
        let loaded = senim_store::calendar::load(&app.state.store).await.unwrap();
        assert!(!loaded.is_working_day(day).unwrap());

        // Removing the day again moves it back.
        let mut form2 = form.clone();
        form2.push((format!("d{n}-remove"), "yes".to_owned()));
        let r = app.form_owned(&format!("/admin/calendar/{year}"), &root, &form2).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(due_of(&app, &open).await, round.due_on.to_string());

        // A holiday on a Saturday is refused, what was typed is kept, nothing is saved.
        let mut sat = day;
        while sat.weekday() != jiff::civil::Weekday::Saturday {
            sat = sat.tomorrow().unwrap();
        }
        let mut bad = calendar_form(cal.year(year).unwrap());
        let m = cal.year(year).unwrap().days.len();
        bad.push((format!("d{m}-date"), sat.to_string()));
        bad.push((format!("d{m}-kind"), "holiday".to_owned()));
        bad.push((format!("d{m}-kk"), "Қате".to_owned()));
        let r = app.form_owned(&format!("/admin/calendar/{sat_year}", sat_year = sat.year()), &root, &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains(&sat.to_string()), "the typed row is kept");
        let r = app.form_owned("/admin/calendar/2026", &reviewer, &bad).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }

    // АППК Art. 73: the administrator keeps the hearing's periods on a page; others may not.
    async fn the_administrator_keeps_the_hearing_periods(db: TestDb) {
        let app = TestApp::new(db).await;
        app.user("root@senim.kz", Role::Admin, None).await;
        app.user("r@health.kz", Role::Reviewer, Some("health")).await;
        let root = app.sign_in("root@senim.kz").await;
        let html = app.get("/admin/hearing", Some(&root)).await.text();
        assert!(html.contains("value=\"3\"") && html.contains("value=\"2\"") && html.contains("ӘРПК 73-бабы"), "{html}");
        let r = app.form("/admin/hearing", Some(&root), &[("notice_working_days", "3"), ("objection_working_days", "4")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("value=\"4\"") && r.text().contains("id=\"objection_working_days-error\""), "{}", r.text());
        let r = app.form("/admin/hearing", Some(&root), &[("notice_working_days", "жеті"), ("objection_working_days", "2")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.form("/admin/hearing", Some(&root), &[("notice_working_days", "5"), ("objection_working_days", "3")]).await;
        assert_eq!(r.status, StatusCode::OK);
        let periods = senim_web::services::procedure::periods(&app.state).await.unwrap();
        assert_eq!((periods.notice_working_days, periods.objection_working_days), (5, 3));
        let audit = senim_store::audit::for_object(&app.state.store, "hearing").await.unwrap();
        assert!(audit.iter().any(|a| a.action == "hearing.periods"));
        let reviewer = app.sign_in("r@health.kz").await;
        assert_eq!(app.get("/admin/hearing", Some(&reviewer)).await.status, StatusCode::FORBIDDEN);
        let r = app.form("/admin/hearing", Some(&reviewer), &[("notice_working_days", "9"), ("objection_working_days", "1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}
