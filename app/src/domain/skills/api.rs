//! The skills catalog: everyone signed in reads it; admins add, edit and archive.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::skills::server as service;
use crate::domain::skills::types::{Skill, SkillInput};
use crate::error::AppError;

/// The catalog, by category then name. Archived skills only for admins who ask for them.
#[server(prefix = "/api", endpoint = "skills/list", output = crate::codec::Json)]
pub async fn list_skills(include_archived: bool) -> Result<Vec<Skill>, AppError> {
    let access = Access::signed_in().await?;
    let archived = include_archived && access.user().has_role(Role::Admin);
    service::list(&access.db, archived).await
}

/// Adds a skill. Admins only; a name already in the catalog (ignoring case) is a conflict.
#[server(prefix = "/api", endpoint = "skills/create", input = Json, output = crate::codec::Json)]
pub async fn create_skill(input: SkillInput) -> Result<Skill, AppError> {
    let access = Access::role(Role::Admin).await?;
    let skill = input.validate().map_err(AppError::Validation)?;
    service::create(&access, skill).await
}

/// Renames or re-describes a skill; programs that use it see the new name. Admins only.
#[server(prefix = "/api", endpoint = "skills/update", input = Json, output = crate::codec::Json)]
pub async fn update_skill(id: String, input: SkillInput) -> Result<Skill, AppError> {
    let access = Access::role(Role::Admin).await?;
    let skill = input.validate().map_err(AppError::Validation)?;
    service::update(&access, &id, skill).await
}

/// Archives (hides from new choices, keeps history) or restores a skill. Admins only.
#[server(prefix = "/api", endpoint = "skills/archive", input = Json, output = crate::codec::Json)]
pub async fn set_skill_archived(id: String, archived: bool) -> Result<Skill, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::set_archived(&access, &id, archived).await
}
