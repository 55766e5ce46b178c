//! Comparing cohorts honestly: every figure with its 95 % interval, every difference with its
//! interval and (for means) a standardised effect size, in plain words, with warnings where the
//! numbers are small or many comparisons are shown at once.
//!
//! Pure: takes the metrics' [`Dataset`] (the same facts the dashboards use, so the figures agree)
//! and each cohort's strategy tags, so a unit test can compare it on hand-made data.
//!
//! Cohort by cohort the unit is the person (mentee, pair or answer, as each outcome says). Grouped
//! by a strategy tag the unit is the cohort: people in one cohort share timing, mentors and
//! workshops, so a side's figure is the mean of its cohorts' figures and its interval has the
//! number of cohorts behind it, not the number of people.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::metrics::define::{Dataset, Index, MeasureKind, Scope, UnitFigures};
use crate::domain::retro::types::{
    shown, Cell, CompareInput, Comparison, Difference, Outcome, OutcomeRow, Side, StrategyTag, MAX_COHORTS,
};
use crate::engine::stats::{self, Estimate};
use crate::engine::suppress::Hidden;
use crate::error::AppError;

/// Fewer people (or answers) than this behind a side earns a warning.
pub const FEW_PEOPLE: u32 = 10;
/// Grouped by tag, fewer cohorts than this behind a side earns a warning.
pub const FEW_COHORTS: u32 = 3;

/// A cohort's strategy tags, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CohortTags {
    /// Mentors' approach.
    pub approach: String,
    /// Matching mode.
    pub matching_mode: String,
    /// Meeting cadence.
    pub meeting_cadence: String,
    /// Workshop format.
    pub workshop_format: String,
}

impl CohortTags {
    /// The stored value of `tag`.
    pub fn get(&self, tag: StrategyTag) -> &str {
        match tag {
            StrategyTag::Approach => &self.approach,
            StrategyTag::MatchingMode => &self.matching_mode,
            StrategyTag::MeetingCadence => &self.meeting_cadence,
            StrategyTag::WorkshopFormat => &self.workshop_format,
        }
    }

