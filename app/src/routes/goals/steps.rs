//! The wizard's screens, one per step. Each field says `aria-invalid` while it has an error and
//! points to its error line (and hint) with `aria-describedby`.

use leptos::prelude::*;

use super::fields::{step_message, Answer, Field};
use super::wizard::Wiz;
use crate::components::form::{aria_invalid, FieldError};
use crate::domain::goals::types::{GoalDraft, MilestoneInput, Step, MILESTONES};

/// The skill: one radio button per program skill.
#[component]
pub(super) fn SkillStep(
    /// The wizard.
    wiz: Wiz,
) -> impl IntoView {
    let error = wiz.error(Field::Skill);
    let skills = wiz.context.get_value().skills;
    view! {
        <fieldset
            class="field choice-list"
            class:field-invalid=move || error.get().is_some()
            role="radiogroup"
            aria-invalid=aria_invalid(error)
            aria-describedby=Field::Skill.error_id()
        >
            <legend class="sr-only">"Skill"</legend>
            {skills
                .into_iter()
                .map(|(id, name)| {
                    let (a, b) = (id.clone(), id);
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name="skill"
                                prop:checked=move || wiz.draft.with(|d| d.skill_id == a)
                                on:change=move |_| wiz.edit(|d| d.skill_id = b.clone())
                            />
                            <span>{name}</span>
                        </label>
                    }
                })
                .collect_view()}
            <FieldError id=Field::Skill.error_id() error />
        </fieldset>
    }
}

/// A free-text answer (S, M, A or R) with its length counter.
#[component]
pub(super) fn TextStep(
    /// The wizard.
    wiz: Wiz,
    /// Which answer this screen edits.
    answer: Answer,
) -> impl IntoView {
    let field = Field::Answer(answer);
    let error = wiz.error(field);
    let id = field.id();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{answer.label()}</label>
            <textarea
                id=id
                rows="5"
                prop:value=move || wiz.draft.with(|d| answer.get(d).clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    wiz.edit(|d| *answer.get_mut(d) = v)
                }
                aria-invalid=aria_invalid(error)
                aria-describedby=field.error_id()
            ></textarea>
            <p class="small muted">{move || format!("{} / 1000", wiz.draft.with(|d| answer.get(d).chars().count()))}</p>
            <FieldError id=field.error_id() error />
        </div>
    }
}

/// The deadline, with the cohort's dates as a hint.
#[component]
pub(super) fn DeadlineStep(
    /// The wizard.
    wiz: Wiz,
) -> impl IntoView {
    let field = Field::Deadline;
    let error = wiz.error(field);
    let c = wiz.context.get_value();
    let hint = format!("The cohort runs {} → {}.", c.cohort_starts, c.cohort_ends);
    let hint_id = format!("{}-hint", field.id());
    let set = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        wiz.edit(|d| d.deadline = v)
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=field.id()>"Deadline"</label>
            <p class="hint" id=hint_id.clone()>
                {hint}
            </p>
            <input
                id=field.id()
                type="date"
                min=c.today.clone()
                max=c.cohort_ends.clone()
                prop:value=move || wiz.draft.with(|d| d.deadline.clone())
                on:input=set
                on:change=set
                aria-invalid=aria_invalid(error)
                aria-describedby=format!("{hint_id} {}", field.error_id())
            />
            <FieldError id=field.error_id() error />
        </div>
    }
}

/// Edits one milestone's title or date in the draft, if it is still there.
fn edit_milestone(wiz: Wiz, k: usize, f: impl FnOnce(&mut MilestoneInput)) {
    wiz.edit(|d| {
        if let Some(m) = d.milestones.get_mut(k) {
            f(m);
        }
    })
}

