//! Assessments in SurrealDB. Who the caller is to the pair is decided first (the mentee rates
//! themselves, the pair's mentor rates the mentee, admins read; anyone else gets "not found").
//!
//! A rater has one record per phase, keyed `<pairing>_<phase>_<rater>`: submitting again while
//! the phase is open replaces the ratings (a mis-click or a second thought is corrected, and
//! growth always uses the last word); once the phase closes they are frozen. A pair that ended
//! takes no new ratings, checked inside the write's transaction.
//!
//! [`tick`] tells the pair when a phase opens; it runs next to the survey schedule and is safe
//! with several app servers on one database, like it.

use std::collections::BTreeMap;
use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, is_refusal, is_unique_violation, Db, Rows};
use crate::domain::assessments::growth::{self, MeanGrowth, RatingSet};
use crate::domain::assessments::types::{
    check_ratings, visible, window, AssessedSkill, AssessmentInput, AssessmentPage, PendingAssessment, Phase,
    PhaseState, Rater, Ratings, Window, WindowStatus,
};
use crate::domain::auth::server::Access;
use crate::domain::auth::types::Role;
use crate::domain::goals::server::{pair, viewer, Pair};
use crate::domain::surveys::server::scheduler::{Deliver, Outgoing};
use crate::domain::surveys::server::today;
use crate::error::AppError;
use crate::validate::{date_of_day, day_number};

/// The refusal a write throws when the pair is no longer published (ended).
pub(crate) const PAIR_ENDED: &str = "pair ended";

/// The record key of a rater's ratings in a phase.
fn record_key(pairing: &str, phase: Phase, rater: Rater) -> String {
    format!("{pairing}_{phase}_{rater}")
}

/// A program's skills with their descriptions, by name (a program keeps its skills unordered).
async fn program_skills(db: &Db, program: &str) -> Result<Vec<AssessedSkill>, AppError> {
    let design = crate::domain::program::server::get(db, program).await?;
    #[derive(SurrealValue)]
    struct SkillRow {
        id: String,
        name: String,
        description: String,
    }
    let mut res = db
        .query("SELECT record::id(id) AS id, name, description FROM skill WHERE record::id(id) IN $ids")
        .bind(("ids", design.skill_ids.clone()))
        .await?;
    let rows: Vec<SkillRow> = res.rows(0)?;
    let mut skills: Vec<AssessedSkill> = design
        .skill_ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| &r.id == id))
        .map(|r| AssessedSkill { id: r.id.clone(), name: r.name.clone(), description: r.description.clone() })
        .collect();
    skills.sort_by_key(|s| s.name.to_lowercase());
    Ok(skills)
}

fn keys_and_names(skills: &[AssessedSkill]) -> Vec<(String, String)> {
    skills.iter().map(|s| (s.id.clone(), s.name.clone())).collect()
}

/// A rater's stored ratings in one phase.
struct Stored {
    phase: Phase,
    rater: Rater,
    ratings: Ratings,
    /// The day last saved.
    on: String,
}

/// What the pair's record adds to [`Pair`]: its status and the day it was published, and the
/// ratings given in it.
struct Facts {
    published: bool,
    paired_on: i64,
    stored: Vec<Stored>,
}

/// Ratings as `{ skill key: score }`, in SurrealQL, from a row of `assessment`.
const RATINGS_OBJECT: &str = "object::from_entries(ratings.map(|$r| [record::id($r.skill), $r.score]))";

async fn facts(db: &Db, pairing_id: &str) -> Result<Facts, AppError> {
    #[derive(SurrealValue)]
    struct PairingRow {
        status: String,
        paired: String,
    }
    #[derive(SurrealValue)]
    struct SetRow {
        phase: Phase,
        rater: Rater,
        ratings: serde_json::Value,
        on: String,
    }
    let mut res = db
        .query(format!(
            "SELECT status, time::format(created_at, '%Y-%m-%d') AS paired FROM type::record('pairing', $id);
             SELECT phase, rater, {RATINGS_OBJECT} AS ratings, time::format(updated_at, '%Y-%m-%d') AS on
                 FROM assessment WHERE pairing = type::record('pairing', $id);"
        ))
        .bind(("id", pairing_id.to_string()))
        .await?;
    let p: PairingRow = res.one(0)?;
    let rows: Vec<SetRow> = res.rows(1)?;
    let mut stored = Vec::with_capacity(rows.len());
    for r in rows {
        stored.push(Stored { phase: r.phase, rater: r.rater, ratings: serde_json::from_value(r.ratings)?, on: r.on });
    }
    Ok(Facts { published: p.status == "published", paired_on: day(&p.paired)?, stored })
}

