//! Kazakhstan's working-day calendar and the Rules' deadlines.
//!
//! The Rules count their clocks in working days of the five-day week: 10 for the examination of an
//! application (Rules §6), 5 for the examination of a resubmission (Rules §8) and 5 for publication
//! after inclusion (Rules §7).
//!
//! **The calendar is data.** Saturday and Sunday are days off; so are the holidays of the Law "On
//! holidays in the Republic of Kazakhstan" (13 December 2001 No. 267); a holiday falling on a day off
//! moves the day off to the next working day (Art. 5 of that Law), except 7 January and the first day of
//! Kurban Ait (Labour Code Art. 84 p. 5); and the Government moves days off for each year by decree,
//! which can make a Saturday or Sunday a working day. Since those acts change (the Constitution of 2026
//! removed 30 August and added 15 March), each year is a file, [`YearCalendar`], listing only the
//! deviations from the five-day week. Three years are built in ([`Calendar::builtin`]); an administrator
//! can replace any year ([`Calendar::set_year`]). A date in a year without data is an error
//! ([`CalendarError::NoData`]), never a guess.
//!
//! **Counting.** The day of receipt is the calendar date in Kazakhstan time ([`kz_date`]). A submission
//! on a non-working day is registered on the next working day ([`Calendar::registration_day`]). Day 1 is
//! the first working day after the day of registration, and the deadline is the end of the N-th working
//! day ([`Calendar::due_date`]): received Friday 20 March 2026, the ten working days of Rules §6 end on
//! Wednesday 8 April 2026 (23–25 March are days off).

mod day;
mod year;

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use day::{CalendarError, DayKind, SpecialDay};
pub use year::YearCalendar;

/// Kazakhstan's offset from UTC, in hours: one zone, UTC+5, since 1 March 2024, without daylight saving.
pub const KZ_OFFSET_HOURS: i8 = 5;

/// Rules/architecture: the day of receipt is the calendar date in Kazakhstan time (UTC+5, one zone since
/// 1 March 2024).
///
/// 18:59:59 UTC is still the same day in Kazakhstan; 19:00:00 UTC is the next one. The fixed offset is
/// used for every instant, including those before March 2024 (when part of the country was at UTC+6):
/// Senim holds no earlier submissions.
pub fn kz_date(at: Timestamp) -> Date {
    jiff::tz::offset(KZ_OFFSET_HOURS).to_datetime(at).date()
}

/// A period of the Rules, in working days (at least one).
///
/// Serialized as a plain number; deserializing rejects 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct WorkingDays(u16);

impl WorkingDays {
    /// Rules §6: the examination of an application (round 1) takes at most 10 working days.
    pub const EXAMINATION: WorkingDays = WorkingDays(10);
    /// Rules §8: the examination of a resubmission after a notice of nonconformity, 5 working days.
    pub const RE_EXAMINATION: WorkingDays = WorkingDays(5);
    /// Rules §7: publication of the List within 5 working days of an inclusion.
    pub const PUBLICATION: WorkingDays = WorkingDays(5);

    /// A period of `n` working days; `n` must be at least 1.
    pub fn new(n: u16) -> Result<WorkingDays, CalendarError> {
        if n == 0 {
            return Err(CalendarError::Invalid("a period is at least one working day".to_owned()));
        }
        Ok(WorkingDays(n))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for WorkingDays {
    type Error = CalendarError;

    fn try_from(n: u16) -> Result<Self, Self::Error> {
        WorkingDays::new(n)
    }
}

impl From<WorkingDays> for u16 {
    fn from(n: WorkingDays) -> u16 {
        n.0
    }
}

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The built-in years, as shipped. 2027 is provisional until the Government's decree for it is entered.
const BUILTIN: [&str; 3] = [
    include_str!("../calendar/2025.toml"),
    include_str!("../calendar/2026.toml"),
    include_str!("../calendar/2027.toml"),
];

/// The working-day calendar: one [`YearCalendar`] per year with data.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i16, YearCalendar>,
}

impl Calendar {
    /// The years shipped with Senim: 2025, 2026 and 2027 (provisional).
    ///
    /// The files are parsed on each call. They are checked by the tests, so none is ever skipped; were
    /// one unreadable, its year would have no data (an error at the point of use) rather than a panic.
    pub fn builtin() -> Calendar {
        let mut calendar = Calendar::empty();
        for source in BUILTIN {
            if let Ok(year) = YearCalendar::from_toml(source) {
                calendar.set_year(year);
            }
        }
        calendar
    }

