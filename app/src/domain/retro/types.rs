//! Cohort retrospectives: what the comparison page shows, retrospective notes, and the decisions
//! that carry a cohort's lessons into the next one.

use serde::{Deserialize, Serialize};

use crate::domain::cohort::types::{approach_label, CADENCES, MATCHING_MODES, WORKSHOP_FORMATS};
use crate::engine::stats::Estimate;
use crate::error::FieldErrors;

/// Notes are short paragraphs.
pub const MAX_NOTE_CHARS: usize = 2000;
/// A decision's detail (the setting changed, or why skipped).
pub const MAX_DETAIL_CHARS: usize = 300;
/// Cohorts compared at once.
pub const MAX_COHORTS: usize = 8;

wire_enum! {
    /// A cohort's strategy tags, set when it is opened.
    pub enum StrategyTag {
        Approach = "approach",
        MatchingMode = "matching_mode",
        MeetingCadence = "meeting_cadence",
        WorkshopFormat = "workshop_format",
    }
}

impl StrategyTag {
    /// "Mentors' approach", …
    pub fn label(self) -> &'static str {
        match self {
            StrategyTag::Approach => "Mentors' approach",
            StrategyTag::MatchingMode => "Matching mode",
            StrategyTag::MeetingCadence => "Meeting cadence",
            StrategyTag::WorkshopFormat => "Workshop format",
        }
    }

    /// A stored value in words ("biweekly" → "Every two weeks").
    pub fn value_label(self, value: &str) -> String {
        let from = |list: &[(&str, &str)]| {
            list.iter().find(|(v, _)| *v == value).map(|(_, l)| l.to_string()).unwrap_or_else(|| value.to_string())
        };
        match self {
            StrategyTag::Approach => approach_label(value),
            StrategyTag::MatchingMode => from(&MATCHING_MODES),
            StrategyTag::MeetingCadence => from(&CADENCES),
            StrategyTag::WorkshopFormat => from(&WORKSHOP_FORMATS),
        }
    }
}

wire_enum! {
    /// An outcome compared between cohorts.
    pub enum Outcome {
        MatchRate = "match_rate",
        FirstMeeting = "first_meeting",
        ActivePairs = "active_pairs",
        GoalsPerMentee = "goals_per_mentee",
        Milestones = "milestones",
        MeetingsPerMonth = "meetings_per_month",
        Workshops = "workshops",
        Awards = "awards",
        Effectiveness = "effectiveness",
        Satisfaction = "satisfaction",
        Nps = "nps",
        SkillGrowth = "skill_growth",
        DropOuts = "drop_outs",
    }
}

impl Outcome {
    /// The outcome as a row heading.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::MatchRate => "Match rate (of eligible applicants)",
            Outcome::FirstMeeting => "First meeting held (of matched mentees)",
            Outcome::ActivePairs => "Active pairs (at the cohort's end)",
            Outcome::GoalsPerMentee => "Goals completed per mentee",
            Outcome::Milestones => "Milestones ticked (of milestones set)",
            Outcome::MeetingsPerMonth => "Meetings per pair per month",
            Outcome::Workshops => "Workshop attendance (of seats taken)",
            Outcome::Awards => "Mentees with an award",
            Outcome::Effectiveness => "Mentor effectiveness (1–5)",
            Outcome::Satisfaction => "Satisfaction (1–5)",
            Outcome::Nps => "Net Promoter Score",
            Outcome::SkillGrowth => "Skill growth, post − pre (points per rating)",
            Outcome::DropOuts => "Pairs ended early",
        }
    }

    /// A short label, for chart rows (the table view has the full one).
    pub fn short(self) -> &'static str {
        match self {
            Outcome::MatchRate => "Match rate",
            Outcome::FirstMeeting => "First meeting",
            Outcome::ActivePairs => "Active pairs",
            Outcome::GoalsPerMentee => "Goals / mentee",
            Outcome::Milestones => "Milestones",
            Outcome::MeetingsPerMonth => "Meetings / month",
            Outcome::Workshops => "Workshops",
            Outcome::Awards => "Awards",
            Outcome::Effectiveness => "Effectiveness",
            Outcome::Satisfaction => "Satisfaction",
            Outcome::Nps => "NPS",
            Outcome::SkillGrowth => "Skill growth",
            Outcome::DropOuts => "Ended early",
        }
    }

    /// The outcome inside a sentence ("a higher {noun}").
    pub fn noun(self) -> &'static str {
        match self {
            Outcome::MatchRate => "match rate",
            Outcome::FirstMeeting => "share of mentees who held a first meeting",
            Outcome::ActivePairs => "share of active pairs",
            Outcome::GoalsPerMentee => "number of goals completed per mentee",
            Outcome::Milestones => "share of milestones ticked",
            Outcome::MeetingsPerMonth => "number of meetings per pair per month",
            Outcome::Workshops => "workshop attendance",
            Outcome::Awards => "share of mentees with an award",
            Outcome::Effectiveness => "mentor-effectiveness rating",
            Outcome::Satisfaction => "satisfaction rating",
            Outcome::Nps => "Net Promoter Score",
            Outcome::SkillGrowth => "skill growth",
            Outcome::DropOuts => "share of pairs ended early",
        }
    }

    /// A share of people or pairs, shown in % (differences in percentage points).
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Outcome::MatchRate
                | Outcome::FirstMeeting
                | Outcome::ActivePairs
                | Outcome::Milestones
                | Outcome::Workshops
                | Outcome::Awards
                | Outcome::DropOuts
        )
    }

    /// Drawn from survey answers (the k rule applies).
    pub fn from_answers(self) -> bool {
        matches!(self, Outcome::Effectiveness | Outcome::Satisfaction | Outcome::Nps)
    }

    /// The unit of a difference.
    pub fn diff_unit(self) -> &'static str {
        if self.is_rate() {
            " points"
        } else if self == Outcome::Nps {
            " NPS points"
        } else {
            ""
        }
    }
}

