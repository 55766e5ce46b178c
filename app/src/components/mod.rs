//! Reusable components.

pub mod auth;
pub mod chart;
pub mod form;
pub mod markdown;
pub mod page;
pub mod rule_tree;
pub mod verdict;
