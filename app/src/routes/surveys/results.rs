//! `/admin/surveys/:id/results`: a survey's results for admins (with free text) and leadership
//! (aggregates only): response rate, per-question distributions, means with 95 % intervals, NPS,
//! skill ratings, a breakdown, and the trend across repeats. Every hidden cell says why; the
//! hiding is done on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::auth::RequireRole;
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::surveys::api::load_survey_results;
use crate::domain::surveys::report::{Dimension, GroupResult, QuestionResult, SurveyResults};
use crate::domain::surveys::types::QuestionKind;
use crate::engine::stats::Estimate;

/// The page.
#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let query = use_query_map();
    let dimension =
        Memo::new(move |_| query.with(|q| q.get("by").and_then(|b| Dimension::parse(&b)).unwrap_or(Dimension::None)));
    let results = Resource::new(move || dimension.get(), move |d| load_survey_results(id.clone(), d));
    view! {
        <Title text="Survey results" />
        <RequireRole>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(r) => view! { <Results r /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable eyebrow="Survey results" e not_found="This survey does not exist." />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

/// A reason as a sentence start.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `4.2 (3.9–4.5)`.
fn est(e: &Estimate, digits: usize) -> String {
    if e.low.is_finite() && e.high.is_finite() {
        format!("{:.digits$} (95 % CI {:.digits$}–{:.digits$})", e.value, e.low, e.high)
    } else {
        format!("{:.digits$} (one answer: no interval)", e.value)
    }
}

#[component]
fn Results(r: SurveyResults) -> impl IntoView {
    let rate = r.rate.map(|e| format!("{:.0} %", e.value * 100.0)).unwrap_or_else(|| "—".into());
    let rate_ci = r
        .rate
        .filter(|e| e.low.is_finite() && e.high.is_finite())
        .map(|e| format!("95 % CI {:.0}–{:.0} %", e.low * 100.0, e.high * 100.0))
        .unwrap_or_default();
    let lead = format!(
        "{} · {} · {} · smallest group shown: {}",
        r.cohort_name,
        r.status.label(),
        if r.anonymous { "anonymous" } else { "attributed" },
        r.k
    );
    let base = format!("/admin/surveys/{}/results", r.id);
    let dim = r.dimension;
    view! {
        <p class="breadcrumb">
            <a href="/admin/surveys">"← Surveys"</a>
        </p>
        <PageHead eyebrow="Survey results" title=r.title.clone() lead />
        <div class="stats">
            <div class="stat">
                <span class="stat-label">"Answered"</span>
                <strong class="stat-value" data-testid="answered">
                    {format!("{} of {}", r.answered, r.invited)}
                </strong>
            </div>
            <div class="stat">
                <span class="stat-label">"Response rate"</span>
                <strong class="stat-value">{rate}</strong>
                <span class="stat-label small">{rate_ci}</span>
            </div>
        </div>
        <nav class="tabs" aria-label="Breakdown">
            {Dimension::ALL
                .iter()
                .map(|d| {
                    let href = if *d == Dimension::None { base.clone() } else { format!("{base}?by={}", d.as_str()) };
                    view! {
                        <a href=href class="tab" aria-current=(*d == dim).then_some("page")>
                            {d.label()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <p class="muted small">
            "A survey belongs to one cohort. To compare mentor effectiveness, satisfaction and NPS across cohorts and mentor approaches, see "
            <a href="/dashboard">"the dashboard"</a> " (same k rule)."
        </p>
        {(!r.groups.is_empty())
            .then(|| {
                view! {
                    <section class="panel">
                        <h2>{format!("Respondents by {}", dim.label().to_lowercase())}</h2>
                        <GroupTable groups=r.groups.clone() with_mean=false />
                    </section>
                }
            })}
        {r.texts_hidden.clone().map(|t| view! { <p class="muted small">{t}</p> })}
        {r.questions.into_iter().map(|q| view! { <QuestionCard q dim /> }).collect_view()}
        {(!r.rounds.is_empty())
            .then(|| {
                view! {
                    <section class="panel">
                        <h2>"Trend across rounds"</h2>
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Round"</th>
                                        <th scope="col">"Opened"</th>
                                        <th scope="col">"Answers"</th>
                                        <th scope="col">"Headline question"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {r
                                        .rounds
                                        .iter()
                                        .map(|p| {
                                            view! {
                                                <tr>
                                                    <td>{p.round}</td>
                                                    <td>{p.opened.clone()}</td>
                                                    <td>{p.answered}</td>
                                                    <td>
                                                        {p
                                                            .mean
                                                            .as_ref()
                                                            .map(|m| est(m, 2))
                                                            .unwrap_or_else(|| {
                                                                format!("hidden: fewer than {} answers", r.k)
                                                            })}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
            })}
        {(!r.by_day.is_empty())
            .then(|| {
                view! {
                    <section class="panel">
                        <h2>"Answers over time"</h2>
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Day"</th>
                                        <th scope="col">"Answers so far"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {r
                                        .by_day
                                        .iter()
                                        .map(|(d, n)| {
                                            view! {
                                                <tr>
                                                    <td>{d.clone()}</td>
                                                    <td>{*n}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
            })}
    }
}

#[component]
fn GroupTable(groups: Vec<GroupResult>, with_mean: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table breakdown">
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col">"Answers"</th>
                        {with_mean.then(|| view! { <th scope="col">"Mean"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {groups
                        .into_iter()
                        .map(|g| {
                            let hidden = g.hidden.clone();
                            view! {
                                <tr class:suppressed=hidden.is_some() data-group=g.label.clone()>
                                    <th scope="row">{g.label.clone()}</th>
                                    {match hidden.clone() {
                                        Some(why) => {
                                            view! {
                                                <td colspan=if with_mean { "2" } else { "1" } class="muted">
                                                    {capitalized(&why)}
                                                </td>
                                            }
                                                .into_any()
                                        }
                                        None => {
                                            view! {
                                                <td>{g.n}</td>
                                                {with_mean
                                                    .then(|| {
                                                        view! {
                                                            <td>
                                                                {g.mean.as_ref().map(|m| est(m, 2)).unwrap_or_default()}
                                                            </td>
                                                        }
                                                    })}
                                            }
                                                .into_any()
                                        }
                                    }}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn QuestionCard(q: QuestionResult, dim: Dimension) -> impl IntoView {
    let max = q.distribution.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let kind = q.question.kind;
    view! {
        <section class="panel question-result" data-question=q.question.id.clone()>
            <h2 class="h3">{q.question.text.clone()}</h2>
            <p class="muted small">{format!("{} · {} answers", kind.label(), q.n)}</p>
            {q.hidden.clone().map(|h| view! { <p class="muted suppressed">{format!("Hidden: {h}.")}</p> })}
            {q.mean.as_ref().map(|m| view! { <p>"Mean: " <strong>{est(m, 2)}</strong></p> })}
            {q
                .nps
                .as_ref()
                .map(|n| {
                    view! {
                        <p>
                            "Net promoter score: " <strong>{est(&n.score, 0)}</strong>
                            {format!(
                                " · {} promoters, {} passives, {} detractors",
                                n.promoters,
                                n.passives,
                                n.detractors,
                            )}
                        </p>
                    }
                })}
            {(!q.distribution.is_empty())
                .then(|| {
                    view! {
                        <div class="table-wrap">
                            <table class="table bars">
                                <thead>
                                    <tr>
                                        <th scope="col">{if kind.is_scale() { "Answer" } else { "Option" }}</th>
                                        <th scope="col">"Count"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {q
                                        .distribution
                                        .iter()
                                        .map(|(label, n)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{label.clone()}</th>
                                                    <td>
                                                        <span
                                                            class="bar"
                                                            style:width=format!(
                                                                "{:.2}rem",
                                                                f64::from(*n) * 10.0 / f64::from(max),
                                                            )
                                                        ></span>
                                                        <span class="bar-value">{*n}</span>
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            {(kind == QuestionKind::Skills && q.hidden.is_none())
                .then(|| {
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Skill"</th>
                                        <th scope="col">"Mean rating (1–5)"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {q
                                        .skills
                                        .iter()
                                        .map(|(name, m)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">{name.clone()}</th>
                                                    <td>
                                                        {m
                                                            .as_ref()
                                                            .map(|m| est(m, 2))
                                                            .unwrap_or_else(|| "hidden: too few ratings".into())}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            {(!q.texts.is_empty())
                .then(|| {
                    view! {
                        <ul class="free-texts">
                            {q.texts.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                        </ul>
                    }
                })}
            {(!q.groups.is_empty())
                .then(|| {
                    view! {
                        <h3 class="small">{format!("By {}", dim.label().to_lowercase())}</h3>
                        <GroupTable groups=q.groups.clone() with_mean=true />
                    }
                })}
        </section>
    }
}
