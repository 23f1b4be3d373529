//! Rules §6, fourth paragraph: the audit report must match the application. The reviewer sees, for each fact that
//! must match (system name, owner/holder name, BIN/IIN, auditor, audit date, conclusions), whether and
//! where it appears in the text of the uploaded report.
//!
//! The text comes from the PDF's text layer, one string per page (extraction is the caller's job).
//! Matching is deliberately forgiving about what PDF text extraction and typing habits change — case,
//! line breaks, repeated spaces, quotation marks («ТОО "Альфа"» and ТОО «Альфа» are the same name),
//! dashes, soft hyphens, and the spacing of a BIN's digits — and strict about everything else. A date
//! is looked for in the forms a Kazakh, Russian or English report writes it.
//!
//! A report whose pages carry (almost) no text is a scan: the check says so rather than reporting
//! every fact missing.

use serde::Serialize;

use crate::application::ApplicationForm;
use crate::lang::LangText;

mod ai_points;
mod dates;
mod matching;

pub use ai_points::{AiPoint, PointCheck};
pub use dates::date_forms;
pub use matching::Finding;
use matching::{CONTEXT, Normalized, find_any, needle, one_line};

/// Below this many letters and digits in the whole report, it is taken to have no text layer.
const MIN_TEXT: usize = 40;
/// Share of a long text's words that must appear on one page for a partial match, in percent.
const PARTIAL_AT: u8 = 60;

/// A fact of the application that the audit report must state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    SystemName,
    OwnerName,
    BinIin,
    Auditor,
    AuditDate,
    Conclusions,
}

impl Fact {
    pub const ALL: [Fact; 6] =
        [Fact::SystemName, Fact::OwnerName, Fact::BinIin, Fact::Auditor, Fact::AuditDate, Fact::Conclusions];

    pub fn code(self) -> &'static str {
        match self {
            Fact::SystemName => "system_name",
            Fact::OwnerName => "owner_name",
            Fact::BinIin => "bin_iin",
            Fact::Auditor => "auditor",
            Fact::AuditDate => "audit_date",
            Fact::Conclusions => "conclusions",
        }
    }
}

/// One line of the cross-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactCheck {
    pub fact: Fact,
    /// What the application says (each language's text, or the number or date).
    pub expected: Vec<String>,
    #[serde(flatten)]
    pub finding: Finding,
}

/// The whole cross-check of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "report", rename_all = "snake_case")]
pub enum CrossCheck {
    /// The report has a text layer; each fact's finding, and where it speaks of the AI audit's two
    /// points (Order No. 263, item 13-1).
    Checked { pages: usize, facts: Vec<FactCheck>, ai_points: Vec<PointCheck> },
    /// No text layer (a scan): nothing can be checked automatically.
    NoText { pages: usize },
}

impl CrossCheck {
    /// Facts the application states but the report does not (fully).
    pub fn mismatches(&self) -> usize {
        match self {
            CrossCheck::Checked { facts, .. } => {
                facts.iter().filter(|f| matches!(f.finding, Finding::Missing | Finding::Partial { .. })).count()
            }
            CrossCheck::NoText { .. } => 0,
        }
    }
}

/// Cross-checks the application (as submitted in the round) against the report's pages.
pub fn cross_check(form: &ApplicationForm, pages: &[String]) -> CrossCheck {
    let letters: usize = pages.iter().map(|p| p.chars().filter(|c| c.is_alphanumeric()).count()).sum();
    if letters < MIN_TEXT {
        return CrossCheck::NoText { pages: pages.len() };
    }
    let normalized: Vec<Normalized> = pages.iter().map(|p| Normalized::new(p)).collect();
    let facts = Fact::ALL
        .iter()
        .map(|&fact| {
            let expected = expected(form, fact);
            let finding = if expected.is_empty() {
                Finding::NotGiven
            } else {
                match fact {
                    Fact::BinIin => find_digits(&expected, pages),
                    Fact::AuditDate => find_any(&date_forms(form.audit.date), &normalized),
                    Fact::Conclusions => find_long(&expected, &normalized),
                    _ => find_any(&expected, &normalized),
                }
            };
            FactCheck { fact, expected, finding }
        })
        .collect();
    let ai_points = ai_points::check(&normalized);
    CrossCheck::Checked { pages: pages.len(), facts, ai_points }
}

