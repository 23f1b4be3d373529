//! Who may do what. The Rules name two parties — the applicant (owner and/or holder, §4–§5) and the
//! sectoral state body (§6–§8); Senim splits the body's work among its staff.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owner and/or holder of a high-risk AI system (Rules §4).
    Applicant,
    /// Examines applications for the body (Rules §6).
    Reviewer,
    /// Publishes the body's List (Rules §7).
    Publisher,
    /// Manages the body's staff.
    BodyAdmin,
    /// Runs the system: bodies, calendar, keys, all staff.
    Admin,
    /// Reads across all bodies (queues, examination pages, dashboards) for oversight; never decides,
    /// takes, assigns, publishes or edits anything.
    Observer,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Self::Applicant, Self::Reviewer, Self::Publisher, Self::BodyAdmin, Self::Admin, Self::Observer];

    pub fn code(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Reviewer => "reviewer",
            Self::Publisher => "publisher",
            Self::BodyAdmin => "body_admin",
            Self::Admin => "admin",
            Self::Observer => "observer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    /// The three body roles work for exactly one sectoral state body.
    pub fn needs_body(self) -> bool {
        matches!(self, Self::Reviewer | Self::Publisher | Self::BodyAdmin)
    }

    /// Everyone but the applicant works for the state: staff sign in with a second factor when the
    /// administrator requires it.
    pub fn is_staff(self) -> bool {
        self != Self::Applicant
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
