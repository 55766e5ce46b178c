//! Skill growth: post − pre per mentee, skill and rater, a pair's table of it, and its means
//! over a cohort (what the program objective "mean skill growth" measures). Pure: plain data in,
//! numbers out, so the service, the pages and later the dashboards share one computation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::assessments::types::{GrowthRow, Phase, Rater, Ratings};

/// Growth from `pre` to `post` on the 1–5 scale, when both are known.
pub fn change(pre: Option<i64>, post: Option<i64>) -> Option<i64> {
    Some(post? - pre?)
}

/// One stored set of ratings: a rater's view of a mentee in one phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingSet {
    /// The mentee rated (user key).
    pub mentee: String,
    /// Which phase.
    pub phase: Phase,
    /// Who rated.
    pub rater: Rater,
    /// By skill key.
    pub ratings: Ratings,
    /// When it was last saved, in a form that sorts by time (ISO 8601); the latest set wins when
    /// a mentee has several for the same phase and rater (re-matched to a new pair).
    pub at: String,
}

/// A pair's growth table: one row per skill (key, name) of the program, in the order given, from the
/// sets given (those the viewer may see; one per phase and rater).
pub fn growth_rows(skills: &[(String, String)], sets: &[(Phase, Rater, &Ratings)]) -> Vec<GrowthRow> {
    let score = |skill: &str, phase: Phase, rater: Rater| {
        sets.iter().find(|(p, r, _)| *p == phase && *r == rater).and_then(|(_, _, ratings)| ratings.get(skill).copied())
    };
    skills
        .iter()
        .map(|(id, name)| GrowthRow {
            skill_id: id.clone(),
            skill_name: name.clone(),
            self_pre: score(id, Phase::Pre, Rater::Mentee),
            self_post: score(id, Phase::Post, Rater::Mentee),
            mentor_pre: score(id, Phase::Pre, Rater::Mentor),
            mentor_post: score(id, Phase::Post, Rater::Mentor),
        })
        .collect()
}

/// One growth figure: a mentee's change in one skill, as one rater sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Growth {
    /// The mentee (user key).
    pub mentee: String,
    /// Who rated.
    pub rater: Rater,
    /// Skill key.
    pub skill: String,
    /// post − pre.
    pub change: i64,
}

/// Every growth figure in `sets`: for each mentee and rater with both a pre and a post set (the
/// latest of each), post − pre for each skill rated in both. Sorted by mentee, rater, skill.
pub fn growth(sets: &[RatingSet]) -> Vec<Growth> {
    // (mentee, rater, phase) → the latest set.
    let mut latest: BTreeMap<(&str, &str, &str), &RatingSet> = BTreeMap::new();
    for s in sets {
        let key = (s.mentee.as_str(), s.rater.as_str(), s.phase.as_str());
        if latest.get(&key).is_none_or(|old| old.at < s.at) {
            latest.insert(key, s);
        }
    }
    let mut out = Vec::new();
    for ((mentee, _, phase), pre) in &latest {
        if *phase != Phase::Pre.as_str() {
            continue;
        }
        let Some(post) = latest.get(&(*mentee, pre.rater.as_str(), Phase::Post.as_str())) else { continue };
        for (skill, before) in &pre.ratings {
            if let Some(after) = post.ratings.get(skill) {
                out.push(Growth {
                    mentee: mentee.to_string(),
                    rater: pre.rater,
                    skill: skill.clone(),
                    change: after - before,
                });
            }
        }
    }
    out
}

/// Mean growth of one skill over a cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillMean {
    /// Skill key.
    pub skill_id: String,
    /// Skill name.
    pub skill_name: String,
    /// Mean of post − pre, over every mentee and rater with both; `None` without any.
    pub mean: Option<f64>,
    /// How many figures (mentee × rater) the mean is over.
    pub n: u32,
    /// How many mentees they are about (the count a k-anonymity rule compares with k).
    pub mentees: u32,
}

/// Mean growth as one kind of rater sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaterMean {
    /// Self-ratings or the mentors'.
    pub rater: Rater,
    /// Mean of post − pre over every skill and mentee; `None` without any.
    pub mean: Option<f64>,
    /// How many figures.
    pub n: u32,
}

