//! Helpers shared by the server's tests: the real router started in this process on a loopback
//! port (HTTP, security, sign-in flood), and the real server binary started as a process
//! (durability, scale-out). Each test binary uses a part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::domain::auth::server::AuthSettings;
use leptos::prelude::LeptosOptions;
use serde_json::{json, Value};
use server::{router, seed, AppState};

/// The real router serving a fresh in-memory database with the demo organization.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The database it serves (tests check what was stored).
    pub db: app::db::Db,
    /// Its kept dashboards (tests check how often it read the facts).
    pub metrics: app::domain::metrics::server::MetricsCache,
    /// Its kept participant reads (tests check when they are used).
    pub kept: app::db::kept::KeptReads,
}

/// Starts the router on a free loopback port with `auth` and the demo organization.
pub async fn start(auth: AuthSettings) -> TestServer {
    start_with(auth, false).await
}

/// As [`start`], with the live feed running when `live` (resolved sessions are then kept between
/// requests, and dashboards hear of changes).
pub async fn start_with(auth: AuthSettings, live: bool) -> TestServer {
    let db = app::db::connect("mem://").await.expect("database");
    seed::seed_demo(&db).await.expect("demo data");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = LeptosOptions::builder().output_name("mentorship").site_root("target/site").site_addr(addr).build();
    let state = AppState::new(options, db.clone(), auth);
    if live {
        state.live.start();
    }
    let (metrics, kept) = (state.ctx.metrics.clone(), state.ctx.kept.clone());
    let app = router(state);
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
    });
    TestServer { base: format!("http://{addr}"), db, metrics, kept }
}

/// The demo accounts' password.
pub const PASSWORD: &str = "mentorship-demo";

/// Starts the real server binary on `port` against `database_url` (the demo seeded when `seed`),
/// with `extra` environment (credentials for a SurrealDB server). Sign-in is not throttled by
/// address, and a person may write 1 000 times a minute (a durability burst writes 100 times per
/// mentee; the usual limit is 20).
pub fn app_server(database_url: &str, port: u16, seed: bool, extra: &[(&str, &str)]) -> Child {
    app_server_logged(database_url, port, seed, extra, None)
}

/// [`app_server`], with what the server prints written to `log` (when given).
pub fn app_server_logged(
    database_url: &str,
    port: u16,
    seed: bool,
    extra: &[(&str, &str)],
    log: Option<&std::path::Path>,
) -> Child {
    let output = || match log {
        Some(path) => Stdio::from(
            std::fs::OpenOptions::new().create(true).append(true).open(path).expect("the server's log file opens"),
        ),
        None => Stdio::null(),
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mentorship"));
    cmd.arg("serve").arg("--create-if-missing");
    if seed {
        cmd.arg("--seed-demo");
    }
    cmd.env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
        .env("LOGIN_MAX_FAILURES_PER_IP", "10000")
        .env("WRITES_PER_MINUTE", "1000")
        .env("RUST_LOG", "warn")
        .envs(extra.iter().copied())
        .stdout(output())
        .stderr(output())
        .spawn()
        .expect("the server binary starts")
}

/// A loopback port free right now.
pub fn free_port() -> u16 {
    free_ports::<1>()[0]
}

/// `N` different loopback ports free right now. Held open together while they are chosen: a port
/// released and asked for again at once may come back the same, and two servers given one port
/// leave one of them unable to start.
pub fn free_ports<const N: usize>() -> [u16; N] {
    let held: Vec<std::net::TcpListener> =
        (0..N).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    std::array::from_fn(|i| held[i].local_addr().unwrap().port())
}

/// Waits (2 minutes at most) until `base`'s `/healthz` answers 200.
pub async fn healthy(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{base} did not become healthy");
}

/// Signs `email` in on `base`; the session cookie as `name=value`.
pub async fn session(base: &str, email: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "sign-in of {email} on {base}: {}", r.status());
    r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
}

pub async fn call(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    path: &str,
    body: Value,
) -> reqwest::Result<reqwest::Response> {
    client.post(format!("{base}/api/{path}")).header("cookie", cookie).json(&body).send().await
}

