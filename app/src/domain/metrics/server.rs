//! Loads the facts the metric definitions need from SurrealDB, and builds dashboards from them.
//! Every figure is computed by `define`; nothing is counted twice in two places.

use std::collections::{BTreeMap, BTreeSet};

use surrealdb::types::SurrealValue;

use crate::db::{check_key, Db, Rows};
use crate::domain::cohort::types::approach_label;
use crate::domain::metrics::define::{
    self, ApplicationFacts, CohortFacts, Dataset, Dated, GoalFacts, GrowthFacts, Index, MeasureKind, MeetingFacts,
    PairFacts, PersonFacts, Scope, SeatFacts,
};
use crate::domain::metrics::objectives::{standing, unit};
use crate::domain::metrics::patch::{self, FactChange, Keys};
use crate::domain::metrics::types::{
    Choice, Dashboard, Filters, GroupRow, MeasureRow, ObjectiveStatus, Standing, SurveyGroup,
};
use crate::domain::program::types::{ApproachKind, Metric, Objective};
use crate::domain::surveys::types::{Answers, Measure, QuestionKind, SurveyDesign};
use crate::engine::suppress::DEFAULT_K;
use crate::error::{AppError, FieldErrors};
use crate::validate::{date_of_day, day_number};

/// The smallest group a dashboard shows.
pub const K: u32 = DEFAULT_K;

fn day(s: &str) -> i64 {
    day_number(s).unwrap_or(0)
}

fn opt_day(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(day_number)
}

/// Today's day number (UTC).
pub fn today() -> i64 {
    crate::domain::surveys::server::today()
}

#[derive(SurrealValue)]
struct CohortRow {
    id: String,
    name: String,
    program: String,
    program_name: Option<String>,
    approach: Option<String>,
    approach_name: Option<String>,
    starts: String,
    ends: String,
    status: String,
    inactive_days: i64,
    objectives: Option<serde_json::Value>,
}

#[derive(SurrealValue)]
struct PersonRow {
    id: String,
    department: Option<String>,
    level: Option<i64>,
    left_on: Option<String>,
    promoted_on: Option<String>,
}

#[derive(SurrealValue)]
struct ApplicationRow {
    cohort: String,
    person: String,
    eligible: Option<bool>,
    status: String,
}

#[derive(SurrealValue)]
struct PairRow {
    id: String,
    cohort: String,
    mentee: String,
    mentor: String,
    mentee_name: Option<String>,
    mentor_name: Option<String>,
    starts: String,
    ended: Option<String>,
}

#[derive(SurrealValue)]
struct GoalRow {
    id: String,
    pair: String,
    sent: Option<String>,
    approved: Option<String>,
    completed: Option<String>,
    status: String,
    milestones: Vec<String>,
}

#[derive(SurrealValue)]
struct DatedRow {
    id: String,
    pair: String,
    day: String,
}

#[derive(SurrealValue)]
struct CheckinRow {
    id: String,
    goal: String,
    day: String,
}

#[derive(SurrealValue)]
struct MeetingRow {
    id: String,
    pair: String,
    day: String,
    minutes: i64,
}

#[derive(SurrealValue)]
struct SeatRow {
    id: String,
    pair: String,
    going: bool,
    attended: bool,
    signed_off: bool,
}

#[derive(SurrealValue)]
struct SurveyRow {
    id: String,
    cohort: String,
    design: serde_json::Value,
}

#[derive(SurrealValue)]
struct ResponseRow {
    id: String,
    survey: String,
    answers: serde_json::Value,
}

/// Everything a dashboard is computed from, with the cohorts' objectives beside it.
#[derive(Clone)]
pub struct Loaded {
    /// The facts.
    pub ds: Dataset,
    /// Cohort key → its program's objectives.
    pub objectives: BTreeMap<String, Vec<Objective>>,
    /// What the facts hold, so that a change the live feed reports can be applied to them.
    pub keys: Keys,
}

