//! A manager's nominations of their direct reports for a cohort.

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::cohort::types::Cohort;
use crate::domain::enrollment::types::{Application, ApplicationStatus, Report};

use crate::error::AppError;

use super::apply::{judge, require_enrolling};
use super::mine;

#[derive(SurrealValue)]
struct ReportRow {
    id: String,
    name: String,
    title: String,
    nominated_for: Vec<String>,
}

/// The caller's active direct reports, with the cohorts they are nominated for.
pub async fn reports(access: &Access) -> Result<Vec<Report>, AppError> {
    let mut res = access
        .db
        .query(
            "SELECT record::id(id) AS id, name, title,
                 { LET $u = $this.id; RETURN SELECT VALUE record::id(cohort) FROM nomination WHERE user = $u } AS nominated_for
             FROM user WHERE manager = type::record('user', $me) AND active = true ORDER BY name",
        )
        .bind(("me", access.user().id.clone()))
        .await?;
    let rows: Vec<ReportRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| Report { id: r.id, name: r.name, title: r.title, nominated_for: r.nominated_for })
        .collect())
}

/// Nominates (or un-nominates) a direct report for an enrolling cohort. Only their manager may.
pub async fn nominate(access: &Access, cohort_id: &str, user_id: &str, on: bool) -> Result<Vec<Report>, AppError> {
    let user_id = check_key(user_id)?.to_string();
    let mine = reports(access).await?;
    let Some(report) = mine.iter().find(|r| r.id == user_id) else {
        // Not a direct report: the caller cannot nominate them (nor learn whether they exist).
        return Err(AppError::Forbidden);
    };
    let cohort = crate::domain::cohort::server::get(&access.db, cohort_id).await?;
    require_enrolling(&cohort)?;
    let action = if on { "nominated" } else { "withdrew the nomination of" };
    let audit = Audit::by(access, action, format!("{} for {}", report.name, cohort.name));
    let statement = if on {
        "IF count(SELECT VALUE id FROM nomination WHERE cohort = type::record('cohort', $cohort)
                AND user = type::record('user', $user)) = 0 {
             CREATE nomination SET org = org:main, cohort = type::record('cohort', $cohort),
                 user = type::record('user', $user), by = type::record('user', $me);
         };"
    } else {
        "DELETE nomination WHERE cohort = type::record('cohort', $cohort) AND user = type::record('user', $user);"
    };
    let query = access.db.query(format!("BEGIN; {statement} {AUDIT_STATEMENT} COMMIT;"));
    audit
        .bind(query)
        .bind(("cohort", cohort.id.clone()))
        .bind(("user", user_id.clone()))
        .bind(("me", access.user().id.clone()))
        .await
        .and_then(checked)?;
    refresh_pending(&access.db, &cohort, &user_id).await?;
    reports(access).await
}

/// Re-evaluates a user's pending applications to a cohort (after a nomination changed a fact
/// the rules test), so admins decide on the current verdict.
async fn refresh_pending(db: &Db, cohort: &Cohort, user_id: &str) -> Result<(), AppError> {
    let pending: Vec<Application> = mine(db, user_id)
        .await?
        .into_iter()
        .filter(|a| a.cohort_id == cohort.id && a.status == ApplicationStatus::Pending)
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let design = crate::domain::program::server::get(db, &cohort.program_id).await?;
    for app in pending {
        let (verdict, eligible) = judge(db, &design, app.side, user_id, &cohort.id, &app.answers).await?;
        db.query(
            "UPDATE type::record('application', $id) SET verdict = IF $verdict = NULL THEN NONE ELSE $verdict END,
                 eligible = $eligible, version += 1, updated_at = time::now()
             WHERE status = 'pending'",
        )
        .bind(("id", app.id))
        .bind(("verdict", verdict))
        .bind(("eligible", eligible))
        .await
        .and_then(checked)?;
    }
    Ok(())
}
