//! The matching board as the browser sees it, the edits it sends, and what participants see once
//! pairs are published.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::cohort::types::Cohort;
use crate::domain::enrollment::types::Side;
use crate::engine::board::{Edit, ForcingCost, Names, State};
use crate::engine::scoring::{Breakdown, Config};

/// One person on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardPerson {
    /// User key.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Department.
    pub department: String,
    /// Job title.
    pub title: String,
    /// Career level.
    pub level: Option<i64>,
    /// The skills at stake (wanted by a mentee, offered by a mentor), by name, best first.
    pub skills: Vec<String>,
    /// Location, for the card.
    pub location: String,
}

/// A cohort's board: people, pair cells, the draft, and who may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    /// The cohort.
    pub cohort: Cohort,
    /// Approved mentees, by name.
    pub mentees: Vec<BoardPerson>,
    /// Approved mentors, by name.
    pub mentors: Vec<BoardPerson>,
    /// `cells[mentee][mentor]`: score 0..=100 or a `board::BLOCKED_*` code.
    pub cells: Vec<Vec<u8>>,
    /// The draft, by index into `mentees` and `mentors`.
    pub state: State,
    /// Each mentor's capacity from their application or the program (what "reset" goes back to).
    pub default_capacity: Vec<u32>,
    /// The board's version; every change must name it.
    pub version: i64,
    /// The program's scoring settings.
    pub config: Config,
    /// When the pairs were published (`None`: still a draft).
    pub published_at: Option<String>,
    /// Whether the board can still change (not published, cohort enrolling or matching).
    pub editable: bool,
    /// Applications still waiting for a decision, per side (mentee, mentor).
    pub pending: (usize, usize),
    /// Things the board dropped from the stored draft because people or rules changed.
    pub notices: Vec<String>,
    /// Mentee keys whose published pair still runs: fixed while the board re-matches after a
    /// pair ended.
    #[serde(default)]
    pub fixed: Vec<String>,
}

impl Names for BoardView {
    fn mentee(&self, i: usize) -> String {
        self.mentees.get(i).map(|p| p.name.clone()).unwrap_or_default()
    }
    fn mentor(&self, j: usize) -> String {
        self.mentors.get(j).map(|p| p.name.clone()).unwrap_or_default()
    }
}

/// The draft in a form that survives changes to the roster: user keys instead of indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// `(mentee, mentor)` pins.
    pub pins: Vec<(String, String)>,
    /// `(mentee, mentor)` pairs ruled out.
    pub forbids: Vec<(String, String)>,
    /// Capacity by mentor key.
    pub capacity: BTreeMap<String, u32>,
    /// Mentor key by mentee key.
    pub assignment: BTreeMap<String, String>,
}

impl Draft {
    /// The draft of a state over the given people.
    pub fn of(state: &State, mentees: &[BoardPerson], mentors: &[BoardPerson]) -> Draft {
        let pair = |&(i, j): &(usize, usize)| (mentees[i].id.clone(), mentors[j].id.clone());
        Draft {
            pins: state.pins.iter().map(pair).collect(),
            forbids: state.forbids.iter().map(pair).collect(),
            capacity: mentors.iter().zip(&state.capacity).map(|(t, c)| (t.id.clone(), *c)).collect(),
            assignment: state
                .mentor_of
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.map(|j| (mentees[i].id.clone(), mentors[j].id.clone())))
                .collect(),
        }
    }
}

/// An edit as sent by the board: the engine's edit plus the user keys it names, so a roster
/// that changed underneath cannot redirect it to someone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardEdit {
    /// The edit, with indexes as the browser saw them.
    pub edit: Edit,
    /// The mentee's key, when the edit names one.
    #[serde(default)]
    pub mentee: String,
    /// The mentor's key, when the edit names one.
    #[serde(default)]
    pub mentor: String,
}

