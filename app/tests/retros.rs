//! Service tests of cohort retrospectives on the real SurrealDB engine (in memory): two cohorts
//! written the way the app writes them, compared, and the figures checked against values worked
//! out by hand (Welch and Hedges' g for goals per mentee, Newcombe for first meetings); the k rule
//! for leadership; notes with their history and version check; and a lesson carried into the
//! next cohort.
#![cfg(feature = "ssr")]

mod common;

use app::db::Db;
use app::domain::auth::types::{Role, SessionUser};
use app::domain::cohort::server as cohorts;
use app::domain::cohort::types::CohortInput;
use app::domain::metrics::server::MetricsCache;
use app::domain::retro::server as retro;
use app::domain::retro::types::{CompareInput, Decision, DecisionInput, DeleteNoteInput, NoteInput, NoteKind, Outcome};
use app::error::AppError;
use app::validate::date_of_day;
use common::{person, today, world};

async fn run(db: &Db, sql: &str, binds: Vec<(&'static str, serde_json::Value)>) {
    let mut q = db.query(sql);
    for (k, v) in binds {
        q = q.bind((k, v));
    }
    q.await.unwrap().check().unwrap();
}

/// A pair that started 28 days ago with `goals` goals completed, and a meeting if `met`.
async fn pair(db: &Db, cohort: &str, mentee: &SessionUser, mentor: &SessionUser, goals: usize, met: bool) {
    run(
        db,
        "LET $p = CREATE ONLY type::record('pairing', $key) SET org = org:main, cohort = type::record('cohort', $c),
             mentee = type::record('user', $e), mentor = type::record('user', $o), score = 80,
             created_at = time::now() - 28d;
         FOR $i IN $goals {
             CREATE goal SET org = org:main, pairing = $p.id, cohort = $p.cohort, mentee = $p.mentee,
                 mentor = $p.mentor, status = 'completed', milestones = [], submitted_at = time::now() - 20d,
                 approved_at = time::now() - 19d, completed_at = time::now() - 5d;
         };
         IF $met {
             CREATE meeting SET org = org:main, pairing = $p.id, on = time::now() - 10d, minutes = 45,
                 topics = 'Delegation', created_by = $p.mentor;
         };",
        vec![
            ("key", format!("p_{}", mentee.id).into()),
            ("c", cohort.into()),
            ("e", mentee.id.clone().into()),
            ("o", mentor.id.clone().into()),
            ("goals", (0..goals).collect::<Vec<usize>>().into()),
            ("met", met.into()),
        ],
    )
    .await;
}

/// A second cohort of the world's program, meeting weekly, `status`, starting `starts` days from
/// today.
async fn another(w: &common::World, name: &str, starts: i64, status: &str) -> String {
    let program = cohorts::get(&w.db, &w.cohort).await.unwrap().program_id;
    let c = cohorts::create(
        &w.admin,
        CohortInput {
            program_id: program,
            name: name.into(),
            starts: date_of_day(today() + starts),
            ends: date_of_day(today() + starts + 90),
            approach: String::new(),
            matching_mode: "optimal".into(),
            meeting_cadence: "weekly".into(),
            workshop_format: "remote".into(),
        },
    )
    .await
    .unwrap();
    run(
        &w.db,
        "UPDATE type::record('cohort', $c) SET status = $s",
        vec![("c", c.id.clone().into()), ("s", status.into())],
    )
    .await;
    c.id
}

/// Cohort A (the world's, biweekly): goals [2, 1, 0, 0], 3 of 4 met; cohort B (weekly): goals
/// [3, 2, 2, 1, 2], all met.
async fn two_cohorts() -> (common::World, String) {
    let w = world().await;
    let db = &w.db;
    run(db, "UPDATE type::record('cohort', $c) SET status = 'running'", vec![("c", w.cohort.clone().into())]).await;
    let b = another(&w, "Spring cohort", -40, "running").await;
    let mentor = person(db, "mentor@example.com", "Engineering", vec![Role::Mentor]).await;
    for (i, (goals, met)) in [(2, true), (1, true), (0, true), (0, false)].into_iter().enumerate() {
        let m = person(db, &format!("a{i}@example.com"), "Sales", vec![Role::Mentee]).await;
        pair(db, &w.cohort, &m, &mentor, goals, met).await;
    }
    for (i, goals) in [3, 2, 2, 1, 2].into_iter().enumerate() {
        let m = person(db, &format!("b{i}@example.com"), "Sales", vec![Role::Mentee]).await;
        pair(db, &b, &m, &mentor, goals, true).await;
    }
    (w, b)
}

#[tokio::test]
async fn the_comparison_matches_the_figures_worked_out_by_hand() {
    let (w, b) = two_cohorts().await;
    let db = &w.db;
    let input = CompareInput { cohorts: vec![w.cohort.clone(), b.clone()], by: String::new() };
    let c = retro::comparison(db, &MetricsCache::default(), &input, true).await.unwrap();
    assert_eq!(
        c.sides.iter().map(|s| (s.label.as_str(), s.mentees)).collect::<Vec<_>>(),
        [("Winter cohort", 4), ("Spring cohort", 5)]
    );
    let diff = |o: Outcome| c.differences.iter().find(|d| d.outcome == o).unwrap().clone();
    // Goals per mentee: 2.0 − 0.75 = 1.25, Welch 95 % CI −0.191 to 2.691; Hedges' g 1.349.
    let g = diff(Outcome::GoalsPerMentee);
    let e = g.diff.unwrap();
    assert!(
        (e.value - 1.25).abs() < 1e-9 && (e.low + 0.19139).abs() < 1e-3 && (e.high - 2.69139).abs() < 1e-3,
        "{e:?}"
    );
    assert!((g.effect.unwrap().value - 1.34884).abs() < 1e-3);
    assert!(!g.clear);
    // First meeting: 5/5 − 3/4 = 25 points, Newcombe −23.0 to 69.9.
    let f = diff(Outcome::FirstMeeting).diff.unwrap();
    assert!((f.value - 25.0).abs() < 1e-9 && (f.low + 23.017).abs() < 0.01 && (f.high - 69.936).abs() < 0.01, "{f:?}");
    // The tables export with the same numbers.
    let csv = retro::csv_of(&c, app::domain::retro::types::RetroTable::Differences);
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("Goals completed per mentee,Spring cohort − Winter cohort,1.25,-0.1914,2.6914"), "{csv}");

    // Leadership: a cohort of fewer than five matched mentees cannot be picked.
    let e = retro::comparison(db, &MetricsCache::default(), &input, false).await.unwrap_err();
    assert!(
        e.field_message("cohorts").unwrap().starts_with("Winter cohort has fewer than 5 matched mentees (4)"),
        "{e:?}"
    );

    // By meeting cadence: one cohort a side, so no interval, and the warnings say why.
    let by = CompareInput { by: "meeting_cadence".into(), ..input };
    let c = retro::comparison(db, &MetricsCache::default(), &by, true).await.unwrap();
    assert_eq!(c.sides.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["Every two weeks", "Weekly"]);
    assert!(c.differences.iter().all(|d| d.diff.is_none()));
    assert!(c.warnings[0].starts_with("Fewer than 3 cohorts used Every two weeks and Weekly"), "{:?}", c.warnings);
}

