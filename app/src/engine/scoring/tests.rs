//! Unit tests of each criterion, the rounding and the hard rules, and property tests on random
//! programs, among them that the matrix path agrees with the explained score on every pair.

use super::breakdown::ordinal;
use super::criteria::weighted_mean;
use super::matrix::magic;
use super::*;
use crate::engine::matching;

fn cfg() -> Config {
    Config::default()
}

/// A mentee and a mentor that agree on everything: level 3 and 5, skill 0, approach 1, Monday
/// 9–13, same location.
fn pair() -> (Mentee, Mentor) {
    let e = Mentee {
        level: Some(3),
        department: 1,
        skills_wanted: 0b111,
        approach: Some(1),
        availability: week(9..13),
        location: 7,
        remote_ok: true,
        wishes: vec![],
        reporting_line: vec![],
    };
    let t = Mentor {
        level: Some(5),
        department: 2,
        skills_offered: 0b111,
        approaches: 0b010,
        availability: week(9..13),
        location: 7,
        remote_ok: true,
    };
    (e, t)
}

fn part(b: &Breakdown, c: Criterion) -> &Part {
    b.parts.iter().find(|p| p.criterion == c).expect("every criterion has a part")
}

fn points(e: &Mentee, t: &Mentor, c: Criterion) -> (i64, String) {
    let b = score(&cfg(), e, 0, t).expect("allowed");
    let p = part(&b, c);
    (p.points, p.why.clone())
}

#[test]
fn a_perfect_pair_scores_100() {
    let (e, t) = pair();
    let b = score(&cfg(), &e, 0, &t).unwrap();
    assert_eq!(b.total, 100);
    assert_eq!(b.parts.iter().map(|p| p.criterion).collect::<Vec<_>>(), Criterion::ALL.to_vec());
    // Wishes are weighted out: the mentee gave none.
    assert_eq!(part(&b, Criterion::Wishes).weight, 0);
    assert_eq!(part(&b, Criterion::Wishes).points, NEUTRAL);
}

#[test]
fn skills_are_the_share_offered() {
    let (e, mut t) = pair();
    t.skills_offered = 0b1010; // one of the three wanted, plus one not wanted
    assert_eq!(points(&e, &t, Criterion::Skills), (33, "shares 1 of 3 wanted skills".into()));
    t.skills_offered = 0b011;
    assert_eq!(points(&e, &t, Criterion::Skills).0, 67);
    t.skills_offered = 0;
    assert_eq!(points(&e, &t, Criterion::Skills).0, 0);
    let e1 = Mentee { skills_wanted: 1 << 63, ..e.clone() };
    t.skills_offered = u64::MAX;
    assert_eq!(points(&e1, &t, Criterion::Skills), (100, "shares 1 of 1 wanted skill".into()));
    let none = Mentee { skills_wanted: 0, ..e };
    assert_eq!(points(&none, &t, Criterion::Skills), (NEUTRAL, "no wanted skills given".into()));
}

#[test]
fn approach_matches_the_preference() {
    let (mut e, mut t) = pair();
    assert_eq!(points(&e, &t, Criterion::Approach), (100, "practises the preferred approach".into()));
    t.approaches = 0b101;
    assert_eq!(points(&e, &t, Criterion::Approach), (0, "does not practise the preferred approach".into()));
    e.approach = Some(200); // beyond the bitmask: nobody practises it
    t.approaches = u8::MAX;
    assert_eq!(points(&e, &t, Criterion::Approach).0, 0);
    e.approach = None;
    assert_eq!(points(&e, &t, Criterion::Approach), (NEUTRAL, "no preferred approach given".into()));
}

