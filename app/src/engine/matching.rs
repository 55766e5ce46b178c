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

/// The highest score a pair may have; scores run from 0 to this.
pub const MAX_SCORE: i64 = 100;

/// How a forbidden pair is stored in the score matrix.
pub(super) const FORBIDDEN: u8 = u8::MAX;

/// "No mentor" (or no mentee) in the solver's `u32` indexes.
const NONE: u32 = u32::MAX;

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
    pub(super) fn in_range(&self, mentee: usize, mentor: usize) -> Result<(), String> {
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

/// The arcs the solver may use, forwards (per mentee) and backwards (per mentor).
pub(super) trait Arcs {
    /// Calls `f(mentor, score)` for every usable arc of `mentee`.
    fn each(&self, mentee: usize, f: impl FnMut(usize, i64));
    /// Calls `f(mentee, score)` for every usable arc of `mentor`.
    fn each_rev(&self, mentor: usize, f: impl FnMut(usize, i64));
}

/// Every allowed pair of the problem.
pub(super) struct AllPairs<'a>(pub(super) &'a Problem);

impl Arcs for AllPairs<'_> {
    #[inline]
    fn each(&self, mentee: usize, mut f: impl FnMut(usize, i64)) {
        for (j, &s) in self.0.row_bytes(mentee).iter().enumerate() {
            if s != FORBIDDEN {
                f(j, s as i64);
            }
        }
    }

    fn each_rev(&self, mentor: usize, mut f: impl FnMut(usize, i64)) {
        let m = self.0.m;
        for i in 0..self.0.n {
            let s = self.0.scores[i * m + mentor];
            if s != FORBIDDEN {
                f(i, s as i64);
            }
        }
    }
}

/// A subset of the allowed pairs, per mentee and per mentor (compressed rows), each arc packed as
/// `index << 8 | score`.
struct Sparse {
    fwd_start: Vec<u32>,
    fwd: Vec<u32>,
    rev_start: Vec<u32>,
    rev: Vec<u32>,
}

impl Sparse {
    /// The graph of the given pairs, packed `mentee << 32 | mentor << 8 | score`; sorts and
    /// deduplicates them in place.
    fn new(n: usize, m: usize, pairs: &mut Vec<u64>) -> Sparse {
        // A stable sort finds the sorted runs: the pairs of earlier rounds, then the few new.
        pairs.sort();
        pairs.dedup();
        let mut fwd_start = vec![0u32; n + 1];
        let mut rev_start = vec![0u32; m + 1];
        for &x in pairs.iter() {
            fwd_start[(x >> 32) as usize + 1] += 1;
            rev_start[((x >> 8) & 0xff_ffff) as usize + 1] += 1;
        }
        for i in 0..n {
            fwd_start[i + 1] += fwd_start[i];
        }
        for j in 0..m {
            rev_start[j + 1] += rev_start[j];
        }
        let fwd = pairs.iter().map(|&x| x as u32).collect();
        let mut next = rev_start.clone();
        let mut rev = vec![0u32; pairs.len()];
        for &x in pairs.iter() {
            let j = ((x >> 8) & 0xff_ffff) as usize;
            rev[next[j] as usize] = ((x >> 32) as u32) << 8 | (x & 0xff) as u32;
            next[j] += 1;
        }
        Sparse { fwd_start, fwd, rev_start, rev }
    }
}

impl Arcs for Sparse {
    #[inline]
    fn each(&self, mentee: usize, mut f: impl FnMut(usize, i64)) {
        for &a in &self.fwd[self.fwd_start[mentee] as usize..self.fwd_start[mentee + 1] as usize] {
            f((a >> 8) as usize, (a & 0xff) as i64);
        }
    }

    #[inline]
    fn each_rev(&self, mentor: usize, mut f: impl FnMut(usize, i64)) {
        for &a in &self.rev[self.rev_start[mentor] as usize..self.rev_start[mentor + 1] as usize] {
            f((a >> 8) as usize, (a & 0xff) as i64);
        }
    }
}

/// A monotone priority queue of `(key, item)` for Dijkstra's searches (a radix heap): every key
/// pushed must be at least the last key popped (a smaller one is raised to it). Push is O(1), pop
/// amortised O(log key range): bucket `b > 0` holds the keys whose highest bit differing from the
/// last popped key is bit `b − 1`, bucket 0 the keys equal to it.
#[derive(Debug, Clone, Default)]
pub(super) struct RadixHeap {
    last: u64,
    buckets: Vec<Vec<(u64, u32)>>,
    /// Bit `b` is set when bucket `b` is not empty.
    full: u128,
}

impl RadixHeap {
    fn new() -> RadixHeap {
        RadixHeap { last: 0, buckets: vec![Vec::new(); 65], full: 0 }
    }

    #[inline]
    fn bucket(&self, key: u64) -> usize {
        64 - (key ^ self.last).leading_zeros() as usize
    }

    #[inline]
    fn push(&mut self, key: u64, item: u32) {
        let key = key.max(self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, item));
        self.full |= 1 << b;
    }

    /// Takes out an entry with the smallest key.
    #[inline]
    fn pop(&mut self) -> Option<(u64, u32)> {
        if self.full & 1 == 0 {
            if self.full == 0 {
                return None;
            }
            // Move the first non-empty bucket's entries down, around its smallest key.
            let b = self.full.trailing_zeros() as usize;
            let entries = std::mem::take(&mut self.buckets[b]);
            self.full &= !(1 << b);
            self.last = entries.iter().map(|e| e.0).min().expect("a non-empty bucket");
            for &(key, item) in &entries {
                let to = self.bucket(key);
                self.buckets[to].push((key, item));
                self.full |= 1 << to;
            }
            // Keep the allocation for later.
            let mut entries = entries;
            entries.clear();
            if self.buckets[b].is_empty() {
                self.buckets[b] = entries;
            }
        }
        let e = self.buckets[0].pop();
        if self.buckets[0].is_empty() {
            self.full &= !1;
        }
        e
    }

    fn clear(&mut self) {
        while self.full != 0 {
            let b = self.full.trailing_zeros() as usize;
            self.buckets[b].clear();
            self.full &= !(1 << b);
        }
        self.last = 0;
    }
}

