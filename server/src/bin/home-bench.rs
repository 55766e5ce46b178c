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

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

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

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    host: String,
    stream: Option<BufReader<TcpStream>>,
}

/// A response: status, the session cookie if one was set, and the body (still encoded).
struct Reply {
    status: u16,
    session: Option<String>,
    body: Vec<u8>,
}

impl Conn {
    fn new(host: &str) -> Conn {
        Conn { host: host.to_string(), stream: None }
    }

    /// Sends `head` (request line and headers, without the blank line) and `body`; reconnects once
    /// when the server had closed the idle connection.
    async fn send(&mut self, head: &str, body: &[u8]) -> std::io::Result<Reply> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                let s = TcpStream::connect(&self.host).await?;
                s.set_nodelay(true)?;
                self.stream = Some(BufReader::new(s));
            }
            match self.exchange(head, body).await {
                Ok(r) => return Ok(r),
                Err(e) if attempt == 0 && e.kind() != std::io::ErrorKind::InvalidData => self.stream = None,
                Err(e) => return Err(e),
            }
        }
        unreachable!("two attempts")
    }

    async fn exchange(&mut self, head: &str, body: &[u8]) -> std::io::Result<Reply> {
        let host = self.host.clone();
        let s = self.stream.as_mut().expect("connected");
        let mut req = format!("{head}\r\nHost: {host}\r\n");
        if !body.is_empty() {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        s.get_mut().write_all(&bytes).await?;

        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
        let mut line = String::new();
        if s.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        let status: u16 = line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| bad(&line))?;
        let (mut length, mut chunked, mut close, mut session) = (None, false, false, None);
        loop {
            line.clear();
            s.read_line(&mut line).await?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let Some((name, value)) = l.split_once(':') else { continue };
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "set-cookie" => {
                    if let Some(v) = value.strip_prefix("mentorship_session=") {
                        session = Some(v.split(';').next().unwrap_or_default().to_string());
                    }
                }
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                s.read_line(&mut line).await?;
                let size_text = line.trim_end().split(';').next().unwrap_or_default();
                let size = usize::from_str_radix(size_text, 16).map_err(|_| bad("chunk size"))?;
                if size == 0 {
                    // Trailers, then the blank line.
                    loop {
                        line.clear();
                        s.read_line(&mut line).await?;
                        if line.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let start = body.len();
                body.resize(start + size + 2, 0);
                s.read_exact(&mut body[start..]).await?;
                body.truncate(start + size);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            s.read_exact(&mut body).await?;
        } else if status != 204 && status != 304 && !(100..200).contains(&status) {
            s.read_to_end(&mut body).await?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(Reply { status, session, body })
    }
}

/// Signs in with the plain form post the sign-in page uses; returns the session token.
async fn sign_in(host: &str, email: &str, password: &str) -> Result<String, String> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let body = format!("email={}&password={}", enc(email), enc(password));
    let head = "POST /api/auth/login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: */*";
    let reply = Conn::new(host).send(head, body.as_bytes()).await.map_err(|e| format!("sign-in: {e}"))?;
    match reply.session {
        Some(token) if !token.is_empty() => Ok(token),
        _ => Err(format!("sign-in as {email} set no session cookie (HTTP {})", reply.status)),
    }
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

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The server under test when no `--url` is given: the `mentorship` binary next to this one.
struct Started {
    child: Child,
    dir: Option<std::path::PathBuf>,
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

async fn start_server(db: &str) -> Result<(Started, String), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("mentorship");
    if !exe.is_file() {
        return Err(format!(
            "{} not found: build it (cargo build --release -p server --bin mentorship)",
            exe.display()
        ));
    }
    // A free loopback port: bind, read it, release it for the server.
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let host = format!("127.0.0.1:{port}");
    let (url, dir) = match db {
        "mem" => ("mem://".to_string(), None),
        "surrealkv" => {
            let dir = std::env::temp_dir().join(format!("mentorship-home-bench-{}", std::process::id()));
            (format!("surrealkv://{}", dir.join("db").display()), Some(dir))
        }
        other => return Err(format!("--db must be mem or surrealkv, not {other:?}")),
    };
    let site = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let child = Command::new(&exe)
        .args(["serve", "--create-if-missing", "--seed-demo"])
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", &host)
        .env("LEPTOS_SITE_ROOT", site)
        .env("LOGIN_MAX_FAILURES_PER_IP", "100000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting {}: {e}", exe.display()))?;
    let started = Started { child, dir };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(r) = Conn::new(&host).send("GET /healthz HTTP/1.1\r\nConnection: close", &[]).await {
            if r.status == 200 {
                return Ok((started, host));
            }
        }
        if Instant::now() > deadline {
            return Err("the server did not answer /healthz within 2 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
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
    let (_server, host) = match &o.url {
        Some(url) => (None, url.trim_start_matches("http://").to_string()),
        None => match start_server(&o.db).await {
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
