//! What participants see once a board is published: their pairs and their notifications.

use surrealdb::types::SurrealValue;

use crate::db::{checked, Db};
use crate::domain::enrollment::types::Side;
use crate::domain::matching::types::{MyMatch, Notification};
use crate::engine::scoring;
use crate::error::AppError;

#[derive(SurrealValue)]
struct MatchRow {
    id: String,
    cohort_name: Option<String>,
    program_name: Option<String>,
    other_name: Option<String>,
    other_email: Option<String>,
    other_title: Option<String>,
    other_department: Option<String>,
    score: i64,
    breakdown: Option<serde_json::Value>,
    since: String,
    next_meeting: Option<String>,
    ended_on: Option<String>,
    end_reason: Option<String>,
}

/// The caller's pairs, as mentee and as mentor: the running ones, then the ended ones (still
/// readable to the two of them).
pub async fn my_matches(db: &Db, user_id: &str) -> Result<Vec<MyMatch>, AppError> {
    let fields = |other: &str| {
        format!(
            "record::id(id) AS id, cohort.name AS cohort_name, cohort.program.name AS program_name,
             {other}.name AS other_name, {other}.email AS other_email, {other}.title AS other_title,
             {other}.department AS other_department, score, breakdown,
             time::format(created_at, '%Y-%m-%d') AS since,
             {{ LET $p = $this.id; RETURN (SELECT VALUE time::format(on, '%Y-%m-%d') FROM meeting WHERE pairing = $p AND on > time::now() ORDER BY on LIMIT 1)[0] }} AS next_meeting,
             IF status = 'ended' THEN time::format(ended_at ?? time::now(), '%Y-%m-%d') ELSE NONE END AS ended_on, end_reason"
        )
    };
    let mut res = db
        .query(format!(
            "SELECT {} FROM pairing WHERE mentee = type::record('user', $user) ORDER BY ended_on, since DESC;
             SELECT {} FROM pairing WHERE mentor = type::record('user', $user) ORDER BY ended_on, other_name;",
            fields("mentor"),
            fields("mentee")
        ))
        .bind(("user", user_id.to_string()))
        .await?;
    let as_mentee: Vec<MatchRow> = res.take(0)?;
    let as_mentor: Vec<MatchRow> = res.take(1)?;
    let convert = |r: MatchRow, side: Side| {
        let reasons = r
            .breakdown
            .and_then(|v| serde_json::from_value::<scoring::Breakdown>(v).ok())
            .map(|b| {
                b.parts
                    .into_iter()
                    .filter(|p| p.weight > 0)
                    .map(|p| format!("{}: {}", p.criterion.label(), p.why))
                    .collect()
            })
            .unwrap_or_default();
        MyMatch {
            id: r.id,
            cohort_name: r.cohort_name.unwrap_or_default(),
            program_name: r.program_name.unwrap_or_default(),
            my_side: side,
            other_name: r.other_name.unwrap_or_default(),
            other_email: r.other_email.unwrap_or_default(),
            other_title: r.other_title.unwrap_or_default(),
            other_department: r.other_department.unwrap_or_default(),
            score: r.score,
            reasons,
            since: r.since,
            next_meeting: r.next_meeting,
            ended: r
                .ended_on
                .map(|on| crate::domain::pairs::types::PairEnded { on, reason: r.end_reason.unwrap_or_default() }),
        }
    };
    Ok(as_mentee
        .into_iter()
        .map(|r| convert(r, Side::Mentee))
        .chain(as_mentor.into_iter().map(|r| convert(r, Side::Mentor)))
        .collect())
}

#[derive(SurrealValue)]
struct NotificationRow {
    id: String,
    text: String,
    link: String,
    read: bool,
    at: String,
}

/// The caller's latest notifications, newest first.
pub async fn notifications(db: &Db, user_id: &str) -> Result<Vec<Notification>, AppError> {
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, text, link, read, time::format(created_at, '%Y-%m-%d %H:%M UTC') AS at, created_at
             FROM notification WHERE user = type::record('user', $user) ORDER BY created_at DESC LIMIT 20",
        )
        .bind(("user", user_id.to_string()))
        .await
        ?;
    let rows: Vec<NotificationRow> = res.take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| Notification { id: r.id, text: r.text, link: r.link, read: r.read, at: r.at })
        .collect())
}

/// Marks all of the caller's notifications read.
pub async fn mark_read(db: &Db, user_id: &str) -> Result<(), AppError> {
    db.query("UPDATE notification SET read = true WHERE user = type::record('user', $user) AND read = false")
        .bind(("user", user_id.to_string()))
        .await
        .and_then(checked)?;
    Ok(())
}
