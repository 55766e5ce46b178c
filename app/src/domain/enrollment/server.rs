//! Enrollment in SurrealDB: applying with a server-computed verdict, deciding, nominating.

use std::collections::BTreeMap;

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, is_unique_violation, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::cohort::types::Cohort;
use crate::domain::enrollment::types::{
    no_rules, Application, ApplicationInput, CohortApplications, Decision, OpenCohort, Report, Side,
};
use crate::domain::program::types::{ApproachKind, ProgramDesign};
use crate::engine::eligibility::{self, Applicant, RuleNode, RuleVerdict};

use crate::error::AppError;

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::internal("enrollment", e)
}

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
    side: String,
    answers: serde_json::Value,
    verdict: Option<serde_json::Value>,
    eligible: bool,
    capacity: Option<i64>,
    status: String,
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
            Some(v) if !v.is_null() => Some(serde_json::from_value(v).map_err(internal)?),
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
            side: Side::parse(&self.side).ok_or_else(|| internal(format!("bad side {}", self.side)))?,
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

/// One application.
pub async fn get(db: &Db, id: &str) -> Result<Application, AppError> {
    let id = check_key(id)?;
    let mut res = db
        .query(format!("SELECT {APP_FIELDS} FROM type::record('application', $id)"))
        .bind(("id", id.to_string()))
        .await
        .map_err(internal)?;
    let rows: Vec<AppRow> = res.take(0).map_err(internal)?;
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
        .await
        .map_err(internal)?;
    let rows: Vec<AppRow> = res.take(0).map_err(internal)?;
    rows_to_apps(rows)
}

/// The rules of one side of a program.
fn rules_of(design: &ProgramDesign, side: Side) -> &RuleNode {
    match side {
        Side::Mentee => &design.mentee_rules,
        Side::Mentor => &design.mentor_rules,
    }
}

/// The rules in words, or `None` when everyone may apply.
fn outline(design: &ProgramDesign, side: Side) -> Result<Option<eligibility::RuleOutline>, AppError> {
    let node = rules_of(design, side);
    if no_rules(node) {
        return Ok(None);
    }
    let rule = eligibility::parse(node, &design.questions).map_err(|e| internal(format!("stored rules: {e:?}")))?;
    Ok(Some(eligibility::outline(&rule)))
}

/// Cohorts taking applications, with the caller's own applications.
pub async fn open_cohorts(access: &Access) -> Result<Vec<OpenCohort>, AppError> {
    let cohorts: Vec<Cohort> = crate::domain::cohort::server::list(&access.db)
        .await?
        .into_iter()
        .filter(|c| c.status == "enrolling")
        .collect();
    let my = mine(&access.db, &access.user().id).await?;
    let skill_names: BTreeMap<String, String> =
        crate::domain::skills::server::list(&access.db, true).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let mut res = access
        .db
        .query(
            "SELECT skills_wanted.map(|$s| record::id($s)) AS wanted, skills_offered.map(|$s| record::id($s)) AS offered
             FROM type::record('user', $user)",
        )
        .bind(("user", access.user().id.clone()))
        .await
        .map_err(internal)?;
    let profile: Option<ProfileSkills> = res.take::<Vec<ProfileSkills>>(0).map_err(internal)?.into_iter().next();
    let profile = profile.unwrap_or(ProfileSkills { wanted: Vec::new(), offered: Vec::new() });
    let mut out = Vec::with_capacity(cohorts.len());
    for cohort in cohorts {
        let design = crate::domain::program::server::get(&access.db, &cohort.program_id).await?;
        let skills: Vec<(String, String)> =
            design.skill_ids.iter().filter_map(|id| skill_names.get(id).map(|n| (id.clone(), n.clone()))).collect();
        let mut res = access
            .db
            .query(
                "SELECT record::id(user) AS id, user.name AS name FROM application
                 WHERE cohort = type::record('cohort', $cohort) AND side = 'mentor' AND status IN ['pending', 'approved']
                     AND user != type::record('user', $me)
                 ORDER BY name",
            )
            .bind(("cohort", cohort.id.clone()))
            .bind(("me", access.user().id.clone()))
            .await
            .map_err(internal)?;
        let mentors: Vec<(String, String)> = res
            .take::<Vec<NameRow>>(0)
            .map_err(internal)?
            .into_iter()
            .map(|r| (r.id, r.name.unwrap_or_default()))
            .collect();
        let in_program = |ids: &[String]| -> Vec<String> {
            ids.iter().filter(|id| design.skill_ids.contains(id)).cloned().collect()
        };
        let approach = match ApproachKind::parse(&design.approach) {
            Some(ApproachKind::Custom) if !design.approach_name.is_empty() => design.approach_name.clone(),
            Some(kind) => kind.label().to_string(),
            None => design.approach.clone(),
        };
        out.push(OpenCohort {
            purpose: design.purpose.clone(),
            approach,
            questions: design.questions.clone(),
            default_capacity: design.capacity.clone(),
            mentee_rules: outline(&design, Side::Mentee)?,
            mentor_rules: outline(&design, Side::Mentor)?,
            mine: my.iter().filter(|a| a.cohort_id == cohort.id).cloned().collect(),
            profile_wanted: in_program(&profile.wanted),
            profile_offered: in_program(&profile.offered),
            mentors,
            skills,
            cohort,
        });
    }
    Ok(out)
}

