//! Service tests of pre/post skill assessments on the real SurrealDB engine (in memory): who may
//! rate and read, the windows, the checks (nothing stored on bad input), growth as computed by
//! hand, ended pairs, and the announcement of an open phase (exactly once, even with two
//! servers).
#![cfg(feature = "ssr")]

use std::sync::Arc;

use app::db::{self, Db};
use app::domain::assessments::server as assessments;
use app::domain::assessments::types::{
    AssessmentInput, AssessmentPage, GrowthRow, Phase, Rater, Ratings, WindowStatus,
};
use app::domain::auth::server::{Access, AuthSettings};
use app::domain::auth::types::{Role, SessionUser};
use app::domain::matching::types::Viewer;
use app::domain::people::server as people;
use app::domain::people::types::NewUserInput;
use app::domain::surveys::server::scheduler::InAppOnly;
use app::error::AppError;
use app::validate::date_of_day;

async fn fresh_db() -> Db {
    db::connect("mem://").await.expect("in-memory database")
}

fn access(db: &Db, user: &SessionUser) -> Access {
    Access {
        db: db.clone(),
        settings: Arc::new(AuthSettings::default()),
        user: Some(user.clone()),
        session_hash: None,
        ip: "10.0.9.2".to_string(),
        user_agent: "test".into(),
        secure: false,
    }
}

/// A stored password hash; nobody signs in here, so no time goes into hashing.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$YXNzZXNz$not-a-real-hash";

async fn person(db: &Db, email: &str, name: &str, roles: Vec<Role>) -> SessionUser {
    let new = NewUserInput {
        email: email.into(),
        name: name.into(),
        department: "Engineering".into(),
        title: "Engineer".into(),
        level: "4".into(),
        roles: roles.clone(),
    }
    .validate()
    .unwrap();
    let id = people::insert(db, &new, HASH.to_string(), false, None).await.unwrap();
    SessionUser { id, email: new.email, name: new.name, roles, must_change_password: false }
}

/// Today as days since 1970-01-01 (UTC), as the services count it.
fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    (secs / 86_400) as i64
}

/// An admin, a published program with two skills (Feedback, Delegation) and a cohort of it
/// running from `starts` to `ends` (days from today).
struct World {
    db: Db,
    admin: SessionUser,
    cohort: String,
    skills: Vec<String>,
}

async fn world(starts: i64, ends: i64) -> World {
    use app::domain::cohort::server as cohorts;
    use app::domain::cohort::types::CohortInput;
    use app::domain::program::server as programs;
    use app::domain::program::types::{Objective, Phase, ProgramDesign, Step};
    use app::domain::skills::types::SkillInput;
    let db = fresh_db().await;
    let admin = person(&db, "root@example.com", "Root Admin", vec![Role::Admin]).await;
    let a = access(&db, &admin);
    let mut d = ProgramDesign { name: "Leaders".into(), ..ProgramDesign::default() };
    d.objectives.push(Objective {
        statement: "Grow".into(),
        specific: "x".into(),
        measurable: "Mean growth of 1 point".into(),
        achievable: String::new(),
        relevant: "y".into(),
        time_bound: "2027-12-31".into(),
        metric: String::new(),
        target: String::new(),
    });
    let p = programs::save_step(&a, d, Step::Objectives).await.unwrap();
    let mut skills = Vec::new();
    for name in ["Feedback", "Delegation"] {
        let input = SkillInput { name: name.into(), description: format!("{name}, done well."), ..Default::default() };
        skills.push(app::domain::skills::server::create(&a, input.validate().unwrap()).await.unwrap().id);
    }
    let mut s = p.clone();
    s.skill_ids = skills.clone();
    let p = programs::save_step(&a, s, Step::Skills).await.unwrap();
    let mut s = p.clone();
    s.phases = vec![Phase { name: "Foundations".into(), weeks: "4".into(), ..Phase::default() }];
    let p = programs::save_step(&a, s, Step::Structure).await.unwrap();
    let p = programs::publish(&a, &p.id, p.version).await.unwrap();
    let c = cohorts::create(
        &a,
        CohortInput {
            program_id: p.id.clone(),
            name: "Assessed cohort".into(),
            starts: date_of_day(today() + starts),
            ends: date_of_day(today() + ends),
            approach: String::new(),
            matching_mode: "optimal".into(),
            meeting_cadence: "biweekly".into(),
            workshop_format: "remote".into(),
        },
    )
    .await
    .unwrap();
    World { db, admin, cohort: c.id, skills }
}

