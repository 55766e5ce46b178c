//! Measuring success: every metric the dashboards, reports and objectives show, defined once.
//!
//! `define` holds the definitions as pure functions over a [`define::Dataset`] of plain facts
//! (days as day numbers), so a unit test computes each on a hand-made dataset; `server` loads the
//! same facts from SurrealDB and hands them to the same functions, so a service test compares the
//! query result with a hand-computed value. `objectives` says whether a program objective bound
//! to a metric is on track. The k-anonymity rule is applied on the server before anything leaves.

pub mod api;
pub mod csv;
pub mod define;
pub mod objectives;
#[cfg(feature = "ssr")]
pub mod patch;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
