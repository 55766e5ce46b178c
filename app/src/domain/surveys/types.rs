//! Feedback surveys: what an admin designs (questions, audience, schedule, anonymity and k), what
//! a participant answers, and the checks both sides of the wire run on them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::engine::suppress::{DEFAULT_K, MIN_K};
use crate::error::FieldErrors;
use crate::validate;

/// Most questions a survey may have; above [`SHORT_SURVEY`] the builder warns.
pub const QUESTIONS_MAX: usize = 30;
/// The article asks for short surveys: more questions than this earns a warning.
pub const SHORT_SURVEY: usize = 10;
/// Longest answer to a short-text question.
pub const SHORT_TEXT_MAX: usize = 200;
/// Longest answer to a long-text question.
pub const LONG_TEXT_MAX: usize = 2000;
/// Most options of a choice question.
pub const OPTIONS_MAX: usize = 12;
/// Largest k a survey may set.
pub const MAX_K: u32 = 50;

wire_enum! {
    /// What kind of answer a question takes.
    pub enum QuestionKind {
        /// 1–5 with a label at each end.
        Likert = "likert",
        /// 0–10, "how likely are you to recommend…".
        Nps = "nps",
        /// One of the options.
        Single = "single",
        /// Any of the options.
        Multi = "multi",
        /// A line of text.
        ShortText = "short_text",
        /// A paragraph.
        LongText = "long_text",
        /// Each of the program's skills rated 1–5.
        Skills = "skills",
    }
}

impl QuestionKind {
    /// The kind in words, for the builder's menu.
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Likert => "Agree / disagree (1–5)",
            QuestionKind::Nps => "Recommend (0–10)",
            QuestionKind::Single => "Pick one",
            QuestionKind::Multi => "Pick any",
            QuestionKind::ShortText => "Short text",
            QuestionKind::LongText => "Long text",
            QuestionKind::Skills => "Rate each program skill (1–5)",
        }
    }

    /// Whether answers are numbers that have a mean.
    pub fn is_scale(self) -> bool {
        matches!(self, QuestionKind::Likert | QuestionKind::Nps)
    }

    /// Whether the question has options.
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multi)
    }

    /// Whether the answer is free text (shown to admins only, and for anonymous surveys only once
    /// k people answered).
    pub fn is_text(self) -> bool {
        matches!(self, QuestionKind::ShortText | QuestionKind::LongText)
    }
}

wire_enum! {
    /// Who is asked.
    pub enum Audience {
        /// The mentees of the cohort's published pairs.
        Mentees = "mentees",
        /// Their mentors.
        Mentors = "mentors",
        /// Both.
        Both = "both",
    }
}

impl Audience {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Mentees => "Mentees",
            Audience::Mentors => "Mentors",
            Audience::Both => "Mentees and mentors",
        }
    }

    /// Whether people on `side` ("mentee" / "mentor") are asked.
    pub fn includes_mentees(self) -> bool {
        matches!(self, Audience::Mentees | Audience::Both)
    }

    /// See [`Audience::includes_mentees`].
    pub fn includes_mentors(self) -> bool {
        matches!(self, Audience::Mentors | Audience::Both)
    }
}

wire_enum! {
    /// Where a survey is in its life.
    pub enum SurveyStatus {
        /// Being written; nobody sees it.
        Draft = "draft",
        /// Will open by itself when its time comes.
        Scheduled = "scheduled",
        /// Taking answers.
        Open = "open",
        /// No more answers.
        Closed = "closed",
    }
}

impl SurveyStatus {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "Draft",
            SurveyStatus::Scheduled => "Scheduled",
            SurveyStatus::Open => "Open",
            SurveyStatus::Closed => "Closed",
        }
    }
}

wire_enum! {
    /// When a survey opens.
    pub enum ScheduleKind {
        /// As soon as it is scheduled.
        Now = "now",
        /// On a date.
        Date = "date",
        /// N days after the cohort's pairs are published.
        AfterPublish = "after_publish",
        /// When a phase of the program ends (counted from the cohort's start).
        PhaseEnd = "phase_end",
        /// On the cohort's last day.
        CohortEnd = "cohort_end",
    }
}