/// A `YYYY-MM-DD` from the database as a day number; anything else is our bug.
fn day(s: &str) -> Result<i64, AppError> {
    day_number(s).ok_or_else(|| AppError::internal("assessment dates", format!("not a date: {s:?}")))
}

/// The pair's window for `phase`.
fn pair_window(p: &Pair, paired_on: i64, phase: Phase) -> Result<Window, AppError> {
    Ok(window(phase, day(&p.row.starts)?, day(&p.row.ends)?, paired_on))
}

/// A pair's assessments as the caller may see them: the pair and admins; anyone else gets
/// `NotFound`.
pub async fn page(access: &Access, pairing_id: &str) -> Result<AssessmentPage, AppError> {
    let p = pair(&access.db, pairing_id).await?;
    let who = viewer(access, &p)?;
    build(&access.db, &p, who).await
}

async fn build(db: &Db, p: &Pair, who: crate::domain::matching::types::Viewer) -> Result<AssessmentPage, AppError> {
    let skills = program_skills(db, &p.row.program).await?;
    let f = facts(db, &p.id).await?;
    let today = today();
    let mut phases = Vec::new();
    for phase in Phase::ALL {
        let mut state = PhaseState::new(*phase, pair_window(p, f.paired_on, *phase)?, today);
        for s in f.stored.iter().filter(|s| s.phase == *phase) {
            match s.rater {
                Rater::Mentee => state.mentee_on = Some(s.on.clone()),
                Rater::Mentor => state.mentor_on = Some(s.on.clone()),
            }
        }
        phases.push(state);
    }
    let me = Rater::of(who);
    let state_of = |phase: Phase| phases.iter().find(|s| s.phase == phase);
    // The open phase to rate: one not rated yet first (both are open only in a very short cohort).
    let current = me.filter(|_| f.published).and_then(|r| {
        let open: Vec<&PhaseState> = phases.iter().filter(|s| s.status == WindowStatus::Open).collect();
        open.iter().find(|s| s.rated_on(r).is_none()).or(open.first()).map(|s| s.phase)
    });
    let mine = match (me, current) {
        (Some(r), Some(c)) => {
            f.stored.iter().find(|s| s.rater == r && s.phase == c).map(|s| s.ratings.clone()).unwrap_or_default()
        }
        _ => Ratings::new(),
    };
    let mut shown = Vec::new();
    let mut withheld = Vec::new();
    for s in &f.stored {
        let Some(state) = state_of(s.phase) else { continue };
        let rated = me.is_some_and(|r| state.rated_on(r).is_some());
        if visible(who, s.rater, rated, state.status) {
            shown.push((s.phase, s.rater, &s.ratings));
        } else {
            withheld.push((s.phase, s.rater));
        }
    }
    let growth = growth::growth_rows(&keys_and_names(&skills), &shown);
    Ok(AssessmentPage {
        pairing_id: p.id.clone(),
        cohort_name: p.row.cohort_name.clone().unwrap_or_default(),
        mentee_name: p.row.mentee_name.clone().unwrap_or_default(),
        mentor_name: p.row.mentor_name.clone().unwrap_or_default(),
        viewer: who,
        skills,
        phases,
        current,
        mine,
        writable: f.published,
        growth,
        withheld,
    })
}

fn ended() -> AppError {
    AppError::Conflict {
        field: "assessment".into(),
        message: "This pair has ended: its ratings are kept, but no new ones are taken.".into(),
    }
}