    /// A calendar without any year: every question is [`CalendarError::NoData`].
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// Sets a year's data, replacing the whole year if present (an administrator's override).
    ///
    /// The data is taken as given; build it with [`YearCalendar::from_toml`] or check it with
    /// [`YearCalendar::validate`] first.
    pub fn set_year(&mut self, year: YearCalendar) {
        self.years.insert(year.year, year);
    }

    pub fn year(&self, year: i16) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    /// The years with data, in order.
    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    /// Whether `d` is a working day; [`CalendarError::NoData`] for a year without data.
    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarError> {
        let year = d.year();
        self.years.get(&year).map(|y| y.is_working(d)).ok_or(CalendarError::NoData { year })
    }

    /// A submission on a non-working day is registered on the next working day.
    ///
    /// `received_on` is the date of receipt in Kazakhstan time ([`kz_date`]); on a working day it is the
    /// day of registration itself.
    pub fn registration_day(&self, received_on: Date) -> Result<Date, CalendarError> {
        let mut d = received_on;
        // Ends: each year with data has finitely many days, and a year without data is an error.
        while !self.is_working_day(d)? {
            d = next_day(d)?;
        }
        Ok(d)
    }

    /// Day 1 is the first working day after the day of registration; the deadline is the end of the
    /// N-th working day.
    ///
    /// Rules §6 (`n` = [`WorkingDays::EXAMINATION`]): received Friday 20 March 2026 → Wednesday
    /// 8 April 2026. The deadline is always a working day.
    pub fn due_date(&self, received_on: Date, n: WorkingDays) -> Result<Date, CalendarError> {
        let mut d = self.registration_day(received_on)?;
        let mut left = n.get();
        while left > 0 {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Working days left from `today` to `due` (exclusive of today, inclusive of due): 0 when due today,
    /// negative (working days overdue, counted the same way) when past.
    ///
    /// Past a deadline the answer is never 0: the Saturday after a Friday deadline is already −1, and
    /// so is the Monday after it; Tuesday is −2.
    pub fn working_days_left(&self, today: Date, due: Date) -> Result<i32, CalendarError> {
        let n = self.working_days_between(today, due)?;
        Ok(if due < today { n.min(-1) } else { n })
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); used for "working days to decision"
    /// statistics.
    ///
    /// When `to` is before `from` the count runs from `to` (exclusive) to `from` (inclusive) and is
    /// negative; equal dates give 0.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i32, CalendarError> {
        let (mut d, end, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut count = 0i32;
        while d < end {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }
}

/// The next calendar day; past 9999-12-31 there is, naturally, no data.
fn next_day(d: Date) -> Result<Date, CalendarError> {
    d.tomorrow().map_err(|_| CalendarError::NoData { year: d.year().saturating_add(1) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn every_builtin_file_parses() {
        for source in BUILTIN {
            if let Err(e) = YearCalendar::from_toml(source) {
                panic!("{e}");
            }
        }
        let years: Vec<i16> = Calendar::builtin().years().map(|y| y.year).collect();
        assert_eq!(years, [2025, 2026, 2027]);
    }

    #[test]
    fn the_last_representable_day_has_no_next_year() {
        let end = date(9999, 12, 31);
        assert_eq!(next_day(end), Err(CalendarError::NoData { year: 10000 }));
    }

    #[test]
    fn the_rules_periods_are_ten_and_five_working_days() {
        assert_eq!(WorkingDays::EXAMINATION.get(), 10);
        assert_eq!(WorkingDays::RE_EXAMINATION.get(), 5);
        assert_eq!(WorkingDays::PUBLICATION.get(), 5);
    }
}
