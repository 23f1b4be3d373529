//! What an administrative act says (АППК Art. 78 ff.): the body, its number and date, the deciding
//! official, the legal basis of each failed point, the outcome of the hearing, and how and by when to
//! complain (Arts. 91, 92) and then go to court (Art. 136) — as the API, the pages and the PDFs show it.

use std::sync::LazyLock;

use senim_domain::lang::Lang;
use senim_domain::review::{CheckResult, Checklist};
use senim_store::hearing::{Act, ActKind};
use serde::{Deserialize, Serialize};

use crate::i18n::{t, t_args};

/// The figures of the Code that acts state, with where each was found (`data/procedure.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct Procedure {
    pub complaint: Figure,
    pub court: Figure,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Figure {
    pub within_months: u8,
    pub articles: String,
    pub source: String,
    pub confirmed: String,
}

pub static PROCEDURE: LazyLock<Procedure> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../data/procedure.json")).expect("data/procedure.json parses (tested)")
});

/// One failed point and the paragraph of the Rules it rests on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LegalBasis {
    pub check: String,
    pub citation: String,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Official {
    pub name: String,
    pub position: String,
}

/// How and by when to complain, then go to court.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Complaint {
    /// Where the complaint goes, in words.
    pub to: String,
    /// By when, in words.
    pub within: String,
    pub within_months: u8,
    pub court_within_months: u8,
    pub articles: String,
}

/// An act as the applicant reads it, in one language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActView {
    pub act_number: String,
    pub kind: String,
    pub adopted_on: String,
    pub round: i64,
    pub body: String,
    pub official: Official,
    pub legal_basis: Vec<LegalBasis>,
    /// How the objection was considered (empty when nobody objected).
    pub objection_considered: String,
    pub complaint: Complaint,
}

/// The failed points of a checklist with their citations.
pub fn legal_basis(failed: &[CheckResult], lang: Lang) -> Vec<LegalBasis> {
    failed
        .iter()
        .filter(|c| !c.pass)
        .map(|c| LegalBasis {
            check: c.check.code().to_owned(),
            citation: t(lang, c.check.citation_key()),
            comment: c.comment.clone(),
        })
        .collect()
}

/// How to complain against an act of `body_name`, in `lang`.
pub fn complaint(body_name: &str, lang: Lang) -> Complaint {
    let p = &*PROCEDURE;
    let args = [
        ("body", body_name.to_owned()),
        ("months", p.complaint.within_months.to_string()),
        ("court_months", p.court.within_months.to_string()),
    ];
    Complaint {
        to: t_args(lang, "act-complaint-to", &args),
        within: t_args(lang, "act-complaint-within", &args),
        within_months: p.complaint.within_months,
        court_within_months: p.court.within_months,
        articles: format!("{}; {}", p.complaint.articles, p.court.articles),
    }
}

/// The act `act` of a round decided with `checks`, as read in `lang`.
pub fn view(act: &Act, checks: &Checklist, body_name: &str, role_label: &str, lang: Lang) -> ActView {
    let failed: Vec<CheckResult> = checks.results.iter().filter(|c| !c.pass).cloned().collect();
    ActView {
        act_number: act.number.clone(),
        kind: match act.kind {
            ActKind::Nonconformity => "nonconformity",
            ActKind::Inclusion => "inclusion",
        }
        .to_owned(),
        adopted_on: act.adopted_on.to_string(),
        round: act.round,
        body: body_name.to_owned(),
        official: Official {
            name: act.official_name.clone(),
            position: if act.official_position.is_empty() {
                role_label.to_owned()
            } else {
                act.official_position.clone()
            },
        },
        legal_basis: if act.kind == ActKind::Nonconformity { legal_basis(&failed, lang) } else { Vec::new() },
        objection_considered: act.objection_considered.best(lang).to_owned(),
        complaint: complaint(body_name, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_procedure_data_parses_and_names_its_sources() {
        let p = &*PROCEDURE;
        assert_eq!((p.complaint.within_months, p.court.within_months), (3, 1));
        assert!(p.complaint.articles.contains("Art. 92") && p.court.articles.contains("Art. 136"));
        assert!(!p.complaint.source.is_empty() && !p.court.confirmed.is_empty());
    }

    #[test]
    fn appk_91_92_136_the_complaint_route_is_stated_in_every_language() {
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let c = complaint("Денсаулық сақтау министрлігі", lang);
            assert!(c.to.contains("Денсаулық сақтау министрлігі"), "{lang:?}: {}", c.to);
            assert!(c.within.contains('3') && c.within.contains('1'), "{lang:?}: {}", c.within);
        }
    }
}