#[test]
fn seniority_peaks_at_the_ideal_gap() {
    let (mut e, mut t) = pair();
    let by_gap: Vec<i64> = (-2..=8)
        .map(|gap| {
            t.level = Some(3 + gap);
            points(&e, &t, Criterion::Seniority).0
        })
        .collect();
    //                 gap: -2 -1  0   1    2   3   4   5  6  7  8
    assert_eq!(by_gap, vec![0, 0, 0, 75, 100, 75, 50, 25, 0, 0, 0]);
    t.level = Some(6);
    assert_eq!(points(&e, &t, Criterion::Seniority).1, "level gap 3, ideal 2");
    t.level = Some(2);
    assert_eq!(points(&e, &t, Criterion::Seniority).1, "level gap -1: the mentor is not more senior");
    t.level = None;
    assert_eq!(points(&e, &t, Criterion::Seniority), (NEUTRAL, "the mentor's level is not known".into()));
    e.level = None;
    assert_eq!(points(&e, &t, Criterion::Seniority), (NEUTRAL, "neither level is known".into()));
    t.level = Some(i64::MAX);
    assert_eq!(points(&e, &t, Criterion::Seniority), (NEUTRAL, "the mentee's level is not known".into()));
    e.level = Some(i64::MIN); // extreme levels saturate instead of overflowing
    assert_eq!(points(&e, &t, Criterion::Seniority).0, 0);
    let c = Config { ideal_gap: 4, ..cfg() };
    let (e, t) = (Mentee { level: Some(1), ..pair().0 }, Mentor { level: Some(5), ..pair().1 });
    assert_eq!(part(&score(&c, &e, 0, &t).unwrap(), Criterion::Seniority).points, 100);
}

#[test]
fn availability_counts_shared_hours_up_to_the_target() {
    let (e, mut t) = pair();
    t.availability = week(11..20);
    assert_eq!(points(&e, &t, Criterion::Availability), (50, "2 shared weekly hours (4 wanted)".into()));
    t.availability = week(12..13);
    assert_eq!(points(&e, &t, Criterion::Availability), (25, "1 shared weekly hour (4 wanted)".into()));
    t.availability = week(0..168);
    assert_eq!(points(&e, &t, Criterion::Availability).0, 100);
    t.availability = week(100..168);
    assert_eq!(points(&e, &t, Criterion::Availability), (0, "no shared weekly hours".into()));
    // Hours across word boundaries, and bits past the week that do not count.
    let e = Mentee { availability: [0, 0, u64::MAX], ..e };
    let t = Mentor { availability: week((126..130).chain(166..200)), ..t };
    assert_eq!(points(&e, &t, Criterion::Availability).1, "4 shared weekly hours (4 wanted)");
    let t = Mentor { availability: [0, 0, !0 << 40], ..t };
    assert_eq!(points(&e, &t, Criterion::Availability).0, 0);
}

#[test]
fn location_prefers_the_same_place_then_remote() {
    let (mut e, mut t) = pair();
    assert_eq!(points(&e, &t, Criterion::Location), (100, "same location".into()));
    t.location = 8;
    assert_eq!(points(&e, &t, Criterion::Location), (70, "different locations, both open to remote".into()));
    e.remote_ok = false;
    assert_eq!(points(&e, &t, Criterion::Location), (0, "different locations, not both open to remote".into()));
    t.location = 7;
    t.remote_ok = false;
    assert_eq!(points(&e, &t, Criterion::Location).0, 100);
}

#[test]
fn wishes_fall_by_rank_and_count_only_when_given() {
    let (mut e, t) = pair();
    e.wishes = vec![4, 0, 9, 4, 0];
    let at = |j: usize, e: &Mentee| {
        let b = score(&cfg(), e, j, &t).unwrap();
        let p = part(&b, Criterion::Wishes).clone();
        (p.points, p.weight, p.why)
    };
    assert_eq!(at(4, &e), (100, 4, "1st of 5 wishes".into()));
    assert_eq!(at(0, &e), (80, 4, "2nd of 5 wishes".into()));
    assert_eq!(at(9, &e), (60, 4, "3rd of 5 wishes".into()));
    assert_eq!(at(1, &e), (0, 4, "not among the mentee's 5 wishes".into()));
    e.wishes = (10..30).collect();
    assert_eq!(at(13, &e).0, 40);
    assert_eq!(at(14, &e).0, WISH_FLOOR);
    assert_eq!(at(29, &e), (WISH_FLOOR, 4, "20th of 20 wishes".into()));
    e.wishes = vec![3];
    assert_eq!(at(3, &e).2, "1st of 1 wish");
    assert_eq!(at(0, &e).2, "not among the mentee's 1 wish");
    e.wishes.clear();
    assert_eq!(at(3, &e), (NEUTRAL, 0, "no wishes given, so wishes do not count".into()));
    assert_eq!(ordinal(11), "11th");
    assert_eq!(ordinal(22), "22nd");
    assert_eq!(ordinal(103), "103rd");
}

