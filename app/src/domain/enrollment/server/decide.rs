//! An admin's review of a cohort's applications: approve, reject with a reason, or override a
//! failed verdict with a recorded reason; a decision made on a stale view is refused.

use crate::db::refusal::STALE_DECISION;
use crate::db::{checked, is_refusal, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::enrollment::types::{Application, ApplicationStatus, CohortApplications, Decision, Side};

use crate::error::AppError;

use super::{get, rows_to_apps, AppRow, APP_FIELDS};

/// A cohort's applications, pending first, then by name.
pub async fn for_cohort(db: &Db, cohort_id: &str) -> Result<CohortApplications, AppError> {
    let cohort = crate::domain::cohort::server::get(db, cohort_id).await?;
    let design = crate::domain::program::server::get(db, &cohort.program_id).await?;
    let mut res = db
        .query(format!("SELECT {APP_FIELDS} FROM application WHERE cohort = type::record('cohort', $cohort)"))
        .bind(("cohort", cohort.id.clone()))
        .await?;
    let rows: Vec<AppRow> = res.take(0)?;
    let mut applications = rows_to_apps(rows)?;
    // Statuses are declared in review order: pending, approved, rejected, withdrawn.
    applications
        .sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    Ok(CohortApplications { cohort, questions: design.questions, default_capacity: design.capacity, applications })
}

/// Approves or rejects a pending application. Approving one that failed a rule needs an override
/// reason, which is recorded; approving grants the side's role if the person lacks it.
pub async fn decide(access: &Access, decision: Decision) -> Result<Application, AppError> {
    let app = get(&access.db, &decision.id).await?;
    decision.validate(app.eligible).into_result()?;
    if app.version != decision.version {
        return Err(AppError::Conflict {
            field: "version".into(),
            message: "This application changed since you opened it. Reload to see the latest answers.".into(),
        });
    }
    if app.status != ApplicationStatus::Pending {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("This application is {}; only pending ones can be decided.", app.status),
        });
    }
    let status = if decision.approve { ApplicationStatus::Approved } else { ApplicationStatus::Rejected };
    let capacity: Option<i64> =
        if app.side == Side::Mentor && decision.approve { decision.capacity.trim().parse().ok() } else { None };
    let mut detail = format!("{} as {} in {}", app.email, app.side.as_str(), app.cohort_name);
    let override_reason = if decision.approve && !app.eligible { decision.override_reason.trim() } else { "" };
    if !override_reason.is_empty() {
        detail.push_str(&format!(" (override: {override_reason})"));
    }
    let action = if decision.approve { "approved the application" } else { "rejected the application" };
    let audit = Audit::by(access, action, detail);
    let query = access.db.query(format!(
        "BEGIN;
         LET $changed = UPDATE type::record('application', $id) SET status = $status, decision_reason = $reason,
             capacity = IF $capacity != NONE THEN $capacity ELSE capacity END,
             override_reason = $override, decided_by = type::record('user', $admin), decided_at = time::now(),
             version += 1, updated_at = time::now()
         WHERE status = 'pending' AND version = $version RETURN VALUE id;
         IF array::len($changed) = 0 {{ THROW '{STALE_DECISION}' }};
         IF $approve {{
             UPDATE type::record('user', $user) SET roles = array::union(roles, [$side]);
         }};
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let result = audit
        .bind(query)
        .bind(("id", app.id.clone()))
        .bind(("status", status.as_str()))
        .bind(("reason", decision.reason.trim().to_string()))
        .bind(("override", override_reason.to_string()))
        .bind(("admin", access.user().id.clone()))
        .bind(("version", decision.version))
        .bind(("approve", decision.approve))
        .bind(("user", app.user_id.clone()))
        .bind(("side", app.side.as_str()))
        .bind(("capacity", capacity))
        .await
        .and_then(checked);
    match result {
        Ok(_) => {}
        Err(e) if is_refusal(&e, STALE_DECISION) => {
            return Err(AppError::Conflict {
                field: "version".into(),
                message: "Another admin decided on this application first. Reload to see it.".into(),
            })
        }
        Err(e) => return Err(AppError::from(e)),
    }
    get(&access.db, &app.id).await
}
