//! Workshops where mentees apply a skill: RSVP, attendance (marked by an admin), the mentee's
//! reflection "how I applied the skill" and the mentor's sign-off.

use serde::{Deserialize, Serialize};

use crate::domain::enrollment::types::Side;
use crate::error::FieldErrors;

/// Shortest useful reflection.
pub const REFLECTION_MIN: usize = 30;
/// Longest reflection.
pub const REFLECTION_MAX: usize = 2000;

/// Checks a reflection; returns it trimmed.
pub fn check_reflection(text: &str) -> Result<String, FieldErrors> {
    let t = text.trim();
    let n = t.chars().count();
    let mut e = FieldErrors::default();
    if n == 0 {
        e.add("reflection", "Write how you applied the skill since the workshop.");
    } else if n < REFLECTION_MIN {
        e.add("reflection", format!("Say a little more: at least {REFLECTION_MIN} characters (this has {n}). What did you try, and what happened?"));
    } else if n > REFLECTION_MAX {
        e.add("reflection", format!("Use at most {REFLECTION_MAX} characters (this has {n})."));
    }
    if e.is_empty() {
        Ok(t.to_string())
    } else {
        Err(e)
    }
}

/// Whether a program workshop dated `date` belongs to a cohort running `starts`..=`ends`
/// (all `YYYY-MM-DD`).
pub fn in_cohort(date: &str, starts: &str, ends: &str) -> bool {
    !date.is_empty() && starts <= date && date <= ends
}

wire_enum! {
    /// A mentee's answer to a workshop invitation.
    pub enum Rsvp {
        /// Not answered yet.
        None = "none",
        /// Coming.
        Going = "going",
        /// Not coming.
        NotGoing = "not_going",
    }
}

impl Rsvp {
    /// The answer in words, as the pair sees it on a workshop card.
    pub fn label(self) -> &'static str {
        match self {
            Rsvp::None => "No reply yet",
            Rsvp::Going => "Going",
            Rsvp::NotGoing => "Not going",
        }
    }
}

/// A workshop as one pair sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopCard {
    /// The pairing.
    pub pairing_id: String,
    /// The workshop's id in its program.
    pub workshop_id: String,
    /// Title.
    pub title: String,
    /// The skill it practises.
    pub skill_name: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// in-person | remote | hybrid.
    pub format: String,
    /// Cohort name.
    pub cohort_name: String,
    /// The mentee.
    pub mentee_name: String,
    /// The mentee's answer.
    pub rsvp: Rsvp,
    /// Marked as attended by an admin.
    pub attended: bool,
    /// The mentee's reflection (empty until written).
    pub reflection: String,
    /// Who signed the reflection off, once done.
    pub signed_off_by: Option<String>,
    /// The workshop's date has passed.
    pub past: bool,
    /// The caller's side of the pair.
    pub viewer: Side,
}

impl WorkshopCard {
    /// Where the workshop stands, in words.
    pub fn status(&self) -> &'static str {
        match (self.attended, self.reflection.is_empty(), self.signed_off_by.is_some()) {
            (true, _, true) => "Completed: reflection signed off",
            (true, false, false) => "Reflection waiting for the mentor's sign-off",
            (true, true, false) => "Attended: reflection to write",
            _ => self.rsvp.label(),
        }
    }
}

/// One mentee's row on an attendance sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    /// The pairing.
    pub pairing_id: String,
    /// The mentee.
    pub mentee_name: String,
    /// The mentee's answer.
    pub rsvp: Rsvp,
    /// Marked as attended.
    pub attended: bool,
    /// Reflection signed off (attendance can no longer be removed).
    pub signed_off: bool,
}

/// One workshop of a cohort with its attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    /// The workshop's id in its program.
    pub workshop_id: String,
    /// Title.
    pub title: String,
    /// The skill it practises.
    pub skill_name: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// in-person | remote | hybrid.
    pub format: String,
    /// Every mentee of the cohort's published pairs.
    pub rows: Vec<AttendanceRow>,
    /// The workshop's day has come: attendance can be marked.
    pub open: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflections_need_substance_and_a_limit() {
        assert!(check_reflection("   ").unwrap_err().get("reflection").unwrap().contains("how you applied"));
        assert!(check_reflection("Went well.").unwrap_err().get("reflection").unwrap().contains("at least 30"));
        let long = "x".repeat(REFLECTION_MAX + 1);
        assert!(check_reflection(&long).unwrap_err().get("reflection").unwrap().contains("at most 2000"));
        assert_eq!(
            check_reflection("  I gave feedback to two reports the next week.  ").unwrap(),
            "I gave feedback to two reports the next week."
        );
    }

    #[test]
    fn a_workshop_belongs_to_the_cohorts_that_run_over_its_date() {
        assert!(in_cohort("2027-05-12", "2026-12-01", "2027-05-31"));
        assert!(in_cohort("2027-05-31", "2026-12-01", "2027-05-31"));
        assert!(!in_cohort("2027-06-01", "2026-12-01", "2027-05-31"));
        assert!(!in_cohort("", "2026-12-01", "2027-05-31"));
    }

    #[test]
    fn status_follows_the_steps() {
        let mut c = WorkshopCard {
            pairing_id: "p".into(),
            workshop_id: "w1".into(),
            title: "t".into(),
            skill_name: "s".into(),
            date: "2027-01-01".into(),
            format: "remote".into(),
            cohort_name: "c".into(),
            mentee_name: "m".into(),
            rsvp: Rsvp::None,
            attended: false,
            reflection: String::new(),
            signed_off_by: None,
            past: false,
            viewer: Side::Mentee,
        };
        assert_eq!(c.status(), "No reply yet");
        c.rsvp = Rsvp::Going;
        assert_eq!(c.status(), "Going");
        c.attended = true;
        assert_eq!(c.status(), "Attended: reflection to write");
        c.reflection = "text".into();
        assert_eq!(c.status(), "Reflection waiting for the mentor's sign-off");
        c.signed_off_by = Some("Dana".into());
        assert_eq!(c.status(), "Completed: reflection signed off");
    }

    #[test]
    fn rsvps_keep_their_stored_strings() {
        crate::domain::assert_wire_strings(Rsvp::ALL, Rsvp::as_str, &["none", "going", "not_going"]);
    }
}
