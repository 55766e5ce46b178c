//! A flood of sign-ins (issue 16, security 3): password checks are capped, and what does not fit
//! in the line is refused at once with 503 and a retry hint instead of queueing without end.
//! Its own test binary: the line is one per process, and other tests sign in.

mod common;

use std::time::{Duration, Instant};

use app::domain::auth::server::AuthSettings;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_ins_beyond_the_cap_are_refused_quickly_with_a_retry_hint() {
    // Every request from its own address, so that no per-address limit answers first.
    let base = common::start(AuthSettings { trust_proxy: true, ..AuthSettings::default() }).await.base;
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();

    let flood = 200;
    let gate = std::sync::Arc::new(tokio::sync::Barrier::new(flood));
    let mut tasks = Vec::new();
    for i in 0..flood {
        let (client, base, gate) = (client.clone(), base.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            gate.wait().await;
            let t = Instant::now();
            let r = client
                .post(format!("{base}/api/auth/login"))
                .header("x-forwarded-for", format!("10.1.{}.{}", i / 250, i % 250 + 1))
                .form(&[("email", format!("person{i}@northwind.example")), ("password", "wrong-password".into())])
                .send()
                .await
                .unwrap();
            let retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
            (r.status(), retry, t.elapsed())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let busy: Vec<&(StatusCode, Option<String>, Duration)> =
        answers.iter().filter(|a| a.0 == StatusCode::SERVICE_UNAVAILABLE).collect();
    let checked = answers.iter().filter(|a| a.0 == StatusCode::UNAUTHORIZED).count();
    assert_eq!(busy.len() + checked, flood, "every answer is a refusal or a checked password: {answers:?}");
    assert!(!busy.is_empty(), "200 at once do not all fit in the line");
    assert!(checked > 0, "the line itself was served");
    assert!(busy.iter().all(|a| a.1.as_deref() == Some("2")), "a retry hint on each refusal");
    let slowest_refusal = busy.iter().map(|a| a.2).max().unwrap();
    let slowest_check = answers.iter().filter(|a| a.0 == StatusCode::UNAUTHORIZED).map(|a| a.2).max().unwrap();
    println!("{} refused (slowest {slowest_refusal:?}), {checked} checked (slowest {slowest_check:?})", busy.len());
    assert!(slowest_refusal < slowest_check, "refusals do not wait for the line");
}
