//! Helpers for the tests that run the real server binary as a process (durability, scale-out).

use std::time::{Duration, Instant};

/// The demo accounts' password.
pub const PASSWORD: &str = "mentorship-demo";

/// A loopback port free right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
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