/// A number as shown: rates whole %, NPS whole points, means one decimal (two under 1); a minus
/// sign rather than a hyphen.
pub fn shown(o: Outcome, v: f64, difference: bool) -> String {
    let s = if o.is_rate() {
        if difference {
            format!("{v:.0}")
        } else {
            format!("{v:.0} %")
        }
    } else if o == Outcome::Nps {
        format!("{v:.0}")
    } else if v.abs() < 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    };
    let s = if s.trim_start_matches('-').trim_end_matches(" %").chars().all(|c| c == '0' || c == '.') {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    s.replace('-', "−")
}

wire_enum! {
    /// A retrospective note's kind.
    pub enum NoteKind {
        Worked = "worked",
        Didnt = "didnt",
        Change = "change",
    }
}

impl NoteKind {
    /// The list heading.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Worked => "What worked",
            NoteKind::Didnt => "What didn't",
            NoteKind::Change => "Change next time",
        }
    }
}

wire_enum! {
    /// What was done with an earlier cohort's "change next time" item.
    pub enum Decision {
        Applied = "applied",
        Skipped = "skipped",
    }
}

impl Decision {
    /// "Applied", "Skipped".
    pub fn label(self) -> &'static str {
        match self {
            Decision::Applied => "Applied",
            Decision::Skipped => "Skipped",
        }
    }
}

wire_enum! {
    /// A table of the comparison, for export.
    pub enum RetroTable {
        Outcomes = "outcomes",
        Differences = "differences",
        Hr = "hr-outcomes",
    }
}

wire_enum! {
    /// An HR outcome the retrospective compares (from the people's HR dates).
    pub enum HrMeasure {
        Retention = "retention",
        Promotion = "promotion",
    }
}

impl HrMeasure {
    /// "Still in the organization at 6 months", …
    pub fn label(self, months: u32) -> String {
        match self {
            HrMeasure::Retention => format!("Still in the organization at {months} months"),
            HrMeasure::Promotion => format!("Promoted within {months} months"),
        }
    }

    /// "retention at 6 months", … (in a sentence).
    pub fn noun(self, months: u32) -> String {
        match self {
            HrMeasure::Retention => format!("retention at {months} months"),
            HrMeasure::Promotion => format!("promotion within {months} months"),
        }
    }
}

/// The windows HR outcomes are read at, in months, and the days each stands for.
pub const HR_WINDOWS: [(u32, i64); 2] = [(6, 182), (12, 365)];

/// One HR measure of one cohort at one window: its matched mentees against the eligible
/// applicants it did not match (an observational comparison).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrRow {
    /// Cohort key.
    pub cohort: String,
    /// Cohort name.
    pub cohort_name: String,
    /// What is measured.
    pub measure: HrMeasure,
    /// Window in months.
    pub months: u32,
    /// The cohort's matched mentees (rate in %).
    pub matched: Cell,
    /// Its eligible applicants who were not matched (rate in %).
    pub unmatched: Cell,
    /// matched − unmatched in percentage points, with its 95 % interval (Newcombe).
    pub diff: Option<Estimate>,
    /// The interval leaves out zero.
    pub clear: bool,
    /// The difference in plain words.
    pub sentence: String,
    /// Why to read it with care.
    pub warnings: Vec<String>,
}

/// Retention and promotion of each compared cohort's mentees against eligible applicants who
/// were not matched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HrSection {
    /// Cohort by cohort, measure by measure, window by window.
    pub rows: Vec<HrRow>,
    /// How the groups and the windows are defined, and why this is observational.
    pub note: String,
    /// Warnings about the whole section.
    pub warnings: Vec<String>,
}

