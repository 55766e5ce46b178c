//! Surveys: the participant's answering screen (`/surveys/:id`), and for admins the list
//! (`/admin/surveys`), the builder (`/admin/surveys/:id`) and the results
//! (`/admin/surveys/:id/results`, which leadership may read too).
//!
//! - `question.rs`: one question and its control, shared by the answering screen and the
//!   builder's preview;
//! - `answer.rs`, `admin_list.rs`, `builder.rs`, `results.rs`: one page each.

mod admin_list;
mod answer;
mod builder;
mod question;
mod results;

pub use admin_list::AdminSurveys;
pub use answer::SurveyAnswer;
pub use builder::SurveyBuilder;
pub use results::SurveyResultsPage;