/// Every note and comment text on `goal`, as its mentee sees it.
pub async fn texts(base: &str, cookie: &str, goal: &str) -> Vec<String> {
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/api/goals/get"))
        .header("cookie", cookie)
        .form(&[("id", goal)])
        .send()
        .await
        .unwrap();
    let status = r.status();
    let g: Value = r.json().await.unwrap();
    assert!(status.is_success(), "goals/get {goal}: {status} {g}");
    let notes = g["checkins"].as_array().unwrap().iter().map(|c| c["note"].as_str().unwrap().to_string());
    let comments = g["comments"].as_array().unwrap().iter().map(|c| c["text"].as_str().unwrap().to_string());
    notes.chain(comments).collect()
}

/// Mentees of the running cohort with a goal sent to their mentor (check-ins and comments need
/// one), signed in on `base`: (session cookie, goal key).
pub async fn writers(base: &str) -> Vec<(String, String)> {
    let admin = session(base, "admin@northwind.example").await;
    let client = reqwest::Client::new();
    let people: Value = call(&client, base, &admin, "people/list", json!({})).await.unwrap().json().await.unwrap();
    let mut writers = Vec::new();
    for p in people.as_array().unwrap() {
        if !p["roles"].as_array().unwrap().iter().any(|r| r == "mentee") || p["active"] == false {
            continue;
        }
        let cookie = session(base, p["email"].as_str().unwrap()).await;
        let goals: Value = call(&client, base, &cookie, "goals/mine", json!({})).await.unwrap().json().await.unwrap();
        // In the running cohort (a closed cohort's pairs take no more writes).
        let sent = goals.as_array().into_iter().flatten().find(|g| {
            (g["status"] == "submitted" || g["status"] == "approved")
                && !g["id"].as_str().unwrap_or_default().starts_with("hist_")
        });
        if let Some(g) = sent {
            writers.push((cookie, g["id"].as_str().unwrap().to_string()));
        }
        if writers.len() == 6 {
            break;
        }
    }
    assert!(writers.len() >= 2, "the demo has mentees with sent goals: {}", writers.len());
    writers
}

/// 200 writes at once on `base` (check-ins and comments in turn, each with its own token);
/// `kill` runs once about a third were answered. The tokens acknowledged, with their goals.
pub async fn burst(base: &str, writers: &[(String, String)], kill: impl FnOnce()) -> BTreeMap<String, String> {
    let gate = std::sync::Arc::new(tokio::sync::Barrier::new(201));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for k in 0..200 {
        let (cookie, goal) = writers[k % writers.len()].clone();
        let token = format!("burst-{k:03}");
        let (path, body) = if (k / writers.len()).is_multiple_of(2) {
            ("goals/checkin", json!({ "input": { "goal_id": goal, "progress": "40", "note": token, "evidence": "" } }))
        } else {
            ("goals/comment", json!({ "id": goal, "text": token }))
        };
        let (gate, base, done) = (gate.clone(), base.to_string(), done.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
            gate.wait().await;
            let outcome = match call(&client, &base, &cookie, path, body).await {
                Ok(r) => r.status().as_u16().to_string(),
                Err(e) => if e.is_timeout() { "timeout" } else { "no answer" }.to_string(),
            };
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (token, goal, outcome)
        }));
    }
    gate.wait().await;
    // A debug build on two busy cores can take this long for the first third.
    let deadline = Instant::now() + Duration::from_secs(90);
    while done.load(std::sync::atomic::Ordering::SeqCst) < 70 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    kill();
    let answered = done.load(std::sync::atomic::Ordering::SeqCst);
    let mut acked = BTreeMap::new();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for t in tasks {
        let (token, goal, outcome) = t.await.unwrap();
        if outcome.starts_with('2') {
            acked.insert(token, goal);
        }
        *outcomes.entry(outcome).or_default() += 1;
    }
    println!("{} of 200 writes acknowledged before the kill ({answered} answered by then; {outcomes:?})", acked.len());
    assert!(
        !acked.is_empty(),
        "some writes were acknowledged before the kill ({answered} answered by then; {outcomes:?})"
    );
    acked
}

/// After the restart: every acknowledged token is stored, none twice. How many are stored.
pub async fn check(base: &str, writers: &[(String, String)], acked: &BTreeMap<String, String>) -> usize {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (cookie, goal) in writers {
        // The sessions made before the kill are in the store too.
        for t in texts(base, cookie, goal).await.into_iter().filter(|t| t.starts_with("burst-")) {
            *seen.entry(t).or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored twice: {twice:?}");
    let lost: Vec<_> = acked.keys().filter(|t| !seen.contains_key(*t)).collect();
    assert!(lost.is_empty(), "acknowledged but lost after kill -9: {lost:?}");
    seen.len()
}
