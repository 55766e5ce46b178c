//! Goals in SurrealDB. A goal belongs to a published pair; only the pair and admins ever see it,
//! and a draft only its mentee (until sent). Every function decides who the caller is to the goal
//! before anything else; anyone else gets "not found", so a goal's existence is not revealed.

use std::time::Duration;

use surrealdb::types::SurrealValue;

use crate::db::{check_key, checked, is_refusal, Db, Rows};
use crate::domain::auth::server::{Access, Audit, AUDIT_STATEMENT};
use crate::domain::auth::types::Role;
use crate::domain::goals::types::{
    check_lengths, check_step, first_incomplete, Checkin, CheckinInput, Comment, Goal, GoalContext, GoalDraft,
    GoalStatus, GoalSummary, Milestone, Step, GOALS_PER_PAIR, GOAL_PAGE_ITEMS, TEXT_MAX,
};
use crate::domain::matching::types::Viewer;
use crate::domain::pairs::types::PairEnded;
use crate::error::AppError;

/// A published pair's people and cohort.
#[derive(SurrealValue)]
pub(crate) struct PairRow {
    pub(crate) mentee: String,
    pub(crate) mentor: String,
    pub(crate) mentee_name: Option<String>,
    pub(crate) mentor_name: Option<String>,
    pub(crate) cohort: String,
    pub(crate) cohort_name: Option<String>,
    pub(crate) starts: String,
    pub(crate) ends: String,
    pub(crate) program: String,
    pub(crate) today: String,
    pub(crate) ended_on: Option<String>,
    pub(crate) end_reason: Option<String>,
}

/// A published pair with what goals need.
pub(crate) struct Pair {
    pub(crate) id: String,
    pub(crate) row: PairRow,
    context: GoalContext,
}

/// A published or ended pair; `NotFound` when there is none.
pub(crate) async fn pair(db: &Db, pairing_id: &str) -> Result<Pair, AppError> {
    let id = check_key(pairing_id)?.to_string();
    let mut res = db
        .query(
            "SELECT record::id(mentee) AS mentee, record::id(mentor) AS mentor, mentee.name AS mentee_name,
                 mentor.name AS mentor_name, record::id(cohort) AS cohort, cohort.name AS cohort_name,
                 time::format(cohort.starts, '%Y-%m-%d') AS starts, time::format(cohort.ends, '%Y-%m-%d') AS ends,
                 record::id(cohort.program) AS program, time::format(time::now(), '%Y-%m-%d') AS today,
                 IF status = 'ended' THEN time::format(ended_at ?? time::now(), '%Y-%m-%d') ELSE NONE END AS ended_on,
                 end_reason
             FROM type::record('pairing', $id)",
        )
        .bind(("id", id.clone()))
        .await?;
    let row: PairRow = res.one(0)?;
    let design = crate::domain::program::server::get(db, &row.program).await?;
    let names: std::collections::BTreeMap<String, String> = crate::domain::skills::server::names(db).await?;
    let context = GoalContext {
        skills: design.skill_ids.iter().filter_map(|s| names.get(s).map(|n| (s.clone(), n.clone()))).collect(),
        cohort_starts: row.starts.clone(),
        cohort_ends: row.ends.clone(),
        today: row.today.clone(),
    };
    Ok(Pair { id, row, context })
}

impl Pair {
    /// When and why the pair ended, if it did.
    pub(crate) fn ended(&self) -> Option<PairEnded> {
        self.row
            .ended_on
            .as_ref()
            .map(|on| PairEnded { on: on.clone(), reason: self.row.end_reason.clone().unwrap_or_default() })
    }

    /// `Ok` while the pair runs; an ended pair stays readable but takes nothing new.
    pub(crate) fn writable(&self) -> Result<(), AppError> {
        match &self.row.ended_on {
            None => Ok(()),
            Some(on) => Err(AppError::Conflict {
                field: "pair".into(),
                message: format!("This pair ended on {on}. Its record stays readable, but nothing new can be added."),
            }),
        }
    }
}

