//! What the case pages show of the hearing (АППК Arts. 73, 74): the preliminary decision and its dates,
//! the objections, the hearing records, every act that ended a round (Art. 78 ff.), and a refused
//! hearing form's input. The forms' handlers are in `hearing.rs`.

use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::calendar::kz_date;
use senim_domain::fields::Values;
use senim_domain::hearing::{HearingForm, final_decision_blocker};
use senim_domain::role::Role;
use senim_domain::status::Status;
use senim_store::applications::Application;
use senim_store::hearing::{Objection, Preliminary, StoredHearing};

use super::Ctx;
use crate::AppState;
use crate::services::acts::{self, ActView};
use crate::services::hearing;

/// Which hearing form a refused post came from, with what was typed and what was wrong.
#[derive(Debug, Clone, Default)]
pub struct Posted {
    pub form: &'static str,
    pub values: Values,
    pub errors: Vec<FieldError>,
}

/// What the case pages show of the hearing.
pub struct Panel {
    pub round: i64,
    pub preliminary: Option<Preliminary>,
    pub legal_basis: Vec<acts::LegalBasis>,
    pub objections: Vec<Objection>,
    pub hearings: Vec<StoredHearing>,
    pub acts: Vec<ActView>,
    /// The case is in the hearing now.
    pub open: bool,
    /// The applicant may still answer (the objection period runs, no waiver yet).
    pub may_object: bool,
    /// Why the final decision must wait, in words (empty when it may be taken).
    pub blocker: String,
    pub posted: Posted,
    /// The reviewer's position as their last act named it.
    pub position: String,
    pub today: String,
}

impl Panel {
    pub fn err(&self, form: &str, field: &str) -> Option<&FieldError> {
        (self.posted.form == form).then(|| self.posted.errors.iter().find(|e| e.field == field)).flatten()
    }
    pub fn value(&self, form: &str, key: &str) -> String {
        if self.posted.form == form { self.posted.values.get(key).cloned().unwrap_or_default() } else { String::new() }
    }
    pub fn forms(&self) -> Vec<&'static str> {
        HearingForm::ALL.iter().map(|f| f.code()).collect()
    }
    pub fn answered(&self) -> bool {
        !self.objections.is_empty()
    }
}

/// The hearing panel of `app` for the signed-in user.
pub async fn panel(p: &Ctx, state: &AppState, app: &Application, posted: Posted) -> Panel {
    let file = hearing::file_of(state, &app.id).await.unwrap_or_default();
    let reviews = senim_store::applications::reviews(&state.store, &app.id).await.unwrap_or_default();
    let body = senim_store::bodies::get(&state.store, &app.body_code).await.ok().flatten();
    let body_name = body.as_ref().map(|b| p.text(&b.name)).unwrap_or_default();
    let role = p.t("role-label-reviewer");
    let acts = file
        .acts
        .iter()
        .filter_map(|a| {
            let r = reviews.iter().find(|r| r.round == a.round)?;
            Some(acts::view(a, &r.checks, &body_name, &role, p.lang))
        })
        .collect();
    let round = app.current_round;
    let open = app.status == Status::Hearing;
    let today = kz_date(Timestamp::now());
    let preliminary = file.preliminary(round).cloned().filter(|_| open || app.status == Status::Nonconforming);
    let objections: Vec<Objection> = file.objections_of(round).cloned().collect();
    let hearings: Vec<StoredHearing> = file.hearings_of(round).cloned().collect();
    let requested = objections.iter().any(|o| o.hearing_requested);
    let (may_object, blocker) = match preliminary.as_ref().filter(|_| open) {
        Some(pre) => {
            let waived = objections.iter().any(|o| o.waived);
            let blocker =
                final_decision_blocker(today, &pre.dates, !objections.is_empty(), requested, !hearings.is_empty());
            let words = match blocker {
                Some("hearing.objection_period") => {
                    p.ta("decision-wait", "date", &pre.dates.objection_due_on.to_string())
                }
                Some(code) => p.error_text(&FieldError::new("", code)),
                None => String::new(),
            };
            (today <= pre.dates.objection_due_on && !waived, words)
        }
        None => (false, String::new()),
    };
    let legal_basis =
        preliminary.as_ref().map(|pre| acts::legal_basis(&pre.checks.results, p.lang)).unwrap_or_default();
    let position = match &p.user {
        Some(u) if u.role == Role::Reviewer => {
            senim_store::hearing::position(&state.store, &u.id).await.unwrap_or_default()
        }
        _ => String::new(),
    };
    Panel {
        round,
        preliminary,
        legal_basis,
        objections,
        hearings,
        acts,
        open,
        may_object,
        blocker,
        posted,
        position,
        today: today.to_string(),
    }
}
