//! The dashboard benchmark (issue 14), against the real router on loopback with `mem://` and the
//! large organization (`seed-demo --scale large`: 10 000 people, 200 cohorts, ~50 000 check-ins,
//! ~20 000 meetings, ~100 000 survey answers).
//!
//! 1. Cold: one dashboard computed from the database (no kept result), per kind of filter.
//! 2. Live fan-out: `--streams` (500) dashboard streams (`GET /api/live`) open at once; one
//!    check-in is written; prints how long each stream took to hear of it (p50, p99, max) and how
//!    many did. Target: p99 ≤ 2 s.
//! 3. Load: `--clients` (64) closed-loop clients for `--secs` (20 s) calling the leadership
//!    dashboard's server function over HTTP with a mix of filters (everything, the program, a
//!    cohort, a department), each computed once first: on connections kept open (as browsers
//!    do), then with a new connection per request. Prints requests/s, p50, p99, errors.
//!    Target: p99 ≤ 50 ms.
//!
//! Run: `./x bench dashboard` (release build), or
//! `cargo run --release -p server --bin dashboard-bench -- [--clients 64] [--secs 20] [--streams 500]`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::auth::server::AuthSettings;
use app::domain::metrics::types::Filters;
use leptos::prelude::LeptosOptions;
use server::{router, seed, seed_scale, AppState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const USAGE: &str = "usage: dashboard-bench [--clients 64] [--secs 20] [--streams 500]";

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn connect(host: &str) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect(host).await?;
    s.set_nodelay(true)?;
    Ok(s)
}

/// A kept-alive connection, as a browser holds one: requests one after another on it.
struct Conn {
    host: String,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    fn new(host: &str) -> Conn {
        Conn { host: host.to_string(), stream: None, buf: Vec::new() }
    }

    /// One request on the connection (opened again if the server closed it); the status.
    async fn exchange(&mut self, head: &str, body: &[u8]) -> std::io::Result<u16> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                self.stream = Some(connect(&self.host).await?);
                self.buf.clear();
            }
            match self.once(head, body).await {
                Ok(status) => return Ok(status),
                Err(e) if attempt == 0 => {
                    self.stream = None;
                    let _ = e;
                }
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("unreachable"))
    }

    async fn once(&mut self, head: &str, body: &[u8]) -> std::io::Result<u16> {
        let s = self.stream.as_mut().ok_or_else(|| std::io::Error::other("no connection"))?;
        let mut req = format!("{head}\r\nHost: {}\r\nContent-Length: {}\r\n\r\n", self.host, body.len()).into_bytes();
        req.extend_from_slice(body);
        s.write_all(&req).await?;
        // The head, then exactly Content-Length bytes of body.
        let mut chunk = [0u8; 64 * 1024];
        let end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::Error::other("closed"));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&self.buf[..end]).to_lowercase();
        let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| std::io::Error::other("no content-length"))?;
        while self.buf.len() < end + length {
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::Error::other("closed"));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
        self.buf.drain(..end + length);
        Ok(status)
    }
}

/// One request with `Connection: close`; the status and the raw response.
async fn exchange(host: &str, head: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
    let mut s = connect(host).await?;
    let mut req =
        format!("{head}\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    req.extend_from_slice(body);
    s.write_all(&req).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let status = String::from_utf8_lossy(raw.get(..12).unwrap_or_default())
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((status, raw))
}

async fn sign_in(host: &str, email: &str) -> Result<String, String> {
    let body = format!("email={}&password={}", email.replace('@', "%40"), seed::DEMO_PASSWORD);
    let head = "POST /api/auth/login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: */*";
    let (_, raw) = exchange(host, head, body.as_bytes()).await.map_err(err)?;
    let text = String::from_utf8_lossy(&raw);
    text.lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: mentorship_session=")
                .or_else(|| l.strip_prefix("Set-Cookie: mentorship_session="))
        })
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("sign-in as {email} failed"))
}

fn dashboard_head(token: &str) -> String {
    format!(
        "POST /api/metrics/dashboard HTTP/1.1\r\nCookie: mentorship_session={token}\r\nContent-Type: application/json\r\nAccept: application/json"
    )
}