#[test]
fn the_total_is_the_weighted_mean_rounded_half_up() {
    let (mut e, mut t) = pair();
    e.wishes = vec![1]; // mentor 0 not wished: 0 points at weight 4
    t.location = 3; // both remote: 70 at weight 2
    t.level = Some(6); // gap 3: 75 at weight 3

    // (5·100 + 2·100 + 3·75 + 4·100 + 2·70 + 4·0) / 20 = 1465 / 20 = 73.25
    assert_eq!(score(&cfg(), &e, 0, &t).unwrap().total, 73);
    let w = Weights { skills: 1, approach: 0, seniority: 1, availability: 0, location: 0, wishes: 0 };
    let c = Config { weights: w, ..cfg() };
    // (100 + 75) / 2 = 87.5 rounds up.
    assert_eq!(score(&c, &e, 0, &t).unwrap().total, 88);
    assert_eq!(weighted_mean(0, 0), NEUTRAL);
}

#[test]
fn nothing_weighted_gives_the_neutral_total() {
    let (e, t) = pair();
    let w = Weights { skills: 0, approach: 0, seniority: 0, availability: 0, location: 0, wishes: 7 };
    let c = Config { weights: w, ..cfg() };
    // Only wishes count, and this mentee gave none.
    assert_eq!(score(&c, &e, 0, &t).unwrap().total, NEUTRAL);
    let p = score_matrix(&c, &[e], &[t], &[], vec![1]);
    assert_eq!(p.to_rows(), vec![vec![Some(NEUTRAL)]]);
}

#[test]
fn the_reporting_line_blocks() {
    let (mut e, t) = pair();
    e.reporting_line = vec![5, 2];
    assert_eq!(score(&cfg(), &e, 2, &t), Err(Blocked::ReportingLine));
    assert!(score(&cfg(), &e, 1, &t).is_ok());
    assert_eq!(Blocked::ReportingLine.to_string(), "is their manager or above them in the reporting line");
}

#[test]
fn the_same_department_blocks_only_when_avoided() {
    let (e, mut t) = pair();
    t.department = e.department;
    assert!(score(&cfg(), &e, 0, &t).is_ok());
    let c = Config { avoid_same_department: true, ..cfg() };
    assert_eq!(score(&c, &e, 0, &t), Err(Blocked::SameDepartment));
    // The reporting line is named first.
    let boss = Mentee { reporting_line: vec![0], ..e };
    assert_eq!(score(&c, &boss, 0, &t), Err(Blocked::ReportingLine));
}

#[test]
fn admin_forbids_block() {
    let (e, t) = pair();
    let (mentees, mentors) = (vec![e.clone(), e], vec![t.clone(), t]);
    let forbidden = [(1, 0), (7, 7)];
    assert_eq!(explain(&cfg(), &mentees, &mentors, &forbidden, 1, 0), Err(Blocked::Forbidden));
    assert!(explain(&cfg(), &mentees, &mentors, &forbidden, 0, 0).is_ok());
    let p = score_matrix(&cfg(), &mentees, &mentors, &forbidden, vec![1, 1]);
    assert_eq!(p.to_rows(), vec![vec![Some(100), Some(100)], vec![None, Some(100)]]);
    assert_eq!(Blocked::Forbidden.reason(), "was ruled out for this mentee by an administrator");
}

