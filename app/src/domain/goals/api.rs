//! SMART goals, check-ins and comments. Only the pair (and admins) reach a goal; the server
//! decides who the caller is to it on every call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::goals::server as service;
use crate::domain::goals::types::{CheckinInput, Goal, GoalContext, GoalDraft, GoalSummary};
use crate::error::AppError;

/// What a new goal for a pair needs (skills, cohort dates). The pair's mentee only.
#[server(prefix = "/api", endpoint = "goals/context", output = crate::codec::Json)]
pub async fn new_goal_context(pairing_id: String) -> Result<GoalContext, AppError> {
    let access = Access::participant().await?;
    service::context(&access, &pairing_id).await
}

/// One goal. The pair and admins; a draft only its mentee (it is theirs until sent).
#[server(prefix = "/api", endpoint = "goals/get", output = crate::codec::Json)]
pub async fn get_goal(id: String) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::get(&access, &id).await
}

/// The caller's goals, and their mentees' sent goals.
#[server(prefix = "/api", endpoint = "goals/mine", output = crate::codec::Json)]
pub async fn my_goals() -> Result<Vec<GoalSummary>, AppError> {
    let access = Access::participant().await?;
    access
        .kept("goals/mine", &["goal", "user", "skill", "checkin"], || service::mine(&access.db, &access.user().id))
        .await
}

/// Autosaves the wizard's draft (creates the goal on the first save). The mentee only.
#[server(prefix = "/api", endpoint = "goals/save-draft", input = Json, output = crate::codec::Json)]
pub async fn save_goal_draft(
    pairing_id: String,
    goal_id: Option<String>,
    draft: GoalDraft,
    step: usize,
    version: i64,
) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::save_draft(&access, &pairing_id, goal_id, draft, step, version).await
}

/// Sends the goal to the mentor. The mentee only.
#[server(prefix = "/api", endpoint = "goals/submit", input = Json, output = crate::codec::Json)]
pub async fn submit_goal(id: String, version: i64) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::submit(&access, &id, version).await
}

/// Approves a sent goal. The mentor only.
#[server(prefix = "/api", endpoint = "goals/approve", input = Json, output = crate::codec::Json)]
pub async fn approve_goal(id: String, version: i64) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::approve(&access, &id, version).await
}

/// Comments on a goal. The pair and admins.
#[server(prefix = "/api", endpoint = "goals/comment", input = Json, output = crate::codec::Json)]
pub async fn comment_goal(id: String, text: String) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::comment(&access, &id, &text).await
}

/// Logs a check-in. The mentee only.
#[server(prefix = "/api", endpoint = "goals/checkin", input = Json, output = crate::codec::Json)]
pub async fn checkin_goal(input: CheckinInput) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::checkin(&access, input).await
}

/// Ticks or unticks a milestone. The mentee only.
#[server(prefix = "/api", endpoint = "goals/milestone", input = Json, output = crate::codec::Json)]
pub async fn set_goal_milestone(id: String, index: usize, done: bool) -> Result<Goal, AppError> {
    let access = Access::participant().await?;
    service::set_milestone(&access, &id, index, done).await
}
