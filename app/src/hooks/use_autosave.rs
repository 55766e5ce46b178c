//! Debounced autosave of a form draft: the goal wizard uses it, and any screen that saves as the
//! person types (the survey answering screen next) can too.
//!
//! ```ignore
//! let draft = RwSignal::new(GoalDraft::default());
//! let autosave = use_autosave(draft, move |d: GoalDraft| {
//!     let version = version.get_untracked(); // read what the save needs now, not when it runs
//!     async move { save_goal_draft(d, version).await.map(|g| version.set(g.version)) }
//! });
//! // Show `autosave.status`; on "Next", `autosave.save_now()`; before "Send", `autosave.flush().await`.
//! ```
//!
//! Every change of `source` marks the draft unsaved and (re)starts the debounce timer; when it
//! fires, `save_fn` gets the value as it is then. One save runs at a time: a save asked for while
//! another is in flight runs right after it, with the newest value. The status never claims
//! "Saved" while typing newer than the finished save still waits for its own save.
//!
//! ## Server-side rendering
//! On the server the hook only renders its initial status: the watcher is an `Effect` (which does
//! not run there) and the timer exists only in the browser build.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the draft stands, for the indicator next to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutosaveStatus<E> {
    /// Nothing typed yet, nothing saved.
    Idle,
    /// Changes wait for the debounce timer (or for the save in flight).
    Pending,
    /// A save is on its way.
    Saving,
    /// Everything typed is saved; at `HH:MM` browser time, or `None` when it was saved before this
    /// screen opened.
    Saved(Option<String>),
    /// The last save failed with this error; the changes are not saved.
    Failed(E),
}

/// Options of [`use_autosave_with_options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseAutosaveOptions {
    /// Quiet time after the last change before saving, in milliseconds. Default 800.
    pub debounce_ms: u32,
    /// The draft was loaded from the server, so the status starts as `Saved(None)`, not `Idle`.
    pub already_saved: bool,
}

impl Default for UseAutosaveOptions {
    fn default() -> Self {
        Self { debounce_ms: 800, already_saved: false }
    }
}

impl UseAutosaveOptions {
    /// Sets [`UseAutosaveOptions::debounce_ms`].
    pub fn debounce_ms(self, debounce_ms: u32) -> Self {
        Self { debounce_ms, ..self }
    }

    /// Sets [`UseAutosaveOptions::already_saved`].
    pub fn already_saved(self, already_saved: bool) -> Self {
        Self { already_saved, ..self }
    }
}

/// The save function, type-erased so the return value stays `Copy`. Its future need not be `Send`
/// (server functions called from the browser are not).
type SaveFn<T, E> = Arc<dyn Fn(T) -> Pin<Box<dyn Future<Output = Result<(), E>>>> + Send + Sync>;

/// What [`use_autosave`] returns: the status to show and the two ways to save before the timer.
pub struct UseAutosaveReturn<T: Send + Sync + 'static, E: Send + Sync + 'static> {
    /// Where the draft stands.
    pub status: Signal<AutosaveStatus<E>>,
    status_rw: RwSignal<AutosaveStatus<E>>,
    source: Signal<T>,
    save_fn: StoredValue<SaveFn<T, E>>,
    ledger: StoredValue<Ledger>,
    /// Who waits in [`UseAutosaveReturn::flush`] for the saves in flight to end.
    waiters: StoredValue<Vec<Waker>>,
    #[cfg(feature = "hydrate")]
    timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
}

impl<T: Send + Sync, E: Send + Sync> Clone for UseAutosaveReturn<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync, E: Send + Sync> Copy for UseAutosaveReturn<T, E> {}

/// Watches `source` and saves it with `save_fn` 800 ms after the last change. See the module docs.
pub fn use_autosave<T, E, F, Fut>(source: impl Into<Signal<T>>, save_fn: F) -> UseAutosaveReturn<T, E>
where
    T: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + 'static,
{
    use_autosave_with_options(source, save_fn, UseAutosaveOptions::default())
}

