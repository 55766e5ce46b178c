//! Guards every request passes before it reaches a page or a server function: writes only from
//! our own pages (CSRF), only the body types server functions are meant to read, and headers
//! that tell the browser to refuse what this site never does (HSTS here; the page's
//! Content-Security-Policy with its per-response nonce is set where the page is rendered, see
//! `app::shell`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What the guards need to know about how the site is reached.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    /// `PUBLIC_URL`'s origin (`https://mentoring.example.com`), if set.
    pub public_origin: Option<String>,
    /// Trust `X-Forwarded-Host` (behind a reverse proxy we run).
    pub trust_proxy: bool,
    /// The site is served over https (`PUBLIC_URL` is https): send HSTS.
    pub https: bool,
}

impl Guard {
    /// The guard for a public URL (if any) and proxy setting.
    pub fn new(public_url: Option<&str>, trust_proxy: bool) -> Arc<Guard> {
        let public_origin = public_url.and_then(origin_of);
        let https = public_url.is_some_and(|u| u.starts_with("https://"));
        Arc::new(Guard { public_origin, trust_proxy, https })
    }
}

/// `scheme://host[:port]` of a URL, lower case, without a path.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{}://{}", scheme.to_lowercase(), authority.to_lowercase()))
}

/// Why a state-changing request is refused as coming from another site, if it is.
fn foreign(guard: &Guard, headers: &HeaderMap) -> Option<&'static str> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_lowercase);
    // Browsers say where a request comes from: same-origin, same-site (a sibling subdomain),
    // cross-site, or none (typed by the person).
    if let Some(site) = text("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return Some("This request came from another site, so it was refused.");
        }
    }
    if let Some(origin) = text("origin") {
        let ours = guard.public_origin.as_deref() == Some(origin.as_str());
        let host = if guard.trust_proxy { text("x-forwarded-host").or_else(|| text("host")) } else { text("host") };
        let same_host = origin_of(&origin)
            .and_then(|o| o.split_once("://").map(|(_, authority)| authority.to_string()))
            .is_some_and(|authority| host.as_deref() == Some(authority.as_str()));
        if !ours && !same_host {
            return Some("This request came from another site, so it was refused.");
        }
    }
    None
}

/// The body types a server function reads: JSON, or a plain form (sign-in and sign-out work
/// without the app's code). Anything else — notably `text/plain`, which another site's page may
/// send without asking — is refused before the function runs.
fn readable_body(headers: &HeaderMap) -> bool {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_lowercase());
    match essence.as_deref() {
        Some("application/json") | Some("application/x-www-form-urlencoded") => true,
        // No body at all (a function without arguments).
        None => headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_none_or(|n| n.trim() == "0"),
        Some(_) => false,
    }
}

fn refuse(status: StatusCode, message: &'static str) -> Response {
    (status, message).into_response()
}

/// Refuses a state-changing request from another origin (403), and a server-function call whose
/// body is of a type it does not read (415). Reads (GET, HEAD) pass: they change nothing.
pub async fn same_origin_writes(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    if let Some(why) = foreign(&guard, request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site write refused");
        return refuse(StatusCode::FORBIDDEN, why);
    }
    if request.uri().path().starts_with("/api/") && !readable_body(request.headers()) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send JSON (application/json) or a form (application/x-www-form-urlencoded).",
        );
    }
    next.run(request).await
}

/// The largest request body in bytes: the CSV import's (its 8 MB file, as JSON text), and any
/// other request's.
pub const IMPORT_BODY_LIMIT: usize = 12 * 1024 * 1024;
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Refuses a body over its path's limit with 413 and a sentence saying the limit, before reading
/// it; a body without a declared length is cut off at the limit.
pub async fn body_limit(request: Request, next: Next) -> Response {
    let import = request.uri().path().starts_with("/api/import/");
    let limit = if import { IMPORT_BODY_LIMIT } else { BODY_LIMIT };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let message = if import {
            "This file is too large to send: the import takes files of up to 8 MB."
        } else {
            "This request is larger than the 2 MB the server takes."
        };
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, message);
    }
    let request = request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// Adds `Strict-Transport-Security` when the site is served over https.