/// Stores the caller's ratings of the mentee for a phase (replacing theirs while it is open).
/// The pair's mentee (of themselves) and mentor only; every program skill rated 1 to 5.
pub async fn submit(access: &Access, input: AssessmentInput) -> Result<AssessmentPage, AppError> {
    let p = pair(&access.db, input.pairing_id.trim()).await?;
    let who = viewer(access, &p)?;
    let Some(rater) = Rater::of(who) else {
        return Err(AppError::Forbidden);
    };
    let f = facts(&access.db, &p.id).await?;
    if !f.published {
        return Err(ended());
    }
    let w = pair_window(&p, f.paired_on, input.phase)?;
    let what = format!("The {} assessment", input.phase.label());
    match w.status(today()) {
        WindowStatus::Open => {}
        WindowStatus::Upcoming => {
            return Err(AppError::field("phase", format!("{what} opens on {}.", date_of_day(w.opens))));
        }
        WindowStatus::Closed if w.is_empty() => {
            return Err(AppError::field(
                "phase",
                format!("{what} does not apply to this pair: it was formed too late."),
            ));
        }
        WindowStatus::Closed => {
            return Err(AppError::field(
                "phase",
                format!("{what} closed on {}: ratings can no longer be given or changed.", date_of_day(w.last_day())),
            ));
        }
    }
    let skills = program_skills(&access.db, &p.row.program).await?;
    let valid = check_ratings(&keys_and_names(&skills), &input.ratings).map_err(AppError::Validation)?;
    let ratings: Vec<serde_json::Value> = valid.into_iter().map(|(k, v)| serde_json::json!([k, v])).collect();
    let written = access
        .db
        .query(format!(
            "BEGIN;
             LET $p = type::record('pairing', $pairing);
             IF $p.status != 'published' {{ THROW '{PAIR_ENDED}' }};
             UPSERT type::record('assessment', $key) SET org = org:main, pairing = $p, cohort = $p.cohort,
                 mentee = $p.mentee, rated_by = type::record('user', $me), phase = $phase, rater = $rater,
                 ratings = $ratings.map(|$r| {{ skill: type::record('skill', $r[0]), score: $r[1] }}),
                 version += 1, updated_at = time::now();
             COMMIT;"
        ))
        .bind(("pairing", p.id.clone()))
        .bind(("key", record_key(&p.id, input.phase, rater)))
        .bind(("me", access.user().id.clone()))
        .bind(("phase", input.phase.as_str()))
        .bind(("rater", rater.as_str()))
        .bind(("ratings", ratings))
        .await
        .and_then(checked);
    match written {
        Ok(_) => {}
        Err(e) if is_refusal(&e, PAIR_ENDED) => return Err(ended()),
        Err(e) => return Err(e.into()),
    }
    build(&access.db, &p, who).await
}

#[derive(SurrealValue)]
struct PairingFacts {
    id: String,
    mentee: String,
    mentee_name: Option<String>,
    cohort_name: Option<String>,
    starts: String,
    ends: String,
    paired: String,
    /// `<phase>_<rater>` of every rating set given in the pair.
    done: Vec<String>,
    /// Phases whose opening was announced.
    noticed: Vec<String>,
}

/// Every [`PairingFacts`] field, selected `FROM pairing`.
const PAIRING_FACTS: &str = "record::id(id) AS id, record::id(mentee) AS mentee, mentee.name AS mentee_name,
    cohort.name AS cohort_name, time::format(cohort.starts, '%Y-%m-%d') AS starts,
    time::format(cohort.ends, '%Y-%m-%d') AS ends, time::format(created_at, '%Y-%m-%d') AS paired,
    { LET $p = $this.id; RETURN SELECT VALUE string::concat(phase, '_', rater) FROM assessment WHERE pairing = $p } AS done,
    { LET $p = $this.id; RETURN SELECT VALUE phase FROM assessment_notice WHERE pairing = $p } AS noticed";

impl PairingFacts {
    fn window(&self, phase: Phase) -> Result<Window, AppError> {
        Ok(window(phase, day(&self.starts)?, day(&self.ends)?, day(&self.paired)?))
    }

    fn done(&self, phase: Phase, rater: Rater) -> bool {
        self.done.iter().any(|d| *d == format!("{phase}_{rater}"))
    }
}

