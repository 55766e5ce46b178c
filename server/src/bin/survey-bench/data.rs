//! The bench's data: participants in published pairs, surveys opened with the services, and
//! plausible answers and responses (deterministic, so every run measures the same thing).

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::db::{checked, Db};
use app::domain::auth::server::{hash_password, Access, AuthSettings};
use app::domain::auth::types::{Role, SessionUser};
use app::domain::surveys::report::ResponseRow;
use app::domain::surveys::server as surveys;
use app::domain::surveys::templates::Template;
use app::domain::surveys::types::{
    Answer, Answers, Audience, Measure, Question, QuestionKind, Schedule, ScheduleKind, SurveyDesign, SurveyStatus,
};
use server::seed;
use surrealdb::types::{SurrealValue, Value};

use crate::err;

/// A small deterministic generator (xorshift), so every run measures the same data.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn below(&mut self, k: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % k.max(1)
    }
}
/// The demo admin, as the services see a signed-in admin.
pub(crate) async fn admin(db: &Db) -> Result<Access, String> {
    let email = format!("admin@{}", seed::DEMO_DOMAIN);
    let mut res = db.query("SELECT VALUE record::id(id) FROM user WHERE email = $e").bind(("e", email.clone())).await;
    let ids: Vec<String> = res.as_mut().map_err(err)?.take(0).map_err(err)?;
    let id = ids.into_iter().next().ok_or("the demo admin is missing")?;
    let user =
        SessionUser { id, email, name: "Bench admin".into(), roles: vec![Role::Admin], must_change_password: false };
    Ok(Access {
        db: db.clone(),
        settings: Arc::new(AuthSettings::default()),
        user: Some(user),
        session_hash: None,
        ip: "127.0.0.1".into(),
        user_agent: "survey-bench".into(),
        secure: false,
    })
}

const DEPARTMENTS: [&str; 6] = ["Engineering", "Sales", "Operations", "Marketing", "Finance", "People"];

/// A running cohort of the demo program with `users` participants (keys `{tag}{i}`, emails
/// `{tag}{i}@survey-bench.example`) in published pairs, three mentees to a mentor. Returns the
/// cohort's key and the participants' (key, email).
pub(crate) async fn seed_cohort(db: &Db, tag: &str, users: usize) -> Result<(String, Vec<(String, String)>), String> {
    let hash = hash_password(seed::DEMO_PASSWORD.into()).await.map_err(err)?;
    let mentors = users / 4;
    let mentees = users - mentors;
    let people: Vec<(String, String)> =
        (0..users).map(|i| (format!("{tag}{i}"), format!("{tag}{i}@survey-bench.example"))).collect();
    let rows: Vec<serde_json::Value> = people
        .iter()
        .enumerate()
        .map(|(i, (key, email))| {
            serde_json::json!({ "key": key, "email": email, "name": format!("Bench person {i}"),
                "role": if i >= mentees { "mentor" } else { "mentee" },
                "department": DEPARTMENTS[i % DEPARTMENTS.len()], "level": 2 + (i % 7) as i64 })
        })
        .collect();
    let pairs: Vec<serde_json::Value> = (0..mentees)
        .map(|i| serde_json::json!({ "mentee": people[i].0, "mentor": people[mentees + i % mentors.max(1)].0 }))
        .collect();
    let mut res = db
        .query(
            "LET $cohort = (CREATE ONLY cohort SET org = org:main, program = (SELECT VALUE id FROM program LIMIT 1)[0],
                 name = $name, starts = time::now() - 30d, ends = time::now() + 150d, status = 'running', version = 0).id;
             FOR $p IN $people {
                 CREATE type::record('user', $p.key) SET org = org:main, email = $p.email, name = $p.name,
                     password_hash = $hash, roles = [$p.role], department = $p.department, level = $p.level;
             };
             FOR $p IN $pairs {
                 CREATE pairing SET org = org:main, cohort = $cohort, mentee = type::record('user', $p.mentee),
                     mentor = type::record('user', $p.mentor), score = 70, status = 'published';
             };
             RETURN record::id($cohort);",
        )
        .bind(("name", format!("Bench {tag}")))
        .bind(("people", rows))
        .bind(("pairs", pairs))
        .bind(("hash", hash))
        .await
        .and_then(checked)
        .map_err(err)?;
    let cohort: Option<String> = res.take(3).map_err(err)?;
    Ok((cohort.ok_or("no cohort created")?, people))
}

