//! One pair's score explained: a [`Breakdown`] with a sentence per criterion, for the people
//! who review the board. Apart from the matrix path because it builds text and checks the hard
//! rules one pair at a time; [`super::score_matrix`] gives the same totals without either.

use serde::{Deserialize, Serialize};

use super::criteria::{
    approach_points, availability_points, level_gap, location_points, seniority_points, shared_hours, skills_points,
    weight_sum, weighted_mean, wish_points, wishes_weight, Config, Criterion,
};
use super::{Blocked, Mentee, Mentor, NEUTRAL, TARGET_HOURS};

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

/// "1 wish", "2 wishes", "3 wanted skills".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "1st", "2nd", "3rd", "11th", "22nd".
pub(super) fn ordinal(n: usize) -> String {
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
/// [`score_matrix`](super::score_matrix). Panics if `i` or `j` is out of range.
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
