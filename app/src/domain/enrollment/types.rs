//! Enrollment: people apply to a cohort as mentee or mentor, answer the program's application
//! questions, get an eligibility verdict per rule, and an admin decides.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::cohort::types::Cohort;
use crate::engine::eligibility::{RuleNode, RuleOutline, RuleVerdict};
use crate::error::FieldErrors;
use crate::validate;

wire_enum! {
    /// Which side of a pair someone applies for (and, once matched, is on).
    #[derive(PartialOrd, Ord)]
    pub enum Side {
        /// Being mentored.
        Mentee = "mentee",
        /// Mentoring.
        Mentor = "mentor",
    }
}

impl Side {
    /// Both sides, mentee first.
    pub const BOTH: [Side; 2] = [Side::Mentee, Side::Mentor];

    /// "Mentee" / "Mentor".
    pub fn label(self) -> &'static str {
        match self {
            Side::Mentee => "Mentee",
            Side::Mentor => "Mentor",
        }
    }
}

wire_enum! {
    /// Where an application stands, declared in the order admins review them.
    #[derive(PartialOrd, Ord)]
    pub enum ApplicationStatus {
        /// Waiting for an admin's decision.
        Pending = "pending",
        /// Accepted into the cohort.
        Approved = "approved",
        /// Not accepted, with a reason.
        Rejected = "rejected",
        /// Taken back by the applicant.
        Withdrawn = "withdrawn",
    }
}

impl ApplicationStatus {
    /// The status in words, for the applicant and the admins.
    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "Pending review",
            ApplicationStatus::Approved => "Approved",
            ApplicationStatus::Rejected => "Not accepted",
            ApplicationStatus::Withdrawn => "Withdrawn",
        }
    }
}

/// True when a stored rule tree has no rules at all (everyone may apply).
pub fn no_rules(node: &RuleNode) -> bool {
    matches!(node, RuleNode::Group { rules, .. } if rules.is_empty())
}

/// A cohort taking applications, as a participant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCohort {
    /// The cohort.
    pub cohort: Cohort,
    /// The program's purpose.
    pub purpose: String,
    /// The program's approach, in words.
    pub approach: String,
    /// The program's application questions.
    pub questions: Vec<String>,
    /// The program's default mentor capacity.
    pub default_capacity: String,
    /// Who may join as a mentee, in words (`None`: everyone).
    pub mentee_rules: Option<RuleOutline>,
    /// Who may join as a mentor, in words (`None`: everyone).
    pub mentor_rules: Option<RuleOutline>,
    /// The caller's own applications to this cohort.
    pub mine: Vec<Application>,
    /// The program's skills, `(id, name)`, for the matching preferences.
    #[serde(default)]
    pub skills: Vec<(String, String)>,
    /// The program skills the caller's profile says they want to grow (prefills a mentee form).
    #[serde(default)]
    pub profile_wanted: Vec<String>,
    /// The program skills the caller's profile says they offer (prefills a mentor form).
    #[serde(default)]
    pub profile_offered: Vec<String>,
    /// People who applied to mentor in this cohort, `(user id, name)`, for a mentee's wishes.
    #[serde(default)]
    pub mentors: Vec<(String, String)>,
}

/// Most mentors a mentee may wish for.
pub const WISHES_MAX: usize = 3;

/// Weekdays offered for meetings: stored key and label.
pub const DAYS: [(&str, &str); 5] = [("mon", "Mon"), ("tue", "Tue"), ("wed", "Wed"), ("thu", "Thu"), ("fri", "Fri")];
/// Parts of a day offered for meetings: stored key, label, and local hours `[from, to)`.
pub const BLOCKS: [(&str, &str, usize, usize); 3] =
    [("am", "Morning", 9, 12), ("pm", "Afternoon", 13, 17), ("eve", "Evening", 18, 21)];
/// Most skills one person picks for matching.
pub const PREF_SKILLS_MAX: usize = 5;
/// Mentoring approaches a person can prefer or practise (the custom approach is the program's own).
pub const PREF_APPROACHES: [&str; 3] = ["coaching", "peer", "politics"];
/// UTC offsets offered, in hours.
pub const UTC_OFFSETS: std::ops::RangeInclusive<i32> = -12..=14;

