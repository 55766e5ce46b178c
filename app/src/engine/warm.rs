//! Warm edits for the matching board: pin a pair, unpin it, forbid a pair, change a mentor's
//! capacity or a mentee's scores, and get the new optimum in a fraction of a millisecond instead of
//! a cold solve, still with a certificate.
//!
//! A [`Session`] keeps the solver's state between edits: the assignment and the dual prices of
//! [`super::matching`]. An edit takes the affected mentees out (price 0, off their mentors),
//! restores complementary slackness at the mentors it freed (a backward Dijkstra search each), and
//! brings the mentees back in one by one along shortest augmenting paths, over every allowed pair.
//! Every step keeps the prices feasible and complementary slackness where it held, so the result is
//! optimal by construction; a slackness check after each edit (and a feasibility check of the rows
//! and columns whose prices went down) guards the invariant, and falls back to a cold solve should
//! it ever fail, as [`super::matching::solve`] does.
//!
//! # What the certificate proves
//!
//! A pinned pair must be in the assignment. The session optimises the rest: the **free problem**
//! ([`Session::free_problem`]) is the problem with every pair of a pinned mentee forbidden (pinned
//! mentees take no part in it) and each mentor's capacity reduced by its pins. Any assignment
//! that keeps the pins is the pins plus an assignment of the free problem, and the pins add the
//! same count and score to all of them; so the session's assignment is the best one that keeps the
//! pins (most matches, then highest total score) exactly when its free part is optimal for the
//! free problem, which [`Session::certificate`] proves:
//!
//! ```text
//! verify(&s.free_problem(), &s.free_assignment(), &s.certificate()) == Ok(())
//! ```
//!
//! The bonus of the certificate depends only on the number of mentees
//! ([`super::matching::match_bonus`]), so it stays valid through every edit.

use super::matching::{self, Arcs, Assignment, Certificate, Problem, Solver, CANDIDATES_PER_MENTEE, FORBIDDEN};

/// An assignment kept optimal through edits, with pins; see the module documentation.
#[derive(Debug, Clone)]
pub struct Session {
    /// The problem with every edit applied (scores, forbidden pairs, capacities); pins are not
    /// applied to it.
    problem: Problem,
    /// The same scores column by column (`columns[mentor · n + mentee]`), so that the backward
    /// searches and checks read a mentor's scores in one run.
    columns: Vec<u8>,
    /// The pinned mentor of each mentee.
    pins: Vec<Option<usize>>,
    /// How many mentees are pinned to each mentor.
    pinned_on: Vec<u32>,
    /// The solver state for the free problem: pinned mentees are outside, capacities reduced.
    solver: Solver,
    /// How many times an edit fell back to a cold solve.
    cold_solves: usize,
    /// Mentees and mentors whose prices went down during the current edit, to re-check.
    lowered: (Vec<u32>, Vec<u32>),
}

/// What forcing a pair costs: the optimum that keeps the pair (and the session's pins) against
/// the session's optimum; see [`why_not`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForcedCost {
    /// How many fewer mentees get a mentor.
    pub lost_matches: usize,
    /// How much lower the total score is. Negative when a lost match frees room for better pairs:
    /// the total may rise while the number of matches falls.
    pub lost_score: i64,
    /// The best assignment that keeps the pair.
    pub assignment: Assignment,
}

impl Session {
    /// A session on `problem`, without pins, starting from a cold [`matching::solve`].
    pub fn new(problem: Problem) -> Result<Session, String> {
        problem.check()?;
        let (solver, _) = matching::solve_state(&problem, CANDIDATES_PER_MENTEE);
        let (n, m) = (problem.n_mentees(), problem.n_mentors());
        let columns = transpose(&problem);
        Ok(Session {
            problem,
            columns,
            pins: vec![None; n],
            pinned_on: vec![0; m],
            solver,
            cold_solves: 0,
            lowered: (Vec::new(), Vec::new()),
        })
    }

    /// The problem with every edit applied (pins are not part of it; see [`Session::pins`]).
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The pinned mentor of each mentee, `None` where the mentee is not pinned.
    pub fn pins(&self) -> &[Option<usize>] {
        &self.pins
    }

    /// How many times an edit fell back to a cold solve (0 unless an invariant check failed).
    pub fn cold_solves(&self) -> usize {
        self.cold_solves
    }

