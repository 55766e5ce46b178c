//! Compatibility scores: how well a mentor suits a mentee, from 0 to 100, and which pairs hard
//! rules forbid.
//!
//! Six criteria each give a pair 0..=100 points ([`Criterion`]); the total is their weighted mean,
//! rounded half up, with the program's [`Weights`] (0..=10 each, set by an admin):
//!
//! ```text
//! total = round( Σ weight[c] · points[c] / Σ weight[c] )
//! ```
//!
//! A mentee who gave no wishes has the wishes criterion weighted out (its weight counts as 0 for
//! that mentee), so that a flat neutral score does not squeeze the other criteria together. If no
//! criterion has a positive weight left, the total is the neutral [`NEUTRAL`].
//!
//! Hard rules forbid a pair outright ([`Blocked`]): the mentor is in the mentee's reporting line,
//! both work in the same department (when the program asks to avoid that), or an admin ruled the
//! pair out.
//!
//! Two ways in, with the same totals:
//!
//! * [`score`] (and [`explain`], which also applies the admin's list) gives one pair's
//!   [`Breakdown`] with a sentence per criterion, for people;
//! * [`score_matrix`] scores every pair at once into a [`matching::Problem`] for the solver,
//!   without building any text: bitmask popcounts, per-mentor data gathered once, and one byte
//!   per pair in the problem's flat matrix.
//!
//! The facts arrive already resolved to small ids by the caller: departments, locations and
//! approaches are ids, skills and available hours are bitmasks, wishes and reporting lines are
//! mentor indexes.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::matching::{self, Problem};

/// The highest weight an admin can give a criterion.
pub const MAX_WEIGHT: u8 = 10;
/// The largest ideal level gap [`Config::check`] accepts.
pub const MAX_IDEAL_GAP: i64 = 9;
/// The points a criterion gives when it cannot tell (nothing wanted, a level unknown, …).
pub const NEUTRAL: i64 = 50;
/// Seniority points lost per level of distance from the ideal gap.
pub const SENIORITY_STEP: i64 = 25;
/// Shared weekly hours that earn full availability points.
pub const TARGET_HOURS: u32 = 4;
/// Location points when the locations differ but both accept remote mentoring.
pub const REMOTE_POINTS: i64 = 70;
/// Wish points lost per rank below the first wish.
pub const WISH_STEP: i64 = 20;
/// The fewest points a wished mentor gets, however far down the list.
pub const WISH_FLOOR: i64 = 20;
/// The number of hours in a week, the bits of a [`Week`] that count.
pub const HOURS_PER_WEEK: usize = 168;

/// The 168 hours of a week (UTC, hour 0 = Monday 00:00) as a bitmask: hour `h` is bit `h % 64` of
/// word `h / 64`. Bits from 168 on are ignored.
pub type Week = [u64; 3];

/// A [`Week`] with the given hours set (`week(9..13)`, `week((9..13).chain(33..37))`); hours from
/// 168 on are dropped.
pub fn week(hours: impl IntoIterator<Item = usize>) -> Week {
    let mut w = [0u64; 3];
    for h in hours.into_iter().filter(|&h| h < HOURS_PER_WEEK) {
        w[h / 64] |= 1 << (h % 64);
    }
    w
}

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
    /// Every criterion, in the order of a [`Breakdown`].
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

/// What the score needs to know about a mentee.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentee {
    /// Career level, if known.
    pub level: Option<i64>,
    /// Department id.
    pub department: u32,
    /// The skills they want to grow, as a bitmask over the program's skills (at most 64).
    pub skills_wanted: u64,
    /// The preferred mentoring approach (a bit index into [`Mentor::approaches`]), if any.
    pub approach: Option<u8>,
    /// The hours they can meet.
    pub availability: Week,
    /// Location id.
    pub location: u32,
    /// Whether they accept remote mentoring.
    pub remote_ok: bool,
    /// Mentors they asked for, best first, as mentor indexes; may be empty. A repeated mentor
    /// counts at its first rank; unknown indexes are ignored.
    pub wishes: Vec<usize>,
    /// The mentor indexes of their manager and every manager above (only those who are mentors):
    /// none of them may mentor this mentee.
    pub reporting_line: Vec<usize>,
}

/// What the score needs to know about a mentor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentor {
    /// Career level, if known.
    pub level: Option<i64>,
    /// Department id.
    pub department: u32,
    /// The skills they can help with, as a bitmask over the program's skills.
    pub skills_offered: u64,
    /// The mentoring approaches they practise, as a bitmask (bit `a` for approach `a`).
    pub approaches: u8,
    /// The hours they can meet.
    pub availability: Week,
    /// Location id.
    pub location: u32,
    /// Whether they accept remote mentoring.
    pub remote_ok: bool,
}

/// Why a pair may not be matched at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocked {
    /// The mentor is the mentee's manager, or above them.
    ReportingLine,
    /// Both work in the same department and the program avoids that.
    SameDepartment,
    /// An admin ruled the pair out.
    Forbidden,
}

impl Blocked {
    /// The reason in words, with the mentor as the subject.
    pub fn reason(self) -> &'static str {
        match self {
            Blocked::ReportingLine => "is their manager or above them in the reporting line",
            Blocked::SameDepartment => "works in the same department, which this program avoids",
            Blocked::Forbidden => "was ruled out for this mentee by an administrator",
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

/// One criterion's share of a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// Which criterion.
    pub criterion: Criterion,
    /// Its points, 0..=100.
    pub points: i64,
    /// The weight it counted with: the program's, or 0 where it is weighted out (wishes of a
    /// mentee who gave none).
    pub weight: u8,
    /// Why, in words ("shares 2 of 3 wanted skills").
    pub why: String,
}

/// A pair's score with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The weighted mean of the parts, 0..=100.
    pub total: i64,
    /// One part per criterion, in the order of [`Criterion::ALL`].
    pub parts: Vec<Part>,
}