pub const FACTS: &str = "
    SELECT record::id(id) AS id, name, record::id(program) AS program, program.name AS program_name,
        strategy_tags.approach ?? program.approach AS approach, program.design.approach_name AS approach_name,
        time::format(starts, '%Y-%m-%d') AS starts, time::format(ends, '%Y-%m-%d') AS ends, status,
        inactive_days ?? 21 AS inactive_days, program.design.objectives AS objectives
        FROM cohort WHERE status != 'draft';
    SELECT record::id(id) AS id, department, level,
        IF left_on THEN time::format(left_on, '%Y-%m-%d') END AS left_on,
        IF promoted_on THEN time::format(promoted_on, '%Y-%m-%d') END AS promoted_on FROM user;
    SELECT record::id(cohort) AS cohort, record::id(user) AS person, eligible, status
        FROM application WHERE side = 'mentee' AND status != 'withdrawn';
    SELECT record::id(id) AS id, record::id(cohort) AS cohort, record::id(mentee) AS mentee,
        record::id(mentor) AS mentor, mentee.name AS mentee_name, mentor.name AS mentor_name,
        time::format(IF created_at > cohort.starts THEN created_at ELSE cohort.starts END, '%Y-%m-%d') AS starts,
        IF ended_at THEN time::format(ended_at, '%Y-%m-%d') END AS ended
        FROM pairing;
    SELECT record::id(id) AS id, record::id(pairing) AS pair, status,
        IF submitted_at THEN time::format(submitted_at, '%Y-%m-%d') END AS sent,
        IF approved_at THEN time::format(approved_at, '%Y-%m-%d') END AS approved,
        IF completed_at THEN time::format(completed_at, '%Y-%m-%d') END AS completed,
        milestones.map(|$m| IF $m.done THEN $m.done_on ?? '' ELSE '-' END) AS milestones
        FROM goal;
    SELECT record::id(id) AS id, record::id(goal) AS goal, time::format(created_at, '%Y-%m-%d') AS day
        FROM checkin;
    SELECT record::id(id) AS id, record::id(pairing) AS pair, time::format(on, '%Y-%m-%d') AS day, minutes
        FROM meeting WHERE on <= time::now();
    SELECT record::id(id) AS id, record::id(pairing) AS pair, rsvp = 'going' AS going, attended ?? false AS attended,
        signed_off_at != NONE AS signed_off FROM workshop_seat;
    SELECT record::id(id) AS id, record::id(pairing) AS pair, time::format(awarded_at, '%Y-%m-%d') AS day
        FROM award;
    SELECT record::id(id) AS id, record::id(cohort) AS cohort, design FROM survey WHERE status IN ['open', 'closed'];
    SELECT record::id(id) AS id, record::id(survey) AS survey, answers FROM survey_response
        WHERE survey.status IN ['open', 'closed'];";

