//! Opening the database safely: never a silent new empty database over an unreadable one.

use std::io::ErrorKind;
use std::path::Path;

use app::db::{self, Db};

/// Why the server refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The data directory does not exist and creating it was not asked for.
    #[error(
        "there is no mentorship database at {0} (missing or empty).\n  To create a new, empty database there, start with \
         --create-if-missing (the run command does this).\n  If you expected existing data, check DATABASE_URL and the mounted volume."
    )]
    Missing(String),
    /// The path exists but cannot be used as a database directory.
    #[error("the database path {path} cannot be used: {why}.\n  Check DATABASE_URL, permissions and free disk space.")]
    Unusable {
        /// The path.
        path: String,
        /// The reason.
        why: String,
    },
    /// The directory holds data that is not a readable mentorship database.
    #[error(
        "the database directory {path} is not empty but holds no readable mentorship database ({why}).\n  \
         Refusing to create a new database over it. Restore it from a backup, or move it away to start fresh."
    )]
    Unreadable {
        /// The path.
        path: String,
        /// What was found.
        why: String,
    },
    /// Another process (a running server) holds the store.
    #[error(
        "the database at {0} is in use by another process (a running server?): an embedded store is one \
         process's at a time"
    )]
    InUse(String),
    /// The engine failed.
    #[error(transparent)]
    Db(#[from] db::DbError),
}

/// Opens the database at `url` and applies migrations. A store without the app's schema is only
/// initialised when `create_if_missing` is set (in-memory stores are always new).
pub async fn open_database(url: &str, create_if_missing: bool) -> Result<Db, StartupError> {
    let Some(rest) = url.strip_prefix("surrealkv://") else {
        let handle = db::open(url).await?;
        let fresh = url.starts_with("mem://") || url.starts_with("memory");
        if !fresh && !create_if_missing && db::schema_version(&handle).await?.is_none() {
            return Err(StartupError::Missing(url.to_string()));
        }
        db::migrate(&handle).await?;
        return Ok(handle);
    };
    let path_text = rest.split('?').next().unwrap_or(rest).to_string();
    let path = Path::new(&path_text);
    let had_data = match std::fs::read_dir(path) {
        Ok(mut entries) => {
            let non_empty = entries.next().is_some();
            // An empty directory is what an unmounted volume looks like: treat it as missing.
            if !non_empty && !create_if_missing {
                return Err(StartupError::Missing(path_text));
            }
            if non_empty && !path.join("manifest").is_dir() {
                return Err(StartupError::Unreadable { path: path_text, why: "no SurrealKV manifest found".into() });
            }
            non_empty
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if !create_if_missing {
                return Err(StartupError::Missing(path_text));
            }
            std::fs::create_dir_all(path)
                .map_err(|e| StartupError::Unusable { path: path_text.clone(), why: e.to_string() })?;
            tracing::info!(path = %path_text, "created a new database directory");
            false
        }
        Err(e) => return Err(StartupError::Unusable { path: path_text, why: e.to_string() }),
    };
    let handle = db::open(url).await.map_err(|e| match e {
        db::DbError::Open { source, .. } if source.to_string().contains("already locked by another process") => {
            StartupError::InUse(path_text.clone())
        }
        db::DbError::Open { source, .. } => {
            StartupError::Unreadable { path: path_text.clone(), why: source.to_string() }
        }
        other => StartupError::Db(other),
    })?;
    if had_data && db::schema_version(&handle).await?.is_none() {
        return Err(StartupError::Unreadable { path: path_text, why: "no schema version recorded".into() });
    }
    db::migrate(&handle).await?;
    Ok(handle)
}