#[derive(SurrealValue)]
struct NameRow {
    id: String,
    name: Option<String>,
}

#[derive(SurrealValue)]
struct ProfileSkills {
    wanted: Vec<String>,
    offered: Vec<String>,
}

#[derive(SurrealValue)]
struct ProfileRow {
    level: Option<i64>,
    tenure: Option<i64>,
    department: String,
    title: String,
    location: String,
    roles: Vec<String>,
    nominated: bool,
}

/// The facts rules test, read from the user's profile and the cohort's nominations.
pub async fn applicant(db: &Db, user_id: &str, cohort_id: &str) -> Result<Applicant, AppError> {
    let mut res = db
        .query(
            "SELECT level, department, title, location, roles,
                 IF hired_on != NONE THEN <int> math::floor(duration::days(time::now() - hired_on) * 12 / 365.25)
                 ELSE NONE END AS tenure,
                 count(SELECT VALUE id FROM nomination
                     WHERE cohort = type::record('cohort', $cohort) AND user = $parent.id) > 0 AS nominated
             FROM type::record('user', $user)",
        )
        .bind(("user", user_id.to_string()))
        .bind(("cohort", cohort_id.to_string()))
        .await
        .map_err(internal)?;
    let rows: Vec<ProfileRow> = res.take(0).map_err(internal)?;
    let row = rows.into_iter().next().ok_or(AppError::NotFound)?;
    Ok(Applicant {
        level: row.level,
        tenure_months: row.tenure,
        department: row.department,
        title: row.title,
        location: row.location,
        roles: row.roles,
        manager_nominated: row.nominated,
        answers: BTreeMap::new(),
    })
}

/// Evaluates one side's rules for a user: the verdict as stored JSON (null without rules) and
/// whether they are eligible.
async fn judge(
    db: &Db,
    design: &ProgramDesign,
    side: Side,
    user_id: &str,
    cohort_id: &str,
    answers: &BTreeMap<String, String>,
) -> Result<(serde_json::Value, bool), AppError> {
    let node = rules_of(design, side);
    if no_rules(node) {
        return Ok((serde_json::Value::Null, true));
    }
    let rule = eligibility::parse(node, &design.questions).map_err(|e| internal(format!("stored rules: {e:?}")))?;
    let mut facts = applicant(db, user_id, cohort_id).await?;
    facts.answers = answers.clone();
    let verdict = eligibility::evaluate(&rule, &facts);
    Ok((serde_json::to_value(&verdict).map_err(internal)?, verdict.passed))
}

#[derive(SurrealValue)]
struct ExistingRow {
    id: String,
    status: String,
}

/// Applications and nominations only while a cohort is enrolling.
fn require_enrolling(cohort: &Cohort) -> Result<(), AppError> {
    if cohort.status == "enrolling" {
        return Ok(());
    }
    Err(AppError::Conflict {
        field: "cohort_id".into(),
        message: format!("{} is not taking applications (it is {}).", cohort.name, cohort.status),
    })
}

