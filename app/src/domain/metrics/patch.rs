//! Changes the live feed reports that the kept facts can take as they are, without reading every
//! fact again: a check-in, a survey answer or an award made, a goal written, a meeting logged or
//! changed, a workshop seat replied to, attended or signed off, a person's department, level or
//! HR dates. Under load these are nearly every write (a mentee's check-in
//! writes a check-in and its goal; a survey answer one response), and reading all the facts after
//! each one kept the cores busy re-reading instead of answering.
//!
//! Each change is idempotent — made once or twice, the facts end the same — because a read of
//! the facts that overlaps a change may or may not have seen it, and the change is applied to
//! what it read either way.

use std::collections::{BTreeMap, HashMap, HashSet};

use surrealdb::types::Value;

use crate::db::value::{day, int, record_key as key, text};

use crate::domain::metrics::define::{
    AnswerFacts, Dated, GoalFacts, MeasureKind, MeetingFacts, PersonFacts, SeatFacts,
};
use crate::domain::metrics::server::Loaded;
use crate::domain::surveys::types::{Answer, Answers};

/// One change the kept facts can take (see the module's comment).
#[derive(Debug, Clone, PartialEq)]
pub enum FactChange {
    /// A check-in was made.
    Checkin { id: String, goal: String, day: i64 },
    /// A goal was made or written.
    Goal { id: String, facts: GoalFacts },
    /// A survey response was stored.
    Answer { id: String, survey: String, answers: Answers },
    /// An award was made.
    Award { id: String, pair: String, day: i64 },
    /// A person was added or changed.
    Person(PersonFacts),
    /// A meeting was logged or changed; `held` when its time has come (a planned one is no fact
    /// yet).
    Meeting { id: String, facts: MeetingFacts, held: bool },
    /// A workshop seat was taken, replied to, attended or signed off.
    Seat { id: String, facts: SeatFacts },
}

/// What the facts need beside the dataset to take changes: which records they hold, and which
/// survey questions feed a figure.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// Check-ins, survey responses and awards already counted.
    pub counted: HashSet<String>,
    /// Goal key → its pairing and its place in `ds.goals`.
    pub goals: HashMap<String, (String, usize)>,
    /// Person key → place in `ds.people`.
    pub people: HashMap<String, usize>,
    /// Meeting key → place in `ds.meetings` (meetings held).
    pub meetings: HashMap<String, usize>,
    /// Workshop seat key → place in `ds.seats`.
    pub seats: HashMap<String, usize>,
    /// Survey key → its cohort and the questions that feed a figure.
    pub feeds: BTreeMap<String, (String, Vec<(String, MeasureKind)>)>,
}

/// The answers of a response that feed a figure, per the survey's feeds.
pub fn answer_facts(keys: &Keys, survey: &str, given: &Answers) -> Vec<AnswerFacts> {
    let Some((cohort, qs)) = keys.feeds.get(survey) else { return Vec::new() };
    qs.iter()
        .filter_map(|(q, kind)| match given.get(q) {
            Some(Answer::Scale(v)) => Some(AnswerFacts { cohort: cohort.clone(), kind: *kind, value: *v }),
            _ => None,
        })
        .collect()
}

/// A goal's facts from what is stored: `sent`, `approved` and `completed` are the days of
/// `submitted_at`, `approved_at`, `completed_at`; `milestones` the day each was ticked (`Some(None)`
/// for one ticked before its day was recorded, which counts on `today`).
pub fn goal_facts(
    pair: String,
    status: &str,
    sent: Option<i64>,
    approved: Option<i64>,
    completed: Option<i64>,
    milestones: Vec<Option<Option<i64>>>,
    today: i64,
) -> GoalFacts {
    let approved = approved.or_else(|| (status == "completed").then_some(completed).flatten());
    GoalFacts {
        pair,
        sent: sent.or(approved),
        approved,
        completed: completed.filter(|_| status == "completed"),
        milestones: milestones.into_iter().map(|m| m.map(|d| d.unwrap_or(today))).collect(),
    }
}

