//! The fit check's answers, an ended pair's facts, and the admin's list of a cohort's pairs.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};

/// Longest private note to the admins.
pub const FIT_NOTE_MAX: usize = 1000;
/// Longest reason for ending a pair.
pub const END_REASON_MAX: usize = 500;

wire_enum! {
    /// How the first session went, in one word.
    pub enum FitAnswer {
        /// A good fit.
        Good = "good",
        /// Too early to say.
        Deciding = "deciding",
        /// Not a fit: flags the pair for the admins.
        NotFit = "not_fit",
    }
}

impl FitAnswer {
    /// In words, as the participant chose it.
    pub fn label(self) -> &'static str {
        match self {
            FitAnswer::Good => "Good fit",
            FitAnswer::Deciding => "Still deciding",
            FitAnswer::NotFit => "Not a fit",
        }
    }

    /// The hint under the choice.
    pub fn hint(self) -> &'static str {
        match self {
            FitAnswer::Good => "We work well together.",
            FitAnswer::Deciding => "Too early to tell; ask me again later.",
            FitAnswer::NotFit => "I'd like the program team to look at this pairing.",
        }
    }
}

/// A participant's fit check answer, as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitCheckInput {
    /// Pairing key.
    pub pairing_id: String,
    /// The answer.
    pub answer: FitAnswer,
    /// Optional, private to the program's admins.
    #[serde(default)]
    pub note: String,
}

impl FitCheckInput {
    /// The note, trimmed, or a field error.
    pub fn validate(&self) -> Result<String, AppError> {
        let note = self.note.trim().to_string();
        if note.chars().count() > FIT_NOTE_MAX {
            let mut e = FieldErrors::default();
            e.add("note", format!("Keep the note under {FIT_NOTE_MAX} characters."));
            return Err(AppError::Validation(e));
        }
        Ok(note)
    }
}

/// The caller's side of the fit check on a pair page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitCard {
    /// The caller's answer so far, if any.
    pub answer: Option<FitAnswer>,
    /// The caller's note so far.
    pub note: String,
}

/// Why and when a pair ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairEnded {
    /// YYYY-MM-DD.
    pub on: String,
    /// The admin's reason.
    pub reason: String,
}

/// The reason an admin gives for ending a pair, checked.
pub fn check_end_reason(reason: &str) -> Result<String, AppError> {
    let r = reason.trim();
    let mut e = FieldErrors::default();
    if r.is_empty() {
        e.add("reason", "Say why the pair ends; both of them will read it.");
    } else if r.chars().count() > END_REASON_MAX {
        e.add("reason", format!("Keep the reason under {END_REASON_MAX} characters."));
    }
    e.into_result().map(|_| r.to_string())
}

/// One side's fit check as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitSide {
    /// The answer, if given.
    pub answer: Option<FitAnswer>,
    /// The private note.
    pub note: String,
}

/// A pair of a cohort in the admin's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortPair {
    /// Pairing key.
    pub id: String,
    /// The mentee's name.
    pub mentee_name: String,
    /// The mentor's name.
    pub mentor_name: String,
    /// Meetings held so far (not planned ones).
    pub meetings: i64,
    /// The mentee's fit check.
    pub mentee_fit: FitSide,
    /// The mentor's fit check.
    pub mentor_fit: FitSide,
    /// Set once the pair ended.
    pub ended: Option<PairEnded>,
}

impl CohortPair {
    /// Either side said "not a fit" and the pair still runs.
    pub fn flagged(&self) -> bool {
        self.ended.is_none()
            && (self.mentee_fit.answer == Some(FitAnswer::NotFit) || self.mentor_fit.answer == Some(FitAnswer::NotFit))
    }
}

/// A cohort's pairs for its admins: flagged first, then running, then ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortPairs {
    /// The pairs, flagged first.
    pub pairs: Vec<CohortPair>,
    /// Mentees whose pair ended and who have no running pair in the cohort: the board's work.
    pub unmatched: usize,
}

/// Flagged pairs first, then running, then ended; by mentee name within each.
pub fn order(pairs: &mut [CohortPair]) {
    pairs.sort_by_key(|p| (!p.flagged(), p.ended.is_some(), p.mentee_name.to_lowercase()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(name: &str, mentee: Option<FitAnswer>, mentor: Option<FitAnswer>, ended: bool) -> CohortPair {
        CohortPair {
            id: name.into(),
            mentee_name: name.into(),
            mentor_name: "M".into(),
            meetings: 1,
            mentee_fit: FitSide { answer: mentee, note: String::new() },
            mentor_fit: FitSide { answer: mentor, note: String::new() },
            ended: ended.then(|| PairEnded { on: "2026-11-01".into(), reason: "r".into() }),
        }
    }

    #[test]
    fn a_not_a_fit_from_either_side_flags_a_running_pair_only() {
        assert!(pair("a", Some(FitAnswer::NotFit), None, false).flagged());
        assert!(pair("a", Some(FitAnswer::Good), Some(FitAnswer::NotFit), false).flagged());
        assert!(!pair("a", Some(FitAnswer::Deciding), Some(FitAnswer::Good), false).flagged());
        assert!(!pair("a", Some(FitAnswer::NotFit), None, true).flagged());
    }

    #[test]
    fn flagged_pairs_come_first_and_ended_last() {
        let mut v = vec![
            pair("zed", None, None, true),
            pair("bob", None, None, false),
            pair("amy", None, Some(FitAnswer::NotFit), false),
            pair("al", None, None, false),
        ];
        order(&mut v);
        let names: Vec<&str> = v.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(names, ["amy", "al", "bob", "zed"]);
    }

    fn field(e: AppError, f: &str) -> String {
        match e {
            AppError::Validation(v) => v.get(f).unwrap_or_default().to_string(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn reasons_and_notes_are_checked() {
        assert!(field(check_end_reason("  ").unwrap_err(), "reason").contains("Say why"));
        assert!(check_end_reason(&"x".repeat(END_REASON_MAX + 1)).is_err());
        assert_eq!(check_end_reason(" Schedules never overlap ").unwrap(), "Schedules never overlap");
        let long =
            FitCheckInput { pairing_id: "p".into(), answer: FitAnswer::Good, note: "x".repeat(FIT_NOTE_MAX + 1) };
        assert!(field(long.validate().unwrap_err(), "note").contains("under"));
        let ok = FitCheckInput { note: " fine ".into(), ..long };
        assert_eq!(ok.validate().unwrap(), "fine");
    }
}