/// Where a shortest augmenting path ends.
enum End {
    /// At a mentor with a free slot.
    Mentor(usize),
    /// Through the "unassigned" arc of this mentee.
    Unassigned(usize),
}

/// The state of the successive-shortest-paths solver: an assignment, prices, and scratch space for
/// the searches. Also the state the warm `Session` (in `warm.rs`) keeps between edits.
#[derive(Debug, Clone)]
pub(super) struct Solver {
    pub(super) bonus: i64,
    /// The capacity of each mentor in the problem being solved.
    pub(super) cap: Vec<u32>,
    /// Mentee prices: the potentials of the mentee nodes.
    pub(super) u: Vec<i64>,
    /// Mentor prices: the potentials of the mentor nodes.
    pub(super) v: Vec<i64>,
    /// Each mentee's mentor, [`NONE`] if unassigned.
    pub(super) mentor_of: Vec<u32>,
    /// Each mentor's mentees.
    pub(super) members: Vec<Vec<u32>>,
    /// Mentees not (or not yet) part of the problem: no search may use them.
    pub(super) outside: Vec<bool>,

    // Forward (mentee-side) Dijkstra scratch; only the touched entries are reset between searches.
    /// Tentative distance to each mentor.
    dist: Vec<i64>,
    /// The tree mentee the best path to each mentor comes from.
    via: Vec<u32>,
    /// The mentor's distance is final.
    done: Vec<bool>,
    /// Mentors with a finite distance.
    touched: Vec<u32>,
    /// Mentors with a final distance, in order.
    visited: Vec<u32>,
    /// Mentees on the search tree (their prices went down).
    pub(super) tree: Vec<u32>,
    /// Distance of each tree mentee.
    label: Vec<i64>,
    /// `distance << 1 | full?` and mentor: at equal distance a mentor with a free slot comes first.
    heap: RadixHeap,
    /// The cheapest "unassigned" exit so far: `(distance, mentee)`.
    exit: (i64, u32),

    // Backward (mentor-side) Dijkstra scratch, see [`Solver::fill`].
    /// The mentor is in the search set.
    in_set: Vec<bool>,
    /// The distance at which each mentor of the set joined.
    joined: Vec<i64>,
    /// For a mentor of the set (other than the start): the member that would leave it, and the
    /// mentor that member would move to.
    came: Vec<(u32, u32)>,
    /// The mentors of the search set, in order (their prices went down).
    pub(super) set: Vec<u32>,
    /// Each mentee's tentative distance to the set.
    key: Vec<i64>,
    /// The set mentor of the best arc of each keyed mentee.
    toward: Vec<u32>,
    /// Mentees with a finite key.
    keyed: Vec<u32>,
    /// `key << 2 | kind` and `kind << 30 | index`: kind 0 is a mentor of the set whose price
    /// reaches 0, kind 1 an unassigned mentee, kind 2 an assigned one: at equal keys, what ends the
    /// search comes first.
    bheap: RadixHeap,
    /// The smallest entry so far that ends the search (a stop, or an unassigned mentee).
    end: u64,
}

impl Solver {
    pub(super) fn new(n: usize, capacity: &[u32], bonus: i64) -> Solver {
        let m = capacity.len();
        Solver {
            bonus,
            cap: capacity.to_vec(),
            u: vec![0; n],
            v: vec![0; m],
            mentor_of: vec![NONE; n],
            members: vec![Vec::new(); m],
            outside: vec![false; n],
            dist: vec![i64::MAX; m],
            via: vec![NONE; m],
            done: vec![false; m],
            touched: Vec::new(),
            visited: Vec::new(),
            tree: Vec::new(),
            label: vec![0; n],
            heap: RadixHeap::new(),
            exit: (0, 0),
            in_set: vec![false; m],
            joined: vec![0; m],
            came: vec![(NONE, NONE); m],
            set: Vec::new(),
            key: vec![i64::MAX; n],
            toward: vec![NONE; n],
            keyed: Vec::new(),
            bheap: RadixHeap::new(),
            end: u64::MAX,
        }
    }

    /// Forgets the assignment and the prices (keeps the capacities and the `outside` marks).
    fn reset(&mut self) {
        self.u.fill(0);
        self.v.fill(0);
        self.mentor_of.fill(NONE);
        for list in &mut self.members {
            list.clear();
        }
    }

    #[inline]
    pub(super) fn is_full(&self, j: usize) -> bool {
        self.members[j].len() >= self.cap[j] as usize
    }

    /// The mentor of mentee `i`, if any.
    #[inline]
    pub(super) fn mentor(&self, i: usize) -> Option<usize> {
        (self.mentor_of[i] != NONE).then_some(self.mentor_of[i] as usize)
    }

    /// Puts mentee `i` on the tree at distance `d` and relaxes its arcs.
    #[inline]
    fn scan(&mut self, arcs: &impl Arcs, i: usize, d: i64) {
        self.tree.push(i as u32);
        self.label[i] = d;
        if d + self.u[i] < self.exit.0 {
            self.exit = (d + self.u[i], i as u32);
        }
        let base = d + self.u[i] - self.bonus;
        let exit = self.exit.0;
        arcs.each(i, |j, s| {
            let reduced = base + self.v[j] - s;
            // A mentor at or beyond the cheapest exit can never end or extend the path.
            if reduced < self.dist[j] && reduced < exit && !self.done[j] {
                if self.dist[j] == i64::MAX {
                    self.touched.push(j as u32);
                }
                self.dist[j] = reduced;
                self.via[j] = i as u32;
                let full = self.members[j].len() >= self.cap[j] as usize;
                debug_assert!(reduced >= 0, "reduced costs are non-negative");
                self.heap.push((reduced as u64) << 1 | full as u64, j as u32);
            }
        });
    }