/// The caller's part in a pair; `NotFound` for anyone outside it who is not an admin. A mentor
/// whose mentor role an admin removed is outside it from that moment (roles are read with the
/// session on every request): no more approving, commenting or reading the pair's notes.
pub(crate) fn viewer(access: &Access, p: &Pair) -> Result<Viewer, AppError> {
    let me = &access.user().id;
    if *me == p.row.mentee {
        Ok(Viewer::Mentee)
    } else if *me == p.row.mentor && access.user().has_role(Role::Mentor) {
        Ok(Viewer::Mentor)
    } else if access.user().has_role(Role::Admin) {
        Ok(Viewer::Admin)
    } else {
        Err(AppError::NotFound)
    }
}

/// What a mentee needs to start a goal for a pair.
pub async fn context(access: &Access, pairing_id: &str) -> Result<GoalContext, AppError> {
    let p = pair(&access.db, pairing_id).await?;
    if viewer(access, &p)? != Viewer::Mentee {
        return Err(AppError::Forbidden);
    }
    p.writable()?;
    Ok(p.context)
}

#[derive(SurrealValue)]
struct GoalRow {
    id: String,
    pairing: String,
    draft: serde_json::Value,
    step: i64,
    status: GoalStatus,
    progress: i64,
    milestones: serde_json::Value,
    version: i64,
}

async fn goal_row(db: &Db, id: &str) -> Result<GoalRow, AppError> {
    let id = check_key(id)?.to_string();
    let mut res = db
        .query(
            "SELECT record::id(id) AS id, record::id(pairing) AS pairing, draft, step, status, progress, milestones, version
             FROM type::record('goal', $id)",
        )
        .bind(("id", id))
        .await
        ?;
    res.one::<GoalRow>(0)
}

/// Loads a goal and the caller's part in it. An unsent draft is its mentee's alone (neither the
/// mentor nor an admin can see that it exists).
async fn load(access: &Access, id: &str) -> Result<(GoalRow, Pair, Viewer), AppError> {
    let g = goal_row(&access.db, id).await?;
    let p = pair(&access.db, &g.pairing).await?;
    let who = viewer(access, &p)?;
    if g.status == GoalStatus::Draft && who != Viewer::Mentee {
        return Err(AppError::NotFound);
    }
    Ok((g, p, who))
}

#[derive(SurrealValue)]
struct CheckinRow {
    progress: i64,
    note: String,
    evidence: String,
    on: String,
}

#[derive(SurrealValue)]
struct CommentRow {
    author: Option<String>,
    role: Viewer,
    text: String,
    at: String,
}

/// One goal with its check-ins and comments.
pub async fn get(access: &Access, id: &str) -> Result<Goal, AppError> {
    let (g, p, who) = load(access, id).await?;
    page(access, g, p, who).await
}

/// The goal after the caller's write: its pair and the caller's part in it were read (and
/// checked) before the write and have not changed; only the goal is read again.
async fn after_write(access: &Access, id: &str, p: Pair, who: Viewer) -> Result<Goal, AppError> {
    let g = goal_row(&access.db, id).await?;
    page(access, g, p, who).await
}

