//! The cohort page's fit-check panel: every pair's first-session fit check from both sides,
//! "not a fit" pairs first, and ending a pair with a reason, after which the mentee waits on the
//! reopened matching board.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::pairs::api::{end_pair, list_cohort_pairs};
use crate::domain::pairs::types::{check_end_reason, CohortPair, CohortPairs, FitSide};
use crate::error::AppError;

use super::panels::load_failed;

/// Shown once the cohort has pairs.
#[component]
pub fn FitPanel(
    /// The cohort.
    cohort_id: String,
) -> impl IntoView {
    let id = cohort_id.clone();
    let data = Resource::new(|| (), move |_| list_cohort_pairs(id.clone()));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let cohort_id = cohort_id.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) if d.pairs.is_empty() => None,
                        Ok(d) => Some(view! { <FitBody initial=d cohort_id /> }.into_any()),
                        Err(e) => Some(load_failed("Fit checks", "The fit checks", e)),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn FitBody(initial: CohortPairs, cohort_id: String) -> impl IntoView {
    let state = RwSignal::new(initial);
    let board = format!("/admin/cohorts/{cohort_id}/board");
    let flagged = move || state.with(|s| s.pairs.iter().filter(|p| p.flagged()).count());
    view! {
        <section class="panel fit-panel" aria-labelledby="fit-panel-title">
            <h2 id="fit-panel-title">"Fit checks"</h2>
            <p class="small muted">
                "After a pair's first meeting both of them say whether it is a good fit. Notes are for admins only."
            </p>
            {move || {
                let n = flagged();
                (n > 0)
                    .then(|| {
                        view! {
                            <p class="alert alert-warn" role="status">
                                {format!("{n} pair{} flagged “not a fit”.", if n == 1 { " is" } else { "s are" })}
                            </p>
                        }
                    })
            }}
            {
                let board = board.clone();
                move || {
                    let free = state.with(|s| s.unmatched);
                    let board = board.clone();
                    (free > 0)
                        .then(|| {
                            view! {
                                <p class="alert alert-info" role="status">
                                    {format!(
                                        "{free} mentee{} waiting for a new mentor. ",
                                        if free == 1 { " is" } else { "s are" },
                                    )}
                                    <a href=board>"Re-match on the board"</a>
                                </p>
                            }
                        })
                }
            }
            <ul class="fit-list">
                <For
                    each=move || state.get().pairs
                    key=|p| (p.id.clone(), p.ended.is_some(), p.mentee_fit.answer, p.mentor_fit.answer)
                    let:pair
                >
                    <FitRow pair state />
                </For>
            </ul>
        </section>
    }
}

fn side(who: &str, name: &str, s: &FitSide) -> String {
    let answer = s.answer.map_or("not answered yet", |a| a.label());
    let note = if s.note.is_empty() { String::new() } else { format!(" — “{}”", s.note) };
    format!("{who} ({name}): {answer}{note}")
}

#[component]
fn FitRow(pair: CohortPair, state: RwSignal<CohortPairs>) -> impl IntoView {
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = pair.id.clone();
    let label = format!("{} & {}", pair.mentee_name, pair.mentor_name);
    let reason_id = format!("end-reason-{}", pair.id);
    let send = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Err(AppError::Validation(e)) = check_end_reason(&reason.get_untracked()) {
                error.set(e.get("reason").map(str::to_string));
                return;
            }
            busy.set(true);
            let id = id.clone();
            spawn_local(async move {
                let res = end_pair(id, reason.get_untracked()).await;
                busy.set(false);
                match res {
                    Ok(s) => state.set(s),
                    Err(e) => error.set(Some(e.field_message("reason").unwrap_or_else(|| e.to_string()))),
                }
            });
        }
    };
    let flagged = pair.flagged();
    let running = pair.ended.is_none();
    let meetings = match pair.meetings {
        0 => "no meeting yet".to_string(),
        1 => "1 meeting".to_string(),
        n => format!("{n} meetings"),
    };
    view! {
        <li class="fit-row" class:flagged=flagged class:ended=!running aria-label=label.clone()>
            <p>
                <strong>{label.clone()}</strong>
                " "
                <span class="small muted">{meetings}</span>
                {flagged.then(|| view! { <span class="badge badge-rejected">"Not a fit"</span> })}
            </p>
            <p class="small">{side("Mentee", &pair.mentee_name, &pair.mentee_fit)}</p>
            <p class="small">{side("Mentor", &pair.mentor_name, &pair.mentor_fit)}</p>
            {pair
                .ended
                .clone()
                .map(|e| {
                    view! {
                        <p class="small">
                            <span class="badge">"Ended"</span>
                            {format!(" {} — {}", e.on, e.reason)}
                        </p>
                    }
                })}
            {running
                .then(|| {
                    let reason_id = reason_id.clone();
                    let send = send.clone();
                    view! {
                        <Show
                            when=move || open.get()
                            fallback=move || {
                                view! {
                                    <button type="button" class="button button-small" on:click=move |_| open.set(true)>
                                        "End this pair…"
                                    </button>
                                }
                            }
                        >
                            <form class="form end-pair" novalidate on:submit=send.clone()>
                                <div class="field" class:field-invalid=move || error.get().is_some()>
                                    <label for=reason_id
                                        .clone()>"Why does the pair end? Both of them will read this."</label>
                                    <textarea
                                        id=reason_id.clone()
                                        rows="2"
                                        maxlength="500"
                                        prop:value=move || reason.get()
                                        on:input=move |ev| reason.set(event_target_value(&ev))
                                    ></textarea>
                                    <p class="field-error" aria-live="polite">
                                        {move || error.get()}
                                    </p>
                                </div>
                                <p class="small muted">
                                    "The pair becomes read-only, both are notified, and the mentee goes back onto the matching board."
                                </p>
                                <div class="form-actions">
                                    <button type="submit" class="button button-danger" disabled=move || busy.get()>
                                        "End the pair"
                                    </button>
                                    <button type="button" class="button" on:click=move |_| open.set(false)>
                                        "Cancel"
                                    </button>
                                </div>
                            </form>
                        </Show>
                    }
                })}
        </li>
    }
}
