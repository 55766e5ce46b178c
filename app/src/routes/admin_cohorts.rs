//! `/admin/cohorts`: open cohorts of published programs and move them through their life.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::RequireRole;
use crate::components::form::{action_error, field_error, Choice, FormAlert, TextField};
use crate::components::page::{LoadFailed, PageHead};
use crate::domain::auth::types::Role;
use crate::domain::cohort::api::{advance_cohort, create_cohort, list_cohorts};
use crate::domain::cohort::types::{
    approach_label, Cohort, CohortInput, CohortStatus, CADENCES, MATCHING_MODES, WORKSHOP_FORMATS,
};
use crate::domain::program::api::list_programs;
use crate::domain::program::types::{ApproachKind, ProgramStatus};
use crate::domain::retro::api::{decide_lesson, program_lessons};
use crate::domain::retro::types::{CarryItem, Decision, DecisionInput, StrategyTag};
use crate::error::AppError;

/// Decisions on earlier cohorts' lessons chosen while opening a cohort: note key → (decision,
/// detail); and the messages of those that were refused.
type Chosen = RwSignal<std::collections::BTreeMap<String, (String, String)>>;

/// The cohorts page.
#[component]
pub fn AdminCohorts() -> impl IntoView {
    view! {
        <Title text="Cohorts" />
        <RequireRole role=Role::Admin>
            <CohortsBody />
        </RequireRole>
    }
}

fn label_of(options: &[(&'static str, &'static str)], value: &str) -> String {
    options.iter().find(|(v, _)| *v == value).map(|(_, l)| l.to_string()).unwrap_or_else(|| value.to_string())
}

