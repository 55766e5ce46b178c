//! A warning in the log for every response that took longer than [`SLOW`] to its last byte.
//!
//! A page is streamed: its head goes out at once and its body as each panel's data arrives, so
//! the request timeout (`security::REQUEST_TIMEOUT`, which bounds the head) cannot see a body that
//! stalls. The log line names the path, the time to the head and the time to the end, so an
//! operator (or `./x bench load`, which prints the server's warnings) can find such a request.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// A response slower than this to its last byte is logged.
pub const SLOW: Duration = Duration::from_secs(5);

/// The middleware: times each response to the end of its body.
pub async fn log_slow_responses(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let head = start.elapsed();
    if head > SLOW {
        tracing::warn!(path, head_ms = head.as_millis() as u64, "slow response (head)");
        return response;
    }
    let (parts, body) = response.into_parts();
    let ended = move || {
        let total = start.elapsed();
        if total > SLOW {
            tracing::warn!(
                path,
                head_ms = head.as_millis() as u64,
                total_ms = total.as_millis() as u64,
                "slow response (body)"
            );
        }
    };
    Response::from_parts(parts, OnEnd::body(body, ended))
}

/// A response body that runs a closure once at its end: its last frame, an error, or dropped
/// unfinished (the client went away). Here it logs a slow body; the admission queue
/// (`crate::admit`) gives a turn back with it.
pub struct OnEnd {
    inner: Body,
    on_end: Option<Box<dyn FnOnce() + Send>>,
}

impl OnEnd {
    /// `inner`, running `on_end` once when it ends.
    pub fn body(inner: Body, on_end: impl FnOnce() + Send + 'static) -> Body {
        Body::new(Self { inner, on_end: Some(Box::new(on_end)) })
    }

    fn ended(&mut self) {
        if let Some(on_end) = self.on_end.take() {
            on_end();
        }
    }
}

impl Drop for OnEnd {
    fn drop(&mut self) {
        self.ended();
    }
}

impl HttpBody for OnEnd {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None) | Poll::Ready(Some(Err(_)))) {
            self.ended();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
