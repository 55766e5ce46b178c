//! The browser entry point: hydrates the server-rendered page.

/// Called by the hydration script once the wasm module is loaded. `hydrate_lazy`, because some
/// routes load their code lazily (app/src/routes/lazy.rs).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The release bundle aborts on a panic before any hook could run (`x`, build_front): the hook
    // and std's hook machinery stay out of it. The quick bundle keeps the messages.
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
