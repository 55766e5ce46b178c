//! SMART goals: the wizard (`/goals/new?pairing=…`, `/goals/:id/edit`), one question per screen
//! on a phone, autosaved while typing (debounced with gloo-timers) and restored after a reload or
//! on another device; and the goal page (`/goals/:id`) with milestones, check-ins, the mentor's
//! comments and approval.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::components::auth::RequireRole;
use crate::components::page::PageHead;
use crate::domain::goals::api::{
    approve_goal, checkin_goal, comment_goal, get_goal, new_goal_context, save_goal_draft, set_goal_milestone,
    submit_goal,
};
use crate::domain::goals::types::{
    check_step, first_incomplete, CheckinInput, Goal, GoalContext, GoalDraft, MilestoneInput, Step, MILESTONES,
};
use crate::error::{AppError, FieldErrors};

/// `/goals/new?pairing=…`: a new goal for the mentee's pair.
#[component]
pub fn GoalNew() -> impl IntoView {
    let pairing = use_query_map().with_untracked(|q| q.get("pairing").unwrap_or_default());
    let p2 = pairing.clone();
    let ctx = Resource::new(|| (), move |_| new_goal_context(p2.clone()));
    let pairing = StoredValue::new(pairing);
    view! {
        <Title text="New goal" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || {
                    let pairing = pairing.get_value();
                    Suspend::new(async move {
                        match ctx.await {
                            Ok(c) => view! { <Wizard pairing_id=pairing goal=None context=c /> }.into_any(),
                            Err(e) => view! { <NotAvailable e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </RequireRole>
    }
}

/// `/goals/:id/edit`: continue a goal where it was left.
#[component]
pub fn GoalEdit() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let goal = Resource::new(|| (), move |_| get_goal(id.clone()));
    view! {
        <Title text="Goal" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match goal.await {
                        Ok(g) if g.viewer == "mentee" => {
                            let (pairing_id, context) = (g.pairing_id.clone(), g.context.clone());
                            view! { <Wizard pairing_id goal=Some(g) context /> }.into_any()
                        }
                        Ok(_) => view! { <NotAvailable e=AppError::Forbidden /> }.into_any(),
                        Err(e) => view! { <NotAvailable e /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// The goal routes' "not available".
#[component]
fn NotAvailable(e: AppError) -> impl IntoView {
    view! {
        <crate::components::page::NotAvailable
            eyebrow="Goals"
            e
            not_found="This goal does not exist, or it is private to a mentoring pair."
            forbidden="Only the mentee of this pair can do that."
        />
    }
}

/// The autosave indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Saving {
    Idle,
    Pending,
    InFlight,
    Saved(String),
    Failed(String),
}

/// The wizard's shared state.
#[derive(Clone, Copy)]
struct Wiz {
    pairing_id: StoredValue<String>,
    context: StoredValue<GoalContext>,
    draft: RwSignal<GoalDraft>,
    step: RwSignal<usize>,
    goal_id: RwSignal<Option<String>>,
    version: RwSignal<i64>,
    saving: RwSignal<Saving>,
    errors: RwSignal<FieldErrors>,
    in_flight: StoredValue<bool>,
    again: StoredValue<bool>,
    /// Counts edits, so a save that finishes after newer typing does not claim "Saved".
    edits: StoredValue<u64>,
    #[cfg(feature = "hydrate")]
    timer: StoredValue<Option<gloo_timers::callback::Timeout>, leptos::prelude::LocalStorage>,
}

fn clock() -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        return format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    }
    #[allow(unreachable_code)]
    String::new()
}

impl Wiz {
    /// Saves now (or right after the save in flight).
    fn save(self) {
        if self.in_flight.get_value() {
            self.again.set_value(true);
            return;
        }
        self.in_flight.set_value(true);
        self.saving.set(Saving::InFlight);
        let seq = self.edits.get_value();
        let (pairing, id, draft, step, version) = (
            self.pairing_id.get_value(),
            self.goal_id.get_untracked(),
            self.draft.get_untracked(),
            self.step.get_untracked(),
            self.version.get_untracked(),
        );
        spawn_local(async move {
            let res = save_goal_draft(pairing, id.clone(), draft, step, version).await;
            self.in_flight.set_value(false);
            match res {
                Ok(g) => {
                    self.version.set(g.version);
                    if id.is_none() {
                        // Later saves update this goal, and a reload comes back to it.
                        #[cfg(feature = "hydrate")]
                        if let Ok(h) = leptos::prelude::window().history() {
                            let _ = h.replace_state_with_url(
                                &leptos::wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&format!("/goals/{}/edit", g.id)),
                            );
                        }
                        self.goal_id.set(Some(g.id));
                    }
                    // Typing since this save started is still waiting for its own save.
                    self.saving.set(if self.edits.get_value() == seq {
                        Saving::Saved(clock())
                    } else {
                        Saving::Pending
                    });
                    if self.again.get_value() {
                        self.again.set_value(false);
                        self.save();
                    }
                }
                Err(e) => {
                    let msg = match &e {
                        AppError::Validation(f) => {
                            self.errors.set(f.clone());
                            "Not saved: see the highlighted field.".to_string()
                        }
                        AppError::Conflict { message, .. } => message.clone(),
                        other => format!("Not saved: {other}"),
                    };
                    self.saving.set(Saving::Failed(msg));
                }
            }
        });
    }

    /// Saves 800 ms after the last keystroke.
    fn schedule(self) {
        self.edits.update_value(|n| *n += 1);
        self.saving.set(Saving::Pending);
        #[cfg(feature = "hydrate")]
        {
            let t = gloo_timers::callback::Timeout::new(800, move || self.save());
            // Replacing the timer drops (cancels) the previous one.
            self.timer.set_value(Some(t));
        }
    }

    fn edit(self, f: impl FnOnce(&mut GoalDraft)) {
        self.draft.update(f);
        self.schedule();
    }

    fn error(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.errors.with(|e| e.get(field).map(str::to_string)))
    }

    fn go(self, to: usize) {
        #[cfg(feature = "hydrate")]
        self.timer.set_value(None);
        self.step.set(to);
        self.save();
        #[cfg(feature = "hydrate")]
        leptos::prelude::window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

#[component]
fn Wizard(pairing_id: String, goal: Option<Goal>, context: GoalContext) -> impl IntoView {
    let wiz = Wiz {
        pairing_id: StoredValue::new(pairing_id),
        context: StoredValue::new(context),
        draft: RwSignal::new(goal.as_ref().map(|g| g.draft.clone()).unwrap_or_default()),
        step: RwSignal::new(goal.as_ref().map_or(0, |g| g.step.min(Step::ALL.len() - 1))),
        goal_id: RwSignal::new(goal.as_ref().map(|g| g.id.clone())),
        version: RwSignal::new(goal.as_ref().map_or(0, |g| g.version)),
        saving: RwSignal::new(if goal.is_some() { Saving::Saved(String::new()) } else { Saving::Idle }),
        errors: RwSignal::new(FieldErrors::default()),
        in_flight: StoredValue::new(false),
        again: StoredValue::new(false),
        edits: StoredValue::new(0),
        #[cfg(feature = "hydrate")]
        timer: StoredValue::new_local(None),
    };
    let navigate = StoredValue::new_local(use_navigate());
    let submitting = RwSignal::new(false);
    let current = move || Step::at(wiz.step.get());
    let next = move |_| {
        let s = Step::at(wiz.step.get_untracked());
        let e = wiz.draft.with_untracked(|d| wiz.context.with_value(|c| check_step(s, d, c)));
        let ok = e.is_empty();
        wiz.errors.set(e);
        if ok {
            wiz.go(s.index() + 1);
        }
    };
    let back = move |_| {
        wiz.errors.set(FieldErrors::default());
        let s = wiz.step.get_untracked();
        wiz.go(s.saturating_sub(1));
    };
    let submit = move |_| {
        let e = wiz.draft.with_untracked(|d| wiz.context.with_value(|c| check_step(Step::Review, d, c)));
        if !e.is_empty() {
            wiz.errors.set(e);
            return;
        }
        let Some(id) = wiz.goal_id.get_untracked() else { return };
        submitting.set(true);
        #[cfg(feature = "hydrate")]
        wiz.timer.set_value(None);
        spawn_local(async move {
            // An autosave still on its way finishes first (it moves the version on).
            #[cfg(feature = "hydrate")]
            while wiz.in_flight.get_value() || wiz.again.get_value() {
                gloo_timers::future::TimeoutFuture::new(50).await;
            }
            // Whatever is still waiting to be saved goes next.
            let saved = save_goal_draft(
                wiz.pairing_id.get_value(),
                Some(id.clone()),
                wiz.draft.get_untracked(),
                wiz.step.get_untracked(),
                wiz.version.get_untracked(),
            )
            .await;
            let res = match saved {
                Ok(g) => submit_goal(id.clone(), g.version).await,
                Err(e) => Err(e),
            };
            submitting.set(false);
            match res {
                Ok(g) => navigate.with_value(|n| n(&format!("/goals/{}", g.id), Default::default())),
                Err(AppError::Validation(f)) => {
                    wiz.errors.set(f);
                    if let Some(s) = wiz.draft.with_untracked(|d| wiz.context.with_value(|c| first_incomplete(d, c))) {
                        wiz.step.set(s.index());
                    }
                }
                Err(e) => wiz.saving.set(Saving::Failed(e.to_string())),
            }
        });
    };
    let status = move || match wiz.saving.get() {
        Saving::Idle => String::new(),
        Saving::Pending => "Unsaved changes…".to_string(),
        Saving::InFlight => "Saving…".to_string(),
        Saving::Saved(t) if t.is_empty() => "Saved".to_string(),
        Saving::Saved(t) => format!("Saved at {t}"),
        Saving::Failed(m) => m,
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
                    .map(|s| {
                        let i = s.index();
                        let done = move || wiz.step.get() > i;
                        let later = move || i > wiz.step.get();
                        view! {
                            <li
                                class:current=move || wiz.step.get() == i
                                class:done=done
                                aria-current=move || if wiz.step.get() == i { "step" } else { "false" }
                            >
                                <button
                                    type="button"
                                    class="step-dot"
                                    disabled=later
                                    aria-label=format!("Step {}: {}", i + 1, s.short())
                                    on:click=move |_| {
                                        wiz.errors.set(FieldErrors::default());
                                        wiz.go(i)
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
            class:save-failed=move || matches!(wiz.saving.get(), Saving::Failed(_))
        >
            {status}
        </p>
        <section class="panel wizard" aria-label="Goal step">
            <p class="guidance">{move || current().guidance()}</p>
            {move || match current() {
                Step::Skill => view! { <SkillStep wiz /> }.into_any(),
                Step::Specific => {
                    view! { <TextStep wiz field="specific" label="What exactly will you do?" /> }.into_any()
                }
                Step::Measurable => {
                    view! { <TextStep wiz field="measurable" label="The measure and the target" /> }.into_any()
                }
                Step::Achievable => {
                    view! { <TextStep wiz field="achievable" label="Resources and obstacles" /> }.into_any()
                }
                Step::Relevant => {
                    view! { <TextStep wiz field="relevant" label="Why it matters for your role or the program" /> }
                        .into_any()
                }
                Step::TimeBound => view! { <DeadlineStep wiz /> }.into_any(),
                Step::Milestones => view! { <MilestonesStep wiz /> }.into_any(),
                Step::Review => view! { <ReviewStep wiz /> }.into_any(),
            }}
            <div class="form-actions wizard-actions">
                <button type="button" class="button button-ghost" disabled=move || wiz.step.get() == 0 on:click=back>
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

#[component]
fn FieldError(error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" aria-live="polite">
            {move || error.get()}
        </p>
    }
}

#[component]
fn SkillStep(wiz: Wiz) -> impl IntoView {
    let error = wiz.error("skill_id");
    let skills = wiz.context.get_value().skills;
    view! {
        <fieldset class="field choice-list" class:field-invalid=move || error.get().is_some()>
            <legend class="sr-only">"Skill"</legend>
            {skills
                .into_iter()
                .map(|(id, name)| {
                    let (a, b) = (id.clone(), id.clone());
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
            <FieldError error />
        </fieldset>
    }
}

#[component]
fn TextStep(wiz: Wiz, field: &'static str, label: &'static str) -> impl IntoView {
    let error = wiz.error(field);
    let get = move |d: &GoalDraft| -> String {
        match field {
            "specific" => d.specific.clone(),
            "measurable" => d.measurable.clone(),
            "achievable" => d.achievable.clone(),
            _ => d.relevant.clone(),
        }
    };
    let id = format!("goal-{field}");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                rows="5"
                prop:value=move || wiz.draft.with(get)
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    wiz.edit(|d| match field {
                        "specific" => d.specific = v,
                        "measurable" => d.measurable = v,
                        "achievable" => d.achievable = v,
                        _ => d.relevant = v,
                    })
                }
            ></textarea>
            <p class="small muted">{move || format!("{} / 1000", wiz.draft.with(|d| get(d).chars().count()))}</p>
            <FieldError error />
        </div>
    }
}

#[component]
fn DeadlineStep(wiz: Wiz) -> impl IntoView {
    let error = wiz.error("deadline");
    let c = wiz.context.get_value();
    let hint = format!("The cohort runs {} → {}.", c.cohort_starts, c.cohort_ends);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for="goal-deadline">"Deadline"</label>
            <p class="hint">{hint}</p>
            <input
                id="goal-deadline"
                type="date"
                min=c.today.clone()
                max=c.cohort_ends.clone()
                prop:value=move || wiz.draft.with(|d| d.deadline.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    wiz.edit(|d| d.deadline = v)
                }
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    wiz.edit(|d| d.deadline = v)
                }
            />
            <FieldError error />
        </div>
    }
}

#[component]
fn MilestonesStep(wiz: Wiz) -> impl IntoView {
    let error = wiz.error("milestones");
    let count = move || wiz.draft.with(|d| d.milestones.len());
    let full = move || count() >= *MILESTONES.end();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <ol class="milestone-list">
                {move || {
                    (0..count())
                        .map(|k| {
                            let title_error = Signal::derive(move || {
                                wiz.errors.with(|e| e.get(&format!("milestones.{k}.title")).map(str::to_string))
                            });
                            let due_error = Signal::derive(move || {
                                wiz.errors.with(|e| e.get(&format!("milestones.{k}.due")).map(str::to_string))
                            });
                            view! {
                                <li class="milestone-edit">
                                    <div class="field" class:field-invalid=move || title_error.get().is_some()>
                                        <label for=format!(
                                            "milestone-{k}-title",
                                        )>{format!("Milestone {}", k + 1)}</label>
                                        <input
                                            id=format!("milestone-{k}-title")
                                            type="text"
                                            prop:value=move || {
                                                wiz.draft
                                                    .with(|d| {
                                                        d.milestones.get(k).map(|m| m.title.clone()).unwrap_or_default()
                                                    })
                                            }
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                wiz.edit(|d| {
                                                    if let Some(m) = d.milestones.get_mut(k) {
                                                        m.title = v;
                                                    }
                                                })
                                            }
                                        />
                                        <FieldError error=title_error />
                                    </div>
                                    <div class="field" class:field-invalid=move || due_error.get().is_some()>
                                        <label for=format!(
                                            "milestone-{k}-due",
                                        )>{format!("Milestone {} date", k + 1)}</label>
                                        <input
                                            id=format!("milestone-{k}-due")
                                            type="date"
                                            prop:value=move || {
                                                wiz.draft
                                                    .with(|d| {
                                                        d.milestones.get(k).map(|m| m.due.clone()).unwrap_or_default()
                                                    })
                                            }
                                            on:input=move |ev| {
                                                let v = event_target_value(&ev);
                                                wiz.edit(|d| {
                                                    if let Some(m) = d.milestones.get_mut(k) {
                                                        m.due = v;
                                                    }
                                                })
                                            }
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                wiz.edit(|d| {
                                                    if let Some(m) = d.milestones.get_mut(k) {
                                                        m.due = v;
                                                    }
                                                })
                                            }
                                        />
                                        <FieldError error=due_error />
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
                on:click=move |_| wiz.edit(|d| d.milestones.push(MilestoneInput::default()))
            >
                "Add a milestone"
            </button>
            <FieldError error />
        </div>
    }
}

#[component]
fn ReviewStep(wiz: Wiz) -> impl IntoView {
    let c = wiz.context.get_value();
    let skill = move || {
        let id = wiz.draft.with(|d| d.skill_id.clone());
        c.skills.iter().find(|(s, _)| *s == id).map(|(_, n)| n.clone()).unwrap_or_else(|| "—".into())
    };
    let row = move |label: &'static str,
                    step: Step,
                    value: Box<dyn Fn() -> String + Send + Sync>,
                    fields: &'static [&'static str]| {
        let has_error = move || {
            wiz.errors.with(|e| {
                fields.iter().any(|f| e.get(f).is_some())
                    || (step == Step::Milestones && e.0.iter().any(|x| x.field.starts_with("milestones")))
            })
        };
        let msg = move || {
            wiz.errors.with(|e| {
                fields.iter().find_map(|f| e.get(f).map(str::to_string)).or_else(|| {
                    if step == Step::Milestones {
                        e.0.iter().find(|x| x.field.starts_with("milestones")).map(|x| x.message.clone())
                    } else {
                        None
                    }
                })
            })
        };
        view! {
            <div class="review-row" class:field-invalid=has_error>
                <dt>{label}</dt>
                <dd>
                    <span class="review-value">{value}</span>
                    <button
                        type="button"
                        class="button button-small button-ghost"
                        aria-label=format!("Edit {label}")
                        on:click=move |_| wiz.go(step.index())
                    >
                        "Edit"
                    </button>
                    <p class="field-error">{msg}</p>
                </dd>
            </div>
        }
    };
    let d = wiz.draft;
    view! {
        <dl class="review">
            {row("Skill", Step::Skill, Box::new(skill), &["skill_id"])}
            {row("Specific", Step::Specific, Box::new(move || d.with(|d| d.specific.clone())), &["specific"])}
            {row("Measurable", Step::Measurable, Box::new(move || d.with(|d| d.measurable.clone())), &["measurable"])}
            {row("Achievable", Step::Achievable, Box::new(move || d.with(|d| d.achievable.clone())), &["achievable"])}
            {row("Relevant", Step::Relevant, Box::new(move || d.with(|d| d.relevant.clone())), &["relevant"])}
            {row("Deadline", Step::TimeBound, Box::new(move || d.with(|d| d.deadline.clone())), &["deadline"])}
            {row(
                "Milestones",
                Step::Milestones,
                Box::new(move || {
                    d.with(|d| {
                        d.milestones.iter().map(|m| format!("{} ({})", m.title, m.due)).collect::<Vec<_>>().join(" · ")
                    })
                }),
                &["milestones"],
            )}
        </dl>
    }
}

/// `/goals/:id`: the goal, its milestones and check-ins, and the pair's conversation.
#[component]
pub fn GoalPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let goal = Resource::new(|| (), move |_| get_goal(id.clone()));
    view! {
        <Title text="Goal" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match goal.await {
                        Ok(g) => view! { <GoalView initial=g /> }.into_any(),
                        Err(e) => view! { <NotAvailable e /> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

fn status_label(s: &str) -> &'static str {
    match s {
        "draft" => "Draft",
        "submitted" => "Waiting for the mentor",
        "approved" => "Approved by the mentor",
        "completed" => "Completed",
        _ => "—",
    }
}

#[component]
fn GoalView(initial: Goal) -> impl IntoView {
    let goal = RwSignal::new(initial);
    let g0 = goal.get_untracked();
    let title =
        if g0.draft.specific.trim().is_empty() { "Untitled goal".to_string() } else { g0.draft.specific.clone() };
    let lead =
        format!("{} · mentee {} · mentor {} · {}", g0.skill_name, g0.mentee_name, g0.mentor_name, g0.cohort_name);
    let is_mentee = g0.viewer == "mentee";
    let is_mentor = g0.viewer == "mentor";
    let error = RwSignal::new(None::<AppError>);
    let approve = move |_| {
        let (id, v) = goal.with_untracked(|g| (g.id.clone(), g.version));
        spawn_local(async move {
            match approve_goal(id, v).await {
                Ok(g) => goal.set(g),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let toggle = move |k: usize, done: bool| {
        let id = goal.with_untracked(|g| g.id.clone());
        spawn_local(async move {
            match set_goal_milestone(id, k, done).await {
                Ok(g) => goal.set(g),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <p class="breadcrumb">
            <a href="/home">"← Home"</a>
        </p>
        <PageHead eyebrow="SMART goal" title lead />
        <div class="goal-status">
            <span class="badge" data-testid="goal-status">
                {move || status_label(&goal.with(|g| g.status.clone()))}
            </span>
            <div
                class="progress"
                role="progressbar"
                aria-label="Progress"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || goal.with(|g| g.progress.to_string())
            >
                <span style:width=move || format!("{}%", goal.with(|g| g.progress))></span>
            </div>
            <span class="small">{move || format!("{} %", goal.with(|g| g.progress))}</span>
            {(is_mentee)
                .then(|| {
                    view! {
                        <Show when=move || goal.with(|g| g.status == "draft" || g.status == "submitted")>
                            <a
                                class="button button-small"
                                href=move || format!("/goals/{}/edit", goal.with(|g| g.id.clone()))
                            >
                                "Edit goal"
                            </a>
                        </Show>
                    }
                })}
            {is_mentor
                .then(|| {
                    view! {
                        <Show when=move || goal.with(|g| g.status == "submitted")>
                            <button type="button" class="button button-primary button-small" on:click=approve>
                                "Approve goal"
                            </button>
                        </Show>
                    }
                })}
        </div>
        {move || {
            error
                .get()
                .map(|e| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {e.to_string()}
                        </div>
                    }
                })
        }}
        <div class="grid-2">
            <section class="panel" aria-label="The goal">
                <h2>"The goal"</h2>
                <dl class="review">
                    <div class="review-row">
                        <dt>"Specific"</dt>
                        <dd>{move || goal.with(|g| g.draft.specific.clone())}</dd>
                    </div>
                    <div class="review-row">
                        <dt>"Measurable"</dt>
                        <dd>{move || goal.with(|g| g.draft.measurable.clone())}</dd>
                    </div>
                    <div class="review-row">
                        <dt>"Achievable"</dt>
                        <dd>{move || goal.with(|g| g.draft.achievable.clone())}</dd>
                    </div>
                    <div class="review-row">
                        <dt>"Relevant"</dt>
                        <dd>{move || goal.with(|g| g.draft.relevant.clone())}</dd>
                    </div>
                    <div class="review-row">
                        <dt>"Deadline"</dt>
                        <dd>{move || goal.with(|g| g.draft.deadline.clone())}</dd>
                    </div>
                </dl>
            </section>
            <section class="panel" aria-label="Milestones">
                <h2>"Milestones"</h2>
                <ul class="milestones">
                    {move || {
                        goal.with(|g| g.milestones.clone())
                            .into_iter()
                            .enumerate()
                            .map(|(k, m)| {
                                view! {
                                    <li>
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                prop:checked=m.done
                                                disabled=!is_mentee
                                                on:change=move |ev| toggle(k, event_target_checked(&ev))
                                            />
                                            <span class:done=m.done>{m.title.clone()}</span>
                                            <span class="muted small">{m.due.clone()}</span>
                                        </label>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </div>
        {is_mentee
            .then(|| {
                view! {
                    <Show when=move || goal.with(|g| g.status != "draft")>
                        <CheckinForm goal />
                    </Show>
                }
            })}
        <section class="panel" aria-label="Check-ins">
            <h2>"Check-ins"</h2>
            {move || {
                let list = goal.with(|g| g.checkins.clone());
                if list.is_empty() {
                    view! { <p class="empty">"No check-ins yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="timeline">
                            {list
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <li>
                                            <strong>{format!("{} %", c.progress)}</strong>
                                            " · "
                                            <span class="muted small">{c.on}</span>
                                            <p>{c.note}</p>
                                            {(!c.evidence.is_empty())
                                                .then(|| {
                                                    view! {
                                                        <a
                                                            href=c.evidence.clone()
                                                            rel="noopener noreferrer"
                                                            target="_blank"
                                                        >
                                                            "Evidence"
                                                        </a>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
        <Comments goal />
    }
}

#[component]
fn CheckinForm(goal: RwSignal<Goal>) -> impl IntoView {
    let progress = RwSignal::new(goal.with_untracked(|g| g.progress.to_string()));
    let note = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let busy = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.get(f).map(str::to_string)));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = CheckinInput {
            goal_id: goal.with_untracked(|g| g.id.clone()),
            progress: progress.get_untracked(),
            note: note.get_untracked(),
            evidence: evidence.get_untracked(),
        };
        if let Err(e) = input.validate() {
            errors.set(e);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let res = checkin_goal(input).await;
            busy.set(false);
            match res {
                Ok(g) => {
                    goal.set(g);
                    note.set(String::new());
                    evidence.set(String::new());
                    errors.set(FieldErrors::default());
                }
                Err(AppError::Validation(e)) => errors.set(e),
                Err(e) => {
                    let mut f = FieldErrors::default();
                    f.add("note", e.to_string());
                    errors.set(f);
                }
            }
        });
    };
    let (pe, ne, ee) = (err("progress"), err("note"), err("evidence"));
    view! {
        <form class="panel form" aria-label="Check in" novalidate on:submit=send>
            <h2>"Check in"</h2>
            <p class="small muted">
                "At 100 % an approved goal counts as completed, which is what the program's rewards count."
            </p>
            <div class="field" class:field-invalid=move || pe.get().is_some()>
                <label for="checkin-progress">"Progress (%)"</label>
                <input
                    id="checkin-progress"
                    type="number"
                    min="0"
                    max="100"
                    inputmode="numeric"
                    prop:value=move || progress.get()
                    on:input=move |ev| progress.set(event_target_value(&ev))
                />
                <FieldError error=pe />
            </div>
            <div class="field" class:field-invalid=move || ne.get().is_some()>
                <label for="checkin-note">"What moved since last time?"</label>
                <textarea
                    id="checkin-note"
                    rows="3"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <FieldError error=ne />
            </div>
            <div class="field" class:field-invalid=move || ee.get().is_some()>
                <label for="checkin-evidence">"Evidence link (optional)"</label>
                <input
                    id="checkin-evidence"
                    type="url"
                    inputmode="url"
                    prop:value=move || evidence.get()
                    on:input=move |ev| evidence.set(event_target_value(&ev))
                />
                <FieldError error=ee />
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    "Save check-in"
                </button>
            </div>
        </form>
    }
}

#[component]
fn Comments(goal: RwSignal<Goal>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = goal.with_untracked(|g| g.id.clone());
        let t = text.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let res = comment_goal(id, t).await;
            busy.set(false);
            match res {
                Ok(g) => {
                    goal.set(g);
                    text.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.field_message("comment").unwrap_or_else(|| e.to_string()))),
            }
        });
    };
    view! {
        <section class="panel" aria-label="Comments">
            <h2>"Comments"</h2>
            {move || {
                let list = goal.with(|g| g.comments.clone());
                if list.is_empty() {
                    view! { <p class="empty">"No comments yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="comments">
                            {list
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <li>
                                            <strong>{c.author}</strong>
                                            " "
                                            <span class="muted small">{format!("{} · {}", c.role, c.at)}</span>
                                            <p>{c.text}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <form class="form" aria-label="Add a comment" novalidate on:submit=send>
                <div class="field" class:field-invalid=move || error.get().is_some()>
                    <label for="comment-text">"Add a comment"</label>
                    <textarea
                        id="comment-text"
                        rows="2"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                    <p class="field-error" aria-live="polite">
                        {move || error.get()}
                    </p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || busy.get()>
                        "Comment"
                    </button>
                </div>
            </form>
        </section>
    }
}
