//! The fit check (the pair's two people) and ending pairs (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::pairs::server as service;
use crate::domain::pairs::types::{CohortPairs, FitCard, FitCheckInput};
use crate::error::AppError;

/// Answers (or changes) the caller's fit check on a pair. The pair's two people, after their
/// first meeting, while the pair runs.
#[server(prefix = "/api", endpoint = "pairs/fit-check", input = Json, output = crate::codec::Json)]
pub async fn answer_fit_check(input: FitCheckInput) -> Result<FitCard, AppError> {
    let access = Access::participant().await?;
    service::answer(&access, input).await
}

/// A cohort's pairs with their fit checks, flagged first. Admins only.
#[server(prefix = "/api", endpoint = "pairs/of-cohort", output = crate::codec::Json)]
pub async fn list_cohort_pairs(cohort_id: String) -> Result<CohortPairs, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::cohort_pairs(&access.db, &cohort_id).await
}

/// Ends a running pair with a reason; the cohort's board reopens for re-matching. Admins only.
#[server(prefix = "/api", endpoint = "pairs/end", input = Json, output = crate::codec::Json)]
pub async fn end_pair(pairing_id: String, reason: String) -> Result<CohortPairs, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::end(&access, &pairing_id, &reason).await
}
