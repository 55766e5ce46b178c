//! The mentorship server: configuration, database start-up checks, the HTTP router, and the
//! command-line subcommands (`serve`, `seed-demo`, `create-admin`, `migrate`).

pub mod admit;
pub mod assets;
pub mod backup;
pub mod benchkit;
pub mod config;
pub mod live;
pub mod security;
pub mod seed;
pub mod seed_assessments;
pub mod seed_history;
pub mod seed_scale;
pub mod seed_surveys;
pub mod slow;
pub mod startup;

use std::sync::Arc;
use std::time::Duration;

use app::db::Db;
use app::domain::auth::server::{AuthSettings, ServerContext};
use app::{shell, App};
use axum::extract::{FromRef, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// State shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' site options (paths, address).
    pub leptos_options: LeptosOptions,
    /// The per-request server context (database, auth policy).
    pub ctx: ServerContext,
    /// Live dashboard changes (`GET /api/live`).
    pub live: live::Hub,
    /// Same-origin writes and transport security.
    pub guard: Arc<security::Guard>,
    /// Whether the database answers (probed in the background once [`AppState::watch_database`]).
    pub database: Arc<security::DatabaseWatch>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// State for a database and options.
    pub fn new(leptos_options: LeptosOptions, db: Db, auth: AuthSettings) -> Self {
        let guard = security::Guard::new(auth.public_url.as_deref(), auth.trust_proxy);
        let ctx = ServerContext::new(db.clone(), Arc::new(auth));
        AppState {
            leptos_options,
            live: live::Hub::new(db, ctx.metrics.clone(), ctx.sessions.clone(), ctx.kept.clone()),
            ctx,
            guard,
            database: Arc::default(),
        }
    }

    /// Starts probing the database, so requests are answered with 503 at once while it is away.
    pub fn watch_database(mut self) -> Self {
        self.database = security::watch_database(self.ctx.db.clone());
        self
    }
}

/// The whole HTTP application: pages, server functions, static files, `/healthz`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let fallback_ctx = state.ctx.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/live", get(live::events))
        .leptos_routes_with_context(&state, routes, move || ctx.provide(), move || shell(options.clone()))
        .merge(assets::pkg_router(&state.leptos_options.site_root))
        // The not-found page renders the app too (its frame asks who is signed in): same context.
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            move || fallback_ctx.provide(),
            shell,
        ))
        .layer(axum::middleware::map_response(app::error::answer_with_error_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), live::own_writes))
        .layer(axum::middleware::from_fn(assets::page_cache_control))
        .layer(axum::middleware::from_fn_with_state(state.guard.clone(), security::same_origin_writes))
        // Limits per path instead of axum's one 2 MB default (which cut the import's 8 MB files).
        .layer(axum::middleware::from_fn(security::body_limit))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(state.guard.clone(), security::transport_security))
        .layer(axum::middleware::from_fn_with_state(state.database.clone(), security::database_available))
        // Inside the slow-response log, so a wait for a turn counts in its times.
        .layer(axum::middleware::from_fn_with_state(admit::Gate::from_env(), admit::admit))
        .layer(axum::middleware::from_fn(slow::log_slow_responses))
        // Compresses what was not precompressed (pages, server-function replies); a response that
        // already has a Content-Encoding (the /pkg files) passes through untouched.
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .with_state(state)
}

/// `GET /healthz`: 200 when the database answers within 2 s, else 503.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let check = tokio::time::timeout(Duration::from_secs(2), app::db::schema_version(&state.ctx.db)).await;
    match check {
        Ok(Ok(Some(version))) => {
            (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": "ok", "schema_version": version })))
        }
        Ok(Ok(None)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "error", "database": "schema missing" })),
        ),
        Ok(Err(e)) => {
            tracing::error!(%e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "error", "database": "unreachable" })))
        }
        Err(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "error", "database": "timeout" })))
        }
    }
}

/// Leptos' options for a built site at `site_root`. When the build wrote `hash.txt` there (it
/// always does; see `frontend/site.mjs`), the pages name the content-id files it lists.
pub fn site_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    let hash_file = std::path::Path::new(site_root).join("hash.txt");
    // Leptos joins the hash file's name to the executable's folder; an absolute path wins that join.
    let hash_file = std::path::absolute(&hash_file).unwrap_or(hash_file);
    let hashed = hash_file.is_file();
    if !hashed {
        tracing::warn!(file = %hash_file.display(), "no hash file: the site was not built by ./x build");
    }
    LeptosOptions::builder()
        .output_name("mentorship")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(hashed)
        .hash_file(std::sync::Arc::from(hash_file.to_string_lossy().as_ref()))
        .build()
}

/// Removes old notifications and ended sessions (`app::db::tidy`) a minute after the start and
/// then once a day, for as long as the process lives.
pub fn spawn_tidy(db: app::db::Db, session_idle: std::time::Duration) {
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(86_400));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match app::db::tidy::tidy(&db, session_idle).await {
                Ok(t) => tracing::info!(notifications = t.notifications, sessions = t.sessions, "tidied"),
                Err(e) => tracing::warn!(%e, "tidy-up failed; trying again tomorrow"),
            }
        }
    });
}

/// Runs the survey schedule every `every` (opening due surveys, reminding, closing) and, in the
/// same loop, announces skill-assessment phases as they open, for as long as the process lives.
/// Safe with several app servers on one database (see `app::domain::surveys::server::scheduler`
/// and `app::domain::assessments::server::tick`); a first tick at start catches up on anything
/// that fell due while no server ran.
pub fn spawn_survey_scheduler(db: app::db::Db, every: std::time::Duration) {
    use app::domain::surveys::server::scheduler::{tick, InAppOnly};
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match tick(&db, &InAppOnly).await {
                Ok(r) if r.opened + r.reminded + r.closed + r.timed > 0 => tracing::info!(
                    opened = r.opened,
                    reminded = r.reminded,
                    closed = r.closed,
                    notified = r.notified,
                    "survey schedule"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(%e, "survey schedule tick failed; retrying at the next tick"),
            }
            match app::domain::assessments::server::tick(&db, &InAppOnly).await {
                Ok(r) if r.announced > 0 => {
                    tracing::info!(announced = r.announced, notified = r.notified, "skill assessments opened")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(%e, "skill assessment tick failed; retrying at the next tick"),
            }
        }
    });
}