/// [`get`]'s page from the goal, its pair and the caller's part in it.
async fn page(access: &Access, g: GoalRow, p: Pair, who: Viewer) -> Result<Goal, AppError> {
    let ended = p.ended();
    let mut res = access
        .db
        .query(
            "SELECT progress, note, evidence, time::format(created_at, '%Y-%m-%d') AS on, created_at FROM checkin
                 WHERE goal = type::record('goal', $id) ORDER BY created_at DESC LIMIT $most;
             SELECT author.name AS author, role, text, time::format(created_at, '%Y-%m-%d %H:%M UTC') AS at, created_at
                 FROM goal_comment WHERE goal = type::record('goal', $id) ORDER BY created_at DESC LIMIT $most;
             RETURN count(SELECT id FROM checkin WHERE goal = type::record('goal', $id));
             RETURN count(SELECT id FROM goal_comment WHERE goal = type::record('goal', $id));",
        )
        .bind(("id", g.id.clone()))
        .bind(("most", GOAL_PAGE_ITEMS as i64))
        .await?;
    let checkins: Vec<CheckinRow> = res.take(0)?;
    let mut comments: Vec<CommentRow> = res.take(1)?;
    // The latest comments, shown oldest first (a conversation).
    comments.reverse();
    let all_checkins: Option<i64> = res.take(2)?;
    let all_comments: Option<i64> = res.take(3)?;
    let earlier = |all: Option<i64>, shown: usize| (all.unwrap_or_default() - shown as i64).max(0) as u32;
    let (earlier_checkins, earlier_comments) =
        (earlier(all_checkins, checkins.len()), earlier(all_comments, comments.len()));
    let draft: GoalDraft = serde_json::from_value(g.draft).unwrap_or_default();
    let milestones: Vec<Milestone> = serde_json::from_value(g.milestones).unwrap_or_default();
    let skill_name =
        p.context.skills.iter().find(|(s, _)| *s == draft.skill_id).map(|(_, n)| n.clone()).unwrap_or_default();
    Ok(Goal {
        id: g.id,
        pairing_id: p.id.clone(),
        cohort_name: p.row.cohort_name.clone().unwrap_or_default(),
        mentee_name: p.row.mentee_name.clone().unwrap_or_default(),
        mentor_name: p.row.mentor_name.clone().unwrap_or_default(),
        skill_name,
        draft,
        step: g.step.max(0) as usize,
        status: g.status,
        progress: g.progress,
        milestones,
        checkins: checkins
            .into_iter()
            .map(|c| Checkin { progress: c.progress, note: c.note, evidence: c.evidence, on: c.on })
            .collect(),
        earlier_checkins,
        comments: comments
            .into_iter()
            .map(|c| Comment { author: c.author.unwrap_or_default(), role: c.role, text: c.text, at: c.at })
            .collect(),
        earlier_comments,
        context: p.context,
        version: g.version,
        viewer: who,
        ended,
    })
}

fn stale() -> AppError {
    AppError::Conflict {
        field: "goal".into(),
        message: "This goal was changed elsewhere (another tab or device). Reload to continue with the latest version; what you typed here is still on this screen.".into(),
    }
}

/// Autosave: creates the goal on the first save, then updates it. Only length limits are
/// checked, so a half-written goal is never refused; the mentee only.
pub async fn save_draft(
    access: &Access,
    pairing_id: &str,
    goal_id: Option<String>,
    draft: GoalDraft,
    step: usize,
    version: i64,
) -> Result<Goal, AppError> {
    check_lengths(&draft).into_result()?;
    let step = step.min(Step::ALL.len() - 1) as i64;
    let draft_json = serde_json::to_value(&draft)?;
    let id = match goal_id.filter(|s| !s.is_empty()) {
        None => {
            let p = pair(&access.db, pairing_id).await?;
            p.writable()?;
            if viewer(access, &p)? != Viewer::Mentee {
                return Err(AppError::Forbidden);
            }
            // The cap is checked in the statement that creates, so two tabs cannot both slip under it.
            let res = access
                .db
                .query(
                    "IF count(SELECT id FROM goal WHERE pairing = type::record('pairing', $pairing)) >= $most {
                         THROW 'too many goals'
                     };
                     CREATE goal SET org = org:main, pairing = type::record('pairing', $pairing), cohort = type::record('cohort', $cohort),
                         mentee = type::record('user', $mentee), mentor = type::record('user', $mentor),
                         draft = $draft, step = $step, version = 1
                     RETURN VALUE record::id(id)",
                )
                .bind(("pairing", p.id.clone()))
                .bind(("cohort", p.row.cohort.clone()))
                .bind(("mentee", p.row.mentee.clone()))
                .bind(("mentor", p.row.mentor.clone()))
                .bind(("draft", draft_json))
                .bind(("step", step))
                .bind(("most", GOALS_PER_PAIR as i64))
                .await
                .and_then(checked);
            let mut res = match res {
                Err(e) if is_refusal(&e, "too many goals") => {
                    return Err(AppError::Conflict {
                        field: "goal".into(),
                        message: format!(
                            "A pair can have at most {GOALS_PER_PAIR} goals, so this one was not started."
                        ),
                    })
                }
                other => other?,
            };
            let ids: Vec<String> = res.take(1)?;
            ids.into_iter().next().ok_or(AppError::Internal)?
        }
        Some(id) => {
            let (g, p, who) = load(access, &id).await?;
            p.writable()?;
            if who != Viewer::Mentee {
                return Err(AppError::Forbidden);
            }
            if !g.status.editable() {
                return Err(AppError::field("goal", "Your mentor approved this goal; it can no longer be edited."));
            }
            if g.version != version {
                return Err(stale());
            }
            let mut res = access
                .db
                .query(
                    "UPDATE type::record('goal', $id) SET draft = $draft, step = $step, version += 1, updated_at = time::now()
                     WHERE version = $version RETURN VALUE version",
                )
                .bind(("id", g.id.clone()))
                .bind(("draft", draft_json))
                .bind(("step", step))
                .bind(("version", version))
                .await
                .and_then(checked)
                ?;
            let v: Vec<i64> = res.take(0)?;
            if v.is_empty() {
                return Err(stale());
            }
            g.id
        }
    };
    get(access, &id).await
}

