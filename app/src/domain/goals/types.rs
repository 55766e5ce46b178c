//! SMART goals of a mentee, built step by step in a wizard; check-ins, milestones and the mentor's
//! comments and approval. The step checks run in the browser (guidance as you type) and on the
//! server (the truth).

use serde::{Deserialize, Serialize};

use crate::domain::matching::types::Viewer;
use crate::domain::program::types::is_date;
use crate::error::FieldErrors;

/// Longest text in a goal field, a check-in note or a comment.
pub const TEXT_MAX: usize = 1000;
/// Fewest and most milestones.
pub const MILESTONES: std::ops::RangeInclusive<usize> = 2..=5;
/// Longest milestone title.
pub const MILESTONE_MAX: usize = 200;
/// Longest evidence link.
pub const URL_MAX: usize = 500;

/// The wizard's steps, in order: one SMART letter (or part) per screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The leadership skill the goal develops.
    Skill,
    /// S: what exactly.
    Specific,
    /// M: the measure and the target.
    Measurable,
    /// A: resources and obstacles.
    Achievable,
    /// R: the link to the role or the program's objective.
    Relevant,
    /// T: the deadline, inside the cohort.
    TimeBound,
    /// 2–5 dated steps.
    Milestones,
    /// Everything at once, then submit.
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 8] = [
        Step::Skill,
        Step::Specific,
        Step::Measurable,
        Step::Achievable,
        Step::Relevant,
        Step::TimeBound,
        Step::Milestones,
        Step::Review,
    ];

    /// Position in [`Step::ALL`].
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).expect("every step is listed")
    }

    /// The step at a position (clamped to the last).
    pub fn at(i: usize) -> Step {
        Step::ALL[i.min(Step::ALL.len() - 1)]
    }

    /// The screen's title.
    pub fn title(self) -> &'static str {
        match self {
            Step::Skill => "Which skill will this goal develop?",
            Step::Specific => "Specific: what exactly will you do?",
            Step::Measurable => "Measurable: how will you know you got there?",
            Step::Achievable => "Achievable: what will help, and what could get in the way?",
            Step::Relevant => "Relevant: why does it matter for your role?",
            Step::TimeBound => "Time-bound: by when?",
            Step::Milestones => "Milestones: the steps on the way",
            Step::Review => "Review and send to your mentor",
        }
    }

    /// Short name for the progress bar.
    pub fn short(self) -> &'static str {
        match self {
            Step::Skill => "Skill",
            Step::Specific => "S",
            Step::Measurable => "M",
            Step::Achievable => "A",
            Step::Relevant => "R",
            Step::TimeBound => "T",
            Step::Milestones => "Milestones",
            Step::Review => "Review",
        }
    }

    /// Guidance shown on the screen.
    pub fn guidance(self) -> &'static str {
        match self {
            Step::Skill => "Pick one of the program's skills. One skill per goal keeps it focused.",
            Step::Specific => "Say what you will do, with whom, and where. “Run my team's weekly one-to-ones with a shared agenda” beats “be a better manager”.",
            Step::Measurable => "Add a number or a yes/no test: “6 one-to-ones with written follow-ups”, “the team rates clarity 4 of 5”, “the plan is signed off: yes/no”.",
            Step::Achievable => "Name the time, people and resources you will use, and one obstacle with how you will handle it.",
            Step::Relevant => "Link it to your role or to the program's objective: who benefits, and why now?",
            Step::TimeBound => "Choose a deadline inside the cohort, so your mentor can help you finish.",
            Step::Milestones => "Two to five dated steps, each before the deadline.",
            Step::Review => "Read it through. Your mentor sees it once you send it, and can comment or approve.",
        }
    }
}

/// A milestone as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneInput {
    /// What is done by then.
    pub title: String,
    /// YYYY-MM-DD.
    pub due: String,
}

/// A goal as typed so far (the wizard's autosaved draft).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalDraft {
    /// Program skill id.
    pub skill_id: String,
    /// S.
    pub specific: String,
    /// M.
    pub measurable: String,
    /// A.
    pub achievable: String,
    /// R.
    pub relevant: String,
    /// T, YYYY-MM-DD.
    pub deadline: String,
    /// 2–5 steps.
    pub milestones: Vec<MilestoneInput>,
}

/// What the checks need to know besides the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalContext {
    /// The program's skills, `(id, name)`.
    pub skills: Vec<(String, String)>,
    /// The cohort's first day, YYYY-MM-DD.
    pub cohort_starts: String,
    /// The cohort's last day, YYYY-MM-DD.
    pub cohort_ends: String,
    /// Today, YYYY-MM-DD (the server's date).
    pub today: String,
}

