//! Pre/post leadership-skill assessments: the phases and raters, the 1–5 scale with its
//! behavioural anchors, when each phase is open, who may see which ratings, the check of a
//! submission, and what the pages receive. Shared by both sides of the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::matching::types::Viewer;
use crate::error::FieldErrors;
use crate::validate::date_of_day;

wire_enum! {
    /// When in the cohort a rating is given.
    pub enum Phase {
        /// At the start: the baseline.
        Pre = "pre",
        /// At the end: what changed.
        Post = "post",
    }
}

impl Phase {
    /// "start-of-program" / "end-of-program", before "assessment" in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Pre => "start-of-program",
            Phase::Post => "end-of-program",
        }
    }

    /// "Before" / "After", as a column heading.
    pub fn heading(self) -> &'static str {
        match self {
            Phase::Pre => "Before",
            Phase::Post => "After",
        }
    }
}

wire_enum! {
    /// Who gives a rating of the mentee: the mentee themselves or their mentor.
    pub enum Rater {
        /// The mentee rates themselves.
        Mentee = "mentee",
        /// The pair's mentor rates the mentee.
        Mentor = "mentor",
    }
}

impl Rater {
    /// The rater a pair member is; `None` for an admin looking in.
    pub fn of(viewer: Viewer) -> Option<Rater> {
        match viewer {
            Viewer::Mentee => Some(Rater::Mentee),
            Viewer::Mentor => Some(Rater::Mentor),
            Viewer::Admin => None,
        }
    }

    /// The other side of the pair.
    pub fn other(self) -> Rater {
        match self {
            Rater::Mentee => Rater::Mentor,
            Rater::Mentor => Rater::Mentee,
        }
    }
}

wire_enum! {
    /// Where a phase's window stands today.
    pub enum WindowStatus {
        /// Not open yet.
        Upcoming = "upcoming",
        /// Taking ratings.
        Open = "open",
        /// No more ratings (or it never opened for this pair).
        Closed = "closed",
    }
}

/// One level of the scale and what it looks like in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// 1 to 5.
    pub level: i64,
    /// One or two words.
    pub name: &'static str,
    /// The behaviour that earns this level, for any skill.
    pub behaviour: &'static str,
}

/// The scale: behavioural anchors for levels 1 to 5, the same for every skill (a skill's own
/// description says what the skill is; the anchor says how often and how well it shows).
pub const ANCHORS: [Anchor; 5] = [
    Anchor { level: 1, name: "Not yet", behaviour: "Rarely shows this yet; needs prompting and support to try it." },
    Anchor { level: 2, name: "Emerging", behaviour: "Shows it now and then, in easy situations or with help." },
    Anchor {
        level: 3,
        name: "Developing",
        behaviour: "Shows it reliably in familiar situations; pressure still gets in the way.",
    },
    Anchor { level: 4, name: "Strong", behaviour: "Shows it consistently, including in hard or new situations." },
    Anchor { level: 5, name: "Role model", behaviour: "Others learn it from them; they coach it in others." },
];

/// The lowest level.
pub const LEVEL_MIN: i64 = 1;
/// The highest level.
pub const LEVEL_MAX: i64 = 5;

/// The anchor of `level`, if it is one.
pub fn anchor(level: i64) -> Option<&'static Anchor> {
    ANCHORS.iter().find(|a| a.level == level)
}

/// Ratings by skill key. Scores are any integer on the wire so an out-of-range one is a field
/// error rather than an unreadable request.
pub type Ratings = BTreeMap<String, i64>;

/// The pre window stays open this many days after the later of pairing and cohort start.
pub const PRE_OPEN_DAYS: i64 = 28;
/// The post window opens this many days before the cohort's last day…
pub const POST_OPENS_BEFORE_END: i64 = 21;
/// …and stays open this many days after it.
pub const POST_OPEN_AFTER_END: i64 = 14;

/// A phase's window in days since 1970-01-01: open from `opens` up to, not including, `closes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First open day.
    pub opens: i64,
    /// First day no longer open.
    pub closes: i64,
}

impl Window {
    /// True when the window never opens (a pair made too late for a baseline).
    pub fn is_empty(self) -> bool {
        self.closes <= self.opens
    }

    /// Where the window stands on `today`.
    pub fn status(self, today: i64) -> WindowStatus {
        if self.is_empty() || today >= self.closes {
            WindowStatus::Closed
        } else if today < self.opens {
            WindowStatus::Upcoming
        } else {
            WindowStatus::Open
        }
    }

    /// The last open day.
    pub fn last_day(self) -> i64 {
        self.closes - 1
    }
}

