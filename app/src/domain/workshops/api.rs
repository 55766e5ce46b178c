//! Workshops: the participants' replies, reflections and sign-offs, and the admins' attendance.

use leptos::prelude::*;

use crate::domain::workshops::types::{AttendanceSheet, WorkshopCard};
use crate::error::AppError;

/// The workshops of the caller's pairs.
#[server(prefix = "/api", endpoint = "workshops/mine")]
pub async fn my_workshops() -> Result<Vec<WorkshopCard>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::workshops::server::mine(&access.db, &access.user().id).await
        }
        .await,
    )
}

/// The mentee replies going (or not). The pair's mentee only.
#[server(prefix = "/api", endpoint = "workshops/rsvp")]
pub async fn rsvp_workshop(
    pairing_id: String,
    workshop_id: String,
    going: bool,
) -> Result<Vec<WorkshopCard>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::workshops::server::rsvp(&access, &pairing_id, &workshop_id, going).await
        }
        .await,
    )
}

/// The mentee's reflection after attending. The pair's mentee only.
#[server(prefix = "/api", endpoint = "workshops/reflect")]
pub async fn reflect_workshop(
    pairing_id: String,
    workshop_id: String,
    text: String,
) -> Result<Vec<WorkshopCard>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::workshops::server::reflect(&access, &pairing_id, &workshop_id, &text).await
        }
        .await,
    )
}

/// The mentor signs the reflection off. The pair's mentor only.
#[server(prefix = "/api", endpoint = "workshops/sign-off")]
pub async fn sign_off_workshop(pairing_id: String, workshop_id: String) -> Result<Vec<WorkshopCard>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    finish(
        async {
            let access = Access::participant().await?;
            crate::domain::workshops::server::sign_off(&access, &pairing_id, &workshop_id).await
        }
        .await,
    )
}

/// A cohort's workshops with attendance. Admins.
#[server(prefix = "/api", endpoint = "workshops/attendance")]
pub async fn workshop_attendance(cohort_id: String) -> Result<Vec<AttendanceSheet>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    use crate::domain::auth::types::Role;
    finish(
        async {
            let access = Access::role(Role::Admin).await?;
            crate::domain::workshops::server::attendance(&access.db, &cohort_id).await
        }
        .await,
    )
}

/// Marks a mentee as attended (or not). Admins.
#[server(prefix = "/api", endpoint = "workshops/mark")]
pub async fn mark_attendance(
    cohort_id: String,
    pairing_id: String,
    workshop_id: String,
    attended: bool,
) -> Result<Vec<AttendanceSheet>, AppError> {
    use crate::domain::auth::server::{finish, Access};
    use crate::domain::auth::types::Role;
    finish(
        async {
            let access = Access::role(Role::Admin).await?;
            crate::domain::workshops::server::mark(&access, &cohort_id, &pairing_id, &workshop_id, attended).await
        }
        .await,
    )
}