/// Applies the caller to a cohort (or updates their pending application). The verdict is
/// computed here, on the server, from the profile and the answers.
pub async fn apply(access: &Access, input: ApplicationInput) -> Result<Application, AppError> {
    let user = access.user().clone();
    let cohort = crate::domain::cohort::server::get(&access.db, input.cohort_id.trim()).await.map_err(|e| {
        if e == AppError::NotFound {
            AppError::field("cohort_id", "This cohort no longer exists.")
        } else {
            e
        }
    })?;
    require_enrolling(&cohort)?;
    let design = crate::domain::program::server::get(&access.db, &cohort.program_id).await?;
    input.validate(&design.questions, &design.skill_ids).into_result()?;
    let side = Side::parse(&input.side).ok_or(AppError::Internal)?;
    let capacity: Option<i64> = if side == Side::Mentor { input.capacity.trim().parse().ok() } else { None };
    let answers: BTreeMap<String, String> =
        input.answers.iter().map(|(q, a)| (q.clone(), a.trim().to_string())).collect();

    let (verdict_json, eligible) = judge(&access.db, &design, side, &user.id, &cohort.id, &answers).await?;
    let answers_json = serde_json::to_value(&answers).map_err(internal)?;
    if side == Side::Mentee && !input.prefs.wishes.is_empty() {
        let mut res = access
            .db
            .query(
                "SELECT VALUE record::id(user) FROM application
                 WHERE cohort = type::record('cohort', $cohort) AND side = 'mentor' AND status IN ['pending', 'approved']",
            )
            .bind(("cohort", cohort.id.clone()))
            .await
            .map_err(internal)?;
        let mentors: Vec<String> = res.take(0).map_err(internal)?;
        if input.prefs.wishes.iter().any(|w| !mentors.contains(w) || *w == user.id) {
            return Err(AppError::field(
                "prefs.wishes",
                "A mentor you named is no longer a mentor in this cohort. Reload the page.",
            ));
        }
    }
    let mut prefs = input.prefs.clone();
    prefs.skills.sort_by_key(|s| design.skill_ids.iter().position(|x| x == s));
    prefs.skills.dedup();
    prefs.slots.sort();
    prefs.slots.dedup();
    prefs.approaches.sort();
    prefs.approaches.dedup();
    let prefs_json = serde_json::to_value(&prefs).map_err(internal)?;

    let mut res = access
        .db
        .query(
            "SELECT record::id(id) AS id, status FROM application
             WHERE cohort = type::record('cohort', $cohort) AND user = type::record('user', $user) AND side = $side",
        )
        .bind(("cohort", cohort.id.clone()))
        .bind(("user", user.id.clone()))
        .bind(("side", side.as_str()))
        .await
        .map_err(internal)?;
    let existing: Option<ExistingRow> = res.take::<Vec<ExistingRow>>(0).map_err(internal)?.into_iter().next();
    let detail = format!("{} as {} in {}", user.email, side.as_str(), cohort.name);
    let id = match existing {
        Some(row) if row.status == "approved" || row.status == "rejected" => {
            return Err(AppError::Conflict {
                field: "side".into(),
                message: format!("Your application as {} was already {}.", side.as_str(), row.status),
            })
        }
        Some(row) => {
            let audit = Audit::by(access, "updated the application", detail);
            let query = access.db.query(format!(
                "BEGIN;
                 UPDATE type::record('application', $id) SET answers = $answers,
                     verdict = IF $verdict = NULL THEN NONE ELSE $verdict END, eligible = $eligible,
                     capacity = $capacity, prefs = $prefs, status = 'pending', version += 1, updated_at = time::now()
                 WHERE status IN ['pending', 'withdrawn'];
                 {AUDIT_STATEMENT}
                 COMMIT;"
            ));
            audit
                .bind(query)
                .bind(("id", row.id.clone()))
                .bind(("answers", answers_json))
                .bind(("verdict", verdict_json))
                .bind(("eligible", eligible))
                .bind(("capacity", capacity))
                .bind(("prefs", prefs_json.clone()))
                .await
                .and_then(checked)
                .map_err(internal)?;
            row.id
        }
        None => {
            let audit = Audit::by(access, "applied", detail);
            let query = access.db.query(format!(
                "BEGIN;
                 CREATE application SET org = org:main, cohort = type::record('cohort', $cohort),
                     user = type::record('user', $user), side = $side, answers = $answers,
                     verdict = IF $verdict = NULL THEN NONE ELSE $verdict END, eligible = $eligible,
                     capacity = $capacity, prefs = $prefs
                 RETURN VALUE record::id(id);
                 {AUDIT_STATEMENT}
                 COMMIT;"
            ));
            let result = audit
                .bind(query)
                .bind(("cohort", cohort.id.clone()))
                .bind(("user", user.id.clone()))
                .bind(("side", side.as_str()))
                .bind(("answers", answers_json))
                .bind(("verdict", verdict_json))
                .bind(("eligible", eligible))
                .bind(("capacity", capacity))
                .bind(("prefs", prefs_json))
                .await
                .and_then(checked);
            let mut res = match result {
                Ok(res) => res,
                Err(e) if is_unique_violation(&e) => {
                    return Err(AppError::Conflict {
                        field: "side".into(),
                        message: "You already applied; reload to see your application.".into(),
                    })
                }
                Err(e) => return Err(internal(e)),
            };
            let ids: Vec<String> = res.take(1).map_err(internal)?;
            ids.into_iter().next().ok_or(AppError::Internal)?
        }
    };
    get(&access.db, &id).await
}

