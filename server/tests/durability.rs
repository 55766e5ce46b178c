//! Durability (issue 16): the real server binary on the embedded SurrealKV store is killed with
//! SIGKILL in the middle of a burst of 200 concurrent writes (goal check-ins and comments, from
//! several mentees); after a restart on the same store every write the clients saw acknowledged
//! is there, and none twice.

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{free_port, healthy, session};
use serde_json::{json, Value};

fn start(store: &std::path::Path, port: u16, seed: bool) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mentorship"));
    cmd.arg("serve").arg("--create-if-missing");
    if seed {
        cmd.arg("--seed-demo");
    }
    cmd.env("DATABASE_URL", format!("surrealkv://{}", store.display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
        .env("LOGIN_MAX_FAILURES_PER_IP", "10000")
        // Two mentees write 100 times each here: above the usual 20 a minute.
        .env("WRITES_PER_MINUTE", "1000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts")
}

async fn call(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    path: &str,
    body: Value,
) -> reqwest::Result<reqwest::Response> {
    client.post(format!("{base}/api/{path}")).header("cookie", cookie).json(&body).send().await
}

/// Every note and comment text on `goal`, as its mentee sees it.
async fn texts(base: &str, cookie: &str, goal: &str) -> Vec<String> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_a_kill_9_and_none_is_stored_twice() {
    let store = std::env::temp_dir().join(format!("mentorship-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&store, port, true);
    healthy(&base).await;

    // Mentees with a goal sent to their mentor (check-ins and comments need one).
    let admin = session(&base, "admin@northwind.example").await;
    let client = reqwest::Client::new();
    let people: Value = call(&client, &base, &admin, "people/list", json!({})).await.unwrap().json().await.unwrap();
    let mut writers = Vec::new();
    for p in people.as_array().unwrap() {
        if !p["roles"].as_array().unwrap().iter().any(|r| r == "mentee") || p["active"] == false {
            continue;
        }
        let email = p["email"].as_str().unwrap();
        let cookie = session(&base, email).await;
        let goals: Value = call(&client, &base, &cookie, "goals/mine", json!({})).await.unwrap().json().await.unwrap();
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

    // 200 writes at once, check-ins and comments in turn.
    let mut burst = Vec::new();
    for k in 0..200 {
        let (cookie, goal) = writers[k % writers.len()].clone();
        let token = format!("burst-{k:03}");
        let (path, body) = if (k / writers.len()) % 2 == 0 {
            ("goals/checkin", json!({ "input": { "goal_id": goal, "progress": "40", "note": token, "evidence": "" } }))
        } else {
            ("goals/comment", json!({ "id": goal, "text": token }))
        };
        burst.push((token, goal, cookie, path, body));
    }
    let gate = std::sync::Arc::new(tokio::sync::Barrier::new(burst.len() + 1));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (token, goal, cookie, path, body) in burst {
        let (gate, base, done) = (gate.clone(), base.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
            gate.wait().await;
            let acked = matches!(call(&client, &base, &cookie, path, body).await, Ok(r) if r.status().is_success());
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (token, goal, acked)
        }));
    }
    gate.wait().await;
    // Killed mid-burst, once about a third of the writes were answered: some are acknowledged,
    // some are in flight.
    let deadline = Instant::now() + Duration::from_secs(30);
    while done.load(std::sync::atomic::Ordering::SeqCst) < 70 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let mut acked = BTreeMap::new();
    let mut goals = BTreeMap::new();
    for t in tasks {
        let (token, goal, ok) = t.await.unwrap();
        goals.insert(goal.clone(), ());
        if ok {
            acked.insert(token, goal);
        }
    }
    println!("{} of 200 writes acknowledged before the kill", acked.len());
    assert!(!acked.is_empty(), "some writes were acknowledged before the kill");

    // Restart on the same store (no demo seeding this time): everything acknowledged is there, once.
    let mut server = start(&store, port, false);
    healthy(&base).await;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (cookie, goal) in &writers {
        // The sessions made before the kill are in the store too.
        for t in texts(&base, cookie, goal).await.into_iter().filter(|t| t.starts_with("burst-")) {
            *seen.entry(t).or_default() += 1;
        }
    }
    server.kill().unwrap();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&store);
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored twice: {twice:?}");
    let lost: Vec<_> = acked.keys().filter(|t| !seen.contains_key(*t)).collect();
    assert!(lost.is_empty(), "acknowledged but lost after kill -9: {lost:?}");
    println!("{} acknowledged, {} stored (the rest were cut off by the kill)", acked.len(), seen.len());
}