/// [`use_autosave`] with options (debounce time, initial status).
pub fn use_autosave_with_options<T, E, F, Fut>(
    source: impl Into<Signal<T>>,
    save_fn: F,
    options: UseAutosaveOptions,
) -> UseAutosaveReturn<T, E>
where
    T: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + 'static,
{
    let status_rw =
        RwSignal::new(if options.already_saved { AutosaveStatus::Saved(None) } else { AutosaveStatus::Idle });
    let save_fn: SaveFn<T, E> = Arc::new(move |value| Box::pin(save_fn(value)));
    let autosave = UseAutosaveReturn {
        status: status_rw.into(),
        status_rw,
        source: source.into(),
        save_fn: StoredValue::new(save_fn),
        ledger: StoredValue::new(Ledger::default()),
        waiters: StoredValue::new(Vec::new()),
        #[cfg(feature = "hydrate")]
        timer: StoredValue::new_local(None),
    };
    let debounce_ms = options.debounce_ms;
    // A side effect (a timer), not a derived value: it only runs in the browser.
    Effect::watch(
        move || autosave.source.track(),
        move |_, _, _| {
            autosave.ledger.update_value(Ledger::edit);
            autosave.status_rw.set(AutosaveStatus::Pending);
            #[cfg(feature = "hydrate")]
            {
                // Replacing the timer drops (cancels) the previous one. The callback must not
                // drop its own timer, so it starts the save without `save_now`'s cancel.
                let t = gloo_timers::callback::Timeout::new(debounce_ms, move || autosave.start());
                autosave.timer.set_value(Some(t));
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = debounce_ms;
        },
        false,
    );
    autosave
}

impl<T, E> UseAutosaveReturn<T, E>
where
    T: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
{
    /// Saves now, without waiting for the timer (or right after the save in flight), even if
    /// nothing changed: the caller may save more than `source` (the wizard's current step).
    pub fn save_now(self) {
        self.cancel_timer();
        self.start();
    }

    /// Waits for the saves in flight, then saves whatever is still unsaved (typing that waits for
    /// the timer, or a failed save). `Err` when that last save fails; the status says so too.
    pub async fn flush(self) -> Result<(), E> {
        self.cancel_timer();
        UntilIdle { autosave: self }.await;
        if self.ledger.try_with_value(Ledger::dirty).unwrap_or(false) {
            self.start();
            UntilIdle { autosave: self }.await;
        }
        match self.status_rw.try_get_untracked() {
            Some(AutosaveStatus::Failed(e)) => Err(e),
            _ => Ok(()),
        }
    }

    fn cancel_timer(self) {
        #[cfg(feature = "hydrate")]
        self.timer.set_value(None);
    }

    /// Starts a save, or queues one behind the save in flight.
    fn start(self) {
        if !self.ledger.try_update_value(Ledger::begin).unwrap_or(false) {
            return;
        }
        self.status_rw.set(AutosaveStatus::Saving);
        let value = self.source.get_untracked();
        let save = self.save_fn.with_value(|f| f(value));
        spawn_local(async move {
            let result = save.await;
            // The screen may be gone (navigated away) by the time the save returns.
            let Some(ended) = self.ledger.try_update_value(|l| l.end(result.is_ok())) else { return };
            self.status_rw.set(match result {
                Err(e) => AutosaveStatus::Failed(e),
                Ok(()) if ended.up_to_date => AutosaveStatus::Saved(clock()),
                // Typing since this save started is still waiting for its own save.
                Ok(()) => AutosaveStatus::Pending,
            });
            if ended.again {
                self.start();
            } else {
                self.waiters.update_value(|w| w.drain(..).for_each(Waker::wake));
            }
        });
    }
}

/// Resolves once no save is in flight or queued.
struct UntilIdle<T: Send + Sync + 'static, E: Send + Sync + 'static> {
    autosave: UseAutosaveReturn<T, E>,
}

impl<T: Send + Sync, E: Send + Sync> Future for UntilIdle<T, E> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.autosave.ledger.try_with_value(Ledger::busy) {
            Some(true) => {
                self.autosave.waiters.update_value(|w| w.push(cx.waker().clone()));
                Poll::Pending
            }
            _ => Poll::Ready(()),
        }
    }
}

