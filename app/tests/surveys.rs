//! Service tests of feedback surveys on the real SurrealDB engine (in memory): the builder, the
//! schedule (opening, reminding and closing exactly once, even with two servers), answering
//! (anonymous answers keep no trace of who gave them) and results under the k rule.
#![cfg(feature = "ssr")]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use app::db::Db;
use app::domain::auth::types::{Role, SessionUser};
use app::domain::surveys::report::Dimension;
use app::domain::surveys::server as surveys;
use app::domain::surveys::server::scheduler::{tick, InAppOnly, TickReport};
use app::domain::surveys::templates::Template;
use app::domain::surveys::types::{Answer, Answers, Audience, ScheduleKind, SurveyDesign, SurveyEdit, SurveyStatus};
use app::error::AppError;
use app::validate::date_of_day;
use common::{access, person, publish_pairs, today, world, World};

/// A survey of `template` with the changes `change` makes, scheduled.
async fn scheduled(w: &World, template: Template, change: impl FnOnce(&mut SurveyDesign)) -> SurveyEdit {
    let e = surveys::create(&w.admin, &w.cohort, template).await.unwrap();
    let mut d = e.design.clone();
    change(&mut d);
    surveys::schedule(&w.admin, &e.id, d, e.version).await.unwrap()
}

/// Opens at once ("now"), for two weeks, reminding three days before it closes.
fn now(d: &mut SurveyDesign) {
    d.schedule.kind = ScheduleKind::Now;
    d.schedule.open_days = 14;
    d.schedule.remind_days_before = 3;
    d.schedule.repeat_monthly = false;
}

/// Answers to the Mentor-effectiveness template: three Likert questions and optional text.
fn effectiveness(q1: u8, text: &str) -> Answers {
    let mut a = Answers::new();
    a.insert("q1".into(), Answer::Scale(q1));
    a.insert("q2".into(), Answer::Scale(4));
    a.insert("q3".into(), Answer::Scale(3));
    if !text.is_empty() {
        a.insert("q4".into(), Answer::Text(text.into()));
    }
    a
}

/// `count(<query>)`.
async fn count(db: &Db, query: &str) -> i64 {
    let mut res = db.query(format!("RETURN count({query})")).await.unwrap().check().unwrap();
    res.take::<Option<i64>>(0).unwrap().unwrap()
}

