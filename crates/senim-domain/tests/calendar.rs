//! Kazakhstan's working-day calendar and the deadlines of Rules §6, §7 and §8.

use jiff::civil::{Date, date};
use jiff::{Timestamp, ToSpan};
use proptest::prelude::*;
use senim_domain::calendar::{
    Calendar, CalendarError, DayKind, KZ_OFFSET_HOURS, SpecialDay, WorkingDays, YearCalendar, kz_date,
};
use senim_domain::lang::{Lang, LangText};

const FILES: [(i16, &str); 3] = [
    (2025, include_str!("../calendar/2025.toml")),
    (2026, include_str!("../calendar/2026.toml")),
    (2027, include_str!("../calendar/2027.toml")),
];

fn cal() -> Calendar {
    Calendar::builtin()
}

fn wd(n: u16) -> WorkingDays {
    WorkingDays::new(n).unwrap()
}

fn working(d: Date) -> bool {
    cal().is_working_day(d).unwrap()
}

// ---- The worked examples of the reference (2026) ----

#[test]
fn rules_6_examination_received_mon_18_may_2026_is_due_tue_2_june_skipping_kurban_ait() {
    let due = cal().due_date(date(2026, 5, 18), WorkingDays::EXAMINATION);
    assert_eq!(due, Ok(date(2026, 6, 2)));
}

#[test]
fn rules_6_examination_received_fri_20_march_2026_is_due_wed_8_april() {
    let due = cal().due_date(date(2026, 3, 20), WorkingDays::EXAMINATION);
    assert_eq!(due, Ok(date(2026, 4, 8)));
}

#[test]
fn rules_8_re_examination_received_fri_22_may_2026_is_due_mon_1_june() {
    let due = cal().due_date(date(2026, 5, 22), WorkingDays::RE_EXAMINATION);
    assert_eq!(due, Ok(date(2026, 6, 1)));
}

#[test]
fn rules_7_publication_after_inclusion_fri_23_october_2026_is_due_mon_2_november() {
    let due = cal().due_date(date(2026, 10, 23), WorkingDays::PUBLICATION);
    assert_eq!(due, Ok(date(2026, 11, 2)));
}

// ---- Registration on a non-working day ----

#[test]
fn submission_on_saturday_is_registered_on_monday() {
    assert_eq!(cal().registration_day(date(2026, 5, 23)), Ok(date(2026, 5, 25)));
    // …so the clock counts from Monday: + 5 → Tue 2 June (Wed 27 May, Kurban Ait, skipped).
    assert_eq!(cal().due_date(date(2026, 5, 23), WorkingDays::RE_EXAMINATION), Ok(date(2026, 6, 2)));
}

#[test]
fn submission_on_a_holiday_is_registered_on_the_next_working_day() {
    // Sat 21 March 2026 → Nauryz 23, 24, 25 March off → Thu 26 March.
    assert_eq!(cal().registration_day(date(2026, 3, 21)), Ok(date(2026, 3, 26)));
    assert_eq!(cal().registration_day(date(2026, 5, 27)), Ok(date(2026, 5, 28)));
}

#[test]
fn submission_on_a_working_day_is_registered_that_day() {
    assert_eq!(cal().registration_day(date(2026, 3, 20)), Ok(date(2026, 3, 20)));
}

// ---- The days of the calendar ----

#[test]
fn law_267_weekend_days_are_off_and_weekdays_work_unless_listed() {
    assert!(!working(date(2026, 4, 4)));
    assert!(!working(date(2026, 4, 5)));
    assert!(working(date(2026, 4, 6)));
}

#[test]
fn decree_2025_sunday_5_january_was_worked_and_friday_3_january_was_off() {
    assert!(working(date(2025, 1, 5)));
    assert!(!working(date(2025, 1, 3)));
    let y = cal();
    let y2025 = y.year(2025).unwrap();
    assert_eq!(y2025.special_day(date(2025, 1, 5)).unwrap().kind, DayKind::WorkingWeekend);
    assert_eq!(y2025.special_day(date(2025, 1, 3)).unwrap().kind, DayKind::Transferred);
    assert_eq!(y2025.working_weekends().count(), 1);
}

#[test]
fn constitution_2026_30_august_is_no_holiday_so_monday_31_august_2026_is_working() {
    assert!(!working(date(2026, 8, 30)), "a Sunday anyway");
    assert!(working(date(2026, 8, 31)));
    let y = cal();
    let names: Vec<&str> = y.year(2026).unwrap().days.iter().map(|d| d.name.best(Lang::En)).collect();
    assert!(!names.contains(&"Constitution Day"), "{names:?}");
}

