//! A participant's own reads (their home page's panels), kept between requests while nothing
//! they depend on changed.
//!
//! Trusted only while the live feed watches every table a kept read depends on (the feed reports
//! a change to any of them, from any app server on the database, within milliseconds). Without
//! the feed (tests, a feed that dropped) every request reads the database. A kept read is also
//! forgotten:
//! - when a table it names changes (any record: the feed does not say whose it was);
//! - when the caller writes anything on this server, from any of their sessions (before and after the write,
//!   so a page loaded right after a check-in never shows what was there before it, even if the
//!   feed's report is still on its way);
//! - after [`KEPT_FOR`] in any case, so what depends on the clock and not on a write (a
//!   meeting that is no longer "next" at noon, a workshop in the past or an assessment window
//!   opening at midnight) is at most that late.
//!
//! A read kept for everyone of a role ([`KeptReads::read_shared`]: the admins' quiet pairs, the
//! leadership's figures) is made again in the background when it is older than [`KEPT_FOR`] and
//! nothing it depends on changed: the callers meanwhile get what was kept (at most
//! `2 × KEPT_FOR` old), and none of them waits for the read. A change still makes it at once.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use surrealdb::types::Value;

use crate::db::{value, Db};
use crate::error::AppError;

/// The tables kept reads may depend on; the live feed watches each of them.
pub const WATCHED: [&str; 14] = [
    "assessment",
    "award",
    "checkin",
    "cohort",
    "goal",
    "meeting",
    "notification",
    "pairing",
    "program",
    "skill",
    "survey",
    "survey_answered",
    "user",
    "workshop_seat",
];

/// The tables whose changes the live feed reports to the people they concern (see
/// [`KeptReads::reported`]), not to everyone: a read kept for everyone cannot depend on them.
pub const REPORTED_PER_PERSON: [&str; 8] =
    ["notification", "survey_answered", "goal", "checkin", "meeting", "workshop_seat", "award", "assessment"];

/// How long a read is kept at most, even while nothing it depends on changes.
pub const KEPT_FOR: Duration = Duration::from_secs(60);
/// People whose reads are kept at most (all are forgotten when there would be more).
const PEOPLE_KEPT: usize = 10_000;

/// The reads kept for everyone on this app server (cheap to clone; one per server).
#[derive(Clone)]
pub struct KeptReads {
    /// [`KEPT_FOR`], shorter in tests.
    kept_for: Duration,
    watched: Arc<AtomicBool>,
    state: Arc<Mutex<State>>,
    /// How many reads were answered with what was kept.
    served: Arc<AtomicU64>,
}

#[derive(Default)]
struct State {
    /// Moves on when everything kept is forgotten (the feed stopped, came back, or lost track).
    reset: u64,
    /// How many changes each watched table has seen.
    tables: HashMap<&'static str, u64>,
    people: HashMap<String, Person>,
}

#[derive(Default)]
struct Person {
    /// Moves on whenever one of their sessions writes.
    writes: u64,
    /// How many changes of each table concerned them alone (a notification for them, a check-in
    /// on their goal), on top of the table's changes that may concern anyone.
    tables: HashMap<&'static str, u64>,
    reads: HashMap<&'static str, Kept>,
}

struct Kept {
    at: Instant,
    stamp: Stamp,
    value: Arc<dyn Any + Send + Sync>,
    /// A shared read being made again in the background (one at a time).
    refreshing: bool,
}

/// What a read saw when it began; it is kept (and used) only while this is still the same.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    reset: u64,
    writes: u64,
    /// The sum of its tables' change counts (each only grows, so an equal sum means no change).
    tables: u64,
}

impl State {
    /// Forgets everything when too many people are kept (and keeps nothing read meanwhile).
    fn make_room(&mut self) {
        if self.people.len() >= PEOPLE_KEPT {
            self.reset += 1;
            self.people.clear();
        }
    }

    /// What is kept of `kind` for `person`, to update in place.
    fn kept_mut(&mut self, person: &str, kind: &'static str) -> Option<&mut Kept> {
        self.people.get_mut(person).and_then(|p| p.reads.get_mut(kind))
    }

    fn stamp(&self, person: &str, deps: &[&'static str]) -> Stamp {
        let theirs = self.people.get(person);
        let changes = |t: &&'static str| {
            self.tables.get(t).copied().unwrap_or(0) + theirs.and_then(|p| p.tables.get(t)).copied().unwrap_or(0)
        };
        Stamp { reset: self.reset, writes: theirs.map_or(0, |p| p.writes), tables: deps.iter().map(changes).sum() }
    }
}

impl Default for KeptReads {
    fn default() -> Self {
        Self::keeping_for(KEPT_FOR)
    }
}

