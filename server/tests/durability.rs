//! Durability (issue 16): the real server binary on the embedded SurrealKV store is killed with
//! SIGKILL in the middle of a burst of 200 concurrent writes (goal check-ins and comments, from
//! several mentees); after a restart on the same store every write the clients saw acknowledged
//! is there, and none twice.

mod common;

use std::process::{Child, Command, Stdio};

use common::{free_port, healthy};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_a_kill_9_and_none_is_stored_twice() {
    let store = std::env::temp_dir().join(format!("mentorship-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&store, port, true);
    healthy(&base).await;

    let writers = common::writers(&base).await;
    let acked = common::burst(&base, &writers, || {
        server.kill().unwrap();
        server.wait().unwrap();
    })
    .await;

    // Restart on the same store (no demo seeding this time): everything acknowledged is there, once.
    let mut server = start(&store, port, false);
    healthy(&base).await;
    let stored = common::check(&base, &writers, &acked).await;
    server.kill().unwrap();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&store);
    println!("{} acknowledged, {stored} stored (the rest were cut off by the kill)", acked.len());
}
