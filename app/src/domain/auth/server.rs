//! Sessions, sign-in with throttling, and the authorization gate every server function passes.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::ConnectInfo;
use http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::ResponseOptions;
use sha2::{Digest, Sha256};
use surrealdb::types::SurrealValue;

use crate::db::{checked, Db};
use crate::domain::auth::types::{Role, SessionUser};
use crate::error::AppError;

/// Days a temporary password (from an admin, the import or `create-admin`) may be used to sign
/// in before it must be issued again.
pub const TEMP_PASSWORD_DAYS: u64 = 7;
/// [`TEMP_PASSWORD_DAYS`] as a duration.
pub const TEMP_PASSWORD_VALID: Duration = Duration::from_secs(TEMP_PASSWORD_DAYS * 24 * 3600);

/// Name of the session cookie over plain http (a laptop, a test).
pub const SESSION_COOKIE: &str = "mentorship_session";
/// Name of the session cookie over https: the `__Host-` prefix makes the browser refuse it
/// unless it is `Secure`, for the whole site and set by this host, so a sibling subdomain cannot
/// plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-mentorship_session";

/// The session cookie's name for a request over https (`secure`) or not.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token in `headers`' cookies under the name for `secure`, if it has a token's shape.
pub fn session_token_in(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    let name = session_cookie_name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Sign-in and session policy, from the server's configuration.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// How long a session lasts at most.
    pub session_ttl: Duration,
    /// A session not used for this long ends.
    pub session_idle: Duration,
    /// Failed sign-ins per account from one client IP within `failure_window` before that IP is
    /// refused for that account (others can still sign in to it).
    pub max_failures_per_account: usize,
    /// Failed sign-ins per account from anywhere within `failure_window` after which every
    /// further attempt on it waits a little longer first (a back-off, never a lock).
    pub backoff_after_failures: usize,
    /// Failed sign-ins per client IP within `failure_window` before the IP is throttled.
    pub max_failures_per_ip: usize,
    /// The throttling window.
    pub failure_window: Duration,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` (only behind a reverse proxy you run).
    pub trust_proxy: bool,
    /// Always mark the cookie `Secure` (set when the public URL is https).
    pub force_secure_cookie: bool,
    /// `PUBLIC_URL`, the address people use (writes from its origin are ours).
    pub public_url: Option<String>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            session_idle: Duration::from_secs(7 * 24 * 3600),
            max_failures_per_account: 5,
            backoff_after_failures: 20,
            max_failures_per_ip: 30,
            failure_window: Duration::from_secs(15 * 60),
            trust_proxy: false,
            force_secure_cookie: false,
            public_url: None,
        }
    }
}

/// What the server puts into every request's Leptos context.
#[derive(Clone)]
pub struct ServerContext {
    /// The database.
    pub db: Db,
    /// Sign-in policy.
    pub auth: Arc<AuthSettings>,
    /// Dashboard numbers kept between requests while the live feed says nothing changed.
    pub metrics: crate::domain::metrics::server::MetricsCache,
    /// Sessions resolved in earlier requests, kept while the live feed says no session or user
    /// changed.
    pub sessions: SessionCache,
    /// Participants' own reads (their home page's panels), kept while the live feed says nothing
    /// they depend on changed.
    pub kept: crate::db::kept::KeptReads,
}

impl ServerContext {
    /// The context for `db` and `auth`, with an empty (unwatched, so unused) metrics cache.
    pub fn new(db: Db, auth: Arc<AuthSettings>) -> ServerContext {
        ServerContext { db, auth, metrics: Default::default(), sessions: Default::default(), kept: Default::default() }
    }

    /// Provides this context to the current Leptos owner, with an empty [`RequestSession`]: the
    /// server calls this once per request.
    pub fn provide(&self) {
        provide_context(self.clone());
        provide_context(RequestSession::default());
    }
}

/// The session behind one request's cookie, looked up at most once per request. Server rendering
/// runs every server function of a page in the same request, and each starts with an
/// authorization check; without this each would read the session again.
#[derive(Clone, Default)]
struct RequestSession(Arc<tokio::sync::Mutex<Option<CachedSession>>>);

/// A session token's hash and the user it resolved to (None: not a valid session).
type CachedSession = (String, Option<SessionUser>);

impl RequestSession {
    /// The user behind `hash`: from this request's earlier lookup, or from the database. The lock
    /// is held across the lookup so that concurrent checks wait for the first one.
    async fn user(&self, db: &Db, hash: &str) -> Result<Option<SessionUser>, AppError> {
        let mut known = self.0.lock().await;
        if let Some((h, user)) = known.as_ref() {
            if h == hash {
                return Ok(user.clone());
            }
        }
        let user = kept_session_user(db, hash).await?;
        *known = Some((hash.to_string(), user.clone()));
        Ok(user)
    }

    /// Drops what was looked up, after a change to the session or its user within the request.
    fn forget(changed: Changed<'_>) {
        // Other requests of this server forget at once too (the live feed tells the others).
        match changed {
            Changed::Session(hash) => forget_kept_session(hash),
            Changed::User(id) => forget_kept_user(id),
        }
        if let Some(cache) = use_context::<RequestSession>() {
            if let Ok(mut known) = cache.0.try_lock() {
                *known = None;
            }
        }
    }
}

/// What a request changed, for the kept sessions.
enum Changed<'a> {
    /// The session with this token hash ended.
    Session(&'a str),
    /// This user changed.
    User(&'a str),
}

/// The caller of a server function, after the authorization gate.
pub struct Access {
    /// The database.
    pub db: Db,
    /// Sign-in policy.
    pub settings: Arc<AuthSettings>,
    /// The signed-in user, if any.
    pub user: Option<SessionUser>,
    /// Hash of the session token, if a valid session was presented.
    pub session_hash: Option<String>,
    /// The client's IP address (as text).
    pub ip: String,
    /// The client's user agent, truncated.
    pub user_agent: String,
    /// Whether the request came over https.
    pub secure: bool,
}

impl Access {
    /// Anyone may call (sign-in); the session is not looked up.
    pub async fn public() -> Result<Access, AppError> {
        let ctx =
            use_context::<ServerContext>().ok_or_else(|| AppError::internal("context", "ServerContext missing"))?;
        let parts = use_context::<Parts>();
        let (ip, user_agent, secure) = match &parts {
            Some(p) => client_facts(p, &ctx.auth),
            None => ("unknown".to_string(), String::new(), ctx.auth.force_secure_cookie),
        };
        Ok(Access { db: ctx.db, settings: ctx.auth, user: None, session_hash: None, ip, user_agent, secure })
    }

    /// Anyone may call; the session, if valid, identifies the user.
    pub async fn optional_user() -> Result<Access, AppError> {
        let mut access = Access::public().await?;
        if let Some(token) = use_context::<Parts>().and_then(|p| session_token_in(&p.headers, access.secure)) {
            let hash = token_hash(&token);
            let user = match use_context::<RequestSession>() {
                Some(cache) => cache.user(&access.db, &hash).await?,
                None => kept_session_user(&access.db, &hash).await?,
            };
            if let Some(user) = user {
                access.user = Some(user);
                access.session_hash = Some(hash);
            }
        }
        Ok(access)
    }

    /// Any signed-in user.
    pub async fn signed_in() -> Result<Access, AppError> {
        let access = Access::optional_user().await?;
        if access.user.is_none() {
            return Err(AppError::Unauthenticated);
        }
        Ok(access)
    }

    /// A signed-in user holding `role`, no longer on a temporary password.
    pub async fn role(role: Role) -> Result<Access, AppError> {
        let access = Access::signed_in().await?;
        if !access.user().has_role(role) {
            return Err(AppError::Forbidden);
        }
        // A temporary password is known to the admin who issued it: replace it before any work.
        if access.user().must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(access)
    }

    /// Any signed-in user, no longer on a temporary password (participants acting for themselves).
    pub async fn participant() -> Result<Access, AppError> {
        let access = Access::signed_in().await?;
        if access.user().must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(access)
    }

    /// The signed-in user (only after `signed_in` or `role`).
    pub fn user(&self) -> &SessionUser {
        self.user.as_ref().expect("Access::user after a signed-in check")
    }

    /// `make`'s result, kept for the caller between requests while no table in `deps` changes
    /// and they write nothing ([`crate::db::kept`]); `kind` names the read. `deps` must name
    /// every table the read looks at, through record links too.
    pub async fn kept<T, Fut>(
        &self,
        kind: &'static str,
        deps: &[&'static str],
        make: impl FnOnce() -> Fut,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let kept = use_context::<ServerContext>().map(|c| c.kept);
        match (kept, &self.user) {
            (Some(kept), Some(user)) => kept.read(&user.id, kind, deps, make).await,
            _ => make().await,
        }
    }

    /// Like [`Access::kept`], but one value for every caller allowed to ask (the caller's role
    /// was checked; the read must not depend on who asks), and not forgotten when the caller
    /// writes: only when a table in `deps` changes, or (made again in the background while the
    /// kept one is still used) after [`crate::db::kept::KEPT_FOR`]. For what is counted across
    /// the organization (an admin's quiet pairs, leadership's headcount). `make` must own what it
    /// reads with (a clone of the database handle): it may run after the request ended.
    /// Unlike [`Access::kept`], `deps` may leave out tables the read looks at, which then show
    /// within `2 × KEPT_FOR`; it cannot name the tables the feed reports per person
    /// ([`crate::db::kept::REPORTED_PER_PERSON`]: a shared read would never see them change).
    pub async fn kept_shared<T, F, Fut>(
        &self,
        kind: &'static str,
        deps: &[&'static str],
        make: F,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    {
        debug_assert!(
            deps.iter().all(|d| !crate::db::kept::REPORTED_PER_PERSON.contains(d)),
            "a shared read cannot depend on {deps:?}"
        );
        match use_context::<ServerContext>().map(|c| c.kept) {
            // Not a user key (those are record keys), so no person's writes reach it.
            Some(kept) => kept.read_shared(kind, deps, make).await,
            None => make().await,
        }
    }

    /// This server's kept reads learn at once that `table` changed (the live feed reports it too,
    /// a few milliseconds later; the caller's next page must not be earlier than that).
    pub fn changed(&self, table: &'static str) {
        if let Some(c) = use_context::<ServerContext>() {
            c.kept.table_changed(table);
        }
    }
}

fn client_facts(parts: &Parts, settings: &AuthSettings) -> (String, String, bool) {
    let forwarded_for = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        // Our proxy appends the address it saw last; anything before it is what the client claimed.
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = match (settings.trust_proxy, forwarded_for, peer) {
        (true, Some(f), _) => client_key(f),
        (_, _, Some(p)) => client_key(p),
        _ => "unknown".to_string(),
    };
    let user_agent: String =
        parts.headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().chars().take(300).collect();
    (ip, user_agent, secure_uri(&parts.headers, &parts.uri, settings))
}

/// Whether a request came over https as [`Access`] decides it (which names the session cookie).
pub fn secure_uri(headers: &http::HeaderMap, uri: &http::Uri, settings: &AuthSettings) -> bool {
    secure_request(headers, settings) || uri.scheme_str() == Some("https")
}

/// Whether a request with `headers` is served over https: the public URL is https, or a proxy we
/// trust says so.
pub fn secure_request(headers: &http::HeaderMap, settings: &AuthSettings) -> bool {
    settings.force_secure_cookie
        || (settings.trust_proxy && headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https"))
}

/// How a client is counted for throttling: its IPv4 address, or the /64 network of its IPv6
/// address (one subscriber usually holds a whole /64, and picks any address in it at will).
fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// SHA-256 of a session token, hex; only the hash is stored, so a database leak is no session leak.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random session token (256 bits, hex).
pub fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("random token", e))?;
    Ok(hex(&bytes))
}

fn session_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        session_cookie_name(secure),
        max_age.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

fn set_cookie(value: String) {
    if let Some(resp) = use_context::<ResponseOptions>() {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.append_header(SET_COOKIE, v);
        }
    }
}

#[derive(SurrealValue)]
struct SessionRow {
    id: String,
    email: String,
    name: String,
    roles: Vec<String>,
    must_change_password: bool,
    #[surreal(default)]
    stale: bool,
}

impl SessionRow {
    fn into_user(self) -> SessionUser {
        let mut roles: Vec<Role> = self.roles.iter().filter_map(|r| Role::parse(r)).collect();
        roles.sort();
        roles.dedup();
        SessionUser {
            id: self.id,
            email: self.email,
            name: self.name,
            roles,
            must_change_password: self.must_change_password,
        }
    }
}

/// How long a resolved session is kept at most, even while nothing changes (a session that
/// expires meanwhile works that much longer).
const SESSION_KEPT: std::time::Duration = std::time::Duration::from_secs(60);
/// Sessions kept at most (all are forgotten when there would be more).
const SESSIONS_KEPT: usize = 10_000;

/// Valid sessions resolved in earlier requests. Used only while the live feed watches the session
/// and user tables: a session ended or a user changed (signed out, deactivated, roles or password
/// changed, on this server or another sharing the database) is forgotten as soon as the feed or
/// this server's own change reports it, so a request never acts on a session or role that is gone.
/// A change the feed cannot attribute forgets them all. Without the feed every request reads the
/// database.
#[derive(Clone, Default)]
pub struct SessionCache {
    /// Moves on when everything kept is forgotten.
    generation: Arc<std::sync::atomic::AtomicU64>,
    /// Moves on when some sessions are forgotten: a read that began before must not keep what
    /// it read (it may be the session just forgotten).
    epoch: Arc<std::sync::atomic::AtomicU64>,
    watched: Arc<std::sync::atomic::AtomicBool>,
    kept: Arc<std::sync::Mutex<KeptSessions>>,
}

#[derive(Default)]
struct KeptSessions {
    generation: u64,
    users: std::collections::HashMap<String, (std::time::Instant, SessionUser)>,
}

impl SessionCache {
    /// Sessions or users changed in a way not known in detail: forget every kept session.
    pub fn changed(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Forgets the kept sessions `keep` says no to.
    fn forget_where(&self, drop: impl Fn(&str, &SessionUser) -> bool) {
        // The epoch moves first: a read in flight then does not keep what it read.
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.users.retain(|hash, (_, user)| !drop(hash, user));
    }

    /// The session with this token hash ended (signed out, or deleted).
    pub fn forget_session(&self, hash: &str) {
        self.forget_where(|h, _| h == hash);
    }

    /// The user changed (roles, password, name, deactivation): forget their sessions.
    pub fn forget_user(&self, user_id: &str) {
        self.forget_where(|_, u| u.id == user_id);
    }

    /// Whether the live feed runs (and so may be trusted to report changes).
    pub fn watching(&self, on: bool) {
        self.changed();
        self.watched.store(on, std::sync::atomic::Ordering::SeqCst);
    }

    /// The user behind `hash`: kept, or read (and kept if valid).
    pub async fn user(&self, db: &Db, hash: &str, idle: Duration) -> Result<Option<SessionUser>, AppError> {
        use std::sync::atomic::Ordering::SeqCst;
        if !self.watched.load(SeqCst) {
            return session_user(db, hash, idle).await;
        }
        // Read before the database: a change meanwhile makes what is read stale at once.
        let (generation, epoch) = (self.generation.load(SeqCst), self.epoch.load(SeqCst));
        {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if kept.generation == generation {
                if let Some((at, user)) = kept.users.get(hash) {
                    if at.elapsed() < SESSION_KEPT {
                        return Ok(Some(user.clone()));
                    }
                }
            }
        }
        let user = session_user(db, hash, idle).await?;
        if let Some(u) = &user {
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if self.generation.load(SeqCst) == generation && self.epoch.load(SeqCst) == epoch {
                if kept.generation != generation || kept.users.len() >= SESSIONS_KEPT {
                    *kept = KeptSessions { generation, users: Default::default() };
                }
                kept.users.insert(hash.to_string(), (std::time::Instant::now(), u.clone()));
            }
        }
        Ok(user)
    }
}

/// Forgets, on this server at once, the kept session with this token hash (it ended).
pub fn forget_kept_session(hash: &str) {
    if let Some(ctx) = use_context::<ServerContext>() {
        ctx.sessions.forget_session(hash);
    }
}

/// Forgets, on this server at once, the kept sessions of a user who changed.
pub fn forget_kept_user(user_id: &str) {
    if let Some(ctx) = use_context::<ServerContext>() {
        ctx.sessions.forget_user(user_id);
    }
}

/// The user behind a session hash: through the server's [`SessionCache`] when there is one.
async fn kept_session_user(db: &Db, hash: &str) -> Result<Option<SessionUser>, AppError> {
    match use_context::<ServerContext>() {
        Some(ctx) => ctx.sessions.user(db, hash, ctx.auth.session_idle).await,
        None => session_user(db, hash, AuthSettings::default().session_idle).await,
    }
}

/// The active user behind a session hash, if the session is valid: not expired, and used within
/// `idle`. Using it moves its last use to now (written at most every few minutes).
pub async fn session_user(db: &Db, hash: &str, idle: Duration) -> Result<Option<SessionUser>, AppError> {
    // Writing the last use on every request would cost a write per page; a few minutes' slack
    // on an idle limit of days does not matter.
    let refresh = (idle / 2).min(Duration::from_secs(300));
    let mut res = db
        .query(
            "SELECT record::id(user) AS id, user.email AS email, user.name AS name, user.roles AS roles,
                    user.must_change_password AS must_change_password,
                    (seen_at ?? created_at) < time::now() - $refresh AS stale
             FROM session WHERE token_hash = $hash AND expires_at > time::now()
                 AND (seen_at ?? created_at) > time::now() - $idle AND user.active = true",
        )
        .bind(("hash", hash.to_string()))
        .bind(("idle", idle))
        .bind(("refresh", refresh))
        .await
        .map_err(|e| AppError::internal("session lookup", e))?;
    let rows: Vec<SessionRow> = res.take(0).map_err(|e| AppError::internal("session lookup", e))?;
    let Some(row) = rows.into_iter().next() else { return Ok(None) };
    if row.stale {
        db.query("UPDATE session SET seen_at = time::now() WHERE token_hash = $hash")
            .bind(("hash", hash.to_string()))
            .await
            .and_then(checked)
            .map_err(|e| AppError::internal("session last use", e))?;
    }
    Ok(Some(row.into_user()))
}

#[derive(SurrealValue)]
struct CredentialRow {
    id: String,
    email: String,
    name: String,
    roles: Vec<String>,
    must_change_password: bool,
    password_hash: String,
    active: bool,
    /// On a temporary password issued more than [`TEMP_PASSWORD_DAYS`] ago.
    temp_expired: bool,
}

/// Hashes a password with argon2 on the blocking pool (it takes tens of milliseconds of CPU).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| AppError::internal("hash task", e))
}

/// Password checks running at once at most: each takes tens of milliseconds of a core, and a
/// flood of sign-ins must not take every core from everyone else.
fn verify_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).max(2)
}

/// Password checks that may wait for a slot; beyond them a sign-in is refused at once (503).
/// 64: a cohort's worth of people signing in at the same moment (when its notification goes
/// out); with two slots the last of them waits about a second. With a line of 16 (8 per slot),
/// `./x bench load` had 298 of its 64 virtual users' sign-ins refused in 5 minutes. A flood far
/// past it (`server/tests/signin_flood.rs` sends 200 at once) is still refused at once.
fn verify_queue() -> usize {
    64
}

static VERIFYING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn verify_semaphore() -> &'static tokio::sync::Semaphore {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| tokio::sync::Semaphore::new(verify_slots()))
}

/// A place in the line of password checks (counted in [`VERIFYING`] for as long as it lives).
pub struct InLine(());

impl Drop for InLine {
    fn drop(&mut self) {
        VERIFYING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Joins the line of password checks, or refuses at once with [`AppError::Busy`] when
/// [`verify_slots`] run and [`verify_queue`] more wait: a flood of sign-ins is answered at once
/// instead of queueing without end.
pub fn join_line() -> Result<InLine, AppError> {
    use std::sync::atomic::Ordering::SeqCst;
    if VERIFYING.fetch_add(1, SeqCst) >= verify_slots() + verify_queue() {
        VERIFYING.fetch_sub(1, SeqCst);
        tracing::warn!("password checks queue full: refused");
        return Err(AppError::Busy { retry_after_secs: 2 });
    }
    Ok(InLine(()))
}

/// Verifies a password against a stored hash on the blocking pool, at most [`verify_slots`] at
/// once (see [`join_line`]).
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    let line = join_line()?;
    verify_in_line(&line, password, hash).await
}

async fn verify_in_line(_line: &InLine, password: String, hash: String) -> Result<bool, AppError> {
    let _slot = verify_semaphore().acquire().await.map_err(|e| AppError::internal("verify slot", e))?;
    tokio::task::spawn_blocking(move || super::password::verify(password.as_bytes(), &hash))
        .await
        .map_err(|e| AppError::internal("verify task", e))
}

/// A hash to verify against when the email is unknown, so both failures cost the same time.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| password_auth::generate_hash("decoy password that never matches"))
}

/// Computes the decoy hash on the blocking pool, so the first sign-in does not pay for it.
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(decoy_hash).await;
}

/// Seconds until `key` may try again, given the times (unix seconds) of its attempts in the
/// window, the newest being the current one: `None` when under the limit.
fn wait_for(mut attempts: Vec<i64>, limit: usize, window: Duration, now: i64) -> Option<u64> {
    if attempts.len() <= limit {
        return None;
    }
    // Attempts expire oldest first; a new one is allowed once fewer than `limit` earlier
    // failures remain in the window.
    attempts.sort_unstable();
    let unlock_at = attempts[attempts.len() - 1 - limit] + window.as_secs() as i64;
    Some((unlock_at - now).max(1) as u64)
}

/// Sign-in attempts are recorded *before* the password is checked, so parallel requests cannot
/// all slip under the limit; a successful attempt removes its records again.
struct Attempt {
    ids: Vec<String>,
    /// Attempts in the window under each key, this one included.
    counts: Vec<usize>,
}

/// Records an attempt under each `(key, limit)`, then refuses if any key is over its limit.
async fn begin_attempt(db: &Db, keys: &[(String, usize)], window: Duration) -> Result<Attempt, AppError> {
    let err = |e| AppError::internal("sign-in throttle", e);
    let mut sql = String::from("DELETE login_failure WHERE at < time::now() - $window;\n");
    for i in 0..keys.len() {
        sql.push_str(&format!("CREATE login_failure SET key = $k{i} RETURN VALUE record::id(id);\n"));
    }
    for i in 0..keys.len() {
        sql.push_str(&format!(
            "SELECT VALUE time::unix(at) FROM login_failure WHERE key = $k{i} AND at > time::now() - $window;\n"
        ));
    }
    sql.push_str("RETURN time::unix(time::now());");
    let mut q = db.query(sql).bind(("window", window));
    for (i, (key, _)) in keys.iter().enumerate() {
        q = q.bind((format!("k{i}"), key.clone()));
    }
    let mut res = q.await.map_err(err)?;
    let mut ids = Vec::new();
    for i in 0..keys.len() {
        let created: Vec<String> = res.take(1 + i).map_err(err)?;
        ids.extend(created);
    }
    let mut attempt = Attempt { ids, counts: Vec::new() };
    let now: Option<i64> = res.take(1 + 2 * keys.len()).map_err(err)?;
    for (i, (key, limit)) in keys.iter().enumerate() {
        let times: Vec<i64> = res.take(1 + keys.len() + i).map_err(err)?;
        attempt.counts.push(times.len());
        if let Some(retry_after_secs) = wait_for(times, *limit, window, now.unwrap_or_default()) {
            tracing::warn!(key, "sign-in throttled");
            // A refused attempt does not count: the lock lasts one window, not one per retry.
            attempt.forget(db).await?;
            return Err(AppError::RateLimited { retry_after_secs });
        }
    }
    Ok(attempt)
}

impl Attempt {
    /// Removes this attempt's records (it succeeded, or was refused before any check).
    async fn forget(&self, db: &Db) -> Result<(), AppError> {
        db.query("FOR $id IN $ids { DELETE type::record('login_failure', $id) };")
            .bind(("ids", self.ids.clone()))
            .await
            .and_then(|r| r.check())
            .map_err(|e| AppError::internal("sign-in throttle", e))?;
        Ok(())
    }
}

/// How long an attempt on an account waits first once it had `failures` in the window from
/// anywhere: nothing up to `after`, then one second more per failure, at most ten.
fn backoff(failures: usize, after: usize) -> Duration {
    Duration::from_secs(failures.saturating_sub(after).min(10) as u64)
}

/// Signs in: throttling, constant-shape credential check, new session, cookie.
///
/// Throttling never locks the owner out: failures count per account *and* client (five from one
/// client stop that client for that account), per client (thirty stop the client), and per
/// account from anywhere, which only slows every attempt on it down (a growing wait before the
/// password is checked), so strangers guessing from elsewhere cannot stop the owner signing in.
pub async fn sign_in(access: &Access, email: &str, password: &str) -> Result<SessionUser, AppError> {
    // Before any database work: a flood is refused at once.
    let line = join_line()?;
    let db = &access.db;
    let s = &access.settings;
    let client_account_key = format!("account:{email}|{}", access.ip);
    let keys = [
        (client_account_key.clone(), s.max_failures_per_account),
        (format!("ip:{}", access.ip), s.max_failures_per_ip),
        // Never refuses (no limit reached): counts for the back-off.
        (format!("account:{email}"), usize::MAX),
    ];
    let attempt = begin_attempt(db, &keys, s.failure_window).await?;
    let wait = backoff(attempt.counts.get(2).copied().unwrap_or(0).saturating_sub(1), s.backoff_after_failures);
    if !wait.is_zero() {
        tracing::warn!(wait_secs = wait.as_secs(), "sign-in slowed: many failures on this account");
        tokio::time::sleep(wait).await;
    }

    let mut res = db
        .query(
            "SELECT record::id(id) AS id, email, name, roles, must_change_password, password_hash, active,
                 (must_change_password AND temp_password_until != NONE AND temp_password_until < time::now())
                     AS temp_expired
             FROM user WHERE email = $email",
        )
        .bind(("email", email.to_string()))
        .await
        .map_err(|e| AppError::internal("credential lookup", e))?;
    let rows: Vec<CredentialRow> = res.take(0).map_err(|e| AppError::internal("credential lookup", e))?;
    let row = rows.into_iter().next();
    let hash = row.as_ref().map(|r| r.password_hash.clone()).unwrap_or_else(|| decoy_hash().to_string());
    let password_ok = verify_in_line(&line, password.to_string(), hash).await?;
    let row = match row {
        Some(r) if password_ok && r.active => r,
        _ => return Err(AppError::BadCredentials),
    };
    // The right temporary password, but too old: said plainly (they proved they know it).
    if row.temp_expired {
        attempt.forget(db).await?;
        return Err(AppError::Conflict {
            field: "password".into(),
            message: format!(
                "This temporary password has expired ({TEMP_PASSWORD_DAYS} days after it was issued). Ask an admin for a new one."
            ),
        });
    }

    let token = new_token()?;
    // A session presented with the sign-in (planted, or left from before) ends: the new one has a
    // new token.
    let presented = use_context::<Parts>()
        .and_then(|p| session_token_in(&p.headers, access.secure))
        .map(|t| token_hash(&t))
        .unwrap_or_default();
    // One transaction, made again if it loses a write conflict: two sign-ins of one person at
    // the same moment (two devices, or a shared account) tidy the same old sessions.
    crate::db::retrying_conflicts(|| {
        let q = db
            .query(
                "BEGIN;
             DELETE login_failure WHERE key = $account_key;
             FOR $id IN $attempt_ids { DELETE type::record('login_failure', $id) };
             DELETE session WHERE token_hash = $presented;
             DELETE session WHERE user = type::record('user', $uid) AND
                 (expires_at < time::now() OR (seen_at ?? created_at) < time::now() - $idle);
             CREATE session SET token_hash = $hash, user = type::record('user', $uid),
                 expires_at = time::now() + $ttl, seen_at = time::now(), ip = $ip, user_agent = $ua;
             COMMIT;",
            )
            .bind(("account_key", client_account_key.clone()))
            .bind(("presented", presented.clone()))
            .bind(("idle", s.session_idle))
            .bind(("attempt_ids", attempt.ids.clone()))
            .bind(("uid", row.id.clone()))
            .bind(("hash", token_hash(&token)))
            .bind(("ttl", s.session_ttl))
            .bind(("ip", access.ip.clone()))
            .bind(("ua", access.user_agent.clone()));
        async move { q.await.and_then(checked) }
    })
    .await
    .map_err(|e| match crate::db::is_write_conflict(&e) {
        // Still losing after five tries: "busy, try again" rather than an internal error.
        true => AppError::from(e),
        false => AppError::internal("create session", e),
    })?;
    set_cookie(session_cookie(&token, s.session_ttl, access.secure));
    RequestSession::forget(Changed::Session(&presented));
    tracing::info!(user = %row.id, "signed in");
    Ok(SessionRow {
        id: row.id,
        email: row.email,
        name: row.name,
        roles: row.roles,
        must_change_password: row.must_change_password,
        stale: false,
    }
    .into_user())
}

/// Ends the caller's session (if any) and clears the cookie.
pub async fn sign_out(access: &Access) -> Result<(), AppError> {
    if let Some(hash) = &access.session_hash {
        access
            .db
            .query("DELETE session WHERE token_hash = $hash")
            .bind(("hash", hash.clone()))
            .await
            .and_then(|r| r.check())
            .map_err(|e| AppError::internal("delete session", e))?;
    }
    set_cookie(session_cookie("", Duration::ZERO, access.secure));
    RequestSession::forget(Changed::Session(access.session_hash.as_deref().unwrap_or_default()));
    Ok(())
}

/// Changes the caller's password after checking the current one; ends their other sessions.
pub async fn change_own_password(access: &Access, current: &str, new: &str) -> Result<(), AppError> {
    let user = access.user();
    let mut res = access
        .db
        .query("SELECT VALUE password_hash FROM type::record('user', $uid)")
        .bind(("uid", user.id.clone()))
        .await
        .map_err(|e| AppError::internal("password lookup", e))?;
    let hashes: Vec<String> = res.take(0).map_err(|e| AppError::internal("password lookup", e))?;
    let Some(stored) = hashes.into_iter().next() else { return Err(AppError::NotFound) };
    // Guessing the current password with a stolen session is throttled like sign-in.
    let s = &access.settings;
    let attempt = begin_attempt(
        &access.db,
        &[(format!("password:{}", user.email), s.max_failures_per_account)],
        s.failure_window,
    )
    .await?;
    if !verify_password(current.to_string(), stored).await? {
        return Err(AppError::field("current", "This is not your current password."));
    }
    attempt.forget(&access.db).await?;
    let new_hash = hash_password(new.to_string()).await?;
    access
        .db
        .query(
            "BEGIN;
             UPDATE type::record('user', $uid) SET password_hash = $hash, must_change_password = false,
                 temp_password_until = NONE;
             DELETE session WHERE user = type::record('user', $uid) AND token_hash != $keep;
             COMMIT;",
        )
        .bind(("uid", user.id.clone()))
        .bind(("hash", new_hash))
        .bind(("keep", access.session_hash.clone().unwrap_or_default()))
        .await
        .and_then(checked)
        .map_err(|e| AppError::internal("change password", e))?;
    RequestSession::forget(Changed::User(&user.id));
    Ok(())
}

/// Renames the caller (already validated); returns the session's user with the new name.
pub async fn change_own_name(access: &Access, name: &str) -> Result<SessionUser, AppError> {
    let user = access.user();
    access
        .db
        .query("UPDATE type::record('user', $uid) SET name = $name")
        .bind(("uid", user.id.clone()))
        .bind(("name", name.to_string()))
        .await
        .and_then(checked)?;
    RequestSession::forget(Changed::User(&user.id));
    Ok(SessionUser { name: name.to_string(), ..user.clone() })
}

/// The audit-log statement, to be placed inside the transaction of the change it records, so a
/// change and its record land together or not at all. Bind its variables with [`Audit::bind`].
pub const AUDIT_STATEMENT: &str = "CREATE audit SET org = org:main, \
    actor = IF $audit_actor THEN type::record('user', $audit_actor) ELSE NONE END, \
    action = $audit_action, detail = $audit_detail;";

/// One audit-log entry: who did what.
pub struct Audit {
    /// The acting user's key (`None` for the system).
    pub actor: Option<String>,
    /// What was done ("added", "changed roles of", …).
    pub action: &'static str,
    /// To whom or what, in words.
    pub detail: String,
}

impl Audit {
    /// An entry for the signed-in caller.
    pub fn by(access: &Access, action: &'static str, detail: String) -> Audit {
        Audit { actor: access.user.as_ref().map(|u| u.id.clone()), action, detail }
    }

    /// Binds the variables of [`AUDIT_STATEMENT`].
    pub fn bind<'q>(
        self,
        query: surrealdb::method::Query<'q, surrealdb::engine::any::Any>,
    ) -> surrealdb::method::Query<'q, surrealdb::engine::any::Any> {
        query.bind(("audit_actor", self.actor)).bind(("audit_action", self.action)).bind(("audit_detail", self.detail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_flags() {
        let c = session_cookie("abc", Duration::from_secs(60), false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(session_cookie("abc", Duration::from_secs(60), true).ends_with("; Secure"));
    }

    #[test]
    fn throttle_waits_until_enough_attempts_expire() {
        let w = Duration::from_secs(900);
        // Limit 3: three earlier failures plus this attempt is one too many.
        assert_eq!(wait_for(vec![100, 200, 300], 3, w, 300), None);
        assert_eq!(wait_for(vec![100, 200, 300, 400], 3, w, 400), Some(100 + 900 - 400));
        assert_eq!(wait_for(vec![400, 100, 300, 200, 500], 3, w, 500), Some(200 + 900 - 500));
        assert_eq!(wait_for(vec![0, 0, 0, 2000], 3, w, 2000), Some(1));
    }

    #[test]
    fn token_shape_and_hash() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token().unwrap());
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}
