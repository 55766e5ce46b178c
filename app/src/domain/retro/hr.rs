//! The outcomes the article names — retention and readiness for leadership roles — read from the
//! people's HR dates: per cohort, its matched mentees against the eligible applicants it did not
//! match, still in the organization and promoted 6 and 12 months after the cohort started.
//!
//! Observational, and said so: who was matched was chosen (eligibility, capacity, who applied
//! first), so the groups may differ in ways that also move retention and promotion. Pure, over
//! the metrics' [`Dataset`], so a unit test can check every count by hand.

use std::collections::BTreeSet;

use crate::domain::metrics::define::{Dataset, PersonFacts};
use crate::domain::retro::types::{Cell, HrMeasure, HrRow, HrSection, HR_WINDOWS};
use crate::engine::stats::{self, Estimate};
use crate::engine::suppress::Hidden;
use crate::validate::date_of_day;

use super::compare::FEW_PEOPLE;

fn percent(e: Estimate) -> Estimate {
    Estimate { n: e.n, value: 100.0 * e.value, low: 100.0 * e.low, high: 100.0 * e.high }
}

/// Whether `p` counts for `measure` over `start..=end` (retention: had not left by the end;
/// promotion: promoted after the start and by the end).
fn counts(p: Option<&PersonFacts>, measure: HrMeasure, start: i64, end: i64) -> bool {
    match measure {
        HrMeasure::Retention => p.and_then(|p| p.left).is_none_or(|l| l > end),
        HrMeasure::Promotion => p.and_then(|p| p.promoted).is_some_and(|d| d > start && d <= end),
    }
}

/// "100 % (11 of 11)".
fn rate_words(x: u32, n: u32) -> String {
    format!("{:.0} % ({x} of {n})", 100.0 * f64::from(x) / f64::from(n.max(1)))
}

fn points(v: f64) -> String {
    let s = format!("{v:.0}");
    let s = if s == "-0" { "0".to_string() } else { s };
    s.replace('-', "−")
}

