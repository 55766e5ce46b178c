//! Timelines and pair activity in SurrealDB. A timeline is read by the pair and admins only
//! (drafts only by their mentee, meeting notes never); activity lists are for admins.

use std::collections::HashMap;

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, Db};
use crate::domain::activity::types::{
    check_inactive_days, date_of, quiet_days, CohortPairs, PairActivity, Timeline, TimelineEvent, DEFAULT_INACTIVE_DAYS,
};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::awards::types::RewardKind;
use crate::domain::goals::server::{pair, viewer};
use crate::domain::goals::types::{GoalStatus, Milestone};
use crate::domain::matching::types::Viewer;
use crate::domain::workshops::types::Rsvp;
use crate::error::AppError;

#[derive(SurrealValue)]
struct PairRow {
    id: String,
    cohort_id: String,
    mentee_name: Option<String>,
    mentor_name: Option<String>,
    created: i64,
}

#[derive(SurrealValue)]
struct CohortRow {
    id: String,
    name: String,
    inactive_days: i64,
    running: bool,
    starts: i64,
}

/// A meeting (by its pairing) or a check-in (by its goal), in Unix seconds.
#[derive(SurrealValue)]
struct EventRow {
    of: String,
    at: i64,
}

#[derive(SurrealValue)]
struct GoalRow {
    id: String,
    pairing: String,
    sent: bool,
}

/// The activity of the pairs in `$ps`, of the cohorts in `$cs` (both bound by the statements
/// before it): the pairs, their cohorts (each read once, not once per pair), their past meetings,
/// their goals and the goals' check-ins, read by index and put together here. (One sub-select
/// per pair and per kind made an admin's home page with 640 pairs take 20–57 s under load.)
const ACTIVITY: &str = "LET $gs = (SELECT VALUE id FROM goal WHERE pairing IN $ps);
    SELECT record::id(id) AS id, record::id(cohort) AS cohort_id, mentee.name AS mentee_name,
        mentor.name AS mentor_name, time::unix(created_at) AS created
    FROM $ps;
    SELECT record::id(id) AS id, name, inactive_days ?? 21 AS inactive_days, status = 'running' AS running,
        time::unix(starts) AS starts
    FROM $cs;
    SELECT record::id(pairing) AS of, time::unix(on) AS at FROM meeting WHERE pairing IN $ps AND on <= time::now();
    SELECT record::id(id) AS id, record::id(pairing) AS pairing, status != 'draft' AS sent FROM $gs;
    SELECT record::id(goal) AS of, time::unix(created_at) AS at FROM checkin WHERE goal IN $gs;";

/// Takes the results of [`ACTIVITY`], which begin at `first`.
fn read_activity(res: &mut surrealdb::IndexedResults, first: usize) -> Result<Vec<PairActivity>, AppError> {
    let pairs: Vec<PairRow> = res.take(first + 1)?;
    let cohorts: Vec<CohortRow> = res.take(first + 2)?;
    let meetings: Vec<EventRow> = res.take(first + 3)?;
    let goals: Vec<GoalRow> = res.take(first + 4)?;
    let checkins: Vec<EventRow> = res.take(first + 5)?;
    #[derive(Default)]
    struct Seen {
        meeting: Option<i64>,
        checkin: Option<i64>,
        goals: i64,
    }
    let mut seen: HashMap<String, Seen> = HashMap::with_capacity(pairs.len());
    for m in meetings {
        let s = seen.entry(m.of).or_default();
        s.meeting = s.meeting.max(Some(m.at));
    }
    let mut pair_of: HashMap<String, String> = HashMap::with_capacity(goals.len());
    for g in goals {
        if g.sent {
            seen.entry(g.pairing.clone()).or_default().goals += 1;
        }
        pair_of.insert(g.id, g.pairing);
    }
    for c in checkins {
        if let Some(p) = pair_of.get(&c.of) {
            let s = seen.entry(p.clone()).or_default();
            s.checkin = s.checkin.max(Some(c.at));
        }
    }
    let cohorts: HashMap<&str, &CohortRow> = cohorts.iter().map(|c| (c.id.as_str(), c)).collect();
    let now = crate::validate::unix_now();
    let mut list = Vec::with_capacity(pairs.len());
    for r in pairs {
        let Some(c) = cohorts.get(r.cohort_id.as_str()) else {
            tracing::warn!(pair = %r.id, cohort = %r.cohort_id, "a pair's cohort was not read: left out of its activity");
            continue;
        };
        let s = seen.remove(&r.id).unwrap_or_default();
        list.push(activity(r, c, now, s.meeting, s.checkin, s.goals));
    }
    Ok(list)
}

