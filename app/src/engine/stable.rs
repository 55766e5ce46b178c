//! Stable assignments: pairings that no mentee and mentor would both rather break for each other.
//!
//! # Preferences
//!
//! Both sides rank by the pair scores of a [`Problem`]:
//!
//! * a mentee prefers the mentor it scores higher with; between equal scores, the mentor with the
//!   lower index;
//! * a mentor prefers the mentee it scores higher with; between equal scores, the mentee with the
//!   lower index;
//! * a forbidden pair (score `None`) is unacceptable to both sides: a mentee would rather stay
//!   unassigned, and a mentor would rather leave the slot empty. Any allowed pair is better than
//!   none.
//!
//! # Stability
//!
//! Given an [`Assignment`], a mentee `i` and a mentor `j` form a *blocking pair* when the pair is
//! allowed, `i` is not with `j`, and both would gain by pairing up:
//!
//! * `i` prefers `j` to its current mentor, or is unassigned; and
//! * `j` has a free slot, or prefers `i` to the mentee it likes least among its current ones (who
//!   would make room).
//!
//! An assignment without blocking pairs is *stable*. [`deferred_acceptance`] builds one, and
//! [`audit`] lists the blocking pairs of any feasible assignment, with what each side would gain in
//! score ([`BlockingPair`]); [`is_stable`] only answers yes or no.
//!
//! Both sides rank by the same pair score, and the tie-breaking above agrees with one strict order
//! on all pairs: higher score first, then lower mentee index, then lower mentor index. With
//! preferences from one such order there is exactly one stable assignment: the greedy one that
//! takes pairs in that order whenever the mentee is still free and the mentor has room. (The first
//! pair in the order, among mentors with a slot, is each side's favourite, so every stable
//! assignment contains it; take out the mentee and one slot of the mentor, and repeat.) So the
//! mentee-optimal and the mentor-optimal stable assignments coincide, and it does not matter which
//! side proposes; the tests check this against brute force.
//!
//! # Why this is offered but not the default
//!
//! A stable assignment maximises no total. The default, [`super::matching::solve`], matches as many
//! mentees as possible and then maximises the total score, and it can pay for that with blocking
//! pairs. With two mentees, two mentors of one slot each and scores
//!
//! ```text
//!             mentor 0   mentor 1
//! mentee 0       10          9
//! mentee 1        9          1
//! ```
//!
//! the optimum pairs 0–1 and 1–0 for a total of 18, but mentee 0 and mentor 0 both prefer each
//! other (10 over 9 on each side): a blocking pair. The stable assignment, 0–0 and 1–1, totals 11.
//! A stable assignment may also match fewer mentees: if mentee 1 may only go to mentor 0, which
//! mentee 0 takes because it scores higher there, mentee 1 stays unassigned even though mentee 0
//! could have gone to mentor 1.
//!
//! Stability matters when people could rearrange pairs among themselves behind the program's
//! back; here the program assigns, and the cohort as a whole is better served by the optimum.
//! [`audit`] is still useful on the optimum: it tells an admin which pairs would rather swap, and by
//! how much.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::matching::{Assignment, Problem};

/// A mentee and a mentor who would both rather be paired with each other than keep what an
/// assignment gives them.
///
/// The gains are score differences, each seen from one side; an empty place (an unassigned mentee,
/// a free slot) counts as a score of 0, as in [`Assignment::total_score`]. With scores in
/// `0..=MAX_SCORE` they are never negative, and they are 0 when the preference rests on a tie
/// broken by index (or on an allowed pair scoring 0 against an empty place).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockingPair {
    /// The mentee of the pair.
    pub mentee: usize,
    /// The mentor of the pair.
    pub mentor: usize,
    /// The mentee's mentor in the assignment, `None` when it is unassigned.
    pub current_mentor: Option<usize>,
    /// The mentee the mentor would let go to take `mentee`: the one it likes least among its current
    /// mentees; `None` when the mentor has a free slot.
    pub displaced: Option<usize>,
    /// `score(mentee, mentor) − score(mentee, current_mentor)`, or `score(mentee, mentor)` when the
    /// mentee is unassigned.
    pub mentee_gain: i64,
    /// `score(mentee, mentor) − score(displaced, mentor)`, or `score(mentee, mentor)` when the
    /// mentor has a free slot.
    pub mentor_gain: i64,
}

