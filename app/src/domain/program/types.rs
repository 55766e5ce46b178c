//! A leadership mentoring program's design: objectives, skills, the mentor's approach and the
//! structure (eligibility, capacity, phases, workshops, rewards). Saved step by step as a draft.

use serde::{Deserialize, Serialize};

use crate::domain::awards::types::RewardKind;
use crate::domain::skills::types::multiline;
use crate::engine::eligibility::{self, Combine, RuleNode};
use crate::error::FieldErrors;
use crate::validate;

/// A metric the dashboards compute, to which an objective can be bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// % of mentees who complete at least two goals.
    MenteesCompletingTwoGoals,
    /// Mean growth in self- and mentor-rated skill (points on a 1–5 scale).
    MeanSkillGrowth,
    /// Mean answer to the satisfaction and "my mentor helps me grow" survey questions (1–5).
    SurveySatisfaction,
    /// % of pairs meeting at least twice a month.
    PairsMeetingTwiceMonthly,
}

impl Metric {
    /// Every metric, in menu order.
    pub const ALL: [Metric; 4] = [
        Metric::MenteesCompletingTwoGoals,
        Metric::MeanSkillGrowth,
        Metric::SurveySatisfaction,
        Metric::PairsMeetingTwiceMonthly,
    ];

    /// The metric in words.
    pub fn label(self) -> &'static str {
        match self {
            Metric::MenteesCompletingTwoGoals => "% of mentees who complete ≥ 2 goals",
            Metric::MeanSkillGrowth => "mean skill growth (points, 1–5 scale)",
            Metric::SurveySatisfaction => "survey satisfaction (mean, 1–5)",
            Metric::PairsMeetingTwiceMonthly => "% of pairs meeting ≥ 2×/month",
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::MenteesCompletingTwoGoals => "mentees_completing_two_goals",
            Metric::MeanSkillGrowth => "mean_skill_growth",
            Metric::SurveySatisfaction => "survey_satisfaction",
            Metric::PairsMeetingTwiceMonthly => "pairs_meeting_twice_monthly",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The range a target may take.
    pub fn target_range(self) -> (f64, f64) {
        match self {
            Metric::MenteesCompletingTwoGoals | Metric::PairsMeetingTwiceMonthly => (0.0, 100.0),
            Metric::MeanSkillGrowth => (0.0, 4.0),
            Metric::SurveySatisfaction => (1.0, 5.0),
        }
    }
}

/// One SMART objective of the program.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// The objective in one sentence.
    pub statement: String,
    /// S: what exactly will change.
    pub specific: String,
    /// M: how it is measured.
    pub measurable: String,
    /// A: why it is within reach.
    pub achievable: String,
    /// R: why it matters to the organization and participants.
    pub relevant: String,
    /// T: by when (`YYYY-MM-DD`).
    pub time_bound: String,
    /// The dashboard metric it is bound to (stored form), empty for none.
    pub metric: String,
    /// The target value for the metric, as typed.
    pub target: String,
}

/// The mentor's approach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApproachKind {
    /// Mentors coach: questions over answers.
    Coaching,
    /// Peers mentor each other.
    Peer,
    /// Navigating workplace politics.
    Politics,
    /// The program's own approach.
    Custom,
}

impl ApproachKind {
    /// Every approach, in menu order.
    pub const ALL: [ApproachKind; 4] =
        [ApproachKind::Coaching, ApproachKind::Peer, ApproachKind::Politics, ApproachKind::Custom];

