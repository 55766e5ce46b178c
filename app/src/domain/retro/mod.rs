//! Cohort retrospectives: compare cohorts and strategies with honest statistics, keep notes of
//! what worked, and carry the lessons into the next cohort.
//!
//! `compare` is pure (the metrics' facts in, a comparison out) so a unit test can check every
//! figure against hand-computed values; `server` loads the facts and keeps notes and decisions.

pub mod api;
#[cfg(feature = "ssr")]
pub mod compare;
#[cfg(feature = "ssr")]
pub mod hr;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
