//! The matching board's rules: what each edit does to a draft assignment.
//!
//! The board holds a [`State`]: the admin's pins (pairs that must stay), forbidden pairs, each
//! mentor's capacity, and the current assignment. [`apply`] runs one [`Edit`] and returns the new
//! state, or a reason the edit is impossible (a pin that breaks a hard rule or a capacity), in
//! which case nothing changes. Edits that move people re-optimise everyone who is not pinned with
//! [`matching::solve`], so the result is the best assignment that keeps the pins.
//!
//! The same code runs in the browser (wasm) for the instant preview of a drag and on the server,
//! which re-runs the edit on the stored state and persists it. Both see the same cells, so the
//! preview and the saved board agree.
//!
//! Cells are one byte per (mentee, mentor): the score 0..=100, or one of the `BLOCKED_*` codes
//! for a pair a hard rule rules out. Admin forbids are not cells; they live in the state so they
//! can be undone.

use serde::{Deserialize, Serialize};

use super::matching::{self, Problem};

/// Cell code: the mentor is the mentee's manager or above them.
pub const BLOCKED_REPORTING: u8 = 255;
/// Cell code: same department, which the program avoids.
pub const BLOCKED_DEPARTMENT: u8 = 254;
/// Cell code: the same person on both sides.
pub const BLOCKED_SELF: u8 = 253;

/// Most mentees one mentor may take on the board.
pub const CAPACITY_MAX: u32 = 10;

/// The score of a cell, `None` when a hard rule blocks the pair.
pub fn cell_score(cell: u8) -> Option<i64> {
    (cell <= matching::MAX_SCORE as u8).then_some(cell as i64)
}

/// Why a blocked cell is blocked, with the mentor as the subject; `None` for a scored cell.
pub fn cell_reason(cell: u8) -> Option<&'static str> {
    match cell {
        BLOCKED_REPORTING => Some("is their manager or above them in the reporting line"),
        BLOCKED_DEPARTMENT => Some("works in the same department, which this program avoids"),
        BLOCKED_SELF => Some("is the same person"),
        c if c > matching::MAX_SCORE as u8 => Some("is ruled out by a hard rule"),
        _ => None,
    }
}

/// The board's draft: indexes are into the board's mentee and mentor lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Pairs that must stay, `(mentee, mentor)`, at most one per mentee.
    pub pins: Vec<(usize, usize)>,
    /// Pairs an admin ruled out, `(mentee, mentor)`.
    pub forbids: Vec<(usize, usize)>,
    /// Each mentor's capacity, 1..=[`CAPACITY_MAX`].
    pub capacity: Vec<u32>,
    /// Each mentee's mentor in the draft, `None` for unmatched.
    pub mentor_of: Vec<Option<usize>>,
}

/// One change from the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Put a mentee with a mentor and keep them there; re-optimise the rest.
    Pin { mentee: usize, mentor: usize },
    /// Take the mentee off the board's assignment (and its pin).
    Unassign { mentee: usize },
    /// Let the mentee's pair move again, keeping it for now.
    Unpin { mentee: usize },
    /// Rule a pair out; if it was the mentee's pair, re-optimise.
    Forbid { mentee: usize, mentor: usize },
    /// Allow a pair an admin had ruled out.
    Allow { mentee: usize, mentor: usize },
    /// Change a mentor's capacity; re-optimise if they now have too many.
    Capacity { mentor: usize, capacity: u32 },
    /// Drop every pin and find the best assignment for everyone.
    AutoAll,
    /// Keep the pins, find the best assignment for everyone else.
    Reoptimise,
    /// Keep the pins, unassign everyone else.
    ClearUnpinned,
    /// Keep the pins, match everyone else by stable matching (mentee-proposing deferred
    /// acceptance) instead of the best total.
    Stable,
}

/// Totals of a state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Mentees with a mentor.
    pub matched: usize,
    /// Sum of the matched pairs' scores.
    pub score: i64,
}

/// Names for the messages, by index.
pub trait Names {
    /// The mentee's display name.
    fn mentee(&self, i: usize) -> String;
    /// The mentor's display name.
    fn mentor(&self, j: usize) -> String;
}

/// Plain "mentee 3" / "mentor 1" names, for tests and places without people.
pub struct Indexes;

