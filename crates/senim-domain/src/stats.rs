//! The body's performance against the Rules' clocks (§6: 10 working days, §8: 5 for a resubmission,
//! §7: 5 to publish), as a body's head and the observer read it on the dashboard.
//!
//! Counted per round: each submission or resubmission is a case with its own clock. Over a period
//! (calendar dates in Kazakhstan time, both ends included):
//! - *received*: rounds received in the period (first rounds and resubmissions apart);
//! - *decided*: rounds decided in the period, by outcome (included or nonconforming);
//! - *median working days to decision*: from the day of registration to the day of the decision,
//!   counted like the deadline (the first working day after registration is day 1);
//! - *share within the deadline*: of the rounds decided in the period, those decided on or before
//!   their due date;
//! - *overdue now* and *due within two working days*: open rounds as of `today`, whatever the period;
//! - *publications pending* and *overdue*: inclusions not yet in an edition (§7), as of `today`.

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::{Calendar, CalendarError};

/// One round as the statistics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFact {
    pub body_code: String,
    pub round: i64,
    pub received_on: Date,
    pub due_on: Date,
    /// The decision's date and whether it included the system.
    pub decided: Option<(Date, bool)>,
    /// Still awaiting a decision (the application's current round, submitted or under review).
    pub open: bool,
}

/// An inclusion waiting for publication (Rules §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationFact {
    pub body_code: String,
    pub due_on: Date,
}

/// One month's bars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub received: u32,
    pub decided: u32,
}

/// The figures of one dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub from: Date,
    pub to: Date,
    pub today: Date,
    pub received: u32,
    pub received_first: u32,
    pub received_resubmissions: u32,
    pub decided: u32,
    pub included: u32,
    pub nonconforming: u32,
    /// `None` when nothing was decided in the period.
    pub median_working_days: Option<f64>,
    pub decided_within_deadline: u32,
    /// Percent, one decimal; `None` when nothing was decided.
    pub share_within_deadline: Option<f64>,
    pub open: u32,
    pub overdue_now: u32,
    pub due_soon: u32,
    pub publications_pending: u32,
    pub publications_overdue: u32,
    /// The twelve months ending with the month of `to`.
    pub months: Vec<Month>,
}