#[test]
fn weights_are_checked() {
    assert_eq!(Weights::default().check(), Ok(()));
    assert_eq!(Config::default().check(), Ok(()));
    let mut w = Weights::default();
    w.set(Criterion::Location, 11);
    assert_eq!(w.check().unwrap_err(), "the location weight is 11; weights go from 0 to 10");
    let zero = Weights { skills: 0, approach: 0, seniority: 0, availability: 0, location: 0, wishes: 0 };
    assert!(zero.check().unwrap_err().contains("at least one"));
    let mut one = zero;
    one.set(Criterion::Wishes, MAX_WEIGHT);
    assert_eq!(one.check(), Ok(()));
    assert_eq!(one.get(Criterion::Wishes), 10);
    let c = Config { ideal_gap: 0, ..Config::default() };
    assert!(c.check().unwrap_err().contains("ideal level gap is 0"));
}

#[test]
fn a_breakdown_reads_as_sentences() {
    let (mut e, mut t) = pair();
    e.wishes = vec![3, 0];
    t.skills_offered = 0b110;
    t.level = Some(6);
    t.availability = week(12..16);
    t.location = 1;
    let b = score(&cfg(), &e, 0, &t).unwrap();
    let lines: Vec<String> =
        b.parts.iter().map(|p| format!("{}: {} ×{} — {}", p.criterion.label(), p.points, p.weight, p.why)).collect();
    assert_eq!(
        lines,
        vec![
            "skills: 67 ×5 — shares 2 of 3 wanted skills",
            "approach: 100 ×2 — practises the preferred approach",
            "seniority: 75 ×3 — level gap 3, ideal 2",
            "availability: 25 ×4 — 1 shared weekly hour (4 wanted)",
            "location: 70 ×2 — different locations, both open to remote",
            "wishes: 80 ×4 — 2nd of 2 wishes",
        ]
    );
    // (335 + 200 + 225 + 100 + 140 + 320) / 20 = 66
    assert_eq!(b.total, 66);
    let json = serde_json::to_string(&b).unwrap();
    assert!(json.contains("\"criterion\":\"skills\""), "{json}");
}

#[test]
fn magic_division_is_exact_where_it_is_used() {
    for d in 1..=2 * 6 * MAX_WEIGHT as u32 {
        let m = magic(d);
        for x in 0..=2 * 100 * 60 + 60 {
            assert_eq!(((x as u64 * m) >> 32) as u32, x / d, "{x} / {d}");
        }
    }
    // Out-of-range weights (up to 255) still divide exactly: the largest numerators.
    for d in 1..=2 * 6 * 255 {
        let m = magic(d);
        for x in 2 * 100 * 1530 + 1530 - 2000..=2 * 100 * 1530 + 1530 {
            assert_eq!(((x as u64 * m) >> 32) as u32, x / d, "{x} / {d}");
        }
    }
    let (e, t) = pair();
    let c = Config {
        weights: Weights { skills: 255, approach: 254, seniority: 3, availability: 200, location: 1, wishes: 99 },
        ..cfg()
    };
    let t2 = Mentor { skills_offered: 1, ..t.clone() };
    let p = score_matrix(&c, std::slice::from_ref(&e), &[t.clone(), t2.clone()], &[], vec![1, 1]);
    assert_eq!(
        p.to_rows()[0],
        vec![Some(score(&c, &e, 0, &t).unwrap().total), Some(score(&c, &e, 1, &t2).unwrap().total)]
    );
}

#[test]
fn the_matrix_matches_single_scores() {
    let (e, t) = pair();
    let mentees = vec![
        e.clone(),
        Mentee { level: None, wishes: vec![1, 0], reporting_line: vec![2, 99], ..e.clone() },
        Mentee { skills_wanted: 0, approach: None, department: 2, remote_ok: false, ..e },
    ];
    let mentors = vec![
        t.clone(),
        Mentor { location: 9, level: Some(4), skills_offered: 1, ..t.clone() },
        Mentor { availability: [0; 3], approaches: 0, ..t },
    ];
    for avoid in [false, true] {
        let c = Config { avoid_same_department: avoid, ..cfg() };
        let p = score_matrix(&c, &mentees, &mentors, &[(2, 1)], vec![1, 2, 3]);
        assert_eq!(p.capacity, vec![1, 2, 3]);
        for i in 0..3 {
            for j in 0..3 {
                let want = explain(&c, &mentees, &mentors, &[(2, 1)], i, j).ok().map(|b| b.total);
                assert_eq!(p.score(i, j), want, "pair ({i}, {j})");
            }
        }
        let (_, a, cert) = match_program(&c, &mentees, &mentors, &[(2, 1)], vec![1, 2, 3]);
        matching::verify(&p, &a, &cert).unwrap();
    }
}