/// Reads every fact of the organization.
pub async fn load(db: &Db) -> Result<Loaded, AppError> {
    let mut res = db.query(FACTS).await?;
    let cohort_rows: Vec<CohortRow> = res.rows(0)?;
    let people: Vec<PersonRow> = res.rows(1)?;
    let apps: Vec<ApplicationRow> = res.rows(2)?;
    let pairs: Vec<PairRow> = res.rows(3)?;
    let goals: Vec<GoalRow> = res.rows(4)?;
    let checkins: Vec<CheckinRow> = res.rows(5)?;
    let meetings: Vec<MeetingRow> = res.rows(6)?;
    let seats: Vec<SeatRow> = res.rows(7)?;
    let awards: Vec<DatedRow> = res.rows(8)?;
    let surveys: Vec<SurveyRow> = res.rows(9)?;
    let responses: Vec<ResponseRow> = res.rows(10)?;
    let today = today();

    let mut objectives = BTreeMap::new();
    let mut cohorts = Vec::with_capacity(cohort_rows.len());
    for c in cohort_rows {
        let list: Vec<Objective> = c.objectives.and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
        objectives.insert(c.id.clone(), list);
        let approach = c.approach.unwrap_or_default();
        let approach = match ApproachKind::parse(&approach) {
            Some(ApproachKind::Custom) => {
                c.approach_name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Custom".into())
            }
            _ => approach_label(&approach),
        };
        cohorts.push(CohortFacts {
            id: c.id,
            name: c.name,
            program: c.program,
            program_name: c.program_name.unwrap_or_default(),
            approach,
            starts: day(&c.starts),
            ends: day(&c.ends),
            closed: c.status == "closed",
            inactive_days: c.inactive_days,
        });
    }

    // Survey answers that feed a figure: per survey, which question feeds what.
    let mut keys = Keys::default();
    for s in surveys {
        let Ok(design) = serde_json::from_value::<SurveyDesign>(s.design) else { continue };
        let qs: Vec<(String, MeasureKind)> = design
            .questions
            .iter()
            .filter_map(|q| {
                let kind = match (q.kind, q.measure) {
                    (QuestionKind::Nps, _) => MeasureKind::Nps,
                    (QuestionKind::Likert, Measure::MentorEffectiveness) => MeasureKind::Effectiveness,
                    (QuestionKind::Likert, Measure::Satisfaction) => MeasureKind::Satisfaction,
                    (QuestionKind::Likert, Measure::Engagement) => MeasureKind::Engagement,
                    _ => return None,
                };
                Some((q.id.clone(), kind))
            })
            .collect();
        if !qs.is_empty() {
            keys.feeds.insert(s.id, (s.cohort, qs));
        }
    }
    let mut answers = Vec::new();
    for r in responses {
        let Ok(given) = serde_json::from_value::<Answers>(r.answers) else { continue };
        answers.extend(patch::answer_facts(&keys, &r.survey, &given));
        keys.counted.insert(r.id);
    }
    keys.people = people.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let goals: Vec<GoalFacts> = goals
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            keys.goals.insert(g.id, (g.pair.clone(), i));
            let milestones = g
                .milestones
                .iter()
                .map(|m| match m.as_str() {
                    "-" => None,
                    d => Some(day_number(d)),
                })
                .collect();
            patch::goal_facts(
                g.pair,
                &g.status,
                opt_day(&g.sent),
                opt_day(&g.approved),
                opt_day(&g.completed),
                milestones,
                today,
            )
        })
        .collect();
    let checkins: Vec<Dated> = checkins
        .into_iter()
        .filter_map(|c| {
            let pair = keys.goals.get(&c.goal)?.0.clone();
            keys.counted.insert(c.id);
            Some(Dated { pair, day: day(&c.day) })
        })
        .collect();
    keys.counted.extend(awards.iter().map(|a| a.id.clone()));
    keys.meetings = meetings.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
    keys.seats = seats.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();

    let mut by_cohort = crate::domain::assessments::server::growth_by_cohort(db).await?;
    let growth: Vec<GrowthFacts> = cohorts
        .iter()
        .filter_map(|c| by_cohort.remove(&c.id).map(|changes| GrowthFacts { cohort: c.id.clone(), changes }))
        .collect();

    let ds = Dataset {
        today,
        cohorts,
        people: people
            .into_iter()
            .map(|p| PersonFacts {
                left: opt_day(&p.left_on),
                promoted: opt_day(&p.promoted_on),
                id: p.id,
                department: p.department.unwrap_or_default(),
                level: p.level,
            })
            .collect(),
        applications: apps
            .into_iter()
            .map(|a| ApplicationFacts {
                cohort: a.cohort,
                person: a.person,
                eligible: a.eligible.unwrap_or(false),
                approved: a.status == "approved",
            })
            .collect(),
        pairs: pairs
            .into_iter()
            .map(|p| PairFacts {
                id: p.id,
                cohort: p.cohort,
                mentee: p.mentee,
                mentor: p.mentor,
                mentee_name: p.mentee_name.unwrap_or_default(),
                mentor_name: p.mentor_name.unwrap_or_default(),
                starts: day(&p.starts),
                ended: opt_day(&p.ended),
            })
            .collect(),
        goals,
        checkins,
        meetings: meetings
            .into_iter()
            .map(|m| MeetingFacts { pair: m.pair, day: day(&m.day), minutes: m.minutes })
            .collect(),
        seats: seats
            .into_iter()
            .map(|s| SeatFacts { pair: s.pair, going: s.going, attended: s.attended, signed_off: s.signed_off })
            .collect(),
        awards: awards.into_iter().map(|a| Dated { pair: a.pair, day: day(&a.day) }).collect(),
        answers,
        growth,
    };
    Ok(Loaded { ds, objectives, keys })
}

/// Checks the filters against what exists: unknown keys, a department nobody is in, or a range
/// whose end is before its start are field errors.
fn check(filters: &Filters, ds: &Dataset) -> Result<Scope, AppError> {
    let mut e = FieldErrors::default();
    let program = filters.program.trim();
    let cohort = filters.cohort.trim();
    if !program.is_empty() && (check_key(program).is_err() || !ds.cohorts.iter().any(|c| c.program == program)) {
        e.add("program", "No such program with cohorts. Choose one from the list.");
    }
    if !cohort.is_empty() {
        match ds.cohorts.iter().find(|c| c.id == cohort) {
            None => e.add("cohort", "No such cohort. Choose one from the list."),
            Some(c) if !program.is_empty() && c.program != program => {
                e.add("cohort", "That cohort is not one of the program's.")
            }
            Some(_) => {}
        }
    }
    let department = filters.department.trim();
    if !department.is_empty() && !ds.people.iter().any(|p| p.department == department) {
        e.add("department", "No one is in that department. Choose one from the list.");
    }
    let from = filters.from.trim();
    let to = filters.to.trim();
    let from_day = if from.is_empty() { None } else { day_number(from) };
    let to_day = if to.is_empty() { None } else { day_number(to) };
    if !from.is_empty() && from_day.is_none() {
        e.add("from", "Enter a date as YYYY-MM-DD.");
    }
    if !to.is_empty() && to_day.is_none() {
        e.add("to", "Enter a date as YYYY-MM-DD.");
    }
    if let (Some(f), Some(t)) = (from_day, to_day) {
        if t < f {
            e.add("to", "The end of the range is before its start.");
        }
    }
    e.into_result()?;
    let cohorts: BTreeSet<String> = ds
        .cohorts
        .iter()
        .filter(|c| program.is_empty() || c.program == program)
        .filter(|c| cohort.is_empty() || c.id == cohort)
        .map(|c| c.id.clone())
        .collect();
    Ok(Scope {
        cohorts,
        department: (!department.is_empty()).then(|| department.to_string()),
        level: None,
        from: from_day,
        to: to_day,
    })
}