fn filters(program: &str, cohort: &str, department: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "filters": {
        "program": program, "cohort": cohort, "department": department, "from": "", "to": "" } }))
    .unwrap_or_default()
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let (mut clients, mut secs, mut streams) = (64usize, 20u64, 500usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse::<u64>().ok()).ok_or(USAGE.to_string());
        match a.as_str() {
            "--clients" => clients = value()? as usize,
            "--secs" => secs = value()?,
            "--streams" => streams = value()? as usize,
            _ => return Err(USAGE.into()),
        }
    }
    let t = Instant::now();
    let db = app::db::connect("mem://").await.map_err(err)?;
    seed::seed_demo(&db).await.map_err(err)?;
    let counts = seed_scale::seed_large(&db).await.map_err(err)?;
    println!("large organization seeded in {:.1} s: {counts:?}", t.elapsed().as_secs_f64());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(err)?;
    let addr = listener.local_addr().map_err(err)?;
    let options = LeptosOptions::builder().output_name("mentorship").site_root("target/site").site_addr(addr).build();
    let state =
        AppState::new(options, db.clone(), AuthSettings { max_failures_per_ip: 10_000, ..AuthSettings::default() });
    state.live.start();
    let app = router(state);
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await });
    let host = addr.to_string();
    // The live queries start in the background; give them a moment before trusting the cache.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let token = sign_in(&host, &format!("leader@{}", seed::DEMO_DOMAIN)).await?;
    let head = dashboard_head(&token);

    let mut res = db
        .query("SELECT VALUE record::id(id) FROM program LIMIT 1; SELECT VALUE record::id(id) FROM cohort WHERE string::starts_with(record::id(id), 'lgc') LIMIT 10;")
        .await
        .map_err(err)?;
    let program: Vec<String> = res.take(0).map_err(err)?;
    let cohorts: Vec<String> = res.take(1).map_err(err)?;
    let program = program.into_iter().next().ok_or("no program")?;
    let mut mix = vec![filters("", "", ""), filters(&program, "", ""), filters("", "", "Sales")];
    for c in &cohorts {
        mix.push(filters("", c, ""));
    }

    // 1. Cold: the cache emptied by a write before each call.
    println!("\ncold (computed from the database; a write empties the cache first):");
    for (label, body) in [("everything", &mix[0]), ("one cohort", &mix[3]), ("one department", &mix[2])] {
        let mut times = Vec::new();
        for _ in 0..5 {
            db.query("UPDATE cohort:lgc0 SET version += 1").await.map_err(err)?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            let t = Instant::now();
            let (status, _) = exchange(&host, &head, body).await.map_err(err)?;
            if status != 200 {
                return Err(format!("dashboard answered {status}"));
            }
            times.push(t.elapsed());
        }
        times.sort();
        println!("  {label:<16} median {} (of 5)", ms(pct(&times, 0.5)));
    }

    // Where a cold dashboard's time goes: reading the facts, indexing and computing.
    println!("\nparts of a cold dashboard (in process, everything):");
    let (mut reads, mut computes) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        let loaded = app::domain::metrics::server::load(&db).await.map_err(err)?;
        reads.push(t.elapsed());
        let t = Instant::now();
        app::domain::metrics::server::dashboard(&loaded, &Filters::default(), false).map_err(err)?;
        computes.push(t.elapsed());
    }
    reads.sort();
    computes.sort();
    println!("  reading the facts  median {} (of 5)", ms(pct(&reads, 0.5)));
    println!("  computing          median {} (of 5)", ms(pct(&computes, 0.5)));

    // What a request for a kept dashboard still does: read the session, and (before the JSON was
    // kept with the dashboard) clone and serialize it.
    println!("\nparts of a request for a kept dashboard (in process, everything):");
    let loaded = app::domain::metrics::server::load(&db).await.map_err(err)?;
    let d = app::domain::metrics::server::dashboard(&loaded, &Filters::default(), false).map_err(err)?;
    let (mut sessions, mut serials) = (Vec::new(), Vec::new());
    let hash = app::domain::auth::server::token_hash(&token);
    let mut size = 0;
    for _ in 0..200 {
        let t = Instant::now();
        app::domain::auth::server::session_user(&db, &hash, AuthSettings::default().session_idle)
            .await
            .map_err(err)?
            .ok_or("no session")?;
        sessions.push(t.elapsed());
        let t = Instant::now();
        size = serde_json::to_vec(&d.clone()).map_err(err)?.len();
        serials.push(t.elapsed());
    }
    sessions.sort();
    serials.sort();
    let fine = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1000.0);
    println!("  reading the session         median {} (of 200)", fine(pct(&sessions, 0.5)));
    println!(
        "  cloning and serializing it  median {} (of 200; {size} bytes of JSON, now written once)",
        fine(pct(&serials, 0.5))
    );

    // 2. Live fan-out (before the load: opening a connection per request leaves the loopback's
    // ports in TIME_WAIT for a minute, and the streams could not connect).
    println!("\nlive fan-out: {streams} dashboard streams, then one check-in:");
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(streams);
    let (heard_tx, mut heard_rx) = tokio::sync::mpsc::channel::<Instant>(streams);
    for _ in 0..streams {
        let (host, token, ready, heard) = (host.clone(), token.clone(), ready_tx.clone(), heard_tx.clone());
        tokio::spawn(async move {
            let Ok(mut s) = connect(&host).await else { return };
            let req = format!("GET /api/live HTTP/1.1\r\nHost: {host}\r\nCookie: mentorship_session={token}\r\nAccept: text/event-stream\r\n\r\n");
            if s.write_all(req.as_bytes()).await.is_err() {
                return;
            }
            let (mut buf, mut seen, mut hello) = (vec![0u8; 4096], String::new(), false);
            loop {
                let Ok(n) = s.read(&mut buf).await else { return };
                if n == 0 {
                    return;
                }
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
                if !hello && seen.contains("data: hello") {
                    hello = true;
                    seen.clear();
                    let _ = ready.send(()).await;
                } else if hello && seen.contains("data: ") {
                    let _ = heard.send(Instant::now()).await;
                    return;
                }
            }
        });
    }
    drop(ready_tx);
    drop(heard_tx);
    let mut open = 0;
    while open < streams {
        match tokio::time::timeout(Duration::from_secs(30), ready_rx.recv()).await {
            Ok(Some(())) => open += 1,
            _ => break,
        }
    }
    println!("  {open} streams open");
    let t = Instant::now();
    db.query(
        "CREATE checkin SET org = org:main, goal = goal:lgg0, author = goal:lgg0.mentee, progress = 60, note = 'Bench check-in'",
    )
    .await
    .map_err(err)?
    .check()
    .map_err(err)?;
    let mut lat = Vec::new();
    while lat.len() < open {
        match tokio::time::timeout(Duration::from_secs(10), heard_rx.recv()).await {
            Ok(Some(at)) => lat.push(at.duration_since(t)),
            _ => break,
        }
    }
    lat.sort();
    println!(
        "  {} of {open} heard of it: p50 {}, p99 {}, max {} (250 ms of it is the server's coalescing window)",
        lat.len(),
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or_default())
    );
    // Every filter of the mix computed once before the clock starts (the cold figures are above;
    // the fan-out's check-in emptied the cache).
    for body in mix.iter() {
        exchange(&host, &head, body).await.map_err(err)?;
    }

    // 3. Load: clients that keep their connection open (as browsers do), then clients that open
    // one per request.
    let mix = Arc::new(mix);
    for keep_alive in [true, false] {
        println!(
            "\nload: {clients} clients for {secs} s, leadership dashboard, {} filter combinations, {}:",
            mix.len(),
            if keep_alive { "connections kept open" } else { "a new connection per request" }
        );
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        let start = Instant::now();
        for c in 0..clients {
            let (host, head, mix, stop) = (host.clone(), head.clone(), mix.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let (mut times, mut errors, mut i) = (Vec::new(), 0usize, c);
                let mut conn = Conn::new(&host);
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    let status = if keep_alive {
                        conn.exchange(&head, &mix[i % mix.len()]).await.ok()
                    } else {
                        exchange(&host, &head, &mix[i % mix.len()]).await.ok().map(|(s, _)| s)
                    };
                    match status {
                        Some(200) => times.push(t.elapsed()),
                        _ => errors += 1,
                    }
                    i += 1;
                }
                (times, errors)
            }));
        }
        tokio::time::sleep(Duration::from_secs(secs)).await;
        stop.store(true, Ordering::Relaxed);
        let (mut all, mut errors) = (Vec::new(), 0);
        for t in tasks {
            let (times, e) = t.await.map_err(err)?;
            all.extend(times);
            errors += e;
        }
        let wall = start.elapsed();
        all.sort();
        println!(
            "  {} requests, {:.0} req/s, p50 {}, p99 {}, max {}, errors {errors}",
            all.len(),
            all.len() as f64 / wall.as_secs_f64(),
            ms(pct(&all, 0.5)),
            ms(pct(&all, 0.99)),
            ms(all.last().copied().unwrap_or_default())
        );
    }

    Ok(())
}
