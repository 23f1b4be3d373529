//! The hearing before an unfavourable decision (АППК Art. 73) and its record (Art. 74).
//!
//! A failed §6 check no longer ends the round at once: the reviewer issues a *preliminary decision*
//! (алдын ала шешім) with its reasons; the applicant may object (қарсылық) within the objection period,
//! ask to be heard, or say they will not object; the reviewer keeps a record of a hearing (тыңдау
//! хаттамасы); only then is the final decision (the administrative act) taken. The preliminary decision
//! must reach the applicant at least the notice period before the decision is due, so that the
//! objection period ends inside the §6/§8 deadline.
//!
//! The two periods are data with their legal source ([`HearingPeriods`]), kept by the administrator.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::application::FieldError;
use crate::calendar::{Calendar, CalendarError};
use crate::lang::LangText;

/// The hearing's two periods, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingPeriods {
    /// АППК Art. 73(1): the participant is told of the preliminary decision at least this many working
    /// days before the administrative act is adopted.
    pub notice_working_days: u16,
    /// АППК Art. 73(3): an objection is due within this many working days of receiving the
    /// preliminary decision.
    pub objection_working_days: u16,
}

impl Default for HearingPeriods {
    fn default() -> Self {
        HearingPeriods { notice_working_days: 3, objection_working_days: 2 }
    }
}

impl HearingPeriods {
    /// Each period is 1–30 working days, and the objection period ends before the notice period does
    /// (otherwise the objection could not be considered in time).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, n) in
            [("notice_working_days", self.notice_working_days), ("objection_working_days", self.objection_working_days)]
        {
            if !(1..=30).contains(&n) {
                errors.push(FieldError::new(field, "hearing.period_range"));
            }
        }
        if errors.is_empty() && self.objection_working_days >= self.notice_working_days {
            errors.push(FieldError::new("objection_working_days", "hearing.objection_after_notice"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// АППК Art. 73(1): the last day on which the preliminary decision can be issued for a decision
    /// due on `decision_due_on` — the latest working day with at least the notice period of working
    /// days after it, up to and including the due day.
    pub fn last_day_to_issue(&self, calendar: &Calendar, decision_due_on: Date) -> Result<Date, CalendarError> {
        let mut d = decision_due_on;
        loop {
            d = d.yesterday().map_err(|_| CalendarError::NoData { year: d.year() })?;
            if calendar.is_working_day(d)?
                && calendar.working_days_between(d, decision_due_on)? >= i32::from(self.notice_working_days)
            {
                return Ok(d);
            }
        }
    }

    /// АППК Art. 73(3): the last day of the objection period for a preliminary decision delivered on
    /// `issued_on` (delivery through Senim is immediate: the page, the API and the e-mail). Counted
    /// like the Rules' clocks: day 1 is the first working day after delivery.
    pub fn objection_due_on(&self, calendar: &Calendar, issued_on: Date) -> Result<Date, CalendarError> {
        let n = crate::calendar::WorkingDays::new(self.objection_working_days)?;
        calendar.due_date(issued_on, n)
    }
}

/// The dates of one preliminary decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingDates {
    pub issued_on: Date,
    pub objection_due_on: Date,
    /// The round's §6/§8 deadline: the final decision is owed by then.
    pub decision_due_on: Date,
    /// Issued later than [`HearingPeriods::last_day_to_issue`]: the objection period may run past the
    /// deadline. Counted on the dashboard.
    pub late: bool,
}

impl HearingDates {
    pub fn of(
        periods: &HearingPeriods,
        calendar: &Calendar,
        issued_on: Date,
        decision_due_on: Date,
    ) -> Result<HearingDates, CalendarError> {
        let last = periods.last_day_to_issue(calendar, decision_due_on)?;
        Ok(HearingDates {
            issued_on,
            objection_due_on: periods.objection_due_on(calendar, issued_on)?,
            decision_due_on,
            late: issued_on > last,
        })
    }
}

/// How a hearing was held (АППК Art. 73(2): by invitation, by video or other means of communication,
/// or through an information system — a written objection considered without a meeting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingForm {
    InPerson,
    Video,
    Written,
}

impl HearingForm {
    pub const ALL: [HearingForm; 3] = [HearingForm::InPerson, HearingForm::Video, HearingForm::Written];

    pub fn code(self) -> &'static str {
        match self {
            HearingForm::InPerson => "in_person",
            HearingForm::Video => "video",
            HearingForm::Written => "written",
        }
    }