/// True when the text holds a number or a yes/no test.
pub fn is_measurable(s: &str) -> bool {
    let lower = s.to_lowercase();
    s.chars().any(|c| c.is_ascii_digit())
        || lower.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w, "yes" | "no" | "percent"))
        || lower.contains('%')
        || lower.contains("yes/no")
}

fn long_text(e: &mut FieldErrors, field: &str, value: &str, empty: &str) {
    let v = value.trim();
    if v.is_empty() {
        e.add(field, empty);
        return;
    }
    let n = v.chars().count();
    if n > TEXT_MAX {
        e.add(field, format!("Use at most {TEXT_MAX} characters (this has {n})."));
    }
}

/// Only the length limits: what an autosaved draft must respect, so nothing typed is refused
/// mid-way (except an absurd length, which is reported on its field).
pub fn check_lengths(d: &GoalDraft) -> FieldErrors {
    let mut e = FieldErrors::default();
    for (field, v) in [
        ("specific", &d.specific),
        ("measurable", &d.measurable),
        ("achievable", &d.achievable),
        ("relevant", &d.relevant),
    ] {
        let n = v.chars().count();
        if n > TEXT_MAX {
            e.add(field, format!("Use at most {TEXT_MAX} characters (this has {n})."));
        }
    }
    if d.milestones.len() > *MILESTONES.end() {
        e.add("milestones", format!("Use at most {} milestones.", MILESTONES.end()));
    }
    for (k, m) in d.milestones.iter().enumerate() {
        let n = m.title.chars().count();
        if n > MILESTONE_MAX {
            e.add(&format!("milestones.{k}.title"), format!("Use at most {MILESTONE_MAX} characters (this has {n})."));
        }
    }
    for (k, m) in d.milestones.iter().enumerate() {
        if m.due.chars().count() > 10 {
            e.add(&format!("milestones.{k}.due"), "Enter a date like 2027-05-31.");
        }
    }
    if d.deadline.chars().count() > 10 {
        e.add("deadline", "Enter a date like 2027-05-31.");
    }
    // A skill's key (checked against the program's skills when the goal is sent).
    if d.skill_id.chars().count() > 64 {
        e.add("skill_id", "Choose one of the program's skills.");
    }
    e
}

/// Goals one pair may have at most (sent, drafts and completed together).
pub const GOALS_PER_PAIR: usize = 20;

/// The checks of one step, with concrete guidance in each message. Field names: `skill_id`,
/// `specific`, `measurable`, `achievable`, `relevant`, `deadline`, `milestones`,
/// `milestones.<k>.title`, `milestones.<k>.due`. The review step checks them all.
pub fn check_step(step: Step, d: &GoalDraft, ctx: &GoalContext) -> FieldErrors {
    let mut e = FieldErrors::default();
    match step {
        Step::Skill => {
            if d.skill_id.is_empty() {
                e.add("skill_id", "Choose the skill this goal develops.");
            } else if !ctx.skills.iter().any(|(id, _)| *id == d.skill_id) {
                e.add("skill_id", "That skill is no longer part of the program. Choose another.");
            }
        }
        Step::Specific => {
            long_text(&mut e, "specific", &d.specific, "Specific: say what exactly you will do.");
            if e.is_empty() && d.specific.split_whitespace().count() < 4 {
                e.add(
                    "specific",
                    "Specific: say a little more — what you will do, with whom, where (at least 4 words).",
                );
            }
        }
        Step::Measurable => {
            long_text(&mut e, "measurable", &d.measurable, "Measurable: say how you will know you got there.");
            if e.is_empty() && !is_measurable(&d.measurable) {
                e.add(
                    "measurable",
                    "Measurable: add a number or a yes/no test (“6 one-to-ones”, “signed off: yes/no”).",
                );
            }
        }
        Step::Achievable => long_text(
            &mut e,
            "achievable",
            &d.achievable,
            "Achievable: name the resources you will use and one obstacle.",
        ),
        Step::Relevant => long_text(
            &mut e,
            "relevant",
            &d.relevant,
            "Relevant: link the goal to your role or the program's objective.",
        ),
        Step::TimeBound => {
            if d.deadline.trim().is_empty() {
                e.add("deadline", "Time-bound: choose a deadline.");
            } else if !is_date(d.deadline.trim()) {
                e.add("deadline", "Time-bound: enter a date like 2027-05-31.");
            } else if d.deadline.trim() > ctx.cohort_ends.as_str() {
                e.add(
                    "deadline",
                    format!("Time-bound: the date must fall before the cohort ends ({}).", ctx.cohort_ends),
                );
            } else if d.deadline.trim() < ctx.today.as_str() || d.deadline.trim() < ctx.cohort_starts.as_str() {
                let from = if ctx.today > ctx.cohort_starts { &ctx.today } else { &ctx.cohort_starts };
                e.add(
                    "deadline",
                    format!("Time-bound: the date must be in the cohort and not in the past (from {from})."),
                );
            }
        }
        Step::Milestones => {
            let n = d.milestones.len();
            if !MILESTONES.contains(&n) {
                e.add(
                    "milestones",
                    format!("Add {} to {} milestones (you have {n}).", MILESTONES.start(), MILESTONES.end()),
                );
            }
            let deadline = d.deadline.trim();
            for (k, m) in d.milestones.iter().enumerate() {
                let t = m.title.trim();
                if t.is_empty() {
                    e.add(&format!("milestones.{k}.title"), "Say what is done by this date.");
                } else if t.chars().count() > MILESTONE_MAX {
                    e.add(&format!("milestones.{k}.title"), format!("Use at most {MILESTONE_MAX} characters."));
                }
                let due = m.due.trim();
                let field = format!("milestones.{k}.due");
                if !is_date(due) {
                    e.add(&field, "Enter a date like 2027-03-15.");
                } else if is_date(deadline) && due > deadline {
                    e.add(&field, format!("A milestone must come before the goal's deadline ({deadline})."));
                } else if due < ctx.today.as_str() {
                    e.add(&field, "This date is in the past.");
                }
            }
        }
        Step::Review => {
            for s in &Step::ALL[..Step::ALL.len() - 1] {
                let sub = check_step(*s, d, ctx);
                e.extend(sub);
            }
        }
    }
    e
}