/// When `phase` is open for a pair published on `paired_on`, in a cohort running from
/// `cohort_starts` to `cohort_ends` (its last day), all in days since 1970-01-01.
///
/// - Pre opens when the pair is published (often before the cohort starts) and closes
///   [`PRE_OPEN_DAYS`] after the later of that and the cohort's start, and at the latest when the
///   post window opens: a pair made that late has no baseline to grow from.
/// - Post opens [`POST_OPENS_BEFORE_END`] days before the cohort's last day and closes
///   [`POST_OPEN_AFTER_END`] days after it (that day included).
pub fn window(phase: Phase, cohort_starts: i64, cohort_ends: i64, paired_on: i64) -> Window {
    let post = Window { opens: cohort_ends - POST_OPENS_BEFORE_END, closes: cohort_ends + POST_OPEN_AFTER_END + 1 };
    match phase {
        Phase::Post => post,
        Phase::Pre => {
            let closes = (paired_on.max(cohort_starts) + PRE_OPEN_DAYS).min(post.opens);
            Window { opens: paired_on, closes: closes.max(paired_on) }
        }
    }
}

/// Whether `viewer` may see the ratings `rater` gave in a phase. Each side rates blind: the
/// other side's ratings show once the viewer has given theirs for the phase, or the phase is
/// closed (then nothing can be changed because of what was seen). Admins see everything.
pub fn visible(viewer: Viewer, rater: Rater, viewer_rated: bool, status: WindowStatus) -> bool {
    match Rater::of(viewer) {
        None => true,
        Some(me) if me == rater => true,
        Some(_) => viewer_rated || status == WindowStatus::Closed,
    }
}

/// The field of a skill's rating in [`FieldErrors`].
pub fn rating_field(skill_id: &str) -> String {
    format!("ratings.{skill_id}")
}

/// Checks a submission against the program's skills (key, name): every skill rated from 1 to 5,
/// no other key. Returns the ratings in the order of `skills`.
pub fn check_ratings(skills: &[(String, String)], ratings: &Ratings) -> Result<Vec<(String, i64)>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let unknown: Vec<&str> =
        ratings.keys().filter(|k| !skills.iter().any(|(id, _)| id == *k)).map(String::as_str).collect();
    if !unknown.is_empty() {
        errors.add(
            "ratings",
            format!(
                "{} not among this program's skills (it may have changed): reload the page and rate again.",
                if unknown.len() == 1 { "One rating is for a skill" } else { "Some ratings are for skills" }
            ),
        );
    }
    let mut valid = Vec::with_capacity(skills.len());
    for (id, name) in skills {
        match ratings.get(id) {
            None => errors.add(&rating_field(id), format!("Choose a level from 1 to 5 for {name}.")),
            Some(v) if !(LEVEL_MIN..=LEVEL_MAX).contains(v) => {
                errors.add(&rating_field(id), format!("{name}: a level is from 1 to 5 (not {v})."))
            }
            Some(v) => valid.push((id.clone(), *v)),
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// A skill of the program, as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessedSkill {
    /// Skill key.
    pub id: String,
    /// Name.
    pub name: String,
    /// What the skill means here (may be empty).
    pub description: String,
}

/// A phase of one pair: its window and who has rated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseState {
    /// Which phase.
    pub phase: Phase,
    /// First open day, `YYYY-MM-DD`.
    pub opens: String,
    /// Last open day, `YYYY-MM-DD`.
    pub closes: String,
    /// Where it stands today.
    pub status: WindowStatus,
    /// The day the mentee last saved their self-rating, if they have.
    pub mentee_on: Option<String>,
    /// The day the mentor last saved their rating, if they have.
    pub mentor_on: Option<String>,
}

impl PhaseState {
    /// A phase's state from its window.
    pub fn new(phase: Phase, w: Window, today: i64) -> PhaseState {
        PhaseState {
            phase,
            opens: date_of_day(w.opens),
            closes: date_of_day(w.last_day()),
            status: w.status(today),
            mentee_on: None,
            mentor_on: None,
        }
    }

    /// The day `rater` last saved, if they have.
    pub fn rated_on(&self, rater: Rater) -> Option<&str> {
        match rater {
            Rater::Mentee => self.mentee_on.as_deref(),
            Rater::Mentor => self.mentor_on.as_deref(),
        }
    }
}

/// One skill's ratings across phases and raters, as far as the viewer may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthRow {
    /// Skill key.
    pub skill_id: String,
    /// Skill name.
    pub skill_name: String,
    /// The mentee's own rating before.
    pub self_pre: Option<i64>,
    /// The mentee's own rating after.
    pub self_post: Option<i64>,
    /// The mentor's rating before.
    pub mentor_pre: Option<i64>,
    /// The mentor's rating after.
    pub mentor_post: Option<i64>,
}

