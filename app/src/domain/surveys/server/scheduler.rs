//! The survey schedule, run by every app server as a background task ([`tick`] every few
//! seconds). Safe with several servers on one database:
//!
//! - Each step (open, remind) is one transaction that first checks the survey is still in the
//!   state the step expects and then writes the survey itself, so two servers running it at
//!   once conflict on that record and only one commits.
//! - The notifications it sends have keys made of the step, the survey and the person
//!   (`svo_<survey>_<user>`), so even a step run twice cannot notify anyone twice.
//! - Due work is found by `<= now`, not by equality: a server that was down catches up on what
//!   fell due meanwhile at its first tick.

use surrealdb::types::SurrealValue;

use super::{add_month, midnight, program_facts, row, timing, today, SURVEY_MOVED};
use crate::db::{checked, is_refusal, Db, Rows};
use crate::domain::surveys::types::SurveyStatus;
use crate::error::AppError;
use crate::validate::day_number;

/// A notification the scheduler sent (already stored in-app).
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct Outgoing {
    /// The person's key.
    pub user: String,
    /// The text.
    pub text: String,
    /// Where it leads.
    pub link: String,
}

/// Where the scheduler's notifications go besides the in-app list: the hook for email (or chat)
/// delivery. It runs after the transaction that stored them committed, once per stored batch.
pub trait Deliver: Send + Sync {
    /// Delivers a batch.
    fn deliver(&self, batch: &[Outgoing]);
}

/// In-app notifications only (the default).
pub struct InAppOnly;

impl Deliver for InAppOnly {
    fn deliver(&self, _batch: &[Outgoing]) {}
}

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TickReport {
    /// Surveys whose opening date became known (pairs published).
    pub timed: usize,
    /// Surveys opened by this tick.
    pub opened: usize,
    /// Surveys whose reminder this tick sent.
    pub reminded: usize,
    /// Surveys closed.
    pub closed: usize,
    /// Notifications stored.
    pub notified: usize,
}

/// A scheduled survey whose opening day has come. `NONE` sorts before every datetime, so
/// `opens_at <= time::now()` alone would also open a survey still waiting for its pairs.
const DUE_TO_OPEN: &str = "opens_at != NONE AND opens_at <= time::now()";