/// Creates a survey from `template` with the services, gives it `design` (or keeps the
/// template's), makes it anonymous for both sides and opens it now. Returns its key and the
/// program's skills.
pub(crate) async fn open_survey(
    access: &Access,
    cohort: &str,
    template: Template,
    design: Option<SurveyDesign>,
) -> Result<(String, Vec<(String, String)>), String> {
    let draft = surveys::create(access, cohort, template).await.map_err(err)?;
    let mut design = design.unwrap_or(draft.design.clone());
    design.audience = Audience::Both;
    design.anonymous = true;
    design.schedule = Schedule { kind: ScheduleKind::Now, open_days: 14, remind_days_before: 3, ..Schedule::default() };
    let edit = surveys::schedule(access, &draft.id, design, draft.version).await.map_err(err)?;
    if edit.status != SurveyStatus::Open {
        return Err(format!("survey {} is {:?} after scheduling it for now, not open", edit.id, edit.status));
    }
    Ok((edit.id, edit.skills))
}

const TEXTS: [&str; 6] = [
    "More time for practice between sessions would help",
    "The feedback workshop changed how I run one-to-ones",
    "Pair us earlier with someone outside our department",
    "Shorter check-ins, but more of them",
    "I would like a session on handling conflict in the team",
    "Great program; the goals kept us honest",
];

/// Plausible answers to `questions`: scale answers leaning positive, optional questions
/// answered about 60 % of the time, every skill rated.
pub(crate) fn answers_for(questions: &[Question], skills: &[(String, String)], rng: &mut Rng, i: usize) -> Answers {
    let mut out = Answers::new();
    for q in questions {
        if !q.required && rng.below(10) < 4 {
            continue;
        }
        let answer = match q.kind {
            QuestionKind::Likert => Answer::Scale([1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5][rng.below(12) as usize]),
            QuestionKind::Nps => Answer::Scale([3, 5, 6, 7, 7, 8, 8, 9, 9, 10, 10][rng.below(11) as usize]),
            QuestionKind::Single => Answer::Choices(vec![rng.below(q.options.len() as u64) as u32]),
            QuestionKind::Multi => {
                let c: Vec<u32> = (0..q.options.len() as u32).filter(|_| rng.below(3) == 0).collect();
                Answer::Choices(if c.is_empty() { vec![0] } else { c })
            }
            QuestionKind::ShortText | QuestionKind::LongText => {
                Answer::Text(format!("{} (respondent {i})", TEXTS[rng.below(TEXTS.len() as u64) as usize]))
            }
            QuestionKind::Skills => {
                Answer::Skills(skills.iter().map(|(id, _)| (id.clone(), 1 + rng.below(5) as u8)).collect())
            }
        };
        out.insert(q.id.clone(), answer);
    }
    out
}

/// Ten questions of every kind, as an end-of-program survey might ask.
pub(crate) fn results_design() -> SurveyDesign {
    let q = |n: u32, kind: QuestionKind, text: &str, required: bool, options: &[&str], measure: Measure| Question {
        required,
        options: options.iter().map(|o| o.to_string()).collect(),
        measure,
        ..Question::new(format!("q{n}"), kind, text)
    };
    use Measure::None as No;
    use QuestionKind::*;
    let questions = vec![
        q(1, Likert, "My mentor helped me grow as a leader.", true, &[], Measure::MentorEffectiveness),
        q(2, Likert, "Overall, I am satisfied with the program.", true, &[], Measure::Satisfaction),
        q(3, Likert, "We met as often as we planned.", true, &[], No),
        q(4, Nps, "How likely are you to recommend this program to a colleague?", true, &[], No),
        q(5, Single, "How often did you meet?", true, &["Weekly", "Every two weeks", "Monthly", "Less often"], No),
        q(6, Multi, "What helped most?", false, &["Sessions", "Workshops", "SMART goals", "Peers", "Reading"], No),
        q(7, Skills, "Rate yourself today on each of the program's skills.", true, &[], No),
        q(8, ShortText, "One thing to keep", false, &[], No),
        q(9, LongText, "What should we change for the next cohort?", false, &[], No),
        q(10, Likert, "I would mentor someone myself next year.", false, &[], No),
    ];
    SurveyDesign { title: "End of program (bench)".into(), questions, ..SurveyDesign::default() }
}

/// `n` responses: departments of very different sizes (two under k, a few small ones), levels
/// 1–10 with the extremes under k, a fifth mentors, 14 days.
pub(crate) fn response_rows(n: usize, questions: &[Question], skills: &[(String, String)]) -> Vec<ResponseRow> {
    // Shares per thousand; the last three are absolute counts.
    let shares = [("Engineering", 360), ("Sales", 180), ("Operations", 140), ("Marketing", 120), ("Finance", 80)];
    let mut departments: Vec<&str> = Vec::with_capacity(n);
    for (d, per_mille) in shares {
        departments.extend(std::iter::repeat_n(d, n * per_mille / 1000));
    }
    for (d, count) in [("Research", 4), ("Procurement", 3), ("Security", 9)] {
        departments.extend(std::iter::repeat_n(d, count));
    }
    let rest = n.saturating_sub(departments.len());
    departments.extend(std::iter::repeat_n("People", rest.saturating_sub(6)));
    departments.resize(n, "");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|i| {
            let level = match i {
                0..3 => 10,
                3..7 => 1,
                _ => 2 + rng.below(8) as i64,
            };
            ResponseRow {
                side: if rng.below(5) == 0 { "mentor" } else { "mentee" }.into(),
                department: departments[i].to_string(),
                level: Some(level),
                day: format!("2026-11-{:02}", 2 + rng.below(14)),
                answers: answers_for(questions, skills, &mut rng, i),
            }
        })
        .collect()
}

