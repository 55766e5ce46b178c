//! The demo's history: two closed cohorts of the demo program before the running one, so the
//! dashboards, objectives and (later) retrospectives have something real to show at first start.
//! "Autumn 2025" ran with peer mentoring and monthly meetings, "Spring 2026" with coaching every
//! two weeks; eleven pairs each, from the demo people without a memorable login (so the five demo
//! accounts' own pages stay as the README describes them). Each pair has its meetings, goals,
//! milestones and check-ins, a workshop seat, awards for two completed goals, and pre/post skill
//! ratings; each cohort has a closed, anonymous "Mentor effectiveness" survey. Deterministic.
//!
//! HR outcomes for the retrospectives' retention and promotion comparison: six eligible
//! applicants per cohort were not matched (the cohort was full; they have no demo login and the
//! five who left are deactivated), and some mentees and applicants left or were promoted.

use app::db::{checked, Db};
use app::domain::surveys::templates::Template;
use app::validate::{date_of_day, day_number};

use crate::seed::SeedError;

/// (cohort key, name, first day, last day, approach tag, cadence tag, meetings a pair in a month).
const COHORTS: [(&str, &str, &str, &str, &str, &str); 2] = [
    ("autumn2025", "Autumn 2025", "2025-09-01", "2026-02-27", "peer", "monthly"),
    ("spring2026", "Spring 2026", "2026-03-02", "2026-08-28", "coaching", "biweekly"),
];

/// Mentees (email local parts) of each cohort, and the mentors they had.
const MENTEES: [[&str; 11]; 2] = [
    [
        "liam.oconnor",
        "zoe.nunez",
        "mei.chen",
        "ravi.patel",
        "ethan.clarke",
        "kwame.mensah",
        "diego.hernandez",
        "mohammed.alfarsi",
        "benjamin.lee",
        "laura.martin",
        "kevin.murphy",
    ],
    [
        "fatima.haddad",
        "lucas.silva",
        "chloe.dubois",
        "isabella.costa",
        "emily.davies",
        "carlos.mendes",
        "olga.ivanova",
        "jonas.berg",
        "leila.karimi",
        "noah.schmidt",
        "yuki.sato",
    ],
];
const MENTORS: [&str; 6] =
    ["grace.okafor", "daniel.kim", "sofia.rossi", "amara.nwosu", "sarah.johnson", "samuel.adeyemi"];

fn at(day: i64) -> String {
    format!("{}T10:00:00Z", date_of_day(day))
}

