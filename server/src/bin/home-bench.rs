//! Load benchmark of a participant's home page: signs in as the demo mentee, measures one client
//! alone, then drives many concurrent clients (each its own keep-alive connection, like phones
//! opening the page after a cohort's notification) at the page for a bounded time, and prints
//! requests/s, p50, p90, p99 and the slowest request.
//!
//! Run: `./x bench home` (release build; starts `mentorship serve --seed-demo` on `mem://` and a
//! free loopback port, then stops it), or against a server already running:
//! `home-bench --url http://127.0.0.1:3000 [--clients 64] [--secs 20] [--path /home/mentee]`.
//! `--db surrealkv` runs the started server on SurrealKV in a temporary folder instead.
//!
//! A plain HTTP/1.1 client over tokio, so the bench adds no dependency to the server crate.

use std::time::{Duration, Instant};

use server::benchkit::{ms, pct, sign_in, start_server, Conn};

const USAGE: &str = "usage: home-bench [--url http://HOST:PORT] [--path /home/mentee] [--clients 64] [--secs 20] \
[--email mentee@northwind.example] [--password mentorship-demo] [--expect TEXT] [--identity] [--db mem|surrealkv]";

struct Options {
    url: Option<String>,
    path: String,
    clients: usize,
    secs: u64,
    email: String,
    password: String,
    expect: String,
    identity: bool,
    db: String,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        url: None,
        path: "/home/mentee".into(),
        clients: 64,
        secs: 20,
        email: "mentee@northwind.example".into(),
        password: "mentorship-demo".into(),
        // A reward's name: rendered only once every panel of the demo mentee's home has its data.
        expect: "First goal reached".into(),
        identity: false,
        db: "mem".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--url" => o.url = Some(value()?.trim_end_matches('/').to_string()),
            "--path" => o.path = value()?,
            "--clients" => o.clients = value()?.parse().map_err(|_| "--clients needs a number")?,
            "--secs" => o.secs = value()?.parse().map_err(|_| "--secs needs a number")?,
            "--email" => o.email = value()?,
            "--password" => o.password = value()?,
            "--expect" => o.expect = value()?,
            "--identity" => o.identity = true,
            "--db" => o.db = value()?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if o.clients == 0 || o.secs == 0 {
        return Err("--clients and --secs must be above 0".into());
    }
    Ok(o)
}

fn page_head(path: &str, token: &str, identity: bool) -> String {
    // What a browser sends that matters to the server: the cookie and the encodings it accepts.
    let encoding = if identity { "identity" } else { "gzip, deflate, br" };
    format!(
        "GET {path} HTTP/1.1\r\nCookie: mentorship_session={token}\r\nAccept: text/html\r\nAccept-Encoding: {encoding}"
    )
}

/// Requests `head` on one connection until `until`; the latency of each successful request.
async fn client(host: String, head: String, until: Instant) -> (Vec<Duration>, usize) {
    let mut conn = Conn::new(&host);
    let (mut times, mut errors) = (Vec::new(), 0);
    while Instant::now() < until {
        let t = Instant::now();
        match conn.send(&head, &[]).await {
            Ok(r) if r.status == 200 => times.push(t.elapsed()),
            Ok(_) | Err(_) => {
                errors += 1;
                // A refused connection must not spin.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    (times, errors)
}

/// Runs `clients` clients for `secs` seconds; every latency, sorted, the errors and the wall time.
async fn run(host: &str, head: &str, clients: usize, span: Duration) -> (Vec<Duration>, usize, Duration) {
    let start = Instant::now();
    let until = start + span;
    let tasks: Vec<_> = (0..clients).map(|_| tokio::spawn(client(host.to_string(), head.to_string(), until))).collect();
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (times, e) = t.await.expect("client task");
        all.extend(times);
        errors += e;
    }
    let wall = start.elapsed();
    all.sort();
    (all, errors, wall)
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
    let (_server, host) = match &o.url {
        Some(url) => (None, url.trim_start_matches("http://").to_string()),
        None => match start_server(&o.db, &[]).await {
            Ok((s, host)) => (Some(s), host),
            Err(e) => {
                eprintln!("error: {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
    };
    let token = match sign_in(&host, &o.email, &o.password).await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // The page must be the real one (not a sign-in redirect or an error panel) before it is timed.
    match Conn::new(&host).send(&page_head(&o.path, &token, true), &[]).await {
        Ok(r) if r.status == 200 && String::from_utf8_lossy(&r.body).contains(&o.expect) => {
            println!(
                "GET {} as {}: HTTP 200, {} bytes uncompressed, contains {:?}",
                o.path,
                o.email,
                r.body.len(),
                o.expect
            );
        }
        Ok(r) => {
            eprintln!("error: GET {} answered HTTP {} without {:?}", o.path, r.status, o.expect);
            return std::process::ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("error: GET {}: {e}", o.path);
            return std::process::ExitCode::FAILURE;
        }
    }
    let head = page_head(&o.path, &token, o.identity);
    // Warm-up (connections, caches, allocator), then one client alone, then the crowd.
    run(&host, &head, o.clients.min(8), Duration::from_secs(2)).await;
    let alone = Duration::from_secs((o.secs / 4).clamp(2, 5));
    let (one, one_errors, one_wall) = run(&host, &head, 1, alone).await;
    println!(
        "1 client, {:.0} s: {} requests, {:.1} req/s, p50 {}, p99 {}, errors {}",
        one_wall.as_secs_f64(),
        one.len(),
        one.len() as f64 / one_wall.as_secs_f64(),
        ms(pct(&one, 0.50)),
        ms(pct(&one, 0.99)),
        one_errors
    );
    let (all, errors, wall) = run(&host, &head, o.clients, Duration::from_secs(o.secs)).await;
    println!(
        "{} clients, {:.0} s: {} requests, {:.1} req/s, p50 {}, p90 {}, p99 {}, max {}, errors {}",
        o.clients,
        wall.as_secs_f64(),
        all.len(),
        all.len() as f64 / wall.as_secs_f64(),
        ms(pct(&all, 0.50)),
        ms(pct(&all, 0.90)),
        ms(pct(&all, 0.99)),
        ms(all.last().copied().unwrap_or_default()),
        errors
    );
    if errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