    /// The current assignment, pins included: the best one that keeps the pins.
    pub fn assignment(&self) -> Assignment {
        let mentor_of: Vec<Option<usize>> =
            (0..self.pins.len()).map(|i| self.pins[i].or_else(|| self.solver.mentor(i))).collect();
        self.tally(mentor_of)
    }

    /// The assignment of the free problem: [`Session::assignment`] without the pinned mentees.
    pub fn free_assignment(&self) -> Assignment {
        let mentor_of: Vec<Option<usize>> = (0..self.pins.len()).map(|i| self.solver.mentor(i)).collect();
        self.tally(mentor_of)
    }

    /// The free problem: pinned mentees' pairs all forbidden, capacities reduced by the pins.
    /// Builds a copy of the score matrix.
    pub fn free_problem(&self) -> Problem {
        let mut p = self.problem.clone();
        for (i, pin) in self.pins.iter().enumerate() {
            if pin.is_some() {
                p.forbid_row(i);
            }
        }
        for (c, &k) in p.capacity.iter_mut().zip(&self.pinned_on) {
            *c -= k;
        }
        p
    }

    /// Dual prices proving [`Session::free_assignment`] optimal for [`Session::free_problem`].
    pub fn certificate(&self) -> Certificate {
        Certificate {
            bonus: self.solver.bonus,
            mentee_price: self.solver.u.clone(),
            mentor_price: self.solver.v.clone(),
        }
    }

    /// Checks the certificate from scratch with [`matching::verify`]; for tests and audits (it
    /// reads every pair).
    pub fn verify(&self) -> Result<(), String> {
        matching::verify(&self.free_problem(), &self.free_assignment(), &self.certificate())
    }

    /// Pins `mentee` to `mentor`: the pair will be in every assignment until unpinned. Moves the
    /// mentee's pin if it had another. Fails, changing nothing, if the pair is forbidden or the
    /// mentor's capacity is taken by pins already.
    pub fn pin(&mut self, mentee: usize, mentor: usize) -> Result<(), String> {
        self.check_pair(mentee, mentor)?;
        if self.problem.score(mentee, mentor).is_none() {
            return Err(format!("mentee {mentee} cannot be pinned to mentor {mentor}: the pair is forbidden"));
        }
        let old = self.pins[mentee];
        if old == Some(mentor) {
            return Ok(());
        }
        let cap = self.problem.capacity[mentor];
        if self.pinned_on[mentor] >= cap {
            return Err(format!(
                "mentee {mentee} cannot be pinned to mentor {mentor}: all {cap} of the mentor's places are pinned"
            ));
        }
        let mut freed = Vec::new();
        match old {
            // Already outside the free problem; its old mentor gets the place back.
            Some(o) => {
                self.pinned_on[o] -= 1;
                self.solver.cap[o] += 1;
                freed.push(o);
            }
            None => freed.extend(self.solver.take_out(mentee)),
        }
        self.pins[mentee] = Some(mentor);
        self.pinned_on[mentor] += 1;
        self.solver.cap[mentor] -= 1;
        let out = self.evict(mentor);
        self.repair(&freed, &out);
        Ok(())
    }

    /// Unpins `mentee`; it becomes free to go to any mentor (or none). Fails if it is not pinned.
    pub fn unpin(&mut self, mentee: usize) -> Result<(), String> {
        self.check_mentee(mentee)?;
        let Some(j) = self.pins[mentee] else {
            return Err(format!("mentee {mentee} is not pinned"));
        };
        self.pins[mentee] = None;
        self.pinned_on[j] -= 1;
        self.solver.cap[j] += 1;
        self.repair(&[j], &[mentee]);
        Ok(())
    }

    /// Forbids the pair (`mentee`, `mentor`). Fails, changing nothing, if the pair is pinned.
    pub fn forbid(&mut self, mentee: usize, mentor: usize) -> Result<(), String> {
        self.check_pair(mentee, mentor)?;
        if self.pins[mentee] == Some(mentor) {
            return Err(format!("mentee {mentee} is pinned to mentor {mentor}; unpin the pair before forbidding it"));
        }
        self.problem.set_score(mentee, mentor, None)?;
        self.columns[mentor * self.pins.len() + mentee] = FORBIDDEN;
        // Removing an arc keeps the prices feasible; only a pair in use must go.
        if self.solver.mentor(mentee) == Some(mentor) {
            self.solver.take_out(mentee);
            self.repair(&[mentor], &[mentee]);
        }
        Ok(())
    }

