//! `/admin/calendar/{year}`: the system administrator sees and edits a year of the working-day
//! calendar — holidays, weekdays off moved by law or decree, weekend days worked — as a form over the
//! year's TOML data ([`senim_domain::calendar::YearCalendar`]).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use senim_domain::calendar::{DayKind, SpecialDay, YearCalendar};
use senim_domain::lang::{Lang, LangText};
use senim_domain::role::Role;
use senim_store::users::User;

use super::{Ctx, error_page, render, require_user, service_error};
use crate::AppState;
use crate::services::{ServiceError, calendar_admin as svc};

const KINDS: [DayKind; 4] = [DayKind::Holiday, DayKind::HolidayMoved, DayKind::Transferred, DayKind::WorkingWeekend];
/// Blank rows offered for new days.
const BLANK_ROWS: usize = 3;

pub struct DayRow {
    pub i: usize,
    pub date: String,
    pub weekday: String,
    pub kind: String,
    pub kk: String,
    pub ru: String,
    pub en: String,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
pub struct CalendarPage {
    pub p: Ctx,
    pub year: i16,
    pub has_data: bool,
    pub provisional: bool,
    pub sources: String,
    pub working_days: u32,
    pub rows: Vec<DayRow>,
    pub error: String,
    pub notice: String,
}

impl CalendarPage {
    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        KINDS.iter().map(|k| (k.as_str(), self.p.t(&format!("calendar-kind-{}", k.as_str())))).collect()
    }
    pub fn prev(&self) -> i16 {
        self.year - 1
    }
    pub fn next(&self) -> i16 {
        self.year + 1
    }
}

fn admin(p: &Ctx) -> Result<User, Response> {
    let user = require_user(p)?.clone();
    if user.role != Role::Admin {
        return Err(error_page(p, StatusCode::FORBIDDEN, "page-forbidden"));
    }
    Ok(user)
}

fn year_of(p: &Ctx, year: &str) -> Result<i16, Response> {
    year.parse::<i16>()
        .ok()
        .filter(|y| (1991..=9999).contains(y))
        .ok_or_else(|| error_page(p, StatusCode::NOT_FOUND, "page-not-found"))
}

fn rows_of(days: &[SpecialDay]) -> Vec<DayRow> {
    let mut rows: Vec<DayRow> = days
        .iter()
        .enumerate()
        .map(|(i, d)| DayRow {
            i,
            date: d.date.to_string(),
            weekday: d.date.strftime("%a").to_string(),
            kind: d.kind.as_str().to_owned(),
            kk: d.name.get(Lang::Kk).unwrap_or_default().to_owned(),
            ru: d.name.get(Lang::Ru).unwrap_or_default().to_owned(),
            en: d.name.get(Lang::En).unwrap_or_default().to_owned(),
        })
        .collect();
    let n = rows.len();
    rows.extend((n..n + BLANK_ROWS).map(|i| DayRow {
        i,
        date: String::new(),
        weekday: String::new(),
        kind: String::new(),
        kk: String::new(),
        ru: String::new(),
        en: String::new(),
    }));
    rows
}

fn page_of(p: Ctx, year: i16, data: Option<&YearCalendar>, error: String, notice: String) -> CalendarPage {
    CalendarPage {
        p,
        year,
        has_data: data.is_some(),
        provisional: data.is_none_or(|y| y.provisional),
        sources: data.map(|y| y.sources.join("\n")).unwrap_or_default(),
        working_days: data.map_or(0, YearCalendar::working_days_count),
        rows: rows_of(data.map_or(&[][..], |y| &y.days)),
        error,
        notice,
    }
}

