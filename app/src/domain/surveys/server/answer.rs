//! The participant's side: the surveys waiting for me, one survey to answer, partial answers
//! (attributed surveys only) and the submission, stored once and, for an anonymous survey,
//! without any trace of who answered.

use surrealdb::types::SurrealValue;

use super::{cache, program_facts, row, SurveyRow, SURVEY_CLOSED};
use crate::db::{check_key, checked, is_refusal, is_unique_violation, Db, Rows};
use crate::domain::auth::server::{new_token, Access};
use crate::domain::surveys::report::ResponseRow;
use crate::domain::surveys::types::{check_answers, Answers, PendingSurvey, SurveyForm, SurveyStatus};
use crate::error::AppError;
use crate::validate::date_of_day;

/// Who answers: the side they are asked on and the attributes a response keeps for breakdowns.
struct Respondent {
    side: &'static str,
    department: String,
    level: Option<i64>,
}

/// Which side the caller is asked on, if at all ("mentee" before "mentor"), with their department
/// and level as they are now.
async fn addressed_as(db: &Db, r: &SurveyRow, user_id: &str) -> Result<Option<Respondent>, AppError> {
    #[derive(SurrealValue)]
    struct Sides {
        mentee: i64,
        mentor: i64,
        department: String,
        level: Option<i64>,
    }
    let mut res = db
        .query(
            "LET $c = type::record('cohort', $cohort); LET $u = type::record('user', $me);
             RETURN {
                 mentee: count(SELECT id FROM pairing WHERE cohort = $c AND status = 'published' AND mentee = $u),
                 mentor: count(SELECT id FROM pairing WHERE cohort = $c AND status = 'published' AND mentor = $u),
                 department: $u.department ?? '',
                 level: $u.level
             };",
        )
        .bind(("cohort", r.cohort.clone()))
        .bind(("me", user_id.to_string()))
        .await?;
    let sides: Sides = res.one(2)?;
    let audience = r.design()?.audience;
    let side = if sides.mentee > 0 && audience.includes_mentees() {
        "mentee"
    } else if sides.mentor > 0 && audience.includes_mentors() {
        "mentor"
    } else {
        return Ok(None);
    };
    Ok(Some(Respondent { side, department: sides.department, level: sides.level }))
}

/// An open or closed survey the caller is asked, else `NotFound` (a survey not addressed to
/// someone does not exist for them).
async fn addressed(db: &Db, id: &str, user_id: &str) -> Result<(SurveyRow, Respondent), AppError> {
    let r = row(db, id).await?;
    if matches!(r.status, SurveyStatus::Draft | SurveyStatus::Scheduled) {
        return Err(AppError::NotFound);
    }
    match addressed_as(db, &r, user_id).await? {
        Some(who) => Ok((r, who)),
        None => Err(AppError::NotFound),
    }
}

#[derive(SurrealValue)]
struct PendingRow {
    id: String,
    title: String,
    cohort_name: Option<String>,
    closes: String,
    anonymous: bool,
    questions: i64,
}

/// The open surveys the caller is asked and has not answered, closing soonest first.
pub async fn pending(db: &Db, user_id: &str) -> Result<Vec<PendingSurvey>, AppError> {
    let mut res = db
        .query(
            "LET $u = type::record('user', $me);
             LET $as_mentee = SELECT VALUE cohort FROM pairing WHERE mentee = $u AND status = 'published';
             LET $as_mentor = SELECT VALUE cohort FROM pairing WHERE mentor = $u AND status = 'published';
             LET $done = SELECT VALUE survey FROM survey_answered WHERE user = $u;
             SELECT record::id(id) AS id, title, cohort.name AS cohort_name,
                 time::format(closes_at - 1d, '%Y-%m-%d') AS closes, anonymous,
                 array::len(design.questions) AS questions, closes_at
             FROM survey WHERE status = 'open' AND id NOTINSIDE $done
                 AND ((audience IN ['mentees', 'both'] AND cohort INSIDE $as_mentee)
                   OR (audience IN ['mentors', 'both'] AND cohort INSIDE $as_mentor))
             ORDER BY closes_at;",
        )
        .bind(("me", user_id.to_string()))
        .await?;
    let rows: Vec<PendingRow> = res.rows(4)?;
    Ok(rows
        .into_iter()
        .map(|r| PendingSurvey {
            id: r.id,
            title: r.title,
            cohort_name: r.cohort_name.unwrap_or_default(),
            closes: r.closes,
            anonymous: r.anonymous,
            questions: r.questions as u32,
        })
        .collect())
}

