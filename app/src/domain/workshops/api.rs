//! Workshops: the participants' replies, reflections and sign-offs, and the admins' attendance.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::auth::server::Access;
#[cfg(feature = "ssr")]
use crate::domain::auth::types::Role;
#[cfg(feature = "ssr")]
use crate::domain::workshops::server as service;
use crate::domain::workshops::types::{AttendanceSheet, WorkshopCard};
use crate::error::AppError;

/// The workshops of the caller's pairs.
#[server(prefix = "/api", endpoint = "workshops/mine", output = crate::codec::Json)]
pub async fn my_workshops() -> Result<Vec<WorkshopCard>, AppError> {
    let access = Access::participant().await?;
    let deps = ["pairing", "user", "cohort", "workshop_seat", "skill", "program"];
    access.kept("workshops/mine", &deps, || service::mine(&access.db, &access.user().id)).await
}

/// The mentee replies going (or not). The pair's mentee only.
#[server(prefix = "/api", endpoint = "workshops/rsvp", output = crate::codec::Json)]
pub async fn rsvp_workshop(
    pairing_id: String,
    workshop_id: String,
    going: bool,
) -> Result<Vec<WorkshopCard>, AppError> {
    let access = Access::participant().await?;
    service::rsvp(&access, &pairing_id, &workshop_id, going).await
}

/// The mentee's reflection after attending. The pair's mentee only.
#[server(prefix = "/api", endpoint = "workshops/reflect", output = crate::codec::Json)]
pub async fn reflect_workshop(
    pairing_id: String,
    workshop_id: String,
    text: String,
) -> Result<Vec<WorkshopCard>, AppError> {
    let access = Access::participant().await?;
    service::reflect(&access, &pairing_id, &workshop_id, &text).await
}

/// The mentor signs the reflection off. The pair's mentor only.
#[server(prefix = "/api", endpoint = "workshops/sign-off", output = crate::codec::Json)]
pub async fn sign_off_workshop(pairing_id: String, workshop_id: String) -> Result<Vec<WorkshopCard>, AppError> {
    let access = Access::participant().await?;
    service::sign_off(&access, &pairing_id, &workshop_id).await
}

/// A cohort's workshops with attendance. Admins.
#[server(prefix = "/api", endpoint = "workshops/attendance", output = crate::codec::Json)]
pub async fn workshop_attendance(cohort_id: String) -> Result<Vec<AttendanceSheet>, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::attendance(&access.db, &cohort_id).await
}

/// Marks a mentee as attended (or not). Admins.
#[server(prefix = "/api", endpoint = "workshops/mark", output = crate::codec::Json)]
pub async fn mark_attendance(
    cohort_id: String,
    pairing_id: String,
    workshop_id: String,
    attended: bool,
) -> Result<Vec<AttendanceSheet>, AppError> {
    let access = Access::role(Role::Admin).await?;
    service::mark(&access, &cohort_id, &pairing_id, &workshop_id, attended).await
}
