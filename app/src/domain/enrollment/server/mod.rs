//! Enrollment in SurrealDB, in three rooms: `apply` (open cohorts, applying with a verdict the
//! server computes, withdrawing), `decide` (an admin's review) and `nominate` (a manager's
//! nominations). Reading applications is shared by all three and lives here.

mod apply;
mod decide;
mod nominate;

pub use apply::{applicant, apply, open_cohorts, withdraw};
pub use decide::{decide, for_cohort};
pub use nominate::{nominate, reports};

use std::collections::BTreeMap;

use surrealdb::types::SurrealValue;

use crate::db::{check_key, Db};
use crate::domain::enrollment::types::{Application, ApplicationStatus, Side};
use crate::engine::eligibility::RuleVerdict;

use crate::error::AppError;

const APP_FIELDS: &str = "record::id(id) AS id, record::id(cohort) AS cohort_id, cohort.name AS cohort_name,
    cohort.program.name AS program_name, record::id(user) AS user_id, user.name AS name, user.email AS email,
    user.department AS department, user.title AS title, user.level AS level, side, answers, verdict, eligible, capacity,
    status, decision_reason, override_reason, decided_by.name ?? '' AS decided_by,
    time::format(created_at, '%Y-%m-%d') AS applied_on, version, prefs";

#[derive(SurrealValue)]
struct AppRow {
    id: String,
    cohort_id: String,
    cohort_name: Option<String>,
    program_name: Option<String>,
    user_id: String,
    name: Option<String>,
    email: Option<String>,
    department: Option<String>,
    title: Option<String>,
    level: Option<i64>,
    side: Side,
    answers: serde_json::Value,
    verdict: Option<serde_json::Value>,
    eligible: bool,
    capacity: Option<i64>,
    status: ApplicationStatus,
    decision_reason: String,
    override_reason: String,
    decided_by: String,
    applied_on: String,
    version: i64,
    prefs: Option<serde_json::Value>,
}

impl AppRow {
    fn into_application(self) -> Result<Application, AppError> {
        let answers: BTreeMap<String, String> = serde_json::from_value(self.answers).unwrap_or_default();
        let verdict: Option<RuleVerdict> = match self.verdict {
            Some(v) if !v.is_null() => Some(serde_json::from_value(v)?),
            _ => None,
        };
        Ok(Application {
            id: self.id,
            cohort_id: self.cohort_id,
            cohort_name: self.cohort_name.unwrap_or_default(),
            program_name: self.program_name.unwrap_or_default(),
            user_id: self.user_id,
            name: self.name.unwrap_or_default(),
            email: self.email.unwrap_or_default(),
            department: self.department.unwrap_or_default(),
            title: self.title.unwrap_or_default(),
            level: self.level,
            side: self.side,
            answers,
            verdict,
            eligible: self.eligible,
            capacity: self.capacity,
            status: self.status,
            decision_reason: self.decision_reason,
            override_reason: self.override_reason,
            decided_by: self.decided_by,
            applied_on: self.applied_on,
            version: self.version,
            prefs: self.prefs.filter(|v| !v.is_null()).and_then(|v| serde_json::from_value(v).ok()),
        })
    }
}

fn rows_to_apps(rows: Vec<AppRow>) -> Result<Vec<Application>, AppError> {
    rows.into_iter().map(AppRow::into_application).collect()
}

/// One application, as admins see it.
pub async fn get(db: &Db, id: &str) -> Result<Application, AppError> {
    let id = check_key(id)?;
    let mut res = db
        .query(format!("SELECT {APP_FIELDS} FROM type::record('application', $id)"))
        .bind(("id", id.to_string()))
        .await?;
    let rows: Vec<AppRow> = res.take(0)?;
    rows_to_apps(rows)?.into_iter().next().ok_or(AppError::NotFound)
}

/// A user's own applications, newest first.
pub async fn mine(db: &Db, user_id: &str) -> Result<Vec<Application>, AppError> {
    let mut res = db
        .query(format!(
            "SELECT {APP_FIELDS}, created_at FROM application WHERE user = type::record('user', $user)
             ORDER BY created_at DESC"
        ))
        .bind(("user", user_id.to_string()))
        .await?;
    let rows: Vec<AppRow> = res.take(0)?;
    Ok(rows_to_apps(rows)?.into_iter().map(Application::for_applicant).collect())
}
