//! `/admin/cohorts/:id`: one cohort — edit its name, dates and strategy tags, and review its
//! applications (verdict per rule, approve or reject with a reason, override with a reason).

mod fit;
mod panels;
mod retro;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::form::{
    action_error, field_error, result_since_drawn, row_result, successes, FormAlert, Keyed, TextArea, TextField,
};
use crate::components::page::PageHead;
use crate::components::verdict::Verdict;
use crate::domain::auth::types::Role;
use crate::domain::cohort::api::{get_cohort, update_cohort};
use crate::domain::cohort::types::{approach_label, Cohort, CohortInput, CohortStatus};
use crate::domain::enrollment::api::{decide_application, list_applications};
use crate::domain::enrollment::types::{Application, ApplicationStatus, Decision};
use crate::error::AppError;
use crate::routes::admin_cohort::fit::FitPanel;
use crate::routes::admin_cohort::panels::{AttendancePanel, PairsPanel};
use crate::routes::admin_cohort::retro::RetroPanel;
use crate::routes::admin_cohorts::{CohortFields, CohortFieldsView};

/// The page.
#[component]
pub fn AdminCohort() -> impl IntoView {
    view! {
        <Title text="Cohort" />
        <RequireRole role=Role::Admin>
            <CohortLoader />
        </RequireRole>
    }
}