/// The HR section for `cohorts` (keys, in the order shown). For leadership (`!admin`) a group of
/// fewer than `k` people is hidden, as on the dashboards.
pub fn section(ds: &Dataset, cohorts: &[String], k: u32, admin: bool) -> HrSection {
    // Looked up once per person and pair: indexed once here (a large organization has 11 000
    // people and 7 000 pairs).
    let people: std::collections::HashMap<&str, &PersonFacts> = ds.people.iter().map(|p| (p.id.as_str(), p)).collect();
    let person = |id: &str| people.get(id).copied();
    let started: std::collections::HashMap<&str, i64> = ds.cohorts.iter().map(|c| (c.id.as_str(), c.starts)).collect();
    let starts = |id: &str| started.get(id).copied();
    let mut rows = Vec::new();
    let mut thin = BTreeSet::new();
    for cohort in cohorts {
        let Some(c) = ds.cohorts.iter().find(|c| &c.id == cohort) else { continue };
        let matched: BTreeSet<&str> =
            ds.pairs.iter().filter(|p| &p.cohort == cohort).map(|p| p.mentee.as_str()).collect();
        // People who had left before the cohort started are in neither group.
        let here = |id: &str| person(id).and_then(|p| p.left).is_none_or(|l| l > c.starts);
        for (months, days) in HR_WINDOWS {
            let end = c.starts + days;
            // Applicants matched in another cohort that started by the window's end took part
            // after all: they are left out of the comparison group.
            let elsewhere: BTreeSet<&str> = ds
                .pairs
                .iter()
                .filter(|p| &p.cohort != cohort && starts(&p.cohort).is_some_and(|s| s <= end))
                .map(|p| p.mentee.as_str())
                .collect();
            let unmatched: BTreeSet<&str> = ds
                .applications
                .iter()
                .filter(|a| &a.cohort == cohort && a.eligible)
                .map(|a| a.person.as_str())
                .filter(|p| !matched.contains(p) && !elsewhere.contains(p))
                .collect();
            let groups = [
                matched.iter().copied().filter(|p| here(p)).collect::<Vec<_>>(),
                unmatched.into_iter().filter(|p| here(p)).collect::<Vec<_>>(),
            ];
            for measure in HrMeasure::ALL.iter().copied() {
                let tally: Vec<(u32, u32)> = groups
                    .iter()
                    .map(|g| {
                        let x = g.iter().filter(|p| counts(person(p), measure, c.starts, end)).count();
                        (x as u32, g.len() as u32)
                    })
                    .collect();
                let cell = |(x, n): (u32, u32), unit: &str| {
                    let hidden = if end > ds.today {
                        Some(format!("not yet: {months} months pass on {}", date_of_day(end)))
                    } else if n == 0 {
                        Some(format!("no {unit}"))
                    } else if !admin && n < k {
                        Some(Hidden::TooFew.reason(k))
                    } else {
                        None
                    };
                    Cell {
                        value: if hidden.is_some() { None } else { stats::proportion_ci(x, n).map(percent) },
                        n: if hidden.is_some() { 0 } else { n },
                        unit: unit.into(),
                        hidden,
                    }
                };
                let matched_cell = cell(tally[0], "matched mentees");
                let unmatched_cell = cell(tally[1], "eligible applicants not matched");
                let shown = matched_cell.hidden.is_none() && unmatched_cell.hidden.is_none();
                let diff = if shown {
                    stats::diff_proportions(tally[0].0, tally[0].1, tally[1].0, tally[1].1).map(percent)
                } else {
                    None
                };
                let clear = diff.is_some_and(|d| d.low > 0.0 || d.high < 0.0);
                let mut warnings = Vec::new();
                if shown {
                    for (cell, who) in [(&matched_cell, "matched mentees"), (&unmatched_cell, "applicants not matched")]
                    {
                        if cell.n < FEW_PEOPLE {
                            warnings.push(format!(
                                "Fewer than {FEW_PEOPLE} {who} ({}): one person moves this by {:.0} points.",
                                cell.n,
                                100.0 / f64::from(cell.n)
                            ));
                            thin.insert(c.name.clone());
                        }
                    }
                }
                let noun = measure.noun(months);
                let sentence = match (&matched_cell.hidden, &unmatched_cell.hidden, diff) {
                    (Some(h), _, _) | (None, Some(h), _) => format!("{}: {noun} not compared — {h}.", c.name),
                    (None, None, Some(d)) => {
                        let both = format!(
                            "{} of matched mentees vs {} of eligible applicants not matched",
                            rate_words(tally[0].0, tally[0].1),
                            rate_words(tally[1].0, tally[1].1)
                        );
                        let interval = format!(
                            "difference {} points, 95 % CI {} to {}",
                            points(d.value),
                            points(d.low),
                            points(d.high)
                        );
                        if clear {
                            let more = if d.value > 0.0 { "higher" } else { "lower" };
                            format!(
                                "{}: matched mentees had a {more} {noun} than eligible applicants who were not matched ({both}; {interval}). Observational: this does not show that mentoring caused it.",
                                c.name
                            )
                        } else {
                            format!(
                                "{}: no clear difference in {noun} between matched mentees and eligible applicants who were not matched ({both}; {interval} — the interval includes no difference).",
                                c.name
                            )
                        }
                    }
                    (None, None, None) => format!("{}: {noun} not compared — no figure.", c.name),
                };
                rows.push(HrRow {
                    cohort: c.id.clone(),
                    cohort_name: c.name.clone(),
                    measure,
                    months,
                    matched: matched_cell,
                    unmatched: unmatched_cell,
                    diff,
                    clear,
                    sentence,
                    warnings,
                });
            }
        }
    }
    let mut warnings = Vec::new();
    let compared = rows.iter().filter(|r| r.diff.is_some()).count();
    if compared > 0 {
        let (expected, _) = stats::chance_findings(compared);
        let clear = rows.iter().filter(|r| r.clear).count();
        warnings.push(format!(
            "{compared} HR differences are shown; if nothing really differed about {expected:.1} would look clear by chance, and {clear} look clear here."
        ));
    }
    if !thin.is_empty() {
        warnings.push(format!(
            "Small groups in {}: read these rates as a first sign, not a finding.",
            thin.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if !ds.people.iter().any(|p| p.left.is_some() || p.promoted.is_some()) {
        warnings.push(
            "No leaving or promotion dates are recorded yet, so everyone counts as still here and not promoted. Add them with the CSV import (left_on, promoted_on) or on the People page."
                .into(),
        );
    }
    let note = "An observational comparison, not an experiment: who was matched was chosen (eligibility rules, mentor capacity, who applied first), so matched mentees may differ from the applicants who were not in ways that also move retention and promotion. Each cohort's matched mentees (pairs that ended early included) against its eligible mentee applicants who were not matched; applicants matched in another cohort that started within the window are left out, and so is anyone who had left before the cohort started. Still in the organization: had not left 6 months (182 days) or 12 months (365 days) after the cohort started; promoted: promoted after the start and within the window. From the HR dates on the People page and the CSV import; intervals are Wilson's, differences Newcombe's.".to_string();
    HrSection { rows, note, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::define::{ApplicationFacts, CohortFacts, PairFacts};

    const START: i64 = 20_000;

    fn person(id: &str, left: Option<i64>, promoted: Option<i64>) -> PersonFacts {
        PersonFacts { id: id.into(), left, promoted, ..PersonFacts::default() }
    }

    fn cohort(id: &str, starts: i64) -> CohortFacts {
        CohortFacts {
            id: id.into(),
            name: format!("Cohort {id}"),
            program: "p".into(),
            program_name: "Program".into(),
            approach: "Coaching".into(),
            starts,
            ends: starts + 180,
            closed: true,
            inactive_days: 21,
        }
    }

    fn pair(cohort: &str, mentee: &str) -> PairFacts {
        PairFacts {
            id: format!("{cohort}-{mentee}"),
            cohort: cohort.into(),
            mentee: mentee.into(),
            mentor: "m".into(),
            mentee_name: mentee.into(),
            mentor_name: "M".into(),
            starts: START,
            ended: None,
        }
    }

    fn applied(cohort: &str, person: &str, eligible: bool) -> ApplicationFacts {
        ApplicationFacts { cohort: cohort.into(), person: person.into(), eligible, approved: true }
    }

    /// Cohort a: 12 matched mentees (one left at day 200, two promoted at days 100 and 300);
    /// 10 eligible applicants not matched (four left: at 50, 150, 250 and before the start; one
    /// promoted at day 320), one ineligible applicant, and one applicant matched in cohort b (which
    /// starts at day 100).
    fn dataset(today: i64) -> Dataset {
        let mut ds = Dataset { today, ..Dataset::default() };
        ds.cohorts = vec![cohort("a", START), cohort("b", START + 100)];
        for i in 0..12 {
            let id = format!("m{i}");
            let left = (i == 0).then_some(START + 200);
            let promoted = match i {
                1 => Some(START + 100),
                2 => Some(START + 300),
                _ => None,
            };
            ds.people.push(person(&id, left, promoted));
            ds.pairs.push(pair("a", &id));
            ds.applications.push(applied("a", &id, true));
        }
        for i in 0..10 {
            let id = format!("u{i}");
            let left = match i {
                0 => Some(START + 50),
                1 => Some(START + 150),
                2 => Some(START + 250),
                3 => Some(START - 10),
                _ => None,
            };
            ds.people.push(person(&id, left, (i == 4).then_some(START + 320)));
            ds.applications.push(applied("a", &id, true));
        }
        ds.people.push(person("x", Some(START + 1), None));
        ds.applications.push(applied("a", "x", false));
        ds.people.push(person("later", Some(START + 1), None));
        ds.applications.push(applied("a", "later", true));
        ds.pairs.push(pair("b", "later"));
        ds
    }

    fn row(s: &HrSection, measure: HrMeasure, months: u32) -> &HrRow {
        s.rows.iter().find(|r| r.cohort == "a" && r.measure == measure && r.months == months).unwrap()
    }

    #[test]
    fn counts_by_hand() {
        let s = section(&dataset(START + 400), &["a".into()], 5, true);
        assert_eq!(s.rows.len(), 4);
        // At 6 months (day 182): all 12 matched still here; of the 9 unmatched (u3 had left before
        // the start, x was not eligible, "later" was matched in b), u0 and u1 had left: 7 of 9.
        let r6 = row(&s, HrMeasure::Retention, 6);
        assert_eq!((r6.matched.n, r6.unmatched.n), (12, 9));
        assert!((r6.matched.value.unwrap().value - 100.0).abs() < 1e-9);
        assert!((r6.unmatched.value.unwrap().value - 700.0 / 9.0).abs() < 1e-9);
        // Newcombe from the two Wilson intervals, as stats::diff_proportions computes it.
        let d = stats::diff_proportions(12, 12, 7, 9).map(percent).unwrap();
        assert_eq!(r6.diff, Some(d));
        assert!(!r6.clear);
        assert!(r6.sentence.contains("100 % (12 of 12) of matched mentees vs 78 % (7 of 9)"), "{}", r6.sentence);
        assert!(r6.sentence.contains("the interval includes no difference"));
        assert!(r6.warnings.iter().any(|w| w.contains("Fewer than 10 applicants not matched (9)")));
        // At 12 months: m0 left at 200 (11 of 12); u2 left at 250 (6 of 9).
        let r12 = row(&s, HrMeasure::Retention, 12);
        assert_eq!(r12.matched.value.unwrap().value.round(), (1100.0f64 / 12.0).round());
        assert!((r12.unmatched.value.unwrap().value - 600.0 / 9.0).abs() < 1e-9);
        // Promotion: within 6 months m1 only (1 of 12) and no one unmatched; within 12 months m1
        // and m2 (2 of 12) and u4 (1 of 9).
        let p6 = row(&s, HrMeasure::Promotion, 6);
        assert_eq!(p6.matched.value.unwrap().value.round(), (100.0f64 / 12.0).round());
        assert_eq!(p6.unmatched.value.unwrap().value, 0.0);
        let p12 = row(&s, HrMeasure::Promotion, 12);
        assert!((p12.unmatched.value.unwrap().value - 100.0 / 9.0).abs() < 1e-9);
        assert!(s.note.contains("observational comparison"));
        assert!(s.warnings.iter().any(|w| w.contains("4 HR differences are shown")));
    }

    #[test]
    fn windows_not_yet_over_and_small_groups_for_leadership_are_hidden() {
        // Day 300: the 12-month window is not over.
        let s = section(&dataset(START + 300), &["a".into()], 5, true);
        let r12 = row(&s, HrMeasure::Retention, 12);
        assert_eq!(r12.matched.hidden.as_deref(), Some("not yet: 12 months pass on 2025-10-04"));
        assert_eq!(r12.diff, None);
        assert!(r12.sentence.contains("not compared — not yet"));
        assert!(row(&s, HrMeasure::Retention, 6).diff.is_some());
        // Leadership: a group under k is hidden; admins see it.
        let mut ds = dataset(START + 400);
        ds.applications.retain(|a| !a.person.starts_with('u') || a.person.as_str() < "u4");
        let lead = section(&ds, &["a".into()], 5, false);
        let r6 = row(&lead, HrMeasure::Retention, 6);
        assert_eq!(r6.unmatched.n, 0);
        assert!(r6.unmatched.hidden.as_deref().unwrap().contains('5'));
        let admin = section(&ds, &["a".into()], 5, true);
        assert_eq!(row(&admin, HrMeasure::Retention, 6).unmatched.n, 3);
    }

    #[test]
    fn no_hr_dates_at_all_is_said() {
        let mut ds = dataset(START + 400);
        for p in &mut ds.people {
            p.left = None;
            p.promoted = None;
        }
        let s = section(&ds, &["a".into()], 5, true);
        assert!(s.warnings.iter().any(|w| w.starts_with("No leaving or promotion dates are recorded yet")));
        assert!(!section(&dataset(START + 400), &["a".into()], 5, true)
            .warnings
            .iter()
            .any(|w| w.starts_with("No leaving")));
    }
}
