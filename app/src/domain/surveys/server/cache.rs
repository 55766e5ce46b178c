//! Survey results kept in this process between calls, so switching breakdowns, a second admin
//! opening the same page, or the trend across rounds does not read 5 000 responses again.
//!
//! A survey's responses are only ever added (never edited or deleted), so their number, counted
//! in the database on every call, says whether what was read is still current: a new answer
//! makes the next call read again, and a closed survey's entry never goes stale. A report also
//! depends on the design (its version), the people asked, the program's skill names, the
//! breakdown and whether free text is shown: all of them are its key. Each app server keeps its
//! own cache and checks the count in the shared database, so servers never disagree.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use crate::domain::surveys::report::{Dimension, GroupResult, QuestionResult, ResponseRow};
use crate::engine::stats::Estimate;

/// Responses kept across all surveys; the least recently used surveys go first beyond it.
const MAX_ROWS: usize = 50_000;
/// Surveys kept (an entry without responses holds a few numbers).
const MAX_SURVEYS: usize = 256;
/// Reports kept per survey (4 breakdowns × with or without free text).
const MAX_REPORTS: usize = 8;

/// Which survey: its key and when it was created, so that two databases in one process (tests,
/// each seeding the demo's `survey:pulse`) never share an entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SurveyKey {
    pub id: String,
    pub created: String,
}

/// What a report depends on besides the responses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReportKey {
    pub version: i64,
    pub invited: u32,
    pub dimension: Dimension,
    pub with_texts: bool,
    pub skills: Vec<(String, String)>,
}

/// What `report::compute` and `report::by_day` made of the responses.
#[derive(Debug)]
pub(crate) struct Report {
    /// Responses it covers.
    pub answered: u32,
    pub groups: Vec<GroupResult>,
    pub questions: Vec<QuestionResult>,
    pub texts_hidden: Option<String>,
    pub by_day: Vec<(String, u32)>,
}

#[derive(Default)]
struct Entry {
    /// Responses the survey had when this entry was filled.
    responses: usize,
    rows: Option<Arc<Vec<ResponseRow>>>,
    reports: Vec<(ReportKey, Arc<Report>)>,
    /// (question, k) → the question's mean if shown, for the trend across rounds.
    headlines: Vec<((String, u32), Option<Estimate>)>,
    used: u64,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<SurveyKey, Entry>,
    clock: u64,
}

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

fn cache() -> MutexGuard<'static, Cache> {
    // Nothing here is left half-written by a panic, so a poisoned lock is still usable.
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

impl Cache {
    /// The entry of `key` if it was filled when the survey had `responses` responses.
    fn current(&mut self, key: &SurveyKey, responses: usize) -> Option<&mut Entry> {
        self.clock += 1;
        let clock = self.clock;
        let e = self.entries.get_mut(key).filter(|e| e.responses == responses)?;
        e.used = clock;
        Some(e)
    }

    /// The entry of `key` for `responses` responses, emptied if it was filled for another number.
    fn entry(&mut self, key: &SurveyKey, responses: usize) -> &mut Entry {
        self.clock += 1;
        let e = self.entries.entry(key.clone()).or_default();
        if e.responses != responses {
            *e = Entry { responses, ..Entry::default() };
        }
        e.used = self.clock;
        e
    }

    /// Drops the least recently used surveys beyond the limits (never the one just used).
    fn trim(&mut self) {
        loop {
            let rows: usize = self.entries.values().filter_map(|e| e.rows.as_ref()).map(|r| r.len()).sum();
            if rows <= MAX_ROWS && self.entries.len() <= MAX_SURVEYS {
                return;
            }
            let newest = self.entries.values().map(|e| e.used).max().unwrap_or(0);
            let oldest = self
                .entries
                .iter()
                .filter(|(_, e)| e.used != newest && (self.entries.len() > MAX_SURVEYS || e.rows.is_some()))
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    self.entries.remove(&k);
                }
                None => return,
            }
        }
    }
}

/// The responses last read, if still kept (perhaps fewer than the survey has now).
pub(crate) fn rows(key: &SurveyKey) -> Option<Arc<Vec<ResponseRow>>> {
    let mut c = cache();
    c.clock += 1;
    let clock = c.clock;
    let e = c.entries.get_mut(key)?;
    e.used = clock;
    e.rows.clone()
}