#[component]
fn CohortLoader() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let save = Action::new(|(id, input, version): &(String, CohortInput, i64)| {
        update_cohort(id.clone(), input.clone(), *version)
    });
    // One decision action for every application row; the result names the application.
    let decide = Action::new(|d: &Decision| {
        let (key, call) = (d.id.clone(), decide_application(d.clone()));
        async move { (key, call.await) }
    });
    // The cohort and its applications reload after an edit or a decision succeeds.
    let (saved, decided) = (successes(save), successes(decide));
    let cohort_id = id.clone();
    let cohort = Resource::new(move || (saved.get(), decided.get()), move |_| get_cohort(cohort_id.clone()));
    let apps_id = id.clone();
    let apps = Resource::new(move || (saved.get(), decided.get()), move |_| list_applications(apps_id.clone()));
    let filter = RwSignal::new("pending".to_string());
    view! {
        <p class="breadcrumb">
            <a href="/admin/cohorts">"← All cohorts"</a>
        </p>
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                cohort
                    .await
                    .map(|c| {
                        let lead = format!(
                            "{} · {} → {} · {} · {}",
                            c.program_name,
                            c.starts,
                            c.ends,
                            c.status,
                            approach_label(&c.approach),
                        );
                        let board = format!("/admin/cohorts/{}/board", c.id);
                        let board_label = if matches!(c.status, CohortStatus::Running | CohortStatus::Closed) {
                            "View the published pairs"
                        } else {
                            "Open the matching board"
                        };
                        view! {
                            <PageHead eyebrow="Cohort" title=c.name.clone() lead>
                                <a class="button button-primary" href=board>
                                    {board_label}
                                </a>
                            </PageHead>
                            <EditCohort c save />
                        }
                    })
            })}
        </Transition>
        // Shown once the cohort has published pairs; created here, outside the suspended view,
        // so their server-rendered data hydrates.
        <FitPanel cohort_id=id.clone() />
        <PairsPanel cohort_id=id.clone() />
        <AttendancePanel cohort_id=id.clone() />
        <RetroPanel cohort_id=id.clone() />
        <section class="panel" aria-labelledby="apps-title">
            <div class="panel-head">
                <h2 id="apps-title">"Applications"</h2>
                <div class="segmented" role="group" aria-label="Show">
                    {[("pending", "Pending"), ("all", "All")]
                        .into_iter()
                        .map(|(v, l)| {
                            view! {
                                <button
                                    type="button"
                                    class="button button-small"
                                    class:button-primary=move || filter.get() == v
                                    aria-pressed=move || if filter.get() == v { "true" } else { "false" }
                                    on:click=move |_| filter.set(v.to_string())
                                >
                                    {l}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    apps.await
                        .map(|data| {
                            let counts = format!(
                                "{} applications · {} pending · {} approved",
                                data.applications.len(),
                                data.applications.iter().filter(|a| a.status == ApplicationStatus::Pending).count(),
                                data.applications.iter().filter(|a| a.status == ApplicationStatus::Approved).count(),
                            );
                            let all = data.applications;
                            let questions = StoredValue::new(data.questions);
                            let default_capacity = StoredValue::new(data.default_capacity);
                            view! {
                                <p class="muted small">{counts}</p>
                                {move || {
                                    let shown: Vec<Application> = all
                                        .iter()
                                        .filter(|a| filter.get() == "all" || a.status == ApplicationStatus::Pending)
                                        .cloned()
                                        .collect();
                                    if shown.is_empty() {
                                        return view! { <p class="empty">"No applications to show."</p> }.into_any();
                                    }
                                    view! {
                                        <ul class="review-list">
                                            {shown
                                                .into_iter()
                                                .map(|a| {
                                                    view! {
                                                        <Review
                                                            a
                                                            questions=questions.get_value()
                                                            default_capacity=default_capacity.get_value()
                                                            decide
                                                        />
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            }
                        })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EditCohort(c: Cohort, save: Action<(String, CohortInput, i64), Result<Cohort, AppError>>) -> impl IntoView {
    let fields = CohortFields::new(&c.as_input());
    let result = result_since_drawn(save);
    let version_error = field_error(result, "version");
    let status_error = field_error(result, "status");
    let (id, version, program_id) = (c.id.clone(), c.version, c.program_id.clone());
    view! {
        <details class="panel edit-cohort">
            <summary>"Edit name, dates and strategy"</summary>
            <FormAlert error=action_error(result) />
            {move || {
                version_error
                    .get()
                    .or(status_error.get())
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            <form
                class="form"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch((id.clone(), fields.input(program_id.clone()), version));
                }
            >
                <CohortFieldsView fields error=action_error(result) />
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                    "Save cohort"
                </button>
            </form>
        </details>
    }
}

#[component]
fn Review(
    a: Application,
    questions: Vec<String>,
    default_capacity: String,
    decide: Action<Decision, Keyed<Application>>,
) -> impl IntoView {
    let capacity = RwSignal::new(a.capacity.map(|c| c.to_string()).unwrap_or_default());
    let is_mentor = a.side == crate::domain::enrollment::types::Side::Mentor;
    // Answers in the program's question order (answers to since-removed questions last).
    let mut answers: Vec<(String, String)> = a.answers.clone().into_iter().collect();
    answers.sort_by_key(|(q, _)| questions.iter().position(|x| x == q).unwrap_or(usize::MAX));
    let reason = RwSignal::new(String::new());
    let override_reason = RwSignal::new(String::new());
    let result = row_result(decide, a.id.clone());
    let conflict = move || match result() {
        Some(Err(e)) => e.field_message("version").or_else(|| e.field_message("status")),
        _ => None,
    };
    let (id, version, eligible) = (a.id.clone(), a.version, a.eligible);
    let dispatch = move |approve: bool| {
        decide.dispatch(Decision {
            id: id.clone(),
            approve,
            reason: reason.get_untracked(),
            override_reason: override_reason.get_untracked(),
            capacity: capacity.get_untracked(),
            version,
        });
    };
    let dispatch2 = dispatch.clone();
    let pending = a.status == ApplicationStatus::Pending;
    let profile = [a.title.clone(), a.department.clone(), a.level.map(|l| format!("level {l}")).unwrap_or_default()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let label = format!("{} as {}", a.name, a.side.as_str());
    view! {
        <li class="review" aria-label=label>
            <div class="review-head">
                <div>
                    <strong>{a.name.clone()}</strong>
                    <span class="muted small">{format!(" · {}", a.email)}</span>
                    <div class="muted small">{profile}</div>
                </div>
                <div>
                    <span class="badge">{a.side.label()}</span>
                    <span class=format!("badge badge-{}", a.status)>{a.status.label()}</span>
                    <span class=if eligible {
                        "badge badge-eligible"
                    } else {
                        "badge badge-ineligible"
                    }>{if eligible { "Meets criteria" } else { "Fails a criterion" }}</span>
                </div>
            </div>
            {(!a.answers.is_empty())
                .then(|| {
                    view! {
                        <dl class="answers">
                            {answers
                                .into_iter()
                                .map(|(q, ans)| {
                                    view! {
                                        <dt>{q}</dt>
                                        <dd>{ans}</dd>
                                    }
                                })
                                .collect_view()}
                        </dl>
                    }
                })}
            {match a.verdict.clone() {
                Some(v) => view! { <Verdict verdict=v /> }.into_any(),
                None => view! { <p class="muted small">"No entry criteria for this side."</p> }.into_any(),
            }}
            {is_mentor
                .then(|| {
                    view! {
                        <p class="small">
                            {match a.capacity {
                                Some(c) => format!("Takes up to {c} mentees (program default {default_capacity})."),
                                None => format!("Takes the program's default of {default_capacity} mentees."),
                            }}
                        </p>
                    }
                })}
            {(!a.decision_reason.is_empty())
                .then(|| view! { <p class="small">{format!("Reason given: {}", a.decision_reason)}</p> })}
            {(!a.override_reason.is_empty())
                .then(|| view! { <p class="small">{format!("Override recorded: {}", a.override_reason)}</p> })}
            {(!a.decided_by.is_empty())
                .then(|| view! { <p class="muted small">{format!("Decided by {}", a.decided_by)}</p> })}
            {pending
                .then(|| {
                    view! {
                        <div class="decision">
                            {move || {
                                conflict()
                                    .map(|m| {
                                        view! {
                                            <div class="alert alert-error" role="alert">
                                                {m}
                                            </div>
                                        }
                                    })
                            }} <FormAlert error=action_error(result) />
                            <TextArea
                                label="Reason the applicant sees (required to reject)"
                                name=format!("reason-{}", a.id)
                                value=reason
                                error=field_error(result, "reason")
                                rows=2
                            />
                            {is_mentor
                                .then(|| {
                                    view! {
                                        <TextField
                                            label="Mentees this mentor takes (1–10, blank: as asked)"
                                            name=format!("capacity-{}", a.id)
                                            r#type="number"
                                            value=capacity
                                            error=field_error(result, "capacity")
                                        />
                                    }
                                })}
                            {(!eligible)
                                .then(|| {
                                    view! {
                                        <TextArea
                                            label="Why you override the failed criterion (recorded; required to approve)"
                                            name=format!("override-{}", a.id)
                                            value=override_reason
                                            error=field_error(result, "override_reason")
                                            rows=2
                                        />
                                    }
                                })} <div class="form-actions">
                                <button
                                    type="button"
                                    class="button button-primary"
                                    disabled=move || decide.pending().get()
                                    on:click=move |_| dispatch(true)
                                >
                                    {if eligible { "Approve" } else { "Approve with override" }}
                                </button>
                                <button
                                    type="button"
                                    class="button button-danger"
                                    disabled=move || decide.pending().get()
                                    on:click=move |_| dispatch2(false)
                                >
                                    "Reject"
                                </button>
                            </div>
                        </div>
                    }
                })}
        </li>
    }
}
