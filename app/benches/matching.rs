//! The matching benchmark: scoring plus the assignment solver on a realistic program and on
//! uniform random scores, and a comparison with the Hungarian algorithm
//! (`pathfinding::kuhn_munkres`) on smaller sizes, where both must reach the same objective.
//!
//! `cargo bench -p app --bench matching` prints the figures; no harness. Every instance comes from
//! a seeded splitmix64 generator, so runs are reproducible.

use std::time::{Duration, Instant};

use app::engine::matching::{self, Problem, MAX_SCORE};
use app::engine::scoring::{self, week, Config, Mentee, Mentor, Weights};
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// Runs per timing; the median is reported.
const RUNS: usize = 5;
/// Mentor capacity everywhere.
const CAPACITY: u32 = 3;
/// Share of forbidden pairs, in per mille.
const FORBIDDEN_PER_MILLE: u64 = 80;
/// A reference size whose runs would take longer than this is skipped.
const REFERENCE_BUDGET: Duration = Duration::from_secs(30);

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
}

/// A program's facts, ready for `score_matrix`.
struct Program {
    cfg: Config,
    mentees: Vec<Mentee>,
    mentors: Vec<Mentor>,
    forbidden: Vec<(usize, usize)>,
}

const DEPARTMENTS: u64 = 12;
const SKILLS: u64 = 30;
const LOCATIONS: u64 = 6;
const APPROACHES: u64 = 3;

/// A few skills, popular ones (low indexes) more often.
fn skills(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    let mut mask = 0u64;
    for _ in 0..rng.range(lo, hi) {
        mask |= 1 << rng.below(SKILLS).min(rng.below(SKILLS));
    }
    mask
}

/// Two or three 2-hour blocks out of 15 standard ones (weekdays at 8, 12 or 16 UTC).
fn hours(rng: &mut Rng) -> [u64; 3] {
    let blocks: Vec<usize> =
        (0..rng.range(2, 3)).map(|_| 24 * rng.below(5) as usize + [8, 12, 16][rng.below(3) as usize]).collect();
    week(blocks.into_iter().flat_map(|start| start..start + 2))
}

fn level(rng: &mut Rng, lo: u64, hi: u64) -> Option<i64> {
    if rng.percent(5) {
        None
    } else {
        Some(rng.range(lo, hi) as i64)
    }
}

/// A realistic program: 12 departments, levels 1–6 for mentees and 3–9 for mentors, ~30 skills
/// with few wanted or offered each, 15 availability blocks, 3 approaches, 6 locations, wishes for
/// 40 % of the mentees (mostly for the popular tenth of the mentors), reporting lines about 3
/// deep, and random admin forbids bringing the forbidden pairs to about 8 %.
fn program(seed: u64, n: usize, m: usize) -> Program {
    let mut rng = Rng(seed);
    let mentors: Vec<Mentor> = (0..m)
        .map(|_| Mentor {
            level: level(&mut rng, 3, 9),
            department: rng.below(DEPARTMENTS) as u32,
            skills_offered: skills(&mut rng, 2, 5),
            approaches: (1 << rng.below(APPROACHES)) | if rng.percent(40) { 1 << rng.below(APPROACHES) } else { 0 },
            availability: hours(&mut rng),
            location: rng.below(LOCATIONS) as u32,
            remote_ok: rng.percent(70),
        })
        .collect();

    // Each mentor's manager: a mentor of the same department at least two levels up.
    let mut by_department: Vec<Vec<usize>> = vec![Vec::new(); DEPARTMENTS as usize];
    for (j, t) in mentors.iter().enumerate() {
        by_department[t.department as usize].push(j);
    }
    let pick_manager = |rng: &mut Rng, department: u32, above: i64| -> Option<usize> {
        let candidates: Vec<usize> = by_department[department as usize]
            .iter()
            .copied()
            .filter(|&j| mentors[j].level.is_some_and(|l| l >= above))
            .collect();
        (!candidates.is_empty()).then(|| candidates[rng.below(candidates.len() as u64) as usize])
    };
    let manager: Vec<Option<usize>> =
        mentors.iter().map(|t| t.level.and_then(|l| pick_manager(&mut rng, t.department, l + 2))).collect();

    let mentees: Vec<Mentee> = (0..n)
        .map(|_| {
            let level = level(&mut rng, 1, 6);
            let department = rng.below(DEPARTMENTS) as u32;
            let mut reporting_line = Vec::new();
            let mut boss = pick_manager(&mut rng, department, level.unwrap_or(1) + 1);
            while let Some(b) = boss {
                if reporting_line.contains(&b) {
                    break;
                }
                reporting_line.push(b);
                boss = manager[b];
            }
            let wishes = if rng.percent(40) {
                (0..rng.range(1, 3))
                    .map(|_| if rng.percent(50) { rng.below((m as u64 / 10).max(1)) } else { rng.below(m as u64) } as usize)
                    .collect()
            } else {
                Vec::new()
            };
            Mentee {
                level,
                department,
                skills_wanted: skills(&mut rng, 1, 3),
                approach: if rng.percent(30) { None } else { Some(rng.below(APPROACHES) as u8) },
                availability: hours(&mut rng),
                location: rng.below(LOCATIONS) as u32,
                remote_ok: rng.percent(70),
                wishes,
                reporting_line,
            }
        })
        .collect();

    let in_lines: usize = mentees.iter().map(|e| e.reporting_line.len()).sum();
    let target = (n * m) as u64 * FORBIDDEN_PER_MILLE / 1000;
    let forbidden = (0..target.saturating_sub(in_lines as u64))
        .map(|_| (rng.below(n as u64) as usize, rng.below(m as u64) as usize))
        .collect();
    let cfg = Config { weights: Weights::default(), ideal_gap: 2, avoid_same_department: false };
    Program { cfg, mentees, mentors, forbidden }
}

