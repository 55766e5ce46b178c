//! Who is on a cohort's board and how well each pair fits: the approved applications, their
//! profiles, reporting lines and preferences turned into the engine's problem and scores.

use std::collections::{BTreeMap, HashMap};

use surrealdb::types::SurrealValue;

use crate::db::{check_key, Db};
use crate::domain::cohort::types::{Cohort, CohortStatus};
use crate::domain::enrollment::types::{MatchPrefs, Side, PREF_APPROACHES};
use crate::domain::matching::types::{BoardPerson, BoardView, Draft};
use crate::engine::board::{self, Cells, Names, State, BLOCKED_DEPARTMENT, BLOCKED_REPORTING, BLOCKED_SELF};
use crate::engine::scoring::{self, week, Blocked, Config, Mentee, Mentor};
use crate::error::AppError;

/// Mentor capacity when neither the application nor the program says.
const FALLBACK_CAPACITY: u32 = 2;
/// How far up a reporting line is followed.
const MAX_CHAIN: usize = 32;

#[derive(SurrealValue)]
struct PersonRow {
    user: String,
    side: Side,
    capacity: Option<i64>,
    prefs: Option<serde_json::Value>,
    name: Option<String>,
    department: Option<String>,
    title: Option<String>,
    level: Option<i64>,
    location: Option<String>,
    wanted: Vec<String>,
    offered: Vec<String>,
}

#[derive(SurrealValue)]
struct ManagerRow {
    id: String,
    manager: String,
}

#[derive(SurrealValue)]
struct BoardRow {
    pins: Vec<Vec<String>>,
    forbids: Vec<Vec<String>>,
    capacity: serde_json::Value,
    assignment: serde_json::Value,
    version: i64,
    published_at: Option<String>,
}

#[derive(SurrealValue)]
struct PendingRow {
    side: Side,
    n: i64,
}

/// Someone on the board with what scoring needs.
pub(super) struct Person {
    pub(super) card: BoardPerson,
    skills: Vec<String>,
    prefs: MatchPrefs,
    capacity: Option<i64>,
}

/// A cohort's board, loaded and scored.
pub struct Loaded {
    pub(super) cohort: Cohort,
    pub(super) cfg: Config,
    pub(super) mentees: Vec<Person>,
    pub(super) mentors: Vec<Person>,
    pub(super) mentee_facts: Vec<Mentee>,
    pub(super) mentor_facts: Vec<Mentor>,
    pub(super) cells: Vec<Vec<u8>>,
    pub(super) default_capacity: Vec<u32>,
    pub(super) state: State,
    pub(super) version: i64,
    pub(super) published_at: Option<String>,
    pub(super) pending: (usize, usize),
    pub(super) notices: Vec<String>,
    /// Mentees whose published pair still runs (re-matching after a pair ended): pinned to
    /// their mentor, never moved, never published again.
    pub(super) fixed: Vec<bool>,
}

impl Names for Loaded {
    fn mentee(&self, i: usize) -> String {
        self.mentees[i].card.name.clone()
    }
    fn mentor(&self, j: usize) -> String {
        self.mentors[j].card.name.clone()
    }
}

