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
//! * [`score_matrix`] scores every pair at once into a [`matching::Problem`](super::matching::Problem) for the solver,
//!   without building any text: bitmask popcounts, per-mentor data gathered once, and one byte
//!   per pair in the problem's flat matrix.
//!
//! The facts arrive already resolved to small ids by the caller: departments, locations and
//! approaches are ids, skills and available hours are bitmasks, wishes and reporting lines are
//! mentor indexes.
//!
//! # Files
//!
//! * this file: the facts about people ([`Mentee`], [`Mentor`], [`Week`]), the hard rules
//!   ([`Blocked`]) and the scoring constants;
//! * `criteria.rs`: the six criteria, their weights ([`Config`]) and the point function of each,
//!   shared by both ways in so that they cannot drift apart;
//! * `breakdown.rs`: one pair's [`Breakdown`] with a sentence per criterion ([`score`],
//!   [`explain`]);
//! * `matrix.rs`: the text-free, popcount-based [`score_matrix`] over every pair;
//! * `tests.rs`: unit tests and property tests (the matrix agrees with [`explain`] pair by pair).

use std::fmt;

use serde::{Deserialize, Serialize};

mod breakdown;
mod criteria;
mod matrix;
#[cfg(test)]
mod tests;

pub use breakdown::{explain, score, Breakdown, Part};
pub use criteria::{Config, Criterion, Weights};
pub use matrix::{match_program, score_matrix};

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
