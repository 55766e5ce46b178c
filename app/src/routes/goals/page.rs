//! The goal page's body: the goal, its milestones and check-ins, and the pair's conversation; the
//! mentee checks in and ticks milestones, the mentor comments and approves.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form::{aria_invalid, error_id, ErrorAlert, FieldError, TextArea, TextField};
use crate::components::page::PageHead;
use crate::domain::goals::api::{approve_goal, checkin_goal, comment_goal, set_goal_milestone};
use crate::domain::goals::types::{CheckinInput, Goal, GoalStatus};
use crate::domain::matching::types::Viewer;
use crate::error::{AppError, FieldErrors};

/// The goal as loaded; actions replace it with the server's answer.
#[component]
pub(super) fn GoalView(
    /// The goal as loaded.
    initial: Goal,
) -> impl IntoView {
    let goal = RwSignal::new(initial);
    let g0 = goal.get_untracked();
    let title =
        if g0.draft.specific.trim().is_empty() { "Untitled goal".to_string() } else { g0.draft.specific.clone() };
    let lead =
        format!("{} · mentee {} · mentor {} · {}", g0.skill_name, g0.mentee_name, g0.mentor_name, g0.cohort_name);
    // An ended pair's goal is read-only: no actions for either side.
    let ended = g0.ended.clone();
    let is_mentee = ended.is_none() && g0.viewer == Viewer::Mentee;
    let is_mentor = ended.is_none() && g0.viewer == Viewer::Mentor;
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
        {ended.map(|ended| view! { <crate::routes::pair_fit::EndedNotice ended /> })}
        <div class="goal-status">
            <span class="badge" data-testid="goal-status">
                {move || goal.with(|g| g.status.label())}
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
                        <Show when=move || goal.with(|g| g.status.editable())>
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
                        <Show when=move || goal.with(|g| g.status == GoalStatus::Submitted)>
                            <button type="button" class="button button-primary button-small" on:click=approve>
                                "Approve goal"
                            </button>
                        </Show>
                    }
                })}
        </div>
        <ErrorAlert error />
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
                    <Show when=move || goal.with(|g| g.status != GoalStatus::Draft)>
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
            {move || {
                let earlier = goal.with(|g| g.earlier_checkins);
                (earlier > 0)
                    .then(|| {
                        view! { <p class="muted small">{format!("{earlier} earlier check-ins are not shown.")}</p> }
                    })
            }}
        </section>
        <Comments goal />
    }
}

/// The mentee's check-in: progress, a note and an optional evidence link.
#[component]
fn CheckinForm(
    /// The goal; replaced by the server's answer after the check-in.
    goal: RwSignal<Goal>,
) -> impl IntoView {
    let progress = RwSignal::new(goal.with_untracked(|g| g.progress.to_string()));
    let note = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.get(f).map(str::to_string)));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
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
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let (pe, ne, ee) = (err("progress"), err("note"), err("evidence"));
    let progress_error = error_id("checkin-progress");
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
                    aria-invalid=aria_invalid(pe)
                    aria-describedby=progress_error.clone()
                />
                <FieldError id=progress_error error=pe />
            </div>
            <TextArea label="What moved since last time?" name="checkin-note" value=note error=ne />
            <TextField label="Evidence link (optional)" name="checkin-evidence" value=evidence error=ee r#type="url" />
            <ErrorAlert error=failure />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    "Save check-in"
                </button>
            </div>
        </form>
    }
}

/// The pair's conversation about the goal, and the form to add to it.
#[component]
fn Comments(
    /// The goal; replaced by the server's answer after a comment.
    goal: RwSignal<Goal>,
) -> impl IntoView {
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
                let earlier = goal.with(|g| g.earlier_comments);
                (earlier > 0)
                    .then(|| {
                        view! { <p class="muted small">{format!("{earlier} earlier comments are not shown.")}</p> }
                    })
            }}
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
            <Show when=move || goal.with(|g| g.ended.is_none())>
                <form class="form" aria-label="Add a comment" novalidate on:submit=send>
                    <TextArea label="Add a comment" name="comment-text" value=text error rows=2 />
                    <div class="form-actions">
                        <button type="submit" class="button" disabled=move || busy.get()>
                            "Comment"
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