    pub fn parse(s: &str) -> Option<HearingForm> {
        Self::ALL.into_iter().find(|f| f.code() == s)
    }
}

/// The applicant's answer to a preliminary decision, as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ObjectionInput {
    /// The objection in one or more languages.
    pub text: LangText,
    /// The applicant asks to be heard (in person or by video), not only read.
    pub hearing_requested: bool,
    /// The applicant will not object: the final decision need not wait for the objection period.
    pub waive: bool,
}

impl ObjectionInput {
    /// An objection has a text (at most 20,000 characters); a waiver has none.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let text = self.text.normalized();
        let empty = text.iter().next().is_none();
        let long = text.iter().any(|(_, t)| t.chars().count() > 20_000);
        let error = if self.waive && self.hearing_requested {
            Some(("hearing_requested", "objection.waive_conflict"))
        } else if self.waive && !empty {
            Some(("text", "objection.waive_conflict"))
        } else if !self.waive && empty {
            Some(("text", "required"))
        } else if long {
            Some(("text", "too_long"))
        } else {
            None
        };
        match error {
            Some((field, code)) => Err(vec![FieldError::new(field, code)]),
            None => Ok(()),
        }
    }
}

/// The record of a hearing as the reviewer enters it (АППК Art. 74(2): place and date, who took part,
/// the matter, the substance of what was said).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HearingRecordInput {
    pub held_on: String,
    pub form: String,
    /// The room's address, or the video link.
    pub place: String,
    /// Who took part: the official(s), the applicant's representatives.
    pub participants: String,
    pub summary: LangText,
}

/// A checked hearing record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingRecord {
    pub held_on: Date,
    pub form: HearingForm,
    pub place: String,
    pub participants: String,
    pub summary: LangText,
}

