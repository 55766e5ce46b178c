//! The browser entry point: hydrates the server-rendered page.

/// Called by the hydration script once the wasm module is loaded. `hydrate_lazy`, because some
/// routes load their code lazily (app/src/routes/lazy.rs).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