/// What matching needs from an applicant besides the profile: the skills at stake, when they can
/// meet (in their own time zone), whether remote is fine, and the approach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchPrefs {
    /// Program skill ids: wanted by a mentee, offered by a mentor.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Meeting times as `<day>-<block>` keys ([`DAYS`] × [`BLOCKS`]), in local time.
    #[serde(default)]
    pub slots: Vec<String>,
    /// Remote mentoring is fine.
    #[serde(default = "yes")]
    pub remote_ok: bool,
    /// A mentee's preferred approach (at most one) or a mentor's approaches.
    #[serde(default)]
    pub approaches: Vec<String>,
    /// The applicant's time zone as hours east of UTC.
    #[serde(default)]
    pub utc_offset: i32,
    /// A mentee's wished-for mentors (user ids), best first; at most [`WISHES_MAX`].
    #[serde(default)]
    pub wishes: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for MatchPrefs {
    fn default() -> MatchPrefs {
        MatchPrefs {
            skills: Vec::new(),
            slots: Vec::new(),
            remote_ok: true,
            approaches: Vec::new(),
            utc_offset: 0,
            wishes: Vec::new(),
        }
    }
}

/// The `<day>-<block>` key of a meeting slot.
pub fn slot_key(day: &str, block: &str) -> String {
    format!("{day}-{block}")
}

impl MatchPrefs {
    /// Checks the preferences of one side against the program's skills; field names are
    /// `prefs.skills`, `prefs.slots`, `prefs.approaches` and `prefs.utc_offset`.
    pub fn validate(&self, e: &mut FieldErrors, side: Side, program_skills: &[String]) {
        if self.skills.iter().any(|s| !program_skills.contains(s)) {
            e.add("prefs.skills", "A skill you chose is no longer part of this program. Reload the page.");
        } else if self.skills.is_empty() && !program_skills.is_empty() {
            e.add(
                "prefs.skills",
                match side {
                    Side::Mentee => "Pick at least one skill you want to develop.",
                    Side::Mentor => "Pick at least one skill you can help with.",
                },
            );
        } else if self.skills.len() > PREF_SKILLS_MAX {
            e.add("prefs.skills", format!("Pick at most {PREF_SKILLS_MAX} skills (you picked {}).", self.skills.len()));
        }
        let valid_slot = |k: &String| DAYS.iter().any(|(d, _)| BLOCKS.iter().any(|(b, ..)| *k == slot_key(d, b)));
        if self.slots.iter().any(|k| !valid_slot(k)) {
            e.add("prefs.slots", "Unknown meeting time. Reload the page.");
        } else if self.slots.is_empty() {
            e.add("prefs.slots", "Choose at least one time you could meet.");
        }
        if self.approaches.iter().any(|a| !PREF_APPROACHES.contains(&a.as_str())) {
            e.add("prefs.approaches", "Unknown approach. Reload the page.");
        } else if side == Side::Mentee && self.approaches.len() > 1 {
            e.add("prefs.approaches", "Choose one preferred approach, or none.");
        }
        if side == Side::Mentor && !self.wishes.is_empty() {
            e.add("prefs.wishes", "Only mentees name the mentors they would like.");
        } else if self.wishes.len() > WISHES_MAX {
            e.add("prefs.wishes", format!("Name at most {WISHES_MAX} mentors."));
        } else if self.wishes.iter().enumerate().any(|(k, w)| w.is_empty() || self.wishes[..k].contains(w)) {
            e.add("prefs.wishes", "Name each mentor once.");
        }
        if !UTC_OFFSETS.contains(&self.utc_offset) {
            e.add("prefs.utc_offset", "Choose your time zone from the list.");
        }
    }

    /// The chosen slots as UTC hours of the week (Monday 00:00 UTC is hour 0), for the scoring
    /// engine's availability overlap.
    pub fn utc_hours(&self) -> Vec<usize> {
        let mut hours = Vec::new();
        for (d, (day, _)) in DAYS.iter().enumerate() {
            for (block, _, from, to) in BLOCKS {
                if self.slots.contains(&slot_key(day, block)) {
                    for h in from..to {
                        let local = (d * 24 + h) as i64;
                        hours.push((local - self.utc_offset as i64).rem_euclid(168) as usize);
                    }
                }
            }
        }
        hours
    }
}