    /// The approach in words.
    pub fn label(self) -> &'static str {
        match self {
            ApproachKind::Coaching => "Coaching",
            ApproachKind::Peer => "Peer mentoring",
            ApproachKind::Politics => "Navigating workplace politics",
            ApproachKind::Custom => "Custom",
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ApproachKind::Coaching => "coaching",
            ApproachKind::Peer => "peer",
            ApproachKind::Politics => "politics",
            ApproachKind::Custom => "custom",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<ApproachKind> {
        ApproachKind::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// A starting guide for mentors, which the admin edits.
    pub fn default_guide(self) -> &'static str {
        match self {
            ApproachKind::Coaching => "## Coaching\n\nAsk more than you tell. Help your mentee find their own answers:\n\n- Start each session with *what would make this hour useful?*\n- Use open questions: *what options do you see?*\n- End with one concrete next step the mentee owns.",
            ApproachKind::Peer => "## Peer mentoring\n\nYou learn from each other. Take turns leading the session:\n\n- Share a current challenge each.\n- Offer experience, not instructions.\n- Agree what each of you will try before next time.",
            ApproachKind::Politics => "## Navigating workplace politics\n\nHelp your mentee read the organization:\n\n- Map the stakeholders of one decision they care about.\n- Discuss interests, not positions.\n- Rehearse a conversation with a sceptical stakeholder.",
            ApproachKind::Custom => "## Our approach\n\nDescribe how mentors in this program should work with their mentees.",
        }
    }
}

/// A phase of the program.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    /// Name, e.g. "Foundations".
    pub name: String,
    /// Length in weeks, as typed.
    pub weeks: String,
    /// Milestones, one per line.
    pub milestones: String,
    /// Suggested session agenda, one item per line.
    pub agenda: String,
}

/// A workshop where mentees apply a skill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workshop {
    /// Stable id inside the program (`w1`, `w2`…), given on the first save; seats refer to it.
    #[serde(default)]
    pub id: String,
    /// Title.
    pub title: String,
    /// The skill it practises (catalog key).
    pub skill_id: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// `in-person`, `remote` or `hybrid`.
    pub format: String,
}

/// A badge or certificate awarded at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    /// Stable id inside the program (`r1`, `r2`…), given on the first save; awards refer to it.
    #[serde(default)]
    pub id: String,
    /// Name, e.g. "Emerging Leader certificate".
    pub name: String,
    /// `badge` or `certificate`.
    pub kind: String,
    /// Goals the mentee must complete, as typed.
    pub min_goals: String,
    /// Whether a completed workshop (attended, reflection signed off by the mentor) is required.
    pub workshop_required: bool,
}

impl Reward {
    /// Completed goals the reward needs (0 when left empty).
    pub fn goals_needed(&self) -> i64 {
        self.min_goals.trim().parse().unwrap_or(0)
    }

    /// Whether a mentee with `goals` completed goals and `workshops` completed workshops earns it.
    pub fn earned(&self, goals: i64, workshops: i64) -> bool {
        goals >= self.goals_needed() && (!self.workshop_required || workshops > 0)
    }
}

/// Gives every workshop and reward a stable id (`w<n>` / `r<n>`) that is never reused, so seats
/// and awards keep pointing at the same item when others are added, removed or reordered.
/// Ids come from the design's counter `next_item`, which only goes up; an id the counter never
/// issued, a malformed one or a duplicate (all only a hand-made request could send) is replaced.
pub fn assign_ids(design: &mut ProgramDesign) {
    fn number(id: &str, prefix: char) -> Option<u32> {
        let digits = id.strip_prefix(prefix)?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
    }
    // Designs saved before the counter existed: continue after their highest id.
    if design.next_item == 0 {
        design.next_item = design
            .workshops
            .iter()
            .filter_map(|w| number(&w.id, 'w'))
            .chain(design.rewards.iter().filter_map(|r| number(&r.id, 'r')))
            .max()
            .map_or(1, |n| n + 1);
    }
    let issued = design.next_item;
    let mut seen = std::collections::BTreeSet::new();
    let mut fresh = |id: &mut String, prefix: char, next: &mut u32| {
        let keep = number(id, prefix).is_some_and(|n| n < issued) && seen.insert(id.clone());
        if !keep {
            *id = format!("{prefix}{next}");
            seen.insert(id.clone());
            *next += 1;
        }
    };
    let mut next = design.next_item;
    for w in &mut design.workshops {
        fresh(&mut w.id, 'w', &mut next);
    }
    for r in &mut design.rewards {
        fresh(&mut r.id, 'r', &mut next);
    }
    design.next_item = next;
}

wire_enum! {
    /// Where a program is in its life: only a published one can open cohorts.
    pub enum ProgramStatus {
        /// Being designed in the studio.
        Draft = "draft",
        /// Ready: cohorts can be opened.
        Published = "published",
        /// Kept for the record, no new cohorts (allowed by the schema, not offered yet).
        Archived = "archived",
    }
}

