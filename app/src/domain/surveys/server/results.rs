//! A survey's results: the responses are read once (then kept, see [`super::cache`]) and handed
//! to the pure [`report::compute`](crate::domain::surveys::report::compute), which applies the
//! k rule.

use std::collections::BTreeMap;
use std::sync::Arc;

use surrealdb::types::{SurrealValue, Value};

use super::cache::{self, Report, ReportKey, Responses, SurveyKey};
use super::{count_statement, counted, counts, program_facts, row, SurveyRow};
use crate::db::{value, Db, Rows};
use crate::domain::surveys::report::{self, Dimension, Inputs, ResponseRow, RoundPoint, SurveyResults};
use crate::domain::surveys::types::{Answer, Answers, SurveyStatus};
use crate::engine::stats;
use crate::error::AppError;

/// The query that reads a survey's responses (`$id` its key) dated `$from` or later (`''` for
/// all): one array per response (its record key last), in the order [`decode_responses`] takes
/// them apart. Arrays, not
/// objects: no field names to build and compare for each of 5 000 rows. Through the (survey,
/// day) index, so they come in (day, key) order: responses read from a day on, appended to those
/// kept from the days before, are in the order a whole read gives (and sum to the same means).
pub const RESPONSES_QUERY: &str =
    "SELECT VALUE [side, department, level, day, answers, record::id(id)] FROM survey_response
     WITH INDEX survey_response_day WHERE survey = type::record('survey', $id) AND day >= $from";

/// The responses [`RESPONSES_QUERY`] returned. The answers are taken straight from the
/// database's values rather than through `serde_json::Value` and serde (two passes and a copy of
/// every string); answers that do not read as [`Answers`] count as none, as serde's did.
pub fn decode_responses(value: Value) -> Result<Responses, AppError> {
    let Value::Array(rows) = value else { return Err(unreadable()) };
    let mut out = Responses { ids: Vec::with_capacity(rows.len()), rows: Vec::with_capacity(rows.len()) };
    for row in rows {
        let Value::Array(fields) = row else { return Err(unreadable()) };
        let mut fields = fields.into_iter();
        let mut next = || fields.next().unwrap_or_default();
        let (side, department, level, day, answers, id) = (next(), next(), next(), next(), next(), next());
        out.ids.push(string(id).ok_or_else(unreadable)?);
        out.rows.push(decode_row(side, department, level, day, answers)?);
    }
    Ok(out)
}

/// One response from its stored fields (`answers` as stored, see [`answers_of`]).
pub fn decode_row(
    side: Value,
    department: Value,
    level: Value,
    day: Value,
    answers: Value,
) -> Result<ResponseRow, AppError> {
    Ok(ResponseRow {
        side: string(side).ok_or_else(unreadable)?,
        department: string(department).unwrap_or_default(),
        level: int(&level),
        day: string(day).ok_or_else(unreadable)?,
        answers: answers_of(answers).unwrap_or_default(),
    })
}

fn unreadable() -> AppError {
    tracing::error!("a stored survey response could not be read");
    AppError::Internal
}

fn string(v: Value) -> Option<String> {
    value::text(Some(&v))
}

fn int<T: TryFrom<i64>>(v: &Value) -> Option<T> {
    value::int(Some(v))
}

/// Answers as stored (serde's external tagging: `{ "q1": { "scale": 4 }, … }`).
pub fn answers_of(v: Value) -> Option<Answers> {
    let Value::Object(o) = v else { return None };
    o.into_iter().map(|(question, a)| Some((question, answer_of(a)?))).collect()
}

fn answer_of(v: Value) -> Option<Answer> {
    let Value::Object(o) = v else { return None };
    if o.len() != 1 {
        return None;
    }
    let (tag, inner) = o.into_iter().next()?;
    match (tag.as_str(), inner) {
        ("scale", v) => int(&v).map(Answer::Scale),
        ("choices", Value::Array(a)) => a.iter().map(int).collect::<Option<Vec<u32>>>().map(Answer::Choices),
        ("text", Value::String(t)) => Some(Answer::Text(t)),
        ("skills", Value::Object(m)) => {
            m.into_iter().map(|(s, v)| Some((s, int(&v)?))).collect::<Option<BTreeMap<_, u8>>>().map(Answer::Skills)
        }
        _ => None,
    }
}

/// Hands a response that the live feed saw created (by any app server) to the kept results, so
/// the next look needs no read. Nothing happens when it cannot be read or nothing is kept.
pub async fn response_created(db: Db, record: Value) {
    let Value::Object(mut o) = record else { return };
    let (Some(id), Some(survey)) = (value::record_key(o.get("id")), value::record_key(o.get("survey"))) else {
        return;
    };
    let mut field = |name: &str| o.remove(name).unwrap_or_default();
    let (side, department, level, day, answers) =
        (field("side"), field("department"), field("level"), field("day"), field("answers"));
    let Ok(row) = decode_row(side, department, level, day, answers) else { return };
    // The survey's creation time tells it apart from a survey of the same key in another
    // database of this process.
    let created = async {
        let mut res = db
            .query("SELECT VALUE <string> created_at FROM ONLY type::record('survey', $id)")
            .bind(("id", survey.clone()))
            .await?;
        res.take::<Option<String>>(0)
    };
    if let Ok(Some(created)) = created.await {
        cache::add(&survey, Some(&created), &id, row);
    }
}

