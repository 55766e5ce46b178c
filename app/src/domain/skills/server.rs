//! The skills catalog in SurrealDB. Skills are never deleted: archiving keeps history intact.

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, is_unique_violation, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::skills::types::{Skill, ValidSkill};
use crate::error::AppError;

const SKILL_FIELDS: &str = "record::id(id) AS id, name, category, description, archived,
    { LET $s = $this.id; RETURN count(SELECT VALUE id FROM program WHERE $s IN skills) } AS programs";

#[derive(SurrealValue)]
struct SkillRow {
    id: String,
    name: String,
    category: String,
    description: String,
    archived: bool,
    programs: i64,
}

impl From<SkillRow> for Skill {
    fn from(r: SkillRow) -> Self {
        Skill {
            id: r.id,
            name: r.name,
            category: r.category,
            description: r.description,
            archived: r.archived,
            programs: r.programs,
        }
    }
}

fn duplicate_name() -> AppError {
    AppError::Conflict { field: "name".into(), message: "The catalog already has a skill with this name.".into() }
}

/// The catalog sorted by category, then name.
pub async fn list(db: &Db, include_archived: bool) -> Result<Vec<Skill>, AppError> {
    let filter = if include_archived { "" } else { "WHERE archived = false" };
    let mut res = db.query(format!("SELECT {SKILL_FIELDS} FROM skill {filter}")).await?;
    let rows: Vec<SkillRow> = res.take(0)?;
    let mut skills: Vec<Skill> = rows.into_iter().map(Skill::from).collect();
    skills.sort_by_key(|s| (s.archived, s.category.to_lowercase(), s.name.to_lowercase()));
    Ok(skills)
}

/// Every skill's name by id (archived ones too): for pages that name a design's skills. Only ids
/// and names: [`list`] also counts each skill's programs, reading every program per skill.
pub async fn names(db: &Db) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    let mut res = db.query("SELECT VALUE [record::id(id), name] FROM skill").await?;
    let rows: Vec<Vec<String>> = res.take(0)?;
    Ok(rows.into_iter().filter_map(|r| <[String; 2]>::try_from(r).ok()).map(|[id, name]| (id, name)).collect())
}

/// One skill.
pub async fn get(db: &Db, id: &str) -> Result<Skill, AppError> {
    let id = check_key(id)?;
    let mut res =
        db.query(format!("SELECT {SKILL_FIELDS} FROM type::record('skill', $id)")).bind(("id", id.to_string())).await?;
    let rows: Vec<SkillRow> = res.take(0)?;
    rows.into_iter().next().map(Skill::from).ok_or(AppError::NotFound)
}

/// Adds a skill (and its audit entry, in one transaction).
pub async fn create(access: &Access, skill: ValidSkill) -> Result<Skill, AppError> {
    let audit = Audit::by(access, "added the skill", skill.name.clone());
    let query = access.db.query(format!(
        "BEGIN;
         CREATE skill SET org = org:main, name = $name, category = $category, description = $description
             RETURN VALUE record::id(id);
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let mut res = audit
        .bind(query)
        .bind(("name", skill.name))
        .bind(("category", skill.category))
        .bind(("description", skill.description))
        .await
        .and_then(checked)
        .map_err(|e| if is_unique_violation(&e) { duplicate_name() } else { AppError::from(e) })?;
    let ids: Vec<String> = res.take(1)?;
    let id = ids.into_iter().next().ok_or(AppError::Internal)?;
    get(&access.db, &id).await
}

/// Renames or re-describes a skill.
pub async fn update(access: &Access, id: &str, skill: ValidSkill) -> Result<Skill, AppError> {
    let before = get(&access.db, id).await?;
    let detail =
        if before.name == skill.name { skill.name.clone() } else { format!("{} → {}", before.name, skill.name) };
    let audit = Audit::by(access, "edited the skill", detail);
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('skill', $id) SET name = $name, category = $category, description = $description;
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("id", before.id.clone()))
        .bind(("name", skill.name))
        .bind(("category", skill.category))
        .bind(("description", skill.description))
        .await
        .and_then(checked)
        .map_err(|e| if is_unique_violation(&e) { duplicate_name() } else { AppError::from(e) })?;
    get(&access.db, &before.id).await
}

/// Archives or restores a skill.
pub async fn set_archived(access: &Access, id: &str, archived: bool) -> Result<Skill, AppError> {
    let before = get(&access.db, id).await?;
    let audit = Audit::by(access, if archived { "archived the skill" } else { "restored the skill" }, before.name);
    let query = access
        .db
        .query(format!("BEGIN; UPDATE type::record('skill', $id) SET archived = $archived; {AUDIT_STATEMENT} COMMIT;"));
    audit.bind(query).bind(("id", before.id.clone())).bind(("archived", archived)).await.and_then(checked)?;
    get(&access.db, &before.id).await
}