/// Publishes a pair `days_ago` days ago (the day its start-of-program phase opens); its key.
async fn publish(w: &World, mentee: &SessionUser, mentor: &SessionUser, days_ago: i64) -> String {
    let mut res =
        w.db.query(
            "CREATE ONLY pairing SET org = org:main, cohort = type::record('cohort', $cohort),
                 mentee = type::record('user', $mentee), mentor = type::record('user', $mentor), score = 80,
                 created_at = time::now() - duration::from_days($ago)
             RETURN VALUE record::id(id);",
        )
        .bind(("cohort", w.cohort.clone()))
        .bind(("mentee", mentee.id.clone()))
        .bind(("mentor", mentor.id.clone()))
        .bind(("ago", days_ago))
        .await
        .unwrap()
        .check()
        .unwrap();
    res.take::<Option<String>>(0).unwrap().unwrap()
}

fn ratings(w: &World, scores: [i64; 2]) -> Ratings {
    w.skills.iter().cloned().zip(scores).collect()
}

fn input(pairing: &str, phase: Phase, ratings: Ratings) -> AssessmentInput {
    AssessmentInput { pairing_id: pairing.to_string(), phase, ratings }
}

/// `count(<query>)`.
async fn count(db: &Db, query: &str) -> i64 {
    let mut res = db.query(format!("RETURN count({query})")).await.unwrap().check().unwrap();
    res.take::<Option<i64>>(0).unwrap().unwrap()
}

async fn stored(db: &Db) -> i64 {
    count(db, "SELECT id FROM assessment").await
}

async fn run(db: &Db, query: &str) {
    db.query(query).await.unwrap().check().unwrap();
}

/// The growth row of the skill named `name`.
fn row<'a>(page: &'a AssessmentPage, name: &str) -> &'a GrowthRow {
    page.growth.iter().find(|r| r.skill_name == name).unwrap()
}

fn field_error(e: &AppError, field: &str) -> String {
    e.field_message(field).unwrap_or_else(|| panic!("no error on {field}: {e:?}"))
}

#[tokio::test]
async fn the_mentee_rates_themselves_the_mentor_rates_the_mentee_blind_and_admins_read() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let pair = publish(&w, &ann, &mel, 0).await;
    let (me, mentor, admin) = (access(db, &ann), access(db, &mel), access(db, &w.admin));

    let page = assessments::page(&me, &pair).await.unwrap();
    assert_eq!((page.viewer, page.current, page.writable), (Viewer::Mentee, Some(Phase::Pre), true));
    // By name.
    assert_eq!(page.skills.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Delegation", "Feedback"]);
    assert_eq!(page.skills[1].description, "Feedback, done well.");
    let pre = page.phase(Phase::Pre).unwrap();
    assert_eq!((pre.status, pre.opens.clone()), (WindowStatus::Open, date_of_day(today())));
    assert_eq!(pre.closes, date_of_day(today() + 27), "four weeks from publishing, after the cohort's start");
    assert_eq!(page.phase(Phase::Post).unwrap().status, WindowStatus::Upcoming);
    assert!(!page.has_ratings() && page.mine.is_empty());
    assert_eq!(assessments::pending(&me).await.unwrap().len(), 1);

    let page = assessments::submit(&me, input(&pair, Phase::Pre, ratings(&w, [2, 3]))).await.unwrap();
    assert_eq!(page.phase(Phase::Pre).unwrap().mentee_on.as_deref(), Some(date_of_day(today()).as_str()));
    assert_eq!(page.mine, ratings(&w, [2, 3]));
    assert_eq!((row(&page, "Feedback").self_pre, row(&page, "Delegation").self_pre), (Some(2), Some(3)));
    assert!(assessments::pending(&me).await.unwrap().is_empty());

    // The mentor is asked to rate Ann, and does not see her self-rating before giving theirs.
    let waiting = assessments::pending(&mentor).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].rater, waiting[0].mentee_name.as_str()), (Rater::Mentor, "Ann Lee"));
    let page = assessments::page(&mentor, &pair).await.unwrap();
    assert_eq!((page.viewer, page.current), (Viewer::Mentor, Some(Phase::Pre)));
    assert_eq!(page.withheld, vec![(Phase::Pre, Rater::Mentee)]);
    assert!(page.growth.iter().all(|r| r.self_pre.is_none()));
    let page = assessments::submit(&mentor, input(&pair, Phase::Pre, ratings(&w, [1, 3]))).await.unwrap();
    assert!(page.withheld.is_empty());
    assert_eq!((row(&page, "Feedback").self_pre, row(&page, "Feedback").mentor_pre), (Some(2), Some(1)));

    // A second submission while the phase is open is an edit of the same record.
    assessments::submit(&me, input(&pair, Phase::Pre, ratings(&w, [3, 3]))).await.unwrap();
    assert_eq!(stored(db).await, 2);
    let mut res = db
        .query("SELECT VALUE version FROM type::record('assessment', $key)")
        .bind(("key", format!("{pair}_pre_mentee")))
        .await
        .unwrap();
    assert_eq!(res.take::<Vec<i64>>(0).unwrap(), vec![2]);

    // Admins read everything and rate nothing.
    let page = assessments::page(&admin, &pair).await.unwrap();
    assert_eq!((page.viewer, page.current), (Viewer::Admin, None));
    assert_eq!((row(&page, "Feedback").self_pre, row(&page, "Feedback").mentor_pre), (Some(3), Some(1)));
    let refused = assessments::submit(&admin, input(&pair, Phase::Pre, ratings(&w, [4, 4]))).await.unwrap_err();
    assert_eq!(refused, AppError::Forbidden);
    assert_eq!(stored(db).await, 2);
}

