//! The matching benchmark: scoring plus the assignment solver on a realistic program and on
//! uniform random scores, and a comparison with the Hungarian algorithm
//! (`pathfinding::kuhn_munkres`) on smaller sizes, where both must reach the same objective; then
//! warm edits of a board session at full size (p50 and p99 per edit, the final state checked
//! against a fresh solve) and one "why not" question.
//!
//! `cargo bench -p app --bench matching` prints the figures; no harness. Every instance comes from
//! a seeded splitmix64 generator, so runs are reproducible.

use std::time::{Duration, Instant};

use app::engine::matching::{self, Problem, MAX_SCORE};
use app::engine::scoring::{self, week, Config, Mentee, Mentor, Weights};
use app::engine::warm::{why_not, Session};
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// Runs per timing; the median is reported.
const RUNS: usize = 5;
/// Mentor capacity everywhere.
const CAPACITY: u32 = 3;
/// Share of forbidden pairs, in per mille.
const FORBIDDEN_PER_MILLE: u64 = 80;
/// Random edits in the warm-edit benchmark.
const EDITS: usize = 200;
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
    Problem::new(scores, vec![CAPACITY; m]).expect("scores in range")
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

/// The `q`-quantile of some durations (nearest rank).
fn quantile(times: &[Duration], q: f64) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// An edit to time.
type Edit = Box<dyn FnOnce(&mut Session) -> Result<(), String>>;

/// One random edit of the board, valid for the session's state: pin a random allowed pair, unpin
/// a pinned mentee, forbid a mentee's current pair, change a mentor's capacity (1 to 5, never
/// below its pins), or give a mentee a new row of scores. Returns its name.
fn random_edit(rng: &mut Rng, s: &mut Session) -> (&'static str, Edit) {
    let (n, m) = (s.problem().n_mentees(), s.problem().n_mentors());
    loop {
        let i = rng.below(n as u64) as usize;
        let j = rng.below(m as u64) as usize;
        match rng.below(5) {
            0 => {
                let pinned = s.pins().iter().filter(|p| **p == Some(j)).count() as u32;
                if s.problem().score(i, j).is_some() && s.pins()[i].is_none() && pinned < s.problem().capacity[j] {
                    return ("pin", Box::new(move |s| s.pin(i, j)));
                }
            }
            1 => {
                let pinned: Vec<usize> = (0..n).filter(|&k| s.pins()[k].is_some()).collect();
                if !pinned.is_empty() {
                    let k = pinned[rng.below(pinned.len() as u64) as usize];
                    return ("unpin", Box::new(move |s| s.unpin(k)));
                }
            }
            2 => {
                if let (Some(j), None) = (s.assignment().mentor_of[i], s.pins()[i]) {
                    return ("forbid", Box::new(move |s| s.forbid(i, j)));
                }
            }
            3 => {
                let pinned = s.pins().iter().filter(|p| **p == Some(j)).count() as u32;
                let c = (rng.range(1, 5) as u32).max(pinned);
                return ("capacity", Box::new(move |s| s.set_capacity(j, c)));
            }
            _ => {
                if s.pins()[i].is_none() {
                    let row: Vec<Option<i64>> = (0..m)
                        .map(|_| {
                            (rng.below(1000) >= FORBIDDEN_PER_MILLE).then(|| rng.below(MAX_SCORE as u64 + 1) as i64)
                        })
                        .collect();
                    return ("rescore", Box::new(move |s| s.rescore(i, &row)));
                }
            }
        }
    }
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
            p.score(r, slots[c]).map_or(never, |s| bonus + s)
        } else {
            0
        }
    });
    let (_, column_of) = kuhn_munkres(&weights);
    let mut matched = 0;
    let mut total = 0;
    for (i, &c) in column_of.iter().enumerate().take(n) {
        if c < slots.len() {
            let s = p.score(i, slots[c]).expect("the reference never uses a forbidden pair");
            matched += 1;
            total += s;
        }
    }
    (matched, total)
}

fn forbidden_share(p: &Problem) -> f64 {
    let cells = (p.n_mentees() * p.n_mentors()).max(1);
    let forbidden: usize = (0..p.n_mentees()).map(|i| p.row(i).filter(Option::is_none).count()).sum();
    forbidden as f64 / cells as f64
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

    warm_edits();
}

/// The warm-edit benchmark: a session at 5 000 × 1 500, random edits timed one by one, the final
/// state checked against a fresh solve, and one "why not" question.
fn warm_edits() {
    println!("\nwarm edits at 5 000 × 1 500 × {CAPACITY} (realistic scores), {EDITS} random edits on one session:");
    let problem = Instance::new("realistic", 5_000, 1_500).problem();
    let start = Instant::now();
    let mut session = Session::new(problem).expect("a well-formed problem");
    let opened = start.elapsed();
    let mut rng = Rng(0xed17);
    let mut times = Vec::with_capacity(EDITS);
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..EDITS {
        let (kind, edit) = random_edit(&mut rng, &mut session);
        let start = Instant::now();
        edit(&mut session).expect("the edits are chosen valid");
        times.push(start.elapsed());
        *kinds.entry(kind).or_default() += 1;
    }
    let (a, fresh) = (session.free_assignment(), matching::solve(&session.free_problem()).0);
    assert_eq!((a.matched, a.total_score), (fresh.matched, fresh.total_score), "the warm state equals a fresh solve");
    session.verify().expect("the session's certificate proves its optimum");
    let pinned = session.pins().iter().filter(|p| p.is_some()).count();
    let i =
        (0..5_000).find(|&i| session.pins()[i].is_none() && session.assignment().mentor_of[i].is_some()).unwrap_or(0);
    let j = (0..1_500)
        .find(|&j| Some(j) != session.assignment().mentor_of[i] && session.problem().score(i, j).is_some())
        .unwrap_or(0);
    let (asked, cost) = timed(RUNS, || why_not(&session, i, j));
    let cost = cost.expect("a valid question");
    let mix: Vec<String> = kinds.iter().map(|(k, c)| format!("{c} {k}")).collect();
    println!(
        "  session opened (cold solve) in {}; per edit p50 {}, p99 {}, max {} ({}); {pinned} pins at the end",
        ms(opened),
        ms(quantile(&times, 0.5)),
        ms(quantile(&times, 0.99)),
        ms(quantile(&times, 1.0)),
        mix.join(", ")
    );
    println!(
        "  final state equals a fresh solve ({} matched, total score {}), certificate verified, {} cold fallbacks",
        a.matched + pinned,
        session.assignment().total_score,
        session.cold_solves()
    );
    println!(
        "  why_not(mentee {i}, mentor {j}): {} fewer matches, {} less score, in {} (a copy of the session and one pin)",
        cost.lost_matches,
        cost.lost_score,
        ms(asked)
    );
}
