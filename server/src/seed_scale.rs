//! `seed-demo --scale large`: the demo organization plus a large history for the dashboards'
//! benchmark — 10 000 participants, 200 cohorts (closed and running, over two years), 7 000
//! pairs, about 10 000 goals, 50 000 check-ins, 20 000 meetings and 25 600 anonymous survey
//! responses of four answers each (102 400 answers). Deterministic (a fixed-seed generator), so
//! two runs measure the same data. The people cannot sign in (no usable password).

use app::db::{checked, Db};
use app::domain::surveys::templates::Template;
use app::validate::date_of_day;

use crate::seed::SeedError;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// People.
    pub people: usize,
    /// Cohorts.
    pub cohorts: usize,
    /// Pairs.
    pub pairs: usize,
    /// Goals.
    pub goals: usize,
    /// Check-ins.
    pub checkins: usize,
    /// Meetings.
    pub meetings: usize,
    /// Survey responses.
    pub responses: usize,
    /// Survey answers (responses × questions answered).
    pub answers: usize,
}

const COHORTS: usize = 200;
const MENTEES_PER_COHORT: usize = 35;
const MENTORS_PER_COHORT: usize = 15;
const APPLICANTS_EXTRA: usize = 5;
const SURVEYS_PER_COHORT: usize = 4;
const RESPONSES_PER_SURVEY: usize = 32;
const DEPARTMENTS: [&str; 8] =
    ["Engineering", "Product", "Design", "Sales", "Marketing", "Operations", "Finance", "People"];

/// A small fixed-seed generator (xorshift), so two runs make the same data; the load bench
/// uses it too, so its virtual users ask for the same things in two runs.
pub struct Rng(pub u64);

impl Rng {
    /// The next number below `k` (0 when `k` is 0).
    pub fn below(&mut self, k: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % k.max(1)
    }
}

fn at(day: i64) -> String {
    format!("{}T12:00:00Z", date_of_day(day))
}

/// Runs `sql` once per batch of `rows` (bound as `$rows`), so no single query grows huge.
async fn batched(db: &Db, sql: &str, rows: Vec<serde_json::Value>) -> Result<(), SeedError> {
    for chunk in rows.chunks(2_000) {
        db.query(sql).bind(("rows", serde_json::Value::Array(chunk.to_vec()))).await.and_then(checked)?;
    }
    Ok(())
}

