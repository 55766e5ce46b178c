//! What the load benchmarks share: a plain HTTP/1.1 client over tokio (so the benches add no
//! dependency to the server crate), sign-in, percentiles, and the server under test started as
//! its own process (the `mentorship` binary next to the bench's).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    host: String,
    stream: Option<BufReader<TcpStream>>,
}

/// A response: status, the session cookie if one was set, and the body (still encoded).
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The session cookie, when one was set.
    pub session: Option<String>,
    /// The body (still encoded).
    pub body: Vec<u8>,
}

impl Conn {
    pub fn new(host: &str) -> Conn {
        Conn { host: host.to_string(), stream: None }
    }

    /// Sends `head` (request line and headers, without the blank line) and `body`; reconnects once
    /// when the server had closed the idle connection.
    pub async fn send(&mut self, head: &str, body: &[u8]) -> std::io::Result<Reply> {
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
pub async fn sign_in(host: &str, email: &str, password: &str) -> Result<String, String> {
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

pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The server under test when no `--url` is given: the `mentorship` binary next to this one.
pub struct Started {
    /// The server process.
    pub child: Child,
    dir: Option<std::path::PathBuf>,
    /// The server's log (its standard output and error), kept after the run.
    pub log: std::path::PathBuf,
}

impl Started {
    /// The warnings and errors the server logged so far, each distinct message once with how
    /// many times it came (timestamps and fields left out), most frequent first.
    pub fn warnings(&self) -> Vec<(usize, String)> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for line in text.lines() {
            // `2026-12-03T15:00:00.000000Z  WARN target: message key=value`
            let Some(at) = line.find(" WARN ").or_else(|| line.find(" ERROR ")) else { continue };
            let rest = line[at..].trim_start();
            let (level, after) = rest.split_once(' ').unwrap_or((rest, ""));
            let message = after.split_once(": ").map_or(after, |(_target, m)| m);
            // Fields (`key=value`) differ per line: the message is what comes before them.
            let words: Vec<&str> = message.split(' ').take_while(|w| !w.contains('=')).collect();
            *counts.entry(format!("{level} {}", words.join(" "))).or_default() += 1;
        }
        let mut list: Vec<(usize, String)> = counts.into_iter().map(|(m, n)| (n, m)).collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        list
    }
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

pub async fn start_server(db: &str, envs: &[(&str, &str)]) -> Result<(Started, String), String> {
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
            let dir = std::env::temp_dir().join(format!("mentorship-bench-{}", std::process::id()));
            (format!("surrealkv://{}", dir.join("db").display()), Some(dir))
        }
        other => return Err(format!("--db must be mem or surrealkv, not {other:?}")),
    };
    let site = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let log = std::env::temp_dir().join(format!("mentorship-bench-server-{}.log", std::process::id()));
    let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let child = Command::new(&exe)
        .args(["serve", "--create-if-missing", "--seed-demo"])
        .env("DATABASE_URL", url)
        .env("LEPTOS_SITE_ADDR", &host)
        .env("LEPTOS_SITE_ROOT", site)
        .env("LOGIN_MAX_FAILURES_PER_IP", "100000")
        .env("RUST_LOG", "warn")
        .envs(envs.iter().copied())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .map_err(|e| format!("starting {}: {e}", exe.display()))?;
    let started = Started { child, dir, log };
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
