//! Every pair at once: [`score_matrix`] fills the solver's flat byte matrix without building any
//! text, with bitmask popcounts, per-mentor facts gathered once and per-row price tables. Apart
//! from the explained score because it is the hot path of a cold solve (5 000 × 1 500 pairs),
//! tuned for speed; it calls the same point functions, so the totals agree.

use crate::engine::matching::{self, Problem};

use super::criteria::{
    approach_points, availability_points, level_gap, location_points, seniority_points, shared_hours, skills_points,
    weight_sum, wish_points, wishes_weight, Config,
};
use super::{Mentee, Mentor, Week, NEUTRAL};

/// `floor(2^32 / d) + 1`: `(x · magic(d)) >> 32 == x / d` for every `x < 2^32 / d`, so the
/// matrix loop divides by a multiplication. With weights up to 10 the rounding numerators there
/// stay at or below `2 · 100 · 60 + 60 = 12 060` and the divisors at or below 120; even with any
/// `u8` weights they stay at or below `2 · 100 · 1 530 + 1 530 = 307 530` and 3 060, far inside
/// (`2^32 / 3 060 ≈ 1.4 M`).
pub(super) fn magic(d: u32) -> u64 {
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
