//! The pair's meeting log: when, how long, what about, and notes only the pair can read.

use serde::{Deserialize, Serialize};

use crate::domain::matching::types::Viewer;
use crate::domain::program::types::is_date;
use crate::error::FieldErrors;

/// Longest topics line.
pub const TOPICS_MAX: usize = 300;
/// Longest private notes.
pub const NOTES_MAX: usize = 2000;

/// A meeting as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    /// The pairing's key.
    pub pairing_id: String,
    /// YYYY-MM-DD; a future date plans the next meeting.
    pub on: String,
    /// Length in minutes, as typed.
    pub minutes: String,
    /// What it was (or will be) about.
    pub topics: String,
    /// Private to the pair.
    pub notes: String,
}

/// A valid meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMeeting {
    /// YYYY-MM-DD.
    pub on: String,
    /// 5–480.
    pub minutes: i64,
    /// Trimmed.
    pub topics: String,
    /// Trimmed.
    pub notes: String,
}

impl MeetingInput {
    /// Field checks: a real date inside the cohort, 5–480 minutes, topics, notes length.
    pub fn validate(&self, cohort_starts: &str, cohort_ends: &str) -> Result<ValidMeeting, FieldErrors> {
        let mut e = FieldErrors::default();
        let on = self.on.trim();
        if !is_date(on) {
            e.add("on", "Enter the date, like 2027-03-15.");
        } else if on < cohort_starts || on > cohort_ends {
            e.add("on", format!("Choose a date inside the cohort ({cohort_starts} → {cohort_ends})."));
        }
        let minutes = match self.minutes.trim().parse::<i64>() {
            Ok(m) if (5..=480).contains(&m) => Some(m),
            _ => {
                e.add("minutes", "Enter the length in minutes, from 5 to 480.");
                None
            }
        };
        let topics = self.topics.trim();
        if topics.is_empty() {
            e.add("topics", "Say what the meeting is about.");
        } else if topics.chars().count() > TOPICS_MAX {
            e.add("topics", format!("Use at most {TOPICS_MAX} characters (this has {}).", topics.chars().count()));
        }
        let notes = self.notes.trim();
        if notes.chars().count() > NOTES_MAX {
            e.add("notes", format!("Use at most {NOTES_MAX} characters (this has {}).", notes.chars().count()));
        }
        match minutes {
            Some(minutes) if e.is_empty() => {
                Ok(ValidMeeting { on: on.to_string(), minutes, topics: topics.to_string(), notes: notes.to_string() })
            }
            _ => Err(e),
        }
    }
}

/// A meeting as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// YYYY-MM-DD.
    pub on: String,
    /// Minutes.
    pub minutes: i64,
    /// Topics.
    pub topics: String,
    /// The private notes, `None` for an admin (who sees that it happened, not what was said).
    pub notes: Option<String>,
    /// Who logged it.
    pub logged_by: String,
    /// Still to come.
    pub upcoming: bool,
}

/// A pair's page: the two people, the meetings, and the caller's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairPage {
    /// Pairing key.
    pub id: String,
    /// Cohort name.
    pub cohort_name: String,
    /// Cohort first day.
    pub cohort_starts: String,
    /// Cohort last day.
    pub cohort_ends: String,
    /// The mentee's name.
    pub mentee_name: String,
    /// The mentor's name.
    pub mentor_name: String,
    /// Newest first.
    pub meetings: Vec<Meeting>,
    /// The caller's part in the pair.
    pub viewer: Viewer,
    /// The caller's fit check, once the pair has met (the pair's own two people, while it runs).
    #[serde(default)]
    pub fit: Option<crate::domain::pairs::types::FitCard>,
    /// Set once the pair ended: the record is read-only.
    #[serde(default)]
    pub ended: Option<crate::domain::pairs::types::PairEnded>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetings_check_date_length_and_topics() {
        let ok = MeetingInput {
            pairing_id: "p".into(),
            on: "2027-03-15".into(),
            minutes: "45".into(),
            topics: "Delegation".into(),
            notes: String::new(),
        };
        assert_eq!(ok.validate("2027-01-01", "2027-06-30").unwrap().minutes, 45);
        let outside = MeetingInput { on: "2027-07-01".into(), ..ok.clone() };
        assert!(outside
            .validate("2027-01-01", "2027-06-30")
            .unwrap_err()
            .get("on")
            .unwrap()
            .contains("inside the cohort"));
        let bad = MeetingInput {
            on: "15/03/2027".into(),
            minutes: "600".into(),
            topics: " ".into(),
            notes: "x".repeat(NOTES_MAX + 1),
            ..ok
        };
        let e = bad.validate("2027-01-01", "2027-06-30").unwrap_err();
        assert!(
            e.get("on").is_some()
                && e.get("minutes").is_some()
                && e.get("topics").is_some()
                && e.get("notes").is_some()
        );
    }
}