/// A cohort's mean skill growth: per skill, per rater and overall (points on the 1–5 scale).
///
/// Counts come with every mean: whoever shows these to leadership applies the k-anonymity rule
/// (fewer than k mentees → suppressed) to the `mentees` of each figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeanGrowth {
    /// One per program skill, in the order given.
    pub skills: Vec<SkillMean>,
    /// Self-ratings, then the mentors'.
    pub by_rater: Vec<RaterMean>,
    /// Mean over every figure (each mentee × rater × skill counts once); `None` without any.
    pub overall: Option<f64>,
    /// How many figures `overall` is over.
    pub n: u32,
    /// How many mentees have any growth figure.
    pub mentees: u32,
}

fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64)
}

/// The means of [`growth`] over `sets`, for the program's skills (key, name); growth in skills
/// the program no longer has is left out.
pub fn mean_growth(skills: &[(String, String)], sets: &[RatingSet]) -> MeanGrowth {
    let figures: Vec<Growth> =
        growth(sets).into_iter().filter(|g| skills.iter().any(|(id, _)| *id == g.skill)).collect();
    let per_skill = skills
        .iter()
        .map(|(id, name)| {
            let of: Vec<&Growth> = figures.iter().filter(|g| g.skill == *id).collect();
            let values: Vec<i64> = of.iter().map(|g| g.change).collect();
            let mentees: BTreeSet<&str> = of.iter().map(|g| g.mentee.as_str()).collect();
            SkillMean {
                skill_id: id.clone(),
                skill_name: name.clone(),
                mean: mean(&values),
                n: values.len() as u32,
                mentees: mentees.len() as u32,
            }
        })
        .collect();
    let by_rater = Rater::ALL
        .iter()
        .map(|r| {
            let values: Vec<i64> = figures.iter().filter(|g| g.rater == *r).map(|g| g.change).collect();
            RaterMean { rater: *r, mean: mean(&values), n: values.len() as u32 }
        })
        .collect();
    let all: Vec<i64> = figures.iter().map(|g| g.change).collect();
    let mentees: BTreeSet<&str> = figures.iter().map(|g| g.mentee.as_str()).collect();
    MeanGrowth { skills: per_skill, by_rater, overall: mean(&all), n: all.len() as u32, mentees: mentees.len() as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(mentee: &str, phase: Phase, rater: Rater, scores: &[(&str, i64)], at: &str) -> RatingSet {
        RatingSet {
            mentee: mentee.into(),
            phase,
            rater,
            ratings: scores.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            at: at.into(),
        }
    }

    fn skills() -> Vec<(String, String)> {
        vec![("fb".into(), "Giving feedback".into()), ("dl".into(), "Delegation".into())]
    }

    #[test]
    fn change_needs_both_ends() {
        assert_eq!(change(Some(2), Some(4)), Some(2));
        assert_eq!(change(Some(4), Some(3)), Some(-1));
        assert_eq!(change(None, Some(3)), None);
        assert_eq!(change(Some(3), None), None);
    }

    #[test]
    fn a_pairs_table_has_a_row_per_program_skill_in_order() {
        let pre: Ratings = [("fb".to_string(), 2), ("dl".to_string(), 3)].into();
        let post: Ratings = [("fb".to_string(), 4)].into();
        let mentor_pre: Ratings = [("dl".to_string(), 2), ("gone".to_string(), 5)].into();
        let rows = growth_rows(
            &skills(),
            &[
                (Phase::Pre, Rater::Mentee, &pre),
                (Phase::Post, Rater::Mentee, &post),
                (Phase::Pre, Rater::Mentor, &mentor_pre),
            ],
        );
        assert_eq!(rows.iter().map(|r| r.skill_id.as_str()).collect::<Vec<_>>(), ["fb", "dl"]);
        assert_eq!((rows[0].self_pre, rows[0].self_post, rows[0].change(Rater::Mentee)), (Some(2), Some(4), Some(2)));
        assert_eq!(rows[1].change(Rater::Mentee), None, "no post rating of delegation");
        assert_eq!((rows[1].mentor_pre, rows[1].mentor_post, rows[1].change(Rater::Mentor)), (Some(2), None, None));
    }

    #[test]
    fn growth_is_post_minus_pre_per_mentee_rater_and_skill() {
        let sets = vec![
            set("ann", Phase::Pre, Rater::Mentee, &[("fb", 2), ("dl", 3)], "2026-09-10"),
            set("ann", Phase::Post, Rater::Mentee, &[("fb", 4), ("dl", 3)], "2027-02-20"),
            set("ann", Phase::Pre, Rater::Mentor, &[("fb", 1), ("dl", 2)], "2026-09-12"),
            set("ann", Phase::Post, Rater::Mentor, &[("fb", 3), ("dl", 4)], "2027-02-21"),
            // Bob has no post yet: no growth.
            set("bob", Phase::Pre, Rater::Mentee, &[("fb", 3), ("dl", 3)], "2026-09-10"),
        ];
        let g = growth(&sets);
        let as_tuples: Vec<(&str, Rater, &str, i64)> =
            g.iter().map(|g| (g.mentee.as_str(), g.rater, g.skill.as_str(), g.change)).collect();
        assert_eq!(
            as_tuples,
            [
                ("ann", Rater::Mentee, "dl", 0),
                ("ann", Rater::Mentee, "fb", 2),
                ("ann", Rater::Mentor, "dl", 2),
                ("ann", Rater::Mentor, "fb", 2),
            ]
        );
    }

    #[test]
    fn the_latest_set_wins_when_a_mentee_was_rated_twice() {
        let sets = vec![
            set("ann", Phase::Pre, Rater::Mentee, &[("fb", 2)], "2026-09-10"),
            set("ann", Phase::Pre, Rater::Mentee, &[("fb", 1)], "2026-10-01"),
            set("ann", Phase::Post, Rater::Mentee, &[("fb", 4)], "2027-02-20"),
        ];
        assert_eq!(growth(&sets)[0].change, 3);
    }

    #[test]
    fn means_per_skill_rater_and_overall_match_a_hand_computation() {
        let sets = vec![
            set("ann", Phase::Pre, Rater::Mentee, &[("fb", 2), ("dl", 3)], "1"),
            set("ann", Phase::Post, Rater::Mentee, &[("fb", 4), ("dl", 3)], "2"),
            set("ann", Phase::Pre, Rater::Mentor, &[("fb", 1), ("dl", 2)], "1"),
            set("ann", Phase::Post, Rater::Mentor, &[("fb", 3), ("dl", 4)], "2"),
            set("bob", Phase::Pre, Rater::Mentee, &[("fb", 3), ("dl", 4), ("gone", 1)], "1"),
            set("bob", Phase::Post, Rater::Mentee, &[("fb", 2), ("dl", 5), ("gone", 5)], "2"),
        ];
        let m = mean_growth(&skills(), &sets);
        // fb: ann self +2, ann mentor +2, bob self −1 → 3/3 = 1.0; dl: 0, +2, +1 → 1.0.
        assert_eq!((m.skills[0].mean, m.skills[0].n, m.skills[0].mentees), (Some(1.0), 3, 2));
        assert_eq!((m.skills[1].mean, m.skills[1].n), (Some(1.0), 3));
        // Self: +2, 0, −1, +1 → 0.5; mentor: +2, +2 → 2.0.
        assert_eq!((m.by_rater[0].rater, m.by_rater[0].mean, m.by_rater[0].n), (Rater::Mentee, Some(0.5), 4));
        assert_eq!((m.by_rater[1].mean, m.by_rater[1].n), (Some(2.0), 2));
        // All six figures (the removed skill left out): 6 / 6.
        assert_eq!((m.overall, m.n, m.mentees), (Some(1.0), 6, 2));
    }

    #[test]
    fn no_figures_means_no_mean_rather_than_zero() {
        let m = mean_growth(&skills(), &[set("ann", Phase::Pre, Rater::Mentee, &[("fb", 2)], "1")]);
        assert_eq!((m.overall, m.n, m.mentees), (None, 0, 0));
        assert!(m.skills.iter().all(|s| s.mean.is_none() && s.n == 0));
    }
}
