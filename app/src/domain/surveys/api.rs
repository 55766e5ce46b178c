//! Surveys: admins build, schedule and close them and read results; leadership reads results
//! without free text; participants answer the surveys addressed to them.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
use crate::domain::surveys::report::{Dimension, SurveyResults};
#[cfg(feature = "ssr")]
use crate::domain::surveys::server as service;
use crate::domain::surveys::templates::Template;
use crate::domain::surveys::types::{Answers, PendingSurvey, SurveyDesign, SurveyEdit, SurveyForm, SurveySummary};
use crate::error::AppError;

/// An admin or a leadership member (who read aggregates), no longer on a temporary password.
#[cfg(feature = "ssr")]
async fn admin_or_leadership() -> Result<Access, AppError> {
    match Access::role(Role::Admin).await {
        Err(AppError::Forbidden) => Access::role(Role::Leadership).await,
        other => other,
    }
}

/// Every survey, or a cohort's, newest first, with answer counts. Admins and leadership (who
/// read results from it).
#[server(prefix = "/api", endpoint = "surveys/list", input = Json, output = crate::codec::Json)]
pub async fn list_surveys(cohort_id: Option<String>) -> Result<Vec<SurveySummary>, AppError> {
    let access = admin_or_leadership().await?;
    service::list(&access.db, cohort_id.as_deref()).await
}

/// A new draft survey for a cohort, from a template. Admins.
#[server(prefix = "/api", endpoint = "surveys/create", input = Json, output = crate::codec::Json)]
pub async fn create_survey(cohort_id: String, template: Template) -> Result<SurveyEdit, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::create(&access, &cohort_id, template).await
}

/// A survey for the builder. Admins.
#[server(prefix = "/api", endpoint = "surveys/get", input = Json, output = crate::codec::Json)]
pub async fn get_survey(id: String) -> Result<SurveyEdit, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::edit(&access.db, &id).await
}

/// Saves the builder's design. Admins; `version` is the one the builder loaded.
#[server(prefix = "/api", endpoint = "surveys/save", input = Json, output = crate::codec::Json)]
pub async fn save_survey(id: String, design: SurveyDesign, version: i64) -> Result<SurveyEdit, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::save(&access, &id, design, version).await
}

/// Checks and schedules a survey (opens at once for "now"). Admins.
#[server(prefix = "/api", endpoint = "surveys/schedule", input = Json, output = crate::codec::Json)]
pub async fn schedule_survey(id: String, design: SurveyDesign, version: i64) -> Result<SurveyEdit, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::schedule(&access, &id, design, version).await
}

/// Takes a scheduled survey back to draft. Admins.
#[server(prefix = "/api", endpoint = "surveys/unschedule", input = Json, output = crate::codec::Json)]
pub async fn unschedule_survey(id: String, version: i64) -> Result<SurveyEdit, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::unschedule(&access, &id, version).await
}

/// Closes an open survey now. Admins.
#[server(prefix = "/api", endpoint = "surveys/close", input = Json, output = crate::codec::Json)]
pub async fn close_survey(id: String) -> Result<SurveyEdit, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::close(&access, &id).await
}

/// Deletes a draft. Admins.
#[server(prefix = "/api", endpoint = "surveys/delete", input = Json, output = crate::codec::Json)]
pub async fn delete_survey(id: String) -> Result<(), AppError> {
    let access = Access::role(Role::Admin).await?;
    service::delete(&access, &id).await
}

/// A survey's results with one breakdown. Admins (with free text) and leadership (aggregates
/// only); every cell under the survey's k is suppressed on the server.
#[server(prefix = "/api", endpoint = "surveys/results", input = Json, output = crate::codec::Json)]
pub async fn load_survey_results(id: String, dimension: Dimension) -> Result<SurveyResults, AppError> {
    let access = admin_or_leadership().await?;
    let admin = access.user().has_role(Role::Admin);
    service::results(&access.db, &id, dimension, admin).await
}

/// The open surveys waiting for the caller.
#[server(prefix = "/api", endpoint = "surveys/mine", input = Json, output = crate::codec::Json)]
pub async fn my_surveys() -> Result<Vec<PendingSurvey>, AppError> {
    let access = Access::participant().await?;
    let deps = ["pairing", "survey_answered", "survey", "cohort"];
    access.kept("surveys/mine", &deps, || service::pending(&access.db, &access.user().id)).await
}

/// A survey addressed to the caller, to answer.
#[server(prefix = "/api", endpoint = "surveys/form", input = Json, output = crate::codec::Json)]
pub async fn load_survey_form(id: String) -> Result<SurveyForm, AppError> {
    let access = Access::participant().await?;
    service::form(&access.db, &access.user().id, &id).await
}

/// Saves the caller's partial answers (attributed surveys only).
#[server(prefix = "/api", endpoint = "surveys/draft", input = Json, output = crate::codec::Json)]
pub async fn save_survey_draft(id: String, answers: Answers) -> Result<(), AppError> {
    let access = Access::participant().await?;
    service::save_draft(&access, &id, answers).await
}

/// Submits the caller's answers, once.
#[server(prefix = "/api", endpoint = "surveys/submit", input = Json, output = crate::codec::Json)]
pub async fn submit_survey(id: String, answers: Answers) -> Result<(), AppError> {
    let access = Access::participant().await?;
    service::submit(&access, &id, answers).await
}
