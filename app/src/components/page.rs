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
