//! Bulk import of people from CSV (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::import::types::{ImportOutcome, ImportPreview};
use crate::error::AppError;

/// Checks a CSV file against the database and says what an import would do. Changes nothing.
#[server(prefix = "/api", endpoint = "import/preview", input = Json)]
pub async fn preview_import(csv: String) -> Result<ImportPreview, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::import::server::preview(&access.db, &csv).await
        }
        .await,
    )
}

/// Imports a CSV file: all rows, or nothing when any row has a problem.
#[server(prefix = "/api", endpoint = "import/run", input = Json)]
pub async fn run_import(csv: String) -> Result<ImportOutcome, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::role(crate::domain::auth::types::Role::Admin).await?;
            crate::domain::import::server::run(&access, &csv).await
        }
        .await,
    )
}