    /// Brings mentee `k` in along a shortest augmenting path. The state must be optimal for the
    /// problem without `k`: prices feasible on every arc of the mentees in, complementary
    /// slackness everywhere.
    pub(super) fn add(&mut self, arcs: &impl Arcs, k: usize) {
        self.outside[k] = false;
        // The tightest feasible price for the newcomer: its best surplus over the mentor prices.
        let mut uk = 0;
        arcs.each(k, |j, s| uk = uk.max(self.bonus + s - self.v[j]));
        self.u[k] = uk;

        for &j in &self.touched {
            self.dist[j as usize] = i64::MAX;
            self.done[j as usize] = false;
        }
        self.touched.clear();
        self.visited.clear();
        self.tree.clear();
        self.heap.clear();
        self.exit = (uk, k as u32);

        self.scan(arcs, k, 0);
        let (delta, end) = loop {
            // The closest mentor not yet final, skipping stale heap entries.
            let next = loop {
                match self.heap.pop() {
                    Some((key, j)) if self.done[j as usize] || (key >> 1) as i64 != self.dist[j as usize] => {}
                    other => break other,
                }
            };
            let (dj, j) = match next {
                Some((key, j)) if ((key >> 1) as i64) < self.exit.0 => ((key >> 1) as i64, j as usize),
                _ => break (self.exit.0, End::Unassigned(self.exit.1 as usize)),
            };
            self.done[j] = true;
            self.visited.push(j as u32);
            if !self.is_full(j) {
                break (dj, End::Mentor(j));
            }
            // A full mentor: its mentees join the tree at the same distance (their arcs are tight).
            for t in 0..self.members[j].len() {
                let i = self.members[j][t] as usize;
                self.scan(arcs, i, dj);
            }
        };

        // Shift the potentials: reduced costs stay non-negative, the path becomes tight.
        for &i in &self.tree {
            self.u[i as usize] -= delta - self.label[i as usize];
        }
        for &j in &self.visited {
            self.v[j as usize] += delta - self.dist[j as usize];
        }

        // Flip the path.
        let mut j = match end {
            End::Mentor(j) => j,
            End::Unassigned(e) if e == k => return,
            End::Unassigned(e) => {
                let j0 = self.mentor(e).expect("a tree mentee other than the newcomer is matched");
                self.detach(e);
                j0
            }
        };
        loop {
            let i = self.via[j] as usize;
            let previous = self.mentor(i);
            self.attach(i, j);
            match previous {
                None => return, // the newcomer
                Some(pj) => {
                    self.members[pj].retain(|&x| x as usize != i);
                    j = pj;
                }
            }
        }
    }

    /// Fills a free slot of mentor `j0` whose price is positive, or lowers the price to 0: a
    /// Dijkstra search backwards. Mentors on the search lower their price and their members raise
    /// theirs by the same amount, which keeps matched pairs tight, until an arc from an unassigned
    /// mentee into the search becomes tight (it moves in, members shift along the path towards
    /// `j0`) or a mentor's price reaches 0 (its member shifts along the path and it keeps the free
    /// slot at price 0). The state must be optimal except for `j0`'s free slot.
    pub(super) fn fill(&mut self, arcs: &impl Arcs, j0: usize) {
        for &i in &self.keyed {
            self.key[i as usize] = i64::MAX;
        }
        self.keyed.clear();
        for &j in &self.set {
            self.in_set[j as usize] = false;
        }
        self.set.clear();
        self.bheap.clear();
        self.end = u64::MAX;

        self.join(arcs, j0, 0);
        let (delta, mut jj, filler) = loop {
            let (k2, x) = self.bheap.pop().expect("the stop at j0 is on the heap");
            let (k, kind, x) = ((k2 >> 2) as i64, x >> 30, (x & ((1 << 30) - 1)) as usize);
            if kind == 0 {
                break (k, x, None);
            }
            if k != self.key[x] {
                continue;
            }
            match self.mentor(x) {
                None => break (k, self.toward[x] as usize, Some(x)),
                Some(j) if self.in_set[j] => continue,
                Some(j) => {
                    self.came[j] = (x as u32, self.toward[x]);
                    self.join(arcs, j, k);
                }
            }
        };
        for t in 0..self.set.len() {
            let j = self.set[t] as usize;
            let d = delta - self.joined[j];
            self.v[j] -= d;
            for &i in &self.members[j] {
                self.u[i as usize] += d;
            }
        }
        if let Some(i) = filler {
            self.attach(i, jj);
        }
        while jj != j0 {
            let (i, to) = self.came[jj];
            self.detach(i as usize);
            self.attach(i as usize, to as usize);
            jj = to as usize;
        }
    }

    /// Adds mentor `j` to the set of [`Solver::fill`] at distance `d` and relaxes its arcs.
    #[inline]
    fn join(&mut self, arcs: &impl Arcs, j: usize, d: i64) {
        self.in_set[j] = true;
        self.joined[j] = d;
        self.set.push(j as u32);
        debug_assert!(self.v[j] >= 0);
        let stop = ((d + self.v[j]) as u64) << 2;
        self.bheap.push(stop, j as u32);
        self.end = self.end.min(stop);
        let base = d + self.v[j] - self.bonus;
        arcs.each_rev(j, |i, s| {
            let k = base + self.u[i] - s;
            if k < self.key[i] && !self.outside[i] {
                let mi = self.mentor_of[i];
                let kind = 1 + (mi != NONE) as u32;
                let packed = (k as u64) << 2 | kind as u64;
                // Entries at or beyond the search's cheapest end so far can never be popped.
                if packed >= self.end || (mi != NONE && self.in_set[mi as usize]) {
                    return;
                }
                if kind == 1 {
                    self.end = packed;
                }
                if self.key[i] == i64::MAX {
                    self.keyed.push(i as u32);
                }
                debug_assert!(k >= 0, "reduced costs are non-negative");
                self.key[i] = k;
                self.toward[i] = j as u32;
                self.bheap.push(packed, kind << 30 | i as u32);
            }
        });
    }

