//! k-anonymity for published survey aggregates, with complementary suppression.
//!
//! A breakdown (answers by department, level, cohort…) splits a total into groups. A group with
//! fewer than k respondents is hidden ([`Hidden::TooFew`]). Hiding it alone is not enough when the
//! total is published too: total − every visible group = the hidden groups' aggregate (the
//! *differencing attack*). If only one group is hidden, that difference *is* the group; if the hidden
//! groups together hold fewer than k people, the difference is an aggregate of fewer than k. So the
//! hidden set must hold at least two groups and at least k people together; [`suppress`] hides the
//! next-smallest visible groups ([`Hidden::Complementary`]) until it does.
//!
//! The guarantee: every number a reader can publish or derive from one breakdown and its total is an
//! aggregate over at least k respondents. Two limits stay with the caller:
//! - Several breakdowns of the same respondents (department *and* level) can be cross-differenced;
//!   each breakdown here is suppressed on its own.
//! - An aggregate over k people still reveals them all when they all answered alike (all gave 5);
//!   k-anonymity hides who, not what a unanimous group said.

use serde::{Deserialize, Serialize};

/// Smallest k a survey may set.
pub const MIN_K: u32 = 3;

/// Default k.
pub const DEFAULT_K: u32 = 5;

/// Why a cell is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hidden {
    /// Fewer than k respondents in this cell.
    TooFew,
    /// Hidden too, so that a small cell cannot be worked out by subtracting visible cells from the
    /// visible total.
    Complementary,
}

impl Hidden {
    /// The reason in plain words, for the reader of the results ("fewer than 5 answers").
    pub fn reason(self, k: u32) -> String {
        match self {
            Hidden::TooFew => format!("fewer than {k} answers"),
            Hidden::Complementary => {
                format!("hidden so that a group of fewer than {k} cannot be worked out from the total")
            }
        }
    }
}

/// For groups that partition a total which is itself published: which cells must be hidden.
///
/// `counts[i]` = respondents in group i. Returns one entry per group, `None` = may be shown.
/// A group with 0 respondents contains nobody, is shown (it reveals no answer) and never serves as
/// a complement, since hiding it would hide nobody. If the total is below k, every non-empty group
/// is [`Hidden::TooFew`] (and [`total_shown`] is false). `k` is taken as given: callers check a
/// survey's k against [`MIN_K`] when it is set.
pub fn suppress(counts: &[u32], k: u32) -> Vec<Option<Hidden>> {
    let total: u64 = counts.iter().map(|&n| u64::from(n)).sum();
    if total < u64::from(k) {
        return counts.iter().map(|&n| (n > 0).then_some(Hidden::TooFew)).collect();
    }
    let mut cells: Vec<Option<Hidden>> = counts.iter().map(|&n| (n > 0 && n < k).then_some(Hidden::TooFew)).collect();
    loop {
        let (hidden_cells, hidden_people) = counts
            .iter()
            .zip(&cells)
            .filter(|(&n, cell)| n > 0 && cell.is_some())
            .fold((0usize, 0u64), |(cells, people), (&n, _)| (cells + 1, people + u64::from(n)));
        let safe = hidden_cells == 0 || (hidden_cells >= 2 && hidden_people >= u64::from(k));
        if safe {
            break;
        }
        // `min_by_key` keeps the first of equal keys, so ties go to the lowest index.
        let next = counts
            .iter()
            .zip(&cells)
            .enumerate()
            .filter(|(_, (&n, cell))| n > 0 && cell.is_none())
            .min_by_key(|(_, (&n, _))| n);
        match next {
            Some((i, _)) => cells[i] = Some(Hidden::Complementary),
            // Unreachable while total >= k (the hidden set would be every non-empty group, so it
            // holds the whole total); kept as a stop rather than a panic.
            None => break,
        }
    }
    cells
}