impl KeptReads {
    /// Reads kept for `kept_for` at most (the app uses [`KEPT_FOR`]).
    pub fn keeping_for(kept_for: Duration) -> Self {
        Self { kept_for, watched: Default::default(), state: Default::default(), served: Default::default() }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many reads were answered with what was kept, so far.
    pub fn served(&self) -> u64 {
        self.served.load(SeqCst)
    }

    /// Whether the live feed watches every table in [`WATCHED`] (and so may be trusted).
    pub fn watching(&self, on: bool) {
        self.changed();
        self.watched.store(on, SeqCst);
    }

    /// Anything may have changed (the feed lost track): forget everything.
    pub fn changed(&self) {
        let mut state = self.state();
        state.reset += 1;
        state.people.clear();
    }

    /// A record of `table` was created, changed or deleted, and it may concern anyone.
    pub fn table_changed(&self, table: &'static str) {
        *self.state().tables.entry(table).or_default() += 1;
    }

    /// A record of `table` changed that concerns only `people` (user keys): their reads of the
    /// table are forgotten, everyone else's kept.
    pub fn people_changed(&self, table: &'static str, people: &[String]) {
        let mut state = self.state();
        state.make_room();
        for p in people {
            // Made if missing: a read of theirs in flight began without it and must see it move.
            *state.people.entry(p.clone()).or_default().tables.entry(table).or_default() += 1;
        }
    }

    /// The live feed reports that a record of `table` changed; `record` is the record (as it is
    /// now, or as it was before it was deleted). The people it concerns are the ones it names
    /// (a notification's or an answer's person, a goal's mentee and mentor), or its goal's or
    /// pair's mentee and mentor (one read by id); when the record does not say, it may concern
    /// anyone.
    pub async fn reported(&self, db: &Db, table: &'static str, record: &Value) {
        let named = |fields: &[&str]| -> Option<Vec<String>> {
            fields.iter().map(|f| value::record_key(value::field(record, f))).collect()
        };
        let people = match table {
            "notification" | "survey_answered" => named(&["user"]),
            "goal" => named(&["mentee", "mentor"]),
            "checkin" => mentee_and_mentor(db, value::field(record, "goal")).await,
            "meeting" | "workshop_seat" | "award" | "assessment" => {
                mentee_and_mentor(db, value::field(record, "pairing")).await
            }
            _ => None,
        };
        match people {
            Some(people) if !people.is_empty() => self.people_changed(table, &people),
            _ => self.table_changed(table),
        }
    }

    /// `person` (a user key) is about to write, or has just written, on this server: forget
    /// their kept reads, and keep none that began before.
    pub fn wrote(&self, person: &str) {
        let mut state = self.state();
        state.make_room();
        let person = state.people.entry(person.to_string()).or_default();
        person.writes += 1;
        person.reads.clear();
    }

    /// `make`'s result for `person` (a user key): kept if nothing in `deps` changed since it was
    /// made, else made now (and kept).
    pub async fn read<T, Fut>(
        &self,
        person: &str,
        kind: &'static str,
        deps: &[&'static str],
        make: impl FnOnce() -> Fut,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<T, AppError>>,
    {
        if !self.watched.load(SeqCst) || !deps.iter().all(|d| WATCHED.contains(d)) {
            return make().await;
        }
        let stamp = {
            let state = self.state();
            let stamp = state.stamp(person, deps);
            let kept = state.people.get(person).and_then(|p| p.reads.get(kind));
            if let Some(kept) = kept.filter(|k| k.stamp == stamp && k.at.elapsed() < self.kept_for) {
                if let Some(value) = kept.value.downcast_ref::<T>() {
                    self.served.fetch_add(1, SeqCst);
                    return Ok(value.clone());
                }
            }
            stamp
        };
        // Its age counts from before the read, so nothing is used later than `KEPT_FOR` after it.
        let at = Instant::now();
        let value = make().await?;
        let mut state = self.state();
        // Kept only if nothing changed while it was read.
        if state.stamp(person, deps) == stamp {
            state.make_room();
            let kept = Kept { at, stamp, value: Arc::new(value.clone()), refreshing: false };
            state.people.entry(person.to_string()).or_default().reads.insert(kind, kept);
        }
        Ok(value)
    }

    /// `make`'s result, kept for everyone (under `*kind`, which no person's key can be) while
    /// nothing in `deps` changed. Once it is older than [`KEPT_FOR`] it is still used, for up to
    /// as long again, while `make` runs once in the background to replace it; past that, or after
    /// a change, it is made now. `make` must not need the request (it may outlive it).
    pub async fn read_shared<T, F, Fut>(
        &self,
        kind: &'static str,
        deps: &[&'static str],
        make: F,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let key = format!("*{kind}");
        if !self.watched.load(SeqCst) || !deps.iter().all(|d| WATCHED.contains(d)) {
            return make().await;
        }
        let stale = {
            let mut state = self.state();
            let stamp = state.stamp(&key, deps);
            state.kept_mut(&key, kind).filter(|k| k.stamp == stamp && k.at.elapsed() < 2 * self.kept_for).and_then(
                |kept| {
                    let value = kept.value.downcast_ref::<T>().cloned()?;
                    let refresh = kept.at.elapsed() >= self.kept_for && !kept.refreshing;
                    kept.refreshing |= refresh;
                    Some((value, refresh))
                },
            )
        };
        match stale {
            Some((value, refresh)) => {
                if refresh {
                    let this = self.clone();
                    let deps = deps.to_vec();
                    tokio::spawn(async move {
                        if let Err(e) = this.read(&key, kind, &deps, make).await {
                            tracing::warn!("refreshing the kept {kind}: {e}");
                            if let Some(kept) = this.state().kept_mut(&key, kind) {
                                kept.refreshing = false;
                            }
                        }
                    });
                }
                self.served.fetch_add(1, SeqCst);
                Ok(value)
            }
            None => self.read(&key, kind, deps, make).await,
        }
    }
}

/// The mentee and mentor of the goal or pair `link` points at (one read by id).
async fn mentee_and_mentor(db: &Db, link: Option<&Value>) -> Option<Vec<String>> {
    let Some(Value::RecordId(id)) = link else { return None };
    let mut res = db
        .query("SELECT VALUE [record::id(mentee), record::id(mentor)] FROM ONLY $id")
        .bind(("id", id.clone()))
        .await
        .ok()?;
    match res.take::<Value>(0).ok()? {
        Value::Array(people) => people.iter().map(|p| value::text(Some(p))).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    /// Reads through `kept` and counts how often the read really ran.
    async fn count(kept: &KeptReads, person: &str, deps: &[&'static str], runs: &AtomicU32) -> u32 {
        kept.read(person, "panel", deps, || async { Ok::<u32, AppError>(runs.fetch_add(1, SeqCst) + 1) }).await.unwrap()
    }

    #[tokio::test]
    async fn kept_until_a_table_it_names_changes_or_the_caller_writes() {
        let kept = KeptReads::default();
        let runs = AtomicU32::new(0);
        // Not watched: every read runs.
        count(&kept, "ann", &["goal"], &runs).await;
        count(&kept, "ann", &["goal"], &runs).await;
        assert_eq!(runs.load(SeqCst), 2);

        kept.watching(true);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 3);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 3, "kept");
        // Another person is read separately.
        assert_eq!(count(&kept, "bob", &["goal"], &runs).await, 4);
        // A table it does not name changes: still kept.
        kept.table_changed("meeting");
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 3);
        // One it names changes: read again.
        kept.table_changed("goal");
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 5);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 5);
        // Bob writes: Bob's reads go, Ann's stay.
        assert_eq!(count(&kept, "bob", &["goal"], &runs).await, 6);
        kept.wrote("bob");
        assert_eq!(count(&kept, "bob", &["goal"], &runs).await, 7);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 5);
        // The feed stops: nothing is used any more.
        kept.watching(false);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 8);
        // A read that names a table nobody watches is never kept.
        kept.watching(true);
        assert_eq!(count(&kept, "ann", &["nobody_watches_this"], &runs).await, 9);
        assert_eq!(count(&kept, "ann", &["nobody_watches_this"], &runs).await, 10);
    }

    #[tokio::test]
    async fn a_change_that_concerns_some_people_keeps_everyone_elses_reads() {
        let kept = KeptReads::default();
        kept.watching(true);
        let runs = AtomicU32::new(0);
        assert_eq!(count(&kept, "ann", &["checkin"], &runs).await, 1);
        assert_eq!(count(&kept, "bob", &["checkin"], &runs).await, 2);
        assert_eq!(count(&kept, "cy", &["goal"], &runs).await, 3);
        // A check-in on Ann's goal: her reads of check-ins go, Bob's stay.
        kept.people_changed("checkin", &["ann".to_string()]);
        assert_eq!(count(&kept, "ann", &["checkin"], &runs).await, 4);
        assert_eq!(count(&kept, "bob", &["checkin"], &runs).await, 2);
        // A change of another table concerning Cy leaves his reads that do not name it.
        kept.people_changed("checkin", &["cy".to_string()]);
        assert_eq!(count(&kept, "cy", &["goal"], &runs).await, 3);
        // A person not seen before: a read of theirs begins, the change lands, the read is not kept.
        let first = kept
            .read("dee", "panel", &["checkin"], || async {
                kept.people_changed("checkin", &["dee".to_string()]);
                Ok::<u32, AppError>(runs.fetch_add(1, SeqCst) + 1)
            })
            .await
            .unwrap();
        assert_eq!(first, 5);
        assert_eq!(count(&kept, "dee", &["checkin"], &runs).await, 6);
        assert_eq!(count(&kept, "dee", &["checkin"], &runs).await, 6);
    }

    #[tokio::test]
    async fn a_read_that_overlaps_a_change_is_not_kept() {
        let kept = KeptReads::default();
        kept.watching(true);
        let runs = AtomicU32::new(0);
        // The table changes while the read runs: what it read may be from before the change.
        let first = kept
            .read("ann", "panel", &["goal"], || async {
                kept.table_changed("goal");
                Ok::<u32, AppError>(runs.fetch_add(1, SeqCst) + 1)
            })
            .await
            .unwrap();
        assert_eq!(first, 1);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 2, "the overlapping read was not kept");
        // The caller's own write while a read runs: not kept either.
        kept.table_changed("goal");
        let third = kept
            .read("ann", "panel", &["goal"], || async {
                kept.wrote("ann");
                Ok::<u32, AppError>(runs.fetch_add(1, SeqCst) + 1)
            })
            .await
            .unwrap();
        assert_eq!(third, 3);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 4);
        assert_eq!(count(&kept, "ann", &["goal"], &runs).await, 4);
    }

    /// Counts runs of a shared read; each run takes `ms` and returns its run number.
    async fn shared(kept: &KeptReads, runs: &Arc<AtomicU32>, ms: u64) -> u32 {
        let runs = runs.clone();
        kept.read_shared("figures", &["cohort"], move || async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok::<u32, AppError>(runs.fetch_add(1, SeqCst) + 1)
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_shared_read_past_its_time_is_made_again_in_the_background_once() {
        let kept = KeptReads::keeping_for(Duration::from_millis(300));
        kept.watching(true);
        let runs = Arc::new(AtomicU32::new(0));
        assert_eq!(shared(&kept, &runs, 0).await, 1);
        assert_eq!(shared(&kept, &runs, 0).await, 1, "kept");
        // Past its time: the callers get the kept one at once while one new read runs (slowly).
        tokio::time::sleep(Duration::from_millis(320)).await;
        let began = Instant::now();
        for _ in 0..5 {
            assert_eq!(shared(&kept, &runs, 200).await, 1, "the kept one, while it is made again");
        }
        assert!(began.elapsed() < Duration::from_millis(150), "no caller waited for the new read");
        tokio::time::sleep(Duration::from_millis(260)).await;
        assert_eq!(runs.load(SeqCst), 2, "made again once, not once per caller");
        assert_eq!(shared(&kept, &runs, 0).await, 2, "the new one replaced it");
        // A change to a table it depends on: made now, not later.
        kept.table_changed("cohort");
        assert_eq!(shared(&kept, &runs, 0).await, 3);
        // Twice its time with nobody asking: too old to use even once; made now.
        tokio::time::sleep(Duration::from_millis(620)).await;
        assert_eq!(shared(&kept, &runs, 0).await, 4);
        // Not watched: made every time.
        kept.watching(false);
        assert_eq!(shared(&kept, &runs, 0).await, 5);
        assert_eq!(shared(&kept, &runs, 0).await, 6);
    }

    #[tokio::test]
    async fn a_failed_background_read_keeps_the_old_value_and_is_tried_again() {
        let kept = KeptReads::keeping_for(Duration::from_millis(200));
        kept.watching(true);
        let read = |value: Result<u32, ()>| {
            kept.read_shared("figures", &["cohort"], move || async move { value.map_err(|()| AppError::Internal) })
        };
        assert_eq!(read(Ok(1)).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(220)).await;
        // The background read fails: the kept value is still served, and the next caller tries again.
        assert_eq!(read(Err(())).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(read(Ok(2)).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(read(Ok(3)).await.unwrap(), 2, "the second background read replaced it");
    }

    /// The mentee and mentor of a pair or goal are read by id; a record that is gone, or a
    /// field that is no link, concerns nobody known (the caller then forgets everyone's reads).
    #[tokio::test]
    async fn the_mentee_and_mentor_of_a_link_are_read_by_id() {
        use surrealdb::types::RecordId;
        let db = crate::db::connect("mem://").await.unwrap();
        db.query("CREATE pair_of_two:p SET mentee = user:ann, mentor = user:bob").await.unwrap().check().unwrap();
        let link = |key: &str| Value::RecordId(RecordId::new("pair_of_two", key));
        assert_eq!(mentee_and_mentor(&db, Some(&link("p"))).await, Some(vec!["ann".to_string(), "bob".to_string()]));
        assert_eq!(mentee_and_mentor(&db, Some(&link("gone"))).await, None);
        assert_eq!(mentee_and_mentor(&db, Some(&Value::String("p".into()))).await, None);
        assert_eq!(mentee_and_mentor(&db, None).await, None);
    }
}
