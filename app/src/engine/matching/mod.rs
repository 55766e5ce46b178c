//! Mentor–mentee assignment: who is paired with whom, with a proof that no better pairing exists.
//!
//! A [`Problem`] gives a score for every (mentee, mentor) pair, or `None` where a hard rule forbids
//! the pair, and a capacity per mentor. [`solve`] picks at most one mentor per mentee, keeps every
//! mentor within capacity, and maximises, in this order:
//!
//! 1. the number of matched mentees, then
//! 2. the total score of the matched pairs.
//!
//! Any mentee may stay unassigned. The two goals are folded into one weight per pair,
//! `w[i][j] = bonus + score[i][j]`, with a `bonus` ([`match_bonus`]) so large that one more match
//! outweighs any difference in scores; an unassigned mentee is worth 0.
//!
//! Besides the [`Assignment`], [`solve`] returns a [`Certificate`]: dual prices that prove the
//! assignment optimal. [`verify`] checks the assignment and the certificate directly against the
//! problem, without trusting the solver.
//!
//! # The linear program behind the certificate
//!
//! With `x[i][j]` the share of mentee `i` given to mentor `j` (allowed pairs only):
//!
//! ```text
//! primal:  maximise  Σ w[i][j]·x[i][j]
//!          subject to Σ_j x[i][j] ≤ 1        for every mentee i        (dual price u[i])
//!                     Σ_i x[i][j] ≤ cap[j]   for every mentor j        (dual price v[j])
//!                     x ≥ 0
//!
//! dual:    minimise  Σ u[i] + Σ cap[j]·v[j]
//!          subject to u[i] + v[j] ≥ w[i][j]   for every allowed pair
//!                     u ≥ 0, v ≥ 0
//! ```
//!
//! The constraint matrix is that of a bipartite graph, hence totally unimodular: the primal has an
//! integral optimum, and an integral `x` is an assignment. By weak duality every assignment is
//! worth at most `Σ u[i] + Σ cap[j]·v[j]` for any feasible `(u, v)`. An assignment and feasible
//! duals that satisfy complementary slackness,
//!
//! ```text
//! x[i][j] = 1  ⇒  u[i] + v[j] = w[i][j]
//! u[i] > 0     ⇒  mentee i is matched
//! v[j] > 0     ⇒  mentor j is full
//! ```
//!
//! have equal primal and dual objectives, so the assignment is optimal.
//!
//! # The algorithm
//!
//! Successive shortest paths on the flow network source → mentee (capacity 1) → mentor (allowed
//! pairs, cost `−w`) → sink (capacity `cap[j]`, one node per mentor, slots are not duplicated),
//! plus an "unassigned" arc from each mentee to the sink of cost 0, with the dual prices `u`, `v`
//! as the node potentials (Johnson), so that every search is a Dijkstra search on non-negative
//! reduced costs. Two kinds of search, one from each side:
//!
//! * [`Solver::add`] brings a mentee in along a shortest augmenting path. The path ends at a
//!   mentor with a free slot, or through the "unassigned" arc of some mentee on the path: the
//!   cheapest way to make room may be to leave someone (the newcomer or a displaced mentee)
//!   unassigned.
//! * [`Solver::fill`] fills a free slot of a mentor whose price is positive, searching backwards:
//!   it ends at an unassigned mentee whose arc into the search becomes tight, or where a mentor's
//!   price reaches 0 (that mentor keeps a free slot, which is then allowed).
//!
//! After each search the prices stay dual feasible and complementary slackness holds for every
//! node brought in, so the final prices are the certificate. A search is short when the side it
//! runs towards has free places: with at least as many slots as mentees, the mentees are brought in
//! one by one; with fewer slots (5 000 mentees for 4 500 slots), every mentor starts at its best
//! weight with every mentee unassigned, and the mentors' slots are filled one by one, each search
//! ending at one of the many unassigned mentees. At equal distance both searches take first what
//! ends them, which keeps them short when scores tie. The priority queue is a radix heap (the keys
//! are integers and Dijkstra pops them in order), and an entry that cannot come before the best
//! end found so far is never queued.
//!
//! [`solve_dense`] searches over every allowed pair. [`solve`] starts on a sparse candidate graph
//! (each mentee's best [`CANDIDATES_PER_MENTEE`] mentors, each mentor's best `2 · capacity`
//! mentees, ties spread by a pseudo-random low byte of the key), then prices every allowed pair
//! against the duals: a pair with `u[i] + v[j] < w[i][j]` might improve the assignment, so the most
//! violated such pairs join the graph and it is solved again. When no pair is left, the prices are
//! feasible for the full problem and the certificate holds for it. Later rounds start warm: the
//! mentees that gained arcs are taken out, the mentors they leave are refilled, and the mentees are
//! brought back in; should complementary slackness still fail, the round is solved from scratch.
//! The passes over the matrix (first picks, pricing) work on blocks of 32 pairs with
//! branch-free code the compiler turns into vector instructions, and look at single pairs only in
//! the rare blocks that hold a candidate. At 5 000 mentees × 1 500 mentors of capacity 3 the
//! realistic benchmark takes three rounds.
//!
//! The warm `Session` (in `warm.rs`) keeps this state between edits of the board.
//!
//! # Files
//!
//! * this file: the [`Problem`], the public results ([`Assignment`], [`Certificate`]), the entry
//!   points [`solve`] and [`solve_dense`], and [`verify`], which checks a result without trusting
//!   the solver (it reads only the problem, so it stays next to it);
//! * `shortest_paths.rs`: the successive-shortest-paths [`Solver`] and its two Dijkstra searches;
//! * `radix_heap.rs`: the monotone priority queue those searches pop from;
//! * `candidates.rs`: the sparse candidate graph of [`solve`], its first picks and pricing rounds;
//! * `tests.rs`: unit and property tests (against an exhaustive oracle).

