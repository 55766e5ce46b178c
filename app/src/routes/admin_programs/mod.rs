//! `/admin/programs` (the list) and `/admin/programs/:id` (the design studio; `new` for a new one).
//!
//! The studio edits one [`ProgramDesign`](crate::domain::program::types::ProgramDesign) in a
//! signal and saves it a step at a time. One file per step:
//!
//! - [`list`]: the programs list, with "Clone" and "Open a cohort".
//! - [`studio`]: the studio page: loading, the step tabs, saving and the step switch.
//! - [`fields`]: the inputs bound to a field of the design, and the field errors of the latest save.
//! - [`objectives`]: step 1, name, purpose and SMART objectives.
//! - [`skills_approach`]: steps 2 and 3, the skills developed and the mentor's approach.
//! - [`structure`]: step 4, application questions, who may join (the rule trees, drawn by
//!   [`RuleTree`](crate::components::rule_tree::RuleTree)), capacity, phases, workshops and rewards.
//! - [`review`]: step 5, the summary and "Publish program".

mod fields;
mod list;
mod objectives;
mod review;
mod skills_approach;
mod structure;
mod studio;

pub use list::AdminPrograms;
pub use studio::ProgramStudio;
