//! The application of Annex 1 (Rules §4, §5).
//!
//! An owner and/or holder of a high-risk AI system applies with the Annex 1 form, the copyright
//! certificate and/or the author's contract, and the audit report. A draft may be partial; a submission
//! must be complete (§5), because the §6 clock starts only on receipt of "the application and the complete
//! set of documents". [`ApplicationForm::check_complete`] says everything that is missing at once.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::identity::BinIin;
use crate::lang::LangText;

/// An application's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApplicationId(pub Uuid);

impl ApplicationId {
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }
}

impl Default for ApplicationId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Annex 1: the applicant is the owner, the holder, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantRole {
    Owner,
    Holder,
    OwnerAndHolder,
}

impl ApplicantRole {
    pub const ALL: [ApplicantRole; 3] = [Self::Owner, Self::Holder, Self::OwnerAndHolder];

    pub fn code(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Holder => "holder",
            Self::OwnerAndHolder => "owner_and_holder",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// Annex 1's applicant block. Addresses and the contact are personal data: never published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Applicant {
    pub role: Option<ApplicantRole>,
    pub name: String,
    pub bin_iin: String,
    pub legal_address: String,
    pub actual_address: String,
    pub contact: Contact,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    pub name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
}

/// Annex 1's body: the system to include.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct System {
    pub name: LangText,
    pub purpose: LangText,
    pub area: LangText,
    pub functionality: LangText,
    pub conditions_of_use: LangText,
    pub models: Models,
    pub data: DataCategories,
}

/// The AI models used: which, what type of algorithm, external and/or embedded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Models {
    pub description: LangText,
    pub algorithm_type: String,
    pub external_models: Option<bool>,
    pub embedded_models: Option<bool>,
}

/// Categories of data the system uses, and their sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataCategories {
    pub categories: LangText,
    pub sources: LangText,
}

/// The audit of the system (Rules §5: made under the Rules for auditing information systems).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Audit {
    pub auditor: LangText,
    pub date: Option<Date>,
    pub conclusions: LangText,
}

/// Rules §5: the copyright-register certificate and/or the author's contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Copyright {
    pub certificate_number: String,
    pub certificate_date: Option<Date>,
    pub author_contract: bool,
}

impl Copyright {
    /// The certificate is claimed when any of its data is given, or when there is no author's contract.
    pub fn claims_certificate(&self) -> bool {
        !self.author_contract || !self.certificate_number.trim().is_empty() || self.certificate_date.is_some()
    }
}

/// Annex 1's closing line: "I confirm that the information provided is accurate."
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Declaration {
    pub confirmed: bool,
    pub signatory: String,
}

/// The Annex 1 form as the applicant fills it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub body: String,
    pub applicant: Applicant,
    pub system: System,
    pub audit: Audit,
    pub copyright: Copyright,
    pub declaration: Declaration,
}

/// The documents of Rules §5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    AuditReport,
    CopyrightCertificate,
    AuthorContract,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 3] = [Self::AuditReport, Self::CopyrightCertificate, Self::AuthorContract];

    pub fn code(self) -> &'static str {
        match self {
            Self::AuditReport => "audit_report",
            Self::CopyrightCertificate => "copyright_certificate",
            Self::AuthorContract => "author_contract",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A problem with one field, as a translatable code (`applicant.bin_iin` + `bin_iin.checksum`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self { field: field.into(), code }
    }
}

/// Codes of [`FieldError`]s raised here (identity codes come from [`crate::identity::IdError::code`]).
pub mod codes {
    pub const REQUIRED: &str = "required";
    pub const EMAIL: &str = "email.format";
    pub const PHONE: &str = "phone.format";
    pub const DATE_FUTURE: &str = "date.future";
    pub const TOO_LONG: &str = "text.too_long";
    pub const NOT_CONFIRMED: &str = "declaration.not_confirmed";
    pub const UNKNOWN_BODY: &str = "body.unknown";
}

/// The longest text accepted in any field, in characters: generous for a description, small enough
/// that a pasted document is refused instead of stored.
pub const MAX_TEXT_CHARS: usize = 10_000;