mod candidates;
mod radix_heap;
mod shortest_paths;
#[cfg(test)]
mod tests;

pub(super) use candidates::solve_state;
use shortest_paths::AllPairs;
pub(super) use shortest_paths::{Arcs, Solver};

/// The highest score a pair may have; scores run from 0 to this.
pub const MAX_SCORE: i64 = 100;

/// How a forbidden pair is stored in the score matrix.
pub(super) const FORBIDDEN: u8 = u8::MAX;

/// An assignment problem: pair scores and mentor capacities.
///
/// The scores are kept as one flat row-major matrix of bytes (0..=100, with a sentinel for a
/// forbidden pair): 7.5 MB for 5 000 mentees × 1 500 mentors, where a `Vec<Vec<Option<i64>>>`
/// took 120 MB and most of the solver's time went into reading it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problem {
    /// The number of mentees (rows).
    n: usize,
    /// The number of mentors (columns) the matrix was built with.
    m: usize,
    /// `scores[mentee · m + mentor]`: the score, or [`FORBIDDEN`].
    scores: Vec<u8>,
    /// How many mentees each mentor takes at most; the length is the number of mentors (it must
    /// stay equal to the number of score columns, which [`Problem::check`] tells).
    pub capacity: Vec<u32>,
}

impl Problem {
    /// A problem from its scores (`scores[mentee][mentor]`, higher is better, `None` where a hard
    /// rule forbids the pair) and capacities, checking that every row has one entry per mentor and
    /// that every score lies in `0..=MAX_SCORE`.
    pub fn new(scores: Vec<Vec<Option<i64>>>, capacity: Vec<u32>) -> Result<Problem, String> {
        let (n, m) = (scores.len(), capacity.len());
        let mut flat = Vec::with_capacity(n * m);
        for (i, row) in scores.iter().enumerate() {
            if row.len() != m {
                return Err(format!("mentee {i} has {} scores for {m} mentors", row.len()));
            }
            for (j, &s) in row.iter().enumerate() {
                flat.push(encode(i, j, s)?);
            }
        }
        Ok(Problem { n, m, scores: flat, capacity })
    }

    /// A problem from a flat row-major byte matrix already in range (scores 0..=100,
    /// [`FORBIDDEN`] elsewhere); for [`super::scoring::score_matrix`].
    pub(super) fn from_bytes(n: usize, scores: Vec<u8>, capacity: Vec<u32>) -> Problem {
        let m = capacity.len();
        assert_eq!(scores.len(), n * m, "one score per pair");
        debug_assert!(scores.iter().all(|&s| s == FORBIDDEN || s as i64 <= MAX_SCORE));
        Problem { n, m, scores, capacity }
    }

