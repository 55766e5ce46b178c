//! One page component per route.

pub mod account;
pub mod admin_board;
pub mod admin_cohort;
pub mod admin_cohorts;
pub mod admin_import;
pub mod admin_programs;
pub mod admin_skills;
pub mod admin_users;
pub mod award;
pub mod dashboard;
pub mod enroll;
pub mod goals;
pub mod home;
pub mod landing;
pub mod lazy;
pub mod login;
pub mod not_found;
pub mod pair;
pub mod pair_assessment;
pub mod pair_fit;
pub mod pair_growth;
pub mod progress_report;
pub mod retros;
pub mod surveys;
pub mod timeline;