/// Sends the goal to the mentor: every step must pass. The mentee only.
pub async fn submit(access: &Access, id: &str, version: i64) -> Result<Goal, AppError> {
    let (g, p, who) = load(access, id).await?;
    p.writable()?;
    if who != Viewer::Mentee {
        return Err(AppError::Forbidden);
    }
    if g.version != version {
        return Err(stale());
    }
    if !g.status.editable() {
        return Err(AppError::field("goal", "This goal was already approved."));
    }
    let draft: GoalDraft = serde_json::from_value(g.draft).unwrap_or_default();
    let errors = check_step(Step::Review, &draft, &p.context);
    if !errors.is_empty() {
        let _ = first_incomplete(&draft, &p.context);
        return Err(AppError::Validation(errors));
    }
    let milestones: Vec<Milestone> = draft
        .milestones
        .iter()
        .map(|m| Milestone {
            title: m.title.trim().to_string(),
            due: m.due.trim().to_string(),
            done: false,
            done_on: String::new(),
        })
        .collect();
    let note = format!(
        "{} sent you a goal to review: {}",
        p.row.mentee_name.clone().unwrap_or_default(),
        draft.specific.trim()
    );
    let audit = Audit::by(access, "sent a goal", p.row.cohort_name.clone().unwrap_or_default());
    let query = access.db.query(format!(
        "BEGIN;
         UPDATE type::record('goal', $id) SET status = 'submitted', skill = type::record('skill', $skill),
             milestones = $milestones, step = 7, version += 1, submitted_at = time::now(), updated_at = time::now()
             WHERE version = $version;
         CREATE notification SET org = org:main, user = type::record('user', $mentor), text = $note, link = $link;
         {AUDIT_STATEMENT}
         COMMIT;"
    ));
    audit
        .bind(query)
        .bind(("id", g.id.clone()))
        .bind(("skill", draft.skill_id.clone()))
        .bind(("milestones", serde_json::to_value(&milestones)?))
        .bind(("version", version))
        .bind(("mentor", p.row.mentor.clone()))
        .bind(("note", truncate(&note, 480)))
        .bind(("link", format!("/goals/{}", g.id)))
        .await
        .and_then(checked)?;
    after_write(access, &g.id, p, who).await
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

/// The mentor approves a sent goal.
pub async fn approve(access: &Access, id: &str, version: i64) -> Result<Goal, AppError> {
    let (g, p, who) = load(access, id).await?;
    p.writable()?;
    if who != Viewer::Mentor {
        return Err(AppError::Forbidden);
    }
    if g.version != version {
        return Err(stale());
    }
    if g.status != GoalStatus::Submitted {
        return Err(AppError::field("goal", "Only a goal that was sent for review can be approved."));
    }
    // A goal checked in at 100 % before approval is complete as soon as it is approved.
    let done = g.progress >= 100;
    let note = format!(
        "{} approved your goal{}.",
        p.row.mentor_name.clone().unwrap_or_default(),
        if done { " and it counts as completed" } else { "" }
    );
    access
        .db
        .query(
            "BEGIN;
             UPDATE type::record('goal', $id) SET completed_at = IF progress >= 100 { time::now() } ELSE { NONE },
                 status = IF progress >= 100 { 'completed' } ELSE { 'approved' }, approved_at = time::now(),
                 version += 1, updated_at = time::now() WHERE version = $version;
             CREATE notification SET org = org:main, user = type::record('user', $mentee), text = $note, link = $link;
             COMMIT;",
        )
        .bind(("id", g.id.clone()))
        .bind(("version", version))
        .bind(("mentee", p.row.mentee.clone()))
        .bind(("note", note))
        .bind(("link", format!("/goals/{}", g.id)))
        .await
        .and_then(checked)?;
    crate::domain::awards::server::evaluate_logged(&access.db, &p.id).await;
    after_write(access, &g.id, p, who).await
}

/// Comments, and check-ins, one person may write per minute (each notifies someone); the
/// `WRITES_PER_MINUTE` environment variable changes it.
pub const WRITES_PER_MINUTE: usize = 20;

fn writes_per_minute() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("WRITES_PER_MINUTE").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(WRITES_PER_MINUTE).max(1)
    })
}