/// The first step with a problem, for "submit" to send the mentee back there.
pub fn first_incomplete(d: &GoalDraft, ctx: &GoalContext) -> Option<Step> {
    Step::ALL[..Step::ALL.len() - 1].iter().copied().find(|s| !check_step(*s, d, ctx).is_empty())
}

/// A milestone as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// What is done by then.
    pub title: String,
    /// YYYY-MM-DD.
    pub due: String,
    /// Done yet.
    pub done: bool,
    /// When it was ticked (YYYY-MM-DD), empty while open.
    #[serde(default)]
    pub done_on: String,
}

/// A check-in as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinInput {
    /// The goal's key.
    pub goal_id: String,
    /// 0–100, as typed.
    pub progress: String,
    /// A short note.
    pub note: String,
    /// An optional link to evidence.
    pub evidence: String,
}

/// A valid check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCheckin {
    /// 0–100.
    pub progress: i64,
    /// Trimmed note.
    pub note: String,
    /// Trimmed link, may be empty.
    pub evidence: String,
}

impl CheckinInput {
    /// Field-level checks: progress 0–100, a note, an http(s) link if any.
    pub fn validate(&self) -> Result<ValidCheckin, FieldErrors> {
        let mut e = FieldErrors::default();
        let progress = match self.progress.trim().parse::<i64>() {
            Ok(p) if (0..=100).contains(&p) => Some(p),
            Ok(_) => {
                e.add("progress", "Progress goes from 0 to 100 %.");
                None
            }
            Err(_) => {
                e.add("progress", "Enter progress as a whole number from 0 to 100.");
                None
            }
        };
        long_text(&mut e, "note", &self.note, "Add a short note: what moved since last time?");
        let evidence = self.evidence.trim();
        if !evidence.is_empty() {
            if !(evidence.starts_with("https://") || evidence.starts_with("http://"))
                || evidence.contains(char::is_whitespace)
            {
                e.add("evidence", "Enter a link starting with https://, or leave it empty.");
            } else if evidence.chars().count() > URL_MAX {
                e.add("evidence", format!("Use at most {URL_MAX} characters."));
            }
        }
        match progress {
            Some(progress) if e.is_empty() => {
                Ok(ValidCheckin { progress, note: self.note.trim().to_string(), evidence: evidence.to_string() })
            }
            _ => Err(e),
        }
    }
}

/// A check-in as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkin {
    /// Progress then.
    pub progress: i64,
    /// The note.
    pub note: String,
    /// Evidence link, may be empty.
    pub evidence: String,
    /// When (YYYY-MM-DD).
    pub on: String,
}