/// The status of every objective bound to a metric, per cohort of `scope` that has begun. For
/// leadership (`!admin`) a cohort of fewer than `k` mentees shows no values.
pub fn objective_statuses(loaded: &Loaded, ix: &Index, scope: &Scope, k: u32, admin: bool) -> Vec<ObjectiveStatus> {
    let ds = &loaded.ds;
    let mut out = Vec::new();
    // Cohorts that have begun: one that has not has nothing to measure yet.
    for c in ds.cohorts.iter().filter(|c| scope.cohorts.contains(&c.id) && c.starts <= ds.today) {
        let Some(list) = loaded.objectives.get(&c.id) else { continue };
        let view = ix.view(Scope::cohort(&c.id));
        for o in list {
            let Some(metric) = Metric::parse(o.metric.trim()) else { continue };
            let Ok(target) = o.target.trim().trim_end_matches('%').trim().parse::<f64>() else { continue };
            // An objective is judged per cohort, by its date or the cohort's end, whichever is first.
            let due = day_number(o.time_bound.trim()).unwrap_or(c.ends).min(c.ends);
            let small = !admin && (view.mentees().len() as u32) < k;
            let value = if small { None } else { view.objective_value(metric, k) };
            let (standing, note) = if small {
                (Standing::NoData, format!("Hidden: fewer than {k} mentees in this cohort."))
            } else {
                standing(metric, value, target, c.starts, due, ds.today)
            };
            out.push(ObjectiveStatus {
                program_name: c.program_name.clone(),
                cohort_id: c.id.clone(),
                cohort_name: c.name.clone(),
                statement: o.statement.clone(),
                metric: metric.label().to_string(),
                value: value.map(|v| (v * 10.0).round() / 10.0),
                target,
                unit: unit(metric).to_string(),
                due: date_of_day(due),
                standing,
                note,
            });
        }
    }
    out
}

/// The objectives of one program's cohorts (for the program page).
pub async fn program_objectives(db: &Db, program: &str, admin: bool) -> Result<Vec<ObjectiveStatus>, AppError> {
    let program = check_key(program)?;
    let loaded = load(db).await?;
    let scope = Scope {
        cohorts: loaded.ds.cohorts.iter().filter(|c| c.program == program).map(|c| c.id.clone()).collect(),
        ..Scope::default()
    };
    Ok(objective_statuses(&loaded, &Index::new(&loaded.ds), &scope, K, admin))
}

fn survey_groups(ix: &Index, parts: Vec<(String, BTreeSet<String>)>, k: u32) -> Vec<SurveyGroup> {
    parts
        .into_iter()
        .map(|(label, cohorts)| {
            let measures: Vec<MeasureRow> = [MeasureKind::Effectiveness, MeasureKind::Satisfaction, MeasureKind::Nps]
                .into_iter()
                .map(|kind| define::measure_row(kind, &ix.answer_values(kind, &cohorts), k))
                .collect();
            // A figure nobody answered says nothing about this group: left out.
            let measures: Vec<_> =
                measures.into_iter().filter(|m: &MeasureRow| m.hidden.as_deref() != Some("no answers yet")).collect();
            SurveyGroup { label, measures }
        })
        .filter(|g: &SurveyGroup| !g.measures.is_empty())
        .collect()
}