/// The browser's time of day, `HH:MM`.
fn clock() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        return Some(format!("{:02}:{:02}", d.get_hours(), d.get_minutes()));
    }
    #[allow(unreachable_code)]
    None
}

/// The bookkeeping behind the status, apart from timers and futures so it can be tested.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ledger {
    /// Changes of the source so far.
    edits: u64,
    /// The `edits` count the last successful save covered; `None` after a failed save.
    saved: Option<u64>,
    /// The `edits` count the save in flight covers.
    in_flight: Option<u64>,
    /// A save was asked for while another was in flight.
    queued: bool,
}

impl Default for Ledger {
    fn default() -> Self {
        Self { edits: 0, saved: Some(0), in_flight: None, queued: false }
    }
}

/// How a save ended, for the status and what comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ended {
    /// The save succeeded and nothing was typed since it started: "Saved" is true.
    up_to_date: bool,
    /// A save was queued behind this one: start it now.
    again: bool,
}

impl Ledger {
    fn edit(&mut self) {
        self.edits += 1;
    }

    /// True when a save starts now; false when it is queued behind the one in flight.
    fn begin(&mut self) -> bool {
        if self.in_flight.is_some() {
            self.queued = true;
            return false;
        }
        self.in_flight = Some(self.edits);
        true
    }

    fn end(&mut self, ok: bool) -> Ended {
        let covered = self.in_flight.take().unwrap_or(self.edits);
        self.saved = ok.then_some(covered);
        // The queued save holds newer typing that was never tried, so it runs even after a failure.
        Ended { up_to_date: ok && covered == self.edits, again: std::mem::take(&mut self.queued) }
    }

    fn busy(&self) -> bool {
        self.in_flight.is_some() || self.queued
    }

    /// Something typed is not saved (or the last save failed).
    fn dirty(&self) -> bool {
        self.saved != Some(self.edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_draft_has_nothing_to_save() {
        let l = Ledger::default();
        assert!(!l.dirty());
        assert!(!l.busy());
    }

    #[test]
    fn a_save_covers_the_typing_before_it() {
        let mut l = Ledger::default();
        l.edit();
        l.edit();
        assert!(l.dirty());
        assert!(l.begin());
        assert_eq!(l.end(true), Ended { up_to_date: true, again: false });
        assert!(!l.dirty());
    }

    #[test]
    fn typing_during_a_save_keeps_it_from_claiming_saved() {
        let mut l = Ledger::default();
        l.edit();
        assert!(l.begin());
        l.edit();
        assert_eq!(l.end(true), Ended { up_to_date: false, again: false });
        assert!(l.dirty(), "the newer typing still waits for its save");
    }

    #[test]
    fn a_save_asked_for_during_another_runs_after_it() {
        let mut l = Ledger::default();
        l.edit();
        assert!(l.begin());
        l.edit();
        assert!(!l.begin(), "one save at a time");
        assert!(l.busy());
        assert_eq!(l.end(true), Ended { up_to_date: false, again: true });
        assert!(l.begin());
        assert_eq!(l.end(true), Ended { up_to_date: true, again: false });
        assert!(!l.busy());
        assert!(!l.dirty());
    }

    #[test]
    fn a_failed_save_leaves_the_draft_unsaved_and_still_runs_the_queued_one() {
        let mut l = Ledger::default();
        l.edit();
        assert!(l.begin());
        assert!(!l.begin());
        assert_eq!(l.end(false), Ended { up_to_date: false, again: true });
        assert!(l.dirty());
        assert!(l.begin());
        l.end(false);
        assert!(l.dirty(), "still unsaved until a save succeeds");
        assert!(!l.busy(), "nobody waits forever after a failure");
    }

    #[test]
    fn a_save_without_typing_is_allowed() {
        // The wizard saves its step on "Next" even when the draft did not change.
        let mut l = Ledger::default();
        assert!(l.begin());
        assert_eq!(l.end(true), Ended { up_to_date: true, again: false });
    }
}
