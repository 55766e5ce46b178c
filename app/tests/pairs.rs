//! Service tests of a pair's life after publishing, on the real SurrealDB engine (in memory):
//! the fit check after the first meeting, an admin ending a "not a fit" pair with a reason (the
//! pair turns read-only, both are told), and re-matching the mentee on the reopened board while
//! the other published pairs stay fixed.
#![cfg(feature = "ssr")]

mod common;

use app::db::Db;
use app::domain::auth::types::{Role, SessionUser};
use app::domain::goals::server as goals;
use app::domain::matching::server as matching;
use app::domain::matching::types::BoardEdit;
use app::domain::meetings::server as meetings;
use app::domain::meetings::types::MeetingInput;
use app::domain::pairs::server as pairs;
use app::domain::pairs::types::{FitAnswer, FitCheckInput};
use app::engine::board::Edit;
use app::error::AppError;
use app::validate::date_of_day;
use common::{access, person, today, world};

/// An approved application, as enrollment leaves it.
async fn approved(db: &Db, cohort: &str, who: &SessionUser, side: &str, capacity: Option<i64>) {
    db.query(
        "CREATE application SET org = org:main, cohort = type::record('cohort', $c), user = type::record('user', $u),
             side = $side, eligible = true, status = 'approved', capacity = $cap",
    )
    .bind(("c", cohort.to_string()))
    .bind(("u", who.id.clone()))
    .bind(("side", side.to_string()))
    .bind(("cap", capacity))
    .await
    .unwrap()
    .check()
    .unwrap();
}

async fn count(db: &Db, query: &str) -> i64 {
    let mut res = db.query(format!("RETURN count({query})")).await.unwrap();
    res.take::<Option<i64>>(0).unwrap().unwrap()
}

fn edit(edit: Edit, mentee: &str) -> BoardEdit {
    BoardEdit { edit, mentee: mentee.to_string(), mentor: String::new() }
}

fn fit(pairing: &str, answer: FitAnswer, note: &str) -> FitCheckInput {
    FitCheckInput { pairing_id: pairing.into(), answer, note: note.into() }
}

