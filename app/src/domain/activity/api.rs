//! A pair's timeline (the pair and admins) and pair activity (admins).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::activity::server as service;
use crate::domain::activity::types::{CohortPairs, QuietSummary, Timeline};
#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
use crate::error::AppError;

/// A pair's timeline. The pair and admins.
#[server(prefix = "/api", endpoint = "pairs/timeline", output = crate::codec::Json)]
pub async fn get_timeline(id: String) -> Result<Timeline, AppError> {
    let access = Access::participant().await?;
    service::timeline(&access, &id).await
}

/// A cohort's pairs with their activity. Admins.
#[server(prefix = "/api", endpoint = "pairs/activity", output = crate::codec::Json)]
pub async fn cohort_activity(cohort_id: String) -> Result<CohortPairs, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::cohort_pairs(&access.db, &cohort_id).await
}

/// Pairs of running cohorts that have gone quiet: the quietest few and the count per cohort. Admins.
#[server(prefix = "/api", endpoint = "pairs/quiet", output = crate::codec::Json)]
pub async fn quiet_pairs() -> Result<QuietSummary, AppError> {
    let access = Access::role(Role::Admin).await?;
    // Kept for every admin on this server: quiet is counted in days, so new activity may take up
    // to two minutes to show; a change to a cohort, a pair or a person shows at once.
    let db = access.db.clone();
    access
        .kept_shared("quiet-pairs", &["cohort", "pairing", "user"], || async move {
            Ok(QuietSummary::of(service::flagged(&db).await?))
        })
        .await
}

/// Sets after how many quiet days a cohort's pairs are flagged. Admins.
#[server(prefix = "/api", endpoint = "pairs/inactive-days", output = crate::codec::Json)]
pub async fn set_inactive_days(cohort_id: String, days: String) -> Result<CohortPairs, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::set_inactive_days(&access, &cohort_id, &days).await
}