#[component]
fn CohortsBody() -> impl IntoView {
    let form = NewCohortForm::new();
    let create = Action::new(move |input: &CohortInput| {
        let created = create_cohort(input.clone());
        let chosen = form.lessons.get_untracked();
        async move {
            let created = created.await;
            if let Ok(c) = &created {
                // A second click must not open the same cohort twice.
                form.fields.name.set(String::new());
                // The lessons decided in the form, stored on the new cohort.
                let mut refused = std::collections::BTreeMap::new();
                for (note, (decision, detail)) in chosen {
                    let Some(decision) = Decision::parse(&decision) else { continue };
                    let input = DecisionInput { cohort_id: c.id.clone(), note_id: note.clone(), decision, detail };
                    if let Err(e) = decide_lesson(input).await {
                        refused.insert(note, e.field_message("detail").unwrap_or_else(|| e.to_string()));
                    }
                }
                if refused.is_empty() {
                    form.lessons.set(Default::default());
                }
                form.lesson_errors.set(refused);
            }
            created
        }
    });
    let advance = Action::new(|(id, from): &(String, CohortStatus)| advance_cohort(id.clone(), *from));
    // The list follows every change made here; a version counts the completed dispatches.
    let cohorts = Resource::new(move || (create.version().get(), advance.version().get()), |_| list_cohorts());
    view! {
        <PageHead
            eyebrow="Admin"
            title="Cohorts"
            lead="Each cohort runs a published program, from enrollment to its close. Its strategy tags let retrospectives compare cohorts."
        />
        <div class="grid-sidebar">
            <section class="panel">
                <h2>"All cohorts"</h2>
                <Transition fallback=|| {
                    view! { <p class="loading">"Loading…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match cohorts.await {
                            Err(e) => view! { <LoadFailed e /> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="empty">"No cohorts yet."</p> }.into_any(),
                            Ok(list) => {
                                view! {
                                    <ul class="cohort-list">
                                        {list
                                            .into_iter()
                                            .map(|c| view! { <CohortRow c advance form /> })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
            <NewCohort create form />
        </div>
    }
}

#[component]
fn CohortRow(
    c: Cohort,
    advance: Action<(String, CohortStatus), Result<Cohort, AppError>>,
    form: NewCohortForm,
) -> impl IntoView {
    // A matching cohort starts running when its board is published, not from here.
    let next = c.status.next().filter(|_| c.status != CohortStatus::Matching);
    let repeat = c.as_input();
    // Accessible names start with the visible label (WCAG 2.5.3) and add the cohort's name.
    let repeat_label = format!("Repeat: open another cohort like {}", c.name);
    let id = c.id.clone();
    let from = c.status;
    let mine = id.clone();
    // The last "Move to" error belongs to the row it was clicked on.
    let error = move || {
        advance.value().get().and_then(|r| r.err()).filter(|_| form.advanced.get().as_deref() == Some(mine.as_str()))
    };
    let tags = format!(
        "{} · {} · {} meetings · {} workshops",
        approach_label(&c.approach),
        label_of(&MATCHING_MODES, &c.matching_mode),
        label_of(&CADENCES, &c.meeting_cadence).to_lowercase(),
        label_of(&WORKSHOP_FORMATS, &c.workshop_format).to_lowercase()
    );
    view! {
        <li class="cohort">
            <div>
                <a href=format!("/admin/cohorts/{}", c.id)>
                    <strong>{c.name.clone()}</strong>
                </a>
                <span class="muted">" · " {c.program_name.clone()}</span>
                <span class=format!("badge badge-{}", c.status)>{c.status.as_str()}</span>
                <div class="muted small">{format!("{} → {}", c.starts, c.ends)}</div>
                <div class="muted small">{tags}</div>
            </div>
            {next
                .map(|n| {
                    view! {
                        <button
                            type="button"
                            class="button button-small"
                            aria-label=format!("Move to {n}: {}", c.name)
                            disabled=move || advance.pending().get()
                            on:click=move |_| {
                                form.advanced.set(Some(id.clone()));
                                advance.dispatch((id.clone(), from));
                            }
                        >
                            {format!("Move to {n}")}
                        </button>
                    }
                })}
            {c
                .status
                .is_live()
                .then(|| {
                    view! {
                        <a
                            class="button button-small"
                            aria-label=format!("Matching board of {}", c.name)
                            href=format!("/admin/cohorts/{}/board", c.id)
                        >
                            "Board"
                        </a>
                    }
                })}
            <button
                type="button"
                class="button button-small button-ghost"
                aria-label=repeat_label
                on:click=move |_| form.repeat(repeat.clone())
            >
                "Repeat"
            </button>
            {move || {
                error()
                    .map(|e| {
                        view! {
                            <p class="field-error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
        </li>
    }
}

/// Options as owned pairs.
fn owned(options: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

/// The approach menu. A new cohort may keep the program's approach (the empty value); a cohort
/// that has one chooses among the kinds.
fn approach_options(offer_programs: bool) -> Vec<(String, String)> {
    let programs = offer_programs.then(|| (String::new(), "The program's approach".to_string()));
    programs
        .into_iter()
        .chain(ApproachKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())))
        .collect()
}

/// A cohort's editable fields (all but its program), as signals.
#[derive(Clone, Copy)]
pub struct CohortFields {
    name: RwSignal<String>,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    approach: RwSignal<String>,
    matching_mode: RwSignal<String>,
    meeting_cadence: RwSignal<String>,
    workshop_format: RwSignal<String>,
}

impl CohortFields {
    /// Signals holding `i`'s values.
    pub fn new(i: &CohortInput) -> Self {
        CohortFields {
            name: RwSignal::new(i.name.clone()),
            starts: RwSignal::new(i.starts.clone()),
            ends: RwSignal::new(i.ends.clone()),
            approach: RwSignal::new(i.approach.clone()),
            matching_mode: RwSignal::new(i.matching_mode.clone()),
            meeting_cadence: RwSignal::new(i.meeting_cadence.clone()),
            workshop_format: RwSignal::new(i.workshop_format.clone()),
        }
    }

    /// Overwrites every field with `i`'s values.
    pub fn set(&self, i: CohortInput) {
        self.name.set(i.name);
        self.starts.set(i.starts);
        self.ends.set(i.ends);
        self.approach.set(i.approach);
        self.matching_mode.set(i.matching_mode);
        self.meeting_cadence.set(i.meeting_cadence);
        self.workshop_format.set(i.workshop_format);
    }

    /// The form's values, for the given program.
    pub fn input(&self, program_id: String) -> CohortInput {
        CohortInput {
            program_id,
            name: self.name.get_untracked(),
            starts: self.starts.get_untracked(),
            ends: self.ends.get_untracked(),
            approach: self.approach.get_untracked(),
            matching_mode: self.matching_mode.get_untracked(),
            meeting_cadence: self.meeting_cadence.get_untracked(),
            workshop_format: self.workshop_format.get_untracked(),
        }
    }
}

/// The name, dates and strategy fields of a cohort form, each with its field error.
#[component]
pub fn CohortFieldsView(fields: CohortFields, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let e = move |field: &'static str| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    view! {
        <TextField label="Cohort name" name="cohort-name" value=fields.name error=e("name") required=true />
        <div class="grid-2">
            <TextField label="Starts" name="starts" r#type="date" value=fields.starts error=e("starts") required=true />
            <TextField label="Ends" name="ends" r#type="date" value=fields.ends error=e("ends") required=true />
        </div>
        <Choice
            label="Mentors' approach"
            name="approach"
            value=fields.approach
            options=approach_options(fields.approach.get_untracked().is_empty())
            error=e("approach")
        />
        <Choice
            label="Matching mode"
            name="matching_mode"
            value=fields.matching_mode
            options=owned(&MATCHING_MODES)
            error=e("matching_mode")
        />
        <Choice
            label="Meeting cadence"
            name="meeting_cadence"
            value=fields.meeting_cadence
            options=owned(&CADENCES)
            error=e("meeting_cadence")
        />
        <Choice
            label="Workshop format"
            name="workshop_format"
            value=fields.workshop_format
            options=owned(&WORKSHOP_FORMATS)
            error=e("workshop_format")
        />
    }
}

/// The "Open a cohort" form's state, shared with the list's "Repeat" buttons that fill it.
#[derive(Clone, Copy)]
struct NewCohortForm {
    program_id: RwSignal<String>,
    fields: CohortFields,
    /// The cohort whose "Move to" was clicked last (its row shows the outcome).
    advanced: RwSignal<Option<String>>,
    /// Decisions on the program's earlier lessons.
    lessons: Chosen,
    /// Note key → why its decision was refused.
    lesson_errors: RwSignal<std::collections::BTreeMap<String, String>>,
}

impl NewCohortForm {
    fn new() -> Self {
        // `?program=<id>` (from "Open a cohort" on the programs page) preselects the program.
        let preselected =
            leptos_router::hooks::use_query_map().with_untracked(|q| q.get("program").unwrap_or_default());
        NewCohortForm {
            program_id: RwSignal::new(preselected),
            fields: CohortFields::new(&CohortInput {
                matching_mode: "optimal".into(),
                meeting_cadence: "biweekly".into(),
                workshop_format: "in-person".into(),
                ..CohortInput::default()
            }),
            advanced: RwSignal::new(None),
            lessons: RwSignal::new(Default::default()),
            lesson_errors: RwSignal::new(Default::default()),
        }
    }

    /// "Repeat": the program and strategy of `like`, the same length starting the day after it
    /// ends, and the form brought into view (it sits below the list on a phone).
    fn repeat(&self, like: CohortInput) {
        let (starts, ends) = crate::domain::cohort::types::next_run(&like.starts, &like.ends).unwrap_or_default();
        self.program_id.set(like.program_id.clone());
        self.fields.set(CohortInput { name: format!("{} (next)", like.name), starts, ends, ..like });
        if let Some(el) = document().get_element_by_id("field-cohort-name") {
            el.scroll_into_view();
        }
    }
}

#[component]
fn NewCohort(create: Action<CohortInput, Result<Cohort, AppError>>, form: NewCohortForm) -> impl IntoView {
    let programs = Resource::new(|| (), |_| list_programs());
    let NewCohortForm { program_id, fields, .. } = form;
    let result = move || create.value().get();
    let form_error = action_error(result);
    view! {
        <section class="panel">
            <h2>"Open a cohort"</h2>
            {move || match result() {
                Some(Ok(c)) => {
                    Some(
                        view! {
                            <div class="alert alert-success" role="status">
                                {format!("Opened “{}” as a draft. ", c.name)}
                                <a href=format!("/admin/cohorts/{}", c.id)>{format!("Go to {}", c.name)}</a>
                            </div>
                        },
                    )
                }
                _ => None,
            }}
            <FormAlert error=form_error />
            <form
                class="form"
                method="post"
                novalidate
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let mut refused = std::collections::BTreeMap::new();
                    for (note, (decision, detail)) in form.lessons.get_untracked() {
                        let Some(decision) = Decision::parse(&decision) else { continue };
                        let input = DecisionInput {
                            cohort_id: String::new(),
                            note_id: note.clone(),
                            decision,
                            detail,
                        };
                        if let Err(e) = input.validate() {
                            refused.insert(note, e.0.first().map(|f| f.message.clone()).unwrap_or_default());
                        }
                    }
                    let stop = !refused.is_empty();
                    form.lesson_errors.set(refused);
                    if !stop {
                        create.dispatch(fields.input(program_id.get_untracked()));
                    }
                }
            >
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = programs.await.unwrap_or_default();
                        let mut options = vec![(String::new(), "Choose a published program".to_string())];
                        options
                            .extend(
                                list
                                    .into_iter()
                                    .filter(|p| p.status == ProgramStatus::Published)
                                    .map(|p| (p.id, p.name)),
                            );
                        view! {
                            <Choice
                                label="Program"
                                name="program_id"
                                value=program_id
                                options
                                error=field_error(result, "program_id")
                            />
                        }
                    })}
                </Suspense>
                <CohortFieldsView fields error=form_error />
                <Lessons form />
                <button type="submit" class="button button-primary" disabled=move || create.pending().get()>
                    "Open cohort"
                </button>
            </form>
        </section>
    }
}

/// The program's "change next time" notes from its cohorts' retrospectives, beside the form that
/// opens its next cohort: each can be marked applied (with the setting it changed) or skipped
/// (with the reason), stored on the new cohort when it opens, or left for later.
#[component]
fn Lessons(form: NewCohortForm) -> impl IntoView {
    let program = form.program_id;
    let lessons = Resource::new(
        move || program.get(),
        |p| async move {
            if p.is_empty() {
                Ok(Vec::new())
            } else {
                program_lessons(p).await
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let items = lessons.await.unwrap_or_default();
                (!items.is_empty())
                    .then(|| {
                        view! {
                            <fieldset class="retro-lessons">
                                <legend>"Lessons from earlier cohorts"</legend>
                                <p class="small muted">
                                    "“Change next time” notes from this program's retrospectives. Mark each applied (and the setting it changed) or skipped (and why); or decide later on the new cohort's page."
                                </p>
                                {items.into_iter().map(|item| view! { <LessonChoice item form /> }).collect_view()}
                            </fieldset>
                        }
                    })
            })}
        </Transition>
    }
}

#[component]
fn LessonChoice(item: CarryItem, form: NewCohortForm) -> impl IntoView {
    let note = item.note_id.clone();
    let (n1, n2, n3, n4) = (note.clone(), note.clone(), note.clone(), note.clone());
    let decision = move || form.lessons.with(|m| m.get(&n1).map(|(d, _)| d.clone()).unwrap_or_default());
    let detail = move || form.lessons.with(|m| m.get(&n2).map(|(_, d)| d.clone()).unwrap_or_default());
    let set = move |d: Option<String>, t: Option<String>| {
        form.lessons.update(|m| {
            let e = m.entry(n3.clone()).or_default();
            if let Some(d) = d {
                e.0 = d;
            }
            if let Some(t) = t {
                e.1 = t;
            }
        })
    };
    let error = Memo::new(move |_| form.lesson_errors.with(|m| m.get(&n4).cloned()));
    let about = StrategyTag::parse(&item.tag).map(|t| format!(" · {}", t.label())).unwrap_or_default();
    let (select_id, detail_id) = (format!("lesson-{note}"), format!("lesson-detail-{note}"));
    let err_id = format!("{detail_id}-error");
    let set2 = set.clone();
    view! {
        <div class="retro-lesson" class:field-invalid=move || error.with(Option::is_some)>
            <p class="retro-text">{item.text.clone()}</p>
            <p class="small muted">{format!("From {}{about}", item.from_cohort_name)}</p>
            <div class="grid-2">
                <div class="field">
                    <label for=select_id.clone()>"Decision"</label>
                    <select
                        id=select_id
                        prop:value=decision
                        on:change=move |ev| set(Some(event_target_value(&ev)), None)
                    >
                        <option value="">"Decide later"</option>
                        <option value=Decision::Applied.as_str()>"Applied"</option>
                        <option value=Decision::Skipped.as_str()>"Skipped"</option>
                    </select>
                </div>
                <div class="field">
                    <label for=detail_id.clone()>"Setting changed, or why skipped"</label>
                    <input
                        id=detail_id
                        type="text"
                        prop:value=detail
                        on:input=move |ev| set2(None, Some(event_target_value(&ev)))
                        aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                        aria-describedby=err_id.clone()
                    />
                    <p class="field-error" id=err_id aria-live="polite">
                        {move || error.get()}
                    </p>
                </div>
            </div>
        </div>
    }
}