/// A dashboard for `filters`. `admin` adds pair rows (one cohort chosen) and shows cohorts of
/// any size; leadership gets aggregates only, every group under k hidden.
pub fn dashboard(loaded: &Loaded, filters: &Filters, admin: bool) -> Result<Dashboard, AppError> {
    let ds = &loaded.ds;
    let scope = check(filters, ds)?;
    let k = K;
    let ix = Index::new(ds);
    let view = ix.view(scope.clone());
    // Leadership sees groups of k or more: a filter narrowed to fewer mentees would show what the
    // breakdowns hide (a department's or a small cohort's figures), so it is refused.
    let narrowed = !filters.cohort.trim().is_empty() || !filters.department.trim().is_empty();
    let matched = view.mentees().len() as u32;
    if !admin && narrowed && matched < k {
        let field = if filters.department.trim().is_empty() { "cohort" } else { "department" };
        return Err(AppError::field(
            field,
            format!(
                "Fewer than {k} mentees are in this selection ({matched}); leadership views show groups of {k} or more so that no one can be singled out. Widen the filters."
            ),
        ));
    }
    let in_scope: Vec<&CohortFacts> = ds.cohorts.iter().filter(|c| scope.cohorts.contains(&c.id)).collect();

    // Breakdowns by the mentee's department and level, and by cohort.
    let departments: BTreeSet<String> =
        ds.people.iter().map(|p| p.department.clone()).filter(|d| !d.is_empty()).collect();
    let dept_parts = departments
        .iter()
        .filter(|d| scope.department.as_ref().is_none_or(|s| s == *d))
        .map(|d| (d.clone(), d.clone(), Scope { department: Some(d.clone()), ..scope.clone() }))
        .collect();
    let levels: BTreeSet<i64> = ds.people.iter().filter_map(|p| p.level).collect();
    let level_parts = levels
        .iter()
        .map(|l| (l.to_string(), format!("Level {l}"), Scope { level: Some(*l), ..scope.clone() }))
        .collect();
    let cohort_parts: Vec<(String, String, Scope)> = in_scope
        .iter()
        .map(|c| {
            let mut s = scope.clone();
            s.cohorts = BTreeSet::from([c.id.clone()]);
            (c.id.clone(), format!("{} · {}", c.program_name, c.name), s)
        })
        .collect();
    let cohorts: Vec<GroupRow> = if admin {
        // Admins see every cohort's figures (they see its pairs too).
        cohort_parts
            .into_iter()
            .filter_map(|(key, label, s)| {
                let n = ix.view(s.clone()).mentees().len() as u32;
                (n > 0).then(|| define::groups(&ix, vec![(key, label, s)], 1).remove(0))
            })
            .collect()
    } else {
        define::groups(&ix, cohort_parts, k)
    };

    let mut measures: Vec<_> = MeasureKind::ALL.iter().map(|m| view.measure(*m, k)).collect();
    measures.push(view.growth_row(k));
    let by_cohort =
        in_scope.iter().map(|c| (format!("{} · {}", c.program_name, c.name), BTreeSet::from([c.id.clone()])));
    let mut approaches: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in &in_scope {
        approaches.entry(c.approach.clone()).or_default().insert(c.id.clone());
    }

    let one_cohort = !filters.cohort.trim().is_empty();
    let program_name = in_scope.first().map(|c| c.program_name.clone()).unwrap_or_default();
    let mut scope_words = Vec::new();
    if one_cohort {
        scope_words.push(format!("{program_name} · {}", in_scope.first().map(|c| c.name.as_str()).unwrap_or("")));
    } else if !filters.program.trim().is_empty() {
        scope_words.push(program_name);
    } else {
        scope_words.push("All programs".to_string());
    }
    if let Some(d) = &scope.department {
        scope_words.push(d.clone());
    }

    let mut programs: Vec<Choice> = Vec::new();
    for c in &ds.cohorts {
        if !programs.iter().any(|p| p.id == c.program) {
            programs.push(Choice { id: c.program.clone(), label: c.program_name.clone(), parent: String::new() });
        }
    }
    programs.sort_by(|a, b| a.label.cmp(&b.label));
    let mut cohorts_menu: Vec<Choice> = ds
        .cohorts
        .iter()
        .map(|c| Choice { id: c.id.clone(), label: c.name.clone(), parent: c.program.clone() })
        .collect();
    cohorts_menu.sort_by(|a, b| a.label.cmp(&b.label));

    Ok(Dashboard {
        filters: filters.clone(),
        scope: scope_words.join(" · "),
        k,
        today: date_of_day(ds.today),
        at: clock(),
        admin,
        programs,
        cohorts_menu,
        departments_menu: departments.into_iter().collect(),
        totals: view.totals(),
        funnel: view.funnel(),
        months: view.months(),
        departments: define::groups(&ix, dept_parts, k),
        levels: define::groups(&ix, level_parts, k),
        cohorts,
        objectives: objective_statuses(loaded, &ix, &scope, k, admin),
        measures,
        surveys_by_cohort: survey_groups(&ix, by_cohort.collect(), k),
        surveys_by_approach: survey_groups(&ix, approaches.into_iter().collect(), k),
        pairs: if admin && one_cohort { view.pair_rows() } else { Vec::new() },
    })
}