fn activity(
    r: PairRow,
    c: &CohortRow,
    now: i64,
    last_meeting: Option<i64>,
    last_checkin: Option<i64>,
    goals: i64,
) -> PairActivity {
    let events: Vec<i64> = last_meeting.into_iter().chain(last_checkin).collect();
    let quiet = quiet_days(now, r.created.max(c.starts), &events);
    PairActivity {
        pairing_id: r.id,
        cohort_id: r.cohort_id,
        cohort_name: c.name.clone(),
        mentee_name: r.mentee_name.unwrap_or_default(),
        mentor_name: r.mentor_name.unwrap_or_default(),
        goals,
        last_meeting: last_meeting.map(date_of),
        last_checkin: last_checkin.map(date_of),
        quiet_days: quiet,
        // Only a running cohort's pairs are expected to meet; a closed one's are done.
        inactive: c.running && quiet > c.inactive_days,
    }
}

fn quietest_first(list: &mut [PairActivity]) {
    list.sort_by(|a, b| b.quiet_days.cmp(&a.quiet_days).then_with(|| a.mentee_name.cmp(&b.mentee_name)));
}

/// A cohort's published pairs with their activity, quietest first (admins).
pub async fn cohort_pairs(db: &Db, cohort_id: &str) -> Result<CohortPairs, AppError> {
    let id = check_key(cohort_id)?.to_string();
    let mut res = db
        .query(format!(
            "SELECT VALUE inactive_days ?? 21 FROM type::record('cohort', $id);
             LET $cs = [type::record('cohort', $id)];
             LET $ps = (SELECT VALUE id FROM pairing WHERE cohort = type::record('cohort', $id) AND status = 'published');
             {ACTIVITY}"
        ))
        .bind(("id", id))
        .await?;
    let days: Vec<i64> = res.take(0)?;
    let Some(inactive_days) = days.into_iter().next() else { return Err(AppError::NotFound) };
    let mut pairs = read_activity(&mut res, 3)?;
    quietest_first(&mut pairs);
    Ok(CohortPairs { inactive_days, pairs })
}

/// The pairs of running cohorts that are quiet for longer than their cohort allows, quietest
/// first (admins).
pub async fn flagged(db: &Db) -> Result<Vec<PairActivity>, AppError> {
    let mut res = db
        .query(format!(
            "LET $cs = (SELECT VALUE id FROM cohort WHERE status = 'running');
             LET $ps = (SELECT VALUE id FROM pairing WHERE cohort IN $cs AND status = 'published');
             {ACTIVITY}"
        ))
        .await?;
    let mut list: Vec<PairActivity> = read_activity(&mut res, 2)?.into_iter().filter(|a| a.inactive).collect();
    quietest_first(&mut list);
    Ok(list)
}

/// Sets a cohort's "flag after N quiet days" (admins).
pub async fn set_inactive_days(access: &Access, cohort_id: &str, days: &str) -> Result<CohortPairs, AppError> {
    let n = check_inactive_days(days).map_err(AppError::Validation)?;
    let id = check_key(cohort_id)?.to_string();
    let mut res =
        access.db.query("SELECT VALUE name FROM type::record('cohort', $id)").bind(("id", id.clone())).await?;
    let names: Vec<String> = res.take(0)?;
    let Some(name) = names.into_iter().next() else { return Err(AppError::NotFound) };
    let audit = Audit::by(access, "set the quiet-pair threshold", format!("{name}: {n} days"));
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('cohort', $id) SET inactive_days = $days;
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit.bind(query).bind(("id", id.clone())).bind(("days", n)).await.and_then(checked)?;
    access.changed("cohort");
    cohort_pairs(&access.db, &id).await
}

#[derive(SurrealValue)]
struct GoalEvents {
    id: String,
    status: GoalStatus,
    what: Option<String>,
    skill: Option<String>,
    milestones: serde_json::Value,
    created: String,
    submitted_at: Option<String>,
    approved_at: Option<String>,
    completed_at: Option<String>,
}

#[derive(SurrealValue)]
struct CheckinEvent {
    goal: String,
    progress: i64,
    note: String,
    at: String,
}

#[derive(SurrealValue)]
struct MeetingEvent {
    at: String,
    minutes: i64,
    topics: String,
}

#[derive(SurrealValue)]
struct SeatEvents {
    workshop: String,
    rsvp: Rsvp,
    rsvp_at: Option<String>,
    attended_at: Option<String>,
    reflection: String,
    reflected_at: Option<String>,
    signed_off_by: Option<String>,
    signed_off_at: Option<String>,
}

