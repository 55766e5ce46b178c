//! Reusable components.

pub mod auth;
pub mod form;
pub mod page;
