//! Aggregates for the home pages.

use std::collections::HashMap;

use surrealdb::types::SurrealValue;

use crate::db::Db;
use crate::domain::auth::server::Access;
use crate::domain::auth::types::Role;
use crate::domain::cohort::types::CohortStatus;
use crate::domain::overview::types::{
    ActivityEntry, AdminOverview, CohortSummary, Count, LeadershipOverview, MentorGuide, ParticipantOverview,
};
use crate::domain::program::server::{design_of, DesignRow, DESIGN_FIELDS};
use crate::error::AppError;

#[derive(SurrealValue)]
struct CohortRow {
    id: String,
    name: String,
    program_name: Option<String>,
    starts_on: String,
    ends_on: String,
    status: CohortStatus,
}

#[derive(SurrealValue)]
struct ActivityRow {
    who: Option<String>,
    what: String,
    detail: String,
    at_text: String,
}

/// The query behind [`cohort_list`]: every cohort, or only those enrolling, matching or running.
fn cohorts_query(only_live: bool) -> String {
    let filter = if only_live { "WHERE status IN ['enrolling', 'matching', 'running']" } else { "" };
    format!(
        "SELECT record::id(id) AS id, name, program.name AS program_name,
                time::format(starts, '%Y-%m-%d') AS starts_on, time::format(ends, '%Y-%m-%d') AS ends_on, status
         FROM cohort {filter}"
    )
}

/// Cohorts, newest first.
fn cohort_list(rows: Vec<CohortRow>) -> Vec<CohortSummary> {
    let mut list: Vec<CohortSummary> = rows
        .into_iter()
        .map(|r| CohortSummary {
            id: r.id,
            name: r.name,
            program_name: r.program_name.unwrap_or_default(),
            starts: r.starts_on,
            ends: r.ends_on,
            status: r.status,
        })
        .collect();
    list.sort_by(|a, b| b.starts.cmp(&a.starts).then_with(|| a.name.cmp(&b.name)));
    list
}

#[derive(SurrealValue)]
struct ActiveUser {
    roles: Vec<String>,
    must_change_password: bool,
}

/// The admin home page's figures (its `activity` left empty): one round trip, the active people
/// read once and counted here (a count per role, of everyone and of those yet to sign in was six
/// scans of the people). They depend on people, skills, programs and cohorts only.
pub async fn admin_figures(db: &Db) -> Result<AdminOverview, AppError> {
    let mut res = db
        .query(format!(
            "SELECT roles, must_change_password FROM user WHERE active = true;
             RETURN count(SELECT VALUE id FROM skill WHERE archived = false);
             RETURN count(SELECT VALUE id FROM program);
             {};",
            cohorts_query(false)
        ))
        .await?;
    let people: Vec<ActiveUser> = res.take(0)?;
    let skills: Option<i64> = res.take(1)?;
    let programs: Option<i64> = res.take(2)?;
    let cohorts = cohort_list(res.take(3)?);
    let users_by_role = Role::ALL
        .into_iter()
        .map(|role| Count {
            label: role.label().to_string(),
            count: people.iter().filter(|u| u.roles.iter().any(|r| r == role.as_str())).count() as i64,
        })
        .collect();
    Ok(AdminOverview {
        active_users: people.len() as i64,
        users_by_role,
        pending_first_sign_in: people.iter().filter(|u| u.must_change_password).count() as i64,
        skills: skills.unwrap_or(0),
        programs: programs.unwrap_or(0),
        cohorts,
        activity: Vec::new(),
    })
}

/// The admins' eight latest actions, newest first (the audit log is not watched by the live feed,
/// so this is read on every visit).
pub async fn recent_activity(db: &Db) -> Result<Vec<ActivityEntry>, AppError> {
    let mut res = db
        .query(
            "SELECT actor.name AS who, action AS what, detail, time::format(at, '%Y-%m-%d %H:%M') AS at_text, at
             FROM audit ORDER BY at DESC LIMIT 8",
        )
        .await?;
    let rows: Vec<ActivityRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|a| ActivityEntry {
            who: a.who.unwrap_or_else(|| "System".into()),
            what: if a.detail.is_empty() { a.what } else { format!("{} {}", a.what, a.detail) },
            at: a.at_text,
        })
        .collect())
}

#[derive(SurrealValue)]
struct ActivePerson {
    department: Option<String>,
    roles: Vec<String>,
}