impl Loaded {
    /// Applies `change` (idempotent). Returns false when the facts cannot take it (a check-in
    /// of a goal they do not hold): then they must be read again.
    pub fn apply(&mut self, change: &FactChange) -> bool {
        let ds = &mut self.ds;
        let keys = &mut self.keys;
        match change {
            FactChange::Checkin { id, goal, day } => {
                if keys.counted.contains(id) {
                    return true;
                }
                let Some((pair, _)) = keys.goals.get(goal) else { return false };
                ds.checkins.push(Dated { pair: pair.clone(), day: *day });
                keys.counted.insert(id.clone());
            }
            FactChange::Award { id, pair, day } => {
                if keys.counted.insert(id.clone()) {
                    ds.awards.push(Dated { pair: pair.clone(), day: *day });
                }
            }
            FactChange::Answer { id, survey, answers } => {
                if !keys.counted.contains(id) {
                    let facts = answer_facts(keys, survey, answers);
                    ds.answers.extend(facts);
                    keys.counted.insert(id.clone());
                }
            }
            FactChange::Goal { id, facts } => match keys.goals.get(id) {
                Some((_, at)) => ds.goals[*at] = facts.clone(),
                None => {
                    keys.goals.insert(id.clone(), (facts.pair.clone(), ds.goals.len()));
                    ds.goals.push(facts.clone());
                }
            },
            FactChange::Person(p) => match keys.people.get(&p.id) {
                Some(at) => ds.people[*at] = p.clone(),
                None => {
                    keys.people.insert(p.id.clone(), ds.people.len());
                    ds.people.push(p.clone());
                }
            },
            FactChange::Meeting { id, facts, held } => match (keys.meetings.get(id), held) {
                (Some(at), true) => ds.meetings[*at] = facts.clone(),
                // A meeting held moved into the future: it leaves the facts, which are read again.
                (Some(_), false) => return false,
                (None, true) => {
                    keys.meetings.insert(id.clone(), ds.meetings.len());
                    ds.meetings.push(facts.clone());
                }
                (None, false) => {}
            },
            FactChange::Seat { id, facts } => match keys.seats.get(id) {
                Some(at) => ds.seats[*at] = facts.clone(),
                None => {
                    keys.seats.insert(id.clone(), ds.seats.len());
                    ds.seats.push(facts.clone());
                }
            },
        }
        true
    }
}

