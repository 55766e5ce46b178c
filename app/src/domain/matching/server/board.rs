//! The stored draft of a board: edits against its version (a stale one is refused), restoring an
//! earlier draft, the scoring weights, "why this pair?", and publishing the pairs.

use crate::db::refusal::STALE_BOARD;
use crate::db::{checked, is_refusal, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::matching::types::{BoardEdit, BoardView, Draft, PairExplanation};
use crate::engine::board::{self, Edit, Names, State};
use crate::engine::scoring::{self, Config};
use crate::error::AppError;

use super::load::{load, Loaded};

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
         IF ($board.version ?? 0) != $version {{ THROW '{STALE_BOARD}' }};
         IF $board.published_at != NONE {{ THROW '{STALE_BOARD}' }};
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
        .bind(("capacity", serde_json::to_value(&draft.capacity)?))
        .bind(("assignment", serde_json::to_value(&draft.assignment)?))
        .await
        .and_then(checked);
    written(res)?;
    Ok(version + 1)
}

/// The outcome of a versioned board write: the transaction's [`STALE_BOARD`] refusal becomes the
/// 409 the admin sees, anything else an internal error.
fn written<T>(res: Result<T, surrealdb::Error>) -> Result<(), AppError> {
    match res {
        Ok(_) => Ok(()),
        // Refused by the version check, or lost to another admin's write of the same board at
        // the same moment (another app server's transaction committed first).
        Err(e) if is_refusal(&e, STALE_BOARD) || crate::db::is_write_conflict(&e) => Err(stale()),
        Err(e) => Err(AppError::from(e)),
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
    check_fixed(&b, edit)?;
    let cells = b.cells();
    let next = board::apply(&cells, &b.state, edit, &b).map_err(|m| AppError::field("board", m))?;
    let (action, detail) = describe(&b, edit);
    let v = save(access, &b, version, &next, action, detail).await?;
    b.state = next;
    b.version = v;
    b.notices.clear();
    Ok(b.view())
}

/// While the board re-matches after a pair ended, the running pairs stay as published: no edit
/// may move, unpin or rule out one of them, drop all pins, or shrink a mentor below them.
fn check_fixed(b: &Loaded, e: Edit) -> Result<(), AppError> {
    let running = |i: usize| {
        AppError::field(
            "board",
            format!(
                "{}'s pair is published and still running; end it from the cohort's pairs list to change it.",
                b.mentee(i)
            ),
        )
    };
    match e {
        Edit::Pin { mentee, .. } | Edit::Unassign { mentee } | Edit::Unpin { mentee } if b.fixed[mentee] => {
            Err(running(mentee))
        }
        Edit::Forbid { mentee, mentor } if b.fixed[mentee] && b.state.mentor_of[mentee] == Some(mentor) => {
            Err(running(mentee))
        }
        Edit::AutoAll if b.rematching() => Err(AppError::field(
            "board",
            "The published pairs stay: use Re-optimise, which matches only the free mentees.",
        )),
        Edit::Capacity { mentor, capacity } => {
            let fixed = (0..b.mentees.len()).filter(|&i| b.fixed[i] && b.state.mentor_of[i] == Some(mentor)).count();
            if (capacity as usize) < fixed {
                return Err(AppError::field(
                    "board",
                    format!(
                        "{} already mentors {fixed} running pair{}.",
                        b.mentor(mentor),
                        if fixed == 1 { "" } else { "s" }
                    ),
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
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
    let keeps_running = (0..b.mentees.len())
        .filter(|&i| b.fixed[i])
        .all(|i| state.pin_of(i).is_some() && state.pin_of(i) == b.state.pin_of(i));
    if !keeps_running || !notices.is_empty() || normalized(&b, &b.draft(&state)) != normalized(&b, &draft) {
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
         IF ($board.version ?? 0) != $version {{ THROW '{STALE_BOARD}' }};
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
        .bind(("cfg", serde_json::to_value(cfg)?))
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

/// Publishes the draft: one pairing per pair, a notification to each person, the cohort moves to
/// running. Only published pairs ever reach participants.
pub async fn publish(access: &Access, cohort_id: &str, version: i64) -> Result<BoardView, AppError> {
    let b = load(&access.db, cohort_id).await?;
    require_editable(&b)?;
    if version != b.version {
        return Err(stale());
    }
    // Only new pairs: while re-matching, the running pairs are already published.
    let pairs: Vec<(usize, usize)> = b
        .state
        .mentor_of
        .iter()
        .enumerate()
        .filter(|&(i, _)| !b.fixed[i])
        .filter_map(|(i, m)| m.map(|j| (i, j)))
        .collect();
    if pairs.is_empty() {
        let why = if b.rematching() {
            "There are no new pairs to publish. Drag the free mentees onto mentors with free places, or Re-optimise."
        } else {
            "There are no pairs to publish yet. Auto-match or drag mentees onto mentors first."
        };
        return Err(AppError::field("board", why));
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
         IF ($board.version ?? 0) != $version {{ THROW '{STALE_BOARD}' }};
         IF $board.published_at != NONE {{ THROW '{STALE_BOARD}' }};
         FOR $p IN $pairs {{
             LET $before = (SELECT status FROM pairing WHERE cohort = type::record('cohort', $cohort)
                 AND mentee = type::record('user', $p.mentee));
             IF count($before[WHERE status = 'published']) > 0 {{ THROW '{STALE_BOARD}' }};
             CREATE pairing SET org = org:main, cohort = type::record('cohort', $cohort),
                 mentee = type::record('user', $p.mentee), mentor = type::record('user', $p.mentor),
                 score = $p.score, breakdown = $p.breakdown ?? NONE, seq = array::len($before);
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
    access.changed("pairing");
    access.changed("cohort");
    get(&access.db, cohort_id).await
}
