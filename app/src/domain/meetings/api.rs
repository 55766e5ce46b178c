//! The pair's page and meeting log. The pair (and, without the notes, admins) only.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::meetings::server as service;
use crate::domain::meetings::types::{MeetingInput, PairPage};
use crate::error::AppError;

/// A pair's page with its meetings.
#[server(prefix = "/api", endpoint = "pairs/get", output = crate::codec::Json)]
pub async fn get_pair(id: String) -> Result<PairPage, AppError> {
    let access = Access::participant().await?;
    service::page(&access, &id).await
}

/// Logs or plans a meeting. The pair only.
#[server(prefix = "/api", endpoint = "pairs/log-meeting", input = Json, output = crate::codec::Json)]
pub async fn log_meeting(input: MeetingInput) -> Result<PairPage, AppError> {
    let access = Access::participant().await?;
    service::log(&access, input).await
}
