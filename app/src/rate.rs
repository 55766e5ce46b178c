//! Per-person rate limits on writes that notify someone (comments, check-ins): a sliding window
//! kept in this process. Several app servers each keep their own, so a person may write that many
//! times per server — a bound on abuse, not an exact quota.

use std::collections::{HashMap, VecDeque};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use crate::error::AppError;

/// People × kinds tracked before idle entries are dropped.
const TRACKED: usize = 10_000;

type Key = (&'static str, String);

static RECENT: LazyLock<Mutex<HashMap<Key, VecDeque<Instant>>>> = LazyLock::new(Mutex::default);

/// Counts one `kind` of write by `who`, or refuses it with [`AppError::RateLimited`] when they made
/// `most` of them within the last `per`.
pub fn allow(kind: &'static str, who: &str, most: usize, per: Duration) -> Result<(), AppError> {
    allow_at(kind, who, most, per, Instant::now())
}

fn allow_at(kind: &'static str, who: &str, most: usize, per: Duration, now: Instant) -> Result<(), AppError> {
    let mut recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
    if recent.len() >= TRACKED {
        recent.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < per));
    }
    let times = recent.entry((kind, who.to_string())).or_default();
    while times.front().is_some_and(|t| now.duration_since(*t) >= per) {
        times.pop_front();
    }
    if times.len() >= most {
        let oldest = times.front().copied().unwrap_or(now);
        let wait = per.saturating_sub(now.duration_since(oldest));
        return Err(AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) });
    }
    times.push_back(now);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_of_writes_per_person_and_kind() {
        let t0 = Instant::now();
        let minute = Duration::from_secs(60);
        for i in 0..3 {
            assert!(allow_at("test-comment", "ann", 3, minute, t0 + Duration::from_secs(i)).is_ok());
        }
        let refused = allow_at("test-comment", "ann", 3, minute, t0 + Duration::from_secs(10));
        assert_eq!(refused, Err(AppError::RateLimited { retry_after_secs: 50 }));
        // Someone else, or another kind of write, is not held back.
        assert!(allow_at("test-comment", "bob", 3, minute, t0 + Duration::from_secs(10)).is_ok());
        assert!(allow_at("test-checkin", "ann", 3, minute, t0 + Duration::from_secs(10)).is_ok());
        // Once the first write is a minute old, one more goes through.
        assert!(allow_at("test-comment", "ann", 3, minute, t0 + Duration::from_secs(60)).is_ok());
        assert!(allow_at("test-comment", "ann", 3, minute, t0 + Duration::from_secs(61)).is_ok());
        assert!(allow_at("test-comment", "ann", 3, minute, t0 + Duration::from_secs(61)).is_err());
    }
}
