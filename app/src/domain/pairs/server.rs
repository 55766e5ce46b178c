//! The fit check and ending pairs in SurrealDB.
//!
//! A fit check is one record per pair and side (`<pairing>_<side>`), so answering again changes
//! the answer rather than adding one. Ending a pair is one transaction: the pairing is marked
//! ended, the cohort's board reopens with every still-running pair pinned and the ended pair
//! ruled out, both people are notified, and the audit log records who and why.

use std::collections::HashMap;

use surrealdb::types::SurrealValue;

use crate::db::refusal::PAIR_ENDED;
use crate::db::{check_key, checked, is_refusal, Db};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::goals::server::{pair, viewer};
use crate::domain::matching::types::Viewer;
use crate::domain::pairs::types::{
    check_end_reason, order, CohortPair, CohortPairs, FitAnswer, FitCard, FitCheckInput, FitSide, PairEnded,
};
use crate::error::AppError;

#[derive(SurrealValue)]
struct FitRow {
    answer: FitAnswer,
    note: String,
}

/// The caller's fit check on a pair, for its page.
pub(crate) async fn my_fit(db: &Db, pairing_id: &str, who: Viewer) -> Result<FitCard, AppError> {
    let mut res = db
        .query("SELECT answer, note FROM type::record('fit_check', $key)")
        .bind(("key", format!("{pairing_id}_{}", who.as_str())))
        .await?;
    let row: Option<FitRow> = res.take::<Vec<FitRow>>(0)?.into_iter().next();
    Ok(match row {
        Some(r) => FitCard { answer: Some(r.answer), note: r.note },
        None => FitCard { answer: None, note: String::new() },
    })
}

/// Records (or changes) the caller's fit check: the pair's own two people, once they have met,
/// while the pair runs.
pub async fn answer(access: &Access, input: FitCheckInput) -> Result<FitCard, AppError> {
    let p = pair(&access.db, input.pairing_id.trim()).await?;
    let who = viewer(access, &p)?;
    if !who.in_pair() {
        return Err(AppError::Forbidden);
    }
    p.writable()?;
    let note = input.validate()?;
    let mut res = access
        .db
        .query("SELECT VALUE count() FROM meeting WHERE pairing = type::record('pairing', $id) AND on <= time::now() GROUP ALL")
        .bind(("id", p.id.clone()))
        .await?;
    let met: Vec<i64> = res.take(0)?;
    if met.first().copied().unwrap_or(0) == 0 {
        return Err(AppError::field("answer", "The fit check opens once you have logged your first meeting."));
    }
    access
        .db
        .query(
            "UPSERT type::record('fit_check', $key) SET org = org:main, pairing = type::record('pairing', $id),
                 side = $side, answer = $answer, note = $note, at = time::now()",
        )
        .bind(("key", format!("{}_{}", p.id, who.as_str())))
        .bind(("id", p.id.clone()))
        .bind(("side", who.as_str()))
        .bind(("answer", input.answer))
        .bind(("note", note.clone()))
        .await
        .and_then(checked)?;
    Ok(FitCard { answer: Some(input.answer), note })
}

#[derive(SurrealValue)]
struct PairRow {
    id: String,
    mentee: String,
    status: String,
    mentee_name: Option<String>,
    mentor_name: Option<String>,
    ended_on: Option<String>,
    end_reason: Option<String>,
}

#[derive(SurrealValue)]
struct FitListRow {
    pairing: String,
    side: String,
    answer: FitAnswer,
    note: String,
}

