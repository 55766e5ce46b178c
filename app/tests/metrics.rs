//! Service tests of the dashboard metrics on the real SurrealDB engine (in memory): a small cohort
//! written the way the app writes it, then the dashboard the server computes compared with the
//! numbers worked out by hand from what was written. Also the k rule for leadership, objective
//! status, bad filters, and CSV exports.
#![cfg(feature = "ssr")]

mod common;

use app::db::Db;
use app::domain::auth::types::{Role, SessionUser};
use app::domain::metrics::server as metrics;
use app::domain::metrics::types::{Filters, Standing, Table};
use app::domain::surveys::server as surveys;
use app::domain::surveys::templates::Template;
use app::domain::surveys::types::{Answer, Answers, ScheduleKind};
use app::error::AppError;
use app::validate::date_of_day;
use common::{access, person, today, world};

async fn run(db: &Db, sql: &str, binds: Vec<(&'static str, serde_json::Value)>) {
    let mut q = db.query(sql);
    for (k, v) in binds {
        q = q.bind((k, v));
    }
    q.await.unwrap().check().unwrap();
}

/// The world's cohort, running (as publishing its pairs leaves it).
async fn running(db: &Db, cohort: &str) {
    run(db, "UPDATE type::record('cohort', $c) SET status = 'running'", vec![("c", cohort.into())]).await;
}

/// A pair published `days_ago` days ago (its start), returned as its key.
async fn pair(db: &Db, cohort: &str, mentee: &SessionUser, mentor: &SessionUser, days_ago: i64) -> String {
    let key = format!("p_{}", mentee.id);
    run(
        db,
        "CREATE type::record('pairing', $key) SET org = org:main, cohort = type::record('cohort', $c),
             mentee = type::record('user', $e), mentor = type::record('user', $o), score = 80,
             created_at = time::now() - type::duration($ago)",
        vec![
            ("key", key.clone().into()),
            ("c", cohort.into()),
            ("e", mentee.id.clone().into()),
            ("o", mentor.id.clone().into()),
            ("ago", format!("{days_ago}d").into()),
        ],
    )
    .await;
    key
}

async fn application(db: &Db, cohort: &str, who: &SessionUser, eligible: bool, status: &str) {
    run(
        db,
        "CREATE application SET org = org:main, cohort = type::record('cohort', $c), user = type::record('user', $u),
             side = 'mentee', eligible = $el, status = $st",
        vec![("c", cohort.into()), ("u", who.id.clone().into()), ("el", eligible.into()), ("st", status.into())],
    )
    .await;
}

async fn meeting(db: &Db, pair: &str, days_ago: i64, minutes: i64, by: &SessionUser) {
    run(
        db,
        "CREATE meeting SET org = org:main, pairing = type::record('pairing', $p), on = <datetime> $on,
             minutes = $m, topics = 'Delegation', created_by = type::record('user', $by)",
        vec![
            ("p", pair.into()),
            ("on", format!("{}T10:00:00Z", date_of_day(today() - days_ago)).into()),
            ("m", minutes.into()),
            ("by", by.id.clone().into()),
        ],
    )
    .await;
}

/// A goal of `pair`, completed `completed_ago` days ago if given, with milestones (done `n` days
/// ago, or open), and check-ins `checkins` days ago.
async fn goal(db: &Db, pair: &str, completed_ago: Option<i64>, milestones: &[Option<i64>], checkins: &[i64]) {
    let ms: Vec<serde_json::Value> = milestones
        .iter()
        .map(|m| match m {
            Some(ago) => serde_json::json!({ "title": "M", "due": date_of_day(today()), "done": true, "done_on": date_of_day(today() - ago) }),
            None => serde_json::json!({ "title": "M", "due": date_of_day(today()), "done": false, "done_on": "" }),
        })
        .collect();
    let status = if completed_ago.is_some() { "completed" } else { "approved" };
    run(
        db,
        "LET $p = type::record('pairing', $pair);
         LET $g = CREATE ONLY goal SET org = org:main, pairing = $p, cohort = $p.cohort, mentee = $p.mentee, mentor = $p.mentor,
             status = $status, milestones = $ms, submitted_at = time::now() - 20d, approved_at = time::now() - 19d,
             completed_at = IF $done THEN time::now() - type::duration($done) END;
         FOR $c IN $checkins {
             CREATE checkin SET org = org:main, goal = $g.id, author = $p.mentee, progress = 50, note = 'On it',
                 created_at = time::now() - type::duration($c);
         };",
        vec![
            ("pair", pair.into()),
            ("status", status.into()),
            ("ms", serde_json::Value::Array(ms)),
            ("done", completed_ago.map(|d| format!("{d}d")).into()),
            ("checkins", checkins.iter().map(|c| format!("{c}d")).collect::<Vec<_>>().into()),
        ],
    )
    .await;
}

#[tokio::test]
async fn the_dashboard_counts_what_was_written() {
    let w = world().await;
    let db = &w.db;
    running(db, &w.cohort).await;
    // The world's cohort runs from 30 days ago to 45 days from now. Seven mentees apply (one not
    // eligible, one not approved); five are matched to two mentors 28 days ago.
    let m1 = person(db, "m1@example.com", "Engineering", vec![Role::Mentor]).await;
    let m2 = person(db, "m2@example.com", "Engineering", vec![Role::Mentor]).await;
    let mut mentees = Vec::new();
    for (i, dept) in ["Sales", "Sales", "Sales", "Sales", "Sales", "Ops", "Ops"].iter().enumerate() {
        mentees.push(person(db, &format!("e{i}@example.com"), dept, vec![Role::Mentee]).await);
    }
    for (i, m) in mentees.iter().enumerate() {
        let (eligible, status) = match i {
            6 => (false, "rejected"),
            5 => (true, "pending"),
            _ => (true, "approved"),
        };
        application(db, &w.cohort, m, eligible, status).await;
    }
    let mut pairs = Vec::new();
    for (i, m) in mentees.iter().take(5).enumerate() {
        pairs.push(pair(db, &w.cohort, m, if i < 3 { &m1 } else { &m2 }, 28).await);
    }
    // Pair 0 meets four times (60 min each) and completes two goals; pair 1 meets once, 27 days
    // ago, and is quiet since; pair 2 met twice; pairs 3 and 4 never met. Pair 4 ended 10 days ago.
    for ago in [27, 20, 12, 3] {
        meeting(db, &pairs[0], ago, 60, &m1).await;
    }
    meeting(db, &pairs[1], 27, 30, &m1).await;
    meeting(db, &pairs[2], 15, 45, &m1).await;
    meeting(db, &pairs[2], 5, 45, &m1).await;
    // A planned meeting (in the future) is not activity.
    meeting(db, &pairs[3], -3, 60, &m2).await;
    goal(db, &pairs[0], Some(10), &[Some(15), Some(11)], &[14, 6]).await;
    goal(db, &pairs[0], Some(2), &[None], &[2]).await;
    goal(db, &pairs[2], None, &[Some(4), None], &[4]).await;
    run(
        db,
        "UPDATE type::record('pairing', $p) SET status = 'ended', ended_at = time::now() - 10d, end_reason = 'No fit'",
        vec![("p", pairs[4].clone().into())],
    )
    .await;

    let d = metrics::get(db, &Filters::default(), true).await.unwrap();
    let funnel: Vec<(&str, u32)> = d.funnel.iter().map(|s| (s.label.as_str(), s.count)).collect();
    assert_eq!(
        funnel,
        [
            ("Applied", 7),
            ("Eligible", 6),
            ("Approved", 5),
            ("Matched", 5),
            ("First meeting", 3),
            // Pair 0 (3 days ago), pair 2 (5 days ago, and a check-in 4 days ago); pair 1 quiet
            // 27 days (limit 21); pair 3 never met since its start 28 days ago; pair 4 ended.
            ("Active lately", 2),
            ("Completed", 0),
        ]
    );
    let t = &d.totals;
    assert_eq!((t.mentees, t.mentors, t.running_pairs, t.ended_pairs, t.quiet_pairs), (5, 2, 4, 1, 2));
    assert_eq!((t.meetings, t.checkins), (7, 4), "the planned meeting is not counted");
    assert!((t.hours - (4.0 * 60.0 + 30.0 + 90.0) / 60.0).abs() < 1e-9);
    assert_eq!((t.goals_created, t.goals_sent, t.goals_approved, t.goals_completed), (3, 3, 3, 2));
    assert_eq!((t.milestones, t.milestones_done), (5, 3));
    // Pair-months: four running pairs 28 days each, the ended one 18 days.
    let months = (4.0 * 28.0 + 18.0) / 30.4375;
    assert!((t.meetings_per_pair_month.unwrap() - 7.0 / months).abs() < 1e-6, "{:?}", t.meetings_per_pair_month);
    let by_month: u32 = d.months.iter().map(|m| m.meetings).sum();
    assert_eq!(by_month, 7);
    // Admins see the pairs of one cohort.
    assert!(d.pairs.is_empty(), "no cohort chosen");
    let one = Filters { cohort: w.cohort.clone(), ..Filters::default() };
    let d1 = metrics::get(db, &one, true).await.unwrap();
    assert_eq!(d1.pairs.len(), 5);
    let states: Vec<&str> = d1.pairs.iter().map(|p| p.state.as_str()).collect();
    assert_eq!(states.iter().filter(|s| **s == "Quiet").count(), 2);
    assert_eq!(states.iter().filter(|s| **s == "Ended").count(), 1);

    // Leadership: aggregates only; Sales (5 matched) shows, and nothing else is there to hide.
    let lead = metrics::get(db, &Filters::default(), false).await.unwrap();
    assert!(lead.pairs.is_empty());
    let sales = lead.departments.iter().find(|g| g.label == "Sales").unwrap();
    assert_eq!((sales.mentees, sales.hidden.as_deref()), (5, None));
    assert_eq!(sales.active_pct, Some(40.0));
    // Level 4 is everybody's level (the harness gives everyone 4): one group of 5.
    assert_eq!(lead.levels.len(), 1);
    // A department narrows to its mentees; with 5 Sales mentees it is the same as the whole.
    let sales_only = Filters { department: "Sales".into(), ..Filters::default() };
    let s = metrics::get(db, &sales_only, false).await.unwrap();
    assert_eq!((s.totals.mentees, s.totals.meetings), (5, 7));
    // Narrowed below k, leadership is refused (the breakdown hides that group); admins see it.
    let ops = Filters { department: "Ops".into(), ..Filters::default() };
    let refused = metrics::get(db, &ops, false).await.unwrap_err();
    assert!(refused.field_message("department").unwrap().starts_with("Fewer than 5 mentees are in this selection (0)"));
    assert_eq!(metrics::get(db, &ops, true).await.unwrap().totals.mentees, 0);
    // A cohort with fewer than k mentees is hidden from leadership, shown to admins.
    let m = &mentees[5];
    run(db, "UPDATE type::record('user', $u) SET department = 'Legal'", vec![("u", m.id.clone().into())]).await;
    let extra = pair(db, &w.cohort, m, &m2, 5).await;
    let _ = extra;
    let lead = metrics::get(db, &Filters::default(), false).await.unwrap();
    let hidden: Vec<(&str, Option<&str>)> =
        lead.departments.iter().map(|g| (g.label.as_str(), g.hidden.as_deref())).collect();
    // Legal has 1 mentee: hidden; Sales (5) must then be hidden too, or Legal = total − Sales.
    assert_eq!(
        hidden,
        [
            ("Legal", Some("fewer than 5 mentees")),
            ("Sales", Some("hidden so that a group of fewer than 5 cannot be worked out from the total"))
        ]
    );
    assert!(lead.departments.iter().all(|g| g.mentees == 0 && g.active_pct.is_none()));
}

#[tokio::test]
async fn objectives_survey_figures_bad_filters_and_exports() {
    let w = world().await;
    let db = &w.db;
    running(db, &w.cohort).await;
    let mentor = person(db, "mentor@example.com", "Engineering", vec![Role::Mentor]).await;
    let mut mentees = Vec::new();
    for i in 0..5 {
        mentees.push(person(db, &format!("e{i}@example.com"), "Sales", vec![Role::Mentee]).await);
    }
    let mut pairs = Vec::new();
    for m in &mentees {
        pairs.push(pair(db, &w.cohort, m, &mentor, 30).await);
    }
    // Two of five mentees complete two goals: 40 %.
    for p in &pairs[..2] {
        goal(db, p, Some(5), &[], &[]).await;
        goal(db, p, Some(3), &[], &[]).await;
    }
    // Bind the program's objective to the metric with a target of 60 % by the cohort's end.
    run(
        db,
        "LET $p = (SELECT VALUE program FROM type::record('cohort', $c))[0];
         LET $o = $p.design.objectives;
         UPDATE $p SET design.objectives = [object::extend($o[0], { metric: 'mentees_completing_two_goals', target: '60', time_bound: $due })]",
        vec![("c", w.cohort.clone().into()), ("due", date_of_day(today() + 45).into())],
    )
    .await;
    let d = metrics::get(db, &Filters::default(), false).await.unwrap();
    assert_eq!(d.objectives.len(), 1);
    let o = &d.objectives[0];
    assert_eq!((o.value, o.target, o.unit.as_str()), (Some(40.0), 60.0, "%"));
    // 30 of 75 days gone: 24 % expected by now, 40 % is on track.
    assert_eq!(o.standing, Standing::OnTrack, "{}", o.note);
    let program = {
        let mut res = db
            .query("SELECT VALUE record::id(program) FROM type::record('cohort', $c)")
            .bind(("c", w.cohort.clone()))
            .await
            .unwrap();
        res.take::<Vec<String>>(0).unwrap().remove(0)
    };
    let on_program = metrics::program_objectives(db, &program, false).await.unwrap();
    assert_eq!(on_program, d.objectives);

    // Mentor effectiveness: 4 answers are under k = 5 (hidden), the 5th shows the mean.
    let e = surveys::create(&w.admin, &w.cohort, Template::MentorEffectiveness).await.unwrap();
    let mut design = e.design.clone();
    design.schedule.kind = ScheduleKind::Now;
    design.schedule.open_days = 14;
    let s = surveys::schedule(&w.admin, &e.id, design, e.version).await.unwrap();
    let answer = |i: usize, v: u8| {
        let who = access(db, Some(mentees[i].clone()));
        let id = s.id.clone();
        async move {
            let mut a = Answers::new();
            a.insert("q1".into(), Answer::Scale(v));
            a.insert("q2".into(), Answer::Scale(4));
            a.insert("q3".into(), Answer::Scale(3));
            surveys::submit(&who, &id, a).await.unwrap();
        }
    };
    for (i, v) in [5, 4, 4, 3].into_iter().enumerate() {
        answer(i, v).await;
    }
    let d = metrics::get(db, &Filters::default(), false).await.unwrap();
    let eff = d.measures.iter().find(|m| m.label.starts_with("Mentor effectiveness")).unwrap();
    assert_eq!((eff.n, eff.value, eff.hidden.as_deref()), (0, None, Some("fewer than 5 answers")));
    answer(4, 4).await;
    let d = metrics::get(db, &Filters::default(), false).await.unwrap();
    let eff = d.measures.iter().find(|m| m.label.starts_with("Mentor effectiveness")).unwrap();
    assert_eq!(eff.n, 5);
    assert!((eff.value.unwrap().value - 4.0).abs() < 1e-9);
    assert_eq!(d.surveys_by_cohort.len(), 1);
    assert_eq!(d.surveys_by_approach.len(), 1);
    assert!((d.surveys_by_approach[0].measures[0].value.unwrap().value - 4.0).abs() < 1e-9);

    // Bad filters: a clear error per field.
    let bad = |f: Filters| async move { metrics::get(db, &f, true).await.unwrap_err() };
    let e = bad(Filters { cohort: "nope".into(), ..Filters::default() }).await;
    assert_eq!(e.field_message("cohort").as_deref(), Some("No such cohort. Choose one from the list."));
    let e = bad(Filters { department: "Nowhere".into(), ..Filters::default() }).await;
    assert!(e.field_message("department").is_some());
    let e = bad(Filters { from: "2026-05-01".into(), to: "2026-04-01".into(), ..Filters::default() }).await;
    assert_eq!(e.field_message("to").as_deref(), Some("The end of the range is before its start."));
    let e = bad(Filters { from: "May 1".into(), ..Filters::default() }).await;
    assert!(matches!(e, AppError::Validation(_)));

    // CSV: the same rows as the screen, a BOM and a header.
    let d = metrics::get(db, &Filters { cohort: w.cohort.clone(), ..Filters::default() }, true).await.unwrap();
    let (header, rows) = app::domain::metrics::csv::table(&d, Table::Pairs);
    let csv = app::domain::metrics::csv::file(&header, &rows);
    assert!(csv.starts_with("\u{feff}mentee,mentor,department,state"));
    assert_eq!(csv.lines().count(), 1 + 5);
    let (_, rows) = app::domain::metrics::csv::table(&d, Table::Funnel);
    assert_eq!(rows.len(), 7);
}

/// Every statement of the query the dashboards read their facts with runs on an empty cohort.
#[tokio::test]
async fn facts_query_runs() {
    let w = world().await;
    let mut res = w.db.query(metrics::FACTS).await.unwrap();
    let errors = res.take_errors();
    assert!(errors.is_empty(), "the facts query failed: {errors:?}");
}

/// The facts are read once while nothing changes (the dashboards and the cohort comparison share
/// them), again after a change the live feed reports, and afresh on every call without the feed.
#[tokio::test]
async fn kept_facts_last_until_a_change() {
    let w = world().await;
    let cache = metrics::MetricsCache::default();
    let (a, b) = (cache.facts(&w.db).await.unwrap(), cache.facts(&w.db).await.unwrap());
    assert!(!std::sync::Arc::ptr_eq(&a, &b), "without the live feed nothing is kept");
    cache.watching(true);
    let (a, b) = (cache.facts(&w.db).await.unwrap(), cache.facts(&w.db).await.unwrap());
    assert!(std::sync::Arc::ptr_eq(&a, &b), "kept while nothing changed");
    // The world's cohort is a draft, which the dashboards leave out; once it runs, it is in.
    assert_eq!(a.ds.cohorts.len(), 0);
    run(&w.db, "UPDATE type::record('cohort', $c) SET status = 'running'", vec![("c", w.cohort.clone().into())]).await;
    cache.changed();
    let c = cache.facts(&w.db).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&a, &c), "read again after a change");
    assert_eq!(c.ds.cohorts.len(), 1);
    // The dashboard made meanwhile uses the same kept facts, and is kept itself.
    let d1 = cache.dashboard(&w.db, &Filters::default(), true).await.unwrap();
    let d2 = cache.dashboard(&w.db, &Filters::default(), true).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&d1, &d2));
    assert!(std::sync::Arc::ptr_eq(&c, &cache.facts(&w.db).await.unwrap()));
}
