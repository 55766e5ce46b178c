//! Awards in SurrealDB. A program's rewards are checked for a pair whenever something that
//! counts towards them happens (a goal completes, a workshop reflection is signed off) and when
//! the mentee opens their home; an earned reward becomes an award once (a unique key per pair
//! and reward), and the mentee is notified. Awards are never taken back.

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, is_unique_violation, Db, Rows};
use crate::domain::auth::server::Access;
use crate::domain::auth::types::Role;
use crate::domain::awards::types::{Award, RewardKind, RewardProgress};
use crate::domain::program::server::{design_of, DesignRow, DESIGN_FIELDS};
use crate::domain::program::types::ProgramDesign;
use crate::error::AppError;

#[derive(SurrealValue)]
struct StandingRow {
    id: String,
    mentee: String,
    program: String,
    cohort_name: String,
    goals: i64,
    workshops: i64,
    awarded: Vec<AwardedRow>,
}

#[derive(SurrealValue)]
struct AwardedRow {
    id: String,
    reward: String,
    on: String,
}

// Each pair's counts in a block with the pair bound to `$p`: a subquery on `$parent.id` reads
// the whole table (see "Queries that use the indexes" in `crate::db`).
const STANDING: &str = "SELECT record::id(id) AS id, record::id(mentee) AS mentee, record::id(cohort.program) AS program,
        cohort.name AS cohort_name,
        { LET $p = $this.id; RETURN array::len(SELECT VALUE id FROM goal WHERE pairing = $p AND status = 'completed') } AS goals,
        { LET $p = $this.id; RETURN array::len(SELECT VALUE id FROM workshop_seat WHERE pairing = $p AND attended = true AND signed_off_at != NONE) } AS workshops,
        { LET $p = $this.id; RETURN SELECT record::id(id) AS id, reward, time::format(awarded_at, '%Y-%m-%d') AS on FROM award WHERE pairing = $p } AS awarded";

/// Awards every reward of the pair's program whose criteria are now met; returns the new awards' keys.
pub async fn evaluate(db: &Db, pairing_id: &str) -> Result<Vec<String>, AppError> {
    let id = check_key(pairing_id)?.to_string();
    let mut res = db
        .query(format!("{STANDING} FROM type::record('pairing', $id) WHERE status = 'published'"))
        .bind(("id", id))
        .await?;
    let Some(row) = res.take::<Vec<StandingRow>>(0)?.into_iter().next() else {
        return Ok(Vec::new());
    };
    let design = crate::domain::program::server::get(db, &row.program).await?;
    award_earned(db, &row, &design).await
}

/// [`evaluate`] after something was saved: a failure here must not turn the saved change into an
/// error (the next evaluation, at the latest when the mentee opens their home, catches up).
pub async fn evaluate_logged(db: &Db, pairing_id: &str) {
    if let Err(e) = evaluate(db, pairing_id).await {
        tracing::warn!(pairing = pairing_id, error = %e, "could not evaluate rewards");
    }
}

async fn award_earned(db: &Db, row: &StandingRow, design: &ProgramDesign) -> Result<Vec<String>, AppError> {
    let mut new = Vec::new();
    for r in design.rewards.iter().filter(|r| r.earned(row.goals, row.workshops)) {
        if row.awarded.iter().any(|a| a.reward == r.id) {
            continue;
        }
        let key = format!("{}_{}", row.id, r.id);
        let kind = RewardKind::of_reward(&r.kind);
        let text = format!("You earned the {} “{}” in {}.", kind, r.name, row.cohort_name);
        let res = db
            .query(
                "BEGIN;
                 CREATE type::record('award', $key) SET org = org:main, pairing = type::record('pairing', $pairing),
                     mentee = type::record('user', $mentee), reward = $reward, name = $name, kind = $kind;
                 CREATE notification SET org = org:main, user = type::record('user', $mentee), text = $text, link = $link;
                 COMMIT;",
            )
            .bind(("key", key.clone()))
            .bind(("pairing", row.id.clone()))
            .bind(("mentee", row.mentee.clone()))
            .bind(("reward", r.id.clone()))
            .bind(("name", r.name.clone()))
            .bind(("kind", kind.as_str()))
            .bind(("text", text))
            .bind(("link", format!("/awards/{key}")))
            .await
            .and_then(checked);
        match res {
            Ok(_) => new.push(key),
            // Two requests raced to award the same reward: the other one did (its key was taken,
            // or both wrote at once and this transaction lost at commit).
            Err(e) if is_unique_violation(&e) || crate::db::is_write_conflict(&e) => {}
            Err(e) => return Err(AppError::from(e)),
        }
    }
    Ok(new)
}

