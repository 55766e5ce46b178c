//! The metric definitions: pure functions over plain facts. One definition each; the server loads
//! the facts, the unit tests below make them by hand, and both run this code.
//!
//! Days are day numbers (days since 1970-01-01). A "month" of activity is 30.4375 days (a
//! Gregorian year over twelve).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::domain::metrics::types::{FunnelStep, GroupRow, MeasureRow, MonthRow, PairRow, Totals};
use crate::domain::program::types::Metric;
use crate::engine::stats::{self, Estimate};
use crate::engine::suppress::{self, Hidden};
use crate::validate::date_of_day;

/// Days in a month of activity.
pub const MONTH_DAYS: f64 = 30.4375;

/// A cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortFacts {
    /// Key.
    pub id: String,
    /// Name.
    pub name: String,
    /// Program key.
    pub program: String,
    /// Program name.
    pub program_name: String,
    /// The mentor approach it ran with, in words.
    pub approach: String,
    /// First day.
    pub starts: i64,
    /// Last day.
    pub ends: i64,
    /// Closed by an admin (or past its end).
    pub closed: bool,
    /// Days without a meeting or check-in after which a pair counts as quiet.
    pub inactive_days: i64,
}

impl CohortFacts {
    /// The last day its activity counts to: today, or its end if that came first.
    pub fn until(&self, today: i64) -> i64 {
        today.min(self.ends)
    }

    /// Whether it is over.
    pub fn over(&self, today: i64) -> bool {
        self.closed || self.ends < today
    }
}

/// A person (their attributes at the time of reading).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    /// Key.
    pub id: String,
    /// Department ("" if none).
    pub department: String,
    /// Career level.
    pub level: Option<i64>,
    /// The day they left the organization, if they did.
    pub left: Option<i64>,
    /// The day of their latest promotion, if any.
    pub promoted: Option<i64>,
}

/// A mentee's application to a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFacts {
    /// Cohort key.
    pub cohort: String,
    /// The applicant.
    pub person: String,
    /// Passed the eligibility rules.
    pub eligible: bool,
    /// Approved by an admin.
    pub approved: bool,
}

/// A pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairFacts {
    /// Pairing key.
    pub id: String,
    /// Cohort key.
    pub cohort: String,
    /// Mentee key.
    pub mentee: String,
    /// Mentor key.
    pub mentor: String,
    /// Names, for the admins' pair rows.
    pub mentee_name: String,
    /// Mentor's name.
    pub mentor_name: String,
    /// The day it was published.
    pub starts: i64,
    /// The day an admin ended it, if one did.
    pub ended: Option<i64>,
}

/// A goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalFacts {
    /// Pairing key.
    pub pair: String,
    /// Sent to the mentor on.
    pub sent: Option<i64>,
    /// Approved on.
    pub approved: Option<i64>,
    /// Completed on.
    pub completed: Option<i64>,
    /// Its milestones: the day each was ticked, `None` while open.
    pub milestones: Vec<Option<i64>>,
}

/// A dated event of a pair (a check-in, an award).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// Pairing key.
    pub pair: String,
    /// The day.
    pub day: i64,
}

/// A meeting held (planned ones are not facts yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFacts {
    /// Pairing key.
    pub pair: String,
    /// The day.
    pub day: i64,
    /// Minutes.
    pub minutes: i64,
}

/// A pair's seat at a workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatFacts {
    /// Pairing key.
    pub pair: String,
    /// Replied "going".
    pub going: bool,
    /// Attended.
    pub attended: bool,
    /// Reflection signed off by the mentor.
    pub signed_off: bool,
}

/// Which survey figure an answer feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MeasureKind {
    /// "My mentor helps me grow as a leader" (1–5).
    Effectiveness,
    /// Satisfaction with the program (1–5).
    Satisfaction,
    /// A mentor's view of their mentee's engagement (1–5).
    Engagement,
    /// Would recommend (0–10).
    Nps,
}

impl MeasureKind {
    /// Every kind, in the order shown.
    pub const ALL: [MeasureKind; 4] =
        [MeasureKind::Effectiveness, MeasureKind::Satisfaction, MeasureKind::Engagement, MeasureKind::Nps];

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            MeasureKind::Effectiveness => "Mentor effectiveness (1–5)",
            MeasureKind::Satisfaction => "Satisfaction (1–5)",
            MeasureKind::Engagement => "Mentee engagement, mentors' view (1–5)",
            MeasureKind::Nps => "Net promoter score (−100 to 100)",
        }
    }
}

/// One survey answer that feeds a figure (anonymous answers carry no person; only the cohort).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerFacts {
    /// Cohort key.
    pub cohort: String,
    /// What it feeds.
    pub kind: MeasureKind,
    /// The answer (1–5, or 0–10 for NPS).
    pub value: u8,
}

/// A cohort's skill growth from the pre/post assessments.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthFacts {
    /// Cohort key.
    pub cohort: String,
    /// Every growth figure (post − pre, per mentee, rater and skill).
    pub changes: Vec<i64>,
}

/// Everything the metrics are computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Today.
    pub today: i64,
    /// Cohorts.
    pub cohorts: Vec<CohortFacts>,
    /// People who took part (mentees and mentors of the cohorts).
    pub people: Vec<PersonFacts>,
    /// Mentees' applications.
    pub applications: Vec<ApplicationFacts>,
    /// Pairs.
    pub pairs: Vec<PairFacts>,
    /// Goals.
    pub goals: Vec<GoalFacts>,
    /// Check-ins.
    pub checkins: Vec<Dated>,
    /// Meetings held.
    pub meetings: Vec<MeetingFacts>,
    /// Workshop seats.
    pub seats: Vec<SeatFacts>,
    /// Awards.
    pub awards: Vec<Dated>,
    /// Survey answers that feed a figure.
    pub answers: Vec<AnswerFacts>,
    /// Skill growth.
    pub growth: Vec<GrowthFacts>,
}

