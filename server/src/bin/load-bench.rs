//! The load test of issue 16: many virtual users for a bounded time doing what the product's
//! people do, against the release build on loopback, with figures per kind of request and the
//! server's memory over the run.
//!
//! Each virtual user is one person at a time: it signs in (the form post the sign-in page uses),
//! does a session of actions with a think time between them, signs out, and goes on as the next
//! person of its kind. The kinds and their mix:
//!
//! - mentees (10 of every 16 users): their home page, their goal's page, a goal check-in, their
//!   goals, notifications and surveys, and each open survey answered once;
//! - mentors (3 of 16): their home page, the pair's page, a meeting logged, notifications, and the
//!   surveys answered once;
//! - leadership (2 of 16): their home page, the dashboard page and the dashboard's data;
//! - admins (1 of 16): their home page, the dashboard, the matching board read and edited
//!   (pin a mentee, or take one off) against the version they read. Two admins on one board
//!   conflict by design; a conflict is counted apart (the board then reloads), not as an error.
//!
//! The participants are the load-test cohort the server seeds with `DEMO_LOAD_PAIRS` (`--pairs`,
//! default 640 pairs, three open surveys); leadership and admins are the demo's accounts.
//!
//! Run: `./x bench load` (release build; starts `mentorship serve --seed-demo` on `mem://` and a
//! free loopback port, samples its memory, then stops it), or `load-bench --url URL` against a
//! server already seeded with `DEMO_LOAD_PAIRS` (no memory figures then, unless `--pid`).
//! The exit status is non-zero when any request failed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server::benchkit::{ms, pct, sign_in, start_server, Conn, Reply};
use server::seed_scale::Rng;

const USAGE: &str = "usage: load-bench [--url http://HOST:PORT] [--pid PID] [--users 64] [--secs 300] \
[--think-ms 100] [--session 20] [--pairs 640] [--ramp-secs 10] [--db mem|surrealkv]";

const PASSWORD: &str = "mentorship-demo";

struct Options {
    url: Option<String>,
    pid: Option<u32>,
    users: usize,
    secs: u64,
    think_ms: u64,
    session: usize,
    pairs: usize,
    ramp: u64,
    db: String,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        url: None,
        pid: None,
        users: 64,
        secs: 300,
        think_ms: 100,
        session: 20,
        pairs: 640,
        ramp: 10,
        db: "mem".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|_| format!("{a} needs a number"));
        match a.as_str() {
            "--url" => o.url = Some(value()?.trim_end_matches('/').to_string()),
            "--pid" => o.pid = Some(number(value()?)? as u32),
            "--users" => o.users = number(value()?)? as usize,
            "--secs" => o.secs = number(value()?)?,
            "--think-ms" => o.think_ms = number(value()?)?,
            "--session" => o.session = number(value()?)? as usize,
            "--pairs" => o.pairs = number(value()?)? as usize,
            "--ramp-secs" => o.ramp = number(value()?)?,
            "--db" => o.db = value()?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if o.users == 0 || o.secs == 0 || o.session == 0 || o.pairs == 0 {
        return Err("--users, --secs, --session and --pairs must be above 0".into());
    }
    Ok(o)
}

/// Who a virtual user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persona {
    Mentee,
    Mentor,
    Leadership,
    Admin,
}

fn persona(i: usize) -> Persona {
    match i % 16 {
        0..=9 => Persona::Mentee,
        10..=12 => Persona::Mentor,
        13 | 14 => Persona::Leadership,
        _ => Persona::Admin,
    }
}

