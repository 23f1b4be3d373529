//! The hearing before a notice of nonconformity, without HTTP: the preliminary decision (АППК Art. 73),
//! the objection and its period, the hearing record (Art. 74), and the final decision as an act
//! (Art. 78 ff.) — every date on the Kazakhstan calendar, on both databases.

mod common;

use common::*;
use jiff::civil::date;
use senim_app::services::hearing::{self, FinalDecisionInput};
use senim_app::services::review::{self, Outcome};
use senim_app::services::{ServiceError, applications, procedure};
use senim_domain::hearing::{HearingPeriods, HearingRecordInput, ObjectionInput};
use senim_domain::lang::{Lang, LangText};
use senim_domain::role::Role;
use senim_domain::status::Status;
use senim_store::{applications as apps, dual_tests, outbox};

fn objection(text: &str, hearing_requested: bool) -> ObjectionInput {
    ObjectionInput { text: LangText::new().with(Lang::Kk, text), hearing_requested, waive: false }
}

fn nonconforming(considered: &str) -> FinalDecisionInput {
    FinalDecisionInput {
        outcome: "nonconforming".into(),
        objection_considered: LangText::new().with(Lang::Kk, considered),
        official_position: "Цифрландыру департаментінің бас сарапшысы".into(),
        ..Default::default()
    }
}

