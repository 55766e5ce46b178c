//! Assessments: the pair's mentee rates themselves and its mentor rates the mentee, each in the
//! open phase; the pair and admins read. The server decides who the caller is to the pair on
//! every call; anyone else gets "not found".

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::assessments::server as service;
use crate::domain::assessments::types::{AssessmentInput, AssessmentPage, PendingAssessment};
#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
use crate::error::AppError;

/// A pair's assessments: the form for the caller's side and the growth they may see. The pair
/// and admins.
#[server(prefix = "/api", endpoint = "assessments/get", input = Json, output = crate::codec::Json)]
pub async fn load_assessment(pairing_id: String) -> Result<AssessmentPage, AppError> {
    let access = Access::participant().await?;
    service::page(&access, &pairing_id).await
}

/// Saves the caller's ratings for the open phase (again while it is open, replacing them). The
/// pair's mentee and mentor only.
#[server(prefix = "/api", endpoint = "assessments/submit", input = Json, output = crate::codec::Json)]
pub async fn submit_assessment(input: AssessmentInput) -> Result<AssessmentPage, AppError> {
    let access = Access::participant().await?;
    service::submit(&access, input).await
}

/// The assessments waiting for the caller.
#[server(prefix = "/api", endpoint = "assessments/mine", input = Json, output = crate::codec::Json)]
pub async fn my_assessments() -> Result<Vec<PendingAssessment>, AppError> {
    let access = Access::participant().await?;
    // What a mentor rates is listed only to someone holding the mentor role: kept apart by role.
    let kind = if access.user().has_role(Role::Mentor) { "assessments/mine as mentor" } else { "assessments/mine" };
    access.kept(kind, &["pairing", "user", "cohort", "assessment"], || service::pending(&access)).await
}