impl Loaded {
    pub(super) fn cells(&self) -> Cells<'_> {
        Cells::new(&self.cells, self.mentors.len()).expect("built with one cell per mentor")
    }

    /// Open for drafting: before the pairs are published, or again after a pair of a running
    /// cohort ended (the board reopens with the running pairs fixed).
    pub(super) fn editable(&self) -> bool {
        self.published_at.is_none()
            && matches!(self.cohort.status, CohortStatus::Enrolling | CohortStatus::Matching | CohortStatus::Running)
    }

    /// True when some published pairs of this cohort still run: the board is re-matching.
    pub(super) fn rematching(&self) -> bool {
        self.fixed.iter().any(|&f| f)
    }

    pub(super) fn mentee_index(&self, key: &str) -> Result<usize, AppError> {
        self.mentees.iter().position(|p| p.card.id == key).ok_or_else(|| AppError::Conflict {
            field: "board".into(),
            message: "That mentee is no longer on this board. The board has been reloaded.".into(),
        })
    }

    pub(super) fn mentor_index(&self, key: &str) -> Result<usize, AppError> {
        self.mentors.iter().position(|p| p.card.id == key).ok_or_else(|| AppError::Conflict {
            field: "board".into(),
            message: "That mentor is no longer on this board. The board has been reloaded.".into(),
        })
    }

    pub(super) fn draft(&self, state: &State) -> Draft {
        let mentees: Vec<BoardPerson> = self.mentees.iter().map(|p| p.card.clone()).collect();
        let mentors: Vec<BoardPerson> = self.mentors.iter().map(|p| p.card.clone()).collect();
        Draft::of(state, &mentees, &mentors)
    }

    /// The view for the browser.
    pub fn view(&self) -> BoardView {
        BoardView {
            cohort: self.cohort.clone(),
            mentees: self.mentees.iter().map(|p| p.card.clone()).collect(),
            mentors: self.mentors.iter().map(|p| p.card.clone()).collect(),
            cells: self.cells.clone(),
            state: self.state.clone(),
            default_capacity: self.default_capacity.clone(),
            version: self.version,
            config: self.cfg,
            published_at: self.published_at.clone(),
            editable: self.editable(),
            pending: self.pending,
            notices: self.notices.clone(),
            fixed: self.mentees.iter().zip(&self.fixed).filter(|(_, &f)| f).map(|(p, _)| p.card.id.clone()).collect(),
        }
    }

    /// Turns a stored draft into a state over today's roster and rules, dropping (with a notice)
    /// whatever no longer fits.
    pub(super) fn state_of(&self, d: &Draft, notices: &mut Vec<String>) -> State {
        let mentee_ix: HashMap<&str, usize> =
            self.mentees.iter().enumerate().map(|(i, p)| (p.card.id.as_str(), i)).collect();
        let mentor_ix: HashMap<&str, usize> =
            self.mentors.iter().enumerate().map(|(j, p)| (p.card.id.as_str(), j)).collect();
        let pair = |(a, b): &(String, String)| Some((*mentee_ix.get(a.as_str())?, *mentor_ix.get(b.as_str())?));
        let capacity: Vec<u32> = self
            .mentors
            .iter()
            .enumerate()
            .map(|(j, p)| {
                d.capacity.get(&p.card.id).copied().unwrap_or(self.default_capacity[j]).clamp(1, board::CAPACITY_MAX)
            })
            .collect();
        let mut s = State::new(self.mentees.len(), capacity);
        s.forbids = d.forbids.iter().filter_map(pair).collect();
        let cells = self.cells();
        let mut dropped = 0;
        for (mentee, mentor) in &d.assignment {
            let Some((i, j)) = pair(&(mentee.clone(), mentor.clone())) else {
                dropped += 1;
                continue;
            };
            if board::blocked(&cells, &s, self, i, j).is_err() || s.load(j) >= s.capacity[j] as usize {
                dropped += 1;
                continue;
            }
            s.mentor_of[i] = Some(j);
        }
        for p in &d.pins {
            if let Some((i, j)) = pair(p) {
                if s.mentor_of[i] == Some(j) && s.pin_of(i).is_none() {
                    s.pins.push((i, j));
                }
            }
        }
        if dropped > 0 {
            notices.push(format!(
                "{dropped} pair{} of the saved draft no longer fit (someone left the cohort, or a rule or capacity changed) and {} taken off the board.",
                if dropped == 1 { "" } else { "s" },
                if dropped == 1 { "was" } else { "were" }
            ));
        }
        if s.check(&cells, self).is_err() {
            notices.push("The saved draft no longer fitted the cohort; the board starts empty.".into());
            s = State::new(self.mentees.len(), s.capacity);
        }
        s
    }
}

impl Loaded {
    /// Pins every running published pair to its mentor (moving whatever the draft said), so a
    /// reopened board can only change the free mentees and the mentors' free places.
    fn fix_running(&mut self, running: &[Vec<String>]) {
        self.fixed = vec![false; self.mentees.len()];
        for p in running {
            let (Some(a), Some(c)) = (p.first(), p.get(1)) else { continue };
            let (Some(i), Some(j)) =
                (self.mentees.iter().position(|m| m.card.id == *a), self.mentors.iter().position(|m| m.card.id == *c))
            else {
                continue;
            };
            self.fixed[i] = true;
            // Whoever the draft had on this mentee's seat or over the mentor's capacity gives way.
            self.state.pins.retain(|&(x, _)| x != i);
            self.state.mentor_of[i] = Some(j);
            self.state.pins.push((i, j));
            self.state.forbids.retain(|&(x, y)| (x, y) != (i, j));
        }
        for j in 0..self.mentors.len() {
            let fixed_here =
                (0..self.mentees.len()).filter(|&i| self.fixed[i] && self.state.mentor_of[i] == Some(j)).count();
            if self.state.capacity[j] < fixed_here as u32 {
                self.state.capacity[j] = fixed_here as u32;
            }
            // Free mentees beyond the mentor's places leave the seat.
            let mut load = fixed_here;
            for i in 0..self.mentees.len() {
                if !self.fixed[i] && self.state.mentor_of[i] == Some(j) {
                    if load >= self.state.capacity[j] as usize {
                        self.state.mentor_of[i] = None;
                        self.state.pins.retain(|&(x, _)| x != i);
                    } else {
                        load += 1;
                    }
                }
            }
        }
    }
}

