//! Bulk import in SurrealDB: the database checks (managers, skills, who exists already) and one
//! all-or-nothing transaction.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Map, Value};
use surrealdb::types::SurrealValue;

use crate::db::{checked, Db};
use crate::domain::auth::server::{hash_password, Access, Audit, AUDIT_STATEMENT, TEMP_PASSWORD_VALID};
use crate::domain::auth::types::Role;
use crate::domain::import::types::{lower_first, parse, ImportOutcome, ImportPreview, ImportRow, RowError};
use crate::domain::people::types::{outcome_problems, Outcomes};
use crate::domain::skills::types::name_key;
use crate::error::AppError;

/// How many preview rows are sent back.
const SAMPLE: usize = 20;

#[derive(SurrealValue)]
struct Known {
    id: String,
    key: String,
}

#[derive(SurrealValue)]
struct KnownPerson {
    id: String,
    key: String,
    hired_on: Option<String>,
    left_on: Option<String>,
    promoted_on: Option<String>,
}

/// A checked import, ready to write.
struct Plan {
    preview: ImportPreview,
    rows: Vec<ImportRow>,
    /// Record key per email: existing people and the keys chosen for new ones.
    ids: HashMap<String, String>,
    /// Emails of people who exist already.
    existing: HashMap<String, String>,
    /// Skill keys by lower-cased name.
    skills: HashMap<String, String>,
}

fn new_key() -> Result<String, AppError> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("import", e))?;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    Ok(bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect())
}

async fn plan(db: &Db, text: &str) -> Result<Plan, AppError> {
    let today = crate::domain::metrics::server::today();
    let parsed = parse(text, today);
    if let Some(m) = parsed.file_error {
        let preview = ImportPreview { file_error: Some(m), ..ImportPreview::default() };
        return Ok(Plan {
            preview,
            rows: vec![],
            ids: HashMap::new(),
            existing: HashMap::new(),
            skills: HashMap::new(),
        });
    }
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, email AS key,
                 IF hired_on THEN time::format(hired_on, '%Y-%m-%d') END AS hired_on,
                 IF left_on THEN time::format(left_on, '%Y-%m-%d') END AS left_on,
                 IF promoted_on THEN time::format(promoted_on, '%Y-%m-%d') END AS promoted_on
                 FROM user;
             SELECT record::id(id) AS id, name_key AS key FROM skill WHERE archived = false;",
        )
        .await?;
    let users: Vec<KnownPerson> = res.take(0)?;
    let skills: Vec<Known> = res.take(1)?;
    // An empty cell keeps a stored value: the order of the dates is checked on what will be kept.
    let stored: HashMap<String, Outcomes> = users
        .iter()
        .map(|k| {
            let o = Outcomes {
                hired_on: k.hired_on.clone(),
                left_on: k.left_on.clone(),
                promoted_on: k.promoted_on.clone(),
                new_level: None,
            };
            (k.key.clone(), o)
        })
        .collect();
    let existing: HashMap<String, String> = users.into_iter().map(|k| (k.key, k.id)).collect();
    let skills: HashMap<String, String> = skills.into_iter().map(|k| (k.key, k.id)).collect();

    let mut errors: Vec<RowError> = parsed.errors;
    let mut ids = existing.clone();
    let mut new = 0;
    for row in &parsed.rows {
        if !ids.contains_key(&row.email) {
            ids.insert(row.email.clone(), new_key()?);
            new += 1;
        }
    }
    for row in &parsed.rows {
        if !row.manager_email.is_empty() && !ids.contains_key(&row.manager_email) {
            errors.push(RowError {
                line: row.line,
                column: "manager_email".into(),
                message: format!(
                    "unknown manager {}: not in this file and not among existing people",
                    row.manager_email
                ),
            });
        }
        for s in &row.skills {
            if !skills.contains_key(&name_key(s)) {
                errors.push(RowError {
                    line: row.line,
                    column: "skills".into(),
                    message: format!("unknown skill “{s}”: add it to the skills catalog first"),
                });
            }
        }
    }
    for row in &parsed.rows {
        let Some(kept) = stored.get(&row.email) else { continue };
        let given = &row.outcomes;
        let after = Outcomes {
            hired_on: given.hired_on.clone().or_else(|| kept.hired_on.clone()),
            left_on: given.left_on.clone().or_else(|| kept.left_on.clone()),
            promoted_on: given.promoted_on.clone().or_else(|| kept.promoted_on.clone()),
            new_level: given.new_level,
        };
        for (column, m) in outcome_problems(&after, today) {
            if !errors.iter().any(|e| e.line == row.line && e.column == column) {
                errors.push(RowError {
                    line: row.line,
                    column: column.into(),
                    message: format!("{} (with the dates already on record)", lower_first(m.trim_end_matches('.'))),
                });
            }
        }
    }
    errors.sort_by_key(|e| e.line);
    let updated = parsed.rows.iter().filter(|r| existing.contains_key(&r.email)).count();
    let preview = ImportPreview {
        file_error: None,
        rows: parsed.rows.len(),
        new,
        updated,
        errors,
        sample: parsed.rows.iter().take(SAMPLE).cloned().collect(),
    };
    Ok(Plan { preview, rows: parsed.rows, ids, existing, skills })
}

/// Checks a file against the database without changing anything.
pub async fn preview(db: &Db, text: &str) -> Result<ImportPreview, AppError> {
    Ok(plan(db, text).await?.preview)
}

fn skill_ids(plan: &Plan, row: &ImportRow) -> Vec<String> {
    row.skills.iter().filter_map(|s| plan.skills.get(&name_key(s))).cloned().collect()
}