// The criteria, each a small function of the facts, shared by `score` and `score_matrix` so the
// two cannot drift apart.

/// Skills: the share of wanted skills the mentor offers, `round(100 · shared / wanted)`; neutral
/// when nothing is wanted.
#[inline]
fn skills_points(shared: u32, wanted: u32) -> u32 {
    if wanted == 0 {
        NEUTRAL as u32
    } else {
        (200 * shared + wanted) / (2 * wanted)
    }
}

/// Approach: 100 if the mentor practises the preferred approach, 0 if not, neutral without a
/// preference.
#[inline]
fn approach_points(preferred: Option<u8>, practised: u8) -> u32 {
    match preferred {
        None => NEUTRAL as u32,
        Some(a) => 100 * (practised.checked_shr(a as u32).unwrap_or(0) & 1) as u32,
    }
}

/// The mentor level minus the mentee level, when both are known.
#[inline]
fn level_gap(mentee: Option<i64>, mentor: Option<i64>) -> Option<i64> {
    Some(mentor?.saturating_sub(mentee?))
}

/// Seniority: 0 unless the mentor is more senior (gap ≥ 1); otherwise
/// `max(0, 100 − SENIORITY_STEP · |gap − ideal|)`; neutral when a level is unknown.
#[inline]
fn seniority_points(gap: Option<i64>, ideal: i64) -> u32 {
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
fn shared_hours(a: &Week, b: &Week) -> u32 {
    const LAST: u64 = (1 << (HOURS_PER_WEEK - 128)) - 1;
    (a[0] & b[0]).count_ones() + (a[1] & b[1]).count_ones() + (a[2] & b[2] & LAST).count_ones()
}

/// Availability: `100 · min(shared hours, TARGET_HOURS) / TARGET_HOURS`.
#[inline]
fn availability_points(hours: u32) -> u32 {
    100 * hours.min(TARGET_HOURS) / TARGET_HOURS
}

/// Location: 100 in the same place, [`REMOTE_POINTS`] apart when both accept remote, else 0.
#[inline]
fn location_points(a: u32, a_remote: bool, b: u32, b_remote: bool) -> u32 {
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
fn wish_points(rank: usize) -> u32 {
    (100 - WISH_STEP * rank.min(4) as i64).max(WISH_FLOOR) as u32
}

/// The wishes weight for this mentee: the program's, or 0 if they gave no wishes.
#[inline]
fn wishes_weight(w: &Weights, mentee: &Mentee) -> u8 {
    if mentee.wishes.is_empty() {
        0
    } else {
        w.wishes
    }
}

/// The sum of the weights that count for this mentee.
fn weight_sum(w: &Weights, mentee: &Mentee) -> u32 {
    [w.skills, w.approach, w.seniority, w.availability, w.location, wishes_weight(w, mentee)]
        .iter()
        .map(|&x| x as u32)
        .sum()
}

/// The weighted mean `num / den` rounded half up; [`NEUTRAL`] when nothing has weight.
fn weighted_mean(num: u32, den: u32) -> i64 {
    if den == 0 {
        NEUTRAL
    } else {
        ((2 * num + den) / (2 * den)) as i64
    }
}

/// "1 wish", "2 wishes", "3 wanted skills".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "1st", "2nd", "3rd", "11th", "22nd".
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Scores one pair with a reason per criterion, or tells which hard rule forbids it (the reporting
/// line first, then the department). `mentor_index` is the mentor's index in the program's mentor
/// list, the one wishes and reporting lines refer to. The admin's list of forbidden pairs is
/// applied by [`explain`].
pub fn score(cfg: &Config, mentee: &Mentee, mentor_index: usize, mentor: &Mentor) -> Result<Breakdown, Blocked> {
    if mentee.reporting_line.contains(&mentor_index) {
        return Err(Blocked::ReportingLine);
    }
    if cfg.avoid_same_department && mentee.department == mentor.department {
        return Err(Blocked::SameDepartment);
    }
    let w = &cfg.weights;
    let mut parts = Vec::with_capacity(Criterion::ALL.len());

    let wanted = mentee.skills_wanted.count_ones();
    let shared = (mentee.skills_wanted & mentor.skills_offered).count_ones();
    let why = if wanted == 0 {
        "no wanted skills given".to_string()
    } else {
        format!("shares {shared} of {}", plural(wanted as usize, "wanted skill", "wanted skills"))
    };
    parts.push((Criterion::Skills, skills_points(shared, wanted), w.skills, why));

    let why = match mentee.approach {
        None => "no preferred approach given".to_string(),
        Some(a) if approach_points(Some(a), mentor.approaches) > 0 => "practises the preferred approach".to_string(),
        Some(_) => "does not practise the preferred approach".to_string(),
    };
    parts.push((Criterion::Approach, approach_points(mentee.approach, mentor.approaches), w.approach, why));

    let gap = level_gap(mentee.level, mentor.level);
    let why = match (mentee.level, mentor.level, gap) {
        (_, _, Some(g)) if g <= 0 => format!("level gap {g}: the mentor is not more senior"),
        (_, _, Some(g)) => format!("level gap {g}, ideal {}", cfg.ideal_gap),
        (None, None, None) => "neither level is known".to_string(),
        (None, _, None) => "the mentee's level is not known".to_string(),
        (_, _, None) => "the mentor's level is not known".to_string(),
    };
    parts.push((Criterion::Seniority, seniority_points(gap, cfg.ideal_gap), w.seniority, why));

    let hours = shared_hours(&mentee.availability, &mentor.availability);
    let why = if hours == 0 {
        "no shared weekly hours".to_string()
    } else {
        format!("{} ({TARGET_HOURS} wanted)", plural(hours as usize, "shared weekly hour", "shared weekly hours"))
    };
    parts.push((Criterion::Availability, availability_points(hours), w.availability, why));

    let why = if mentee.location == mentor.location {
        "same location"
    } else if mentee.remote_ok && mentor.remote_ok {
        "different locations, both open to remote"
    } else {
        "different locations, not both open to remote"
    };
    let points = location_points(mentee.location, mentee.remote_ok, mentor.location, mentor.remote_ok);
    parts.push((Criterion::Location, points, w.location, why.to_string()));

    let n = mentee.wishes.len();
    let (points, why) = match mentee.wishes.iter().position(|&j| j == mentor_index) {
        _ if n == 0 => (NEUTRAL as u32, "no wishes given, so wishes do not count".to_string()),
        Some(r) => (wish_points(r), format!("{} of {}", ordinal(r + 1), plural(n, "wish", "wishes"))),
        None => (0, format!("not among the mentee's {}", plural(n, "wish", "wishes"))),
    };
    parts.push((Criterion::Wishes, points, wishes_weight(w, mentee), why));

    let num: u32 = parts.iter().map(|(_, p, w, _)| p * *w as u32).sum();
    let total = weighted_mean(num, weight_sum(w, mentee));
    let parts = parts
        .into_iter()
        .map(|(criterion, points, weight, why)| Part { criterion, points: points as i64, weight, why })
        .collect();
    Ok(Breakdown { total, parts })
}

/// [`score`] for mentee `i` and mentor `j` of a program, applying the admin's `forbidden` pairs
/// too (after the reporting line, before the department): the breakdown behind entry `[i][j]` of
/// [`score_matrix`]. Panics if `i` or `j` is out of range.
pub fn explain(
    cfg: &Config,
    mentees: &[Mentee],
    mentors: &[Mentor],
    forbidden: &[(usize, usize)],
    i: usize,
    j: usize,
) -> Result<Breakdown, Blocked> {
    let (mentee, mentor) = (&mentees[i], &mentors[j]);
    if mentee.reporting_line.contains(&j) {
        return Err(Blocked::ReportingLine);
    }
    if forbidden.contains(&(i, j)) {
        return Err(Blocked::Forbidden);
    }
    score(cfg, mentee, j, mentor)
}

/// `floor(2^32 / d) + 1`: `(x · magic(d)) >> 32 == x / d` for every `x < 2^32 / d`, so the
/// matrix loop divides by a multiplication. With weights up to 10 the rounding numerators there
/// stay at or below `2 · 100 · 60 + 60 = 12 060` and the divisors at or below 120; even with any
/// `u8` weights they stay at or below `2 · 100 · 1 530 + 1 530 = 307 530` and 3 060, far inside
/// (`2^32 / 3 060 ≈ 1.4 M`).
fn magic(d: u32) -> u64 {
    (1u64 << 32) / d as u64 + 1
}

/// The distinct values of `keys` in order, and the index of each key among them: mentors share
/// few levels, places and approach sets, so a row prices each distinct value once.
fn dense<K: Ord + Copy>(keys: impl Iterator<Item = K> + Clone) -> (Vec<K>, Vec<u32>) {
    let mut distinct: Vec<K> = keys.clone().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let ids = keys.map(|k| distinct.binary_search(&k).expect("a key of the list") as u32).collect();
    (distinct, ids)
}

/// A mentor's facts as the matrix loop reads them, packed together; levels, places and approach
/// sets by their index in the mentors' distinct values.
struct Column {
    availability: Week,
    skills: u64,
    department: u32,
    level: u32,
    place: u32,
    approaches: u32,
}

/// The byte [`Problem`] stores for a forbidden pair (scores take 0..=100).
const BLOCKED: u8 = u8::MAX;

/// One mentee's prices for the matrix loop, weights included.
struct Prices<'a> {
    /// By the number of wanted skills the mentor offers.
    skills: &'a [u32; 65],
    /// By mentor level id.
    seniority: &'a [u32],
    /// By mentor place id.
    location: &'a [u32],
    /// By mentor approach-set id.
    approach: &'a [u32],
    /// By mentor index (0 for mentors not wished).
    wish: &'a [u32],
    /// The availability weight.
    w_availability: u32,
    /// The mentee's wanted skills.
    wanted: u64,
    /// The mentee's hours.
    hours: Week,
    /// The mentee's department.
    department: u32,
    /// Whether the same department blocks a pair.
    avoid: bool,
    /// The rounded mean of a weighted sum `num` is `(2 · num + offset) · mul >> 32`.
    offset: u32,
    /// See `offset`.
    mul: u64,
}

impl Prices<'_> {
    /// Writes the mentee's row of totals into `out` (one byte per mentor), the forbidden marker
    /// where the same department blocks the pair.
    #[inline(always)]
    fn row_generic(&self, columns: &[Column], out: &mut [u8]) {
        for ((c, &wished), o) in columns.iter().zip(self.wish).zip(out.iter_mut()) {
            let num = self.skills[(self.wanted & c.skills).count_ones() as usize]
                + self.seniority[c.level as usize]
                + self.location[c.place as usize]
                + self.approach[c.approaches as usize]
                + self.w_availability * availability_points(shared_hours(&self.hours, &c.availability))
                + wished;
            let total = (((2 * num + self.offset) as u64 * self.mul) >> 32) as u8;
            *o = if self.avoid && self.department == c.department { BLOCKED } else { total };
        }
    }

    /// [`Prices::row_generic`] compiled with the `popcnt` instruction, which the baseline x86-64
    /// target lacks (it counts bits with a dozen shifts and masks instead): a third faster.
    ///
    /// # Safety
    /// The CPU must support `popcnt`.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt")]
    unsafe fn row_popcnt(&self, columns: &[Column], out: &mut [u8]) {
        self.row_generic(columns, out)
    }

    /// The mentee's row, with the fastest bit count the CPU has.
    fn row(&self, columns: &[Column], out: &mut [u8]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU was just seen to support `popcnt`.
            return unsafe { self.row_popcnt(columns, out) };
        }
        self.row_generic(columns, out)
    }
}

