//! What the database need not keep for ever, removed once a day by each app server (deleting
//! what another server already deleted is harmless): old notifications and ended sessions.
//!
//! A participant sees their 20 newest notifications; one that was read three months ago, or one
//! a year old, is never shown again. A session past its end or its idle limit no longer signs
//! anyone in; without this it stayed until its owner signed in again.

use std::time::Duration;

use crate::db::{checked, Db};
use crate::error::AppError;

/// Read notifications are kept this long.
pub const READ_NOTIFICATIONS_KEPT: Duration = Duration::from_secs(90 * 86_400);
/// Any notification, read or not, is kept this long.
pub const NOTIFICATIONS_KEPT: Duration = Duration::from_secs(365 * 86_400);

/// What one tidy-up removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tidied {
    pub notifications: usize,
    pub sessions: usize,
}

/// Removes notifications read more than [`READ_NOTIFICATIONS_KEPT`] ago (by their age) or older
/// than [`NOTIFICATIONS_KEPT`], and sessions that ended or were idle longer than `session_idle`.
pub async fn tidy(db: &Db, session_idle: Duration) -> Result<Tidied, AppError> {
    let mut res = db
        .query(
            "RETURN array::len(DELETE notification WHERE
                 (read = true AND created_at < time::now() - $read_kept) OR created_at < time::now() - $kept
                 RETURN BEFORE);
             RETURN array::len(DELETE session WHERE
                 expires_at < time::now() OR (seen_at ?? created_at) < time::now() - $idle
                 RETURN BEFORE);",
        )
        .bind(("read_kept", READ_NOTIFICATIONS_KEPT))
        .bind(("kept", NOTIFICATIONS_KEPT))
        .bind(("idle", session_idle))
        .await
        .and_then(checked)?;
    let count = |n: Option<i64>| n.unwrap_or(0).max(0) as usize;
    Ok(Tidied { notifications: count(res.take(0)?), sessions: count(res.take(1)?) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn old_notifications_and_ended_sessions_go_everything_else_stays() {
        let db = crate::db::connect("mem://").await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        db.query(
            "CREATE org:o SET name = 'O';
             CREATE user:ann SET org = org:o, email = 'ann@example.com', name = 'Ann', password_hash = '$argon2id$x',
                 roles = ['mentee'];
             -- created_at is READONLY: it can be given only when a record is made.
             INSERT INTO notification [
                 { id: 'new_unread', org: org:o, user: user:ann, text: 'a', read: false, created_at: time::now() - 1d },
                 { id: 'new_read', org: org:o, user: user:ann, text: 'b', read: true, created_at: time::now() - 30d },
                 { id: 'old_unread', org: org:o, user: user:ann, text: 'c', read: false, created_at: time::now() - 100d },
                 { id: 'old_read', org: org:o, user: user:ann, text: 'd', read: true, created_at: time::now() - 100d },
                 { id: 'ancient', org: org:o, user: user:ann, text: 'e', read: false, created_at: time::now() - 400d }
             ];
             CREATE session:live SET token_hash = string::repeat('a', 64), user = user:ann,
                 expires_at = time::now() + 1d, seen_at = time::now();
             CREATE session:ended SET token_hash = string::repeat('b', 64), user = user:ann,
                 expires_at = time::now() - 1m, seen_at = time::now();
             CREATE session:idle SET token_hash = string::repeat('c', 64), user = user:ann,
                 expires_at = time::now() + 1d, seen_at = time::now() - 8d;",
        )
        .await
        .and_then(checked)
        .unwrap();
        let week = Duration::from_secs(7 * 86_400);
        assert_eq!(tidy(&db, week).await.unwrap(), Tidied { notifications: 2, sessions: 2 });
        let mut res = db
            .query(
                "SELECT VALUE record::id(id) FROM notification ORDER BY id;
                 SELECT VALUE record::id(id) FROM session ORDER BY id;",
            )
            .await
            .unwrap();
        let notes: Vec<String> = res.take(0).unwrap();
        let sessions: Vec<String> = res.take(1).unwrap();
        assert_eq!(notes, ["new_read", "new_unread", "old_unread"]);
        assert_eq!(sessions, ["live"]);
        // Nothing more to do the second time.
        assert_eq!(tidy(&db, week).await.unwrap(), Tidied::default());
    }
}
