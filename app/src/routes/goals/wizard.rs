//! The goal wizard: one SMART question per screen, autosaved while typing ([`use_autosave`]) and
//! restored after a reload or on another device.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use super::fields::{Answer, Field};
use super::steps::{DeadlineStep, MilestonesStep, ReviewStep, SkillStep, TextStep};
use crate::components::form::ErrorAlert;
use crate::domain::goals::api::{save_goal_draft, submit_goal};
use crate::domain::goals::types::{check_step, first_incomplete, Goal, GoalContext, GoalDraft, Step};
use crate::error::{AppError, FieldErrors};
use crate::hooks::use_autosave::{use_autosave_with_options, AutosaveStatus, UseAutosaveOptions, UseAutosaveReturn};

/// The wizard's shared state, handed to each step's screen.
#[derive(Clone, Copy)]
pub(super) struct Wiz {
    /// The program's skills and the cohort's dates.
    pub(super) context: StoredValue<GoalContext>,
    /// What the mentee typed so far.
    pub(super) draft: RwSignal<GoalDraft>,
    /// The screen shown.
    pub(super) step: RwSignal<Step>,
    /// Messages of the last check (in the browser or on the server), per field.
    pub(super) errors: RwSignal<FieldErrors>,
    /// The saved goal, once the first autosave created it.
    goal_id: RwSignal<Option<String>>,
    /// The goal's version as last saved (the server refuses a save from a stale tab).
    version: StoredValue<i64>,
    autosave: UseAutosaveReturn<GoalDraft, AppError>,
}

impl Wiz {
    /// Changes the draft; the autosave sees it and saves after the debounce.
    pub(super) fn edit(self, f: impl FnOnce(&mut GoalDraft)) {
        self.draft.update(f);
    }

    /// The message for one field.
    pub(super) fn error(self, field: Field) -> Signal<Option<String>> {
        Signal::derive(move || self.errors.with(|e| field.message(e)))
    }

