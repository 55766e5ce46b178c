//! Surveys in SurrealDB: the admin's side (create from a template, edit, schedule, close) and
//! the pieces the answering, scheduling and results modules share.

mod answer;
mod cache;
mod results;
pub mod scheduler;

pub use answer::{form, pending, save_draft, submit};
pub use cache::{clear as clear_results_cache, kept_responses};
pub use results::{answers_of, decode_responses, response_created, results, warm, RESPONSES_QUERY};

use surrealdb::types::SurrealValue;
use surrealdb::IndexedResults;

use crate::db::{check_key, checked, is_refusal, Db, Rows};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::surveys::templates::Template;
use crate::domain::surveys::types::{Audience, ScheduleKind, SurveyDesign, SurveyEdit, SurveyStatus, SurveySummary};
use crate::error::AppError;
use crate::validate::{date_of_day, day_number};

/// The refusal a transaction throws when the survey is no longer in the state the caller saw.
pub(crate) const SURVEY_MOVED: &str = "survey moved on";
/// The refusal a transaction throws when the survey takes no more answers.
pub(crate) const SURVEY_CLOSED: &str = "survey closed";

/// A survey's row, as every module reads it.
#[derive(SurrealValue, Clone)]
pub(crate) struct SurveyRow {
    pub id: String,
    pub cohort: String,
    pub cohort_name: String,
    pub program: String,
    pub design: serde_json::Value,
    pub status: SurveyStatus,
    pub opens: Option<String>,
    pub closes: Option<String>,
    pub series: String,
    pub round: i64,
    pub invited: i64,
    pub version: i64,
    /// People who answered, from a statement of its own (see [`count_statement`]).
    #[surreal(default)]
    pub answered: i64,
    /// When it was created: with the key, tells apart surveys of two databases in one process.
    pub created: String,
    pub cohort_starts: String,
    pub cohort_ends: String,
    pub published: Option<String>,
}

/// The fields of [`SurveyRow`], selected `FROM survey`.
pub(crate) const SURVEY_FIELDS: &str = "record::id(id) AS id, record::id(cohort) AS cohort, cohort.name AS cohort_name,
    record::id(cohort.program) AS program, design, status,
    IF opens_at THEN time::format(opens_at, '%Y-%m-%d') END AS opens,
    IF closes_at THEN time::format(closes_at - 1d, '%Y-%m-%d') END AS closes,
    series, round, invited, version, <string> created_at AS created,
    time::format(cohort.starts, '%Y-%m-%d') AS cohort_starts, time::format(cohort.ends, '%Y-%m-%d') AS cohort_ends,
    IF type::record('board', record::id(cohort)).published_at
        THEN time::format(type::record('board', record::id(cohort)).published_at, '%Y-%m-%d') END AS published";

impl SurveyRow {
    pub(crate) fn design(&self) -> Result<SurveyDesign, AppError> {
        Ok(serde_json::from_value(self.design.clone())?)
    }
}

/// One survey's row, or `NotFound`.
pub(crate) async fn row(db: &Db, id: &str) -> Result<SurveyRow, AppError> {
    let id = check_key(id)?;
    let mut res = db
        .query(format!(
            "SELECT {SURVEY_FIELDS} FROM type::record('survey', $id); {}",
            count_statement("survey_answered", id)?
        ))
        .bind(("id", id.to_string()))
        .await?;
    let mut r: SurveyRow = res.one(0)?;
    r.answered = counted(&mut res, 1)?;
    Ok(r)
}

/// `SELECT count()` of the rows of `table` (`survey_answered`, `survey_response`) that belong to
/// survey `id`. The survey is written into the statement as a literal, not bound: SurrealDB 3.3
/// then counts the keys of the table's survey index without reading a record (about seven times
/// faster on 5 000 rows), which it does not for a parameter or a correlated subquery.
/// `check_key` lets through only `[A-Za-z0-9_]`, so nothing can be injected.
pub(crate) fn count_statement(table: &str, id: &str) -> Result<String, AppError> {
    let id = check_key(id)?;
    Ok(format!("SELECT count() FROM {table} WHERE survey = survey:⟨{id}⟩ GROUP ALL;"))
}

/// What the [`count_statement`] at `index` counted.
pub(crate) fn counted(res: &mut IndexedResults, index: usize) -> Result<i64, AppError> {
    #[derive(SurrealValue)]
    struct Count {
        count: i64,
    }
    // No matching row gives no group at all rather than a zero.
    Ok(res.rows::<Count>(index)?.first().map_or(0, |c| c.count))
}