/// What an applicant sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationInput {
    /// The cohort's key.
    pub cohort_id: String,
    /// `mentee` or `mentor`.
    pub side: String,
    /// Answers, by question text.
    pub answers: BTreeMap<String, String>,
    /// Mentors: how many mentees they take, as typed (blank: the program's default).
    #[serde(default)]
    pub capacity: String,
    /// What matching needs.
    #[serde(default)]
    pub prefs: MatchPrefs,
}

/// Most mentees one mentor may take.
pub const CAPACITY_MAX: i64 = 10;

/// Checks a typed capacity: blank, or a whole number from 1 to [`CAPACITY_MAX`].
pub fn check_capacity(e: &mut FieldErrors, field: &str, value: &str) -> Option<Option<i64>> {
    validate::optional_int(e, field, value, 1, CAPACITY_MAX)
}

/// Longest answer to an application question.
pub const ANSWER_MAX: usize = 1000;
/// Longest decision or override reason.
pub const REASON_MAX: usize = 1000;

impl ApplicationInput {
    /// Checks the side, that every question is answered (field names `answers.<i>`) and the
    /// matching preferences against the program's skills.
    pub fn validate(&self, questions: &[String], program_skills: &[String]) -> FieldErrors {
        let mut e = FieldErrors::default();
        let side = Side::parse(&self.side);
        if side.is_none() {
            e.add("side", "Choose whether you apply as a mentee or as a mentor.");
        }
        for (i, q) in questions.iter().enumerate() {
            let answer = self.answers.get(q).map(String::as_str).unwrap_or("");
            if answer.trim().is_empty() {
                e.add(&format!("answers.{i}"), "Answer this question.");
            } else {
                let n = answer.trim().chars().count();
                if n > ANSWER_MAX {
                    e.add(&format!("answers.{i}"), format!("Use at most {ANSWER_MAX} characters (this has {n})."));
                }
            }
        }
        if side == Some(Side::Mentor) {
            check_capacity(&mut e, "capacity", &self.capacity);
        }
        if let Some(side) = side {
            self.prefs.validate(&mut e, side, program_skills);
        }
        if self.answers.keys().any(|k| !questions.contains(k)) {
            e.add("answers", "The program's questions changed since you opened the form. Reload the page.");
        }
        e
    }
}

/// An application as the applicant and the admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// Record key.
    pub id: String,
    /// The cohort's key.
    pub cohort_id: String,
    /// The cohort's name.
    pub cohort_name: String,
    /// The program's name.
    pub program_name: String,
    /// The applicant's key.
    pub user_id: String,
    /// The applicant's name.
    pub name: String,
    /// The applicant's email.
    pub email: String,
    /// Department.
    pub department: String,
    /// Job title.
    pub title: String,
    /// Level, if recorded.
    pub level: Option<i64>,
    /// Mentee or mentor.
    pub side: Side,
    /// Answers, by question text.
    pub answers: BTreeMap<String, String>,
    /// The verdict per rule when they applied (`None`: the program has no rules for this side).
    pub verdict: Option<RuleVerdict>,
    /// Whether every rule passed.
    pub eligible: bool,
    /// Mentors: mentees they take (`None`: the program's default).
    pub capacity: Option<i64>,
    /// Where the application stands.
    pub status: ApplicationStatus,
    /// The admin's reason, shown to the applicant.
    pub decision_reason: String,
    /// Why an admin approved despite a failed rule (admins only: empty for the applicant).
    pub override_reason: String,
    /// Who decided (admins only: empty for the applicant).
    pub decided_by: String,
    /// When they applied, `YYYY-MM-DD`.
    pub applied_on: String,
    /// Bumped on every change; a decision made on an older version is refused.
    pub version: i64,
    /// What matching needs, `None` for applications sent before preferences existed.
    #[serde(default)]
    pub prefs: Option<MatchPrefs>,
}

impl Application {
    /// The application as its applicant receives it: without the admins' internal override
    /// reason and the deciding admin's name (the decision's reason is theirs to read).
    pub fn for_applicant(self) -> Application {
        Application { override_reason: String::new(), decided_by: String::new(), ..self }
    }
}

/// An admin's decision on one application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The application's key.
    pub id: String,
    /// Approve (true) or reject.
    pub approve: bool,
    /// The reason the applicant sees (required to reject).
    pub reason: String,
    /// Why a failed rule is overridden (required to approve an ineligible application).
    pub override_reason: String,
    /// Mentors: the capacity to record, as typed (blank: keep what the mentor asked for).
    #[serde(default)]
    pub capacity: String,
    /// The version the admin saw.
    pub version: i64,
}