/// A pair's explanation: the score's parts, or why the pair is impossible, and what forcing it
/// would cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairExplanation {
    /// Mentee name.
    pub mentee: String,
    /// Mentor name.
    pub mentor: String,
    /// The score and its parts, when the pair is allowed.
    pub breakdown: Option<Breakdown>,
    /// Why the pair is not possible, in words.
    pub blocked: Option<String>,
    /// What pinning this pair would cost against the best board that keeps the other pins.
    pub cost: Option<ForcingCost>,
}

wire_enum! {
    /// The caller's part in a published pair: one of its two people, or an admin looking in.
    pub enum Viewer {
        /// The pair's mentee.
        Mentee = "mentee",
        /// The pair's mentor.
        Mentor = "mentor",
        /// An admin, outside the pair.
        Admin = "admin",
    }
}

impl Viewer {
    /// True for the pair's own two people (not an admin looking in).
    pub fn in_pair(self) -> bool {
        self != Viewer::Admin
    }
}

/// A published pair, as one of its two people sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyMatch {
    /// Pairing key.
    pub id: String,
    /// The cohort's name.
    pub cohort_name: String,
    /// The program's name.
    pub program_name: String,
    /// The caller's side of the pair.
    pub my_side: Side,
    /// The other person's name.
    pub other_name: String,
    /// The other person's email.
    pub other_email: String,
    /// The other person's title.
    pub other_title: String,
    /// The other person's department.
    pub other_department: String,
    /// The pair's score.
    pub score: i64,
    /// The reasons for the pair, one line per criterion that counted.
    pub reasons: Vec<String>,
    /// When the pair was published (YYYY-MM-DD).
    pub since: String,
    /// The next planned meeting (YYYY-MM-DD), if any.
    #[serde(default)]
    pub next_meeting: Option<String>,
    /// Set once the pair ended: still readable, nothing new.
    #[serde(default)]
    pub ended: Option<crate::domain::pairs::types::PairEnded>,
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Key.
    pub id: String,
    /// The message.
    pub text: String,
    /// Where it leads, may be empty.
    pub link: String,
    /// Already seen.
    pub read: bool,
    /// When (YYYY-MM-DD HH:MM UTC).
    pub at: String,
}

/// The "N matched · total score" line of a board.
pub fn summary(matched: usize, mentees: usize, score: i64) -> String {
    let avg = if matched == 0 { 0 } else { (score + matched as i64 / 2) / matched as i64 };
    format!("{matched} of {mentees} mentees matched · total score {score} · average {avg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str) -> BoardPerson {
        BoardPerson {
            id: id.into(),
            name: id.to_uppercase(),
            department: String::new(),
            title: String::new(),
            level: None,
            skills: vec![],
            location: String::new(),
        }
    }

    #[test]
    fn a_draft_names_people_by_key() {
        let mentees = [person("a"), person("b")];
        let mentors = [person("x"), person("y")];
        let state =
            State { pins: vec![(1, 0)], forbids: vec![(0, 1)], capacity: vec![2, 1], mentor_of: vec![None, Some(0)] };
        let d = Draft::of(&state, &mentees, &mentors);
        assert_eq!(d.pins, vec![("b".to_string(), "x".to_string())]);
        assert_eq!(d.forbids, vec![("a".to_string(), "y".to_string())]);
        assert_eq!(d.capacity.get("x"), Some(&2));
        assert_eq!(d.assignment.len(), 1);
        assert_eq!(d.assignment.get("b").map(String::as_str), Some("x"));
    }

    #[test]
    fn summary_rounds_the_average() {
        assert_eq!(summary(0, 4, 0), "0 of 4 mentees matched · total score 0 · average 0");
        assert_eq!(summary(3, 4, 200), "3 of 4 mentees matched · total score 200 · average 67");
    }

    #[test]
    fn viewers_keep_their_stored_strings() {
        crate::domain::assert_wire_strings(Viewer::ALL, Viewer::as_str, &["mentee", "mentor", "admin"]);
    }
}
