//! The database handle, versioned schema migrations and helpers for SurrealDB errors.
//!
//! One URL picks the engine: `surrealkv://path` (embedded, default), `mem://` (tests) or
//! `ws://host:port` (a SurrealDB server or cluster).
//!
//! ## Queries that use the indexes
//! SurrealDB 3.3 matches a `WHERE` to an index only when the value compared is a literal or a
//! plain parameter. A field of a parameter inside a subquery (`$parent.id`), or a function of
//! one (`IN $ids.map(…)`), is not matched, and the subquery reads the whole table — once per row
//! of the outer query (surrealdb#2745, #5439). Measured on the load-test data, the admins' list of
//! quiet pairs took 11.2 s that way and 0.39 s with the pair bound first. So:
//! - a subquery per row binds the row's id in a block:
//!   `{ LET $p = $this.id; RETURN SELECT … FROM goal WHERE pairing = $p } AS goals`;
//! - a list of ids is bound with `LET` before the `SELECT … WHERE x IN $list`;
//! - a link followed in a `WHERE` (`checkin WHERE goal.pairing = …`) reads every record: bind
//!   the linked ids first (`LET $goals = …; … WHERE goal IN $goals`).

use surrealdb::engine::any::Any;
use surrealdb::types::{QueryError, SurrealValue};

use crate::error::AppError;

pub mod kept;
pub mod tidy;
pub mod value;
use surrealdb::{IndexedResults, Surreal};

/// The database handle every service takes: one SurrealDB session, shared. Cloning the handle is
/// an `Arc` clone. (Cloning a `Surreal` itself opens a new session: against a SurrealDB server
/// that is an attach, a sign-in and a `USE` replayed over the connection for every clone, and a
/// detach on every drop — per request, that flooded the connection until queries failed.)
pub type Db = std::sync::Arc<Surreal<Any>>;

/// Namespace and database the app lives in.
pub const NAMESPACE: &str = "mentorship";
/// See [`NAMESPACE`].
pub const DATABASE: &str = "main";

/// Schema migrations, in order; migration `i` brings the schema to version `i + 1`.
/// Applied migrations are never edited: add a new one.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_foundation.surql"),
    include_str!("../migrations/0002_program_design.surql"),
    include_str!("../migrations/0003_enrollment.surql"),
    include_str!("../migrations/0004_matching.surql"),
    include_str!("../migrations/0005_goals.surql"),
    include_str!("../migrations/0006_meetings.surql"),
    include_str!("../migrations/0007_progress.surql"),
    include_str!("../migrations/0008_surveys.surql"),
    include_str!("../migrations/0009_pair_end.surql"),
    include_str!("../migrations/0010_assessments.surql"),
    include_str!("../migrations/0011_survey_speed.surql"),
    include_str!("../migrations/0012_retros.surql"),
    include_str!("../migrations/0013_hr_outcomes.surql"),
    include_str!("../migrations/0014_retro_note_deletion.surql"),
    include_str!("../migrations/0015_session_hygiene.surql"),
];

/// The schema version this build needs.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The engine refused the URL or the store.
    #[error("cannot open the database at {url}: {source}")]
    Open {
        /// The URL tried.
        url: String,
        /// The engine's reason.
        source: surrealdb::Error,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[from] surrealdb::Error),
    /// The store was written by a newer build.
    #[error(
        "the database has schema version {found}, newer than this build understands ({supported}); upgrade the app"
    )]
    TooNew {
        /// Version found.
        found: i64,
        /// Latest version this build knows.
        supported: i64,
    },
}

