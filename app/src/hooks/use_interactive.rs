//! Telling the page's pre-hydration script (`app/src/prehydration.js`) that the page is interactive,
//! so it puts back what was typed while the app loaded and lets forms submit.
//!
//! The App calls [`use_interactive`] with `lazy_page_pending = true` when the server-rendered page is
//! one whose code loads lazily (`routes/lazy.rs` renders a `[data-lazy-page]` marker): that page
//! hydrates only once its chunk has arrived, and its own `use_interactive(false)` reports it then.

use leptos::prelude::*;

/// The marker attribute a lazily loaded page renders (an empty, hidden element).
pub const LAZY_PAGE_MARKER: &str = "data-lazy-page";

/// After this owner's view has hydrated, report the page interactive — unless `defer_to_lazy_page`
/// and a lazily loaded page is on the server-rendered document (it reports for itself).
pub fn use_interactive(defer_to_lazy_page: bool) {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let document = leptos::prelude::document();
            if defer_to_lazy_page && document.query_selector(&format!("[{LAZY_PAGE_MARKER}]")).ok().flatten().is_some()
            {
                return;
            }
            let Ok(report) = js_sys::Reflect::get(&leptos::prelude::window(), &"__mentorshipInteractive".into()) else {
                return;
            };
            if let Some(report) = leptos::wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&report) {
                let _ = report.call0(&leptos::wasm_bindgen::JsValue::NULL);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = defer_to_lazy_page;
    });
}
