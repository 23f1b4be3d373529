//! The life of an application (Rules §5–§8), as a state machine.
//!
//! ```text
//! draft ──submit──▶ submitted ──take──▶ under_review ──include──▶ included ──publish──▶ published
//!   │                    │                   │                        ▲                   │
//!   │                    └───preliminary─────┴──▶ hearing ──include───┘                   └─exclude─▶ excluded
//!   │                                                │
//!   │                                                └──notice──▶ nonconforming ──resubmit──▶ submitted
//!   └─withdraw (draft, submitted, under_review, hearing, nonconforming) ──▶ withdrawn
//! ```
//!
//! A failed check leads to the hearing (АППК Art. 73), never straight to a notice: the notice of
//! nonconformity is the final decision taken after it.
//!
//! Withdrawal and exclusion are not in the Rules; the design allows withdrawal any time before a final
//! decision and exclusion of a published entry with a reason. Every other move is refused.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    UnderReview,
    /// A preliminary decision has been issued; the applicant may object (АППК Art. 73).
    Hearing,
    Nonconforming,
    Included,
    Published,
    Withdrawn,
    Excluded,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Self::Draft,
        Self::Submitted,
        Self::UnderReview,
        Self::Hearing,
        Self::Nonconforming,
        Self::Included,
        Self::Published,
        Self::Withdrawn,
        Self::Excluded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::UnderReview => "under_review",
            Self::Hearing => "hearing",
            Self::Nonconforming => "nonconforming",
            Self::Included => "included",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
            Self::Excluded => "excluded",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|st| st.code() == s)
    }

    /// The applicant may change the form and its documents (a draft, or after a notice, Rules §8).
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Nonconforming)
    }

    /// A round is running: the §6/§8 clock ticks for the body (also during the hearing).
    pub fn awaits_decision(self) -> bool {
        matches!(self, Self::Submitted | Self::UnderReview | Self::Hearing)
    }

    /// Applies an action, or says why it cannot be applied.
    pub fn apply(self, action: Action) -> Result<Status, IllegalTransition> {
        use Action as A;
        use Status as S;
        let next = match (self, action) {
            (S::Draft, A::Submit) => S::Submitted,
            (S::Nonconforming, A::Resubmit) => S::Submitted,
            (S::Submitted, A::Take) => S::UnderReview,
            (S::Submitted | S::UnderReview | S::Hearing, A::Include) => S::Included,
            (S::Submitted | S::UnderReview, A::Preliminary) => S::Hearing,
            (S::Hearing, A::Notice) => S::Nonconforming,
            (S::Draft | S::Submitted | S::UnderReview | S::Hearing | S::Nonconforming, A::Withdraw) => S::Withdrawn,
            (S::Included, A::Publish) => S::Published,
            (S::Published, A::Exclude) => S::Excluded,
            (S::Published, A::Amend) => S::Published,
            (from, action) => return Err(IllegalTransition { from, action }),
        };
        Ok(next)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What someone does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The applicant submits the complete set (Rules §5).
    Submit,
    /// The applicant submits again after a notice (Rules §8).
    Resubmit,
    /// A reviewer takes the case.
    Take,
    /// All three §6 checks pass (Rules §7).
    Include,
    /// A §6 check fails: the preliminary decision, before the hearing (АППК Art. 73).
    Preliminary,
    /// After the hearing the check still fails: notice of nonconformity (Rules §8, АППК Art. 78).
    Notice,
    Withdraw,
    /// The entry appears in a published edition (Rules §7).
    Publish,
    Exclude,
    Amend,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Self::Submit,
        Self::Resubmit,
        Self::Take,
        Self::Include,
        Self::Preliminary,
        Self::Notice,
        Self::Withdraw,
        Self::Publish,
        Self::Exclude,
        Self::Amend,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an application that is {from} cannot be subject to {action:?}")]
pub struct IllegalTransition {
    pub from: Status,
    pub action: Action,
}

impl IllegalTransition {
    pub fn code(&self) -> &'static str {
        "status.illegal_transition"
    }
}
