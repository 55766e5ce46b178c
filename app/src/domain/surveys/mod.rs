//! Feedback surveys: the builder and templates (admins), the schedule (a background task), the
//! answering screen (participants) and results under the k-anonymity rule.

pub mod api;
pub mod report;
#[cfg(feature = "ssr")]
pub mod server;
pub mod templates;
pub mod types;