/// Dense ids for strings; an empty string gets a fresh id each time, so "unknown" never equals
/// "unknown".
struct Ids(HashMap<String, u32>, u32);

impl Ids {
    fn new() -> Ids {
        Ids(HashMap::new(), 0)
    }
    fn of(&mut self, s: &str) -> u32 {
        let key = s.trim().to_lowercase();
        let next = self.1;
        self.1 += 1;
        if key.is_empty() {
            return next;
        }
        *self.0.entry(key).or_insert(next)
    }
}

fn bits(skills: &[String], program: &[String]) -> u64 {
    skills
        .iter()
        .filter_map(|s| program.iter().position(|p| p == s))
        .filter(|&k| k < 64)
        .fold(0u64, |b, k| b | (1 << k))
}

/// Loads and scores a cohort's board.
pub async fn load(db: &Db, cohort_id: &str) -> Result<Loaded, AppError> {
    let cohort_id = check_key(cohort_id)?.to_string();
    let cohort = crate::domain::cohort::server::get(db, &cohort_id).await?;
    let design = crate::domain::program::server::get(db, &cohort.program_id).await?;
    let mut res = db
        .query(
            "SELECT VALUE matching FROM type::record('program', $program);
             SELECT record::id(user) AS user, side, capacity, prefs, user.name AS name, user.department AS department,
                 user.title AS title, user.level AS level, user.location AS location,
                 (user.skills_wanted ?? []).map(|$s| record::id($s)) AS wanted,
                 (user.skills_offered ?? []).map(|$s| record::id($s)) AS offered
             FROM application WHERE cohort = type::record('cohort', $cohort) AND status = 'approved';
             SELECT record::id(id) AS id, record::id(manager) AS manager FROM user WHERE manager != NONE;
             SELECT pins, forbids, capacity, assignment, version,
                 IF published_at THEN time::format(published_at, '%Y-%m-%d %H:%M UTC') ELSE NONE END AS published_at
             FROM type::record('board', $cohort);
             SELECT side, count() AS n FROM application WHERE cohort = type::record('cohort', $cohort) AND status = 'pending' GROUP BY side;
             SELECT VALUE [record::id(mentee), record::id(mentor)] FROM pairing
             WHERE cohort = type::record('cohort', $cohort) AND status = 'published';",
        )
        .bind(("program", cohort.program_id.clone()))
        .bind(("cohort", cohort_id.clone()))
        .await
        ?;
    let matching: Vec<Option<serde_json::Value>> = res.take(0)?;
    let cfg: Config = matching
        .into_iter()
        .next()
        .flatten()
        .filter(|v| !v.is_null())
        .and_then(|v| serde_json::from_value(v).ok())
        .filter(|c: &Config| c.check().is_ok())
        .unwrap_or_default();
    let rows: Vec<PersonRow> = res.take(1)?;
    let managers: Vec<ManagerRow> = res.take(2)?;
    let board_row: Option<BoardRow> = res.take::<Vec<BoardRow>>(3)?.into_iter().next();
    let pending_rows: Vec<PendingRow> = res.take(4)?;
    let running: Vec<Vec<String>> = res.take(5)?;
    let pending = (
        pending_rows.iter().find(|r| r.side == Side::Mentee).map_or(0, |r| r.n as usize),
        pending_rows.iter().find(|r| r.side == Side::Mentor).map_or(0, |r| r.n as usize),
    );

    let skill_names: BTreeMap<String, String> = crate::domain::skills::server::names(db).await?;
    let program_skills = design.skill_ids.clone();
    let program_capacity: u32 =
        design.capacity.trim().parse().unwrap_or(FALLBACK_CAPACITY).clamp(1, board::CAPACITY_MAX);

    let (mut mentees, mut mentors) = (Vec::new(), Vec::new());
    for r in rows {
        let prefs: Option<MatchPrefs> = r.prefs.filter(|v| !v.is_null()).and_then(|v| serde_json::from_value(v).ok());
        let mentee = r.side == Side::Mentee;
        let skills: Vec<String> = match &prefs {
            Some(p) if !p.skills.is_empty() => p.skills.clone(),
            _ => {
                let profile = if mentee { &r.wanted } else { &r.offered };
                profile.iter().filter(|s| program_skills.contains(s)).cloned().collect()
            }
        };
        let card = BoardPerson {
            id: r.user,
            name: r.name.unwrap_or_default(),
            department: r.department.unwrap_or_default(),
            title: r.title.unwrap_or_default(),
            level: r.level,
            skills: skills.iter().filter_map(|s| skill_names.get(s).cloned()).collect(),
            location: r.location.unwrap_or_default(),
        };
        let person = Person { card, skills, prefs: prefs.unwrap_or_default(), capacity: r.capacity };
        if mentee {
            mentees.push(person);
        } else {
            mentors.push(person);
        }
    }
    let by_name = |a: &Person, b: &Person| {
        a.card.name.to_lowercase().cmp(&b.card.name.to_lowercase()).then(a.card.id.cmp(&b.card.id))
    };
    mentees.sort_by(by_name);
    mentors.sort_by(by_name);

    // Facts for the scoring engine.
    let (mut departments, mut locations) = (Ids::new(), Ids::new());
    let manager_of: HashMap<&str, &str> = managers.iter().map(|m| (m.id.as_str(), m.manager.as_str())).collect();
    let mentor_ix: HashMap<&str, usize> = mentors.iter().enumerate().map(|(j, p)| (p.card.id.as_str(), j)).collect();
    let approach_bit = |a: &String| PREF_APPROACHES.iter().position(|x| x == a).map(|k| k as u8);
    let mentor_facts: Vec<Mentor> = mentors
        .iter()
        .map(|p| Mentor {
            level: p.card.level,
            department: departments.of(&p.card.department),
            skills_offered: bits(&p.skills, &program_skills),
            approaches: p.prefs.approaches.iter().filter_map(approach_bit).fold(0u8, |b, k| b | (1 << k)),
            availability: week(p.prefs.utc_hours()),
            location: locations.of(&p.card.location),
            remote_ok: p.prefs.remote_ok,
        })
        .collect();
    let mentee_facts: Vec<Mentee> = mentees
        .iter()
        .map(|p| {
            let mut line = Vec::new();
            let mut at = p.card.id.as_str();
            for _ in 0..MAX_CHAIN {
                let Some(&m) = manager_of.get(at) else { break };
                if let Some(&j) = mentor_ix.get(m) {
                    line.push(j);
                }
                at = m;
            }
            Mentee {
                level: p.card.level,
                department: departments.of(&p.card.department),
                skills_wanted: bits(&p.skills, &program_skills),
                approach: p.prefs.approaches.first().and_then(approach_bit),
                availability: week(p.prefs.utc_hours()),
                location: locations.of(&p.card.location),
                remote_ok: p.prefs.remote_ok,
                wishes: p.prefs.wishes.iter().filter_map(|w| mentor_ix.get(w.as_str()).copied()).collect(),
                reporting_line: line,
            }
        })
        .collect();
    let default_capacity: Vec<u32> = mentors
        .iter()
        .map(|p| p.capacity.map_or(program_capacity, |c| (c.max(1) as u32).min(board::CAPACITY_MAX)))
        .collect();
    let problem = scoring::score_matrix(&cfg, &mentee_facts, &mentor_facts, &[], default_capacity.clone());
    let mut cells = vec![vec![0u8; mentors.len()]; mentees.len()];
    for (i, row) in cells.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = if mentees[i].card.id == mentors[j].card.id {
                BLOCKED_SELF
            } else if let Some(s) = problem.score(i, j) {
                s as u8
            } else {
                match scoring::explain(&cfg, &mentee_facts, &mentor_facts, &[], i, j) {
                    Err(Blocked::SameDepartment) => BLOCKED_DEPARTMENT,
                    _ => BLOCKED_REPORTING,
                }
            };
        }
    }

    let mut loaded = Loaded {
        cohort,
        cfg,
        mentees,
        mentors,
        mentee_facts,
        mentor_facts,
        cells,
        default_capacity,
        state: State::default(),
        version: 0,
        published_at: None,
        pending,
        notices: Vec::new(),
        fixed: Vec::new(),
    };
    let mut notices = Vec::new();
    let state = match &board_row {
        Some(b) => {
            let pair =
                |v: &Vec<String>| (v.first().cloned().unwrap_or_default(), v.get(1).cloned().unwrap_or_default());
            let draft = Draft {
                pins: b.pins.iter().map(pair).collect(),
                forbids: b.forbids.iter().map(pair).collect(),
                capacity: serde_json::from_value(b.capacity.clone()).unwrap_or_default(),
                assignment: serde_json::from_value(b.assignment.clone()).unwrap_or_default(),
            };
            loaded.state_of(&draft, &mut notices)
        }
        None => State::new(loaded.mentees.len(), loaded.default_capacity.clone()),
    };
    loaded.state = state;
    loaded.notices = notices;
    loaded.fix_running(&running);
    if let Some(b) = board_row {
        loaded.version = b.version;
        loaded.published_at = b.published_at;
    }
    Ok(loaded)
}