/// Adds the two closed cohorts to the demo organization.
pub async fn seed(db: &Db) -> Result<(), SeedError> {
    let design =
        serde_json::to_value(Template::MentorEffectiveness.design()).map_err(|e| SeedError::Input(e.to_string()))?;
    let mut rng = 0x51f1_5eedu64;
    let mut next = move |k: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % k.max(1)
    };
    let (mut cohorts, mut pairs, mut meetings, mut goals, mut checkins, mut responses, mut ratings) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (c, (key, name, starts, ends, approach, cadence)) in COHORTS.iter().enumerate() {
        let (s, e) = (day_number(starts).unwrap_or(0), day_number(ends).unwrap_or(0));
        let rejected: Vec<String> = MENTEES[1 - c][..2].iter().map(|m| format!("{m}@northwind.example")).collect();
        cohorts.push(serde_json::json!({
            "key": key, "name": name, "starts": at(s), "ends": at(e), "approach": approach, "cadence": cadence,
            // Two applicants who were not taken this round (each took part in the other cohort).
            "rejected": rejected,
        }));
        // Coaching every two weeks met more, and grew more, than peer mentoring monthly.
        let (meet_every, growth) = if *cadence == "biweekly" { (16, 2) } else { (30, 1) };
        for (i, mentee) in MENTEES[c].iter().enumerate() {
            let pair = format!("hist_{key}_{i}");
            let mentor = MENTORS[(i + c) % MENTORS.len()];
            let start = s + 5;
            // One pair of the first cohort ended early after a "not a fit".
            let ended = (c == 0 && i == 10).then_some(start + 35);
            let last = ended.unwrap_or(e - 3);
            pairs.push(serde_json::json!({
                "key": pair, "cohort": key, "mentee": format!("{mentee}@northwind.example"),
                "mentor": format!("{mentor}@northwind.example"), "created": at(start), "ended": ended.map(at),
            }));
            let mut d = start + 2 + next(6) as i64;
            while d < last {
                meetings.push(serde_json::json!({ "pair": pair, "on": at(d), "minutes": 30 + 15 * next(3) as i64 }));
                d += meet_every + next(10) as i64 - 4;
            }
            let n_goals = 1 + next(3) as usize;
            for g in 0..n_goals {
                let goal = format!("{pair}_g{g}");
                let done = ended.is_none() && (g == 0 || next(3) > 0);
                let completed = start + 40 + 30 * g as i64 + next(40) as i64;
                let completed = done.then_some(completed.min(last));
                goals.push(serde_json::json!({
                    "key": goal, "pair": pair, "status": if done { "completed" } else { "approved" },
                    "progress": if done { 100 } else { 20 + 10 * next(5) as i64 },
                    "milestones": [
                        { "title": "First step taken", "due": date_of_day(start + 30), "done": true, "done_on": date_of_day(start + 20 + next(15) as i64) },
                        { "title": "Half-way review", "due": date_of_day(start + 90), "done": done, "done_on": completed.map(date_of_day).unwrap_or_default() },
                    ],
                    "created": at(start + 3), "submitted": at(start + 6), "approved": at(start + 8), "completed": completed.map(at),
                }));
                let mut d = start + 12;
                while d < completed.unwrap_or(last) {
                    checkins.push(serde_json::json!({ "goal": goal, "at": at(d), "progress": 20 + next(60) as i64 }));
                    d += 18 + next(20) as i64;
                }
            }
            // Pre and post ratings on three of the program's skills (the mentee and the mentor).
            if ended.is_none() {
                for (phase, day) in [("pre", start + 10), ("post", e - 5)] {
                    for rater in ["mentee", "mentor"] {
                        let base = 2 + next(2) as i64;
                        let lift =
                            if phase == "post" { growth + next(2) as i64 - i64::from(rater == "mentor") } else { 0 };
                        ratings.push(serde_json::json!({
                            "pair": pair, "phase": phase, "rater": rater, "at": at(day),
                            "scores": [(base + lift).clamp(1, 5), (base + 1 + lift / 2).clamp(1, 5), (base + lift).clamp(1, 5)],
                        }));
                    }
                }
            }
            // Nine of eleven answered the cohort's end-of-program effectiveness survey.
            if i < 9 {
                let v = |x: u64| (2 + growth as u64 + x).min(5) as i64;
                responses.push(serde_json::json!({
                    "survey": format!("hist_{key}_eff"), "day": date_of_day(e - 10 + next(8) as i64),
                    "department": "", "level": serde_json::Value::Null,
                    "answers": { "q1": { "scale": v(next(2)) }, "q2": { "scale": v(next(2)) }, "q3": { "scale": v(next(3)) } },
                }));
            }
        }
    }
    db.query(
        "LET $program = (SELECT VALUE id FROM program LIMIT 1)[0];
         LET $who = |$email: string| (SELECT VALUE id FROM user WHERE email = $email)[0];
         LET $skills = $program.skills;
         FOR $c IN $cohorts {
            LET $cohort = type::record('cohort', $c.key);
            CREATE $cohort SET org = org:main, program = $program, name = $c.name, starts = <datetime> $c.starts,
                ends = <datetime> $c.ends, status = 'closed', version = 1, inactive_days = 21,
                strategy_tags = { approach: $c.approach, matching_mode: 'optimal', meeting_cadence: $c.cadence, workshop_format: 'remote' };
            CREATE type::record('survey', 'hist_' + $c.key + '_eff') SET org = org:main, cohort = $cohort,
                title = 'Mentor effectiveness', design = $design, audience = 'mentees', anonymous = true, min_group = 5,
                status = 'closed', opens_at = <datetime> $c.ends - 14d, opened_at = <datetime> $c.ends - 14d,
                closes_at = <datetime> $c.ends + 7d, closed_at = <datetime> $c.ends + 7d,
                series = 'hist_' + $c.key + '_eff', round = 1, invited = 11, version = 1;
            FOR $r IN $c.rejected {
                CREATE application SET org = org:main, cohort = $cohort, user = $who($r), side = 'mentee', answers = {},
                    eligible = true, status = 'rejected', decision_reason = 'The cohort was full; you are first in line for the next one.', version = 1;
            };
         };
         FOR $p IN $pairs {
            LET $cohort = type::record('cohort', $p.cohort);
            LET $mentee = $who($p.mentee);
            CREATE application SET org = org:main, cohort = $cohort, user = $mentee, side = 'mentee', answers = {},
                eligible = true, status = 'approved', version = 1;
            CREATE type::record('pairing', $p.key) SET org = org:main, cohort = $cohort, mentee = $mentee, mentor = $who($p.mentor),
                score = 75, created_at = <datetime> $p.created, status = IF $p.ended THEN 'ended' ELSE 'published' END,
                ended_at = IF $p.ended THEN <datetime> $p.ended END,
                end_reason = IF $p.ended THEN 'Our schedules never matched; both asked for a change.' END;
            CREATE type::record('workshop_seat', $p.key + '_w0') SET org = org:main, pairing = type::record('pairing', $p.key),
                workshop = 'w0', rsvp = 'going', attended = !$p.ended;
         };
         FOR $m IN $meetings {
            LET $pair = type::record('pairing', $m.pair);
            CREATE meeting SET org = org:main, pairing = $pair, on = <datetime> $m.on, minutes = $m.minutes,
                topics = 'Goals, a situation from work, next steps', notes = '', created_by = $pair.mentee;
         };
         FOR $g IN $goals {
            LET $pair = type::record('pairing', $g.pair);
            CREATE type::record('goal', $g.key) SET org = org:main, pairing = $pair, cohort = $pair.cohort, mentee = $pair.mentee,
                mentor = $pair.mentor, skill = $skills[0], step = 7, status = $g.status, progress = $g.progress, version = 3,
                draft = { skill_id: record::id($skills[0]), specific: \"Run my team's weekly planning and give feedback in every one-to-one\",
                    measurable: 'Eight plannings led', achievable: 'My manager hands them over', relevant: 'I lead the team next year',
                    deadline: '', milestones: [] },
                milestones = $g.milestones, created_at = <datetime> $g.created, submitted_at = <datetime> $g.submitted,
                approved_at = <datetime> $g.approved, completed_at = IF $g.completed THEN <datetime> $g.completed END;
         };
         FOR $c IN $checkins {
            LET $goal = type::record('goal', $c.goal);
            CREATE checkin SET org = org:main, goal = $goal, author = $goal.mentee, progress = $c.progress,
                note = 'Steady progress; one hard conversation went well.', evidence = '', created_at = <datetime> $c.at;
         };
         FOR $r IN $ratings {
            LET $pair = type::record('pairing', $r.pair);
            CREATE assessment SET org = org:main, pairing = $pair, cohort = $pair.cohort, mentee = $pair.mentee,
                rated_by = IF $r.rater = 'mentee' THEN $pair.mentee ELSE $pair.mentor END, phase = $r.phase, rater = $r.rater,
                ratings = [
                    { skill: $skills[0], score: $r.scores[0] }, { skill: $skills[1], score: $r.scores[1] }, { skill: $skills[2], score: $r.scores[2] }
                ], version = 1, updated_at = <datetime> $r.at;
         };
         FOR $r IN $responses {
            CREATE survey_response SET org = org:main, survey = type::record('survey', $r.survey), side = 'mentee',
                department = $r.department, level = $r.level ?? NONE, day = $r.day, answers = $r.answers;
         };",
    )
    .bind(("cohorts", serde_json::Value::Array(cohorts)))
    .bind(("pairs", serde_json::Value::Array(pairs)))
    .bind(("meetings", serde_json::Value::Array(meetings)))
    .bind(("goals", serde_json::Value::Array(goals)))
    .bind(("checkins", serde_json::Value::Array(checkins)))
    .bind(("ratings", serde_json::Value::Array(ratings)))
    .bind(("responses", serde_json::Value::Array(responses)))
    .bind(("design", design))
    .await
    .and_then(checked)?;
    // Awards as the reward rules give them: two completed goals earn the program's badge.
    db.query(
        "FOR $p IN (SELECT VALUE id FROM pairing WHERE string::starts_with(record::id(id), 'hist_')) {
            LET $done = (SELECT completed_at FROM goal WHERE pairing = $p AND status = 'completed' ORDER BY completed_at);
            IF array::len($done) >= 2 {
                CREATE award SET org = org:main, pairing = $p, mentee = $p.mentee, reward = 'r1',
                    name = 'First goal reached', kind = 'badge', awarded_at = $done[1].completed_at;
            };
         };",
    )
    .await
    .and_then(checked)?;
    // The autumn cohort's retrospective, and its lesson applied when spring opened: the demo shows
    // the loop from the first start.
    db.query(
        "LET $admin = (SELECT VALUE id FROM user WHERE email = 'admin@northwind.example')[0];
         FOR $n IN $notes {
             LET $note = CREATE ONLY type::record('retro_note', $n.key) SET org = org:main,
                 cohort = type::record('cohort', $n.cohort), kind = $n.kind, text = $n.text, tag = $n.tag,
                 metric = $n.metric, created_by = $admin, updated_by = $admin,
                 created_at = <datetime> $n.at, updated_at = <datetime> $n.at;
             CREATE retro_note_change SET org = org:main, note = $note.id, cohort = $note.cohort, action = 'added',
                 kind = $n.kind, text = $n.text, by = $admin, at = <datetime> $n.at;
         };
         CREATE carry_forward:spring2026_hist_note_3 SET org = org:main, cohort = cohort:spring2026,
             note = retro_note:hist_note_3, decision = 'applied',
             detail = 'Meeting cadence: every two weeks; mentors chose the approach: coaching',
             decided_by = $admin, decided_at = <datetime> '2026-02-20T09:00:00Z';",
    )
    .bind((
        "notes",
        serde_json::json!([
            { "key": "hist_note_1", "cohort": "autumn2025", "kind": "worked", "tag": "", "metric": "first_meeting",
              "text": "Pairs that met in the first two weeks kept going to the end.", "at": "2026-03-02T10:00:00Z" },
            { "key": "hist_note_2", "cohort": "autumn2025", "kind": "didnt", "tag": "meeting_cadence", "metric": "meetings_per_month",
              "text": "Monthly meetings let momentum drop between sessions; several pairs went quiet in December.", "at": "2026-03-02T10:05:00Z" },
            { "key": "hist_note_3", "cohort": "autumn2025", "kind": "change", "tag": "meeting_cadence", "metric": "meetings_per_month",
              "text": "Meet every two weeks, not monthly.", "at": "2026-03-02T10:10:00Z" },
            { "key": "hist_note_4", "cohort": "spring2026", "kind": "worked", "tag": "approach", "metric": "skill_growth",
              "text": "Coaching with a session agenda gave mentees clearer goals; skill growth was higher.", "at": "2026-09-04T10:00:00Z" },
            { "key": "hist_note_5", "cohort": "spring2026", "kind": "change", "tag": "workshop_format", "metric": "workshops",
              "text": "Hold the workshops in person: remote sessions were skipped more often.", "at": "2026-09-04T10:05:00Z" },
        ]),
    ))
    .await
    .and_then(checked)?;
    seed_hr(db).await?;
    Ok(())
}

