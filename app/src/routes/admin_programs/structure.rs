//! Step 4, "Structure": application questions, who may join (the mentee and mentor rule trees),
//! mentor capacity, the phases, the workshops (where mentees practise a skill the program
//! develops) and the rewards awarded at the end.

use leptos::prelude::*;

use super::fields::{field, item_field, Bound, FieldErrors};
use crate::components::rule_tree::{rename_answer, RuleTree};
use crate::domain::program::types::{Phase, ProgramDesign, Reward, Workshop};
use crate::domain::skills::api::list_skills;

/// Step 4: questions, entry rules, capacity, phases, workshops and rewards.
#[component]
pub(super) fn StructureStep(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let (capacity, set_capacity) = field(design, |d| Some(d.capacity.clone()), |d, v| d.capacity = v);
    let phases = Memo::new(move |_| design.with(|d| d.phases.len()));
    // Memos, so typing a name or a phase does not touch the rule editors.
    let mentee_rules = Memo::new(move |_| design.with(|d| d.mentee_rules.clone()));
    let mentor_rules = Memo::new(move |_| design.with(|d| d.mentor_rules.clone()));
    let questions = Memo::new(move |_| {
        design.with(|d| d.questions.iter().filter(|q| !q.trim().is_empty()).cloned().collect::<Vec<_>>())
    });
    view! {
        <QuestionsEditor design errors />
        <h2>"Who may join"</h2>
        <RuleTree
            title="Mentee eligibility"
            id_prefix="mentee"
            rules=mentee_rules
            on_change=Callback::new(move |t| design.update(|d| d.mentee_rules = t))
            questions
            error=errors.at("mentee_rules")
        />
        <RuleTree
            title="Mentor selection criteria"
            id_prefix="mentor"
            rules=mentor_rules
            on_change=Callback::new(move |t| design.update(|d| d.mentor_rules = t))
            questions
            error=errors.at("mentor_rules")
        />
        <h2>"Mentor capacity"</h2>
        <Bound
            label="Mentees per mentor (default)"
            id="capacity"
            value=capacity
            set=set_capacity
            error=errors.at("capacity")
            hint="1 to 5; admins can override it per mentor on the matching board."
        />
        <h2>"Content and duration"</h2>
        {move || (0..phases.get()).map(|i| view! { <PhaseEditor design i errors /> }).collect_view()}
        <p class="field-error" aria-live="polite">
            {move || errors.at("phases").get()}
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
        <WorkshopsEditor design errors />
        <RewardsEditor design errors />
    }
}

/// The program's application questions; renaming one renames the rules that test its answer.
#[component]
fn QuestionsEditor(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
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
                                error=errors.at(format!("questions.{i}"))
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
            {move || errors.at("questions").get()}
        </p>
        <button type="button" class="button" on:click=move |_| design.update(|d| d.questions.push(String::new()))>
            "Add question"
        </button>
    }
}

/// One phase: name, length in weeks, milestones and a suggested session agenda.
#[component]
fn PhaseEditor(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The phase's index.
    i: usize,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let (name, set_name) = item_field!(design, phases[i].name);
    let (weeks, set_weeks) = item_field!(design, phases[i].weeks);
    let (milestones, set_milestones) = item_field!(design, phases[i].milestones);
    let (agenda, set_agenda) = item_field!(design, phases[i].agenda);
    let e = move |f: &str| errors.at(format!("phases.{i}.{f}"));
    view! {
        <fieldset class="objective">
            <legend>{format!("Phase {}", i + 1)}</legend>
            <div class="grid-2">
                <Bound label="Phase name" id=format!("phase-{i}-name") value=name set=set_name error=e("name") />
                <Bound label="Weeks" id=format!("phase-{i}-weeks") value=weeks set=set_weeks error=e("weeks") />
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
}

/// The workshops, each practising one of the program's chosen skills.
#[component]
fn WorkshopsEditor(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let count = Memo::new(move |_| design.with(|d| d.workshops.len()));
    let catalog = Resource::new(|| (), |_| list_skills(false));
    view! {
        <h2>"Workshops"</h2>
        <p class="muted small">"Sessions where mentees apply a skill the program develops."</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (catalog, failed) = match catalog.await {
                    Ok(skills) => (skills, None),
                    Err(e) => (Vec::new(), Some(e)),
                };
                let chosen = Memo::new(move |_| {
                    design
                        .with(|d| {
                            catalog
                                .iter()
                                .filter(|s| d.skill_ids.contains(&s.id))
                                .map(|s| (s.id.clone(), s.name.clone()))
                                .collect::<Vec<_>>()
                        })
                });
                // What a workshop can practise: the catalog's skills this program develops.
                view! {
                    {failed
                        .map(|e| {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    {format!("The skills could not be loaded: {e}")}
                                </div>
                            }
                        })}
                    {move || {
                        (0..count.get())
                            .map(|i| view! { <WorkshopEditor design i skills=chosen errors /> })
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

/// One workshop: title, date, the skill practised and the format.
#[component]
fn WorkshopEditor(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The workshop's index.
    i: usize,
    /// The skills to choose from, as (id, name).
    #[prop(into)]
    skills: Signal<Vec<(String, String)>>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let (title, set_title) = item_field!(design, workshops[i].title);
    let (date, set_date) = item_field!(design, workshops[i].date);
    let (skill, set_skill) = item_field!(design, workshops[i].skill_id);
    let (format, set_format) = item_field!(design, workshops[i].format);
    let e = move |f: &str| errors.at(format!("workshops.{i}.{f}"));
    view! {
        <fieldset class="objective">
            <legend>{format!("Workshop {}", i + 1)}</legend>
            <div class="grid-2">
                <Bound label="Workshop title" id=format!("ws-{i}-title") value=title set=set_title error=e("title") />
                <Bound label="Date" id=format!("ws-{i}-date") r#type="date" value=date set=set_date error=e("date") />
                <div class="field" class:field-invalid=move || e("skill_id").get().is_some()>
                    <label for=format!("ws-{i}-skill")>"Skill practised"</label>
                    <select
                        id=format!("ws-{i}-skill")
                        prop:value=move || skill.get()
                        on:change=move |ev| set_skill.run(event_target_value(&ev))
                    >
                        <option value="">"Choose a skill"</option>
                        {move || {
                            skills
                                .get()
                                .into_iter()
                                .map(|(id, name)| view! { <option value=id>{name}</option> })
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
}

/// The rewards and what a mentee must complete to earn each.
#[component]
fn RewardsEditor(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// The field errors of the latest save.
    errors: FieldErrors,
) -> impl IntoView {
    let count = Memo::new(move |_| design.with(|d| d.rewards.len()));
    view! {
        <h2>"Rewards"</h2>
        <p class="muted small">"Badges and certificates awarded at the end to mentees who meet the criteria."</p>
        {move || {
            (0..count.get())
                .map(|i| {
                    let (name, set_name) = item_field!(design, rewards[i].name);
                    let (kind, set_kind) = item_field!(design, rewards[i].kind);
                    let (goals, set_goals) = item_field!(design, rewards[i].min_goals);
                    let workshop = move || design.with(|d| d.rewards.get(i).is_some_and(|r| r.workshop_required));
                    let e = move |f: &str| errors.at(format!("rewards.{i}.{f}"));
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