/// Adds the large history to a database that holds the demo organization.
pub async fn seed_large(db: &Db) -> Result<Counts, SeedError> {
    let mut res = db.query("SELECT VALUE record::id(id) FROM program LIMIT 1").await?;
    let program: Option<String> = res.take::<Vec<String>>(0)?.into_iter().next();
    let program = program.ok_or_else(|| SeedError::Input("seed the demo organization first".into()))?;
    let today = app::validate::unix_now().div_euclid(86_400);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut c = Counts::default();
    let design =
        serde_json::to_value(Template::MentorEffectiveness.design()).map_err(|e| SeedError::Input(e.to_string()))?;

    let (
        mut users,
        mut cohorts,
        mut apps,
        mut pairs,
        mut goals,
        mut checkins,
        mut meetings,
        mut surveys,
        mut responses,
    ) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut person = 0usize;
    for k in 0..COHORTS {
        // Starts spread over the last two years; six months long; the older ones are closed.
        let starts = today - 720 + (k as i64 * 690 / COHORTS as i64);
        let ends = starts + 182;
        let closed = ends < today;
        let approach = ["coaching", "peer", "politics"][k % 3];
        let cadence = ["weekly", "biweekly", "monthly"][k % 3];
        let cohort = format!("lgc{k}");
        cohorts.push(serde_json::json!({
            "key": cohort, "name": format!("Large cohort {k:03}"), "starts": at(starts), "ends": at(ends),
            "status": if closed { "closed" } else { "running" }, "approach": approach,
            "cadence": cadence,
        }));
        let mut mentors = Vec::new();
        for _ in 0..MENTORS_PER_COHORT {
            let key = format!("lgu{person}");
            person += 1;
            users.push(serde_json::json!({
                "key": key, "email": format!("{key}@large.example"), "name": format!("Mentor {key}"),
                "department": DEPARTMENTS[rng.below(8) as usize], "level": 6 + rng.below(4) as i64, "role": "mentor",
            }));
            mentors.push(key);
        }
        for m in 0..MENTEES_PER_COHORT + APPLICANTS_EXTRA {
            let key = format!("lgu{person}");
            person += 1;
            users.push(serde_json::json!({
                "key": key, "email": format!("{key}@large.example"), "name": format!("Mentee {key}"),
                "department": DEPARTMENTS[rng.below(8) as usize], "level": 2 + rng.below(4) as i64, "role": "mentee",
            }));
            let matched = m < MENTEES_PER_COHORT;
            apps.push(serde_json::json!({
                "cohort": cohort, "user": key, "eligible": matched || m % 2 == 0,
                "status": if matched { "approved" } else { "rejected" },
            }));
            if !matched {
                continue;
            }
            let pair = format!("lgp{}", pairs.len());
            let started = starts + 7;
            let until = ends.min(today);
            let ended = (m == 0 && k % 4 == 0).then(|| started + 40);
            pairs.push(serde_json::json!({
                "key": pair, "cohort": cohort, "mentee": key, "mentor": mentors[m % MENTORS_PER_COHORT],
                "created": at(started), "ended": ended.map(at),
            }));
            let last = ended.unwrap_or(until);
            let span = (last - started).max(1) as u64;
            // About three meetings a pair (fewer in young cohorts), on days within its life.
            for _ in 0..(1 + rng.below(5)).min(span / 7 + 1) {
                meetings.push(serde_json::json!({
                    "pair": pair, "on": at(started + rng.below(span) as i64), "minutes": 30 + 15 * rng.below(4) as i64,
                    "by": key,
                }));
            }
            // One or two goals; about five check-ins each; some completed.
            for g in 0..1 + rng.below(2) + u64::from(m % 5 == 0) {
                let goal = format!("lgg{}", goals.len());
                let done = rng.below(3) == 0 || (closed && rng.below(2) == 0);
                let completed = done.then(|| started + 20 + rng.below(span.saturating_sub(20).max(1)) as i64);
                let ms = vec![
                    serde_json::json!({ "title": "First step", "due": date_of_day(started + 30), "done": completed.is_some() || g == 0,
                        "done_on": date_of_day((started + 25).min(last)) }),
                    serde_json::json!({ "title": "Half-way", "due": date_of_day(started + 90), "done": completed.is_some(),
                        "done_on": completed.map(date_of_day).unwrap_or_default() }),
                ];
                goals.push(serde_json::json!({
                    "key": goal, "pair": pair, "status": if done { "completed" } else { "approved" },
                    "progress": if done { 100 } else { 10 * rng.below(9) as i64 }, "milestones": ms,
                    "submitted": at(started + 3), "approved": at(started + 5), "completed": completed.map(at),
                }));
                for _ in 0..3 + rng.below(4) {
                    checkins.push(serde_json::json!({
                        "goal": goal, "by": key, "at": at(started + 5 + rng.below(span.saturating_sub(5).max(1)) as i64),
                        "progress": 10 * rng.below(10) as i64,
                    }));
                }
            }
        }
        // Surveys: monthly rounds of mentor effectiveness, each answered by 32 mentees.
        let series = format!("lgs{k}_0");
        for round in 0..SURVEYS_PER_COHORT {
            let survey = format!("lgs{k}_{round}");
            let opened = starts + 30 * (round as i64 + 1);
            if opened > today {
                break;
            }
            surveys.push(serde_json::json!({
                "key": survey, "cohort": cohort, "series": series, "round": round + 1, "opened": at(opened),
                "closes": at(opened + 14), "status": if opened + 14 < today { "closed" } else { "open" },
            }));
            for _ in 0..RESPONSES_PER_SURVEY {
                let v = |rng: &mut Rng| 2 + rng.below(4) as i64;
                responses.push(serde_json::json!({
                    "survey": survey, "department": DEPARTMENTS[rng.below(8) as usize], "level": 2 + rng.below(4) as i64,
                    "day": date_of_day(opened + rng.below(14) as i64),
                    "answers": { "q1": { "scale": v(&mut rng) }, "q2": { "scale": v(&mut rng) }, "q3": { "scale": v(&mut rng) },
                        "q4": { "text": "Helpful sessions." } },
                }));
            }
        }
    }
    c.people = users.len();
    c.cohorts = cohorts.len();
    c.pairs = pairs.len();
    c.goals = goals.len();
    c.checkins = checkins.len();
    c.meetings = meetings.len();
    c.responses = responses.len();
    c.answers = responses.len() * 4;
    tracing::info!(?c, "seeding the large organization");

    batched(
        db,
        "FOR $u IN $rows {
            CREATE type::record('user', $u.key) SET org = org:main, email = $u.email, name = $u.name,
                password_hash = '$argon2id$v=19$m=19456,t=2,p=1$bGFyZ2U$not-a-real-hash', roles = [$u.role],
                department = $u.department, level = $u.level;
         };",
        users,
    )
    .await?;
    db.query(
        "FOR $c IN $rows {
            CREATE type::record('cohort', $c.key) SET org = org:main, program = type::record('program', $program),
                name = $c.name, starts = <datetime> $c.starts, ends = <datetime> $c.ends, status = $c.status, version = 1,
                strategy_tags = { approach: $c.approach, matching_mode: 'optimal', meeting_cadence: $c.cadence, workshop_format: 'remote' };
         };",
    )
    .bind(("rows", serde_json::Value::Array(cohorts)))
    .bind(("program", program))
    .await
    .and_then(checked)?;
    batched(
        db,
        "FOR $a IN $rows {
            CREATE application SET org = org:main, cohort = type::record('cohort', $a.cohort), user = type::record('user', $a.user),
                side = 'mentee', answers = {}, eligible = $a.eligible, status = $a.status, version = 1;
         };",
        apps,
    )
    .await?;
    batched(
        db,
        "FOR $p IN $rows {
            CREATE type::record('pairing', $p.key) SET org = org:main, cohort = type::record('cohort', $p.cohort),
                mentee = type::record('user', $p.mentee), mentor = type::record('user', $p.mentor), score = 70,
                created_at = <datetime> $p.created, status = IF $p.ended THEN 'ended' ELSE 'published' END,
                ended_at = IF $p.ended THEN <datetime> $p.ended END, end_reason = IF $p.ended THEN 'Not a fit' END;
         };",
        pairs,
    )
    .await?;
    batched(
        db,
        "FOR $g IN $rows {
            LET $p = type::record('pairing', $g.pair);
            CREATE type::record('goal', $g.key) SET org = org:main, pairing = $p, cohort = $p.cohort, mentee = $p.mentee,
                mentor = $p.mentor, status = $g.status, progress = $g.progress, milestones = $g.milestones,
                draft = { specific: 'Lead the team planning meeting' }, step = 7,
                submitted_at = <datetime> $g.submitted, approved_at = <datetime> $g.approved,
                completed_at = IF $g.completed THEN <datetime> $g.completed END;
         };",
        goals,
    )
    .await?;
    batched(
        db,
        "FOR $c IN $rows {
            CREATE checkin SET org = org:main, goal = type::record('goal', $c.goal), author = type::record('user', $c.by),
                progress = $c.progress, note = 'Progress this week.', created_at = <datetime> $c.at;
         };",
        checkins,
    )
    .await?;
    batched(
        db,
        "FOR $m IN $rows {
            CREATE meeting SET org = org:main, pairing = type::record('pairing', $m.pair), on = <datetime> $m.on,
                minutes = $m.minutes, topics = 'Delegation and feedback', created_by = type::record('user', $m.by);
         };",
        meetings,
    )
    .await?;
    db.query(
        "FOR $s IN $rows {
            CREATE type::record('survey', $s.key) SET org = org:main, cohort = type::record('cohort', $s.cohort),
                title = 'Mentor effectiveness', design = $design, audience = 'mentees', anonymous = true, min_group = 5,
                status = $s.status, opens_at = <datetime> $s.opened, opened_at = <datetime> $s.opened,
                closes_at = <datetime> $s.closes, series = $s.series, round = $s.round, invited = 35, version = 1;
         };",
    )
    .bind(("rows", serde_json::Value::Array(surveys)))
    .bind(("design", design))
    .await
    .and_then(checked)?;
    batched(
        db,
        "FOR $r IN $rows {
            CREATE survey_response SET org = org:main, survey = type::record('survey', $r.survey), side = 'mentee',
                department = $r.department, level = $r.level, day = $r.day, answers = $r.answers;
         };",
        responses,
    )
    .await?;
    Ok(c)
}