    /// Sets `mentor`'s capacity. Fails, changing nothing, if it is below the number of mentees
    /// pinned to the mentor.
    pub fn set_capacity(&mut self, mentor: usize, capacity: u32) -> Result<(), String> {
        self.check_mentor(mentor)?;
        let pinned = self.pinned_on[mentor];
        if capacity < pinned {
            return Err(format!("mentor {mentor} has {pinned} pinned mentees; the capacity cannot go below that"));
        }
        self.problem.capacity[mentor] = capacity;
        let free = capacity - pinned;
        let more = free > self.solver.cap[mentor];
        self.solver.cap[mentor] = free;
        let out = self.evict(mentor);
        let freed = if more { vec![mentor] } else { Vec::new() };
        self.repair(&freed, &out);
        Ok(())
    }

    /// Replaces `mentee`'s scores with `row` (one entry per mentor, `None` to forbid, else
    /// `0..=MAX_SCORE`). Fails, changing nothing, if the row is malformed or forbids the mentee's
    /// pinned pair.
    pub fn rescore(&mut self, mentee: usize, row: &[Option<i64>]) -> Result<(), String> {
        self.check_mentee(mentee)?;
        if let Some(j) = self.pins[mentee] {
            if row.get(j).is_some_and(Option::is_none) {
                return Err(format!(
                    "mentee {mentee} is pinned to mentor {j}; the new scores forbid that pair, unpin it first"
                ));
            }
        }
        self.problem.set_row(mentee, row)?;
        let n = self.pins.len();
        for (j, &s) in self.problem.row_bytes(mentee).iter().enumerate() {
            self.columns[j * n + mentee] = s;
        }
        if self.pins[mentee].is_none() {
            let freed: Vec<usize> = self.solver.take_out(mentee).into_iter().collect();
            self.repair(&freed, &[mentee]);
        }
        Ok(())
    }

    /// An error unless `mentee` and `mentor` are in range.
    fn check_pair(&self, mentee: usize, mentor: usize) -> Result<(), String> {
        self.check_mentee(mentee)?;
        self.check_mentor(mentor)
    }

    /// An error unless `mentee` is in range.
    fn check_mentee(&self, mentee: usize) -> Result<(), String> {
        match mentee < self.pins.len() {
            true => Ok(()),
            false => Err(format!("there is no mentee {mentee}: the problem has {}", self.pins.len())),
        }
    }

    /// An error unless `mentor` is in range.
    fn check_mentor(&self, mentor: usize) -> Result<(), String> {
        match mentor < self.pinned_on.len() {
            true => Ok(()),
            false => Err(format!("there is no mentor {mentor}: the problem has {}", self.pinned_on.len())),
        }
    }

    /// Takes mentees off `mentor` until it is within its free capacity; returns them.
    fn evict(&mut self, mentor: usize) -> Vec<usize> {
        let mut out = Vec::new();
        while self.solver.members[mentor].len() > self.solver.cap[mentor] as usize {
            let e = *self.solver.members[mentor].last().expect("an over-full mentor has members") as usize;
            self.solver.take_out(e);
            out.push(e);
        }
        out
    }

    /// Restores optimality after an edit: the `freed` mentors may have a free slot at a positive
    /// price, the mentees `out` are outside and come back in. Then re-checks what the edit could
    /// have broken, and solves cold if anything is off.
    fn repair(&mut self, freed: &[usize], out: &[usize]) {
        let arcs = Dense { problem: &self.problem, columns: &self.columns };
        let solver = &mut self.solver;
        let (mentees, mentors) = &mut self.lowered;
        mentees.clear();
        mentors.clear();
        for &j in freed {
            while solver.v[j] > 0 && !solver.is_full(j) {
                solver.fill(&arcs, j);
                mentors.extend_from_slice(&solver.set);
            }
        }
        for &i in out {
            solver.add(&arcs, i);
            mentees.extend_from_slice(&solver.tree);
        }
        if !self.sound() {
            self.cold();
        }
    }