    /// Puts mentee `i` with mentor `j`.
    #[inline]
    pub(super) fn attach(&mut self, i: usize, j: usize) {
        self.mentor_of[i] = j as u32;
        self.members[j].push(i as u32);
    }

    /// Takes mentee `i` off its mentor, if it has one.
    #[inline]
    pub(super) fn detach(&mut self, i: usize) {
        if let Some(j) = self.mentor(i) {
            let at = self.members[j].iter().position(|&x| x as usize == i).expect("a member of its mentor");
            self.members[j].swap_remove(at);
            self.mentor_of[i] = NONE;
        }
    }

    /// Takes mentee `i` out of the problem for now: off its mentor, price 0, and no search uses it
    /// until [`Solver::add`] brings it back. Returns its former mentor.
    pub(super) fn take_out(&mut self, i: usize) -> Option<usize> {
        let j = self.mentor(i);
        self.detach(i);
        self.u[i] = 0;
        self.outside[i] = true;
        j
    }

    /// Fills mentor `j`'s free slots while its price is positive (restoring complementary
    /// slackness at `j`).
    pub(super) fn refill(&mut self, arcs: &impl Arcs, j: usize) {
        while self.v[j] > 0 && !self.is_full(j) {
            self.fill(arcs, j);
        }
    }

    /// Solves from scratch over `arcs` for the mentees not `outside`. With at least as many slots
    /// as mentees, mentees are brought in one by one ([`Solver::add`]); with fewer slots, the
    /// mentors' slots are ([`Solver::fill`], starting from each mentor's best price), so that every
    /// search runs towards the side that has free places left and stays short.
    pub(super) fn cold(&mut self, arcs: &impl Arcs) {
        self.reset();
        let n = self.u.len();
        let inside = self.outside.iter().filter(|&&o| !o).count();
        let slots: usize = self.cap.iter().map(|&c| (c as usize).min(n)).sum();
        if slots >= inside {
            for k in 0..n {
                if !self.outside[k] {
                    self.add(arcs, k);
                }
            }
        } else {
            // Every mentee unassigned at price 0, every mentor at its best weight: feasible, and
            // slack except at the mentors, whose slots are then filled one by one.
            for j in 0..self.v.len() {
                let mut best = 0;
                arcs.each_rev(j, |i, s| {
                    if !self.outside[i] {
                        best = best.max(self.bonus + s);
                    }
                });
                self.v[j] = best;
            }
            for j in 0..self.v.len() {
                self.refill(arcs, j);
            }
        }
    }

    /// Whether the prices are non-negative and complementary slackness holds for the current
    /// assignment on the problem `p`: matched pairs are tight, unassigned mentees have price 0 and
    /// mentors with a free slot have price 0.
    pub(super) fn slack(&self, p: &Problem) -> bool {
        let mentees = (0..self.u.len()).all(|i| self.slack_mentee(p, i));
        mentees && (0..self.v.len()).all(|j| self.slack_mentor(j))
    }

    /// Complementary slackness and a non-negative price at mentee `i`.
    pub(super) fn slack_mentee(&self, p: &Problem, i: usize) -> bool {
        let ui = self.u[i];
        ui >= 0
            && match self.mentor(i) {
                None => ui == 0,
                Some(j) => p.score(i, j).is_some_and(|s| ui + self.v[j] == self.bonus + s),
            }
    }

    /// Complementary slackness and a non-negative price at mentor `j`.
    pub(super) fn slack_mentor(&self, j: usize) -> bool {
        self.members[j].len() <= self.cap[j] as usize && (self.v[j] == 0 || (self.v[j] > 0 && self.is_full(j)))
    }

