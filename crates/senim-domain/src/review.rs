//! The examination of Rules §6 and the decision it leads to (§7 or §8).

use serde::{Deserialize, Serialize};

use crate::application::FieldError;

/// The three checks of Rules §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// §6, second paragraph: the application is completely filled in per Annex 1 (name, purpose and area,
    /// functionality, goals and conditions of use).
    Completeness,
    /// §6, third paragraph: the applicant has the copyright certificate and/or the author's contract.
    Copyright,
    /// §6, fourth paragraph: the audit report is present and matches the application.
    Audit,
}

impl Check {
    pub const ALL: [Check; 3] = [Check::Completeness, Check::Copyright, Check::Audit];

    pub fn code(self) -> &'static str {
        match self {
            Check::Completeness => "completeness",
            Check::Copyright => "copyright",
            Check::Audit => "audit",
        }
    }

    /// The paragraph (абзац) of Rules §6 that states the check, counted from the paragraph that opens
    /// §6: its paragraphs are not numbered, so a check is cited as "6-тармақтың екінші абзацы" /
    /// "абзац второй пункта 6" / "§6, second paragraph", never as "6.1".
    pub fn paragraph(self) -> u8 {
        match self {
            Check::Completeness => 2,
            Check::Copyright => 3,
            Check::Audit => 4,
        }
    }

    /// The translation key of the check's citation (`rule-6-completeness` …).
    pub fn citation_key(self) -> &'static str {
        match self {
            Check::Completeness => "rule-6-completeness",
            Check::Copyright => "rule-6-copyright",
            Check::Audit => "rule-6-audit",
        }
    }
}

/// One check's outcome, as the reviewer records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub pass: Option<bool>,
    #[serde(default)]
    pub comment: String,
}

/// The reviewer's checklist as entered: every check must have an outcome, a fail needs a comment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChecklistInput {
    pub completeness: CheckOutcome,
    pub copyright: CheckOutcome,
    pub audit: CheckOutcome,
}

/// A complete, consistent checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub results: Vec<CheckResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: Check,
    pub pass: bool,
    pub comment: String,
}

/// What the checklist decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Rules §7: every check passed — include in the List.
    Include,
    /// Rules §8: a notice of nonconformity listing the failed checks with their comments.
    Nonconformity(Vec<CheckResult>),
}

impl ChecklistInput {
    /// Parses the reviewer's input, returning every problem at once.
    pub fn parse(&self) -> Result<Checklist, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut results = Vec::new();
        for (check, outcome) in [
            (Check::Completeness, &self.completeness),
            (Check::Copyright, &self.copyright),
            (Check::Audit, &self.audit),
        ] {
            let comment = outcome.comment.trim().to_owned();
            match outcome.pass {
                None => errors.push(FieldError::new(format!("checks.{}.pass", check.code()), "required")),
                Some(false) if comment.is_empty() => errors
                    .push(FieldError::new(format!("checks.{}.comment", check.code()), "review.fail_needs_comment")),
                Some(pass) => results.push(CheckResult { check, pass, comment }),
            }
        }
        if errors.is_empty() { Ok(Checklist { results }) } else { Err(errors) }
    }
}

impl Checklist {
    /// Rules §7 and §8: all pass → include; any fail → notice.
    pub fn decision(&self) -> Decision {
        let failed: Vec<CheckResult> = self.results.iter().filter(|r| !r.pass).cloned().collect();
        if failed.is_empty() { Decision::Include } else { Decision::Nonconformity(failed) }
    }
}

/// Rules §6 second paragraph's sub-points, as the reviewer checks them: the Annex 1 fields each one needs, and
/// whether the round's form gives each of them (in at least one language).
pub fn completeness_points(form: &crate::application::ApplicationForm) -> Vec<(&'static str, bool)> {
    let s = &form.system;
    vec![
        ("name", s.name.is_complete()),
        ("purpose_area", s.purpose.is_complete() && s.area.is_complete()),
        ("functionality", s.functionality.is_complete()),
        ("goals_conditions", s.conditions_of_use.is_complete()),
    ]
}

#[cfg(test)]
mod completeness_tests {
    use super::*;
    use crate::lang::{Lang, LangText};

    #[test]
    fn rules_6_second_paragraph_sub_points_follow_the_form() {
        let mut form = crate::application::ApplicationForm::default();
        let both = LangText::new().with(Lang::Kk, "а").with(Lang::Ru, "б");
        form.system.name = both.clone();
        form.system.purpose = both.clone();
        form.system.functionality = LangText::new().with(Lang::Ru, "только по-русски");
        let points = completeness_points(&form);
        assert_eq!(
            points,
            vec![("name", true), ("purpose_area", false), ("functionality", true), ("goals_conditions", false)]
        );
        form.system.area = both.clone();
        form.system.conditions_of_use = both;
        assert!(completeness_points(&form).iter().all(|(_, ok)| *ok));
    }
}
