//! Bulk import of people from CSV (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::import::server as service;
use crate::domain::import::types::{ImportOutcome, ImportPreview};
use crate::error::AppError;

/// Checks a CSV file against the database and says what an import would do. Changes nothing.
#[server(prefix = "/api", endpoint = "import/preview", input = Json, output = crate::codec::Json)]
pub async fn preview_import(csv: String) -> Result<ImportPreview, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::preview(&access.db, &csv).await
}

/// Imports a CSV file: all rows, or nothing when any row has a problem.
#[server(prefix = "/api", endpoint = "import/run", input = Json, output = crate::codec::Json)]
pub async fn run_import(csv: String) -> Result<ImportOutcome, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::run(&access, &csv).await
}
