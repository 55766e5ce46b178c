//! `/admin/surveys`: every survey with its status and response count, and a new survey for a
//! cohort from a template.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::components::auth::RequireRole;
use crate::components::form::ErrorAlert;
use crate::components::page::{LoadFailed, PageHead};
use crate::domain::auth::types::Role;
use crate::domain::cohort::api::list_cohorts;
use crate::domain::cohort::types::CohortStatus;
use crate::domain::surveys::api::{create_survey, list_surveys};
use crate::domain::surveys::templates::{cards, Template};
use crate::domain::surveys::types::{SurveyStatus, SurveySummary};
use crate::error::AppError;

/// The page.
#[component]
pub fn AdminSurveys() -> impl IntoView {
    view! {
        <Title text="Surveys" />
        <RequireRole role=Role::Admin>
            <SurveysBody />
        </RequireRole>
    }
}

#[component]
fn SurveysBody() -> impl IntoView {
    let surveys = Resource::new(|| (), |_| list_surveys(None));
    let cohorts = Resource::new(|| (), |_| list_cohorts());
    view! {
        <PageHead
            eyebrow="Admin"
            title="Surveys"
            lead="Short surveys tell you whether mentors help mentees grow. Start from a template, schedule it, and read the results here."
        />
        <div class="grid-sidebar">
            <section class="panel">
                <h2>"All surveys"</h2>
                <Transition fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match surveys.await {
                            Err(e) => view! { <LoadFailed e /> }.into_any(),
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">"No surveys yet. Start one from a template."</p> }.into_any()
                            }
                            Ok(list) => view! { <SurveyTable list /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="panel">
                <h2>"New survey"</h2>
                <Transition fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match cohorts.await {
                            Err(e) => view! { <LoadFailed e /> }.into_any(),
                            Ok(list) => {
                                let open: Vec<(String, String)> = list
                                    .into_iter()
                                    .filter(|c| c.status != CohortStatus::Closed)
                                    .map(|c| (c.id, format!("{} · {}", c.name, c.program_name)))
                                    .collect();
                                view! { <NewSurvey cohorts=open /> }.into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}

#[component]
fn SurveyTable(list: Vec<SurveySummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table survey-table">
                <thead>
                    <tr>
                        <th scope="col">"Survey"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Opens → closes"</th>
                        <th scope="col">"Answered"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Results"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|s| {
                            let results = matches!(s.status, SurveyStatus::Open | SurveyStatus::Closed);
                            let round = if s.round > 1 { format!(" · round {}", s.round) } else { String::new() };
                            view! {
                                <tr data-survey=s.id.clone()>
                                    <td>
                                        <a href=format!("/admin/surveys/{}", s.id)>{s.title.clone()}</a>
                                        <div class="muted small">
                                            {format!(
                                                "{} · {} · {}{} · {} questions",
                                                s.cohort_name,
                                                s.audience.label(),
                                                if s.anonymous { "anonymous" } else { "attributed" },
                                                round,
                                                s.questions,
                                            )}
                                        </div>
                                    </td>
                                    <td>
                                        <span class=format!("badge badge-{}", s.status)>{s.status.label()}</span>
                                    </td>
                                    <td class="small">
                                        {if s.opens.is_empty() {
                                            "—".to_string()
                                        } else {
                                            format!("{} → {}", s.opens, s.closes)
                                        }}
                                    </td>
                                    <td class="small">
                                        {if s.invited > 0 {
                                            format!("{} of {}", s.answered, s.invited)
                                        } else {
                                            "—".to_string()
                                        }}
                                    </td>
                                    <td>
                                        {results
                                            .then(|| {
                                                view! {
                                                    <a
                                                        class="button button-small"
                                                        href=format!("/admin/surveys/{}/results", s.id)
                                                    >
                                                        "Results"
                                                    </a>
                                                }
                                            })}
                                    </td>
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
fn NewSurvey(cohorts: Vec<(String, String)>) -> impl IntoView {
    let cohort = RwSignal::new(cohorts.first().map(|c| c.0.clone()).unwrap_or_default());
    let navigate = use_navigate();
    let create = Action::new(move |t: &Template| {
        let (c, t) = (cohort.get_untracked(), *t);
        async move { create_survey(c, t).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = create.value().get() {
            navigate(&format!("/admin/surveys/{}", s.id), Default::default());
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    if cohorts.is_empty() {
        return view! { <p class="empty">"Open a cohort first: a survey asks a cohort's mentees or mentors."</p> }
            .into_any();
    }
    view! {
        <div class="field">
            <label for="new-survey-cohort">"Cohort"</label>
            <select
                id="new-survey-cohort"
                prop:value=move || cohort.get()
                on:change=move |ev| cohort.set(event_target_value(&ev))
            >
                {cohorts
                    .iter()
                    .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
                    .collect_view()}
            </select>
        </div>
        <p class="muted small">"Start from a template:"</p>
        <ul class="template-list">
            {cards()
                .into_iter()
                .map(|c| {
                    let t = c.template;
                    view! {
                        <li>
                            <button
                                type="button"
                                class="template-card"
                                disabled=move || create.pending().get()
                                on:click=move |_| {
                                    create.dispatch(t);
                                }
                            >
                                <strong>{c.label.clone()}</strong>
                                <span class="muted small">
                                    {if c.questions > 0 {
                                        format!("{} · {} questions", c.blurb, c.questions)
                                    } else {
                                        c.blurb.clone()
                                    }}
                                </span>
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <ErrorAlert error=Signal::derive(move || error.get().map(|e: AppError| e)) />
    }
    .into_any()
}