    /// Whether complementary slackness holds everywhere (a pass over the mentees and the mentors)
    /// and the prices are still feasible on the rows and columns whose prices went down during the
    /// edit; the Dijkstra searches guarantee both, this guards the invariant.
    fn sound(&mut self) -> bool {
        let (s, p) = (&self.solver, &self.problem);
        if !s.slack(p) || (0..self.pins.len()).any(|i| self.pins[i].is_some() && (s.mentor(i).is_some() || s.u[i] != 0))
        {
            return false;
        }
        let (mentees, mentors) = &mut self.lowered;
        mentees.sort_unstable();
        mentees.dedup();
        mentors.sort_unstable();
        mentors.dedup();
        let bonus = s.bonus;
        // Branch-free folds over whole rows and columns: u[i] + v[j] ≥ bonus + s wherever the pair
        // is allowed in the free problem (pinned mentees are outside and take no part).
        let rows_ok = mentees.iter().all(|&i| {
            let floor = bonus - s.u[i as usize];
            p.row_bytes(i as usize)
                .iter()
                .zip(&s.v)
                .fold(true, |ok, (&sc, &vj)| ok & ((sc == FORBIDDEN) | (vj >= floor + sc as i64)))
        });
        let n = self.pins.len();
        let columns_ok = mentors.iter().all(|&j| {
            let (j, column) = (j as usize, &self.columns[j as usize * n..(j as usize + 1) * n]);
            let floor = bonus - s.v[j];
            column
                .iter()
                .zip(&s.u)
                .zip(&s.outside)
                .fold(true, |ok, ((&sc, &ui), &out)| ok & ((sc == FORBIDDEN) | out | (ui >= floor + sc as i64)))
        });
        rows_ok && columns_ok
    }

    /// Solves the free problem from scratch.
    fn cold(&mut self) {
        self.cold_solves += 1;
        let free = self.free_problem();
        let (mut solver, _) = matching::solve_state(&free, CANDIDATES_PER_MENTEE);
        for (i, pin) in self.pins.iter().enumerate() {
            solver.outside[i] = pin.is_some();
        }
        self.solver = solver;
    }

    /// Counts and sums an assignment on the session's problem.
    fn tally(&self, mentor_of: Vec<Option<usize>>) -> Assignment {
        let mut total_score = 0;
        let mut matched = 0;
        for (i, mj) in mentor_of.iter().enumerate() {
            if let Some(j) = *mj {
                total_score += self.problem.score(i, j).expect("only allowed pairs are used");
                matched += 1;
            }
        }
        Assignment { mentor_of, total_score, matched }
    }
}

/// Every allowed pair of the session's problem, forwards from the row-major matrix and backwards
/// from the column-major copy.
struct Dense<'a> {
    problem: &'a Problem,
    columns: &'a [u8],
}

impl Arcs for Dense<'_> {
    #[inline]
    fn each(&self, mentee: usize, mut f: impl FnMut(usize, i64)) {
        for (j, &s) in self.problem.row_bytes(mentee).iter().enumerate() {
            if s != FORBIDDEN {
                f(j, s as i64);
            }
        }
    }

    #[inline]
    fn each_rev(&self, mentor: usize, mut f: impl FnMut(usize, i64)) {
        let n = self.problem.n_mentees();
        for (i, &s) in self.columns[mentor * n..(mentor + 1) * n].iter().enumerate() {
            if s != FORBIDDEN {
                f(i, s as i64);
            }
        }
    }
}

/// The problem's scores column by column, `out[mentor · n + mentee]`, transposed in tiles that
/// stay in cache.
fn transpose(p: &Problem) -> Vec<u8> {
    const TILE: usize = 64;
    let (n, m) = (p.n_mentees(), p.n_mentors());
    let mut out = vec![FORBIDDEN; n * m];
    for i0 in (0..n).step_by(TILE) {
        for j0 in (0..m).step_by(TILE) {
            for i in i0..(i0 + TILE).min(n) {
                let row = p.row_bytes(i);
                for j in j0..(j0 + TILE).min(m) {
                    out[j * n + i] = row[j];
                }
            }
        }
    }
    out
}

