//! The six criteria of the score: what each one measures ([`Criterion`]), how much it counts
//! ([`Weights`], [`Config`]), and the small point function behind each. Both ways into a score,
//! the explained [`super::score`] and the fast [`super::score_matrix`], call these functions, so
//! the two cannot drift apart; that is why they live here and not with either of them.

use serde::{Deserialize, Serialize};

use super::{
    Mentee, Week, HOURS_PER_WEEK, MAX_IDEAL_GAP, MAX_WEIGHT, NEUTRAL, REMOTE_POINTS, SENIORITY_STEP, TARGET_HOURS,
    WISH_FLOOR, WISH_STEP,
};

/// One criterion of the compatibility score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// Wanted skills the mentor offers: `round(100 · offered / wanted)`, counting the wanted
    /// skills; [`NEUTRAL`] when the mentee wants none.
    Skills,
    /// The mentee's preferred mentoring approach: 100 if the mentor practises it, 0 if not,
    /// [`NEUTRAL`] without a preference.
    Approach,
    /// The level gap `mentor level − mentee level`: 0 when it is 0 or less (the mentor is not more
    /// senior), otherwise `max(0, 100 − SENIORITY_STEP · |gap − ideal_gap|)` (25 per level: 100 at
    /// the ideal gap, 75 one level off, …); [`NEUTRAL`] when either level is unknown.
    Seniority,
    /// Shared weekly hours `h`: `100 · min(h, TARGET_HOURS) / TARGET_HOURS` (25 per hour, 100
    /// from 4 hours on).
    Availability,
    /// 100 in the same location, [`REMOTE_POINTS`] (70) apart when both accept remote, else 0.
    Location,
    /// The mentee's ranked wishes: `max(WISH_FLOOR, 100 − WISH_STEP · r)` for the wish of 0-based
    /// rank `r` (100, 80, 60, 40, then 20), 0 for a mentor not wished; [`NEUTRAL`] and weighted
    /// out (weight 0) for a mentee who gave no wishes.
    Wishes,
}

impl Criterion {
    /// Every criterion, in the order of a [`Breakdown`](super::Breakdown).
    pub const ALL: [Criterion; 6] = [
        Criterion::Skills,
        Criterion::Approach,
        Criterion::Seniority,
        Criterion::Availability,
        Criterion::Location,
        Criterion::Wishes,
    ];

    /// How the criterion is named to people.
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Skills => "skills",
            Criterion::Approach => "approach",
            Criterion::Seniority => "seniority",
            Criterion::Availability => "availability",
            Criterion::Location => "location",
            Criterion::Wishes => "wishes",
        }
    }
}

/// How much each criterion counts, 0..=10 each (an admin's sliders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    /// Weight of [`Criterion::Skills`].
    pub skills: u8,
    /// Weight of [`Criterion::Approach`].
    pub approach: u8,
    /// Weight of [`Criterion::Seniority`].
    pub seniority: u8,
    /// Weight of [`Criterion::Availability`].
    pub availability: u8,
    /// Weight of [`Criterion::Location`].
    pub location: u8,
    /// Weight of [`Criterion::Wishes`].
    pub wishes: u8,
}

impl Default for Weights {
    /// Skills first, then being able to meet and the mentee's own wishes, then seniority; approach
    /// and location as tie-breakers: 5, 2, 3, 4, 2, 4.
    fn default() -> Weights {
        Weights { skills: 5, approach: 2, seniority: 3, availability: 4, location: 2, wishes: 4 }
    }
}

impl Weights {
    /// The weight of one criterion.
    pub fn get(&self, c: Criterion) -> u8 {
        match c {
            Criterion::Skills => self.skills,
            Criterion::Approach => self.approach,
            Criterion::Seniority => self.seniority,
            Criterion::Availability => self.availability,
            Criterion::Location => self.location,
            Criterion::Wishes => self.wishes,
        }
    }

    /// Sets the weight of one criterion.
    pub fn set(&mut self, c: Criterion, w: u8) {
        match c {
            Criterion::Skills => self.skills = w,
            Criterion::Approach => self.approach = w,
            Criterion::Seniority => self.seniority = w,
            Criterion::Availability => self.availability = w,
            Criterion::Location => self.location = w,
            Criterion::Wishes => self.wishes = w,
        }
    }

    /// Checks that every weight lies in `0..=MAX_WEIGHT` and that at least one is positive.
    pub fn check(&self) -> Result<(), String> {
        for c in Criterion::ALL {
            let w = self.get(c);
            if w > MAX_WEIGHT {
                return Err(format!("the {} weight is {w}; weights go from 0 to {MAX_WEIGHT}", c.label()));
            }
        }
        if Criterion::ALL.iter().all(|&c| self.get(c) == 0) {
            return Err("give at least one criterion a weight above 0".into());
        }
        Ok(())
    }
}