/// Which part of the dataset a figure covers: cohorts, and optionally the mentees of one
/// department or level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Cohort keys.
    pub cohorts: BTreeSet<String>,
    /// Only mentees of this department.
    pub department: Option<String>,
    /// Only mentees of this level.
    pub level: Option<i64>,
    /// Activity from this day (inclusive).
    pub from: Option<i64>,
    /// Activity to this day (inclusive).
    pub to: Option<i64>,
}

impl Scope {
    /// Every cohort of the dataset.
    pub fn all(ds: &Dataset) -> Scope {
        Scope { cohorts: ds.cohorts.iter().map(|c| c.id.clone()).collect(), ..Scope::default() }
    }

    /// One cohort.
    pub fn cohort(id: &str) -> Scope {
        Scope { cohorts: BTreeSet::from([id.to_string()]), ..Scope::default() }
    }

    fn dated(&self, day: i64) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// What belongs to one pair.
#[derive(Default)]
struct Of<'a> {
    meetings: Vec<&'a MeetingFacts>,
    checkins: Vec<i64>,
    goals: Vec<&'a GoalFacts>,
    seats: Vec<&'a SeatFacts>,
    awards: Vec<i64>,
}

/// The dataset indexed once — people, cohorts, each cohort's pairs, applications and survey
/// answers, and what belongs to each pair — so that a view of any scope costs only its own pairs.
/// A dashboard makes hundreds of views (one per breakdown group); each used to pass over every
/// fact of the organization.
pub struct Index<'a> {
    ds: &'a Dataset,
    people: HashMap<&'a str, &'a PersonFacts>,
    cohorts: HashMap<&'a str, &'a CohortFacts>,
    pairs_of: HashMap<&'a str, Vec<&'a PairFacts>>,
    applications_of: HashMap<&'a str, Vec<&'a ApplicationFacts>>,
    answers_of: HashMap<&'a str, Vec<&'a AnswerFacts>>,
    of: HashMap<&'a str, Of<'a>>,
}

impl<'a> Index<'a> {
    /// One pass over the facts.
    pub fn new(ds: &'a Dataset) -> Index<'a> {
        let people = ds.people.iter().map(|p| (p.id.as_str(), p)).collect();
        let cohorts: HashMap<&str, &CohortFacts> = ds.cohorts.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut pairs_of: HashMap<&str, Vec<&PairFacts>> = HashMap::new();
        let mut of: HashMap<&str, Of> = HashMap::with_capacity(ds.pairs.len());
        for p in ds.pairs.iter().filter(|p| cohorts.contains_key(p.cohort.as_str())) {
            pairs_of.entry(p.cohort.as_str()).or_default().push(p);
            of.insert(p.id.as_str(), Of::default());
        }
        let mut applications_of: HashMap<&str, Vec<&ApplicationFacts>> = HashMap::new();
        for a in &ds.applications {
            applications_of.entry(a.cohort.as_str()).or_default().push(a);
        }
        let mut answers_of: HashMap<&str, Vec<&AnswerFacts>> = HashMap::new();
        for a in &ds.answers {
            answers_of.entry(a.cohort.as_str()).or_default().push(a);
        }
        for m in &ds.meetings {
            if let Some(o) = of.get_mut(m.pair.as_str()) {
                o.meetings.push(m);
            }
        }
        for c in &ds.checkins {
            if let Some(o) = of.get_mut(c.pair.as_str()) {
                o.checkins.push(c.day);
            }
        }
        for g in &ds.goals {
            if let Some(o) = of.get_mut(g.pair.as_str()) {
                o.goals.push(g);
            }
        }
        for st in &ds.seats {
            if let Some(o) = of.get_mut(st.pair.as_str()) {
                o.seats.push(st);
            }
        }
        for a in &ds.awards {
            if let Some(o) = of.get_mut(a.pair.as_str()) {
                o.awards.push(a.day);
            }
        }
        Index { ds, people, cohorts, pairs_of, applications_of, answers_of, of }
    }

    /// The dataset seen through `scope`.
    pub fn view(&self, scope: Scope) -> View<'_> {
        let mut v = View { ix: self, ds: self.ds, scope, pairs: Vec::new() };
        let pairs: Vec<&PairFacts> = v
            .scope
            .cohorts
            .iter()
            .filter_map(|c| self.pairs_of.get(c.as_str()))
            .flatten()
            .copied()
            .filter(|p| v.person_in(&p.mentee))
            .collect();
        v.pairs = pairs;
        v
    }

    /// The survey answers of `scope`'s cohorts.
    fn answers<'s>(&'s self, scope: &'s Scope) -> impl Iterator<Item = &'a AnswerFacts> + 's {
        scope.cohorts.iter().filter_map(|c| self.answers_of.get(c.as_str())).flatten().copied()
    }

    /// The values of the survey answers of `kind` in `cohorts`.
    pub fn answer_values(&self, kind: MeasureKind, cohorts: &BTreeSet<String>) -> Vec<u8> {
        cohorts
            .iter()
            .filter_map(|c| self.answers_of.get(c.as_str()))
            .flatten()
            .filter(|a| a.kind == kind)
            .map(|a| a.value)
            .collect()
    }
}

/// The dataset seen through a scope: its pairs, and what belongs to them through the index.
pub struct View<'a> {
    ix: &'a Index<'a>,
    ds: &'a Dataset,
    scope: Scope,
    /// The pairs in scope.
    pub pairs: Vec<&'a PairFacts>,
}

impl<'a> View<'a> {
    fn person_in(&self, id: &str) -> bool {
        let p = self.ix.people.get(id);
        let dept_ok = self.scope.department.as_deref().is_none_or(|d| p.is_some_and(|p| p.department == d));
        let level_ok = self.scope.level.is_none_or(|l| p.and_then(|p| p.level) == Some(l));
        dept_ok && level_ok
    }

