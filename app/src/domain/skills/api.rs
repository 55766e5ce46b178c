//! The skills catalog: everyone signed in reads it; admins add, edit and archive.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::skills::types::{Skill, SkillInput};
use crate::error::AppError;

/// The catalog, by category then name. Archived skills only for admins who ask for them.
#[server(prefix = "/api", endpoint = "skills/list")]
pub async fn list_skills(include_archived: bool) -> Result<Vec<Skill>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    use crate::domain::auth::types::Role;
    finish(
        async {
            let access = Access::signed_in().await?;
            let archived = include_archived && access.user().has_role(Role::Admin);
            crate::domain::skills::server::list(&access.db, archived).await
        }
        .await,
    )
}

/// Adds a skill. Admins only; a name already in the catalog (ignoring case) is a conflict.
#[server(prefix = "/api", endpoint = "skills/create", input = Json)]
pub async fn create_skill(input: SkillInput) -> Result<Skill, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            let skill = input.validate().map_err(AppError::Validation)?;
            crate::domain::skills::server::create(&access, skill).await
        }
        .await,
    )
}

/// Renames or re-describes a skill; programs that use it see the new name. Admins only.
#[server(prefix = "/api", endpoint = "skills/update", input = Json)]
pub async fn update_skill(id: String, input: SkillInput) -> Result<Skill, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            let skill = input.validate().map_err(AppError::Validation)?;
            crate::domain::skills::server::update(&access, &id, skill).await
        }
        .await,
    )
}

/// Archives (hides from new choices, keeps history) or restores a skill. Admins only.
#[server(prefix = "/api", endpoint = "skills/archive", input = Json)]
pub async fn set_skill_archived(id: String, archived: bool) -> Result<Skill, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::skills::server::set_archived(&access, &id, archived).await
        }
        .await,
    )
}
