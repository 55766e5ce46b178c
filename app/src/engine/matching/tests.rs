//! Unit tests on hand-made instances and property tests against an exhaustive oracle; every
//! answer is also checked with [`super::verify`].

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
    let scores = (0..n)
        .map(|_| {
            (0..m)
                .map(|_| if rng.below(100) < forbid_pct { None } else { Some(rng.below(MAX_SCORE as u64 + 1) as i64) })
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

/// Property tests: optimal against brute force, proven by the certificate.
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
