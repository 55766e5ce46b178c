//! Durability (issue 16): the real server binary on the embedded SurrealKV store is killed with
//! SIGKILL in the middle of a burst of 200 concurrent writes (goal check-ins and comments, from
//! several mentees); after a restart on the same store every write the clients saw acknowledged
//! is there, and none twice.

mod common;

use std::process::Child;

use common::{free_port, healthy};

fn start(store: &std::path::Path, port: u16, seed: bool) -> Child {
    common::app_server(&format!("surrealkv://{}", store.display()), port, seed, &[])
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