    /// What belongs to `pair`, one of the view's pairs.
    fn of(&self, pair: &str) -> &'a Of<'a> {
        &self.ix.of[pair]
    }

    /// What belongs to each pair in scope.
    fn ofs(&self) -> impl Iterator<Item = &'a Of<'a>> + '_ {
        self.pairs.iter().map(|p| self.of(&p.id))
    }

    fn cohort_of(&self, p: &PairFacts) -> &'a CohortFacts {
        self.ix.cohorts[p.cohort.as_str()]
    }

    /// The last day a pair's activity counts to: when it ended, its cohort ended, or today.
    fn until(&self, p: &PairFacts) -> i64 {
        let c = self.cohort_of(p);
        p.ended.unwrap_or(i64::MAX).min(c.until(self.ds.today))
    }

    /// Months a pair has run (0 before it starts).
    pub fn pair_months(&self, p: &PairFacts) -> f64 {
        ((self.until(p) - p.starts).max(0) as f64) / MONTH_DAYS
    }

    /// The days of a pair's meetings and check-ins.
    fn events(&self, pair: &str) -> Vec<i64> {
        let of = self.of(pair);
        of.meetings.iter().map(|m| m.day).chain(of.checkins.iter().copied()).collect()
    }

    /// Running (not ended early) and with a meeting or check-in within its cohort's quiet limit
    /// of the day its activity counts to (the start counts as activity: a new pair is not quiet).
    pub fn active(&self, p: &PairFacts) -> bool {
        if p.ended.is_some() {
            return false;
        }
        let until = self.until(p);
        let last = self.events(&p.id).into_iter().filter(|d| *d <= until).fold(p.starts, i64::max);
        until - last <= self.cohort_of(p).inactive_days
    }

    /// Running, its cohort not over, and quiet for longer than the cohort allows.
    pub fn quiet(&self, p: &PairFacts) -> bool {
        p.ended.is_none() && !self.cohort_of(p).over(self.ds.today) && !self.active(p)
    }

    /// Mentees of the pairs in scope.
    pub fn mentees(&self) -> BTreeSet<(&'a str, &'a str)> {
        self.pairs.iter().map(|p| (p.cohort.as_str(), p.mentee.as_str())).collect()
    }

    /// The enrollment funnel, in mentees: applied → eligible → approved → matched → first
    /// meeting → active lately → completed (their cohort is over and their pair ran to the end).
    pub fn funnel(&self) -> Vec<FunnelStep> {
        let apps: Vec<&ApplicationFacts> = self
            .scope
            .cohorts
            .iter()
            .filter_map(|c| self.ix.applications_of.get(c.as_str()))
            .flatten()
            .copied()
            .filter(|a| self.person_in(&a.person))
            .collect();
        let mentees_where = |f: &dyn Fn(&PairFacts) -> bool| -> u32 {
            let set: BTreeSet<(&str, &str)> =
                self.pairs.iter().filter(|p| f(p)).map(|p| (p.cohort.as_str(), p.mentee.as_str())).collect();
            set.len() as u32
        };
        let today = self.ds.today;
        let steps = [
            ("Applied", apps.len() as u32),
            ("Eligible", apps.iter().filter(|a| a.eligible).count() as u32),
            ("Approved", apps.iter().filter(|a| a.approved).count() as u32),
            ("Matched", mentees_where(&|_| true)),
            ("First meeting", mentees_where(&|p| !self.of(&p.id).meetings.is_empty())),
            ("Active lately", mentees_where(&|p| self.active(p) && !self.cohort_of(p).over(today))),
            ("Completed", mentees_where(&|p| p.ended.is_none() && self.cohort_of(p).over(today))),
        ];
        steps.into_iter().map(|(label, count)| FunnelStep { label: label.into(), count }).collect()
    }

    /// Meetings per pair per month: meetings held over the months the pairs ran (`None` until
    /// the pairs have run half a month in all).
    pub fn per_pair_month(&self, events: usize) -> Option<f64> {
        let months: f64 = self.pairs.iter().map(|p| self.pair_months(p)).sum();
        (months >= 0.5).then(|| events as f64 / months)
    }

    fn meetings(&self) -> impl Iterator<Item = &'a MeetingFacts> + '_ {
        self.ofs().flat_map(|o| o.meetings.iter().copied()).filter(|m| self.scope.dated(m.day))
    }

    fn checkins(&self) -> impl Iterator<Item = i64> + '_ {
        self.ofs().flat_map(|o| o.checkins.iter().copied()).filter(|d| self.scope.dated(*d))
    }

    fn goals(&self) -> impl Iterator<Item = &'a GoalFacts> + '_ {
        self.ofs().flat_map(|o| o.goals.iter().copied())
    }

    /// The counts over the scope.
    pub fn totals(&self) -> Totals {
        let meetings: Vec<&MeetingFacts> = self.meetings().collect();
        let checkins = self.checkins().count();
        let goals: Vec<&GoalFacts> = self.goals().collect();
        let seats: Vec<&SeatFacts> = self.ofs().flat_map(|o| o.seats.iter().copied()).collect();
        let mentors: BTreeSet<&str> = self.pairs.iter().map(|p| p.mentor.as_str()).collect();
        let dated = |d: Option<i64>| d.is_some_and(|d| self.scope.dated(d));
        Totals {
            mentees: self.mentees().len() as u32,
            mentors: mentors.len() as u32,
            pairs: self.pairs.len() as u32,
            running_pairs: self
                .pairs
                .iter()
                .filter(|p| p.ended.is_none() && !self.cohort_of(p).over(self.ds.today))
                .count() as u32,
            ended_pairs: self.pairs.iter().filter(|p| p.ended.is_some()).count() as u32,
            quiet_pairs: self.pairs.iter().filter(|p| self.quiet(p)).count() as u32,
            goals_created: goals.len() as u32,
            goals_sent: goals.iter().filter(|g| g.sent.is_some()).count() as u32,
            goals_approved: goals.iter().filter(|g| g.approved.is_some()).count() as u32,
            goals_completed: goals.iter().filter(|g| dated(g.completed)).count() as u32,
            milestones: goals.iter().map(|g| g.milestones.len() as u32).sum(),
            milestones_done: goals.iter().flat_map(|g| &g.milestones).filter(|m| dated(**m)).count() as u32,
            checkins: checkins as u32,
            meetings: meetings.len() as u32,
            hours: meetings.iter().map(|m| m.minutes).sum::<i64>() as f64 / 60.0,
            meetings_per_pair_month: self.per_pair_month(meetings.len()),
            checkins_per_pair_month: self.per_pair_month(checkins),
            workshop_seats: seats.len() as u32,
            workshop_going: seats.iter().filter(|s| s.going).count() as u32,
            workshop_attended: seats.iter().filter(|s| s.attended).count() as u32,
            reflections_signed_off: seats.iter().filter(|s| s.signed_off).count() as u32,
            awards: self.ofs().flat_map(|o| o.awards.iter()).filter(|d| self.scope.dated(**d)).count() as u32,
        }
    }

    /// Activity by calendar month, every month from the first to the last with any, in order.
    pub fn months(&self) -> Vec<MonthRow> {
        let meetings: Vec<(i64, i64)> = self.meetings().map(|m| (m.day, m.minutes)).collect();
        let checkins: Vec<i64> = self.checkins().collect();
        let mut milestones = Vec::new();
        let mut completed = Vec::new();
        for g in self.goals() {
            completed.extend(g.completed.filter(|d| self.scope.dated(*d)));
            milestones.extend(g.milestones.iter().flatten().filter(|d| self.scope.dated(**d)));
        }
        month_rows(&meetings, &checkins, &milestones, &completed)
    }

    /// A breakdown's figures for this view's mentees (suppression is applied by [`groups`]).
    fn group_figures(&self) -> GroupFigures {
        let mentees = self.mentees();
        let n = mentees.len() as u32;
        if n == 0 {
            return (0, None, None, None);
        }
        let active: BTreeSet<(&str, &str)> =
            self.pairs.iter().filter(|p| self.active(p)).map(|p| (p.cohort.as_str(), p.mentee.as_str())).collect();
        let completed = self.goals().filter(|g| g.completed.is_some()).count();
        (
            n,
            Some(100.0 * active.len() as f64 / f64::from(n)),
            self.per_pair_month(self.meetings().count()),
            Some(completed as f64 / f64::from(n)),
        )
    }

    /// Per-pair rows (for admins).
    pub fn pair_rows(&self) -> Vec<PairRow> {
        let mut rows: Vec<PairRow> = self
            .pairs
            .iter()
            .map(|p| {
                let of = self.of(&p.id);
                let goals = &of.goals;
                let last = self.events(&p.id).into_iter().max();
                PairRow {
                    id: p.id.clone(),
                    mentee: p.mentee_name.clone(),
                    mentor: p.mentor_name.clone(),
                    department: self.ix.people.get(p.mentee.as_str()).map(|x| x.department.clone()).unwrap_or_default(),
                    state: if p.ended.is_some() {
                        "Ended".into()
                    } else if self.quiet(p) {
                        "Quiet".into()
                    } else {
                        "Running".into()
                    },
                    meetings: of.meetings.len() as u32,
                    checkins: of.checkins.len() as u32,
                    goals_completed: goals.iter().filter(|g| g.completed.is_some()).count() as u32,
                    goals_sent: goals.iter().filter(|g| g.sent.is_some()).count() as u32,
                    last_activity: last.map(date_of_day).unwrap_or_default(),
                }
            })
            .collect();
        rows.sort_by(|a, b| a.mentee.cmp(&b.mentee).then_with(|| a.id.cmp(&b.id)));
        rows
    }

    /// The value of an objective's metric over this view (`k` applies to survey answers).
    pub fn objective_value(&self, metric: Metric, k: u32) -> Option<f64> {
        match metric {
            Metric::MenteesCompletingTwoGoals => {
                let mentees = self.mentees();
                if mentees.is_empty() {
                    return None;
                }
                let mut completed: BTreeMap<(&str, &str), u32> = BTreeMap::new();
                for p in &self.pairs {
                    let n = self.of(&p.id).goals.iter().filter(|g| g.completed.is_some()).count() as u32;
                    *completed.entry((p.cohort.as_str(), p.mentee.as_str())).or_default() += n;
                }
                let two = mentees.iter().filter(|m| completed.get(*m).copied().unwrap_or(0) >= 2).count();
                Some(100.0 * two as f64 / mentees.len() as f64)
            }
            Metric::PairsMeetingTwiceMonthly => {
                // Pairs that have run four weeks at least; a younger pair says nothing yet.
                let judged: Vec<&&PairFacts> = self.pairs.iter().filter(|p| self.until(p) - p.starts >= 28).collect();
                if judged.is_empty() {
                    return None;
                }
                let twice = judged
                    .iter()
                    .filter(|p| {
                        let n = self.of(&p.id).meetings.len() as f64;
                        n / self.pair_months(p) >= 2.0
                    })
                    .count();
                Some(100.0 * twice as f64 / judged.len() as f64)
            }
            // Satisfaction and mentor effectiveness ("my mentor helps me grow") answers together.
            Metric::SurveySatisfaction => {
                let values: Vec<f64> = self
                    .ix
                    .answers(&self.scope)
                    .filter(|a| matches!(a.kind, MeasureKind::Effectiveness | MeasureKind::Satisfaction))
                    .map(|a| f64::from(a.value))
                    .collect();
                suppress::total_shown(values.len() as u32, k)
                    .then(|| stats::mean_ci(&values))
                    .flatten()
                    .map(|e| e.value)
            }
            Metric::MeanSkillGrowth => {
                let changes: Vec<i64> = self
                    .ds
                    .growth
                    .iter()
                    .filter(|g| self.scope.cohorts.contains(&g.cohort))
                    .flat_map(|g| g.changes.iter().copied())
                    .collect();
                (!changes.is_empty()).then(|| changes.iter().sum::<i64>() as f64 / changes.len() as f64)
            }
        }
    }

    /// A survey figure over the scope's cohorts (answers carry no department: a department or
    /// level scope has none). Hidden under `k` answers.
    pub fn measure(&self, kind: MeasureKind, k: u32) -> MeasureRow {
        let values: Vec<u8> = if self.scope.department.is_some() || self.scope.level.is_some() {
            Vec::new()
        } else {
            self.ix.answer_values(kind, &self.scope.cohorts)
        };
        measure_row(kind, &values, k)
    }

    /// Mean skill growth as a figure (hidden for fewer than `k` figures).
    pub fn growth_row(&self, k: u32) -> MeasureRow {
        let changes: Vec<f64> = self
            .ds
            .growth
            .iter()
            .filter(|g| self.scope.cohorts.contains(&g.cohort) && self.scope.department.is_none())
            .flat_map(|g| g.changes.iter().map(|c| *c as f64))
            .collect();
        let n = changes.len() as u32;
        let label = "Skill growth, post − pre (points)".to_string();
        if n == 0 {
            return MeasureRow { label, n, value: None, hidden: Some("no pre and post ratings yet".into()) };
        }
        if !suppress::total_shown(n, k) {
            return MeasureRow { label, n: 0, value: None, hidden: Some(Hidden::TooFew.reason(k)) };
        }
        MeasureRow { label, n, value: stats::mean_ci(&changes), hidden: None }
    }
}