/// What to compare: two or more cohorts, cohort by cohort (`by` empty) or grouped by a strategy
/// tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareInput {
    /// Cohort keys.
    pub cohorts: Vec<String>,
    /// "" or a [`StrategyTag`].
    #[serde(default)]
    pub by: String,
}

/// A cohort that can be compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortChoice {
    /// Key.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its program's key.
    pub program_id: String,
    /// Its program's name.
    pub program_name: String,
    /// Its status.
    pub status: String,
    /// Its strategy tags in words.
    pub tags: String,
}

/// One side of the comparison: a cohort, or the cohorts sharing a tag value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// The cohort key, or the tag value.
    pub key: String,
    /// Its name.
    pub label: String,
    /// Cohorts behind it.
    pub cohorts: u32,
    /// Mentees behind it.
    pub mentees: u32,
    /// Its cohorts' names (grouped by tag) or strategy tags (cohort by cohort).
    pub detail: String,
}

/// One outcome of one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The figure with its 95 % interval (rates in %).
    pub value: Option<Estimate>,
    /// People, pairs, answers or cohorts behind it.
    pub n: u32,
    /// What `n` counts ("mentees", "answers", "cohorts", …).
    pub unit: String,
    /// Why there is no figure.
    pub hidden: Option<String>,
}

/// One outcome across the sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRow {
    /// The outcome.
    pub outcome: Outcome,
    /// Its label.
    pub label: String,
    /// Per side, in the order of [`Comparison::sides`].
    pub cells: Vec<Cell>,
}

/// A side against the first side on one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The outcome.
    pub outcome: Outcome,
    /// Its label.
    pub label: String,
    /// The side compared (index into the sides).
    pub side: usize,
    /// The side it is compared with (the first).
    pub against: usize,
    /// side − against, with its 95 % interval (rates in percentage points).
    pub diff: Option<Estimate>,
    /// Hedges' g of the same difference (means only), with its interval.
    pub effect: Option<Estimate>,
    /// The interval leaves out zero.
    pub clear: bool,
    /// The difference in plain words.
    pub sentence: String,
    /// Why to read it with care.
    pub warnings: Vec<String>,
}

/// Cohorts compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// What was asked.
    pub input: CompareInput,
    /// The sides.
    pub sides: Vec<Side>,
    /// Outcomes side by side.
    pub rows: Vec<OutcomeRow>,
    /// Every side against the first.
    pub differences: Vec<Difference>,
    /// What the unit of analysis is, and why.
    pub unit_note: String,
    /// Warnings about the whole comparison.
    pub warnings: Vec<String>,
    /// What many comparisons at once mean.
    pub multiple: String,
    /// The k-anonymity threshold applied.
    pub k: u32,
    /// Retention and promotion against eligible applicants not matched.
    pub hr: HrSection,
}

/// A retrospective note (what worked, what didn't, what to change next time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteInput {
    /// The cohort.
    pub cohort_id: String,
    /// "" for a new note, else the note edited.
    #[serde(default)]
    pub note_id: String,
    /// Its kind.
    pub kind: NoteKind,
    /// The note.
    pub text: String,
    /// "" or the [`StrategyTag`] it is about.
    #[serde(default)]
    pub tag: String,
    /// "" or the [`Outcome`] it is about.
    #[serde(default)]
    pub metric: String,
    /// The version edited (0 for a new note).
    #[serde(default)]
    pub version: i64,
}

/// Checks a multi-line text: required, at most `max` characters, no control characters but line
/// breaks and tabs.
fn check_paragraph(e: &mut FieldErrors, field: &str, label: &str, value: &str, max: usize) {
    let n = value.chars().count();
    if value.trim().is_empty() {
        e.add(field, format!("{label} is required."));
    } else if n > max {
        e.add(field, format!("Use at most {max} characters (this has {n})."));
    } else if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        e.add(field, format!("{label} contains a control character; type it again."));
    }
}

impl NoteInput {
    /// Field errors, if any.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        check_paragraph(&mut e, "text", "The note", &self.text, MAX_NOTE_CHARS);
        if !self.tag.is_empty() && StrategyTag::parse(&self.tag).is_none() {
            e.add("tag", "Choose one of the strategy tags, or none.");
        }
        if !self.metric.is_empty() && Outcome::parse(&self.metric).is_none() {
            e.add("metric", "Choose one of the compared outcomes, or none.");
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }
}

/// A stored note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetroNote {
    /// Key.
    pub id: String,
    /// Kind.
    pub kind: NoteKind,
    /// The note.
    pub text: String,
    /// "" or a [`StrategyTag`].
    pub tag: String,
    /// "" or an [`Outcome`].
    pub metric: String,
    /// Who changed it last.
    pub by: String,
    /// When (UTC, to the minute).
    pub at: String,
    /// Version, for the next edit.
    pub version: i64,
}

