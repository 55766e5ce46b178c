//! Backups: SurrealDB's own export of the app's database (its schema and every record, as
//! SurrealQL, read in one transaction, so a backup taken while people use the app is consistent),
//! and a restore into an empty database.
//!
//! - `mentorship backup FILE` / `mentorship restore FILE` (the embedded store, or `mem://`).
//! - While the server runs on the embedded store, the store is the server's alone: the server takes
//!   the backups itself when `BACKUP_DIR` is set (every `BACKUP_EVERY_HOURS`, keeping the newest
//!   `BACKUP_KEEP`), see [`spawn_scheduled`].
//! - A SurrealDB server (`ws://`) is backed up with SurrealDB's own `surreal export` over HTTP: the
//!   SDK exports only from the embedded engines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use app::db::Db;
use surrealdb::types::Value;

/// A backup or restore that could not be done, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the database: {0}")]
    Database(#[from] surrealdb::Error),
    #[error("{path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error(
        "a restore needs an empty database, and this one has {0} tables; restore into a new \
         DATABASE_URL (a new surrealkv:// path, or a new database on the SurrealDB server)"
    )]
    NotEmpty(usize),
    #[error(
        "backups of a SurrealDB server are taken with SurrealDB's own tools over HTTP, e.g. \
         `surreal export --endpoint http://HOST:8000 --namespace mentorship --database main FILE`"
    )]
    Remote,
}

fn local(db_url: &str) -> Result<(), BackupError> {
    if db_url.starts_with("ws://") || db_url.starts_with("wss://") {
        return Err(BackupError::Remote);
    }
    Ok(())
}

/// The tables of the database.
async fn tables(db: &Db) -> Result<Vec<String>, BackupError> {
    let mut res = db.query("INFO FOR DB").await?;
    let info: Value = res.take(0)?;
    let Value::Object(info) = info else { return Ok(Vec::new()) };
    Ok(match info.get("tables") {
        Some(Value::Object(t)) => t.keys().cloned().collect(),
        _ => Vec::new(),
    })
}

/// How many records each table holds (what a backup holds and a restore must give back).
pub async fn table_counts(db: &Db) -> Result<BTreeMap<String, i64>, BackupError> {
    let names = tables(db).await?;
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql: String = names.iter().map(|t| format!("RETURN count(SELECT VALUE 1 FROM type::table('{t}'));")).collect();
    let mut res = db.query(sql).await?;
    let mut out = BTreeMap::new();
    for (i, name) in names.into_iter().enumerate() {
        let n: Option<i64> = res.take(i)?;
        out.insert(name, n.unwrap_or(0));
    }
    Ok(out)
}

/// Writes a backup of `db` (reached at `db_url`) to `file`: first to `FILE.partial`, renamed when
/// complete, so a file named FILE is always a whole backup. Returns the records per table.
pub async fn backup(db: &Db, db_url: &str, file: &Path) -> Result<BTreeMap<String, i64>, BackupError> {
    local(db_url)?;
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let counts = table_counts(db).await?;
    db.export(&partial).await?;
    std::fs::rename(&partial, file).map_err(|source| BackupError::File { path: file.display().to_string(), source })?;
    Ok(counts)
}

/// Restores `file` into `db`, which must be empty (never migrated). Returns the records per table.
pub async fn restore(db: &Db, db_url: &str, file: &Path) -> Result<BTreeMap<String, i64>, BackupError> {
    local(db_url)?;
    std::fs::metadata(file).map_err(|source| BackupError::File { path: file.display().to_string(), source })?;
    let existing = tables(db).await?;
    if !existing.is_empty() {
        return Err(BackupError::NotEmpty(existing.len()));
    }
    db.import(file).await?;
    table_counts(db).await
}

/// The name of a scheduled backup taken at `unix` seconds: `mentorship-YYYYMMDD-HHMMSS.surql`
/// (sorting by name sorts by time).
fn scheduled_name(unix: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "mentorship-{:04}{:02}{:02}-{:02}{:02}{:02}.surql",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Deletes the oldest scheduled backups in `dir` beyond the newest `keep`.
fn prune(dir: &Path, keep: usize) -> std::io::Result<usize> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("mentorship-") && n.ends_with(".surql"))
        .collect();
    names.sort();
    let excess = names.len().saturating_sub(keep);
    for n in &names[..excess] {
        std::fs::remove_file(dir.join(n))?;
    }
    Ok(excess)
}

/// Takes a backup into `dir` every `every` (the first one now), keeping the newest `keep`; safe
/// while people use the app (the export reads in one transaction).
pub fn spawn_scheduled(db: Db, db_url: String, dir: PathBuf, every: Duration, keep: usize) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let unix = app::validate::unix_now();
            let file = dir.join(scheduled_name(unix));
            match backup(&db, &db_url, &file).await {
                Ok(counts) => {
                    let records: i64 = counts.values().sum();
                    let pruned = prune(&dir, keep.max(1)).unwrap_or(0);
                    tracing::info!(file = %file.display(), records, pruned, "backup written");
                }
                Err(e) => tracing::error!(%e, file = %file.display(), "backup failed; trying again at the next one"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_backups_sort_by_time_and_the_oldest_go() {
        assert_eq!(scheduled_name(1_764_633_600), "mentorship-20251202-000000.surql");
        let dir = std::env::temp_dir().join(format!("mentorship-prune-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for unix in [1_764_633_600, 1_764_720_000, 1_764_806_400] {
            std::fs::write(dir.join(scheduled_name(unix)), "x").unwrap();
        }
        std::fs::write(dir.join("notes.txt"), "kept").unwrap();
        assert_eq!(prune(&dir, 2).unwrap(), 1);
        let mut left: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["mentorship-20251203-000000.surql", "mentorship-20251204-000000.surql", "notes.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