/// Where a partner stands in one side's preferences: larger is preferred.
type Rank = (i64, Reverse<usize>);

/// How one side ranks a partner: higher score first, then lower index.
#[inline]
fn rank(score: i64, partner: usize) -> Rank {
    (score, Reverse(partner))
}

/// The stable assignment, by mentee-proposing deferred acceptance (Gale–Shapley with mentor
/// capacities).
///
/// Every mentee proposes to its allowed mentors from the most to the least preferred; a mentor
/// holds its best proposals up to its capacity and turns down the rest, letting go of a held mentee
/// when a preferred one proposes. A mentee that runs out of mentors stays unassigned. Mentors of
/// capacity 0 are skipped.
///
/// The result is stable ([`audit`] finds nothing) and, since the preferences come from one order on
/// pairs (see the module documentation), it is the only stable assignment.
///
/// Reads every score once, sorts each mentee's acceptable mentors once (a counting sort when the
/// scores span a small range, as `0..=MAX_SCORE` does), and makes each proposal at most once, with
/// each mentor's held mentees in a heap: `O(n · m + P · log c)` for `n` mentees, `m` mentors, `P`
/// acceptable pairs and capacities up to `c`. Some 0.1 s for 5 000 mentees × 1 500 mentors in a
/// release build.
///
/// Expects a problem that passes [`Problem::check`]; panics if a row is shorter than the number of
/// mentors.
pub fn deferred_acceptance(p: &Problem) -> Assignment {
    let n = p.n_mentees();
    let m = p.n_mentors();
    let capacity: Vec<usize> = p.capacity.iter().map(|&c| c as usize).collect();

    // Each mentee's acceptable mentors (allowed, with a slot), most preferred first, one flat array.
    assert!(u32::try_from(m).is_ok(), "{m} mentors do not fit in u32");
    let mut start = Vec::with_capacity(n + 1);
    let mut order: Vec<u32> = Vec::new();
    let mut row: Vec<(i64, u32)> = Vec::with_capacity(m);
    let mut counts: Vec<usize> = Vec::new();
    start.push(0);
    for i in 0..n {
        row.clear();
        row.extend((0..m).filter(|&j| capacity[j] > 0).filter_map(|j| p.score(i, j).map(|s| (s, j as u32))));
        append_best_first(&mut row, &mut counts, &mut order);
        start.push(order.len());
    }

    // Each mentor's held mentees, as a min-heap on the mentor's ranking: the top is the one it likes
    // least.
    let mut held: Vec<BinaryHeap<Reverse<Rank>>> =
        capacity.iter().map(|&c| BinaryHeap::with_capacity(c.min(n))).collect();
    let mut next = start[..n].to_vec();
    let mut free: Vec<usize> = (0..n).rev().collect();
    while let Some(i) = free.pop() {
        while next[i] < start[i + 1] {
            let j = order[next[i]] as usize;
            next[i] += 1;
            let s = p.score(i, j).expect("preference lists hold allowed pairs only");
            let offer = rank(s, i);
            let heap = &mut held[j];
            if heap.len() < capacity[j] {
                heap.push(Reverse(offer));
                break;
            }
            let mut worst = heap.peek_mut().expect("a mentor in a list has capacity");
            if offer > worst.0 {
                // Replacing the top sifts it down when `worst` is dropped.
                let Reverse((_, Reverse(let_go))) = std::mem::replace(&mut *worst, Reverse(offer));
                free.push(let_go);
                break;
            }
        }
    }

    let mut a = Assignment { mentor_of: vec![None; n], total_score: 0, matched: 0 };
    for (j, heap) in held.into_iter().enumerate() {
        for Reverse((s, Reverse(i))) in heap {
            a.mentor_of[i] = Some(j);
            a.total_score += s;
            a.matched += 1;
        }
    }
    a
}