/// One survey to answer, with the caller's saved partial answers (attributed surveys).
pub async fn form(db: &Db, user_id: &str, id: &str) -> Result<SurveyForm, AppError> {
    let (r, _) = addressed(db, id, user_id).await?;
    let design = r.design()?;
    let (skills, _) = program_facts(db, &r.program).await?;
    #[derive(SurrealValue)]
    struct Mine {
        answered: i64,
        draft: Option<serde_json::Value>,
    }
    let mut res = db
        .query(
            "LET $s = type::record('survey', $id); LET $u = type::record('user', $me);
             RETURN {
                 answered: count(SELECT id FROM survey_answered WHERE survey = $s AND user = $u),
                 draft: (SELECT VALUE answers FROM survey_draft WHERE survey = $s AND user = $u)[0]
             };",
        )
        .bind(("id", r.id.clone()))
        .bind(("me", user_id.to_string()))
        .await?;
    let mine: Mine = res.one(2)?;
    let draft: Answers = match mine.draft {
        Some(v) if !design.anonymous => serde_json::from_value(v).unwrap_or_default(),
        _ => Answers::new(),
    };
    Ok(SurveyForm {
        id: r.id.clone(),
        title: design.title.clone(),
        intro: design.intro.clone(),
        cohort_name: r.cohort_name.clone(),
        anonymous: design.anonymous,
        min_group: design.min_group,
        questions: design.questions,
        skills,
        closes: r.closes.clone().unwrap_or_default(),
        open: r.status == SurveyStatus::Open,
        answered: mine.answered > 0,
        draft,
    })
}

fn closed_error(r: &SurveyRow) -> AppError {
    AppError::Conflict {
        field: "survey".into(),
        message: format!(
            "This survey closed on {}: it no longer takes answers. Your answers were not sent.",
            r.closes.clone().unwrap_or_default()
        ),
    }
}

fn already_answered() -> AppError {
    AppError::Conflict {
        field: "survey".into(),
        message: "You have already answered this survey, so this second answer was not stored. Thank you!".into(),
    }
}

/// Saves partial answers of an attributed survey. Anonymous surveys keep drafts on the device:
/// a draft stored with its author would tie them to their answers.
pub async fn save_draft(access: &Access, id: &str, answers: Answers) -> Result<(), AppError> {
    let me = access.user().id.clone();
    let (r, _) = addressed(&access.db, id, &me).await?;
    let design = r.design()?;
    if design.anonymous {
        return Err(AppError::Conflict {
            field: "survey".into(),
            message: "Partial answers to an anonymous survey stay on your device until you submit.".into(),
        });
    }
    if r.status != SurveyStatus::Open {
        return Err(closed_error(&r));
    }
    let (skills, _) = program_facts(&access.db, &r.program).await?;
    let skill_ids: Vec<String> = skills.into_iter().map(|s| s.0).collect();
    let answers = check_answers(&design.questions, &skill_ids, &answers, false).map_err(AppError::Validation)?;
    access
        .db
        .query(
            "LET $s = type::record('survey', $id); LET $u = type::record('user', $me);
             IF count(SELECT id FROM survey_answered WHERE survey = $s AND user = $u) = 0 {
                 UPSERT type::record('survey_draft', string::concat($id, '_', $me))
                     SET org = org:main, survey = $s, user = $u, answers = $answers, updated_at = time::now();
             };",
        )
        .bind(("id", r.id.clone()))
        .bind(("me", me))
        .bind(("answers", serde_json::to_value(&answers)?))
        .await
        .and_then(checked)?;
    Ok(())
}

/// Stores the caller's answers once. For an anonymous survey the response holds no respondent
/// and only the day; the "answered" mark holds the survey and the user and nothing else.
pub async fn submit(access: &Access, id: &str, answers: Answers) -> Result<(), AppError> {
    let me = access.user().id.clone();
    check_key(id)?;
    let (r, who) = addressed(&access.db, id, &me).await?;
    if r.status != SurveyStatus::Open {
        return Err(closed_error(&r));
    }
    let design = r.design()?;
    let (skills, _) = program_facts(&access.db, &r.program).await?;
    let skill_ids: Vec<String> = skills.into_iter().map(|s| s.0).collect();
    let answers = check_answers(&design.questions, &skill_ids, &answers, true).map_err(AppError::Validation)?;
    let day = date_of_day(super::today());
    // A random key (80 bits), made here so the answer can be handed to the kept results.
    let key = new_token()?[..20].to_string();
    let result = access
        .db
        .query(format!(
            "BEGIN;
             LET $s = type::record('survey', $id); LET $u = type::record('user', $me);
             IF $s.status != 'open' {{ THROW '{SURVEY_CLOSED}' }};
             CREATE type::record('survey_answered', string::concat($id, '_', $me))
                 SET org = org:main, survey = $s, user = $u;
             CREATE type::record('survey_response', $key) SET org = org:main, survey = $s,
                 respondent = IF $s.anonymous THEN NONE ELSE $u END,
                 side = $side, department = $department, level = $level ?? NONE, day = $day, answers = $answers;
             DELETE survey_draft WHERE survey = $s AND user = $u;
             COMMIT;"
        ))
        .bind(("id", r.id.clone()))
        .bind(("me", me))
        .bind(("key", key.clone()))
        .bind(("side", who.side))
        .bind(("department", who.department.clone()))
        .bind(("level", who.level))
        .bind(("day", day.clone()))
        .bind(("answers", serde_json::to_value(&answers)?))
        .await
        .and_then(checked);
    match result {
        Ok(_) => {
            let row = ResponseRow { side: who.side.into(), department: who.department, level: who.level, day, answers };
            cache::add(&r.id, Some(&r.created), &key, row);
            Ok(())
        }
        Err(e) if is_refusal(&e, SURVEY_CLOSED) => Err(closed_error(&r)),
        Err(e) if is_unique_violation(&e) => Err(already_answered()),
        Err(e) => Err(e.into()),
    }
}