fn texts(t: &LangText) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for lang in t.languages() {
        if let Some(s) = t.get(lang).map(str::trim).filter(|s| !s.is_empty())
            && !out.iter().any(|o| o == s)
        {
            out.push(s.to_owned());
        }
    }
    out
}

fn expected(form: &ApplicationForm, fact: Fact) -> Vec<String> {
    let one = |s: &str| if s.trim().is_empty() { vec![] } else { vec![s.trim().to_owned()] };
    match fact {
        Fact::SystemName => texts(&form.system.name),
        Fact::OwnerName => one(&form.applicant.name),
        Fact::BinIin => one(&form.applicant.bin_iin),
        Fact::Auditor => texts(&form.audit.auditor),
        Fact::AuditDate => form.audit.date.map(|d| vec![d.to_string()]).unwrap_or_default(),
        Fact::Conclusions => texts(&form.audit.conclusions),
    }
}

/// A number, whatever single spaces or line breaks the report puts between its digits — but not
/// inside a longer number.
fn find_digits(candidates: &[String], pages: &[String]) -> Finding {
    for (n, page) in pages.iter().enumerate() {
        // Runs of digits, joined across single spaces or line breaks (a wrapped line).
        let chars: Vec<char> = page.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            let mut digits = String::new();
            let mut end = i;
            while i < chars.len() {
                if chars[i].is_ascii_digit() {
                    digits.push(chars[i]);
                    end = i;
                    i += 1;
                } else if chars[i].is_whitespace() && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                    i += 1;
                } else {
                    break;
                }
            }
            for c in candidates {
                let want: String = c.chars().filter(char::is_ascii_digit).collect();
                if !want.is_empty() && digits == want {
                    let matched: String = chars[start..=end].iter().collect();
                    let a = start.saturating_sub(CONTEXT);
                    let b = (end + 1 + CONTEXT).min(chars.len());
                    let excerpt: String = chars[a..b].iter().collect();
                    return Finding::Found { page: n + 1, matched, excerpt: one_line(&excerpt) };
                }
            }
        }
    }
    Finding::Missing
}

/// A long text (the conclusions): as written, or else the page with most of its words.
fn find_long(candidates: &[String], pages: &[Normalized]) -> Finding {
    if let found @ Finding::Found { .. } = find_any(candidates, pages) {
        return found;
    }
    let mut best: Option<(usize, u8)> = None;
    for c in candidates {
        let words: Vec<String> = words(&needle(c).iter().collect::<String>());
        if words.is_empty() {
            continue;
        }
        for (n, page) in pages.iter().enumerate() {
            let text: String = page.text.iter().collect();
            let present: std::collections::HashSet<String> = self::words(&text).into_iter().collect();
            let hits = words.iter().filter(|w| present.contains(*w)).count();
            let percent = u8::try_from(hits * 100 / words.len()).unwrap_or(100);
            if best.is_none_or(|(_, p)| percent > p) {
                best = Some((n + 1, percent));
            }
        }
    }
    match best {
        Some((page, percent)) if percent >= PARTIAL_AT => Finding::Partial { page, percent },
        _ => Finding::Missing,
    }
}