pub async fn show(p: Ctx, State(state): State<AppState>, Path(year): Path<String>) -> Response {
    let user = match admin(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let year = match year_of(&p, &year) {
        Ok(y) => y,
        Err(r) => return r,
    };
    match svc::year(&state, &user, year) {
        Ok(data) => render(&page_of(p, year, data.as_ref(), String::new(), String::new())),
        Err(e) => service_error(&p, e),
    }
}

/// Reads the form into a year; a row without a date is skipped, a row marked `remove` is dropped.
fn parse_form(year: i16, form: &[(String, String)]) -> Result<YearCalendar, String> {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let mut days = Vec::new();
    for i in 0..1000 {
        let prefix = format!("d{i}-");
        if !form.iter().any(|(n, _)| n.starts_with(&prefix)) {
            break;
        }
        let date = get(&format!("d{i}-date"));
        if date.is_empty() || get(&format!("d{i}-remove")) == "yes" {
            continue;
        }
        let date = date.parse().map_err(|_| format!("{date}: YYYY-MM-DD"))?;
        let kind =
            KINDS.into_iter().find(|k| k.as_str() == get(&format!("d{i}-kind"))).ok_or_else(|| format!("{date}: ?"))?;
        let name = LangText::new()
            .with(Lang::Kk, get(&format!("d{i}-kk")))
            .with(Lang::Ru, get(&format!("d{i}-ru")))
            .with(Lang::En, get(&format!("d{i}-en")))
            .normalized();
        days.push(SpecialDay { date, kind, name });
    }
    days.sort_by_key(|d| d.date);
    let sources = get("sources").lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let year = YearCalendar { year, provisional: get("provisional") == "yes", sources, days };
    year.validate().map_err(|e| e.to_string())?;
    Ok(year)
}

pub async fn save(
    p: Ctx,
    State(state): State<AppState>,
    Path(year): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let user = match admin(&p) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let year = match year_of(&p, &year) {
        Ok(y) => y,
        Err(r) => return r,
    };
    let data = match parse_form(year, &form) {
        Ok(d) => d,
        Err(detail) => {
            // Show what was typed, with the reason, and keep it.
            let typed = typed_rows(&form);
            let mut page = page_of(p, year, None, String::new(), String::new());
            page.error = format!("{} {detail}", page.p.t("err-calendar-invalid"));
            page.rows = typed;
            page.provisional = form.iter().any(|(n, v)| n == "provisional" && v == "yes");
            page.sources = form.iter().find(|(n, _)| n == "sources").map(|(_, v)| v.clone()).unwrap_or_default();
            page.has_data = state.calendar().year(year).is_some();
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response();
        }
    };
    match svc::save(&state, &user, data, Timestamp::now()).await {
        Ok(saved) => {
            let current = state.calendar().year(year).cloned();
            let notice =
                p.ta("calendar-saved", "moved", &(saved.moved.len() + saved.publications_moved.len()).to_string());
            render(&page_of(p, year, current.as_ref(), String::new(), notice))
        }
        Err(ServiceError::Invalid(_)) => {
            let msg = p.t("err-calendar-invalid");
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page_of(p, year, None, msg, String::new()))).into_response()
        }
        Err(e) => service_error(&p, e),
    }
}

/// The rows as typed, to show again beside an error.
fn typed_rows(form: &[(String, String)]) -> Vec<DayRow> {
    let get = |k: String| form.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    (0..1000)
        .take_while(|i| form.iter().any(|(n, _)| n.starts_with(&format!("d{i}-"))))
        .map(|i| DayRow {
            i,
            date: get(format!("d{i}-date")),
            weekday: String::new(),
            kind: get(format!("d{i}-kind")),
            kk: get(format!("d{i}-kk")),
            ru: get(format!("d{i}-ru")),
            en: get(format!("d{i}-en")),
        })
        .collect()
}

/// `/admin/calendar`: this year's page (Kazakhstan's calendar date).
pub async fn this_year(p: Ctx) -> Response {
    // Refused like the year's page itself (the authorisation matrix holds every route to its class).
    if let Err(r) = admin(&p) {
        return r;
    }
    let year = senim_domain::calendar::kz_date(Timestamp::now()).year();
    super::see_other(&format!("/admin/calendar/{year}"))
}
