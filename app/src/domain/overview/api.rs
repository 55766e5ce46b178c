//! The data behind each role's home page.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::overview::server as service;
use crate::domain::overview::types::{AdminOverview, LeadershipOverview, ParticipantHome, ParticipantOverview};
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

/// A mentor's home page: the overview and every panel, in one call (the page's one resource).
#[server(prefix = "/api", endpoint = "home/mentor-page", output = crate::codec::Json)]
pub async fn get_mentor_home() -> Result<ParticipantHome, AppError> {
    participant_home(Role::Mentor).await
}

/// A mentee's home page: the overview and every panel, in one call (the page's one resource).
#[server(prefix = "/api", endpoint = "home/mentee-page", output = crate::codec::Json)]
pub async fn get_mentee_home() -> Result<ParticipantHome, AppError> {
    participant_home(Role::Mentee).await
}

/// The overview (which checks the caller's role: a mentee asking for the mentor's page gets
/// its 403), then the panels' functions at once, each with its own checks and result.
#[cfg(feature = "ssr")]
async fn participant_home(role: Role) -> Result<ParticipantHome, AppError> {
    use crate::domain::assessments::api::my_assessments;
    use crate::domain::awards::api::my_rewards;
    use crate::domain::goals::api::my_goals;
    use crate::domain::matching::api::{my_matches, my_notifications};
    use crate::domain::surveys::api::my_surveys;
    use crate::domain::workshops::api::my_workshops;

    let overview = match role {
        Role::Mentor => get_mentor_overview().await?,
        _ => get_mentee_overview().await?,
    };
    let rewards = async {
        match role {
            Role::Mentee => my_rewards().await,
            _ => Ok(Vec::new()),
        }
    };
    let (notes, pairs, goals, workshops, rewards, surveys, assessments) = tokio::join!(
        my_notifications(),
        my_matches(),
        my_goals(),
        my_workshops(),
        rewards,
        my_surveys(),
        my_assessments()
    );
    // One type per list on the wire, not a `Result` per list: each `Result<Vec<T>, _>` cost the
    // browser bundle its own decoder.
    let (workshops, workshops_failed) = split(workshops);
    let (rewards, rewards_failed) = split(rewards);
    Ok(ParticipantHome {
        overview,
        notes: notes.unwrap_or_default(),
        pairs: pairs.unwrap_or_default(),
        goals: goals.unwrap_or_default(),
        workshops,
        workshops_failed,
        rewards,
        rewards_failed,
        surveys: surveys.unwrap_or_default(),
        assessments: assessments.unwrap_or_default(),
    })
}

/// A list, or an empty one and why.
#[cfg(feature = "ssr")]
fn split<T>(list: Result<Vec<T>, AppError>) -> (Vec<T>, Option<AppError>) {
    match list {
        Ok(list) => (list, None),
        Err(e) => (Vec::new(), Some(e)),
    }
}