/// Opens the database at `url` and selects the app's namespace and database (no migrations).
pub async fn open(url: &str) -> Result<Db, DbError> {
    let db =
        surrealdb::engine::any::connect(url).await.map_err(|source| DbError::Open { url: url.to_string(), source })?;
    if let (Ok(user), Ok(pass)) = (std::env::var("SURREAL_USER"), std::env::var("SURREAL_PASS")) {
        db.signin(surrealdb::opt::auth::Root { username: user, password: pass })
            .await
            .map_err(|source| DbError::Open { url: url.to_string(), source })?;
    }
    db.use_ns(NAMESPACE).use_db(DATABASE).await.map_err(|source| DbError::Open { url: url.to_string(), source })?;
    Ok(std::sync::Arc::new(db))
}

/// The schema version recorded in the store (`None` for a store the app never touched).
/// Read-only, so it can probe a store that is about to be refused, and serve `/healthz`.
pub async fn schema_version(db: &Db) -> Result<Option<i64>, DbError> {
    let mut res = db.query("INFO FOR DB").await?;
    let info: Option<serde_json::Value> = res.take(0)?;
    let has_meta = info.as_ref().and_then(|i| i.get("tables")).and_then(|t| t.get("meta")).is_some();
    if !has_meta {
        return Ok(None);
    }
    let mut res = db.query("SELECT VALUE version FROM ONLY meta:schema").await?;
    let version: Option<i64> = res.take(0)?;
    Ok(version)
}

