//! What the dashboards, reports and exports receive. Aggregates only, except the pair rows an
//! admin gets when drilling into one cohort.

use serde::{Deserialize, Serialize};

use crate::engine::stats::Estimate;

/// Which part of the organization a dashboard shows. Empty strings mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Program key.
    pub program: String,
    /// Cohort key (narrows the program).
    pub cohort: String,
    /// A department of the mentees.
    pub department: String,
    /// First day of the activity shown, `YYYY-MM-DD`.
    pub from: String,
    /// Last day of the activity shown, `YYYY-MM-DD`.
    pub to: String,
}

impl Filters {
    /// The filters as a query string (`program=…&cohort=…`), for links and exports; empty ones
    /// left out.
    pub fn query(&self) -> String {
        let pairs = [
            ("program", &self.program),
            ("cohort", &self.cohort),
            ("department", &self.department),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

wire_enum! {
    /// Where an objective stands against its target.
    pub enum Standing {
        /// The due date passed and the target was reached.
        Met = "met",
        /// At or above the target, or where it should be by now.
        OnTrack = "on_track",
        /// Below where it should be by now.
        AtRisk = "at_risk",
        /// The due date passed below the target.
        Missed = "missed",
        /// Nothing to compute from yet (or too few people to show).
        NoData = "no_data",
    }
}

impl Standing {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Standing::Met => "Met",
            Standing::OnTrack => "On track",
            Standing::AtRisk => "At risk",
            Standing::Missed => "Missed",
            Standing::NoData => "No data yet",
        }
    }
}

/// One program objective's bound metric against its target, for one cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveStatus {
    /// The program.
    pub program_name: String,
    /// The cohort measured.
    pub cohort_id: String,
    /// Its name.
    pub cohort_name: String,
    /// The objective in one sentence.
    pub statement: String,
    /// The metric in words.
    pub metric: String,
    /// Its value now, if there is one to show.
    pub value: Option<f64>,
    /// The target.
    pub target: f64,
    /// "%", " points", " / 5".
    pub unit: String,
    /// The objective's date, `YYYY-MM-DD`.
    pub due: String,
    /// Where it stands.
    pub standing: Standing,
    /// Why, in a sentence ("expected 40 % by now", "fewer than 5 answers").
    pub note: String,
}

/// One step of the enrollment funnel: mentees counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// In words.
    pub label: String,
    /// Mentees at this step.
    pub count: u32,
}

/// Activity in one calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Meetings held.
    pub meetings: u32,
    /// Hours of mentoring.
    pub hours: f64,
    /// Check-ins.
    pub checkins: u32,
    /// Milestones ticked.
    pub milestones: u32,
    /// Goals completed.
    pub goals_completed: u32,
}

/// Counts over the scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Mentees matched.
    pub mentees: u32,
    /// Mentors with a pair.
    pub mentors: u32,
    /// Pairs, ended early or not.
    pub pairs: u32,
    /// Pairs running now (not ended, their cohort not over).
    pub running_pairs: u32,
    /// Pairs ended early.
    pub ended_pairs: u32,
    /// Running pairs quiet for longer than their cohort allows.
    pub quiet_pairs: u32,
    /// Goals created (drafts included).
    pub goals_created: u32,
    /// Goals sent to the mentor.
    pub goals_sent: u32,
    /// Goals approved (or completed since).
    pub goals_approved: u32,
    /// Goals completed.
    pub goals_completed: u32,
    /// Milestones set on goals.
    pub milestones: u32,
    /// Milestones ticked.
    pub milestones_done: u32,
    /// Check-ins.
    pub checkins: u32,
    /// Meetings held.
    pub meetings: u32,
    /// Hours of mentoring.
    pub hours: f64,
    /// Meetings per pair per month.
    pub meetings_per_pair_month: Option<f64>,
    /// Check-ins per pair per month.
    pub checkins_per_pair_month: Option<f64>,
    /// Workshop seats (pairs invited).
    pub workshop_seats: u32,
    /// Replied "going".
    pub workshop_going: u32,
    /// Attended.
    pub workshop_attended: u32,
    /// Reflections signed off.
    pub reflections_signed_off: u32,
    /// Awards given.
    pub awards: u32,
}

/// A group of a breakdown (a department, a level, a cohort).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// What narrows the dashboard to this group (a department's name, a cohort key), or "".
    pub key: String,
    /// In words.
    pub label: String,
    /// Matched mentees (0 when hidden).
    pub mentees: u32,
    /// Why it is hidden, if it is.
    pub hidden: Option<String>,
    /// % of its mentees active lately.
    pub active_pct: Option<f64>,
    /// Meetings per pair per month.
    pub meetings_per_pair_month: Option<f64>,
    /// Goals completed per mentee.
    pub goals_per_mentee: Option<f64>,
}

