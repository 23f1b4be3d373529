//! # Senim's domain: the Rules as code
//!
//! The Rules for the formation by sectoral state bodies of lists of trusted high-risk AI systems
//! (Order No. 196/НҚ of 10 April 2026) map onto these modules:
//!
//! | Rules | module |
//! |---|---|
//! | §4, §5, Annex 1 — who applies and with what | [`application`] |
//! | Annex 1 applicant block — BIN/IIN | [`identity`] |
//! | §6, §8 — the ten- and five-working-day clocks | [`calendar`] |
//! | §6 — the three checks | [`review`] |
//! | §6, fourth paragraph — the audit report matches the application | [`crosscheck`] |
//! | §7, §8 — include, notice, resubmit | [`status`] |
//! | АППК Arts. 73, 74 — the hearing before a notice | [`hearing`] |
//! | §7, Annex 2 — what is published | [`annex2`] |
//! | §5, Annex 1 — the form as a task list | [`sections`] |
//! | §6, §7, §8 — the clocks as a dashboard reads them | [`stats`] |
//!
//! Nothing here does I/O or knows about HTTP or SQL.

pub mod annex2;
pub mod application;
pub mod calendar;
pub mod crosscheck;
pub mod fields;
pub mod hearing;
pub mod identity;
pub mod lang;
pub mod review;
pub mod role;
pub mod sections;
pub mod stats;
pub mod status;