    /// The assignment and certificate of the current state, on problem `p`.
    pub(super) fn finish(&self, p: &Problem) -> (Assignment, Certificate) {
        let mut total_score = 0;
        let mut matched = 0;
        let mentor_of: Vec<Option<usize>> = (0..self.u.len()).map(|i| self.mentor(i)).collect();
        for (i, mj) in mentor_of.iter().enumerate() {
            if let Some(j) = *mj {
                total_score += p.score(i, j).expect("only allowed pairs are used");
                matched += 1;
            }
        }
        (
            Assignment { mentor_of, total_score, matched },
            Certificate { bonus: self.bonus, mentee_price: self.u.clone(), mentor_price: self.v.clone() },
        )
    }
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

/// The solver state at the optimum of `p`, found as [`solve`] describes, and the number of rounds.
pub(super) fn solve_state(p: &Problem, per_mentee: usize) -> (Solver, usize) {
    p.check_shape();
    let n = p.n_mentees();
    let m = p.n_mentors();
    let bonus = match_bonus(p);
    assert!(bonus + MAX_SCORE < 1 << 29, "too many mentees: {n}");
    let per_mentor = |j: usize| 2 * p.capacity[j] as usize;

    // Each mentee's best mentors and each mentor's best mentees, by score, in one pass over the
    // rows.
    let mut pairs: Vec<u64> = Vec::new();
    let mut picker = Picker::new(p, per_mentee, per_mentor);
    let jitter: Vec<i32> = (0..m).map(|j| (pair_hash(0, j) >> 56) as i32).collect();
    picker.run(p, &mut pairs, |row, i, out| {
        score_keys(row, &jitter, row_jitter(i), out);
        true
    });

    // The solver state carries over from round to round: only the mentees that gained arcs are
    // taken out and brought in again (warm start). The warm result is kept only if its prices
    // still satisfy complementary slackness; otherwise the round is solved from scratch.
    let mut solver = Solver::new(n, &p.capacity, bonus);
    let mut affected: Option<Vec<usize>> = None;
    let mut vb: Vec<i32> = vec![0; m];
    for round in 1.. {
        let graph = Sparse::new(n, m, &mut pairs);
        let mut cold = true;
        if let Some(affected) = affected.take() {
            let mut freed = Vec::new();
            for &i in &affected {
                freed.extend(solver.take_out(i));
            }
            for &j in &freed {
                solver.refill(&graph, j);
            }
            for &i in &affected {
                solver.add(&graph, i);
            }
            cold = !solver.slack(p);
        }
        if cold {
            solver.cold(&graph);
        }

        // Pricing: the allowed pairs the prices do not cover could improve the assignment. The
        // most violated ones join the graph, a few per mentee and per mentor each round, so the
        // graph stays sparse.
        let before = pairs.len();
        for (b, &vj) in vb.iter_mut().zip(&solver.v) {
            *b = (vj - bonus) as i32;
        }
        let u = &solver.u;
        let mut picker = Picker::new(p, per_mentee.max(1), |j| per_mentor(j).max(1));
        picker.run(p, &mut pairs, |row, i, out| {
            let ui = u[i] as i32;
            violated(row, ui, &vb) && {
                violation_keys(row, ui, &vb, &jitter, row_jitter(i), out);
                true
            }
        });
        if pairs.len() == before {
            return (solver, round);
        }
        let mut gained: Vec<usize> = pairs[before..].iter().map(|&x| (x >> 32) as usize).collect();
        gained.sort_unstable();
        gained.dedup();
        affected = Some(gained);
    }
    unreachable!("every round adds a pair, and there are finitely many")
}

/// The key of a pair left out of a [`Picker`] pass.
const NO_KEY: i32 = i32::MIN;

/// Larger violations all count as this much when picking pairs (keys keep 23 bits for it).
const MAX_VIOLATION: i32 = (1 << 22) - 1;

/// The keys of a row for the first pick: `score << 8 | jitter`, [`NO_KEY`] where forbidden.
/// Branch-free, so that it compiles to vector code.
#[inline(never)]
fn score_keys(row: &[u8], jitter: &[i32], hi: i32, out: &mut [i32]) {
    let len = out.len();
    let (row, jitter) = (&row[..len], &jitter[..len]);
    for j in 0..len {
        let s = row[j] as i32;
        let allowed = -((s != FORBIDDEN as i32) as i32);
        out[j] = ((s << 8 | (jitter[j] ^ hi)) & allowed) | (NO_KEY & !allowed);
    }
}

/// Whether some allowed pair of the row has a positive violation `s − u_i − vb[j]` (see
/// [`violation_keys`]). Branch-free, so that it compiles to vector code.
#[inline(never)]
fn violated(row: &[u8], ui: i32, vb: &[i32]) -> bool {
    let len = row.len().min(vb.len());
    let (row, vb) = (&row[..len], &vb[..len]);
    let mut any = 0i32;
    for j in 0..len {
        let s = row[j] as i32;
        any |= (s != FORBIDDEN as i32) as i32 & (s - ui - vb[j] > 0) as i32;
    }
    any != 0
}

/// The keys of a row for a pricing pass: `violation << 8 | jitter` where the pair's violation
/// `bonus + s − u[i] − v[j]` (here `s − u_i − vb[j]` with `vb[j] = v[j] − bonus`) is positive,
/// [`NO_KEY`] elsewhere. Branch-free, so that it compiles to vector code.
#[inline(never)]
fn violation_keys(row: &[u8], ui: i32, vb: &[i32], jitter: &[i32], hi: i32, out: &mut [i32]) {
    let len = out.len();
    let (row, vb, jitter) = (&row[..len], &vb[..len], &jitter[..len]);
    for j in 0..len {
        let s = row[j] as i32;
        let x = s - ui - vb[j];
        let x = x - ((x - MAX_VIOLATION) & -((x > MAX_VIOLATION) as i32));
        let keep = -((s != FORBIDDEN as i32) as i32 & (x > 0) as i32);
        out[j] = ((x << 8 | (jitter[j] ^ hi)) & keep) | (NO_KEY & !keep);
    }
}

/// A pseudo-random byte per mentee. The low byte of a pair's key in a [`Picker`] pass is this
/// XOR a pseudo-random byte per mentor: among equal scores each mentee and each mentor then picks
/// different partners, and keys rarely tie.
#[inline]
fn row_jitter(i: usize) -> i32 {
    (pair_hash(i, usize::MAX) >> 56) as i32
}

/// Picks, in one pass over the rows, each mentee's best few pairs and each mentor's best few by a
/// key per pair.
struct Picker {
    rows: Top,
    columns: Vec<Top>,
    /// The smallest key that may still get into each column.
    bar: Vec<i32>,
    /// One row of keys.
    keys: Vec<i32>,
    /// The largest key of each block of the row.
    maxima: Vec<i32>,
}

impl Picker {
    fn new(p: &Problem, per_mentee: usize, per_mentor: impl Fn(usize) -> usize) -> Picker {
        let columns: Vec<Top> = (0..p.n_mentors()).map(|j| Top::new(per_mentor(j))).collect();
        let bar = columns.iter().map(Top::bar).collect();
        Picker { rows: Top::new(per_mentee), columns, bar, keys: vec![NO_KEY; p.n_mentors()], maxima: Vec::new() }
    }

