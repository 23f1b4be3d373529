//! One year of the working-day calendar and its TOML file.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::day::{CalendarError, DayKind, SpecialDay, is_weekend};
use crate::lang::LangText;

/// The earliest year a calendar may describe: the Republic's independence.
const FIRST_YEAR: i16 = 1991;
/// The latest year a date can have.
const LAST_YEAR: i16 = 9999;

/// One year of Kazakhstan's working-day calendar: the deviations from the five-day week.
///
/// Saturdays and Sundays are days off and Monday to Friday are working days, except the listed
/// [`SpecialDay`]s:
///
/// - `holiday`, `holiday_moved` and `transferred` days are weekdays off, so they fall on Monday to
///   Friday only;
/// - `working_weekend` days are Saturdays or Sundays worked, so they fall on a weekend only.
///
/// A holiday that falls on a Saturday or Sunday is **not listed**: it changes nothing by itself (the
/// day is off anyway), and the weekday off it causes is listed as `holiday_moved`. Listing it is an
/// error, so that a mistyped date cannot hide in a file. The TOML form is:
///
/// ```toml
/// year = 2026
/// provisional = false
/// sources = ["Law of the Republic of Kazakhstan of 13 December 2001 No. 267 …"]
///
/// [[days]]
/// date = 2026-01-01
/// kind = "holiday"
/// name = { kk = "Жаңа жыл", ru = "Новый год", en = "New Year" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i16,
    /// The year is built before the Government's decree for it: shown as such to administrators.
    pub provisional: bool,
    /// The legal acts (and, where needed, reports) the data rests on.
    pub sources: Vec<String>,
    /// The listed days, in date order when read from a file.
    pub days: Vec<SpecialDay>,
}

/// The file's shape before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i16,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    days: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    /// A TOML local date (`2026-01-01`, unquoted).
    date: toml::value::Datetime,
    kind: DayKind,
    name: LangText,
}

/// A TOML local date as a civil date; times and offsets are refused.
fn local_date(at: usize, dt: &toml::value::Datetime) -> Result<Date, CalendarError> {
    let invalid = || CalendarError::Invalid(format!("days[{at}]: `{dt}` is not a local date such as 2026-01-01"));
    let d = match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => d,
        _ => return Err(invalid()),
    };
    let year = i16::try_from(d.year).map_err(|_| invalid())?;
    let month = i8::try_from(d.month).map_err(|_| invalid())?;
    let day = i8::try_from(d.day).map_err(|_| invalid())?;
    Date::new(year, month, day).map_err(|_| invalid())
}

impl YearCalendar {
    /// Reads and validates a year's file (see [`YearCalendar::validate`]); the days come out in date
    /// order and names without blank languages.
    pub fn from_toml(s: &str) -> Result<YearCalendar, CalendarError> {
        let raw: RawYear = toml::from_str(s).map_err(|e| CalendarError::Parse(e.to_string()))?;
        let mut days = raw
            .days
            .iter()
            .enumerate()
            .map(|(at, day)| {
                Ok(SpecialDay { date: local_date(at, &day.date)?, kind: day.kind, name: day.name.normalized() })
            })
            .collect::<Result<Vec<_>, CalendarError>>()?;
        days.sort_by_key(|day| day.date);
        let year = YearCalendar {
            year: raw.year,
            provisional: raw.provisional,
            sources: raw.sources.iter().map(|s| s.trim().to_owned()).collect(),
            days,
        };
        year.validate()?;
        Ok(year)
    }

    /// Checks the rules of a year's data:
    ///
    /// - the year is between 1991 and 9999, and every listed date is in it;
    /// - no date is listed twice;
    /// - `holiday`, `holiday_moved` and `transferred` fall on Monday to Friday (a holiday on a weekend
    ///   is not listed), `working_weekend` on Saturday or Sunday;
    /// - every day has a name in at least one language, and no source is blank.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let invalid = |msg: String| Err(CalendarError::Invalid(msg));
        if !(FIRST_YEAR..=LAST_YEAR).contains(&self.year) {
            return invalid(format!("year {} is outside {FIRST_YEAR}–{LAST_YEAR}", self.year));
        }
        if self.sources.iter().any(|s| s.trim().is_empty()) {
            return invalid("a source is blank".to_owned());
        }
        let mut seen = BTreeSet::new();
        for day in &self.days {
            let d = day.date;
            if d.year() != self.year {
                return invalid(format!("{d} is not in {}", self.year));
            }
            if !seen.insert(d) {
                return invalid(format!("{d} is listed twice"));
            }
            let weekend = is_weekend(d);
            if day.kind.is_day_off() && weekend {
                return invalid(format!(
                    "{d} is a {:?}, off anyway: a holiday on a weekend is not listed, the weekday \
                     off it causes is (kind \"holiday_moved\")",
                    d.weekday()
                ));
            }
            if !day.kind.is_day_off() && !weekend {
                return invalid(format!(
                    "{d} is a {:?}: only a Saturday or Sunday can be a working_weekend",
                    d.weekday()
                ));
            }
            if !day.name.is_complete() {
                return invalid(format!("{d} has no name"));
            }
        }
        Ok(())
    }

    /// The year's file, in the form [`YearCalendar::from_toml`] reads (days in date order).
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail; the results are ignored for that reason.
        let _ = writeln!(out, "year = {}", self.year);
        let _ = writeln!(out, "provisional = {}", self.provisional);
        if self.sources.is_empty() {
            out.push_str("sources = []\n");
        } else {
            out.push_str("sources = [\n");
            for source in &self.sources {
                let _ = writeln!(out, "    {},", toml_string(source));
            }
            out.push_str("]\n");
        }
        let mut days: Vec<&SpecialDay> = self.days.iter().collect();
        days.sort_by_key(|day| day.date);
        for day in days {
            let names: Vec<String> =
                day.name.iter().map(|(lang, text)| format!("{} = {}", lang.code(), toml_string(text))).collect();
            let _ = write!(
                out,
                "\n[[days]]\ndate = {}\nkind = {}\nname = {{ {} }}\n",
                day.date,
                toml_string(day.kind.as_str()),
                names.join(", ")
            );
        }
        out
    }

    /// The number of working days in the year: weekdays not listed as off, plus weekend days worked.
    ///
    /// 2025: 246, 2026: 247, 2027 (provisional): 247.
    pub fn working_days_count(&self) -> u32 {
        let Ok(first) = Date::new(self.year, 1, 1) else {
            return 0;
        };
        first.series(1.day()).take_while(|d| d.year() == self.year).map(|d| u32::from(self.is_working(d))).sum()
    }

    /// The weekdays off (holidays, moved holidays, transferred days), for `senim calendar show`.
    pub fn non_working_weekdays(&self) -> impl Iterator<Item = &SpecialDay> {
        self.days.iter().filter(|day| day.kind.is_day_off() && !is_weekend(day.date))
    }

    /// The Saturdays and Sundays worked.
    pub fn working_weekends(&self) -> impl Iterator<Item = &SpecialDay> {
        self.days.iter().filter(|day| !day.kind.is_day_off() && is_weekend(day.date))
    }

    /// The listed day on `d`, if any.
    pub fn special_day(&self, d: Date) -> Option<&SpecialDay> {
        self.days.iter().find(|day| day.date == d)
    }

    /// Whether `d` (a date of this year) is a working day: a listed day decides by its kind, any other
    /// day by the five-day week.
    pub(super) fn is_working(&self, d: Date) -> bool {
        match self.special_day(d) {
            Some(day) => !day.kind.is_day_off(),
            None => !is_weekend(d),
        }
    }
}

/// A TOML basic string, escaped.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}
