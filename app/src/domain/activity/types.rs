//! What a pair has done: the per-mentee timeline, and how long a pair has been quiet (no meeting
//! and no check-in), which flags it for admins after a cohort's threshold.

use serde::{Deserialize, Serialize};

use crate::domain::matching::types::Viewer;
use crate::error::FieldErrors;

/// Threshold when a cohort has none.
pub const DEFAULT_INACTIVE_DAYS: i64 = 21;

/// One thing that happened, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// YYYY-MM-DD.
    pub on: String,
    /// Sort key (an ISO timestamp).
    pub at: String,
    /// goal | milestone | checkin | meeting | workshop | award.
    pub kind: String,
    /// What happened, in words.
    pub title: String,
    /// More (a note, topics), possibly empty.
    pub detail: String,
    /// Where to read more.
    pub link: Option<String>,
}

/// A pair's timeline: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// The pairing.
    pub pairing_id: String,
    /// The mentee.
    pub mentee_name: String,
    /// The mentor.
    pub mentor_name: String,
    /// Cohort name.
    pub cohort_name: String,
    /// The caller's part in the pair.
    pub viewer: Viewer,
    /// Newest first.
    pub events: Vec<TimelineEvent>,
    /// Days since the last meeting or check-in (or since the pair started).
    pub quiet_days: i64,
    /// The cohort's threshold.
    pub inactive_after: i64,
}

/// One pair's activity, for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairActivity {
    /// The pairing.
    pub pairing_id: String,
    /// The cohort.
    pub cohort_id: String,
    /// Cohort name.
    pub cohort_name: String,
    /// The mentee.
    pub mentee_name: String,
    /// The mentor.
    pub mentor_name: String,
    /// Goals sent to the mentor (not drafts).
    pub goals: i64,
    /// Last past meeting (YYYY-MM-DD).
    pub last_meeting: Option<String>,
    /// Last check-in (YYYY-MM-DD).
    pub last_checkin: Option<String>,
    /// Days without a meeting or check-in.
    pub quiet_days: i64,
    /// Quiet for longer than the cohort allows.
    pub inactive: bool,
}

/// A cohort's pairs with their activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortPairs {
    /// Days without a meeting or check-in after which a pair is flagged.
    pub inactive_days: i64,
    /// Quietest first.
    pub pairs: Vec<PairActivity>,
}

/// How many of the quietest pairs the admin's home page lists.
pub const QUIET_SHOWN: usize = 10;

/// The pairs gone quiet in the running cohorts, for the admin's home page: the quietest few, and
/// how many there are in each cohort (whose page lists them all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietSummary {
    /// Quiet pairs in all.
    pub total: usize,
    /// The [`QUIET_SHOWN`] quietest, quietest first.
    pub shown: Vec<PairActivity>,
    /// Each cohort with quiet pairs, most first.
    pub by_cohort: Vec<QuietCohort>,
}

/// A cohort's count of quiet pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietCohort {
    /// The cohort.
    pub cohort_id: String,
    /// Its name.
    pub cohort_name: String,
    /// Its pairs gone quiet.
    pub quiet: usize,
}

impl QuietSummary {
    /// Summarises a list of quiet pairs, quietest first.
    pub fn of(list: Vec<PairActivity>) -> QuietSummary {
        let mut by_cohort: Vec<QuietCohort> = Vec::new();
        for p in &list {
            match by_cohort.iter_mut().find(|c| c.cohort_id == p.cohort_id) {
                Some(c) => c.quiet += 1,
                None => by_cohort.push(QuietCohort {
                    cohort_id: p.cohort_id.clone(),
                    cohort_name: p.cohort_name.clone(),
                    quiet: 1,
                }),
            }
        }
        by_cohort.sort_by(|a, b| b.quiet.cmp(&a.quiet).then_with(|| a.cohort_name.cmp(&b.cohort_name)));
        let total = list.len();
        QuietSummary { total, shown: list.into_iter().take(QUIET_SHOWN).collect(), by_cohort }
    }
}

/// Whole days between `now` and the latest of `since` (the pair's start) and `events` (all in
/// Unix seconds); never negative (a cohort that has not started yet is not quiet).
pub fn quiet_days(now: i64, since: i64, events: &[i64]) -> i64 {
    let last = events.iter().copied().fold(since, i64::max);
    ((now - last) / 86_400).max(0)
}

/// Checks the "flag after N days" setting.
pub fn check_inactive_days(typed: &str) -> Result<i64, FieldErrors> {
    match typed.trim().parse::<i64>() {
        Ok(n) if (3..=120).contains(&n) => Ok(n),
        _ => {
            let mut e = FieldErrors::default();
            e.add("inactive_days", "Enter a number of days from 3 to 120.");
            Err(e)
        }
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub fn date_of(unix: i64) -> String {
    crate::validate::date_of_day(unix.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_pairs_show_the_quietest_few_and_count_every_cohort() {
        let pair = |i: usize, cohort: &str, days: i64| PairActivity {
            pairing_id: format!("p{i}"),
            cohort_id: cohort.to_lowercase(),
            cohort_name: cohort.into(),
            mentee_name: format!("Mentee {i}"),
            mentor_name: "Mentor".into(),
            goals: 0,
            last_meeting: None,
            last_checkin: None,
            quiet_days: days,
            inactive: true,
        };
        // 14 pairs, quietest first as `flagged` gives them: 9 in Spring, 5 in Autumn.
        let list: Vec<PairActivity> =
            (0..14).map(|i| pair(i, if i % 3 == 0 { "Autumn" } else { "Spring" }, 100 - i as i64)).collect();
        let q = QuietSummary::of(list.clone());
        assert_eq!(q.total, 14);
        assert_eq!(q.shown, list[..QUIET_SHOWN].to_vec());
        let counts: Vec<(&str, usize)> = q.by_cohort.iter().map(|c| (c.cohort_name.as_str(), c.quiet)).collect();
        assert_eq!(counts, [("Spring", 9), ("Autumn", 5)]);
        assert_eq!(q.by_cohort[1].cohort_id, "autumn");
        let few = QuietSummary::of(list[..3].to_vec());
        assert_eq!((few.total, few.shown.len()), (3, 3));
        assert_eq!(QuietSummary::of(Vec::new()), QuietSummary { total: 0, shown: vec![], by_cohort: vec![] });
    }

    #[test]
    fn quiet_days_count_from_the_latest_activity() {
        let day = 86_400;
        let start = 1_000 * day;
        assert_eq!(quiet_days(start + 30 * day, start, &[]), 30);
        assert_eq!(quiet_days(start + 30 * day, start, &[start + 10 * day, start + 25 * day + 5]), 4);
        // A cohort that starts in the future is not quiet.
        assert_eq!(quiet_days(start - 5 * day, start, &[]), 0);
    }

    #[test]
    fn dates_from_unix_times() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(1_795_478_400 + 86_399), "2026-11-24");
        assert_eq!(date_of(-86_400), "1969-12-31");
    }

    #[test]
    fn the_threshold_is_a_sensible_number_of_days() {
        assert_eq!(check_inactive_days(" 21 ").unwrap(), 21);
        for bad in ["2", "121", "three", ""] {
            assert!(check_inactive_days(bad).unwrap_err().get("inactive_days").is_some(), "{bad}");
        }
    }
}