#[tokio::test]
async fn anyone_outside_the_pair_finds_nothing() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let pair = publish(&w, &ann, &mel, 0).await;
    let other_mentee = person(db, "bob@example.com", "Bob Day", vec![Role::Mentee]).await;
    let other_mentor = person(db, "kim@example.com", "Kim Ng", vec![Role::Mentor]).await;
    let leader = person(db, "lead@example.com", "Lee Der", vec![Role::Leadership]).await;
    // Mel after an admin removed their mentor role.
    let demoted = SessionUser { roles: vec![Role::Mentee], ..mel.clone() };
    for who in [&other_mentee, &other_mentor, &leader, &demoted] {
        let a = access(db, who);
        assert_eq!(assessments::page(&a, &pair).await.unwrap_err(), AppError::NotFound, "{}", who.email);
        let e = assessments::submit(&a, input(&pair, Phase::Pre, ratings(&w, [3, 3]))).await.unwrap_err();
        assert_eq!(e, AppError::NotFound, "{}", who.email);
        assert!(assessments::pending(&a).await.unwrap().is_empty(), "{}", who.email);
    }
    assert_eq!(assessments::page(&access(db, &ann), "no-such-pair!").await.unwrap_err(), AppError::NotFound);
    assert_eq!(stored(db).await, 0);
}

#[tokio::test]
async fn a_closed_or_upcoming_phase_takes_no_ratings() {
    // Paired at the start, 60 days ago: the start-of-program phase closed 32 days ago, and the
    // end-of-program one opens in 79 days.
    let w = world(-60, 100).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let pair = publish(&w, &ann, &mel, 60).await;
    let me = access(db, &ann);
    let page = assessments::page(&me, &pair).await.unwrap();
    assert_eq!(page.current, None);
    assert_eq!(page.phase(Phase::Pre).unwrap().status, WindowStatus::Closed);
    let e = assessments::submit(&me, input(&pair, Phase::Pre, ratings(&w, [3, 3]))).await.unwrap_err();
    assert_eq!(e.status_code(), 422);
    assert_eq!(
        field_error(&e, "phase"),
        format!(
            "The start-of-program assessment closed on {}: ratings can no longer be given or changed.",
            date_of_day(today() - 33)
        )
    );
    let e = assessments::submit(&me, input(&pair, Phase::Post, ratings(&w, [3, 3]))).await.unwrap_err();
    assert_eq!(
        field_error(&e, "phase"),
        format!("The end-of-program assessment opens on {}.", date_of_day(today() + 79))
    );
    assert!(assessments::pending(&me).await.unwrap().is_empty());
    assert_eq!(stored(db).await, 0);
}

#[tokio::test]
async fn out_of_range_missing_or_unknown_ratings_are_refused_and_nothing_is_stored() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let pair = publish(&w, &ann, &mel, 0).await;
    let me = access(db, &ann);
    let (feedback, delegation) = (&w.skills[0], &w.skills[1]);

    let e = assessments::submit(&me, input(&pair, Phase::Pre, ratings(&w, [6, 0]))).await.unwrap_err();
    assert_eq!(field_error(&e, &format!("ratings.{feedback}")), "Feedback: a level is from 1 to 5 (not 6).");
    assert_eq!(field_error(&e, &format!("ratings.{delegation}")), "Delegation: a level is from 1 to 5 (not 0).");
    let only_one: Ratings = [(feedback.clone(), 3)].into();
    let e = assessments::submit(&me, input(&pair, Phase::Pre, only_one)).await.unwrap_err();
    assert_eq!(field_error(&e, &format!("ratings.{delegation}")), "Choose a level from 1 to 5 for Delegation.");
    let mut unknown = ratings(&w, [3, 3]);
    unknown.insert("notaskill".into(), 3);
    let e = assessments::submit(&me, input(&pair, Phase::Pre, unknown)).await.unwrap_err();
    assert!(field_error(&e, "ratings").contains("not among this program's skills"));
    assert_eq!(stored(db).await, 0);
    assert_eq!(assessments::pending(&me).await.unwrap().len(), 1, "still waiting");
}

