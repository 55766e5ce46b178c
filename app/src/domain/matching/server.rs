//! The matching board in SurrealDB: who is on it (approved applications), the pair scores from
//! their profiles and preferences, the stored draft, edits with a version check, publishing, and
//! what participants see afterwards.

use std::collections::{BTreeMap, HashMap};

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::cohort::types::Cohort;
use crate::domain::enrollment::types::{MatchPrefs, PREF_APPROACHES};
use crate::domain::matching::types::{
    BoardEdit, BoardPerson, BoardView, Draft, MyMatch, Notification, PairExplanation,
};
use crate::engine::board::{self, Cells, Edit, Names, State, BLOCKED_DEPARTMENT, BLOCKED_REPORTING, BLOCKED_SELF};
use crate::engine::scoring::{self, week, Blocked, Config, Mentee, Mentor};
use crate::error::AppError;

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::internal("matching", e)
}

/// Mentor capacity when neither the application nor the program says.
const FALLBACK_CAPACITY: u32 = 2;
/// How far up a reporting line is followed.
const MAX_CHAIN: usize = 32;

#[derive(SurrealValue)]
struct PersonRow {
    user: String,
    side: String,
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
    side: String,
    n: i64,
}

/// Someone on the board with what scoring needs.
struct Person {
    card: BoardPerson,
    skills: Vec<String>,
    prefs: MatchPrefs,
    capacity: Option<i64>,
}

/// A cohort's board, loaded and scored.
pub struct Loaded {
    cohort: Cohort,
    cfg: Config,
    mentees: Vec<Person>,
    mentors: Vec<Person>,
    mentee_facts: Vec<Mentee>,
    mentor_facts: Vec<Mentor>,
    cells: Vec<Vec<u8>>,
    default_capacity: Vec<u32>,
    state: State,
    version: i64,
    published_at: Option<String>,
    pending: (usize, usize),
    notices: Vec<String>,
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
    fn cells(&self) -> Cells<'_> {
        Cells::new(&self.cells, self.mentors.len()).expect("built with one cell per mentor")
    }

    fn editable(&self) -> bool {
        self.published_at.is_none() && matches!(self.cohort.status.as_str(), "enrolling" | "matching")
    }

    fn mentee_index(&self, key: &str) -> Result<usize, AppError> {
        self.mentees.iter().position(|p| p.card.id == key).ok_or_else(|| AppError::Conflict {
            field: "board".into(),
            message: "That mentee is no longer on this board. The board has been reloaded.".into(),
        })
    }

    fn mentor_index(&self, key: &str) -> Result<usize, AppError> {
        self.mentors.iter().position(|p| p.card.id == key).ok_or_else(|| AppError::Conflict {
            field: "board".into(),
            message: "That mentor is no longer on this board. The board has been reloaded.".into(),
        })
    }

    fn draft(&self, state: &State) -> Draft {
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
        }
    }

    /// Turns a stored draft into a state over today's roster and rules, dropping (with a notice)
    /// whatever no longer fits.
    fn state_of(&self, d: &Draft, notices: &mut Vec<String>) -> State {
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
             SELECT side, count() AS n FROM application WHERE cohort = type::record('cohort', $cohort) AND status = 'pending' GROUP BY side;",
        )
        .bind(("program", cohort.program_id.clone()))
        .bind(("cohort", cohort_id.clone()))
        .await
        .map_err(internal)?;
    let matching: Vec<Option<serde_json::Value>> = res.take(0).map_err(internal)?;
    let cfg: Config = matching
        .into_iter()
        .next()
        .flatten()
        .filter(|v| !v.is_null())
        .and_then(|v| serde_json::from_value(v).ok())
        .filter(|c: &Config| c.check().is_ok())
        .unwrap_or_default();
    let rows: Vec<PersonRow> = res.take(1).map_err(internal)?;
    let managers: Vec<ManagerRow> = res.take(2).map_err(internal)?;
    let board_row: Option<BoardRow> = res.take::<Vec<BoardRow>>(3).map_err(internal)?.into_iter().next();
    let pending_rows: Vec<PendingRow> = res.take(4).map_err(internal)?;
    let pending = (
        pending_rows.iter().find(|r| r.side == "mentee").map_or(0, |r| r.n as usize),
        pending_rows.iter().find(|r| r.side == "mentor").map_or(0, |r| r.n as usize),
    );

    let skill_names: BTreeMap<String, String> =
        crate::domain::skills::server::list(db, true).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let program_skills = design.skill_ids.clone();
    let program_capacity: u32 =
        design.capacity.trim().parse().unwrap_or(FALLBACK_CAPACITY).clamp(1, board::CAPACITY_MAX);

    let (mut mentees, mut mentors) = (Vec::new(), Vec::new());
    for r in rows {
        let prefs: Option<MatchPrefs> = r.prefs.filter(|v| !v.is_null()).and_then(|v| serde_json::from_value(v).ok());
        let mentee = r.side == "mentee";
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
    if let Some(b) = board_row {
        loaded.version = b.version;
        loaded.published_at = b.published_at;
    }
    Ok(loaded)
}

