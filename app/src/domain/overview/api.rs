//! The data behind each role's home page.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::overview::server as service;
use crate::domain::overview::types::{AdminOverview, LeadershipOverview, ParticipantOverview};
use crate::error::AppError;

/// Admin home: people, catalog, programs, cohorts, recent activity.
#[server(prefix = "/api", endpoint = "home/admin", output = crate::codec::Json)]
pub async fn get_admin_overview() -> Result<AdminOverview, AppError> {
    let access = Access::role(Role::Admin).await?;
    // The figures are kept for every admin (a change to people, skills, programs or cohorts
    // forgets them); the recent activity is read each time.
    let db = access.db.clone();
    let mut overview = access
        .kept_shared("admin-home", &["user", "skill", "program", "cohort"], || async move {
            service::admin_figures(&db).await
        })
        .await?;
    overview.activity = service::recent_activity(&access.db).await?;
    Ok(overview)
}

/// Leadership home: organization-wide aggregates only.
#[server(prefix = "/api", endpoint = "home/leadership", output = crate::codec::Json)]
pub async fn get_leadership_overview() -> Result<LeadershipOverview, AppError> {
    let access = Access::role(Role::Leadership).await?;
    let db = access.db.clone();
    access
        .kept_shared(
            "leadership-home",
            &["user", "cohort", "program"],
            || async move { service::leadership(&db).await },
        )
        .await
}

/// Mentor home: the caller's profile, skills offered and the organization's active cohorts.
#[server(prefix = "/api", endpoint = "home/mentor", output = crate::codec::Json)]
pub async fn get_mentor_overview() -> Result<ParticipantOverview, AppError> {
    let access = Access::role(Role::Mentor).await?;
    access
        .kept("home/mentor", &["user", "skill", "cohort", "program", "pairing"], || {
            service::participant(&access, Role::Mentor)
        })
        .await
}

/// Mentee home: the caller's profile, skills wanted and the organization's active cohorts.
#[server(prefix = "/api", endpoint = "home/mentee", output = crate::codec::Json)]
pub async fn get_mentee_overview() -> Result<ParticipantOverview, AppError> {
    let access = Access::role(Role::Mentee).await?;
    access
        .kept("home/mentee", &["user", "skill", "cohort", "program"], || service::participant(&access, Role::Mentee))
        .await
}