/// Per-person and per-pair figures of a view, for comparing cohorts (retrospectives): counts for
/// the rates and one value per mentee or pair for the means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitFigures {
    /// Mentees matched (a person once per cohort).
    pub mentees: u32,
    /// Eligible applicants, and every matched mentee (a pair made without an application counts).
    pub eligible: u32,
    /// Mentees with a meeting held.
    pub mentees_met: u32,
    /// Pairs.
    pub pairs: u32,
    /// Pairs active as of the cohort's end (or today, while it runs).
    pub pairs_active: u32,
    /// Pairs ended early.
    pub pairs_ended: u32,
    /// Mentees with an award.
    pub mentees_awarded: u32,
    /// Goals completed, one value per mentee.
    pub goals_per_mentee: Vec<f64>,
    /// Milestones set.
    pub milestones: u32,
    /// Milestones ticked.
    pub milestones_done: u32,
    /// Meetings per month, one value per pair that ran half a month or more.
    pub meetings_per_month: Vec<f64>,
    /// Workshop seats taken.
    pub seats: u32,
    /// Workshop seats attended.
    pub attended: u32,
}

impl View<'_> {
    /// The view's [`UnitFigures`].
    pub fn unit_figures(&self) -> UnitFigures {
        let mentees = self.mentees();
        let mut eligible: BTreeSet<(&str, &str)> = self
            .scope
            .cohorts
            .iter()
            .filter_map(|c| self.ix.applications_of.get(c.as_str()))
            .flatten()
            .filter(|a| a.eligible && self.person_in(&a.person))
            .map(|a| (a.cohort.as_str(), a.person.as_str()))
            .collect();
        eligible.extend(mentees.iter().copied());
        let mut f = UnitFigures {
            mentees: mentees.len() as u32,
            eligible: eligible.len() as u32,
            pairs: self.pairs.len() as u32,
            ..UnitFigures::default()
        };
        let (mut met, mut awarded) = (BTreeSet::new(), BTreeSet::new());
        let mut goals: BTreeMap<(&str, &str), u32> = mentees.iter().map(|m| (*m, 0)).collect();
        for p in &self.pairs {
            let of = self.of(&p.id);
            let key = (p.cohort.as_str(), p.mentee.as_str());
            if !of.meetings.is_empty() {
                met.insert(key);
            }
            if !of.awards.is_empty() {
                awarded.insert(key);
            }
            *goals.entry(key).or_default() += of.goals.iter().filter(|g| g.completed.is_some()).count() as u32;
            f.milestones += of.goals.iter().map(|g| g.milestones.len() as u32).sum::<u32>();
            f.milestones_done += of.goals.iter().flat_map(|g| &g.milestones).filter(|m| m.is_some()).count() as u32;
            f.seats += of.seats.len() as u32;
            f.attended += of.seats.iter().filter(|s| s.attended).count() as u32;
            f.pairs_active += u32::from(self.active(p));
            f.pairs_ended += u32::from(p.ended.is_some());
            let months = self.pair_months(p);
            if months >= 0.5 {
                f.meetings_per_month.push(of.meetings.len() as f64 / months);
            }
        }
        f.mentees_met = met.len() as u32;
        f.mentees_awarded = awarded.len() as u32;
        f.goals_per_mentee = goals.values().map(|n| f64::from(*n)).collect();
        f
    }
}

