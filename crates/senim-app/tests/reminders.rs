//! Reminders of the Rules' deadlines, without HTTP: once before a deadline and once when it is missed
//! (§6 examination, §7 publication), to the right people, however many instances run them.

mod common;

use common::*;
use jiff::Timestamp;
use jiff::civil::Date;
use senim_app::services::review::{self, Outcome};
use senim_app::services::{applications, documents, procedure, publication, reminders};
use senim_domain::role::Role;
use senim_store::{deadlines, dual_tests, outbox};

/// 10:00 in Astana on `day`.
fn at(day: Date) -> Timestamp {
    morning(day.month(), day.day())
}

dual_tests! {
    async fn reminders_go_once_before_a_deadline_and_once_when_it_is_missed(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        account(&state, "r2@health.kz", Role::Reviewer, Some("health")).await;
        account(&state, "head@health.kz", Role::BodyAdmin, Some("health")).await;
        let publisher = account(&state, "p@health.kz", Role::Publisher, Some("health")).await;
        account(&state, "r@finance.kz", Role::Reviewer, Some("finance")).await;
        let id = complete_draft(&state, &applicant).await;
        let due = applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap().due_on;
        let calendar = state.calendar();
        let mails_to = |to: &'static str| {
            let store = state.store.clone();
            async move { outbox::for_recipient(&store, to).await.unwrap() }
        };

        let before = |n: i32| {
            let mut d = due;
            while calendar.working_days_left(d, due).unwrap() < n {
                d = d.yesterday().unwrap();
            }
            d
        };
        // Five working days before: nothing yet.
        assert_eq!(reminders::run_due(&state, at(before(5))).await.unwrap().reminders, 0);
        let early = before(4);
        // АППК Art. 73(1): the day before the last day for a preliminary decision (three working days
        // before the due day), the reviewers are warned, once.
        let last = procedure::periods(&state).await.unwrap().last_day_to_issue(&calendar, due).unwrap();
        assert_eq!(calendar.working_days_left(early, last).unwrap(), 1);
        let sent = reminders::run_due(&state, at(early)).await.unwrap();
        assert_eq!((sent.reminders, sent.messages), (1, 2));
        assert_eq!(reminders::run_due(&state, at(last)).await.unwrap().reminders, 0, "once");
        let mails = mails_to("r@health.kz").await;
        let warning = mails.iter().find(|m| m.subject.starts_with("Senim:")).expect("a warning");
        assert!(warning.body.contains("ӘРПК 73-бабы") && warning.body.contains(&last.to_string()), "{}", warning.body);

        // Rules §6, first paragraph: on the due day both reviewers (nobody has the case yet) hear of
        // it, once; the body's head and another body's reviewer do not.
        let sent = reminders::run_due(&state, at(due)).await.unwrap();
        assert_eq!((sent.reminders, sent.messages), (1, 2));
        assert_eq!(reminders::run_due(&state, at(due)).await.unwrap().reminders, 0, "once");
        let mails = mails_to("r@health.kz").await;
        let reminder = mails.iter().find(|m| m.subject.starts_with("Senim:") && m.body.contains("6-тармағы")).expect("a reminder");
        assert!(reminder.body.contains(&documents::reference(&id)), "{}", reminder.body);
        assert!(reminder.body.contains("6-тармағы") && reminder.body.contains(&due.to_string()));
        assert!(reminder.body.contains(&format!("/review/{id}")));
        assert!(mails_to("head@health.kz").await.is_empty());
        assert!(mails_to("r@finance.kz").await.is_empty());

        // The day after, it is missed: two instances running at once send it once, to the reviewers
        // and the body's head.
        let after = due.tomorrow().unwrap();
        let (x, y) = tokio::join!(reminders::run_due(&state, at(after)), reminders::run_due(&state, at(after)));
        assert_eq!(x.unwrap().reminders + y.unwrap().reminders, 1, "exactly once");
        let head = mails_to("head@health.kz").await;
        assert_eq!(head.len(), 1);
        assert!(head[0].body.contains("кешіктірілді"), "{}", head[0].body);
        let stages: Vec<String> = deadlines::reminders(&state.store).await.unwrap().into_iter().map(|(_, s, _)| s).collect();
        assert_eq!(stages, ["due_soon", "due_soon", "overdue"], "the preliminary decision's, the examination's");

        // Rules §7: once included, the publishers are reminded of the publication deadline.
        let Outcome::Included { publication_due_on, registry_number, .. } =
            review::decide(&state, &reviewer, &id, &checks(true), at(after)).await.unwrap()
        else {
            panic!("included")
        };
        let sent = reminders::run_due(&state, at(publication_due_on)).await.unwrap();
        assert_eq!((sent.reminders, sent.messages), (1, 1));
        let mails = mails_to("p@health.kz").await;
        let reminder = mails.iter().find(|m| m.subject.starts_with("Senim:")).expect("a publication reminder");
        assert!(reminder.body.contains("7-тармағы") && reminder.body.contains(&registry_number), "{}", reminder.body);

        // Published: nothing more to remind of.
        publication::publish(&state, &publisher, "health", at(publication_due_on)).await.unwrap();
        let later = publication_due_on.tomorrow().unwrap();
        assert_eq!(reminders::run_due(&state, at(later)).await.unwrap().reminders, 0);
    }
}
