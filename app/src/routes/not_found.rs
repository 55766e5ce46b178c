//! The 404 page.

use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for unknown paths (answered with status 404).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Not found" />
        <section class="panel narrow center">
            <h1>"Page not found"</h1>
            <p class="muted">"The page you asked for does not exist or has moved."</p>
            <a class="button" href="/">
                "Back to the start"
            </a>
        </section>
    }
}
