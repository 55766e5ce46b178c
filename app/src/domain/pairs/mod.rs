//! A pair's life after publishing: the first-session fit check both sides answer, and an admin
//! ending a pair (with a reason) so the mentee can be matched again on the cohort's board.

pub mod api;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