    /// Checks that there is still one capacity per score column (the capacities are public).
    pub fn check(&self) -> Result<(), String> {
        if self.capacity.len() != self.m {
            return Err(format!("the problem has {} capacities for {} mentors", self.capacity.len(), self.m));
        }
        Ok(())
    }

    /// The score of a pair, `None` when a hard rule forbids it. Panics if either index is out of
    /// range.
    #[inline]
    pub fn score(&self, mentee: usize, mentor: usize) -> Option<i64> {
        let s = self.row_bytes(mentee)[mentor];
        (s != FORBIDDEN).then_some(s as i64)
    }

    /// Mentee `mentee`'s scores, one per mentor (`None` where forbidden).
    pub fn row(&self, mentee: usize) -> impl ExactSizeIterator<Item = Option<i64>> + '_ {
        self.row_bytes(mentee).iter().map(|&s| (s != FORBIDDEN).then_some(s as i64))
    }

    /// The whole matrix as rows of `Option`s, the shape [`Problem::new`] takes.
    pub fn to_rows(&self) -> Vec<Vec<Option<i64>>> {
        (0..self.n).map(|i| self.row(i).collect()).collect()
    }

    /// Sets the score of one pair (`None` forbids it); the score must lie in `0..=MAX_SCORE`.
    pub fn set_score(&mut self, mentee: usize, mentor: usize, score: Option<i64>) -> Result<(), String> {
        self.in_range(mentee, mentor)?;
        self.scores[mentee * self.m + mentor] = encode(mentee, mentor, score)?;
        Ok(())
    }

    /// Replaces mentee `mentee`'s row of scores; it must have one entry per mentor, each in
    /// `0..=MAX_SCORE` or `None`. Nothing changes on error.
    pub fn set_row(&mut self, mentee: usize, row: &[Option<i64>]) -> Result<(), String> {
        self.in_range(mentee, 0)?;
        if row.len() != self.m {
            return Err(format!("the new row of mentee {mentee} has {} scores for {} mentors", row.len(), self.m));
        }
        let bytes = row.iter().enumerate().map(|(j, &s)| encode(mentee, j, s)).collect::<Result<Vec<u8>, String>>()?;
        self.scores[mentee * self.m..(mentee + 1) * self.m].copy_from_slice(&bytes);
        Ok(())
    }

    /// Forbids every pair of mentee `mentee`.
    pub(super) fn forbid_row(&mut self, mentee: usize) {
        self.scores[mentee * self.m..(mentee + 1) * self.m].fill(FORBIDDEN);
    }

    /// An error unless `mentee` and `mentor` name a mentee and a mentor of the problem (`mentor`
    /// is not checked when there are no mentors).
    fn in_range(&self, mentee: usize, mentor: usize) -> Result<(), String> {
        if mentee >= self.n {
            return Err(format!("there is no mentee {mentee}: the problem has {}", self.n));
        }
        if mentor >= self.m && self.m > 0 {
            return Err(format!("there is no mentor {mentor}: the problem has {}", self.m));
        }
        Ok(())
    }

    /// Mentee `mentee`'s row of the byte matrix.
    #[inline]
    pub(super) fn row_bytes(&self, mentee: usize) -> &[u8] {
        &self.scores[mentee * self.m..(mentee + 1) * self.m]
    }

    /// The number of mentees.
    pub fn n_mentees(&self) -> usize {
        self.n
    }

    /// The number of mentors.
    pub fn n_mentors(&self) -> usize {
        self.capacity.len()
    }

    /// Panics unless the capacities still match the score columns.
    fn check_shape(&self) {
        if let Err(e) = self.check() {
            panic!("{e}");
        }
    }
}

/// A score as stored in the matrix, checking its range.
fn encode(i: usize, j: usize, s: Option<i64>) -> Result<u8, String> {
    match s {
        None => Ok(FORBIDDEN),
        Some(s) if (0..=MAX_SCORE).contains(&s) => Ok(s as u8),
        Some(s) => Err(format!("score of mentee {i} with mentor {j} is {s}, outside 0..={MAX_SCORE}")),
    }
}

