//! Enrollment: participants apply for themselves; admins decide; managers nominate their reports.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::enrollment::server as service;
use crate::domain::enrollment::types::{
    Application, ApplicationInput, CohortApplications, Decision, OpenCohort, Report,
};
use crate::error::AppError;

/// Cohorts taking applications, with the caller's own applications. Any signed-in person.
#[server(prefix = "/api", endpoint = "enrollment/open", output = crate::codec::Json)]
pub async fn open_cohorts() -> Result<Vec<OpenCohort>, AppError> {
    let access = Access::participant().await?;
    service::open_cohorts(&access).await
}

/// Applies the caller (never anyone else) to a cohort as mentee or mentor.
#[server(prefix = "/api", endpoint = "enrollment/apply", input = Json, output = crate::codec::Json)]
pub async fn apply(input: ApplicationInput) -> Result<Application, AppError> {
    let access = Access::participant().await?;
    service::apply(&access, input).await
}

/// The caller's own applications.
#[server(prefix = "/api", endpoint = "enrollment/mine", output = crate::codec::Json)]
pub async fn my_applications() -> Result<Vec<Application>, AppError> {
    let access = Access::participant().await?;
    service::mine(&access.db, &access.user().id).await
}

/// Withdraws one of the caller's own pending applications.
#[server(prefix = "/api", endpoint = "enrollment/withdraw", output = crate::codec::Json)]
pub async fn withdraw_application(id: String) -> Result<Application, AppError> {
    let access = Access::participant().await?;
    service::withdraw(&access, &id).await
}

/// A cohort's applications. Admins only.
#[server(prefix = "/api", endpoint = "enrollment/cohort", output = crate::codec::Json)]
pub async fn list_applications(cohort_id: String) -> Result<CohortApplications, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::for_cohort(&access.db, &cohort_id).await
}

/// Approves or rejects an application. Admins only.
#[server(prefix = "/api", endpoint = "enrollment/decide", input = Json, output = crate::codec::Json)]
pub async fn decide_application(decision: Decision) -> Result<Application, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::decide(&access, decision).await
}

/// The caller's direct reports and their nominations.
#[server(prefix = "/api", endpoint = "enrollment/reports", output = crate::codec::Json)]
pub async fn my_reports() -> Result<Vec<Report>, AppError> {
    let access = Access::participant().await?;
    service::reports(&access).await
}

/// Nominates a direct report for an enrolling cohort (or withdraws the nomination). Their manager only.
#[server(prefix = "/api", endpoint = "enrollment/nominate", output = crate::codec::Json)]
pub async fn nominate(cohort_id: String, user_id: String, on: bool) -> Result<Vec<Report>, AppError> {
    let access = Access::participant().await?;
    service::nominate(&access, &cohort_id, &user_id, on).await
}