/// Words of four letters or more (shorter ones are too common to tell pages apart).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 4).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn form() -> ApplicationForm {
        let mut f = ApplicationForm::default();
        f.system.name = LangText::new().with(Lang::Kk, "Денсаулық-AI").with(Lang::Ru, "Здоровье-AI");
        f.applicant.name = "ТОО «Альфа Диагностика»".into();
        f.applicant.bin_iin = "180240012345".into();
        f.audit.auditor = LangText::new().with(Lang::Ru, "ТОО \"Аудит Сервис\"");
        f.audit.date = Some(jiff::civil::date(2026, 3, 5));
        f.audit.conclusions =
            LangText::new().with(Lang::Ru, "Система соответствует требованиям информационной безопасности");
        f
    }

    fn finding(c: &CrossCheck, fact: Fact) -> &Finding {
        match c {
            CrossCheck::Checked { facts, .. } => &facts.iter().find(|f| f.fact == fact).unwrap().finding,
            CrossCheck::NoText { .. } => panic!("expected a text layer"),
        }
    }

    const REPORT: &str = "ОТЧЁТ об аудите информационной системы «Здоровье-AI»\n\
        Заказчик: ТОО \"Альфа   Диагностика\", БИН 1802 4001 2345.\n\
        Аудитор: ТОО «Аудит Сервис». Дата: 5 марта 2026 г.\n\
        Заключение: система соответствует требованиям\nинформационной безопасности.";

    #[test]
    fn every_fact_is_found_despite_quotes_case_spacing_and_line_breaks() {
        let c = cross_check(&form(), &["Титульный лист без данных, только общие слова.".into(), REPORT.into()]);
        for fact in Fact::ALL {
            match finding(&c, fact) {
                Finding::Found { page, .. } => assert_eq!(*page, 2, "{fact:?}"),
                other => panic!("{fact:?}: {other:?}"),
            }
        }
        assert_eq!(c.mismatches(), 0);
        let Finding::Found { matched, excerpt, .. } = finding(&c, Fact::BinIin) else { unreachable!() };
        assert_eq!(matched, "1802 4001 2345");
        assert!(excerpt.contains("БИН 1802 4001 2345"), "{excerpt}");
    }

    #[test]
    fn a_different_bin_a_different_date_and_another_system_are_missing() {
        let report = REPORT
            .replace("1802 4001 2345", "180240012346")
            .replace("5 марта", "6 марта")
            .replace("«Здоровье-AI»", "«Финансы-AI»");
        let c = cross_check(&form(), &[report]);
        assert_eq!(finding(&c, Fact::BinIin), &Finding::Missing);
        assert_eq!(finding(&c, Fact::AuditDate), &Finding::Missing);
        assert_eq!(finding(&c, Fact::SystemName), &Finding::Missing);
        assert!(matches!(finding(&c, Fact::OwnerName), Finding::Found { .. }));
        assert_eq!(c.mismatches(), 3);
    }

    #[test]
    fn a_bin_inside_a_longer_number_does_not_match() {
        let c = cross_check(&form(), &[REPORT.replace("1802 4001 2345", "91802400123457")]);
        assert_eq!(finding(&c, Fact::BinIin), &Finding::Missing);
    }

    #[test]
    fn reworded_conclusions_are_partial_with_the_share_of_words() {
        let report = REPORT.replace(
            "система соответствует требованиям\nинформационной безопасности",
            "требованиям информационной безопасности система в целом соответствует",
        );
        let c = cross_check(&form(), &[report]);
        assert_eq!(finding(&c, Fact::Conclusions), &Finding::Partial { page: 1, percent: 100 });
        let c = cross_check(
            &form(),
            &[REPORT.replace("система соответствует требованиям\nинформационной безопасности", "выявлены нарушения")],
        );
        assert_eq!(finding(&c, Fact::Conclusions), &Finding::Missing);
    }

    #[test]
    fn dates_are_found_in_kazakh_russian_english_and_numeric_forms() {
        for written in ["2026 жылғы 5 наурыз", "05.03.2026", "2026-03-05", "March 5, 2026", "5 March 2026"] {
            let c = cross_check(&form(), &[REPORT.replace("5 марта 2026", written)]);
            assert!(matches!(finding(&c, Fact::AuditDate), Finding::Found { .. }), "{written}");
        }
    }

    #[test]
    fn a_report_without_a_text_layer_is_a_scan_not_a_list_of_mismatches() {
        let c = cross_check(&form(), &["".into(), " \n ".into(), "12".into()]);
        assert_eq!(c, CrossCheck::NoText { pages: 3 });
        assert_eq!(c.mismatches(), 0);
    }

    #[test]
    fn facts_the_application_does_not_state_are_not_looked_for() {
        let mut f = form();
        f.audit.date = None;
        f.audit.auditor = LangText::new();
        let c = cross_check(&f, &[REPORT.into()]);
        assert_eq!(finding(&c, Fact::AuditDate), &Finding::NotGiven);
        assert_eq!(finding(&c, Fact::Auditor), &Finding::NotGiven);
    }
}
