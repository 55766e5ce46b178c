//! Rewards a program promises (badges, certificates) and the awards mentees earn from them.

use serde::{Deserialize, Serialize};

wire_enum! {
    /// What a reward gives: a badge on the home page or a printable certificate.
    pub enum RewardKind {
        /// A badge.
        Badge = "badge",
        /// A certificate.
        Certificate = "certificate",
    }
}

impl RewardKind {
    /// The kind a program's reward names; anything but a badge is a certificate, as the studio
    /// offers only these two.
    pub fn of_reward(stored: &str) -> RewardKind {
        RewardKind::parse(stored).unwrap_or(RewardKind::Certificate)
    }
}

/// One of a program's rewards, as one mentee stands with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardProgress {
    /// The pairing (one cohort of the mentee's).
    pub pairing_id: String,
    /// Cohort name.
    pub cohort_name: String,
    /// Reward name.
    pub name: String,
    /// Badge or certificate.
    pub kind: RewardKind,
    /// Completed goals needed.
    pub goals_needed: i64,
    /// Completed goals so far.
    pub goals_done: i64,
    /// Whether a completed workshop is needed.
    pub workshop_needed: bool,
    /// Workshops completed (attended, reflection signed off).
    pub workshops_done: i64,
    /// The award's key once earned.
    pub award_id: Option<String>,
    /// When it was earned (YYYY-MM-DD).
    pub awarded_on: Option<String>,
}

impl RewardProgress {
    /// What is still missing, in words ("1 more completed goal, a completed workshop").
    pub fn missing(&self) -> Vec<String> {
        let mut out = Vec::new();
        let goals = self.goals_needed - self.goals_done;
        if goals > 0 {
            out.push(format!("{goals} more completed goal{}", if goals == 1 { "" } else { "s" }));
        }
        if self.workshop_needed && self.workshops_done == 0 {
            out.push("a workshop attended with your reflection signed off by your mentor".to_string());
        }
        out
    }
}

/// An award, as its certificate shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// Record key, printed as the verification code.
    pub id: String,
    /// Reward name.
    pub name: String,
    /// Badge or certificate.
    pub kind: RewardKind,
    /// The mentee.
    pub mentee_name: String,
    /// Their mentor.
    pub mentor_name: String,
    /// Program name.
    pub program_name: String,
    /// Cohort name.
    pub cohort_name: String,
    /// YYYY-MM-DD.
    pub awarded_on: String,
    /// The completed goals (skill, what).
    pub goals: Vec<(String, String)>,
    /// The completed workshops' titles.
    pub workshops: Vec<String>,
    /// The organization's name.
    pub org_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_names_what_is_left() {
        let mut r = RewardProgress {
            pairing_id: "p".into(),
            cohort_name: "c".into(),
            name: "Cert".into(),
            kind: RewardKind::Certificate,
            goals_needed: 2,
            goals_done: 1,
            workshop_needed: true,
            workshops_done: 0,
            award_id: None,
            awarded_on: None,
        };
        assert_eq!(
            r.missing(),
            vec!["1 more completed goal", "a workshop attended with your reflection signed off by your mentor"]
        );
        r.goals_done = 0;
        assert_eq!(r.missing()[0], "2 more completed goals");
        r.goals_done = 3;
        r.workshops_done = 1;
        assert!(r.missing().is_empty());
    }

    #[test]
    fn reward_kinds_keep_their_stored_strings() {
        crate::domain::assert_wire_strings(RewardKind::ALL, RewardKind::as_str, &["badge", "certificate"]);
        assert_eq!(RewardKind::of_reward("badge"), RewardKind::Badge);
        assert_eq!(RewardKind::of_reward(""), RewardKind::Certificate);
    }
}
