//! Cohorts: one run of a program, with dates, a status and the strategy tags retrospectives compare.

use serde::{Deserialize, Serialize};

use crate::domain::program::types::ApproachKind;
use crate::error::FieldErrors;
use crate::validate;
use crate::validate::{date_of_day, day_number};

wire_enum! {
    /// The life of a cohort, in order.
    pub enum CohortStatus {
        /// Being set up; nobody sees it yet.
        Draft = "draft",
        /// Taking applications.
        Enrolling = "enrolling",
        /// Applications closed; an admin drafts the pairs.
        Matching = "matching",
        /// Pairs published; the pairs meet.
        Running = "running",
        /// Over.
        Closed = "closed",
    }
}

impl CohortStatus {
    /// The status after this one, if any.
    pub fn next(self) -> Option<CohortStatus> {
        let i = Self::ALL.iter().position(|s| *s == self)?;
        Self::ALL.get(i + 1).copied()
    }

    /// Open for people: taking applications, being matched or running.
    pub fn is_live(self) -> bool {
        matches!(self, CohortStatus::Enrolling | CohortStatus::Matching | CohortStatus::Running)
    }
}

/// The approach tag in words ("Coaching"); an unknown stored value is shown as stored.
pub fn approach_label(approach: &str) -> String {
    ApproachKind::parse(approach).map(|k| k.label().to_string()).unwrap_or_else(|| approach.to_string())
}

/// Matching modes a cohort can use.
pub const MATCHING_MODES: [(&str, &str); 3] =
    [("optimal", "Optimal (auto-match)"), ("stable", "Stable matching"), ("manual", "Manual")];
/// Meeting cadences.
pub const CADENCES: [(&str, &str); 3] = [("weekly", "Weekly"), ("biweekly", "Every two weeks"), ("monthly", "Monthly")];
/// Workshop formats.
pub const WORKSHOP_FORMATS: [(&str, &str); 3] =
    [("in-person", "In person"), ("remote", "Remote"), ("hybrid", "Hybrid")];

/// A cohort as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    /// Record key.
    pub id: String,
    /// Name, e.g. "Autumn 2027".
    pub name: String,
    /// The program's key.
    pub program_id: String,
    /// The program's name.
    pub program_name: String,
    /// First day, `YYYY-MM-DD`.
    pub starts: String,
    /// Last day, `YYYY-MM-DD`.
    pub ends: String,
    /// Where the cohort is in its life.
    pub status: CohortStatus,
    /// The mentors' approach in this cohort (stored form of
    /// [`ApproachKind`](crate::domain::program::types::ApproachKind)); opened with the program's.
    pub approach: String,
    /// optimal | stable | manual.
    pub matching_mode: String,
    /// weekly | biweekly | monthly.
    pub meeting_cadence: String,
    /// in-person | remote | hybrid.
    pub workshop_format: String,
    /// Bumped on every change; an edit from an older version is refused.
    pub version: i64,
}

impl Cohort {
    /// The form filled with this cohort's values (to edit it, or to open the next one like it).
    pub fn as_input(&self) -> CohortInput {
        CohortInput {
            program_id: self.program_id.clone(),
            name: self.name.clone(),
            starts: self.starts.clone(),
            ends: self.ends.clone(),
            approach: self.approach.clone(),
            matching_mode: self.matching_mode.clone(),
            meeting_cadence: self.meeting_cadence.clone(),
            workshop_format: self.workshop_format.clone(),
        }
    }
}

/// The dates of the next run of a cohort: the same length, starting the day after it ends.
pub fn next_run(starts: &str, ends: &str) -> Option<(String, String)> {
    let (s, e) = (day_number(starts)?, day_number(ends)?);
    Some((date_of_day(e + 1), date_of_day(e + 1 + (e - s))))
}

/// The "open a cohort" form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortInput {
    /// The program's key.
    pub program_id: String,
    /// Name as typed.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts: String,
    /// `YYYY-MM-DD`.
    pub ends: String,
    /// The mentors' approach (stored form); empty when opening a cohort means the program's.
    #[serde(default)]
    pub approach: String,
    /// Matching mode.
    pub matching_mode: String,
    /// Meeting cadence.
    pub meeting_cadence: String,
    /// Workshop format.
    pub workshop_format: String,
}