/// Appends the mentors of `row`, `(score, mentor)` pairs in mentor order, to `out` from the most to
/// the least preferred: higher score first, then lower mentor index. A counting sort on the scores
/// when their range is small next to the row (as with scores `0..=MAX_SCORE` and many mentors),
/// otherwise a comparison sort (which reorders `row`); `counts` is scratch space.
fn append_best_first(row: &mut [(i64, u32)], counts: &mut Vec<usize>, out: &mut Vec<u32>) {
    let (Some(lo), Some(hi)) = (row.iter().map(|r| r.0).min(), row.iter().map(|r| r.0).max()) else { return };
    match hi.checked_sub(lo).and_then(|span| usize::try_from(span).ok()) {
        Some(span) if span <= 2 * row.len() + 16 => {
            // counts[hi - s] becomes the first free position for score s; scanning the row in
            // mentor order keeps equal scores in mentor order.
            counts.clear();
            counts.resize(span + 1, 0);
            for &(s, _) in row.iter() {
                counts[(hi - s) as usize] += 1;
            }
            let mut at = out.len();
            for c in counts.iter_mut() {
                (*c, at) = (at, at + *c);
            }
            out.resize(at, 0);
            for &(s, j) in row.iter() {
                let k = &mut counts[(hi - s) as usize];
                out[*k] = j;
                *k += 1;
            }
        }
        _ => {
            row.sort_unstable_by_key(|&(s, j)| (Reverse(s), j));
            out.extend(row.iter().map(|r| r.1));
        }
    }
}

/// Checks that `a` is a feasible assignment for `p`: one entry per mentee, existing mentors,
/// allowed pairs only, and no mentor over capacity. Names the first problem found otherwise.
///
/// `total_score` and `matched` are not checked; [`super::matching::verify`] does that.
pub fn check_feasible(p: &Problem, a: &Assignment) -> Result<(), String> {
    let n = p.n_mentees();
    let m = p.n_mentors();
    if a.mentor_of.len() != n {
        return Err(format!("assignment covers {} mentees, the problem has {n}", a.mentor_of.len()));
    }
    let mut load = vec![0u64; m];
    for (i, &mj) in a.mentor_of.iter().enumerate() {
        let Some(j) = mj else { continue };
        if j >= m {
            return Err(format!("mentee {i} is assigned to mentor {j}, but there are {m} mentors"));
        }
        if p.score(i, j).is_none() {
            return Err(format!("mentee {i} is assigned to mentor {j}, a forbidden pair"));
        }
        load[j] += 1;
    }
    for (j, (&l, &c)) in load.iter().zip(&p.capacity).enumerate() {
        if l > u64::from(c) {
            return Err(format!("mentor {j} has {l} mentees, over capacity {c}"));
        }
    }
    Ok(())
}

/// Every blocking pair of the assignment `a`, ordered by mentee, then mentor; empty exactly when `a`
/// is stable. Works for any feasible assignment, such as the optimum from
/// [`super::matching::solve`] or one edited by hand. See the module documentation for the
/// preferences and [`BlockingPair`] for the gains.
///
/// Looks at every allowed pair once: `O(n · m)` for `n` mentees and `m` mentors. The list can be
/// that long too (an empty assignment is blocked by every allowed pair with a slot); use
/// [`is_stable`] for a yes or no.
///
/// Panics if `a` is not feasible for `p` ([`check_feasible`] says why).
pub fn audit(p: &Problem, a: &Assignment) -> Vec<BlockingPair> {
    let mut found = Vec::new();
    blocking_pairs(p, a, |b| {
        found.push(b);
        true
    });
    found
}

