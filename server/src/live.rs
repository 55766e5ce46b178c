//! Live dashboards: SurrealDB live queries (`LIVE SELECT`) on the tables that feed a dashboard
//! number, fanned out to browsers as Server-Sent Events at `GET /api/live`.
//!
//! One live query per table per app server, started when the first dashboard connects; every
//! write reaches it whichever app server made it (the subscription lives in the shared database),
//! so several app servers behind a proxy all stay live. A browser only ever receives the *names of
//! the tables* that changed — never a record — and then reloads its dashboard through the server
//! function, which checks its role as usual. Events are coalesced for a quarter of a second, so a
//! burst of writes costs one reload. A dropped database connection ends the live queries; they
//! are started again, and every browser is told to reload (what happened in the gap is unknown).

use std::convert::Infallible;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use app::db::kept::KeptReads;
use app::db::value;
use app::db::Db;
use app::domain::auth::server::SessionCache;
use app::domain::auth::server::{secure_request, secure_uri, session_token_in, session_user, token_hash};
use app::domain::auth::types::Role;
use app::domain::metrics::patch::change_of;
use app::domain::metrics::server::{self as metrics, MetricsCache};
use app::domain::surveys::server as surveys;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use surrealdb::opt::Resource;
use surrealdb::types::Action;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

use crate::AppState;

/// The tables whose changes move a dashboard number.
pub const TABLES: [&str; 13] = [
    "application",
    "pairing",
    "goal",
    "checkin",
    "meeting",
    "workshop_seat",
    "award",
    "survey",
    "survey_response",
    "assessment",
    "cohort",
    "program",
    // People's departments, levels and HR outcomes (retention, promotion).
    "user",
];

/// Tables watched only to forget kept sessions (no dashboard number moves with them).
pub const SESSION_TABLES: [&str; 1] = ["session"];

/// Every table a live query runs on: the dashboards', the sessions', and those participants'
/// kept reads depend on ([`app::db::kept::WATCHED`]), each once.
pub fn watched_tables() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = TABLES.into_iter().chain(SESSION_TABLES).collect();
    for t in app::db::kept::WATCHED {
        if !all.contains(&t) {
            all.push(t);
        }
    }
    all
}

/// What a change event says: which table changed, or that everything may have ("resync").
pub type Change = &'static str;

/// The fan-out of one app server, and what keeps its dashboard cache honest.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Change>,
    started: Arc<OnceLock<()>>,
    running: Arc<std::sync::Mutex<usize>>,
    db: Db,
    cache: MetricsCache,
    sessions: SessionCache,
    kept: KeptReads,
}

impl Hub {
    /// A hub on `db` that empties `cache` on every change that moves a number, `sessions` on
    /// every change of a session or a user, and tells `kept` of every change to a table it
    /// watches; nothing runs until [`Hub::start`] or the first subscriber.
    pub fn new(db: Db, cache: MetricsCache, sessions: SessionCache, kept: KeptReads) -> Hub {
        let (tx, _) = broadcast::channel(1024);
        let running = Arc::default();
        Hub { tx, started: Arc::new(OnceLock::new()), running, db, cache, sessions, kept }
    }

    /// Starts the live queries (once).
    pub fn start(&self) {
        self.started.get_or_init(|| {
            for table in watched_tables() {
                tokio::spawn(pump(self.clone(), table));
            }
        });
    }

    /// Changes from now on (starting the live queries the first time).
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.start();
        self.tx.subscribe()
    }

    /// One more (`up`) or one fewer live query runs; the caches are trusted only while all do.
    fn running(&self, up: bool) {
        // Held while the caches are told, so that two queries changing at once cannot tell them
        // in the wrong order (the last word would then be "all run" while one does not).
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        *running = if up { *running + 1 } else { *running - 1 };
        let all = *running == watched_tables().len();
        self.cache.watching(all);
        self.sessions.watching(all);
        self.kept.watching(all);
        if all && up {
            // The dashboards' facts are read now (and after the feed comes back), not by the first
            // visitor: under load that first read competed with every other request and did not
            // finish in time (`./x bench load` saw 503s).
            let (cache, db) = (self.cache.clone(), self.db.clone());
            tokio::spawn(async move {
                match cache.facts(&db).await {
                    Ok(_) => tracing::info!("dashboard facts kept"),
                    Err(e) => tracing::warn!(%e, "dashboard facts not read ahead"),
                }
            });
        }
    }
}

