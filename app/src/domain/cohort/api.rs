//! Cohorts (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::cohort::server as service;
use crate::domain::cohort::types::{Cohort, CohortInput, CohortStatus};
use crate::error::AppError;

/// Every cohort. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/list", output = crate::codec::Json)]
pub async fn list_cohorts() -> Result<Vec<Cohort>, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::list(&access.db).await
}

/// Opens a cohort of a published program, as a draft. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/create", input = Json, output = crate::codec::Json)]
pub async fn create_cohort(input: CohortInput) -> Result<Cohort, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::create(&access, input).await
}

/// Moves a cohort to its next status. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/advance", input = Json, output = crate::codec::Json)]
pub async fn advance_cohort(id: String, from: CohortStatus) -> Result<Cohort, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::advance(&access, &id, from).await
}

/// Edits a cohort's name, dates and strategy tags. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/update", input = Json, output = crate::codec::Json)]
pub async fn update_cohort(id: String, input: CohortInput, version: i64) -> Result<Cohort, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::update(&access, &id, input, version).await
}

/// One cohort. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/get", output = crate::codec::Json)]
pub async fn get_cohort(id: String) -> Result<Cohort, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::get(&access.db, &id).await
}