/// What is measured: one kind of request, and whether its budget is a read's or a write's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SignIn,
    SignOut,
    HomePage,
    LeadershipHome,
    AdminHome,
    GoalPage,
    PairPage,
    DashboardPage,
    ParticipantRead,
    DashboardRead,
    BoardRead,
    CheckIn,
    SurveyAnswer,
    Meeting,
    BoardEdit,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::SignIn => "sign-in",
            Kind::SignOut => "sign-out",
            Kind::HomePage => "participant home (HTML)",
            Kind::LeadershipHome => "leadership home (HTML)",
            Kind::AdminHome => "admin home (HTML)",
            Kind::GoalPage => "goal page (HTML)",
            Kind::PairPage => "pair page (HTML)",
            Kind::DashboardPage => "dashboard page (HTML)",
            Kind::ParticipantRead => "goals/notifications/surveys",
            Kind::DashboardRead => "dashboard data",
            Kind::BoardRead => "board read",
            Kind::CheckIn => "goal check-in",
            Kind::SurveyAnswer => "survey answer",
            Kind::Meeting => "meeting logged",
            Kind::BoardEdit => "board edit",
        }
    }

    fn write(self) -> bool {
        matches!(
            self,
            Kind::SignIn | Kind::SignOut | Kind::CheckIn | Kind::SurveyAnswer | Kind::Meeting | Kind::BoardEdit
        )
    }
}

/// One virtual user's figures.
#[derive(Default)]
struct Tally {
    times: BTreeMap<Kind, Vec<Duration>>,
    errors: BTreeMap<Kind, usize>,
    conflicts: usize,
    /// Board edits the board's rules refused (a random pin of someone's manager, or onto a mentor
    /// already full): answered 422 with the reason, as the board shows it.
    refused: usize,
    first_errors: Vec<String>,
}

impl Tally {
    fn ok(&mut self, kind: Kind, took: Duration) {
        self.times.entry(kind).or_default().push(took);
    }

    fn error(&mut self, kind: Kind, what: String) {
        *self.errors.entry(kind).or_default() += 1;
        if self.first_errors.len() < 3 {
            self.first_errors.push(format!("{}: {what}", kind.name()));
        }
    }

    fn merge(&mut self, other: Tally) {
        for (k, v) in other.times {
            self.times.entry(k).or_default().extend(v);
        }
        for (k, n) in other.errors {
            *self.errors.entry(k).or_default() += n;
        }
        self.conflicts += other.conflicts;
        self.refused += other.refused;
        for e in other.first_errors {
            if self.first_errors.len() < 10 {
                self.first_errors.push(e);
            }
        }
    }
}

/// One virtual user's connection and session.
struct User {
    conn: Conn,
    token: String,
    tally: Tally,
    rng: Rng,
    think: u64,
}

fn get_head(path: &str, token: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nCookie: mentorship_session={token}\r\nAccept: text/html\r\nAccept-Encoding: gzip, deflate, br"
    )
}

fn post_head(path: &str, token: &str, json: bool) -> String {
    let ty = if json { "application/json" } else { "application/x-www-form-urlencoded" };
    format!("POST /api/{path} HTTP/1.1\r\nCookie: mentorship_session={token}\r\nContent-Type: {ty}\r\nAccept: application/json")
}

impl User {
    /// Sends a request, timing it; the reply when it is one of `ok` (a 2xx by default).
    async fn timed(&mut self, kind: Kind, head: String, body: &[u8], conflict_ok: bool) -> Option<Reply> {
        let t = Instant::now();
        match self.conn.send(&head, body).await {
            Ok(r) if (200..300).contains(&r.status) => {
                self.tally.ok(kind, t.elapsed());
                Some(r)
            }
            Ok(r) if conflict_ok && r.status == 409 => {
                self.tally.conflicts += 1;
                None
            }
            Ok(r) if conflict_ok && r.status == 422 => {
                self.tally.ok(kind, t.elapsed());
                self.tally.refused += 1;
                None
            }
            Ok(r) => {
                let text = String::from_utf8_lossy(&r.body).chars().take(160).collect::<String>();
                self.tally.error(kind, format!("HTTP {} {text}", r.status));
                tokio::time::sleep(Duration::from_millis(50)).await;
                None
            }
            Err(e) => {
                self.tally.error(kind, e.to_string());
                tokio::time::sleep(Duration::from_millis(50)).await;
                None
            }
        }
    }

    async fn page(&mut self, kind: Kind, path: &str) {
        let head = get_head(path, &self.token);
        self.timed(kind, head, &[], false).await;
    }

