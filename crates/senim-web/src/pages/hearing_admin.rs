//! The administrator keeps the hearing's two periods (АППК Art. 73), as they keep the calendar.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use senim_domain::application::FieldError;
use senim_domain::hearing::HearingPeriods;
use senim_domain::role::Role;

use super::signup::SimpleForm;
use super::{Ctx, error_page, require_user};
use crate::AppState;
use crate::services::{ServiceError, procedure};

fn form(p: Ctx, notice: &str, objection: &str, errors: Vec<FieldError>, saved: bool) -> Response {
    let mut f = SimpleForm::new(p, "hearing-periods-title", "/admin/hearing", "hearing-periods-save")
        .lead("hearing-periods-lead")
        .lead("hearing-periods-source")
        .errors(errors)
        .field("notice_working_days", "text", "off", notice)
        .field("objection_working_days", "text", "off", objection);
    if saved {
        f.notice = f.p.t("hearing-periods-saved");
    }
    f.respond()
}

pub async fn show(p: Ctx, State(state): State<AppState>) -> Response {
    match require_user(&p) {
        Ok(u) if u.role == Role::Admin => {}
        Ok(_) => return error_page(&p, StatusCode::FORBIDDEN, "page-forbidden"),
        Err(r) => return r,
    }
    let periods = procedure::periods(&state).await.unwrap_or_default();
    form(p, &periods.notice_working_days.to_string(), &periods.objection_working_days.to_string(), vec![], false)
}

#[derive(serde::Deserialize)]
pub struct PeriodsForm {
    #[serde(default)]
    notice_working_days: String,
    #[serde(default)]
    objection_working_days: String,
}

pub async fn save(p: Ctx, State(state): State<AppState>, Form(f): Form<PeriodsForm>) -> Response {
    let user = match require_user(&p) {
        Ok(u) if u.role == Role::Admin => u.clone(),
        Ok(_) => return error_page(&p, StatusCode::FORBIDDEN, "page-forbidden"),
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let mut number = |field: &'static str, text: &str| match text.trim().parse::<u16>() {
        Ok(n) => n,
        Err(_) => {
            errors.push(FieldError::new(field, "hearing.period_range"));
            0
        }
    };
    let periods = HearingPeriods {
        notice_working_days: number("notice_working_days", &f.notice_working_days),
        objection_working_days: number("objection_working_days", &f.objection_working_days),
    };
    if !errors.is_empty() {
        return form(p, &f.notice_working_days, &f.objection_working_days, errors, false);
    }
    match procedure::set_periods(&state, &user, periods).await {
        Ok(()) => form(p, &f.notice_working_days, &f.objection_working_days, vec![], true),
        Err(ServiceError::Invalid(errors)) => form(p, &f.notice_working_days, &f.objection_working_days, errors, false),
        Err(e) => super::service_error(&p, e),
    }
}
