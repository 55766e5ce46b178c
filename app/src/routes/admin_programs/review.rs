//! Step 5, "Review": the whole design at a glance, what still stops it from being published, and
//! "Publish program".

use leptos::prelude::*;

use crate::domain::program::types::{check_publishable, ApproachKind, ProgramDesign, ProgramStatus};
use crate::error::AppError;

/// Step 5: the summary, the problems that block publishing, and "Publish program".
#[component]
pub(super) fn ReviewStep(
    /// The design being edited.
    design: RwSignal<ProgramDesign>,
    /// Publishes the saved design (id, version); the studio writes the answer into `design`.
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
        <Show when=move || design.with(|d| d.status == ProgramStatus::Published)>
            <div class="alert alert-success" role="status">
                "Published. You can now open a cohort for enrollment."
            </div>
        </Show>
        <div class="studio-actions">
            <button
                type="button"
                class="button button-primary"
                disabled=move || {
                    !problems.get().is_empty()
                        || design.with(|d| d.id.is_empty() || d.status == ProgramStatus::Published)
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