/// How many rows of `table` each survey of `ids` has, in the order of `ids`.
pub(crate) async fn counts(db: &Db, table: &str, ids: &[String]) -> Result<Vec<i64>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::new();
    for id in ids {
        sql.push_str(&count_statement(table, id)?);
    }
    let mut res = db.query(sql).await?;
    (0..ids.len()).map(|i| counted(&mut res, i)).collect()
}

/// A program's skills (key, name) and phases (name, weeks).
pub(crate) async fn program_facts(
    db: &Db,
    program: &str,
) -> Result<(Vec<(String, String)>, Vec<(String, u32)>), AppError> {
    let design = crate::domain::program::server::get(db, program).await?;
    #[derive(SurrealValue)]
    struct SkillName {
        id: String,
        name: String,
    }
    let mut res = db
        .query("SELECT record::id(id) AS id, name FROM skill WHERE record::id(id) IN $ids")
        .bind(("ids", design.skill_ids.clone()))
        .await?;
    let names: Vec<SkillName> = res.rows(0)?;
    let skills = design
        .skill_ids
        .iter()
        .filter_map(|id| names.iter().find(|n| &n.id == id).map(|n| (id.clone(), n.name.clone())))
        .collect();
    let phases = design.phases.iter().map(|p| (p.name.clone(), p.weeks.trim().parse::<u32>().unwrap_or(0))).collect();
    Ok((skills, phases))
}

/// Today as days since 1970-01-01 (UTC).
pub(crate) fn today() -> i64 {
    crate::validate::unix_now().div_euclid(86_400)
}

/// The datetime literal of the start (00:00 UTC) of day `day`.
pub(crate) fn midnight(day: i64) -> String {
    format!("{}T00:00:00Z", date_of_day(day))
}

/// When a survey opens, closes (exclusive) and reminds, as days since 1970-01-01; `None` when
/// not known yet (opening after the pairs are published, before they are).
pub(crate) fn timing(
    design: &SurveyDesign,
    phases: &[(String, u32)],
    cohort_starts: &str,
    cohort_ends: &str,
    published: Option<&str>,
    today: i64,
) -> Option<(i64, i64, Option<i64>)> {
    let s = &design.schedule;
    let opens = match s.kind {
        ScheduleKind::Now => today,
        ScheduleKind::Date => day_number(&s.date)?,
        ScheduleKind::AfterPublish => day_number(published?)? + i64::from(s.days),
        ScheduleKind::PhaseEnd => {
            let weeks: u32 = phases.iter().take(s.phase as usize).map(|p| p.1).sum();
            day_number(cohort_starts)? + i64::from(weeks) * 7
        }
        ScheduleKind::CohortEnd => day_number(cohort_ends)?,
    };
    let closes = opens + i64::from(s.open_days) + 1;
    let remind = (s.remind_days_before > 0).then(|| closes - 1 - i64::from(s.remind_days_before));
    Some((opens, closes, remind))
}

/// The same day a month later (the 31st becomes the month's last day).
pub(crate) fn add_month(day: i64) -> i64 {
    let date = crate::validate::date(&date_of_day(day));
    let Some(d) = date else { return day + 30 };
    let (y, m) =
        if d.month() == time::Month::December { (d.year() + 1, 1u8) } else { (d.year(), u8::from(d.month()) + 1) };
    let month = time::Month::try_from(m).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, y);
    let next = time::Date::from_calendar_date(y, month, d.day().min(last)).unwrap_or(d);
    day + i64::from((next - d).whole_days() as i32)
}

const SUMMARY_FIELDS: &str = "record::id(id) AS id, title, record::id(cohort) AS cohort_id, cohort.name AS cohort_name,
    status, audience, anonymous, IF opens_at THEN time::format(opens_at, '%Y-%m-%d') ELSE '' END AS opens,
    IF closes_at THEN time::format(closes_at - 1d, '%Y-%m-%d') ELSE '' END AS closes, round, invited,
    array::len(design.questions) AS questions";

#[derive(SurrealValue)]
struct SummaryRow {
    id: String,
    title: String,
    cohort_id: String,
    cohort_name: Option<String>,
    status: SurveyStatus,
    audience: Audience,
    anonymous: bool,
    opens: String,
    closes: String,
    round: i64,
    invited: i64,
    questions: i64,
}