impl HearingRecordInput {
    /// Every problem at once; a hearing is not recorded before the preliminary decision or in the
    /// future.
    pub fn parse(&self, issued_on: Date, today: Date) -> Result<HearingRecord, Vec<FieldError>> {
        let mut errors = Vec::new();
        let held_on = match self.held_on.trim().parse::<Date>() {
            Ok(d) if d < issued_on => {
                errors.push(FieldError::new("held_on", "hearing.before_preliminary"));
                None
            }
            Ok(d) if d > today => {
                errors.push(FieldError::new("held_on", "hearing.in_future"));
                None
            }
            Ok(d) => Some(d),
            Err(_) if self.held_on.trim().is_empty() => {
                errors.push(FieldError::new("held_on", "required"));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("held_on", "date.format"));
                None
            }
        };
        let form = HearingForm::parse(self.form.trim());
        if form.is_none() {
            errors.push(FieldError::new("form", if self.form.trim().is_empty() { "required" } else { "hearing.form" }));
        }
        let place = self.place.trim().to_owned();
        if place.is_empty() && form != Some(HearingForm::Written) {
            errors.push(FieldError::new("place", "required"));
        }
        let participants = self.participants.trim().to_owned();
        if participants.is_empty() {
            errors.push(FieldError::new("participants", "required"));
        }
        let summary = self.summary.normalized();
        if summary.iter().next().is_none() {
            errors.push(FieldError::new("summary", "required"));
        }
        for (field, n) in [("place", place.chars().count()), ("participants", participants.chars().count())] {
            if n > 2_000 {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        match (held_on, form, errors.is_empty()) {
            (Some(held_on), Some(form), true) => Ok(HearingRecord { held_on, form, place, participants, summary }),
            _ => Err(errors),
        }
    }
}

/// Why the final decision cannot be taken yet (АППК Art. 73): the objection period runs and the
/// applicant has neither objected nor waived, or a hearing was asked for and has no record.
pub fn final_decision_blocker(
    today: Date,
    dates: &HearingDates,
    answered: bool,
    hearing_requested: bool,
    hearing_recorded: bool,
) -> Option<&'static str> {
    if !answered && today <= dates.objection_due_on {
        Some("hearing.objection_period")
    } else if hearing_requested && !hearing_recorded {
        Some("hearing.record_required")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use jiff::civil::date;

    #[test]
    fn appk_73_the_default_periods_are_three_and_two_working_days() {
        let p = HearingPeriods::default();
        assert_eq!((p.notice_working_days, p.objection_working_days), (3, 2));
        assert_eq!(p.validate(), Ok(()));
        let bad = HearingPeriods { notice_working_days: 2, objection_working_days: 2 };
        assert_eq!(bad.validate().unwrap_err()[0].code, "hearing.objection_after_notice");
        let bad = HearingPeriods { notice_working_days: 0, objection_working_days: 31 };
        assert_eq!(bad.validate().unwrap_err().len(), 2);
    }

    #[test]
    fn appk_73_part_1_the_preliminary_decision_is_due_three_working_days_before_the_decision() {
        let cal = Calendar::builtin();
        let p = HearingPeriods::default();
        // Decision due Tuesday 2 June 2026: Friday 29 May, Monday 1 and Tuesday 2 June are the three
        // working days after Thursday 28 May.
        assert_eq!(p.last_day_to_issue(&cal, date(2026, 6, 2)).unwrap(), date(2026, 5, 28));
        // Due Monday 8 June 2026: the weekend is skipped — Wednesday 3 June.
        assert_eq!(p.last_day_to_issue(&cal, date(2026, 6, 8)).unwrap(), date(2026, 6, 3));
    }

    #[test]
    fn appk_73_part_3_an_objection_is_due_two_working_days_after_delivery() {
        let cal = Calendar::builtin();
        let p = HearingPeriods::default();
        // Delivered Thursday 28 May 2026: Friday 29 May and Monday 1 June.
        assert_eq!(p.objection_due_on(&cal, date(2026, 5, 28)).unwrap(), date(2026, 6, 1));
        let on_time = HearingDates::of(&p, &cal, date(2026, 5, 28), date(2026, 6, 2)).unwrap();
        assert!(!on_time.late && on_time.objection_due_on < on_time.decision_due_on);
        let late = HearingDates::of(&p, &cal, date(2026, 5, 29), date(2026, 6, 2)).unwrap();
        assert!(late.late);
    }

    #[test]
    fn appk_73_the_decision_waits_for_the_objection_or_its_period_and_for_a_requested_hearing() {
        let cal = Calendar::builtin();
        let dates = HearingDates::of(&HearingPeriods::default(), &cal, date(2026, 5, 28), date(2026, 6, 2)).unwrap();
        let during = date(2026, 6, 1);
        assert_eq!(final_decision_blocker(during, &dates, false, false, false), Some("hearing.objection_period"));
        assert_eq!(final_decision_blocker(during, &dates, true, false, false), None, "objected or waived");
        assert_eq!(final_decision_blocker(date(2026, 6, 2), &dates, false, false, false), None, "period over");
        assert_eq!(final_decision_blocker(during, &dates, true, true, false), Some("hearing.record_required"));
        assert_eq!(final_decision_blocker(during, &dates, true, true, true), None);
    }

    #[test]
    fn an_objection_has_a_text_and_a_waiver_has_none() {
        let text = LangText::new().with(Lang::Kk, "Аудиторлық қорытындыда БСН дұрыс көрсетілген");
        assert_eq!(ObjectionInput { text: text.clone(), ..Default::default() }.validate(), Ok(()));
        assert_eq!(ObjectionInput::default().validate().unwrap_err()[0].field, "text");
        assert_eq!(ObjectionInput { waive: true, ..Default::default() }.validate(), Ok(()));
        let both = ObjectionInput { text, waive: true, ..Default::default() };
        assert_eq!(both.validate().unwrap_err()[0].code, "objection.waive_conflict");
    }

    #[test]
    fn appk_74_a_hearing_record_says_when_where_who_and_what() {
        let issued = date(2026, 5, 28);
        let today = date(2026, 6, 1);
        let errors = HearingRecordInput::default().parse(issued, today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["held_on", "form", "place", "participants", "summary"]);
        let input = HearingRecordInput {
            held_on: "2026-05-29".into(),
            form: "video".into(),
            place: "https://meet.gov.kz/room/42".into(),
            participants: "А. Серікқызы (бас сарапшы); Б. Ахметов («Көз AI» ЖШС директоры)".into(),
            summary: LangText::new().with(Lang::Kk, "Өтініш беруші аудиторлық қорытындының жаңа нұсқасын ұсынды"),
        };
        let record = input.parse(issued, today).unwrap();
        assert_eq!((record.held_on, record.form), (date(2026, 5, 29), HearingForm::Video));
        let early = HearingRecordInput { held_on: "2026-05-27".into(), ..input.clone() };
        assert_eq!(early.parse(issued, today).unwrap_err()[0].code, "hearing.before_preliminary");
        let no_place = HearingRecordInput { place: String::new(), ..input.clone() };
        assert_eq!(no_place.parse(issued, today).unwrap_err()[0].field, "place");
        let written = HearingRecordInput { place: String::new(), form: "written".into(), ..input };
        assert!(written.parse(issued, today).is_ok(), "a written objection needs no place");
    }
}