impl ApplicationForm {
    /// Errors in what is filled in, for a draft: bad formats, never absence.
    pub fn check_draft(&self, today: Date) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let a = &self.applicant;
        if !a.bin_iin.trim().is_empty()
            && let Err(e) = BinIin::parse(&a.bin_iin)
        {
            errors.push(FieldError::new("applicant.bin_iin", e.code()));
        }
        if !a.contact.email.trim().is_empty() && !is_email(&a.contact.email) {
            errors.push(FieldError::new("applicant.contact.email", codes::EMAIL));
        }
        if !a.contact.phone.trim().is_empty() && !is_phone(&a.contact.phone) {
            errors.push(FieldError::new("applicant.contact.phone", codes::PHONE));
        }
        for (field, date) in
            [("audit.date", self.audit.date), ("copyright.certificate_date", self.copyright.certificate_date)]
        {
            if date.is_some_and(|d| d > today) {
                errors.push(FieldError::new(field, codes::DATE_FUTURE));
            }
        }
        for (field, len) in self.text_lengths() {
            if len > MAX_TEXT_CHARS {
                errors.push(FieldError::new(field, codes::TOO_LONG));
            }
        }
        errors
    }

    /// Rules §5, §6 second paragraph: every error that stops submission — formats and every missing field —
    /// at once. Attachments are checked by [`missing_attachments`].
    pub fn check_complete(&self, today: Date) -> Vec<FieldError> {
        let mut errors = self.check_draft(today);
        let mut require = |field: &str, present: bool| {
            if !present && !errors.iter().any(|e| e.field == field) {
                errors.push(FieldError::new(field, codes::REQUIRED));
            }
        };
        let a = &self.applicant;
        require("body", !self.body.trim().is_empty());
        require("applicant.role", a.role.is_some());
        require("applicant.name", !a.name.trim().is_empty());
        require("applicant.bin_iin", !a.bin_iin.trim().is_empty());
        require("applicant.legal_address", !a.legal_address.trim().is_empty());
        require("applicant.actual_address", !a.actual_address.trim().is_empty());
        require("applicant.contact.name", !a.contact.name.trim().is_empty());
        require("applicant.contact.position", !a.contact.position.trim().is_empty());
        require("applicant.contact.phone", !a.contact.phone.trim().is_empty());
        require("applicant.contact.email", !a.contact.email.trim().is_empty());
        let s = &self.system;
        require("system.name", s.name.is_complete());
        require("system.purpose", s.purpose.is_complete());
        require("system.area", s.area.is_complete());
        require("system.functionality", s.functionality.is_complete());
        require("system.conditions_of_use", s.conditions_of_use.is_complete());
        require("system.models.description", s.models.description.is_complete());
        require("system.models.algorithm_type", !s.models.algorithm_type.trim().is_empty());
        require("system.models.external_models", s.models.external_models.is_some());
        require("system.models.embedded_models", s.models.embedded_models.is_some());
        require("system.data.categories", s.data.categories.is_complete());
        require("system.data.sources", s.data.sources.is_complete());
        require("audit.auditor", self.audit.auditor.is_complete());
        require("audit.date", self.audit.date.is_some());
        require("audit.conclusions", self.audit.conclusions.is_complete());
        let c = &self.copyright;
        if c.claims_certificate() {
            require("copyright.certificate_number", !c.certificate_number.trim().is_empty());
            require("copyright.certificate_date", c.certificate_date.is_some());
        }
        require("declaration.signatory", !self.declaration.signatory.trim().is_empty());
        if !self.declaration.confirmed {
            errors.push(FieldError::new("declaration.confirmed", codes::NOT_CONFIRMED));
        }
        errors
    }

    fn text_lengths(&self) -> Vec<(&'static str, usize)> {
        let max = |t: &LangText| t.iter().map(|(_, v)| v.chars().count()).max().unwrap_or(0);
        let len = |s: &str| s.chars().count();
        let a = &self.applicant;
        let s = &self.system;
        vec![
            ("applicant.name", len(&a.name)),
            ("applicant.legal_address", len(&a.legal_address)),
            ("applicant.actual_address", len(&a.actual_address)),
            ("applicant.contact.name", len(&a.contact.name)),
            ("applicant.contact.position", len(&a.contact.position)),
            ("system.name", max(&s.name)),
            ("system.purpose", max(&s.purpose)),
            ("system.area", max(&s.area)),
            ("system.functionality", max(&s.functionality)),
            ("system.conditions_of_use", max(&s.conditions_of_use)),
            ("system.models.description", max(&s.models.description)),
            ("system.models.algorithm_type", len(&s.models.algorithm_type)),
            ("system.data.categories", max(&s.data.categories)),
            ("system.data.sources", max(&s.data.sources)),
            ("audit.auditor", max(&self.audit.auditor)),
            ("audit.conclusions", max(&self.audit.conclusions)),
            ("copyright.certificate_number", len(&self.copyright.certificate_number)),
            ("declaration.signatory", len(&self.declaration.signatory)),
        ]
    }
}

/// Rules §5: the documents a complete set needs, given the copyright claim, minus those present.
/// Returned as field errors `attachments.{kind}` so that the API and the page list them with the rest.
pub fn missing_attachments(form: &ApplicationForm, present: &[AttachmentKind]) -> Vec<FieldError> {
    let mut needed = vec![AttachmentKind::AuditReport];
    if form.copyright.claims_certificate() {
        needed.push(AttachmentKind::CopyrightCertificate);
    }
    if form.copyright.author_contract {
        needed.push(AttachmentKind::AuthorContract);
    }
    needed
        .into_iter()
        .filter(|k| !present.contains(k))
        .map(|k| FieldError::new(format!("attachments.{}", k.code()), codes::REQUIRED))
        .collect()
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

/// A telephone number: digits with optional `+`, spaces, dashes and brackets; 10 to 15 digits.
pub fn is_phone(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
        && s.chars().skip(1).all(|c| c != '+')
        && (10..=15).contains(&digits)
}