/// Scores every pair at once: `score(i, j)` of the problem equals `explain(cfg, mentees, mentors,
/// forbidden, i, j)`, its total or `None` where a hard rule blocks the pair, with the given mentor
/// capacities.
/// Pairs in `forbidden`, reporting lines and wishes that name an unknown mentee or mentor are
/// ignored.
///
/// Builds no text. The mentors' facts are gathered once; each row first prices the mentors'
/// distinct levels, places and approach sets for its mentee (weights included), then the inner
/// loop per mentor is four popcounts (skills, then the three words of the week), five table
/// lookups, a multiply for the rounded mean and a department compare, allocation-free, writing one
/// byte per pair into the problem's flat matrix (7.5 MB for 5 000 × 1 500). On x86-64 the loop uses
/// the `popcnt` instruction when the CPU has it. Panics if `capacity` does not have one entry per
/// mentor.
pub fn score_matrix(
    cfg: &Config,
    mentees: &[Mentee],
    mentors: &[Mentor],
    forbidden: &[(usize, usize)],
    capacity: Vec<u32>,
) -> Problem {
    assert_eq!(capacity.len(), mentors.len(), "one capacity per mentor");
    let (n, m) = (mentees.len(), mentors.len());
    let w = cfg.weights;
    let (levels, level_ids) = dense(mentors.iter().map(|t| t.level));
    let (places, place_ids) = dense(mentors.iter().map(|t| (t.location, t.remote_ok)));
    let (approach_sets, approach_ids) = dense(mentors.iter().map(|t| t.approaches));
    let columns: Vec<Column> = mentors
        .iter()
        .enumerate()
        .map(|(j, t)| Column {
            availability: t.availability,
            skills: t.skills_offered,
            department: t.department,
            level: level_ids[j],
            place: place_ids[j],
            approaches: approach_ids[j],
        })
        .collect();

    // The admin's forbidden mentors of each mentee, bucketed by mentee (a counting sort) so each
    // row takes its own while it is still in cache: `banned[start[i]..start[i + 1]]`.
    let known = |&&(i, j): &&(usize, usize)| i < n && j < m;
    let mut start = vec![0usize; n + 1];
    for &(i, _) in forbidden.iter().filter(known) {
        start[i + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut banned = vec![0usize; start[n]];
    let mut next = start.clone();
    for &(i, j) in forbidden.iter().filter(known) {
        banned[next[i]] = j;
        next[i] += 1;
    }

    // Per-row prices, weights included; allocated once.
    let mut wish = vec![0u32; m];
    let mut seniority = vec![0u32; levels.len()];
    let mut location = vec![0u32; places.len()];
    let mut approach = vec![0u32; approach_sets.len()];
    let mut skills = [0u32; 65];
    let w_availability = w.availability as u32;
    let avoid = cfg.avoid_same_department;

    // One flat byte matrix, row by row (7.5 MB for 5 000 × 1 500).
    let mut scores = vec![0u8; n * m];
    for (i, (e, out)) in mentees.iter().zip(scores.chunks_exact_mut(m.max(1))).enumerate() {
        let wanted = e.skills_wanted.count_ones();
        for (k, s) in skills.iter_mut().enumerate().take(wanted as usize + 1) {
            *s = w.skills as u32 * skills_points(k as u32, wanted);
        }
        for (s, &l) in seniority.iter_mut().zip(&levels) {
            *s = w.seniority as u32 * seniority_points(level_gap(e.level, l), cfg.ideal_gap);
        }
        for (s, &(place, remote)) in location.iter_mut().zip(&places) {
            *s = w.location as u32 * location_points(e.location, e.remote_ok, place, remote);
        }
        for (s, &set) in approach.iter_mut().zip(&approach_sets) {
            *s = w.approach as u32 * approach_points(e.approach, set);
        }
        let w_wishes = wishes_weight(&w, e) as u32;
        for (r, &j) in e.wishes.iter().enumerate().rev() {
            if j < m {
                wish[j] = w_wishes * wish_points(r);
            }
        }
        // total = (2·num + offset) / divisor, rounded half up; with nothing weighted, num is 0
        // and (0 + 100) / 2 gives the neutral 50.
        let den = weight_sum(&w, e);
        let (offset, divisor) = if den == 0 { (2 * NEUTRAL as u32, 2) } else { (den, 2 * den) };
        let mul = magic(divisor);
        let prices = Prices {
            skills: &skills,
            seniority: &seniority,
            location: &location,
            approach: &approach,
            wish: &wish,
            w_availability,
            wanted: e.skills_wanted,
            hours: e.availability,
            department: e.department,
            avoid,
            offset,
            mul,
        };
        prices.row(&columns, out);

        for &j in &e.wishes {
            if j < m {
                wish[j] = 0;
            }
        }
        for &j in e.reporting_line.iter().chain(&banned[start[i]..start[i + 1]]) {
            if let Some(s) = out.get_mut(j) {
                *s = BLOCKED;
            }
        }
    }
    Problem::from_bytes(n, scores, capacity)
}

/// Scores and solves in one go: [`score_matrix`] then [`matching::solve`].
pub fn match_program(
    cfg: &Config,
    mentees: &[Mentee],
    mentors: &[Mentor],
    forbidden: &[(usize, usize)],
    capacity: Vec<u32>,
) -> (Problem, matching::Assignment, matching::Certificate) {
    let p = score_matrix(cfg, mentees, mentors, forbidden, capacity);
    let (a, c) = matching::solve(&p);
    (p, a, c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::default()
    }

    /// A mentee and a mentor that agree on everything: level 3 and 5, skill 0, approach 1, Monday
    /// 9–13, same location.
    fn pair() -> (Mentee, Mentor) {
        let e = Mentee {
            level: Some(3),
            department: 1,
            skills_wanted: 0b111,
            approach: Some(1),
            availability: week(9..13),
            location: 7,
            remote_ok: true,
            wishes: vec![],
            reporting_line: vec![],
        };
        let t = Mentor {
            level: Some(5),
            department: 2,
            skills_offered: 0b111,
            approaches: 0b010,
            availability: week(9..13),
            location: 7,
            remote_ok: true,
        };
        (e, t)
    }

    fn part(b: &Breakdown, c: Criterion) -> &Part {
        b.parts.iter().find(|p| p.criterion == c).expect("every criterion has a part")
    }

    fn points(e: &Mentee, t: &Mentor, c: Criterion) -> (i64, String) {
        let b = score(&cfg(), e, 0, t).expect("allowed");
        let p = part(&b, c);
        (p.points, p.why.clone())
    }

    #[test]
    fn a_perfect_pair_scores_100() {
        let (e, t) = pair();
        let b = score(&cfg(), &e, 0, &t).unwrap();
        assert_eq!(b.total, 100);
        assert_eq!(b.parts.iter().map(|p| p.criterion).collect::<Vec<_>>(), Criterion::ALL.to_vec());
        // Wishes are weighted out: the mentee gave none.
        assert_eq!(part(&b, Criterion::Wishes).weight, 0);
        assert_eq!(part(&b, Criterion::Wishes).points, NEUTRAL);
    }

    #[test]
    fn skills_are_the_share_offered() {
        let (e, mut t) = pair();
        t.skills_offered = 0b1010; // one of the three wanted, plus one not wanted
        assert_eq!(points(&e, &t, Criterion::Skills), (33, "shares 1 of 3 wanted skills".into()));
        t.skills_offered = 0b011;
        assert_eq!(points(&e, &t, Criterion::Skills).0, 67);
        t.skills_offered = 0;
        assert_eq!(points(&e, &t, Criterion::Skills).0, 0);
        let e1 = Mentee { skills_wanted: 1 << 63, ..e.clone() };
        t.skills_offered = u64::MAX;
        assert_eq!(points(&e1, &t, Criterion::Skills), (100, "shares 1 of 1 wanted skill".into()));
        let none = Mentee { skills_wanted: 0, ..e };
        assert_eq!(points(&none, &t, Criterion::Skills), (NEUTRAL, "no wanted skills given".into()));
    }

    #[test]
    fn approach_matches_the_preference() {
        let (mut e, mut t) = pair();
        assert_eq!(points(&e, &t, Criterion::Approach), (100, "practises the preferred approach".into()));
        t.approaches = 0b101;
        assert_eq!(points(&e, &t, Criterion::Approach), (0, "does not practise the preferred approach".into()));
        e.approach = Some(200); // beyond the bitmask: nobody practises it
        t.approaches = u8::MAX;
        assert_eq!(points(&e, &t, Criterion::Approach).0, 0);
        e.approach = None;
        assert_eq!(points(&e, &t, Criterion::Approach), (NEUTRAL, "no preferred approach given".into()));
    }

    #[test]
    fn seniority_peaks_at_the_ideal_gap() {
        let (mut e, mut t) = pair();
        let by_gap: Vec<i64> = (-2..=8)
            .map(|gap| {
                t.level = Some(3 + gap);
                points(&e, &t, Criterion::Seniority).0
            })
            .collect();
        //                 gap: -2 -1  0   1    2   3   4   5  6  7  8
        assert_eq!(by_gap, vec![0, 0, 0, 75, 100, 75, 50, 25, 0, 0, 0]);
        t.level = Some(6);
        assert_eq!(points(&e, &t, Criterion::Seniority).1, "level gap 3, ideal 2");
        t.level = Some(2);
        assert_eq!(points(&e, &t, Criterion::Seniority).1, "level gap -1: the mentor is not more senior");
        t.level = None;
        assert_eq!(points(&e, &t, Criterion::Seniority), (NEUTRAL, "the mentor's level is not known".into()));
        e.level = None;
        assert_eq!(points(&e, &t, Criterion::Seniority), (NEUTRAL, "neither level is known".into()));
        t.level = Some(i64::MAX);
        assert_eq!(points(&e, &t, Criterion::Seniority), (NEUTRAL, "the mentee's level is not known".into()));
        e.level = Some(i64::MIN); // extreme levels saturate instead of overflowing
        assert_eq!(points(&e, &t, Criterion::Seniority).0, 0);
        let c = Config { ideal_gap: 4, ..cfg() };
        let (e, t) = (Mentee { level: Some(1), ..pair().0 }, Mentor { level: Some(5), ..pair().1 });
        assert_eq!(part(&score(&c, &e, 0, &t).unwrap(), Criterion::Seniority).points, 100);
    }

    #[test]
    fn availability_counts_shared_hours_up_to_the_target() {
        let (e, mut t) = pair();
        t.availability = week(11..20);
        assert_eq!(points(&e, &t, Criterion::Availability), (50, "2 shared weekly hours (4 wanted)".into()));
        t.availability = week(12..13);
        assert_eq!(points(&e, &t, Criterion::Availability), (25, "1 shared weekly hour (4 wanted)".into()));
        t.availability = week(0..168);
        assert_eq!(points(&e, &t, Criterion::Availability).0, 100);
        t.availability = week(100..168);
        assert_eq!(points(&e, &t, Criterion::Availability), (0, "no shared weekly hours".into()));
        // Hours across word boundaries, and bits past the week that do not count.
        let e = Mentee { availability: [0, 0, u64::MAX], ..e };
        let t = Mentor { availability: week((126..130).chain(166..200)), ..t };
        assert_eq!(points(&e, &t, Criterion::Availability).1, "4 shared weekly hours (4 wanted)");
        let t = Mentor { availability: [0, 0, !0 << 40], ..t };
        assert_eq!(points(&e, &t, Criterion::Availability).0, 0);
    }

    #[test]
    fn location_prefers_the_same_place_then_remote() {
        let (mut e, mut t) = pair();
        assert_eq!(points(&e, &t, Criterion::Location), (100, "same location".into()));
        t.location = 8;
        assert_eq!(points(&e, &t, Criterion::Location), (70, "different locations, both open to remote".into()));
        e.remote_ok = false;
        assert_eq!(points(&e, &t, Criterion::Location), (0, "different locations, not both open to remote".into()));
        t.location = 7;
        t.remote_ok = false;
        assert_eq!(points(&e, &t, Criterion::Location).0, 100);
    }

    #[test]
    fn wishes_fall_by_rank_and_count_only_when_given() {
        let (mut e, t) = pair();
        e.wishes = vec![4, 0, 9, 4, 0];
        let at = |j: usize, e: &Mentee| {
            let b = score(&cfg(), e, j, &t).unwrap();
            let p = part(&b, Criterion::Wishes).clone();
            (p.points, p.weight, p.why)
        };
        assert_eq!(at(4, &e), (100, 4, "1st of 5 wishes".into()));
        assert_eq!(at(0, &e), (80, 4, "2nd of 5 wishes".into()));
        assert_eq!(at(9, &e), (60, 4, "3rd of 5 wishes".into()));
        assert_eq!(at(1, &e), (0, 4, "not among the mentee's 5 wishes".into()));
        e.wishes = (10..30).collect();
        assert_eq!(at(13, &e).0, 40);
        assert_eq!(at(14, &e).0, WISH_FLOOR);
        assert_eq!(at(29, &e), (WISH_FLOOR, 4, "20th of 20 wishes".into()));
        e.wishes = vec![3];
        assert_eq!(at(3, &e).2, "1st of 1 wish");
        assert_eq!(at(0, &e).2, "not among the mentee's 1 wish");
        e.wishes.clear();
        assert_eq!(at(3, &e), (NEUTRAL, 0, "no wishes given, so wishes do not count".into()));
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(103), "103rd");
    }

    #[test]
    fn the_total_is_the_weighted_mean_rounded_half_up() {
        let (mut e, mut t) = pair();
        e.wishes = vec![1]; // mentor 0 not wished: 0 points at weight 4
        t.location = 3; // both remote: 70 at weight 2
        t.level = Some(6); // gap 3: 75 at weight 3

        // (5·100 + 2·100 + 3·75 + 4·100 + 2·70 + 4·0) / 20 = 1465 / 20 = 73.25
        assert_eq!(score(&cfg(), &e, 0, &t).unwrap().total, 73);
        let w = Weights { skills: 1, approach: 0, seniority: 1, availability: 0, location: 0, wishes: 0 };
        let c = Config { weights: w, ..cfg() };
        // (100 + 75) / 2 = 87.5 rounds up.
        assert_eq!(score(&c, &e, 0, &t).unwrap().total, 88);
        assert_eq!(weighted_mean(0, 0), NEUTRAL);
    }

    #[test]
    fn nothing_weighted_gives_the_neutral_total() {
        let (e, t) = pair();
        let w = Weights { skills: 0, approach: 0, seniority: 0, availability: 0, location: 0, wishes: 7 };
        let c = Config { weights: w, ..cfg() };
        // Only wishes count, and this mentee gave none.
        assert_eq!(score(&c, &e, 0, &t).unwrap().total, NEUTRAL);
        let p = score_matrix(&c, &[e], &[t], &[], vec![1]);
        assert_eq!(p.to_rows(), vec![vec![Some(NEUTRAL)]]);
    }

    #[test]
    fn the_reporting_line_blocks() {
        let (mut e, t) = pair();
        e.reporting_line = vec![5, 2];
        assert_eq!(score(&cfg(), &e, 2, &t), Err(Blocked::ReportingLine));
        assert!(score(&cfg(), &e, 1, &t).is_ok());
        assert_eq!(Blocked::ReportingLine.to_string(), "is their manager or above them in the reporting line");
    }

    #[test]
    fn the_same_department_blocks_only_when_avoided() {
        let (e, mut t) = pair();
        t.department = e.department;
        assert!(score(&cfg(), &e, 0, &t).is_ok());
        let c = Config { avoid_same_department: true, ..cfg() };
        assert_eq!(score(&c, &e, 0, &t), Err(Blocked::SameDepartment));
        // The reporting line is named first.
        let boss = Mentee { reporting_line: vec![0], ..e };
        assert_eq!(score(&c, &boss, 0, &t), Err(Blocked::ReportingLine));
    }

    #[test]
    fn admin_forbids_block() {
        let (e, t) = pair();
        let (mentees, mentors) = (vec![e.clone(), e], vec![t.clone(), t]);
        let forbidden = [(1, 0), (7, 7)];
        assert_eq!(explain(&cfg(), &mentees, &mentors, &forbidden, 1, 0), Err(Blocked::Forbidden));
        assert!(explain(&cfg(), &mentees, &mentors, &forbidden, 0, 0).is_ok());
        let p = score_matrix(&cfg(), &mentees, &mentors, &forbidden, vec![1, 1]);
        assert_eq!(p.to_rows(), vec![vec![Some(100), Some(100)], vec![None, Some(100)]]);
        assert_eq!(Blocked::Forbidden.reason(), "was ruled out for this mentee by an administrator");
    }

    #[test]
    fn weights_are_checked() {
        assert_eq!(Weights::default().check(), Ok(()));
        assert_eq!(Config::default().check(), Ok(()));
        let mut w = Weights::default();
        w.set(Criterion::Location, 11);
        assert_eq!(w.check().unwrap_err(), "the location weight is 11; weights go from 0 to 10");
        let zero = Weights { skills: 0, approach: 0, seniority: 0, availability: 0, location: 0, wishes: 0 };
        assert!(zero.check().unwrap_err().contains("at least one"));
        let mut one = zero;
        one.set(Criterion::Wishes, MAX_WEIGHT);
        assert_eq!(one.check(), Ok(()));
        assert_eq!(one.get(Criterion::Wishes), 10);
        let c = Config { ideal_gap: 0, ..Config::default() };
        assert!(c.check().unwrap_err().contains("ideal level gap is 0"));
    }

    #[test]
    fn a_breakdown_reads_as_sentences() {
        let (mut e, mut t) = pair();
        e.wishes = vec![3, 0];
        t.skills_offered = 0b110;
        t.level = Some(6);
        t.availability = week(12..16);
        t.location = 1;
        let b = score(&cfg(), &e, 0, &t).unwrap();
        let lines: Vec<String> = b
            .parts
            .iter()
            .map(|p| format!("{}: {} ×{} — {}", p.criterion.label(), p.points, p.weight, p.why))
            .collect();
        assert_eq!(
            lines,
            vec![
                "skills: 67 ×5 — shares 2 of 3 wanted skills",
                "approach: 100 ×2 — practises the preferred approach",
                "seniority: 75 ×3 — level gap 3, ideal 2",
                "availability: 25 ×4 — 1 shared weekly hour (4 wanted)",
                "location: 70 ×2 — different locations, both open to remote",
                "wishes: 80 ×4 — 2nd of 2 wishes",
            ]
        );
        // (335 + 200 + 225 + 100 + 140 + 320) / 20 = 66
        assert_eq!(b.total, 66);
        let json = serde_json::to_string(&b).unwrap();
        assert!(json.contains("\"criterion\":\"skills\""), "{json}");
    }

    #[test]
    fn magic_division_is_exact_where_it_is_used() {
        for d in 1..=2 * 6 * MAX_WEIGHT as u32 {
            let m = magic(d);
            for x in 0..=2 * 100 * 60 + 60 {
                assert_eq!(((x as u64 * m) >> 32) as u32, x / d, "{x} / {d}");
            }
        }
        // Out-of-range weights (up to 255) still divide exactly: the largest numerators.
        for d in 1..=2 * 6 * 255 {
            let m = magic(d);
            for x in 2 * 100 * 1530 + 1530 - 2000..=2 * 100 * 1530 + 1530 {
                assert_eq!(((x as u64 * m) >> 32) as u32, x / d, "{x} / {d}");
            }
        }
        let (e, t) = pair();
        let c = Config {
            weights: Weights { skills: 255, approach: 254, seniority: 3, availability: 200, location: 1, wishes: 99 },
            ..cfg()
        };
        let t2 = Mentor { skills_offered: 1, ..t.clone() };
        let p = score_matrix(&c, &[e.clone()], &[t.clone(), t2.clone()], &[], vec![1, 1]);
        assert_eq!(
            p.to_rows()[0],
            vec![Some(score(&c, &e, 0, &t).unwrap().total), Some(score(&c, &e, 1, &t2).unwrap().total)]
        );
    }

    #[test]
    fn the_matrix_matches_single_scores() {
        let (e, t) = pair();
        let mentees = vec![
            e.clone(),
            Mentee { level: None, wishes: vec![1, 0], reporting_line: vec![2, 99], ..e.clone() },
            Mentee { skills_wanted: 0, approach: None, department: 2, remote_ok: false, ..e },
        ];
        let mentors = vec![
            t.clone(),
            Mentor { location: 9, level: Some(4), skills_offered: 1, ..t.clone() },
            Mentor { availability: [0; 3], approaches: 0, ..t },
        ];
        for avoid in [false, true] {
            let c = Config { avoid_same_department: avoid, ..cfg() };
            let p = score_matrix(&c, &mentees, &mentors, &[(2, 1)], vec![1, 2, 3]);
            assert_eq!(p.capacity, vec![1, 2, 3]);
            for i in 0..3 {
                for j in 0..3 {
                    let want = explain(&c, &mentees, &mentors, &[(2, 1)], i, j).ok().map(|b| b.total);
                    assert_eq!(p.score(i, j), want, "pair ({i}, {j})");
                }
            }
            let (_, a, cert) = match_program(&c, &mentees, &mentors, &[(2, 1)], vec![1, 2, 3]);
            matching::verify(&p, &a, &cert).unwrap();
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn arb_weights() -> impl Strategy<Value = Weights> {
        prop::array::uniform6(0u8..=MAX_WEIGHT).prop_map(
            |[skills, approach, seniority, availability, location, wishes]| Weights {
                skills,
                approach,
                seniority,
                availability,
                location,
                wishes,
            },
        )
    }

    fn arb_config() -> impl Strategy<Value = Config> {
        (arb_weights(), 1i64..=5, any::<bool>()).prop_map(|(weights, ideal_gap, avoid_same_department)| Config {
            weights,
            ideal_gap,
            avoid_same_department,
        })
    }

    /// A week of a few blocks, or any bits at all.
    fn arb_week() -> impl Strategy<Value = Week> {
        prop_oneof![
            prop::collection::vec((0usize..168, 1usize..6), 0..3)
                .prop_map(|blocks| week(blocks.into_iter().flat_map(|(s, l)| s..s + l))),
            any::<[u64; 3]>(),
        ]
    }

    /// Small skill sets over 8 skills, sometimes the whole 64.
    fn arb_skills() -> impl Strategy<Value = u64> {
        prop_oneof![4 => 0u64..256, 1 => any::<u64>()]
    }

    /// A mentee whose wishes and reporting line name mentors among `m` (and one beyond).
    fn arb_mentee(m: usize) -> impl Strategy<Value = Mentee> {
        (
            prop::option::of(1i64..=9),
            0u32..3,
            arb_skills(),
            prop::option::of(0u8..9),
            arb_week(),
            (0u32..3, any::<bool>()),
            prop::collection::vec(0..m + 1, 0..4),
            prop::collection::vec(0..m + 1, 0..2),
        )
            .prop_map(
                |(
                    level,
                    department,
                    skills_wanted,
                    approach,
                    availability,
                    (location, remote_ok),
                    wishes,
                    reporting_line,
                )| {
                    Mentee {
                        level,
                        department,
                        skills_wanted,
                        approach,
                        availability,
                        location,
                        remote_ok,
                        wishes,
                        reporting_line,
                    }
                },
            )
    }

    fn arb_mentor() -> impl Strategy<Value = Mentor> {
        (prop::option::of(1i64..=9), 0u32..3, arb_skills(), any::<u8>(), arb_week(), 0u32..3, any::<bool>()).prop_map(
            |(level, department, skills_offered, approaches, availability, location, remote_ok)| Mentor {
                level,
                department,
                skills_offered,
                approaches,
                availability,
                location,
                remote_ok,
            },
        )
    }

    type Instance = (Vec<Mentee>, Vec<Mentor>, Vec<(usize, usize)>);

    fn arb_instance() -> impl Strategy<Value = Instance> {
        (0usize..=5, 0usize..=5).prop_flat_map(|(n, m)| {
            (
                prop::collection::vec(arb_mentee(m), n),
                prop::collection::vec(arb_mentor(), m),
                prop::collection::vec((0..n + 1, 0..m + 1), 0..4),
            )
        })
    }

    /// One pair: a mentee, its index among 4 mentors, the mentor.
    fn arb_pair() -> impl Strategy<Value = (Mentee, usize, Mentor)> {
        (arb_mentee(4), 0usize..4, arb_mentor())
    }

    /// `mentor` with the facts behind criterion `c` taken from `other` (and, for wishes, the
    /// mentee's wishes from `wishes`).
    fn graft(c: Criterion, mentee: &Mentee, mentor: &Mentor, other: &Mentor, wishes: &[usize]) -> (Mentee, Mentor) {
        let (mut e, mut t) = (mentee.clone(), mentor.clone());
        match c {
            Criterion::Skills => t.skills_offered = other.skills_offered,
            Criterion::Approach => t.approaches = other.approaches,
            Criterion::Seniority => t.level = other.level,
            Criterion::Availability => t.availability = other.availability,
            Criterion::Location => (t.location, t.remote_ok) = (other.location, other.remote_ok),
            Criterion::Wishes => e.wishes = wishes.to_vec(),
        }
        (e, t)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn totals_and_points_stay_in_range((e, j, t) in arb_pair(), cfg in arb_config()) {
            if let Ok(b) = score(&cfg, &e, j, &t) {
                prop_assert!((0..=100).contains(&b.total));
                prop_assert_eq!(b.parts.len(), 6);
                for p in &b.parts {
                    prop_assert!((0..=100).contains(&p.points), "{:?}", p);
                    prop_assert!(!p.why.is_empty());
                }
            }
        }

        #[test]
        fn the_total_is_the_mean_of_the_parts((e, j, t) in arb_pair(), cfg in arb_config()) {
            if let Ok(b) = score(&cfg, &e, j, &t) {
                let num: i64 = b.parts.iter().map(|p| p.points * p.weight as i64).sum();
                let den: i64 = b.parts.iter().map(|p| p.weight as i64).sum();
                if den == 0 {
                    prop_assert_eq!(b.total, NEUTRAL);
                } else {
                    // round half up, in rationals: total - 1/2 ≤ num/den < total + 1/2
                    prop_assert!((2 * b.total - 1) * den <= 2 * num && 2 * num < (2 * b.total + 1) * den);
                }
            }
        }

        #[test]
        fn the_matrix_agrees_with_explain((mentees, mentors, forbidden) in arb_instance(), cfg in arb_config()) {
            let cap: Vec<u32> = (0..mentors.len() as u32).collect();
            let p = score_matrix(&cfg, &mentees, &mentors, &forbidden, cap.clone());
            prop_assert_eq!(&p.capacity, &cap);
            prop_assert_eq!(p.check(), Ok(()));
            prop_assert_eq!(p.n_mentees(), mentees.len());
            for (i, row) in p.to_rows().iter().enumerate() {
                for (j, s) in row.iter().enumerate() {
                    let want = explain(&cfg, &mentees, &mentors, &forbidden, i, j).ok().map(|b| b.total);
                    prop_assert_eq!(*s, want, "pair ({}, {})", i, j);
                }
            }
        }

        #[test]
        fn raising_the_weight_of_a_best_criterion_never_lowers_the_total(
            (e, j, t) in arb_pair(),
            cfg in arb_config(),
            c in prop::sample::select(Criterion::ALL.to_vec()),
            raise in 1u8..=MAX_WEIGHT,
        ) {
            let Ok(before) = score(&cfg, &e, j, &t) else { return Ok(()) };
            let mine = before.parts.iter().find(|p| p.criterion == c).unwrap().points;
            let others: Vec<&Part> = before.parts.iter().filter(|p| p.criterion != c && p.weight > 0).collect();
            // The pair scores at least as well on `c` as on every other criterion that counts.
            if !others.is_empty() && others.iter().all(|p| p.points <= mine) {
                let mut higher = cfg;
                higher.weights.set(c, (cfg.weights.get(c) + raise).min(MAX_WEIGHT));
                let after = score(&higher, &e, j, &t).unwrap();
                prop_assert!(after.total >= before.total, "{} → {}", before.total, after.total);
            }
        }

        #[test]
        fn a_zero_weight_removes_a_criterion(
            (e, j, t) in arb_pair(),
            other in arb_mentor(),
            wishes in prop::collection::vec(0usize..5, 0..4),
            cfg in arb_config(),
            c in prop::sample::select(Criterion::ALL.to_vec()),
        ) {
            let mut cfg = cfg;
            cfg.weights.set(c, 0);
            let (e2, t2) = graft(c, &e, &t, &other, &wishes);
            let a = score(&cfg, &e, j, &t).map(|b| b.total);
            let b = score(&cfg, &e2, j, &t2).map(|b| b.total);
            prop_assert_eq!(a, b);
        }
    }
}