dual_tests! {
    // АППК Art. 73(1), (3): submitted Monday 18 May 2026 (due Tuesday 2 June), examined Wednesday
    // 20 May: the preliminary decision is issued that day, objections are due Friday 22 May, and the
    // last day it could have been issued in time is Thursday 28 May.
    async fn appk_73_a_failed_check_issues_a_preliminary_decision_not_a_notice(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        let Outcome::Hearing { failed, round, dates } =
            review::decide(&state, &reviewer, &id, &checks(false), morning(5, 20)).await.unwrap()
        else {
            panic!("a hearing")
        };
        assert_eq!((failed.len(), round), (1, 1));
        assert_eq!((dates.issued_on, dates.objection_due_on, dates.decision_due_on), (date(2026, 5, 20), date(2026, 5, 22), date(2026, 6, 2)));
        assert!(!dates.late);
        let app = apps::get(&state.store, &id).await.unwrap().unwrap();
        assert_eq!(app.status, Status::Hearing);
        assert!(apps::reviews(&state.store, &id).await.unwrap().is_empty(), "no final decision yet");
        let file = hearing::file_of(&state, &id).await.unwrap();
        assert_eq!(file.preliminary(1).unwrap().last_day_to_issue, date(2026, 5, 28));
        let mail = outbox::for_recipient(&state.store, "a@dariger.kz").await.unwrap();
        let pre = mail.iter().find(|m| m.subject.starts_with("Алдын ала шешім")).expect("the applicant is told");
        assert!(pre.body.contains("2026-05-22") && pre.body.contains("6-тармақтың төртінші абзацы"), "{}", pre.body);
    }

    // АППК Art. 73(1): issued on Monday 1 June for a decision due Tuesday 2 June, the preliminary
    // decision is late — the objection period runs past the deadline.
    async fn appk_73_a_preliminary_decision_issued_after_the_last_day_is_late(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        let Outcome::Hearing { dates, .. } =
            review::decide(&state, &reviewer, &id, &checks(false), morning(6, 1)).await.unwrap()
        else {
            panic!("a hearing")
        };
        assert!(dates.late && dates.objection_due_on > dates.decision_due_on, "{dates:?}");
    }

    // АППК Art. 73(3): the final decision waits for the objection period unless the applicant answers;
    // an objection after the period is refused; only the applicant objects.
    async fn appk_73_the_decision_waits_for_the_objection_period(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        review::decide(&state, &reviewer, &id, &checks(false), morning(5, 20)).await.unwrap();
        let early = hearing::decide(&state, &reviewer, &id, &nonconforming(""), morning(5, 22)).await;
        assert!(matches!(early, Err(ServiceError::State("hearing.objection_period"))), "{early:?}");
        let stranger = account(&state, "b@other.kz", Role::Applicant, None).await;
        let r = hearing::object(&state, &stranger, &id, &objection("Мен де қарсымын", false), morning(5, 21)).await;
        assert!(matches!(r, Err(ServiceError::NotFound)), "{r:?}");
        let r = hearing::object(&state, &reviewer, &id, &objection("Сарапшы", false), morning(5, 21)).await;
        assert!(matches!(r, Err(ServiceError::Forbidden)), "{r:?}");
        let late = hearing::object(&state, &applicant, &id, &objection("Кеш", false), morning(5, 25)).await;
        assert!(matches!(late, Err(ServiceError::State("objection.period_over"))), "{late:?}");
        // The period has ended (Monday 25 May): the decision may be taken without an answer.
        let Outcome::Nonconforming { act, .. } =
            hearing::decide(&state, &reviewer, &id, &nonconforming(""), morning(5, 25)).await.unwrap()
        else {
            panic!("a notice")
        };
        assert_eq!(act, "HEALTH-A-2026-0001");
        assert_eq!(apps::get(&state.store, &id).await.unwrap().unwrap().status, Status::Nonconforming);
    }

    // АППК Arts. 73, 74: an objection asking to be heard needs the hearing's record before the
    // decision, and the decision says how the objection was considered.
    async fn appk_74_a_requested_hearing_is_recorded_before_the_decision(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        review::decide(&state, &reviewer, &id, &checks(false), morning(5, 20)).await.unwrap();
        let o = hearing::object(&state, &applicant, &id, &objection("Қорытындыда БСН дұрыс", true), morning(5, 21)).await.unwrap();
        assert_eq!(o.received_on, date(2026, 5, 21));
        let waive = ObjectionInput { waive: true, ..Default::default() };
        let r = hearing::object(&state, &applicant, &id, &waive, morning(5, 21)).await;
        assert!(matches!(r, Err(ServiceError::State("objection.already_answered"))), "{r:?}");
        let mail = outbox::for_recipient(&state.store, "r@health.kz").await.unwrap();
        assert!(mail.iter().any(|m| m.subject.starts_with("Тыңдау сұралды")), "the reviewer is told");

        let r = hearing::decide(&state, &reviewer, &id, &nonconforming("Қаралды"), morning(5, 21)).await;
        assert!(matches!(r, Err(ServiceError::State("hearing.record_required"))), "{r:?}");
        let r = hearing::decide(&state, &reviewer, &id, &nonconforming(""), morning(5, 21)).await;
        match r {
            Err(ServiceError::Invalid(e)) => assert_eq!(e[0].field, "objection_considered"),
            other => panic!("{other:?}"),
        }
        let record = HearingRecordInput {
            held_on: "2026-05-22".into(),
            form: "video".into(),
            place: "https://meet.gov.kz/room/42".into(),
            participants: "Р. Сарапшы; Б. Ахметов, «Көз AI» ЖШС директоры".into(),
            summary: LangText::new().with(Lang::Kk, "Өтініш беруші аудиторлық қорытындыдағы БСН-ді түсіндірді"),
        };
        let early = hearing::record(&state, &reviewer, &id, &record, morning(5, 21)).await;
        assert!(matches!(early, Err(ServiceError::Invalid(_))), "a hearing is not recorded before it is held");
        hearing::record(&state, &reviewer, &id, &record, morning(5, 22)).await.unwrap();
        let Outcome::Nonconforming { act, failed, .. } =
            hearing::decide(&state, &reviewer, &id, &nonconforming("Түсініктеме қаралды, БСН сәйкес емес"), morning(5, 22)).await.unwrap()
        else {
            panic!("a notice")
        };
        assert_eq!(failed.len(), 1);
        let file = hearing::file_of(&state, &id).await.unwrap();
        let stored = file.act(1).unwrap();
        assert_eq!(stored.number, act);
        assert_eq!(stored.official_position, "Цифрландыру департаментінің бас сарапшысы");
        assert_eq!(stored.objection_considered.get(Lang::Kk), Some("Түсініктеме қаралды, БСН сәйкес емес"));
        assert_eq!(file.hearings_of(1).count(), 1);
        let notice = outbox::for_recipient(&state.store, "a@dariger.kz").await.unwrap();
        assert!(notice.iter().any(|m| m.body.contains(&act)), "the notice names its act");
    }

    // АППК Art. 73: a hearing that removes the grounds ends in an inclusion (Rules §7), an act too;
    // the official's position is remembered for their next act.
    async fn appk_73_an_objection_that_removes_the_grounds_leads_to_inclusion(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        review::decide(&state, &reviewer, &id, &checks(false), morning(5, 20)).await.unwrap();
        hearing::object(&state, &applicant, &id, &objection("БСН қорытындының 2-бетінде", false), morning(5, 21)).await.unwrap();
        let wrong = FinalDecisionInput { outcome: "included".into(), ..nonconforming("Дәлел қабылданды") };
        match hearing::decide(&state, &reviewer, &id, &wrong, morning(5, 21)).await {
            Err(ServiceError::Invalid(e)) => assert_eq!(e[0].code, "decision.outcome_checks"),
            other => panic!("{other:?}"),
        }
        let include = FinalDecisionInput { checks: Some(checks(true)), ..wrong };
        let Outcome::Included { act, included_on, .. } =
            hearing::decide(&state, &reviewer, &id, &include, morning(5, 21)).await.unwrap()
        else {
            panic!("included")
        };
        assert_eq!(included_on, date(2026, 5, 21));
        assert_eq!(apps::get(&state.store, &id).await.unwrap().unwrap().status, Status::Included);
        // The next inclusion by the same reviewer names the same position without being told.
        let second = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &second, morning(5, 21)).await.unwrap();
        review::decide(&state, &reviewer, &second, &checks(true), morning(5, 22)).await.unwrap();
        let acts = hearing::file_of(&state, &second).await.unwrap().acts;
        assert_eq!(acts[0].official_position, "Цифрландыру департаментінің бас сарапшысы");
        assert_ne!(acts[0].number, act);
    }

    // АППК Art. 73: the administrator keeps the periods; invalid ones are refused field by field.
    async fn appk_73_the_periods_are_data_the_administrator_keeps(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let admin = account(&state, "root@senim.kz", Role::Admin, None).await;
        let bad = HearingPeriods { notice_working_days: 2, objection_working_days: 3 };
        assert!(matches!(procedure::set_periods(&state, &admin, bad).await, Err(ServiceError::Invalid(_))));
        let five = HearingPeriods { notice_working_days: 5, objection_working_days: 3 };
        assert!(matches!(procedure::set_periods(&state, &reviewer, five).await, Err(ServiceError::Forbidden)));
        procedure::set_periods(&state, &admin, five).await.unwrap();
        assert_eq!(procedure::periods(&state).await.unwrap(), five);
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        let Outcome::Hearing { dates, .. } =
            review::decide(&state, &reviewer, &id, &checks(false), morning(5, 20)).await.unwrap()
        else {
            panic!("a hearing")
        };
        // Three working days after Wednesday 20 May: Thursday, Friday, Monday 25 May.
        assert_eq!(dates.objection_due_on, date(2026, 5, 25));
    }

    // АППК Art. 73: the dashboard counts preliminary decisions issued too late for the hearing to end
    // in time, and notices decided without a hearing (as before the hearing existed).
    async fn appk_73_the_dashboard_counts_late_and_skipped_hearings(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let late = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &late, morning(5, 18)).await.unwrap();
        review::decide(&state, &reviewer, &late, &checks(false), morning(6, 1)).await.unwrap();
        // A notice straight from the examination, as the store held them before the hearing.
        let skipped = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &skipped, morning(5, 18)).await.unwrap();
        let mut tx = state.store.begin().await.unwrap();
        let review = apps::Review {
            id: "legacy-notice".into(),
            application_id: skipped.clone(),
            round: 1,
            reviewer_id: reviewer.id.clone(),
            checks: checks(false).parse().unwrap(),
            decision: Status::Nonconforming,
            decided_at: "2026-05-25T05:00:00Z".into(),
        };
        apps::insert_review(&mut tx, &review).await.unwrap();
        tx.commit().await.unwrap();
        let head = account(&state, "head@health.kz", Role::BodyAdmin, Some("health")).await;
        let q = senim_app::services::dashboard::DashboardQuery {
            from: Some("2026-05-01".into()),
            to: Some("2026-06-30".into()),
            ..Default::default()
        };
        let d = senim_app::services::dashboard::dashboard(&state, &head, &q, morning(6, 2)).await.unwrap();
        assert_eq!((d.hearing.preliminary_decisions, d.hearing.late, d.hearing.skipped), (1, 1, 1));
        let april = senim_app::services::dashboard::DashboardQuery { from: Some("2026-01-01".into()), to: Some("2026-04-30".into()), ..q };
        let d = senim_app::services::dashboard::dashboard(&state, &head, &april, morning(6, 2)).await.unwrap();
        assert_eq!(d.hearing, Default::default(), "nothing in another period");
    }
}