    /// Appends to `pairs` (packed `mentee << 32 | mentor << 8 | score`) each mentee's and each
    /// mentor's pairs with the largest keys; `keys(row, mentee, out)` writes the keys of a row,
    /// [`NO_KEY`] for pairs left out, or returns `false` if the row has none. Rows are scanned 32 pairs at a time: a block is looked at
    /// pair by pair only if some key in it reaches its row's or its column's bar.
    fn run(&mut self, p: &Problem, pairs: &mut Vec<u64>, mut keys: impl FnMut(&[u8], usize, &mut [i32]) -> bool) {
        const BLOCK: usize = 32;
        for i in 0..p.n_mentees() {
            let row = p.row_bytes(i);
            if !keys(row, i, &mut self.keys) {
                continue;
            }
            self.rows.clear();
            // A floor for the row's picks: with `k` blocks of 32 keys or more, the `k`-th largest
            // block maximum is at most the `k`-th largest key, so smaller keys need no offer.
            self.maxima.clear();
            self.maxima.extend(self.keys.chunks(BLOCK).map(|b| b.iter().fold(NO_KEY, |a, &k| a.max(k))));
            let k = self.rows.k;
            let floor = if k > 0 && self.maxima.len() >= k {
                let at = self.maxima.len() - k;
                self.maxima.select_nth_unstable(at).1.saturating_sub(1)
            } else {
                NO_KEY
            };
            let mut bar = self.rows.bar().max(floor);
            let m = self.keys.len();
            for lo in (0..m).step_by(BLOCK) {
                let hi = (lo + BLOCK).min(m);
                let mut hits = block_hits(&self.keys[lo..hi], &self.bar[lo..hi], bar);
                while hits != 0 {
                    let j = lo + hits.trailing_zeros() as usize;
                    hits &= hits - 1;
                    let k = self.keys[j];
                    if k > bar {
                        bar = self.rows.offer(k, j).max(floor);
                    }
                    if k > self.bar[j] {
                        self.bar[j] = self.columns[j].offer(k, i);
                    }
                }
            }
            pairs.extend(self.rows.entries.iter().map(|&(_, j)| pack(i, j, row[j])));
        }
        for (j, column) in self.columns.iter().enumerate() {
            pairs.extend(column.entries.iter().map(|&(_, i)| pack(i, j, p.row_bytes(i)[j])));
        }
    }
}

/// Bit `t` is set where `keys[t]` exceeds `bar` or `column_bars[t]` (at most 32 keys).
#[inline(always)]
fn block_hits(keys: &[i32], column_bars: &[i32], bar: i32) -> u32 {
    let mut hits = 0u32;
    for (t, (&k, &c)) in keys.iter().zip(column_bars).enumerate() {
        hits |= ((k > c) as u32 | (k > bar) as u32) << t;
    }
    hits
}

/// A pair for [`Sparse::new`].
#[inline]
fn pack(i: usize, j: usize, s: u8) -> u64 {
    (i as u64) << 32 | (j as u64) << 8 | s as u64
}

/// The best `k` entries `(key, item)` offered so far; `min` indexes the worst of them once full.
struct Top {
    k: usize,
    entries: Vec<(i32, usize)>,
    min: usize,
}

impl Top {
    fn new(k: usize) -> Top {
        Top { k, entries: Vec::with_capacity(k), min: 0 }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.min = 0;
    }

    /// A key must exceed this to get in.
    fn bar(&self) -> i32 {
        match self.entries.len() < self.k {
            true => NO_KEY,
            false if self.k == 0 => i32::MAX,
            false => self.entries[self.min].0,
        }
    }

    /// Offers `item` with `key`, which must exceed [`Top::bar`]; returns the new bar.
    #[inline(always)]
    fn offer(&mut self, key: i32, item: usize) -> i32 {
        if self.entries.len() < self.k {
            self.entries.push((key, item));
        } else if self.k > 0 {
            self.entries[self.min] = (key, item);
        }
        self.settle()
    }

