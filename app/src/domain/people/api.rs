//! Admin management of people: list, add (with a temporary password), roles, deactivation.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::people::server as service;
use crate::domain::people::types::{CreatedUser, NewUserInput, OutcomesInput, UserRow};
use crate::error::AppError;

/// Every user, sorted by name. Admins only.
#[server(prefix = "/api", endpoint = "people/list", output = crate::codec::Json)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::list(&access.db).await
}

/// Adds a person with a temporary password they must change at first sign-in. Admins only.
#[server(prefix = "/api", endpoint = "people/create", input = Json, output = crate::codec::Json)]
pub async fn create_user(input: NewUserInput) -> Result<CreatedUser, AppError> {
    let access = Access::role(Role::Admin).await?;
    let new_user = input.validate().map_err(AppError::Validation)?;
    service::create_with_temporary_password(&access, new_user).await
}

/// Replaces a user's roles. Admins only; an admin cannot remove their own admin role.
#[server(prefix = "/api", endpoint = "people/set-roles", input = Json, output = crate::codec::Json)]
pub async fn set_roles(user_id: String, roles: Vec<Role>) -> Result<UserRow, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::set_roles(&access, &user_id, &roles).await
}

/// Deactivates (signs out everywhere, blocks sign-in) or reactivates a user. Admins only.
#[server(prefix = "/api", endpoint = "people/set-active", input = Json, output = crate::codec::Json)]
pub async fn set_active(user_id: String, active: bool) -> Result<UserRow, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::set_active(&access, &user_id, active).await
}

/// Issues a new temporary password (the old one stops working). Admins only.
#[server(prefix = "/api", endpoint = "people/reset-password", input = Json, output = crate::codec::Json)]
pub async fn reset_password(user_id: String) -> Result<CreatedUser, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::reset_password(&access, &user_id).await
}

/// Replaces a person's HR outcomes (hire date, left on, promoted on, new level): dates as
/// `YYYY-MM-DD`, none in the future, none before the hire date. Admins only.
#[server(prefix = "/api", endpoint = "people/set-outcomes", input = Json, output = crate::codec::Json)]
pub async fn set_outcomes(user_id: String, input: OutcomesInput) -> Result<UserRow, AppError> {
    let access = Access::role(Role::Admin).await?;
    let outcomes = input.validate(crate::domain::metrics::server::today()).map_err(AppError::Validation)?;
    service::set_outcomes(&access, &user_id, &outcomes).await
}
