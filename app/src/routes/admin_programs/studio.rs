//! `/admin/programs/:id`: the design studio. It loads the design once, keeps it in one signal that
//! every step edits, and saves it a step at a time; the server's answer (new id, version, status)
//! becomes the design being edited.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::fields::FieldErrors;
use super::objectives::ObjectivesStep;
use super::review::ReviewStep;
use super::skills_approach::{ApproachStep, SkillsStep};
use super::structure::StructureStep;
use crate::components::auth::RequireRole;
use crate::components::form::action_error;
use crate::components::page::NotAvailable;
use crate::domain::auth::types::Role;
use crate::domain::program::api::{get_program, publish_program, save_program_step};
use crate::domain::program::types::{ProgramDesign, Step};
use crate::error::AppError;

/// The design studio.
#[component]
pub fn ProgramStudio() -> impl IntoView {
    view! {
        <Title text="Program studio" />
        <RequireRole role=Role::Admin>
            <StudioLoader />
        </RequireRole>
    }
}

/// Loads the design (an empty one for `new`); a program that cannot be loaded says why.
#[component]
fn StudioLoader() -> impl IntoView {
    // Read once: after the first save of a new program the URL changes from `new` to its id,
    // and the studio (with its current step) must stay as it is.
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let loaded = Resource::new(
        || (),
        move |_| {
            let id = id.clone();
            async move {
                if id == "new" {
                    Ok(ProgramDesign::default())
                } else {
                    get_program(id).await
                }
            }
        },
    );
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(d) => view! { <Studio initial=d /> }.into_any(),
                    Err(e) => {
                        view! { <NotAvailable eyebrow="Program studio" e not_found="There is no such program." /> }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The steps in order; the review has nothing to save.
const STEPS: [(&str, Option<Step>); 5] = [
    ("Objectives", Some(Step::Objectives)),
    ("Skills", Some(Step::Skills)),
    ("Approach", Some(Step::Approach)),
    ("Structure", Some(Step::Structure)),
    ("Review", None),
];

/// The studio around a loaded design: heading, step tabs, the current step and its actions.
#[component]
fn Studio(initial: ProgramDesign) -> impl IntoView {
    let design = RwSignal::new(initial);
    let step = RwSignal::new(0usize);
    let navigate = use_navigate();
    // The server's answer (new id, version, status) becomes the design where it arrives, and a
    // new program's URL takes its id; nothing copies it over later.
    let save = Action::new(move |(d, s): &(ProgramDesign, Step)| {
        let (sent, s, navigate) = (d.clone(), *s, navigate.clone());
        async move {
            let saved = save_program_step(sent, s).await;
            if let Ok(d) = &saved {
                let was_new = design.with_untracked(|x| x.id.is_empty());
                design.set(d.clone());
                if was_new {
                    navigate(
                        &format!("/admin/programs/{}", d.id),
                        leptos_router::NavigateOptions { replace: true, ..Default::default() },
                    );
                }
            }
            saved
        }
    });
    // A successful save moves the studio on. This waits for the Effect, which runs after the
    // action has published its answer: moved from inside the action, the step being left would
    // be unmounted while its fields still had that answer (their errors) to read.
    Effect::watch(
        move || save.version().get(),
        move |_, _, _| {
            if save.value().with_untracked(|r| matches!(r, Some(Ok(_)))) {
                step.update(|s| *s = (*s + 1).min(STEPS.len() - 1));
            }
        },
        false,
    );
    let publish = Action::new(move |(id, v): &(String, i64)| {
        let (id, v) = (id.clone(), *v);
        async move {
            let published = publish_program(id, v).await;
            if let Ok(d) = &published {
                design.set(d.clone());
            }
            published
        }
    });
    let errors =
        FieldErrors::new(action_error(move || save.value().get()), action_error(move || publish.value().get()));
    let form_error = move || match save.value().get() {
        Some(Err(AppError::Validation(_))) => Some("Please correct the highlighted fields.".to_string()),
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let on_save = move |_| {
        if let Some(s) = STEPS[step.get_untracked()].1 {
            save.dispatch((design.get_untracked(), s));
        }
    };
    let title = move || design.with(|d| if d.name.is_empty() { "New program".to_string() } else { d.name.clone() });
    let program_id = Memo::new(move |_| design.with(|d| d.id.clone()));
    let status = move || design.with(|d| d.status.as_str());
    view! {
        <div class="page-head">
            <div>
                <p class="eyebrow">"Program studio"</p>
                <h1>{title}</h1>
                <p class="muted">
                    <span class=move || format!("badge badge-{}", status())>{status}</span>
                    {move || {
                        design
                            .with(|d| {
                                if d.version > 0 {
                                    format!(" · saved, version {}", d.version)
                                } else {
                                    " · not saved yet".into()
                                }
                            })
                    }}
                </p>
            </div>
            <a class="button" href="/admin/programs">
                "All programs"
            </a>
        </div>
        {move || {
            let id = program_id.get();
            (!id.is_empty()).then(|| view! { <ObjectiveProgress id /> })
        }}
        <nav class="steps-nav" aria-label="Design steps">
            {STEPS
                .iter()
                .enumerate()
                .map(|(i, (label, _))| {
                    view! {
                        <button
                            type="button"
                            class="step-tab"
                            class:current=move || step.get() == i
                            aria-current=move || if step.get() == i { "step" } else { "false" }
                            on:click=move |_| step.set(i)
                        >
                            <span class="step-no">{i + 1}</span>
                            {*label}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
        <section class="panel studio">
            {move || {
                form_error()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            {move || match step.get() {
                0 => view! { <ObjectivesStep design errors /> }.into_any(),
                1 => view! { <SkillsStep design errors /> }.into_any(),
                2 => view! { <ApproachStep design errors /> }.into_any(),
                3 => view! { <StructureStep design errors /> }.into_any(),
                _ => view! { <ReviewStep design publish /> }.into_any(),
            }} <Show when=move || STEPS[step.get()].1.is_some()>
                <div class="studio-actions">
                    <Show when=move || { step.get() > 0 }>
                        <button type="button" class="button" on:click=move |_| step.update(|s| *s -= 1)>
                            "Back"
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="button button-primary"
                        disabled=move || save.pending().get()
                        on:click=on_save
                    >
                        {move || if save.pending().get() { "Saving…" } else { "Save and continue" }}
                    </button>
                </div>
            </Show>
        </section>
    }
}

/// Where the program's objectives stand in its cohorts (once a cohort runs), with a link to the
/// dashboard.
#[component]
fn ObjectiveProgress(id: String) -> impl IntoView {
    let pid = id.clone();
    let list = Resource::new(|| (), move |_| crate::domain::metrics::api::program_objectives(pid.clone()));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let id = id.clone();
                Suspend::new(async move {
                    let objectives = list.await.unwrap_or_default();
                    (!objectives.is_empty())
                        .then(|| {
                            view! {
                                <section class="panel" aria-label="Where the objectives stand">
                                    <div class="panel-head">
                                        <h2>"Where the objectives stand"</h2>
                                        <a href=format!("/dashboard?program={id}")>"Open the dashboard"</a>
                                    </div>
                                    <crate::routes::dashboard::sections::ObjectiveList objectives />
                                </section>
                            }
                        })
                })
            }}
        </Suspense>
    }
}
