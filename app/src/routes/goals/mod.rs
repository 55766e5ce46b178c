//! SMART goals: the wizard (`/goals/new?pairing=…`, `/goals/:id/edit`), one question per screen
//! on a phone, autosaved while typing and restored after a reload or on another device; and the
//! goal page (`/goals/:id`) with milestones, check-ins, the mentor's comments and approval.
//!
//! - `wizard.rs`: the wizard's state, step bar, autosave and submit;
//! - `steps.rs`: its screens, one per step; `fields.rs`: its fields as types;
//! - `page.rs`: the goal page's body, the check-in form and the comments.

mod fields;
mod page;
mod steps;
mod wizard;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::auth::RequireRole;
use crate::domain::goals::api::{get_goal, new_goal_context};
use crate::domain::matching::types::Viewer;
use crate::error::AppError;
use page::GoalView;
use wizard::Wizard;

/// `/goals/new?pairing=…`: a new goal for the mentee's pair.
#[component]
pub fn GoalNew() -> impl IntoView {
    let pairing = use_query_map().with_untracked(|q| q.get("pairing").unwrap_or_default());
    let p2 = pairing.clone();
    let ctx = Resource::new(|| (), move |_| new_goal_context(p2.clone()));
    let pairing = StoredValue::new(pairing);
    view! {
        <Title text="New goal" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || {
                    let pairing = pairing.get_value();
                    Suspend::new(async move {
                        match ctx.await {
                            Ok(c) => view! { <Wizard pairing_id=pairing goal=None context=c /> }.into_any(),
                            Err(e) => view! { <NotAvailable e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </RequireRole>
    }
}

/// `/goals/:id/edit`: continue a goal where it was left.
#[component]
pub fn GoalEdit() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let goal = Resource::new(|| (), move |_| get_goal(id.clone()));
    view! {
        <Title text="Goal" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match goal.await {
                        Ok(g) if g.viewer == Viewer::Mentee => {
                            let (pairing_id, context) = (g.pairing_id.clone(), g.context.clone());
                            view! { <Wizard pairing_id goal=Some(g) context /> }.into_any()
                        }
                        Ok(_) => view! { <NotAvailable e=AppError::Forbidden /> }.into_any(),
                        Err(e) => view! { <NotAvailable e /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// `/goals/:id`: the goal, its milestones and check-ins, and the pair's conversation.
#[component]
pub fn GoalPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let goal = Resource::new(|| (), move |_| get_goal(id.clone()));
    view! {
        <Title text="Goal" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match goal.await {
                        Ok(g) => view! { <GoalView initial=g /> }.into_any(),
                        Err(e) => view! { <NotAvailable e /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// The goal routes' "not available".
#[component]
fn NotAvailable(
    /// Why.
    e: AppError,
) -> impl IntoView {
    view! {
        <crate::components::page::NotAvailable
            eyebrow="Goals"
            e
            not_found="This goal does not exist, or it is private to a mentoring pair."
            forbidden="Only the mentee of this pair can do that."
        />
    }
}