impl ScheduleKind {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ScheduleKind::Now => "Now",
            ScheduleKind::Date => "On a date",
            ScheduleKind::AfterPublish => "Days after pairs are published",
            ScheduleKind::PhaseEnd => "When a phase ends",
            ScheduleKind::CohortEnd => "At cohort end",
        }
    }
}

wire_enum! {
    /// What a scale question measures for the program's objectives and dashboards.
    pub enum Measure {
        /// Nothing in particular.
        None = "none",
        /// "My mentor helps me grow as a leader" (feeds the survey-satisfaction objective).
        MentorEffectiveness = "mentor_effectiveness",
        /// Overall satisfaction with the program.
        Satisfaction = "satisfaction",
        /// A mentor's view of their mentee's engagement.
        Engagement = "engagement",
    }
}

impl Measure {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Measure::None => "—",
            Measure::MentorEffectiveness => "Mentor effectiveness",
            Measure::Satisfaction => "Satisfaction",
            Measure::Engagement => "Mentee engagement",
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id inside the survey (`q1`, `q2`…); answers refer to it.
    pub id: String,
    /// Kind of answer.
    pub kind: QuestionKind,
    /// The question.
    pub text: String,
    /// Must be answered to submit.
    pub required: bool,
    /// Options (choice questions).
    #[serde(default)]
    pub options: Vec<String>,
    /// Label of the low end (Likert, NPS).
    #[serde(default)]
    pub low_label: String,
    /// Label of the high end.
    #[serde(default)]
    pub high_label: String,
    /// What the answer measures (scale questions).
    #[serde(default = "no_measure")]
    pub measure: Measure,
}

fn no_measure() -> Measure {
    Measure::None
}

impl Question {
    /// A new question of `kind` with sensible labels, given the id `id`.
    pub fn new(id: String, kind: QuestionKind, text: &str) -> Question {
        let (low, high) = match kind {
            QuestionKind::Likert | QuestionKind::Skills => ("Strongly disagree", "Strongly agree"),
            QuestionKind::Nps => ("Not at all likely", "Extremely likely"),
            _ => ("", ""),
        };
        let options = if kind.has_options() { vec!["Option 1".into(), "Option 2".into()] } else { Vec::new() };
        Question {
            id,
            kind,
            text: text.into(),
            required: true,
            options,
            low_label: low.into(),
            high_label: high.into(),
            measure: Measure::None,
        }
    }

    /// The lowest and highest number a scale answer may take.
    pub fn range(&self) -> (u8, u8) {
        match self.kind {
            QuestionKind::Nps => (0, 10),
            _ => (1, 5),
        }
    }
}

/// The schedule of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// When it opens.
    pub kind: ScheduleKind,
    /// `YYYY-MM-DD` ([`ScheduleKind::Date`]).
    #[serde(default)]
    pub date: String,
    /// Days after publishing ([`ScheduleKind::AfterPublish`]).
    #[serde(default)]
    pub days: u32,
    /// The phase, counted from 1 ([`ScheduleKind::PhaseEnd`]).
    #[serde(default)]
    pub phase: u32,
    /// Days it stays open.
    pub open_days: u32,
    /// Days before closing to remind those who have not answered (0: no reminder).
    pub remind_days_before: u32,
    /// Open again a month later, until the cohort ends.
    #[serde(default)]
    pub repeat_monthly: bool,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            kind: ScheduleKind::Now,
            date: String::new(),
            days: 14,
            phase: 1,
            open_days: 14,
            remind_days_before: 3,
            repeat_monthly: false,
        }
    }
}

/// Everything an admin designs about a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyDesign {
    /// Title participants see.
    pub title: String,
    /// A line of why, shown above the questions.
    #[serde(default)]
    pub intro: String,
    /// Who is asked.
    pub audience: Audience,
    /// Whether answers are stored without the respondent.
    pub anonymous: bool,
    /// The smallest group whose results are shown.
    pub min_group: u32,
    /// The questions, in order.
    pub questions: Vec<Question>,
    /// When it opens and closes.
    pub schedule: Schedule,
}

