//! Reusable components.

pub mod auth;
pub mod form;
pub mod markdown;
pub mod page;
pub mod rule_tree;
pub mod verdict;