#[tokio::test]
async fn not_a_fit_ends_the_pair_read_only_and_the_mentee_is_matched_again() {
    let w = world().await;
    let db = &w.db;
    w.db.query("UPDATE type::record('cohort', $c) SET status = 'matching'")
        .bind(("c", w.cohort.clone()))
        .await
        .unwrap();
    let mira = person(db, "mira@example.com", "Sales", vec![Role::Mentor]).await;
    let omar = person(db, "omar@example.com", "Finance", vec![Role::Mentor]).await;
    let ann = person(db, "ann@example.com", "Engineering", vec![Role::Mentee]).await;
    let bob = person(db, "bob@example.com", "Legal", vec![Role::Mentee]).await;
    let eve = person(db, "eve@example.com", "Design", vec![Role::Mentee]).await;
    // Two places each: whichever mentor the first match gives Ann, the other has a place left for
    // her after the pair ends (with one place, a tie broken the other way left her unmatched).
    approved(db, &w.cohort, &mira, "mentor", Some(2)).await;
    approved(db, &w.cohort, &omar, "mentor", Some(2)).await;
    approved(db, &w.cohort, &ann, "mentee", None).await;
    approved(db, &w.cohort, &bob, "mentee", None).await;
    let b = matching::edit(&w.admin, &w.cohort, 0, edit(Edit::AutoAll, "")).await.unwrap();
    let b = matching::publish(&w.admin, &w.cohort, b.version).await.unwrap();
    assert!(!b.editable);
    let pairing_of = |who: &SessionUser| {
        let id = who.id.clone();
        async move {
            let mut res = db
                .query("SELECT VALUE [record::id(id), record::id(mentor)] FROM pairing WHERE mentee = type::record('user', $u) AND status = 'published'")
                .bind(("u", id))
                .await
                .unwrap();
            res.take::<Vec<Vec<String>>>(0).unwrap().pop().unwrap()
        }
    };
    let ann_pair = pairing_of(&ann).await;
    let (pairing, first_mentor) = (ann_pair[0].clone(), ann_pair[1].clone());
    let mentor = if first_mentor == mira.id { mira.clone() } else { omar.clone() };
    let e = access(db, Some(ann.clone()));
    let t = access(db, Some(mentor.clone()));
    let outsider = access(db, Some(eve.clone()));

    // The fit check opens with the first meeting held, not before; a planned meeting does not count.
    let err = pairs::answer(&e, fit(&pairing, FitAnswer::Good, "")).await.unwrap_err();
    assert!(err.field_message("answer").unwrap().contains("first meeting"), "{err:?}");
    let meeting = |on: i64| MeetingInput {
        pairing_id: pairing.clone(),
        on: date_of_day(on),
        minutes: "45".into(),
        topics: "Getting to know each other".into(),
        notes: String::new(),
    };
    let page = meetings::log(&e, meeting(today() + 3)).await.unwrap();
    assert!(page.fit.is_none());
    assert_eq!(count(db, "SELECT id FROM notification WHERE kind = 'fit'").await, 0);
    let page = meetings::log(&e, meeting(today() - 1)).await.unwrap();
    assert_eq!(page.fit.as_ref().map(|f| f.answer), Some(None));
    // Both are asked, once, however many meetings follow.
    meetings::log(&t, meeting(today() - 2)).await.unwrap();
    assert_eq!(count(db, "SELECT id FROM notification WHERE kind = 'fit'").await, 2);
    let asked = matching::notifications(db, &mentor.id).await.unwrap();
    assert!(asked.iter().any(|n| n.text.contains("fit check") && n.link.ends_with("#fit")), "{asked:?}");

    // Answers: the pair's two people only; an answer can change; the note is for admins.
    assert_eq!(pairs::answer(&outsider, fit(&pairing, FitAnswer::NotFit, "")).await.unwrap_err(), AppError::NotFound);
    assert_eq!(pairs::answer(&w.admin, fit(&pairing, FitAnswer::NotFit, "")).await.unwrap_err(), AppError::Forbidden);
    let long = pairs::answer(&e, fit(&pairing, FitAnswer::NotFit, &"x".repeat(1001))).await.unwrap_err();
    assert!(long.field_message("note").is_some());
    assert_eq!(count(db, "SELECT id FROM fit_check").await, 0, "a refused answer stores nothing");
    pairs::answer(&e, fit(&pairing, FitAnswer::Deciding, "")).await.unwrap();
    pairs::answer(&e, fit(&pairing, FitAnswer::NotFit, "Our schedules never overlap.")).await.unwrap();
    pairs::answer(&t, fit(&pairing, FitAnswer::Good, "")).await.unwrap();
    assert_eq!(count(db, "SELECT id FROM fit_check").await, 2);
    assert_eq!(meetings::page(&e, &pairing).await.unwrap().fit.unwrap().answer, Some(FitAnswer::NotFit));

    // The admin sees the pair flagged first, with the note.
    let list = pairs::cohort_pairs(db, &w.cohort).await.unwrap();
    assert_eq!(list.pairs.len(), 2);
    assert!(list.pairs[0].flagged() && list.pairs[0].id == pairing);
    assert_eq!(list.pairs[0].mentee_fit.note, "Our schedules never overlap.");
    assert_eq!(list.pairs[0].meetings, 2, "held meetings only");
    assert!(!list.pairs[1].flagged());

    // Ending needs a reason; a refused end changes nothing.
    let err = pairs::end(&w.admin, &pairing, "  ").await.unwrap_err();
    assert!(err.field_message("reason").is_some());
    assert_eq!(count(db, "SELECT id FROM pairing WHERE status = 'ended'").await, 0);
    let list = pairs::end(&w.admin, &pairing, "Schedules never overlap.").await.unwrap();
    assert_eq!(list.unmatched, 1);
    assert!(list
        .pairs
        .iter()
        .any(|p| p.id == pairing && p.ended.as_ref().unwrap().reason == "Schedules never overlap."));
    assert!(matches!(pairs::end(&w.admin, &pairing, "again").await.unwrap_err(), AppError::Conflict { .. }));
    for who in [&ann, &mentor] {
        let notes = matching::notifications(db, &who.id).await.unwrap();
        assert!(notes.iter().any(|n| n.text.contains("has ended: Schedules never overlap.")), "{notes:?}");
    }

    // Read-only: the two of them and admins still read it; nothing new is accepted.
    let page = meetings::page(&e, &pairing).await.unwrap();
    assert_eq!(page.ended.as_ref().unwrap().reason, "Schedules never overlap.");
    assert!(page.fit.is_none());
    assert_eq!(page.meetings.len(), 3);
    assert!(meetings::page(&t, &pairing).await.is_ok());
    assert!(meetings::page(&w.admin, &pairing).await.is_ok());
    assert!(matches!(meetings::log(&e, meeting(today() - 1)).await.unwrap_err(), AppError::Conflict { .. }));
    assert!(matches!(meetings::log(&t, meeting(today() - 1)).await.unwrap_err(), AppError::Conflict { .. }));
    assert!(matches!(goals::context(&e, &pairing).await.unwrap_err(), AppError::Conflict { .. }));
    assert!(matches!(
        pairs::answer(&e, fit(&pairing, FitAnswer::Good, "")).await.unwrap_err(),
        AppError::Conflict { .. }
    ));
    assert_eq!(count(db, "SELECT id FROM meeting").await, 3);

    // The board reopened: Bob's running pair is fixed, Ann is free and never again with her
    // first mentor.
    let b = matching::get(db, &w.cohort).await.unwrap();
    assert!(b.editable && b.published_at.is_none());
    assert_eq!(b.fixed, vec![bob.id.clone()]);
    let ai = b.mentees.iter().position(|m| m.id == ann.id).unwrap();
    assert_eq!(b.state.mentor_of[ai], None);
    let err =
        matching::edit(&w.admin, &w.cohort, b.version, edit(Edit::Unpin { mentee: 0 }, &bob.id)).await.unwrap_err();
    assert!(err.field_message("board").unwrap().contains("still running"), "{err:?}");
    let err = matching::edit(&w.admin, &w.cohort, b.version, edit(Edit::AutoAll, "")).await.unwrap_err();
    assert!(err.field_message("board").unwrap().contains("Re-optimise"), "{err:?}");
    let b = matching::edit(&w.admin, &w.cohort, b.version, edit(Edit::Reoptimise, "")).await.unwrap();
    let new_mentor = b.state.mentor_of[ai].map(|j| b.mentors[j].id.clone());
    assert!(new_mentor.is_some() && new_mentor.as_deref() != Some(first_mentor.as_str()), "{new_mentor:?}");
    let bob_before = pairing_of(&bob).await;
    matching::publish(&w.admin, &w.cohort, b.version).await.unwrap();
    // Exactly one new pairing (Ann's second); Bob's is the one published before.
    assert_eq!(count(db, "SELECT id FROM pairing").await, 3);
    assert_eq!(pairing_of(&bob).await, bob_before);
    let again = pairing_of(&ann).await;
    assert_eq!(Some(again[1].clone()), new_mentor);
    let mut res = db
        .query("SELECT VALUE seq FROM pairing WHERE mentee = type::record('user', $u) ORDER BY seq")
        .bind(("u", ann.id.clone()))
        .await
        .unwrap();
    assert_eq!(res.take::<Vec<i64>>(0).unwrap(), vec![0, 1]);
    let mine = matching::my_matches(db, &ann.id).await.unwrap();
    assert!(mine.iter().any(|m| m.id == again[0] && m.ended.is_none()));
    assert!(mine.iter().any(|m| m.id == pairing && m.ended.is_some()), "the ended pair stays readable from home");
    assert!(!matching::get(db, &w.cohort).await.unwrap().editable);
}
