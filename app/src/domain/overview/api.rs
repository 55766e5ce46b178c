//! The data behind each role's home page.

use leptos::prelude::*;

use crate::domain::overview::types::{AdminOverview, LeadershipOverview, ParticipantOverview};
use crate::error::AppError;

/// Admin home: people, catalog, programs, cohorts, recent activity.
#[server(prefix = "/api", endpoint = "home/admin")]
pub async fn get_admin_overview() -> Result<AdminOverview, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::overview::server::admin(&access.db).await
        }
        .await,
    )
}

/// Leadership home: organization-wide aggregates only.
#[server(prefix = "/api", endpoint = "home/leadership")]
pub async fn get_leadership_overview() -> Result<LeadershipOverview, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Leadership).await?;
            crate::domain::overview::server::leadership(&access.db).await
        }
        .await,
    )
}

/// Mentor home: the caller's profile, skills offered and the organization's active cohorts.
#[server(prefix = "/api", endpoint = "home/mentor")]
pub async fn get_mentor_overview() -> Result<ParticipantOverview, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Mentor).await?;
            crate::domain::overview::server::participant(&access, crate::domain::auth::types::Role::Mentor).await
        }
        .await,
    )
}

/// Mentee home: the caller's profile, skills wanted and the organization's active cohorts.
#[server(prefix = "/api", endpoint = "home/mentee")]
pub async fn get_mentee_overview() -> Result<ParticipantOverview, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Mentee).await?;
            crate::domain::overview::server::participant(&access, crate::domain::auth::types::Role::Mentee).await
        }
        .await,
    )
}