/// The surveys of a cohort (or of every cohort), newest first.
pub async fn list(db: &Db, cohort_id: Option<&str>) -> Result<Vec<SurveySummary>, AppError> {
    let filter = match cohort_id {
        Some(c) => {
            check_key(c)?;
            "WHERE cohort = type::record('cohort', $cohort)"
        }
        None => "",
    };
    let mut res = db
        .query(format!("SELECT {SUMMARY_FIELDS}, created_at FROM survey {filter} ORDER BY created_at DESC"))
        .bind(("cohort", cohort_id.unwrap_or_default().to_string()))
        .await?;
    let rows: Vec<SummaryRow> = res.rows(0)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let answered = counts(db, "survey_answered", &ids).await?;
    Ok(rows
        .into_iter()
        .zip(answered)
        .map(|(r, answered)| SurveySummary {
            id: r.id,
            title: r.title,
            cohort_id: r.cohort_id,
            cohort_name: r.cohort_name.unwrap_or_default(),
            status: r.status,
            audience: r.audience,
            anonymous: r.anonymous,
            opens: r.opens,
            closes: r.closes,
            round: r.round as u32,
            invited: r.invited as u32,
            answered: answered as u32,
            questions: r.questions as u32,
        })
        .collect())
}

/// A survey as the builder edits it.
pub async fn edit(db: &Db, id: &str) -> Result<SurveyEdit, AppError> {
    let r = row(db, id).await?;
    let (skills, phases) = program_facts(db, &r.program).await?;
    Ok(SurveyEdit {
        id: r.id.clone(),
        cohort_id: r.cohort.clone(),
        cohort_name: r.cohort_name.clone(),
        status: r.status,
        design: r.design()?,
        has_answers: r.answered > 0,
        version: r.version,
        skills,
        phases: phases.into_iter().map(|p| p.0).collect(),
        opens: r.opens.clone().unwrap_or_default(),
    })
}

/// Creates a draft survey for a cohort from a template.
pub async fn create(access: &Access, cohort_id: &str, template: Template) -> Result<SurveyEdit, AppError> {
    let cohort_id = check_key(cohort_id)?;
    let design = template.design();
    let title = if design.title.is_empty() { "Untitled survey".to_string() } else { design.title.clone() };
    let audit = Audit::by(access, "created survey", title.clone());
    let mut res = audit
        .bind(access.db.query(format!(
            "BEGIN;
             IF (SELECT VALUE id FROM ONLY type::record('cohort', $cohort)) = NONE {{ THROW '{SURVEY_MOVED}' }};
             LET $id = rand::id();
             CREATE type::record('survey', $id) SET org = org:main, cohort = type::record('cohort', $cohort),
                 title = $title, design = $design, audience = $design.audience, anonymous = $design.anonymous,
                 min_group = $design.min_group, status = 'draft', series = $id, round = 1, version = 1,
                 created_by = type::record('user', $me);
             {AUDIT_STATEMENT}
             RETURN $id;
             COMMIT;"
        )))
        .bind(("cohort", cohort_id.to_string()))
        .bind(("title", title))
        .bind(("design", serde_json::to_value(&design)?))
        .bind(("me", access.user().id.clone()))
        .await
        .map_err(AppError::from)
        .and_then(|r| {
            checked(r).map_err(|e| if is_refusal(&e, SURVEY_MOVED) { AppError::NotFound } else { e.into() })
        })?;
    // BEGIN, IF, LET, CREATE, audit, then RETURN (5).
    let id: Option<String> = res.take(5)?;
    edit(&access.db, &id.ok_or(AppError::NotFound)?).await
}

/// Saves the builder's design (drafts and scheduled surveys only; a scheduled survey's dates
/// are worked out again).
pub async fn save(access: &Access, id: &str, design: SurveyDesign, version: i64) -> Result<SurveyEdit, AppError> {
    let r = row(&access.db, id).await?;
    if !matches!(r.status, SurveyStatus::Draft | SurveyStatus::Scheduled) {
        return Err(AppError::Conflict {
            field: "survey".into(),
            message: "This survey has opened: its questions can no longer change. Copy it into a new survey instead."
                .into(),
        });
    }
    let old = r.design()?;
    if r.answered > 0 && old.anonymous && !design.anonymous {
        return Err(AppError::field("anonymous", "People answered anonymously: the survey stays anonymous."));
    }
    let (skills, phases) = program_facts(&access.db, &r.program).await?;
    // A draft may be incomplete; it is checked in full when scheduled. The fields themselves
    // (lengths, k, options) are checked now so nothing unusable is stored.
    let valid = match design.validate(phases.len(), skills.len()) {
        Ok(v) => v,
        Err(e) if r.status == SurveyStatus::Draft && only_missing_questions(&e) => design.clone(),
        Err(e) => return Err(AppError::Validation(e)),
    };
    let when = if r.status == SurveyStatus::Scheduled { timing_of(&r, &valid, &phases) } else { None };
    write_design(access, &r, &valid, version, r.status, when).await?;
    edit(&access.db, id).await
}

