//! The program design studio (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::program::server as service;
use crate::domain::program::types::{ProgramDesign, ProgramSummary, Step};
use crate::error::AppError;

/// Every program. Admins only.
#[server(prefix = "/api", endpoint = "programs/list", output = crate::codec::Json)]
pub async fn list_programs() -> Result<Vec<ProgramSummary>, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::list(&access.db).await
}

/// One program's design. Admins only.
#[server(prefix = "/api", endpoint = "programs/get", input = Json, output = crate::codec::Json)]
pub async fn get_program(id: String) -> Result<ProgramDesign, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::get(&access.db, &id).await
}

/// Saves one step of a program draft (creates the program on its first save). Admins only.
#[server(prefix = "/api", endpoint = "programs/save-step", input = Json, output = crate::codec::Json)]
pub async fn save_program_step(design: ProgramDesign, step: Step) -> Result<ProgramDesign, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::save_step(&access, design, step).await
}

/// Publishes a program whose design is complete. Admins only.
#[server(prefix = "/api", endpoint = "programs/publish", input = Json, output = crate::codec::Json)]
pub async fn publish_program(id: String, version: i64) -> Result<ProgramDesign, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::publish(&access, &id, version).await
}

/// Copies a program with every setting into a new draft. Admins only.
#[server(prefix = "/api", endpoint = "programs/clone", input = Json, output = crate::codec::Json)]
pub async fn clone_program(id: String, name: String) -> Result<ProgramDesign, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::clone_program(&access, &id, &name).await
}