impl Names for Indexes {
    fn mentee(&self, i: usize) -> String {
        format!("mentee {i}")
    }
    fn mentor(&self, j: usize) -> String {
        format!("mentor {j}")
    }
}

/// The matrix of cells plus the size checks every edit relies on.
pub struct Cells<'a> {
    cells: &'a [Vec<u8>],
    mentors: usize,
}

impl<'a> Cells<'a> {
    /// Wraps `cells[mentee][mentor]`; every row must have `mentors` entries.
    pub fn new(cells: &'a [Vec<u8>], mentors: usize) -> Result<Cells<'a>, String> {
        if let Some((i, row)) = cells.iter().enumerate().find(|(_, r)| r.len() != mentors) {
            return Err(format!("mentee {i} has {} cells for {mentors} mentors", row.len()));
        }
        Ok(Cells { cells, mentors })
    }

    /// Number of mentees.
    pub fn mentees(&self) -> usize {
        self.cells.len()
    }

    /// Number of mentors.
    pub fn mentors(&self) -> usize {
        self.mentors
    }

    /// The cell of a pair.
    pub fn get(&self, i: usize, j: usize) -> u8 {
        self.cells[i][j]
    }
}

impl State {
    /// An empty draft: no pins, no forbids, nobody matched.
    pub fn new(mentees: usize, capacity: Vec<u32>) -> State {
        State { pins: Vec::new(), forbids: Vec::new(), capacity, mentor_of: vec![None; mentees] }
    }

    /// The mentee's pinned mentor.
    pub fn pin_of(&self, i: usize) -> Option<usize> {
        self.pins.iter().find(|p| p.0 == i).map(|p| p.1)
    }

    /// How many pins a mentor holds.
    pub fn pins_on(&self, j: usize) -> usize {
        self.pins.iter().filter(|p| p.1 == j).count()
    }

    /// How many mentees a mentor has in the draft.
    pub fn load(&self, j: usize) -> usize {
        self.mentor_of.iter().filter(|m| **m == Some(j)).count()
    }

    /// Matched mentees and their total score.
    pub fn totals(&self, cells: &Cells) -> Totals {
        let mut t = Totals::default();
        for (i, slot) in self.mentor_of.iter().enumerate() {
            if let Some(j) = *slot {
                t.matched += 1;
                t.score += cell_score(cells.get(i, j)).unwrap_or(0);
            }
        }
        t
    }