    async fn api(&mut self, kind: Kind, path: &str, body: Value) -> Option<Value> {
        let head = post_head(path, &self.token, true);
        let r = self.timed(kind, head, body.to_string().as_bytes(), kind == Kind::BoardEdit).await?;
        Some(serde_json::from_slice(&r.body).unwrap_or(Value::Null))
    }

    async fn form(&mut self, kind: Kind, path: &str, body: &str) -> Option<Value> {
        let head = post_head(path, &self.token, false);
        let r = self.timed(kind, head, body.as_bytes(), false).await?;
        Some(serde_json::from_slice(&r.body).unwrap_or(Value::Null))
    }

    async fn think(&mut self) {
        if self.think > 0 {
            // Uniform in [0, 2 × mean].
            tokio::time::sleep(Duration::from_millis(self.rng.below(2 * self.think + 1))).await;
        }
    }

    async fn sign_in(&mut self, host: &str, email: &str) -> bool {
        let t = Instant::now();
        match sign_in(host, email, PASSWORD).await {
            Ok(token) => {
                self.tally.ok(Kind::SignIn, t.elapsed());
                self.token = token;
                true
            }
            Err(e) => {
                self.tally.error(Kind::SignIn, e);
                tokio::time::sleep(Duration::from_millis(200)).await;
                false
            }
        }
    }

    async fn sign_out(&mut self) {
        let head = post_head("auth/logout", &self.token, false);
        self.timed(Kind::SignOut, head, &[], false).await;
    }
}

/// Answers of a pulse survey (as the demo's: two 1–5 scales, a 0–10 recommendation, a note).
fn answers(rng: &mut Rng) -> Value {
    json!({
        "q1": { "scale": 2 + rng.below(4) },
        "q2": { "scale": 1 + rng.below(5) },
        "q3": { "scale": 4 + rng.below(7) },
        "q4": { "text": "More time on real situations" },
    })
}

const SURVEYS: [&str; 3] = ["load_1", "load_2", "load_3"];

struct Shared {
    host: String,
    until: Instant,
    pairs: usize,
    session: usize,
    board_cohort: String,
    stop: Arc<AtomicBool>,
    /// Users start evenly spread over this span.
    ramp: Duration,
    users: usize,
    /// How many of the open surveys each participant (by email) has answered, kept for all the
    /// virtual users: at the stress pace the mentors' users come round to people another user
    /// already was (12 users step through the 640 pairs), whose answers the server rightly
    /// refuses a second time.
    answered: Mutex<BTreeMap<String, usize>>,
}

