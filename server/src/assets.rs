//! How the front end's files and the pages are cached and compressed.
//!
//! - `/pkg/*` (the wasm, its JS, the stylesheet, the lazily loaded chunks) is served from files the
//!   build precompressed (`.br` at quality 11, `.gz` at level 9; see `frontend/site.mjs`), so no
//!   request pays for compression. A file whose name carries the build's content id
//!   (`name.<22 characters>.ext`) never changes under that name: `public, max-age=31536000,
//!   immutable`. Anything else there is revalidated (`no-cache`).
//! - HTML pages: `no-cache` (always revalidated, so a new build's file names are picked up at once),
//!   and `no-store` when the request carries a session (a signed-in page holds personal data and
//!   must not stay on a shared computer's disk).

use std::path::Path;

use app::domain::auth::server::SESSION_COOKIE;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;

/// `Cache-Control` for a name the build stamped with its content id.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The router serving `<site_root>/pkg` under `/pkg`, precompressed files first.
pub fn pkg_router<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let dir = Path::new(site_root).join("pkg");
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new().nest_service("/pkg", files).layer(axum::middleware::from_fn(pkg_cache_control))
}

/// True when a file name has the build's content id before its extension: `stem.<id>.ext`, the id
/// being 22 base64url characters (an MD5).
pub fn is_content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(id), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn pkg_cache_control(request: Request, next: Next) -> Response {
    let immutable = is_content_named(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        let value = if immutable { IMMUTABLE } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// Sets `Cache-Control` on HTML responses that have none: `no-store` for a signed-in request,
/// `no-cache` otherwise.
pub async fn page_cache_control(request: Request, next: Next) -> Response {
    let signed_in = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(';').any(|c| c.trim_start().trim_start_matches("__Host-").starts_with(SESSION_COOKIE)));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html && !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if signed_in { "no-store" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_content_named;

    #[test]
    fn content_named_files_are_recognised() {
        assert!(is_content_named("/pkg/mentorship.Ab3_-x9Qz8Lm0Pq7Rs1TuV.wasm"));
        assert!(is_content_named("/pkg/__wasm_split.Ab3_-x9Qz8Lm0Pq7Rs1TuV.js"));
        assert!(is_content_named("/pkg/chunk_13.Ab3_-x9Qz8Lm0Pq7Rs1TuV.wasm"));
        assert!(!is_content_named("/pkg/mentorship.wasm"));
        assert!(!is_content_named("/pkg/mentorship.css"));
        assert!(!is_content_named("/pkg/mentorship.short.js"));
        assert!(!is_content_named("/pkg/snippets/x.js"));
    }
}