/// The mentee's standing with each reward of each of their pairs (awarding what is newly earned).
pub async fn progress(db: &Db, user_id: &str) -> Result<Vec<RewardProgress>, AppError> {
    // The standing and the programs' designs in one round trip: this runs on every home visit,
    // and writes only when a reward is newly earned (`award_earned`).
    let pairs = "pairing WHERE mentee = type::record('user', $me) AND status = 'published'";
    let mut res = db
        .query(format!(
            "{STANDING} FROM {pairs} ORDER BY created_at DESC;
             LET $programs = array::distinct(SELECT VALUE cohort.program FROM {pairs});
             SELECT {DESIGN_FIELDS} FROM $programs;"
        ))
        .bind(("me", user_id.to_string()))
        .await?;
    let rows: Vec<StandingRow> = res.take(0)?;
    // Read by id (`program WHERE id IN (subquery)` scanned the programs table).
    let designs: Vec<DesignRow> = res.take(2)?;
    let designs: Vec<ProgramDesign> = designs.into_iter().map(design_of).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for mut row in rows {
        let design = designs.iter().find(|d| d.id == row.program).ok_or(AppError::NotFound)?;
        award_earned(db, &row, design).await?;
        // Re-read when something is earned but not in the list read above (awarded just now,
        // here or by a request that raced this one).
        let stale = design
            .rewards
            .iter()
            .any(|r| r.earned(row.goals, row.workshops) && !row.awarded.iter().any(|a| a.reward == r.id));
        if stale {
            let mut res = db
                .query("SELECT record::id(id) AS id, reward, time::format(awarded_at, '%Y-%m-%d') AS on FROM award WHERE pairing = type::record('pairing', $id)")
                .bind(("id", row.id.clone()))
                .await
                ?;
            row.awarded = res.take(0)?;
        }
        for r in &design.rewards {
            let earned = row.awarded.iter().find(|a| a.reward == r.id);
            out.push(RewardProgress {
                pairing_id: row.id.clone(),
                cohort_name: row.cohort_name.clone(),
                name: r.name.clone(),
                kind: RewardKind::of_reward(&r.kind),
                goals_needed: r.goals_needed(),
                goals_done: row.goals,
                workshop_needed: r.workshop_required,
                workshops_done: row.workshops,
                award_id: earned.map(|a| a.id.clone()),
                awarded_on: earned.map(|a| a.on.clone()),
            });
        }
    }
    Ok(out)
}

#[derive(SurrealValue)]
struct AwardRow {
    id: String,
    name: String,
    kind: RewardKind,
    mentee: String,
    mentor: String,
    mentee_name: Option<String>,
    mentor_name: Option<String>,
    program_name: Option<String>,
    cohort_name: Option<String>,
    on: String,
    org_name: Option<String>,
    goals: Vec<GoalLine>,
    workshops: Vec<String>,
    program: String,
}

#[derive(SurrealValue)]
struct GoalLine {
    skill: Option<String>,
    what: serde_json::Value,
}

/// One award for its certificate page: the mentee, their mentor and admins; anyone else gets
/// "not found".
pub async fn get(access: &Access, id: &str) -> Result<Award, AppError> {
    let id = check_key(id)?.to_string();
    let mut res = access
        .db
        .query(
            "SELECT record::id(id) AS id, name, kind, record::id(pairing.mentee) AS mentee, record::id(pairing.mentor) AS mentor,
                 pairing.mentee.name AS mentee_name, pairing.mentor.name AS mentor_name,
                 pairing.cohort.program.name AS program_name, pairing.cohort.name AS cohort_name,
                 record::id(pairing.cohort.program) AS program,
                 time::format(awarded_at, '%Y-%m-%d') AS on, org.name AS org_name,
                 { LET $p = $this.pairing; RETURN SELECT skill.name AS skill, draft.specific AS what, completed_at FROM goal
                     WHERE pairing = $p AND status = 'completed' ORDER BY completed_at } AS goals,
                 { LET $p = $this.pairing; RETURN SELECT VALUE workshop FROM workshop_seat WHERE pairing = $p AND attended = true AND signed_off_at != NONE } AS workshops
             FROM type::record('award', $id)",
        )
        .bind(("id", id))
        .await
        ?;
    let row: AwardRow = res.one(0)?;
    let me = &access.user().id;
    if *me != row.mentee && *me != row.mentor && !access.user().has_role(Role::Admin) {
        return Err(AppError::NotFound);
    }
    let design = crate::domain::program::server::get(&access.db, &row.program).await?;
    Ok(Award {
        id: row.id,
        name: row.name,
        kind: row.kind,
        mentee_name: row.mentee_name.unwrap_or_default(),
        mentor_name: row.mentor_name.unwrap_or_default(),
        program_name: row.program_name.unwrap_or_default(),
        cohort_name: row.cohort_name.unwrap_or_default(),
        awarded_on: row.on,
        goals: row
            .goals
            .into_iter()
            .map(|g| (g.skill.unwrap_or_default(), g.what.as_str().unwrap_or_default().trim().to_string()))
            .collect(),
        workshops: row
            .workshops
            .iter()
            .filter_map(|w| design.workshops.iter().find(|d| &d.id == w).map(|d| d.title.clone()))
            .collect(),
        org_name: row.org_name.unwrap_or_default(),
    })
}