/// Runs virtual user `i` of `of_kind` users of its persona until the end.
async fn virtual_user(i: usize, index: usize, of_kind: usize, shared: Arc<Shared>, think: u64) -> Tally {
    let p = persona(i);
    let mut u = User {
        conn: Conn::new(&shared.host),
        token: String::new(),
        tally: Tally::default(),
        rng: Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d)),
        think,
    };
    let mut round = 0usize;
    // The board as last read (admins): version and sizes.
    let mut board: Option<(i64, Vec<String>, Vec<String>)> = None;
    // People arrive over the ramp-up, not all in the same instant.
    tokio::time::sleep(shared.ramp.mul_f64(i as f64 / shared.users as f64)).await;
    while Instant::now() < shared.until && !shared.stop.load(Ordering::Relaxed) {
        // The next person of this kind: participants go through the load cohort's pairs.
        let k = (index + round * of_kind) % shared.pairs;
        round += 1;
        let email = match p {
            Persona::Mentee => format!("mentee{k}@load.example"),
            Persona::Mentor => format!("mentor{k}@load.example"),
            Persona::Leadership => "leader@northwind.example".to_string(),
            Persona::Admin => "admin@northwind.example".to_string(),
        };
        if !u.sign_in(&shared.host, &email).await {
            continue;
        }
        for _ in 0..shared.session {
            if Instant::now() >= shared.until {
                break;
            }
            u.think().await;
            let roll = u.rng.below(100);
            match p {
                Persona::Mentee => match roll {
                    0..=29 => u.page(Kind::HomePage, "/home/mentee").await,
                    30..=44 => u.page(Kind::GoalPage, &format!("/goals/load_{k}")).await,
                    45..=59 => {
                        let progress = 10 + u.rng.below(80);
                        let body = json!({ "input": { "goal_id": format!("load_{k}"), "progress": progress.to_string(),
                            "note": "Sent the agenda before the one-to-one", "evidence": "" } });
                        u.api(Kind::CheckIn, "goals/checkin", body).await;
                    }
                    60..=69 => {
                        u.api(Kind::ParticipantRead, "notifications/mine", json!({})).await;
                    }
                    70..=79 => {
                        u.api(Kind::ParticipantRead, "goals/mine", json!({})).await;
                    }
                    _ => answer_or_list(&mut u, &shared.answered, &email).await,
                },
                Persona::Mentor => match roll {
                    0..=34 => u.page(Kind::HomePage, "/home/mentor").await,
                    35..=54 => u.page(Kind::PairPage, &format!("/pairs/load_{k}")).await,
                    55..=69 => {
                        let day = app::domain::activity::types::date_of(
                            app::validate::unix_now() - 86_400 * (1 + u.rng.below(20) as i64),
                        );
                        let body = json!({ "input": { "pairing_id": format!("load_{k}"), "on": day, "minutes": "45",
                            "topics": "Agenda review and a hard conversation rehearsed", "notes": "" } });
                        u.api(Kind::Meeting, "pairs/log-meeting", body).await;
                    }
                    70..=84 => {
                        u.api(Kind::ParticipantRead, "notifications/mine", json!({})).await;
                    }
                    _ => answer_or_list(&mut u, &shared.answered, &email).await,
                },
                Persona::Leadership => match roll {
                    0..=29 => u.page(Kind::LeadershipHome, "/home/leadership").await,
                    30..=59 => u.page(Kind::DashboardPage, "/dashboard").await,
                    _ => {
                        u.api(Kind::DashboardRead, "metrics/dashboard", json!({ "filters": { "program": "", "cohort": "", "department": "", "from": "", "to": "" } })).await;
                    }
                },
                Persona::Admin => match roll {
                    0..=19 => u.page(Kind::AdminHome, "/home/admin").await,
                    20..=34 => {
                        u.api(Kind::DashboardRead, "metrics/dashboard", json!({ "filters": { "program": "", "cohort": "", "department": "", "from": "", "to": "" } })).await;
                    }
                    35..=59 => board = read_board(&mut u, &shared.board_cohort).await.or(board),
                    _ => {
                        if board.is_none() {
                            board = read_board(&mut u, &shared.board_cohort).await;
                        }
                        if let Some((version, mentees, mentors)) = &board {
                            let (i, j) = (u.rng.below(mentees.len() as u64), u.rng.below(mentors.len() as u64));
                            let (i, j) = (i as usize, j as usize);
                            let edit = if u.rng.below(3) == 0 {
                                json!({ "edit": { "kind": "unassign", "mentee": i }, "mentee": mentees[i] })
                            } else {
                                json!({ "edit": { "kind": "pin", "mentee": i, "mentor": j },
                                    "mentee": mentees[i], "mentor": mentors[j] })
                            };
                            let body = json!({ "cohort_id": shared.board_cohort, "version": version, "edit": edit });
                            let before = u.tally.conflicts;
                            match u.api(Kind::BoardEdit, "board/edit", body).await {
                                Some(view) => board = board_of(&view).or(board),
                                // Another admin changed it first: read it again, as the page does.
                                None if u.tally.conflicts > before => {
                                    board = read_board(&mut u, &shared.board_cohort).await.or(board)
                                }
                                None => {}
                            }
                        }
                    }
                },
            }
        }
        u.sign_out().await;
    }
    u.tally
}

/// Answers the next open survey the person has not answered, or lists their surveys when none is
/// left.
async fn answer_or_list(u: &mut User, answered: &Mutex<BTreeMap<String, usize>>, email: &str) {
    // The survey is taken (counted) before it is sent, so no two users answer it for one person.
    let next = {
        let mut answered = answered.lock().unwrap_or_else(|e| e.into_inner());
        let done = answered.entry(email.to_string()).or_insert(0);
        let next = SURVEYS.get(*done).copied();
        *done += usize::from(next.is_some());
        next
    };
    if let Some(id) = next {
        let body = json!({ "id": id, "answers": answers(&mut u.rng) });
        u.api(Kind::SurveyAnswer, "surveys/submit", body).await;
    } else {
        u.api(Kind::ParticipantRead, "surveys/mine", json!({})).await;
    }
}