    /// Finds the worst entry again after a change; returns the new [`Top::bar`].
    #[inline(never)]
    fn settle(&mut self) -> i32 {
        if self.entries.len() == self.k {
            self.min = (0..self.k).min_by_key(|&t| self.entries[t].0).unwrap_or(0);
        }
        self.bar()
    }
}

/// A hash of the pair (mentee `i`, mentor `j`), to break ties between equal keys.
#[inline]
fn pair_hash(i: usize, j: usize) -> u64 {
    let mut h = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (j as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    h ^= h >> 31;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 29;
    h
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
    for j in 0..m {
        if load[j] > p.capacity[j] as u64 {
            return Err(format!("mentor {j} has {} mentees, over capacity {}", load[j], p.capacity[j]));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(scores: &[&[Option<i64>]], capacity: &[u32]) -> Problem {
        Problem::new(scores.iter().map(|r| r.to_vec()).collect(), capacity.to_vec()).expect("valid problem")
    }

    /// Solves with both solvers, checks both certificates and that they agree on the objective.
    fn solved(p: &Problem) -> Assignment {
        let (a, c) = solve(p);
        verify(p, &a, &c).expect("certificate proves optimality");
        let (d, c) = solve_dense(p);
        verify(p, &d, &c).expect("dense certificate proves optimality");
        assert_eq!((a.matched, a.total_score), (d.matched, d.total_score));
        a
    }

    const X: Option<i64> = None;

    #[test]
    fn greedy_is_beaten() {
        // Greedy takes (0,0) = 10 then (1,1) = 1; the optimum crosses over for 9 + 9.
        let p = problem(&[&[Some(10), Some(9)], &[Some(9), Some(1)]], &[1, 1]);
        let a = solved(&p);
        assert_eq!(a.mentor_of, vec![Some(1), Some(0)]);
        assert_eq!((a.matched, a.total_score), (2, 18));
    }

    #[test]
    fn one_more_match_beats_a_higher_score() {
        // Mentee 0 scores 100 with mentor 0, but only mentor 0 may take mentee 1.
        let p = problem(&[&[Some(100), Some(0)], &[Some(0), X]], &[1, 1]);
        let a = solved(&p);
        assert_eq!(a.mentor_of, vec![Some(1), Some(0)]);
        assert_eq!((a.matched, a.total_score), (2, 0));
    }

    #[test]
    fn a_mentor_with_two_slots() {
        let p = problem(&[&[Some(90), Some(50)], &[Some(80), Some(70)], &[Some(60), Some(10)]], &[2, 1]);
        let a = solved(&p);
        // Mentor 0 takes mentees 0 and 2, mentor 1 takes mentee 1: 90 + 70 + 60.
        assert_eq!(a.mentor_of, vec![Some(0), Some(1), Some(0)]);
        assert_eq!((a.matched, a.total_score), (3, 220));
    }

    #[test]
    fn forbidden_pairs_are_never_used() {
        let p = problem(&[&[X, Some(5)], &[X, Some(90)], &[Some(3), X]], &[1, 2]);
        let a = solved(&p);
        assert_eq!(a.mentor_of, vec![Some(1), Some(1), Some(0)]);
        assert_eq!((a.matched, a.total_score), (3, 98));
    }

    #[test]
    fn more_mentees_than_slots_leaves_the_weakest_out() {
        let p = problem(
            &[
                &[Some(10), Some(0)],
                &[Some(40), Some(20)],
                &[Some(30), Some(35)],
                &[Some(5), Some(6)],
                &[Some(0), Some(50)],
            ],
            &[1, 2],
        );
        let a = solved(&p);
        assert_eq!(a.matched, 3);
        assert_eq!(a.total_score, 40 + 35 + 50);
        assert_eq!(a.mentor_of, vec![None, Some(0), Some(1), None, Some(1)]);
    }

    #[test]
    fn empty_sides_and_zero_capacity() {
        let a = solved(&problem(&[], &[2, 1]));
        assert_eq!((a.mentor_of.len(), a.matched, a.total_score), (0, 0, 0));
        let a = solved(&problem(&[&[], &[]], &[]));
        assert_eq!(a.mentor_of, vec![None, None]);
        let a = solved(&problem(&[&[Some(100), Some(1)], &[Some(100), Some(2)]], &[0, 1]));
        assert_eq!(a.mentor_of, vec![None, Some(1)]);
        assert_eq!((a.matched, a.total_score), (1, 2));
        let a = solved(&Problem::default());
        assert_eq!(a, Assignment::default());
    }

    #[test]
    fn all_forbidden_leaves_everyone_unassigned() {
        let p = problem(&[&[X, X], &[X, X], &[X, X]], &[1, 1]);
        let (a, c) = solve(&p);
        assert_eq!(a.mentor_of, vec![None; 3]);
        assert!(c.mentee_price.iter().chain(&c.mentor_price).all(|&x| x == 0));
        verify(&p, &a, &c).unwrap();
        // A row with no allowed pair next to others.
        let a = solved(&problem(&[&[X, X], &[Some(7), X]], &[1, 1]));
        assert_eq!(a.mentor_of, vec![None, Some(0)]);
    }

    #[test]
    fn ties_still_give_a_proven_optimum() {
        let p = problem(&[&[Some(5); 3], &[Some(5); 3], &[Some(5); 3], &[Some(5); 3]], &[1, 1, 1]);
        let a = solved(&p);
        assert_eq!((a.matched, a.total_score), (3, 15));
    }

    #[test]
    fn problem_new_checks_shape_and_range() {
        assert!(Problem::new(vec![vec![Some(1)]], vec![1, 1]).unwrap_err().contains("mentee 0 has 1 scores"));
        assert!(Problem::new(vec![vec![Some(101)]], vec![1]).unwrap_err().contains("outside 0..=100"));
        assert!(Problem::new(vec![vec![Some(-1), None]], vec![1, 1]).is_err());
    }

    #[test]
    fn bonus_makes_the_objective_lexicographic() {
        let p = problem(&[&[Some(100), Some(0)], &[Some(0), X]], &[1, 1]);
        let b = match_bonus(&p);
        // Two matches at score 0 beat one match at the highest possible total (n · 100).
        assert!(2 * b > b + 2 * MAX_SCORE);
    }

    #[test]
    fn verify_rejects_a_tampered_certificate() {
        let p = problem(&[&[Some(10), Some(9)], &[Some(9), Some(1)]], &[1, 1]);
        let (a, c) = solve(&p);
        verify(&p, &a, &c).unwrap();

        let mut t = c.clone();
        t.mentee_price[0] -= 1;
        let e = verify(&p, &a, &t).unwrap_err();
        assert!(e.starts_with("dual: u[0] + v["), "{e}");

        let mut t = c.clone();
        t.mentee_price[1] += 1;
        let e = verify(&p, &a, &t).unwrap_err();
        assert!(e.starts_with("slackness: mentee 1"), "{e}");

        let mut t = c.clone();
        t.mentor_price[0] = -1;
        assert!(verify(&p, &a, &t).unwrap_err().contains("negative"));

        let mut t = c.clone();
        t.bonus = 1;
        assert!(verify(&p, &a, &t).unwrap_err().contains("bonus 1 is too small"));

        let mut t = c;
        t.mentor_price.pop();
        assert!(verify(&p, &a, &t).unwrap_err().contains("mentor prices"));
    }

    #[test]
    fn verify_rejects_bad_assignments() {
        let p = problem(&[&[Some(10), Some(9)], &[Some(9), Some(1)], &[X, Some(3)]], &[1, 2]);
        let (a, c) = solve(&p);
        verify(&p, &a, &c).unwrap();
        assert_eq!(a.mentor_of, vec![Some(1), Some(0), Some(1)]);

        // The greedy pairing: feasible, but not optimal, so no prices can prove it.
        let greedy = Assignment { mentor_of: vec![Some(0), Some(1), Some(1)], total_score: 14, matched: 3 };
        assert!(verify(&p, &greedy, &c).unwrap_err().starts_with("slackness"));
        // Leaving a mentee out for nothing.
        let fewer = Assignment { mentor_of: vec![Some(1), Some(0), None], total_score: 18, matched: 2 };
        assert!(verify(&p, &fewer, &c).is_err());

        let over = Assignment { mentor_of: vec![Some(0), Some(0), Some(1)], total_score: 22, matched: 3 };
        assert!(verify(&p, &over, &c).unwrap_err().contains("over capacity 1"));
        let forbidden = Assignment { mentor_of: vec![Some(1), Some(1), Some(0)], total_score: 10, matched: 3 };
        assert!(verify(&p, &forbidden, &c).unwrap_err().contains("forbidden pair"));
        let miscounted = Assignment { total_score: 19, ..a.clone() };
        assert!(verify(&p, &miscounted, &c).unwrap_err().contains("add up to 21"));
        let miscounted = Assignment { matched: 2, ..a.clone() };
        assert!(verify(&p, &miscounted, &c).unwrap_err().contains("3 mentees have a mentor"));
        let unknown = Assignment { mentor_of: vec![Some(1), Some(0), Some(7)], ..a };
        assert!(verify(&p, &unknown, &c).unwrap_err().contains("there are 2 mentors"));
    }

    /// A small deterministic pseudo-random generator (xorshift), to build larger instances.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn random_problem(rng: &mut Rng, n: usize, m: usize, max_cap: u64, forbid_pct: u64) -> Problem {
        let scores =
            (0..n)
                .map(|_| {
                    (0..m)
                        .map(|_| {
                            if rng.below(100) < forbid_pct {
                                None
                            } else {
                                Some(rng.below(MAX_SCORE as u64 + 1) as i64)
                            }
                        })
                        .collect()
                })
                .collect();
        let capacity = (0..m).map(|_| rng.below(max_cap + 1) as u32).collect();
        Problem::new(scores, capacity).unwrap()
    }

    #[test]
    fn medium_instances_are_proven_optimal() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut priced = false;
        for (n, m, cap) in [(120, 40, 3), (60, 80, 1), (150, 20, 4), (40, 40, 2), (200, 60, 3)] {
            let p = random_problem(&mut rng, n, m, cap, 15);
            let (d, c) = solve_dense(&p);
            verify(&p, &d, &c).unwrap();
            for per_mentee in [0, 2, CANDIDATES_PER_MENTEE] {
                let (a, c, rounds) = solve_sparse(&p, per_mentee);
                verify(&p, &a, &c).unwrap();
                assert_eq!((a.matched, a.total_score), (d.matched, d.total_score));
                priced |= rounds > 1;
            }
        }
        assert!(priced, "some instance needed pricing rounds");
    }

    /// Timing at the target size (5 000 mentees, 1 500 mentors of capacity 3), with spread-out
    /// and with tie-heavy scores: `cargo test … large_instance_timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn large_instance_timing() {
        let mut rng = Rng(42);
        for kind in ["uniform", "5 levels", "popular"] {
            let p = random_problem(&mut rng, 5_000, 1_500, 3, 15);
            let mut rows = p.to_rows();
            for row in &mut rows {
                for (j, s) in row.iter_mut().enumerate() {
                    if let Some(s) = s {
                        *s = match kind {
                            "uniform" => *s,
                            "5 levels" => *s % 5 * 25,
                            // Every mentee ranks the mentors nearly alike.
                            _ => (j as i64 * MAX_SCORE / 1_500 + *s % 11 - 5).clamp(0, MAX_SCORE),
                        };
                    }
                }
            }
            let p = Problem::new(rows, vec![3; 1_500]).unwrap();
            let start = std::time::Instant::now();
            let (a, c, rounds) = solve_sparse(&p, CANDIDATES_PER_MENTEE);
            let took = start.elapsed();
            verify(&p, &a, &c).unwrap();
            println!(
                "5000 × 1500, {kind} scores: {} matched, score {}, {rounds} rounds, {took:?}",
                a.matched, a.total_score
            );
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Small instances: up to 7 mentees × 5 mentors, capacities 0..=3, about 15 % forbidden
    /// pairs, scores from a few values so ties are common.
    fn arb_problem() -> impl Strategy<Value = Problem> {
        (0usize..=7, 0usize..=5).prop_flat_map(|(n, m)| {
            let cell = prop_oneof![
                3 => Just(None),
                17 => prop::sample::select(vec![0i64, 1, 5, 5, 10, 50, 99, 100]).prop_map(Some),
            ];
            (prop::collection::vec(prop::collection::vec(cell, m), n), prop::collection::vec(0u32..=3, m))
                .prop_map(|(scores, capacity)| Problem::new(scores, capacity).expect("valid problem"))
        })
    }

    /// Exhaustive optimum (matched, total score) by dynamic programming over the mentees and the
    /// remaining capacities; independent of the weights and of the solver.
    fn best(p: &Problem) -> (usize, i64) {
        fn go(
            p: &Problem,
            i: usize,
            left: &mut Vec<u32>,
            memo: &mut std::collections::HashMap<(usize, Vec<u32>), (usize, i64)>,
        ) -> (usize, i64) {
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

    /// A feasible greedy assignment: best remaining pair first.
    fn greedy(p: &Problem) -> Assignment {
        let mut pairs: Vec<(i64, usize, usize)> = (0..p.n_mentees())
            .flat_map(|i| p.row(i).enumerate().filter_map(move |(j, s)| s.map(|s| (s, i, j))))
            .collect();
        pairs.sort_by(|a, b| b.cmp(a));
        let mut left = p.capacity.clone();
        let mut a = Assignment { mentor_of: vec![None; p.n_mentees()], total_score: 0, matched: 0 };
        for (s, i, j) in pairs {
            if a.mentor_of[i].is_none() && left[j] > 0 {
                left[j] -= 1;
                a.mentor_of[i] = Some(j);
                a.total_score += s;
                a.matched += 1;
            }
        }
        a
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn solve_is_optimal_and_proven(p in arb_problem(), per_mentee in 0usize..3) {
            let optimum = best(&p);
            let (a, c) = solve(&p);
            prop_assert_eq!((a.matched, a.total_score), optimum);
            prop_assert_eq!(verify(&p, &a, &c), Ok(()));
            let (a, c) = solve_dense(&p);
            prop_assert_eq!((a.matched, a.total_score), optimum);
            prop_assert_eq!(verify(&p, &a, &c), Ok(()));
            // A sparse start that usually misses pairs, so the pricing rounds must add them.
            let (a, c, _) = solve_sparse(&p, per_mentee);
            prop_assert_eq!((a.matched, a.total_score), optimum);
            prop_assert_eq!(verify(&p, &a, &c), Ok(()));
        }

        #[test]
        fn verify_rejects_any_worse_assignment(p in arb_problem()) {
            let (a, c) = solve(&p);
            let g = greedy(&p);
            if (g.matched, g.total_score) < (a.matched, a.total_score) {
                prop_assert!(verify(&p, &g, &c).is_err());
            } else {
                prop_assert_eq!((g.matched, g.total_score), (a.matched, a.total_score));
            }
        }
    }
}