/// Runs what is due. Errors of one survey do not stop the others; a step another server won
/// counts as nothing done here.
pub async fn tick(db: &Db, deliver: &dyn Deliver) -> Result<TickReport, AppError> {
    let mut report = TickReport::default();
    let mut res = db
        .query(format!(
            "SELECT VALUE record::id(id) FROM survey WHERE status = 'scheduled' AND opens_at = NONE;
             SELECT VALUE record::id(id) FROM survey WHERE status = 'scheduled' AND {DUE_TO_OPEN};
             SELECT VALUE record::id(id) FROM survey
                 WHERE status = 'open' AND remind_at != NONE AND remind_at <= time::now() AND reminded_at = NONE
                     AND closes_at > time::now();
             UPDATE survey SET status = 'closed', closed_at = time::now(), version += 1
                 WHERE status = 'open' AND closes_at != NONE AND closes_at <= time::now() RETURN VALUE id;"
        ))
        .await?;
    let untimed: Vec<String> = res.take(0)?;
    let due: Vec<String> = res.take(1)?;
    let remind: Vec<String> = res.take(2)?;
    let closed: Vec<surrealdb::types::RecordId> = match res.take(3) {
        Ok(closed) => closed,
        // Another server closed the same surveys in the same instant.
        Err(e) if lost_race(&e) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    report.closed = closed.len();
    for id in untimed {
        match time_survey(db, &id).await {
            Ok(true) => report.timed += 1,
            Ok(false) => {}
            Err(e) => tracing_warn(&id, "time", &e),
        }
    }
    // Those just timed may be due already.
    let due = if report.timed > 0 {
        let mut res = db
            .query(format!("SELECT VALUE record::id(id) FROM survey WHERE status = 'scheduled' AND {DUE_TO_OPEN}"))
            .await?;
        res.take::<Vec<String>>(0)?
    } else {
        due
    };
    for id in due {
        report.opened += usize::from(settle(open(db, &id).await, &id, "open", deliver, &mut report.notified));
    }
    for id in remind {
        report.reminded +=
            usize::from(settle(send_reminder(db, &id).await, &id, "remind", deliver, &mut report.notified));
    }
    Ok(report)
}

/// Counts and delivers what a step sent; true when this server did the step.
fn settle(
    result: Result<Vec<Outgoing>, Step>,
    id: &str,
    step: &str,
    deliver: &dyn Deliver,
    notified: &mut usize,
) -> bool {
    match result {
        Ok(sent) => {
            *notified += sent.len();
            deliver.deliver(&sent);
            true
        }
        Err(Step::Lost) => false,
        Err(Step::Failed(e)) => {
            tracing_warn(id, step, &e);
            false
        }
    }
}

fn tracing_warn(id: &str, step: &str, e: &AppError) {
    leptos::logging::warn!("survey {id}: {step} failed: {e}");
}

/// How a step ended other than done.
enum Step {
    /// Another server (or an admin) moved the survey on first.
    Lost,
    /// A real failure (logged; retried at the next tick).
    Failed(AppError),
}

/// True when `e` is a write conflict with another transaction: another server's tick wrote the
/// same survey first and did the work.
fn lost_race(e: &surrealdb::Error) -> bool {
    crate::db::is_write_conflict(e)
}

fn step_error(e: surrealdb::Error) -> Step {
    // A refusal, or a write conflict with another server's transaction on the same survey.
    if is_refusal(&e, SURVEY_MOVED) || lost_race(&e) {
        Step::Lost
    } else {
        Step::Failed(e.into())
    }
}

/// Works out the dates of a scheduled survey whose opening depends on the pairs being
/// published. True when they are now known.
async fn time_survey(db: &Db, id: &str) -> Result<bool, AppError> {
    let r = row(db, id).await?;
    let design = r.design()?;
    let (_, phases) = program_facts(db, &r.program).await?;
    let Some((o, c, rm)) = timing(&design, &phases, &r.cohort_starts, &r.cohort_ends, r.published.as_deref(), today())
    else {
        return Ok(false);
    };
    let written = db
        .query(
            "UPDATE type::record('survey', $id) SET opens_at = <datetime>$opens, closes_at = <datetime>$closes,
                 remind_at = <option<datetime>>$remind WHERE status = 'scheduled' AND opens_at = NONE",
        )
        .bind(("id", r.id.clone()))
        .bind(("opens", midnight(o)))
        .bind(("closes", midnight(c)))
        .bind(("remind", rm.map(midnight)))
        .await
        .and_then(checked);
    match written {
        Ok(_) => Ok(true),
        // Another server timed it in the same instant.
        Err(e) if lost_race(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The audience of survey `$s` as a list of user records, in SurrealQL.
const AUDIENCE: &str = "array::distinct(array::concat(
        IF $s.audience IN ['mentees', 'both'] THEN
            (SELECT VALUE mentee FROM pairing WHERE cohort = $s.cohort AND status = 'published') ELSE [] END,
        IF $s.audience IN ['mentors', 'both'] THEN
            (SELECT VALUE mentor FROM pairing WHERE cohort = $s.cohort AND status = 'published') ELSE [] END))";

/// Opens a due survey and notifies its audience, once; schedules the next round of a
/// repeating survey.
async fn open(db: &Db, id: &str) -> Result<Vec<Outgoing>, Step> {
    let r = row(db, id).await.map_err(Step::Failed)?;
    if r.status != SurveyStatus::Scheduled {
        return Err(Step::Lost);
    }
    let design = r.design().map_err(Step::Failed)?;
    // The next round of a monthly survey, if it still falls inside the cohort.
    let next = match (design.schedule.repeat_monthly, r.opens.as_deref().and_then(day_number)) {
        (true, Some(opened)) => {
            let opens = add_month(opened);
            let closes = opens + i64::from(design.schedule.open_days) + 1;
            let remind = (design.schedule.remind_days_before > 0)
                .then(|| closes - 1 - i64::from(design.schedule.remind_days_before));
            day_number(&r.cohort_ends).filter(|end| opens <= *end).map(|_| {
                serde_json::json!({
                    "id": format!("{}r{}", r.series, r.round + 1),
                    "round": r.round + 1,
                    "opens": midnight(opens),
                    "closes": midnight(closes),
                    "remind": remind.map(midnight),
                })
            })
        }
        _ => None,
    };
    let text = format!(
        "A short survey is waiting for you: “{}”. It closes on {}.",
        design.title,
        r.closes.clone().unwrap_or_default()
    );
    let res = db
        .query(format!(
            "BEGIN;
             LET $s = (SELECT * FROM ONLY type::record('survey', $id));
             IF $s.status != 'scheduled' OR $s.opens_at = NONE OR $s.opens_at > time::now() {{
                 THROW '{SURVEY_MOVED}'
             }};
             LET $who = {AUDIENCE};
             UPDATE $s.id SET status = 'open', opened_at = time::now(), invited = array::len($who), version += 1;
             FOR $u IN $who {{
                 CREATE type::record('notification', string::concat('svo_', $id, '_', record::id($u)))
                     SET org = org:main, user = $u, kind = 'survey', text = $text, link = $link;
             }};
             -- Truthiness, not `!= NONE`: JSON's null (`remind` below) arrives as NULL, which
             -- `!= NONE` lets through and no `<option<datetime>>` cast accepts.
             IF $next {{
                 CREATE type::record('survey', $next.id) SET org = $s.org, cohort = $s.cohort, title = $s.title,
                     design = $s.design, audience = $s.audience, anonymous = $s.anonymous, min_group = $s.min_group,
                     status = 'scheduled', opens_at = <datetime>$next.opens, closes_at = <datetime>$next.closes,
                     remind_at = IF $next.remind THEN <datetime>$next.remind END, series = $s.series, round = $next.round,
                     version = 1, created_by = $s.created_by;
             }};
             RETURN $who.map(|$u| {{ user: record::id($u), text: $text, link: $link }});
             COMMIT;"
        ))
        .bind(("id", r.id.clone()))
        .bind(("text", text))
        .bind(("link", format!("/surveys/{}", r.id)))
        .bind(("next", next))
        .await
        .and_then(checked)
        .map_err(step_error)?;
    let mut res = res;
    // BEGIN, LET, IF, LET, UPDATE, FOR, IF, then RETURN (7).
    res.rows::<Outgoing>(7).map_err(Step::Failed)
}

/// Reminds those who have not answered an open survey, once.
async fn send_reminder(db: &Db, id: &str) -> Result<Vec<Outgoing>, Step> {
    let r = row(db, id).await.map_err(Step::Failed)?;
    let design = r.design().map_err(Step::Failed)?;
    let text = format!(
        "Reminder: “{}” closes on {}. It takes a couple of minutes.",
        design.title,
        r.closes.clone().unwrap_or_default()
    );
    let res = db
        .query(format!(
            "BEGIN;
             LET $s = (SELECT * FROM ONLY type::record('survey', $id));
             IF $s.status != 'open' OR $s.reminded_at != NONE {{ THROW '{SURVEY_MOVED}' }};
             UPDATE $s.id SET reminded_at = time::now(), version += 1;
             LET $done = SELECT VALUE user FROM survey_answered WHERE survey = $s.id;
             LET $who = {AUDIENCE}.filter(|$u| $u NOTINSIDE $done);
             FOR $u IN $who {{
                 CREATE type::record('notification', string::concat('svr_', $id, '_', record::id($u)))
                     SET org = org:main, user = $u, kind = 'survey', text = $text, link = $link;
             }};
             RETURN $who.map(|$u| {{ user: record::id($u), text: $text, link: $link }});
             COMMIT;"
        ))
        .bind(("id", r.id.clone()))
        .bind(("text", text))
        .bind(("link", format!("/surveys/{}", r.id)))
        .await
        .and_then(checked)
        .map_err(step_error)?;
    let mut res = res;
    // BEGIN, LET, IF, UPDATE, LET, LET, FOR, then RETURN (7).
    res.rows::<Outgoing>(7).map_err(Step::Failed)
}
