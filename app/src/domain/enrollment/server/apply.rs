//! Applying to a cohort: the open cohorts with their criteria in words, the applicant as the rules
//! see them, the verdict per rule computed here (never trusted from the browser), and withdrawing.

use std::collections::BTreeMap;

use surrealdb::types::SurrealValue;

use crate::db::{checked, is_unique_violation, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::auth::types::Role;
use crate::domain::cohort::types::{Cohort, CohortStatus};
use crate::domain::enrollment::types::{no_rules, Application, ApplicationInput, ApplicationStatus, OpenCohort, Side};
use crate::domain::program::types::{ApproachKind, ProgramDesign};
use crate::engine::eligibility::{self, Applicant, RuleNode};

use crate::error::AppError;

use super::{get, mine};

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
    let rule = eligibility::parse(node, &design.questions)
        .map_err(|e| AppError::internal("enrollment", format!("stored rules: {e:?}")))?;
    Ok(Some(eligibility::outline(&rule)))
}

/// Cohorts taking applications, with the caller's own applications.
pub async fn open_cohorts(access: &Access) -> Result<Vec<OpenCohort>, AppError> {
    let cohorts: Vec<Cohort> = crate::domain::cohort::server::list(&access.db)
        .await?
        .into_iter()
        .filter(|c| c.status == CohortStatus::Enrolling)
        .collect();
    let my = mine(&access.db, &access.user().id).await?;
    let may_name_mentors = access.user().has_role(Role::Mentee) || access.user().has_role(Role::Admin);
    let skill_names: BTreeMap<String, String> = crate::domain::skills::server::names(&access.db).await?;
    let mut res = access
        .db
        .query(
            "SELECT skills_wanted.map(|$s| record::id($s)) AS wanted, skills_offered.map(|$s| record::id($s)) AS offered
             FROM type::record('user', $user)",
        )
        .bind(("user", access.user().id.clone()))
        .await
        ?;
    let profile: Option<ProfileSkills> = res.take::<Vec<ProfileSkills>>(0)?.into_iter().next();
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
            ?;
        // The mentors a mentee may name as preferred: for mentees (and admins) only, never for
        // someone who only watches the program (leadership).
        let mentors: Vec<(String, String)> = if may_name_mentors {
            res.take::<Vec<NameRow>>(0)?.into_iter().map(|r| (r.id, r.name.unwrap_or_default())).collect()
        } else {
            Vec::new()
        };
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
                     WHERE cohort = type::record('cohort', $cohort) AND user = type::record('user', $user)) > 0 AS nominated
             FROM type::record('user', $user)",
        )
        .bind(("user", user_id.to_string()))
        .bind(("cohort", cohort_id.to_string()))
        .await?;
    let rows: Vec<ProfileRow> = res.take(0)?;
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
pub(super) async fn judge(
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
    let rule = eligibility::parse(node, &design.questions)
        .map_err(|e| AppError::internal("enrollment", format!("stored rules: {e:?}")))?;
    let mut facts = applicant(db, user_id, cohort_id).await?;
    facts.answers = answers.clone();
    let verdict = eligibility::evaluate(&rule, &facts);
    Ok((serde_json::to_value(&verdict)?, verdict.passed))
}

#[derive(SurrealValue)]
struct ExistingRow {
    id: String,
    status: ApplicationStatus,
}

/// Applications and nominations only while a cohort is enrolling.
pub(super) fn require_enrolling(cohort: &Cohort) -> Result<(), AppError> {
    if cohort.status == CohortStatus::Enrolling {
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
    let answers_json = serde_json::to_value(&answers)?;
    if side == Side::Mentee && !input.prefs.wishes.is_empty() {
        let mut res = access
            .db
            .query(
                "SELECT VALUE record::id(user) FROM application
                 WHERE cohort = type::record('cohort', $cohort) AND side = 'mentor' AND status IN ['pending', 'approved']",
            )
            .bind(("cohort", cohort.id.clone()))
            .await
            ?;
        let mentors: Vec<String> = res.take(0)?;
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
    let prefs_json = serde_json::to_value(&prefs)?;

    let mut res = access
        .db
        .query(
            "SELECT record::id(id) AS id, status FROM application
             WHERE cohort = type::record('cohort', $cohort) AND user = type::record('user', $user) AND side = $side",
        )
        .bind(("cohort", cohort.id.clone()))
        .bind(("user", user.id.clone()))
        .bind(("side", side.as_str()))
        .await?;
    let existing: Option<ExistingRow> = res.take::<Vec<ExistingRow>>(0)?.into_iter().next();
    let detail = format!("{} as {} in {}", user.email, side.as_str(), cohort.name);
    let id = match existing {
        Some(row) if matches!(row.status, ApplicationStatus::Approved | ApplicationStatus::Rejected) => {
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
                .and_then(checked)?;
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
                Err(e) => return Err(AppError::from(e)),
            };
            let ids: Vec<String> = res.take(1)?;
            ids.into_iter().next().ok_or(AppError::Internal)?
        }
    };
    Ok(get(&access.db, &id).await?.for_applicant())
}

/// Withdraws the caller's own pending application.
pub async fn withdraw(access: &Access, id: &str) -> Result<Application, AppError> {
    let app = get(&access.db, id).await?;
    // Someone else's application does not exist, as far as the caller can tell.
    if app.user_id != access.user().id {
        return Err(AppError::NotFound);
    }
    if app.status != ApplicationStatus::Pending {
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
    audit.bind(query).bind(("id", app.id.clone())).await.and_then(checked)?;
    Ok(get(&access.db, &app.id).await?.for_applicant())
}