#[tokio::test]
async fn notes_keep_their_history_and_lessons_carry_into_the_next_cohort() {
    let (w, _) = two_cohorts().await;
    let db = &w.db;
    let note = |text: &str, version: i64, id: &str| NoteInput {
        cohort_id: w.cohort.clone(),
        note_id: id.into(),
        kind: NoteKind::Change,
        text: text.into(),
        tag: "meeting_cadence".into(),
        metric: "meetings_per_month".into(),
        version,
    };
    let r = retro::save_note(&w.admin, note("Meet every week.", 0, "")).await.unwrap();
    assert_eq!(r.notes.len(), 1);
    let id = r.notes[0].id.clone();
    let r = retro::save_note(&w.admin, note("Meet every week, from week one.", 0, &id)).await.unwrap();
    assert_eq!((r.notes[0].text.as_str(), r.notes[0].version), ("Meet every week, from week one.", 1));
    assert_eq!(r.history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["edited", "added"]);
    // A stale version is a conflict, too long a note a field error; neither changes anything.
    let stale = retro::save_note(&w.admin, note("Older edit.", 0, &id)).await.unwrap_err();
    assert!(matches!(stale, AppError::Conflict { .. }), "{stale:?}");
    let long = retro::save_note(&w.admin, note(&"x".repeat(2001), 1, &id)).await.unwrap_err();
    assert_eq!(long.field_message("text").unwrap(), "Use at most 2000 characters (this has 2001).");
    let r = retro::cohort_retro(&w.admin, &w.cohort).await.unwrap();
    assert_eq!((r.notes[0].text.as_str(), r.history.len()), ("Meet every week, from week one.", 2));
    // A note deleted from an old version is a conflict; deleted from the current one it goes, and
    // its history keeps the text.
    let scratch = NoteInput { kind: NoteKind::Didnt, text: "Too many workshops.".into(), ..note("", 0, "") };
    let r = retro::save_note(&w.admin, scratch).await.unwrap();
    let gone = r.notes.iter().find(|n| n.kind == NoteKind::Didnt).unwrap().clone();
    let del = |version: i64| DeleteNoteInput { cohort_id: w.cohort.clone(), note_id: gone.id.clone(), version };
    let e = retro::delete_note(&w.admin, del(gone.version + 1)).await.unwrap_err();
    assert!(matches!(e, AppError::Conflict { .. }), "{e:?}");
    let r = retro::delete_note(&w.admin, del(gone.version)).await.unwrap();
    assert!(r.notes.iter().all(|n| n.id != gone.id));
    assert_eq!((r.history[0].action.as_str(), r.history[0].text.as_str()), ("deleted", "Too many workshops."));
    assert!(matches!(retro::delete_note(&w.admin, del(gone.version)).await.unwrap_err(), AppError::NotFound));
    let worked = NoteInput { kind: NoteKind::Worked, text: "Kickoff in person.".into(), ..note("", 0, "") };
    let worked_id = retro::save_note(&w.admin, worked).await.unwrap().notes[1].id.clone();

    // The next cohort (a draft starting later) is shown the "change next time" item.
    let next = another(&w, "Autumn cohort", 60, "draft").await;
    let e = retro::save_note(&w.admin, NoteInput { cohort_id: next.clone(), ..note("Too early.", 0, "") })
        .await
        .unwrap_err();
    assert_eq!(e.field_message("cohort").unwrap(), "Retrospective notes open once the cohort runs.");
    let program = cohorts::get(db, &w.cohort).await.unwrap().program_id;
    let lessons = retro::lessons(db, &program).await.unwrap();
    assert_eq!(lessons.iter().map(|l| l.note_id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    let r = retro::cohort_retro(&w.admin, &next).await.unwrap();
    assert_eq!(r.carried.len(), 1);
    assert_eq!((r.carried[0].decision, r.carried[0].from_cohort_name.as_str()), (None, "Winter cohort"));

    let decide = |note_id: &str, decision, detail: &str| DecisionInput {
        cohort_id: next.clone(),
        note_id: note_id.into(),
        decision,
        detail: detail.into(),
    };
    let e = retro::decide(&w.admin, decide(&id, Decision::Skipped, " ")).await.unwrap_err();
    assert_eq!(e.field_message("detail").unwrap(), "The reason for skipping it is required.");
    let e = retro::decide(&w.admin, decide(&worked_id, Decision::Applied, "Kickoff")).await.unwrap_err();
    assert!(e.field_message("note_id").is_some(), "a “what worked” note is no lesson to decide on");
    let r = retro::decide(&w.admin, decide(&id, Decision::Applied, "Meeting cadence: weekly")).await.unwrap();
    assert_eq!(
        (r.carried[0].decision, r.carried[0].detail.as_str()),
        (Some(Decision::Applied), "Meeting cadence: weekly")
    );
    // Deciding again replaces the decision.
    let r = retro::decide(&w.admin, decide(&id, Decision::Skipped, "Mentors could not meet weekly")).await.unwrap();
    assert_eq!(r.carried[0].decision, Some(Decision::Skipped));
    // A lesson a later cohort decided on is not deleted.
    let e =
        retro::delete_note(&w.admin, DeleteNoteInput { cohort_id: w.cohort.clone(), note_id: id.clone(), version: 1 })
            .await
            .unwrap_err();
    assert!(e.field_message("note").unwrap().starts_with("Autumn cohort decided on this lesson"), "{e:?}");
    let mut res = db.query("RETURN count(SELECT id FROM carry_forward)").await.unwrap();
    assert_eq!(res.take::<Option<i64>>(0).unwrap(), Some(1));
    // An unknown cohort is not found.
    assert_eq!(retro::cohort_retro(&w.admin, "nosuchcohort").await.unwrap_err(), AppError::NotFound);
}

/// A mentee application to `cohort` that was not matched.
async fn applied(db: &Db, cohort: &str, who: &SessionUser, eligible: bool) {
    run(
        db,
        "CREATE application SET org = org:main, cohort = type::record('cohort', $c), user = type::record('user', $u),
             side = 'mentee', answers = {}, eligible = $eligible, status = 'rejected', version = 1",
        vec![("c", cohort.into()), ("u", who.id.clone().into()), ("eligible", eligible.into())],
    )
    .await;
}

#[tokio::test]
async fn retention_and_promotion_against_applicants_not_matched() {
    use app::domain::people::server as people;
    use app::domain::people::types::OutcomesInput;
    use app::domain::retro::types::HrMeasure;
    let (w, _) = two_cohorts().await;
    let db = &w.db;
    // An old cohort (started 400 days ago): three matched mentees, two eligible applicants who
    // were not matched, one who was not eligible.
    let old = another(&w, "Old cohort", -400, "closed").await;
    let mentor = person(db, "old.mentor@example.com", "Sales", vec![Role::Mentor]).await;
    let mut matched = Vec::new();
    for i in 0..3 {
        let m = person(db, &format!("o{i}@example.com"), "Sales", vec![Role::Mentee]).await;
        pair(db, &old, &m, &mentor, 0, false).await;
        matched.push(m);
    }
    let u0 = person(db, "u0@example.com", "Sales", vec![Role::Mentee]).await;
    let u1 = person(db, "u1@example.com", "Sales", vec![Role::Mentee]).await;
    let x = person(db, "x@example.com", "Sales", vec![Role::Mentee]).await;
    applied(db, &old, &u0, true).await;
    applied(db, &old, &u1, true).await;
    applied(db, &old, &x, false).await;
    // The HR dates, recorded the way the People page does. Start = today − 400: o0 promoted 100
    // days in (within 6 months), o1 left 300 days in (after 6, within 12 months), u0 left 100
    // days in; x (not eligible) left too but counts nowhere.
    let set = |who: &SessionUser, left: i64, promoted: i64| {
        let day = |d: i64| if d == 0 { String::new() } else { date_of_day(today() - d) };
        let input = OutcomesInput {
            hired_on: "2015-01-05".into(),
            left_on: day(left),
            promoted_on: day(promoted),
            new_level: if promoted == 0 { String::new() } else { "5".into() },
        };
        let (a, id) = (&w.admin, who.id.clone());
        async move { people::set_outcomes(a, &id, &input.validate(today()).unwrap()).await.unwrap() }
    };
    let row = set(&matched[0], 0, 300).await;
    assert_eq!(row.outcomes.new_level, Some(5));
    assert_eq!(row.outcomes.promoted_on, Some(date_of_day(today() - 300)));
    set(&matched[1], 100, 0).await;
    set(&u0, 300, 0).await;
    set(&x, 390, 0).await;

    let input = CompareInput { cohorts: vec![old.clone(), w.cohort.clone()], by: String::new() };
    let c = retro::comparison(db, &MetricsCache::default(), &input, true).await.unwrap();
    let hr = |measure: HrMeasure, months: u32| {
        c.hr.rows.iter().find(|r| r.cohort == old && r.measure == measure && r.months == months).unwrap().clone()
    };
    let rate = |cell: &app::domain::retro::types::Cell| (cell.value.map(|e| (e.value * 100.0).round() / 100.0), cell.n);
    // 6 months: matched 3 of 3 still here, applicants 1 of 2 (u0 left); promoted 1 of 3 vs 0 of 2.
    let r6 = hr(HrMeasure::Retention, 6);
    assert_eq!((rate(&r6.matched), rate(&r6.unmatched)), ((Some(100.0), 3), (Some(50.0), 2)));
    assert_eq!(
        r6.diff,
        app::engine::stats::diff_proportions(3, 3, 1, 2).map(|e| app::engine::stats::Estimate {
            n: e.n,
            value: 100.0 * e.value,
            low: 100.0 * e.low,
            high: 100.0 * e.high
        })
    );
    assert!(!r6.clear, "one person a side says little");
    assert!(r6.sentence.starts_with("Old cohort: no clear difference in retention at 6 months"), "{}", r6.sentence);
    let p6 = hr(HrMeasure::Promotion, 6);
    assert_eq!((rate(&p6.matched), rate(&p6.unmatched)), ((Some(33.33), 3), (Some(0.0), 2)));
    // 12 months: o1 left too (2 of 3).
    let r12 = hr(HrMeasure::Retention, 12);
    assert_eq!((rate(&r12.matched), rate(&r12.unmatched)), ((Some(66.67), 3), (Some(50.0), 2)));
    assert!(r12.warnings.iter().any(|w| w.starts_with("Fewer than 10 matched mentees (3)")), "{:?}", r12.warnings);
    // The cohort that started 30 days ago: its windows are not over.
    let recent = c.hr.rows.iter().find(|r| r.cohort == w.cohort).unwrap();
    assert!(recent.matched.hidden.as_deref().unwrap().starts_with("not yet: 6 months pass on"), "{recent:?}");
    assert!(c.hr.note.starts_with("An observational comparison"));
    // The CSV carries the same numbers.
    let csv = retro::csv_of(&c, app::domain::retro::types::RetroTable::Hr);
    assert!(csv.contains("Old cohort,retention,6,3,100,"), "{csv}");
}