#[test]
fn constitution_2026_15_march_2027_is_constitution_day_off() {
    assert!(!working(date(2027, 3, 15)));
    let y = cal();
    let day = y.year(2027).unwrap().special_day(date(2027, 3, 15)).unwrap();
    assert_eq!(day.name.get(Lang::En), Some("Constitution Day"));
}

#[test]
fn law_267_art_5_holiday_on_a_weekend_moves_the_day_off_to_monday() {
    // Victory Day, Sat 9 May 2026 → Mon 11 May.
    assert!(!working(date(2026, 5, 11)));
    let y = cal();
    let day = y.year(2026).unwrap().special_day(date(2026, 5, 11)).unwrap();
    assert_eq!(day.kind, DayKind::HolidayMoved);
}

#[test]
fn labour_code_84_kurban_ait_2027_on_a_sunday_adds_no_day_off() {
    assert!(working(date(2027, 5, 17)));
}

#[test]
fn working_days_in_2025_2026_2027_are_246_247_247() {
    let c = cal();
    let counts: Vec<(i16, u32)> = c.years().map(|y| (y.year, y.working_days_count())).collect();
    assert_eq!(counts, [(2025, 246), (2026, 247), (2027, 247)]);
}

#[test]
fn only_2027_is_provisional() {
    let c = cal();
    let provisional: Vec<i16> = c.years().filter(|y| y.provisional).map(|y| y.year).collect();
    assert_eq!(provisional, [2027]);
}

#[test]
fn every_builtin_day_is_named_in_kazakh_russian_and_english_and_every_year_cites_its_sources() {
    for y in cal().years() {
        assert!(y.sources.iter().any(|s| s.contains("No. 267")), "{}", y.year);
        assert!(y.sources.iter().any(|s| s.contains("Art. 84")), "{}", y.year);
        assert!(y.sources.iter().any(|s| s.contains(&format!("Government for {}", y.year))));
        for day in &y.days {
            for lang in Lang::ALL {
                assert!(day.name.get(lang).is_some(), "{} lacks {lang}", day.date);
            }
        }
    }
}

#[test]
fn non_working_weekdays_lists_the_reference_table() {
    let c = cal();
    let listed = |year: i16| -> Vec<String> {
        c.year(year).unwrap().non_working_weekdays().map(|d| d.date.strftime("%m-%d").to_string()).collect()
    };
    assert_eq!(
        listed(2025).join(" "),
        "01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-07 05-09 06-06 07-07 09-01 10-27 12-16"
    );
    assert_eq!(
        listed(2026).join(" "),
        "01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 05-27 07-06 10-26 12-16"
    );
    assert_eq!(
        listed(2027).join(" "),
        "01-01 01-04 01-07 03-08 03-15 03-22 03-23 03-24 05-03 05-07 05-10 07-06 10-25 12-16"
    );
}

// ---- Years without data ----

#[test]
fn a_year_without_data_is_an_error_never_a_guess() {
    let c = cal();
    for d in [date(2024, 12, 31), date(2028, 1, 3)] {
        let year = d.year();
        assert_eq!(c.is_working_day(d), Err(CalendarError::NoData { year }));
        assert_eq!(c.due_date(d, wd(1)), Err(CalendarError::NoData { year }));
    }
    assert_eq!(Calendar::empty().is_working_day(date(2026, 1, 5)).unwrap_err().code(), "calendar.no_data");
}

#[test]
fn a_deadline_running_into_a_year_without_data_is_an_error() {
    // 2027 ends on Friday 31 December; the 10 working days run into 2028.
    assert_eq!(cal().due_date(date(2027, 12, 24), WorkingDays::EXAMINATION), Err(CalendarError::NoData { year: 2028 }));
}

#[test]
fn deadlines_cross_the_year_end_from_december_2025_into_january_2026() {
    // Received Tue 23 Dec 2025: 24, 25, 26, 29, 30, 31 Dec; (1, 2 Jan off) 5, 6, (7 off) 8, 9 Jan.
    assert_eq!(cal().due_date(date(2025, 12, 23), WorkingDays::EXAMINATION), Ok(date(2026, 1, 9)));
    // Received Wed 31 Dec 2025 + 5: 5, 6, 8, 9, 12 January.
    assert_eq!(cal().due_date(date(2025, 12, 31), WorkingDays::RE_EXAMINATION), Ok(date(2026, 1, 12)));
}

// ---- An administrator's override ----

