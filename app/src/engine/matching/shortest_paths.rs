//! The successive-shortest-paths solver behind [`super::solve`] and the warm `Session`: an
//! assignment with its dual prices, and the two Dijkstra searches that extend it, one from a
//! mentee ([`Solver::add`]) and one from a mentor's free slot ([`Solver::fill`]). It is kept apart
//! from the problem and the candidate graph because it only sees arcs through [`Arcs`], whether
//! every allowed pair or a sparse subset.

use super::radix_heap::RadixHeap;
use super::{Assignment, Certificate, Problem, FORBIDDEN};

/// "No mentor" (or no mentee) in the solver's `u32` indexes.
const NONE: u32 = u32::MAX;

/// The arcs the solver may use, forwards (per mentee) and backwards (per mentor).
pub(in crate::engine) trait Arcs {
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
pub(in crate::engine) struct Solver {
    /// The value of a match on top of its score ([`super::match_bonus`]).
    pub(in crate::engine) bonus: i64,
    /// The capacity of each mentor in the problem being solved.
    pub(in crate::engine) cap: Vec<u32>,
    /// Mentee prices: the potentials of the mentee nodes.
    pub(in crate::engine) u: Vec<i64>,
    /// Mentor prices: the potentials of the mentor nodes.
    pub(in crate::engine) v: Vec<i64>,
    /// Each mentee's mentor, [`NONE`] if unassigned.
    mentor_of: Vec<u32>,
    /// Each mentor's mentees.
    pub(in crate::engine) members: Vec<Vec<u32>>,
    /// Mentees not (or not yet) part of the problem: no search may use them.
    pub(in crate::engine) outside: Vec<bool>,

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
    pub(in crate::engine) tree: Vec<u32>,
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
    pub(in crate::engine) set: Vec<u32>,
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
    /// An empty assignment at price 0 for `n` mentees and the given mentor capacities.
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

    /// Whether mentor `j` has no free slot.
    #[inline]
    pub(in crate::engine) fn is_full(&self, j: usize) -> bool {
        self.members[j].len() >= self.cap[j] as usize
    }

    /// The mentor of mentee `i`, if any.
    #[inline]
    pub(in crate::engine) fn mentor(&self, i: usize) -> Option<usize> {
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
    pub(in crate::engine) fn add(&mut self, arcs: &impl Arcs, k: usize) {
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
    pub(in crate::engine) fn fill(&mut self, arcs: &impl Arcs, j0: usize) {
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
    fn attach(&mut self, i: usize, j: usize) {
        self.mentor_of[i] = j as u32;
        self.members[j].push(i as u32);
    }

    /// Takes mentee `i` off its mentor, if it has one.
    #[inline]
    fn detach(&mut self, i: usize) {
        if let Some(j) = self.mentor(i) {
            let at = self.members[j].iter().position(|&x| x as usize == i).expect("a member of its mentor");
            self.members[j].swap_remove(at);
            self.mentor_of[i] = NONE;
        }
    }

    /// Takes mentee `i` out of the problem for now: off its mentor, price 0, and no search uses it
    /// until [`Solver::add`] brings it back. Returns its former mentor.
    pub(in crate::engine) fn take_out(&mut self, i: usize) -> Option<usize> {
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
    pub(in crate::engine) fn slack(&self, p: &Problem) -> bool {
        let mentees = (0..self.u.len()).all(|i| self.slack_mentee(p, i));
        mentees && (0..self.v.len()).all(|j| self.slack_mentor(j))
    }

    /// Complementary slackness and a non-negative price at mentee `i`.
    fn slack_mentee(&self, p: &Problem, i: usize) -> bool {
        let ui = self.u[i];
        ui >= 0
            && match self.mentor(i) {
                None => ui == 0,
                Some(j) => p.score(i, j).is_some_and(|s| ui + self.v[j] == self.bonus + s),
            }
    }

    /// Complementary slackness and a non-negative price at mentor `j`.
    fn slack_mentor(&self, j: usize) -> bool {
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