impl Default for SurveyDesign {
    fn default() -> Self {
        SurveyDesign {
            title: String::new(),
            intro: String::new(),
            audience: Audience::Mentees,
            anonymous: true,
            min_group: DEFAULT_K,
            questions: Vec::new(),
            schedule: Schedule::default(),
        }
    }
}

impl SurveyDesign {
    /// The id for a question added now (`q` and one more than the highest number in use).
    pub fn next_question_id(&self) -> String {
        let n = self.questions.iter().filter_map(|q| q.id.strip_prefix('q')?.parse::<u32>().ok()).max().unwrap_or(0);
        format!("q{}", n + 1)
    }

    /// The builder's warning for a long survey, if any.
    pub fn length_warning(&self) -> Option<String> {
        let n = self.questions.len();
        (n > SHORT_SURVEY).then(|| {
            format!("{n} questions. Short surveys get answered: consider keeping it to {SHORT_SURVEY} or fewer.")
        })
    }

    /// Checks the design; returns it trimmed. `phases` is the number of phases of the program
    /// and `skills` the number of its skills (a skill-matrix question needs at least one).
    pub fn validate(&self, phases: usize, skills: usize) -> Result<SurveyDesign, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = validate::text(&mut e, "title", "a title", &self.title, true, 120).unwrap_or_default();
        let intro = validate::text(&mut e, "intro", "an introduction", &self.intro, false, 500).unwrap_or_default();
        if !(MIN_K..=MAX_K).contains(&self.min_group) {
            e.add(
                "min_group",
                format!(
                    "Use a smallest group from {MIN_K} to {MAX_K}: below {MIN_K}, people could be recognised from their answers."
                ),
            );
        }
        if self.questions.is_empty() {
            e.add("questions", "Add at least one question.");
        } else if self.questions.len() > QUESTIONS_MAX {
            e.add("questions", format!("Use at most {QUESTIONS_MAX} questions (this has {}).", self.questions.len()));
        }
        let mut ids = BTreeSet::new();
        let mut questions = Vec::with_capacity(self.questions.len());
        for (i, q) in self.questions.iter().enumerate() {
            let field = |part: &str| format!("q.{i}.{part}");
            if q.id.is_empty() || q.id.len() > 8 || !ids.insert(q.id.clone()) {
                e.add(&field("text"), "This question's id is missing or repeated; remove it and add it again.");
            }
            let text = validate::text(&mut e, &field("text"), "the question", &q.text, true, 300).unwrap_or_default();
            let low =
                validate::text(&mut e, &field("low_label"), "a label", &q.low_label, false, 40).unwrap_or_default();
            let high =
                validate::text(&mut e, &field("high_label"), "a label", &q.high_label, false, 40).unwrap_or_default();
            let mut options = Vec::new();
            if q.kind.has_options() {
                let mut seen = BTreeSet::new();
                for o in &q.options {
                    let o = o.trim();
                    if o.is_empty() {
                        e.add(&field("options"), "Fill in every option or remove the empty one.");
                        break;
                    }
                    if o.chars().count() > 120 {
                        e.add(&field("options"), "Use at most 120 characters per option.");
                        break;
                    }
                    if !seen.insert(o.to_lowercase()) {
                        e.add(&field("options"), format!("The option “{o}” appears twice."));
                        break;
                    }
                    options.push(o.to_string());
                }
                if q.options.len() < 2 {
                    e.add(&field("options"), "Give at least two options.");
                } else if q.options.len() > OPTIONS_MAX {
                    e.add(&field("options"), format!("Use at most {OPTIONS_MAX} options."));
                }
            }
            if q.kind == QuestionKind::Skills && skills == 0 {
                e.add(&field("text"), "This program has no skills to rate yet: add them in the program studio first.");
            }
            let measure = if q.kind.is_scale() { q.measure } else { Measure::None };
            questions.push(Question {
                id: q.id.clone(),
                kind: q.kind,
                text,
                required: q.required,
                options,
                low_label: low,
                high_label: high,
                measure,
            });
        }
        let s = &self.schedule;
        match s.kind {
            ScheduleKind::Date if validate::date(&s.date).is_none() => {
                e.add("schedule.date", "Enter the opening date as YYYY-MM-DD.")
            }
            ScheduleKind::AfterPublish if s.days > 365 => {
                e.add("schedule.days", "Use from 0 to 365 days after the pairs are published.")
            }
            ScheduleKind::PhaseEnd if phases == 0 => {
                e.add("schedule.phase", "This program has no phases yet: pick another schedule.")
            }
            ScheduleKind::PhaseEnd if s.phase == 0 || s.phase as usize > phases => {
                e.add("schedule.phase", format!("Pick a phase from 1 to {phases}."))
            }
            _ => {}
        }
        if !(1..=60).contains(&s.open_days) {
            e.add("schedule.open_days", "Keep it open from 1 to 60 days.");
        } else if s.remind_days_before >= s.open_days {
            e.add(
                "schedule.remind_days_before",
                format!("Remind fewer days before closing than it is open ({}), or 0 for no reminder.", s.open_days),
            );
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(SurveyDesign {
            title,
            intro,
            audience: self.audience,
            anonymous: self.anonymous,
            min_group: self.min_group,
            questions,
            schedule: s.clone(),
        })
    }
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A number on a scale (Likert 1–5, NPS 0–10).
    Scale(u8),
    /// The chosen options' indexes.
    Choices(Vec<u32>),
    /// Free text.
    Text(String),
    /// Skill id → 1–5.
    Skills(BTreeMap<String, u8>),
}

