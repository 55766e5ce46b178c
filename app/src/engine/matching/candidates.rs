//! The sparse candidate graph of [`super::solve`]: each mentee's and each mentor's best pairs to
//! start with, then pricing rounds that add the pairs the duals do not yet cover, until none is
//! left. Apart from the solver because it is about which arcs to search, not how: passes over the
//! whole byte matrix, in blocks of 32 pairs of branch-free, vectorised code.

use super::shortest_paths::{Arcs, Solver};
use super::{match_bonus, Problem, FORBIDDEN, MAX_SCORE};

/// The solver state at the optimum of `p`, found as [`solve`](super::solve) describes, and the
/// number of rounds.
pub(in crate::engine) fn solve_state(p: &Problem, per_mentee: usize) -> (Solver, usize) {
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