/// Withdraws the caller's own pending application.
pub async fn withdraw(access: &Access, id: &str) -> Result<Application, AppError> {
    let app = get(&access.db, id).await?;
    // Someone else's application does not exist, as far as the caller can tell.
    if app.user_id != access.user().id {
        return Err(AppError::NotFound);
    }
    if app.status != "pending" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("This application was already {}.", app.status),
        });
    }
    let audit = Audit::by(access, "withdrew the application", format!("{} in {}", app.side.as_str(), app.cohort_name));
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('application', $id) SET status = 'withdrawn', version += 1, updated_at = time::now()
         WHERE status = 'pending';
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit.bind(query).bind(("id", app.id.clone())).await.and_then(checked).map_err(internal)?;
    get(&access.db, &app.id).await
}

/// A cohort's applications, pending first, then by name.
pub async fn for_cohort(db: &Db, cohort_id: &str) -> Result<CohortApplications, AppError> {
    let cohort = crate::domain::cohort::server::get(db, cohort_id).await?;
    let design = crate::domain::program::server::get(db, &cohort.program_id).await?;
    let mut res = db
        .query(format!("SELECT {APP_FIELDS} FROM application WHERE cohort = type::record('cohort', $cohort)"))
        .bind(("cohort", cohort.id.clone()))
        .await
        .map_err(internal)?;
    let rows: Vec<AppRow> = res.take(0).map_err(internal)?;
    let mut applications = rows_to_apps(rows)?;
    let rank = |s: &str| match s {
        "pending" => 0,
        "approved" => 1,
        "rejected" => 2,
        _ => 3,
    };
    applications.sort_by(|a, b| {
        rank(&a.status).cmp(&rank(&b.status)).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
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
    if app.status != "pending" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("This application is {}; only pending ones can be decided.", app.status),
        });
    }
    let status = if decision.approve { "approved" } else { "rejected" };
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
         IF array::len($changed) = 0 {{ THROW 'stale decision' }};
         IF $approve {{
             UPDATE type::record('user', $user) SET roles = array::union(roles, [$side]);
         }};
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let result = audit
        .bind(query)
        .bind(("id", app.id.clone()))
        .bind(("status", status))
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
        Err(e) if e.to_string().contains("stale decision") => {
            return Err(AppError::Conflict {
                field: "version".into(),
                message: "Another admin decided on this application first. Reload to see it.".into(),
            })
        }
        Err(e) => return Err(internal(e)),
    }
    get(&access.db, &app.id).await
}

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
                 (SELECT VALUE record::id(cohort) FROM nomination WHERE user = $parent.id) AS nominated_for
             FROM user WHERE manager = type::record('user', $me) AND active = true ORDER BY name",
        )
        .bind(("me", access.user().id.clone()))
        .await
        .map_err(internal)?;
    let rows: Vec<ReportRow> = res.take(0).map_err(internal)?;
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
        .and_then(checked)
        .map_err(internal)?;
    refresh_pending(&access.db, &cohort, &user_id).await?;
    reports(access).await
}

/// Re-evaluates a user's pending applications to a cohort (after a nomination changed a fact
/// the rules test), so admins decide on the current verdict.
async fn refresh_pending(db: &Db, cohort: &Cohort, user_id: &str) -> Result<(), AppError> {
    let pending: Vec<Application> =
        mine(db, user_id).await?.into_iter().filter(|a| a.cohort_id == cohort.id && a.status == "pending").collect();
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
        .and_then(checked)
        .map_err(internal)?;
    }
    Ok(())
}