#[test]
fn an_override_replacing_2026_changes_the_deadline() {
    let mut c = cal();
    let text = FILES[1].1.replace(
        "[[days]]\ndate = 2026-03-24",
        "[[days]]\ndate = 2026-03-31\nkind = \"transferred\"\nname = { en = \"Test\" }\n\n[[days]]\ndate = 2026-03-24",
    );
    c.set_year(YearCalendar::from_toml(&text).unwrap());
    assert_eq!(c.due_date(date(2026, 3, 20), WorkingDays::EXAMINATION), Ok(date(2026, 4, 9)));

    // Replacing wholesale: a year without listed days is the bare five-day week.
    c.set_year(YearCalendar::from_toml("year = 2026").unwrap());
    assert_eq!(c.due_date(date(2026, 3, 20), WorkingDays::EXAMINATION), Ok(date(2026, 4, 3)));
    assert_eq!(c.year(2026).unwrap().working_days_count(), 261);
    assert_eq!(c.year(2025).unwrap().working_days_count(), 246, "other years untouched");
}

// ---- Kazakhstan time ----

#[test]
fn kz_date_18_59_59_utc_is_the_same_day_and_19_00_00_utc_the_next() {
    assert_eq!(KZ_OFFSET_HOURS, 5);
    let before: Timestamp = "2026-03-20T18:59:59Z".parse().unwrap();
    let after: Timestamp = "2026-03-20T19:00:00Z".parse().unwrap();
    assert_eq!(kz_date(before), date(2026, 3, 20));
    assert_eq!(kz_date(after), date(2026, 3, 21));
    // …and a Friday-evening submission received after 19:00 UTC counts from Saturday → Monday.
    assert_eq!(cal().registration_day(kz_date(after)), Ok(date(2026, 3, 26)));
}

// ---- Working days left and between ----

#[test]
fn working_days_left_is_zero_on_the_due_date_and_negative_after() {
    let c = cal();
    let due = date(2026, 4, 8);
    assert_eq!(c.working_days_left(date(2026, 3, 20), due), Ok(10));
    assert_eq!(c.working_days_left(date(2026, 4, 7), due), Ok(1));
    assert_eq!(c.working_days_left(due, due), Ok(0));
    assert_eq!(c.working_days_left(date(2026, 4, 9), due), Ok(-1));
    assert_eq!(c.working_days_left(date(2026, 4, 10), due), Ok(-2));
}

#[test]
fn the_weekend_after_a_friday_deadline_is_already_overdue() {
    let c = cal();
    let due = date(2026, 4, 10);
    assert_eq!(c.working_days_left(date(2026, 4, 11), due), Ok(-1));
    assert_eq!(c.working_days_left(date(2026, 4, 12), due), Ok(-1));
    assert_eq!(c.working_days_left(date(2026, 4, 13), due), Ok(-1));
    assert_eq!(c.working_days_left(date(2026, 4, 14), due), Ok(-2));
}

#[test]
fn working_days_between_excludes_from_and_includes_to() {
    let c = cal();
    assert_eq!(c.working_days_between(date(2026, 3, 20), date(2026, 3, 26)), Ok(1));
    assert_eq!(c.working_days_between(date(2026, 3, 26), date(2026, 3, 20)), Ok(-1));
    assert_eq!(c.working_days_between(date(2026, 3, 20), date(2026, 3, 20)), Ok(0));
    assert_eq!(c.working_days_between(date(2025, 12, 31), date(2026, 12, 31)), Ok(247));
}

// ---- Periods ----

#[test]
fn a_period_of_zero_working_days_is_refused() {
    assert!(matches!(WorkingDays::new(0), Err(CalendarError::Invalid(_))));
    assert_eq!(serde_json::to_string(&WorkingDays::EXAMINATION).unwrap(), "10");
    assert_eq!(serde_json::from_str::<WorkingDays>("5").unwrap(), WorkingDays::RE_EXAMINATION);
    assert!(serde_json::from_str::<WorkingDays>("0").is_err());
}

// ---- The files ----

#[test]
fn toml_round_trip_keeps_every_builtin_year() {
    for (year, text) in FILES {
        let parsed = YearCalendar::from_toml(text).unwrap();
        assert_eq!(parsed.year, year);
        let written = parsed.to_toml();
        assert_eq!(YearCalendar::from_toml(&written), Ok(parsed.clone()), "{written}");
        assert_eq!(YearCalendar::from_toml(&written).unwrap().to_toml(), written);
    }
}

#[test]
fn toml_round_trip_escapes_quotes_and_backslashes() {
    let y = YearCalendar {
        year: 2026,
        provisional: true,
        sources: vec!["Order \"No. 1\" \\ ministry\nsecond line".to_owned()],
        days: vec![SpecialDay {
            date: date(2026, 6, 1),
            kind: DayKind::Transferred,
            name: LangText::new().with(Lang::Ru, "День \"X\"").with(Lang::En, "Day 'X'"),
        }],
    };
    assert_eq!(YearCalendar::from_toml(&y.to_toml()), Ok(y));
}