/// The whole design of a program, as the studio edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramDesign {
    /// Record key (empty for a new program).
    pub id: String,
    /// The next workshop / reward id number (see [`assign_ids`]); kept by the server.
    #[serde(default)]
    pub next_item: u32,
    /// Program name.
    pub name: String,
    /// Why the program exists and what success means to participants.
    pub purpose: String,
    /// SMART objectives.
    pub objectives: Vec<Objective>,
    /// Catalog keys of the skills it develops.
    pub skill_ids: Vec<String>,
    /// The mentor's approach (stored form).
    pub approach: String,
    /// Name of a custom approach.
    pub approach_name: String,
    /// The mentor guide, in Markdown.
    pub guide: String,
    /// Mentee eligibility rules.
    pub mentee_rules: RuleNode,
    /// Mentor selection rules.
    pub mentor_rules: RuleNode,
    /// Application questions (their ids are their texts' slugs).
    pub questions: Vec<String>,
    /// Default mentor capacity (1–5), as typed.
    pub capacity: String,
    /// Phases.
    pub phases: Vec<Phase>,
    /// Workshops.
    pub workshops: Vec<Workshop>,
    /// Rewards.
    pub rewards: Vec<Reward>,
    /// Where the program is in its life.
    pub status: ProgramStatus,
    /// Bumped on every save; a save from an older version is refused (no lost update).
    pub version: i64,
}

impl Default for ProgramDesign {
    fn default() -> Self {
        ProgramDesign {
            id: String::new(),
            next_item: 0,
            name: String::new(),
            purpose: String::new(),
            objectives: vec![],
            skill_ids: vec![],
            approach: "coaching".into(),
            approach_name: String::new(),
            guide: ApproachKind::Coaching.default_guide().into(),
            mentee_rules: RuleNode::Group { combine: Combine::All, rules: vec![] },
            mentor_rules: RuleNode::Group { combine: Combine::All, rules: vec![] },
            questions: vec![],
            capacity: "2".into(),
            phases: vec![],
            workshops: vec![],
            rewards: vec![],
            status: ProgramStatus::Draft,
            version: 0,
        }
    }
}

/// The studio's steps; each is saved on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// Name, purpose and SMART objectives.
    Objectives,
    /// Skills from the catalog.
    Skills,
    /// Approach and mentor guide.
    Approach,
    /// Eligibility, capacity, phases, workshops, rewards.
    Structure,
}

/// True for a real calendar date written `YYYY-MM-DD` (years 2000–2100), read as strictly as
/// [`validate::date`] reads it.
pub fn is_date(s: &str) -> bool {
    validate::date(s).is_some()
}

