//! Admission: at most so many pages and server-function calls are worked on at once; the rest wait
//! their turn, first come first served.
//!
//! Without it, when everyone opens their home page at once (a cohort's notification), every
//! request is in progress together and each gets a sliver of the two cores: the ones the scheduler
//! happens to pick last wait twice as long as the middle (measured: p50 144 ms, p99 326 ms at 64
//! clients). With a fair queue in front, a request waits for the ones that came before it, then
//! runs with little competition, so the slowest are close to the typical (README, "Benchmarks").
//!
//! Long-lived and cheap requests pass without a turn: the live feed (`/api/live`, open for as long
//! as a page is), `/healthz`, and static files (`/pkg/…` and anything with a file extension). So
//! do sign-in and the password change: password checks have their own line, which refuses a flood
//! at once with a retry hint (`app::domain::auth::server::join_line`) instead of queueing it. A
//! turn lasts until the response's last byte (a page streams its panels as their data arrives),
//! or [`LONGEST_TURN`] at most: a client that reads slowly, or sends its upload slowly, costs
//! the server no work meanwhile and must not keep others waiting.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::slow::OnEnd;

/// Requests worked on at once per core on an embedded database, unless `MAX_IN_FLIGHT` says
/// otherwise: the work is the app's and the database's CPU, and two per core kept the home page's
/// p99 lowest (`./x bench home`, 64 clients: 4 at once 681–763 requests/s, p99 104–122 ms; 8 at
/// once 474–691, p99 124–221 ms; no queue 414–474, p99 293–326 ms).
pub const PER_CORE: usize = 2;
/// The same on a SurrealDB server (`ws://`): a request then also waits on the network, and more
/// at once keep the cores busy meanwhile.
pub const PER_CORE_REMOTE: usize = 16;

/// A turn is given back after this even if its response has not ended.
pub const LONGEST_TURN: Duration = Duration::from_secs(5);

/// The turns (cheap to clone; one per server).
#[derive(Clone)]
pub struct Gate {
    turns: Arc<Semaphore>,
    longest: Duration,
}

impl Gate {
    /// A gate letting `turns` requests in at once (at least one).
    pub fn new(turns: usize) -> Self {
        Self { turns: Arc::new(Semaphore::new(turns.max(1))), longest: LONGEST_TURN }
    }

    /// `MAX_IN_FLIGHT` from the environment, else [`PER_CORE`] per core ([`PER_CORE_REMOTE`]
    /// when `DATABASE_URL` names a SurrealDB server).
    pub fn from_env() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let remote =
            std::env::var("DATABASE_URL").is_ok_and(|u| !(u.starts_with("mem:") || u.starts_with("surrealkv:")));
        let per_core = if remote { PER_CORE_REMOTE } else { PER_CORE };
        let turns = std::env::var("MAX_IN_FLIGHT").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(per_core * cores);
        Self::new(turns)
    }
}