/// "Why not mentor `mentor` for `mentee`?": the exact cost of forcing the pair, against the
/// session's current optimum (with its pins), computed as one warm [`Session::pin`] on a copy of
/// the session (the copy includes the score matrix: about a millisecond at 5 000 × 1 500).
///
/// Costs nothing when the pair is already in the assignment. Fails if the pair is forbidden, the
/// mentor's places are all pinned, or the mentee is pinned to another mentor (the answer would
/// then mix two changes; unpin it first).
pub fn why_not(session: &Session, mentee: usize, mentor: usize) -> Result<ForcedCost, String> {
    session.check_pair(mentee, mentor)?;
    let before = session.assignment();
    if let Some(k) = session.pins[mentee].filter(|&k| k != mentor) {
        return Err(format!("mentee {mentee} is pinned to mentor {k}; unpin it to ask about mentor {mentor}"));
    }
    if before.mentor_of.get(mentee).copied().flatten() == Some(mentor) {
        return Ok(ForcedCost { lost_matches: 0, lost_score: 0, assignment: before });
    }
    let mut forced = session.clone();
    forced.pin(mentee, mentor)?;
    let after = forced.assignment();
    Ok(ForcedCost {
        lost_matches: before.matched - after.matched,
        lost_score: before.total_score - after.total_score,
        assignment: after,
    })
}

#[cfg(test)]
mod tests {
    use super::super::matching::{solve, verify};
    use super::*;

    fn problem(scores: &[&[Option<i64>]], capacity: &[u32]) -> Problem {
        Problem::new(scores.iter().map(|r| r.to_vec()).collect(), capacity.to_vec()).expect("valid problem")
    }

    const X: Option<i64> = None;

    #[test]
    fn pins_hold_and_unpinning_restores_the_optimum() {
        // The optimum crosses over (0→1, 1→0) for 9 + 9; pinning (0, 0) forces 10 + 1.
        let p = problem(&[&[Some(10), Some(9)], &[Some(9), Some(1)]], &[1, 1]);
        let mut s = Session::new(p).unwrap();
        assert_eq!(s.assignment().mentor_of, vec![Some(1), Some(0)]);
        s.pin(0, 0).unwrap();
        let a = s.assignment();
        assert_eq!((a.mentor_of.clone(), a.matched, a.total_score), (vec![Some(0), Some(1)], 2, 11));
        assert_eq!(s.pins(), &[Some(0), None]);
        s.verify().unwrap();
        s.unpin(0).unwrap();
        assert_eq!(s.assignment().total_score, 18);
        s.verify().unwrap();
        assert_eq!(s.cold_solves(), 0);
    }

    #[test]
    fn edits_fail_clearly_and_change_nothing() {
        let p = problem(&[&[Some(10), X], &[Some(9), Some(1)], &[Some(5), Some(5)]], &[1, 1]);
        let mut s = Session::new(p).unwrap();
        let before = (s.assignment(), s.problem().clone());
        assert_eq!(s.pin(0, 1).unwrap_err(), "mentee 0 cannot be pinned to mentor 1: the pair is forbidden");
        s.pin(1, 0).unwrap();
        assert_eq!(
            s.pin(0, 0).unwrap_err(),
            "mentee 0 cannot be pinned to mentor 0: all 1 of the mentor's places are pinned"
        );
        assert_eq!(s.forbid(1, 0).unwrap_err(), "mentee 1 is pinned to mentor 0; unpin the pair before forbidding it");
        assert_eq!(
            s.set_capacity(0, 0).unwrap_err(),
            "mentor 0 has 1 pinned mentees; the capacity cannot go below that"
        );
        assert!(s.rescore(1, &[None, Some(3)]).unwrap_err().contains("forbid that pair"));
        assert!(s.rescore(2, &[Some(101), Some(3)]).unwrap_err().contains("outside 0..=100"));
        assert!(s.rescore(2, &[Some(1)]).unwrap_err().contains("has 1 scores for 2 mentors"));
        assert_eq!(s.unpin(0).unwrap_err(), "mentee 0 is not pinned");
        assert_eq!(s.pin(3, 0).unwrap_err(), "there is no mentee 3: the problem has 3");
        assert_eq!(s.set_capacity(2, 1).unwrap_err(), "there is no mentor 2: the problem has 2");
        s.unpin(1).unwrap();
        assert_eq!((s.assignment(), s.problem().clone()), before);
        s.verify().unwrap();
    }