    /// Checks that the state fits the cells and keeps every rule: sizes, capacities in range,
    /// pins and pairs allowed, pins part of the assignment, no mentor over capacity. A restored
    /// (undo/redo) state from the browser goes through this before it is stored.
    pub fn check(&self, cells: &Cells, names: &dyn Names) -> Result<(), String> {
        let (n, m) = (cells.mentees(), cells.mentors());
        if self.mentor_of.len() != n || self.capacity.len() != m {
            return Err("The board changed since this draft was made. Reload the board.".into());
        }
        for (j, &c) in self.capacity.iter().enumerate() {
            if !(1..=CAPACITY_MAX).contains(&c) {
                return Err(format!("{}'s capacity must be from 1 to {CAPACITY_MAX}.", names.mentor(j)));
            }
        }
        for &(i, j) in self.pins.iter().chain(&self.forbids) {
            if i >= n || j >= m {
                return Err("The board changed since this draft was made. Reload the board.".into());
            }
        }
        for (k, &(i, _)) in self.pins.iter().enumerate() {
            if self.pins[..k].iter().any(|p| p.0 == i) {
                return Err(format!("{} is pinned twice.", names.mentee(i)));
            }
        }
        for &(i, j) in &self.pins {
            if self.mentor_of[i] != Some(j) {
                return Err(format!("{}'s pin is not part of the assignment.", names.mentee(i)));
            }
        }
        for (i, slot) in self.mentor_of.iter().enumerate() {
            if let Some(j) = *slot {
                if j >= m {
                    return Err("The board changed since this draft was made. Reload the board.".into());
                }
                blocked(cells, self, names, i, j)?;
            }
        }
        for j in 0..m {
            let load = self.load(j);
            if load > self.capacity[j] as usize {
                return Err(format!("{} has {load} mentees but room for {}.", names.mentor(j), self.capacity[j]));
            }
        }
        Ok(())
    }
}

/// `Err(reason)` when a hard rule or an admin forbid rules the pair out.
pub fn blocked(cells: &Cells, state: &State, names: &dyn Names, i: usize, j: usize) -> Result<(), String> {
    if let Some(why) = cell_reason(cells.get(i, j)) {
        return Err(format!("{} can't mentor {}: {} {why}.", names.mentor(j), names.mentee(i), names.mentor(j)));
    }
    if state.forbids.contains(&(i, j)) {
        return Err(format!(
            "{} can't mentor {}: an administrator ruled this pair out.",
            names.mentor(j),
            names.mentee(i)
        ));
    }
    Ok(())
}

/// The best assignment that keeps the pins: the pinned mentees are fixed, their mentors lose a
/// slot each, and everyone else is matched by [`matching::solve`] (most matches, then the highest
/// total score), never across a blocked cell or a forbid.
pub fn reoptimise(cells: &Cells, state: &mut State) {
    let p = free_problem(cells, state);
    let (a, _) = matching::solve(&p);
    keep_pins(state, a.mentor_of);
}

/// Like [`reoptimise`], with stable matching for the mentees who are not pinned.
pub fn stable_rest(cells: &Cells, state: &mut State) {
    let p = free_problem(cells, state);
    let a = super::stable::deferred_acceptance(&p);
    keep_pins(state, a.mentor_of);
}

fn keep_pins(state: &mut State, mentor_of: Vec<Option<usize>>) {
    state.mentor_of = mentor_of;
    for &(i, j) in &state.pins {
        state.mentor_of[i] = Some(j);
    }
}

/// The pairs that would rather be together than with whom the draft gives them (both sides rank
/// by the pair score): `(mentee, mentor)` blocking pairs of the whole board, pins included.
pub fn blocking_pairs(cells: &Cells, state: &State) -> Vec<(usize, usize)> {
    let (n, m) = (cells.mentees(), cells.mentors());
    let mut scores: Vec<Vec<Option<i64>>> =
        (0..n).map(|i| (0..m).map(|j| cell_score(cells.get(i, j))).collect()).collect();
    for &(i, j) in &state.forbids {
        scores[i][j] = None;
    }
    let Ok(p) = Problem::new(scores, state.capacity.clone()) else { return Vec::new() };
    let t = state.totals(cells);
    let a = matching::Assignment { mentor_of: state.mentor_of.clone(), total_score: t.score, matched: t.matched };
    if super::stable::check_feasible(&p, &a).is_err() {
        return Vec::new();
    }
    super::stable::audit(&p, &a).into_iter().map(|b| (b.mentee, b.mentor)).collect()
}

/// The problem of the mentees who are not pinned: pinned rows blocked, each mentor's capacity
/// less its pins, admin forbids applied.
fn free_problem(cells: &Cells, state: &State) -> Problem {
    let (n, m) = (cells.mentees(), cells.mentors());
    let mut free: Vec<u32> = state.capacity.clone();
    for &(_, j) in &state.pins {
        free[j] = free[j].saturating_sub(1);
    }
    let pinned: Vec<bool> = (0..n).map(|i| state.pin_of(i).is_some()).collect();
    let scores: Vec<Vec<Option<i64>>> =
        (0..n).map(|i| (0..m).map(|j| if pinned[i] { None } else { cell_score(cells.get(i, j)) }).collect()).collect();
    let mut scores = scores;
    for &(i, j) in &state.forbids {
        scores[i][j] = None;
    }
    Problem::new(scores, free).expect("cells hold scores in 0..=100 and one per mentor")
}

/// Runs one edit on a copy of `state`. On success the new state satisfies [`State::check`]; on
/// error (a clear sentence for the admin) `state` is untouched.
pub fn apply(cells: &Cells, state: &State, edit: Edit, names: &dyn Names) -> Result<State, String> {
    let (n, m) = (cells.mentees(), cells.mentors());
    let bad_index = || "The board changed since you loaded it. Reload the board.".to_string();
    let mut s = state.clone();
    match edit {
        Edit::Pin { mentee: i, mentor: j } => {
            if i >= n || j >= m {
                return Err(bad_index());
            }
            blocked(cells, &s, names, i, j)?;
            let others = s.pins.iter().filter(|p| p.1 == j && p.0 != i).count();
            if others >= s.capacity[j] as usize {
                return Err(format!(
                    "{} is full: {} of {} places are pinned. Raise the capacity or unpin someone first.",
                    names.mentor(j),
                    others,
                    s.capacity[j]
                ));
            }
            s.pins.retain(|p| p.0 != i);
            s.pins.push((i, j));
            s.mentor_of[i] = Some(j);
            reoptimise(cells, &mut s);
        }
        Edit::Unassign { mentee: i } => {
            if i >= n {
                return Err(bad_index());
            }
            s.pins.retain(|p| p.0 != i);
            s.mentor_of[i] = None;
        }
        Edit::Unpin { mentee: i } => {
            if i >= n {
                return Err(bad_index());
            }
            s.pins.retain(|p| p.0 != i);
        }
        Edit::Forbid { mentee: i, mentor: j } => {
            if i >= n || j >= m {
                return Err(bad_index());
            }
            if !s.forbids.contains(&(i, j)) {
                s.forbids.push((i, j));
            }
            if s.mentor_of[i] == Some(j) {
                s.pins.retain(|p| p.0 != i);
                s.mentor_of[i] = None;
                reoptimise(cells, &mut s);
            }
        }
        Edit::Allow { mentee: i, mentor: j } => {
            if i >= n || j >= m {
                return Err(bad_index());
            }
            s.forbids.retain(|f| *f != (i, j));
        }
        Edit::Capacity { mentor: j, capacity } => {
            if j >= m {
                return Err(bad_index());
            }
            if !(1..=CAPACITY_MAX).contains(&capacity) {
                return Err(format!("A capacity goes from 1 to {CAPACITY_MAX}."));
            }
            let pins = s.pins_on(j);
            if (capacity as usize) < pins {
                return Err(format!(
                    "{} has {pins} pinned mentees; unpin one before lowering the capacity to {capacity}.",
                    names.mentor(j)
                ));
            }
            s.capacity[j] = capacity;
            if s.load(j) > capacity as usize {
                reoptimise(cells, &mut s);
            }
        }
        Edit::AutoAll => {
            s.pins.clear();
            reoptimise(cells, &mut s);
        }
        Edit::Reoptimise => reoptimise(cells, &mut s),
        Edit::Stable => stable_rest(cells, &mut s),
        Edit::ClearUnpinned => {
            s.mentor_of = vec![None; n];
            for &(i, j) in &s.pins {
                s.mentor_of[i] = Some(j);
            }
        }
    }
    debug_assert_eq!(s.check(cells, names), Ok(()));
    Ok(s)
}

/// What forcing a pair would cost against the best assignment that keeps the current pins:
/// how many fewer mentees would be matched and how many score points the board would lose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForcingCost {
    /// Matched mentees lost (0 or more).
    pub matched_lost: usize,
    /// Total score lost (0 or more when `matched_lost` is 0).
    pub score_lost: i64,
}