impl GrowthRow {
    /// A rating of this row.
    pub fn get(&self, phase: Phase, rater: Rater) -> Option<i64> {
        match (phase, rater) {
            (Phase::Pre, Rater::Mentee) => self.self_pre,
            (Phase::Post, Rater::Mentee) => self.self_post,
            (Phase::Pre, Rater::Mentor) => self.mentor_pre,
            (Phase::Post, Rater::Mentor) => self.mentor_post,
        }
    }

    /// Growth by `rater`: post − pre, when both are known.
    pub fn change(&self, rater: Rater) -> Option<i64> {
        crate::domain::assessments::growth::change(self.get(Phase::Pre, rater), self.get(Phase::Post, rater))
    }
}

/// A pair's assessment page: the form for the caller's side and the growth so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentPage {
    /// Pairing key.
    pub pairing_id: String,
    /// The cohort's name.
    pub cohort_name: String,
    /// The mentee (the one being rated).
    pub mentee_name: String,
    /// The mentor.
    pub mentor_name: String,
    /// The caller's part in the pair.
    pub viewer: Viewer,
    /// The program's skills, by name.
    pub skills: Vec<AssessedSkill>,
    /// Pre, then post.
    pub phases: Vec<PhaseState>,
    /// The phase the caller can rate today, if any (pair members of a pair still running).
    pub current: Option<Phase>,
    /// The caller's own ratings in `current` (to edit), empty when none.
    pub mine: Ratings,
    /// False once the pair has ended: its ratings stay, no new ones are taken.
    pub writable: bool,
    /// Per skill, the ratings the caller may see.
    pub growth: Vec<GrowthRow>,
    /// Ratings given but not shown to the caller yet (the other side's, in an open phase the
    /// caller has not rated).
    pub withheld: Vec<(Phase, Rater)>,
}

impl AssessmentPage {
    /// The state of `phase`.
    pub fn phase(&self, phase: Phase) -> Option<&PhaseState> {
        self.phases.iter().find(|p| p.phase == phase)
    }

    /// True when any rating is shown in the growth table.
    pub fn has_ratings(&self) -> bool {
        self.growth.iter().any(|r| {
            [Phase::Pre, Phase::Post]
                .iter()
                .any(|p| [Rater::Mentee, Rater::Mentor].iter().any(|w| r.get(*p, *w).is_some()))
        })
    }
}

/// A submission: the caller's ratings of the mentee for one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentInput {
    /// Pairing key.
    pub pairing_id: String,
    /// Which phase.
    pub phase: Phase,
    /// Every skill of the program, 1 to 5.
    pub ratings: Ratings,
}