/// A comment from the mentee, the mentor or an admin; the other side of the pair is notified.
pub async fn comment(access: &Access, id: &str, text: &str) -> Result<Goal, AppError> {
    let (g, p, who) = load(access, id).await?;
    p.writable()?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field("comment", "Write a comment first."));
    }
    let n = text.chars().count();
    if n > TEXT_MAX {
        return Err(AppError::field("comment", format!("Use at most {TEXT_MAX} characters (this has {n}).")));
    }
    let notify = match who {
        Viewer::Mentor => Some(p.row.mentee.clone()),
        Viewer::Mentee => Some(p.row.mentor.clone()),
        Viewer::Admin => None,
    };
    // Each comment notifies someone: a person writes at most this many a minute.
    crate::rate::allow("goal comment", &access.user().id, writes_per_minute(), Duration::from_secs(60))?;
    let note = format!("{} commented on a goal: {}", access.user().name, truncate(text, 200));
    access
        .db
        .query(
            "BEGIN;
             CREATE goal_comment SET org = org:main, goal = type::record('goal', $id), author = type::record('user', $me), role = $role, text = $text;
             IF $notify != NONE { CREATE notification SET org = org:main, user = type::record('user', $notify), text = $note, link = $link };
             COMMIT;",
        )
        .bind(("id", g.id.clone()))
        .bind(("me", access.user().id.clone()))
        .bind(("role", who.as_str()))
        .bind(("text", text.to_string()))
        .bind(("notify", notify))
        .bind(("note", note))
        .bind(("link", format!("/goals/{}", g.id)))
        .await
        .and_then(checked)
        ?;
    after_write(access, &g.id, p, who).await
}

/// A check-in on a sent or approved goal; the mentee only. Sets the goal's progress.
pub async fn checkin(access: &Access, input: CheckinInput) -> Result<Goal, AppError> {
    let (g, p, who) = load(access, input.goal_id.trim()).await?;
    p.writable()?;
    if who != Viewer::Mentee {
        return Err(AppError::Forbidden);
    }
    let c = input.validate().map_err(AppError::Validation)?;
    if g.status == GoalStatus::Draft {
        return Err(AppError::field("goal", "Send the goal to your mentor before checking in on it."));
    }
    crate::rate::allow("check-in", &access.user().id, writes_per_minute(), Duration::from_secs(60))?;
    // An approved goal checked in at 100 % is completed (and reopens if progress drops again);
    // a goal still waiting for approval completes when the mentor approves it. Decided in the
    // write itself, so an approval landing at the same moment is never undone.
    let draft: GoalDraft = serde_json::from_value(g.draft.clone()).unwrap_or_default();
    let note = format!(
        "{} completed a goal: {}",
        p.row.mentee_name.clone().unwrap_or_default(),
        truncate(draft.specific.trim(), 200)
    );
    access
        .db
        .query(
            "BEGIN;
             CREATE checkin SET org = org:main, goal = type::record('goal', $id), author = type::record('user', $me),
                 progress = $progress, note = $note, evidence = $evidence;
             LET $before = (SELECT VALUE status FROM ONLY type::record('goal', $id));
             LET $open = $before IN ['approved', 'completed'];
             UPDATE type::record('goal', $id) SET progress = $progress,
                 completed_at = IF $open AND $progress >= 100 { completed_at ?? time::now() } ELSE { NONE },
                 status = IF $open { IF $progress >= 100 { 'completed' } ELSE { 'approved' } } ELSE { status },
                 updated_at = time::now();
             IF $before = 'approved' AND $progress >= 100 {
                 CREATE notification SET org = org:main, user = type::record('user', $mentor), text = $done_note, link = $link
             };
             COMMIT;",
        )
        .bind(("id", g.id.clone()))
        .bind(("me", access.user().id.clone()))
        .bind(("progress", c.progress))
        .bind(("note", c.note))
        .bind(("evidence", c.evidence))
        .bind(("mentor", p.row.mentor.clone()))
        .bind(("done_note", note))
        .bind(("link", format!("/goals/{}", g.id)))
        .await
        .and_then(checked)
        ?;
    crate::domain::awards::server::evaluate_logged(&access.db, &p.id).await;
    after_write(access, &g.id, p, who).await
}