/// Keeps the responses just read (their number is the entry's count).
pub(crate) fn keep_rows(key: &SurveyKey, rows: Arc<Vec<ResponseRow>>) {
    let mut c = cache();
    let n = rows.len();
    c.entry(key, n).rows = Some(rows);
    c.trim();
}

/// The report made from `responses` responses for `report`, if kept.
pub(crate) fn report(key: &SurveyKey, responses: usize, report: &ReportKey) -> Option<Arc<Report>> {
    let mut c = cache();
    let e = c.current(key, responses)?;
    e.reports.iter().find(|(k, _)| k == report).map(|(_, r)| r.clone())
}

/// Keeps a report made from `responses` responses.
pub(crate) fn keep_report(key: &SurveyKey, responses: usize, report: ReportKey, made: Arc<Report>) {
    let mut c = cache();
    let e = c.entry(key, responses);
    e.reports.retain(|(k, _)| k != &report);
    if e.reports.len() >= MAX_REPORTS {
        e.reports.remove(0);
    }
    e.reports.push((report, made));
    c.trim();
}

/// The mean of `question` (shown under `k`) over `responses` responses, if kept.
pub(crate) fn headline(key: &SurveyKey, responses: usize, question: &str, k: u32) -> Option<Option<Estimate>> {
    let mut c = cache();
    let e = c.current(key, responses)?;
    e.headlines.iter().find(|((q, kk), _)| q == question && *kk == k).map(|(_, m)| *m)
}

/// Keeps the mean of `question` over `responses` responses.
pub(crate) fn keep_headline(key: &SurveyKey, responses: usize, question: &str, k: u32, mean: Option<Estimate>) {
    let mut c = cache();
    let e = c.entry(key, responses);
    e.headlines.retain(|((q, kk), _)| !(q == question && *kk == k));
    e.headlines.push(((question.to_string(), k), mean));
    c.trim();
}

/// Forgets every kept result, so the next call reads the database (benchmarks time that path).
pub fn clear() {
    *cache() = Cache::default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> SurveyKey {
        SurveyKey { id: id.into(), created: "test-cache".into() }
    }

    fn rows(n: usize) -> Arc<Vec<ResponseRow>> {
        let r = ResponseRow {
            side: "mentee".into(),
            department: String::new(),
            level: None,
            day: "2026-11-02".into(),
            answers: Default::default(),
        };
        Arc::new(vec![r; n])
    }

    #[test]
    fn a_new_answer_makes_kept_results_stale_and_memory_stays_bounded() {
        let report_key =
            ReportKey { version: 2, invited: 10, dimension: Dimension::None, with_texts: true, skills: Vec::new() };
        let made = Arc::new(Report {
            answered: 3,
            groups: Vec::new(),
            questions: Vec::new(),
            texts_hidden: None,
            by_day: Vec::new(),
        });
        keep_rows(&key("cache_a"), rows(3));
        keep_report(&key("cache_a"), 3, report_key.clone(), made);
        assert_eq!(super::rows(&key("cache_a")).map(|r| r.len()), Some(3));
        assert!(report(&key("cache_a"), 3, &report_key).is_some());
        assert!(report(&key("cache_a"), 3, &ReportKey { version: 3, ..report_key.clone() }).is_none());
        assert!(report(&key("cache_a"), 4, &report_key).is_none(), "a fourth answer came in");
        keep_headline(&key("cache_a"), 4, "q1", 5, None);
        assert!(report(&key("cache_a"), 3, &report_key).is_none(), "the entry was refilled for 4");
        assert_eq!(headline(&key("cache_a"), 4, "q1", 5), Some(None));
        // Surveys past the row budget push the least recently used out; the newest stays.
        for i in 0..4 {
            keep_rows(&key(&format!("cache_big{i}")), rows(MAX_ROWS / 3));
        }
        assert!(super::rows(&key("cache_big0")).is_none());
        assert!(super::rows(&key("cache_big3")).is_some());
        let kept: usize = cache().entries.values().filter_map(|e| e.rows.as_ref()).map(|r| r.len()).sum();
        assert!(kept <= MAX_ROWS);
    }
}