/// One change to a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteChange {
    /// "added" or "edited".
    pub action: String,
    /// The note's kind after the change.
    pub kind: NoteKind,
    /// The note's text after the change.
    pub text: String,
    /// Who.
    pub by: String,
    /// When (UTC, to the minute).
    pub at: String,
}

/// Deleting a note: which one, and the version the admin saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteNoteInput {
    /// The cohort.
    pub cohort_id: String,
    /// The note.
    pub note_id: String,
    /// The version the admin saw.
    pub version: i64,
}

/// A decision on an earlier cohort's "change next time" item, stored on the new cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInput {
    /// The new cohort.
    pub cohort_id: String,
    /// The earlier cohort's note.
    pub note_id: String,
    /// Applied or skipped.
    pub decision: Decision,
    /// The setting it changed, or why it was skipped.
    pub detail: String,
}

impl DecisionInput {
    /// Field errors, if any.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        let label = match self.decision {
            Decision::Applied => "The setting it changed",
            Decision::Skipped => "The reason for skipping it",
        };
        check_paragraph(&mut e, "detail", label, &self.detail, MAX_DETAIL_CHARS);
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }
}

/// An earlier cohort's "change next time" item, with the decision taken on a later cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarryItem {
    /// The note.
    pub note_id: String,
    /// The cohort it came from.
    pub from_cohort_id: String,
    /// Its name.
    pub from_cohort_name: String,
    /// The note.
    pub text: String,
    /// "" or a [`StrategyTag`].
    pub tag: String,
    /// "" or an [`Outcome`].
    pub metric: String,
    /// The decision, if taken.
    pub decision: Option<Decision>,
    /// The setting it changed, or why skipped.
    pub detail: String,
    /// Who decided.
    pub decided_by: String,
    /// When (UTC day).
    pub decided_at: String,
}

/// A cohort's retrospective: its notes with their history, and the lessons of earlier cohorts of
/// its program with what was decided about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortRetro {
    /// The cohort.
    pub cohort_id: String,
    /// Its name.
    pub cohort_name: String,
    /// Notes can be written (the cohort runs or is closed).
    pub editable: bool,
    /// Decisions on earlier lessons can be taken or changed (the cohort is not closed).
    pub decidable: bool,
    /// Notes, oldest first.
    pub notes: Vec<RetroNote>,
    /// Every change, newest first.
    pub history: Vec<NoteChange>,
    /// Earlier cohorts' "change next time" items, decided or not.
    pub carried: Vec<CarryItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> NoteInput {
        NoteInput {
            cohort_id: "c".into(),
            note_id: String::new(),
            kind: NoteKind::Change,
            text: text.into(),
            tag: String::new(),
            metric: String::new(),
            version: 0,
        }
    }

    #[test]
    fn notes_take_paragraphs_up_to_the_limit() {
        assert!(note("Meet every two weeks.\nStart with a kickoff.").validate().is_ok());
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        let e = note(&long).validate().unwrap_err();
        assert_eq!(
            e.0[0].message,
            format!("Use at most {MAX_NOTE_CHARS} characters (this has {}).", MAX_NOTE_CHARS + 1)
        );
        assert_eq!(note("   ").validate().unwrap_err().0[0].message, "The note is required.");
        assert!(note("bell \u{7}").validate().is_err());
        let mut bad = note("ok");
        bad.tag = "colour".into();
        bad.metric = "happiness".into();
        let fields: Vec<String> = bad.validate().unwrap_err().0.into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["tag", "metric"]);
    }

    #[test]
    fn decisions_say_what_changed_or_why_not() {
        let d = |decision, detail: &str| DecisionInput {
            cohort_id: "c".into(),
            note_id: "n".into(),
            decision,
            detail: detail.into(),
        };
        assert!(d(Decision::Applied, "Meeting cadence: weekly").validate().is_ok());
        assert_eq!(
            d(Decision::Skipped, "").validate().unwrap_err().0[0].message,
            "The reason for skipping it is required."
        );
        assert_eq!(StrategyTag::MeetingCadence.value_label("biweekly"), "Every two weeks");
    }

    #[test]
    fn wire_strings() {
        crate::domain::assert_wire_strings(
            Outcome::ALL,
            Outcome::as_str,
            &[
                "match_rate",
                "first_meeting",
                "active_pairs",
                "goals_per_mentee",
                "milestones",
                "meetings_per_month",
                "workshops",
                "awards",
                "effectiveness",
                "satisfaction",
                "nps",
                "skill_growth",
                "drop_outs",
            ],
        );
        crate::domain::assert_wire_strings(NoteKind::ALL, NoteKind::as_str, &["worked", "didnt", "change"]);
        crate::domain::assert_wire_strings(Decision::ALL, Decision::as_str, &["applied", "skipped"]);
    }
}