/// Whether the only problem is that there are no questions yet (a draft may be saved so).
fn only_missing_questions(e: &crate::error::FieldErrors) -> bool {
    e.0.len() == 1 && e.get("questions").is_some()
}

/// [`timing`] of survey `r` with `design`, as of today.
fn timing_of(r: &SurveyRow, design: &SurveyDesign, phases: &[(String, u32)]) -> Option<(i64, i64, Option<i64>)> {
    timing(design, phases, &r.cohort_starts, &r.cohort_ends, r.published.as_deref(), today())
}

/// Stores `design` with `status`; `when` (from [`timing_of`]) are the dates of a scheduled survey.
async fn write_design(
    access: &Access,
    r: &SurveyRow,
    design: &SurveyDesign,
    version: i64,
    status: SurveyStatus,
    when: Option<(i64, i64, Option<i64>)>,
) -> Result<(), AppError> {
    let title = if design.title.trim().is_empty() { "Untitled survey".to_string() } else { design.title.clone() };
    let (opens, closes, remind) = match when {
        Some((o, c, rm)) => (Some(midnight(o)), Some(midnight(c)), rm.map(midnight)),
        None => (None, None, None),
    };
    let audit = Audit::by(
        access,
        if status == SurveyStatus::Scheduled { "scheduled survey" } else { "saved survey" },
        title.clone(),
    );
    audit
        .bind(access.db.query(format!(
            "BEGIN;
             LET $s = (SELECT version, status FROM ONLY type::record('survey', $id));
             IF $s.version != $version OR $s.status NOTINSIDE ['draft', 'scheduled'] {{ THROW '{SURVEY_MOVED}' }};
             UPDATE type::record('survey', $id) SET title = $title, design = $design, audience = $design.audience,
                 anonymous = $design.anonymous, min_group = $design.min_group, status = $status,
                 opens_at = <option<datetime>>$opens, closes_at = <option<datetime>>$closes,
                 remind_at = <option<datetime>>$remind, version += 1;
             {AUDIT_STATEMENT}
             COMMIT;"
        )))
        .bind(("id", r.id.clone()))
        .bind(("version", version))
        .bind(("title", title))
        .bind(("design", serde_json::to_value(design)?))
        .bind(("status", status.as_str()))
        .bind(("opens", opens))
        .bind(("closes", closes))
        .bind(("remind", remind))
        .await
        .map_err(AppError::from)
        .and_then(|res| checked(res).map_err(|e| refused(e, "Someone else changed this survey. Reload to see it.")))?;
    Ok(())
}

/// A refusal as a conflict the caller can act on; anything else as it is.
pub(crate) fn refused(e: surrealdb::Error, message: &str) -> AppError {
    if is_refusal(&e, SURVEY_MOVED) {
        AppError::Conflict { field: "survey".into(), message: message.into() }
    } else {
        e.into()
    }
}

/// Checks the whole design and schedules the survey: it opens by itself when its time comes
/// (at once for "now"). Returns it as it then stands.
pub async fn schedule(access: &Access, id: &str, design: SurveyDesign, version: i64) -> Result<SurveyEdit, AppError> {
    let r = row(&access.db, id).await?;
    if r.status != SurveyStatus::Draft && r.status != SurveyStatus::Scheduled {
        return Err(AppError::Conflict { field: "survey".into(), message: "This survey has already opened.".into() });
    }
    let (skills, phases) = program_facts(&access.db, &r.program).await?;
    let valid = design.validate(phases.len(), skills.len()).map_err(AppError::Validation)?;
    let when = timing_of(&r, &valid, &phases);
    if let Some((_, closes, _)) = when {
        if closes <= today() {
            return Err(AppError::field(
                "schedule.date",
                format!("That would close on {}, which has passed. Pick a later date.", date_of_day(closes - 1)),
            ));
        }
    }
    write_design(access, &r, &valid, version, SurveyStatus::Scheduled, when).await?;
    // Open what is due now rather than at the scheduler's next tick.
    scheduler::tick(&access.db, &scheduler::InAppOnly).await?;
    edit(&access.db, id).await
}