impl Program {
    fn score(&self) -> Problem {
        let capacity = vec![CAPACITY; self.mentors.len()];
        scoring::score_matrix(&self.cfg, &self.mentees, &self.mentors, &self.forbidden, capacity)
    }
}

/// Uniform random scores 0..=100, about 8 % forbidden.
fn uniform(seed: u64, n: usize, m: usize) -> Problem {
    let mut rng = Rng(seed);
    let scores = (0..n)
        .map(|_| {
            (0..m)
                .map(|_| {
                    if rng.below(1000) < FORBIDDEN_PER_MILLE {
                        None
                    } else {
                        Some(rng.below(MAX_SCORE as u64 + 1) as i64)
                    }
                })
                .collect()
        })
        .collect();
    Problem { scores, capacity: vec![CAPACITY; m] }
}

/// An instance of either kind.
enum Instance {
    Realistic(Program),
    Uniform(Problem),
}

impl Instance {
    fn new(kind: &str, n: usize, m: usize) -> Instance {
        let seed = 0x5eed ^ (n as u64) << 20 ^ m as u64;
        match kind {
            "realistic" => Instance::Realistic(program(seed, n, m)),
            _ => Instance::Uniform(uniform(seed, n, m)),
        }
    }

    /// The scored problem, for the reference and for checks.
    fn problem(&self) -> Problem {
        match self {
            Instance::Realistic(p) => p.score(),
            Instance::Uniform(p) => p.clone(),
        }
    }

