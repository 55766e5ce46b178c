//! The board's side panels: the selected mentee (the keyboard way to assign), the explanation
//! of a pair, and the program's scoring weights.

use leptos::prelude::*;

use super::state::{Ctx, History, Request, Target};
use crate::domain::matching::api::explain_pair;
use crate::engine::board::{self, Edit, Names};
use crate::engine::scoring::{Config, Criterion, MAX_IDEAL_GAP, MAX_WEIGHT};
use crate::error::AppError;

/// "skills" → "Skills".
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The selected mentee: the keyboard way to assign, plus unassign, unpin, forbid and explain.
#[component]
pub fn SelectedPanel(ctx: Ctx) -> impl IntoView {
    let choice = ctx.choice;
    view! {
        {move || {
            ctx.selected
                .get()
                .and_then(|i| {
                    let b = ctx.board.get();
                    let p = b.mentees.get(i)?.clone();
                    let s = ctx.shown.get();
                    let current = s.mentor_of.get(i).copied().flatten();
                    let pinned = s.pin_of(i).is_some();
                    let editable = b.editable;
                    let now = match current {
                        Some(j) => format!("Now with {}{}", b.mentor(j), if pinned { " (pinned)" } else { "" }),
                        None => "Not matched yet".to_string(),
                    };
                    let cells = b.cells.get(i).cloned().unwrap_or_default();
                    let options = b
                        .mentors
                        .iter()
                        .enumerate()
                        .map(|(j, t)| {
                            let refusal = ctx.refusal(i, j);
                            let load = s.load(j);
                            let cap = s.capacity[j];
                            let score = board::cell_score(cells[j])
                                .map(|v| format!("score {v}"))
                                .unwrap_or_else(|| "blocked".into());
                            let label = match &refusal {
                                Some(_) if board::cell_score(cells[j]).is_none() || s.forbids.contains(&(i, j)) => {
                                    format!("{} — can't ({score})", t.name)
                                }
                                Some(_) => format!("{} — full ({load}/{cap})", t.name),
                                None => format!("{} — {score} · {load}/{cap}", t.name),
                            };
                            view! {
                                <option value=j.to_string() disabled=refusal.is_some()>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view();
                    let chosen = move || choice.get().parse::<usize>().ok();
                    Some(
                        view! {
                            <section class="panel selected-panel" aria-label="Selected mentee">
                                <div class="panel-head">
                                    <h2>{p.name.clone()}</h2>
                                    <button
                                        type="button"
                                        class="button button-small button-ghost"
                                        on:click=move |_| ctx.select(None)
                                    >
                                        "Close"
                                    </button>
                                </div>
                                <p class="small muted">{now}</p>
                                {editable
                                    .then(|| {
                                        view! {
                                            <div class="assign-row">
                                                <label for="assign-to">"Assign to…"</label>
                                                <select
                                                    id="assign-to"
                                                    prop:value=move || choice.get()
                                                    on:change=move |ev| choice.set(event_target_value(&ev))
                                                >
                                                    <option value="">"Choose a mentor"</option>
                                                    {options}
                                                </select>
                                                <button
                                                    type="button"
                                                    class="button button-primary"
                                                    disabled=move || chosen().is_none() || ctx.busy.get()
                                                    on:click=move |_| {
                                                        if let Some(j) = chosen() {
                                                            ctx.drop_on(i, Some(Target::Mentor(j)));
                                                        }
                                                    }
                                                >
                                                    "Assign"
                                                </button>
                                            </div>
                                        }
                                    })}
                                <div class="form-actions">
                                    <button
                                        type="button"
                                        class="button button-small"
                                        disabled=move || chosen().or(current).is_none()
                                        on:click=move |_| {
                                            if let Some(j) = chosen().or(current) {
                                                ctx.explain.set(Some((i, j)))
                                            }
                                        }
                                    >
                                        "Explain pair"
                                    </button>
                                    {(editable && current.is_some())
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="button button-small"
                                                    on:click=move |_| ctx.edit(Edit::Unassign { mentee: i })
                                                >
                                                    "Unassign"
                                                </button>
                                            }
                                        })}
                                    {(editable && pinned)
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="button button-small"
                                                    on:click=move |_| ctx.edit(Edit::Unpin { mentee: i })
                                                >
                                                    "Unpin"
                                                </button>
                                            }
                                        })}
                                    {editable
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="button button-small button-danger"
                                                    disabled=move || chosen().or(current).is_none()
                                                    on:click=move |_| {
                                                        if let Some(j) = chosen().or(current) {
                                                            ctx.edit(Edit::Forbid {
                                                                mentee: i,
                                                                mentor: j,
                                                            })
                                                        }
                                                    }
                                                >
                                                    "Forbid pair"
                                                </button>
                                            }
                                        })}
                                </div>
                                {move || {
                                    let forbids: Vec<usize> = ctx
                                        .shown
                                        .with(|s| s.forbids.iter().filter(|f| f.0 == i).map(|f| f.1).collect());
                                    (!forbids.is_empty())
                                        .then(|| {
                                            view! {
                                                <p class="small">
                                                    "Ruled out: "
                                                    {forbids
                                                        .into_iter()
                                                        .map(|j| {
                                                            let n = ctx.board.with_untracked(|b| b.mentor(j));
                                                            view! {
                                                                <span class="chip">
                                                                    {n.clone()}
                                                                    {editable
                                                                        .then(|| {
                                                                            view! {
                                                                                <button
                                                                                    type="button"
                                                                                    class="button button-small button-ghost"
                                                                                    aria-label=format!("Allow {n} again")
                                                                                    on:click=move |_| {
                                                                                        ctx.edit(Edit::Allow {
                                                                                            mentee: i,
                                                                                            mentor: j,
                                                                                        })
                                                                                    }
                                                                                >
                                                                                    "×"
                                                                                </button>
                                                                            }
                                                                        })}
                                                                </span>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </p>
                                            }
                                        })
                                }}
                            </section>
                        },
                    )
                })
        }}
    }
}

