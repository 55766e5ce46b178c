//! Cohorts in SurrealDB.

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::cohort::types::{Cohort, CohortInput, CohortStatus};
use crate::domain::program::types::ProgramStatus;
use crate::error::AppError;

const COHORT_FIELDS: &str = "record::id(id) AS id, name, record::id(program) AS program_id,
    program.name AS program_name, time::format(starts, '%Y-%m-%d') AS starts_on,
    time::format(ends, '%Y-%m-%d') AS ends_on, status,
    strategy_tags.approach ?? '' AS approach, strategy_tags.matching_mode ?? '' AS matching_mode,
    strategy_tags.meeting_cadence ?? '' AS meeting_cadence, strategy_tags.workshop_format ?? '' AS workshop_format, version ?? 0 AS version";

#[derive(SurrealValue)]
struct CohortRow {
    id: String,
    name: String,
    program_id: String,
    program_name: Option<String>,
    starts_on: String,
    ends_on: String,
    status: CohortStatus,
    approach: String,
    matching_mode: String,
    meeting_cadence: String,
    workshop_format: String,
    version: i64,
}

impl From<CohortRow> for Cohort {
    fn from(r: CohortRow) -> Self {
        Cohort {
            id: r.id,
            name: r.name,
            program_id: r.program_id,
            program_name: r.program_name.unwrap_or_default(),
            starts: r.starts_on,
            ends: r.ends_on,
            status: r.status,
            approach: r.approach,
            matching_mode: r.matching_mode,
            meeting_cadence: r.meeting_cadence,
            workshop_format: r.workshop_format,
            version: r.version,
        }
    }
}

/// Binds the form's fields (`$name`, `$starts`, `$ends`, and the four strategy tags) that both
/// opening and editing a cohort write.
fn bind_fields<'q>(
    query: surrealdb::method::Query<'q, surrealdb::engine::any::Any>,
    input: CohortInput,
) -> surrealdb::method::Query<'q, surrealdb::engine::any::Any> {
    query
        .bind(("name", input.name.trim().to_string()))
        .bind(("starts", input.starts.trim().to_string()))
        .bind(("ends", input.ends.trim().to_string()))
        .bind(("approach", input.approach))
        .bind(("matching_mode", input.matching_mode))
        .bind(("meeting_cadence", input.meeting_cadence))
        .bind(("workshop_format", input.workshop_format))
}

/// Every cohort, newest start first.
pub async fn list(db: &Db) -> Result<Vec<Cohort>, AppError> {
    let mut res = db.query(format!("SELECT {COHORT_FIELDS} FROM cohort")).await?;
    let rows: Vec<CohortRow> = res.take(0)?;
    let mut list: Vec<Cohort> = rows.into_iter().map(Cohort::from).collect();
    list.sort_by(|a, b| b.starts.cmp(&a.starts).then_with(|| a.name.cmp(&b.name)));
    Ok(list)
}

/// One cohort.
pub async fn get(db: &Db, id: &str) -> Result<Cohort, AppError> {
    let id = check_key(id)?;
    let mut res = db
        .query(format!("SELECT {COHORT_FIELDS} FROM type::record('cohort', $id)"))
        .bind(("id", id.to_string()))
        .await?;
    let rows: Vec<CohortRow> = res.take(0)?;
    rows.into_iter().next().map(Cohort::from).ok_or(AppError::NotFound)
}

