//! Cohorts (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::cohort::types::{Cohort, CohortInput};
use crate::error::AppError;

/// Every cohort. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/list")]
pub async fn list_cohorts() -> Result<Vec<Cohort>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::cohort::server::list(&access.db).await
        }
        .await,
    )
}

/// Opens a cohort of a published program, as a draft. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/create", input = Json)]
pub async fn create_cohort(input: CohortInput) -> Result<Cohort, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::cohort::server::create(&access, input).await
        }
        .await,
    )
}

/// Moves a cohort to its next status. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/advance", input = Json)]
pub async fn advance_cohort(id: String, from: String) -> Result<Cohort, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::cohort::server::advance(&access, &id, &from).await
        }
        .await,
    )
}

/// Edits a cohort's name, dates and strategy tags. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/update", input = Json)]
pub async fn update_cohort(id: String, input: CohortInput, version: i64) -> Result<Cohort, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::cohort::server::update(&access, &id, input, version).await
        }
        .await,
    )
}

/// One cohort. Admins only.
#[server(prefix = "/api", endpoint = "cohorts/get")]
pub async fn get_cohort(id: String) -> Result<Cohort, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::cohort::server::get(&access.db, &id).await
        }
        .await,
    )
}
