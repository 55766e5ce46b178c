//! `/pairs/:id/report`: a mentee's progress report — the personal progress view of the mentee
//! (and of the mentor, for each of their mentees) and the printable report for the pair and
//! admins: goals and milestones, activity over time, meetings (never the private notes),
//! workshops, awards, and skill growth as a radar chart. Prints to one or two pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::chart::{ChartSpec, EChart};
use crate::components::page::NotAvailable;
use crate::domain::metrics::api::load_progress_report;
use crate::domain::metrics::types::ProgressReport as Report;

/// The page.
#[component]
pub fn ProgressReport() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let report = Resource::new(move || id.clone(), load_progress_report);
    view! {
        <Title text="Progress report" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(r) => view! { <Body r /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable
                                    eyebrow="Progress report"
                                    e
                                    not_found="There is no such pair, or it is not yours."
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

#[component]
fn Body(r: Report) -> impl IntoView {
    let hours: f64 = r.meetings.iter().map(|m| m.1 as f64 / 60.0).sum();
    let completed = r.goals.iter().filter(|g| g.status == "Completed").count();
    let ms_done: u32 = r.goals.iter().map(|g| g.milestones_done).sum();
    let ms_all: u32 = r.goals.iter().map(|g| g.milestones).sum();
    let months = r.months.clone();
    let activity = ChartSpec::Months {
        months: months.iter().map(|m| m.month.clone()).collect(),
        series: vec![
            ("Meetings".into(), months.iter().map(|m| f64::from(m.meetings)).collect()),
            ("Check-ins".into(), months.iter().map(|m| f64::from(m.checkins)).collect()),
            ("Milestones done".into(), months.iter().map(|m| f64::from(m.milestones)).collect()),
        ],
    };
    // The radar: self-ratings before and after (the mentor's too when the viewer may see them).
    let rated: Vec<_> = r
        .growth
        .iter()
        .filter(|g| g.self_pre.is_some() || g.self_post.is_some() || g.mentor_pre.is_some() || g.mentor_post.is_some())
        .cloned()
        .collect();
    let radar = (!rated.is_empty()).then(|| {
        let axis = |f: fn(&crate::domain::assessments::types::GrowthRow) -> Option<i64>| -> Vec<f64> {
            rated.iter().map(|g| f(g).unwrap_or(0) as f64).collect()
        };
        let mut series = Vec::new();
        for (name, f) in [
            ("Self, before", (|g: &crate::domain::assessments::types::GrowthRow| g.self_pre) as fn(&_) -> _),
            ("Self, after", |g| g.self_post),
            ("Mentor, before", |g| g.mentor_pre),
            ("Mentor, after", |g| g.mentor_post),
        ] {
            if rated.iter().any(|g| f(g).is_some()) {
                series.push((name.to_string(), axis(f)));
            }
        }
        ChartSpec::Radar { indicators: rated.iter().map(|g| (g.skill_name.clone(), 5.0)).collect(), series }
    });
    let back = format!("/pairs/{}", r.pairing_id);
    view! {
        <p class="breadcrumb no-print">
            <a href=back>"← The pair"</a>
        </p>
        <div class="page-head">
            <div>
                <p class="eyebrow">"Progress report"</p>
                <h1>{r.mentee_name.clone()}</h1>
                <p class="muted">
                    {format!("Mentor: {} · {} · as of {}", r.mentor_name, r.cohort_name, r.today)}
                    {r.ended.clone().map(|on| format!(" · the pair ended on {on}"))}
                </p>
            </div>
            <button type="button" class="button no-print" data-print="page">
                "Print"
            </button>
        </div>
        <div class="stats stats-wide" aria-label="Totals">
            <div class="stat">
                <span class="stat-value">{format!("{completed} of {}", r.goals.len())}</span>
                <span class="stat-label">"Goals completed"</span>
            </div>
            <div class="stat">
                <span class="stat-value">{format!("{ms_done} of {ms_all}")}</span>
                <span class="stat-label">"Milestones done"</span>
            </div>
            <div class="stat">
                <span class="stat-value">{r.meetings.len()}</span>
                <span class="stat-label">"Meetings"</span>
                <span class="stat-note muted">{format!("{hours:.1} hours")}</span>
            </div>
            <div class="stat">
                <span class="stat-value">{r.checkins}</span>
                <span class="stat-label">"Check-ins"</span>
            </div>
        </div>
        <section class="panel dash-panel" aria-label="Goals">
            <h2>"Goals"</h2>
            {r.goals.is_empty().then(|| view! { <p class="empty">"No goals yet."</p> })}
            <div class="table-wrap" tabindex="0">
                <table class="table" data-table="goals">
                    <thead>
                        <tr>
                            <th scope="col">"Goal"</th>
                            <th scope="col">"Skill"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Progress"</th>
                            <th scope="col">"Milestones"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {r
                            .goals
                            .iter()
                            .map(|g| {
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/goals/{}", g.id)>{g.what.clone()}</a>
                                        </td>
                                        <td>{g.skill.clone()}</td>
                                        <td>{g.status.clone()}</td>
                                        <td>{format!("{} %", g.progress)}</td>
                                        <td>{format!("{} of {}", g.milestones_done, g.milestones)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <div class="grid-2">
            <section class="panel dash-panel" aria-label="Activity over time">
                <h2>"Activity over time"</h2>
                {if months.is_empty() {
                    view! { <p class="empty">"No meetings or check-ins yet."</p> }.into_any()
                } else {
                    view! {
                        <EChart
                            id="chart-report-months"
                            label="Meetings, check-ins and milestones per month; the table view has the numbers."
                                .to_string()
                            spec=Signal::derive(move || activity.clone())
                            height=260
                        />
                    }
                        .into_any()
                }}
                <details class="table-view">
                    <summary>"Table view"</summary>
                    <div class="table-wrap" tabindex="0">
                        <table class="table" data-table="report-months">
                            <thead>
                                <tr>
                                    <th scope="col">"Month"</th>
                                    <th scope="col">"Meetings"</th>
                                    <th scope="col">"Hours"</th>
                                    <th scope="col">"Check-ins"</th>
                                    <th scope="col">"Milestones"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .months
                                    .iter()
                                    .map(|m| {
                                        view! {
                                            <tr>
                                                <td>{m.month.clone()}</td>
                                                <td>{m.meetings}</td>
                                                <td>{format!("{:.1}", m.hours)}</td>
                                                <td>{m.checkins}</td>
                                                <td>{m.milestones}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                </details>
            </section>
            <section class="panel dash-panel" aria-label="Skill growth">
                <h2>"Skill growth"</h2>
                {match radar {
                    Some(spec) => {
                        view! {
                            <EChart
                                id="chart-report-growth"
                                label="Skill ratings before and after, 1 to 5; the table has the numbers.".to_string()
                                spec=Signal::derive(move || spec.clone())
                                height=300
                            />
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <p class="empty">"No skill assessment yet: the first comes at the start of the cohort."</p>
                        }
                            .into_any()
                    }
                }}
                <div class="table-wrap" tabindex="0">
                    <table class="table" data-table="report-growth">
                        <thead>
                            <tr>
                                <th scope="col">"Skill"</th>
                                <th scope="col">"Self, before → after"</th>
                                <th scope="col">"Mentor, before → after"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {r
                                .growth
                                .iter()
                                .map(|g| {
                                    let pair = |a: Option<i64>, b: Option<i64>| {
                                        let s = |v: Option<i64>| {
                                            v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
                                        };
                                        format!("{} → {}", s(a), s(b))
                                    };
                                    view! {
                                        <tr>
                                            <td>{g.skill_name.clone()}</td>
                                            <td>{pair(g.self_pre, g.self_post)}</td>
                                            <td>{pair(g.mentor_pre, g.mentor_post)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
        <div class="grid-2">
            <section class="panel dash-panel" aria-label="Meetings">
                <h2>"Meetings"</h2>
                <p class="muted small">"Topics only; the pair's private notes are never part of a report."</p>
                {r.meetings.is_empty().then(|| view! { <p class="empty">"No meetings held yet."</p> })}
                <ul class="report-list">
                    {r
                        .meetings
                        .iter()
                        .map(|(day, minutes, topics)| {
                            view! {
                                <li>
                                    <span class="muted">{format!("{day} · {minutes} min")}</span>
                                    " "
                                    {topics.clone()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            <section class="panel dash-panel" aria-label="Workshops and awards">
                <h2>"Workshops and awards"</h2>
                {(r.workshops.is_empty() && r.awards.is_empty()).then(|| view! { <p class="empty">"None yet."</p> })}
                <ul class="report-list">
                    {r
                        .workshops
                        .iter()
                        .chain(r.awards.iter())
                        .map(|(what, day)| {
                            view! {
                                <li>
                                    <span class="muted">{day.clone()}</span>
                                    " "
                                    {what.clone()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </div>
    }
}
