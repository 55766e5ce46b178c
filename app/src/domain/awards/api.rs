//! Rewards and awards: a mentee's standing, and an award's certificate.

use leptos::prelude::*;

use crate::domain::awards::types::{Award, RewardProgress};
use crate::error::AppError;

/// The caller's standing with their programs' rewards (newly earned ones are awarded now).
#[server(prefix = "/api", endpoint = "awards/mine")]
pub async fn my_rewards() -> Result<Vec<RewardProgress>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::awards::server::progress(&access.db, &access.user().id).await
        }
        .await,
    )
}

/// One award: its mentee, their mentor and admins.
#[server(prefix = "/api", endpoint = "awards/get")]
pub async fn get_award(id: String) -> Result<Award, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::awards::server::get(&access, &id).await
        }
        .await,
    )
}