fn board_of(view: &Value) -> Option<(i64, Vec<String>, Vec<String>)> {
    let ids = |side: &str| -> Vec<String> {
        view[side]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p["id"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let (mentees, mentors) = (ids("mentees"), ids("mentors"));
    (!mentees.is_empty() && !mentors.is_empty())
        .then(|| (view["version"].as_i64().unwrap_or_default(), mentees, mentors))
}

async fn read_board(u: &mut User, cohort: &str) -> Option<(i64, Vec<String>, Vec<String>)> {
    let view = u.form(Kind::BoardRead, "board/get", &format!("cohort_id={cohort}")).await?;
    board_of(&view)
}

/// The server's resident memory in KiB (`VmRSS`) and its peak (`VmHWM`).
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("{USAGE}");
            return std::process::ExitCode::from(2);
        }
    };
    let pairs = o.pairs.to_string();
    let (server, host) = match &o.url {
        Some(url) => (None, url.trim_start_matches("http://").to_string()),
        None => match start_server(&o.db, &[("DEMO_LOAD_PAIRS", &pairs)]).await {
            Ok((s, host)) => (Some(s), host),
            Err(e) => {
                eprintln!("error: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
    };
    let pid = o.pid.or(server.as_ref().map(|s| s.child.id()));

    // The board the admins edit: the demo's cohort in the matching stage.
    let admin = match sign_in(&host, "admin@northwind.example", PASSWORD).await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut conn = Conn::new(&host);
    let cohorts: Value = match conn.send(&post_head("cohorts/list", &admin, false), &[]).await {
        Ok(r) if r.status == 200 => serde_json::from_slice(&r.body).unwrap_or(Value::Null),
        Ok(r) => {
            eprintln!("error: cohorts/list answered HTTP {}", r.status);
            return std::process::ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: cohorts/list: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let Some(board_cohort) = cohorts
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == "Winter 2026"))
        .and_then(|c| c["id"].as_str())
        .map(String::from)
    else {
        eprintln!("error: the demo's \"Winter 2026\" cohort (the board) is not there");
        return std::process::ExitCode::FAILURE;
    };
    // The load cohort must be there (a server started without DEMO_LOAD_PAIRS has none).
    match sign_in(&host, "mentee0@load.example", PASSWORD).await {
        Ok(_) => {}
        Err(e) => {
            eprintln!("error: the load-test cohort is not there (start the server with DEMO_LOAD_PAIRS): {e}");
            return std::process::ExitCode::FAILURE;
        }
    }

    let personas: Vec<Persona> = (0..o.users).map(persona).collect();
    let count = |p: Persona| personas.iter().filter(|&&q| q == p).count();
    println!(
        "{} virtual users ({} mentees, {} mentors, {} leadership, {} admins), {} s, think time 0–{} ms, \
         {} actions per sign-in, arriving over {} s; {} load-test pairs, 3 open surveys; server {}",
        o.users,
        count(Persona::Mentee),
        count(Persona::Mentor),
        count(Persona::Leadership),
        count(Persona::Admin),
        o.secs,
        2 * o.think_ms,
        o.session,
        o.ramp,
        o.pairs,
        host
    );

    let start = Instant::now();
    let shared = Arc::new(Shared {
        host: host.clone(),
        until: start + Duration::from_secs(o.secs),
        pairs: o.pairs,
        session: o.session,
        board_cohort,
        stop: Arc::new(AtomicBool::new(false)),
        ramp: Duration::from_secs(o.ramp),
        users: o.users,
        answered: Mutex::new(BTreeMap::new()),
    });
    // Memory, sampled every second while the users run.
    let sampler = pid.map(|pid| {
        let stop = shared.stop.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if let Some(m) = memory(pid) {
                    samples.push((start.elapsed(), m));
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            samples
        })
    });
    let tasks: Vec<_> = (0..o.users)
        .map(|i| {
            let p = personas[i];
            let index = personas[..i].iter().filter(|&&q| q == p).count();
            tokio::spawn(virtual_user(i, index, count(p), shared.clone(), o.think_ms))
        })
        .collect();
    let mut total = Tally::default();
    for t in tasks {
        total.merge(t.await.expect("virtual user"));
    }
    let wall = start.elapsed();
    shared.stop.store(true, Ordering::Relaxed);
    let samples = match sampler {
        Some(s) => s.await.unwrap_or_default(),
        None => Vec::new(),
    };

    let requests: usize = total.times.values().map(Vec::len).sum();
    let errors: usize = total.errors.values().sum();
    println!(
        "{:.0} s: {} requests, {:.0} req/s, {} errors, {} board conflicts (two admins, one board: expected, reloaded), \
         {} board edits refused by its rules (random pins: expected)",
        wall.as_secs_f64(),
        requests + errors,
        (requests + errors) as f64 / wall.as_secs_f64(),
        errors,
        total.conflicts,
        total.refused
    );
    println!(
        "{:<30} {:>6} {:>8} {:>10} {:>10} {:>10} {:>7}  budget",
        "kind", "class", "count", "p50", "p99", "max", "errors"
    );
    let mut over = Vec::new();
    let mut all = (Vec::new(), Vec::new());
    for (kind, times) in total.times.iter_mut() {
        times.sort();
        let budget = if kind.write() { Duration::from_millis(250) } else { Duration::from_millis(100) };
        let p99 = pct(times, 0.99);
        let met = p99 <= budget;
        if !met {
            over.push(kind.name());
        }
        if kind.write() { &mut all.1 } else { &mut all.0 }.extend(times.iter().copied());
        println!(
            "{:<30} {:>6} {:>8} {:>10} {:>10} {:>10} {:>7}  p99 ≤ {} {}",
            kind.name(),
            if kind.write() { "write" } else { "read" },
            times.len(),
            ms(pct(times, 0.50)),
            ms(p99),
            ms(times.last().copied().unwrap_or_default()),
            total.errors.get(kind).copied().unwrap_or(0),
            ms(budget),
            if met { "met" } else { "NOT MET" }
        );
    }
    for (name, times) in [("all reads", &mut all.0), ("all writes", &mut all.1)] {
        times.sort();
        println!(
            "{:<30} {:>6} {:>8} {:>10} {:>10} {:>10}",
            name,
            "",
            times.len(),
            ms(pct(times, 0.50)),
            ms(pct(times, 0.99)),
            ms(times.last().copied().unwrap_or_default())
        );
    }
    for e in &total.first_errors {
        println!("  error: {e}");
    }
    if let (Some(first), Some(last)) = (samples.first(), samples.last()) {
        let peak = samples.iter().map(|(_, (_, hwm))| *hwm).max().unwrap_or_default();
        // Resident memory per minute of the run (the last sample of each minute).
        let mut per_minute = BTreeMap::new();
        for (t, (rss, _)) in &samples {
            per_minute.insert(t.as_secs() / 60, *rss);
        }
        let line: Vec<String> = per_minute.iter().map(|(m, rss)| format!("{}m {}", m + 1, mib(*rss))).collect();
        println!(
            "server memory: {} at the start, {} at the end, peak {}; by minute: {}",
            mib(first.1 .0),
            mib(last.1 .0),
            mib(peak),
            line.join(", ")
        );
    }
    if let Some(server) = &server {
        // What the server logged: a 503 is the database probe failing, or a request past its
        // time limit; the log says which.
        let warnings = server.warnings();
        println!(
            "server log: {} ({} warnings or errors)",
            server.log.display(),
            warnings.iter().map(|w| w.0).sum::<usize>()
        );
        for (n, message) in warnings.iter().take(8) {
            println!("  {n:>6} × {message}");
        }
    }
    if !over.is_empty() {
        println!("over budget: {}", over.join(", "));
    }
    if errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
