//! The meeting log in SurrealDB. The pair reads and writes it; an admin sees that meetings
//! happened, never the notes; anyone else gets "not found".

use surrealdb::types::SurrealValue;

use crate::db::checked;
use crate::domain::auth::server::Access;
use crate::domain::goals::server::{pair, viewer};
use crate::domain::matching::types::Viewer;
use crate::domain::meetings::types::{Meeting, MeetingInput, PairPage};
use crate::error::AppError;

#[derive(SurrealValue)]
struct MeetingRow {
    on: String,
    minutes: i64,
    topics: String,
    notes: String,
    logged_by: Option<String>,
    upcoming: bool,
}

/// A pair's page with its meetings.
pub async fn page(access: &Access, pairing_id: &str) -> Result<PairPage, AppError> {
    let p = pair(&access.db, pairing_id).await?;
    let who = viewer(access, &p)?;
    let mut res = access
        .db
        .query(
            "SELECT time::format(on, '%Y-%m-%d') AS on, minutes, topics, notes, created_by.name AS logged_by,
                 on > time::now() AS upcoming, on AS at
             FROM meeting WHERE pairing = type::record('pairing', $id) ORDER BY at DESC",
        )
        .bind(("id", p.id.clone()))
        .await?;
    let rows: Vec<MeetingRow> = res.take(0)?;
    let in_pair = who.in_pair();
    let ended = p.ended();
    let met = rows.iter().any(|r| !r.upcoming);
    let fit = if in_pair && met && ended.is_none() {
        Some(crate::domain::pairs::server::my_fit(&access.db, &p.id, who).await?)
    } else {
        None
    };
    Ok(PairPage {
        id: p.id.clone(),
        cohort_name: p.row.cohort_name.clone().unwrap_or_default(),
        cohort_starts: p.row.starts.clone(),
        cohort_ends: p.row.ends.clone(),
        mentee_name: p.row.mentee_name.clone().unwrap_or_default(),
        mentor_name: p.row.mentor_name.clone().unwrap_or_default(),
        meetings: rows
            .into_iter()
            .map(|r| Meeting {
                on: r.on,
                minutes: r.minutes,
                topics: r.topics,
                notes: in_pair.then_some(r.notes),
                logged_by: r.logged_by.unwrap_or_default(),
                upcoming: r.upcoming,
            })
            .collect(),
        viewer: who,
        fit,
        ended,
    })
}

/// Logs (or plans, with a future date) a meeting; the pair only.
pub async fn log(access: &Access, input: MeetingInput) -> Result<PairPage, AppError> {
    let p = pair(&access.db, input.pairing_id.trim()).await?;
    if viewer(access, &p)? == Viewer::Admin {
        return Err(AppError::Forbidden);
    }
    p.writable()?;
    let m = input.validate(&p.row.starts, &p.row.ends).map_err(AppError::Validation)?;
    // The first meeting held opens the fit check for both sides: one notification each, keyed
    // by pair and person so a second "first" meeting (or a retry) never notifies twice.
    access
        .db
        .query(
            "CREATE meeting SET org = org:main, pairing = type::record('pairing', $id), on = <datetime> ($on + 'T12:00:00Z'),
                 minutes = $minutes, topics = $topics, notes = $notes, created_by = type::record('user', $me);
             LET $p = (SELECT mentee, mentor, mentee.name AS mentee_name, mentor.name AS mentor_name
                 FROM ONLY type::record('pairing', $id));
             IF count(SELECT id FROM meeting WHERE pairing = type::record('pairing', $id) AND on <= time::now()) > 0 {
                 FOR $n IN [
                     { user: $p.mentee, other: $p.mentor_name },
                     { user: $p.mentor, other: $p.mentee_name }
                 ] {
                     IF !record::exists(type::record('notification', string::concat('fit_', $id, '_', record::id($n.user)))) {
                         CREATE type::record('notification', string::concat('fit_', $id, '_', record::id($n.user)))
                             SET org = org:main, user = $n.user, kind = 'fit',
                                 text = string::concat('How was your first session with ', $n.other ?? 'your partner',
                                     '? Answer the two-second fit check.'),
                                 link = string::concat('/pairs/', $id, '#fit');
                     };
                 };
             };",
        )
        .bind(("id", p.id.clone()))
        .bind(("on", m.on))
        .bind(("minutes", m.minutes))
        .bind(("topics", m.topics))
        .bind(("notes", m.notes))
        .bind(("me", access.user().id.clone()))
        .await
        .and_then(checked)
        ?;
    page(access, &p.id).await
}
