//! The bench's HTTP side: the real router on a loopback port, and a plain HTTP/1.1 client (one
//! connection per request, like separate phones).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::db::Db;
use app::domain::auth::server::AuthSettings;
use leptos::prelude::LeptosOptions;
use server::{router, seed, AppState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::err;

/// A response: status, the session cookie if one was set, and the body.
pub(crate) struct Reply {
    /// HTTP status.
    pub status: u16,
    session: Option<String>,
    /// The body as text (lossy when compressed).
    pub body: String,
    /// The body's size as sent (compressed, if it was).
    pub bytes: usize,
}

/// A loopback connection without Nagle's delay.
pub(crate) async fn connect(host: &str) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect(host).await?;
    s.set_nodelay(true)?;
    Ok(s)
}

/// One request on `stream` with `Connection: close`, read to the end.
pub(crate) async fn exchange(mut stream: TcpStream, host: &str, head: &str, body: &[u8]) -> std::io::Result<Reply> {
    let mut req =
        format!("{head}\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    req.extend_from_slice(body);
    stream.write_all(&req).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "malformed response");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(bad)?;
    let head_text = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head_text.split("\r\n");
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|c| c.parse().ok()).ok_or_else(bad)?;
    let (mut session, mut chunked) = (None, false);
    for l in lines {
        let Some((name, value)) = l.split_once(':') else { continue };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "set-cookie" => {
                if let Some(v) = value.strip_prefix("mentorship_session=") {
                    session = Some(v.split(';').next().unwrap_or_default().to_string());
                }
            }
            _ => {}
        }
    }
    let rest = &raw[split + 4..];
    let body = if chunked { dechunk(rest) } else { rest.to_vec() };
    Ok(Reply { status, session, bytes: body.len(), body: String::from_utf8_lossy(&body).into_owned() })
}

/// The body of a chunked response.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..eol]).split(';').next().unwrap_or_default().trim().to_string();
        let size = usize::from_str_radix(&size_text, 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&raw[start..(start + size).min(raw.len())]);
        raw = &raw[(start + size + 2).min(raw.len())..];
    }
    out
}

/// Signs in with the plain form post the sign-in page uses; returns the session token.
pub(crate) async fn sign_in(host: &str, email: &str) -> Result<String, String> {
    let body = format!("email={}&password={}", email.replace('@', "%40"), seed::DEMO_PASSWORD);
    let head = "POST /api/auth/login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: */*";
    let reply = exchange(connect(host).await.map_err(err)?, host, head, body.as_bytes()).await.map_err(err)?;
    reply.session.filter(|t| !t.is_empty()).ok_or(format!("sign-in as {email}: no session (HTTP {})", reply.status))
}

/// The request line and headers of a server-function call as a signed-in browser makes it.
pub(crate) fn json_head(path: &str, token: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nCookie: mentorship_session={token}\r\nContent-Type: application/json\r\nAccept: application/json")
}

/// The real router on a free loopback port, served from this process.
pub(crate) async fn start_server(db: Db) -> Result<String, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(err)?;
    let addr = listener.local_addr().map_err(err)?;
    let site = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let options = LeptosOptions::builder().output_name("mentorship").site_root(site).site_addr(addr).build();
    let app = router(AppState::new(options, db, AuthSettings::default()));
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await });
    Ok(addr.to_string())
}

/// Fires one submission per (user key, token, body) at once; each result: (key, status or the
/// I/O error, latency) and the wall time from release to the last answer.
pub(crate) async fn fire(
    host: &str,
    batch: Vec<(String, String, Vec<u8>)>,
) -> (Vec<(String, Result<Reply, String>, Duration)>, Duration) {
    let gate = Arc::new(tokio::sync::Barrier::new(batch.len() + 1));
    let mut tasks = Vec::new();
    for (key, token, body) in batch {
        let (gate, host) = (gate.clone(), host.to_string());
        tasks.push(tokio::spawn(async move {
            let stream = connect(&host).await;
            gate.wait().await;
            let t = Instant::now();
            let head = json_head("/api/surveys/submit", &token);
            let reply = match stream {
                Ok(s) => exchange(s, &host, &head, &body).await.map_err(err),
                Err(e) => Err(e.to_string()),
            };
            (key, reply, t.elapsed(), Instant::now())
        }));
    }
    gate.wait().await;
    let start = Instant::now();
    let (mut out, mut end) = (Vec::new(), start);
    for t in tasks {
        let (key, reply, took, done) = t.await.expect("submit task");
        end = end.max(done);
        out.push((key, reply, took));
    }
    (out, end - start)
}