#[test]
fn error_codes_are_stable() {
    assert_eq!(CalendarError::NoData { year: 2028 }.code(), "calendar.no_data");
    assert_eq!(YearCalendar::from_toml("year = ").unwrap_err().code(), "calendar.parse");
    assert_eq!(YearCalendar::from_toml("year = 1990").unwrap_err().code(), "calendar.invalid");
}

fn invalid(days: &str) -> bool {
    let text = format!("year = 2026\n{days}");
    matches!(YearCalendar::from_toml(&text), Err(CalendarError::Invalid(_)))
}

#[test]
fn a_file_is_refused_with_a_date_of_another_year_a_duplicate_or_a_kind_on_the_wrong_day() {
    let day = |date: &str, kind: &str| format!("[[days]]\ndate = {date}\nkind = \"{kind}\"\nname = {{ en = \"x\" }}\n");
    assert!(invalid(&day("2025-06-01", "holiday")), "another year");
    assert!(invalid(&(day("2026-06-01", "holiday") + &day("2026-06-01", "transferred"))), "twice");
    assert!(invalid(&day("2026-08-30", "holiday")), "a holiday on a Sunday is not listed");
    assert!(invalid(&day("2026-06-06", "transferred")), "Saturday off anyway");
    assert!(invalid(&day("2026-06-01", "working_weekend")), "a Monday");
    assert!(invalid(&day("2026-06-01T09:00:00", "holiday")), "a time");
    assert!(invalid("[[days]]\ndate = 2026-06-01\nkind = \"holiday\"\nname = { en = \" \" }\n"), "no name");
    assert!(!invalid(&(day("2026-06-01", "transferred") + &day("2026-06-06", "working_weekend"))));
}

#[test]
fn a_file_with_an_unknown_kind_or_field_is_a_parse_error() {
    let parse = |t: &str| YearCalendar::from_toml(t).unwrap_err().code();
    assert_eq!(
        parse("year = 2026\n[[days]]\ndate = 2026-06-01\nkind = \"feast\"\nname = { en = \"x\" }"),
        "calendar.parse"
    );
    assert_eq!(parse("year = 2026\nholidays = []"), "calendar.parse");
}

// ---- Properties ----

/// Dates from 1 January 2025 to 31 October 2027: far enough from the end of the data that a deadline
/// of up to 30 working days stays inside it.
fn received() -> impl Strategy<Value = Date> {
    let first = date(2025, 1, 1);
    let days = first.until(date(2027, 10, 31)).unwrap().get_days();
    (0..=days).prop_map(move |n| first.checked_add(n.days()).unwrap())
}

proptest! {
    #[test]
    fn rules_6_the_due_date_is_a_working_day_strictly_after_registration(
        d in received(), n in 1u16..=30
    ) {
        let c = cal();
        let reg = c.registration_day(d).unwrap();
        let due = c.due_date(d, wd(n)).unwrap();
        prop_assert!(reg >= d);
        prop_assert!(c.is_working_day(reg).unwrap());
        prop_assert!(c.is_working_day(due).unwrap());
        prop_assert!(due > reg);
    }

    #[test]
    fn rules_6_one_more_working_day_is_a_strictly_later_due_date(
        d in received(), n in 1u16..=29
    ) {
        let c = cal();
        prop_assert!(c.due_date(d, wd(n + 1)).unwrap() > c.due_date(d, wd(n)).unwrap());
    }

    #[test]
    fn rules_6_the_due_date_is_monotonic_in_the_day_of_receipt(
        d in received(), later in 0i64..=20, n in 1u16..=10
    ) {
        let c = cal();
        let e = d.checked_add(later.days()).unwrap();
        prop_assert!(c.due_date(e, wd(n)).unwrap() >= c.due_date(d, wd(n)).unwrap());
    }

    #[test]
    fn rules_6_on_the_day_of_registration_n_working_days_are_left(
        d in received(), n in 1u16..=30
    ) {
        let c = cal();
        let reg = c.registration_day(d).unwrap();
        let due = c.due_date(d, wd(n)).unwrap();
        prop_assert_eq!(c.working_days_left(reg, due).unwrap(), i32::from(n));
        prop_assert_eq!(c.working_days_between(due, reg).unwrap(), -i32::from(n));
    }

    #[test]
    fn working_days_between_adds_up_over_a_middle_date(
        a in received(), b in received(), m in received()
    ) {
        let c = cal();
        let ab = c.working_days_between(a, b).unwrap();
        prop_assert_eq!(ab, c.working_days_between(a, m).unwrap() + c.working_days_between(m, b).unwrap());
    }
}
