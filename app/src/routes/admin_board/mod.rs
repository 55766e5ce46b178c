//! `/admin/cohorts/:id/board`: the matching board. Unmatched mentees on one side, mentors with
//! their places on the other. Dragging a mentee onto a mentor (mouse, touch or pen, through
//! pointer events) pins the pair and re-optimises everyone else: the browser previews the result
//! at once with the same engine compiled to wasm, then the server re-runs the edit on the stored
//! draft and saves it. A keyboard path (select a card, "Assign to…") does the same without a
//! pointer. Undo/redo restore earlier drafts; publishing notifies everyone and starts the cohort.
//!
//! The rooms: this page (route, loader, board layout and toolbar), [`state`] (the state machine,
//! history and server sync), [`cards`] (mentee and mentor cards), [`panels`] (selected mentee,
//! pair explanation, scoring weights). Pointer dragging is `hooks::use_pointer_drag`.

mod cards;
mod panels;
mod state;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use self::cards::{MenteeCard, MentorCard};
use self::panels::{ExplainPanel, SelectedPanel, WeightsPanel};
use self::state::{Ctx, Drag, History, Request, Target};
use crate::components::auth::RequireRole;
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::auth::types::Role;
use crate::domain::matching::api::get_board;
use crate::domain::matching::types::{summary, BoardView};
use crate::engine::board::{self, Cells, Edit, Names};
use crate::hooks::use_pointer_drag::{use_pointer_drag, UsePointerDragOptions};

/// The page.
#[component]
pub fn AdminBoard() -> impl IntoView {
    view! {
        <Title text="Matching board" />
        <RequireRole role=Role::Admin>
            <BoardLoader />
        </RequireRole>
    }
}