/// A comment on a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Who wrote it.
    pub author: String,
    /// The author's part in the pair.
    pub role: Viewer,
    /// The text.
    pub text: String,
    /// When (YYYY-MM-DD HH:MM UTC).
    pub at: String,
}

wire_enum! {
    /// Where a goal stands, in order.
    pub enum GoalStatus {
        /// The mentee is still writing it; only they (and admins) see it.
        Draft = "draft",
        /// Sent to the mentor for review.
        Submitted = "submitted",
        /// Approved by the mentor; check-ins move its progress.
        Approved = "approved",
        /// Approved and at 100 %.
        Completed = "completed",
    }
}

impl GoalStatus {
    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            GoalStatus::Draft => "Draft",
            GoalStatus::Submitted => "Waiting for the mentor",
            GoalStatus::Approved => "Approved by the mentor",
            GoalStatus::Completed => "Completed",
        }
    }

    /// The mentee may still change the goal's text (it is not approved yet).
    pub fn editable(self) -> bool {
        matches!(self, GoalStatus::Draft | GoalStatus::Submitted)
    }
}

/// How many check-ins and comments the goal page carries at most (the latest ones): a goal
/// checked in on for years stays one quick page.
pub const GOAL_PAGE_ITEMS: usize = 100;

/// A goal with everything the pair sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Key.
    pub id: String,
    /// The pairing it belongs to.
    pub pairing_id: String,
    /// Cohort name.
    pub cohort_name: String,
    /// The mentee's name.
    pub mentee_name: String,
    /// The mentor's name.
    pub mentor_name: String,
    /// The skill's name.
    pub skill_name: String,
    /// The fields as saved.
    pub draft: GoalDraft,
    /// The wizard step reached.
    pub step: usize,
    /// Where the goal stands.
    pub status: GoalStatus,
    /// 0–100, from the latest check-in.
    pub progress: i64,
    /// Milestones with their state (the draft's, once submitted).
    pub milestones: Vec<Milestone>,
    /// The latest [`GOAL_PAGE_ITEMS`] check-ins, newest first.
    pub checkins: Vec<Checkin>,
    /// Check-ins older than those shown (the page says how many it leaves out).
    #[serde(default)]
    pub earlier_checkins: u32,
    /// The latest [`GOAL_PAGE_ITEMS`] comments, oldest first.
    pub comments: Vec<Comment>,
    /// Comments older than those shown.
    #[serde(default)]
    pub earlier_comments: u32,
    /// What the checks need.
    pub context: GoalContext,
    /// For stale-save checks.
    pub version: i64,
    /// The caller's part in the pair.
    pub viewer: Viewer,
    /// Set once the pair ended: the goal is read-only.
    #[serde(default)]
    pub ended: Option<crate::domain::pairs::types::PairEnded>,
}