/// "Why not mentor `j` for mentee `i`?": the exact cost of pinning the pair, compared with the
/// best assignment under the current pins; `Err` when a rule or a full mentor rules it out.
pub fn forcing_cost(
    cells: &Cells,
    state: &State,
    i: usize,
    j: usize,
    names: &dyn Names,
) -> Result<ForcingCost, String> {
    let mut best = state.clone();
    reoptimise(cells, &mut best);
    let forced = apply(cells, state, Edit::Pin { mentee: i, mentor: j }, names)?;
    let (a, b) = (best.totals(cells), forced.totals(cells));
    Ok(ForcingCost { matched_lost: a.matched.saturating_sub(b.matched), score_lost: a.score - b.score })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cells_of(rows: &[&[u8]]) -> Vec<Vec<u8>> {
        rows.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn pin_reoptimises_the_rest() {
        // Mentee 0 is best with mentor 0, mentee 1 too; capacity 1 each.
        let raw = cells_of(&[&[90, 50], &[80, 10]]);
        let c = Cells::new(&raw, 2).unwrap();
        let s = apply(&c, &State::new(2, vec![1, 1]), Edit::AutoAll, &Indexes).unwrap();
        // Best total: 0→1 (50) + 1→0 (80) = 130 beats 0→0 (90) + 1→1 (10) = 100.
        assert_eq!(s.mentor_of, vec![Some(1), Some(0)]);
        let s = apply(&c, &s, Edit::Pin { mentee: 0, mentor: 0 }, &Indexes).unwrap();
        assert_eq!(s.mentor_of, vec![Some(0), Some(1)]);
        assert_eq!(s.totals(&c), Totals { matched: 2, score: 100 });
        // Re-optimising keeps the pin.
        let s = apply(&c, &s, Edit::Reoptimise, &Indexes).unwrap();
        assert_eq!(s.mentor_of, vec![Some(0), Some(1)]);
        // Auto-match all drops it.
        let s = apply(&c, &s, Edit::AutoAll, &Indexes).unwrap();
        assert!(s.pins.is_empty());
        assert_eq!(s.mentor_of, vec![Some(1), Some(0)]);
    }

    #[test]
    fn blocked_and_full_pins_are_refused_and_change_nothing() {
        let raw = cells_of(&[&[BLOCKED_REPORTING, 40], &[70, 60], &[20, 30]]);
        let c = Cells::new(&raw, 2).unwrap();
        let s = apply(&c, &State::new(3, vec![1, 1]), Edit::AutoAll, &Indexes).unwrap();
        let err = apply(&c, &s, Edit::Pin { mentee: 0, mentor: 0 }, &Indexes).unwrap_err();
        assert!(err.contains("reporting line"), "{err}");
        let s = apply(&c, &s, Edit::Pin { mentee: 1, mentor: 0 }, &Indexes).unwrap();
        let err = apply(&c, &s, Edit::Pin { mentee: 2, mentor: 0 }, &Indexes).unwrap_err();
        assert!(err.contains("is full"), "{err}");
        let forbidden = apply(&c, &s, Edit::Forbid { mentee: 2, mentor: 1 }, &Indexes).unwrap();
        let err = apply(&c, &forbidden, Edit::Pin { mentee: 2, mentor: 1 }, &Indexes).unwrap_err();
        assert!(err.contains("ruled this pair out"), "{err}");
        let allowed = apply(&c, &forbidden, Edit::Allow { mentee: 2, mentor: 1 }, &Indexes).unwrap();
        assert!(apply(&c, &allowed, Edit::Pin { mentee: 2, mentor: 1 }, &Indexes).is_ok());
        let err = apply(&c, &s, Edit::Capacity { mentor: 0, capacity: 0 }, &Indexes).unwrap_err();
        assert!(err.contains("from 1 to 10"), "{err}");
        let err = apply(&c, &s, Edit::Pin { mentee: 9, mentor: 0 }, &Indexes).unwrap_err();
        assert!(err.contains("Reload"), "{err}");
    }

    #[test]
    fn forbidding_the_current_pair_moves_the_mentee() {
        let raw = cells_of(&[&[90, 50]]);
        let c = Cells::new(&raw, 2).unwrap();
        let s = apply(&c, &State::new(1, vec![1, 1]), Edit::Pin { mentee: 0, mentor: 0 }, &Indexes).unwrap();
        let s = apply(&c, &s, Edit::Forbid { mentee: 0, mentor: 0 }, &Indexes).unwrap();
        assert_eq!(s.mentor_of, vec![Some(1)]);
        assert!(s.pins.is_empty());
    }

    #[test]
    fn lowering_capacity_below_pins_is_refused_and_below_load_reoptimises() {
        let raw = cells_of(&[&[90, 10], &[80, 20], &[70, 30]]);
        let c = Cells::new(&raw, 2).unwrap();
        let s = apply(&c, &State::new(3, vec![3, 3]), Edit::AutoAll, &Indexes).unwrap();
        assert_eq!(s.load(0), 3);
        let s = apply(&c, &s, Edit::Capacity { mentor: 0, capacity: 1 }, &Indexes).unwrap();
        assert_eq!(s.load(0), 1);
        assert_eq!(s.mentor_of, vec![Some(0), Some(1), Some(1)]);
        let s = apply(&c, &s, Edit::Pin { mentee: 1, mentor: 1 }, &Indexes).unwrap();
        let s = apply(&c, &s, Edit::Pin { mentee: 2, mentor: 1 }, &Indexes).unwrap();
        let err = apply(&c, &s, Edit::Capacity { mentor: 1, capacity: 1 }, &Indexes).unwrap_err();
        assert!(err.contains("2 pinned"), "{err}");
    }

    #[test]
    fn stable_matching_is_offered_and_the_audit_finds_blocking_pairs() {
        // The best total (0→1, 1→0: 50 + 80) leaves mentee 0 and mentor 0 both preferring each
        // other (90 beats 50 and 80): a blocking pair. Stable matching gives 0→0, 1→1.
        let raw = cells_of(&[&[90, 50], &[80, 10]]);
        let c = Cells::new(&raw, 2).unwrap();
        let best = apply(&c, &State::new(2, vec![1, 1]), Edit::AutoAll, &Indexes).unwrap();
        assert_eq!(blocking_pairs(&c, &best), vec![(0, 0)]);
        let stable = apply(&c, &best, Edit::Stable, &Indexes).unwrap();
        assert_eq!(stable.mentor_of, vec![Some(0), Some(1)]);
        assert!(blocking_pairs(&c, &stable).is_empty());
        // Pins stay: with 1→0 pinned, stable matching places only mentee 0, with mentor 1.
        let pinned = apply(&c, &State::new(2, vec![1, 1]), Edit::Pin { mentee: 1, mentor: 0 }, &Indexes).unwrap();
        let s = apply(&c, &pinned, Edit::Stable, &Indexes).unwrap();
        assert_eq!(s.mentor_of, vec![Some(1), Some(0)]);
    }

    #[test]
    fn clear_unassign_unpin() {
        let raw = cells_of(&[&[90], &[80]]);
        let c = Cells::new(&raw, 1).unwrap();
        let s = apply(&c, &State::new(2, vec![2]), Edit::Pin { mentee: 1, mentor: 0 }, &Indexes).unwrap();
        assert_eq!(s.mentor_of, vec![Some(0), Some(0)]);
        let cleared = apply(&c, &s, Edit::ClearUnpinned, &Indexes).unwrap();
        assert_eq!(cleared.mentor_of, vec![None, Some(0)]);
        let unpinned = apply(&c, &s, Edit::Unpin { mentee: 1 }, &Indexes).unwrap();
        assert_eq!(unpinned.mentor_of, s.mentor_of);
        assert!(unpinned.pins.is_empty());
        let out = apply(&c, &s, Edit::Unassign { mentee: 1 }, &Indexes).unwrap();
        assert_eq!(out.mentor_of, vec![Some(0), None]);
    }

    #[test]
    fn check_refuses_broken_drafts() {
        let raw = cells_of(&[&[90, BLOCKED_SELF], &[80, 70]]);
        let c = Cells::new(&raw, 2).unwrap();
        let good = apply(&c, &State::new(2, vec![1, 1]), Edit::AutoAll, &Indexes).unwrap();
        assert_eq!(good.check(&c, &Indexes), Ok(()));
        let mut over = good.clone();
        over.mentor_of = vec![Some(0), Some(0)];
        assert!(over.check(&c, &Indexes).unwrap_err().contains("room for 1"));
        let mut self_pair = good.clone();
        self_pair.mentor_of = vec![Some(1), None];
        assert!(self_pair.check(&c, &Indexes).unwrap_err().contains("same person"));
        let mut stray_pin = good.clone();
        stray_pin.pins = vec![(1, 1)];
        stray_pin.mentor_of = vec![Some(0), None];
        assert!(stray_pin.check(&c, &Indexes).unwrap_err().contains("pin is not part"));
        let mut short = good;
        short.capacity.pop();
        assert!(short.check(&c, &Indexes).unwrap_err().contains("Reload"));
    }

    #[test]
    fn forcing_cost_is_the_loss_against_the_best() {
        let raw = cells_of(&[&[90, 50], &[80, 10]]);
        let c = Cells::new(&raw, 2).unwrap();
        let s = State::new(2, vec![1, 1]);
        // Best is 130; forcing 0→0 gives 100.
        assert_eq!(forcing_cost(&c, &s, 0, 0, &Indexes), Ok(ForcingCost { matched_lost: 0, score_lost: 30 }));
        assert_eq!(forcing_cost(&c, &s, 0, 1, &Indexes), Ok(ForcingCost { matched_lost: 0, score_lost: 0 }));
        // One mentor, two mentees, capacity 1: any pin keeps one match.
        let raw = cells_of(&[&[90], &[20]]);
        let c = Cells::new(&raw, 1).unwrap();
        let s = State::new(2, vec![1]);
        assert_eq!(forcing_cost(&c, &s, 1, 0, &Indexes), Ok(ForcingCost { matched_lost: 0, score_lost: 70 }));
    }

    fn cell() -> impl Strategy<Value = u8> {
        prop_oneof![8 => 0u8..=100, 1 => Just(BLOCKED_REPORTING), 1 => Just(BLOCKED_DEPARTMENT)]
    }

    fn edit(n: usize, m: usize) -> impl Strategy<Value = Edit> {
        prop_oneof![
            4 => (0..n, 0..m).prop_map(|(mentee, mentor)| Edit::Pin { mentee, mentor }),
            1 => (0..n).prop_map(|mentee| Edit::Unassign { mentee }),
            1 => (0..n).prop_map(|mentee| Edit::Unpin { mentee }),
            2 => (0..n, 0..m).prop_map(|(mentee, mentor)| Edit::Forbid { mentee, mentor }),
            1 => (0..n, 0..m).prop_map(|(mentee, mentor)| Edit::Allow { mentee, mentor }),
            2 => (0..m, 0u32..5).prop_map(|(mentor, capacity)| Edit::Capacity { mentor, capacity }),
            1 => Just(Edit::AutoAll),
            1 => Just(Edit::Reoptimise),
            1 => Just(Edit::ClearUnpinned),
            1 => Just(Edit::Stable),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any sequence of edits keeps the state valid, failed edits change nothing, and after a
        /// re-optimise the board is as good as the best assignment that keeps the pins (checked
        /// by brute force over every assignment).
        #[test]
        fn edits_keep_the_board_valid_and_reoptimise_is_optimal(
            (raw, edits) in (1usize..5, 1usize..4).prop_flat_map(|(n, m)| (
                proptest::collection::vec(proptest::collection::vec(cell(), m), n),
                proptest::collection::vec(edit(n, m), 0..12),
            ))
        ) {
            let m = raw[0].len();
            let c = Cells::new(&raw, m).unwrap();
            let mut s = State::new(raw.len(), vec![1; m]);
            for e in edits {
                match apply(&c, &s, e, &Indexes) {
                    Ok(next) => { prop_assert_eq!(next.check(&c, &Indexes), Ok(())); s = next; }
                    Err(msg) => prop_assert!(!msg.is_empty()),
                }
            }
            let best = apply(&c, &s, Edit::Reoptimise, &Indexes).unwrap();
            let got = best.totals(&c);
            prop_assert_eq!(brute(&c, &s), (got.matched, got.score));
        }
    }

    /// The best (matched, score) over every assignment keeping the pins, by enumeration.
    fn brute(c: &Cells, s: &State) -> (usize, i64) {
        fn go(c: &Cells, s: &State, i: usize, load: &mut Vec<u32>, acc: (usize, i64), best: &mut (usize, i64)) {
            if i == c.mentees() {
                *best = (*best).max(acc);
                return;
            }
            if let Some(j) = s.pin_of(i) {
                // Its slot is taken up front.
                let sc = cell_score(c.get(i, j)).unwrap();
                go(c, s, i + 1, load, (acc.0 + 1, acc.1 + sc), best);
                return;
            }
            go(c, s, i + 1, load, acc, best);
            for j in 0..c.mentors() {
                let Some(sc) = cell_score(c.get(i, j)) else { continue };
                if s.forbids.contains(&(i, j)) || load[j] >= s.capacity[j] {
                    continue;
                }
                load[j] += 1;
                go(c, s, i + 1, load, (acc.0 + 1, acc.1 + sc), best);
                load[j] -= 1;
            }
        }
        let mut load = vec![0u32; c.mentors()];
        for &(_, j) in &s.pins {
            load[j] += 1;
        }
        let mut best = (0, 0);
        go(c, s, 0, &mut load, (0, 0), &mut best);
        best
    }
}
