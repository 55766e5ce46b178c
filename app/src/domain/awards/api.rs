//! Rewards and awards: a mentee's standing, and an award's certificate.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::awards::server as service;
use crate::domain::awards::types::{Award, RewardProgress};
use crate::error::AppError;

/// The caller's standing with their programs' rewards (newly earned ones are awarded now).
#[server(prefix = "/api", endpoint = "awards/mine", output = crate::codec::Json)]
pub async fn my_rewards() -> Result<Vec<RewardProgress>, AppError> {
    let access = Access::participant().await?;
    let deps = ["pairing", "cohort", "goal", "workshop_seat", "award", "program"];
    access.kept("awards/mine", &deps, || service::progress(&access.db, &access.user().id)).await
}

/// One award: its mentee, their mentor and admins.
#[server(prefix = "/api", endpoint = "awards/get", output = crate::codec::Json)]
pub async fn get_award(id: String) -> Result<Award, AppError> {
    let access = Access::participant().await?;
    service::get(&access, &id).await
}