/// A goal on a home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalSummary {
    /// Key.
    pub id: String,
    /// The mentee's name.
    pub mentee_name: String,
    /// The skill's name.
    pub skill_name: String,
    /// The Specific text (the goal's headline), may be empty for a fresh draft.
    pub specific: String,
    /// Where the goal stands.
    pub status: GoalStatus,
    /// 0–100.
    pub progress: i64,
    /// The next milestone not done, with its date.
    pub next_milestone: Option<(String, String)>,
    /// The latest check-in's note and date.
    pub latest_checkin: Option<(String, String)>,
    /// The caller is the goal's mentee (otherwise its mentor).
    pub as_mentee: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> GoalContext {
        GoalContext {
            skills: vec![("s1".into(), "Delegation".into())],
            cohort_starts: "2027-01-04".into(),
            cohort_ends: "2027-06-30".into(),
            today: "2027-01-10".into(),
        }
    }

    fn full() -> GoalDraft {
        GoalDraft {
            skill_id: "s1".into(),
            specific: "Delegate the release checklist to two team members".into(),
            measurable: "2 releases shipped without me doing the checklist".into(),
            achievable: "One hour a week of pairing; risk: urgent fixes".into(),
            relevant: "I become a manager in May".into(),
            deadline: "2027-05-31".into(),
            milestones: vec![
                MilestoneInput { title: "Write the checklist down".into(), due: "2027-02-15".into() },
                MilestoneInput { title: "First release led by Ana".into(), due: "2027-04-01".into() },
            ],
        }
    }

    #[test]
    fn a_complete_goal_passes_every_step() {
        for s in Step::ALL {
            assert!(check_step(s, &full(), &ctx()).is_empty(), "{s:?}: {:?}", check_step(s, &full(), &ctx()));
        }
        assert_eq!(first_incomplete(&full(), &ctx()), None);
    }

    #[test]
    fn each_letter_gives_concrete_guidance() {
        let mut d = full();
        d.skill_id = "gone".into();
        assert!(check_step(Step::Skill, &d, &ctx()).get("skill_id").unwrap().contains("no longer part"));
        d.specific = "lead better".into();
        assert!(check_step(Step::Specific, &d, &ctx()).get("specific").unwrap().contains("at least 4 words"));
        d.measurable = "get better at delegating".into();
        assert_eq!(
            check_step(Step::Measurable, &d, &ctx()).get("measurable"),
            Some("Measurable: add a number or a yes/no test (“6 one-to-ones”, “signed off: yes/no”).")
        );
        d.measurable = "the plan is signed off: yes/no".into();
        assert!(check_step(Step::Measurable, &d, &ctx()).is_empty());
        d.achievable = "  ".into();
        assert!(check_step(Step::Achievable, &d, &ctx()).get("achievable").unwrap().starts_with("Achievable"));
        d.relevant = "x".repeat(10_000);
        assert_eq!(
            check_step(Step::Relevant, &d, &ctx()).get("relevant"),
            Some("Use at most 1000 characters (this has 10000).")
        );
        assert_eq!(first_incomplete(&d, &ctx()), Some(Step::Skill));
    }

    #[test]
    fn the_deadline_falls_inside_the_cohort_and_milestones_before_it() {
        let mut d = full();
        d.deadline = "2027-07-01".into();
        assert_eq!(
            check_step(Step::TimeBound, &d, &ctx()).get("deadline"),
            Some("Time-bound: the date must fall before the cohort ends (2027-06-30).")
        );
        d.deadline = "2027-01-05".into();
        assert!(check_step(Step::TimeBound, &d, &ctx()).get("deadline").unwrap().contains("not in the past"));
        d.deadline = "31/05/2027".into();
        assert!(check_step(Step::TimeBound, &d, &ctx()).get("deadline").unwrap().contains("like 2027-05-31"));
        d.deadline = "2027-03-01".into();
        let e = check_step(Step::Milestones, &d, &ctx());
        assert_eq!(e.get("milestones.1.due"), Some("A milestone must come before the goal's deadline (2027-03-01)."));
        assert!(e.get("milestones.0.due").is_none());
        d.milestones.truncate(1);
        assert_eq!(
            check_step(Step::Milestones, &d, &ctx()).get("milestones"),
            Some("Add 2 to 5 milestones (you have 1).")
        );
        d.milestones = vec![MilestoneInput { title: " ".into(), due: "2027-02-01".into() }; 6];
        let e = check_step(Step::Milestones, &d, &ctx());
        assert!(e.get("milestones").unwrap().contains("you have 6"));
        assert_eq!(e.get("milestones.5.title"), Some("Say what is done by this date."));
    }

    #[test]
    fn drafts_only_check_lengths() {
        let mut d = GoalDraft::default();
        assert!(check_lengths(&d).is_empty());
        d.specific = "y".repeat(TEXT_MAX + 1);
        assert!(check_lengths(&d).get("specific").is_some());
    }

    #[test]
    fn checkins_check_progress_note_and_link() {
        let ok = CheckinInput {
            goal_id: "g".into(),
            progress: "40".into(),
            note: "Ran 2 one-to-ones".into(),
            evidence: String::new(),
        };
        assert_eq!(ok.validate().unwrap().progress, 40);
        let bad = CheckinInput {
            goal_id: "g".into(),
            progress: "140".into(),
            note: "x".repeat(10_000),
            evidence: "ftp://x".into(),
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.get("progress"), Some("Progress goes from 0 to 100 %."));
        assert_eq!(e.get("note"), Some("Use at most 1000 characters (this has 10000)."));
        assert!(e.get("evidence").unwrap().contains("https://"));
        let words = CheckinInput { progress: "half".into(), ..ok.clone() };
        assert!(words.validate().unwrap_err().get("progress").unwrap().contains("whole number"));
    }

    #[test]
    fn steps_round_trip_by_index() {
        for (i, s) in Step::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(Step::at(i), *s);
        }
        assert_eq!(Step::at(99), Step::Review);
    }

    #[test]
    fn goal_statuses_keep_their_stored_strings() {
        crate::domain::assert_wire_strings(
            GoalStatus::ALL,
            GoalStatus::as_str,
            &["draft", "submitted", "approved", "completed"],
        );
    }
}
