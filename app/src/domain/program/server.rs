//! Programs in SurrealDB: drafts saved step by step with a version check, publishing, cloning.

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::program::types::{
    check_publishable, check_step, ProgramDesign, ProgramStatus, ProgramSummary, Step,
};
use crate::error::AppError;

/// The fields of a `program` row that [`design_of`] reads, for a query that loads designs
/// together with other data (one round trip instead of one per program).
pub const DESIGN_FIELDS: &str = "record::id(id) AS id, design, status, version,
    [name, purpose ?? '', approach, skills.map(|$s| record::id($s))] AS legacy";

/// A program row as selected with [`DESIGN_FIELDS`].
#[derive(SurrealValue)]
pub struct DesignRow {
    id: String,
    design: serde_json::Value,
    status: ProgramStatus,
    version: i64,
    /// Name, purpose, approach and skills, for designs saved before the studio existed.
    legacy: serde_json::Value,
}

#[derive(SurrealValue)]
struct SummaryRow {
    id: String,
    name: String,
    status: ProgramStatus,
    approach: String,
    skills: i64,
    cohorts: i64,
    updated: String,
}

/// Every program, newest first.
pub async fn list(db: &Db) -> Result<Vec<ProgramSummary>, AppError> {
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, name, status, approach, array::len(skills) AS skills,
                    { LET $p = $this.id; RETURN count(SELECT VALUE id FROM cohort WHERE program = $p) } AS cohorts,
                    time::format(updated_at, '%Y-%m-%d %H:%M') AS updated
             FROM program",
        )
        .await?;
    let rows: Vec<SummaryRow> = res.take(0)?;
    let mut list: Vec<ProgramSummary> = rows
        .into_iter()
        .map(|r| ProgramSummary {
            id: r.id,
            name: r.name,
            status: r.status,
            approach: r.approach,
            skills: r.skills,
            cohorts: r.cohorts,
            updated: r.updated,
        })
        .collect();
    list.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.name.cmp(&b.name)));
    Ok(list)
}

/// One program's design.
pub async fn get(db: &Db, id: &str) -> Result<ProgramDesign, AppError> {
    let id = check_key(id)?;
    let mut res = db
        .query(format!("SELECT {DESIGN_FIELDS} FROM type::record('program', $id)"))
        .bind(("id", id.to_string()))
        .await?;
    let rows: Vec<DesignRow> = res.take(0)?;
    design_of(rows.into_iter().next().ok_or(AppError::NotFound)?)
}

/// A program's design from its row.
pub fn design_of(row: DesignRow) -> Result<ProgramDesign, AppError> {
    // Programs made before the studio (or by the demo seed) have an empty design object.
    let mut design: ProgramDesign = if row.design.as_object().is_some_and(|o| o.is_empty()) {
        let c = row.legacy;
        let approach = c[2].as_str().unwrap_or("coaching").to_string();
        ProgramDesign {
            name: c[0].as_str().unwrap_or_default().to_string(),
            purpose: c[1].as_str().unwrap_or_default().to_string(),
            guide: crate::domain::program::types::ApproachKind::parse(&approach)
                .unwrap_or(crate::domain::program::types::ApproachKind::Coaching)
                .default_guide()
                .to_string(),
            approach,
            skill_ids: serde_json::from_value(c[3].clone()).unwrap_or_default(),
            ..ProgramDesign::default()
        }
    } else {
        serde_json::from_value(row.design)?
    };
    crate::domain::program::types::assign_ids(&mut design);
    design.id = row.id;
    design.status = row.status;
    design.version = row.version;
    Ok(design)
}

/// Copies the fields `step` owns from `from` into `into`: a step's save never carries another
/// step's unsaved (and unchecked) edits.
fn take_step(into: &mut ProgramDesign, from: ProgramDesign, step: Step) {
    match step {
        Step::Objectives => {
            into.name = from.name.trim().to_string();
            into.purpose = from.purpose.trim().to_string();
            into.objectives = from.objectives;
        }
        Step::Skills => into.skill_ids = from.skill_ids,
        Step::Approach => {
            into.approach = from.approach;
            into.approach_name = from.approach_name.trim().to_string();
            into.guide = from.guide;
        }
        Step::Structure => {
            into.mentee_rules = from.mentee_rules;
            into.mentor_rules = from.mentor_rules;
            into.questions = from.questions.into_iter().map(|q| q.trim().to_string()).collect();
            into.capacity = from.capacity.trim().to_string();
            into.phases = from.phases;
            into.workshops = from.workshops;
            into.rewards = from.rewards;
        }
    }
}