/// Eligible applicants each closed cohort did not match: (cohort, first, last, department,
/// title, level, hired on, left on, promoted on).
type Applicant = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
);
const NOT_MATCHED: [Applicant; 12] = [
    ("autumn2025", "Rosa", "Jiménez", "Sales", "Account Executive", 3, "2021-02-01", "2026-01-15", ""),
    ("autumn2025", "Tariq", "Aziz", "Engineering", "Software Engineer", 3, "2020-06-01", "2026-06-30", ""),
    ("autumn2025", "Anjali", "Nair", "Product", "Product Analyst", 3, "2022-03-14", "", ""),
    ("autumn2025", "Marta", "Nowak", "Operations", "Operations Analyst", 4, "2021-09-06", "", "2026-07-01"),
    ("autumn2025", "Felix", "Wagner", "Finance", "Accountant", 3, "2019-11-04", "", ""),
    ("autumn2025", "Aisha", "Bello", "Customer Success", "Support Specialist", 2, "2022-08-01", "2026-08-14", ""),
    ("spring2026", "Hugo", "Laurent", "Design", "Designer", 3, "2021-05-03", "2026-07-20", ""),
    ("spring2026", "Nora", "Lindqvist", "Marketing", "Marketing Specialist", 3, "2020-10-12", "", ""),
    ("spring2026", "Omar", "Khalil", "Engineering", "DevOps Engineer", 5, "2019-04-01", "", "2026-06-15"),
    ("spring2026", "Beatriz", "Santos", "People", "Recruiter", 3, "2022-01-10", "2026-05-29", ""),
    ("spring2026", "Ken", "Watanabe", "Product", "Product Owner", 4, "2018-09-03", "", ""),
    ("spring2026", "Clara", "Fischer", "Finance", "Payroll Specialist", 2, "2023-02-06", "", ""),
];

