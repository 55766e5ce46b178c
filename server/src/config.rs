//! Configuration from the environment (12-factor), with defaults for a laptop.

use std::net::SocketAddr;
use std::time::Duration;

use app::domain::auth::server::AuthSettings;

/// Everything the server reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `surrealkv://path` (default `surrealkv://data/mentorship.db`), `mem://`, `ws://host:port`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR` or `BIND`: where to listen (default 127.0.0.1:3000).
    pub addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the built front end (default `target/site`).
    pub site_root: String,
    /// `PUBLIC_URL`: the URL people use; https makes the session cookie `Secure`.
    pub public_url: Option<String>,
    /// Sign-in policy (`SESSION_DAYS`, `SESSION_IDLE_HOURS`, `LOGIN_MAX_FAILURES_PER_ACCOUNT` (per
    /// account and client), `LOGIN_MAX_FAILURES_PER_IP`, `LOGIN_BACKOFF_AFTER_FAILURES`,
    /// `LOGIN_FAILURE_WINDOW_SECS`, `TRUST_PROXY`).
    pub auth: AuthSettings,
    /// `SURVEY_TICK_SECS`: how often the survey schedule runs (default 30 s).
    pub survey_tick: Duration,
    /// `BACKUP_DIR`: where the server writes scheduled backups (none when unset).
    pub backup_dir: Option<String>,
    /// `BACKUP_EVERY_HOURS` (default 24).
    pub backup_every: Duration,
    /// `BACKUP_KEEP`: scheduled backups kept (default 7).
    pub backup_keep: usize,
}

/// A configuration value that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid {name}={value:?}: {why}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    why: &'static str,
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn number<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError { name, value: v, why: "expected a whole number" }),
    }
}

fn flag(name: &'static str) -> Result<bool, ConfigError> {
    match var(name).as_deref().map(str::to_lowercase).as_deref() {
        None | Some("0") | Some("false") | Some("no") => Ok(false),
        Some("1") | Some("true") | Some("yes") => Ok(true),
        Some(v) => Err(ConfigError { name, value: v.to_string(), why: "expected true or false" }),
    }
}

impl Config {
    /// Reads the environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let addr_text = var("BIND").or_else(|| var("LEPTOS_SITE_ADDR")).unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| ConfigError {
            name: "LEPTOS_SITE_ADDR",
            value: addr_text.clone(),
            why: "expected host:port, like 127.0.0.1:3000",
        })?;
        let public_url = var("PUBLIC_URL");
        let defaults = AuthSettings::default();
        let auth = AuthSettings {
            session_ttl: Duration::from_secs(number("SESSION_DAYS", 14u64)?.max(1) * 24 * 3600),
            session_idle: Duration::from_secs(number("SESSION_IDLE_HOURS", 7 * 24u64)?.max(1) * 3600),
            backoff_after_failures: number("LOGIN_BACKOFF_AFTER_FAILURES", defaults.backoff_after_failures)?.max(1),
            max_failures_per_account: number("LOGIN_MAX_FAILURES_PER_ACCOUNT", defaults.max_failures_per_account)?
                .max(1),
            max_failures_per_ip: number("LOGIN_MAX_FAILURES_PER_IP", defaults.max_failures_per_ip)?.max(1),
            failure_window: Duration::from_secs(
                number("LOGIN_FAILURE_WINDOW_SECS", defaults.failure_window.as_secs())?.max(1),
            ),
            trust_proxy: flag("TRUST_PROXY")?,
            force_secure_cookie: public_url.as_deref().is_some_and(|u| u.starts_with("https://")),
            public_url: public_url.clone(),
        };
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "surrealkv://data/mentorship.db".into()),
            addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            public_url,
            auth,
            survey_tick: Duration::from_secs(number("SURVEY_TICK_SECS", 30u64)?.max(1)),
            backup_dir: var("BACKUP_DIR"),
            backup_every: Duration::from_secs(number("BACKUP_EVERY_HOURS", 24u64)?.max(1) * 3600),
            backup_keep: number("BACKUP_KEEP", 7usize)?.max(1),
        })
    }
}