/// A pair's score, its parts and the cost of forcing it.
#[component]
pub fn ExplainPanel(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        let pair = ctx.explain.get();
        let ids = pair.map(|(i, j)| {
            ctx.board.with_untracked(|b| {
                Some((b.cohort.id.clone(), b.mentees.get(i)?.id.clone(), b.mentors.get(j)?.id.clone()))
            })
        });
        // Re-asked after each change of the board, so the cost is always against the current pins.
        ctx.board.track();
        async move {
            match ids {
                Some(Some((c, e, t))) => Some(explain_pair(c, e, t).await),
                // The pair left the board (the roster changed): say so rather than show nothing.
                Some(None) => Some(Err(AppError::NotFound)),
                None => None,
            }
        }
    });
    view! {
        <Show when=move || ctx.explain.get().is_some()>
            <section class="panel explain-panel" aria-label="Pair explanation">
                <div class="panel-head">
                    <h2>"Why this pair?"</h2>
                    <button
                        type="button"
                        class="button button-small button-ghost"
                        on:click=move |_| ctx.explain.set(None)
                    >
                        "Close"
                    </button>
                </div>
                <Suspense fallback=|| {
                    view! { <p class="loading">"Explaining…"</p> }
                }>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => ().into_any(),
                            Some(Err(e)) => {
                                let text = match e {
                                    AppError::NotFound => "This pair is no longer on the board.".to_string(),
                                    e => e.to_string(),
                                };
                                view! {
                                    <p class="field-error" role="alert">
                                        {text}
                                    </p>
                                }
                                    .into_any()
                            }
                            Some(Ok(x)) => {
                                view! {
                                    <p>
                                        <strong>{format!("{} ← {}", x.mentee, x.mentor)}</strong>
                                    </p>
                                    {x.blocked.clone().map(|b| view! { <p class="alert alert-error">{b}</p> })}
                                    {x
                                        .breakdown
                                        .clone()
                                        .map(|b| {
                                            view! {
                                                <p>{format!("Score {} of 100", b.total)}</p>
                                                <table class="table breakdown">
                                                    <thead>
                                                        <tr>
                                                            <th scope="col">"Criterion"</th>
                                                            <th scope="col">"Points"</th>
                                                            <th scope="col">"Weight"</th>
                                                            <th scope="col">"Why"</th>
                                                        </tr>
                                                    </thead>
                                                    <tbody>
                                                        {b
                                                            .parts
                                                            .into_iter()
                                                            .map(|p| {
                                                                view! {
                                                                    <tr class:muted=p.weight == 0>
                                                                        <td>{capitalized(p.criterion.label())}</td>
                                                                        <td>{p.points}</td>
                                                                        <td>{p.weight}</td>
                                                                        <td>{p.why}</td>
                                                                    </tr>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </tbody>
                                                </table>
                                            }
                                        })}
                                    {x
                                        .cost
                                        .map(|c| {
                                            let text = if c.matched_lost == 0 && c.score_lost == 0 {
                                                "This pair is part of a best board: forcing it costs nothing."
                                                    .to_string()
                                            } else if c.matched_lost > 0 {
                                                format!(
                                                    "Forcing this pair would leave {} more mentee{} unmatched and cost {} points.",
                                                    c.matched_lost,
                                                    if c.matched_lost == 1 { "" } else { "s" },
                                                    c.score_lost,
                                                )
                                            } else {
                                                format!(
                                                    "Forcing this pair would cost {} points of total score against the best board.",
                                                    c.score_lost,
                                                )
                                            };
                                            view! {
                                                <p class="cost" data-testid="forcing-cost">
                                                    {text}
                                                </p>
                                            }
                                        })}
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </Show>
    }
}

/// The program's scoring weights, as sliders.
///
/// Slider moves are a draft of the board version they were made on: any new version of the
/// board (a save, another edit, another admin's change) shows its own weights again.
#[component]
pub fn WeightsPanel(ctx: Ctx) -> impl IntoView {
    let draft = RwSignal::new(None::<(i64, Config)>);
    let cfg = Memo::new(move |_| {
        let (version, stored) = ctx.board.with(|b| (b.version, b.config));
        draft.get().filter(|d| d.0 == version).map_or(stored, |d| d.1)
    });
    let change = move |f: &dyn Fn(&mut Config)| {
        let mut next = cfg.get_untracked();
        f(&mut next);
        draft.set(Some((ctx.board.with_untracked(|b| b.version), next)));
    };
    let editable = move || ctx.board.with(|b| b.editable);
    view! {
        <details class="panel weights">
            <summary>"Scoring weights"</summary>
            <p class="small muted">
                "Weights apply to every cohort of this program. Each criterion counts 0 (ignored) to 10."
            </p>
            {Criterion::ALL
                .into_iter()
                .map(|c| {
                    let id = format!("weight-{}", c.label());
                    view! {
                        <div class="field slider">
                            <label for=id.clone()>{c.label()}</label>
                            <input
                                id=id
                                type="range"
                                min="0"
                                max=MAX_WEIGHT.to_string()
                                step="1"
                                disabled=move || !editable()
                                prop:value=move || cfg.with(|k| k.weights.get(c).to_string())
                                on:input=move |ev| {
                                    if let Ok(w) = event_target_value(&ev).parse() {
                                        change(&|k| k.weights.set(c, w))
                                    }
                                }
                            />
                            <output>{move || cfg.with(|k| k.weights.get(c))}</output>
                        </div>
                    }
                })
                .collect_view()}
            <div class="field slider">
                <label for="ideal-gap">"Ideal level gap (mentor above mentee)"</label>
                <input
                    id="ideal-gap"
                    type="range"
                    min="1"
                    max=MAX_IDEAL_GAP.to_string()
                    step="1"
                    disabled=move || !editable()
                    prop:value=move || cfg.with(|k| k.ideal_gap.to_string())
                    on:input=move |ev| {
                        if let Ok(g) = event_target_value(&ev).parse() {
                            change(&|k| k.ideal_gap = g)
                        }
                    }
                />
                <output>{move || cfg.with(|k| k.ideal_gap)}</output>
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    disabled=move || !editable()
                    prop:checked=move || cfg.with(|k| k.avoid_same_department)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        change(&|k| k.avoid_same_department = on)
                    }
                />
                "Never pair people from the same department"
            </label>
            <Show when=editable>
                <div class="form-actions">
                    <button
                        type="button"
                        class="button button-primary"
                        disabled=move || ctx.busy.get() || ctx.board.with(|b| b.config == cfg.get())
                        on:click=move |_| ctx.send(Request::Weights(cfg.get_untracked()), None, History::Keep)
                    >
                        "Save and rescore"
                    </button>
                </div>
            </Show>
        </details>
    }
}
