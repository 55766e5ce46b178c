//! Each role's home page, and `/home`, which sends a user to the first of theirs.

mod lists;
mod panels;
mod participant;
mod staff;

pub use participant::{MenteeHome, MentorHome};
pub use staff::{AdminHome, LeadershipHome};

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::auth::{use_auth, RequireRole};
use crate::components::markdown::Markdown;
use crate::components::page::PageHead;
use crate::domain::activity::api::quiet_pairs;
use crate::domain::auth::types::Role;
use crate::domain::enrollment::types::Side;
use crate::domain::goals::types::{GoalStatus, GoalSummary};
use crate::domain::matching::api::mark_notifications_read;
use crate::domain::matching::types::{MyMatch, Notification};
use crate::domain::overview::api::{get_admin_overview, get_leadership_overview, get_mentee_home, get_mentor_home};
use crate::domain::overview::types::{CohortSummary, Count};
use crate::domain::surveys::api::list_surveys;
use crate::domain::surveys::types::{PendingSurvey, SurveyStatus, SurveySummary};
use lists::{MyGoals, MyPairs, QuietPairs};
use panels::{MyRewards, MyWorkshops};

/// `/home`: redirects to the user's first home page (or to sign-in).
#[component]
pub fn HomeRedirect() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                let path = match auth.user.await {
                    Ok(Some(user)) => user.home_path().to_string(),
                    _ => "/login?next=/home".to_string(),
                };
                view! { <Redirect path /> }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn Stat(label: &'static str, value: String, #[prop(optional)] note: Option<String>) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value">{value}</span>
            <span class="stat-label">{label}</span>
            {note.map(|n| view! { <span class="stat-note">{n}</span> })}
        </div>
    }
}

#[component]
fn Cohorts(cohorts: Vec<CohortSummary>, empty: &'static str) -> impl IntoView {
    if cohorts.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="cohort-list">
            {cohorts
                .into_iter()
                .map(|c| {
                    let status_class = format!("badge badge-{}", c.status);
                    view! {
                        <li class="cohort">
                            <div>
                                <strong>{c.name}</strong>
                                <span class="muted">" · " {c.program_name}</span>
                            </div>
                            <div class="cohort-meta">
                                <span class="muted">{c.starts} " → " {c.ends}</span>
                                <span class=status_class>{c.status.as_str()}</span>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Bars(counts: Vec<Count>) -> impl IntoView {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    view! {
        <ul class="bars">
            {counts
                .into_iter()
                .map(|c| {
                    let width = format!("width: {}%", (c.count * 100 / max).max(2));
                    view! {
                        <li>
                            <span class="bar-label">{c.label}</span>
                            <span class="bar-track">
                                <span class="bar-fill" style=width></span>
                            </span>
                            <span class="bar-value">{c.count}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
