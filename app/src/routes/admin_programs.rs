//! `/admin/programs` (list) and `/admin/programs/:id` (the design studio; `new` for a new one).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::components::auth::RequireRole;
use crate::components::markdown::Markdown;
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::program::api::{clone_program, get_program, list_programs, publish_program, save_program_step};
use crate::domain::program::types::{
    check_publishable, ApproachKind, Metric, Objective, Phase, ProgramDesign, Reward, Step, Workshop,
};
use crate::domain::skills::api::list_skills;
use crate::engine::eligibility::{Combine, RawCondition, RuleNode};
use crate::error::AppError;

/// The programs list.
#[component]
pub fn AdminPrograms() -> impl IntoView {
    view! {
        <Title text="Programs" />
        <RequireRole role=Role::Admin>
            <ProgramsList />
        </RequireRole>
    }
}

#[component]
fn ProgramsList() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let programs = Resource::new(move || changed.get(), |_| list_programs());
    let navigate = use_navigate();
    let copy = Action::new(|(id, name): &(String, String)| clone_program(id.clone(), name.clone()));
    Effect::new(move |_| {
        if let Some(Ok(p)) = copy.value().get() {
            navigate(&format!("/admin/programs/{}", p.id), Default::default());
        }
    });
    view! {
        <PageHead
            eyebrow="Admin"
            title="Programs"
            lead="Design a program step by step: objectives, skills, approach, structure."
        >
            <a class="button button-primary" href="/admin/programs/new">
                "New program"
            </a>
        </PageHead>
        {move || {
            copy.value()
                .get()
                .and_then(|r| r.err())
                .map(|e| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {e.to_string()}
                        </div>
                    }
                })
        }}
        <section class="panel">
            <Transition fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    programs
                        .await
                        .map(|list| {
                            if list.is_empty() {
                                return view! { <p class="empty">"No programs yet."</p> }.into_any();
                            }
                            view! {
                                <ul class="cohort-list">
                                    {list
                                        .into_iter()
                                        .map(|p| {
                                            let href = format!("/admin/programs/{}", p.id);
                                            let id = p.id.clone();
                                            let copy_name = format!("{} (copy)", p.name);
                                            let approach = ApproachKind::parse(&p.approach)
                                                .map(|a| a.label())
                                                .unwrap_or("—");
                                            view! {
                                                <li class="cohort">
                                                    <div>
                                                        <a href=href>
                                                            <strong>{p.name.clone()}</strong>
                                                        </a>
                                                        <span class=format!(
                                                            "badge badge-{}",
                                                            p.status,
                                                        )>{p.status.clone()}</span>
                                                        <div class="muted small">
                                                            {format!(
                                                                "{approach} · {} skills · {} cohorts · updated {}",
                                                                p.skills,
                                                                p.cohorts,
                                                                p.updated,
                                                            )}
                                                        </div>
                                                    </div>
                                                    {(p.status == "published")
                                                        .then(|| {
                                                            view! {
                                                                <a
                                                                    class="button button-small"
                                                                    aria-label=format!("Open a cohort of {}", p.name)
                                                                    href=format!("/admin/cohorts?program={}", p.id)
                                                                >
                                                                    "Open a cohort"
                                                                </a>
                                                            }
                                                        })}
                                                    <button
                                                        type="button"
                                                        class="button button-small button-ghost"
                                                        aria-label=format!("Clone {}", p.name)
                                                        on:click=move |_| {
                                                            copy.dispatch((id.clone(), copy_name.clone()));
                                                        }
                                                    >
                                                        "Clone"
                                                    </button>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        })
                })}
            </Transition>
        </section>
    }
}

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
        }>{move || Suspend::new(async move { loaded.await.map(|d| view! { <Studio initial=d /> }) })}</Suspense>
    }
}

const STEPS: [(&str, Option<Step>); 5] = [
    ("Objectives", Some(Step::Objectives)),
    ("Skills", Some(Step::Skills)),
    ("Approach", Some(Step::Approach)),
    ("Structure", Some(Step::Structure)),
    ("Review", None),
];

/// Reads and writes one text field inside the design.
fn field(
    design: RwSignal<ProgramDesign>,
    get: impl Fn(&ProgramDesign) -> Option<String> + Send + Sync + 'static,
    set: impl Fn(&mut ProgramDesign, String) + Send + Sync + 'static,
) -> (Signal<String>, Callback<String>) {
    (
        Signal::derive(move || design.with(|d| get(d).unwrap_or_default())),
        Callback::new(move |v: String| design.update(|d| set(d, v))),
    )
}