/// Who is paired with whom.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    /// The mentor of each mentee, `None` when the mentee stays unassigned.
    pub mentor_of: Vec<Option<usize>>,
    /// The sum of the scores of the matched pairs.
    pub total_score: i64,
    /// How many mentees have a mentor.
    pub matched: usize,
}

/// Dual prices proving an [`Assignment`] optimal; see the module documentation for the LP.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Certificate {
    /// The value of a match on top of its score: pair weights are `bonus + score`.
    pub bonus: i64,
    /// One price per mentee (`u[i] ≥ 0`): what the mentee's place in the assignment is worth.
    pub mentee_price: Vec<i64>,
    /// One price per mentor (`v[j] ≥ 0`): what one slot of the mentor is worth.
    pub mentor_price: Vec<i64>,
}

/// The value of one match on top of its score, large enough that one more match beats any gain in
/// total score: `(MAX_SCORE + 1) · (n_mentees + 1)`. It depends on the number of mentees only, so
/// editing scores keeps it (and the prices of the warm `Session` in `warm.rs`) valid.
pub fn match_bonus(p: &Problem) -> i64 {
    (MAX_SCORE + 1) * (p.n_mentees() as i64 + 1)
}

/// How many of its best mentors each mentee starts with in [`solve`].
pub const CANDIDATES_PER_MENTEE: usize = 12;

/// Finds an optimal assignment (most matches, then highest total score) and the dual prices that
/// prove it.
///
/// Works on a sparse candidate graph first: each mentee's [`CANDIDATES_PER_MENTEE`] best mentors
/// and each mentor's `2 · capacity` best mentees. It then prices every allowed pair against the
/// duals; pairs with `u[i] + v[j] < w[i][j]` could improve the assignment, so they join the graph
/// and the graph is solved again, until no pair is left. The result is then optimal for the full
/// problem, with the same guarantee as [`solve_dense`].
///
/// Panics if the capacities no longer have one entry per score column ([`Problem::check`] tells),
/// or with 5 million mentees or more (the pricing pass keeps its keys in 32 bits).
pub fn solve(p: &Problem) -> (Assignment, Certificate) {
    let (solver, _) = solve_state(p, CANDIDATES_PER_MENTEE);
    solver.finish(p)
}

/// [`solve`] starting from each mentee's `per_mentee` best mentors; also returns how many times
/// the candidate graph was solved.
#[cfg(test)]
fn solve_sparse(p: &Problem, per_mentee: usize) -> (Assignment, Certificate, usize) {
    let (solver, rounds) = solve_state(p, per_mentee);
    let (a, c) = solver.finish(p);
    (a, c, rounds)
}

/// The same optimum as [`solve`], searching every allowed pair directly: simpler, and slower on
/// large problems. A reference for tests.
///
/// Panics if the capacities no longer have one entry per score column.
pub fn solve_dense(p: &Problem) -> (Assignment, Certificate) {
    p.check_shape();
    let mut solver = Solver::new(p.n_mentees(), &p.capacity, match_bonus(p));
    solver.cold(&AllPairs(p));
    solver.finish(p)
}

