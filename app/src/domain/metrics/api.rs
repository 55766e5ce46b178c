//! Dashboards, objectives and exports. Leadership and admins; leadership never receives pair rows
//! and sees every group under k hidden. The server decides on every call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::metrics::server as service;
use crate::domain::metrics::types::{Dashboard, Filters, ObjectiveStatus, ProgressReport, Table};
use crate::error::AppError;
use crate::prepared::Prepared;

/// Rows an export may hold.
pub const MAX_EXPORT_ROWS: usize = 20_000;

/// The caller if an admin (true) or leadership (false): one read of the session, the same checks
/// as [`Access::role`].
#[cfg(feature = "ssr")]
pub(crate) async fn staff() -> Result<(Access, bool), AppError> {
    let access = Access::signed_in().await?;
    let admin = access.user().has_role(Role::Admin);
    if !admin && !access.user().has_role(Role::Leadership) {
        return Err(AppError::Forbidden);
    }
    if access.user().must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok((access, admin))
}

/// The dashboard for the filters given. Admins and leadership.
/// Sent as the JSON written when the dashboard was made (read it with `.value()`).
#[server(prefix = "/api", endpoint = "metrics/dashboard", input = Json, output = crate::codec::Json)]
pub async fn get_dashboard(filters: Filters) -> Result<Prepared<Dashboard>, AppError> {
    let (access, admin) = staff().await?;
    let cache = use_context::<crate::domain::auth::server::ServerContext>().map(|c| c.metrics).unwrap_or_default();
    Ok(cache.made(&access.db, &filters, admin).await?.json)
}

/// Every objective of a program's cohorts against its target. Admins and leadership.
#[server(prefix = "/api", endpoint = "metrics/objectives", input = Json, output = crate::codec::Json)]
pub async fn program_objectives(program_id: String) -> Result<Vec<ObjectiveStatus>, AppError> {
    let (access, admin) = staff().await?;
    service::program_objectives(&access.db, &program_id, admin).await
}

/// One table of the dashboard as CSV (UTF-8 with BOM), for the same filters and with the same
/// rules as the screen. Admins and leadership (pairs: admins, one cohort chosen).
#[server(prefix = "/api", endpoint = "metrics/export", input = Json, output = crate::codec::Json)]
pub async fn export_table(filters: Filters, table: Table) -> Result<String, AppError> {
    let (access, admin) = staff().await?;
    if table == Table::Pairs && !admin {
        return Err(AppError::Forbidden);
    }
    let cache = use_context::<crate::domain::auth::server::ServerContext>().map(|c| c.metrics).unwrap_or_default();
    let d = cache.dashboard(&access.db, &filters, admin).await?;
    let (header, rows) = crate::domain::metrics::csv::table(&d, table);
    crate::domain::metrics::csv::capped(&header, &rows, MAX_EXPORT_ROWS)
}

/// A mentee's progress report: the pair and admins.
#[server(prefix = "/api", endpoint = "metrics/report", input = Json, output = crate::codec::Json)]
pub async fn load_progress_report(pairing_id: String) -> Result<ProgressReport, AppError> {
    let access = Access::participant().await?;
    service::report(&access, &pairing_id).await
}