/// Property tests: totals in range and equal to the mean of their parts, weights that act as
/// weights, and the matrix equal to the explained score on every pair.
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn arb_weights() -> impl Strategy<Value = Weights> {
        prop::array::uniform6(0u8..=MAX_WEIGHT).prop_map(
            |[skills, approach, seniority, availability, location, wishes]| Weights {
                skills,
                approach,
                seniority,
                availability,
                location,
                wishes,
            },
        )
    }

    fn arb_config() -> impl Strategy<Value = Config> {
        (arb_weights(), 1i64..=5, any::<bool>()).prop_map(|(weights, ideal_gap, avoid_same_department)| Config {
            weights,
            ideal_gap,
            avoid_same_department,
        })
    }

    /// A week of a few blocks, or any bits at all.
    fn arb_week() -> impl Strategy<Value = Week> {
        prop_oneof![
            prop::collection::vec((0usize..168, 1usize..6), 0..3)
                .prop_map(|blocks| week(blocks.into_iter().flat_map(|(s, l)| s..s + l))),
            any::<[u64; 3]>(),
        ]
    }

    /// Small skill sets over 8 skills, sometimes the whole 64.
    fn arb_skills() -> impl Strategy<Value = u64> {
        prop_oneof![4 => 0u64..256, 1 => any::<u64>()]
    }

    /// A mentee whose wishes and reporting line name mentors among `m` (and one beyond).
    fn arb_mentee(m: usize) -> impl Strategy<Value = Mentee> {
        (
            prop::option::of(1i64..=9),
            0u32..3,
            arb_skills(),
            prop::option::of(0u8..9),
            arb_week(),
            (0u32..3, any::<bool>()),
            prop::collection::vec(0..m + 1, 0..4),
            prop::collection::vec(0..m + 1, 0..2),
        )
            .prop_map(
                |(
                    level,
                    department,
                    skills_wanted,
                    approach,
                    availability,
                    (location, remote_ok),
                    wishes,
                    reporting_line,
                )| {
                    Mentee {
                        level,
                        department,
                        skills_wanted,
                        approach,
                        availability,
                        location,
                        remote_ok,
                        wishes,
                        reporting_line,
                    }
                },
            )
    }

    fn arb_mentor() -> impl Strategy<Value = Mentor> {
        (prop::option::of(1i64..=9), 0u32..3, arb_skills(), any::<u8>(), arb_week(), 0u32..3, any::<bool>()).prop_map(
            |(level, department, skills_offered, approaches, availability, location, remote_ok)| Mentor {
                level,
                department,
                skills_offered,
                approaches,
                availability,
                location,
                remote_ok,
            },
        )
    }

    type Instance = (Vec<Mentee>, Vec<Mentor>, Vec<(usize, usize)>);

    fn arb_instance() -> impl Strategy<Value = Instance> {
        (0usize..=5, 0usize..=5).prop_flat_map(|(n, m)| {
            (
                prop::collection::vec(arb_mentee(m), n),
                prop::collection::vec(arb_mentor(), m),
                prop::collection::vec((0..n + 1, 0..m + 1), 0..4),
            )
        })
    }

    /// One pair: a mentee, its index among 4 mentors, the mentor.
    fn arb_pair() -> impl Strategy<Value = (Mentee, usize, Mentor)> {
        (arb_mentee(4), 0usize..4, arb_mentor())
    }

    /// `mentor` with the facts behind criterion `c` taken from `other` (and, for wishes, the
    /// mentee's wishes from `wishes`).
    fn graft(c: Criterion, mentee: &Mentee, mentor: &Mentor, other: &Mentor, wishes: &[usize]) -> (Mentee, Mentor) {
        let (mut e, mut t) = (mentee.clone(), mentor.clone());
        match c {
            Criterion::Skills => t.skills_offered = other.skills_offered,
            Criterion::Approach => t.approaches = other.approaches,
            Criterion::Seniority => t.level = other.level,
            Criterion::Availability => t.availability = other.availability,
            Criterion::Location => (t.location, t.remote_ok) = (other.location, other.remote_ok),
            Criterion::Wishes => e.wishes = wishes.to_vec(),
        }
        (e, t)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn totals_and_points_stay_in_range((e, j, t) in arb_pair(), cfg in arb_config()) {
            if let Ok(b) = score(&cfg, &e, j, &t) {
                prop_assert!((0..=100).contains(&b.total));
                prop_assert_eq!(b.parts.len(), 6);
                for p in &b.parts {
                    prop_assert!((0..=100).contains(&p.points), "{:?}", p);
                    prop_assert!(!p.why.is_empty());
                }
            }
        }

        #[test]
        fn the_total_is_the_mean_of_the_parts((e, j, t) in arb_pair(), cfg in arb_config()) {
            if let Ok(b) = score(&cfg, &e, j, &t) {
                let num: i64 = b.parts.iter().map(|p| p.points * p.weight as i64).sum();
                let den: i64 = b.parts.iter().map(|p| p.weight as i64).sum();
                if den == 0 {
                    prop_assert_eq!(b.total, NEUTRAL);
                } else {
                    // round half up, in rationals: total - 1/2 ≤ num/den < total + 1/2
                    prop_assert!((2 * b.total - 1) * den <= 2 * num && 2 * num < (2 * b.total + 1) * den);
                }
            }
        }

        #[test]
        fn the_matrix_agrees_with_explain((mentees, mentors, forbidden) in arb_instance(), cfg in arb_config()) {
            let cap: Vec<u32> = (0..mentors.len() as u32).collect();
            let p = score_matrix(&cfg, &mentees, &mentors, &forbidden, cap.clone());
            prop_assert_eq!(&p.capacity, &cap);
            prop_assert_eq!(p.check(), Ok(()));
            prop_assert_eq!(p.n_mentees(), mentees.len());
            for (i, row) in p.to_rows().iter().enumerate() {
                for (j, s) in row.iter().enumerate() {
                    let want = explain(&cfg, &mentees, &mentors, &forbidden, i, j).ok().map(|b| b.total);
                    prop_assert_eq!(*s, want, "pair ({}, {})", i, j);
                }
            }
        }

        #[test]
        fn raising_the_weight_of_a_best_criterion_never_lowers_the_total(
            (e, j, t) in arb_pair(),
            cfg in arb_config(),
            c in prop::sample::select(Criterion::ALL.to_vec()),
            raise in 1u8..=MAX_WEIGHT,
        ) {
            let Ok(before) = score(&cfg, &e, j, &t) else { return Ok(()) };
            let mine = before.parts.iter().find(|p| p.criterion == c).unwrap().points;
            let others: Vec<&Part> = before.parts.iter().filter(|p| p.criterion != c && p.weight > 0).collect();
            // The pair scores at least as well on `c` as on every other criterion that counts.
            if !others.is_empty() && others.iter().all(|p| p.points <= mine) {
                let mut higher = cfg;
                higher.weights.set(c, (cfg.weights.get(c) + raise).min(MAX_WEIGHT));
                let after = score(&higher, &e, j, &t).unwrap();
                prop_assert!(after.total >= before.total, "{} → {}", before.total, after.total);
            }
        }

        #[test]
        fn a_zero_weight_removes_a_criterion(
            (e, j, t) in arb_pair(),
            other in arb_mentor(),
            wishes in prop::collection::vec(0usize..5, 0..4),
            cfg in arb_config(),
            c in prop::sample::select(Criterion::ALL.to_vec()),
        ) {
            let mut cfg = cfg;
            cfg.weights.set(c, 0);
            let (e2, t2) = graft(c, &e, &t, &other, &wishes);
            let a = score(&cfg, &e, j, &t).map(|b| b.total);
            let b = score(&cfg, &e2, j, &t2).map(|b| b.total);
            prop_assert_eq!(a, b);
        }
    }
}