fn stale() -> AppError {
    AppError::Conflict {
        field: "version".into(),
        message: "Someone else changed this program since you opened it. Reload to see their changes.".into(),
    }
}

/// Saves one step of a draft (creating the program on its first save). Refuses a save made
/// from an older version than the stored one, so two admins never overwrite each other.
pub async fn save_step(access: &Access, design: ProgramDesign, step: Step) -> Result<ProgramDesign, AppError> {
    check_step(&design, step).into_result()?;
    let (mut merged, creating) = if design.id.is_empty() {
        (ProgramDesign::default(), true)
    } else {
        let stored = get(&access.db, &design.id).await?;
        if stored.version != design.version {
            return Err(stale());
        }
        (stored, false)
    };
    if creating && step != Step::Objectives {
        return Err(AppError::field("name", "Start with the program's name and objectives."));
    }
    take_step(&mut merged, design, step);
    let action = if creating { "created the program" } else { "edited the program" };
    write(access, merged, creating, action).await
}

/// Writes a whole design (checked by the caller) as a new program or over the stored version.
async fn write(
    access: &Access,
    mut design: ProgramDesign,
    creating: bool,
    action: &'static str,
) -> Result<ProgramDesign, AppError> {
    // Skills must exist in the catalog.
    let mut unique = design.skill_ids.clone();
    unique.sort();
    unique.dedup();
    let mut res = access
        .db
        .query("RETURN count(SELECT VALUE id FROM skill WHERE record::id(id) IN $ids)")
        .bind(("ids", unique.clone()))
        .await?;
    let found: Option<i64> = res.take(0)?;
    if found.unwrap_or(0) != unique.len() as i64 {
        return Err(AppError::field(
            "skill_ids",
            "Some chosen skills are no longer in the catalog. Reload and choose again.",
        ));
    }
    design.skill_ids = unique;
    crate::domain::program::types::assign_ids(&mut design);
    let json = serde_json::to_value(&design)?;
    let audit = Audit::by(access, action, design.name.clone());
    let sql = if creating {
        format!(
            "BEGIN;
             CREATE program SET org = org:main, name = $name, purpose = $purpose, approach = $approach,
                 skills = $skills.map(|$s| type::record('skill', $s)), design = $design, version = 1,
                 updated_at = time::now()
             RETURN VALUE record::id(id);
             {AUDIT_STATEMENT}
             COMMIT;"
        )
    } else {
        format!(
            "BEGIN;
             UPDATE type::record('program', $id) SET name = $name, purpose = $purpose, approach = $approach,
                 skills = $skills.map(|$s| type::record('skill', $s)), design = $design, version += 1,
                 updated_at = time::now()
             WHERE version = $version
             RETURN VALUE record::id(id);
             {AUDIT_STATEMENT}
             COMMIT;"
        )
    };
    let mut res = audit
        .bind(access.db.query(sql))
        .bind(("id", design.id.clone()))
        .bind(("version", design.version))
        .bind(("name", design.name.clone()))
        .bind(("purpose", design.purpose.clone()))
        .bind(("approach", design.approach.clone()))
        .bind(("skills", design.skill_ids.clone()))
        .bind(("design", json))
        .await
        .and_then(checked)?;
    let ids: Vec<String> = res.take(1)?;
    // No row: another save bumped the version between our read and our write.
    let Some(id) = ids.into_iter().next() else { return Err(stale()) };
    get(&access.db, &id).await
}

/// Publishes a complete design.
pub async fn publish(access: &Access, id: &str, version: i64) -> Result<ProgramDesign, AppError> {
    let design = get(&access.db, id).await?;
    if design.version != version {
        return Err(stale());
    }
    check_publishable(&design).into_result()?;
    let audit = Audit::by(access, "published the program", design.name.clone());
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('program', $id) SET status = 'published', version += 1, updated_at = time::now();
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit.bind(query).bind(("id", design.id.clone())).await.and_then(checked)?;
    get(&access.db, &design.id).await
}

/// Copies a program, with every setting, into a new draft.
pub async fn clone_program(access: &Access, id: &str, name: &str) -> Result<ProgramDesign, AppError> {
    let mut design = get(&access.db, id).await?;
    let mut errors = crate::error::FieldErrors::default();
    let name = crate::validate::text(&mut errors, "name", "a name for the copy", name, true, 120);
    let Some(name) = name else { return Err(AppError::Validation(errors)) };
    design.id = String::new();
    design.version = 0;
    design.status = ProgramStatus::Draft;
    design.name = name;
    write(access, design, true, "created the program as a copy").await
}
