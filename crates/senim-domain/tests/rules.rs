//! The Rules' paragraphs on applications, statuses and the §6 decision, one test each.

use jiff::civil::date;
use senim_domain::annex2::{BodyRef, project, registry_number};
use senim_domain::application::*;
use senim_domain::lang::{Lang, LangText};
use senim_domain::review::*;
use senim_domain::status::{Action, Status};

fn kk(s: &str) -> LangText {
    LangText::new().with(Lang::Kk, s)
}

fn complete_form() -> ApplicationForm {
    ApplicationForm {
        body: "health".into(),
        applicant: Applicant {
            role: Some(ApplicantRole::Owner),
            name: "«Дәрігер AI» ЖШС".into(),
            bin_iin: "971240001315".into(),
            legal_address: "Астана қ., Мәңгілік Ел 55".into(),
            actual_address: "Астана қ., Мәңгілік Ел 55".into(),
            contact: Contact {
                name: "Айгүл Сәрсенова".into(),
                position: "Директор".into(),
                phone: "+7 701 000 00 00".into(),
                email: "info@example.kz".into(),
            },
        },
        system: System {
            name: kk("Рентген талдаушы").with(Lang::Ru, "Анализатор рентгена"),
            purpose: kk("Диагностика"),
            area: kk("Денсаулық сақтау"),
            functionality: kk("Суреттерді талдау"),
            conditions_of_use: kk("Дәрігердің бақылауымен"),
            models: Models {
                description: kk("Конволюциялық желі"),
                algorithm_type: "CNN".into(),
                external_models: Some(false),
                embedded_models: Some(true),
            },
            data: DataCategories {
                categories: kk("Рентген суреттері"), sources: kk("Емханалар")
            },
        },
        audit: Audit {
            auditor: kk("«Аудит» ЖШС"), date: Some(date(2026, 5, 14)), conclusions: kk("Сәйкес келеді")
        },
        copyright: Copyright {
            certificate_number: "12345".into(),
            certificate_date: Some(date(2026, 1, 20)),
            author_contract: false,
        },
        declaration: Declaration { confirmed: true, signatory: "Айгүл Сәрсенова".into() },
    }
}

const TODAY: jiff::civil::Date = date(2026, 11, 24);

#[test]
fn rules_5_a_complete_form_has_no_errors() {
    assert_eq!(complete_form().check_complete(TODAY), vec![]);
}

