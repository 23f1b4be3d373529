//! The test kit of the workflow tests: the application's state on a test database with the state
//! bodies and accounts, a complete draft, the Kazakhstan morning of a day, a §6 checklist.
#![allow(dead_code)]

use jiff::Timestamp;
use senim_app::services::{applications, demo};
use senim_app::{AppState, Config};
use senim_domain::application::AttachmentKind;
use senim_domain::review::{CheckOutcome, ChecklistInput};
use senim_domain::role::Role;
use senim_store::testing::TestDb;
use senim_store::users::{self, NewUser, User};

/// The application's state on `db`, with the state bodies, an applicant and a health reviewer.
pub async fn health(db: &TestDb) -> (AppState, User, User) {
    let state = AppState::load(db.store.clone(), Config::default()).await.unwrap();
    demo::ensure_bodies(&state).await.unwrap();
    let applicant = account(&state, "a@dariger.kz", Role::Applicant, None).await;
    let reviewer = account(&state, "r@health.kz", Role::Reviewer, Some("health")).await;
    (state, applicant, reviewer)
}

pub async fn account(state: &AppState, email: &str, role: Role, body: Option<&str>) -> User {
    let mut tx = state.store.begin().await.unwrap();
    let hash = senim_app::passwords::hash_password("a long test password").unwrap();
    let user = users::create(&mut tx, NewUser { email, name: email, password_hash: &hash, role, body_code: body })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    user
}

/// A complete draft with both documents attached: its id.
pub async fn complete_draft(state: &AppState, applicant: &User) -> String {
    let app = applications::create(state, applicant, demo::sample_form("health", 0)).await.unwrap();
    for kind in [AttachmentKind::AuditReport, AttachmentKind::CopyrightCertificate] {
        let pdf = senim_pdfread::raw::text_page(kind.code());
        applications::attach(state, applicant, &app.id, kind, "d.pdf", &pdf).await.unwrap();
    }
    app.id
}

/// 10:00 in Astana (UTC+5) on a day of 2026.
pub fn morning(month: i8, day: i8) -> Timestamp {
    format!("2026-{month:02}-{day:02}T05:00:00Z").parse().unwrap()
}

pub fn checks(audit_pass: bool) -> ChecklistInput {
    let pass = CheckOutcome { pass: Some(true), comment: String::new() };
    let audit =
        if audit_pass { pass.clone() } else { CheckOutcome { pass: Some(false), comment: "Басқа БСН".into() } };
    ChecklistInput { completeness: pass.clone(), copyright: pass, audit }
}

/// Rules §8 after the hearing (АППК Art. 73): the audit check fails, the applicant waives the
/// objection, the reviewer issues the notice — all on `at`. The notice's act number.
pub async fn notice(state: &AppState, applicant: &User, reviewer: &User, id: &str, at: Timestamp) -> String {
    use senim_app::services::hearing::{self, FinalDecisionInput};
    use senim_app::services::review::{self, Outcome};
    let outcome = review::decide(state, reviewer, id, &checks(false), at).await.unwrap();
    assert!(matches!(outcome, Outcome::Hearing { .. }), "{outcome:?}");
    let waive = senim_domain::hearing::ObjectionInput { waive: true, ..Default::default() };
    hearing::object(state, applicant, id, &waive, at).await.unwrap();
    let input = FinalDecisionInput { outcome: "nonconforming".into(), ..Default::default() };
    match hearing::decide(state, reviewer, id, &input, at).await.unwrap() {
        Outcome::Nonconforming { act, .. } => act,
        other => panic!("{other:?}"),
    }
}
