//! Pure, I/O-free engines: no Leptos, no SurrealDB, plain data in and out. They compile natively
//! and to wasm, and carry their own unit and property tests.

pub mod board;
pub mod eligibility;
pub mod matching;
pub mod scoring;
pub mod stable;
pub mod stats;
pub mod suppress;
pub mod warm;