/// Answers by question id.
pub type Answers = BTreeMap<String, Answer>;

/// Whether `answer` counts as an answer (empty text or no choice does not).
pub fn is_given(answer: Option<&Answer>) -> bool {
    match answer {
        None => false,
        Some(Answer::Text(t)) => !t.trim().is_empty(),
        Some(Answer::Choices(c)) => !c.is_empty(),
        Some(Answer::Skills(s)) => !s.is_empty(),
        Some(Answer::Scale(_)) => true,
    }
}

/// Checks answers against the questions. With `complete`, every required question must be
/// answered (submitting); without, partial answers pass (a draft). `skills` are the ids of the
/// program's skills. Returns the answers trimmed, empty ones dropped. Errors are keyed by
/// question id.
pub fn check_answers(
    questions: &[Question],
    skills: &[String],
    answers: &Answers,
    complete: bool,
) -> Result<Answers, FieldErrors> {
    let mut e = FieldErrors::default();
    for id in answers.keys() {
        if !questions.iter().any(|q| &q.id == id) {
            e.add("answers", format!("This survey has no question “{id}”: reload the page."));
        }
    }
    let mut out = Answers::new();
    for q in questions {
        let a = answers.get(&q.id);
        if !is_given(a) {
            if complete && q.required {
                e.add(&q.id, "Please answer this question.");
            }
            continue;
        }
        let Some(a) = a else { continue };
        let (lo, hi) = q.range();
        let ok: Result<Answer, String> = match (q.kind, a) {
            (QuestionKind::Likert | QuestionKind::Nps, Answer::Scale(v)) if (lo..=hi).contains(v) => Ok(a.clone()),
            (QuestionKind::Likert | QuestionKind::Nps, Answer::Scale(_)) => {
                Err(format!("Pick a number from {lo} to {hi}."))
            }
            (QuestionKind::Single, Answer::Choices(c)) if c.len() == 1 && (c[0] as usize) < q.options.len() => {
                Ok(a.clone())
            }
            (QuestionKind::Single, Answer::Choices(_)) => Err("Pick one of the options.".into()),
            (QuestionKind::Multi, Answer::Choices(c)) => {
                let set: BTreeSet<u32> = c.iter().copied().collect();
                if set.len() == c.len() && set.iter().all(|i| (*i as usize) < q.options.len()) {
                    Ok(Answer::Choices(set.into_iter().collect()))
                } else {
                    Err("Pick from the options shown, each once.".into())
                }
            }
            (QuestionKind::ShortText | QuestionKind::LongText, Answer::Text(t)) => {
                let max = if q.kind == QuestionKind::ShortText { SHORT_TEXT_MAX } else { LONG_TEXT_MAX };
                let t = t.trim();
                let n = t.chars().count();
                if n > max {
                    Err(format!("Use at most {max} characters (this has {n})."))
                } else {
                    Ok(Answer::Text(t.to_string()))
                }
            }
            (QuestionKind::Skills, Answer::Skills(m)) => {
                if m.keys().any(|k| !skills.contains(k)) {
                    Err("Rate only this program's skills: reload the page.".into())
                } else if m.values().any(|v| !(1..=5).contains(v)) {
                    Err("Rate each skill from 1 to 5.".into())
                } else if complete && q.required && m.len() < skills.len() {
                    Err("Rate every skill.".into())
                } else {
                    Ok(a.clone())
                }
            }
            _ => Err("This answer does not fit the question: reload the page.".into()),
        };
        match ok {
            Ok(v) => {
                out.insert(q.id.clone(), v);
            }
            Err(m) => e.add(&q.id, m),
        }
    }
    if e.is_empty() {
        Ok(out)
    } else {
        Err(e)
    }
}