/// Mentees of the closed cohorts promoted since: (email local part, promoted on).
const PROMOTED: [(&str, &str); 5] = [
    ("mohammed.alfarsi", "2026-02-02"),
    ("ravi.patel", "2026-04-01"),
    ("laura.martin", "2026-08-03"),
    ("olga.ivanova", "2026-06-01"),
    ("chloe.dubois", "2026-07-01"),
];

/// The applicants not matched, and the HR outcomes of applicants and mentees.
async fn seed_hr(db: &Db) -> Result<(), SeedError> {
    let hash = crate::seed::futures_hashes(1).await?.remove(0);
    let applicants: Vec<serde_json::Value> = NOT_MATCHED
        .iter()
        .map(|(cohort, first, last, department, title, level, hired, left, promoted)| {
            let slug = |s: &str| {
                s.to_lowercase()
                    .replace(['é', 'è'], "e")
                    .replace('í', "i")
                    .replace(|c: char| !c.is_ascii_alphabetic(), "")
            };
            let date = |d: &str| (!d.is_empty()).then(|| format!("{d}T00:00:00Z"));
            serde_json::json!({
                "cohort": cohort, "name": format!("{first} {last}"),
                "email": format!("{}.{}@northwind.example", slug(first), slug(last)),
                "department": department, "title": title, "level": level,
                "hired": date(hired), "left": date(left), "promoted": date(promoted),
                "new_level": (!promoted.is_empty()).then_some(level),
            })
        })
        .collect();
    let promoted: Vec<serde_json::Value> = PROMOTED
        .iter()
        .map(|(who, on)| serde_json::json!({ "email": format!("{who}@northwind.example"), "on": format!("{on}T00:00:00Z") }))
        .collect();
    db.query(
        "FOR $a IN $applicants {
            LET $user = CREATE ONLY user SET org = org:main, email = $a.email, name = $a.name, roles = ['mentee'],
                department = $a.department, title = $a.title, level = $a.level, password_hash = $hash,
                must_change_password = true, active = !$a.left,
                hired_on = <datetime> $a.hired, left_on = IF $a.left THEN <datetime> $a.left END,
                promoted_on = IF $a.promoted THEN <datetime> $a.promoted END, new_level = $a.new_level ?? NONE;
            CREATE application SET org = org:main, cohort = type::record('cohort', $a.cohort), user = $user.id,
                side = 'mentee', answers = {}, eligible = true, status = 'rejected', version = 1,
                decision_reason = 'The cohort was full; you are first in line for the next one.';
         };
         FOR $p IN $promoted {
            UPDATE user SET promoted_on = <datetime> $p.on, new_level = level WHERE email = $p.email;
         };",
    )
    .bind(("applicants", serde_json::Value::Array(applicants)))
    .bind(("promoted", serde_json::Value::Array(promoted)))
    .bind(("hash", hash))
    .await
    .and_then(checked)?;
    Ok(())
}