#[component]
fn Studio(initial: ProgramDesign) -> impl IntoView {
    let design = RwSignal::new(initial);
    let step = RwSignal::new(0usize);
    let navigate = use_navigate();
    let save = Action::new(|(d, s): &(ProgramDesign, Step)| save_program_step(d.clone(), *s));
    let publish = Action::new(|(id, v): &(String, i64)| publish_program(id.clone(), *v));
    // Field errors come from the latest save (or publish).
    let error = move |path: String| {
        Signal::derive(move || {
            save.value()
                .get()
                .and_then(|r| r.err())
                .and_then(|e| e.field_message(&path))
                .or_else(|| publish.value().get().and_then(|r| r.err()).and_then(|e| e.field_message(&path)))
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(d)) = save.value().get() {
            let was_new = design.with_untracked(|x| x.id.is_empty());
            let id = d.id.clone();
            design.set(d);
            step.update(|s| *s = (*s + 1).min(STEPS.len() - 1));
            if was_new {
                navigate(
                    &format!("/admin/programs/{id}"),
                    leptos_router::NavigateOptions { replace: true, ..Default::default() },
                );
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(d)) = publish.value().get() {
            design.set(d);
        }
    });
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
    let status = move || design.with(|d| d.status.clone());
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
                0 => view! { <ObjectivesStep design error /> }.into_any(),
                1 => view! { <SkillsStep design error /> }.into_any(),
                2 => view! { <ApproachStep design error /> }.into_any(),
                3 => view! { <StructureStep design error /> }.into_any(),
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

/// A labelled input bound to a field of the design.
#[component]
fn Bound(
    #[prop(into)] label: String,
    #[prop(into)] id: String,
    value: Signal<String>,
    set: Callback<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] r#type: &'static str,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type=r#type
                prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {input}
            <p class="field-error" id=err_id aria-live="polite">
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
fn ObjectivesStep(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (name, set_name) = field(design, |d| Some(d.name.clone()), |d, v| d.name = v);
    let (purpose, set_purpose) = field(design, |d| Some(d.purpose.clone()), |d, v| d.purpose = v);
    let count = Memo::new(move |_| design.with(|d| d.objectives.len()));
    view! {
        <h2>"Why the program exists"</h2>
        <Bound label="Program name" id="program-name" value=name set=set_name error=error("name".into()) />
        <Bound
            label="Purpose"
            id="program-purpose"
            multiline=true
            value=purpose
            set=set_purpose
            error=error("purpose".into())
            hint="Why the program exists and what success means to participants."
        />
        <h2>"SMART objectives"</h2>
        <p class="muted small">
            "Each objective is Specific, Measurable, Achievable, Relevant and Time-bound, and can be bound to a metric the dashboards compute."
        </p>
        {move || (0..count.get()).map(|i| view! { <ObjectiveEditor design i error /> }).collect_view()}
        <p class="field-error" aria-live="polite">
            {move || error("objectives".into()).get()}
        </p>
        <button
            type="button"
            class="button"
            on:click=move |_| design.update(|d| d.objectives.push(Objective::default()))
        >
            "Add objective"
        </button>
    }
}

#[component]
fn ObjectiveEditor(
    design: RwSignal<ProgramDesign>,
    i: usize,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    macro_rules! obj {
        ($f:ident) => {
            field(
                design,
                move |d| d.objectives.get(i).map(|o| o.$f.clone()),
                move |d, v| {
                    if let Some(o) = d.objectives.get_mut(i) {
                        o.$f = v;
                    }
                },
            )
        };
    }
    let (statement, set_statement) = obj!(statement);
    let (specific, set_specific) = obj!(specific);
    let (measurable, set_measurable) = obj!(measurable);
    let (achievable, set_achievable) = obj!(achievable);
    let (relevant, set_relevant) = obj!(relevant);
    let (time_bound, set_time_bound) = obj!(time_bound);
    let (metric, set_metric) = obj!(metric);
    let (target, set_target) = obj!(target);
    let e = move |f: &str| error(format!("objectives.{i}.{f}"));
    view! {
        <fieldset class="objective">
            <legend>{format!("Objective {}", i + 1)}</legend>
            <Bound
                label="Objective"
                id=format!("obj-{i}-statement")
                value=statement
                set=set_statement
                error=e("statement")
            />
            <div class="grid-2">
                <Bound
                    label="Specific: what exactly will change"
                    id=format!("obj-{i}-specific")
                    value=specific
                    set=set_specific
                    error=e("specific")
                />
                <Bound
                    label="Measurable: how you will know"
                    id=format!("obj-{i}-measurable")
                    value=measurable
                    set=set_measurable
                    error=e("measurable")
                    hint="Add a number or a yes/no test."
                />
                <Bound
                    label="Achievable: resources and obstacles"
                    id=format!("obj-{i}-achievable")
                    value=achievable
                    set=set_achievable
                    error=e("achievable")
                />
                <Bound
                    label="Relevant: why it matters"
                    id=format!("obj-{i}-relevant")
                    value=relevant
                    set=set_relevant
                    error=e("relevant")
                />
                <Bound
                    label="Time-bound: met by"
                    id=format!("obj-{i}-time")
                    r#type="date"
                    value=time_bound
                    set=set_time_bound
                    error=e("time_bound")
                />
                <div class="field" class:field-invalid=move || e("metric").get().is_some()>
                    <label for=format!("obj-{i}-metric")>"Dashboard metric"</label>
                    <select
                        id=format!("obj-{i}-metric")
                        prop:value=move || metric.get()
                        on:change=move |ev| set_metric.run(event_target_value(&ev))
                    >
                        <option value="">"None"</option>
                        {Metric::ALL
                            .into_iter()
                            .map(|m| view! { <option value=m.as_str()>{m.label()}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error" aria-live="polite">
                        {move || e("metric").get()}
                    </p>
                </div>
                <Bound label="Target" id=format!("obj-{i}-target") value=target set=set_target error=e("target") />
            </div>
            <button
                type="button"
                class="button button-small button-ghost"
                on:click=move |_| {
                    design
                        .update(|d| {
                            if i < d.objectives.len() {
                                d.objectives.remove(i);
                            }
                        })
                }
            >
                "Remove objective"
            </button>
        </fieldset>
    }
}

#[component]
fn SkillsStep(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let catalog = Resource::new(|| (), |_| list_skills(false));
    view! {
        <h2>"Leadership skills this program develops"</h2>
        <p class="muted small">
            "Mentees pick from these when they set goals. Manage the catalog on the "
            <a href="/admin/skills">"Skills"</a>" page."
        </p>
        <p class="field-error" aria-live="polite">
            {move || error("skill_ids".into()).get()}
        </p>
        <Suspense fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                catalog
                    .await
                    .map(|skills| {
                        view! {
                            <div class="skill-picker">
                                {skills
                                    .into_iter()
                                    .map(|s| {
                                        let id = s.id.clone();
                                        let id2 = s.id.clone();
                                        view! {
                                            <label class="check skill-choice">
                                                <input
                                                    type="checkbox"
                                                    prop:checked=move || design.with(|d| d.skill_ids.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        design
                                                            .update(|d| {
                                                                d.skill_ids.retain(|x| *x != id2);
                                                                if on {
                                                                    d.skill_ids.push(id2.clone());
                                                                }
                                                            });
                                                    }
                                                />
                                                <span>
                                                    <strong>{s.name.clone()}</strong>
                                                    <span class="muted small">{format!(" · {}", s.category)}</span>
                                                </span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
}

#[component]
fn ApproachStep(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (custom, set_custom) = field(design, |d| Some(d.approach_name.clone()), |d, v| d.approach_name = v);
    let (guide, set_guide) = field(design, |d| Some(d.guide.clone()), |d, v| d.guide = v);
    let choose = move |kind: ApproachKind| {
        design.update(|d| {
            // Swap in the new approach's starter guide unless the admin has written their own.
            let untouched = ApproachKind::parse(&d.approach).is_some_and(|old| d.guide == old.default_guide());
            d.approach = kind.as_str().to_string();
            if untouched || d.guide.trim().is_empty() {
                d.guide = kind.default_guide().to_string();
            }
        })
    };
    view! {
        <h2>"The mentor's approach"</h2>
        <div class="choices" role="radiogroup" aria-label="Approach">
            {ApproachKind::ALL
                .into_iter()
                .map(|k| {
                    view! {
                        <label class="check choice">
                            <input
                                type="radio"
                                name="approach"
                                value=k.as_str()
                                prop:checked=move || design.with(|d| d.approach == k.as_str())
                                on:change=move |_| choose(k)
                            />
                            {k.label()}
                        </label>
                    }
                })
                .collect_view()}
        </div>
        <p class="field-error" aria-live="polite">
            {move || error("approach".into()).get()}
        </p>
        <Show when=move || design.with(|d| d.approach == "custom")>
            <Bound
                label="Name of your approach"
                id="approach-name"
                value=custom
                set=set_custom
                error=error("approach_name".into())
            />
        </Show>
        <div class="grid-2">
            <Bound
                label="Mentor guide (Markdown)"
                id="approach-guide"
                multiline=true
                value=guide
                set=set_guide
                error=error("guide".into())
                hint="Shown to mentors on their home page. Headings (##), lists (-), *emphasis* and **bold**."
            />
            <div class="guide-preview">
                <p class="hint">"Preview"</p>
                <Markdown text=guide />
            </div>
        </div>
    }
}

#[component]
fn StructureStep(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (capacity, set_capacity) = field(design, |d| Some(d.capacity.clone()), |d, v| d.capacity = v);
    let phases = Memo::new(move |_| design.with(|d| d.phases.len()));
    view! {
        <QuestionsEditor design error />
        <h2>"Who may join"</h2>
        <RulesEditor design which=RuleSide::Mentee error=error("mentee_rules".into()) />
        <RulesEditor design which=RuleSide::Mentor error=error("mentor_rules".into()) />
        <h2>"Mentor capacity"</h2>
        <Bound
            label="Mentees per mentor (default)"
            id="capacity"
            value=capacity
            set=set_capacity
            error=error("capacity".into())
            hint="1 to 5; admins can override it per mentor on the matching board."
        />
        <h2>"Content and duration"</h2>
        {move || {
            (0..phases.get())
                .map(|i| {
                    macro_rules! ph {
                        ($f:ident) => {
                            field(design, move | d | d.phases.get(i).map(| p | p.$f .clone()), move | d, v | { if let
                            Some(p) = d.phases.get_mut(i) { p.$f = v; } })
                        };
                    }
                    let (name, set_name) = ph!(name);
                    let (weeks, set_weeks) = ph!(weeks);
                    let (milestones, set_milestones) = ph!(milestones);
                    let (agenda, set_agenda) = ph!(agenda);
                    let e = move |f: &str| error(format!("phases.{i}.{f}"));
                    view! {
                        <fieldset class="objective">
                            <legend>{format!("Phase {}", i + 1)}</legend>
                            <div class="grid-2">
                                <Bound
                                    label="Phase name"
                                    id=format!("phase-{i}-name")
                                    value=name
                                    set=set_name
                                    error=e("name")
                                />
                                <Bound
                                    label="Weeks"
                                    id=format!("phase-{i}-weeks")
                                    value=weeks
                                    set=set_weeks
                                    error=e("weeks")
                                />
                                <Bound
                                    label="Milestones (one per line)"
                                    id=format!("phase-{i}-milestones")
                                    multiline=true
                                    value=milestones
                                    set=set_milestones
                                    error=e("milestones")
                                />
                                <Bound
                                    label="Suggested session agenda (one item per line)"
                                    id=format!("phase-{i}-agenda")
                                    multiline=true
                                    value=agenda
                                    set=set_agenda
                                    error=e("agenda")
                                />
                            </div>
                            <button
                                type="button"
                                class="button button-small button-ghost"
                                on:click=move |_| {
                                    design
                                        .update(|d| {
                                            if i < d.phases.len() {
                                                d.phases.remove(i);
                                            }
                                        })
                                }
                            >
                                "Remove phase"
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()
        }}
        <p class="field-error" aria-live="polite">
            {move || error("phases".into()).get()}
        </p>
        <button
            type="button"
            class="button"
            on:click=move |_| {
                design
                    .update(|d| {
                        d.phases
                            .push(Phase {
                                weeks: "4".into(),
                                ..Phase::default()
                            })
                    })
            }
        >
            "Add phase"
        </button>
        <WorkshopsEditor design error />
        <RewardsEditor design error />
    }
}

#[component]
fn WorkshopsEditor(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let count = Memo::new(move |_| design.with(|d| d.workshops.len()));
    let catalog = Resource::new(|| (), |_| list_skills(false));
    view! {
        <h2>"Workshops"</h2>
        <p class="muted small">"Sessions where mentees apply a skill the program develops."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let skills = catalog.await.unwrap_or_default();
                let skills = StoredValue::new(skills);
                view! {
                    {move || {
                        (0..count.get())
                            .map(|i| {
                                macro_rules! ws {
                                    ($f:ident) => {
                                        field(design, move | d | d.workshops.get(i).map(| w | w.$f .clone()), move | d,
                                        v | { if let Some(w) = d.workshops.get_mut(i) { w.$f = v; } })
                                    };
                                }
                                let (title, set_title) = ws!(title);
                                let (date, set_date) = ws!(date);
                                let (skill, set_skill) = ws!(skill_id);
                                let (format, set_format) = ws!(format);
                                let e = move |f: &str| error(format!("workshops.{i}.{f}"));
                                let chosen = move || {
                                    let ids = design.with(|d| d.skill_ids.clone());
                                    skills
                                        .with_value(|all| {
                                            all.iter()
                                                .filter(|s| ids.contains(&s.id))
                                                .map(|s| (s.id.clone(), s.name.clone()))
                                                .collect::<Vec<_>>()
                                        })
                                };
                                view! {
                                    <fieldset class="objective">
                                        <legend>{format!("Workshop {}", i + 1)}</legend>
                                        <div class="grid-2">
                                            <Bound
                                                label="Workshop title"
                                                id=format!("ws-{i}-title")
                                                value=title
                                                set=set_title
                                                error=e("title")
                                            />
                                            <Bound
                                                label="Date"
                                                id=format!("ws-{i}-date")
                                                r#type="date"
                                                value=date
                                                set=set_date
                                                error=e("date")
                                            />
                                            <div
                                                class="field"
                                                class:field-invalid=move || e("skill_id").get().is_some()
                                            >
                                                <label for=format!("ws-{i}-skill")>"Skill practised"</label>
                                                <select
                                                    id=format!("ws-{i}-skill")
                                                    prop:value=move || skill.get()
                                                    on:change=move |ev| set_skill.run(event_target_value(&ev))
                                                >
                                                    <option value="">"Choose a skill"</option>
                                                    {move || {
                                                        chosen()
                                                            .into_iter()
                                                            .map(|(id, name)| {
                                                                view! { <option value=id>{name}</option> }
                                                            })
                                                            .collect_view()
                                                    }}
                                                </select>
                                                <p class="field-error" aria-live="polite">
                                                    {move || e("skill_id").get()}
                                                </p>
                                            </div>
                                            <div class="field" class:field-invalid=move || e("format").get().is_some()>
                                                <label for=format!("ws-{i}-format")>"Format"</label>
                                                <select
                                                    id=format!("ws-{i}-format")
                                                    prop:value=move || format.get()
                                                    on:change=move |ev| set_format.run(event_target_value(&ev))
                                                >
                                                    <option value="in-person">"In person"</option>
                                                    <option value="remote">"Remote"</option>
                                                    <option value="hybrid">"Hybrid"</option>
                                                </select>
                                                <p class="field-error" aria-live="polite">
                                                    {move || e("format").get()}
                                                </p>
                                            </div>
                                        </div>
                                        <button
                                            type="button"
                                            class="button button-small button-ghost"
                                            on:click=move |_| {
                                                design
                                                    .update(|d| {
                                                        if i < d.workshops.len() {
                                                            d.workshops.remove(i);
                                                        }
                                                    })
                                            }
                                        >
                                            "Remove workshop"
                                        </button>
                                    </fieldset>
                                }
                            })
                            .collect_view()
                    }}
                }
            })}
        </Suspense>
        <button
            type="button"
            class="button"
            on:click=move |_| {
                design
                    .update(|d| {
                        d.workshops
                            .push(Workshop {
                                format: "in-person".into(),
                                ..Workshop::default()
                            })
                    })
            }
        >
            "Add workshop"
        </button>
    }
}

#[component]
fn RewardsEditor(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let count = Memo::new(move |_| design.with(|d| d.rewards.len()));
    view! {
        <h2>"Rewards"</h2>
        <p class="muted small">"Badges and certificates awarded at the end to mentees who meet the criteria."</p>
        {move || {
            (0..count.get())
                .map(|i| {
                    let (name, set_name) = field(
                        design,
                        move |d| d.rewards.get(i).map(|r| r.name.clone()),
                        move |d, v| {
                            if let Some(r) = d.rewards.get_mut(i) {
                                r.name = v;
                            }
                        },
                    );
                    let (kind, set_kind) = field(
                        design,
                        move |d| d.rewards.get(i).map(|r| r.kind.clone()),
                        move |d, v| {
                            if let Some(r) = d.rewards.get_mut(i) {
                                r.kind = v;
                            }
                        },
                    );
                    let (goals, set_goals) = field(
                        design,
                        move |d| d.rewards.get(i).map(|r| r.min_goals.clone()),
                        move |d, v| {
                            if let Some(r) = d.rewards.get_mut(i) {
                                r.min_goals = v;
                            }
                        },
                    );
                    let workshop = move || design.with(|d| d.rewards.get(i).is_some_and(|r| r.workshop_required));
                    let e = move |f: &str| error(format!("rewards.{i}.{f}"));
                    view! {
                        <fieldset class="objective">
                            <legend>{format!("Reward {}", i + 1)}</legend>
                            <div class="grid-2">
                                <Bound
                                    label="Reward name"
                                    id=format!("rw-{i}-name")
                                    value=name
                                    set=set_name
                                    error=e("name")
                                />
                                <div class="field" class:field-invalid=move || e("kind").get().is_some()>
                                    <label for=format!("rw-{i}-kind")>"Kind"</label>
                                    <select
                                        id=format!("rw-{i}-kind")
                                        prop:value=move || kind.get()
                                        on:change=move |ev| set_kind.run(event_target_value(&ev))
                                    >
                                        <option value="badge">"Badge"</option>
                                        <option value="certificate">"Certificate"</option>
                                    </select>
                                    <p class="field-error" aria-live="polite">
                                        {move || e("kind").get()}
                                    </p>
                                </div>
                                <Bound
                                    label="Goals completed (at least)"
                                    id=format!("rw-{i}-goals")
                                    value=goals
                                    set=set_goals
                                    error=e("min_goals")
                                />
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=workshop
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            design
                                                .update(|d| {
                                                    if let Some(r) = d.rewards.get_mut(i) {
                                                        r.workshop_required = on;
                                                    }
                                                });
                                        }
                                    />
                                    "A workshop must be completed (attended, reflection signed off)"
                                </label>
                            </div>
                            <button
                                type="button"
                                class="button button-small button-ghost"
                                on:click=move |_| {
                                    design
                                        .update(|d| {
                                            if i < d.rewards.len() {
                                                d.rewards.remove(i);
                                            }
                                        })
                                }
                            >
                                "Remove reward"
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()
        }}
        <button
            type="button"
            class="button"
            on:click=move |_| {
                design
                    .update(|d| {
                        d.rewards
                            .push(Reward {
                                kind: "certificate".into(),
                                min_goals: "2".into(),
                                ..Reward::default()
                            })
                    })
            }
        >
            "Add reward"
        </button>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum RuleSide {
    Mentee,
    Mentor,
}

const RULE_FIELDS: [(&str, &str); 7] = [
    ("level", "Level"),
    ("tenure_months", "Tenure (months)"),
    ("department", "Department"),
    ("title", "Title"),
    ("location", "Location"),
    ("role", "Role"),
    ("manager_nomination", "Manager nomination"),
];
const RULE_OPS: [(&str, &str); 7] = [
    (">=", "at least"),
    ("<=", "at most"),
    ("=", "is"),
    ("!=", "is not"),
    ("in", "is one of"),
    ("not_in", "is none of"),
    ("is_true", "is required"),
];

fn root_of(d: &ProgramDesign, which: RuleSide) -> &RuleNode {
    match which {
        RuleSide::Mentee => &d.mentee_rules,
        RuleSide::Mentor => &d.mentor_rules,
    }
}

fn root_of_mut(d: &mut ProgramDesign, which: RuleSide) -> &mut RuleNode {
    match which {
        RuleSide::Mentee => &mut d.mentee_rules,
        RuleSide::Mentor => &mut d.mentor_rules,
    }
}

/// The node at `path` (child indexes from the root).
fn node_at<'a>(node: &'a RuleNode, path: &[usize]) -> Option<&'a RuleNode> {
    match path.split_first() {
        None => Some(node),
        Some((i, rest)) => match node {
            RuleNode::Group { rules, .. } => rules.get(*i).and_then(|c| node_at(c, rest)),
            RuleNode::Condition(_) => None,
        },
    }
}

fn node_at_mut<'a>(node: &'a mut RuleNode, path: &[usize]) -> Option<&'a mut RuleNode> {
    match path.split_first() {
        None => Some(node),
        Some((i, rest)) => match node {
            RuleNode::Group { rules, .. } => rules.get_mut(*i).and_then(|c| node_at_mut(c, rest)),
            RuleNode::Condition(_) => None,
        },
    }
}

/// Renames `answer:<old>` to `answer:<new>` everywhere in a tree (a question's text is its id).
fn rename_answer(node: &mut RuleNode, old: &str, new: &str) {
    match node {
        RuleNode::Group { rules, .. } => rules.iter_mut().for_each(|r| rename_answer(r, old, new)),
        RuleNode::Condition(c) => {
            if c.field.strip_prefix("answer:") == Some(old) {
                c.field = format!("answer:{new}");
            }
        }
    }
}

/// A rule tree editor: all/any groups that hold conditions and nested groups.
#[component]
fn RulesEditor(design: RwSignal<ProgramDesign>, which: RuleSide, error: Signal<Option<String>>) -> impl IntoView {
    let title = if which == RuleSide::Mentee { "Mentee eligibility" } else { "Mentor selection criteria" };
    view! {
        <fieldset class="objective rules" aria-label=title>
            <legend>{title}</legend>
            {group_editor(design, which, vec![])}
            <p class="field-error" aria-live="polite">
                {move || error.get()}
            </p>
        </fieldset>
    }
}

/// One group of the tree at `path`; recursive, so it returns a type-erased view.
fn group_editor(design: RwSignal<ProgramDesign>, which: RuleSide, path: Vec<usize>) -> AnyView {
    let path = StoredValue::new(path);
    let update = move |f: &dyn Fn(&mut Combine, &mut Vec<RuleNode>)| {
        design.update(|d| {
            if let Some(RuleNode::Group { combine, rules }) = path.with_value(|p| node_at_mut(root_of_mut(d, which), p))
            {
                f(combine, rules);
            }
        })
    };
    // The shape (which children are groups) decides what is rendered; values update in place.
    let shape = Memo::new(move |_| {
        design.with(|d| match path.with_value(|p| node_at(root_of(d, which), p).cloned()) {
            Some(RuleNode::Group { rules, .. }) => rules.iter().map(|r| matches!(r, RuleNode::Group { .. })).collect(),
            _ => Vec::<bool>::new(),
        })
    });
    let combine = Memo::new(move |_| {
        design.with(|d| match path.with_value(|p| node_at(root_of(d, which), p).cloned()) {
            Some(RuleNode::Group { combine, .. }) => combine,
            _ => Combine::All,
        })
    });
    let depth = path.with_value(Vec::len);
    let name = path.with_value(|p| p.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join("."));
    let prefix = if which == RuleSide::Mentee { "mentee" } else { "mentor" };
    let combine_id = if depth == 0 { format!("{prefix}-combine") } else { format!("{prefix}-combine-{name}") };
    let combine_label = if depth == 0 { "Applicants must meet".to_string() } else { format!("Group {name}: meet") };
    let add_label = (depth > 0).then(|| format!("Add rule to group {name}"));
    let rule_name = move |i: usize| if name.is_empty() { (i + 1).to_string() } else { format!("{name}.{}", i + 1) };
    let rule_name = StoredValue::new(rule_name);
    view! {
        <div class=if depth == 0 { "rule-group" } else { "rule-group rule-group-nested" }>
            <div class="rule-combine">
                <label for=combine_id.clone()>{combine_label}</label>
                <select
                    id=combine_id
                    prop:value=move || if combine.get() == Combine::All { "all" } else { "any" }
                    on:change=move |ev| {
                        let all = event_target_value(&ev) == "all";
                        update(&|c, _| *c = if all { Combine::All } else { Combine::Any });
                    }
                >
                    <option value="all">"all of these rules"</option>
                    <option value="any">"any of these rules"</option>
                </select>
            </div>
            {move || {
                if shape.with(Vec::is_empty) {
                    Some(
                        view! {
                            <p class="muted small">
                                {if depth == 0 {
                                    "No rules: everyone may apply."
                                } else {
                                    "Empty group: add a rule or remove the group."
                                }}
                            </p>
                        },
                    )
                } else {
                    None
                }
            }}
            {move || {
                shape
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, is_group)| {
                        let label = rule_name.with_value(|f| f(i));
                        if is_group {
                            let child = path
                                .with_value(|p| {
                                    let mut c = p.clone();
                                    c.push(i);
                                    c
                                });
                            return view! {
                                <div class="rule-subgroup">
                                    {group_editor(design, which, child)}
                                    <button
                                        type="button"
                                        class="button button-small button-ghost"
                                        aria-label=format!("Remove group {label}")
                                        on:click=move |_| update(
                                            &|_, rules| {
                                                if i < rules.len() {
                                                    rules.remove(i);
                                                }
                                            },
                                        )
                                    >
                                        "Remove group"
                                    </button>
                                </div>
                            }
                                .into_any();
                        }
                        let cond = move || {
                            design
                                .with(|d| match path.with_value(|p| node_at(root_of(d, which), p).cloned()) {
                                    Some(RuleNode::Group { rules, .. }) => {
                                        match rules.get(i) {
                                            Some(RuleNode::Condition(c)) => Some(c.clone()),
                                            _ => None,
                                        }
                                    }
                                    _ => None,
                                })
                        };
                        let set = move |f: fn(&mut RawCondition, String), v: String| update(
                            &|_, rules| {
                                if let Some(RuleNode::Condition(c)) = rules.get_mut(i) {
                                    f(c, v.clone());
                                }
                            },
                        );
                        let questions = move || {
                            design
                                .with(|d| {
                                    d.questions.iter().filter(|q| !q.trim().is_empty()).cloned().collect::<Vec<_>>()
                                })
                        };
                        view! {
                            <div class="rule-row">
                                <select
                                    aria-label=format!("Rule {label} field")
                                    prop:value=move || cond().map(|c| c.field).unwrap_or_default()
                                    on:change=move |ev| set(|c, v| c.field = v, event_target_value(&ev))
                                >
                                    {RULE_FIELDS
                                        .iter()
                                        .map(|(v, l)| view! { <option value=*v>{*l}</option> })
                                        .collect_view()}
                                    {move || {
                                        questions()
                                            .into_iter()
                                            .map(|q| {
                                                view! {
                                                    <option value=format!(
                                                        "answer:{q}",
                                                    )>{format!("Answer: {q}")}</option>
                                                }
                                            })
                                            .collect_view()
                                    }}
                                </select>
                                <select
                                    aria-label=format!("Rule {label} operator")
                                    prop:value=move || cond().map(|c| c.op).unwrap_or_default()
                                    on:change=move |ev| set(|c, v| c.op = v, event_target_value(&ev))
                                >
                                    {RULE_OPS
                                        .iter()
                                        .map(|(v, l)| view! { <option value=*v>{*l}</option> })
                                        .collect_view()}
                                </select>
                                <input
                                    aria-label=format!("Rule {label} value")
                                    type="text"
                                    placeholder="value, or a, b, c"
                                    prop:value=move || cond().map(|c| c.value).unwrap_or_default()
                                    on:input=move |ev| set(|c, v| c.value = v, event_target_value(&ev))
                                />
                                <button
                                    type="button"
                                    class="button button-small button-ghost"
                                    aria-label=format!("Remove rule {label}")
                                    on:click=move |_| update(
                                        &|_, rules| {
                                            if i < rules.len() {
                                                rules.remove(i);
                                            }
                                        },
                                    )
                                >
                                    "Remove"
                                </button>
                            </div>
                        }
                            .into_any()
                    })
                    .collect_view()
            }}
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-small"
                    aria-label=add_label
                    on:click=move |_| update(
                        &|_, rules| {
                            rules
                                .push(
                                    RuleNode::Condition(RawCondition {
                                        field: "level".into(),
                                        op: ">=".into(),
                                        value: "3".into(),
                                    }),
                                )
                        },
                    )
                >
                    "Add rule"
                </button>
                {(depth + 2 < crate::engine::eligibility::MAX_DEPTH)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-small button-ghost"
                                on:click=move |_| update(
                                    &|_, rules| {
                                        rules
                                            .push(RuleNode::Group {
                                                combine: Combine::Any,
                                                rules: vec![
                                                    RuleNode::Condition(RawCondition {
                                                        field: "tenure_months".into(),
                                                        op: ">=".into(),
                                                        value: "12".into(),
                                                    }),
                                                ],
                                            })
                                    },
                                )
                            >
                                "Add group"
                            </button>
                        }
                    })}
            </div>
        </div>
    }
    .into_any()
}

/// The program's application questions; renaming one renames the rules that test its answer.
#[component]
fn QuestionsEditor(
    design: RwSignal<ProgramDesign>,
    error: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let count = Memo::new(move |_| design.with(|d| d.questions.len()));
    view! {
        <h2>"Application questions"</h2>
        <p class="muted small">
            "Applicants answer these when they apply. A rule can test an answer (e.g. “Answer: Can you commit two hours a month?” is yes)."
        </p>
        {move || {
            (0..count.get())
                .map(|i| {
                    let (value, set) = field(
                        design,
                        move |d| d.questions.get(i).cloned(),
                        move |d, v| {
                            let old = d.questions.get(i).cloned().unwrap_or_default();
                            let new = v.trim().to_string();
                            if !old.trim().is_empty() && !new.is_empty() {
                                rename_answer(&mut d.mentee_rules, old.trim(), &new);
                                rename_answer(&mut d.mentor_rules, old.trim(), &new);
                            }
                            if let Some(q) = d.questions.get_mut(i) {
                                *q = v;
                            }
                        },
                    );
                    view! {
                        <div class="question-row">
                            <Bound
                                label=format!("Question {}", i + 1)
                                id=format!("question-{i}")
                                value
                                set
                                error=error(format!("questions.{i}"))
                            />
                            <button
                                type="button"
                                class="button button-small button-ghost"
                                aria-label=format!("Remove question {}", i + 1)
                                on:click=move |_| {
                                    design
                                        .update(|d| {
                                            if i < d.questions.len() {
                                                d.questions.remove(i);
                                            }
                                        })
                                }
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                })
                .collect_view()
        }}
        <p class="field-error" aria-live="polite">
            {move || error("questions".into()).get()}
        </p>
        <button type="button" class="button" on:click=move |_| design.update(|d| d.questions.push(String::new()))>
            "Add question"
        </button>
    }
}

#[component]
fn ReviewStep(
    design: RwSignal<ProgramDesign>,
    publish: Action<(String, i64), Result<ProgramDesign, AppError>>,
) -> impl IntoView {
    let problems = Memo::new(move |_| design.with(|d| check_publishable(d).0));
    let publish_error = move || publish.value().get().and_then(|r| r.err()).map(|e| e.to_string());
    view! {
        <h2>"Review"</h2>
        {move || {
            design
                .with(|d| {
                    let approach = ApproachKind::parse(&d.approach).map(|a| a.label().to_string()).unwrap_or_default();
                    let weeks: i64 = d.phases.iter().filter_map(|p| p.weeks.trim().parse::<i64>().ok()).sum();
                    view! {
                        <dl class="facts">
                            <dt>"Name"</dt>
                            <dd>{d.name.clone()}</dd>
                            <dt>"Purpose"</dt>
                            <dd>{d.purpose.clone()}</dd>
                            <dt>"Objectives"</dt>
                            <dd>
                                <ul>
                                    {d
                                        .objectives
                                        .iter()
                                        .map(|o| {
                                            view! { <li>{o.statement.clone()}{format!(" (by {})", o.time_bound)}</li> }
                                        })
                                        .collect_view()}
                                </ul>
                            </dd>
                            <dt>"Skills"</dt>
                            <dd>{format!("{} chosen", d.skill_ids.len())}</dd>
                            <dt>"Approach"</dt>
                            <dd>{approach}</dd>
                            <dt>"Capacity"</dt>
                            <dd>{format!("{} mentees per mentor", d.capacity)}</dd>
                            <dt>"Duration"</dt>
                            <dd>{format!("{} phases, {weeks} weeks", d.phases.len())}</dd>
                            <dt>"Workshops"</dt>
                            <dd>
                                {d
                                    .workshops
                                    .iter()
                                    .map(|w| format!("{} ({})", w.title, w.date))
                                    .collect::<Vec<_>>()
                                    .join(", ")}
                            </dd>
                            <dt>"Application questions"</dt>
                            <dd>
                                {if d.questions.is_empty() { "None".to_string() } else { d.questions.join(" · ") }}
                            </dd>
                            <dt>"Rewards"</dt>
                            <dd>{d.rewards.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join(", ")}</dd>
                        </dl>
                    }
                })
        }}
        {move || {
            let p = problems.get();
            if p.is_empty() {
                None
            } else {
                Some(
                    view! {
                        <div class="alert alert-info" role="status">
                            <p>
                                <strong>"Before publishing:"</strong>
                            </p>
                            <ul>{p.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                        </div>
                    },
                )
            }
        }}
        {move || {
            publish_error()
                .map(|m| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {m}
                        </div>
                    }
                })
        }}
        <Show when=move || design.with(|d| d.status == "published")>
            <div class="alert alert-success" role="status">
                "Published. You can now open a cohort for enrollment."
            </div>
        </Show>
        <div class="studio-actions">
            <button
                type="button"
                class="button button-primary"
                disabled=move || {
                    !problems.get().is_empty() || design.with(|d| d.id.is_empty() || d.status == "published")
                        || publish.pending().get()
                }
                on:click=move |_| {
                    let (id, v) = design.with_untracked(|d| (d.id.clone(), d.version));
                    publish.dispatch((id, v));
                }
            >
                "Publish program"
            </button>
        </div>
    }
}
