//! The workflows of the Rules called as the pages and the API call them, without HTTP (issue 17): a
//! submission and its §6 clock, a notice of nonconformity, the resubmission and its §8 clock, an
//! inclusion and the §7 clock of its publication — on both databases.

mod common;

use common::*;
use jiff::civil::date;
use senim_app::services::review::{self, Outcome};
use senim_app::services::{ServiceError, applications, demo};
use senim_domain::role::Role;
use senim_store::dual_tests;

dual_tests! {
    // Rules §6, first paragraph: ten working days from registration.
    async fn rules_6_a_first_submission_is_due_in_ten_working_days(db: TestDb) {
        let (state, applicant, _) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        // Monday 18 May 2026: ten working days end on Tuesday 2 June.
        let round = applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        assert_eq!((round.number, round.received_on, round.due_on), (1, date(2026, 5, 18), date(2026, 6, 2)));
    }

    // Rules §8: after a notice of nonconformity the corrected application is examined within five
    // working days of its resubmission.
    async fn rules_8_a_resubmission_is_due_in_five_working_days(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        let act = notice(&state, &applicant, &reviewer, &id, morning(5, 20)).await;
        assert_eq!(act, "HEALTH-A-2026-0001");
        // Friday 22 May 2026: five working days end on Monday 1 June.
        let round = applications::submit(&state, &applicant, &id, morning(5, 22)).await.unwrap();
        assert_eq!((round.number, round.due_on), (2, date(2026, 6, 1)));
    }

    // Rules §7: an included system is published within five working days of its inclusion.
    async fn rules_7_an_inclusion_is_due_for_publication_in_five_working_days(db: TestDb) {
        let (state, applicant, reviewer) = health(&db).await;
        let id = complete_draft(&state, &applicant).await;
        applications::submit(&state, &applicant, &id, morning(5, 18)).await.unwrap();
        match review::decide(&state, &reviewer, &id, &checks(true), morning(5, 22)).await.unwrap() {
            Outcome::Included { included_on, publication_due_on, registry_number, .. } => {
                assert_eq!((included_on, publication_due_on), (date(2026, 5, 22), date(2026, 6, 1)));
                assert!(registry_number.starts_with("HEALTH-2026-"), "{registry_number}");
            }
            other => panic!("{other:?}"),
        }
    }

    // Rules §5: only the complete set starts the clock; another applicant's draft is not found.
    async fn rules_5_an_incomplete_application_is_not_submitted(db: TestDb) {
        let (state, applicant, _) = health(&db).await;
        let app = applications::create(&state, &applicant, demo::sample_form("health", 0)).await.unwrap();
        match applications::submit(&state, &applicant, &app.id, morning(5, 18)).await {
            Err(ServiceError::Invalid(errors)) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["attachments.audit_report", "attachments.copyright_certificate"]);
            }
            other => panic!("{other:?}"),
        }
        let stranger = account(&state, "b@other.kz", Role::Applicant, None).await;
        assert!(matches!(
            applications::submit(&state, &stranger, &app.id, morning(5, 18)).await,
            Err(ServiceError::NotFound)
        ));
    }
}