impl Decision {
    /// Checks the reasons, given whether the application passed every rule.
    pub fn validate(&self, eligible: bool) -> FieldErrors {
        let mut e = FieldErrors::default();
        let required = !self.approve;
        validate::text(&mut e, "reason", "a reason the applicant will see", &self.reason, required, REASON_MAX);
        let override_required = self.approve && !eligible;
        validate::text(
            &mut e,
            "override_reason",
            "why you override the failed rule (it is recorded)",
            &self.override_reason,
            override_required,
            REASON_MAX,
        );
        check_capacity(&mut e, "capacity", &self.capacity);
        e
    }
}

/// One cohort's applications, for the admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortApplications {
    /// The cohort.
    pub cohort: Cohort,
    /// Its program's application questions.
    pub questions: Vec<String>,
    /// The program's default mentor capacity.
    pub default_capacity: String,
    /// Every application, pending first.
    pub applications: Vec<Application>,
}

/// A direct report a manager may nominate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The report's key.
    pub id: String,
    /// Name.
    pub name: String,
    /// Job title.
    pub title: String,
    /// Keys of the open cohorts the manager nominated them for.
    pub nominated_for: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monday() -> MatchPrefs {
        MatchPrefs { slots: vec!["mon-am".into()], ..Default::default() }
    }

    #[test]
    fn matching_preferences_are_checked_per_side() {
        let skills = vec!["s1".to_string(), "s2".to_string()];
        let mut e = FieldErrors::default();
        MatchPrefs::default().validate(&mut e, Side::Mentee, &skills);
        assert_eq!(e.get("prefs.skills"), Some("Pick at least one skill you want to develop."));
        assert_eq!(e.get("prefs.slots"), Some("Choose at least one time you could meet."));
        let mut e = FieldErrors::default();
        MatchPrefs::default().validate(&mut e, Side::Mentor, &skills);
        assert_eq!(e.get("prefs.skills"), Some("Pick at least one skill you can help with."));
        let good = MatchPrefs { skills: vec!["s1".into()], approaches: vec!["coaching".into()], ..monday() };
        let mut e = FieldErrors::default();
        good.validate(&mut e, Side::Mentee, &skills);
        assert!(e.is_empty());
        let bad = MatchPrefs {
            skills: vec!["gone".into()],
            slots: vec!["sun-am".into()],
            approaches: vec!["coaching".into(), "peer".into()],
            utc_offset: 15,
            ..Default::default()
        };
        let mut e = FieldErrors::default();
        bad.validate(&mut e, Side::Mentee, &skills);
        assert!(e.get("prefs.skills").unwrap().contains("Reload"));
        assert!(e.get("prefs.slots").unwrap().contains("Unknown"));
        assert_eq!(e.get("prefs.approaches"), Some("Choose one preferred approach, or none."));
        assert!(e.get("prefs.utc_offset").is_some());
        // Mentors may practise several approaches.
        let mut e = FieldErrors::default();
        MatchPrefs { skills: vec!["s2".into()], approaches: vec!["coaching".into(), "peer".into()], ..monday() }
            .validate(&mut e, Side::Mentor, &skills);
        assert!(e.is_empty());
    }

    #[test]
    fn wishes_are_a_mentees_short_list_without_repeats() {
        let skills = vec!["s1".to_string()];
        let base = MatchPrefs { skills: skills.clone(), ..monday() };
        let check = |p: &MatchPrefs, side| {
            let mut e = FieldErrors::default();
            p.validate(&mut e, side, &skills);
            e.get("prefs.wishes").map(str::to_string)
        };
        assert_eq!(check(&MatchPrefs { wishes: vec!["a".into(), "b".into()], ..base.clone() }, Side::Mentee), None);
        assert!(check(&MatchPrefs { wishes: vec!["a".into(), "a".into()], ..base.clone() }, Side::Mentee)
            .unwrap()
            .contains("once"));
        assert!(check(
            &MatchPrefs { wishes: vec!["a".into(), "b".into(), "c".into(), "d".into()], ..base.clone() },
            Side::Mentee
        )
        .unwrap()
        .contains("at most 3"));
        assert!(check(&MatchPrefs { wishes: vec!["a".into()], ..base }, Side::Mentor).is_some());
    }

    #[test]
    fn slots_turn_into_utc_hours_of_the_week() {
        // Monday morning 9-12 in UTC+2 is 7-10 UTC.
        let p = MatchPrefs { utc_offset: 2, ..monday() };
        assert_eq!(p.utc_hours(), vec![7, 8, 9]);
        // Monday morning in UTC+14 wraps to Sunday evening of the previous week.
        let p = MatchPrefs { utc_offset: 14, ..monday() };
        assert_eq!(p.utc_hours(), vec![163, 164, 165]);
        let p = MatchPrefs { slots: vec!["fri-eve".into()], utc_offset: -5, ..Default::default() };
        assert_eq!(p.utc_hours(), (4 * 24 + 23..4 * 24 + 26).collect::<Vec<_>>());
    }

    fn questions() -> Vec<String> {
        vec!["Why now?".into(), "Can you commit two hours a month?".into()]
    }

    #[test]
    fn every_question_needs_an_answer() {
        let mut input =
            ApplicationInput { cohort_id: "c".into(), side: "mentee".into(), prefs: monday(), ..Default::default() };
        input.answers.insert("Why now?".into(), "  ".into());
        let e = input.validate(&questions(), &[]);
        assert_eq!(e.get("answers.0"), Some("Answer this question."));
        assert_eq!(e.get("answers.1"), Some("Answer this question."));
        input.answers.insert("Why now?".into(), "I lead a team from May.".into());
        input.answers.insert("Can you commit two hours a month?".into(), "yes".into());
        assert!(input.validate(&questions(), &[]).is_empty());
        input.answers.insert("Why now?".into(), "x".repeat(ANSWER_MAX + 1));
        assert!(input.validate(&questions(), &[]).get("answers.0").unwrap().starts_with("Use at most 1000"));
    }

    #[test]
    fn side_and_stale_questions_are_refused() {
        let mut input = ApplicationInput { cohort_id: "c".into(), side: "boss".into(), ..Default::default() };
        input.answers.insert("Old question".into(), "a".into());
        let e = input.validate(&[], &[]);
        assert!(e.get("side").is_some());
        assert!(e.get("answers").unwrap().contains("Reload"));
    }

    #[test]
    fn rejecting_needs_a_reason_and_overriding_needs_one_too() {
        let reject = Decision { approve: false, ..Default::default() };
        assert_eq!(reject.validate(true).get("reason"), Some("Enter a reason the applicant will see."));
        let approve = Decision { approve: true, ..Default::default() };
        assert!(approve.validate(true).is_empty());
        assert!(approve.validate(false).get("override_reason").is_some());
        let with_reason =
            Decision { approve: true, override_reason: "Nominated by the COO".into(), ..Default::default() };
        assert!(with_reason.validate(false).is_empty());
        let too_many = Decision { approve: true, capacity: "11".into(), ..Default::default() };
        assert_eq!(too_many.validate(true).get("capacity"), Some("Enter a whole number from 1 to 10."));
    }

    #[test]
    fn mentors_may_state_a_capacity_from_1_to_10() {
        let mut input = ApplicationInput {
            cohort_id: "c".into(),
            side: "mentor".into(),
            capacity: "0".into(),
            prefs: monday(),
            ..Default::default()
        };
        assert!(input.validate(&[], &[]).get("capacity").is_some());
        input.capacity = "3".into();
        assert!(input.validate(&[], &[]).is_empty());
        input.capacity = String::new();
        assert!(input.validate(&[], &[]).is_empty());
        // Mentees have no capacity; whatever is typed there is ignored.
        input.side = "mentee".into();
        input.capacity = "99".into();
        assert!(input.validate(&[], &[]).is_empty());
    }

    #[test]
    fn sides_keep_their_stored_strings() {
        crate::domain::assert_wire_strings(Side::ALL, Side::as_str, &["mentee", "mentor"]);
    }

    #[test]
    fn application_statuses_keep_their_stored_strings() {
        crate::domain::assert_wire_strings(
            ApplicationStatus::ALL,
            ApplicationStatus::as_str,
            &["pending", "approved", "rejected", "withdrawn"],
        );
    }
}