/// Applies every migration newer than the stored version, each in its own transaction.
/// Safe to run at every start-up and from several app servers at once: the migrations are
/// idempotent, and a transaction that loses a race with another server is retried.
pub async fn migrate(db: &Db) -> Result<i64, DbError> {
    let mut tries = 0;
    loop {
        match migrate_once(db).await {
            Ok(v) => return Ok(v),
            Err(DbError::Query(e)) if tries < 3 => {
                tries += 1;
                tracing::warn!(%e, tries, "schema migration failed; retrying");
                tokio::time::sleep(std::time::Duration::from_millis(200 * tries)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

async fn migrate_once(db: &Db) -> Result<i64, DbError> {
    let current = schema_version(db).await?.unwrap_or(0);
    if current > latest_version() {
        return Err(DbError::TooNew { found: current, supported: latest_version() });
    }
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as i64 + 1;
        let sql = format!(
            "BEGIN;\n{migration}\nUPSERT meta:schema SET version = $version, applied_at = time::now();\nCOMMIT;"
        );
        db.query(sql).bind(("version", version)).await.and_then(checked)?;
        tracing::info!(version, "applied schema migration");
    }
    Ok(latest_version())
}

/// Opens and migrates: what the server and every test does.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    let db = open(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// The error that made a statement or transaction fail, skipping the "not executed" and
/// "cancelled" errors SurrealDB reports for the other statements of a failed transaction.
pub fn first_real_error(res: &mut IndexedResults) -> Option<surrealdb::Error> {
    let mut errs: Vec<_> = res.take_errors().into_iter().collect();
    errs.sort_by_key(|(i, _)| *i);
    let fallback = errs.first().map(|(_, e)| e.clone());
    errs.into_iter()
        .map(|(_, e)| e)
        .find(|e| !matches!(e.query_details(), Some(QueryError::NotExecuted) | Some(QueryError::Cancelled)))
        .or(fallback)
}

/// The response if every statement succeeded, else the error that made it fail (see
/// [`first_real_error`]): use after `.await` as `.and_then(checked)`.
pub fn checked(mut res: IndexedResults) -> Result<IndexedResults, surrealdb::Error> {
    match first_real_error(&mut res) {
        Some(e) => Err(e),
        None => Ok(res),
    }
}

/// Rows from a query's answer, with a database error already an [`AppError`] (logged where it
/// happened) and a missing row already [`AppError::NotFound`].
pub trait Rows {
    /// Every row statement `index` returned.
    fn rows<T: SurrealValue>(&mut self, index: usize) -> Result<Vec<T>, AppError>;

    /// The first row statement `index` returned, or [`AppError::NotFound`].
    #[track_caller]
    fn one<T: SurrealValue>(&mut self, index: usize) -> Result<T, AppError> {
        self.rows(index)?.into_iter().next().ok_or(AppError::NotFound)
    }
}

impl Rows for IndexedResults {
    #[track_caller]
    fn rows<T: SurrealValue>(&mut self, index: usize) -> Result<Vec<T>, AppError> {
        match self.take::<Vec<T>>(index) {
            Ok(rows) => Ok(rows),
            Err(e) => Err(AppError::from(e)),
        }
    }
}

/// The tags a transaction `THROW`s to refuse a write. Each is written into the SurrealQL from
/// here (`THROW '{STALE_BOARD}'` inside a `format!`) and recognised by [`is_refusal`], so the
/// query and the Rust share one constant and no code matches an error's prose.
pub mod refusal {
    /// The board changed, or was published, since the caller loaded it.
    pub const STALE_BOARD: &str = "stale board";
    /// Another admin decided on the application first.
    pub const STALE_DECISION: &str = "stale decision";
    /// The mentor signed the reflection off, so the attendance can no longer change.
    pub const SIGNED_OFF: &str = "signed off";
    /// The pair had already ended (another admin ended it first).
    pub const PAIR_ENDED: &str = "pair ended";
}

/// True when `err` is the refusal `tag` (one of [`refusal`]) thrown by a transaction.
pub fn is_refusal(err: &surrealdb::Error, tag: &str) -> bool {
    // SurrealDB words a THROW as "An error occurred: <tag>"; the tag is what we compare.
    err.is_thrown() && (err.message() == tag || err.message().ends_with(&format!(": {tag}")))
}

/// True when `err` is a write conflict: another transaction wrote the same record first and
/// this one was rolled back (two app servers, or two requests, at the same moment).
pub fn is_write_conflict(err: &surrealdb::Error) -> bool {
    matches!(err.query_details(), Some(QueryError::TransactionConflict))
}

/// Runs `attempt` again while it loses a write conflict, up to five tries in all a few
/// milliseconds apart (spread, so that the losers do not meet again): for a write that is one
/// transaction and safe to make again whole (two sign-ins of one person at the same moment both
/// tidy their old sessions, and one loses).
pub async fn retrying_conflicts<T, F, Fut>(mut attempt: F) -> Result<T, surrealdb::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, surrealdb::Error>>,
{
    let mut tries = 0u64;
    loop {
        match attempt().await {
            Err(e) if is_write_conflict(&e) && tries < 4 => {
                tries += 1;
                let spread = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| u64::from(d.subsec_nanos()) % 10);
                tokio::time::sleep(std::time::Duration::from_millis(2 + 5 * tries + spread)).await;
            }
            done => return done,
        }
    }
}

/// True when `err` is a unique-index violation. SurrealDB 3.3 reports these only as text.
pub fn is_unique_violation(err: &surrealdb::Error) -> bool {
    let m = err.message();
    (m.starts_with("Database index `") && m.contains("` already contains ")) || err.is_already_exists()
}

/// A record key from the client: generated keys are short alphanumerics, so anything else cannot
/// exist and is `NotFound` without a query.
pub fn check_key(id: &str) -> Result<&str, AppError> {
    if !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(id)
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// The query shapes that read a whole table per row or per request (see "Queries that use
    /// the indexes" above) appear in no query of the app.
    #[test]
    fn no_query_compares_with_a_field_of_a_parameter_in_a_subquery() {
        let mut files = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        assert!(files.len() > 50, "the app's sources were found ({})", files.len());
        let mut found = Vec::new();
        for (path, text) in &files {
            if path.ends_with("db.rs") {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                // `$parent.` in a subquery, or a function of a parameter after `IN`.
                let per_row = line.contains("$parent.");
                let mapped = line.contains(" IN $")
                    && line.split(" IN $").skip(1).any(|rest| {
                        let param: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        rest[param.len()..].starts_with(".map(")
                    });
                if per_row || mapped {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(found.is_empty(), "queries that read whole tables:\n{}", found.join("\n"));
    }
}
