//! A pair's timeline (the pair and admins) and pair activity (admins).

use leptos::prelude::*;

use crate::domain::activity::types::{CohortPairs, PairActivity, Timeline};
use crate::error::AppError;

/// A pair's timeline. The pair and admins.
#[server(prefix = "/api", endpoint = "pairs/timeline")]
pub async fn get_timeline(id: String) -> Result<Timeline, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::activity::server::timeline(&access, &id).await
        }
        .await,
    )
}

/// A cohort's pairs with their activity. Admins.
#[server(prefix = "/api", endpoint = "pairs/activity")]
pub async fn cohort_activity(cohort_id: String) -> Result<CohortPairs, AppError> {
    use crate::domain::auth::server::{finish, Access};
    use crate::domain::auth::types::Role;
    finish(
        async {
            let access = Access::role(Role::Admin).await?;
            crate::domain::activity::server::cohort_pairs(&access.db, &cohort_id).await
        }
        .await,
    )
}

/// Pairs of running cohorts that have gone quiet. Admins.
#[server(prefix = "/api", endpoint = "pairs/quiet")]
pub async fn quiet_pairs() -> Result<Vec<PairActivity>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    use crate::domain::auth::types::Role;
    finish(
        async {
            let access = Access::role(Role::Admin).await?;
            crate::domain::activity::server::flagged(&access.db).await
        }
        .await,
    )
}

/// Sets after how many quiet days a cohort's pairs are flagged. Admins.
#[server(prefix = "/api", endpoint = "pairs/inactive-days")]
pub async fn set_inactive_days(cohort_id: String, days: String) -> Result<CohortPairs, AppError> {
    use crate::domain::auth::server::{finish, Access};
    use crate::domain::auth::types::Role;
    finish(
        async {
            let access = Access::role(Role::Admin).await?;
            crate::domain::activity::server::set_inactive_days(&access, &cohort_id, &days).await
        }
        .await,
    )
}