/// Whether `path` goes past the queue.
fn exempt(path: &str) -> bool {
    path == "/api/live"
        || path == "/healthz"
        || path == "/api/auth/login"
        || path == "/api/auth/change-password"
        || path.starts_with("/pkg/")
        || path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// The middleware: waits for a turn (tokio's semaphore is fair), keeps it until the body ends.
pub async fn admit(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    if exempt(request.uri().path()) {
        return next.run(request).await;
    }
    let Ok(turn) = gate.turns.clone().acquire_owned().await else {
        // Never closed; if it were, work unqueued rather than refuse.
        return next.run(request).await;
    };
    let turn = Arc::new(Mutex::new(Some(turn)));
    tokio::spawn({
        let turn = turn.clone();
        async move {
            tokio::time::sleep(gate.longest).await;
            give_back(&turn);
        }
    });
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    // Given back at the body's end (or when it is dropped unfinished).
    Response::from_parts(parts, OnEnd::body(body, move || give_back(&turn)))
}

type Held = Arc<Mutex<Option<OwnedSemaphorePermit>>>;

fn give_back(turn: &Held) {
    turn.lock().unwrap_or_else(|e| e.into_inner()).take();
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, Bytes};

    #[test]
    fn the_live_feed_health_and_static_files_skip_the_queue() {
        for path in
            ["/api/live", "/healthz", "/api/auth/login", "/pkg/mentorship.abc.wasm", "/sw.js", "/icons/icon-192.png"]
        {
            assert!(exempt(path), "{path}");
        }
        for path in ["/", "/login", "/home/mentee", "/api/auth/logout", "/goals/abc", "/api/home/admin"] {
            assert!(!exempt(path), "{path}");
        }
    }

    /// With one turn, a second page waits until the first one's body has ended, not just its head.
    #[tokio::test]
    async fn a_turn_is_held_until_the_last_byte() {
        use axum::routing::get;
        use http_body_util::BodyExt;
        use tower::ServiceExt;

        let (send, receive) = tokio::sync::oneshot::channel::<()>();
        let receive = Arc::new(std::sync::Mutex::new(Some(receive)));
        let app = axum::Router::new()
            .route(
                "/streamed",
                get(move || {
                    let receive = receive.lock().unwrap().take().expect("asked once");
                    // The head at once; the body's only frame when `send` fires.
                    let stream = futures::stream::once(async move {
                        receive.await.ok();
                        Ok::<_, std::convert::Infallible>(Bytes::from_static(b"panels"))
                    });
                    async move { Body::from_stream(stream) }
                }),
            )
            .route("/other", get(|| async { "other" }))
            .route("/pkg/app.wasm", get(|| async { "wasm" }))
            .layer(axum::middleware::from_fn_with_state(Gate::new(1), admit));
        let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();

        let first = app.clone().oneshot(get("/streamed")).await.unwrap();
        let mut second = Box::pin(app.clone().oneshot(get("/other")));
        let waited = tokio::time::timeout(std::time::Duration::from_millis(200), &mut second).await;
        assert!(waited.is_err(), "the second page must wait while the first one's body is unfinished");
        // A static file does not wait.
        let wasm = app.clone().oneshot(get("/pkg/app.wasm")).await.unwrap();
        assert_eq!(wasm.into_body().collect().await.unwrap().to_bytes(), "wasm");
        // The first body ends: the second one gets its turn.
        send.send(()).unwrap();
        assert_eq!(first.into_body().collect().await.unwrap().to_bytes(), "panels");
        let second = tokio::time::timeout(std::time::Duration::from_secs(5), second).await.expect("its turn came");
        assert_eq!(second.unwrap().into_body().collect().await.unwrap().to_bytes(), "other");
    }

    /// A response nobody reads gives its turn back after [`LONGEST_TURN`].
    #[tokio::test]
    async fn a_stalled_response_gives_its_turn_back_in_the_end() {
        let longest = Duration::from_millis(300);
        use axum::routing::get;
        use tower::ServiceExt;

        let app = axum::Router::new()
            .route(
                "/never",
                get(|| async { Body::from_stream(futures::stream::pending::<Result<Bytes, std::io::Error>>()) }),
            )
            .route("/other", get(|| async { "other" }))
            .layer(axum::middleware::from_fn_with_state(Gate { longest, ..Gate::new(1) }, admit));
        let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
        let _stalled = app.clone().oneshot(get("/never")).await.unwrap();
        let began = std::time::Instant::now();
        let other = app.oneshot(get("/other")).await.unwrap();
        assert_eq!(other.status(), 200);
        let waited = began.elapsed();
        assert!(waited >= Duration::from_millis(250) && waited < Duration::from_secs(3), "waited {waited:?}");
    }

    #[test]
    fn a_gate_has_at_least_one_turn() {
        assert_eq!(Gate::new(0).turns.available_permits(), 1);
        assert_eq!(Gate::new(16).turns.available_permits(), 16);
    }
}