/// Opens a cohort (as a draft) for a published program; without an approach of its own it takes
/// the program's.
pub async fn create(access: &Access, mut input: CohortInput) -> Result<Cohort, AppError> {
    input.validate().map_err(AppError::Validation)?;
    let program = crate::domain::program::server::get(&access.db, input.program_id.trim()).await.map_err(|e| {
        if e == AppError::NotFound {
            AppError::field("program_id", "Choose the program this cohort runs.")
        } else {
            e
        }
    })?;
    if program.status != ProgramStatus::Published {
        return Err(AppError::field("program_id", "Publish the program before opening a cohort."));
    }
    if input.approach.is_empty() {
        input.approach = program.approach.clone();
    }
    let audit = Audit::by(access, "opened the cohort", format!("{} of {}", input.name.trim(), program.name));
    let query = access.db.query(format!(
        "BEGIN;
         CREATE cohort SET org = org:main, program = type::record('program', $program), name = $name,
             starts = <datetime> ($starts + 'T00:00:00Z'), ends = <datetime> ($ends + 'T00:00:00Z'), status = 'draft',
             strategy_tags = {{ approach: $approach, matching_mode: $matching_mode,
                 meeting_cadence: $meeting_cadence, workshop_format: $workshop_format }}
         RETURN VALUE record::id(id);
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let query = audit.bind(query).bind(("program", program.id.clone()));
    let mut res = bind_fields(query, input).await.and_then(checked)?;
    let ids: Vec<String> = res.take(1)?;
    get(&access.db, ids.first().ok_or(AppError::Internal)?).await
}

/// Moves a cohort to its next status (draft → enrolling → matching → running → closed).
/// `from` is the status the admin saw: a stale click changes nothing.
pub async fn advance(access: &Access, id: &str, from: CohortStatus) -> Result<Cohort, AppError> {
    let cohort = get(&access.db, id).await?;
    if cohort.status != from {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("This cohort is already {}. Reload to see the change.", cohort.status),
        });
    }
    let Some(next) = cohort.status.next() else {
        return Err(AppError::field("status", "A closed cohort stays closed."));
    };
    if cohort.status == CohortStatus::Matching {
        // Running means the pairs are known: publishing the board is what starts a cohort.
        return Err(AppError::field(
            "status",
            "Publish the pairs on the matching board: publishing notifies everyone and starts the cohort.",
        ));
    }
    let audit = Audit::by(access, "moved the cohort", format!("{} to {next}", cohort.name));
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('cohort', $id) SET status = $next, version += 1 WHERE status = $from;
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("id", cohort.id.clone()))
        .bind(("next", next.as_str()))
        .bind(("from", from.as_str()))
        .await
        .and_then(checked)?;
    access.changed("cohort");
    get(&access.db, &cohort.id).await
}

/// Edits a cohort's name, dates and strategy tags (not its program). `version` is the one the
/// admin saw: an edit made on an older version is refused, so no one's change is lost.
pub async fn update(access: &Access, id: &str, input: CohortInput, version: i64) -> Result<Cohort, AppError> {
    let cohort = get(&access.db, id).await?;
    let mut input = input;
    input.program_id = cohort.program_id.clone();
    if input.approach.is_empty() {
        input.approach = cohort.approach.clone();
    }
    input.validate().map_err(AppError::Validation)?;
    if cohort.status == CohortStatus::Closed {
        return Err(AppError::field("status", "A closed cohort can no longer be edited."));
    }
    let stale = || AppError::Conflict {
        field: "version".into(),
        message: "Someone else changed this cohort since you opened it. Reload to see their change.".into(),
    };
    if cohort.version != version {
        return Err(stale());
    }
    let audit =
        Audit::by(access, "edited the cohort", format!("{} ({} → {})", input.name.trim(), input.starts, input.ends));
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('cohort', $id) SET name = $name,
             starts = <datetime> ($starts + 'T00:00:00Z'), ends = <datetime> ($ends + 'T00:00:00Z'),
             strategy_tags.approach = $approach, strategy_tags.matching_mode = $matching_mode,
             strategy_tags.meeting_cadence = $meeting_cadence,
             strategy_tags.workshop_format = $workshop_format, version += 1
         WHERE (version ?? 0) = $version
         RETURN VALUE record::id(id);
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let query = audit.bind(query).bind(("id", cohort.id.clone())).bind(("version", version));
    let mut res = bind_fields(query, input).await.and_then(checked)?;
    access.changed("cohort");
    let ids: Vec<String> = res.take(1)?;
    if ids.is_empty() {
        return Err(stale());
    }
    get(&access.db, &cohort.id).await
}
