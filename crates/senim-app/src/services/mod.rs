//! The workflows of the Rules: each function is one step a user takes, done in one transaction with
//! its audit record and its e-mails. Handlers (pages and API) call these and only render.

pub mod accounts;
pub mod acts;
pub mod amendment;
pub mod applications;
pub mod calendar_admin;
pub mod crosscheck;
pub mod dashboard;
pub mod demo;
pub mod documents;
pub mod hearing;
pub mod key_vault;
pub mod lists;
pub mod mailer;
pub mod notify;
pub mod preview;
pub mod procedure;
pub mod publication;
pub mod reminders;
pub mod reports;
pub mod review;
pub mod schedule;
pub mod second_factor;
pub mod seed;
pub mod signing_keys;
pub mod staff;
pub mod uploads;

use senim_domain::application::FieldError;
use senim_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Unknown, or not the caller's to see.
    #[error("not found")]
    NotFound,
    /// Known to the caller but not theirs to change.
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Not possible in the object's current state (a code such as `status.illegal_transition`).
    #[error("not allowed now: {0}")]
    State(&'static str),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) if what.starts_with("application ") => ServiceError::State("status.changed"),
            other => ServiceError::Internal(other.into()),
        }
    }
}

impl From<senim_domain::status::IllegalTransition> for ServiceError {
    fn from(e: senim_domain::status::IllegalTransition) -> Self {
        ServiceError::State(e.code())
    }
}

impl From<senim_domain::calendar::CalendarError> for ServiceError {
    fn from(e: senim_domain::calendar::CalendarError) -> Self {
        // A deadline in a year without calendar data: refuse rather than guess (an administrator must
        // enter the year).
        ServiceError::Internal(anyhow::anyhow!("working-day calendar: {e}"))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
