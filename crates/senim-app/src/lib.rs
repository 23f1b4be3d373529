//! # Senim's application: the workflows of the Rules, with no HTTP in sight
//!
//! Everything the service does, as functions of one [`AppState`]: the workflows of the Rules and of the
//! АППК ([`services`]: submission, review, publication, amendment, reports, reminders, schedules, the
//! outbox worker, demo data and `seed`), the published read model and its search ([`published`],
//! [`search`], [`collation`]), the caches of edition files and pages ([`cache`]), the translations that
//! e-mails and documents need ([`i18n`]), the secrets of accounts ([`passwords`]) and this instance's
//! metrics ([`metrics`]). A workflow takes typed input and returns a typed result or a
//! [`services::ServiceError`]; `senim-web` turns requests into those calls and their results into pages
//! and JSON, and the `senim` binary calls them directly for everything but `serve`.
//!
//! This crate depends on no HTTP crate (no axum, tower, hyper or askama): `.ci/layers` checks it.

pub mod cache;
pub mod collation;
pub mod config;
pub mod i18n;
pub mod metrics;
pub mod passwords;
pub mod percent;
pub mod published;
pub mod search;
pub mod services;
pub mod state;

pub use config::Config;
pub use state::{AppState, Shared};