#[tokio::test]
async fn growth_is_post_minus_pre_as_computed_by_hand() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let bob = person(db, "bob@example.com", "Bob Day", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let (pa, pb) = (publish(&w, &ann, &mel, 0).await, publish(&w, &bob, &mel, 0).await);
    let (a, b, m) = (access(db, &ann), access(db, &bob), access(db, &mel));
    assessments::submit(&a, input(&pa, Phase::Pre, ratings(&w, [2, 3]))).await.unwrap();
    assessments::submit(&m, input(&pa, Phase::Pre, ratings(&w, [1, 2]))).await.unwrap();
    assessments::submit(&b, input(&pb, Phase::Pre, ratings(&w, [3, 4]))).await.unwrap();
    // Nothing to grow from yet.
    let none = assessments::mean_growth(db, &w.cohort).await.unwrap();
    assert_eq!((none.overall, none.n), (None, 0));

    // Time passes: the cohort now ends in five days, so the end-of-program phase is open.
    run(db, &format!("UPDATE cohort SET ends = <datetime> '{}T00:00:00Z'", date_of_day(today() + 5))).await;
    let page = assessments::page(&a, &pa).await.unwrap();
    assert_eq!(page.current, Some(Phase::Post));
    assert_eq!(page.phase(Phase::Pre).unwrap().status, WindowStatus::Closed);
    assessments::submit(&a, input(&pa, Phase::Post, ratings(&w, [4, 3]))).await.unwrap();
    assessments::submit(&m, input(&pa, Phase::Post, ratings(&w, [3, 4]))).await.unwrap();
    assessments::submit(&b, input(&pb, Phase::Post, ratings(&w, [2, 5]))).await.unwrap();

    let page = assessments::page(&a, &pa).await.unwrap();
    let changes: Vec<(Option<i64>, Option<i64>)> =
        page.growth.iter().map(|r| (r.change(Rater::Mentee), r.change(Rater::Mentor))).collect();
    // Rows by skill name. Ann, delegation: self 3 → 3, mentor 2 → 4; feedback: self 2 → 4,
    // mentor 1 → 3.
    assert_eq!(changes, [(Some(0), Some(2)), (Some(2), Some(2))]);
    // Bob has no mentor ratings (Mel rated only Ann).
    let page = assessments::page(&b, &pb).await.unwrap();
    assert_eq!(row(&page, "Feedback").change(Rater::Mentee), Some(-1));
    assert_eq!(row(&page, "Feedback").change(Rater::Mentor), None);

    // The cohort's means: feedback +2, +2, −1 → 1.0; delegation 0, +2, +1 → 1.0; self-ratings
    // +2, 0, −1, +1 → 0.5; mentors +2, +2 → 2.0; all six figures → 1.0, about two mentees.
    let m = assessments::mean_growth(db, &w.cohort).await.unwrap();
    let per_skill: Vec<(&str, Option<f64>, u32, u32)> =
        m.skills.iter().map(|s| (s.skill_name.as_str(), s.mean, s.n, s.mentees)).collect();
    assert_eq!(per_skill, [("Delegation", Some(1.0), 3, 2), ("Feedback", Some(1.0), 3, 2)]);
    let per_rater: Vec<(Rater, Option<f64>, u32)> = m.by_rater.iter().map(|r| (r.rater, r.mean, r.n)).collect();
    assert_eq!(per_rater, [(Rater::Mentee, Some(0.5), 4), (Rater::Mentor, Some(2.0), 2)]);
    assert_eq!((m.overall, m.n, m.mentees), (Some(1.0), 6, 2));
    assert_eq!(assessments::mean_growth(db, "nosuchcohort").await.unwrap_err(), AppError::NotFound);

    // The dashboards read every cohort's figures in one query: the same six, mean 1.0.
    let mut all = assessments::growth_by_cohort(db).await.unwrap();
    assert_eq!(all.keys().collect::<Vec<_>>(), [&w.cohort]);
    let mut six = all.remove(&w.cohort).unwrap();
    six.sort();
    assert_eq!(six, [-1, 0, 1, 2, 2, 2]);
}