/// Why a board can't change, or `Ok`.
fn require_editable(b: &Loaded) -> Result<(), AppError> {
    if b.published_at.is_some() {
        return Err(AppError::field("board", "These pairs are published; the board can no longer change."));
    }
    if !b.editable() {
        return Err(AppError::field(
            "board",
            format!("The cohort is {}: pairs can be drafted while it is enrolling or matching.", b.cohort.status),
        ));
    }
    Ok(())
}

fn stale() -> AppError {
    AppError::Conflict {
        field: "board".into(),
        message: "Another admin changed this board since you loaded it. The board has been reloaded; try again.".into(),
    }
}

/// Stores a state if the board is still at `version`; returns the new version.
async fn save(
    access: &Access,
    b: &Loaded,
    version: i64,
    state: &State,
    action: &'static str,
    detail: String,
) -> Result<i64, AppError> {
    if version != b.version {
        return Err(stale());
    }
    let draft = b.draft(state);
    let pairs =
        |v: &[(String, String)]| -> Vec<Vec<String>> { v.iter().map(|(a, c)| vec![a.clone(), c.clone()]).collect() };
    let audit = Audit::by(access, action, detail);
    let query = access.db.query(format!(
        "BEGIN;
         LET $board = (SELECT version, published_at FROM ONLY type::record('board', $cohort));
         IF ($board.version ?? 0) != $version {{ THROW 'stale board' }};
         IF $board.published_at != NONE {{ THROW 'stale board' }};
         UPSERT type::record('board', $cohort) SET org = org:main, cohort = type::record('cohort', $cohort),
             pins = $pins, forbids = $forbids, capacity = $capacity, assignment = $assignment,
             version = $version + 1, updated_at = time::now();
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let res = audit
        .bind(query)
        .bind(("cohort", b.cohort.id.clone()))
        .bind(("version", version))
        .bind(("pins", pairs(&draft.pins)))
        .bind(("forbids", pairs(&draft.forbids)))
        .bind(("capacity", serde_json::to_value(&draft.capacity).map_err(internal)?))
        .bind(("assignment", serde_json::to_value(&draft.assignment).map_err(internal)?))
        .await
        .and_then(checked);
    written(res)?;
    Ok(version + 1)
}

/// The outcome of a versioned board write: the transaction's `THROW 'stale board'` becomes the
/// 409 the admin sees, anything else an internal error.
fn written<T>(res: Result<T, surrealdb::Error>) -> Result<(), AppError> {
    match res {
        Ok(_) => Ok(()),
        Err(e) if e.to_string().contains("stale board") => Err(stale()),
        Err(e) => Err(internal(e)),
    }
}

/// The board of a cohort.
pub async fn get(db: &Db, cohort_id: &str) -> Result<BoardView, AppError> {
    Ok(load(db, cohort_id).await?.view())
}

/// Runs one edit and stores the result; a refused edit changes nothing.
pub async fn edit(access: &Access, cohort_id: &str, version: i64, e: BoardEdit) -> Result<BoardView, AppError> {
    let mut b = load(&access.db, cohort_id).await?;
    require_editable(&b)?;
    if version != b.version {
        return Err(stale());
    }
    // Resolve the keys the browser named; the indexes it used may be out of date.
    let needs = |x: &str| !x.is_empty();
    let i = if needs(&e.mentee) { Some(b.mentee_index(&e.mentee)?) } else { None };
    let j = if needs(&e.mentor) { Some(b.mentor_index(&e.mentor)?) } else { None };
    let missing = || AppError::field("board", "Choose who this change is for.");
    let edit = match e.edit {
        Edit::Pin { .. } => Edit::Pin { mentee: i.ok_or_else(missing)?, mentor: j.ok_or_else(missing)? },
        Edit::Unassign { .. } => Edit::Unassign { mentee: i.ok_or_else(missing)? },
        Edit::Unpin { .. } => Edit::Unpin { mentee: i.ok_or_else(missing)? },
        Edit::Forbid { .. } => Edit::Forbid { mentee: i.ok_or_else(missing)?, mentor: j.ok_or_else(missing)? },
        Edit::Allow { .. } => Edit::Allow { mentee: i.ok_or_else(missing)?, mentor: j.ok_or_else(missing)? },
        Edit::Capacity { capacity, .. } => Edit::Capacity { mentor: j.ok_or_else(missing)?, capacity },
        other => other,
    };
    if b.mentors.is_empty() && matches!(edit, Edit::AutoAll | Edit::Reoptimise | Edit::Stable) {
        return Err(AppError::field(
            "board",
            "This cohort has no approved mentors yet. Approve mentor applications first.",
        ));
    }
    if b.mentees.is_empty() && matches!(edit, Edit::AutoAll | Edit::Reoptimise | Edit::Stable) {
        return Err(AppError::field(
            "board",
            "This cohort has no approved mentees yet. Approve mentee applications first.",
        ));
    }
    let cells = b.cells();
    let next = board::apply(&cells, &b.state, edit, &b).map_err(|m| AppError::field("board", m))?;
    let (action, detail) = describe(&b, edit);
    let v = save(access, &b, version, &next, action, detail).await?;
    b.state = next;
    b.version = v;
    b.notices.clear();
    Ok(b.view())
}

/// Audit wording for an edit.
fn describe(b: &Loaded, e: Edit) -> (&'static str, String) {
    let c = &b.cohort.name;
    match e {
        Edit::Pin { mentee, mentor } => {
            ("board: pinned", format!("{} with {} in {c}", b.mentee(mentee), b.mentor(mentor)))
        }
        Edit::Unassign { mentee } => ("board: unassigned", format!("{} in {c}", b.mentee(mentee))),
        Edit::Unpin { mentee } => ("board: unpinned", format!("{} in {c}", b.mentee(mentee))),
        Edit::Forbid { mentee, mentor } => {
            ("board: forbade", format!("{} with {} in {c}", b.mentee(mentee), b.mentor(mentor)))
        }
        Edit::Allow { mentee, mentor } => {
            ("board: allowed", format!("{} with {} in {c}", b.mentee(mentee), b.mentor(mentor)))
        }
        Edit::Capacity { mentor, capacity } => {
            ("board: set capacity", format!("of {} to {capacity} in {c}", b.mentor(mentor)))
        }
        Edit::AutoAll => ("board: auto-matched", c.clone()),
        Edit::Reoptimise => ("board: re-optimised", c.clone()),
        Edit::ClearUnpinned => ("board: cleared unpinned", c.clone()),
        Edit::Stable => ("board: stable-matched", c.clone()),
    }
}

/// Puts back an earlier draft (undo/redo), after checking it against today's rules.
pub async fn restore(access: &Access, cohort_id: &str, version: i64, draft: Draft) -> Result<BoardView, AppError> {
    let mut b = load(&access.db, cohort_id).await?;
    require_editable(&b)?;
    if version != b.version {
        return Err(stale());
    }
    let mut notices = Vec::new();
    let state = b.state_of(&draft, &mut notices);
    if !notices.is_empty() || normalized(&b, &b.draft(&state)) != normalized(&b, &draft) {
        return Err(AppError::field("board", "That earlier draft no longer fits the cohort, so it can't be restored."));
    }
    let v = save(access, &b, version, &state, "board: restored a draft", b.cohort.name.clone()).await?;
    b.state = state;
    b.version = v;
    b.notices.clear();
    Ok(b.view())
}

/// A draft as [`Loaded::draft`] would write it back (capacities for every mentor, pairs in order).
fn normalized(b: &Loaded, d: &Draft) -> Draft {
    let mut d = d.clone();
    for (j, p) in b.mentors.iter().enumerate() {
        d.capacity.entry(p.card.id.clone()).or_insert(b.default_capacity[j]);
    }
    let order = |v: &mut Vec<(String, String)>| {
        v.sort_by_key(|(a, c)| {
            (b.mentees.iter().position(|p| p.card.id == *a), b.mentors.iter().position(|p| p.card.id == *c))
        });
    };
    order(&mut d.pins);
    order(&mut d.forbids);
    d
}

/// Changes the program's scoring settings; every board of the program is rescored.
pub async fn set_config(access: &Access, cohort_id: &str, version: i64, cfg: Config) -> Result<BoardView, AppError> {
    if let Err(m) = cfg.check() {
        let field = if m.contains("gap") { "config.ideal_gap" } else { "config.weights" };
        return Err(AppError::field(field, m));
    }
    let b = load(&access.db, cohort_id).await?;
    require_editable(&b)?;
    if version != b.version {
        return Err(stale());
    }
    let audit = Audit::by(access, "changed the matching weights of", b.cohort.program_name.clone());
    let query = access.db.query(format!(
        "BEGIN;
         LET $board = (SELECT version FROM ONLY type::record('board', $cohort));
         IF ($board.version ?? 0) != $version {{ THROW 'stale board' }};
         UPDATE type::record('program', $program) SET matching = $cfg;
         UPSERT type::record('board', $cohort) SET org = org:main, cohort = type::record('cohort', $cohort),
             version = $version + 1, updated_at = time::now();
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let res = audit
        .bind(query)
        .bind(("cohort", b.cohort.id.clone()))
        .bind(("program", b.cohort.program_id.clone()))
        .bind(("version", version))
        .bind(("cfg", serde_json::to_value(cfg).map_err(internal)?))
        .await
        .and_then(checked);
    written(res)?;
    // Reloaded, so the cells carry the new weights.
    let reloaded = load(&access.db, cohort_id).await?;
    Ok(reloaded.view())
}

/// A pair's explanation and the cost of forcing it.
pub async fn explain(db: &Db, cohort_id: &str, mentee: &str, mentor: &str) -> Result<PairExplanation, AppError> {
    let b = load(db, cohort_id).await?;
    let i = b.mentee_index(mentee)?;
    let j = b.mentor_index(mentor)?;
    let cells = b.cells();
    let mut out =
        PairExplanation { mentee: b.mentee(i), mentor: b.mentor(j), breakdown: None, blocked: None, cost: None };
    match board::blocked(&cells, &b.state, &b, i, j) {
        Err(why) => out.blocked = Some(why),
        Ok(()) => {
            out.breakdown = scoring::explain(&b.cfg, &b.mentee_facts, &b.mentor_facts, &[], i, j).ok();
            match board::forcing_cost(&cells, &b.state, i, j, &b) {
                Ok(c) => out.cost = Some(c),
                Err(why) => out.blocked = Some(why),
            }
        }
    }
    Ok(out)
}

#[derive(SurrealValue)]
struct PublishedRow {
    n: i64,
}

/// Publishes the draft: one pairing per pair, a notification to each person, the cohort moves to
/// running. Only published pairs ever reach participants.
pub async fn publish(access: &Access, cohort_id: &str, version: i64) -> Result<BoardView, AppError> {
    let b = load(&access.db, cohort_id).await?;
    require_editable(&b)?;
    if version != b.version {
        return Err(stale());
    }
    let pairs: Vec<(usize, usize)> =
        b.state.mentor_of.iter().enumerate().filter_map(|(i, m)| m.map(|j| (i, j))).collect();
    if pairs.is_empty() {
        return Err(AppError::field(
            "board",
            "There are no pairs to publish yet. Auto-match or drag mentees onto mentors first.",
        ));
    }
    let mut res = access
        .db
        .query("SELECT count() AS n FROM pairing WHERE cohort = type::record('cohort', $cohort) GROUP ALL")
        .bind(("cohort", b.cohort.id.clone()))
        .await
        .map_err(internal)?;
    let existing: Vec<PublishedRow> = res.take(0).map_err(internal)?;
    if existing.first().is_some_and(|r| r.n > 0) {
        return Err(AppError::field("board", "This cohort's pairs were already published."));
    }
    let program = &b.cohort.program_name;
    let cohort = &b.cohort.name;
    let mut rows = Vec::with_capacity(pairs.len());
    let mut notes = Vec::with_capacity(pairs.len() * 2);
    for &(i, j) in &pairs {
        let breakdown = scoring::explain(&b.cfg, &b.mentee_facts, &b.mentor_facts, &[], i, j).ok();
        let score = board::cell_score(b.cells[i][j]).unwrap_or(0);
        rows.push(serde_json::json!({
            "mentee": b.mentees[i].card.id,
            "mentor": b.mentors[j].card.id,
            "score": score,
            "breakdown": breakdown,
        }));
        notes.push(serde_json::json!({
            "user": b.mentees[i].card.id,
            "text": format!("You have been matched with {} as your mentor in {program} · {cohort}.", b.mentor(j)),
            "link": "/home/mentee",
        }));
        notes.push(serde_json::json!({
            "user": b.mentors[j].card.id,
            "text": format!("{} is now your mentee in {program} · {cohort}.", b.mentee(i)),
            "link": "/home/mentor",
        }));
    }
    let audit = Audit::by(access, "published the pairs of", format!("{cohort} ({} pairs)", pairs.len()));
    let query = access.db.query(format!(
        "BEGIN;
         LET $board = (SELECT version, published_at FROM ONLY type::record('board', $cohort));
         IF ($board.version ?? 0) != $version {{ THROW 'stale board' }};
         IF $board.published_at != NONE {{ THROW 'stale board' }};
         FOR $p IN $pairs {{
             CREATE pairing SET org = org:main, cohort = type::record('cohort', $cohort),
                 mentee = type::record('user', $p.mentee), mentor = type::record('user', $p.mentor),
                 score = $p.score, breakdown = $p.breakdown ?? NONE;
         }};
         FOR $n IN $notes {{
             CREATE notification SET org = org:main, user = type::record('user', $n.user), text = $n.text, link = $n.link;
         }};
         UPDATE type::record('board', $cohort) SET published_at = time::now(), version = $version + 1;
         UPDATE type::record('cohort', $cohort) SET status = 'running', version = (version ?? 0) + 1;
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let res = audit
        .bind(query)
        .bind(("cohort", b.cohort.id.clone()))
        .bind(("version", version))
        .bind(("pairs", serde_json::Value::Array(rows)))
        .bind(("notes", serde_json::Value::Array(notes)))
        .await
        .and_then(checked);
    written(res)?;
    get(&access.db, cohort_id).await
}

#[derive(SurrealValue)]
struct MatchRow {
    id: String,
    cohort_name: Option<String>,
    program_name: Option<String>,
    other_name: Option<String>,
    other_email: Option<String>,
    other_title: Option<String>,
    other_department: Option<String>,
    score: i64,
    breakdown: Option<serde_json::Value>,
    since: String,
    next_meeting: Option<String>,
}

/// The caller's published pairs, as mentee and as mentor.
pub async fn my_matches(db: &Db, user_id: &str) -> Result<Vec<MyMatch>, AppError> {
    let fields = |other: &str| {
        format!(
            "record::id(id) AS id, cohort.name AS cohort_name, cohort.program.name AS program_name,
             {other}.name AS other_name, {other}.email AS other_email, {other}.title AS other_title,
             {other}.department AS other_department, score, breakdown,
             time::format(created_at, '%Y-%m-%d') AS since,
             (SELECT VALUE time::format(on, '%Y-%m-%d') FROM meeting WHERE pairing = $parent.id AND on > time::now() ORDER BY on LIMIT 1)[0] AS next_meeting"
        )
    };
    let mut res = db
        .query(format!(
            "SELECT {} FROM pairing WHERE mentee = type::record('user', $user) AND status = 'published' ORDER BY since DESC;
             SELECT {} FROM pairing WHERE mentor = type::record('user', $user) AND status = 'published' ORDER BY other_name;",
            fields("mentor"),
            fields("mentee")
        ))
        .bind(("user", user_id.to_string()))
        .await
        .map_err(internal)?;
    let as_mentee: Vec<MatchRow> = res.take(0).map_err(internal)?;
    let as_mentor: Vec<MatchRow> = res.take(1).map_err(internal)?;
    let convert = |r: MatchRow, side: &str| {
        let reasons = r
            .breakdown
            .and_then(|v| serde_json::from_value::<scoring::Breakdown>(v).ok())
            .map(|b| {
                b.parts
                    .into_iter()
                    .filter(|p| p.weight > 0)
                    .map(|p| format!("{}: {}", p.criterion.label(), p.why))
                    .collect()
            })
            .unwrap_or_default();
        MyMatch {
            id: r.id,
            cohort_name: r.cohort_name.unwrap_or_default(),
            program_name: r.program_name.unwrap_or_default(),
            my_side: side.to_string(),
            other_name: r.other_name.unwrap_or_default(),
            other_email: r.other_email.unwrap_or_default(),
            other_title: r.other_title.unwrap_or_default(),
            other_department: r.other_department.unwrap_or_default(),
            score: r.score,
            reasons,
            since: r.since,
            next_meeting: r.next_meeting,
        }
    };
    Ok(as_mentee
        .into_iter()
        .map(|r| convert(r, "mentee"))
        .chain(as_mentor.into_iter().map(|r| convert(r, "mentor")))
        .collect())
}

#[derive(SurrealValue)]
struct NotificationRow {
    id: String,
    text: String,
    link: String,
    read: bool,
    at: String,
}

/// The caller's latest notifications, newest first.
pub async fn notifications(db: &Db, user_id: &str) -> Result<Vec<Notification>, AppError> {
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, text, link, read, time::format(created_at, '%Y-%m-%d %H:%M UTC') AS at, created_at
             FROM notification WHERE user = type::record('user', $user) ORDER BY created_at DESC LIMIT 20",
        )
        .bind(("user", user_id.to_string()))
        .await
        .map_err(internal)?;
    let rows: Vec<NotificationRow> = res.take(0).map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|r| Notification { id: r.id, text: r.text, link: r.link, read: r.read, at: r.at })
        .collect())
}

/// Marks all of the caller's notifications read.
pub async fn mark_read(db: &Db, user_id: &str) -> Result<(), AppError> {
    db.query("UPDATE notification SET read = true WHERE user = type::record('user', $user) AND read = false")
        .bind(("user", user_id.to_string()))
        .await
        .and_then(checked)
        .map_err(internal)?;
    Ok(())
}