    #[test]
    fn capacity_and_scores_edits_move_mentees() {
        let p = problem(&[&[Some(10), Some(2)], &[Some(9), Some(1)], &[Some(8), X]], &[2, 1]);
        let mut s = Session::new(p).unwrap();
        let a = s.assignment();
        assert_eq!((a.matched, a.total_score), (3, 19));
        s.set_capacity(0, 1).unwrap();
        let a = s.assignment();
        assert_eq!((a.matched, a.total_score), (2, 11));
        s.rescore(2, &[Some(100), Some(0)]).unwrap();
        assert_eq!(s.assignment().mentor_of, vec![Some(1), None, Some(0)]);
        s.forbid(2, 0).unwrap();
        s.set_capacity(0, 3).unwrap();
        let a = s.assignment();
        assert_eq!((a.mentor_of, a.matched, a.total_score), (vec![Some(0), Some(0), Some(1)], 3, 19));
        s.verify().unwrap();
        assert_eq!(s.cold_solves(), 0);
        // The session's certificate is the one `solve` would check.
        let (fresh, _) = solve(&s.free_problem());
        assert_eq!(fresh.total_score, s.free_assignment().total_score);
        verify(&s.free_problem(), &s.free_assignment(), &s.certificate()).unwrap();
    }

    #[test]
    fn why_not_prices_a_forced_pair() {
        let p = problem(&[&[Some(10), Some(9)], &[Some(9), Some(1)], &[X, Some(3)]], &[1, 2]);
        let s = Session::new(p).unwrap();
        // The optimum: 0→1, 1→0, 2→1 for 21. Forcing (0, 0): 1 then takes mentor 1: 10 + 1 + 3.
        let c = why_not(&s, 0, 0).unwrap();
        assert_eq!((c.lost_matches, c.lost_score), (0, 7));
        assert_eq!(c.assignment.mentor_of, vec![Some(0), Some(1), Some(1)]);
        assert_eq!(why_not(&s, 0, 1).unwrap().lost_score, 0);
        assert!(why_not(&s, 2, 0).unwrap_err().contains("forbidden"));
        // The session itself is untouched.
        assert_eq!(s.assignment().total_score, 21);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::super::matching::solve;
    use super::*;

    /// Small instances: up to 7 mentees × 5 mentors, capacities 0..=3, scores from a few values.
    fn arb_problem() -> impl Strategy<Value = Problem> {
        (0usize..=7, 0usize..=5).prop_flat_map(|(n, m)| {
            (prop::collection::vec(prop::collection::vec(arb_cell(), m), n), prop::collection::vec(0u32..=3, m))
                .prop_map(|(scores, capacity)| Problem::new(scores, capacity).expect("valid problem"))
        })
    }

    fn arb_cell() -> impl Strategy<Value = Option<i64>> {
        prop_oneof![3 => Just(None), 17 => prop::sample::select(vec![0i64, 1, 5, 5, 10, 50, 99, 100]).prop_map(Some)]
    }

    /// An edit; indexes are taken modulo the problem's sizes.
    #[derive(Debug, Clone)]
    enum Edit {
        Pin(usize, usize),
        Unpin(usize),
        Forbid(usize, usize),
        Capacity(usize, u32),
        Rescore(usize, Vec<Option<i64>>),
    }

    fn arb_edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            3 => (0usize..8, 0usize..8).prop_map(|(i, j)| Edit::Pin(i, j)),
            2 => (0usize..8).prop_map(Edit::Unpin),
            2 => (0usize..8, 0usize..8).prop_map(|(i, j)| Edit::Forbid(i, j)),
            2 => (0usize..8, 0u32..=4).prop_map(|(j, c)| Edit::Capacity(j, c)),
            2 => (0usize..8, prop::collection::vec(arb_cell(), 8)).prop_map(|(i, r)| Edit::Rescore(i, r)),
        ]
    }

    /// Exhaustive optimum (matched, total score) by dynamic programming over the mentees and the
    /// remaining capacities.
    fn best(p: &Problem) -> (usize, i64) {
        type Memo = std::collections::HashMap<(usize, Vec<u32>), (usize, i64)>;
        fn go(p: &Problem, i: usize, left: &mut Vec<u32>, memo: &mut Memo) -> (usize, i64) {
            if i == p.n_mentees() {
                return (0, 0);
            }
            if let Some(&r) = memo.get(&(i, left.clone())) {
                return r;
            }
            let mut r = go(p, i + 1, left, memo);
            for j in 0..left.len() {
                if let (Some(s), true) = (p.score(i, j), left[j] > 0) {
                    left[j] -= 1;
                    let (k, t) = go(p, i + 1, left, memo);
                    left[j] += 1;
                    r = r.max((k + 1, t + s));
                }
            }
            memo.insert((i, left.clone()), r);
            r
        }
        go(p, 0, &mut p.capacity.clone(), &mut Default::default())
    }

    /// The best (matched, total) that keeps the pins, by brute force.
    fn best_with_pins(p: &Problem, pins: &[Option<usize>]) -> (usize, i64) {
        let mut free = p.clone();
        let (mut k, mut t) = (0, 0);
        for (i, pin) in pins.iter().enumerate() {
            if let Some(j) = *pin {
                free.forbid_row(i);
                free.capacity[j] -= 1;
                k += 1;
                t += p.score(i, j).expect("a pinned pair is allowed");
            }
        }
        let (bk, bt) = best(&free);
        (k + bk, t + bt)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn warm_edits_match_a_cold_solve(p in arb_problem(), edits in prop::collection::vec(arb_edit(), 0..14)) {
            let (n, m) = (p.n_mentees(), p.n_mentors());
            let mut s = Session::new(p).unwrap();
            for edit in edits {
                let before = (s.assignment(), s.problem().clone(), s.pins().to_vec());
                let result = match (edit.clone(), n, m) {
                    (_, 0, _) | (_, _, 0) => continue,
                    (Edit::Pin(i, j), n, m) => s.pin(i % n, j % m),
                    (Edit::Unpin(i), n, _) => s.unpin(i % n),
                    (Edit::Forbid(i, j), n, m) => s.forbid(i % n, j % m),
                    (Edit::Capacity(j, c), _, m) => s.set_capacity(j % m, c),
                    (Edit::Rescore(i, r), n, m) => s.rescore(i % n, &r[..m]),
                };
                if result.is_err() {
                    prop_assert_eq!(&(s.assignment(), s.problem().clone(), s.pins().to_vec()), &before, "{:?}", edit);
                }
                let a = s.assignment();
                prop_assert_eq!(s.verify(), Ok(()), "{:?}", edit);
                // The pins hold, and the assignment is feasible for the edited problem.
                let mut load = vec![0u32; m];
                for (i, mj) in a.mentor_of.iter().enumerate() {
                    if let Some(j) = *mj {
                        prop_assert!(s.problem().score(i, j).is_some());
                        load[j] += 1;
                    }
                    if let Some(j) = s.pins()[i] {
                        prop_assert_eq!(*mj, Some(j));
                    }
                }
                prop_assert!(load.iter().zip(&s.problem().capacity).all(|(l, c)| l <= c));
                // Equal to a fresh cold solve with the same pins, and to brute force.
                let (fresh, _) = solve(&s.free_problem());
                let pinned = s.pins().iter().filter(|x| x.is_some()).count();
                prop_assert_eq!(a.matched, fresh.matched + pinned);
                prop_assert_eq!(a.total_score - s.free_assignment().total_score + fresh.total_score, a.total_score);
                prop_assert_eq!((a.matched, a.total_score), best_with_pins(s.problem(), s.pins()));
            }
            prop_assert_eq!(s.cold_solves(), 0, "the warm path never needed the fallback");
        }

        #[test]
        fn why_not_is_the_brute_force_loss(p in arb_problem(), i in 0usize..8, j in 0usize..8) {
            let (n, m) = (p.n_mentees(), p.n_mentors());
            if n == 0 || m == 0 {
                return Ok(());
            }
            let (i, j) = (i % n, j % m);
            let s = Session::new(p.clone()).unwrap();
            let optimum = best(&p);
            match why_not(&s, i, j) {
                Ok(c) => {
                    let mut pins = vec![None; n];
                    pins[i] = Some(j);
                    let forced = best_with_pins(&p, &pins);
                    prop_assert_eq!((c.lost_matches, c.lost_score), (optimum.0 - forced.0, optimum.1 - forced.1));
                    prop_assert_eq!(c.assignment.mentor_of[i], Some(j));
                    prop_assert_eq!((c.assignment.matched, c.assignment.total_score), forced);
                }
                Err(e) => prop_assert!(p.score(i, j).is_none() || p.capacity[j] == 0, "{}", e),
            }
        }
    }
}
