//! The audit report's cross-check on the examination page, in words (Rules §6, fourth paragraph; the AI
//! audit's points of Order No. 263, item 13-1).

use senim_domain::crosscheck::{CrossCheck, Finding};

use super::Ctx;
use crate::services::crosscheck::AuditCheck;

fn checked(audit: Option<&AuditCheck>) -> Option<&CrossCheck> {
    match audit {
        Some(AuditCheck::Read { check: c @ CrossCheck::Checked { .. }, .. }) => Some(c),
        _ => None,
    }
}

/// The facts' lines: fact, what the application says, the finding in words, whether it is a mismatch,
/// and the excerpt of the report.
pub fn fact_lines(p: &Ctx, audit: Option<&AuditCheck>) -> Vec<(String, String, String, bool, String)> {
    let Some(CrossCheck::Checked { facts, .. }) = checked(audit) else { return vec![] };
    facts
        .iter()
        .map(|f| {
            let label = p.t(&format!("fact-{}", f.fact.code()));
            let expected = f.expected.join(" / ");
            let (text, bad, excerpt) = match &f.finding {
                Finding::Found { page, excerpt, .. } => {
                    (p.ta("finding-found", "page", &page.to_string()), false, excerpt.clone())
                }
                Finding::Partial { page, percent } => (
                    p.t_two("finding-partial", "page", &page.to_string(), "percent", &percent.to_string()),
                    true,
                    String::new(),
                ),
                Finding::Missing => (p.t("finding-missing"), true, String::new()),
                Finding::NotGiven => (p.t("finding-not-given"), false, String::new()),
            };
            (label, expected, text, bad, excerpt)
        })
        .collect()
}

/// The AI audit's points: the point, where the report speaks of it in words, whether it does not,
/// and the excerpt.
pub fn ai_point_lines(p: &Ctx, audit: Option<&AuditCheck>) -> Vec<(String, String, bool, String)> {
    let Some(CrossCheck::Checked { ai_points, .. }) = checked(audit) else { return vec![] };
    ai_points
        .iter()
        .map(|c| {
            let label = p.t(&format!("ai-point-{}", c.point.code()));
            match &c.finding {
                Finding::Found { page, excerpt, .. } => {
                    (label, p.ta("finding-found", "page", &page.to_string()), false, excerpt.clone())
                }
                _ => (label, p.t("ai-point-missing"), true, String::new()),
            }
        })
        .collect()
}

/// The cross-check's headline.
pub fn summary(p: &Ctx, audit: Option<&AuditCheck>) -> String {
    match audit {
        None => String::new(),
        Some(AuditCheck::NoReport) => p.t("crosscheck-no-report"),
        Some(AuditCheck::Unreadable { .. }) => p.t("crosscheck-unreadable"),
        Some(AuditCheck::Read { check: CrossCheck::NoText { pages }, .. }) => {
            p.ta("crosscheck-no-text", "pages", &pages.to_string())
        }
        Some(AuditCheck::Read { check: c @ CrossCheck::Checked { pages, .. }, .. }) => {
            p.t_two("crosscheck-summary", "pages", &pages.to_string(), "mismatches", &c.mismatches().to_string())
        }
    }
}