/// The time of day now, `HH:MM:SS UTC`.
fn clock() -> String {
    let secs = crate::validate::unix_now().rem_euclid(86_400);
    format!("{:02}:{:02}:{:02} UTC", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Loads the facts and builds the dashboard.
pub async fn get(db: &Db, filters: &Filters, admin: bool) -> Result<Dashboard, AppError> {
    let loaded = load(db).await?;
    dashboard(&loaded, filters, admin)
}

/// Dashboards kept in this app server between requests. Only used while the server's live feed
/// runs (`server/src/live.rs` calls [`MetricsCache::watching`], [`MetricsCache::apply`] and
/// [`MetricsCache::changed`]): then every write to a table that feeds a number, from any app
/// server on the database, reaches it within milliseconds, so a kept dashboard is never older
/// than the last change. Without the feed (tests, a feed that dropped) every request computes
/// afresh.
///
/// The facts are read once and then kept up to date: the changes the feed can describe (a
/// check-in, a goal written, a survey answer, an award, a person's HR fields — nearly every write
/// under load) are applied to the kept facts ([`crate::domain::metrics::patch`]); any other
/// change has them read again. Dashboards are made from the facts once per filter combination
/// and change, and shared by everyone who asks meanwhile.
#[derive(Clone, Default)]
pub struct MetricsCache {
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
    watched: std::sync::Arc<std::sync::atomic::AtomicBool>,
    kept: std::sync::Arc<std::sync::Mutex<Kept>>,
    log: std::sync::Arc<std::sync::Mutex<Log>>,
    /// How many times the facts were read whole while the feed ran.
    reads: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Held while the facts are read or brought up to date, or a dashboard is computed.
    making: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// The changes reported since the last one the kept facts cannot take. The generation counter
/// moves only while this is locked, so its entries are in the counter's order.
#[derive(Default)]
struct Log {
    /// The generation of the last change that needs the facts read again.
    reset: u64,
    /// Changes since, oldest first, with their generations.
    changes: Vec<(u64, FactChange)>,
}

#[derive(Default)]
struct Kept {
    /// The generation the facts are up to date with; the dashboards were made at it.
    generation: u64,
    day: i64,
    loaded: Option<std::sync::Arc<Loaded>>,
    /// The generation before the facts were read: a reset after it makes them unusable.
    base: u64,
    dashboards: Vec<((Filters, bool), Made)>,
}

/// A dashboard as made once for everyone who asks: the value (for exports) and its JSON (for the
/// screen; written when made, so a kept dashboard costs a request a copy, not a serialization).
#[derive(Clone)]
pub struct Made {
    /// The dashboard.
    pub dashboard: std::sync::Arc<Dashboard>,
    /// Its JSON.
    pub json: crate::prepared::Prepared<Dashboard>,
}

impl Made {
    fn of(d: Dashboard) -> Result<Made, AppError> {
        let json = crate::prepared::Prepared::new(&d).map_err(|e| AppError::internal("dashboard json", e))?;
        Ok(Made { dashboard: std::sync::Arc::new(d), json })
    }
}

/// Dashboards kept per generation (filter combinations; the oldest goes first).
const KEPT_DASHBOARDS: usize = 64;

/// Changes kept for the facts at most; past it the facts are read again.
const MAX_LOGGED: usize = 100_000;

impl MetricsCache {
    /// Something that feeds a number changed in a way the kept facts cannot take: they are read
    /// again.
    pub fn changed(&self) {
        let mut log = self.log();
        log.reset = self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        log.changes.clear();
    }

    /// A change the kept facts can take as it is (see [`crate::domain::metrics::patch`]).
    pub fn apply(&self, change: FactChange) {
        let mut log = self.log();
        if log.changes.len() >= MAX_LOGGED {
            drop(log);
            return self.changed();
        }
        let generation = self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        log.changes.push((generation, change));
    }

    /// How many times the facts were read whole while the live feed ran (the rest of the time
    /// they were kept, or brought up to date with the changes it reported).
    pub fn reads(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the live feed runs (and so may be trusted to report every change).
    pub fn watching(&self, on: bool) {
        self.changed();
        self.watched.store(on, std::sync::atomic::Ordering::SeqCst);
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The generation now, and the changes after `after` — `None` when a change after `base`
    /// needs the facts read again.
    fn since(&self, base: u64, after: u64) -> (u64, Option<Vec<FactChange>>) {
        let log = self.log();
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        if log.reset > base {
            return (generation, None);
        }
        (generation, Some(log.changes.iter().filter(|(g, _)| *g > after).map(|(_, c)| c.clone()).collect()))
    }

    /// What is kept for this generation and day: the dashboard for `key` if made, and the facts.
    fn lookup(
        &self,
        generation: u64,
        day: i64,
        key: &(Filters, bool),
    ) -> (Option<Made>, Option<std::sync::Arc<Loaded>>) {
        let kept = self.kept();
        if kept.generation != generation || kept.day != day {
            return (None, None);
        }
        (kept.dashboards.iter().find(|(k, _)| k == key).map(|(_, d)| d.clone()), kept.loaded.clone())
    }

    /// The facts up to date with the changes reported so far, and the generation they are at:
    /// the kept facts with the changes since applied, else read afresh (and the changes made
    /// meanwhile applied to what was read). Called with `making` held. The facts are kept unless
    /// a change while they were read needs them read again.
    async fn current(&self, db: &Db, day: i64) -> Result<(u64, std::sync::Arc<Loaded>), AppError> {
        let (kept, base, at) = {
            let mut kept = self.kept();
            let usable = kept.day == day;
            (kept.loaded.take().filter(|_| usable), kept.base, kept.generation)
        };
        if let Some(mut loaded) = kept {
            let (generation, changes) = self.since(base, at);
            if let Some(changes) = changes {
                // Copied first only when someone else still holds these facts (and there is a
                // change to apply).
                if changes.is_empty() || changes.iter().all(|c| std::sync::Arc::make_mut(&mut loaded).apply(c)) {
                    self.keep(generation, day, base, loaded.clone());
                    return Ok((generation, loaded));
                }
            }
        }
        let base = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut loaded = load(db).await?;
        let (generation, changes) = self.since(base, base);
        // A change made while the facts were read may or may not be in them; applied again, it
        // counts once (changes are idempotent).
        let usable = changes.is_some_and(|changes| changes.iter().all(|c| loaded.apply(c)));
        let loaded = std::sync::Arc::new(loaded);
        if usable {
            self.keep(generation, day, base, loaded.clone());
        }
        Ok((generation, loaded))
    }

    /// Keeps `loaded` as the facts at `generation`, and forgets the changes they hold.
    fn keep(&self, generation: u64, day: i64, base: u64, loaded: std::sync::Arc<Loaded>) {
        let mut kept = self.kept();
        if kept.generation != generation || kept.day != day {
            kept.dashboards.clear();
        }
        kept.generation = generation;
        kept.day = day;
        kept.base = base;
        kept.loaded = Some(loaded);
        drop(kept);
        self.log().changes.retain(|(g, _)| *g > generation);
    }

    /// The facts: kept if nothing changed since they were read (and it is the same day), else
    /// brought up to date (or read) once for everyone who asks meanwhile. Without the live feed,
    /// read afresh.
    pub async fn facts(&self, db: &Db) -> Result<std::sync::Arc<Loaded>, AppError> {
        use std::sync::atomic::Ordering::SeqCst;
        if !self.watched.load(SeqCst) {
            return Ok(std::sync::Arc::new(load(db).await?));
        }
        let day = today();
        let fresh = |generation: u64| {
            let kept = self.kept();
            (kept.generation == generation && kept.day == day).then(|| kept.loaded.clone()).flatten()
        };
        if let Some(l) = fresh(self.generation.load(SeqCst)) {
            return Ok(l);
        }
        let _making = self.making.lock().await;
        Ok(self.current(db, day).await?.1)
    }

    /// The dashboard for `filters` (see [`Self::made`]).
    pub async fn dashboard(
        &self,
        db: &Db,
        filters: &Filters,
        admin: bool,
    ) -> Result<std::sync::Arc<Dashboard>, AppError> {
        Ok(self.made(db, filters, admin).await?.dashboard)
    }

    /// The dashboard for `filters` and its JSON: kept if nothing changed since it was made (and it
    /// is the same day), else made from the facts brought up to date. Without the live feed every
    /// request reads afresh.
    pub async fn made(&self, db: &Db, filters: &Filters, admin: bool) -> Result<Made, AppError> {
        use std::sync::atomic::Ordering::SeqCst;
        if !self.watched.load(SeqCst) {
            return Made::of(get(db, filters, admin).await?);
        }
        let key = (filters.clone(), admin);
        let day = today();
        if let (Some(d), _) = self.lookup(self.generation.load(SeqCst), day, &key) {
            return Ok(d);
        }
        // One maker at a time: whoever waited here finds what the one before made.
        let _making = self.making.lock().await;
        if let (Some(d), _) = self.lookup(self.generation.load(SeqCst), day, &key) {
            return Ok(d);
        }
        let (generation, loaded) = self.current(db, day).await?;
        if let (Some(d), _) = self.lookup(generation, day, &key) {
            return Ok(d);
        }
        // Computing is CPU work (tens of milliseconds for a large organization): off the async
        // threads, so that other requests keep being served meanwhile.
        let f = filters.clone();
        let made = tokio::task::spawn_blocking(move || dashboard(&loaded, &f, admin).and_then(Made::of))
            .await
            .map_err(|e| {
                tracing::error!(err = %e, "dashboard computation failed");
                AppError::Internal
            })??;
        let mut kept = self.kept();
        if kept.generation == generation && kept.day == day && kept.loaded.is_some() {
            if kept.dashboards.len() >= KEPT_DASHBOARDS {
                kept.dashboards.remove(0);
            }
            kept.dashboards.push((key, made.clone()));
        }
        Ok(made)
    }
}

/// A mentee's progress report for their pair (the pair and admins; anyone else: not found).
/// Meetings without their private notes; a mentor never sees an unsent draft.
pub async fn report(
    access: &crate::domain::auth::server::Access,
    pairing_id: &str,
) -> Result<crate::domain::metrics::types::ProgressReport, AppError> {
    use crate::domain::goals::server::{pair, viewer};
    use crate::domain::goals::types::Milestone;
    use crate::domain::matching::types::Viewer;
    use crate::domain::metrics::types::{GoalLine, ProgressReport};

    let p = pair(&access.db, pairing_id).await?;
    let who = viewer(access, &p)?;
    #[derive(SurrealValue)]
    struct Goal {
        id: String,
        status: String,
        what: Option<String>,
        skill: Option<String>,
        progress: i64,
        milestones: serde_json::Value,
        completed: Option<String>,
    }
    #[derive(SurrealValue)]
    struct Held {
        day: String,
        minutes: i64,
        topics: String,
    }
    let mut res = access
        .db
        .query(
            "SELECT record::id(id) AS id, status, draft.specific AS what, skill.name AS skill, progress, milestones,
                 IF completed_at THEN time::format(completed_at, '%Y-%m-%d') END AS completed
                 FROM goal WHERE pairing = type::record('pairing', $id);
             SELECT time::format(on, '%Y-%m-%d') AS day, minutes, topics FROM meeting
                 WHERE pairing = type::record('pairing', $id) AND on <= time::now();
             LET $goals = SELECT VALUE id FROM goal WHERE pairing = type::record('pairing', $id);
             SELECT VALUE [record::id(goal), time::format(created_at, '%Y-%m-%d')] FROM checkin WHERE goal IN $goals;",
        )
        .bind(("id", p.id.clone()))
        .await?;
    let goal_rows: Vec<Goal> = res.rows(0)?;
    let mut held: Vec<Held> = res.rows(1)?;
    held.sort_by(|a, b| a.day.cmp(&b.day));
    let checkin_rows: Vec<Vec<String>> = res.take(3)?;
    // An unsent draft is the mentee's alone.
    let visible: Vec<&Goal> = goal_rows.iter().filter(|g| g.status != "draft" || who == Viewer::Mentee).collect();
    let mut milestone_days = Vec::new();
    let mut completed_days = Vec::new();
    let goals = visible
        .iter()
        .map(|g| {
            let ms: Vec<Milestone> = serde_json::from_value(g.milestones.clone()).unwrap_or_default();
            milestone_days.extend(ms.iter().filter(|m| m.done).filter_map(|m| day_number(&m.done_on)));
            completed_days.extend(g.completed.as_deref().and_then(day_number));
            GoalLine {
                id: g.id.clone(),
                what: g.what.clone().filter(|w| !w.trim().is_empty()).unwrap_or_else(|| "Untitled goal".into()),
                skill: g.skill.clone().unwrap_or_default(),
                status: match g.status.as_str() {
                    "draft" => "Draft",
                    "submitted" => "Sent to the mentor",
                    "approved" => "Approved",
                    "completed" => "Completed",
                    other => other,
                }
                .to_string(),
                progress: g.progress,
                milestones_done: ms.iter().filter(|m| m.done).count() as u32,
                milestones: ms.len() as u32,
            }
        })
        .collect();
    let checkin_days: Vec<i64> = checkin_rows
        .iter()
        .filter(|r| visible.iter().any(|g| Some(&g.id) == r.first()))
        .filter_map(|r| r.get(1).and_then(|d| day_number(d)))
        .collect();
    let meetings: Vec<(i64, i64)> = held.iter().map(|m| (day(&m.day), m.minutes)).collect();
    let months = define::month_rows(&meetings, &checkin_days, &milestone_days, &completed_days);
    let timeline = crate::domain::activity::server::timeline(access, &p.id).await?;
    let workshops = timeline
        .events
        .iter()
        .filter(|e| e.kind == "workshop")
        .map(|e| (e.title.clone(), e.on.clone()))
        .rev()
        .collect();
    let awards =
        timeline.events.iter().filter(|e| e.kind == "award").map(|e| (e.title.clone(), e.on.clone())).rev().collect();
    let growth = match crate::domain::assessments::server::page(access, &p.id).await {
        Ok(page) => page.growth,
        Err(_) => Vec::new(),
    };
    Ok(ProgressReport {
        pairing_id: p.id.clone(),
        mentee_name: p.row.mentee_name.clone().unwrap_or_default(),
        mentor_name: p.row.mentor_name.clone().unwrap_or_default(),
        cohort_name: p.row.cohort_name.clone().unwrap_or_default(),
        today: date_of_day(today()),
        ended: p.ended().map(|e| e.on),
        goals,
        months,
        meetings: held.into_iter().map(|m| (m.day, m.minutes, m.topics)).collect(),
        checkins: checkin_days.len() as u32,
        workshops,
        awards,
        growth,
    })
}