    /// Every tag in words: "Coaching · Optimal (auto-match) · Every two weeks · Remote".
    pub fn words(&self) -> String {
        StrategyTag::ALL
            .iter()
            .map(|t| self.get(*t))
            .zip(StrategyTag::ALL)
            .filter(|(v, _)| !v.is_empty())
            .map(|(v, t)| t.value_label(v))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// What one side's (or one cohort's) outcomes come from.
struct Figures {
    units: UnitFigures,
    effectiveness: Vec<u8>,
    satisfaction: Vec<u8>,
    nps: Vec<u8>,
    growth: Vec<f64>,
}

fn figures(ix: &Index, ds: &Dataset, cohorts: &BTreeSet<String>) -> Figures {
    let units = ix.view(Scope { cohorts: cohorts.clone(), ..Scope::default() }).unit_figures();
    Figures {
        units,
        effectiveness: ix.answer_values(MeasureKind::Effectiveness, cohorts),
        satisfaction: ix.answer_values(MeasureKind::Satisfaction, cohorts),
        nps: ix.answer_values(MeasureKind::Nps, cohorts),
        growth: ds
            .growth
            .iter()
            .filter(|g| cohorts.contains(&g.cohort))
            .flat_map(|g| g.changes.iter().map(|c| *c as f64))
            .collect(),
    }
}

/// An outcome's data on one side: a count of a total, values to average, or NPS answers.
enum Sample {
    Rate(u32, u32),
    Values(Vec<f64>),
    Nps(Vec<u8>),
}

impl Sample {
    fn of(o: Outcome, f: &Figures) -> Sample {
        let u = &f.units;
        let scale = |v: &[u8]| Sample::Values(v.iter().map(|x| f64::from(*x)).collect());
        match o {
            Outcome::MatchRate => Sample::Rate(u.mentees, u.eligible),
            Outcome::FirstMeeting => Sample::Rate(u.mentees_met, u.mentees),
            Outcome::ActivePairs => Sample::Rate(u.pairs_active, u.pairs),
            Outcome::GoalsPerMentee => Sample::Values(u.goals_per_mentee.clone()),
            Outcome::Milestones => Sample::Rate(u.milestones_done, u.milestones),
            Outcome::MeetingsPerMonth => Sample::Values(u.meetings_per_month.clone()),
            Outcome::Workshops => Sample::Rate(u.attended, u.seats),
            Outcome::Awards => Sample::Rate(u.mentees_awarded, u.mentees),
            Outcome::Effectiveness => scale(&f.effectiveness),
            Outcome::Satisfaction => scale(&f.satisfaction),
            Outcome::Nps => Sample::Nps(f.nps.clone()),
            Outcome::SkillGrowth => Sample::Values(f.growth.clone()),
            Outcome::DropOuts => Sample::Rate(u.pairs_ended, u.pairs),
        }
    }

    /// People, pairs, ratings or answers behind it.
    fn n(&self) -> u32 {
        match self {
            Sample::Rate(_, n) => *n,
            Sample::Values(v) => v.len() as u32,
            Sample::Nps(v) => v.len() as u32,
        }
    }

    /// The figure with its interval (rates in %).
    fn estimate(&self) -> Option<Estimate> {
        match self {
            Sample::Rate(x, n) => stats::proportion_ci(*x, *n).map(percent),
            Sample::Values(v) => stats::mean_ci(v),
            Sample::Nps(v) => stats::nps(v).map(|n| n.score),
        }
    }

    /// This − `other`, with Hedges' g for means.
    fn minus(&self, other: &Sample) -> (Option<Estimate>, Option<Estimate>) {
        match (self, other) {
            (Sample::Rate(x1, n1), Sample::Rate(x2, n2)) => {
                (stats::diff_proportions(*x1, *n1, *x2, *n2).map(percent), None)
            }
            (Sample::Values(a), Sample::Values(b)) => (stats::diff_means(a, b), stats::hedges_g(a, b)),
            (Sample::Nps(a), Sample::Nps(b)) => (stats::diff_nps(a, b), None),
            _ => (None, None),
        }
    }
}

fn percent(e: Estimate) -> Estimate {
    Estimate { n: e.n, value: 100.0 * e.value, low: 100.0 * e.low, high: 100.0 * e.high }
}

/// What `n` counts for an outcome.
fn unit_of(o: Outcome) -> &'static str {
    match o {
        Outcome::MatchRate => "eligible applicants",
        Outcome::FirstMeeting | Outcome::Awards | Outcome::GoalsPerMentee => "mentees",
        Outcome::ActivePairs | Outcome::DropOuts | Outcome::MeetingsPerMonth => "pairs",
        Outcome::Milestones => "milestones",
        Outcome::Workshops => "seats",
        Outcome::Effectiveness | Outcome::Satisfaction | Outcome::Nps => "answers",
        Outcome::SkillGrowth => "ratings",
    }
}

/// A side: its key, its label, and its cohorts.
type SideCohorts = (String, String, BTreeSet<String>);

/// Checks what is asked; the sides as cohort keys, with their keys and labels.
fn sides(
    ds: &Dataset,
    ix: &Index,
    tags: &BTreeMap<String, CohortTags>,
    input: &CompareInput,
    k: u32,
    admin: bool,
) -> Result<(Option<StrategyTag>, Vec<SideCohorts>), AppError> {
    let picked: Vec<&str> = input.cohorts.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    let by = match input.by.trim() {
        "" => None,
        t => Some(StrategyTag::parse(t).ok_or_else(|| AppError::field("by", "Choose one of the strategy tags."))?),
    };
    if picked.len() < 2 {
        return Err(AppError::field("cohorts", "Choose at least two cohorts to compare."));
    }
    if picked.len() > MAX_COHORTS {
        return Err(AppError::field("cohorts", format!("Compare at most {MAX_COHORTS} cohorts at once.")));
    }
    let mut seen = BTreeSet::new();
    for id in &picked {
        let Some(c) = ds.cohorts.iter().find(|c| c.id == *id) else {
            return Err(AppError::field("cohorts", format!("No such cohort: {id}. Choose from the list.")));
        };
        if !seen.insert(*id) {
            return Err(AppError::field("cohorts", format!("{} is chosen twice; choose each cohort once.", c.name)));
        }
        if !admin {
            let n = ix.view(Scope::cohort(id)).mentees().len() as u32;
            if n < k {
                return Err(AppError::field(
                    "cohorts",
                    format!(
                        "{} has fewer than {k} matched mentees ({n}); leadership views show groups of {k} or more so that no one can be singled out.",
                        c.name
                    ),
                ));
            }
        }
    }
    let name = |id: &str| ds.cohorts.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default();
    let Some(tag) = by else {
        return Ok((
            None,
            picked.iter().map(|id| (id.to_string(), name(id), BTreeSet::from([id.to_string()]))).collect(),
        ));
    };
    // Grouped by the tag's value, in the order the values first appear among the picks.
    let mut groups: Vec<SideCohorts> = Vec::new();
    for id in &picked {
        let value = tags.get(*id).map(|t| t.get(tag).to_string()).unwrap_or_default();
        let value = if value.is_empty() { "unset".to_string() } else { value };
        match groups.iter_mut().find(|g| g.0 == value) {
            Some(g) => {
                g.2.insert(id.to_string());
            }
            None => {
                let label = if value == "unset" { "Not set".to_string() } else { tag.value_label(&value) };
                groups.push((value, label, BTreeSet::from([id.to_string()])));
            }
        }
    }
    if groups.len() < 2 {
        return Err(AppError::field(
            "by",
            format!(
                "All chosen cohorts used the same {} ({}); choose cohorts that differ, or compare cohort by cohort.",
                tag.label().to_lowercase(),
                groups[0].1
            ),
        ));
    }
    Ok((Some(tag), groups))
}

/// The comparison of `input`'s cohorts. `k` applies to survey answers (for everyone) and, for
/// leadership (`!admin`), to each cohort's matched mentees.
pub fn compare(
    ds: &Dataset,
    tags: &BTreeMap<String, CohortTags>,
    input: &CompareInput,
    k: u32,
    admin: bool,
) -> Result<Comparison, AppError> {
    let ix = Index::new(ds);
    let (by, groups) = sides(ds, &ix, tags, input, k, admin)?;
    let side_figures: Vec<Figures> = groups.iter().map(|(_, _, cs)| figures(&ix, ds, cs)).collect();
    // Grouped by tag: each cohort's own figures, for the cohort-level analysis.
    let cohort_figures: Vec<Vec<Figures>> = if by.is_some() {
        groups
            .iter()
            .map(|(_, _, cs)| cs.iter().map(|c| figures(&ix, ds, &BTreeSet::from([c.clone()]))).collect())
            .collect()
    } else {
        Vec::new()
    };
    let cohort_name = |id: &str| ds.cohorts.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default();
    let sides: Vec<Side> = groups
        .iter()
        .zip(&side_figures)
        .map(|((key, label, cs), f)| Side {
            key: key.clone(),
            label: label.clone(),
            cohorts: cs.len() as u32,
            mentees: f.units.mentees,
            detail: match by {
                Some(_) => cs.iter().map(|c| cohort_name(c)).collect::<Vec<_>>().join(", "),
                None => tags.get(key).map(CohortTags::words).unwrap_or_default(),
            },
        })
        .collect();

    let hidden_answers = |n: u32| match n {
        0 => Some("no answers yet".to_string()),
        n if n < k => Some(Hidden::TooFew.reason(k)),
        _ => None,
    };
    let mut rows = Vec::new();
    let mut differences = Vec::new();
    for o in Outcome::ALL.iter().copied() {
        // Per side: the figure, and what the difference is computed from.
        let mut cells = Vec::new();
        let mut points: Vec<Vec<f64>> = Vec::new();
        let mut samples: Vec<Sample> = Vec::new();
        for (i, f) in side_figures.iter().enumerate() {
            let sample = Sample::of(o, f);
            let hidden = if o.from_answers() { hidden_answers(sample.n()) } else { None };
            let cell = match (by, &hidden) {
                (_, Some(h)) => Cell { value: None, n: 0, unit: unit_of(o).into(), hidden: Some(h.clone()) },
                (Some(_), None) => {
                    // One value per cohort (a cohort's survey figure only from k answers or more).
                    let values: Vec<f64> = cohort_figures[i]
                        .iter()
                        .map(|cf| Sample::of(o, cf))
                        .filter(|s| !o.from_answers() || s.n() >= k)
                        .filter_map(|s| s.estimate().map(|e| e.value))
                        .filter(|v| v.is_finite())
                        .collect();
                    let cell = Cell {
                        value: stats::mean_ci(&values),
                        n: values.len() as u32,
                        unit: "cohorts".into(),
                        hidden: values.is_empty().then(|| "no figure yet".to_string()),
                    };
                    points.push(values);
                    cell
                }
                (None, None) => {
                    let value = sample.estimate();
                    Cell {
                        hidden: value.is_none().then(|| "no figure yet".to_string()),
                        value,
                        n: sample.n(),
                        unit: unit_of(o).into(),
                    }
                }
            };
            if by.is_none() || hidden.is_some() {
                points.push(Vec::new());
            }
            cells.push(cell);
            samples.push(sample);
        }
        for side in 1..sides.len() {
            let (a, b) = (&cells[side], &cells[0]);
            let (diff, effect) = if a.hidden.is_some() || b.hidden.is_some() {
                (None, None)
            } else if by.is_some() {
                (stats::diff_means(&points[side], &points[0]), stats::hedges_g(&points[side], &points[0]))
            } else {
                samples[side].minus(&samples[0])
            };
            let diff = diff.filter(|d| d.value.is_finite());
            let clear = diff.is_some_and(|d| d.has_interval() && (d.low > 0.0 || d.high < 0.0));
            let mut warnings = Vec::new();
            if let (Some(_), Some(_)) = (a.value, b.value) {
                for (s, c) in [(side, a), (0, b)] {
                    if by.is_some() {
                        if (sides[s].cohorts) < FEW_COHORTS {
                            warnings.push(format!(
                                "Only {} behind {}: with the cohort as the unit, this says little.",
                                plural(sides[s].cohorts, "cohort"),
                                sides[s].label
                            ));
                        }
                    } else if c.n < FEW_PEOPLE {
                        warnings.push(format!(
                            "Fewer than {FEW_PEOPLE} behind {} ({} {}): one more could move this a lot.",
                            sides[s].label, c.n, c.unit
                        ));
                    }
                }
                if let (Some(x), Some(y)) = (a.value, b.value) {
                    if stats::overlap_widely(&x, &y) {
                        warnings.push("The two intervals overlap widely.".into());
                    }
                }
            }
            let sentence = sentence(o, &sides[side].label, &sides[0].label, a, b, diff.as_ref(), clear);
            differences.push(Difference {
                outcome: o,
                label: o.label().into(),
                side,
                against: 0,
                diff,
                effect,
                clear,
                sentence,
                warnings,
            });
        }
        rows.push(OutcomeRow { outcome: o, label: o.label().into(), cells });
    }

    let with_interval = differences.iter().filter(|d| d.diff.is_some_and(|e| e.has_interval())).count();
    let clear = differences.iter().filter(|d| d.clear).count();
    let (expected, at_least_one) = stats::chance_findings(with_interval);
    let multiple = format!(
        "{with_interval} differences with an interval are shown. If nothing really differed, about {expected:.1} would still look clear by chance ({:.0} % chance of at least one); {clear} look clear here. Read a single clear difference among many with caution.",
        100.0 * at_least_one
    );
    let mut warnings = Vec::new();
    match by {
        Some(tag) => {
            let few: Vec<&Side> = sides.iter().filter(|s| s.cohorts < FEW_COHORTS).collect();
            if !few.is_empty() {
                warnings.push(format!(
                    "Fewer than {FEW_COHORTS} cohorts used {}: with so few cohorts a difference may be the cohorts', not the {}'s.",
                    few.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(" and "),
                    tag.label().to_lowercase()
                ));
            }
        }
        None => {
            let few: Vec<String> = sides
                .iter()
                .filter(|s| s.mentees < FEW_PEOPLE)
                .map(|s| format!("{} ({})", s.label, plural(s.mentees, "mentee")))
                .collect();
            if !few.is_empty() {
                warnings.push(format!(
                    "Fewer than {FEW_PEOPLE} mentees in {}: its figures can move a lot with one person.",
                    few.join(", ")
                ));
            }
        }
    }
    let unit_note = match by {
        Some(tag) => format!(
            "Grouped by {}: the cohort is the unit — each cohort counts once, whatever its size, because people are clustered in cohorts (they share timing, mentors and workshops). A side's figure is the mean of its cohorts' figures, and its interval rests on the number of cohorts.",
            tag.label().to_lowercase()
        ),
        None => "Unit: people (mentees, pairs or answers, as each row says). People in one cohort share mentors, timing and workshops, so these intervals are if anything too narrow; skill growth counts each rating (a mentee rates several skills).".to_string(),
    };
    let in_order: Vec<String> = groups.iter().flat_map(|(_, _, cs)| cs.iter().cloned()).collect();
    let hr = super::hr::section(ds, &in_order, k, admin);
    Ok(Comparison { input: input.clone(), sides, rows, differences, unit_note, warnings, multiple, k, hr })
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A difference in plain words, always with its interval.
fn sentence(o: Outcome, side: &str, against: &str, a: &Cell, b: &Cell, d: Option<&Estimate>, clear: bool) -> String {
    let noun = o.noun();
    if let Some(h) = a.hidden.as_ref().or(b.hidden.as_ref()) {
        return format!("Not compared on {noun}: {h}.");
    }
    let (Some(va), Some(vb)) = (a.value, b.value) else {
        return format!("Not compared on {noun}: no figure yet.");
    };
    let both = format!("{} vs {}", shown(o, va.value, false), shown(o, vb.value, false));
    let Some(d) = d.filter(|d| d.has_interval()) else {
        return format!("{side} and {against} on {noun}: {both}; too few to put an interval on the difference.");
    };
    let diff = format!(
        "difference {}{}, 95 % CI {} to {}",
        shown(o, d.value, true),
        o.diff_unit(),
        shown(o, d.low, true),
        shown(o, d.high, true)
    );
    if clear {
        let more = if d.value > 0.0 { "higher" } else { "lower" };
        format!("{side} had a {more} {noun} than {against} ({both}; {diff}).")
    } else {
        format!("No clear difference in {noun} between {side} and {against} ({both}; {diff} — the interval includes no difference).")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::define::{
        AnswerFacts, ApplicationFacts, CohortFacts, GoalFacts, MeetingFacts, PairFacts, PersonFacts,
    };

    const D0: i64 = 20_000;

    fn cohort(id: &str) -> CohortFacts {
        CohortFacts {
            id: id.into(),
            name: format!("Cohort {}", id.to_uppercase()),
            program: "p".into(),
            program_name: "Program".into(),
            approach: "Coaching".into(),
            starts: D0,
            ends: D0 + 180,
            closed: true,
            inactive_days: 21,
        }
    }

    /// Cohort a: mentees completed [2, 1, 0, 0] goals, 3 of 4 met; cohort b: [3, 2, 2, 1, 2], all 5
    /// met.
    fn dataset() -> Dataset {
        let mut ds = Dataset { today: D0 + 400, ..Dataset::default() };
        ds.cohorts = vec![cohort("a"), cohort("b")];
        for (c, goals) in [("a", vec![2, 1, 0, 0]), ("b", vec![3, 2, 2, 1, 2])] {
            for (i, n) in goals.into_iter().enumerate() {
                let mentee = format!("{c}{i}");
                ds.people.push(PersonFacts {
                    id: mentee.clone(),
                    department: "Ops".into(),
                    level: Some(3),
                    ..PersonFacts::default()
                });
                ds.applications.push(ApplicationFacts {
                    cohort: c.into(),
                    person: mentee.clone(),
                    eligible: true,
                    approved: true,
                });
                let pair = format!("p{c}{i}");
                ds.pairs.push(PairFacts {
                    id: pair.clone(),
                    cohort: c.into(),
                    mentee: mentee.clone(),
                    mentor: "m".into(),
                    mentee_name: mentee.clone(),
                    mentor_name: "M".into(),
                    starts: D0,
                    ended: None,
                });
                for _ in 0..n {
                    ds.goals.push(GoalFacts {
                        pair: pair.clone(),
                        sent: Some(D0),
                        approved: Some(D0),
                        completed: Some(D0 + 60),
                        milestones: vec![],
                    });
                }
                if !(c == "a" && i == 3) {
                    ds.meetings.push(MeetingFacts { pair, day: D0 + 10, minutes: 60 });
                }
            }
        }
        ds
    }

    fn input(by: &str) -> CompareInput {
        CompareInput { cohorts: vec!["a".into(), "b".into()], by: by.into() }
    }

    fn diff(c: &Comparison, o: Outcome) -> &Difference {
        c.differences.iter().find(|d| d.outcome == o).unwrap()
    }

    #[test]
    fn goals_per_mentee_differ_by_welch_with_hedges_g() {
        let c = compare(&dataset(), &BTreeMap::new(), &input(""), 5, true).unwrap();
        let d = diff(&c, Outcome::GoalsPerMentee);
        let e = d.diff.unwrap();
        // b − a = 2.0 − 0.75 = 1.25; Welch: se 0.573730, df 5.416 → CI −0.19139 to 2.69139.
        assert!((e.value - 1.25).abs() < 1e-9);
        assert!((e.low + 0.19139).abs() < 1e-3 && (e.high - 2.69139).abs() < 1e-3, "{e:?}");
        let g = d.effect.unwrap();
        assert!((g.value - 1.34884).abs() < 1e-3 && (g.low - 0.02440).abs() < 1e-3, "{g:?}");
        assert!(!d.clear);
        assert!(
            d.sentence.starts_with(
                "No clear difference in number of goals completed per mentee between Cohort B and Cohort A (2.0 vs 0.75; difference "
            ),
            "{}",
            d.sentence
        );
        assert!(d.sentence.contains("95 % CI −0.19 to 2.7 — the interval includes no difference)."), "{}", d.sentence);
        assert!(d.warnings.iter().any(|w| w.starts_with("Fewer than 10 behind Cohort B (5 mentees)")));
    }

    #[test]
    fn first_meetings_differ_by_newcombe_in_points() {
        let c = compare(&dataset(), &BTreeMap::new(), &input(""), 5, true).unwrap();
        let e = diff(&c, Outcome::FirstMeeting).diff.unwrap();
        // 5/5 − 3/4 = 25 points; Newcombe's hybrid score interval −23.0 to 69.9.
        assert!((e.value - 25.0).abs() < 1e-9);
        assert!((e.low + 23.017).abs() < 0.01 && (e.high - 69.936).abs() < 0.01, "{e:?}");
        let row = c.rows.iter().find(|r| r.outcome == Outcome::FirstMeeting).unwrap();
        assert_eq!(
            row.cells.iter().map(|c| (c.n, c.value.unwrap().value)).collect::<Vec<_>>(),
            [(4, 75.0), (5, 100.0)]
        );
        // Many comparisons at once: the chance note counts those with an interval.
        assert!(c.multiple.contains("would still look clear by chance"), "{}", c.multiple);
        assert!(c.warnings[0].starts_with("Fewer than 10 mentees in Cohort A (4 mentees), Cohort B (5 mentees)"));
    }

    #[test]
    fn survey_figures_under_k_answers_are_hidden_for_everyone() {
        let mut ds = dataset();
        for (c, n) in [("a", 4), ("b", 6)] {
            for _ in 0..n {
                ds.answers.push(AnswerFacts { cohort: c.into(), kind: MeasureKind::Effectiveness, value: 4 });
            }
        }
        let c = compare(&ds, &BTreeMap::new(), &input(""), 5, true).unwrap();
        let row = c.rows.iter().find(|r| r.outcome == Outcome::Effectiveness).unwrap();
        assert!(row.cells[0].hidden.as_deref().unwrap().contains("fewer than 5"));
        assert_eq!(row.cells[1].n, 6);
        let d = diff(&c, Outcome::Effectiveness);
        assert!(d.diff.is_none() && d.sentence == "Not compared on mentor-effectiveness rating: fewer than 5 answers.");
    }

    #[test]
    fn bad_requests_are_field_errors() {
        let ds = dataset();
        let t = BTreeMap::new();
        let msg = |i: CompareInput, admin| {
            let e = compare(&ds, &t, &i, 5, admin).unwrap_err();
            e.field_message("cohorts").or_else(|| e.field_message("by")).unwrap()
        };
        let one = CompareInput { cohorts: vec!["a".into()], by: String::new() };
        assert_eq!(msg(one, true), "Choose at least two cohorts to compare.");
        let twice = CompareInput { cohorts: vec!["a".into(), "a".into()], by: String::new() };
        assert_eq!(msg(twice, true), "Cohort A is chosen twice; choose each cohort once.");
        let unknown = CompareInput { cohorts: vec!["a".into(), "zz".into()], by: String::new() };
        assert_eq!(msg(unknown, true), "No such cohort: zz. Choose from the list.");
        assert_eq!(msg(input("colour"), true), "Choose one of the strategy tags.");
        // Leadership: cohort a has 4 matched mentees, under k = 5.
        assert!(msg(input(""), false).starts_with("Cohort A has fewer than 5 matched mentees (4)"));
        // Both cohorts share every tag (none set): nothing to group by.
        assert!(msg(input("approach"), true).starts_with("All chosen cohorts used the same mentors' approach"));
    }

    #[test]
    fn grouped_by_tag_the_cohort_is_the_unit() {
        let mut ds = dataset();
        ds.cohorts.push(cohort("c"));
        // Cohort c: like a, one mentee with 4 goals.
        ds.people.push(PersonFacts {
            id: "c0".into(),
            department: "Ops".into(),
            level: None,
            ..PersonFacts::default()
        });
        ds.pairs.push(PairFacts {
            id: "pc0".into(),
            cohort: "c".into(),
            mentee: "c0".into(),
            mentor: "m".into(),
            mentee_name: "c0".into(),
            mentor_name: "M".into(),
            starts: D0,
            ended: None,
        });
        for _ in 0..4 {
            ds.goals.push(GoalFacts {
                pair: "pc0".into(),
                sent: None,
                approved: None,
                completed: Some(D0),
                milestones: vec![],
            });
        }
        let tag = |approach: &str| CohortTags { approach: approach.into(), ..CohortTags::default() };
        let tags =
            BTreeMap::from([("a".to_string(), tag("peer")), ("b".into(), tag("coaching")), ("c".into(), tag("peer"))]);
        let i = CompareInput { cohorts: vec!["a".into(), "b".into(), "c".into()], by: "approach".into() };
        let c = compare(&ds, &tags, &i, 5, true).unwrap();
        assert_eq!(
            c.sides.iter().map(|s| (s.label.as_str(), s.cohorts)).collect::<Vec<_>>(),
            [("Peer mentoring", 2), ("Coaching", 1)]
        );
        let row = c.rows.iter().find(|r| r.outcome == Outcome::GoalsPerMentee).unwrap();
        // Peer: the mean of cohort a's 0.75 and cohort c's 4.0, over 2 cohorts.
        assert_eq!((row.cells[0].n, row.cells[0].unit.as_str()), (2, "cohorts"));
        assert!((row.cells[0].value.unwrap().value - 2.375).abs() < 1e-9);
        // One coaching cohort: no interval for the difference, and the warnings say why.
        let d = diff(&c, Outcome::GoalsPerMentee);
        assert!(d.diff.is_none() && d.sentence.contains("too few to put an interval"), "{}", d.sentence);
        assert!(c.warnings[0].starts_with("Fewer than 3 cohorts used Peer mentoring and Coaching"));
        assert!(c.unit_note.starts_with("Grouped by mentors' approach: the cohort is the unit"));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(shown(Outcome::GoalsPerMentee, -0.19139, true), "−0.19");
        assert_eq!(shown(Outcome::FirstMeeting, 75.0, false), "75 %");
        assert_eq!(shown(Outcome::FirstMeeting, -0.2, true), "0");
        assert_eq!(shown(Outcome::Nps, -14.3, false), "−14");
    }
}
