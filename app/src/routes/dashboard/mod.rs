//! `/dashboard`: measuring success, live. Leadership and admins; the filters (program, cohort,
//! department, date range) are the query string, so a drill-down is a link and a view can be
//! shared. Objectives against their targets, the enrollment funnel, activity over time, breakdowns
//! by department, level and cohort, survey and skill-growth figures, and (admins, one cohort) the
//! pairs. Every chart has the same numbers as a table, and every table exports as CSV. Groups
//! under k are hidden on the server. The page reloads its numbers within a second or two of a
//! change anywhere (`hooks::use_live`).

pub mod sections;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::components::auth::RequireRole;
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::metrics::api::get_dashboard;
use crate::domain::metrics::types::{Dashboard, Filters};
use crate::error::AppError;
use crate::hooks::use_live::{use_live, LiveState, UseLiveReturn};

/// The page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            Filters {
                program: get("program"),
                cohort: get("cohort"),
                department: get("department"),
                from: get("from"),
                to: get("to"),
            }
        })
    });
    let live = use_live();
    let data = Resource::new(
        move || (filters.get(), live.tick.get()),
        |(f, _)| async move {
            get_dashboard(f).await.and_then(|p| p.value().map_err(|e| AppError::Transport(e.to_string())))
        },
    );
    view! {
        <Title text="Dashboard" />
        <RequireRole>
            <PageHead eyebrow="Measuring success" title="Dashboard">
                <div class="hero-actions">
                    <LiveBadge live data />
                    <a class="button button-small button-ghost no-print" href="/retros">
                        "Compare cohorts"
                    </a>
                    <sections::PrintReport />
                </div>
            </PageHead>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <Body d /> }.into_any(),
                        Err(e) => {
                            let filters = filters.get_untracked();
                            match e
                                .field_message("program")
                                .or_else(|| e.field_message("cohort"))
                                .or_else(|| e.field_message("department"))
                                .or_else(|| e.field_message("from"))
                                .or_else(|| e.field_message("to"))
                            {
                                Some(why) => {
                                    view! {
                                        <div class="alert alert-error" role="alert">
                                            {format!("These filters cannot be shown: {why}")}
                                        </div>
                                        <p>
                                            <a href="/dashboard">"Show everything"</a>
                                        </p>
                                        <p class="muted small">{format!("Asked for: {}", filters.query())}</p>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! { <NotAvailable eyebrow="Dashboard" e not_found="Nothing to show." /> }
                                        .into_any()
                                }
                            }
                        }
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

/// "live · updated 10:41:03 UTC", "reconnecting…".
#[component]
fn LiveBadge(live: UseLiveReturn, data: Resource<Result<Dashboard, crate::error::AppError>>) -> impl IntoView {
    let at = move || data.get().and_then(|r| r.ok()).map(|d| d.at).unwrap_or_default();
    let text = move || match live.state.get() {
        LiveState::Live => format!("live · updated {}", at()),
        LiveState::Connecting => format!("updated {}", at()),
        LiveState::Reconnecting => format!("reconnecting… · updated {}", at()),
    };
    let class = move || match live.state.get() {
        LiveState::Live => "live live-on",
        LiveState::Connecting => "live",
        LiveState::Reconnecting => "live live-off",
    };
    view! {
        <p class=class role="status" aria-live="polite" data-testid="live">
            <span class="live-dot" aria-hidden="true"></span>
            {text}
        </p>
    }
}

#[component]
fn Body(d: Dashboard) -> impl IntoView {
    let k_note =
        format!("{} · as of {} · aggregates only; any group of fewer than {} people is hidden.", d.scope, d.today, d.k);
    view! {
        <FilterForm d=d.clone() />
        <p class="muted small" data-testid="scope">
            {k_note}
        </p>
        <sections::Objectives d=d.clone() />
        <sections::Totals d=d.clone() />
        <div class="grid-2">
            <sections::Funnel d=d.clone() />
            <sections::Activity d=d.clone() />
        </div>
        <div class="grid-2">
            <sections::Breakdown d=d.clone() which=crate::domain::metrics::types::Table::Departments />
            <sections::Breakdown d=d.clone() which=crate::domain::metrics::types::Table::Levels />
        </div>
        <sections::Breakdown d=d.clone() which=crate::domain::metrics::types::Table::Cohorts />
        <sections::Measures d=d.clone() />
        <sections::Pairs d />
    }
}

/// The filters, as a GET form (it works before the page is interactive, too).
#[component]
fn FilterForm(d: Dashboard) -> impl IntoView {
    let f = d.filters.clone();
    let program = f.program.clone();
    let cohort = f.cohort.clone();
    let department = f.department.clone();
    let cohorts: Vec<_> =
        d.cohorts_menu.iter().filter(|c| f.program.is_empty() || c.parent == f.program).cloned().collect();
    view! {
        <Form method="GET" action="/dashboard" attr:class="filters" attr:aria-label="Filters">
            <label class="field">
                <span class="label">"Program"</span>
                <select name="program">
                    <option value="" selected=program.is_empty()>
                        "All programs"
                    </option>
                    {d
                        .programs
                        .iter()
                        .map(|p| {
                            view! {
                                <option value=p.id.clone() selected=p.id == program>
                                    {p.label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">"Cohort"</span>
                <select name="cohort">
                    <option value="" selected=cohort.is_empty()>
                        "All cohorts"
                    </option>
                    {cohorts
                        .iter()
                        .map(|c| {
                            view! {
                                <option value=c.id.clone() selected=c.id == cohort>
                                    {c.label.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">"Department"</span>
                <select name="department">
                    <option value="" selected=department.is_empty()>
                        "All departments"
                    </option>
                    {d
                        .departments_menu
                        .iter()
                        .map(|x| {
                            view! {
                                <option value=x.clone() selected=*x == department>
                                    {x.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">"From"</span>
                <input type="date" name="from" value=f.from.clone() />
            </label>
            <label class="field">
                <span class="label">"To"</span>
                <input type="date" name="to" value=f.to.clone() />
            </label>
            <div class="filters-actions">
                <button type="submit" class="button">
                    "Show"
                </button>
                <a href="/dashboard" class="button button-ghost">
                    "Reset"
                </a>
            </div>
        </Form>
    }
}
