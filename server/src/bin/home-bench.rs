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
//! `--people N` spreads the requests over N different mentees of the load-test cohort
//! (`mentee{k}@load.example`, seeded with `DEMO_LOAD_PAIRS=N`), round robin, so that the first N
//! requests are each one person's first visit (nothing kept for them yet) and the figures are
//! printed apart for first visits and visits again. Without it, every request is the demo
//! mentee's, again and again.
//!
//! A plain HTTP/1.1 client over tokio, so the bench adds no dependency to the server crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use server::benchkit::{ms, pct, sign_in, start_server, Conn};

const USAGE: &str = "usage: home-bench [--url http://HOST:PORT] [--path /home/mentee] [--clients 64] [--secs 20] \
[--email mentee@northwind.example] [--password mentorship-demo] [--expect TEXT] [--identity] [--db mem|surrealkv] \
[--people N]";

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
    people: usize,
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
        people: 0,
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
            "--people" => o.people = value()?.parse().map_err(|_| "--people needs a number")?,
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

/// The requests to make, round robin (one per person), and how many were made so far.
struct Heads {
    heads: Vec<String>,
    next: AtomicUsize,
}

/// Requests the next of `heads` on one connection until `until`; the latency of each successful
/// request, and whether it was that person's first visit.
async fn client(host: String, heads: Arc<Heads>, until: Instant) -> (Vec<(Duration, bool)>, usize) {
    let mut conn = Conn::new(&host);
    let (mut times, mut errors) = (Vec::new(), 0);
    while Instant::now() < until {
        let n = heads.next.fetch_add(1, Ordering::Relaxed);
        let head = &heads.heads[n % heads.heads.len()];
        let t = Instant::now();
        match conn.send(head, &[]).await {
            Ok(r) if r.status == 200 => times.push((t.elapsed(), n < heads.heads.len())),
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
async fn run(
    host: &str,
    heads: &Arc<Heads>,
    clients: usize,
    span: Duration,
) -> (Vec<(Duration, bool)>, usize, Duration) {
    let start = Instant::now();
    let until = start + span;
    let tasks: Vec<_> = (0..clients).map(|_| tokio::spawn(client(host.to_string(), heads.clone(), until))).collect();
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

/// The latencies of `times` that `keep` keeps, sorted.
fn only(times: &[(Duration, bool)], keep: impl Fn(bool) -> bool) -> Vec<Duration> {
    times.iter().filter(|(_, first)| keep(*first)).map(|(d, _)| *d).collect()
}

/// Signs in `mentee0` … `mentee{n-1}` of the load-test cohort, a few at a time.
async fn sign_in_people(host: &str, n: usize, password: &str) -> Result<Vec<String>, String> {
    let mut tokens = Vec::with_capacity(n);
    for batch in (0..n).collect::<Vec<_>>().chunks(4) {
        let tasks: Vec<_> = batch
            .iter()
            .map(|k| {
                let (host, password, email) =
                    (host.to_string(), password.to_string(), format!("mentee{k}@load.example"));
                tokio::spawn(async move { sign_in(&host, &email, &password).await })
            })
            .collect();
        for t in tasks {
            tokens.push(t.await.map_err(|e| e.to_string())??);
        }
    }
    Ok(tokens)
}

/// Loads `path` once as `who` and checks the page is the real one (it contains `expect`).
async fn check_page(host: &str, path: &str, token: &str, who: &str, expect: &str) -> Result<(), String> {
    match Conn::new(host).send(&page_head(path, token, true), &[]).await {
        Ok(r) if r.status == 200 && String::from_utf8_lossy(&r.body).contains(expect) => {
            println!("GET {path} as {who}: HTTP 200, {} bytes uncompressed, contains {expect:?}", r.body.len());
            Ok(())
        }
        Ok(r) => Err(format!("GET {path} as {who} answered HTTP {} without {expect:?}", r.status)),
        Err(e) => Err(format!("GET {path} as {who}: {e}")),
    }
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
    let pairs = o.people.to_string();
    let envs: &[(&str, &str)] = if o.people > 0 { &[("DEMO_LOAD_PAIRS", &pairs)] } else { &[] };
    let (_server, host) = match &o.url {
        Some(url) => (None, url.trim_start_matches("http://").to_string()),
        None => match start_server(&o.db, envs).await {
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
    if let Err(e) = check_page(&host, &o.path, &token, &o.email, &o.expect).await {
        eprintln!("error: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let again = Arc::new(Heads { heads: vec![page_head(&o.path, &token, o.identity)], next: AtomicUsize::new(1) });
    let visits = if o.people == 0 {
        again.clone()
    } else {
        let t = Instant::now();
        let tokens = match sign_in_people(&host, o.people, &o.password).await {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "error: signing in the load cohort's mentees (is the server seeded with DEMO_LOAD_PAIRS={}?): {e}",
                    o.people
                );
                return std::process::ExitCode::FAILURE;
            }
        };
        println!("{} mentees of the load cohort signed in ({:.0} s)", tokens.len(), t.elapsed().as_secs_f64());
        if let Err(e) = check_page(&host, &o.path, &tokens[0], "mentee0@load.example", "Welcome").await {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
        let heads = tokens.iter().map(|t| page_head(&o.path, t, o.identity)).collect();
        // The check above was mentee0's first visit.
        Arc::new(Heads { heads, next: AtomicUsize::new(1) })
    };
    // Warm-up (connections, caches, allocator) on the demo mentee, then one client alone, then
    // the crowd.
    run(&host, &again, o.clients.min(8), Duration::from_secs(2)).await;
    let alone = Duration::from_secs((o.secs / 4).clamp(2, 5));
    let (one, one_errors, one_wall) = run(&host, &visits, 1, alone).await;
    let (all, errors, wall) = run(&host, &visits, o.clients, Duration::from_secs(o.secs)).await;
    for (label, keep) in [("", None), (" (first visits)", Some(true)), (" (visits again)", Some(false))] {
        if o.people == 0 && keep.is_some() {
            continue;
        }
        let one = only(&one, |first| keep.is_none_or(|k| k == first));
        let all = only(&all, |first| keep.is_none_or(|k| k == first));
        println!(
            "1 client, {:.0} s{label}: {} requests, {:.1} req/s, p50 {}, p99 {}{}",
            one_wall.as_secs_f64(),
            one.len(),
            one.len() as f64 / one_wall.as_secs_f64(),
            ms(pct(&one, 0.50)),
            ms(pct(&one, 0.99)),
            if keep.is_none() { format!(", errors {one_errors}") } else { String::new() }
        );
        println!(
            "{} clients, {:.0} s{label}: {} requests, {:.1} req/s, p50 {}, p90 {}, p99 {}, max {}{}",
            o.clients,
            wall.as_secs_f64(),
            all.len(),
            all.len() as f64 / wall.as_secs_f64(),
            ms(pct(&all, 0.50)),
            ms(pct(&all, 0.90)),
            ms(pct(&all, 0.99)),
            ms(all.last().copied().unwrap_or_default()),
            if keep.is_none() { format!(", errors {errors}") } else { String::new() }
        );
    }
    if errors > 0 {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