/// Loads the board; a failed load shows why.
#[component]
fn BoardLoader() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let back = format!("/admin/cohorts/{id}");
    let board = Resource::new(|| (), move |_| get_board(id.clone()));
    view! {
        <p class="breadcrumb">
            <a href=back>"← Cohort"</a>
        </p>
        <Transition fallback=|| {
            view! { <p class="loading">"Loading the board…"</p> }
        }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <Board initial=b /> }.into_any(),
                    Err(e) => {
                        view! { <NotAvailable eyebrow="Matching board" e not_found="This cohort does not exist." /> }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The board: summary, toolbar, messages, panels, the two columns and the drag ghost.
#[component]
fn Board(initial: BoardView) -> impl IntoView {
    let ctx = Ctx::new(initial);
    let (board, shown) = (ctx.board, ctx.shown);
    let columns = NodeRef::<leptos::html::Div>::new();
    let drag: Drag = use_pointer_drag(
        columns,
        UsePointerDragOptions::default()
            .enabled(Signal::derive(move || board.with(|b| b.editable)))
            .on_start(move |_| ctx.message.set(None))
            .on_drop(move |i, target| ctx.drop_on(i, target)),
    );
    let title = board.with_untracked(|b| b.cohort.name.clone());
    let lead = board.with_untracked(|b| format!("{} · {} → {}", b.cohort.program_name, b.cohort.starts, b.cohort.ends));
    let totals = Memo::new(move |_| {
        board.with(|b| {
            let cells = Cells::new(&b.cells, b.mentors.len()).expect("one cell per mentor");
            let t = shown.with(|s| s.totals(&cells));
            summary(t.matched, b.mentees.len(), t.score)
        })
    });
    // The stability audit of the board as shown (wasm): pairs who would rather be together.
    let stability = Memo::new(move |_| {
        board.with(|b| {
            let cells = Cells::new(&b.cells, b.mentors.len()).expect("one cell per mentor");
            let blocking = shown.with(|s| board::blocking_pairs(&cells, s));
            match blocking.len() {
                0 => "Stable: no mentee and mentor would both rather be together.".to_string(),
                1 => {
                    let (i, j) = blocking[0];
                    format!("1 blocking pair: {} and {} would both rather be together.", b.mentee(i), b.mentor(j))
                }
                k => format!("{k} blocking pairs: mentees and mentors who would both rather be together."),
            }
        })
    });
    let unmatched = Memo::new(move |_| {
        shown.with(|s| s.mentor_of.iter().enumerate().filter(|(_, m)| m.is_none()).map(|(i, _)| i).collect::<Vec<_>>())
    });
    let mentor_count = move || board.with(|b| b.mentors.len());
    let mentor_indexes = move || -> Vec<usize> { (0..mentor_count()).collect() };
    let confirm_publish = RwSignal::new(false);
    let editable = move || board.with(|b| b.editable);

    view! {
        <PageHead eyebrow="Matching board" title lead />
        <div class="board-bar" role="region" aria-label="Board summary">
            <p class="board-totals" aria-live="polite" data-testid="board-totals">
                {move || totals.get()}
            </p>
            <p class="small muted" data-testid="board-stability">
                {move || stability.get()}
            </p>
            {move || {
                board
                    .with(|b| b.published_at.clone())
                    .map(|at| view! { <p class="badge badge-approved">{format!("Published {at}")}</p> })
            }}
            {move || {
                board
                    .with(|b| {
                        let (e, t) = b.pending;
                        (e + t > 0 && b.editable)
                            .then(|| {
                                view! {
                                    <p class="small muted">
                                        {format!(
                                            "Still pending: {e} mentee and {t} mentor applications. Only approved people are on the board.",
                                        )}
                                    </p>
                                }
                            })
                    })
            }}
        </div>
        {move || {
            board
                .with(|b| {
                    let fixed = b.fixed.len();
                    (b.editable && fixed > 0)
                        .then(|| {
                            view! {
                                <div class="alert alert-warn" role="status" data-testid="rematch-notice">
                                    {format!(
                                        "Re-matching: a pair of this running cohort ended. The {fixed} published pair{} stay{} as they are (pinned); match the free mentees with mentors who have free places, then publish the new pairs.",
                                        if fixed == 1 { "" } else { "s" },
                                        if fixed == 1 { "s" } else { "" },
                                    )}
                                </div>
                            }
                        })
                })
        }}
        {move || {
            board
                .with(|b| b.notices.clone())
                .into_iter()
                .map(|n| {
                    view! {
                        <div class="alert alert-info" role="status">
                            {n}
                        </div>
                    }
                })
                .collect_view()
        }}
        <Show when=editable>
            <div class="board-actions" role="toolbar" aria-label="Board actions">
                <button
                    type="button"
                    class="button button-primary"
                    disabled=move || ctx.busy.get()
                    on:click=move |_| ctx.edit(Edit::AutoAll)
                >
                    "Auto-match all"
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=move || ctx.busy.get()
                    on:click=move |_| ctx.edit(Edit::Reoptimise)
                >
                    "Re-optimise unpinned"
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=move || ctx.busy.get()
                    on:click=move |_| ctx.edit(Edit::ClearUnpinned)
                >
                    "Clear unpinned"
                </button>
                <button
                    type="button"
                    class="button"
                    title="Pairs nobody would trade away, instead of the best total score"
                    disabled=move || ctx.busy.get()
                    on:click=move |_| ctx.edit(Edit::Stable)
                >
                    "Stable match unpinned"
                </button>
                <button
                    type="button"
                    class="button button-ghost"
                    aria-label="Undo"
                    disabled=move || ctx.busy.get() || ctx.undo.with(Vec::is_empty)
                    on:click=move |_| {
                        if let Some(d) = ctx.undo.with_untracked(|u| u.last().cloned()) {
                            ctx.send(Request::Restore(d), None, History::Undo)
                        }
                    }
                >
                    "↶ Undo"
                </button>
                <button
                    type="button"
                    class="button button-ghost"
                    aria-label="Redo"
                    disabled=move || ctx.busy.get() || ctx.redo.with(Vec::is_empty)
                    on:click=move |_| {
                        if let Some(d) = ctx.redo.with_untracked(|r| r.last().cloned()) {
                            ctx.send(Request::Restore(d), None, History::Redo)
                        }
                    }
                >
                    "↷ Redo"
                </button>
                <button
                    type="button"
                    class="button button-accent"
                    disabled=move || ctx.busy.get()
                    on:click=move |_| confirm_publish.set(true)
                >
                    "Publish…"
                </button>
            </div>
            <Show when=move || confirm_publish.get()>
                <div class="panel confirm" role="alertdialog" aria-label="Publish the pairs">
                    <p>
                        {move || {
                            let t = shown.with(|s| s.mentor_of.iter().filter(|m| m.is_some()).count());
                            let fixed = board.with(|b| b.fixed.len());
                            if fixed > 0 {
                                format!(
                                    "Publish {} new pair{}? Each of them gets a notification; the {fixed} running pairs are not touched.",
                                    t.saturating_sub(fixed),
                                    if t.saturating_sub(fixed) == 1 { "" } else { "s" },
                                )
                            } else {
                                format!(
                                    "Publish {t} pairs? Each mentee and mentor gets a notification, the cohort starts running, and the board can no longer change.",
                                )
                            }
                        }}
                    </p>
                    <div class="form-actions">
                        <button
                            type="button"
                            class="button button-primary"
                            disabled=move || ctx.busy.get()
                            on:click=move |_| {
                                confirm_publish.set(false);
                                ctx.send(Request::Publish, None, History::Keep);
                            }
                        >
                            "Publish now"
                        </button>
                        <button type="button" class="button button-ghost" on:click=move |_| confirm_publish.set(false)>
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
        </Show>
        {move || {
            ctx.message
                .get()
                .map(|(error, text)| {
                    view! {
                        <div
                            class=if error { "alert alert-error" } else { "alert alert-info" }
                            role="alert"
                            data-testid="board-message"
                        >
                            {text}
                            <button
                                type="button"
                                class="button button-small button-ghost"
                                aria-label="Dismiss"
                                on:click=move |_| ctx.message.set(None)
                            >
                                "×"
                            </button>
                        </div>
                    }
                })
        }}
        <Show when=move || mentor_count() == 0>
            <div class="alert alert-info" role="status">
                "No approved mentors yet. Approve mentor applications on the cohort page, then come back to match."
            </div>
        </Show>
        <SelectedPanel ctx />
        <ExplainPanel ctx />
        <div class="board" node_ref=columns class:board-dragging=move || drag.dragging.get().is_some()>
            <section
                class="board-col unmatched"
                data-drop=Target::Unmatched.to_string()
                aria-labelledby="unmatched-title"
                class:drop-ok=move || drag.over.get() == Some(Target::Unmatched)
            >
                <h2 id="unmatched-title">{move || format!("Unmatched mentees ({})", unmatched.with(Vec::len))}</h2>
                <p class="small muted">
                    {move || {
                        if editable() {
                            "Drag a mentee onto a mentor, or select one and choose “Assign to…”. Drop here to unassign."
                        } else {
                            ""
                        }
                    }}
                </p>
                <div class="card-list">
                    <For each=move || unmatched.get() key=|i| *i let:i>
                        <MenteeCard ctx drag i />
                    </For>
                </div>
            </section>
            <section class="board-col mentors" aria-labelledby="mentors-title">
                <h2 id="mentors-title">{move || format!("Mentors ({})", mentor_count())}</h2>
                <div class="mentor-grid">
                    <For each=mentor_indexes key=|j| *j let:j>
                        <MentorCard ctx drag j />
                    </For>
                </div>
            </section>
        </div>
        <Show when=move || drag.dragging.get().is_some()>
            <DragGhost ctx drag />
        </Show>
        <WeightsPanel ctx />
    }
}

/// The card following the pointer during a drag, with what a drop would do.
#[component]
fn DragGhost(ctx: Ctx, drag: Drag) -> impl IntoView {
    let label = move || {
        let i = drag.dragging.get()?;
        let name = ctx.board.with(|b| b.mentee(i));
        let verdict = match drag.over.get() {
            Some(Target::Mentor(j)) => match ctx.refusal(i, j) {
                Some(why) => format!("Can't drop: {why}"),
                None => format!("Drop to pair with {}", ctx.board.with(|b| b.mentor(j))),
            },
            Some(Target::Unmatched) => "Drop to unassign".to_string(),
            None => String::new(),
        };
        Some((name, verdict))
    };
    view! {
        <div
            class="drag-ghost"
            aria-hidden="true"
            style:transform=move || {
                let (x, y) = drag.position.get();
                format!("translate({}px, {}px)", x + 12.0, y + 12.0)
            }
        >
            {move || {
                label()
                    .map(|(n, v)| {
                        view! {
                            <strong>{n}</strong>
                            <span class="small">{v}</span>
                        }
                    })
            }}
        </div>
    }
}