#[tokio::test]
async fn an_ended_pair_takes_no_new_ratings() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let pair = publish(&w, &ann, &mel, 0).await;
    let me = access(db, &ann);
    assessments::submit(&me, input(&pair, Phase::Pre, ratings(&w, [2, 2]))).await.unwrap();
    run(db, "UPDATE pairing SET status = 'ended'").await;
    for who in [&ann, &mel] {
        let e = assessments::submit(&access(db, who), input(&pair, Phase::Pre, ratings(&w, [5, 5]))).await.unwrap_err();
        // Refused whether the pair is hidden once ended or shown read-only (the lead is making
        // ended pairs readable to the pair): never stored.
        assert!(matches!(e, AppError::NotFound | AppError::Conflict { .. }), "{}: {e:?}", who.email);
    }
    assert_eq!(stored(db).await, 1);
    let mut res = db.query("SELECT VALUE ratings.score FROM assessment").await.unwrap();
    assert_eq!(res.take::<Vec<Vec<i64>>>(0).unwrap(), vec![vec![2, 2]], "the stored ratings are unchanged");
    assert!(assessments::pending(&me).await.unwrap().is_empty());
    assert!(assessments::pending(&access(db, &mel)).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_open_phase_is_announced_once_even_by_two_servers_at_once() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let bob = person(db, "bob@example.com", "Bob Day", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let (pa, pb) = (publish(&w, &ann, &mel, 0).await, publish(&w, &bob, &mel, 0).await);
    // Bob rated himself before the announcement: only his mentor is told.
    assessments::submit(&access(db, &bob), input(&pb, Phase::Pre, ratings(&w, [3, 3]))).await.unwrap();

    let (x, y) = (db.clone(), db.clone());
    let (one, two) = tokio::join!(
        tokio::spawn(async move { assessments::tick(&x, &InAppOnly).await }),
        tokio::spawn(async move { assessments::tick(&y, &InAppOnly).await })
    );
    let (one, two) = (one.unwrap().unwrap(), two.unwrap().unwrap());
    assert_eq!(one.announced + two.announced, 2, "{one:?} {two:?}");
    assert_eq!(one.notified + two.notified, 3);
    let mut res = db
        .query(
            "SELECT record::id(id) AS key, record::id(user) AS user, link FROM notification
             WHERE kind = 'assessment' ORDER BY key",
        )
        .await
        .unwrap();
    let notes: Vec<serde_json::Value> = res.take(0).unwrap();
    let got: Vec<(String, String, String)> = notes
        .iter()
        .map(|n| {
            (n["key"].as_str().unwrap().into(), n["user"].as_str().unwrap().into(), n["link"].as_str().unwrap().into())
        })
        .collect();
    let mut want = vec![
        (format!("asn_{pa}_pre_mentee"), ann.id.clone(), format!("/pairs/{pa}/assessment")),
        (format!("asn_{pa}_pre_mentor"), mel.id.clone(), format!("/pairs/{pa}/assessment")),
        (format!("asn_{pb}_pre_mentor"), mel.id.clone(), format!("/pairs/{pb}/assessment")),
    ];
    want.sort();
    assert_eq!(got, want);
    // A later tick finds nothing more to announce.
    let again = assessments::tick(db, &InAppOnly).await.unwrap();
    assert_eq!((again.announced, again.notified), (0, 0));
    assert_eq!(count(db, "SELECT id FROM notification WHERE kind = 'assessment'").await, 3);
}

#[tokio::test]
async fn the_schema_refuses_a_score_outside_one_to_five_even_past_the_service() {
    let w = world(-10, 120).await;
    let db = &w.db;
    let ann = person(db, "ann@example.com", "Ann Lee", vec![Role::Mentee]).await;
    let mel = person(db, "mel@example.com", "Mel Ortiz", vec![Role::Mentor]).await;
    let pair = publish(&w, &ann, &mel, 0).await;
    for score in [0, 6] {
        let res = db
            .query(
                "LET $p = type::record('pairing', $pair);
                 CREATE assessment SET org = org:main, pairing = $p, cohort = $p.cohort, mentee = $p.mentee,
                     rated_by = $p.mentee, phase = 'pre', rater = 'mentee',
                     ratings = [{ skill: type::record('skill', $skill), score: $score }];",
            )
            .bind(("pair", pair.clone()))
            .bind(("skill", w.skills[0].clone()))
            .bind(("score", score))
            .await
            .unwrap()
            .check();
        assert!(res.is_err(), "score {score} stored");
    }
    assert_eq!(stored(db).await, 0);
}
