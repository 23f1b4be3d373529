//! Annex 2: what the List publishes about each included system (Rules §7).
//!
//! The columns are: No., name of the AI system, name of the owner and/or holder, area (sphere) of use,
//! functionality (short description), audit carried out (auditor, date, conclusions), date of inclusion,
//! name of the sectoral state body. Senim adds a stable registry number and, for a legal entity, its BIN
//! (`edition-format.md`), so that consumers can join and sync. Nothing else of the application (addresses,
//! contact person, phone, e-mail, an individual's IIN) ever reaches this type: it is personal data.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::application::ApplicationForm;
use crate::identity::{BinIin, IdKind};
use crate::lang::LangText;

/// The name and code of a sectoral state body, as printed in Annex 2's last column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyRef {
    pub code: String,
    pub name: LangText,
}

/// "Audit carried out (auditor's name, date, conclusions)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditColumn {
    pub auditor: LangText,
    pub date: Date,
    pub conclusions: LangText,
}

/// One row of Annex 2, in the field order and names of `edition-format.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annex2Entry {
    pub registry_number: String,
    /// The "No." column: 1-based place in the edition.
    pub position: u32,
    pub system_name: LangText,
    pub owner: LangText,
    /// The BIN of a legal entity; `None` for a person, whose IIN is personal data.
    pub owner_bin: Option<String>,
    pub area: LangText,
    pub functionality: LangText,
    pub audit: AuditColumn,
    pub included_on: Date,
    pub body: BodyRef,
}

/// Why an application cannot be projected: it lacks a field that Annex 2 prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the application lacks `{0}`, which Annex 2 publishes")]
pub struct ProjectionError(pub &'static str);

/// Rules §7: the Annex 2 row of an included application.
///
/// The owner's name is entered once in Annex 1; it is published under every language in which the
/// system's name is given. `position` is set when an edition orders its entries.
pub fn project(
    form: &ApplicationForm,
    registry_number: &str,
    included_on: Date,
    body: &BodyRef,
) -> Result<Annex2Entry, ProjectionError> {
    let owner_name = form.applicant.name.trim();
    if owner_name.is_empty() {
        return Err(ProjectionError("applicant.name"));
    }
    let system_name = form.system.name.normalized();
    if !system_name.is_complete() {
        return Err(ProjectionError("system.name"));
    }
    let mut owner = LangText::new();
    for lang in system_name.languages() {
        owner.set(lang, owner_name);
    }
    let owner_bin = BinIin::parse(&form.applicant.bin_iin)
        .ok()
        .filter(|id| id.kind() == Some(IdKind::Bin))
        .map(|id| id.as_str().to_owned());
    let audit_date = form.audit.date.ok_or(ProjectionError("audit.date"))?;
    Ok(Annex2Entry {
        registry_number: registry_number.to_owned(),
        position: 0,
        system_name,
        owner,
        owner_bin,
        area: form.system.area.normalized(),
        functionality: form.system.functionality.normalized(),
        audit: AuditColumn {
            auditor: form.audit.auditor.normalized(),
            date: audit_date,
            conclusions: form.audit.conclusions.normalized(),
        },
        included_on,
        body: body.clone(),
    })
}

/// A registry number: `{BODY}-{YEAR}-{NNNN}`, e.g. `HEALTH-2026-0007`. Stable, never reused.
pub fn registry_number(body_code: &str, year: i16, serial: u32) -> String {
    format!("{}-{year}-{serial:04}", body_code.to_ascii_uppercase())
}