    /// Our cold solve: scoring (realistic instances) and `matching::solve`.
    fn solve(&self) -> (Problem, matching::Assignment, matching::Certificate) {
        match self {
            Instance::Realistic(p) => {
                let problem = p.score();
                let (a, c) = matching::solve(&problem);
                (problem, a, c)
            }
            Instance::Uniform(p) => {
                let (a, c) = matching::solve(p);
                (Problem::default(), a, c)
            }
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times `f` `runs` times and returns the median and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let r = f();
        times.push(start.elapsed());
        last = Some(std::hint::black_box(r));
    }
    (median(times), last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// The Hungarian reference on the slot-duplicated square matrix: rows are the mentees and one
/// dummy row per slot, columns the slots (each mentor repeated `capacity` times) and one dummy
/// column per mentee. A mentee–slot cell weighs `bonus + score` (the engine's `match_bonus`) or a
/// large negative weight where the pair is forbidden; every cell involving a dummy weighs 0, so
/// a mentee matched to a dummy column stays unassigned. Returns (matched, total score).
fn reference(p: &Problem) -> (usize, i64) {
    let n = p.n_mentees();
    let slots: Vec<usize> = (0..p.n_mentors()).flat_map(|j| std::iter::repeat_n(j, p.capacity[j] as usize)).collect();
    let size = n + slots.len();
    let bonus = matching::match_bonus(p);
    let never = -(bonus + MAX_SCORE) * (n as i64 + 1);
    let weights = Matrix::from_fn(size, size, |(r, c)| {
        if r < n && c < slots.len() {
            p.scores[r][slots[c]].map_or(never, |s| bonus + s)
        } else {
            0
        }
    });
    let (_, column_of) = kuhn_munkres(&weights);
    let mut matched = 0;
    let mut total = 0;
    for (i, &c) in column_of.iter().enumerate().take(n) {
        if c < slots.len() {
            let s = p.scores[i][slots[c]].expect("the reference never uses a forbidden pair");
            matched += 1;
            total += s;
        }
    }
    (matched, total)
}

fn forbidden_share(p: &Problem) -> f64 {
    let cells = p.scores.iter().map(Vec::len).sum::<usize>().max(1);
    p.scores.iter().flatten().filter(|s| s.is_none()).count() as f64 / cells as f64
}

fn main() {
    println!(
        "matching benchmark: capacity {CAPACITY}, ~{} % forbidden, median of {RUNS} runs",
        FORBIDDEN_PER_MILLE / 10
    );
    println!("ours = score_matrix (realistic only) + matching::solve; reference = slot matrix + kuhn_munkres\n");
    println!("{:<22} | {:>13} | {:>18} | {:>7}", "size", "ours (median)", "reference (median)", "ratio");
    println!("{:-<22}-+-{:->13}-+-{:->18}-+-{:->7}", "", "", "", "");
    for kind in ["realistic", "uniform"] {
        // Seconds per (matrix side)³, from the last reference run, to skip sizes over budget.
        let mut per_cube: Option<f64> = None;
        for (n, m) in [(100, 30), (200, 60), (400, 120), (800, 240)] {
            let instance = Instance::new(kind, n, m);
            let (ours, (_, a, _)) = timed(RUNS, || instance.solve());
            let problem = instance.problem();
            let side = (n + m * CAPACITY as usize) as f64;
            let label = format!("{kind} {n}×{m}");
            let predicted = per_cube.map(|k| k * side.powi(3));
            if predicted.is_some_and(|t| t > REFERENCE_BUDGET.as_secs_f64()) {
                println!("{label:<22} | {:>13} | {:>18} | {:>7}", ms(ours), "skipped (> 30 s)", "");
                continue;
            }
            let runs = predicted.map_or(RUNS, |t| ((REFERENCE_BUDGET.as_secs_f64() / t) as usize).clamp(1, RUNS));
            let (theirs, objective) = timed(runs, || reference(&problem));
            assert_eq!((a.matched, a.total_score), objective, "{label}: same objective as the reference");
            per_cube = Some(theirs.as_secs_f64() / side.powi(3));
            let note = if runs < RUNS { format!(" ({runs} runs)") } else { String::new() };
            println!(
                "{label:<22} | {:>13} | {:>18} | {:>6.0}×",
                ms(ours),
                ms(theirs) + &note,
                theirs.as_secs_f64() / ours.as_secs_f64()
            );
        }
    }

    println!("\n5 000 mentees × 1 500 mentors, capacity {CAPACITY}:");
    for kind in ["realistic", "uniform"] {
        let instance = Instance::new(kind, 5_000, 1_500);
        let scoring = match &instance {
            Instance::Realistic(p) => Some(timed(RUNS, || p.score()).0),
            Instance::Uniform(_) => None,
        };
        let (cold, (scored, a, c)) = timed(RUNS, || instance.solve());
        let problem = match instance {
            Instance::Realistic(_) => scored,
            Instance::Uniform(p) => p,
        };
        let start = Instant::now();
        matching::verify(&problem, &a, &c).expect("the certificate proves the assignment optimal");
        let verified = start.elapsed();
        let label = match scoring {
            Some(s) => format!("score_matrix {}, cold solve incl. scoring {}", ms(s), ms(cold)),
            None => format!("cold solve {}", ms(cold)),
        };
        println!(
            "  {kind:<9}: {label}; {} matched, total score {}; {:.1} % forbidden; verify ok in {}",
            a.matched,
            a.total_score,
            100.0 * forbidden_share(&problem),
            ms(verified)
        );
    }
}
