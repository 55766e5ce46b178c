//! Live updates for dashboards: listens to the server's change stream (`GET /api/live`,
//! Server-Sent Events; see `server/src/live.rs`) and bumps a counter whenever something that
//! feeds a dashboard number changed, so the page reloads its data. The stream says only which
//! tables changed; the data comes through the page's own (role-checked) server function.
//!
//! ```ignore
//! let live = use_live();
//! let data = Resource::new(move || (filters.get(), live.tick.get()), |(f, _)| load(f));
//! view! { <LiveBadge live /> }
//! ```
//!
//! When the stream drops, the browser reconnects by itself and the status says "reconnecting…";
//! meanwhile the counter is bumped every 15 s (polling with gloo-timers), and once the stream is
//! back the page reloads once (what changed in the gap is unknown). Does nothing on the server.

use leptos::prelude::*;

/// Whether the page is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    /// Not connected yet (and always, on the server).
    Connecting,
    /// The stream is open.
    Live,
    /// The stream dropped; polling until it is back.
    Reconnecting,
}

/// What [`use_live`] returns.
#[derive(Clone, Copy)]
pub struct UseLiveReturn {
    /// Bumped on every change (and every poll while reconnecting).
    pub tick: ReadSignal<u32>,
    /// The stream's state.
    pub state: ReadSignal<LiveState>,
}

/// Seconds between polls while the stream is down.
pub const POLL_SECS: u32 = 15;

/// Starts listening (in the browser) and stops when the calling component goes away.
pub fn use_live() -> UseLiveReturn {
    let tick = RwSignal::new(0u32);
    let state = RwSignal::new(LiveState::Connecting);
    #[cfg(feature = "hydrate")]
    browser::start(tick, state);
    UseLiveReturn { tick: tick.read_only(), state: state.read_only() }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Event, EventSource, MessageEvent};

    use super::{LiveState, POLL_SECS};

    struct Stream {
        source: EventSource,
        _message: Closure<dyn FnMut(MessageEvent)>,
        _error: Closure<dyn FnMut(Event)>,
    }

    impl Drop for Stream {
        fn drop(&mut self) {
            self.source.set_onmessage(None);
            self.source.set_onerror(None);
            self.source.close();
        }
    }

    fn connect(tick: RwSignal<u32>, state: RwSignal<LiveState>) -> Option<Stream> {
        let source = EventSource::new("/api/live").ok()?;
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data().as_string().unwrap_or_default();
            let was = state.get_untracked();
            state.set(LiveState::Live);
            // "hello" opens the stream: reload only if it is back after a gap.
            if data != "hello" || was == LiveState::Reconnecting {
                tick.update(|t| *t = t.wrapping_add(1));
            }
        });
        source.set_onmessage(Some(message.as_ref().unchecked_ref()));
        let error = Closure::<dyn FnMut(Event)>::new(move |_| state.set(LiveState::Reconnecting));
        source.set_onerror(Some(error.as_ref().unchecked_ref()));
        Some(Stream { source, _message: message, _error: error })
    }

    pub(super) fn start(tick: RwSignal<u32>, state: RwSignal<LiveState>) {
        let stream = StoredValue::new_local(None::<Stream>);
        let poll = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
        Effect::new(move |_| {
            if poll.with_value(|p| p.is_some()) {
                return;
            }
            stream.set_value(connect(tick, state));
            poll.set_value(Some(gloo_timers::callback::Interval::new(POLL_SECS * 1000, move || {
                let ready = stream.with_value(|s| s.as_ref().map(|s| s.source.ready_state()));
                if ready != Some(EventSource::OPEN) {
                    state.set(LiveState::Reconnecting);
                    tick.update(|t| *t = t.wrapping_add(1));
                }
                // A stream the browser gave up on (a refused or failed response) is opened anew.
                if ready.is_none() || ready == Some(EventSource::CLOSED) {
                    stream.set_value(connect(tick, state));
                }
            })));
        });
        on_cleanup(move || {
            poll.try_update_value(|p| *p = None);
            stream.try_update_value(|s| *s = None);
        });
    }
}