/// The change a live notification of `table` reports (`created`: a new record, else an
/// update), if the facts can take it; `None` for any other (then they are read again).
pub fn change_of(table: &str, created: bool, record: &Value, today: i64) -> Option<FactChange> {
    let Value::Object(o) = record else { return None };
    let id = key(o.get("id"))?;
    match table {
        "checkin" if created => {
            Some(FactChange::Checkin { goal: key(o.get("goal"))?, day: day(o.get("created_at"))?, id })
        }
        "award" if created => {
            Some(FactChange::Award { pair: key(o.get("pairing"))?, day: day(o.get("awarded_at"))?, id })
        }
        "survey_response" if created => Some(FactChange::Answer {
            survey: key(o.get("survey"))?,
            answers: crate::domain::surveys::server::answers_of(o.get("answers")?.clone())?,
            id,
        }),
        "goal" => {
            // Each milestone: open (`None`), or ticked on a day (`Some(None)` when the day was
            // not recorded); anything else cannot be read, and the facts are read again.
            let milestones = match o.get("milestones") {
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|m| {
                        let Value::Object(m) = m else { return None };
                        match m.get("done") {
                            Some(Value::Bool(true)) => {
                                Some(Some(text(m.get("done_on")).and_then(|d| crate::validate::day_number(&d))))
                            }
                            Some(Value::Bool(false)) | None => Some(None),
                            _ => None,
                        }
                    })
                    .collect::<Option<Vec<_>>>()?,
                None | Some(Value::None) => Vec::new(),
                _ => return None,
            };
            let status = text(o.get("status"))?;
            let facts = goal_facts(
                key(o.get("pairing"))?,
                &status,
                day(o.get("submitted_at")),
                day(o.get("approved_at")),
                day(o.get("completed_at")),
                milestones,
                today,
            );
            Some(FactChange::Goal { id, facts })
        }
        "meeting" => {
            let on = match o.get("on") {
                Some(Value::Datetime(d)) => d.timestamp(),
                _ => return None,
            };
            let now = crate::validate::unix_now();
            Some(FactChange::Meeting {
                facts: MeetingFacts {
                    pair: key(o.get("pairing"))?,
                    day: on.div_euclid(86_400),
                    minutes: int(o.get("minutes"))?,
                },
                held: on <= now,
                id,
            })
        }
        "workshop_seat" => {
            let flag = |name: &str| match o.get(name) {
                Some(Value::Bool(b)) => Some(*b),
                None | Some(Value::None) | Some(Value::Null) => Some(false),
                _ => None,
            };
            let signed_off = match o.get("signed_off_at") {
                Some(Value::Datetime(_)) => true,
                None | Some(Value::None) | Some(Value::Null) => false,
                _ => return None,
            };
            Some(FactChange::Seat {
                facts: SeatFacts {
                    pair: key(o.get("pairing"))?,
                    going: text(o.get("rsvp")).as_deref() == Some("going"),
                    attended: flag("attended")?,
                    signed_off,
                },
                id,
            })
        }
        "user" => Some(FactChange::Person(PersonFacts {
            department: text(o.get("department")).unwrap_or_default(),
            level: int(o.get("level")),
            left: day(o.get("left_on")),
            promoted: day(o.get("promoted_on")),
            id,
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::define::Dataset;

    fn loaded() -> Loaded {
        let mut keys = Keys::default();
        keys.goals.insert("g1".into(), ("p1".into(), 0));
        keys.feeds.insert("s1".into(), ("c1".into(), vec![("q1".into(), MeasureKind::Effectiveness)]));
        let ds = Dataset {
            goals: vec![goal_facts("p1".into(), "approved", Some(10), Some(11), None, vec![None], 20)],
            ..Dataset::default()
        };
        Loaded { ds, objectives: BTreeMap::new(), keys }
    }

    #[test]
    fn each_change_counts_once_however_often_it_is_applied() {
        let mut l = loaded();
        let answers: Answers = [("q1".to_string(), Answer::Scale(4)), ("q2".to_string(), Answer::Scale(1))].into();
        let changes = [
            FactChange::Checkin { id: "k1".into(), goal: "g1".into(), day: 15 },
            FactChange::Answer { id: "r1".into(), survey: "s1".into(), answers },
            FactChange::Award { id: "a1".into(), pair: "p1".into(), day: 16 },
            FactChange::Goal {
                id: "g1".into(),
                facts: goal_facts("p1".into(), "completed", Some(10), Some(11), Some(17), vec![Some(Some(16))], 20),
            },
            FactChange::Person(PersonFacts {
                id: "u1".into(),
                department: "Sales".into(),
                level: Some(3),
                left: None,
                promoted: None,
            }),
            FactChange::Meeting {
                id: "m1".into(),
                facts: MeetingFacts { pair: "p1".into(), day: 14, minutes: 45 },
                held: true,
            },
            FactChange::Meeting {
                id: "m2".into(),
                facts: MeetingFacts { pair: "p1".into(), day: 99, minutes: 30 },
                held: false,
            },
            FactChange::Seat {
                id: "s1".into(),
                facts: SeatFacts { pair: "p1".into(), going: true, attended: false, signed_off: false },
            },
            FactChange::Seat {
                id: "s1".into(),
                facts: SeatFacts { pair: "p1".into(), going: true, attended: true, signed_off: false },
            },
        ];
        for c in &changes {
            assert!(l.apply(c));
        }
        let once = l.ds.clone();
        for c in &changes {
            assert!(l.apply(c));
        }
        assert_eq!(l.ds, once, "applied twice, the facts are the same");
        assert_eq!(once.checkins, vec![Dated { pair: "p1".into(), day: 15 }]);
        assert_eq!(once.awards, vec![Dated { pair: "p1".into(), day: 16 }]);
        // Only the question that feeds a figure counts.
        assert_eq!(once.answers, vec![AnswerFacts { cohort: "c1".into(), kind: MeasureKind::Effectiveness, value: 4 }]);
        assert_eq!(once.goals.len(), 1);
        assert_eq!(once.goals[0].completed, Some(17));
        assert_eq!(once.goals[0].milestones, vec![Some(16)]);
        assert_eq!(once.people.len(), 1);
        assert_eq!(
            once.meetings,
            vec![MeetingFacts { pair: "p1".into(), day: 14, minutes: 45 }],
            "a planned meeting is no fact yet"
        );
        assert_eq!(once.seats, vec![SeatFacts { pair: "p1".into(), going: true, attended: true, signed_off: false }]);
    }

    #[test]
    fn a_meeting_held_moved_into_the_future_asks_for_a_read() {
        let mut l = loaded();
        let held = MeetingFacts { pair: "p1".into(), day: 14, minutes: 45 };
        assert!(l.apply(&FactChange::Meeting { id: "m1".into(), facts: held.clone(), held: true }));
        let longer = MeetingFacts { minutes: 60, ..held.clone() };
        assert!(l.apply(&FactChange::Meeting { id: "m1".into(), facts: longer.clone(), held: true }));
        assert_eq!(l.ds.meetings, vec![longer], "changed in place");
        assert!(!l.apply(&FactChange::Meeting { id: "m1".into(), facts: held, held: false }));
    }

    #[test]
    fn a_meeting_or_seat_reported_by_the_feed_reads_as_its_facts() {
        use surrealdb::types::{Datetime, Object, RecordId};
        let link = |t: &str, k: &str| Value::RecordId(RecordId::new(t, k));
        let at = |secs: i64| Value::Datetime(Datetime::from_timestamp(secs, 0).unwrap());
        let meeting = |on: i64| {
            let mut o = Object::default();
            o.insert("id", link("meeting", "m1"));
            o.insert("pairing", link("pairing", "p1"));
            o.insert("on", at(on));
            o.insert("minutes", Value::from_t(45i64));
            Value::Object(o)
        };
        let past = 20_000 * 86_400 + 43_200;
        assert_eq!(
            change_of("meeting", true, &meeting(past), 30_000),
            Some(FactChange::Meeting {
                id: "m1".into(),
                facts: MeetingFacts { pair: "p1".into(), day: 20_000, minutes: 45 },
                held: true
            })
        );
        let far = 4_000_000_000;
        assert!(matches!(
            change_of("meeting", true, &meeting(far), 30_000),
            Some(FactChange::Meeting { held: false, .. })
        ));
        let mut seat = Object::default();
        seat.insert("id", link("workshop_seat", "w1_p1"));
        seat.insert("pairing", link("pairing", "p1"));
        seat.insert("rsvp", Value::String("going".into()));
        seat.insert("attended", Value::Bool(true));
        seat.insert("signed_off_at", at(past));
        assert_eq!(
            change_of("workshop_seat", false, &Value::Object(seat), 30_000),
            Some(FactChange::Seat {
                id: "w1_p1".into(),
                facts: SeatFacts { pair: "p1".into(), going: true, attended: true, signed_off: true }
            })
        );
    }

    #[test]
    fn a_check_in_of_a_goal_the_facts_do_not_hold_asks_for_a_read() {
        let mut l = loaded();
        assert!(!l.apply(&FactChange::Checkin { id: "k9".into(), goal: "unknown".into(), day: 15 }));
        assert!(l.ds.checkins.is_empty());
    }

    #[test]
    fn a_goal_completed_without_an_approval_day_counts_as_approved_on_completion() {
        let g = goal_facts("p".into(), "completed", None, None, Some(30), vec![Some(None), None], 40);
        assert_eq!((g.sent, g.approved, g.completed), (Some(30), Some(30), Some(30)));
        assert_eq!(g.milestones, vec![Some(40), None], "a tick without its day counts today");
        let draft = goal_facts("p".into(), "draft", None, None, Some(30), vec![], 40);
        assert_eq!((draft.sent, draft.approved, draft.completed), (None, None, None));
    }
}