/// Reads the responses of the surveys an admin is likely to look at next (open ones, then those
/// closed in the last 30 days, newest first) into the kept results, so the first look after a
/// restart does not wait for the read. Returns how many surveys it read; stops at the cache's
/// budget.
pub async fn warm(db: &Db) -> Result<usize, AppError> {
    let mut res = db
        .query(
            "SELECT VALUE record::id(id) FROM survey
             WHERE status = 'open' OR (status = 'closed' AND closes_at > time::now() - 30d)
             ORDER BY status DESC, closes_at DESC LIMIT 64",
        )
        .await?;
    let ids: Vec<String> = res.take(0)?;
    let mut read = 0;
    for id in ids {
        results(db, &id, Dimension::None, true).await?;
        read += 1;
        if cache::kept_total() >= cache::MAX_ROWS / 2 {
            break;
        }
    }
    Ok(read)
}

/// Reads every response of survey `id` (a key).
async fn read(db: &Db, id: &str) -> Result<Responses, AppError> {
    let mut res = db.query(RESPONSES_QUERY).bind(("id", id.to_string())).bind(("from", "")).await?;
    let value: Value = res.take(0)?;
    decode_responses(value)
}

/// The responses of a survey that had `responses` of them: kept, brought up to date, or read,
/// and kept.
async fn rows(db: &Db, key: &SurveyKey, responses: usize) -> Result<Arc<Responses>, AppError> {
    let kept = cache::rows(key);
    let rows = match kept {
        Some(kept) if kept.len() == responses => return Ok(kept),
        Some(kept) => match newer(db, &key.id, &kept).await? {
            Some(rows) => rows,
            None => read(db, &key.id).await?,
        },
        None => read(db, &key.id).await?,
    };
    let rows = Arc::new(rows);
    cache::keep_rows(key, rows.clone());
    Ok(rows)
}

/// `kept` brought up to date by reading only the responses from its last day on, if the database
/// confirms the days before hold nothing more (`None` if not). Responses are only ever added and
/// an answer is dated the day it comes in, so after new answers the earlier days are as they were.
async fn newer(db: &Db, id: &str, kept: &Responses) -> Result<Option<Responses>, AppError> {
    let Some(from) = kept.rows.iter().map(|r| r.day.as_str()).max() else { return Ok(None) };
    let mut res = db
        .query(format!("{RESPONSES_QUERY}; {}", count_statement("survey_response", id)?))
        .bind(("id", id.to_string()))
        .bind(("from", from.to_string()))
        .await?;
    let value: Value = res.take(0)?;
    let recent = decode_responses(value)?;
    // Counted after the read: the sum matches only if nothing came in before `from`.
    let total = counted(&mut res, 1)?;
    let mut rows = Responses::default();
    for (id, row) in kept.ids.iter().zip(&kept.rows).filter(|(_, r)| r.day.as_str() < from) {
        rows.ids.push(id.clone());
        rows.rows.push(row.clone());
    }
    if (rows.len() + recent.len()) as i64 != total {
        return Ok(None);
    }
    rows.ids.extend(recent.ids);
    rows.rows.extend(recent.rows);
    Ok(Some(rows))
}

#[derive(SurrealValue)]
struct RoundRow {
    id: String,
    created: String,
    round: i64,
    opened: Option<String>,
}

/// The opened rounds of `r`'s series, and how many responses `r` has.
async fn rounds_and_responses(db: &Db, r: &SurveyRow) -> Result<(Vec<RoundRow>, usize), AppError> {
    let mut res = db
        .query(format!(
            "SELECT record::id(id) AS id, <string> created_at AS created, round,
                 IF opened_at THEN time::format(opened_at, '%Y-%m-%d') END AS opened
             FROM survey WHERE series = $series AND status IN ['open', 'closed'] ORDER BY round;
             {}",
            count_statement("survey_response", &r.id)?
        ))
        .bind(("series", r.series.clone()))
        .await?;
    let rounds: Vec<RoundRow> = res.rows(0)?;
    Ok((rounds, counted(&mut res, 1)?.max(0) as usize))
}