/// Checks an assignment and its certificate against the problem alone, trusting nothing the
/// solver computed: the assignment is feasible and adds up, the bonus makes the objective
/// lexicographic, the prices are dual feasible, and complementary slackness (hence strong duality)
/// holds. `Ok` proves the assignment optimal; the error says which condition fails where.
pub fn verify(p: &Problem, a: &Assignment, c: &Certificate) -> Result<(), String> {
    let n = p.n_mentees();
    let m = p.n_mentors();
    p.check().map_err(|e| format!("problem: {e}"))?;
    if a.mentor_of.len() != n {
        return Err(format!("assignment covers {} mentees, the problem has {n}", a.mentor_of.len()));
    }
    if c.mentee_price.len() != n || c.mentor_price.len() != m {
        return Err(format!(
            "certificate has {} mentee and {} mentor prices for {n} mentees and {m} mentors",
            c.mentee_price.len(),
            c.mentor_price.len()
        ));
    }

    // (a) Feasibility of the assignment.
    let mut load = vec![0u64; m];
    let mut total: i128 = 0;
    let mut matched = 0usize;
    for (i, mj) in a.mentor_of.iter().enumerate() {
        let Some(j) = *mj else { continue };
        if j >= m {
            return Err(format!("mentee {i} is assigned to mentor {j}, but there are {m} mentors"));
        }
        let Some(s) = p.score(i, j) else {
            return Err(format!("mentee {i} is assigned to mentor {j}, a forbidden pair"));
        };
        load[j] += 1;
        total += s as i128;
        matched += 1;
    }
    for (j, &n) in load.iter().enumerate() {
        if n > p.capacity[j] as u64 {
            return Err(format!("mentor {j} has {n} mentees, over capacity {}", p.capacity[j]));
        }
    }
    if matched != a.matched {
        return Err(format!("assignment says {} matched, but {matched} mentees have a mentor", a.matched));
    }
    if total != a.total_score as i128 {
        return Err(format!("assignment says total score {}, but the pairs add up to {total}", a.total_score));
    }

    // The bonus must make one more match worth more than any score difference:
    // (k+1)(bonus + lo) > k(bonus + hi) for every k < n, i.e. bonus + lo > (n-1)(hi - lo), and
    // bonus + lo > 0 so that a match always beats leaving the mentee unassigned.
    let bonus = c.bonus as i128;
    let (lo, hi) = p.scores.iter().fold((u8::MAX, 0u8), |(lo, hi), &s| match s {
        FORBIDDEN => (lo, hi),
        s => (lo.min(s), hi.max(s)),
    });
    if lo <= hi {
        let (lo, hi) = (lo as i128, hi as i128);
        let need = ((n as i128 - 1) * (hi - lo)).max(0);
        if bonus + lo <= need {
            return Err(format!(
                "bonus {bonus} is too small: with scores in {lo}..={hi} and {n} mentees, bonus + {lo} must exceed {need}"
            ));
        }
    }

    // (b) Dual feasibility.
    let u: Vec<i128> = c.mentee_price.iter().map(|&x| x as i128).collect();
    let v: Vec<i128> = c.mentor_price.iter().map(|&x| x as i128).collect();
    if let Some(i) = u.iter().position(|&x| x < 0) {
        return Err(format!("dual: mentee price u[{i}] = {} is negative", u[i]));
    }
    if let Some(j) = v.iter().position(|&x| x < 0) {
        return Err(format!("dual: mentor price v[{j}] = {} is negative", v[j]));
    }
    for (i, &ui) in u.iter().enumerate() {
        for (j, &s) in p.row_bytes(i).iter().enumerate() {
            if s != FORBIDDEN {
                let w = bonus + s as i128;
                if ui + v[j] < w {
                    return Err(format!(
                        "dual: u[{i}] + v[{j}] = {ui} + {} < w[{i}][{j}] = {w} (bonus + score {s})",
                        v[j]
                    ));
                }
            }
        }
    }

    // Complementary slackness.
    for (i, mj) in a.mentor_of.iter().enumerate() {
        match *mj {
            Some(j) => {
                let w = bonus + p.score(i, j).unwrap_or_default() as i128;
                if u[i] + v[j] != w {
                    return Err(format!(
                        "slackness: mentee {i} is with mentor {j} but u[{i}] + v[{j}] = {} + {} ≠ w[{i}][{j}] = {w}",
                        u[i], v[j]
                    ));
                }
            }
            None if u[i] > 0 => {
                return Err(format!("slackness: mentee {i} is unassigned but its price u[{i}] = {} > 0", u[i]));
            }
            None => {}
        }
    }
    for j in 0..m {
        if v[j] > 0 && load[j] < p.capacity[j] as u64 {
            return Err(format!(
                "slackness: mentor {j} has a free slot ({} of {}) but its price v[{j}] = {} > 0",
                load[j], p.capacity[j], v[j]
            ));
        }
    }

    // Strong duality, implied by the above; checked for good measure.
    let primal: i128 = bonus * matched as i128 + total;
    let dual: i128 = u.iter().sum::<i128>() + v.iter().zip(&p.capacity).map(|(&vj, &cj)| vj * cj as i128).sum::<i128>();
    if primal != dual {
        return Err(format!("duality gap: assignment is worth {primal}, the prices bound it by {dual}"));
    }
    Ok(())
}