impl CohortInput {
    /// Checks every field; dates must be real and the end after the start.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.program_id.trim().is_empty() {
            e.add("program_id", "Choose the program this cohort runs.");
        }
        validate::text(&mut e, "name", "a cohort name", &self.name, true, 120);
        let starts_ok = crate::domain::program::types::is_date(self.starts.trim());
        let ends_ok = crate::domain::program::types::is_date(self.ends.trim());
        if !starts_ok {
            e.add("starts", "Choose the first day.");
        }
        if !ends_ok {
            e.add("ends", "Choose the last day.");
        }
        if starts_ok && ends_ok && self.ends.trim() <= self.starts.trim() {
            e.add("ends", "The cohort must end after it starts.");
        }
        if !self.approach.is_empty() && ApproachKind::parse(&self.approach).is_none() {
            e.add("approach", "Choose one of the options.");
        }
        for (field, value, allowed) in [
            ("matching_mode", &self.matching_mode, &MATCHING_MODES),
            ("meeting_cadence", &self.meeting_cadence, &CADENCES),
            ("workshop_format", &self.workshop_format, &WORKSHOP_FORMATS),
        ] {
            if !allowed.iter().any(|(v, _)| v == value) {
                e.add(field, "Choose one of the options.");
            }
        }
        e.into_result().map_err(|err| match err {
            crate::error::AppError::Validation(f) => f,
            _ => FieldErrors::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CohortInput {
        CohortInput {
            program_id: "p1".into(),
            name: "Autumn 2027".into(),
            starts: "2027-09-01".into(),
            ends: "2028-02-28".into(),
            approach: "peer".into(),
            matching_mode: "optimal".into(),
            meeting_cadence: "biweekly".into(),
            workshop_format: "hybrid".into(),
        }
    }

    #[test]
    fn dates_must_be_in_order() {
        assert!(input().validate().is_ok());
        let mut i = input();
        i.ends = "2027-08-01".into();
        assert_eq!(i.validate().unwrap_err().get("ends"), Some("The cohort must end after it starts."));
        i.starts = "2027-02-30".into();
        assert_eq!(i.validate().unwrap_err().get("starts"), Some("Choose the first day."));
    }

    #[test]
    fn approach_is_one_of_the_kinds_or_the_programs() {
        let mut i = input();
        i.approach = "mentoring-by-osmosis".into();
        assert_eq!(i.validate().unwrap_err().get("approach"), Some("Choose one of the options."));
        i.approach = String::new();
        assert!(i.validate().is_ok(), "empty means the program's approach");
        assert_eq!(approach_label("politics"), "Navigating workplace politics");
    }

    #[test]
    fn next_run_follows_on_with_the_same_length() {
        // 183 days, and 2028 is a leap year.
        assert_eq!(next_run("2027-03-01", "2027-08-31"), Some(("2027-09-01".into(), "2028-03-02".into())));
        assert_eq!(next_run("2028-02-01", "2028-02-28"), Some(("2028-02-29".into(), "2028-03-27".into())));
        assert_eq!(next_run("2027-12-01", "2027-12-31"), Some(("2028-01-01".into(), "2028-01-31".into())));
        assert_eq!(next_run("soon", "2027-12-31"), None);
        for d in ["2000-01-01", "2024-02-29", "2099-12-31"] {
            assert_eq!(date_of_day(day_number(d).unwrap()), d);
        }
    }

    #[test]
    fn status_moves_forward_only() {
        assert_eq!(CohortStatus::Draft.next(), Some(CohortStatus::Enrolling));
        assert_eq!(CohortStatus::Running.next(), Some(CohortStatus::Closed));
        assert_eq!(CohortStatus::Closed.next(), None);
    }

    #[test]
    fn cohort_status_keeps_its_stored_strings() {
        crate::domain::assert_wire_strings(
            CohortStatus::ALL,
            CohortStatus::as_str,
            &["draft", "enrolling", "matching", "running", "closed"],
        );
    }
}