/// Imports a file: everything or, if any row has a problem, nothing. New people get no usable
/// password (an admin issues a temporary one from the People page); existing people keep every
/// value the file leaves empty and gain roles and skills, never lose them.
pub async fn run(access: &Access, text: &str) -> Result<ImportOutcome, AppError> {
    let started = Instant::now();
    let plan = plan(&access.db, text).await?;
    if let Some(m) = &plan.preview.file_error {
        return Err(AppError::field("file", m.clone()));
    }
    if !plan.preview.errors.is_empty() {
        return Err(AppError::Conflict {
            field: "file".into(),
            message: format!(
                "{} problem{} in the file; nothing was imported. Fix them and try again.",
                plan.preview.errors.len(),
                if plan.preview.errors.len() == 1 { "" } else { "s" }
            ),
        });
    }
    // One hash of a random secret nobody keeps: imported accounts cannot be signed in to until
    // an admin issues a temporary password.
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| AppError::internal("import", e))?;
    let hash = hash_password(secret.iter().map(|b| format!("{b:02x}")).collect()).await?;

    let mut created = Vec::new();
    let mut updated = Vec::new();
    for row in &plan.rows {
        let skills = skill_ids(&plan, row);
        let roles: Vec<&str> = row.roles.iter().map(|r| r.as_str()).collect();
        let offered = if row.roles.contains(&Role::Mentor) { skills.clone() } else { vec![] };
        let wanted = if row.roles.contains(&Role::Mentee) { skills } else { vec![] };
        let mut o = Map::new();
        o.insert("id".into(), json!(plan.ids[&row.email]));
        o.insert("email".into(), json!(row.email));
        o.insert("name".into(), json!(row.name));
        o.insert("roles".into(), json!(roles));
        o.insert("wanted".into(), json!(wanted));
        o.insert("offered".into(), json!(offered));
        // Absent keys read as NONE: an update keeps the stored value.
        if !row.department.is_empty() {
            o.insert("department".into(), json!(row.department));
        }
        if !row.title.is_empty() {
            o.insert("title".into(), json!(row.title));
        }
        if let Some(l) = row.level {
            o.insert("level".into(), json!(l));
        }
        if !row.manager_email.is_empty() {
            o.insert("manager".into(), json!(plan.ids[&row.manager_email]));
        }
        let hr = &row.outcomes;
        for (key, value) in [("hired_on", &hr.hired_on), ("left_on", &hr.left_on), ("promoted_on", &hr.promoted_on)] {
            if let Some(d) = value {
                o.insert(key.into(), json!(format!("{d}T00:00:00Z")));
            }
        }
        if let Some(l) = hr.new_level {
            o.insert("new_level".into(), json!(l));
        }
        if plan.existing.contains_key(&row.email) {
            updated.push(Value::Object(o));
        } else {
            created.push(Value::Object(o));
        }
    }
    let (n_created, n_updated) = (created.len(), updated.len());
    let audit = Audit::by(access, "imported people", format!("{n_created} added, {n_updated} updated from CSV"));
    let query = access.db.query(format!(
        "BEGIN;
         FOR $r IN $created {{
             CREATE type::record('user', $r.id) SET org = org:main, email = $r.email, name = $r.name,
                 department = $r.department ?? '', title = $r.title ?? '', level = $r.level,
                 manager = IF $r.manager THEN type::record('user', $r.manager) ELSE NONE END,
                 roles = $r.roles, password_hash = $hash, must_change_password = true,
                 temp_password_until = time::now() + $temp_valid,
                 hired_on = IF $r.hired_on THEN <datetime> $r.hired_on END,
                 left_on = IF $r.left_on THEN <datetime> $r.left_on END,
                 promoted_on = IF $r.promoted_on THEN <datetime> $r.promoted_on END, new_level = $r.new_level,
                 skills_wanted = $r.wanted.map(|$s| type::record('skill', $s)),
                 skills_offered = $r.offered.map(|$s| type::record('skill', $s));
         }};
         FOR $r IN $updated {{
             UPDATE type::record('user', $r.id) SET name = $r.name, department = $r.department ?? department,
                 title = $r.title ?? title, level = $r.level ?? level,
                 manager = IF $r.manager THEN type::record('user', $r.manager) ELSE manager END,
                 roles = array::union(roles, $r.roles),
                 hired_on = IF $r.hired_on THEN <datetime> $r.hired_on ELSE hired_on END,
                 left_on = IF $r.left_on THEN <datetime> $r.left_on ELSE left_on END,
                 promoted_on = IF $r.promoted_on THEN <datetime> $r.promoted_on ELSE promoted_on END,
                 new_level = $r.new_level ?? new_level,
                 skills_wanted = array::union(skills_wanted, $r.wanted.map(|$s| type::record('skill', $s))),
                 skills_offered = array::union(skills_offered, $r.offered.map(|$s| type::record('skill', $s)));
         }};
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("created", Value::Array(created)))
        .bind(("updated", Value::Array(updated)))
        .bind(("hash", hash))
        .bind(("temp_valid", TEMP_PASSWORD_VALID))
        .await
        .and_then(checked)
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                AppError::Conflict {
                    field: "file".into(),
                    message: "Someone added one of these people while the import ran; nothing was imported. Try again."
                        .into(),
                }
            } else {
                AppError::from(e)
            }
        })?;
    Ok(ImportOutcome { created: n_created, updated: n_updated, millis: started.elapsed().as_millis() as u64 })
}