/// Whether the assignment `a` has no blocking pair; stops at the first one.
///
/// Panics if `a` is not feasible for `p` ([`check_feasible`] says why).
pub fn is_stable(p: &Problem, a: &Assignment) -> bool {
    let mut stable = true;
    blocking_pairs(p, a, |_| {
        stable = false;
        false
    });
    stable
}

/// Calls `f` with each blocking pair of `a`, by mentee then mentor, while it returns `true`.
fn blocking_pairs(p: &Problem, a: &Assignment, mut f: impl FnMut(BlockingPair) -> bool) {
    if let Err(e) = check_feasible(p, a) {
        panic!("stability audit of an infeasible assignment: {e}");
    }
    let n = p.n_mentees();
    let m = p.n_mentors();

    // Each mentor's load and the current mentee it likes least, with that mentee's score.
    let mut load = vec![0usize; m];
    let mut least: Vec<Option<Rank>> = vec![None; m];
    for (i, &mj) in a.mentor_of.iter().enumerate() {
        let Some(j) = mj else { continue };
        let s = p.score(i, j).expect("feasible assignments use allowed pairs");
        load[j] += 1;
        let r = rank(s, i);
        if least[j].is_none_or(|l| r < l) {
            least[j] = Some(r);
        }
    }

    for i in 0..n {
        let current = a.mentor_of[i].map(|c| (c, p.score(i, c).expect("feasible assignments use allowed pairs")));
        for j in 0..m {
            let Some(s) = p.score(i, j) else { continue };
            let mentee_gain = match current {
                None => s,
                Some((c, _)) if c == j => continue,
                Some((c, sc)) if rank(s, j) > rank(sc, c) => s - sc,
                Some(_) => continue,
            };
            let (displaced, mentor_gain) = if load[j] < p.capacity[j] as usize {
                (None, s)
            } else {
                match least[j] {
                    Some((sl, Reverse(l))) if rank(s, i) > (sl, Reverse(l)) => (Some(l), s - sl),
                    _ => continue,
                }
            };
            let b = BlockingPair {
                mentee: i,
                mentor: j,
                current_mentor: current.map(|(c, _)| c),
                displaced,
                mentee_gain,
                mentor_gain,
            };
            if !f(b) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::matching::{solve, verify};
    use super::*;

    const X: Option<i64> = None;

    fn problem(scores: &[&[Option<i64>]], capacity: &[u32]) -> Problem {
        Problem::new(scores.iter().map(|r| r.to_vec()).collect(), capacity.to_vec()).expect("valid problem")
    }

    fn assignment(p: &Problem, mentor_of: &[Option<usize>]) -> Assignment {
        let pairs = || mentor_of.iter().enumerate().filter_map(|(i, &j)| j.map(|j| (i, j)));
        Assignment {
            mentor_of: mentor_of.to_vec(),
            total_score: pairs().map(|(i, j)| p.score(i, j).expect("allowed pair")).sum(),
            matched: pairs().count(),
        }
    }

    /// Deferred acceptance, checked feasible, consistent and stable.
    fn stable(p: &Problem) -> Assignment {
        let a = deferred_acceptance(p);
        assert_eq!(check_feasible(p, &a), Ok(()));
        assert_eq!(a, assignment(p, &a.mentor_of), "totals agree with the pairs");
        assert_eq!(audit(p, &a), vec![]);
        assert!(is_stable(p, &a));
        a
    }

    #[test]
    fn the_optimum_can_be_unstable() {
        let p = problem(&[&[Some(10), Some(9)], &[Some(9), Some(1)]], &[1, 1]);
        let (opt, cert) = solve(&p);
        assert_eq!(verify(&p, &opt, &cert), Ok(()));
        assert_eq!((opt.mentor_of.as_slice(), opt.total_score), (&[Some(1), Some(0)][..], 18));
        assert_eq!(
            audit(&p, &opt),
            vec![BlockingPair {
                mentee: 0,
                mentor: 0,
                current_mentor: Some(1),
                displaced: Some(1),
                mentee_gain: 1,
                mentor_gain: 1
            }]
        );
        assert!(!is_stable(&p, &opt));

        let a = stable(&p);
        assert_eq!(a.mentor_of, vec![Some(0), Some(1)]);
        assert_eq!((a.matched, a.total_score), (2, 11));
    }

    #[test]
    fn a_stable_assignment_can_match_fewer() {
        // Only mentor 0 may take mentee 1, but mentee 0 scores higher there.
        let p = problem(&[&[Some(100), Some(0)], &[Some(0), X]], &[1, 1]);
        let (opt, _) = solve(&p);
        assert_eq!((opt.mentor_of.as_slice(), opt.matched), (&[Some(1), Some(0)][..], 2));
        assert_eq!(
            audit(&p, &opt),
            vec![BlockingPair {
                mentee: 0,
                mentor: 0,
                current_mentor: Some(1),
                displaced: Some(1),
                mentee_gain: 100,
                mentor_gain: 100
            }]
        );

        let a = stable(&p);
        assert_eq!(a.mentor_of, vec![Some(0), None]);
        assert_eq!((a.matched, a.total_score), (1, 100));
    }

    #[test]
    fn proposals_displace_the_least_liked() {
        // Mentor 0 has two slots; mentees 0, 1, 2 all want it most. It keeps its two favourites
        // (mentees 2 and 0), and mentee 1 falls back to mentor 1.
        let p = problem(&[&[Some(90), Some(10)], &[Some(80), Some(70)], &[Some(95), Some(20)]], &[2, 1]);
        let a = stable(&p);
        assert_eq!(a.mentor_of, vec![Some(0), Some(1), Some(0)]);
        assert_eq!((a.matched, a.total_score), (3, 255));
    }

    #[test]
    fn ties_go_to_the_lower_index() {
        // Mentor 0 likes both mentees equally and keeps mentee 0; mentee 1 likes both mentors
        // equally and tries mentor 0 first.
        let p = problem(&[&[Some(50), Some(50)], &[Some(50), Some(50)]], &[1, 1]);
        let a = stable(&p);
        assert_eq!(a.mentor_of, vec![Some(0), Some(1)]);
        // The crossed assignment is blocked by a pure tie: no score is gained.
        let crossed = assignment(&p, &[Some(1), Some(0)]);
        assert_eq!(
            audit(&p, &crossed),
            vec![BlockingPair {
                mentee: 0,
                mentor: 0,
                current_mentor: Some(1),
                displaced: Some(1),
                mentee_gain: 0,
                mentor_gain: 0
            }]
        );
    }

    #[test]
    fn forbidden_pairs_and_empty_mentors_are_never_used() {
        // Mentee 0 may only go to mentor 1, which has no slot; mentee 1 may not go to mentor 0.
        let p = problem(&[&[X, Some(100), X], &[X, Some(100), Some(3)], &[Some(7), Some(100), Some(1)]], &[1, 0, 2]);
        let a = stable(&p);
        assert_eq!(a.mentor_of, vec![None, Some(2), Some(0)]);
        assert_eq!((a.matched, a.total_score), (2, 10));
    }

    #[test]
    fn empty_problems() {
        for p in [problem(&[], &[]), problem(&[], &[1, 2]), problem(&[&[], &[]], &[])] {
            let a = stable(&p);
            assert_eq!(a.mentor_of, vec![None; p.n_mentees()]);
            assert_eq!((a.matched, a.total_score), (0, 0));
        }
    }

    #[test]
    fn an_empty_assignment_is_blocked_by_every_pair_with_a_slot() {
        let p = problem(&[&[Some(4), X, Some(0)], &[Some(6), Some(2), X]], &[1, 0, 3]);
        let none = assignment(&p, &[None, None]);
        let pair = |mentee, mentor, gain| BlockingPair {
            mentee,
            mentor,
            current_mentor: None,
            displaced: None,
            mentee_gain: gain,
            mentor_gain: gain,
        };
        assert_eq!(audit(&p, &none), vec![pair(0, 0, 4), pair(0, 2, 0), pair(1, 0, 6)]);
        assert!(!is_stable(&p, &none));
    }

    #[test]
    fn a_full_mentor_blocks_through_its_least_liked_mentee() {
        // Mentor 0 (two slots) holds mentees 0 and 1; mentee 2 is unassigned and beats mentee 1
        // there (30 > 20) but not mentee 0 (40).
        let p = problem(&[&[Some(40)], &[Some(20)], &[Some(30)]], &[2]);
        let a = assignment(&p, &[Some(0), Some(0), None]);
        assert_eq!(
            audit(&p, &a),
            vec![BlockingPair {
                mentee: 2,
                mentor: 0,
                current_mentor: None,
                displaced: Some(1),
                mentee_gain: 30,
                mentor_gain: 10
            }]
        );
        assert_eq!(stable(&p).mentor_of, vec![Some(0), None, Some(0)]);
    }

    #[test]
    fn infeasible_assignments_are_named() {
        let p = problem(&[&[Some(1), X], &[Some(2), Some(3)]], &[1, 1]);
        let bad = |mentor_of: Vec<Option<usize>>| Assignment { mentor_of, total_score: 0, matched: 0 };
        assert!(check_feasible(&p, &bad(vec![None])).unwrap_err().contains("covers 1 mentees"));
        assert!(check_feasible(&p, &bad(vec![Some(2), None])).unwrap_err().contains("2 mentors"));
        assert!(check_feasible(&p, &bad(vec![Some(1), None])).unwrap_err().contains("forbidden"));
        assert!(check_feasible(&p, &bad(vec![Some(0), Some(0)])).unwrap_err().contains("over capacity"));
        assert_eq!(check_feasible(&p, &bad(vec![None, Some(0)])), Ok(()));
    }

    #[test]
    #[should_panic(expected = "over capacity")]
    fn auditing_an_infeasible_assignment_panics() {
        let p = problem(&[&[Some(1)], &[Some(2)]], &[1]);
        audit(&p, &assignment(&p, &[Some(0), Some(0)]));
    }

    /// A reproducible pseudo-random problem: `n × m`, capacity 1..=4, about 10 % forbidden pairs,
    /// scores 0..=100.
    fn random_problem(n: usize, m: usize, seed: u64) -> Problem {
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let scores =
            (0..n).map(|_| (0..m).map(|_| (next() % 10 != 0).then(|| (next() % 101) as i64)).collect()).collect();
        let capacity = (0..m).map(|_| (next() % 4 + 1) as u32).collect();
        Problem::new(scores, capacity).expect("valid problem")
    }

    #[test]
    fn a_cohort_of_500_by_150() {
        for seed in 0..3 {
            let p = random_problem(500, 150, seed);
            let a = stable(&p);
            let (opt, _) = solve(&p);
            assert!((a.matched, a.total_score) <= (opt.matched, opt.total_score));
            // The audit of the optimum lists pairs that really block it.
            for b in audit(&p, &opt) {
                assert_eq!(opt.mentor_of[b.mentee], b.current_mentor);
                assert!(b.mentee_gain >= 0 && b.mentor_gain >= 0);
            }
        }
    }
}

#[cfg(test)]
mod properties {
    use super::super::matching::solve;
    use super::*;
    use proptest::prelude::*;

    /// Problems of up to `max_n` mentees × `max_m` mentors, capacities 0..=`max_cap`, about 15 %
    /// forbidden pairs, scores from a few values so that ties are common.
    fn arb_problem(max_n: usize, max_m: usize, max_cap: u32) -> impl Strategy<Value = Problem> {
        (0..=max_n, 0..=max_m).prop_flat_map(move |(n, m)| {
            let cell = prop_oneof![
                3 => Just(None),
                17 => prop::sample::select(vec![0i64, 1, 5, 5, 10, 50, 99, 100]).prop_map(Some),
            ];
            (prop::collection::vec(prop::collection::vec(cell, m), n), prop::collection::vec(0..=max_cap, m))
                .prop_map(|(scores, capacity)| Problem::new(scores, capacity).expect("valid problem"))
        })
    }

    /// Every feasible assignment of a (tiny) problem, as `mentor_of` vectors.
    fn all_assignments(p: &Problem) -> Vec<Vec<Option<usize>>> {
        fn go(p: &Problem, cur: &mut Vec<Option<usize>>, left: &mut Vec<u32>, out: &mut Vec<Vec<Option<usize>>>) {
            let i = cur.len();
            if i == p.n_mentees() {
                out.push(cur.clone());
                return;
            }
            cur.push(None);
            go(p, cur, left, out);
            cur.pop();
            for j in 0..p.n_mentors() {
                if p.score(i, j).is_some() && left[j] > 0 {
                    left[j] -= 1;
                    cur.push(Some(j));
                    go(p, cur, left, out);
                    cur.pop();
                    left[j] += 1;
                }
            }
        }
        let mut out = Vec::new();
        go(p, &mut Vec::new(), &mut p.capacity.clone(), &mut out);
        out
    }

    fn with_totals(p: &Problem, mentor_of: &[Option<usize>]) -> Assignment {
        let pairs = || mentor_of.iter().enumerate().filter_map(|(i, &j)| j.map(|j| (i, j)));
        Assignment {
            mentor_of: mentor_of.to_vec(),
            total_score: pairs().map(|(i, j)| p.score(i, j).unwrap()).sum(),
            matched: pairs().count(),
        }
    }

    /// Whether mentee `i` strictly prefers mentor `a` to `b`, straight from the definition.
    fn mentee_prefers(p: &Problem, i: usize, a: usize, b: Option<usize>) -> bool {
        let sa = p.score(i, a).unwrap();
        match b {
            None => true,
            Some(b) => {
                let sb = p.score(i, b).unwrap();
                sa > sb || (sa == sb && a < b)
            }
        }
    }

    /// Whether mentor `j` strictly prefers mentee `a` to mentee `b`, straight from the definition.
    fn mentor_prefers(p: &Problem, j: usize, a: usize, b: usize) -> bool {
        let (sa, sb) = (p.score(a, j).unwrap(), p.score(b, j).unwrap());
        sa > sb || (sa == sb && a < b)
    }

    /// The blocking pairs by brute force: for each allowed pair, the mentor's current mentees are
    /// listed and the one every other is preferred to is found by pairwise comparison.
    fn brute_blocking(p: &Problem, mentor_of: &[Option<usize>]) -> Vec<BlockingPair> {
        let mut out = Vec::new();
        for i in 0..p.n_mentees() {
            for j in 0..p.n_mentors() {
                let Some(s) = p.score(i, j) else { continue };
                let current = mentor_of[i];
                if current == Some(j) || !mentee_prefers(p, i, j, current) {
                    continue;
                }
                let members: Vec<usize> = (0..p.n_mentees()).filter(|&k| mentor_of[k] == Some(j)).collect();
                let displaced = if members.len() < p.capacity[j] as usize {
                    None
                } else {
                    let Some(&w) =
                        members.iter().find(|&&w| members.iter().all(|&k| k == w || mentor_prefers(p, j, k, w)))
                    else {
                        continue; // capacity 0
                    };
                    if !mentor_prefers(p, j, i, w) {
                        continue;
                    }
                    Some(w)
                };
                out.push(BlockingPair {
                    mentee: i,
                    mentor: j,
                    current_mentor: current,
                    displaced,
                    mentee_gain: s - current.map_or(0, |c| p.score(i, c).unwrap()),
                    mentor_gain: s - displaced.map_or(0, |w| p.score(w, j).unwrap()),
                });
            }
        }
        out
    }

    /// The greedy assignment over the one order on pairs: higher score, then lower mentee, then
    /// lower mentor.
    fn greedy(p: &Problem) -> Vec<Option<usize>> {
        let mut pairs: Vec<(Reverse<i64>, usize, usize)> = (0..p.n_mentees())
            .flat_map(|i| (0..p.n_mentors()).filter_map(move |j| p.score(i, j).map(|s| (Reverse(s), i, j))))
            .collect();
        pairs.sort();
        let mut left = p.capacity.clone();
        let mut mentor_of = vec![None; p.n_mentees()];
        for (_, i, j) in pairs {
            if mentor_of[i].is_none() && left[j] > 0 {
                left[j] -= 1;
                mentor_of[i] = Some(j);
            }
        }
        mentor_of
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// On small problems: deferred acceptance is feasible, stable, consistent in its totals,
        /// equal to the greedy over the order on pairs, and never beats the optimum.
        #[test]
        fn deferred_acceptance_is_stable(p in arb_problem(30, 8, 4)) {
            let a = deferred_acceptance(&p);
            prop_assert_eq!(check_feasible(&p, &a), Ok(()));
            prop_assert_eq!(&a, &with_totals(&p, &a.mentor_of));
            prop_assert_eq!(audit(&p, &a), vec![]);
            prop_assert!(is_stable(&p, &a));
            prop_assert_eq!(&a.mentor_of, &greedy(&p));
            let (opt, _) = solve(&p);
            prop_assert!((a.matched, a.total_score) <= (opt.matched, opt.total_score));
        }

        /// Long rows, where the preference lists are built by counting sort rather than by
        /// comparison.
        #[test]
        fn deferred_acceptance_is_stable_with_many_mentors(p in arb_problem(12, 60, 2)) {
            let a = deferred_acceptance(&p);
            prop_assert_eq!(check_feasible(&p, &a), Ok(()));
            prop_assert_eq!(&a, &with_totals(&p, &a.mentor_of));
            prop_assert!(is_stable(&p, &a));
            prop_assert_eq!(&a.mentor_of, &greedy(&p));
        }

        /// On tiny problems, against every feasible assignment: the stable ones are exactly the
        /// deferred acceptance result (so it is mentee-optimal among them, and mentor-optimal too).
        #[test]
        fn deferred_acceptance_is_the_mentee_optimal_stable_assignment(p in arb_problem(5, 3, 2)) {
            let a = deferred_acceptance(&p);
            let stable: Vec<Vec<Option<usize>>> =
                all_assignments(&p).into_iter().filter(|s| brute_blocking(&p, s).is_empty()).collect();
            prop_assert!(stable.contains(&a.mentor_of));
            for s in &stable {
                for (i, (&mine, &theirs)) in a.mentor_of.iter().zip(s).enumerate() {
                    // Mentee-optimal: every mentee does at least as well as in any stable assignment.
                    prop_assert!(mine == theirs || mine.is_some_and(|j| mentee_prefers(&p, i, j, theirs)));
                }
            }
            prop_assert_eq!(stable.len(), 1);
        }

        /// On tiny problems, the audit of every feasible assignment lists exactly the blocking pairs
        /// found by brute force, with the same gains, and `is_stable` agrees.
        #[test]
        fn audit_finds_exactly_the_blocking_pairs(p in arb_problem(5, 3, 2)) {
            for mentor_of in all_assignments(&p) {
                let a = with_totals(&p, &mentor_of);
                let expected = brute_blocking(&p, &mentor_of);
                prop_assert_eq!(is_stable(&p, &a), expected.is_empty());
                prop_assert_eq!(audit(&p, &a), expected);
            }
        }
    }
}
