//! The days of a calendar year that deviate from the five-day week, and what can go wrong reading them.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::lang::LangText;

/// Why a listed day deviates from the five-day week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A holiday on a weekday (Law No. 267).
    Holiday,
    /// A weekday off because a holiday fell on a Saturday or Sunday (Law No. 267, Art. 5).
    HolidayMoved,
    /// A weekday off moved from another day by the Government's decree for the year.
    Transferred,
    /// A Saturday or Sunday worked by the Government's decree for the year.
    WorkingWeekend,
}

impl DayKind {
    /// The name used in the data files: `holiday`, `holiday_moved`, `transferred`, `working_weekend`.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::HolidayMoved => "holiday_moved",
            DayKind::Transferred => "transferred",
            DayKind::WorkingWeekend => "working_weekend",
        }
    }

    /// Whether a day of this kind is a day off (every kind but `working_weekend`).
    pub fn is_day_off(self) -> bool {
        self != DayKind::WorkingWeekend
    }
}

/// A day listed in a year's calendar: a weekday off or a weekend day worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: Date,
    pub kind: DayKind,
    pub name: LangText,
}

/// Why the calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The calendar has no data for the year: an administrator must enter it.
    #[error("the working-day calendar has no data for {year}")]
    NoData { year: i16 },
    /// A calendar file is not well-formed TOML of the expected shape.
    #[error("the calendar file cannot be read: {0}")]
    Parse(String),
    /// A calendar (or a period) breaks a rule of the calendar.
    #[error("the calendar is invalid: {0}")]
    Invalid(String),
}

impl CalendarError {
    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::NoData { .. } => "calendar.no_data",
            CalendarError::Parse(_) => "calendar.parse",
            CalendarError::Invalid(_) => "calendar.invalid",
        }
    }
}

/// Saturday or Sunday.
pub(super) fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}
