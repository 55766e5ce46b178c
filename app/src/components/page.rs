//! Page-level building blocks.

use leptos::prelude::*;

/// The heading block at the top of a page: eyebrow, title, optional lead line and actions.
#[component]
pub fn PageHead(
    /// Small label above the title (the area or role).
    #[prop(into)]
    eyebrow: String,
    /// The page's `<h1>`.
    #[prop(into)]
    title: String,
    /// A muted line under the title.
    #[prop(optional, into)]
    lead: Option<String>,
    /// Buttons or links on the right.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="page-head">
            <div>
                <p class="eyebrow">{eyebrow}</p>
                <h1>{title}</h1>
                {lead.filter(|l| !l.is_empty()).map(|l| view! { <p class="muted">{l}</p> })}
            </div>
            {children.map(|c| c())}
        </div>
    }
}

/// What a panel shows when its data could not be loaded: the reason, in place of the panel's
/// content, so a failed load is never a blank panel. (A whole private page that is refused uses
/// [`NotAvailable`] instead, which also sets the status code.)
#[component]
pub fn LoadFailed(
    /// Why the load failed.
    e: crate::error::AppError,
) -> impl IntoView {
    view! {
        <div class="alert alert-error" role="alert">
            {format!("Could not load this: {e}")}
        </div>
    }
}

/// What a private page shows when its data is refused: the reason and a way home. Such pages
/// render after their data (`SsrMode::Async`), so a direct URL also gets the real status code.
#[component]
pub fn NotAvailable(
    /// Small label above the title.
    eyebrow: &'static str,
    /// Why.
    e: crate::error::AppError,
    /// The text for "not found" (which also covers "not yours": existence is not revealed).
    not_found: &'static str,
    /// The text for "forbidden", if the page has a more specific one.
    #[prop(optional)]
    forbidden: Option<&'static str>,
) -> impl IntoView {
    use crate::error::AppError;
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::from_u16(e.status_code()).unwrap_or(http::StatusCode::NOT_FOUND));
    }
    let text = match (&e, forbidden) {
        (AppError::NotFound, _) => not_found.to_string(),
        (AppError::Forbidden, Some(f)) => f.to_string(),
        _ => e.to_string(),
    };
    view! {
        <PageHead eyebrow title="Not available" />
        <div class="alert alert-error" role="alert">
            {text}
        </div>
        <p>
            <a href="/home">"Back to your home page"</a>
        </p>
    }
}