/// Inserts `rows` as responses of `survey`, with one "answered" mark per response.
pub(crate) async fn insert_responses(db: &Db, survey: &str, rows: &[ResponseRow]) -> Result<(), String> {
    for (c, chunk) in rows.chunks(500).enumerate() {
        let keys: Vec<String> = (0..chunk.len()).map(|i| format!("resp{}", c * 500 + i)).collect();
        db.query(
            "LET $s = type::record('survey', $id);
             FOR $r IN $rows {
                 CREATE survey_response SET org = org:main, survey = $s, side = $r.side, department = $r.department,
                     level = $r.level ?? NONE, day = $r.day, answers = $r.answers;
             };
             FOR $k IN $keys { CREATE survey_answered SET org = org:main, survey = $s, user = type::record('user', $k); };",
        )
        .bind(("id", survey.to_string()))
        .bind(("rows", serde_json::to_value(chunk).map_err(err)?))
        .bind(("keys", keys))
        .await
        .and_then(checked)
        .map_err(err)?;
    }
    Ok(())
}

/// One more answer to `survey`, as a submission stores it (a response and an "answered" mark,
/// in one transaction) from `row` dated its last day; `n` numbers the late answers. Returns the
/// stored response as the live feed reports it.
pub(crate) async fn add_answer(db: &Db, survey: &str, row: &ResponseRow, n: usize) -> Result<Value, String> {
    let key = format!("late{n}");
    db.query(
        "BEGIN;
         LET $s = type::record('survey', $id);
         CREATE type::record('survey_answered', string::concat($id, '_late', <string> $n))
             SET org = org:main, survey = $s, user = type::record('user', string::concat('late', <string> $n));
         CREATE type::record('survey_response', $key) SET org = org:main, survey = $s, side = $r.side,
             department = $r.department, level = $r.level ?? NONE, day = $r.day, answers = $r.answers;
         COMMIT;",
    )
    .bind(("id", survey.to_string()))
    .bind(("n", n as i64))
    .bind(("key", key.clone()))
    .bind(("r", serde_json::to_value(row).map_err(err)?))
    .await
    .and_then(checked)
    .map_err(err)?;
    let mut res =
        db.query("SELECT * FROM ONLY type::record('survey_response', $key)").bind(("key", key)).await.map_err(err)?;
    res.take::<Value>(0).map_err(err)
}

/// A response as `results` read it before it read arrays (objects, answers through
/// `serde_json::Value`): kept to show what the change of shape and decoding saves.
#[derive(SurrealValue)]
struct StoredResponse {
    side: String,
    department: Option<String>,
    level: Option<i64>,
    day: String,
    answers: serde_json::Value,
}

/// How a read was done.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Objects, decoded through `serde_json::Value` (results before this bench's fix).
    Objects,
    /// `surveys::RESPONSES_QUERY` and `surveys::decode_responses`, as `results` reads now.
    Arrays,
}

/// The responses read one way or the other, and how long the query took (the engine, up to its
/// `Value`) and the decoding (into rows and typed answers).
pub(crate) async fn read_rows(
    db: &Db,
    survey: &str,
    how: Read,
) -> Result<(Vec<ResponseRow>, Duration, Duration), String> {
    let t = Instant::now();
    let query = match how {
        Read::Objects => {
            "SELECT side, department, level, day, answers FROM survey_response
             WHERE survey = type::record('survey', $id)"
        }
        Read::Arrays => surveys::RESPONSES_QUERY,
    };
    let mut res = db.query(query).bind(("id", survey.to_string())).bind(("from", "")).await.map_err(err)?;
    let value: surrealdb::types::Value = res.take(0).map_err(err)?;
    let query = t.elapsed();
    let t = Instant::now();
    let rows = match how {
        Read::Arrays => surveys::decode_responses(value).map_err(err)?.rows,
        Read::Objects => Vec::<StoredResponse>::from_value(value)
            .map_err(err)?
            .into_iter()
            .map(|r| ResponseRow {
                side: r.side,
                department: r.department.unwrap_or_default(),
                level: r.level,
                day: r.day,
                answers: serde_json::from_value::<Answers>(r.answers).unwrap_or_default(),
            })
            .collect(),
    };
    Ok((rows, query, t.elapsed()))
}