#[derive(SurrealValue)]
struct AwardEvent {
    id: String,
    name: String,
    kind: RewardKind,
    at: String,
}

// Microseconds, so events of the same second keep their order.
const ISO: &str = "'%Y-%m-%dT%H:%M:%S%.6f'";

fn opt(field: &str) -> String {
    format!("IF {field} != NONE {{ time::format({field}, {ISO}) }} ELSE {{ NONE }} AS {field}")
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

/// A pair's timeline: goals, milestones, check-ins, past meetings, workshops and awards.
pub async fn timeline(access: &Access, pairing_id: &str) -> Result<Timeline, AppError> {
    let p = pair(&access.db, pairing_id).await?;
    let who = viewer(access, &p)?;
    let sql = format!(
        "SELECT record::id(id) AS id, status, draft.specific AS what, skill.name AS skill, milestones,
             time::format(created_at, {ISO}) AS created, {}, {}, {}
         FROM goal WHERE pairing = type::record('pairing', $id);
         LET $goals = (SELECT VALUE id FROM goal WHERE pairing = type::record('pairing', $id));
         SELECT record::id(goal) AS goal, progress, note, time::format(created_at, {ISO}) AS at
         FROM checkin WHERE goal IN $goals;
         SELECT time::format(on, {ISO}) AS at, minutes, topics FROM meeting
         WHERE pairing = type::record('pairing', $id) AND on <= time::now();
         SELECT workshop, rsvp, {}, {}, reflection, {}, signed_off_by.name AS signed_off_by, {}
         FROM workshop_seat WHERE pairing = type::record('pairing', $id);
         SELECT record::id(id) AS id, name, kind, time::format(awarded_at, {ISO}) AS at
         FROM award WHERE pairing = type::record('pairing', $id);
         SELECT VALUE [cohort.inactive_days ?? 21, math::max([time::unix(created_at), time::unix(cohort.starts)]), time::unix(time::now())]
         FROM type::record('pairing', $id);
         SELECT VALUE cohort.status = 'running' FROM type::record('pairing', $id);",
        opt("submitted_at"),
        opt("approved_at"),
        opt("completed_at"),
        opt("rsvp_at"),
        opt("attended_at"),
        opt("reflected_at"),
        opt("signed_off_at"),
    );
    let mut res = access.db.query(sql).bind(("id", p.id.clone())).await?;
    let goals: Vec<GoalEvents> = res.take(0)?;
    // (1 is the `LET $goals`: a subquery inside `IN (…)` made the check-ins a table scan.)
    let checkins: Vec<CheckinEvent> = res.take(2)?;
    let meetings: Vec<MeetingEvent> = res.take(3)?;
    let seats: Vec<SeatEvents> = res.take(4)?;
    let awards: Vec<AwardEvent> = res.take(5)?;
    let quiet: Vec<Vec<i64>> = res.take(6)?;
    let running: Vec<bool> = res.take(7)?;

    let mut events = Vec::new();
    let mut push = |at: &str, kind: &str, title: String, detail: String, link: Option<String>| {
        events.push(TimelineEvent {
            on: at.get(..10).unwrap_or(at).to_string(),
            at: at.to_string(),
            kind: kind.to_string(),
            title,
            detail,
            link,
        });
    };
    // An unsent draft is the mentee's alone.
    let visible: Vec<&GoalEvents> =
        goals.iter().filter(|g| g.status != GoalStatus::Draft || who == Viewer::Mentee).collect();
    for g in &visible {
        let what = g.what.clone().filter(|w| !w.trim().is_empty()).unwrap_or_else(|| "Untitled goal".into());
        let link =
            if g.status == GoalStatus::Draft { format!("/goals/{}/edit", g.id) } else { format!("/goals/{}", g.id) };
        let skill = g.skill.clone().unwrap_or_default();
        push(&g.created, "goal", "Started a goal".into(), what.clone(), Some(link.clone()));
        if let Some(at) = &g.submitted_at {
            push(at, "goal", "Sent a goal to the mentor".into(), what.clone(), Some(link.clone()));
        }
        if let Some(at) = &g.approved_at {
            push(at, "goal", "The mentor approved a goal".into(), what.clone(), Some(link.clone()));
        }
        if let Some(at) = &g.completed_at {
            let title =
                if skill.is_empty() { "Completed a goal".to_string() } else { format!("Completed a goal · {skill}") };
            push(at, "goal", title, what.clone(), Some(link.clone()));
        }
        let milestones: Vec<Milestone> = serde_json::from_value(g.milestones.clone()).unwrap_or_default();
        for m in milestones.into_iter().filter(|m| m.done && !m.done_on.is_empty()) {
            let at = format!("{}T12:00:00", m.done_on);
            push(&at, "milestone", format!("Milestone reached: {}", m.title), what.clone(), Some(link.clone()));
        }
    }
    for c in &checkins {
        if let Some(g) = visible.iter().find(|g| g.id == c.goal) {
            let what = g.what.clone().unwrap_or_default();
            push(
                &c.at,
                "checkin",
                format!("Check-in at {} %", c.progress),
                format!("{} — {}", clip(&what, 80), c.note),
                Some(format!("/goals/{}", g.id)),
            );
        }
    }
    for m in &meetings {
        push(
            &m.at,
            "meeting",
            format!("Met for {} minutes", m.minutes),
            m.topics.clone(),
            Some(format!("/pairs/{}", p.id)),
        );
    }
    let design = crate::domain::program::server::get(&access.db, &p.row.program).await?;
    for s in &seats {
        let title = design
            .workshops
            .iter()
            .find(|w| w.id == s.workshop)
            .map(|w| w.title.clone())
            .unwrap_or_else(|| "a workshop".into());
        if let (Some(at), Rsvp::Going) = (&s.rsvp_at, s.rsvp) {
            push(at, "workshop", format!("Signed up for “{title}”"), String::new(), None);
        }
        if let Some(at) = &s.attended_at {
            push(at, "workshop", format!("Attended “{title}”"), String::new(), None);
        }
        if let Some(at) = &s.reflected_at {
            push(at, "workshop", format!("Reflected on “{title}”"), clip(&s.reflection, 240), None);
        }
        if let Some(at) = &s.signed_off_at {
            let by = s.signed_off_by.clone().unwrap_or_default();
            push(at, "workshop", format!("{by} signed off the reflection on “{title}”"), String::new(), None);
        }
    }
    for a in &awards {
        push(
            &a.at,
            "award",
            format!("Earned the {} “{}”", a.kind, a.name),
            String::new(),
            Some(format!("/awards/{}", a.id)),
        );
    }
    // Newest first; events stamped alike keep the order they happened in (pushed in that order).
    let mut events: Vec<(usize, TimelineEvent)> = events.into_iter().enumerate().collect();
    events.sort_by(|(i, a), (j, b)| b.at.cmp(&a.at).then_with(|| j.cmp(i)));
    let events: Vec<TimelineEvent> = events.into_iter().map(|(_, e)| e).collect();
    let q = quiet.into_iter().next().unwrap_or_default();
    let (inactive_after, since, now) = (
        q.first().copied().unwrap_or(DEFAULT_INACTIVE_DAYS),
        q.get(1).copied().unwrap_or_default(),
        q.get(2).copied().unwrap_or_default(),
    );
    let mut times: Vec<i64> = meetings.iter().filter_map(|m| unix_of(&m.at)).collect();
    times.extend(checkins.iter().filter_map(|c| unix_of(&c.at)));
    Ok(Timeline {
        pairing_id: p.id.clone(),
        mentee_name: p.row.mentee_name.clone().unwrap_or_default(),
        mentor_name: p.row.mentor_name.clone().unwrap_or_default(),
        cohort_name: p.row.cohort_name.clone().unwrap_or_default(),
        viewer: who,
        events,
        // Quiet only counts while the cohort runs.
        quiet_days: if running.first().copied().unwrap_or(false) { quiet_days(now, since, &times) } else { 0 },
        inactive_after,
    })
}

/// Unix seconds of an ISO `YYYY-MM-DDTHH:MM:SS…` (UTC).
fn unix_of(iso: &str) -> Option<i64> {
    let day = crate::validate::day_number(iso.get(..10)?)?;
    let (h, mi, s) = (
        iso.get(11..13)?.parse::<i64>().ok()?,
        iso.get(14..16)?.parse::<i64>().ok()?,
        iso.get(17..19)?.parse::<i64>().ok()?,
    );
    Some(day * 86_400 + h * 3_600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_of_reverses_date_of() {
        for t in [946_684_800i64, 951_782_400, 1_795_478_400 + 3_723] {
            let iso =
                format!("{}T{:02}:{:02}:{:02}", super::date_of(t), (t % 86_400) / 3_600, (t % 3_600) / 60, t % 60);
            assert_eq!(super::unix_of(&iso), Some(t), "{iso}");
        }
    }
}