pub async fn transport_security(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if guard.https {
        response
            .headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_our_own_origin_may_write() {
        let local = Guard::default();
        let ok = headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]);
        assert_eq!(foreign(&local, &ok), None);
        assert!(foreign(&local, &headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")])).is_some());
        assert!(foreign(&local, &headers(&[("host", "127.0.0.1:3000"), ("origin", "null")])).is_some());
        assert!(foreign(&local, &headers(&[("host", "a.example"), ("sec-fetch-site", "same-site")])).is_some());
        assert_eq!(foreign(&local, &headers(&[("host", "a.example"), ("sec-fetch-site", "same-origin")])), None);
        // A client that says nothing (curl, a server) is not a browser carrying someone's cookie.
        assert_eq!(foreign(&local, &headers(&[("host", "a.example")])), None);
        // Behind a proxy: the public URL, or the host the proxy forwarded.
        let proxied = Guard::new(Some("https://Mentoring.Example.com/"), true);
        let behind = [("host", "10.0.0.5:3000"), ("origin", "https://mentoring.example.com")];
        assert_eq!(foreign(&proxied, &headers(&behind)), None);
        let forwarded = [("host", "10.0.0.5:3000"), ("x-forwarded-host", "m.example"), ("origin", "https://m.example")];
        assert_eq!(foreign(&proxied, &headers(&forwarded)), None);
        assert!(foreign(&local, &headers(&forwarded)).is_some(), "X-Forwarded-Host only behind a trusted proxy");
        assert!(proxied.https);
    }

    #[test]
    fn server_functions_read_json_or_forms_only() {
        assert!(readable_body(&headers(&[("content-type", "application/json")])));
        assert!(readable_body(&headers(&[("content-type", "application/x-www-form-urlencoded; charset=UTF-8")])));
        assert!(readable_body(&headers(&[])));
        assert!(readable_body(&headers(&[("content-length", "0")])));
        assert!(!readable_body(&headers(&[("content-length", "12")])));
        assert!(!readable_body(&headers(&[("content-type", "text/plain")])));
        assert!(!readable_body(&headers(&[("content-type", "multipart/form-data; boundary=x")])));
    }
}

/// Whether the database answers, as a background probe last saw it (see [`watch_database`]).
#[derive(Debug, Default)]
pub struct DatabaseWatch {
    down: std::sync::atomic::AtomicBool,
}

impl DatabaseWatch {
    /// The database did not answer the last probe.
    pub fn is_down(&self) -> bool {
        self.down.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// Probes the database every second (a trivial query, 2 s to answer) for as long as the process
/// lives, so that while it is away requests are answered at once with 503 instead of hanging;
/// the SurrealDB client reconnects by itself, and the next answered probe lets requests through.
pub fn watch_database(db: app::db::Db) -> Arc<DatabaseWatch> {
    let watch = Arc::new(DatabaseWatch::default());
    let w = watch.clone();
    tokio::spawn(async move {
        use std::sync::atomic::Ordering::SeqCst;
        loop {
            let probe = tokio::time::timeout(std::time::Duration::from_secs(2), db.query("RETURN 1")).await;
            let up = matches!(probe, Ok(Ok(_)));
            let was_down = w.down.swap(!up, SeqCst);
            match (was_down, up) {
                (false, false) => tracing::error!("the database stopped answering: requests get 503 until it is back"),
                (true, true) => tracing::info!("the database answers again"),
                _ => {}
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    });
    watch
}

/// How long a request may take before it is answered with 503 (a database that went away
/// mid-request never answers it).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

fn unavailable() -> Response {
    let mut r = refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "The database is not answering right now, so nothing was done. Please try again in a few seconds.",
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

/// While the database is away, answers every request that needs it with 503 and `Retry-After`
/// at once (the build's static files and `/healthz` still answer), and any request that takes
/// longer than [`REQUEST_TIMEOUT`] with the same.
pub async fn database_available(State(watch): State<Arc<DatabaseWatch>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path == "/healthz"
        || path.ends_with(".svg")
        || path.ends_with(".webmanifest")
        || path == "/sw.js"
        || path == "/offline.html";
    if static_file {
        return next.run(request).await;
    }
    if watch.is_down() {
        return unavailable();
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("a request took longer than {REQUEST_TIMEOUT:?}: answered 503");
            unavailable()
        }
    }
}