/// Checks one step of a design; field names are `objectives.0.measurable`-style paths.
pub fn check_step(design: &ProgramDesign, step: Step) -> FieldErrors {
    let mut e = FieldErrors::default();
    match step {
        Step::Objectives => {
            validate::text(&mut e, "name", "a program name", &design.name, true, 120);
            multiline(&mut e, "purpose", &design.purpose, 2000);
            if design.objectives.len() > 10 {
                e.add("objectives", "Keep to at most 10 objectives.");
            }
            for (i, o) in design.objectives.iter().enumerate() {
                let f = |name: &str| format!("objectives.{i}.{name}");
                validate::text(&mut e, &f("statement"), "the objective", &o.statement, true, 300);
                validate::text(&mut e, &f("specific"), "what exactly will change", &o.specific, true, 500);
                if validate::text(&mut e, &f("measurable"), "how it is measured", &o.measurable, true, 500).is_some()
                    && !o.measurable.chars().any(|c| c.is_ascii_digit())
                    && o.metric.is_empty()
                {
                    e.add(&f("measurable"), "Measurable: add a number, or bind the objective to a metric.");
                }
                validate::text(&mut e, &f("achievable"), "why it is within reach", &o.achievable, false, 500);
                validate::text(&mut e, &f("relevant"), "why it matters", &o.relevant, true, 500);
                if !is_date(o.time_bound.trim()) {
                    e.add(&f("time_bound"), "Time-bound: choose the date by which it is met.");
                }
                match (o.metric.trim(), o.target.trim()) {
                    ("", "") => {}
                    ("", _) => e.add(&f("metric"), "Choose the metric the target is for."),
                    (m, t) => match Metric::parse(m) {
                        None => e.add(&f("metric"), "Choose a metric from the list."),
                        Some(metric) => {
                            let (lo, hi) = metric.target_range();
                            match t.parse::<f64>() {
                                Ok(v) if v.is_finite() && v >= lo && v <= hi => {}
                                _ => e.add(&f("target"), format!("Enter a target from {lo} to {hi}.")),
                            }
                        }
                    },
                }
            }
        }
        Step::Skills => {
            if design.skill_ids.is_empty() {
                e.add("skill_ids", "Choose at least one skill the program develops.");
            }
            if design.skill_ids.len() > 30 {
                e.add("skill_ids", "Choose at most 30 skills.");
            }
        }
        Step::Approach => {
            match ApproachKind::parse(&design.approach) {
                None => e.add("approach", "Choose an approach."),
                Some(ApproachKind::Custom) => {
                    validate::text(
                        &mut e,
                        "approach_name",
                        "a name for your approach",
                        &design.approach_name,
                        true,
                        80,
                    );
                }
                Some(_) => {}
            }
            if design.guide.trim().is_empty() {
                e.add("guide", "Write a short guide for mentors.");
            }
            multiline(&mut e, "guide", &design.guide, 20_000);
        }
        Step::Structure => {
            for (field, rules) in [("mentee_rules", &design.mentee_rules), ("mentor_rules", &design.mentor_rules)] {
                let empty_root = matches!(rules, RuleNode::Group { rules, .. } if rules.is_empty());
                if !empty_root {
                    if let Err(errors) = eligibility::parse(rules, &design.questions) {
                        let msgs: Vec<String> = errors
                            .iter()
                            .map(|x| {
                                if x.path.is_empty() {
                                    x.message.clone()
                                } else {
                                    format!("rule {}: {}", x.path, x.message)
                                }
                            })
                            .collect();
                        e.add(field, msgs.join("; "));
                    }
                }
            }
            if design.questions.len() > 10 {
                e.add("questions", "Keep to at most 10 application questions.");
            }
            for (i, q) in design.questions.iter().enumerate() {
                validate::text(&mut e, &format!("questions.{i}"), "the question", q, true, 300);
                // A question's text is its id (answers and rules refer to it): no two alike.
                let key = q.trim().to_lowercase();
                if !key.is_empty() && design.questions[..i].iter().any(|p| p.trim().to_lowercase() == key) {
                    e.add(&format!("questions.{i}"), "This question is already asked above.");
                }
            }
            validate::optional_int(&mut e, "capacity", &design.capacity, 1, 5);
            if design.capacity.trim().is_empty() {
                e.add("capacity", "Enter how many mentees a mentor takes by default (1 to 5).");
            }
            for (i, p) in design.phases.iter().enumerate() {
                validate::text(&mut e, &format!("phases.{i}.name"), "a phase name", &p.name, true, 80);
                if validate::optional_int(&mut e, &format!("phases.{i}.weeks"), &p.weeks, 1, 52).flatten().is_none() {
                    e.add(&format!("phases.{i}.weeks"), "Enter the phase's length in weeks (1 to 52).");
                }
                multiline(&mut e, &format!("phases.{i}.milestones"), &p.milestones, 2000);
                multiline(&mut e, &format!("phases.{i}.agenda"), &p.agenda, 2000);
            }
            for (i, w) in design.workshops.iter().enumerate() {
                validate::text(&mut e, &format!("workshops.{i}.title"), "a workshop title", &w.title, true, 120);
                if !design.skill_ids.contains(&w.skill_id) {
                    e.add(&format!("workshops.{i}.skill_id"), "Choose one of the program's skills.");
                }
                if !is_date(w.date.trim()) {
                    e.add(&format!("workshops.{i}.date"), "Choose the workshop's date.");
                }
                if !["in-person", "remote", "hybrid"].contains(&w.format.as_str()) {
                    e.add(&format!("workshops.{i}.format"), "Choose in person, remote or hybrid.");
                }
            }
            for (i, r) in design.rewards.iter().enumerate() {
                validate::text(&mut e, &format!("rewards.{i}.name"), "a reward name", &r.name, true, 120);
                if RewardKind::parse(&r.kind).is_none() {
                    e.add(&format!("rewards.{i}.kind"), "Choose badge or certificate.");
                }
                let goals = validate::optional_int(&mut e, &format!("rewards.{i}.min_goals"), &r.min_goals, 0, 20);
                if goals.is_some() && r.goals_needed() == 0 && !r.workshop_required {
                    e.add(
                        &format!("rewards.{i}.min_goals"),
                        "Set the goals to complete, or require a workshop: a reward needs at least one criterion.",
                    );
                }
            }
        }
    }
    e
}