/// An assessment waiting for the caller (home page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAssessment {
    /// Pairing key.
    pub pairing_id: String,
    /// Which phase.
    pub phase: Phase,
    /// The caller's side: rating themselves, or their mentee.
    pub rater: Rater,
    /// The cohort's name.
    pub cohort_name: String,
    /// The mentee's name (the caller's own when rating themselves).
    pub mentee_name: String,
    /// Last open day, `YYYY-MM-DD`.
    pub closes: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::day_number;

    fn day(s: &str) -> i64 {
        day_number(s).unwrap()
    }

    #[test]
    fn wire_strings() {
        crate::domain::assert_wire_strings(Phase::ALL, Phase::as_str, &["pre", "post"]);
        crate::domain::assert_wire_strings(Rater::ALL, Rater::as_str, &["mentee", "mentor"]);
        crate::domain::assert_wire_strings(WindowStatus::ALL, WindowStatus::as_str, &["upcoming", "open", "closed"]);
    }

    #[test]
    fn anchors_cover_one_to_five_in_order() {
        let levels: Vec<i64> = ANCHORS.iter().map(|a| a.level).collect();
        assert_eq!(levels, (LEVEL_MIN..=LEVEL_MAX).collect::<Vec<_>>());
        assert!(ANCHORS.iter().all(|a| !a.name.is_empty() && a.behaviour.ends_with('.')));
        assert_eq!(anchor(5).unwrap().name, "Role model");
        assert!(anchor(0).is_none() && anchor(6).is_none());
    }

    #[test]
    fn pre_opens_at_publishing_and_stays_open_four_weeks_into_the_cohort() {
        let (starts, ends) = (day("2026-09-01"), day("2027-02-26"));
        // Published two weeks before the start: open from then until four weeks after the start.
        let w = window(Phase::Pre, starts, ends, day("2026-08-18"));
        assert_eq!((w.opens, w.closes), (day("2026-08-18"), day("2026-09-29")));
        assert_eq!(date_of_day(w.last_day()), "2026-09-28");
        assert_eq!(w.status(day("2026-08-17")), WindowStatus::Upcoming);
        assert_eq!(w.status(day("2026-08-18")), WindowStatus::Open);
        assert_eq!(w.status(day("2026-09-28")), WindowStatus::Open);
        assert_eq!(w.status(day("2026-09-29")), WindowStatus::Closed);
        // Published late (a re-match): four weeks from publishing.
        let w = window(Phase::Pre, starts, ends, day("2026-10-10"));
        assert_eq!((w.opens, w.closes), (day("2026-10-10"), day("2026-11-07")));
    }

    #[test]
    fn post_runs_from_three_weeks_before_the_end_to_two_weeks_after() {
        let (starts, ends) = (day("2026-09-01"), day("2027-02-26"));
        let w = window(Phase::Post, starts, ends, day("2026-08-18"));
        assert_eq!(date_of_day(w.opens), "2027-02-05");
        assert_eq!(date_of_day(w.last_day()), "2027-03-12");
        assert_eq!(w.status(day("2027-02-04")), WindowStatus::Upcoming);
        assert_eq!(w.status(day("2027-03-12")), WindowStatus::Open);
        assert_eq!(w.status(day("2027-03-13")), WindowStatus::Closed);
    }

    #[test]
    fn pre_never_overlaps_post_and_a_pair_made_too_late_has_no_baseline() {
        // A six-week cohort: pre is cut where post opens.
        let (starts, ends) = (day("2027-01-04"), day("2027-02-14"));
        let pre = window(Phase::Pre, starts, ends, starts);
        let post = window(Phase::Post, starts, ends, starts);
        assert_eq!(pre.closes, post.opens);
        // Paired after post opened: pre is empty, closed on every day, never upcoming.
        let late = window(Phase::Pre, starts, ends, post.opens + 2);
        assert!(late.is_empty());
        for d in [post.opens - 10, post.opens + 2, ends] {
            assert_eq!(late.status(d), WindowStatus::Closed);
        }
    }

    #[test]
    fn each_side_rates_blind_until_it_has_rated_or_the_phase_closed() {
        use WindowStatus::*;
        // Own ratings always; admins everything.
        assert!(visible(Viewer::Mentee, Rater::Mentee, false, Open));
        assert!(visible(Viewer::Admin, Rater::Mentor, false, Open));
        // The other side's: not while the phase is open and I have not rated…
        assert!(!visible(Viewer::Mentee, Rater::Mentor, false, Open));
        assert!(!visible(Viewer::Mentor, Rater::Mentee, false, Upcoming));
        // …but once I have, or once it closed.
        assert!(visible(Viewer::Mentee, Rater::Mentor, true, Open));
        assert!(visible(Viewer::Mentor, Rater::Mentee, false, Closed));
    }

    fn skills() -> Vec<(String, String)> {
        vec![("fb".into(), "Giving feedback".into()), ("dl".into(), "Delegation".into())]
    }

    #[test]
    fn a_full_submission_comes_back_in_program_order() {
        let r: Ratings = [("dl".to_string(), 5), ("fb".to_string(), 1)].into();
        assert_eq!(check_ratings(&skills(), &r).unwrap(), vec![("fb".to_string(), 1), ("dl".to_string(), 5)]);
    }

    #[test]
    fn missing_out_of_range_and_unknown_ratings_are_refused_per_field() {
        let r: Ratings = [("fb".to_string(), 6)].into();
        let e = check_ratings(&skills(), &r).unwrap_err();
        assert_eq!(e.get("ratings.fb"), Some("Giving feedback: a level is from 1 to 5 (not 6)."));
        assert_eq!(e.get("ratings.dl"), Some("Choose a level from 1 to 5 for Delegation."));
        assert_eq!(e.get("ratings"), None);
        let r: Ratings = [("fb".to_string(), 0), ("dl".to_string(), -3), ("zz".to_string(), 3)].into();
        let e = check_ratings(&skills(), &r).unwrap_err();
        assert!(e.get("ratings.fb").unwrap().contains("not 0"));
        assert!(e.get("ratings.dl").unwrap().contains("not -3"));
        assert!(e.get("ratings").unwrap().contains("not among this program's skills"));
        // An unknown key alone refuses a submission that is otherwise complete.
        let r: Ratings = [("fb".to_string(), 3), ("dl".to_string(), 3), ("zz".to_string(), 3)].into();
        assert_eq!(check_ratings(&skills(), &r).unwrap_err().0.len(), 1);
    }
}