/// A survey as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    /// Key.
    pub id: String,
    /// Title.
    pub title: String,
    /// The cohort's key and name.
    pub cohort_id: String,
    /// See `cohort_id`.
    pub cohort_name: String,
    /// Status.
    pub status: SurveyStatus,
    /// Who is asked.
    pub audience: Audience,
    /// Anonymous?
    pub anonymous: bool,
    /// `YYYY-MM-DD` it opens or opened (empty: not known yet, e.g. pairs not published).
    pub opens: String,
    /// `YYYY-MM-DD` it closes or closed.
    pub closes: String,
    /// Repeat round (1 for the first).
    pub round: u32,
    /// People asked (once open) and people who answered.
    pub invited: u32,
    /// See `invited`.
    pub answered: u32,
    /// Questions.
    pub questions: u32,
}

/// A survey as the builder edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyEdit {
    /// Key.
    pub id: String,
    /// The cohort's key and name.
    pub cohort_id: String,
    /// See `cohort_id`.
    pub cohort_name: String,
    /// Status: only drafts and scheduled surveys change their questions.
    pub status: SurveyStatus,
    /// The design.
    pub design: SurveyDesign,
    /// Whether anyone answered (then anonymity is fixed).
    pub has_answers: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// The program's skills: (key, name).
    pub skills: Vec<(String, String)>,
    /// The program's phases: names, in order.
    pub phases: Vec<String>,
    /// `YYYY-MM-DD` it opens (once known).
    pub opens: String,
}

/// A survey waiting for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSurvey {
    /// Key.
    pub id: String,
    /// Title.
    pub title: String,
    /// Cohort name.
    pub cohort_name: String,
    /// `YYYY-MM-DD` it closes.
    pub closes: String,
    /// Anonymous?
    pub anonymous: bool,
    /// Number of questions.
    pub questions: u32,
}

/// A survey opened for answering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyForm {
    /// Key.
    pub id: String,
    /// Title.
    pub title: String,
    /// Intro.
    pub intro: String,
    /// Cohort name.
    pub cohort_name: String,
    /// Anonymous? Shown before the first question.
    pub anonymous: bool,
    /// k (results show only for groups at least this large).
    pub min_group: u32,
    /// The questions.
    pub questions: Vec<Question>,
    /// The program's skills: (key, name).
    pub skills: Vec<(String, String)>,
    /// `YYYY-MM-DD` it closes.
    pub closes: String,
    /// Open for answers.
    pub open: bool,
    /// Whether the caller already answered.
    pub answered: bool,
    /// The caller's saved partial answers (attributed surveys only; anonymous drafts stay on
    /// the device).
    pub draft: Answers,
}