/// Checks the whole design before publishing.
pub fn check_publishable(design: &ProgramDesign) -> FieldErrors {
    let mut all = FieldErrors::default();
    for step in [Step::Objectives, Step::Skills, Step::Approach, Step::Structure] {
        for err in check_step(design, step).0 {
            all.add(&err.field, err.message);
        }
    }
    if design.objectives.is_empty() {
        all.add("objectives", "Add at least one objective before publishing.");
    }
    if design.phases.is_empty() {
        all.add("phases", "Add at least one phase before publishing.");
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::eligibility::RawCondition;

    fn objective() -> Objective {
        Objective {
            statement: "Grow first-time managers".into(),
            specific: "New managers run effective 1:1s".into(),
            measurable: "80% of mentees complete 2 goals".into(),
            achievable: "Mentors are trained".into(),
            relevant: "We promote from within".into(),
            time_bound: "2027-08-31".into(),
            metric: "mentees_completing_two_goals".into(),
            target: "80".into(),
        }
    }

    fn design() -> ProgramDesign {
        ProgramDesign {
            name: "Emerging Leaders".into(),
            objectives: vec![objective()],
            skill_ids: vec!["s1".into()],
            phases: vec![Phase { name: "Foundations".into(), weeks: "6".into(), ..Phase::default() }],
            ..ProgramDesign::default()
        }
    }

    #[test]
    fn a_complete_design_is_publishable() {
        assert!(check_publishable(&design()).is_empty(), "{:?}", check_publishable(&design()));
    }

    #[test]
    fn smart_letters_are_checked_with_guidance() {
        let mut d = design();
        d.objectives[0].measurable = "they get better".into();
        d.objectives[0].metric.clear();
        d.objectives[0].target.clear();
        d.objectives[0].time_bound = "2027-02-30".into();
        let e = check_step(&d, Step::Objectives);
        assert!(e.get("objectives.0.measurable").unwrap().contains("add a number"));
        assert!(e.get("objectives.0.time_bound").unwrap().starts_with("Time-bound"));
        d.objectives[0].metric = "survey_satisfaction".into();
        d.objectives[0].target = "7".into();
        assert_eq!(check_step(&d, Step::Objectives).get("objectives.0.target"), Some("Enter a target from 1 to 5."));
    }

    #[test]
    fn application_questions_are_few_and_distinct() {
        let mut d = design();
        d.questions = vec!["Why now?".into(), "  why NOW? ".into(), String::new()];
        let e = check_step(&d, Step::Structure);
        assert_eq!(e.get("questions.1"), Some("This question is already asked above."));
        assert_eq!(e.get("questions.2"), Some("Enter the question."));
        assert_eq!(e.get("questions.0"), None);
        d.questions = (0..11).map(|i| format!("Question {i}?")).collect();
        assert_eq!(check_step(&d, Step::Structure).get("questions"), Some("Keep to at most 10 application questions."));
    }

    #[test]
    fn workshop_and_reward_ids_are_stable_and_never_reused() {
        // A design from before the counter: ids continue after the highest one.
        let mut d = ProgramDesign {
            workshops: vec![
                Workshop { id: "w2".into(), ..Workshop::default() },
                Workshop::default(),
                Workshop::default(),
            ],
            rewards: vec![Reward::default()],
            ..ProgramDesign::default()
        };
        assign_ids(&mut d);
        let ids: Vec<&str> = d.workshops.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["w2", "w3", "w4"]);
        assert_eq!(d.rewards[0].id, "r5");
        assert_eq!(d.next_item, 6);
        // Removing the newest and adding another never reuses its id.
        d.workshops.pop();
        d.workshops.push(Workshop::default());
        assign_ids(&mut d);
        let ids: Vec<&str> = d.workshops.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["w2", "w3", "w6"]);
        // Ids the counter never issued, malformed ones and duplicates are replaced.
        d.workshops[0].id = "w99".into();
        d.workshops[1].id = "w3".into();
        d.workshops[2].id = "w3".into();
        d.rewards[0].id = "x; DELETE".into();
        assign_ids(&mut d);
        let ids: Vec<&str> = d.workshops.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["w7", "w3", "w8"]);
        assert_eq!(d.rewards[0].id, "r9");
    }

    #[test]
    fn rewards_need_their_goals_and_a_completed_workshop() {
        let r = Reward { min_goals: "2".into(), workshop_required: true, ..Reward::default() };
        assert!(!r.earned(2, 0));
        assert!(!r.earned(1, 1));
        assert!(r.earned(2, 1));
        let empty = Reward { min_goals: String::new(), workshop_required: false, ..Reward::default() };
        assert!(empty.earned(0, 0), "no criterion: the studio refuses to save such a reward");
        let one = Reward { min_goals: "1".into(), ..Reward::default() };
        assert!(!one.earned(0, 5) && one.earned(1, 0));
    }

    #[test]
    fn structure_rules_capacity_and_workshops() {
        let mut d = design();
        d.capacity = "7".into();
        d.mentee_rules = RuleNode::Group {
            combine: Combine::All,
            rules: vec![RuleNode::Condition(RawCondition {
                field: "salary".into(),
                op: ">=".into(),
                value: "1".into(),
            })],
        };
        d.workshops = vec![Workshop {
            id: String::new(),
            title: "Feedback lab".into(),
            skill_id: "other".into(),
            date: "2027-04-01".into(),
            format: "remote".into(),
        }];
        let e = check_step(&d, Step::Structure);
        assert!(e.get("capacity").is_some());
        assert_eq!(e.get("mentee_rules"), Some("rule 0: unknown field \"salary\""));
        assert_eq!(e.get("workshops.0.skill_id"), Some("Choose one of the program's skills."));
    }

    #[test]
    fn custom_approach_needs_a_name_and_a_guide() {
        let mut d = design();
        d.approach = "custom".into();
        d.guide = "  ".into();
        let e = check_step(&d, Step::Approach);
        assert!(e.get("approach_name").is_some() && e.get("guide").is_some());
    }

    #[test]
    fn dates_are_real_dates() {
        assert!(is_date("2028-02-29"));
        assert!(!is_date("2027-02-29"));
        assert!(!is_date("2027-13-01"));
        assert!(!is_date("27-01-01"));
        // Each of these once passed, or would pass a looser reading, and then failed in the database.
        for bad in ["2027-12-+1", "2027-1-01", "2027-02-30", "+2027-01-01", " 2027-01-01"] {
            assert!(!is_date(bad), "{bad:?}");
        }
    }

    #[test]
    fn signed_days_are_field_errors() {
        let mut d = design();
        d.objectives[0].time_bound = "2027-12-+1".into();
        assert!(check_step(&d, Step::Objectives).get("objectives.0.time_bound").is_some());
        d.workshops = vec![Workshop {
            id: String::new(),
            title: "Kick-off".into(),
            skill_id: "s1".into(),
            date: "2027-12-+1".into(),
            format: "remote".into(),
        }];
        assert_eq!(check_step(&d, Step::Structure).get("workshops.0.date"), Some("Choose the workshop's date."));
    }

    #[test]
    fn program_status_keeps_its_stored_strings() {
        crate::domain::assert_wire_strings(
            ProgramStatus::ALL,
            ProgramStatus::as_str,
            &["draft", "published", "archived"],
        );
    }
}

/// A program as listed in the studio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSummary {
    /// Record key.
    pub id: String,
    /// Name.
    pub name: String,
    /// Where the program is in its life.
    pub status: ProgramStatus,
    /// Approach (stored form).
    pub approach: String,
    /// Number of skills.
    pub skills: i64,
    /// Number of cohorts.
    pub cohorts: i64,
    /// Last change, `YYYY-MM-DD HH:MM` UTC.
    pub updated: String,
}
