//! The Annex 1 form as a task list: sections an applicant fills in, in any order, each with a state
//! computed from what is filled in and what stops submission (Rules §5).

use crate::application::{FieldError, codes};

/// A section of the application, in the order the task list shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// The body applied to and the applicant block of Annex 1.
    Applicant,
    /// Name, purpose and area, functionality, conditions of use (the sub-points of Rules §6, second paragraph).
    System,
    /// The AI models and the categories of data.
    Models,
    /// The information-system audit (Rules §5).
    Audit,
    /// The copyright certificate and/or author's contract (Rules §5).
    Copyright,
    /// The uploaded documents.
    Documents,
    /// Annex 1's closing line, given on the check-your-answers page before submission.
    Declaration,
}

/// How far a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionState {
    NotStarted,
    InProgress,
    /// Something filled in is wrong (a format, a date in the future).
    HasErrors,
    Completed,
}

impl SectionState {
    pub fn code(self) -> &'static str {
        match self {
            SectionState::NotStarted => "not_started",
            SectionState::InProgress => "in_progress",
            SectionState::HasErrors => "has_errors",
            SectionState::Completed => "completed",
        }
    }
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Applicant,
        Section::System,
        Section::Models,
        Section::Audit,
        Section::Copyright,
        Section::Documents,
        Section::Declaration,
    ];

    /// The sections edited on a form page of their own (documents and the declaration have their own pages).
    pub const FORMS: [Section; 5] =
        [Section::Applicant, Section::System, Section::Models, Section::Audit, Section::Copyright];

    pub fn code(self) -> &'static str {
        match self {
            Section::Applicant => "applicant",
            Section::System => "system",
            Section::Models => "models",
            Section::Audit => "audit",
            Section::Copyright => "copyright",
            Section::Documents => "documents",
            Section::Declaration => "declaration",
        }
    }

    pub fn parse(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The section a form field (as named in field errors, e.g. `system.models.description`) belongs to.
    pub fn of_field(field: &str) -> Section {
        let under = |prefix: &str| field == prefix || field.starts_with(&format!("{prefix}."));
        if under("system.models") || under("system.data") {
            Section::Models
        } else if under("system") {
            Section::System
        } else if under("audit") {
            Section::Audit
        } else if under("copyright") {
            Section::Copyright
        } else if under("attachments") || under("file") {
            Section::Documents
        } else if under("declaration") {
            Section::Declaration
        } else {
            Section::Applicant
        }
    }

    /// The state of this section, given whether any of its fields is filled in and the errors of
    /// [`crate::application::ApplicationForm::check_complete`] and `missing_attachments`.
    pub fn state(self, started: bool, errors: &[FieldError]) -> SectionState {
        let mine: Vec<&FieldError> = errors.iter().filter(|e| Section::of_field(&e.field) == self).collect();
        if mine.iter().any(|e| e.code != codes::REQUIRED && e.code != codes::NOT_CONFIRMED) {
            SectionState::HasErrors
        } else if mine.is_empty() {
            SectionState::Completed
        } else if started {
            SectionState::InProgress
        } else {
            SectionState::NotStarted
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_belong_to_the_section_that_shows_them() {
        assert_eq!(Section::of_field("body"), Section::Applicant);
        assert_eq!(Section::of_field("applicant.contact.email"), Section::Applicant);
        assert_eq!(Section::of_field("system.name"), Section::System);
        assert_eq!(Section::of_field("system.models.external_models"), Section::Models);
        assert_eq!(Section::of_field("system.data.sources"), Section::Models);
        assert_eq!(Section::of_field("audit.date"), Section::Audit);
        assert_eq!(Section::of_field("copyright.author_contract"), Section::Copyright);
        assert_eq!(Section::of_field("attachments.audit_report"), Section::Documents);
        assert_eq!(Section::of_field("declaration.confirmed"), Section::Declaration);
        // A prefix match is by whole segments: `systematic` is not under `system`.
        assert_eq!(Section::of_field("systematic"), Section::Applicant);
    }

    #[test]
    fn a_section_state_follows_its_own_errors_only() {
        let errors =
            vec![FieldError::new("system.name", codes::REQUIRED), FieldError::new("audit.date", codes::DATE_FUTURE)];
        assert_eq!(Section::System.state(true, &errors), SectionState::InProgress);
        assert_eq!(Section::System.state(false, &errors), SectionState::NotStarted);
        assert_eq!(Section::Audit.state(true, &errors), SectionState::HasErrors);
        assert_eq!(Section::Copyright.state(false, &errors), SectionState::Completed);
        for s in Section::ALL {
            assert_eq!(Section::parse(s.code()), Some(s));
        }
    }
}
