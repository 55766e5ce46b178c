//! Enrollment: people apply to a cohort as mentee or mentor, answer the program's application
//! questions, get an eligibility verdict per rule, and an admin decides.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::cohort::types::Cohort;
use crate::engine::eligibility::{RuleNode, RuleOutline, RuleVerdict};
use crate::error::FieldErrors;
use crate::validate;

/// Which side of a pair someone applies for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Being mentored.
    Mentee,
    /// Mentoring.
    Mentor,
}

impl Side {
    /// Both sides, mentee first.
    pub const BOTH: [Side; 2] = [Side::Mentee, Side::Mentor];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Mentee => "mentee",
            Side::Mentor => "mentor",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "mentee" => Some(Side::Mentee),
            "mentor" => Some(Side::Mentor),
            _ => None,
        }
    }

    /// "Mentee" / "Mentor".
    pub fn label(self) -> &'static str {
        match self {
            Side::Mentee => "Mentee",
            Side::Mentor => "Mentor",
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
    /// Checks the side and that every question is answered; field names are `answers.<i>`.
    pub fn validate(&self, questions: &[String]) -> FieldErrors {
        let mut e = FieldErrors::default();
        if Side::parse(&self.side).is_none() {
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
        if self.side == "mentor" {
            check_capacity(&mut e, "capacity", &self.capacity);
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
    /// pending | approved | rejected | withdrawn.
    pub status: String,
    /// The admin's reason, shown to the applicant.
    pub decision_reason: String,
    /// Why an admin approved despite a failed rule.
    pub override_reason: String,
    /// Who decided.
    pub decided_by: String,
    /// When they applied, `YYYY-MM-DD`.
    pub applied_on: String,
    /// Bumped on every change; a decision made on an older version is refused.
    pub version: i64,
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

    fn questions() -> Vec<String> {
        vec!["Why now?".into(), "Can you commit two hours a month?".into()]
    }

    #[test]
    fn every_question_needs_an_answer() {
        let mut input = ApplicationInput { cohort_id: "c".into(), side: "mentee".into(), ..Default::default() };
        input.answers.insert("Why now?".into(), "  ".into());
        let e = input.validate(&questions());
        assert_eq!(e.get("answers.0"), Some("Answer this question."));
        assert_eq!(e.get("answers.1"), Some("Answer this question."));
        input.answers.insert("Why now?".into(), "I lead a team from May.".into());
        input.answers.insert("Can you commit two hours a month?".into(), "yes".into());
        assert!(input.validate(&questions()).is_empty());
        input.answers.insert("Why now?".into(), "x".repeat(ANSWER_MAX + 1));
        assert!(input.validate(&questions()).get("answers.0").unwrap().starts_with("Use at most 1000"));
    }

    #[test]
    fn side_and_stale_questions_are_refused() {
        let mut input = ApplicationInput { cohort_id: "c".into(), side: "boss".into(), ..Default::default() };
        input.answers.insert("Old question".into(), "a".into());
        let e = input.validate(&[]);
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
        let with_reason = Decision { approve: true, override_reason: "Nominated by the COO".into(), ..Default::default() };
        assert!(with_reason.validate(false).is_empty());
        let too_many = Decision { approve: true, capacity: "11".into(), ..Default::default() };
        assert_eq!(too_many.validate(true).get("capacity"), Some("Enter a whole number from 1 to 10."));
    }

    #[test]
    fn mentors_may_state_a_capacity_from_1_to_10() {
        let mut input = ApplicationInput { cohort_id: "c".into(), side: "mentor".into(), capacity: "0".into(), ..Default::default() };
        assert!(input.validate(&[]).get("capacity").is_some());
        input.capacity = "3".into();
        assert!(input.validate(&[]).is_empty());
        input.capacity = String::new();
        assert!(input.validate(&[]).is_empty());
        // Mentees have no capacity; whatever is typed there is ignored.
        input.side = "mentee".into();
        input.capacity = "99".into();
        assert!(input.validate(&[]).is_empty());
    }
}