/// Keeps one live query on `table` running for as long as the process lives.
async fn pump(hub: Hub, table: &'static str) {
    let mut first = true;
    loop {
        match hub.db.select(Resource::from(table)).live().await {
            Ok(mut changes) => {
                hub.running(true);
                if !first {
                    // Back after a gap: what changed meanwhile is unknown (the kept reads were
                    // forgotten as the query stopped and started: `Hub::running`).
                    let _ = hub.tx.send("resync");
                }
                first = false;
                while let Some(item) = changes.next().await {
                    match &item {
                        // Whom the change concerns may take a read by id: not in this loop.
                        Ok(n) if app::db::kept::WATCHED.contains(&table) => {
                            let (kept, db, record) = (hub.kept.clone(), hub.db.clone(), n.data.clone());
                            tokio::spawn(async move { kept.reported(&db, table, &record).await });
                        }
                        Ok(_) => {}
                        Err(_) => hub.kept.changed(),
                    }
                    if !TABLES.contains(&table) && !SESSION_TABLES.contains(&table) {
                        // Watched for the kept reads only: no dashboard number moves with it.
                        if let Err(e) = item {
                            tracing::warn!(table, %e, "live query interrupted; starting it again");
                            break;
                        }
                        continue;
                    }
                    if table == "session" || table == "user" {
                        match &item {
                            // A new session (a sign-in), a new person, or a session's last use
                            // moving on: no one's access changed.
                            Ok(n) if n.action == Action::Create => {}
                            Ok(n) if table == "session" && n.action == Action::Update => {}
                            // A session ended: forget it; a person changed: forget theirs.
                            Ok(n) if table == "session" => match value::text(value::field(&n.data, "token_hash")) {
                                Some(hash) => hub.sessions.forget_session(&hash),
                                None => hub.sessions.changed(),
                            },
                            Ok(n) => match value::record_key(value::field(&n.data, "id")) {
                                Some(id) => hub.sessions.forget_user(&id),
                                None => hub.sessions.changed(),
                            },
                            Err(_) => hub.sessions.changed(),
                        }
                    }
                    if !SESSION_TABLES.contains(&table) {
                        // A change the kept facts can take is applied to them; any other has
                        // them read again.
                        let change = match &item {
                            Ok(n) if n.action == Action::Create || n.action == Action::Update => {
                                change_of(table, n.action == Action::Create, &n.data, metrics::today())
                            }
                            _ => None,
                        };
                        match change {
                            Some(c) => hub.cache.apply(c),
                            None => hub.cache.changed(),
                        }
                    }
                    match item {
                        Ok(_) if SESSION_TABLES.contains(&table) => {}
                        Ok(n) if table == "survey_response" && n.action == Action::Create => {
                            // Survey results kept in this process take the answer without a read.
                            tokio::spawn(surveys::response_created(hub.db.clone(), n.data));
                            let _ = hub.tx.send(table);
                        }
                        Ok(_) => {
                            let _ = hub.tx.send(table);
                        }
                        Err(e) => {
                            tracing::warn!(table, %e, "live query interrupted; starting it again");
                            break;
                        }
                    }
                }
                hub.running(false);
            }
            Err(e) => tracing::warn!(table, %e, "could not start a live query; retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The signed-in caller may watch dashboards (admins and leadership, past a temporary password).
async fn may_watch(state: &AppState, headers: &HeaderMap) -> Result<(), StatusCode> {
    let auth = &state.ctx.auth;
    let token = session_token_in(headers, secure_request(headers, auth)).ok_or(StatusCode::UNAUTHORIZED)?;
    let user = session_user(&state.ctx.db, &token_hash(&token), auth.session_idle)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?
        .ok_or(StatusCode::UNAUTHORIZED)?;
    if user.must_change_password || !(user.has_role(Role::Admin) || user.has_role(Role::Leadership)) {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(())
}

/// How long changes are gathered into one event.
const COALESCE: Duration = Duration::from_millis(250);

/// `GET /api/live`: a stream of `data: <table>[,<table>…]` events, one per burst of changes, and
/// `data: hello` when it opens (so the browser knows it is live).
pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(status) = may_watch(&state, &headers).await {
        return status.into_response();
    }
    let rx = state.live.subscribe();
    let hello = stream::once(async { Ok::<_, Infallible>(Event::default().data("hello")) });
    let changes = stream::unfold(rx, |mut rx| async move {
        let first = match rx.recv().await {
            Ok(t) => t,
            Err(RecvError::Lagged(_)) => "resync",
            Err(RecvError::Closed) => return None,
        };
        tokio::time::sleep(COALESCE).await;
        let mut tables = vec![first];
        loop {
            match rx.try_recv() {
                Ok(t) if !tables.contains(&t) => tables.push(t),
                Ok(_) => {}
                Err(TryRecvError::Lagged(_)) => tables.push("resync"),
                Err(_) => break,
            }
        }
        Some((Ok(Event::default().data(tables.join(","))), rx))
    });
    let mut response =
        Sse::new(hello.chain(changes)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    // Tells nginx-like proxies not to buffer the stream.
    response.headers_mut().insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    response
}

/// The server functions that only read kept reads (a participant's own, or those kept for
/// everyone of a role): calling them is no write. (`awards/mine` awards what was newly earned;
/// it is its own kept read, so it forgets nothing else.)
const KEPT_READS: [&str; 12] = [
    "/api/home/mentee",
    "/api/home/mentor",
    "/api/notifications/mine",
    "/api/matches/mine",
    "/api/goals/mine",
    "/api/workshops/mine",
    "/api/awards/mine",
    "/api/surveys/mine",
    "/api/assessments/mine",
    "/api/pairs/quiet",
    "/api/home/leadership",
    "/api/home/admin",
];

/// Any request that may write (not a GET, HEAD or OPTIONS, nor one of [`KEPT_READS`]) forgets
/// the caller's kept reads before it runs and again once it is answered, so the next page they
/// load shows what they just did even before the live feed reports it.
pub async fn own_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let read = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || KEPT_READS.contains(&request.uri().path());
    let ctx = &state.ctx;
    let token = (!read)
        .then(|| session_token_in(request.headers(), secure_uri(request.headers(), request.uri(), &ctx.auth)))
        .flatten();
    // The person, whichever of their sessions writes (the session is usually kept: no read).
    let person = match token {
        Some(token) => ctx.sessions.user(&ctx.db, &token_hash(&token), ctx.auth.session_idle).await.ok().flatten(),
        None => None,
    };
    let Some(person) = person else { return next.run(request).await };
    ctx.kept.wrote(&person.id);
    let response = next.run(request).await;
    ctx.kept.wrote(&person.id);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The feed must hear of a record written through a variable (`UPDATE $p.id`, as ending a
    /// pair and opening a survey do), or kept reads would miss it.
    #[tokio::test]
    async fn a_live_query_hears_of_an_update_through_a_variable() {
        use futures::StreamExt;
        let db = app::db::connect("mem://").await.unwrap();
        db.query("CREATE pair_of_two:p SET status = 'published'").await.unwrap().check().unwrap();
        let mut changes = db.select(surrealdb::opt::Resource::from("pair_of_two")).live().await.unwrap();
        db.query(
            "BEGIN;
             LET $p = (SELECT * FROM ONLY pair_of_two:p);
             UPDATE $p.id SET status = 'ended';
             COMMIT;",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
        let heard = tokio::time::timeout(std::time::Duration::from_secs(2), changes.next()).await;
        let n = heard.expect("a change reported within 2 s").expect("the feed goes on").unwrap();
        assert_eq!(value::text(value::field(&n.data, "status")), Some("ended".to_string()));
    }
}
