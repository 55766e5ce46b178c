//! The matching board (admins) and published pairs (participants).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::matching::server as service;
use crate::domain::matching::types::{BoardEdit, BoardView, Draft, MyMatch, Notification, PairExplanation};
use crate::engine::scoring::Config;
use crate::error::AppError;

/// A cohort's board. Admins only.
#[server(prefix = "/api", endpoint = "board/get", output = crate::codec::Json)]
pub async fn get_board(cohort_id: String) -> Result<BoardView, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::get(&access.db, &cohort_id).await
}

/// One board edit against the board's `version`. Admins only.
#[server(prefix = "/api", endpoint = "board/edit", input = Json, output = crate::codec::Json)]
pub async fn edit_board(cohort_id: String, version: i64, edit: BoardEdit) -> Result<BoardView, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::edit(&access, &cohort_id, version, edit).await
}

/// Puts back an earlier draft (undo and redo). Admins only.
#[server(prefix = "/api", endpoint = "board/restore", input = Json, output = crate::codec::Json)]
pub async fn restore_board(cohort_id: String, version: i64, draft: Draft) -> Result<BoardView, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::restore(&access, &cohort_id, version, draft).await
}

/// Sets the program's scoring weights from a cohort's board. Admins only.
#[server(prefix = "/api", endpoint = "board/weights", input = Json, output = crate::codec::Json)]
pub async fn set_board_weights(cohort_id: String, version: i64, config: Config) -> Result<BoardView, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::set_config(&access, &cohort_id, version, config).await
}

/// Why a pair scores what it does, or why it is impossible. Admins only.
#[server(prefix = "/api", endpoint = "board/explain", output = crate::codec::Json)]
pub async fn explain_pair(cohort_id: String, mentee: String, mentor: String) -> Result<PairExplanation, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::explain(&access.db, &cohort_id, &mentee, &mentor).await
}

/// Publishes the board's pairs and notifies everyone. Admins only.
#[server(prefix = "/api", endpoint = "board/publish", input = Json, output = crate::codec::Json)]
pub async fn publish_board(cohort_id: String, version: i64) -> Result<BoardView, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::publish(&access, &cohort_id, version).await
}

/// The caller's published pairs. Any signed-in participant.
#[server(prefix = "/api", endpoint = "matches/mine", output = crate::codec::Json)]
pub async fn my_matches() -> Result<Vec<MyMatch>, AppError> {
    let access = Access::participant().await?;
    access
        .kept("matches/mine", &["pairing", "cohort", "program", "user", "meeting"], || {
            service::my_matches(&access.db, &access.user().id)
        })
        .await
}

/// The caller's notifications. Any signed-in participant.
#[server(prefix = "/api", endpoint = "notifications/mine", output = crate::codec::Json)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let access = Access::participant().await?;
    access.kept("notifications/mine", &["notification"], || service::notifications(&access.db, &access.user().id)).await
}

/// Marks the caller's notifications read. Any signed-in participant.
#[server(prefix = "/api", endpoint = "notifications/read", input = Json, output = crate::codec::Json)]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let access = Access::participant().await?;
    service::mark_read(&access.db, &access.user().id).await
}
