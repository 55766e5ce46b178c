//! The admin and leadership home pages.

use super::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// The admin's home page.
#[component]
pub fn AdminHome() -> impl IntoView {
    view! {
        <Title text="Admin" />
        <RequireRole role=Role::Admin>
            <AdminHomeBody />
        </RequireRole>
    }
}

#[component]
pub(super) fn AdminHomeBody() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_admin_overview());
    let quiet = Resource::new(|| (), |_| quiet_pairs());
    view! {
        <PageHead eyebrow="Admin" title="Program administration">
            <div class="hero-actions">
                <a class="button" href="/dashboard">
                    "Dashboard"
                </a>
                <a class="button" href="/admin/skills">
                    "Skills catalog"
                </a>
                <a class="button button-primary" href="/admin/users">
                    "Manage people"
                </a>
            </div>
        </PageHead>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                data.await
                    .map(|o| {
                        let pending = (o.pending_first_sign_in > 0)
                            .then(|| format!("{} not signed in yet", o.pending_first_sign_in));
                        view! {
                            <div class="stats">
                                <Stat
                                    label="Active people"
                                    value=o.active_users.to_string()
                                    note=pending.unwrap_or_default()
                                />
                                <Stat label="Skills in catalog" value=o.skills.to_string() />
                                <Stat label="Programs" value=o.programs.to_string() />
                                <Stat label="Cohorts" value=o.cohorts.len().to_string() />
                            </div>
                            <div class="grid-2">
                                <section class="panel">
                                    <h2>"People by role"</h2>
                                    <Bars counts=o.users_by_role />
                                </section>
                                <section class="panel">
                                    <h2>"Cohorts"</h2>
                                    <Cohorts cohorts=o.cohorts empty="No cohorts yet." />
                                </section>
                            </div>
                            <QuietPairs quiet />
                            <section class="panel">
                                <h2>"Recent activity"</h2>
                                {if o.activity.is_empty() {
                                    view! { <p class="empty">"Nothing yet. Admin actions are recorded here."</p> }
                                        .into_any()
                                } else {
                                    view! {
                                        <ul class="activity">
                                            {o
                                                .activity
                                                .into_iter()
                                                .map(|a| {
                                                    view! {
                                                        <li>
                                                            <span class="activity-at">{a.at}</span>
                                                            <span>
                                                                <strong>{a.who}</strong>
                                                                " "
                                                                {a.what}
                                                            </span>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}

/// The leadership home page: aggregates only.
#[component]
pub fn LeadershipHome() -> impl IntoView {
    view! {
        <Title text="Leadership" />
        <RequireRole role=Role::Leadership>
            <LeadershipHomeBody />
        </RequireRole>
    }
}

#[component]
pub(super) fn LeadershipHomeBody() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_leadership_overview());
    view! {
        <PageHead eyebrow="Leadership" title="Mentoring across the organization">
            <a class="button" href="/dashboard">
                "Open the live dashboard"
            </a>
        </PageHead>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                data.await
                    .map(|o| {
                        let ratio = if o.mentors > 0 {
                            format!("{:.1} mentees per mentor", o.mentees as f64 / o.mentors as f64)
                        } else {
                            "no mentors yet".to_string()
                        };
                        view! {
                            <div class="stats">
                                <Stat label="People" value=o.headcount.to_string() />
                                <Stat label="Mentors" value=o.mentors.to_string() />
                                <Stat label="Mentees" value=o.mentees.to_string() note=ratio />
                                <Stat label="Cohorts" value=o.cohorts.len().to_string() />
                            </div>
                            <div class="grid-2">
                                <section class="panel">
                                    <h2>"People by department"</h2>
                                    <Bars counts=o.by_department />
                                </section>
                                <section class="panel">
                                    <h2>"Cohorts"</h2>
                                    <Cohorts cohorts=o.cohorts empty="No cohorts yet." />
                                </section>
                            </div>
                        }
                    })
            })}
        </Suspense>
        // A sibling of the overview's Suspense, not inside it: a Suspense nested in a resolved
        // Suspend failed to hydrate on a direct load of this page (tachys: expected a marker).
        <SurveyResultsList />
        <p class="muted small">
            "Leadership views show aggregates only; individual goals and notes stay private to each pair."
        </p>
    }
}

/// The surveys that have results (open or closed), linking to them.
#[component]
pub(super) fn SurveyResultsList() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_surveys(None));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let with_results: Vec<SurveySummary> = list
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|s| matches!(s.status, SurveyStatus::Open | SurveyStatus::Closed))
                    .collect();
                (!with_results.is_empty())
                    .then(|| {
                        view! {
                            <section class="panel" aria-label="Survey results">
                                <h2>"Survey results"</h2>
                                <ul class="plain-list">
                                    {with_results
                                        .into_iter()
                                        .map(|s| {
                                            let round = if s.round > 1 {
                                                format!(" (round {})", s.round)
                                            } else {
                                                String::new()
                                            };
                                            view! {
                                                <li>
                                                    <a href=format!(
                                                        "/admin/surveys/{}/results",
                                                        s.id,
                                                    )>{s.title.clone()} {round}</a>
                                                    <span class="muted small">
                                                        {format!(
                                                            " · {} · {} · {} of {} answered",
                                                            s.cohort_name,
                                                            s.status.label(),
                                                            s.answered,
                                                            s.invited,
                                                        )}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}