#[test]
fn rules_5_an_empty_form_reports_every_missing_field_at_once() {
    let errors = ApplicationForm::default().check_complete(TODAY);
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for f in [
        "body",
        "applicant.name",
        "applicant.bin_iin",
        "applicant.contact.email",
        "system.name",
        "system.purpose",
        "system.area",
        "system.functionality",
        "system.conditions_of_use",
        "audit.auditor",
        "audit.date",
        "copyright.certificate_number",
        "declaration.confirmed",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(errors.len() >= 25, "{}", errors.len());
}

#[test]
fn annex_1_bin_with_a_wrong_check_digit_is_refused_even_in_a_draft() {
    let mut form = ApplicationForm::default();
    form.applicant.bin_iin = "971240001316".into();
    form.applicant.contact.email = "not an email".into();
    let errors = form.check_draft(TODAY);
    assert!(errors.contains(&FieldError::new("applicant.bin_iin", "bin_iin.checksum")));
    assert!(errors.contains(&FieldError::new("applicant.contact.email", codes::EMAIL)));
}

#[test]
fn annex_1_audit_date_in_the_future_is_refused() {
    let mut form = complete_form();
    form.audit.date = Some(date(2027, 1, 1));
    assert_eq!(form.check_complete(TODAY), vec![FieldError::new("audit.date", codes::DATE_FUTURE)]);
}

#[test]
fn rules_5_an_authors_contract_replaces_the_certificate() {
    let mut form = complete_form();
    form.copyright = Copyright { author_contract: true, ..Default::default() };
    assert_eq!(form.check_complete(TODAY), vec![]);
    let missing = missing_attachments(&form, &[AttachmentKind::AuditReport]);
    assert_eq!(missing, vec![FieldError::new("attachments.author_contract", codes::REQUIRED)]);
}

#[test]
fn rules_5_the_audit_report_and_the_certificate_are_required_documents() {
    let form = complete_form();
    let missing = missing_attachments(&form, &[]);
    assert_eq!(
        missing,
        vec![
            FieldError::new("attachments.audit_report", codes::REQUIRED),
            FieldError::new("attachments.copyright_certificate", codes::REQUIRED),
        ]
    );
    let all = [AttachmentKind::AuditReport, AttachmentKind::CopyrightCertificate];
    assert!(missing_attachments(&form, &all).is_empty());
}

#[test]
fn rules_6_every_check_needs_an_outcome_and_a_fail_needs_a_comment() {
    let input = ChecklistInput {
        completeness: CheckOutcome { pass: Some(false), comment: " ".into() },
        copyright: CheckOutcome { pass: None, comment: String::new() },
        audit: CheckOutcome { pass: Some(true), comment: String::new() },
    };
    let errors = input.parse().unwrap_err();
    assert_eq!(
        errors,
        vec![
            FieldError::new("checks.completeness.comment", "review.fail_needs_comment"),
            FieldError::new("checks.copyright.pass", "required"),
        ]
    );
}

#[test]
fn rules_7_all_checks_pass_means_inclusion() {
    let pass = CheckOutcome { pass: Some(true), comment: String::new() };
    let input = ChecklistInput { completeness: pass.clone(), copyright: pass.clone(), audit: pass };
    assert_eq!(input.parse().unwrap().decision(), Decision::Include);
}

#[test]
fn rules_8_any_failed_check_means_a_notice_listing_it() {
    let pass = CheckOutcome { pass: Some(true), comment: String::new() };
    let fail =
        CheckOutcome { pass: Some(false), comment: "Аудит басқа жүйеге жасалған".into() };
    let input = ChecklistInput { completeness: pass.clone(), copyright: pass, audit: fail };
    match input.parse().unwrap().decision() {
        Decision::Nonconformity(failed) => {
            assert_eq!(failed.len(), 1);
            assert_eq!(failed[0].check, Check::Audit);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn rules_5_to_8_and_appk_73_legal_transitions() {
    use Action as A;
    use Status as S;
    let legal = [
        (S::Draft, A::Submit, S::Submitted),
        (S::Submitted, A::Take, S::UnderReview),
        (S::Submitted, A::Include, S::Included),
        (S::UnderReview, A::Include, S::Included),
        // АППК Art. 73: a failed check leads to the hearing, and the notice only follows it.
        (S::Submitted, A::Preliminary, S::Hearing),
        (S::UnderReview, A::Preliminary, S::Hearing),
        (S::Hearing, A::Notice, S::Nonconforming),
        (S::Hearing, A::Include, S::Included),
        (S::Hearing, A::Withdraw, S::Withdrawn),
        (S::Nonconforming, A::Resubmit, S::Submitted),
        (S::Draft, A::Withdraw, S::Withdrawn),
        (S::Submitted, A::Withdraw, S::Withdrawn),
        (S::UnderReview, A::Withdraw, S::Withdrawn),
        (S::Nonconforming, A::Withdraw, S::Withdrawn),
        (S::Included, A::Publish, S::Published),
        (S::Published, A::Exclude, S::Excluded),
        (S::Published, A::Amend, S::Published),
    ];
    for (from, action, to) in legal {
        assert_eq!(from.apply(action), Ok(to), "{from} {action:?}");
    }
    // Every other pair is refused.
    let mut refused = 0;
    for from in Status::ALL {
        for action in Action::ALL {
            if !legal.iter().any(|(f, a, _)| *f == from && *a == action) {
                assert!(from.apply(action).is_err(), "{from} {action:?} should be refused");
                refused += 1;
            }
        }
    }
    assert_eq!(refused, Status::ALL.len() * Action::ALL.len() - legal.len());
}

#[test]
fn decisions_are_final_no_way_back_from_included_or_withdrawn() {
    for action in Action::ALL {
        if action != Action::Publish {
            assert!(Status::Included.apply(action).is_err());
        }
        assert!(Status::Withdrawn.apply(action).is_err());
        assert!(Status::Excluded.apply(action).is_err());
    }
}

#[test]
fn annex_2_projection_publishes_only_its_columns() {
    let body = BodyRef { code: "health".into(), name: kk("Денсаулық сақтау министрлігі") };
    let form = complete_form();
    let entry = project(&form, &registry_number("health", 2026, 7), date(2026, 6, 2), &body).unwrap();
    assert_eq!(entry.registry_number, "HEALTH-2026-0007");
    assert_eq!(entry.owner_bin.as_deref(), Some("971240001315"));
    assert_eq!(entry.owner.get(Lang::Ru), Some("«Дәрігер AI» ЖШС"));
    let json = serde_json::to_string(&entry).unwrap();
    for private in ["Мәңгілік", "Айгүл", "+7 701", "info@example.kz", "Конволюциялық"] {
        assert!(!json.contains(private), "{private} leaked into {json}");
    }
}

#[test]
fn annex_2_an_individuals_iin_is_never_published() {
    let body = BodyRef { code: "health".into(), name: kk("Денсаулық") };
    let mut form = complete_form();
    form.applicant.bin_iin = "880515300120".into();
    let entry = project(&form, "HEALTH-2026-0001", date(2026, 6, 2), &body).unwrap();
    assert_eq!(entry.owner_bin, None);
    assert!(!serde_json::to_string(&entry).unwrap().contains("880515300120"));
}
