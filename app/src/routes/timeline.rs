//! `/pairs/:id/timeline`: everything a mentee has done with their mentor, newest first —
//! goals, milestones, check-ins, meetings, workshops and awards. The pair and admins only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::activity::api::get_timeline;
use crate::domain::activity::types::Timeline;
use crate::domain::matching::types::Viewer;

/// The page.
#[component]
pub fn TimelinePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(|| (), move |_| get_timeline(id.clone()));
    view! {
        <Title text="Timeline" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(t) => view! { <TimelineView t /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable
                                    eyebrow="Timeline"
                                    e
                                    not_found="This page does not exist, or it is private."
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

fn icon(kind: &str) -> &'static str {
    match kind {
        "goal" => "◎",
        "milestone" => "⚑",
        "checkin" => "↗",
        "meeting" => "☕",
        "workshop" => "✎",
        "award" => "★",
        _ => "•",
    }
}

#[component]
fn TimelineView(t: Timeline) -> impl IntoView {
    let title = format!("{}'s timeline", t.mentee_name);
    let lead = format!("With {} · {}", t.mentor_name, t.cohort_name);
    let quiet = t.quiet_days > t.inactive_after;
    let admin = t.viewer == Viewer::Admin;
    let back = if admin { "/home/admin".to_string() } else { format!("/pairs/{}", t.pairing_id) };
    let back_label = if admin { "← Admin home" } else { "← Meetings" };
    view! {
        <p class="breadcrumb">
            <a href=back>{back_label}</a>
        </p>
        <PageHead eyebrow="Mentoring pair" title lead />
        {quiet
            .then(|| {
                view! {
                    <div class="alert alert-warn" role="status">
                        {format!(
                            "No meeting or check-in for {} days (this cohort flags pairs after {}).",
                            t.quiet_days,
                            t.inactive_after,
                        )}
                    </div>
                }
            })}
        <section class="panel" aria-label="Timeline">
            {if t.events.is_empty() {
                view! {
                    <p class="empty">
                        "Nothing yet. Goals, check-ins, meetings, workshops and awards appear here as they happen."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ol class="history">
                        {t
                            .events
                            .into_iter()
                            .map(|e| {
                                let kind_class = format!("history-item history-{}", e.kind);
                                let title = match e.link.clone() {
                                    Some(href) => view! { <a href=href>{e.title.clone()}</a> }.into_any(),
                                    None => view! { <span>{e.title.clone()}</span> }.into_any(),
                                };
                                view! {
                                    <li class=kind_class>
                                        <span class="history-icon" aria-hidden="true">
                                            {icon(&e.kind)}
                                        </span>
                                        <div>
                                            <p class="history-title">
                                                <time datetime=e.on.clone()>{e.on.clone()}</time>
                                                " · "
                                                {title}
                                            </p>
                                            {(!e.detail.is_empty())
                                                .then(|| view! { <p class="small muted">{e.detail.clone()}</p> })}
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}