/// A group's mentees, active share (%), meetings per pair per month and goals completed per mentee.
type GroupFigures = (u32, Option<f64>, Option<f64>, Option<f64>);

/// Activity by calendar month from meetings (day, minutes), check-ins, milestones ticked and goals
/// completed (days): every month from the first to the last with any, in order, a month without
/// activity a zero rather than a gap.
pub fn month_rows(meetings: &[(i64, i64)], checkins: &[i64], milestones: &[i64], completed: &[i64]) -> Vec<MonthRow> {
    let month_of = |day: i64| date_of_day(day)[..7].to_string();
    let empty =
        |month: String| MonthRow { month, meetings: 0, hours: 0.0, checkins: 0, milestones: 0, goals_completed: 0 };
    let mut by: BTreeMap<String, MonthRow> = BTreeMap::new();
    for (day, minutes) in meetings {
        let r = by.entry(month_of(*day)).or_insert_with(|| empty(month_of(*day)));
        r.meetings += 1;
        r.hours += *minutes as f64 / 60.0;
    }
    for d in checkins {
        by.entry(month_of(*d)).or_insert_with(|| empty(month_of(*d))).checkins += 1;
    }
    for d in milestones {
        by.entry(month_of(*d)).or_insert_with(|| empty(month_of(*d))).milestones += 1;
    }
    for d in completed {
        by.entry(month_of(*d)).or_insert_with(|| empty(month_of(*d))).goals_completed += 1;
    }
    let (Some(first), Some(last)) = (by.keys().next().cloned(), by.keys().next_back().cloned()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = (first[..4].parse::<i32>().unwrap_or(2000), first[5..7].parse::<u32>().unwrap_or(1));
    loop {
        let key = format!("{y:04}-{m:02}");
        let mut row = by.remove(&key).unwrap_or_else(|| empty(key.clone()));
        row.hours = (row.hours * 10.0).round() / 10.0;
        out.push(row);
        if key >= last || out.len() > 1200 {
            break;
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// A survey figure from its answers: a mean with its interval, or NPS; hidden under `k`.
pub fn measure_row(kind: MeasureKind, values: &[u8], k: u32) -> MeasureRow {
    let label = kind.label().to_string();
    let n = values.len() as u32;
    if n == 0 {
        return MeasureRow { label, n, value: None, hidden: Some("no answers yet".into()) };
    }
    if !suppress::total_shown(n, k) {
        return MeasureRow { label, n: 0, value: None, hidden: Some(Hidden::TooFew.reason(k)) };
    }
    let value: Option<Estimate> = match kind {
        MeasureKind::Nps => stats::nps(values).map(|n| n.score),
        _ => stats::mean_ci(&values.iter().map(|v| f64::from(*v)).collect::<Vec<_>>()),
    };
    MeasureRow { label, n, value, hidden: None }
}

/// A breakdown of `scope` into groups (`(key, label, scope of the group)`), each with at least
/// `k` mentees or hidden, with complementary suppression so that no hidden group can be worked
/// out from the total. Empty groups are left out.
pub fn groups(ix: &Index, parts: Vec<(String, String, Scope)>, k: u32) -> Vec<GroupRow> {
    let figures: Vec<(String, String, GroupFigures)> =
        parts.into_iter().map(|(key, label, s)| (key, label, ix.view(s).group_figures())).collect();
    let figures: Vec<_> = figures.into_iter().filter(|(_, _, f)| f.0 > 0).collect();
    let counts: Vec<u32> = figures.iter().map(|(_, _, f)| f.0).collect();
    let hidden = suppress::suppress(&counts, k);
    figures
        .into_iter()
        .zip(hidden)
        .map(|((key, label, (n, active, meetings, goals)), h)| match h {
            Some(h) => GroupRow {
                key,
                label,
                mentees: 0,
                hidden: Some(h.reason(k).replace("answers", "mentees")),
                active_pct: None,
                meetings_per_pair_month: None,
                goals_per_mentee: None,
            },
            None => GroupRow {
                key,
                label,
                mentees: n,
                hidden: None,
                active_pct: active,
                meetings_per_pair_month: meetings,
                goals_per_mentee: goals,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const D0: i64 = 20_000; // 2024-10-04

    fn cohort(id: &str, starts: i64, ends: i64) -> CohortFacts {
        CohortFacts {
            id: id.into(),
            name: format!("Cohort {id}"),
            program: "p".into(),
            program_name: "Program".into(),
            approach: "Coaching".into(),
            starts,
            ends,
            closed: false,
            inactive_days: 21,
        }
    }

    fn person(id: &str, dept: &str, level: i64) -> PersonFacts {
        PersonFacts { id: id.into(), department: dept.into(), level: Some(level), ..PersonFacts::default() }
    }

    fn pair(id: &str, cohort: &str, mentee: &str, mentor: &str, starts: i64) -> PairFacts {
        PairFacts {
            id: id.into(),
            cohort: cohort.into(),
            mentee: mentee.into(),
            mentor: mentor.into(),
            mentee_name: mentee.to_uppercase(),
            mentor_name: mentor.to_uppercase(),
            starts,
            ended: None,
        }
    }

    fn meeting(pair: &str, day: i64) -> MeetingFacts {
        MeetingFacts { pair: pair.into(), day, minutes: 45 }
    }

    fn dated(pair: &str, day: i64) -> Dated {
        Dated { pair: pair.into(), day }
    }

    fn goal(pair: &str, completed: Option<i64>, milestones: Vec<Option<i64>>) -> GoalFacts {
        GoalFacts { pair: pair.into(), sent: Some(D0), approved: Some(D0 + 1), completed, milestones }
    }

    /// Cohort a: 120 days from D0, today = D0 + 61 (two months in). Four mentees applied (one
    /// ineligible), three approved and matched; p1 meets 5 times and completes two goals; p2
    /// met once at the start and went quiet; p3 ended on day 30.
    fn dataset() -> Dataset {
        let mut ds = Dataset { today: D0 + 61, ..Dataset::default() };
        ds.cohorts.push(cohort("a", D0, D0 + 120));
        ds.people = vec![
            person("ann", "Sales", 3),
            person("bob", "Sales", 4),
            person("cat", "Ops", 3),
            person("dan", "Ops", 5),
            person("m1", "Ops", 7),
            person("m2", "Sales", 8),
        ];
        for (who, eligible, approved) in
            [("ann", true, true), ("bob", true, true), ("cat", true, true), ("dan", false, false)]
        {
            ds.applications.push(ApplicationFacts { cohort: "a".into(), person: who.into(), eligible, approved });
        }
        ds.pairs.push(pair("p1", "a", "ann", "m1", D0));
        ds.pairs.push(pair("p2", "a", "bob", "m1", D0));
        let mut p3 = pair("p3", "a", "cat", "m2", D0);
        p3.ended = Some(D0 + 30);
        ds.pairs.push(p3);
        for d in [1, 12, 25, 40, 55] {
            ds.meetings.push(meeting("p1", D0 + d));
        }
        ds.meetings.push(meeting("p2", D0 + 2));
        ds.checkins.push(dated("p1", D0 + 20));
        ds.checkins.push(dated("p1", D0 + 50));
        ds.checkins.push(dated("p2", D0 + 10));
        ds.goals.push(goal("p1", Some(D0 + 45), vec![Some(D0 + 20), Some(D0 + 44)]));
        ds.goals.push(goal("p1", Some(D0 + 58), vec![None]));
        ds.goals.push(goal("p2", None, vec![None, None]));
        ds.goals.push(GoalFacts { pair: "p3".into(), sent: None, approved: None, completed: None, milestones: vec![] });
        ds.seats.push(SeatFacts { pair: "p1".into(), going: true, attended: true, signed_off: true });
        ds.seats.push(SeatFacts { pair: "p2".into(), going: true, attended: false, signed_off: false });
        ds.awards.push(dated("p1", D0 + 59));
        ds
    }

    #[test]
    fn funnel_counts_mentees_at_each_step() {
        let ds = dataset();
        let ix = Index::new(&ds);
        let v = ix.view(Scope::all(&ds));
        let f: Vec<(String, u32)> = v.funnel().into_iter().map(|s| (s.label, s.count)).collect();
        let expected = [
            ("Applied", 4),
            ("Eligible", 3),
            ("Approved", 3),
            ("Matched", 3),
            ("First meeting", 2),
            // p1 met on day 55 (6 days ago); p2 last on day 10 (51 days ago, limit 21); p3 ended.
            ("Active lately", 1),
            ("Completed", 0),
        ];
        assert_eq!(f, expected.map(|(l, n)| (l.to_string(), n)).to_vec());
        // Once the cohort is over, the two pairs that ran to the end completed.
        let mut over = ds.clone();
        over.today = D0 + 200;
        let f = Index::new(&over).view(Scope::all(&over)).funnel();
        assert_eq!((f[5].count, f[6].count), (0, 2));
    }

    #[test]
    fn totals_and_rates_per_pair_month() {
        let ds = dataset();
        let t = Index::new(&ds).view(Scope::all(&ds)).totals();
        assert_eq!((t.mentees, t.mentors, t.pairs, t.running_pairs, t.ended_pairs, t.quiet_pairs), (3, 2, 3, 2, 1, 1));
        // Once the cohort is over nothing runs, and nothing is quiet.
        let mut over = ds.clone();
        over.today = D0 + 200;
        let t2 = Index::new(&over).view(Scope::all(&over)).totals();
        assert_eq!((t2.pairs, t2.running_pairs, t2.quiet_pairs), (3, 0, 0));
        assert_eq!((t.goals_created, t.goals_sent, t.goals_approved, t.goals_completed), (4, 3, 3, 2));
        assert_eq!((t.milestones, t.milestones_done), (5, 2));
        assert_eq!((t.meetings, t.checkins, t.awards), (6, 3, 1));
        assert!((t.hours - 4.5).abs() < 1e-9);
        assert_eq!((t.workshop_seats, t.workshop_going, t.workshop_attended, t.reflections_signed_off), (2, 2, 1, 1));
        // Pair-months: p1 and p2 61 days each, p3 30 days → 152 / 30.4375.
        let months = 152.0 / MONTH_DAYS;
        assert!((t.meetings_per_pair_month.unwrap() - 6.0 / months).abs() < 1e-9);
        assert!((t.checkins_per_pair_month.unwrap() - 3.0 / months).abs() < 1e-9);
        // A date range narrows the activity, not the pairs.
        let mut s = Scope::all(&ds);
        s.from = Some(D0 + 20);
        s.to = Some(D0 + 45);
        let t = Index::new(&ds).view(s).totals();
        assert_eq!((t.meetings, t.checkins, t.goals_completed, t.milestones_done, t.mentees), (2, 1, 1, 2, 3));
    }

    #[test]
    fn unit_figures_count_people_and_pairs() {
        let ds = dataset();
        let f = Index::new(&ds).view(Scope::all(&ds)).unit_figures();
        // ann, bob, cat matched (all eligible; dan was not); ann and bob met; p1 is active, p3 ended.
        assert_eq!((f.mentees, f.eligible, f.mentees_met, f.pairs, f.pairs_active, f.pairs_ended), (3, 3, 2, 3, 1, 1));
        assert_eq!((f.mentees_awarded, f.milestones, f.milestones_done, f.seats, f.attended), (1, 5, 2, 2, 1));
        // Goals completed per mentee: ann 2, bob 0, cat 0 (by mentee key order).
        assert_eq!(f.goals_per_mentee, [2.0, 0.0, 0.0]);
        // p1 5 meetings and p2 1 over 61 days each; p3 0 over 30 days.
        let per = |n: f64, days: f64| n / (days / MONTH_DAYS);
        assert_eq!(f.meetings_per_month, [per(5.0, 61.0), per(1.0, 61.0), per(0.0, 30.0)]);
    }

    #[test]
    fn months_have_no_gaps() {
        let mut ds = dataset();
        ds.meetings.push(meeting("p1", D0 + 100)); // two months after the rest
        let m = Index::new(&ds).view(Scope::all(&ds)).months();
        let keys: Vec<&str> = m.iter().map(|r| r.month.as_str()).collect();
        assert_eq!(keys, ["2024-10", "2024-11", "2024-12", "2025-01"]);
        // October: meetings on days 1, 2, 12, 25 (Oct 5, 6, 16, 29); check-ins days 10 and 20.
        assert_eq!((m[0].meetings, m[0].checkins, m[0].milestones), (4, 2, 1));
        assert!((m[0].hours - 3.0).abs() < 1e-9);
        // November: meetings on Nov 13 and 28, a goal completed Nov 18, a milestone Nov 17.
        assert_eq!((m[1].meetings, m[1].goals_completed, m[1].milestones), (2, 1, 1));
        // December: only the second goal (Dec 1); no meeting is a zero, not a gap.
        assert_eq!((m[2].meetings, m[2].checkins, m[2].goals_completed), (0, 0, 1));
        assert_eq!(m[3].meetings, 1);
    }

    #[test]
    fn objective_metrics() {
        let ds = dataset();
        let ix = Index::new(&ds);
        let v = ix.view(Scope::all(&ds));
        // ann completed two goals; bob none; cat none → 1 of 3.
        assert!((v.objective_value(Metric::MenteesCompletingTwoGoals, 5).unwrap() - 100.0 / 3.0).abs() < 1e-9);
        // Judged: p1 and p2 (61 days), p3 (30 days). p1: 5 meetings / 2.0 months ≥ 2; others not.
        assert!((v.objective_value(Metric::PairsMeetingTwiceMonthly, 5).unwrap() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(v.objective_value(Metric::SurveySatisfaction, 5), None, "no answers");
        assert_eq!(v.objective_value(Metric::MeanSkillGrowth, 5), None);
        let mut ds = ds;
        for value in [4, 5, 5] {
            ds.answers.push(AnswerFacts { cohort: "a".into(), kind: MeasureKind::Effectiveness, value });
        }
        ds.answers.push(AnswerFacts { cohort: "a".into(), kind: MeasureKind::Satisfaction, value: 3 });
        // NPS answers are not satisfaction.
        ds.answers.push(AnswerFacts { cohort: "a".into(), kind: MeasureKind::Nps, value: 0 });
        ds.growth.push(GrowthFacts { cohort: "a".into(), changes: vec![1, 2, 0, 1] });
        let ix = Index::new(&ds);
        let v = ix.view(Scope::all(&ds));
        assert_eq!(v.objective_value(Metric::SurveySatisfaction, 5), None, "4 answers < k = 5");
        assert_eq!(v.objective_value(Metric::SurveySatisfaction, 4), Some(4.25));
        assert_eq!(v.objective_value(Metric::MeanSkillGrowth, 5), Some(1.0));
        assert_eq!(v.measure(MeasureKind::Effectiveness, 3).n, 3);
        assert_eq!(v.measure(MeasureKind::Effectiveness, 4).hidden.as_deref(), Some("fewer than 4 answers"));
        assert_eq!(v.measure(MeasureKind::Effectiveness, 4).n, 0);
        assert_eq!(v.growth_row(5).hidden.as_deref(), Some("fewer than 5 answers"));
        assert!((v.growth_row(4).value.unwrap().value - 1.0).abs() < 1e-9);
    }

    #[test]
    fn breakdowns_hide_small_groups_and_their_complement() {
        let ds = dataset();
        let by_dept = |k| {
            groups(
                &Index::new(&ds),
                ["Sales", "Ops", "Legal"]
                    .iter()
                    .map(|d| {
                        let mut s = Scope::all(&ds);
                        s.department = Some(d.to_string());
                        (d.to_string(), d.to_string(), s)
                    })
                    .collect(),
                k,
            )
        };
        // Sales: ann, bob (2); Ops: cat (1); Legal: nobody (left out).
        let g = by_dept(1);
        assert_eq!(g.len(), 2);
        assert_eq!((g[0].label.as_str(), g[0].mentees, g[0].hidden.is_none()), ("Sales", 2, true));
        // ann active, bob quiet → 50 %; 2 goals completed over 2 mentees → 1 per mentee.
        assert_eq!((g[0].active_pct, g[0].goals_per_mentee), (Some(50.0), Some(1.0)));
        assert_eq!((g[1].label.as_str(), g[1].mentees, g[1].active_pct), ("Ops", 1, Some(0.0)));
        // k = 2: Ops (1) is too small; Sales is hidden too, or Ops = total − Sales.
        let g = by_dept(2);
        assert_eq!(g[1].hidden.as_deref(), Some("fewer than 2 mentees"));
        assert_eq!(
            g[0].hidden.as_deref(),
            Some("hidden so that a group of fewer than 2 cannot be worked out from the total")
        );
        assert!(g.iter().all(|r| r.mentees == 0 && r.active_pct.is_none()));
        // A department scope narrows everything to its mentees.
        let mut s = Scope::all(&ds);
        s.department = Some("Ops".into());
        let t = Index::new(&ds).view(s).totals();
        assert_eq!((t.mentees, t.meetings, t.running_pairs, t.ended_pairs), (1, 0, 0, 1));
    }

    #[test]
    fn pair_rows_and_nps() {
        let ds = dataset();
        let rows = Index::new(&ds).view(Scope::cohort("a")).pair_rows();
        let got: Vec<(&str, &str, u32, u32, u32)> = rows
            .iter()
            .map(|r| (r.mentee.as_str(), r.state.as_str(), r.meetings, r.checkins, r.goals_completed))
            .collect();
        assert_eq!(got, [("ANN", "Running", 5, 2, 2), ("BOB", "Quiet", 1, 1, 0), ("CAT", "Ended", 0, 0, 0)]);
        assert_eq!(rows[0].last_activity, date_of_day(D0 + 55));
        let nps = measure_row(MeasureKind::Nps, &[10, 9, 9, 7, 3], 5);
        assert!((nps.value.unwrap().value - 40.0).abs() < 1e-9);
    }
}