/// The leadership home page: one round trip, the active people read once and counted here (by
/// department, everyone, mentors and mentees were four scans of the people).
pub async fn leadership(db: &Db) -> Result<LeadershipOverview, AppError> {
    let mut res =
        db.query(format!("SELECT department, roles FROM user WHERE active = true; {};", cohorts_query(false))).await?;
    let people: Vec<ActivePerson> = res.take(0)?;
    let cohorts = cohort_list(res.take(1)?);
    let mut departments: HashMap<String, i64> = HashMap::new();
    for p in &people {
        let label = p.department.as_deref().filter(|d| !d.is_empty()).unwrap_or("No department");
        *departments.entry(label.to_string()).or_default() += 1;
    }
    let mut by_department: Vec<Count> = departments.into_iter().map(|(label, count)| Count { label, count }).collect();
    by_department.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let with_role = |role: Role| people.iter().filter(|p| p.roles.iter().any(|r| r == role.as_str())).count() as i64;
    Ok(LeadershipOverview {
        headcount: people.len() as i64,
        mentors: with_role(Role::Mentor),
        mentees: with_role(Role::Mentee),
        by_department,
        cohorts,
    })
}

#[derive(SurrealValue)]
struct GuideFor {
    program: String,
    mentees: Vec<String>,
}

#[derive(SurrealValue)]
struct ProfileRow {
    name: String,
    title: String,
    department: String,
    level: Option<i64>,
    skills: Vec<String>,
}

/// A mentor's or mentee's home page.
pub async fn participant(access: &Access, role: Role) -> Result<ParticipantOverview, AppError> {
    let skills_field = if role == Role::Mentor { "skills_offered" } else { "skills_wanted" };
    // One round trip: the profile, the live cohorts and, for a mentor, the guides' programs.
    let mut sql = format!(
        "SELECT name, title, department, level, {skills_field}.*.name AS skills FROM type::record('user', $id);
         {};",
        cohorts_query(true)
    );
    if role == Role::Mentor {
        // The guide of each program the mentor has mentees in (named, so the mentor knows which
        // guide is for whom); before any pair is published, the guides of programs taking people.
        // The lists are bound first (`$live`, `$open`, `$mine`): subqueries inside `IN (…)` made
        // each program's row evaluate them; the designs are then read by id.
        sql.push_str(&format!(
            "LET $live = array::distinct(SELECT VALUE program FROM cohort WHERE status IN ['enrolling', 'matching', 'running']);
             LET $open = (SELECT VALUE id FROM program WHERE status = 'published' AND id IN $live);
             LET $mine = array::distinct(SELECT VALUE cohort.program FROM pairing
                 WHERE mentor = type::record('user', $id) AND status = 'published');
             SELECT record::id(cohort.program) AS program, array::sort(array::group(mentee.name)) AS mentees
             FROM pairing WHERE mentor = type::record('user', $id) AND status = 'published' GROUP BY program;
             RETURN $open.map(|$p| record::id($p));
             SELECT {DESIGN_FIELDS} FROM array::union($mine, $open);"
        ));
    }
    let mut res = access.db.query(sql).bind(("id", access.user().id.clone())).await?;
    let rows: Vec<ProfileRow> = res.take(0)?;
    let p = rows.into_iter().next().ok_or(AppError::NotFound)?;
    let cohorts = cohort_list(res.take(1)?);
    let mut guides = Vec::new();
    if role == Role::Mentor {
        let mine: Vec<GuideFor> = res.take(5)?;
        let open: Vec<String> = res.take(6)?;
        let designs: Vec<DesignRow> = res.take(7)?;
        let designs = designs.into_iter().map(design_of).collect::<Result<Vec<_>, _>>()?;
        let list: Vec<(String, Vec<String>)> = if mine.is_empty() {
            open.into_iter().map(|p| (p, Vec::new())).collect()
        } else {
            mine.into_iter().map(|g| (g.program, g.mentees)).collect()
        };
        for (id, mentees) in list {
            let d = designs.iter().find(|d| d.id == id).ok_or(AppError::NotFound)?;
            let approach = match crate::domain::program::types::ApproachKind::parse(&d.approach) {
                Some(crate::domain::program::types::ApproachKind::Custom) => d.approach_name.clone(),
                Some(k) => k.label().to_string(),
                None => String::new(),
            };
            guides.push(MentorGuide { program_name: d.name.clone(), approach, guide: d.guide.clone(), mentees });
        }
    }
    Ok(ParticipantOverview {
        guides,
        role,
        name: p.name,
        title: p.title,
        department: p.department,
        level: p.level,
        skills: p.skills,
        cohorts,
    })
}
