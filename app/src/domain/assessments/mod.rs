//! Pre/post leadership-skill assessments: at the start and the end of a cohort each mentee rates
//! themselves, and their mentor rates them, on each of the program's skills (1–5, with
//! behavioural anchors). Growth = post − pre per mentee, skill and rater, shown to the pair and
//! averaged per cohort for the objective "mean skill growth".

pub mod api;
pub mod growth;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;