/// A survey-based figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureRow {
    /// In words ("Mentor effectiveness (1–5)").
    pub label: String,
    /// Answers behind it.
    pub n: u32,
    /// The value with its 95 % interval, when shown.
    pub value: Option<Estimate>,
    /// Why not, if not.
    pub hidden: Option<String>,
}

/// Survey figures for one group (a cohort or a mentor approach).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyGroup {
    /// The group.
    pub label: String,
    /// Mentor effectiveness, satisfaction, NPS.
    pub measures: Vec<MeasureRow>,
}

/// One pair, for an admin drilling into a cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRow {
    /// Pairing key.
    pub id: String,
    /// Mentee.
    pub mentee: String,
    /// Mentor.
    pub mentor: String,
    /// The mentee's department.
    pub department: String,
    /// "Running", "Quiet", "Ended".
    pub state: String,
    /// Meetings held.
    pub meetings: u32,
    /// Check-ins.
    pub checkins: u32,
    /// Goals completed of goals sent.
    pub goals_completed: u32,
    /// Goals sent.
    pub goals_sent: u32,
    /// Last meeting or check-in, `YYYY-MM-DD`.
    pub last_activity: String,
}

/// A choice in a filter menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Key.
    pub id: String,
    /// In words.
    pub label: String,
    /// For a cohort, its program's key.
    pub parent: String,
}

/// A dashboard: everything for the filters given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The filters it was computed for (checked).
    pub filters: Filters,
    /// What it covers, in words ("All programs", "Rising Leaders · Spring 2026 · Sales").
    pub scope: String,
    /// The smallest group shown.
    pub k: u32,
    /// Today, `YYYY-MM-DD`.
    pub today: String,
    /// When it was computed, `HH:MM:SS UTC`.
    pub at: String,
    /// Whether pair-level rows may be shown (admins).
    pub admin: bool,
    /// Programs to filter by.
    pub programs: Vec<Choice>,
    /// Cohorts to filter by.
    pub cohorts_menu: Vec<Choice>,
    /// Departments to filter by.
    pub departments_menu: Vec<String>,
    /// Counts.
    pub totals: Totals,
    /// Applied → completed, mentees.
    pub funnel: Vec<FunnelStep>,
    /// Activity by month.
    pub months: Vec<MonthRow>,
    /// By department of the mentee.
    pub departments: Vec<GroupRow>,
    /// By career level of the mentee.
    pub levels: Vec<GroupRow>,
    /// By cohort.
    pub cohorts: Vec<GroupRow>,
    /// Objectives of the programs in scope, per cohort.
    pub objectives: Vec<ObjectiveStatus>,
    /// Survey and assessment figures over the scope.
    pub measures: Vec<MeasureRow>,
    /// Survey figures by cohort.
    pub surveys_by_cohort: Vec<SurveyGroup>,
    /// Survey figures by mentor approach.
    pub surveys_by_approach: Vec<SurveyGroup>,
    /// Pairs (admins, one cohort chosen).
    pub pairs: Vec<PairRow>,
}

wire_enum! {
    /// A table behind a chart.
    pub enum Table {
        /// The funnel.
        Funnel = "funnel",
        /// Activity by month.
        Months = "months",
        /// By department.
        Departments = "departments",
        /// By level.
        Levels = "levels",
        /// By cohort.
        Cohorts = "cohorts",
        /// Objectives.
        Objectives = "objectives",
        /// Survey figures.
        Measures = "measures",
        /// Pairs (admins).
        Pairs = "pairs",
    }
}

/// One goal in a progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalLine {
    /// Goal key.
    pub id: String,
    /// What it is (the S of SMART).
    pub what: String,
    /// The skill it develops.
    pub skill: String,
    /// Draft, sent, approved, completed (in words).
    pub status: String,
    /// Progress, 0–100.
    pub progress: i64,
    /// Milestones ticked.
    pub milestones_done: u32,
    /// Milestones set.
    pub milestones: u32,
}

/// A mentee's progress report: for the pair and admins, printable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// The pairing.
    pub pairing_id: String,
    /// The mentee.
    pub mentee_name: String,
    /// The mentor.
    pub mentor_name: String,
    /// Program and cohort, in words.
    pub cohort_name: String,
    /// The day it was made, `YYYY-MM-DD`.
    pub today: String,
    /// The pair ended early on this day, if it did.
    pub ended: Option<String>,
    /// Goals (a mentor never sees unsent drafts).
    pub goals: Vec<GoalLine>,
    /// Activity by month.
    pub months: Vec<MonthRow>,
    /// Meetings held: (day, minutes, topics) — never the private notes.
    pub meetings: Vec<(String, i64, String)>,
    /// Check-ins.
    pub checkins: u32,
    /// Workshops: (workshop, what happened).
    pub workshops: Vec<(String, String)>,
    /// Awards: (name, day).
    pub awards: Vec<(String, String)>,
    /// Skill growth rows the viewer may see (skill, self before/after, mentor before/after).
    pub growth: Vec<crate::domain::assessments::types::GrowthRow>,
}
