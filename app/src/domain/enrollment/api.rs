//! Enrollment: participants apply for themselves; admins decide; managers nominate their reports.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::enrollment::types::{
    Application, ApplicationInput, CohortApplications, Decision, OpenCohort, Report,
};
use crate::error::AppError;

/// Cohorts taking applications, with the caller's own applications. Any signed-in person.
#[server(prefix = "/api", endpoint = "enrollment/open")]
pub async fn open_cohorts() -> Result<Vec<OpenCohort>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::enrollment::server::open_cohorts(&access).await
        }
        .await,
    )
}

/// Applies the caller (never anyone else) to a cohort as mentee or mentor.
#[server(prefix = "/api", endpoint = "enrollment/apply", input = Json)]
pub async fn apply(input: ApplicationInput) -> Result<Application, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::enrollment::server::apply(&access, input).await
        }
        .await,
    )
}

/// The caller's own applications.
#[server(prefix = "/api", endpoint = "enrollment/mine")]
pub async fn my_applications() -> Result<Vec<Application>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::enrollment::server::mine(&access.db, &access.user().id).await
        }
        .await,
    )
}

/// Withdraws one of the caller's own pending applications.
#[server(prefix = "/api", endpoint = "enrollment/withdraw")]
pub async fn withdraw_application(id: String) -> Result<Application, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::enrollment::server::withdraw(&access, &id).await
        }
        .await,
    )
}

/// A cohort's applications. Admins only.
#[server(prefix = "/api", endpoint = "enrollment/cohort")]
pub async fn list_applications(cohort_id: String) -> Result<CohortApplications, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::enrollment::server::for_cohort(&access.db, &cohort_id).await
        }
        .await,
    )
}

/// Approves or rejects an application. Admins only.
#[server(prefix = "/api", endpoint = "enrollment/decide", input = Json)]
pub async fn decide_application(decision: Decision) -> Result<Application, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::enrollment::server::decide(&access, decision).await
        }
        .await,
    )
}

/// The caller's direct reports and their nominations.
#[server(prefix = "/api", endpoint = "enrollment/reports")]
pub async fn my_reports() -> Result<Vec<Report>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::enrollment::server::reports(&access).await
        }
        .await,
    )
}

/// Nominates a direct report for an enrolling cohort (or withdraws the nomination). Their manager only.
#[server(prefix = "/api", endpoint = "enrollment/nominate")]
pub async fn nominate(cohort_id: String, user_id: String, on: bool) -> Result<Vec<Report>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::enrollment::server::nominate(&access, &cohort_id, &user_id, on).await
        }
        .await,
    )
}