/// The results of a survey, broken down by `dimension`. Free text only `with_texts` (admins).
pub async fn results(db: &Db, id: &str, dimension: Dimension, with_texts: bool) -> Result<SurveyResults, AppError> {
    let r = row(db, id).await?;
    if matches!(r.status, SurveyStatus::Draft | SurveyStatus::Scheduled) {
        return Err(AppError::Conflict { field: "survey".into(), message: "This survey has not opened yet.".into() });
    }
    let design = r.design()?;
    let (skills, _) = program_facts(db, &r.program).await?;
    let (round_rows, responses) = rounds_and_responses(db, &r).await?;
    let key = SurveyKey { id: r.id.clone(), created: r.created.clone() };
    let k = design.min_group;
    let invited = r.invited.max(0) as u32;
    let report_key = ReportKey { version: r.version, invited, dimension, with_texts, skills };
    let made = match cache::report(&key, responses, &report_key) {
        Some(made) => made,
        None => {
            let rows = rows(db, &key, responses).await?;
            let (groups, questions, texts_hidden) = report::compute(
                &rows.rows,
                &Inputs {
                    questions: &design.questions,
                    skills: &report_key.skills,
                    k,
                    anonymous: design.anonymous,
                    invited,
                    dimension,
                    with_texts,
                },
            );
            let made = Arc::new(Report {
                answered: rows.len() as u32,
                groups,
                questions,
                texts_hidden,
                by_day: report::by_day(&rows.rows),
            });
            cache::keep_report(&key, rows.len(), report_key, made.clone());
            made
        }
    };
    // The trend across rounds of a repeating survey: the headline question per opened round.
    let mut rounds = Vec::new();
    if round_rows.len() > 1 {
        if let Some(head) = report::headline(&design.questions) {
            let others: Vec<String> = round_rows.iter().filter(|rr| rr.id != r.id).map(|rr| rr.id.clone()).collect();
            let other_counts = counts(db, "survey_response", &others).await?;
            for rr in round_rows {
                let (round_key, n) = if rr.id == r.id {
                    (key.clone(), made.answered as usize)
                } else {
                    let n = others.iter().position(|id| *id == rr.id).map_or(0, |i| other_counts[i].max(0) as usize);
                    (SurveyKey { id: rr.id.clone(), created: rr.created.clone() }, n)
                };
                let (answered, mean) = match cache::headline(&round_key, n, &head.id, k) {
                    Some(mean) => (n, mean),
                    None => {
                        // Only the round on screen keeps its responses; the others keep the mean.
                        let these =
                            if rr.id == r.id { rows(db, &key, n).await? } else { Arc::new(read(db, &rr.id).await?) };
                        let mean = report::shown_mean(&these.rows, &head.id, k);
                        cache::keep_headline(&round_key, these.len(), &head.id, k, mean);
                        (these.len(), mean)
                    }
                };
                rounds.push(RoundPoint {
                    round: rr.round as u32,
                    opened: rr.opened.unwrap_or_default(),
                    answered: answered as u32,
                    mean,
                });
            }
        }
    }
    let answered = made.answered;
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
        by_day: made.by_day.clone(),
        dimension,
        groups: made.groups.clone(),
        questions: made.questions.clone(),
        rounds,
        texts_hidden: made.texts_hidden.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored value as the database hands it back: JSON bound into a query.
    fn stored(json: serde_json::Value) -> Value {
        json.into_value()
    }

    #[test]
    fn answers_read_from_the_database_as_serde_reads_them() {
        let mut answers = Answers::new();
        answers.insert("q1".into(), Answer::Scale(4));
        answers.insert("q2".into(), Answer::Choices(vec![0, 2]));
        answers.insert("q3".into(), Answer::Text("Fine, thanks".into()));
        answers.insert("q4".into(), Answer::Skills(BTreeMap::from([("s1".into(), 3), ("s2".into(), 5)])));
        answers.insert("q5".into(), Answer::Choices(Vec::new()));
        let json = serde_json::to_value(&answers).unwrap();
        assert_eq!(answers_of(stored(json)), Some(answers));
        // What serde refuses, this refuses too (the response then counts as unanswered).
        for bad in [
            serde_json::json!({ "q1": { "scale": 300 } }),
            serde_json::json!({ "q1": { "scale": 4.5 } }),
            serde_json::json!({ "q1": { "scale": 4, "text": "x" } }),
            serde_json::json!({ "q1": { "stars": 4 } }),
            serde_json::json!({ "q1": { "choices": [-1] } }),
            serde_json::json!({ "q1": 4 }),
        ] {
            assert!(serde_json::from_value::<Answers>(bad.clone()).is_err(), "{bad}");
            assert_eq!(answers_of(stored(bad.clone())), None, "{bad}");
        }
        let rows = stored(serde_json::json!([
            ["mentor", "Sales", 4, "2026-11-02", { "q1": { "scale": 2 } }, "r1"],
            ["mentee", "", null, "2026-11-03", { "q1": { "scale": 9.5 } }, "r2"],
        ]));
        let read = decode_responses(rows).unwrap();
        assert_eq!(read.ids, ["r1", "r2"]);
        let rows = read.rows;
        assert_eq!((rows[0].side.as_str(), rows[0].department.as_str(), rows[0].level), ("mentor", "Sales", Some(4)));
        assert_eq!(rows[0].answers.get("q1"), Some(&Answer::Scale(2)));
        assert_eq!((rows[1].level, rows[1].answers.len()), (None, 0));
    }
}