/// The milestones: 2 to 5 dated steps.
#[component]
pub(super) fn MilestonesStep(
    /// The wizard.
    wiz: Wiz,
) -> impl IntoView {
    let error = wiz.error(Field::Milestones);
    let count = move || wiz.draft.with(|d| d.milestones.len());
    let full = move || count() >= *MILESTONES.end();
    let value = move |k: usize, f: fn(&MilestoneInput) -> &String| {
        move || wiz.draft.with(|d: &GoalDraft| d.milestones.get(k).map(|m| f(m).clone()).unwrap_or_default())
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <ol class="milestone-list">
                {move || {
                    (0..count())
                        .map(|k| {
                            let (title, due) = (Field::MilestoneTitle(k), Field::MilestoneDue(k));
                            let (title_error, due_error) = (wiz.error(title), wiz.error(due));
                            let set_due = move |ev: leptos::ev::Event| {
                                let v = event_target_value(&ev);
                                edit_milestone(wiz, k, |m| m.due = v)
                            };
                            view! {
                                <li class="milestone-edit">
                                    <div class="field" class:field-invalid=move || title_error.get().is_some()>
                                        <label for=title.id()>{format!("Milestone {}", k + 1)}</label>
                                        <input
                                            id=title.id()
                                            type="text"
                                            prop:value=value(k, |m| &m.title)
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                edit_milestone(wiz, k, |m| m.title = v)
                                            }
                                            aria-invalid=aria_invalid(title_error)
                                            aria-describedby=title.error_id()
                                        />
                                        <FieldError id=title.error_id() error=title_error />
                                    </div>
                                    <div class="field" class:field-invalid=move || due_error.get().is_some()>
                                        <label for=due.id()>{format!("Milestone {} date", k + 1)}</label>
                                        <input
                                            id=due.id()
                                            type="date"
                                            prop:value=value(k, |m| &m.due)
                                            on:input=set_due
                                            on:change=set_due
                                            aria-invalid=aria_invalid(due_error)
                                            aria-describedby=due.error_id()
                                        />
                                        <FieldError id=due.error_id() error=due_error />
                                    </div>
                                    <button
                                        type="button"
                                        class="button button-small button-ghost"
                                        aria-label=format!("Remove milestone {}", k + 1)
                                        on:click=move |_| {
                                            wiz.edit(|d| {
                                                if k < d.milestones.len() {
                                                    d.milestones.remove(k);
                                                }
                                            })
                                        }
                                    >
                                        "Remove"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <button
                type="button"
                class="button"
                disabled=full
                aria-describedby=Field::Milestones.error_id()
                on:click=move |_| wiz.edit(|d| d.milestones.push(MilestoneInput::default()))
            >
                "Add a milestone"
            </button>
            <FieldError id=Field::Milestones.error_id() error />
        </div>
    }
}

/// Everything at once, each row with a way back to its step and that step's first problem.
#[component]
pub(super) fn ReviewStep(
    /// The wizard.
    wiz: Wiz,
) -> impl IntoView {
    let c = wiz.context.get_value();
    let skill = move || {
        let id = wiz.draft.with(|d| d.skill_id.clone());
        c.skills.iter().find(|(s, _)| *s == id).map(|(_, n)| n.clone()).unwrap_or_else(|| "—".into())
    };
    let row = move |label: &'static str, step: Step, value: Box<dyn Fn() -> String + Send + Sync>| {
        let message = move || wiz.errors.with(|e| step_message(step, e));
        let error_id = format!("review-{}-error", step.index());
        view! {
            <div class="review-row" class:field-invalid=move || message().is_some()>
                <dt>{label}</dt>
                <dd>
                    <span class="review-value">{value}</span>
                    <button
                        type="button"
                        class="button button-small button-ghost"
                        aria-label=format!("Edit {label}")
                        aria-describedby=error_id.clone()
                        on:click=move |_| wiz.go(step)
                    >
                        "Edit"
                    </button>
                    <p class="field-error" id=error_id>
                        {message}
                    </p>
                </dd>
            </div>
        }
    };
    let d = wiz.draft;
    let text =
        move |a: Answer| -> Box<dyn Fn() -> String + Send + Sync> { Box::new(move || d.with(|d| a.get(d).clone())) };
    view! {
        <dl class="review">
            {row("Skill", Step::Skill, Box::new(skill))} {row("Specific", Step::Specific, text(Answer::Specific))}
            {row("Measurable", Step::Measurable, text(Answer::Measurable))}
            {row("Achievable", Step::Achievable, text(Answer::Achievable))}
            {row("Relevant", Step::Relevant, text(Answer::Relevant))}
            {row("Deadline", Step::TimeBound, Box::new(move || d.with(|d| d.deadline.clone())))}
            {row(
                "Milestones",
                Step::Milestones,
                Box::new(move || {
                    d.with(|d| {
                        d.milestones.iter().map(|m| format!("{} ({})", m.title, m.due)).collect::<Vec<_>>().join(" · ")
                    })
                }),
            )}
        </dl>
    }
}
