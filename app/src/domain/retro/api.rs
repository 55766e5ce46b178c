//! Retrospectives: comparing cohorts (admins and leadership, aggregates only, the k rule on the
//! server) and the notes and decisions of each cohort (admins).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::metrics::api::staff;
#[cfg(feature = "ssr")]
use crate::domain::retro::server as service;
use crate::domain::retro::types::{
    CarryItem, CohortChoice, CohortRetro, CompareInput, Comparison, DecisionInput, DeleteNoteInput, NoteInput,
    RetroTable,
};
use crate::error::AppError;

/// The dashboards' kept facts (emptied by the live feed on any change).
#[cfg(feature = "ssr")]
fn metrics_cache() -> crate::domain::metrics::server::MetricsCache {
    use_context::<crate::domain::auth::server::ServerContext>().map(|c| c.metrics).unwrap_or_default()
}

/// The cohorts that can be compared. Admins and leadership.
#[server(prefix = "/api", endpoint = "retros/menu", output = crate::codec::Json)]
pub async fn retro_menu() -> Result<Vec<CohortChoice>, AppError> {
    let (access, _) = staff().await?;
    service::menu(&access.db).await
}

/// Two or more cohorts (or the strategies they used) compared. Admins and leadership.
#[server(prefix = "/api", endpoint = "retros/compare", input = Json, output = crate::codec::Json)]
pub async fn compare_cohorts(input: CompareInput) -> Result<Comparison, AppError> {
    let (access, admin) = staff().await?;
    service::comparison(&access.db, &metrics_cache(), &input, admin).await
}

/// One table of a comparison as CSV. Admins and leadership.
#[server(prefix = "/api", endpoint = "retros/export", input = Json, output = crate::codec::Json)]
pub async fn export_comparison(input: CompareInput, table: RetroTable) -> Result<String, AppError> {
    let (access, admin) = staff().await?;
    let c = service::comparison(&access.db, &metrics_cache(), &input, admin).await?;
    Ok(service::csv_of(&c, table))
}

/// A cohort's retrospective notes, their history and the lessons carried into it. Admins.
#[server(prefix = "/api", endpoint = "retros/cohort", input = Json, output = crate::codec::Json)]
pub async fn load_cohort_retro(cohort_id: String) -> Result<CohortRetro, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::cohort_retro(&access, &cohort_id).await
}

/// Adds or edits a retrospective note. Admins.
#[server(prefix = "/api", endpoint = "retros/save-note", input = Json, output = crate::codec::Json)]
pub async fn save_retro_note(input: NoteInput) -> Result<CohortRetro, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::save_note(&access, input).await
}

/// Deletes a retrospective note (kept in its history). Admins.
#[server(prefix = "/api", endpoint = "retros/delete-note", input = Json, output = crate::codec::Json)]
pub async fn delete_retro_note(input: DeleteNoteInput) -> Result<CohortRetro, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::delete_note(&access, input).await
}

/// Records a decision on an earlier cohort's lesson. Admins.
#[server(prefix = "/api", endpoint = "retros/decide", input = Json, output = crate::codec::Json)]
pub async fn decide_lesson(input: DecisionInput) -> Result<CohortRetro, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::decide(&access, input).await
}

/// The "change next time" items of a program's cohorts, for opening its next cohort. Admins.
#[server(prefix = "/api", endpoint = "retros/lessons", input = Json, output = crate::codec::Json)]
pub async fn program_lessons(program_id: String) -> Result<Vec<CarryItem>, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::lessons(&access.db, &program_id).await
}