/// Takes a scheduled survey back to draft.
pub async fn unschedule(access: &Access, id: &str, version: i64) -> Result<SurveyEdit, AppError> {
    let r = row(&access.db, id).await?;
    if r.status != SurveyStatus::Scheduled {
        return Err(AppError::Conflict {
            field: "survey".into(),
            message: "Only a scheduled survey can go back to draft.".into(),
        });
    }
    write_design(access, &r, &r.design()?, version, SurveyStatus::Draft, None).await?;
    edit(&access.db, id).await
}

/// Closes an open survey now.
pub async fn close(access: &Access, id: &str) -> Result<SurveyEdit, AppError> {
    let r = row(&access.db, id).await?;
    if r.status != SurveyStatus::Open {
        return Err(AppError::Conflict {
            field: "survey".into(),
            message: "Only an open survey can be closed.".into(),
        });
    }
    Audit::by(access, "closed survey", r.id.clone())
        .bind(access.db.query(format!(
            "BEGIN;
             UPDATE type::record('survey', $id) SET status = 'closed', closed_at = time::now(), version += 1
                 WHERE status = 'open';
             {AUDIT_STATEMENT}
             COMMIT;"
        )))
        .bind(("id", r.id.clone()))
        .await
        .and_then(checked)?;
    edit(&access.db, id).await
}

/// Deletes a draft.
pub async fn delete(access: &Access, id: &str) -> Result<(), AppError> {
    let r = row(&access.db, id).await?;
    if r.status != SurveyStatus::Draft {
        return Err(AppError::Conflict { field: "survey".into(), message: "Only a draft can be deleted.".into() });
    }
    Audit::by(access, "deleted survey", r.id.clone())
        .bind(access.db.query(format!(
            "BEGIN; DELETE type::record('survey', $id) WHERE status = 'draft'; {AUDIT_STATEMENT} COMMIT;"
        )))
        .bind(("id", r.id.clone()))
        .await
        .and_then(checked)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::surveys::types::Schedule;

    #[test]
    fn a_draft_without_questions_saves_but_not_with_other_problems() {
        let mut d = SurveyDesign { title: "Pulse".into(), ..SurveyDesign::default() };
        assert!(only_missing_questions(&d.validate(0, 0).unwrap_err()));
        d.min_group = 2;
        assert!(!only_missing_questions(&d.validate(0, 0).unwrap_err()), "k = 2 is refused even in a draft");
    }

    #[test]
    fn timing_of_each_schedule() {
        let mut d = SurveyDesign::default();
        let day = |s: &str| day_number(s).unwrap();
        d.schedule =
            Schedule { kind: ScheduleKind::CohortEnd, open_days: 14, remind_days_before: 3, ..Schedule::default() };
        let t = timing(&d, &[], "2026-09-01", "2027-02-28", None, 0).unwrap();
        assert_eq!(t, (day("2027-02-28"), day("2027-03-15"), Some(day("2027-03-11"))));
        d.schedule.kind = ScheduleKind::AfterPublish;
        d.schedule.days = 10;
        assert_eq!(timing(&d, &[], "2026-09-01", "2027-02-28", None, 0), None, "waits for the pairs");
        assert_eq!(timing(&d, &[], "2026-09-01", "2027-02-28", Some("2026-09-05"), 0).unwrap().0, day("2026-09-15"));
        d.schedule.kind = ScheduleKind::PhaseEnd;
        d.schedule.phase = 2;
        let phases = vec![("a".to_string(), 4), ("b".to_string(), 6), ("c".to_string(), 8)];
        assert_eq!(timing(&d, &phases, "2026-09-01", "2027-02-28", None, 0).unwrap().0, day("2026-09-01") + 70);
        d.schedule.remind_days_before = 0;
        assert_eq!(timing(&d, &phases, "2026-09-01", "2027-02-28", None, 0).unwrap().2, None);
    }

    #[test]
    fn a_month_later() {
        let day = |s: &str| day_number(s).unwrap();
        assert_eq!(date_of_day(add_month(day("2026-01-31"))), "2026-02-28");
        assert_eq!(date_of_day(add_month(day("2026-12-15"))), "2027-01-15");
        assert_eq!(date_of_day(add_month(day("2026-03-01"))), "2026-04-01");
    }
}
