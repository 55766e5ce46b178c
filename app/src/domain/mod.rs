//! One folder per capability: `types` (shared DTOs and validation), `api` (server functions),
//! `server` (SurrealQL and services, server only).

pub mod activity;
pub mod auth;
pub mod awards;
pub mod cohort;
pub mod enrollment;
pub mod goals;
pub mod import;
pub mod matching;
pub mod meetings;
pub mod overview;
pub mod people;
pub mod program;
pub mod skills;
pub mod workshops;
