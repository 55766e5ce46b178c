//! Survey results kept in this process between calls, so switching breakdowns, a second admin
//! opening the same page, or the trend across rounds does not read 5 000 responses again.
//!
//! A survey's responses are only ever added (never edited or deleted), so their number, counted
//! in the database on every call, says whether what was read is still current: a new answer
//! makes the next call read again, and a closed survey's entry never goes stale. A report also
//! depends on the design (its version), the people asked, the program's skill names, the
//! breakdown and whether free text is shown: all of them are its key. Each app server keeps its
//! own cache and checks the count in the shared database, so servers never disagree.
//!
//! A new answer need not make the next look read 5 000 responses again: the submission that
//! stored it hands it over ([`add`]; the live feed does the same for answers stored by other app
//! servers), and it is appended by its record key, once. The count check stays the judge: an
//! answer that was not handed over makes the next call read what is missing.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use crate::domain::surveys::report::{Dimension, GroupResult, QuestionResult, ResponseRow};
use crate::engine::stats::Estimate;

/// Responses kept across all surveys; the least recently used surveys go first beyond it.
pub(crate) const MAX_ROWS: usize = 50_000;
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

/// A survey's responses as read, each with its record key (a random key, never the respondent):
/// what tells a response handed over from one already read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Responses {
    pub ids: Vec<String>,
    pub rows: Vec<ResponseRow>,
}

impl Responses {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[derive(Default)]
struct Entry {
    /// Responses the survey had when this entry was filled.
    responses: usize,
    rows: Option<Arc<Responses>>,
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
pub(crate) fn rows(key: &SurveyKey) -> Option<Arc<Responses>> {
    let mut c = cache();
    c.clock += 1;
    let clock = c.clock;
    let e = c.entries.get_mut(key)?;
    e.used = clock;
    e.rows.clone()
}

/// Keeps the responses just read (their number is the entry's count).
pub(crate) fn keep_rows(key: &SurveyKey, rows: Arc<Responses>) {
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

/// Appends response `id` of survey `survey` (a key), just stored, to the responses kept for it,
/// unless they already hold it; the reports made without it are dropped. `created` tells the
/// survey apart from one of the same key in another database of this process, when known.
pub fn add(survey: &str, created: Option<&str>, id: &str, row: ResponseRow) {
    let mut c = cache();
    for (key, e) in c.entries.iter_mut() {
        if key.id != survey || created.is_some_and(|created| created != key.created) {
            continue;
        }
        let Some(kept) = e.rows.as_mut() else {
            // Only numbers for another count: the next call makes them again.
            e.responses = usize::MAX;
            continue;
        };
        if kept.ids.iter().any(|k| k == id) {
            continue;
        }
        // In place unless a call is computing from these very rows right now.
        let kept = Arc::make_mut(kept);
        kept.ids.push(id.to_string());
        kept.rows.push(row.clone());
        e.responses = kept.rows.len();
        e.reports.clear();
        e.headlines.clear();
    }
}

/// How many responses of survey `survey` (a key) this process keeps, if any (for tests and
/// benchmarks: whether an answer was handed over).
pub fn kept_responses(survey: &str) -> Option<usize> {
    cache().entries.iter().filter(|(k, _)| k.id == survey).find_map(|(_, e)| e.rows.as_ref().map(|r| r.len()))
}

/// How many responses this process keeps, over all surveys.
pub(crate) fn kept_total() -> usize {
    cache().entries.values().filter_map(|e| e.rows.as_ref()).map(|r| r.len()).sum()
}

/// Forgets every kept result, so the next call reads the database (benchmarks time that path).
pub fn clear() {
    *cache() = Cache::default();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cache is one per process: these tests take turns (one pushes surveys out).
    static TURN: Mutex<()> = Mutex::new(());

    fn key(id: &str) -> SurveyKey {
        SurveyKey { id: id.into(), created: "test-cache".into() }
    }

    fn row() -> ResponseRow {
        ResponseRow {
            side: "mentee".into(),
            department: String::new(),
            level: None,
            day: "2026-11-02".into(),
            answers: Default::default(),
        }
    }

    fn rows(n: usize) -> Arc<Responses> {
        Arc::new(Responses { ids: (0..n).map(|i| format!("r{i}")).collect(), rows: vec![row(); n] })
    }

    #[test]
    fn a_new_answer_makes_kept_results_stale_and_memory_stays_bounded() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
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

    #[test]
    fn an_answer_handed_over_is_appended_once_and_only_to_its_survey() {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        let report_key =
            ReportKey { version: 1, invited: 9, dimension: Dimension::None, with_texts: false, skills: Vec::new() };
        let made = || {
            Arc::new(Report {
                answered: 2,
                groups: Vec::new(),
                questions: Vec::new(),
                texts_hidden: None,
                by_day: Vec::new(),
            })
        };
        keep_rows(&key("add_a"), rows(2));
        keep_report(&key("add_a"), 2, report_key.clone(), made());
        // The same key in another database of this process.
        let other = SurveyKey { id: "add_a".into(), created: "elsewhere".into() };
        keep_rows(&other, rows(2));
        let held = super::rows(&key("add_a")).unwrap();

        add("add_a", Some("test-cache"), "r9", ResponseRow { department: "Sales".into(), ..row() });
        let now = super::rows(&key("add_a")).unwrap();
        assert_eq!((now.len(), now.ids.last().map(String::as_str)), (3, Some("r9")));
        assert_eq!(now.rows[2].department, "Sales");
        assert_eq!(held.len(), 2, "a call still computing from the rows it took keeps them");
        assert!(report(&key("add_a"), 2, &report_key).is_none(), "the report without it is dropped");
        assert!(report(&key("add_a"), 3, &report_key).is_none());
        assert_eq!(super::rows(&other).unwrap().len(), 2, "another database's survey is left alone");

        // Handed over twice (by the submission and by the live feed): kept once.
        add("add_a", Some("test-cache"), "r9", row());
        add("add_a", None, "r1", row());
        assert_eq!(super::rows(&key("add_a")).unwrap().len(), 3);
        // A survey nobody looked at: nothing kept, nothing made.
        add("add_none", None, "r1", row());
        assert!(super::rows(&key("add_none")).is_none());
    }
}