/// A program's scoring settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// How much each criterion counts.
    pub weights: Weights,
    /// The ideal mentor level minus mentee level (2 by default).
    pub ideal_gap: i64,
    /// Forbid pairs from the same department.
    pub avoid_same_department: bool,
}

impl Default for Config {
    /// Default weights, an ideal gap of 2 levels, same-department pairs allowed.
    fn default() -> Config {
        Config { weights: Weights::default(), ideal_gap: 2, avoid_same_department: false }
    }
}

impl Config {
    /// Checks the weights and that the ideal gap lies in `1..=MAX_IDEAL_GAP`.
    pub fn check(&self) -> Result<(), String> {
        self.weights.check()?;
        if !(1..=MAX_IDEAL_GAP).contains(&self.ideal_gap) {
            return Err(format!("the ideal level gap is {}; it goes from 1 to {MAX_IDEAL_GAP}", self.ideal_gap));
        }
        Ok(())
    }
}

// The criteria, each a small function of the facts, shared by `score` and `score_matrix` so the
// two cannot drift apart.

/// Skills: the share of wanted skills the mentor offers, `round(100 · shared / wanted)`; neutral
/// when nothing is wanted.
#[inline]
pub(super) fn skills_points(shared: u32, wanted: u32) -> u32 {
    if wanted == 0 {
        NEUTRAL as u32
    } else {
        (200 * shared + wanted) / (2 * wanted)
    }
}

/// Approach: 100 if the mentor practises the preferred approach, 0 if not, neutral without a
/// preference.
#[inline]
pub(super) fn approach_points(preferred: Option<u8>, practised: u8) -> u32 {
    match preferred {
        None => NEUTRAL as u32,
        Some(a) => 100 * (practised.checked_shr(a as u32).unwrap_or(0) & 1) as u32,
    }
}

/// The mentor level minus the mentee level, when both are known.
#[inline]
pub(super) fn level_gap(mentee: Option<i64>, mentor: Option<i64>) -> Option<i64> {
    Some(mentor?.saturating_sub(mentee?))
}

/// Seniority: 0 unless the mentor is more senior (gap ≥ 1); otherwise
/// `max(0, 100 − SENIORITY_STEP · |gap − ideal|)`; neutral when a level is unknown.
#[inline]
pub(super) fn seniority_points(gap: Option<i64>, ideal: i64) -> u32 {
    match gap {
        None => NEUTRAL as u32,
        Some(g) if g <= 0 => 0,
        Some(g) => {
            let distance = g.saturating_sub(ideal).unsigned_abs().min(4);
            100u32.saturating_sub(SENIORITY_STEP as u32 * distance as u32)
        }
    }
}

/// The number of hours both can meet (hours past the week's 168 do not count).
#[inline]
pub(super) fn shared_hours(a: &Week, b: &Week) -> u32 {
    const LAST: u64 = (1 << (HOURS_PER_WEEK - 128)) - 1;
    (a[0] & b[0]).count_ones() + (a[1] & b[1]).count_ones() + (a[2] & b[2] & LAST).count_ones()
}

/// Availability: `100 · min(shared hours, TARGET_HOURS) / TARGET_HOURS`.
#[inline]
pub(super) fn availability_points(hours: u32) -> u32 {
    100 * hours.min(TARGET_HOURS) / TARGET_HOURS
}

/// Location: 100 in the same place, [`REMOTE_POINTS`] apart when both accept remote, else 0.
#[inline]
pub(super) fn location_points(a: u32, a_remote: bool, b: u32, b_remote: bool) -> u32 {
    if a == b {
        100
    } else if a_remote && b_remote {
        REMOTE_POINTS as u32
    } else {
        0
    }
}

/// Wishes: for the wish of 0-based rank `r`, `max(WISH_FLOOR, 100 − WISH_STEP · r)`.
#[inline]
pub(super) fn wish_points(rank: usize) -> u32 {
    (100 - WISH_STEP * rank.min(4) as i64).max(WISH_FLOOR) as u32
}

/// The wishes weight for this mentee: the program's, or 0 if they gave no wishes.
#[inline]
pub(super) fn wishes_weight(w: &Weights, mentee: &Mentee) -> u8 {
    if mentee.wishes.is_empty() {
        0
    } else {
        w.wishes
    }
}

/// The sum of the weights that count for this mentee.
pub(super) fn weight_sum(w: &Weights, mentee: &Mentee) -> u32 {
    [w.skills, w.approach, w.seniority, w.availability, w.location, wishes_weight(w, mentee)]
        .iter()
        .map(|&x| x as u32)
        .sum()
}

/// The weighted mean `num / den` rounded half up; [`NEUTRAL`] when nothing has weight.
pub(super) fn weighted_mean(num: u32, den: u32) -> i64 {
    if den == 0 {
        NEUTRAL
    } else {
        ((2 * num + den) / (2 * den)) as i64
    }
}