    /// Shows another step and saves at once (the step is part of what is saved).
    pub(super) fn go(self, to: Step) {
        self.step.set(to);
        self.autosave.save_now();
        #[cfg(feature = "hydrate")]
        leptos::prelude::window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The line next to the steps: where the draft stands.
fn status_text(status: &AutosaveStatus<AppError>) -> String {
    match status {
        AutosaveStatus::Idle => String::new(),
        AutosaveStatus::Pending => "Unsaved changes…".into(),
        AutosaveStatus::Saving => "Saving…".into(),
        AutosaveStatus::Saved(None) => "Saved".into(),
        AutosaveStatus::Saved(Some(at)) => format!("Saved at {at}"),
        AutosaveStatus::Failed(AppError::Validation(_)) => "Not saved: see the highlighted field.".into(),
        // A stale tab: the server's message says to reload, and that the text is still here.
        AutosaveStatus::Failed(AppError::Conflict { message, .. }) => message.clone(),
        AutosaveStatus::Failed(other) => format!("Not saved: {other}"),
    }
}

/// Once a new goal exists, the address becomes its edit page, so a reload comes back to it.
fn remember_address(goal_id: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(h) = leptos::prelude::window().history() {
        let _ =
            h.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&format!("/goals/{goal_id}/edit")));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = goal_id;
}

/// The wizard for a new goal (`goal` is `None`) or a draft to continue.
#[component]
pub(super) fn Wizard(
    /// The mentoring pair the goal belongs to.
    pairing_id: String,
    /// The saved draft, when continuing one.
    goal: Option<Goal>,
    /// The program's skills and the cohort's dates.
    context: GoalContext,
) -> impl IntoView {
    let draft = RwSignal::new(goal.as_ref().map(|g| g.draft.clone()).unwrap_or_default());
    let step = RwSignal::new(goal.as_ref().map_or(Step::Skill, |g| Step::at(g.step)));
    let goal_id = RwSignal::new(goal.as_ref().map(|g| g.id.clone()));
    let version = StoredValue::new(goal.as_ref().map_or(0, |g| g.version));
    let errors = RwSignal::new(FieldErrors::default());
    let save = move |d: GoalDraft| {
        // What the save covers is read when it starts, not when the request goes out.
        let (pairing, id, at, v) =
            (pairing_id.clone(), goal_id.get_untracked(), step.get_untracked(), version.get_value());
        async move {
            match save_goal_draft(pairing, id.clone(), d, at.index(), v).await {
                Ok(g) => {
                    version.set_value(g.version);
                    if id.is_none() {
                        remember_address(&g.id);
                        goal_id.set(Some(g.id));
                    }
                    Ok(())
                }
                Err(e) => {
                    if let AppError::Validation(f) = &e {
                        errors.set(f.clone());
                    }
                    Err(e)
                }
            }
        }
    };
    let autosave = use_autosave_with_options(draft, save, UseAutosaveOptions::default().already_saved(goal.is_some()));
    let wiz = Wiz { context: StoredValue::new(context), draft, step, errors, goal_id, version, autosave };
    let navigate = StoredValue::new_local(use_navigate());
    let submitting = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<AppError>);
    // Every step up to the first one with a problem can be opened from the step bar, so going back
    // leaves the later steps that are filled in open.
    let open_up_to = Memo::new(move |_| {
        wiz.draft.with(|d| wiz.context.with_value(|c| first_incomplete(d, c))).unwrap_or(Step::Review)
    });
    let current = move || wiz.step.get();
    let next = move |_| {
        let s = wiz.step.get_untracked();
        let e = wiz.draft.with_untracked(|d| wiz.context.with_value(|c| check_step(s, d, c)));
        let ok = e.is_empty();
        wiz.errors.set(e);
        if ok {
            wiz.go(Step::at(s.index() + 1));
        }
    };
    let back = move |_| {
        wiz.errors.set(FieldErrors::default());
        wiz.go(Step::at(wiz.step.get_untracked().index().saturating_sub(1)));
    };
    let submit = move |_| {
        let e = wiz.draft.with_untracked(|d| wiz.context.with_value(|c| check_step(Step::Review, d, c)));
        if !e.is_empty() {
            wiz.errors.set(e);
            return;
        }
        let Some(id) = wiz.goal_id.get_untracked() else { return };
        submitting.set(true);
        submit_error.set(None);
        spawn_local(async move {
            // The autosave in flight finishes first (it moves the version on), then whatever
            // still waits is saved.
            let flushed = wiz.autosave.flush().await;
            let saved = flushed.is_ok();
            let res = match flushed {
                Ok(()) => submit_goal(id, wiz.version.get_value()).await,
                Err(e) => Err(e),
            };
            submitting.set(false);
            match res {
                Ok(g) => navigate.with_value(|n| n(&format!("/goals/{}", g.id), Default::default())),
                Err(AppError::Validation(f)) => {
                    wiz.errors.set(f);
                    if let Some(s) = wiz.draft.with_untracked(|d| wiz.context.with_value(|c| first_incomplete(d, c))) {
                        wiz.step.set(s);
                    }
                }
                Err(e) if saved => submit_error.set(Some(e)),
                // A failed save already says why in the status line.
                Err(_) => {}
            }
        });
    };
    view! {
        <div class="page-head">
            <div>
                <p class="eyebrow">"SMART goal"</p>
                <h1>{move || current().title()}</h1>
            </div>
        </div>
        <nav class="wizard-steps" aria-label="Goal steps">
            <ol>
                {Step::ALL
                    .iter()
                    .map(|&s| {
                        let i = s.index();
                        let closed = move || i > current().index().max(open_up_to.get().index());
                        let done = move || current().index() > i;
                        view! {
                            <li
                                class:current=move || current() == s
                                class:done=done
                                aria-current=move || if current() == s { "step" } else { "false" }
                            >
                                <button
                                    type="button"
                                    class="step-dot"
                                    disabled=closed
                                    aria-label=format!("Step {}: {}", i + 1, s.short())
                                    on:click=move |_| {
                                        wiz.errors.set(FieldErrors::default());
                                        wiz.go(s)
                                    }
                                >
                                    {s.short()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <p
            class="save-state small muted"
            role="status"
            aria-live="polite"
            data-testid="save-state"
            class:save-failed=move || matches!(wiz.autosave.status.get(), AutosaveStatus::Failed(_))
        >
            {move || wiz.autosave.status.with(status_text)}
        </p>
        <section class="panel wizard" aria-label="Goal step">
            <p class="guidance">{move || current().guidance()}</p>
            {move || match current() {
                Step::Skill => view! { <SkillStep wiz /> }.into_any(),
                Step::Specific => view! { <TextStep wiz answer=Answer::Specific /> }.into_any(),
                Step::Measurable => view! { <TextStep wiz answer=Answer::Measurable /> }.into_any(),
                Step::Achievable => view! { <TextStep wiz answer=Answer::Achievable /> }.into_any(),
                Step::Relevant => view! { <TextStep wiz answer=Answer::Relevant /> }.into_any(),
                Step::TimeBound => view! { <DeadlineStep wiz /> }.into_any(),
                Step::Milestones => view! { <MilestonesStep wiz /> }.into_any(),
                Step::Review => view! { <ReviewStep wiz /> }.into_any(),
            }}
            <ErrorAlert error=submit_error />
            <div class="form-actions wizard-actions">
                <button
                    type="button"
                    class="button button-ghost"
                    disabled=move || current() == Step::Skill
                    on:click=back
                >
                    "Back"
                </button>
                <Show
                    when=move || current() != Step::Review
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="button button-primary"
                                disabled=move || submitting.get() || wiz.goal_id.get().is_none()
                                on:click=submit
                            >
                                "Send to my mentor"
                            </button>
                        }
                    }
                >
                    <button type="button" class="button button-primary" on:click=next>
                        "Next"
                    </button>
                </Show>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_never_shows_internals_and_passes_the_stale_tab_message_on() {
        assert_eq!(status_text(&AutosaveStatus::Idle), "");
        assert_eq!(status_text(&AutosaveStatus::Saved(None)), "Saved");
        assert_eq!(status_text(&AutosaveStatus::Saved(Some("09:41".into()))), "Saved at 09:41");
        let stale = AppError::Conflict { field: "goal".into(), message: "Reload to continue.".into() };
        assert_eq!(status_text(&AutosaveStatus::Failed(stale)), "Reload to continue.");
        assert_eq!(
            status_text(&AutosaveStatus::Failed(AppError::Validation(FieldErrors::default()))),
            "Not saved: see the highlighted field."
        );
        assert!(status_text(&AutosaveStatus::Failed(AppError::Internal)).starts_with("Not saved: "));
    }
}