/// Computes the figures; `today` decides what is overdue now.
pub fn compute(
    calendar: &Calendar,
    rounds: &[RoundFact],
    publications: &[PublicationFact],
    from: Date,
    to: Date,
    today: Date,
) -> Result<Stats, CalendarError> {
    let within = |d: Date| from <= d && d <= to;
    let mut s = Stats {
        from,
        to,
        today,
        received: 0,
        received_first: 0,
        received_resubmissions: 0,
        decided: 0,
        included: 0,
        nonconforming: 0,
        median_working_days: None,
        decided_within_deadline: 0,
        share_within_deadline: None,
        open: 0,
        overdue_now: 0,
        due_soon: 0,
        publications_pending: 0,
        publications_overdue: 0,
        months: months_ending(to),
    };
    let mut durations = Vec::new();
    for r in rounds {
        if within(r.received_on) {
            s.received += 1;
            if r.round > 1 {
                s.received_resubmissions += 1;
            } else {
                s.received_first += 1;
            }
        }
        if let Some(m) = s.months.iter_mut().find(|m| m.month == month_key(r.received_on)) {
            m.received += 1;
        }
        if let Some((on, included)) = r.decided {
            if let Some(m) = s.months.iter_mut().find(|m| m.month == month_key(on)) {
                m.decided += 1;
            }
            if within(on) {
                s.decided += 1;
                if included {
                    s.included += 1;
                } else {
                    s.nonconforming += 1;
                }
                if on <= r.due_on {
                    s.decided_within_deadline += 1;
                }
                let start = calendar.registration_day(r.received_on)?;
                durations.push(calendar.working_days_between(start, on)?.max(0));
            }
        }
        if r.open {
            s.open += 1;
            let left = calendar.working_days_left(today, r.due_on)?;
            if left < 0 {
                s.overdue_now += 1;
            } else if left <= 2 {
                s.due_soon += 1;
            }
        }
    }
    for p in publications {
        s.publications_pending += 1;
        if p.due_on < today {
            s.publications_overdue += 1;
        }
    }
    s.median_working_days = median(&mut durations);
    if s.decided > 0 {
        s.share_within_deadline = Some(round1(f64::from(s.decided_within_deadline) * 100.0 / f64::from(s.decided)));
    }
    Ok(s)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn median(v: &mut [i32]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 { f64::from(v[n / 2]) } else { (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0 })
}

fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn months_ending(to: Date) -> Vec<Month> {
    let (mut y, mut m) = (i32::from(to.year()), i32::from(to.month()));
    let mut out = Vec::with_capacity(12);
    for _ in 0..12 {
        out.push(Month { month: format!("{y:04}-{m:02}"), received: 0, decided: 0 });
        m -= 1;
        if m == 0 {
            m = 12;
            y -= 1;
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn round(n: i64, received: Date, due: Date, decided: Option<(Date, bool)>, open: bool) -> RoundFact {
        RoundFact { body_code: "health".into(), round: n, received_on: received, due_on: due, decided, open }
    }

    #[test]
    fn counts_medians_and_shares_over_the_period_and_the_open_cases_as_of_today() {
        let cal = Calendar::builtin();
        // Rules §6: received Friday 20 March 2026, due Wednesday 8 April (Nauryz 21–25 March).
        let rounds = vec![
            // Decided on the due date: 10 working days, within.
            round(1, date(2026, 3, 20), date(2026, 4, 8), Some((date(2026, 4, 8), false)), false),
            // Rules §8: the resubmission, 5 working days, decided a day late.
            round(2, date(2026, 4, 13), date(2026, 4, 20), Some((date(2026, 4, 21), true)), false),
            // Open, overdue as of 4 May.
            round(1, date(2026, 4, 14), date(2026, 4, 28), None, true),
            // Open, due the next working day.
            round(1, date(2026, 4, 21), date(2026, 5, 5), None, true),
            // Before the period: counted in its month, not in the period.
            round(1, date(2025, 12, 1), date(2025, 12, 15), Some((date(2025, 12, 10), true)), false),
        ];
        let pubs = vec![
            PublicationFact { body_code: "health".into(), due_on: date(2026, 4, 28) },
            PublicationFact { body_code: "health".into(), due_on: date(2026, 5, 8) },
        ];
        let s = compute(&cal, &rounds, &pubs, date(2026, 1, 1), date(2026, 5, 4), date(2026, 5, 4)).unwrap();
        assert_eq!((s.received, s.received_first, s.received_resubmissions), (4, 3, 1));
        assert_eq!((s.decided, s.included, s.nonconforming), (2, 1, 1));
        assert_eq!(s.decided_within_deadline, 1);
        assert_eq!(s.share_within_deadline, Some(50.0));
        // 10 and 6 working days.
        assert_eq!(s.median_working_days, Some(8.0));
        assert_eq!((s.open, s.overdue_now, s.due_soon), (2, 1, 1));
        assert_eq!((s.publications_pending, s.publications_overdue), (2, 1));
        assert_eq!(s.months.len(), 12);
        assert_eq!(s.months[0].month, "2025-06");
        let dec = s.months.iter().find(|m| m.month == "2025-12").unwrap();
        assert_eq!((dec.received, dec.decided), (1, 1));
        let apr = s.months.iter().find(|m| m.month == "2026-04").unwrap();
        assert_eq!((apr.received, apr.decided), (3, 2));
    }

    #[test]
    fn nothing_decided_gives_no_median_and_no_share() {
        let s =
            compute(&Calendar::builtin(), &[], &[], date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 1)).unwrap();
        assert_eq!((s.median_working_days, s.share_within_deadline), (None, None));
        assert_eq!(s.months.first().unwrap().month, "2026-01");
        assert_eq!(s.months.last().unwrap().month, "2026-12");
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut [7]), Some(7.0));
    }
}