/// Whether a total over `n` respondents may be published at all (n >= k).
pub fn total_shown(n: u32, k: u32) -> bool {
    n >= k
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const T: Option<Hidden> = Some(Hidden::TooFew);
    const C: Option<Hidden> = Some(Hidden::Complementary);

    #[test]
    fn four_respondents_are_hidden_five_are_shown() {
        assert_eq!(suppress(&[4, 20], 5), vec![T, C]);
        assert_eq!(suppress(&[5, 20], 5), vec![None, None]);
        assert!(!total_shown(4, 5));
        assert!(total_shown(5, 5));
    }

    #[test]
    fn differencing_one_more_group_is_hidden() {
        // Total 33 published; without complementary suppression 33 − 10 − 12 − 8 = 3 would give
        // the small group away. The next-smallest group (8) is hidden with it: 11 people together.
        assert_eq!(suppress(&[10, 3, 12, 8], 5), vec![None, T, None, C]);
        // Two small groups of 2 + 2 = 4 < k: their sum would still be an aggregate of four people,
        // so the smallest visible group joins them.
        assert_eq!(suppress(&[2, 2, 9, 6], 5), vec![T, T, None, C]);
        // Two small groups adding up to k are safe together.
        assert_eq!(suppress(&[3, 2, 9, 6], 5), vec![T, T, None, None]);
    }

    #[test]
    fn ties_go_to_the_lowest_index() {
        assert_eq!(suppress(&[7, 1, 7, 7], 5), vec![C, T, None, None]);
    }

    #[test]
    fn one_complement_always_suffices() {
        // Every visible non-empty group holds at least k, so one complement makes the hidden set
        // safe: 1 + 4 + 6 = 11 >= 10 here, and 1 + 12 = 13 in the second case.
        assert_eq!(suppress(&[1, 4, 30, 6], 10), vec![T, T, None, T]);
        assert_eq!(suppress(&[1, 12, 30, 15], 10), vec![T, C, None, None]);
    }

    #[test]
    fn empty_groups_are_shown_and_never_complements() {
        assert_eq!(suppress(&[0, 3, 0, 9, 12], 5), vec![None, T, None, C, None]);
        assert_eq!(suppress(&[0, 0, 6], 5), vec![None, None, None]);
        assert_eq!(suppress(&[], 5), Vec::<Option<Hidden>>::new());
    }

    #[test]
    fn total_below_k_hides_every_non_empty_group() {
        assert_eq!(suppress(&[2, 0, 2], 5), vec![T, None, T]);
        assert!(!total_shown(4, 5));
    }

    #[test]
    fn reasons_read_plainly() {
        assert_eq!(Hidden::TooFew.reason(5), "fewer than 5 answers");
        assert_eq!(
            Hidden::Complementary.reason(5),
            "hidden so that a group of fewer than 5 cannot be worked out from the total"
        );
    }

    /// Random groups, each respondent with a score 1..=5.
    fn groups() -> impl Strategy<Value = (Vec<Vec<u8>>, u32)> {
        (prop::collection::vec(prop::collection::vec(1u8..=5, 0..20), 0..8), 3u32..=10)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn no_answer_can_be_derived((scores, k) in groups()) {
            let counts: Vec<u32> = scores.iter().map(|g| g.len() as u32).collect();
            let total: u32 = counts.iter().sum();
            let cells = suppress(&counts, k);
            prop_assert_eq!(cells.len(), counts.len());

            // (a) no shown non-empty cell has fewer than k people.
            for (&n, cell) in counts.iter().zip(&cells) {
                prop_assert!(n == 0 || cell.is_some() || n >= k, "shown cell of {} < {}", n, k);
                prop_assert!(n > 0 || cell.is_none(), "empty cell hidden");
            }

            // (b) the hidden non-empty cells: none, or ≥ 2 holding ≥ k together, or the total is
            // itself below k and then every non-empty cell is hidden.
            let hidden: Vec<u32> =
                counts.iter().zip(&cells).filter(|(&n, c)| n > 0 && c.is_some()).map(|(&n, _)| n).collect();
            let hidden_people: u32 = hidden.iter().sum();
            if total < k {
                prop_assert!(!total_shown(total, k));
                prop_assert_eq!(hidden_people, total);
            } else {
                prop_assert!(hidden.is_empty() || (hidden.len() >= 2 && hidden_people >= k));
            }

            // (c) what a reader sees: the sum of scores per shown cell, and the total's sum when
            // the total is shown. The only other number they can derive is total − shown cells,
            // the hidden cells' aggregate: it must cover at least k people.
            let sum = |g: &Vec<u8>| g.iter().map(|&s| u32::from(s)).sum::<u32>();
            if total_shown(total, k) {
                let shown_sum: u32 = scores.iter().zip(&cells).filter(|(_, c)| c.is_none()).map(|(g, _)| sum(g)).sum();
                let shown_people: u32 =
                    counts.iter().zip(&cells).filter(|(_, c)| c.is_none()).map(|(&n, _)| n).sum();
                let hidden_sum = scores.iter().map(sum).sum::<u32>() - shown_sum;
                let hidden_scores: Vec<u8> =
                    scores.iter().zip(&cells).filter(|(_, c)| c.is_some()).flat_map(|(g, _)| g.clone()).collect();
                prop_assert_eq!(total - shown_people, hidden_people);
                prop_assert_eq!(hidden_sum, hidden_scores.iter().map(|&s| u32::from(s)).sum::<u32>());
                prop_assert!(hidden_people == 0 || hidden_people >= k);

                // Each hidden respondent's score is not determined by the published numbers: another
                // set of hidden scores with the same sum gives them a different score (swap with a
                // neighbour who answered differently, or move one point to or from a neighbour).
                // The one exception is a unanimous extreme (everyone hidden gave 1, or everyone 5),
                // which no aggregate can hide (see the module notes).
                let unanimous_extreme = hidden_scores.iter().all(|&s| s == 1) || hidden_scores.iter().all(|&s| s == 5);
                if !hidden_scores.is_empty() && !unanimous_extreme {
                    for (i, &score) in hidden_scores.iter().enumerate() {
                        let other = alternative(&hidden_scores, i);
                        prop_assert!(other.is_some(), "score {} of {:?} is determined", i, hidden_scores);
                        let other = other.unwrap();
                        prop_assert_ne!(other[i], score);
                        prop_assert_eq!(
                            other.iter().map(|&s| u32::from(s)).sum::<u32>(),
                            hidden_sum
                        );
                        prop_assert!(other.iter().all(|s| (1..=5).contains(s)));
                    }
                }
            }
        }
    }

    /// Another assignment of scores 1..=5 with the same sum in which respondent `i` scored
    /// differently, if one exists.
    fn alternative(scores: &[u8], i: usize) -> Option<Vec<u8>> {
        let mut other = scores.to_vec();
        if let Some(j) = (0..scores.len()).find(|&j| scores[j] != scores[i]) {
            other.swap(i, j);
            return Some(other);
        }
        // Everyone answered alike: move one point between i and someone else.
        let j = (0..scores.len()).find(|&j| j != i)?;
        if scores[i] < 5 && scores[j] > 1 {
            other[i] += 1;
            other[j] -= 1;
        } else if scores[i] > 1 && scores[j] < 5 {
            other[i] -= 1;
            other[j] += 1;
        } else {
            return None;
        }
        Some(other)
    }
}