/// A cohort's pairs with their fit checks, flagged first. Admins only (checked by the caller).
pub async fn cohort_pairs(db: &Db, cohort_id: &str) -> Result<CohortPairs, AppError> {
    let cohort = check_key(cohort_id)?.to_string();
    crate::domain::cohort::server::get(db, &cohort).await?;
    let mut res = db
        .query(
            "LET $pairs = SELECT VALUE id FROM pairing WHERE cohort = type::record('cohort', $cohort);
             SELECT record::id(id) AS id, record::id(mentee) AS mentee, status, mentee.name AS mentee_name, mentor.name AS mentor_name,
                 IF status = 'ended' THEN time::format(ended_at ?? time::now(), '%Y-%m-%d') ELSE NONE END AS ended_on,
                 end_reason
             FROM $pairs;
             SELECT record::id(pairing) AS pairing, side, answer, note FROM fit_check WHERE pairing IN $pairs;
             SELECT VALUE record::id(pairing) FROM meeting WHERE pairing IN $pairs AND on <= time::now();",
        )
        .bind(("cohort", cohort))
        .await?;
    // The pairs, their fit checks and their past meetings: read once each, put together here (a
    // count per pair in the query was one more query per pair).
    let rows: Vec<PairRow> = res.take(1)?;
    let fits: Vec<FitListRow> = res.take(2)?;
    let met: Vec<String> = res.take(3)?;
    let mut meetings: HashMap<String, i64> = HashMap::new();
    for pairing in met {
        *meetings.entry(pairing).or_default() += 1;
    }
    let mut fit: HashMap<(String, String), FitSide> = HashMap::new();
    for f in fits {
        fit.insert((f.pairing, f.side), FitSide { answer: Some(f.answer), note: f.note });
    }
    // Mentees whose pair ended and who have no running pair in the cohort: waiting for a new mentor.
    // (Worked out here: a `NOTINSIDE (SELECT …)` in the query read the cohort's pairs once per pair.)
    let running: std::collections::HashSet<&str> =
        rows.iter().filter(|r| r.status == "published").map(|r| r.mentee.as_str()).collect();
    let free: std::collections::BTreeSet<String> = rows
        .iter()
        .filter(|r| r.status == "ended" && !running.contains(r.mentee.as_str()))
        .map(|r| r.mentee.clone())
        .collect();
    let mut side = |id: &str, s: &str| {
        fit.remove(&(id.to_string(), s.to_string())).unwrap_or(FitSide { answer: None, note: String::new() })
    };
    let mut pairs: Vec<CohortPair> = rows
        .into_iter()
        .map(|r| CohortPair {
            mentee_fit: side(&r.id, "mentee"),
            mentor_fit: side(&r.id, "mentor"),
            meetings: meetings.get(&r.id).copied().unwrap_or(0),
            ended: r.ended_on.map(|on| PairEnded { on, reason: r.end_reason.unwrap_or_default() }),
            id: r.id,
            mentee_name: r.mentee_name.unwrap_or_default(),
            mentor_name: r.mentor_name.unwrap_or_default(),
        })
        .collect();
    order(&mut pairs);
    Ok(CohortPairs { pairs, unmatched: free.len() })
}

/// Ends a running pair with a reason: the pair becomes read-only, both are notified, and the
/// cohort's board reopens with the other running pairs pinned and this pair ruled out, so the
/// admin can re-match the mentee. Admins only (checked by the caller).
pub async fn end(access: &Access, pairing_id: &str, reason: &str) -> Result<CohortPairs, AppError> {
    let reason = check_end_reason(reason)?;
    let p = pair(&access.db, pairing_id).await?;
    if p.ended().is_some() {
        return Err(already_ended());
    }
    let mentee = p.row.mentee_name.clone().unwrap_or_default();
    let mentor = p.row.mentor_name.clone().unwrap_or_default();
    let cohort_name = p.row.cohort_name.clone().unwrap_or_default();
    let audit = Audit::by(access, "ended the pair", format!("{mentee} & {mentor} in {cohort_name}: {reason}"));
    let query = access.db.query(format!(
        "BEGIN;
         LET $p = (SELECT * FROM ONLY type::record('pairing', $id));
         IF $p.status != 'published' {{ THROW '{PAIR_ENDED}' }};
         UPDATE $p.id SET status = 'ended', ended_at = time::now(), ended_by = type::record('user', $me), end_reason = $reason;
         LET $live = (SELECT VALUE [record::id(mentee), record::id(mentor)] FROM pairing
             WHERE cohort = $p.cohort AND status = 'published');
         UPSERT type::record('board', record::id($p.cohort)) SET org = org:main, cohort = $p.cohort,
             pins = $live,
             assignment = object::from_entries($live),
             forbids = array::union(forbids ?? [], [[record::id($p.mentee), record::id($p.mentor)]]),
             published_at = NONE, version = (version ?? 0) + 1, updated_at = time::now();
         CREATE notification SET org = org:main, user = $p.mentee, kind = 'pair',
             text = $to_mentee, link = string::concat('/pairs/', $id);
         CREATE notification SET org = org:main, user = $p.mentor, kind = 'pair',
             text = $to_mentor, link = string::concat('/pairs/', $id);
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    let res = audit
        .bind(query)
        .bind(("id", p.id.clone()))
        .bind(("me", access.user().id.clone()))
        .bind(("reason", reason.clone()))
        .bind((
            "to_mentee",
            format!(
                "Your mentoring pair with {mentor} in {cohort_name} has ended: {reason} The program team will match you with a new mentor; your goals and meeting notes stay readable."
            ),
        ))
        .bind((
            "to_mentor",
            format!(
                "Your mentoring pair with {mentee} in {cohort_name} has ended: {reason} Your notes stay readable; nothing new can be added."
            ),
        ))
        .await
        .and_then(checked);
    match res {
        Ok(_) => {}
        Err(e) if is_refusal(&e, PAIR_ENDED) => return Err(already_ended()),
        Err(e) => return Err(e.into()),
    }
    access.changed("pairing");
    cohort_pairs(&access.db, &p.row.cohort).await
}

fn already_ended() -> AppError {
    AppError::Conflict { field: "pair".into(), message: "This pair has already ended.".into() }
}