/// Ticks or unticks a milestone; the mentee only.
pub async fn set_milestone(access: &Access, id: &str, index: usize, done: bool) -> Result<Goal, AppError> {
    let (g, p, who) = load(access, id).await?;
    p.writable()?;
    if who != Viewer::Mentee {
        return Err(AppError::Forbidden);
    }
    let mut milestones: Vec<Milestone> = serde_json::from_value(g.milestones).unwrap_or_default();
    let Some(m) = milestones.get_mut(index) else {
        return Err(AppError::field("milestone", "That milestone no longer exists. Reload the page."));
    };
    m.done = done;
    m.done_on = if done { p.row.today.clone() } else { String::new() };
    access
        .db
        .query("UPDATE type::record('goal', $id) SET milestones = $milestones, updated_at = time::now()")
        .bind(("id", g.id.clone()))
        .bind(("milestones", serde_json::to_value(&milestones)?))
        .await
        .and_then(checked)?;
    after_write(access, &g.id, p, who).await
}

#[derive(SurrealValue)]
struct SummaryRow {
    id: String,
    mentee_name: Option<String>,
    draft: serde_json::Value,
    status: GoalStatus,
    progress: i64,
    milestones: serde_json::Value,
    skill_name: Option<String>,
    latest: Option<serde_json::Value>,
}

/// The caller's goals as mentee, and their mentees' sent goals as mentor.
pub async fn mine(db: &Db, user_id: &str) -> Result<Vec<GoalSummary>, AppError> {
    let fields = "record::id(id) AS id, mentee.name AS mentee_name, draft, status, progress, milestones,
        skill.name AS skill_name,
        { LET $g = $this.id; RETURN (SELECT note, time::format(created_at, '%Y-%m-%d') AS on, created_at FROM checkin WHERE goal = $g ORDER BY created_at DESC LIMIT 1)[0] } AS latest,
        created_at";
    let mut res = db
        .query(format!(
            "SELECT {fields} FROM goal WHERE mentee = type::record('user', $me) ORDER BY created_at;
             SELECT {fields} FROM goal WHERE mentor = type::record('user', $me) AND status != 'draft' ORDER BY created_at;"
        ))
        .bind(("me", user_id.to_string()))
        .await
        ?;
    let a: Vec<SummaryRow> = res.take(0)?;
    let b: Vec<SummaryRow> = res.take(1)?;
    Ok(a.into_iter()
        .map(|r| (r, true))
        .chain(b.into_iter().map(|r| (r, false)))
        .map(|(r, as_mentee)| {
            let draft: GoalDraft = serde_json::from_value(r.draft).unwrap_or_default();
            let milestones: Vec<Milestone> = serde_json::from_value(r.milestones).unwrap_or_default();
            let latest = r.latest.filter(|v| v.is_object()).map(|v| {
                (v["note"].as_str().unwrap_or_default().to_string(), v["on"].as_str().unwrap_or_default().to_string())
            });
            GoalSummary {
                id: r.id,
                mentee_name: r.mentee_name.unwrap_or_default(),
                skill_name: r.skill_name.unwrap_or_default(),
                specific: draft.specific,
                status: r.status,
                progress: r.progress,
                next_milestone: milestones.into_iter().find(|m| !m.done).map(|m| (m.title, m.due)),
                latest_checkin: latest,
                as_mentee,
            }
        })
        .collect())
}
