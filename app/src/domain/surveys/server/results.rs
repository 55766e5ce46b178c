//! A survey's results: the responses are read once and handed to the pure
//! [`report::compute`](crate::domain::surveys::report::compute), which applies the k rule.

use surrealdb::types::SurrealValue;

use super::{program_facts, row};
use crate::db::{Db, Rows};
use crate::domain::surveys::report::{self, Dimension, Inputs, ResponseRow, RoundPoint, SurveyResults};
use crate::domain::surveys::types::{Answers, SurveyStatus};
use crate::engine::stats;
use crate::error::AppError;

#[derive(SurrealValue)]
struct StoredResponse {
    side: String,
    department: Option<String>,
    level: Option<i64>,
    day: String,
    answers: serde_json::Value,
}

#[derive(SurrealValue)]
struct RoundRow {
    id: String,
    round: i64,
    opened: Option<String>,
}

/// Reads the responses of surveys `ids` (keys).
pub(crate) async fn responses(db: &Db, id: &str) -> Result<Vec<ResponseRow>, AppError> {
    let mut res = db
        .query(
            "SELECT side, department, level, day, answers FROM survey_response
             WHERE survey = type::record('survey', $id)",
        )
        .bind(("id", id.to_string()))
        .await?;
    let rows: Vec<StoredResponse> = res.rows(0)?;
    Ok(rows
        .into_iter()
        .map(|r| ResponseRow {
            side: r.side,
            department: r.department.unwrap_or_default(),
            level: r.level,
            day: r.day,
            answers: serde_json::from_value::<Answers>(r.answers).unwrap_or_default(),
        })
        .collect())
}

/// The results of a survey, broken down by `dimension`. Free text only `with_texts` (admins).
pub async fn results(db: &Db, id: &str, dimension: Dimension, with_texts: bool) -> Result<SurveyResults, AppError> {
    let r = row(db, id).await?;
    if matches!(r.status, SurveyStatus::Draft | SurveyStatus::Scheduled) {
        return Err(AppError::Conflict { field: "survey".into(), message: "This survey has not opened yet.".into() });
    }
    let design = r.design()?;
    let (skills, _) = program_facts(db, &r.program).await?;
    let rows = responses(db, &r.id).await?;
    let k = design.min_group;
    let invited = r.invited.max(0) as u32;
    let (groups, questions, texts_hidden) = report::compute(
        &rows,
        &Inputs {
            questions: &design.questions,
            skills: &skills,
            k,
            anonymous: design.anonymous,
            invited,
            dimension,
            with_texts,
        },
    );
    // The trend across rounds of a repeating survey: the headline question per opened round.
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, round, IF opened_at THEN time::format(opened_at, '%Y-%m-%d') END AS opened
             FROM survey WHERE series = $series AND status IN ['open', 'closed'] ORDER BY round",
        )
        .bind(("series", r.series.clone()))
        .await?;
    let round_rows: Vec<RoundRow> = res.rows(0)?;
    let mut rounds = Vec::new();
    if round_rows.len() > 1 {
        if let Some(head) = report::headline(&design.questions) {
            for rr in round_rows {
                let these = if rr.id == r.id { rows.clone() } else { responses(db, &rr.id).await? };
                rounds.push(RoundPoint {
                    round: rr.round as u32,
                    opened: rr.opened.unwrap_or_default(),
                    answered: these.len() as u32,
                    mean: report::shown_mean(&these, &head.id, k),
                });
            }
        }
    }
    let answered = rows.len() as u32;
    Ok(SurveyResults {
        id: r.id.clone(),
        title: design.title.clone(),
        cohort_name: r.cohort_name.clone(),
        status: r.status,
        anonymous: design.anonymous,
        k,
        invited,
        answered,
        rate: stats::proportion_ci(answered.min(invited), invited),
        by_day: report::by_day(&rows),
        dimension,
        groups,
        questions,
        rounds,
        texts_hidden,
    })
}
