//! The deadline engine's calls: the dashboards' figures (Rules §6, §7, §8) and the audit-report
//! cross-check of §6, fourth paragraph.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiLang, ApiUser};
use super::{ApiPath as Path, ApiQuery as Query};
use crate::AppState;
use crate::error::ApiError;
use crate::services::crosscheck::{self, AuditCheck};
use crate::services::dashboard::{self, DashboardQuery};

/// One body's figures.
#[derive(Serialize, ToSchema)]
pub struct BodyStats {
    pub body: String,
    /// See `GET /api/v1/dashboard`.
    #[schema(value_type = Object)]
    pub stats: senim_domain::stats::Stats,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardAnswer {
    /// The body, or null for every body.
    pub body: Option<String>,
    /// `from`, `to`, `today`; `received` (`received_first`, `received_resubmissions`); `decided`
    /// (`included`, `nonconforming`); `median_working_days` and `share_within_deadline` (percent),
    /// null when nothing was decided; `open`, `overdue_now`, `due_soon`; `publications_pending` and
    /// `publications_overdue`; `months`: the twelve months ending with `to`, each with `received`
    /// and `decided`.
    #[schema(value_type = Object)]
    pub stats: senim_domain::stats::Stats,
    /// АППК Art. 73 in the period: `preliminary_decisions` issued, `late` ones (issued after the last day
    /// that lets the objection period end before the deadline), and notices `skipped` the hearing.
    pub hearing: crate::services::dashboard::HearingFigures,
    /// For every body: each body with rounds or pending publications.
    pub by_body: Vec<BodyStats>,
}

/// The figures of the dashboard: the caller's body for its staff; any body (`body`) or every body for
/// the observer and the administrator. The period is `from`..`to` (dates, both included; default:
/// this year to today); what is overdue is counted as of today.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "reviewer", security(("bearer" = [])),
    params(DashboardQuery),
    responses((status = 200, body = DashboardAnswer), (status = 401), (status = 403), (status = 404),
        (status = 422, description = "a date that is not YYYY-MM-DD, or `from` after `to`")))]
pub async fn dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Query(q): Query<DashboardQuery>,
) -> Result<Json<DashboardAnswer>, ApiError> {
    let d =
        dashboard::dashboard(&state, &user, &q, Timestamp::now()).await.map_err(|e| ApiError::from(e).lang(lang))?;
    Ok(Json(DashboardAnswer {
        body: d.body.map(|b| b.code),
        stats: d.stats,
        hearing: d.hearing,
        by_body: d.per_body.into_iter().map(|(b, stats)| BodyStats { body: b.code, stats }).collect(),
    }))
}

/// Rules §6, fourth paragraph: where each fact of the current round (system name, owner/holder name, BIN/IIN,
/// auditor, audit date, conclusions) appears in the text of its audit report. `state`: `no_report`,
/// `unreadable` (with `error`) or `read`; a read report is `report: checked` with `pages` and
/// `facts` (each `fact`, `expected`, `result`: `found` with `page` and `excerpt`, `partial` with
/// `page` and `percent`, `missing`, `not_given`), or `report: no_text` for a scan without a text layer.
#[utoipa::path(get, path = "/api/v1/applications/{id}/audit-check", tag = "reviewer", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 403), (status = 404)))]
pub async fn audit_check(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiLang(lang): ApiLang,
    Path(id): Path<String>,
) -> Result<Json<AuditCheck>, ApiError> {
    Ok(Json(crosscheck::audit_report(&state, &user, &id).await.map_err(|e| ApiError::from(e).lang(lang))?))
}