/// The assessments waiting for the caller: open phases of their published pairs they have not
/// rated yet, closing soonest first.
pub async fn pending(access: &Access) -> Result<Vec<PendingAssessment>, AppError> {
    let me = access.user().id.clone();
    let mut res = access
        .db
        .query(format!(
            "LET $u = type::record('user', $me);
             SELECT {PAIRING_FACTS} FROM pairing WHERE status = 'published' AND (mentee = $u OR mentor = $u);"
        ))
        .bind(("me", me.clone()))
        .await?;
    let rows: Vec<PairingFacts> = res.rows(1)?;
    let today = today();
    let mut out = Vec::new();
    for r in rows {
        // Rating a mentee takes the mentor role, as everywhere in the pair.
        let rater = if r.mentee == me { Rater::Mentee } else { Rater::Mentor };
        if rater == Rater::Mentor && !access.user().has_role(Role::Mentor) {
            continue;
        }
        for phase in Phase::ALL {
            let w = r.window(*phase)?;
            if w.status(today) == WindowStatus::Open && !r.done(*phase, rater) {
                out.push(PendingAssessment {
                    pairing_id: r.id.clone(),
                    phase: *phase,
                    rater,
                    cohort_name: r.cohort_name.clone().unwrap_or_default(),
                    mentee_name: r.mentee_name.clone().unwrap_or_default(),
                    closes: date_of_day(w.last_day()),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.closes, &a.cohort_name).cmp(&(&b.closes, &b.cohort_name)));
    Ok(out)
}

/// A cohort's rating sets and its program's skills (key, name).
async fn cohort_sets(db: &Db, cohort_id: &str) -> Result<(Vec<(String, String)>, Vec<RatingSet>), AppError> {
    let id = check_key(cohort_id)?;
    #[derive(SurrealValue)]
    struct CohortRow {
        program: String,
    }
    #[derive(SurrealValue)]
    struct SetRow {
        mentee: String,
        phase: Phase,
        rater: Rater,
        ratings: serde_json::Value,
        at: String,
    }
    let mut res = db
        .query(format!(
            "SELECT record::id(program) AS program FROM type::record('cohort', $id);
             SELECT record::id(mentee) AS mentee, phase, rater, {RATINGS_OBJECT} AS ratings,
                 time::format(updated_at, '%Y-%m-%dT%H:%M:%S') AS at
                 FROM assessment WHERE cohort = type::record('cohort', $id);"
        ))
        .bind(("id", id.to_string()))
        .await?;
    let cohort: CohortRow = res.one(0)?;
    let rows: Vec<SetRow> = res.rows(1)?;
    let mut sets = Vec::with_capacity(rows.len());
    for r in rows {
        sets.push(RatingSet {
            mentee: r.mentee,
            phase: r.phase,
            rater: r.rater,
            ratings: serde_json::from_value(r.ratings)?,
            at: r.at,
        });
    }
    if sets.is_empty() {
        return Ok((Vec::new(), sets));
    }
    let skills = program_skills(db, &cohort.program).await?;
    Ok((keys_and_names(&skills), sets))
}

/// A cohort's mean skill growth (per program skill, per rater and overall), from every rating
/// set of its pairs, ended ones included. For the objective "mean skill growth" and the
/// dashboards; whoever shows it to leadership applies the k-anonymity rule to its counts.
pub async fn mean_growth(db: &Db, cohort_id: &str) -> Result<MeanGrowth, AppError> {
    let (skills, sets) = cohort_sets(db, cohort_id).await?;
    Ok(growth::mean_growth(&skills, &sets))
}

/// Every cohort's growth figures (post − pre per mentee, rater and program skill): what
/// [`mean_growth`] averages, for the dashboards' intervals. One read of the assessments for the
/// whole organization, and each program's skills once.
pub async fn growth_by_cohort(db: &Db) -> Result<BTreeMap<String, Vec<i64>>, AppError> {
    #[derive(SurrealValue)]
    struct SetRow {
        cohort: String,
        program: String,
        mentee: String,
        phase: Phase,
        rater: Rater,
        ratings: serde_json::Value,
        at: String,
    }
    let mut res = db
        .query(format!(
            "SELECT record::id(cohort) AS cohort, record::id(cohort.program) AS program,
                 record::id(mentee) AS mentee, phase, rater, {RATINGS_OBJECT} AS ratings,
                 time::format(updated_at, '%Y-%m-%dT%H:%M:%S') AS at
                 FROM assessment;"
        ))
        .await?;
    let rows: Vec<SetRow> = res.rows(0)?;
    let mut by_cohort: BTreeMap<String, (String, Vec<RatingSet>)> = BTreeMap::new();
    for r in rows {
        let set = RatingSet {
            mentee: r.mentee,
            phase: r.phase,
            rater: r.rater,
            ratings: serde_json::from_value(r.ratings)?,
            at: r.at,
        };
        by_cohort.entry(r.cohort).or_insert_with(|| (r.program, Vec::new())).1.push(set);
    }
    let mut skills_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (cohort, (program, sets)) in by_cohort {
        if !skills_of.contains_key(&program) {
            let skills = program_skills(db, &program).await?;
            skills_of.insert(program.clone(), skills.into_iter().map(|s| s.id).collect());
        }
        let skills = &skills_of[&program];
        let changes: Vec<i64> =
            growth::growth(&sets).into_iter().filter(|g| skills.contains(&g.skill)).map(|g| g.change).collect();
        if !changes.is_empty() {
            out.insert(cohort, changes);
        }
    }
    Ok(out)
}

/// What one [`tick`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NoticeReport {
    /// Phases (of one pair each) whose opening this tick announced.
    pub announced: usize,
    /// Notifications stored.
    pub notified: usize,
}

/// Announces every phase that is open and was not announced yet: the mentee and the mentor of
/// the pair, unless they have rated already, get a notification linking to the form.
///
/// Exactly once, even with several servers: each announcement is one transaction that creates a
/// notice keyed `<pairing>_<phase>` (a second one cannot be created, so a server that comes
/// second stores nothing) and notifications keyed `asn_<pairing>_<phase>_<rater>`. Due work is
/// found by the window, not by the day it opened, so a server that was down catches up at its
/// first tick as long as the phase is still open.
pub async fn tick(db: &Db, deliver: &dyn Deliver) -> Result<NoticeReport, AppError> {
    let mut res = db
        .query(format!(
            // Pairs of cohorts that ended more than a month ago have no open phase left.
            "SELECT {PAIRING_FACTS} FROM pairing WHERE status = 'published' AND cohort.ends > time::now() - 30d;"
        ))
        .await?;
    let rows: Vec<PairingFacts> = res.rows(0)?;
    let today = today();
    let mut report = NoticeReport::default();
    for r in rows {
        for phase in Phase::ALL {
            let w = match r.window(*phase) {
                Ok(w) => w,
                Err(e) => {
                    leptos::logging::warn!("assessment notice for pair {}: {e}", r.id);
                    continue;
                }
            };
            if w.status(today) != WindowStatus::Open || r.noticed.iter().any(|n| n == phase.as_str()) {
                continue;
            }
            match announce(db, &r, *phase, w).await {
                Ok(sent) => {
                    report.announced += 1;
                    report.notified += sent.len();
                    deliver.deliver(&sent);
                }
                Err(None) => {}
                Err(Some(e)) => leptos::logging::warn!("assessment notice for pair {}: {e}", r.id),
            }
        }
    }
    Ok(report)
}

/// Announces one open phase of one pair; `Err(None)` when another server did it first or the
/// pair ended meanwhile.
async fn announce(db: &Db, r: &PairingFacts, phase: Phase, w: Window) -> Result<Vec<Outgoing>, Option<AppError>> {
    let closes = date_of_day(w.last_day());
    let link = format!("/pairs/{}/assessment", r.id);
    let mentee = r.mentee_name.clone().unwrap_or_default();
    let mut notes = Vec::new();
    let mut sent = Vec::new();
    // The mentor's key is not in the facts: the transaction reads it from the pair.
    for rater in Rater::ALL {
        if r.done(phase, *rater) {
            continue;
        }
        let text = match rater {
            Rater::Mentee => format!(
                "Rate your leadership skills: the {} self-assessment is open until {closes}. It takes about five minutes.",
                phase.label()
            ),
            Rater::Mentor => format!(
                "Rate {mentee}'s leadership skills: the {} assessment is open until {closes}. It takes about five minutes.",
                phase.label()
            ),
        };
        notes.push(serde_json::json!({
            "key": format!("asn_{}", record_key(&r.id, phase, *rater)),
            "rater": rater.as_str(),
            "text": text,
        }));
        sent.push((*rater, text));
    }
    let res = db
        .query(format!(
            "BEGIN;
             LET $p = type::record('pairing', $pairing);
             IF $p.status != 'published' {{ THROW '{PAIR_ENDED}' }};
             CREATE type::record('assessment_notice', $notice) SET org = org:main, pairing = $p, phase = $phase;
             FOR $n IN $notes {{
                 CREATE type::record('notification', $n.key) SET org = org:main,
                     user = IF $n.rater = 'mentee' THEN $p.mentee ELSE $p.mentor END,
                     kind = 'assessment', text = $n.text, link = $link;
             }};
             RETURN record::id($p.mentor);
             COMMIT;"
        ))
        .bind(("pairing", r.id.clone()))
        .bind(("notice", format!("{}_{phase}", r.id)))
        .bind(("phase", phase.as_str()))
        .bind(("notes", notes))
        .bind(("link", link.clone()))
        .await
        .and_then(checked);
    let mut res = match res {
        Ok(res) => res,
        Err(e) if is_refusal(&e, PAIR_ENDED) || is_unique_violation(&e) || crate::db::is_write_conflict(&e) => {
            return Err(None)
        }
        Err(e) => return Err(Some(e.into())),
    };
    // BEGIN, LET, IF, CREATE, FOR, then RETURN (5).
    let mentor: Option<String> = res.take(5).map_err(|e| Some(AppError::from(e)))?;
    Ok(sent
        .into_iter()
        .map(|(rater, text)| Outgoing {
            user: if rater == Rater::Mentee { r.mentee.clone() } else { mentor.clone().unwrap_or_default() },
            text,
            link: link.clone(),
        })
        .collect())
}
