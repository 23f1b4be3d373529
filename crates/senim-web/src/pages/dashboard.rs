//! The dashboard page: the body's (or every body's) figures against the Rules' clocks, with charts
//! drawn on the server and the same figures in tables.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::application::FieldError;
use senim_domain::role::Role;
use senim_domain::stats::Stats;

use super::{Ctx, render, service_error};
use crate::AppState;
use crate::charts::{self, BLUE, ORANGE, Series};
use crate::services::ServiceError;
use crate::services::dashboard::{self, Dashboard, DashboardQuery};

/// Who sees a dashboard: every staff role.
const VIEWERS: [Role; 5] = [Role::Reviewer, Role::Publisher, Role::BodyAdmin, Role::Observer, Role::Admin];

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub p: Ctx,
    pub q: DashboardQuery,
    pub errors: Vec<FieldError>,
    pub dash: Option<Dashboard>,
    /// Bodies to choose from (observer and administrator): code, name.
    pub choices: Vec<(String, String)>,
}

/// One line of the per-body table.
pub struct BodyLine {
    pub code: String,
    pub name: String,
    pub s: Stats,
}

impl DashboardPage {
    pub fn err(&self, field: &str) -> String {
        self.errors.iter().find(|e| e.field == field).map(|e| self.p.error_text(e)).unwrap_or_default()
    }
    pub fn from(&self) -> String {
        match (&self.q.from, &self.dash) {
            (Some(f), _) if !f.trim().is_empty() => f.clone(),
            (_, Some(d)) => d.stats.from.to_string(),
            _ => String::new(),
        }
    }
    pub fn to(&self) -> String {
        match (&self.q.to, &self.dash) {
            (Some(t), _) if !t.trim().is_empty() => t.clone(),
            (_, Some(d)) => d.stats.to.to_string(),
            _ => String::new(),
        }
    }
    pub fn period_fields(&self) -> Vec<(&'static str, String)> {
        vec![("from", self.from()), ("to", self.to())]
    }
    pub fn chosen_body(&self) -> &str {
        self.q.body.as_deref().unwrap_or("")
    }
    pub fn scope(&self) -> String {
        match self.dash.as_ref().and_then(|d| d.body.as_ref()) {
            Some(b) => self.p.text(&b.name),
            None => self.p.t("dash-all-bodies"),
        }
    }
    pub fn median(&self, s: &Stats) -> String {
        s.median_working_days.map_or_else(|| "—".into(), |m| format!("{m}"))
    }
    pub fn share(&self, s: &Stats) -> String {
        s.share_within_deadline.map_or_else(|| "—".into(), |m| format!("{m}%"))
    }
    pub fn lines(&self) -> Vec<BodyLine> {
        self.dash
            .as_ref()
            .map(|d| {
                d.per_body
                    .iter()
                    .map(|(b, s)| BodyLine { code: b.code.clone(), name: self.p.text(&b.short_name), s: s.clone() })
                    .collect()
            })
            .unwrap_or_default()
    }
    /// Received and decided rounds by month.
    pub fn monthly_chart(&self) -> String {
        let Some(d) = &self.dash else { return String::new() };
        let months: Vec<String> = d.stats.months.iter().map(|m| m.month.clone()).collect();
        charts::grouped_bars(
            "chart-months",
            &self.p.t("dash-chart-months"),
            &self.p.t("dash-chart-months-desc"),
            &months,
            &[
                Series {
                    label: self.p.t("dash-received"),
                    colour: BLUE,
                    values: d.stats.months.iter().map(|m| m.received).collect(),
                },
                Series {
                    label: self.p.t("dash-decided"),
                    colour: ORANGE,
                    values: d.stats.months.iter().map(|m| m.decided).collect(),
                },
            ],
        )
    }
    /// Decisions in the period by outcome, and within or past the deadline.
    pub fn outcome_chart(&self) -> String {
        let Some(d) = &self.dash else { return String::new() };
        let s = &d.stats;
        let rows = vec![
            (self.p.t("dash-included"), f64::from(s.included), s.included.to_string()),
            (self.p.t("dash-nonconforming"), f64::from(s.nonconforming), s.nonconforming.to_string()),
            (self.p.t("dash-within"), f64::from(s.decided_within_deadline), s.decided_within_deadline.to_string()),
            (
                self.p.t("dash-late"),
                f64::from(s.decided - s.decided_within_deadline),
                (s.decided - s.decided_within_deadline).to_string(),
            ),
            (self.p.t("dash-overdue"), f64::from(s.overdue_now), s.overdue_now.to_string()),
        ];
        let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
        charts::horizontal_bars(
            "chart-outcomes",
            &self.p.t("dash-chart-outcomes"),
            &self.p.t("dash-chart-outcomes-desc"),
            &rows,
            max,
        )
    }
    /// Every body's share of decisions within the deadline.
    pub fn bodies_chart(&self) -> String {
        let lines = self.lines();
        if lines.is_empty() {
            return String::new();
        }
        let rows: Vec<(String, f64, String)> = lines
            .iter()
            .map(|l| (l.name.clone(), l.s.share_within_deadline.unwrap_or(0.0), self.share(&l.s)))
            .collect();
        charts::horizontal_bars(
            "chart-bodies",
            &self.p.t("dash-chart-bodies"),
            &self.p.t("dash-chart-bodies-desc"),
            &rows,
            100.0,
        )
    }
}

pub async fn page(p: Ctx, State(state): State<AppState>, Query(q): Query<DashboardQuery>) -> Response {
    let user = match super::staff::staff(&p, &state, &VIEWERS).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let choices = if matches!(user.role, Role::Observer | Role::Admin) {
        senim_store::bodies::all(&state.store)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|b| (b.code.clone(), p.text(&b.short_name)))
            .collect()
    } else {
        vec![]
    };
    match dashboard::dashboard(&state, &user, &q, Timestamp::now()).await {
        Ok(d) => render(&DashboardPage { p, q, errors: vec![], dash: Some(d), choices }),
        Err(ServiceError::Invalid(errors)) => {
            let page = DashboardPage { p, q, errors, dash: None, choices };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => service_error(&p, e),
    }
}