/// The users (keys) who got a survey notification whose key starts with `prefix` (`svo_` on
/// opening, `svr_` as a reminder), one entry per notification.
async fn notified(db: &Db, prefix: &str) -> Vec<String> {
    let mut res = db
        .query(
            "SELECT VALUE record::id(user) FROM notification
             WHERE kind = 'survey' AND string::starts_with(record::id(id), $prefix)",
        )
        .bind(("prefix", prefix.to_string()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let mut users: Vec<String> = res.take(0).unwrap();
    users.sort();
    users
}

fn ids(people: &[&SessionUser]) -> Vec<String> {
    let mut v: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    v.sort();
    v
}

async fn set(db: &Db, survey: &str, assignments: &str) {
    db.query(format!("UPDATE type::record('survey', $id) SET {assignments}"))
        .bind(("id", survey.to_string()))
        .await
        .unwrap()
        .check()
        .unwrap();
}

async fn status(db: &Db, survey: &str) -> SurveyStatus {
    surveys::edit(db, survey).await.unwrap().status
}

/// Two app servers' ticks at the same moment, on two threads.
async fn two_ticks_at_once(db: &Db) -> (TickReport, TickReport) {
    let (a, b) = (db.clone(), db.clone());
    let (one, two) = tokio::join!(
        tokio::spawn(async move { tick(&a, &InAppOnly).await }),
        tokio::spawn(async move { tick(&b, &InAppOnly).await })
    );
    (one.unwrap().unwrap(), two.unwrap().unwrap())
}

fn is_conflict(e: &AppError) -> bool {
    matches!(e, AppError::Conflict { .. })
}

#[tokio::test]
async fn a_survey_from_a_template_opens_now_and_reaches_exactly_its_audience() {
    let w = world().await;
    let db = &w.db;
    let mentor1 = person(db, "mentor1@example.com", "Sales", vec![Role::Mentor]).await;
    let mentor2 = person(db, "mentor2@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    let bob = person(db, "bob@example.com", "Engineering", vec![Role::Mentee]).await;
    let outsider = person(db, "outsider@example.com", "Engineering", vec![Role::Mentee]).await;
    let ended = person(db, "ended@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor1), (&bob, &mentor2), (&ended, &mentor1)]).await;
    // A pair that has ended is no longer asked.
    db.query("UPDATE pairing SET status = 'ended' WHERE mentee = type::record('user', $id)")
        .bind(("id", ended.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();

    let e = surveys::create(&w.admin, &w.cohort, Template::MentorEffectiveness).await.unwrap();
    assert_eq!((e.status, e.design.audience, e.design.questions.len()), (SurveyStatus::Draft, Audience::Mentees, 4));
    assert_eq!(e.skills.len(), 1);
    assert_eq!(e.phases, vec!["Foundations", "Practice"]);
    // Drafts reach nobody.
    assert!(surveys::pending(db, &ann.id).await.unwrap().is_empty());
    assert_eq!(surveys::form(db, &ann.id, &e.id).await.unwrap_err(), AppError::NotFound);

    let mut d = e.design.clone();
    d.title = "How is your mentor doing?".into();
    let saved = surveys::save(&w.admin, &e.id, d.clone(), e.version).await.unwrap();
    assert_eq!(saved.design.title, "How is your mentor doing?");
    assert_eq!(saved.status, SurveyStatus::Draft);
    // A save against the version before is refused.
    assert!(is_conflict(&surveys::save(&w.admin, &e.id, d.clone(), e.version).await.unwrap_err()));

    now(&mut d);
    let open = surveys::schedule(&w.admin, &e.id, d, saved.version).await.unwrap();
    assert_eq!(open.status, SurveyStatus::Open, "a survey scheduled for now opens at once");
    assert_eq!(open.opens, date_of_day(today()));
    let listed = surveys::list(db, Some(&w.cohort)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].invited, listed[0].answered, listed[0].questions), (2, 0, 4));
    assert_eq!(listed[0].closes, date_of_day(today() + 14));

    // Each mentee is notified once; mentors and people outside the cohort are not.
    assert_eq!(notified(db, "svo_").await, ids(&[&ann, &bob]));
    for who in [&ann, &bob] {
        let p = surveys::pending(db, &who.id).await.unwrap();
        assert_eq!(p.len(), 1, "{}", who.email);
        assert_eq!((p[0].id.as_str(), p[0].anonymous, p[0].questions), (open.id.as_str(), true, 4));
        let f = surveys::form(db, &who.id, &open.id).await.unwrap();
        assert!(f.open && !f.answered && f.anonymous && f.draft.is_empty());
        assert_eq!(f.questions.len(), 4);
    }
    for who in [&mentor1, &outsider, &ended] {
        assert!(surveys::pending(db, &who.id).await.unwrap().is_empty(), "{}", who.email);
        assert_eq!(surveys::form(db, &who.id, &open.id).await.unwrap_err(), AppError::NotFound, "{}", who.email);
    }

    // A survey for mentors reaches the mentors only; one for both sides reaches all four.
    let mentors = scheduled(&w, Template::MenteeEngagement, now).await;
    assert_eq!(mentors.status, SurveyStatus::Open);
    let both = scheduled(&w, Template::FitCheck, now).await;
    assert_eq!((both.status, both.design.audience), (SurveyStatus::Open, Audience::Both));
    let svo = |s: &str| format!("svo_{s}_");
    assert_eq!(notified(db, &svo(&mentors.id)).await, ids(&[&mentor1, &mentor2]));
    assert_eq!(notified(db, &svo(&both.id)).await, ids(&[&ann, &bob, &mentor1, &mentor2]));
    assert_eq!(surveys::pending(db, &mentor1.id).await.unwrap().len(), 2);
    assert_eq!(surveys::pending(db, &ann.id).await.unwrap().len(), 2);
    assert!(surveys::pending(db, &outsider.id).await.unwrap().is_empty());
    assert_eq!(surveys::form(db, &ann.id, &mentors.id).await.unwrap_err(), AppError::NotFound);
    // Nothing more is sent by a later tick.
    let total = count(db, "SELECT id FROM notification WHERE kind = 'survey'").await;
    assert_eq!(total, 2 + 2 + 4);
    tick(db, &InAppOnly).await.unwrap();
    assert_eq!(count(db, "SELECT id FROM notification WHERE kind = 'survey'").await, total);

    // Drafts can be deleted, open surveys cannot; only open ones close.
    let draft = surveys::create(&w.admin, &w.cohort, Template::Blank).await.unwrap();
    assert!(is_conflict(&surveys::delete(&w.admin, &open.id).await.unwrap_err()));
    assert!(is_conflict(&surveys::close(&w.admin, &draft.id).await.unwrap_err()));
    surveys::delete(&w.admin, &draft.id).await.unwrap();
    assert_eq!(surveys::edit(db, &draft.id).await.unwrap_err(), AppError::NotFound);
    let closed = surveys::close(&w.admin, &both.id).await.unwrap();
    assert_eq!(closed.status, SurveyStatus::Closed);
    assert_eq!(surveys::pending(db, &ann.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_anonymous_answer_keeps_no_trace_of_who_gave_it_and_is_taken_once() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let s = scheduled(&w, Template::MentorEffectiveness, now).await;
    assert!(s.design.anonymous);
    let me = access(db, Some(ann.clone()));
    surveys::submit(&me, &s.id, effectiveness(4, "She listens.")).await.unwrap();

    // The response: no respondent field at all (not even null), the day and nothing finer.
    let mut res = db
        .query(
            "SELECT * FROM survey_response;
             SELECT VALUE respondent FROM survey_response;
             SELECT * FROM survey_answered;",
        )
        .await
        .unwrap()
        .check()
        .unwrap();
    let rows: Vec<serde_json::Value> = res.take(0).unwrap();
    assert_eq!(rows.len(), 1);
    let row = rows[0].as_object().unwrap();
    let keys: BTreeSet<&str> = row.keys().map(String::as_str).collect();
    assert!(!keys.contains("respondent"), "an anonymous response holds no respondent: {row:?}");
    let allowed: BTreeSet<&str> =
        ["id", "org", "survey", "side", "department", "level", "day", "answers"].into_iter().collect();
    assert!(keys.is_subset(&allowed), "unexpected fields (a time, a user, a pair?): {keys:?}");
    assert_eq!(row["day"], serde_json::json!(date_of_day(today())));
    assert_eq!((row["side"].as_str(), row["department"].as_str()), (Some("mentee"), Some("Engineering")));
    let serialized = serde_json::to_string(&rows[0]).unwrap();
    assert!(!serialized.contains(&ann.id), "the user's key appears nowhere in the response: {serialized}");
    let respondents: Vec<serde_json::Value> = res.take(1).unwrap();
    assert!(respondents.iter().all(|r| r.is_null()), "{respondents:?}");
    // The "has answered" mark: survey and user, no time.
    let marks: Vec<serde_json::Value> = res.take(2).unwrap();
    assert_eq!(marks.len(), 1);
    let mark: BTreeSet<&str> = marks[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(mark, ["id", "org", "survey", "user"].into_iter().collect::<BTreeSet<_>>());

    // A second answer is refused and stores nothing.
    let e = surveys::submit(&me, &s.id, effectiveness(1, "Changed my mind.")).await.unwrap_err();
    assert_eq!(e.field_message("survey").map(|m| m.contains("already answered")), Some(true), "{e:?}");
    assert_eq!(count(db, "SELECT id FROM survey_response").await, 1);
    assert_eq!(count(db, "SELECT id FROM survey_answered").await, 1);
    // The survey no longer waits for Ann, and says she answered.
    assert!(surveys::pending(db, &ann.id).await.unwrap().is_empty());
    assert!(surveys::form(db, &ann.id, &s.id).await.unwrap().answered);
    assert_eq!(surveys::list(db, None).await.unwrap()[0].answered, 1);
}

#[tokio::test]
async fn attributed_surveys_store_the_respondent_and_keep_drafts_until_submitted() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let named = scheduled(&w, Template::MentorEffectiveness, |d| {
        now(d);
        d.anonymous = false;
    })
    .await;
    let anonymous = scheduled(&w, Template::MentorEffectiveness, now).await;
    let me = access(db, Some(ann.clone()));

    // A partial answer is kept for the attributed survey and comes back with the form.
    let mut partial = Answers::new();
    partial.insert("q1".into(), Answer::Scale(5));
    surveys::save_draft(&me, &named.id, partial.clone()).await.unwrap();
    partial.insert("q2".into(), Answer::Scale(2));
    surveys::save_draft(&me, &named.id, partial.clone()).await.unwrap();
    assert_eq!(count(db, "SELECT id FROM survey_draft").await, 1, "a draft is replaced, not added");
    assert_eq!(surveys::form(db, &ann.id, &named.id).await.unwrap().draft, partial);
    // A draft with a wrong answer is refused and the stored one stays.
    let mut wrong = partial.clone();
    wrong.insert("q1".into(), Answer::Scale(9));
    let e = surveys::save_draft(&me, &named.id, wrong).await.unwrap_err();
    assert!(e.field_message("q1").is_some(), "{e:?}");
    assert_eq!(surveys::form(db, &ann.id, &named.id).await.unwrap().draft, partial);

    // Anonymous drafts stay on the device.
    let e = surveys::save_draft(&me, &anonymous.id, partial.clone()).await.unwrap_err();
    assert!(e.field_message("survey").unwrap().contains("stay on your device"), "{e:?}");
    assert_eq!(
        count(db, &format!("SELECT id FROM survey_draft WHERE survey = type::record('survey', '{}')", anonymous.id))
            .await,
        0
    );

    // Submitting stores who answered and removes the draft.
    surveys::submit(&me, &named.id, effectiveness(5, "")).await.unwrap();
    let mut res = db
        .query("SELECT VALUE record::id(respondent) FROM survey_response WHERE survey = type::record('survey', $id)")
        .bind(("id", named.id.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();
    let who: Vec<String> = res.take(0).unwrap();
    assert_eq!(who, vec![ann.id.clone()]);
    assert_eq!(count(db, "SELECT id FROM survey_draft").await, 0);
    // After answering, no draft is stored any more.
    surveys::save_draft(&me, &named.id, partial).await.unwrap();
    assert_eq!(count(db, "SELECT id FROM survey_draft").await, 0);
    let f = surveys::form(db, &ann.id, &named.id).await.unwrap();
    assert!(f.answered && f.draft.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_opens_reminds_and_closes_exactly_once() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    let bob = person(db, "bob@example.com", "Engineering", vec![Role::Mentee]).await;
    let cy = person(db, "cy@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor), (&bob, &mentor), (&cy, &mentor)]).await;
    let s = scheduled(&w, Template::MentorEffectiveness, |d| {
        d.schedule.kind = ScheduleKind::Date;
        d.schedule.date = date_of_day(today() + 1);
        d.schedule.open_days = 10;
        d.schedule.remind_days_before = 3;
    })
    .await;
    assert_eq!((s.status, s.opens.clone()), (SurveyStatus::Scheduled, date_of_day(today() + 1)));
    assert_eq!(tick(db, &InAppOnly).await.unwrap(), TickReport::default(), "nothing is due yet");
    assert!(surveys::pending(db, &ann.id).await.unwrap().is_empty());
    // Back to draft (which forgets the dates) and scheduled again; a stale version changes nothing.
    let draft = surveys::unschedule(&w.admin, &s.id, s.version).await.unwrap();
    assert_eq!((draft.status, draft.opens.as_str()), (SurveyStatus::Draft, ""));
    assert!(is_conflict(&surveys::unschedule(&w.admin, &s.id, s.version).await.unwrap_err()));
    assert_eq!(tick(db, &InAppOnly).await.unwrap(), TickReport::default());
    let s = surveys::schedule(&w.admin, &s.id, draft.design.clone(), draft.version).await.unwrap();
    assert_eq!((s.status, s.opens.clone()), (SurveyStatus::Scheduled, date_of_day(today() + 1)));

    // It fell due while no server ran; two servers tick at once: it opens once.
    set(db, &s.id, "opens_at = time::now() - 1h").await;
    let (one, two) = two_ticks_at_once(db).await;
    assert_eq!(one.opened + two.opened, 1, "{one:?} {two:?}");
    assert_eq!(one.notified + two.notified, 3, "{one:?} {two:?}");
    assert_eq!(status(db, &s.id).await, SurveyStatus::Open);
    assert_eq!(notified(db, "svo_").await, ids(&[&ann, &bob, &cy]));
    // And again, one after the other: nothing more.
    for _ in 0..2 {
        let r = tick(db, &InAppOnly).await.unwrap();
        assert_eq!((r.opened, r.notified), (0, 0), "{r:?}");
    }
    assert_eq!(notified(db, "svo_").await, ids(&[&ann, &bob, &cy]));
    assert_eq!(surveys::list(db, None).await.unwrap()[0].invited, 3);

    // Ann answers; the reminder falls due; it reaches Bob and Cy once, even from two servers.
    surveys::submit(&access(db, Some(ann.clone())), &s.id, effectiveness(4, "")).await.unwrap();
    set(db, &s.id, "remind_at = time::now() - 1m").await;
    let (one, two) = two_ticks_at_once(db).await;
    assert_eq!(one.reminded + two.reminded, 1, "{one:?} {two:?}");
    assert_eq!(notified(db, "svr_").await, ids(&[&bob, &cy]));
    let r = tick(db, &InAppOnly).await.unwrap();
    assert_eq!((r.reminded, r.notified), (0, 0));
    assert_eq!(notified(db, "svr_").await, ids(&[&bob, &cy]));

    // Its close date passes: the next tick closes it, and it takes no more answers.
    set(db, &s.id, "closes_at = time::now() - 1m").await;
    let (one, two) = two_ticks_at_once(db).await;
    assert_eq!(one.closed + two.closed, 1, "{one:?} {two:?}");
    assert_eq!(status(db, &s.id).await, SurveyStatus::Closed);
    let e = surveys::submit(&access(db, Some(bob.clone())), &s.id, effectiveness(2, "")).await.unwrap_err();
    assert!(e.field_message("survey").unwrap().contains("no longer takes answers"), "{e:?}");
    assert_eq!(count(db, "SELECT id FROM survey_response").await, 1);
    assert!(!surveys::form(db, &bob.id, &s.id).await.unwrap().open);
    assert!(surveys::pending(db, &bob.id).await.unwrap().is_empty());
    assert_eq!(tick(db, &InAppOnly).await.unwrap(), TickReport::default());
}

#[tokio::test]
async fn a_survey_after_publishing_waits_for_the_pairs() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    let s = scheduled(&w, Template::FitCheck, |d| {
        d.schedule.kind = ScheduleKind::AfterPublish;
        d.schedule.days = 0;
    })
    .await;
    assert_eq!((s.status, s.opens.as_str()), (SurveyStatus::Scheduled, ""), "no pairs yet, so no date yet");
    let r = tick(db, &InAppOnly).await.unwrap();
    assert_eq!((r.timed, r.opened), (0, 0), "{r:?}");
    assert_eq!(status(db, &s.id).await, SurveyStatus::Scheduled);

    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let r = tick(db, &InAppOnly).await.unwrap();
    assert_eq!((r.timed, r.opened, r.notified), (1, 1, 2), "{r:?}");
    let e = surveys::edit(db, &s.id).await.unwrap();
    assert_eq!((e.status, e.opens), (SurveyStatus::Open, date_of_day(today())));
    assert_eq!(notified(db, "svo_").await, ids(&[&ann, &mentor]));
}

#[tokio::test]
async fn a_survey_without_reminders_sends_none() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let s = scheduled(&w, Template::MentorEffectiveness, |d| {
        now(d);
        d.schedule.remind_days_before = 0;
    })
    .await;
    assert_eq!(s.status, SurveyStatus::Open);
    let r = tick(db, &InAppOnly).await.unwrap();
    assert_eq!(r.reminded, 0, "{r:?}");
    assert!(notified(db, "svr_").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monthly_survey_schedules_its_next_round_once_inside_the_cohort() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let first = scheduled(&w, Template::MonthlyPulse, |d| {
        d.schedule.kind = ScheduleKind::Now;
        d.schedule.open_days = 7;
        d.schedule.remind_days_before = 0;
        assert!(d.schedule.repeat_monthly);
    })
    .await;
    assert_eq!(first.status, SurveyStatus::Open);
    for _ in 0..2 {
        tick(db, &InAppOnly).await.unwrap();
    }
    let listed = surveys::list(db, Some(&w.cohort)).await.unwrap();
    assert_eq!(listed.len(), 2, "one next round, however often the scheduler runs: {listed:?}");
    let next = listed.iter().find(|s| s.id != first.id).unwrap();
    assert_eq!((next.round, next.status), (2, SurveyStatus::Scheduled));
    let opens = app::validate::day_number(&next.opens).unwrap();
    assert!((today() + 28..=today() + 31).contains(&opens), "a month later: {}", next.opens);
    assert!(opens <= today() + 45, "inside the cohort");
    assert_eq!(next.closes, date_of_day(opens + 7));
    let again = surveys::edit(db, &next.id).await.unwrap();
    assert_eq!(again.design.questions, first.design.questions);

    // The cohort is cut short; round 2 falls due and opens, and no round 3 falls outside it.
    db.query("UPDATE type::record('cohort', $id) SET ends = <datetime>$ends")
        .bind(("id", w.cohort.clone()))
        .bind(("ends", format!("{}T00:00:00Z", date_of_day(today() + 20))))
        .await
        .unwrap()
        .check()
        .unwrap();
    set(db, &next.id, "opens_at = time::now() - 1h").await;
    let (one, two) = two_ticks_at_once(db).await;
    assert_eq!(one.opened + two.opened, 1, "{one:?} {two:?}");
    assert_eq!(status(db, &next.id).await, SurveyStatus::Open);
    let listed = surveys::list(db, Some(&w.cohort)).await.unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    // Ann was asked once per round.
    assert_eq!(notified(db, "svo_").await, vec![ann.id.clone(), ann.id.clone()]);
}

#[tokio::test]
async fn bad_answers_are_refused_with_a_reason_and_nothing_is_stored() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    let outsider = person(db, "outsider@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let s = scheduled(&w, Template::MentorEffectiveness, |d| {
        now(d);
        d.anonymous = false;
    })
    .await;
    let me = access(db, Some(ann.clone()));
    let mut partial = Answers::new();
    partial.insert("q1".into(), Answer::Scale(3));
    surveys::save_draft(&me, &s.id, partial.clone()).await.unwrap();
    /// No response, no "answered" mark, and the partial answers survive every refusal.
    async fn nothing_stored(db: &Db, user: &str, survey: &str, partial: &Answers) {
        assert_eq!(count(db, "SELECT id FROM survey_response").await, 0);
        assert_eq!(count(db, "SELECT id FROM survey_answered").await, 0);
        assert_eq!(&surveys::form(db, user, survey).await.unwrap().draft, partial);
    }
    let nothing_stored = || nothing_stored(db, &ann.id, &s.id, &partial);

    let mut out_of_range = effectiveness(4, "");
    out_of_range.insert("q2".into(), Answer::Scale(6));
    let e = surveys::submit(&me, &s.id, out_of_range).await.unwrap_err();
    assert_eq!(e.field_message("q2").as_deref(), Some("Pick a number from 1 to 5."), "{e:?}");
    nothing_stored().await;

    let mut unknown = effectiveness(4, "");
    unknown.insert("q99".into(), Answer::Scale(3));
    let e = surveys::submit(&me, &s.id, unknown).await.unwrap_err();
    assert!(e.field_message("answers").unwrap().contains("q99"), "{e:?}");
    nothing_stored().await;

    let mut missing = effectiveness(4, "");
    missing.remove("q3");
    let e = surveys::submit(&me, &s.id, missing).await.unwrap_err();
    assert_eq!(e.field_message("q3").as_deref(), Some("Please answer this question."), "{e:?}");
    nothing_stored().await;

    let mut wrong_kind = effectiveness(4, "");
    wrong_kind.insert("q1".into(), Answer::Text("five".into()));
    let e = surveys::submit(&me, &s.id, wrong_kind).await.unwrap_err();
    assert!(e.field_message("q1").is_some(), "{e:?}");
    nothing_stored().await;

    let e = surveys::submit(&me, &s.id, effectiveness(4, &"x".repeat(10_000))).await.unwrap_err();
    assert_eq!(e.field_message("q4").as_deref(), Some("Use at most 2000 characters (this has 10000)."), "{e:?}");
    nothing_stored().await;

    let them = access(db, Some(outsider.clone()));
    assert_eq!(surveys::submit(&them, &s.id, effectiveness(4, "")).await.unwrap_err(), AppError::NotFound);
    assert_eq!(surveys::save_draft(&them, &s.id, partial.clone()).await.unwrap_err(), AppError::NotFound);
    assert_eq!(surveys::submit(&me, "doesnotexist", effectiveness(4, "")).await.unwrap_err(), AppError::NotFound);
    assert_eq!(surveys::submit(&me, "../survey:x", effectiveness(4, "")).await.unwrap_err(), AppError::NotFound);
    nothing_stored().await;
    assert_eq!(count(db, "SELECT id FROM survey_draft").await, 1);

    surveys::close(&w.admin, &s.id).await.unwrap();
    let e = surveys::submit(&me, &s.id, effectiveness(4, "")).await.unwrap_err();
    assert!(e.field_message("survey").unwrap().contains("no longer takes answers"), "{e:?}");
    let e = surveys::save_draft(&me, &s.id, partial.clone()).await.unwrap_err();
    assert!(is_conflict(&e), "{e:?}");
    nothing_stored().await;
}

#[tokio::test]
async fn the_builder_refuses_an_unusable_design_and_keeps_anonymity() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    publish_pairs(db, &w.cohort, &[(&ann, &mentor)]).await;
    let unchanged = |e: &SurveyEdit| {
        let e = e.clone();
        async move {
            let now = surveys::edit(db, &e.id).await.unwrap();
            assert_eq!((now.status, now.version, now.design), (SurveyStatus::Draft, e.version, e.design));
            assert_eq!(count(db, "SELECT id FROM notification WHERE kind = 'survey'").await, 0);
        }
    };

    // No questions.
    let blank = surveys::create(&w.admin, &w.cohort, Template::Blank).await.unwrap();
    let mut d = blank.design.clone();
    d.title = "Empty".into();
    now(&mut d);
    let e = surveys::schedule(&w.admin, &blank.id, d, blank.version).await.unwrap_err();
    assert_eq!(e.field_message("questions").as_deref(), Some("Add at least one question."), "{e:?}");
    unchanged(&blank).await;

    // Duplicate options (the third question of the engagement survey is a choice).
    let eng = surveys::create(&w.admin, &w.cohort, Template::MenteeEngagement).await.unwrap();
    let mut d = eng.design.clone();
    now(&mut d);
    d.questions[2].options[1] = " weekly ".into();
    let e = surveys::schedule(&w.admin, &eng.id, d.clone(), eng.version).await.unwrap_err();
    assert!(e.field_message("q.2.options").unwrap().contains("appears twice"), "{e:?}");
    let e = surveys::save(&w.admin, &eng.id, d, eng.version).await.unwrap_err();
    assert!(e.field_message("q.2.options").is_some(), "a draft is not stored with duplicate options either: {e:?}");
    unchanged(&eng).await;

    // k below 3.
    let mut d = eng.design.clone();
    now(&mut d);
    d.min_group = 2;
    let e = surveys::schedule(&w.admin, &eng.id, d.clone(), eng.version).await.unwrap_err();
    assert!(e.field_message("min_group").unwrap().contains("from 3 to 50"), "{e:?}");
    let e = surveys::save(&w.admin, &eng.id, d, eng.version).await.unwrap_err();
    assert!(e.field_message("min_group").is_some(), "{e:?}");
    unchanged(&eng).await;
    // The database holds the line too.
    let mut res =
        db.query("UPDATE type::record('survey', $id) SET min_group = 2").bind(("id", eng.id.clone())).await.unwrap();
    assert_eq!(res.take_errors().len(), 1, "k below 3 is refused by the schema");
    unchanged(&eng).await;

    // Anonymity cannot be switched off once answers exist.
    let s = scheduled(&w, Template::MentorEffectiveness, now).await;
    surveys::submit(&access(db, Some(ann.clone())), &s.id, effectiveness(4, "")).await.unwrap();
    let before = surveys::edit(db, &s.id).await.unwrap();
    assert!(before.has_answers && before.design.anonymous);
    let mut d = before.design.clone();
    d.anonymous = false;
    let e = surveys::save(&w.admin, &s.id, d.clone(), before.version).await.unwrap_err();
    assert!(e.field_message("survey").is_some() || e.field_message("anonymous").is_some(), "{e:?}");
    assert!(surveys::schedule(&w.admin, &s.id, d, before.version).await.is_err());
    let after = surveys::edit(db, &s.id).await.unwrap();
    assert!(after.design.anonymous && after.version == before.version);
    let mut res = db
        .query("SELECT VALUE anonymous FROM survey WHERE id = type::record('survey', $id)")
        .bind(("id", s.id.clone()))
        .await
        .unwrap();
    assert_eq!(res.take::<Vec<bool>>(0).unwrap(), vec![true]);
}

#[tokio::test]
async fn results_hide_groups_under_k_and_free_text_from_leadership() {
    let w = world().await;
    let db = &w.db;
    let mentor1 = person(db, "mentor1@example.com", "Sales", vec![Role::Mentor]).await;
    let mentor2 = person(db, "mentor2@example.com", "Sales", vec![Role::Mentor]).await;
    // Engineering 7, Sales 5, Legal 2.
    let mut mentees = Vec::new();
    for (dept, n) in [("Engineering", 7), ("Sales", 5), ("Legal", 2)] {
        for i in 0..n {
            mentees
                .push(person(db, &format!("{}{i}@example.com", dept.to_lowercase()), dept, vec![Role::Mentee]).await);
        }
    }
    let pairs: Vec<(&SessionUser, &SessionUser)> =
        mentees.iter().enumerate().map(|(i, m)| (m, if i % 2 == 0 { &mentor1 } else { &mentor2 })).collect();
    publish_pairs(db, &w.cohort, &pairs).await;
    let s = scheduled(&w, Template::MentorEffectiveness, now).await;
    assert_eq!(s.design.min_group, 5);
    let answer = |i: usize, q1: u8| {
        let who = access(db, Some(mentees[i].clone()));
        let id = s.id.clone();
        async move { surveys::submit(&who, &id, effectiveness(q1, &format!("note {i}"))).await.unwrap() }
    };

    // Four answers: every question is hidden, free text too.
    for (i, v) in [4, 5, 4, 5].into_iter().enumerate() {
        answer(i, v).await;
    }
    let r = surveys::results(db, &s.id, Dimension::None, true).await.unwrap();
    assert_eq!((r.invited, r.answered, r.k), (14, 4, 5));
    for q in &r.questions {
        assert_eq!(q.hidden.as_deref(), Some("fewer than 5 answers"), "{:?}", q.question.id);
        assert!(q.mean.is_none() && q.distribution.is_empty() && q.texts.is_empty() && q.n == 0);
    }
    assert!(r.texts_hidden.is_some());

    // The fifth answer shows them, with the right mean (4, 5, 4, 5, 5).
    answer(4, 5).await;
    let r = surveys::results(db, &s.id, Dimension::None, true).await.unwrap();
    let q1 = &r.questions[0];
    assert_eq!((q1.hidden.as_deref(), q1.n), (None, 5));
    assert!((q1.mean.unwrap().value - 4.6).abs() < 1e-9, "{:?}", q1.mean);
    assert_eq!(q1.distribution, [(1, 0), (2, 0), (3, 0), (4, 2), (5, 3)].map(|(p, n)| (p.to_string(), n)).to_vec());
    assert_eq!(r.texts_hidden, None);
    assert_eq!(r.questions[3].texts.len(), 5, "admins read free text once k answered");
    // Leadership reads the same aggregates and never free text.
    let lead = surveys::results(db, &s.id, Dimension::None, false).await.unwrap();
    assert!(lead.texts_hidden.is_some());
    assert!(lead.questions.iter().all(|q| q.texts.is_empty()));
    assert_eq!(lead.questions[0].mean, q1.mean);

    // Everyone answers: Legal (2) is hidden, and Sales with it, so that Legal is not
    // total − Engineering − Sales.
    let rest: Vec<(usize, bool)> =
        mentees.iter().enumerate().skip(5).map(|(i, m)| (i, m.email.starts_with("legal"))).collect();
    for (i, legal) in rest {
        answer(i, if legal { 1 } else { 3 }).await;
    }
    let r = surveys::results(db, &s.id, Dimension::Department, true).await.unwrap();
    assert_eq!(r.answered, 14);
    let by: BTreeMap<&str, _> = r.groups.iter().map(|g| (g.label.as_str(), g)).collect();
    assert_eq!(by.len(), 3);
    assert_eq!((by["Engineering"].n, by["Engineering"].hidden.as_deref()), (7, None));
    assert_eq!((by["Legal"].n, by["Legal"].hidden.as_deref()), (0, Some("fewer than 5 answers")));
    assert_eq!(by["Sales"].n, 0);
    assert!(by["Sales"].hidden.as_deref().unwrap().contains("worked out from the total"), "{:?}", by["Sales"]);
    let q1 = &r.questions[0];
    let g: BTreeMap<&str, _> = q1.groups.iter().map(|g| (g.label.as_str(), g)).collect();
    assert!(g["Legal"].mean.is_none() && g["Sales"].mean.is_none());
    // Engineering: 4, 5, 4, 5, 5, 3, 3.
    assert!((g["Engineering"].mean.unwrap().value - 29.0 / 7.0).abs() < 1e-9);
    // No text carries a department, a day or anything else.
    assert_eq!(r.questions[3].texts.len(), 14);
    let lead = surveys::results(db, &s.id, Dimension::Department, false).await.unwrap();
    assert!(lead.questions.iter().all(|q| q.texts.is_empty()));
    assert_eq!(lead.groups, r.groups);
}

#[tokio::test]
async fn results_are_kept_until_an_answer_comes_in_and_the_trend_follows_every_round() {
    let w = world().await;
    let db = &w.db;
    let mentor = person(db, "mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let mut mentees = Vec::new();
    for i in 0..5 {
        mentees.push(person(db, &format!("mentee{i}@example.com"), "Engineering", vec![Role::Mentee]).await);
    }
    let pairs: Vec<(&SessionUser, &SessionUser)> = mentees.iter().map(|m| (m, &mentor)).collect();
    publish_pairs(db, &w.cohort, &pairs).await;
    let k3 = |d: &mut SurveyDesign| {
        now(d);
        d.min_group = 3;
    };
    let first = scheduled(&w, Template::MentorEffectiveness, k3).await;
    let second = scheduled(&w, Template::MentorEffectiveness, k3).await;
    set(db, &second.id, &format!("series = '{}', round = 2", first.id)).await;
    let answer = |survey: &str, i: usize, q1: u8| {
        let who = access(db, Some(mentees[i].clone()));
        let id = survey.to_string();
        async move { surveys::submit(&who, &id, effectiveness(q1, "")).await.unwrap() }
    };
    for i in 0..4 {
        answer(&first.id, i, 2).await;
    }
    surveys::close(&w.admin, &first.id).await.unwrap();
    for i in 0..3 {
        answer(&second.id, i, 4).await;
    }
    let trend = |r: &app::domain::surveys::report::SurveyResults| -> Vec<(u32, u32, Option<f64>)> {
        r.rounds.iter().map(|p| (p.round, p.answered, p.mean.map(|m| m.value))).collect()
    };
    let r = surveys::results(db, &second.id, Dimension::None, true).await.unwrap();
    assert_eq!(trend(&r), vec![(1, 4, Some(2.0)), (2, 3, Some(4.0))]);
    // Kept: the same again, and the same as read afresh.
    assert_eq!(surveys::results(db, &second.id, Dimension::None, true).await.unwrap(), r);
    surveys::clear_results_cache();
    assert_eq!(surveys::results(db, &second.id, Dimension::None, true).await.unwrap(), r);
    // A new answer shows at once, in the survey and in its point of the trend.
    answer(&second.id, 3, 5).await;
    let r = surveys::results(db, &second.id, Dimension::None, true).await.unwrap();
    assert_eq!(r.answered, 4);
    assert_eq!(trend(&r), vec![(1, 4, Some(2.0)), (2, 4, Some(4.25))]);
    surveys::clear_results_cache();
    assert_eq!(surveys::results(db, &second.id, Dimension::None, true).await.unwrap(), r, "as read afresh");
    // A response dated before the last day kept (only a direct write makes one) is read too.
    db.query(
        "CREATE survey_response SET org = org:main, survey = type::record('survey', $id), side = 'mentee',
             department = 'Engineering', level = 4, day = $day, answers = { q1: { scale: 1 } }",
    )
    .bind(("id", second.id.clone()))
    .bind(("day", date_of_day(today() - 1)))
    .await
    .unwrap()
    .check()
    .unwrap();
    let r = surveys::results(db, &second.id, Dimension::None, true).await.unwrap();
    assert_eq!(trend(&r), vec![(1, 4, Some(2.0)), (2, 5, Some(3.6))]);
    assert_eq!(r.by_day.first(), Some(&(date_of_day(today() - 1), 1)));
    // An answer stored by another app server reaches this one through the live feed, which
    // hands the record over: kept without a read, and the same as read afresh.
    assert_eq!(surveys::kept_responses(&second.id), Some(5));
    let mut res = db
        .query(
            "CREATE ONLY survey_response SET org = org:main, survey = type::record('survey', $id), side = 'mentee',
                 department = 'Engineering', level = 4, day = $day, answers = { q1: { scale: 5 } } RETURN AFTER",
        )
        .bind(("id", second.id.clone()))
        .bind(("day", date_of_day(today())))
        .await
        .unwrap();
    let record: surrealdb::types::Value = res.take(0).unwrap();
    surveys::response_created(db.clone(), record.clone()).await;
    assert_eq!(surveys::kept_responses(&second.id), Some(6), "handed over");
    surveys::response_created(db.clone(), record).await;
    assert_eq!(surveys::kept_responses(&second.id), Some(6), "handed over twice, kept once");
    let r = surveys::results(db, &second.id, Dimension::None, true).await.unwrap();
    assert_eq!(trend(&r), vec![(1, 4, Some(2.0)), (2, 6, Some(23.0 / 6.0))]);
    surveys::clear_results_cache();
    assert_eq!(surveys::results(db, &second.id, Dimension::None, true).await.unwrap(), r, "as read afresh");
    // The closed round, for leadership, by side.
    let closed = surveys::results(db, &first.id, Dimension::Side, false).await.unwrap();
    assert_eq!((closed.status, closed.answered, closed.groups.len()), (SurveyStatus::Closed, 4, 1));
    assert!(closed.questions.iter().all(|q| q.texts.is_empty()));
    // The counts the survey list and the builder show.
    let listed = surveys::list(db, Some(&w.cohort)).await.unwrap();
    let answered: BTreeMap<&str, u32> = listed.iter().map(|s| (s.id.as_str(), s.answered)).collect();
    assert_eq!((answered[first.id.as_str()], answered[second.id.as_str()]), (4, 4));
    assert!(surveys::edit(db, &first.id).await.unwrap().has_answers);
    // At start-up the server reads open and recently closed surveys ahead of the first look.
    surveys::clear_results_cache();
    assert_eq!(surveys::kept_responses(&second.id), None);
    assert!(surveys::warm(db).await.unwrap() >= 2);
    assert_eq!((surveys::kept_responses(&second.id), surveys::kept_responses(&first.id)), (Some(6), Some(4)));
}
