//! `/admin/cohorts/:id/board`: the matching board. Unmatched mentees on one side, mentors with
//! their places on the other. Dragging a mentee onto a mentor (mouse, touch or pen, through
//! pointer events) pins the pair and re-optimises everyone else: the browser previews the result
//! at once with the same engine compiled to wasm, then the server re-runs the edit on the stored
//! draft and saves it. A keyboard path (select a card, "Assign to…") does the same without a
//! pointer. Undo/redo restore earlier drafts; publishing notifies everyone and starts the cohort.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::page::PageHead;
use crate::domain::auth::types::Role;
use crate::domain::matching::api::{
    edit_board, explain_pair, get_board, publish_board, restore_board, set_board_weights,
};
use crate::domain::matching::types::{summary, BoardEdit, BoardView, Draft};
use crate::engine::board::{self, Cells, Edit, Names, State};
use crate::engine::scoring::{Config, Criterion, MAX_IDEAL_GAP, MAX_WEIGHT};
use crate::error::AppError;

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
                        view! {
                            <div class="alert alert-error" role="alert">
                                {e.to_string()}
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Where a dragged card is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Mentor(usize),
    Unmatched,
}

/// A pointer pressed on a card, before and during a drag.
#[derive(Debug, Clone, Copy)]
struct Press {
    mentee: usize,
    x0: f64,
    y0: f64,
    active: bool,
}

/// What a server call does to the undo history when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum History {
    /// A new change: the old draft goes on the undo stack, redo is cleared.
    Push,
    /// An undo: the old draft goes on the redo stack.
    Undo,
    /// A redo: the old draft goes on the undo stack.
    Redo,
    /// Leaves the history alone.
    Keep,
}

enum Request {
    Edit(BoardEdit),
    Restore(Draft),
    Weights(Config),
    Publish,
}

/// The board's shared signals.
#[derive(Clone, Copy)]
struct Ctx {
    board: RwSignal<BoardView>,
    preview: RwSignal<Option<State>>,
    shown: Memo<State>,
    selected: RwSignal<Option<usize>>,
    dragging: RwSignal<Option<usize>>,
    over: RwSignal<Option<Target>>,
    ghost: RwSignal<(f64, f64)>,
    press: StoredValue<Option<Press>>,
    just_dragged: StoredValue<bool>,
    changed: RwSignal<Vec<usize>>,
    message: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<bool>,
    undo: RwSignal<Vec<Draft>>,
    redo: RwSignal<Vec<Draft>>,
    explain: RwSignal<Option<(usize, usize)>>,
}

/// "skills" → "Skills".
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The message to show for a failed call.
fn message_of(e: &AppError) -> String {
    ["board", "config.weights", "config.ideal_gap"]
        .iter()
        .find_map(|f| e.field_message(f))
        .unwrap_or_else(|| e.to_string())
}

impl Ctx {
    fn editable(&self) -> bool {
        self.board.with_untracked(|b| b.editable)
    }

    /// Why mentee `i` can't go to mentor `j` right now, or `None` when it can.
    fn refusal(&self, i: usize, j: usize) -> Option<String> {
        self.board.with_untracked(|b| {
            let cells = Cells::new(&b.cells, b.mentors.len()).ok()?;
            let s = self.shown.get_untracked();
            if let Err(why) = board::blocked(&cells, &s, b, i, j) {
                return Some(why);
            }
            let others = s.pins.iter().filter(|p| p.1 == j && p.0 != i).count();
            (others >= s.capacity[j] as usize).then(|| {
                format!(
                    "{} is full: all {} places are pinned. Raise the capacity or unpin someone first.",
                    b.mentor(j),
                    s.capacity[j]
                )
            })
        })
    }

    /// Sends a request; `preview` is shown until the server answers.
    fn send(self, req: Request, preview: Option<State>, history: History) {
        let before = self.board.get_untracked();
        if let Some(p) = preview {
            self.preview.set(Some(p));
        }
        self.busy.set(true);
        self.message.set(None);
        spawn_local(async move {
            let (id, version) = (before.cohort.id.clone(), before.version);
            let res = match req {
                Request::Edit(e) => edit_board(id.clone(), version, e).await,
                Request::Restore(d) => restore_board(id.clone(), version, d).await,
                Request::Weights(c) => set_board_weights(id.clone(), version, c).await,
                Request::Publish => publish_board(id.clone(), version).await,
            };
            self.busy.set(false);
            match res {
                Ok(next) => {
                    let old = Draft::of(&before.state, &before.mentees, &before.mentors);
                    match history {
                        History::Push => {
                            self.undo.update(|u| u.push(old));
                            self.redo.update(Vec::clear);
                        }
                        History::Undo => {
                            self.undo.update(|u| {
                                u.pop();
                            });
                            self.redo.update(|r| r.push(old));
                        }
                        History::Redo => {
                            self.redo.update(|r| {
                                r.pop();
                            });
                            self.undo.update(|u| u.push(old));
                        }
                        History::Keep => {}
                    }
                    if !next.editable {
                        self.undo.update(Vec::clear);
                        self.redo.update(Vec::clear);
                    }
                    let same_roster = before.mentees == next.mentees && before.mentors == next.mentors;
                    let changed: Vec<usize> = if same_roster {
                        (0..next.mentees.len())
                            .filter(|&i| before.state.mentor_of[i] != next.state.mentor_of[i])
                            .collect()
                    } else {
                        Vec::new()
                    };
                    self.changed.set(changed);
                    self.board.set(next);
                    self.preview.set(None);
                }
                Err(e) => {
                    self.preview.set(None);
                    self.message.set(Some((true, message_of(&e))));
                    if matches!(e, AppError::Conflict { .. }) {
                        if let Ok(fresh) = get_board(id).await {
                            self.board.set(fresh);
                            self.undo.update(Vec::clear);
                            self.redo.update(Vec::clear);
                            self.changed.set(Vec::new());
                        }
                    }
                }
            }
        });
    }

    /// Runs an edit: the wasm preview at once, then the server.
    fn edit(self, edit: Edit) {
        if !self.editable() || self.busy.get_untracked() {
            return;
        }
        let b = self.board.get_untracked();
        let key = |i: Option<usize>, names: &[crate::domain::matching::types::BoardPerson]| {
            i.and_then(|i| names.get(i)).map(|p| p.id.clone()).unwrap_or_default()
        };
        let (mi, mj) = match edit {
            Edit::Pin { mentee, mentor } | Edit::Forbid { mentee, mentor } | Edit::Allow { mentee, mentor } => {
                (Some(mentee), Some(mentor))
            }
            Edit::Unassign { mentee } | Edit::Unpin { mentee } => (Some(mentee), None),
            Edit::Capacity { mentor, .. } => (None, Some(mentor)),
            _ => (None, None),
        };
        let Ok(cells) = Cells::new(&b.cells, b.mentors.len()) else { return };
        let current = self.shown.get_untracked();
        match board::apply(&cells, &current, edit, &b) {
            Ok(next) => {
                let req = BoardEdit { edit, mentee: key(mi, &b.mentees), mentor: key(mj, &b.mentors) };
                self.send(Request::Edit(req), Some(next), History::Push);
            }
            Err(why) => self.message.set(Some((true, why))),
        }
    }

    /// Drops mentee `i` on a target.
    fn drop_on(self, i: usize, target: Option<Target>) {
        match target {
            Some(Target::Mentor(j)) => {
                if let Some(why) = self.refusal(i, j) {
                    self.message.set(Some((true, why)));
                    return;
                }
                let s = self.shown.get_untracked();
                if s.mentor_of[i] == Some(j) && s.pin_of(i) == Some(j) {
                    return;
                }
                self.edit(Edit::Pin { mentee: i, mentor: j });
            }
            Some(Target::Unmatched) => {
                if self.shown.with_untracked(|s| s.mentor_of[i].is_some()) {
                    self.edit(Edit::Unassign { mentee: i });
                }
            }
            None => {}
        }
    }
}

#[component]
fn Board(initial: BoardView) -> impl IntoView {
    let board = RwSignal::new(initial);
    let preview = RwSignal::new(None::<State>);
    let shown = Memo::new(move |_| preview.get().unwrap_or_else(|| board.with(|b| b.state.clone())));
    let ctx = Ctx {
        board,
        preview,
        shown,
        selected: RwSignal::new(None),
        dragging: RwSignal::new(None),
        over: RwSignal::new(None),
        ghost: RwSignal::new((0.0, 0.0)),
        press: StoredValue::new(None),
        just_dragged: StoredValue::new(false),
        changed: RwSignal::new(Vec::new()),
        message: RwSignal::new(None),
        busy: RwSignal::new(false),
        undo: RwSignal::new(Vec::new()),
        redo: RwSignal::new(Vec::new()),
        explain: RwSignal::new(None),
    };
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
                            format!(
                                "Publish {t} pairs? Each mentee and mentor gets a notification, the cohort starts running, and the board can no longer change.",
                            )
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
        <div class="board" class:board-dragging=move || ctx.dragging.get().is_some()>
            <section
                class="board-col unmatched"
                data-drop="unmatched"
                aria-labelledby="unmatched-title"
                class:drop-ok=move || ctx.over.get() == Some(Target::Unmatched)
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
                        <MenteeCard ctx i />
                    </For>
                </div>
            </section>
            <section class="board-col mentors" aria-labelledby="mentors-title">
                <h2 id="mentors-title">{move || format!("Mentors ({})", mentor_count())}</h2>
                <div class="mentor-grid">
                    <For each=mentor_indexes key=|j| *j let:j>
                        <MentorCard ctx j />
                    </For>
                </div>
            </section>
        </div>
        <Show when=move || ctx.dragging.get().is_some()>
            <DragGhost ctx />
        </Show>
        <WeightsPanel ctx />
    }
}

/// The card following the pointer during a drag, with what a drop would do.
#[component]
fn DragGhost(ctx: Ctx) -> impl IntoView {
    let label = move || {
        let i = ctx.dragging.get()?;
        let name = ctx.board.with(|b| b.mentee(i));
        let verdict = match ctx.over.get() {
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
                let (x, y) = ctx.ghost.get();
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

/// Starts, follows and ends a pointer drag of mentee `i`.
fn pointer_handlers(
    ctx: Ctx,
    i: usize,
) -> (
    impl Fn(leptos::ev::PointerEvent) + Copy,
    impl Fn(leptos::ev::PointerEvent) + Copy,
    impl Fn(leptos::ev::PointerEvent) + Copy,
    impl Fn(leptos::ev::PointerEvent) + Copy,
) {
    let down = move |ev: leptos::ev::PointerEvent| {
        if !ctx.editable() || ev.button() != 0 {
            return;
        }
        ctx.press.set_value(Some(Press {
            mentee: i,
            x0: ev.client_x() as f64,
            y0: ev.client_y() as f64,
            active: false,
        }));
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let _ = el.set_pointer_capture(ev.pointer_id());
            }
        }
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        let Some(mut p) = ctx.press.get_value() else { return };
        if p.mentee != i {
            return;
        }
        let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
        if !p.active {
            if (x - p.x0).hypot(y - p.y0) < 6.0 {
                return;
            }
            p.active = true;
            ctx.press.set_value(Some(p));
            ctx.dragging.set(Some(i));
            ctx.message.set(None);
        }
        ev.prevent_default();
        ctx.ghost.set((x, y));
        // Near the top or bottom edge the page scrolls, so a far-away mentor can be reached.
        #[cfg(feature = "hydrate")]
        {
            let w = leptos::prelude::window();
            let h = w.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(800.0);
            if y < 56.0 {
                w.scroll_by_with_x_and_y(0.0, -28.0);
            } else if y > h - 56.0 {
                w.scroll_by_with_x_and_y(0.0, 28.0);
            }
        }
        let target = target_at(x, y);
        if ctx.over.get_untracked() != target {
            ctx.over.set(target);
        }
    };
    let up = move |ev: leptos::ev::PointerEvent| {
        let Some(p) = ctx.press.get_value() else { return };
        ctx.press.set_value(None);
        if !p.active {
            return;
        }
        let target = target_at(ev.client_x() as f64, ev.client_y() as f64);
        ctx.dragging.set(None);
        ctx.over.set(None);
        ctx.just_dragged.set_value(true);
        ctx.drop_on(i, target);
    };
    let cancel = move |_ev: leptos::ev::PointerEvent| {
        ctx.press.set_value(None);
        ctx.dragging.set(None);
        ctx.over.set(None);
    };
    (down, moved, up, cancel)
}

/// The drop target under a point: the closest element with `data-drop`.
fn target_at(_x: f64, _y: f64) -> Option<Target> {
    #[cfg(feature = "hydrate")]
    {
        let el = leptos::prelude::document().element_from_point(_x as f32, _y as f32)?;
        let zone = el.closest("[data-drop]").ok()??;
        let v = zone.get_attribute("data-drop")?;
        if v == "unmatched" {
            return Some(Target::Unmatched);
        }
        return v.strip_prefix("mentor:").and_then(|j| j.parse().ok()).map(Target::Mentor);
    }
    #[allow(unreachable_code)]
    None
}

/// A mentee's card: in the unmatched list or in a mentor's place.
#[component]
fn MenteeCard(ctx: Ctx, i: usize) -> impl IntoView {
    let (down, moved, up, cancel) = pointer_handlers(ctx, i);
    let person = ctx.board.with_untracked(|b| b.mentees.get(i).cloned());
    let Some(p) = person else { return ().into_any() };
    let meta = [p.department.clone(), p.level.map(|l| format!("L{l}")).unwrap_or_default()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let skills = p.skills.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let name = p.name.clone();
    let aria = format!("Mentee {}", p.name);
    let state = Memo::new(move |_| ctx.shown.with(|s| (s.mentor_of.get(i).copied().flatten(), s.pin_of(i))));
    let score = move || {
        let (m, _) = state.get();
        m.and_then(|j| ctx.board.with(|b| b.cells.get(i).and_then(|r| r.get(j)).copied()))
    };
    let toggle = move || ctx.selected.update(|s| *s = if *s == Some(i) { None } else { Some(i) });
    view! {
        <div
            class="card mentee-card"
            role="button"
            tabindex="0"
            aria-label=aria
            data-mentee=i.to_string()
            aria-pressed=move || if ctx.selected.get() == Some(i) { "true" } else { "false" }
            class:selected=move || ctx.selected.get() == Some(i)
            class:dragged=move || ctx.dragging.get() == Some(i)
            class:changed=move || ctx.changed.with(|c| c.contains(&i))
            class:pinned=move || state.get().1.is_some()
            on:pointerdown=down
            on:pointermove=moved
            on:pointerup=up
            on:pointercancel=cancel
            on:click=move |_| {
                if ctx.just_dragged.get_value() { ctx.just_dragged.set_value(false) } else { toggle() }
            }
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    toggle()
                }
            }
        >
            <span class="grip" aria-hidden="true">
                "⠿"
            </span>
            <span class="card-body">
                <strong class="card-name">{name}</strong>
                <span class="card-meta small muted">{meta}</span>
                {(!skills.is_empty()).then(|| view! { <span class="card-skills small">{skills}</span> })}
            </span>
            {move || {
                state
                    .get()
                    .1
                    .is_some()
                    .then(|| {
                        view! {
                            <span
                                class="pin"
                                title="Pinned: re-optimising keeps this pair"
                                role="img"
                                aria-label="pinned"
                            >
                                <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                                    <path
                                        fill="currentColor"
                                        d="M10.5 1.5l4 4-1.4 1.4-.7-.7-2.6 2.6.4 3.1-1.4 1.4-2.5-2.5-3.6 3.6H1.6v-1.1l3.6-3.6-2.5-2.5 1.4-1.4 3.1.4 2.6-2.6-.7-.7z"
                                    />
                                </svg>
                            </span>
                        }
                    })
            }}
            {move || {
                score()
                    .map(|s| {
                        let j = state.get().0;
                        view! {
                            <button
                                type="button"
                                class="score-chip"
                                title="Why this score?"
                                aria-label=format!("Score {s}, explain")
                                on:pointerdown=|ev: leptos::ev::PointerEvent| ev.stop_propagation()
                                on:click=move |ev| {
                                    ev.stop_propagation();
                                    if let Some(j) = j {
                                        ctx.explain.set(Some((i, j)))
                                    }
                                }
                            >
                                {s.to_string()}
                            </button>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// A mentor's card: who they are, their places, capacity − / +.
#[component]
fn MentorCard(ctx: Ctx, j: usize) -> impl IntoView {
    let person = ctx.board.with_untracked(|b| b.mentors.get(j).cloned());
    let Some(p) = person else { return ().into_any() };
    let meta = [p.department.clone(), p.level.map(|l| format!("L{l}")).unwrap_or_default(), p.title.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let skills = p.skills.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let name = p.name.clone();
    let (fewer, more) = (format!("Fewer places for {}", p.name), format!("More places for {}", p.name));
    let aria = format!("Mentor {}", p.name);
    let mine = Memo::new(move |_| {
        ctx.shown.with(|s| {
            s.mentor_of.iter().enumerate().filter(|(_, m)| **m == Some(j)).map(|(i, _)| i).collect::<Vec<_>>()
        })
    });
    let capacity = Memo::new(move |_| ctx.shown.with(|s| s.capacity.get(j).copied().unwrap_or(1)));
    let is_full = move || mine.with(Vec::len) >= capacity.get() as usize;
    let at_max = move || ctx.busy.get() || capacity.get() >= board::CAPACITY_MAX;
    let drop_state = move || match (ctx.dragging.get(), ctx.over.get()) {
        (Some(i), Some(Target::Mentor(t))) if t == j => Some(ctx.refusal(i, j).is_none()),
        _ => None,
    };
    view! {
        <article
            class="card mentor-card"
            data-drop=format!("mentor:{j}")
            aria-label=aria
            class:drop-ok=move || drop_state() == Some(true)
            class:drop-bad=move || drop_state() == Some(false)
            class:full=is_full
        >
            <header class="mentor-head">
                <span class="card-body">
                    <strong class="card-name">{name}</strong>
                    <span class="card-meta small muted">{meta}</span>
                    {(!skills.is_empty()).then(|| view! { <span class="card-skills small">{skills}</span> })}
                </span>
                <span class="capacity" aria-live="polite">
                    <Show when=move || ctx.board.with(|b| b.editable)>
                        <button
                            type="button"
                            class="button button-small button-ghost"
                            aria-label=fewer.clone()
                            disabled=move || ctx.busy.get() || capacity.get() <= 1
                            on:click=move |_| {
                                ctx.edit(Edit::Capacity {
                                    mentor: j,
                                    capacity: capacity.get_untracked().saturating_sub(1),
                                })
                            }
                        >
                            "−"
                        </button>
                    </Show>
                    <span class="load">{move || format!("{}/{}", mine.with(Vec::len), capacity.get())}</span>
                    <Show when=move || ctx.board.with(|b| b.editable)>
                        <button
                            type="button"
                            class="button button-small button-ghost"
                            aria-label=more.clone()
                            disabled=at_max
                            on:click=move |_| {
                                ctx.edit(Edit::Capacity {
                                    mentor: j,
                                    capacity: capacity.get_untracked() + 1,
                                })
                            }
                        >
                            "+"
                        </button>
                    </Show>
                </span>
            </header>
            <div class="places">
                <For each=move || mine.get() key=|i| *i let:i>
                    <MenteeCard ctx i />
                </For>
                {move || {
                    let free = (capacity.get() as usize).saturating_sub(mine.with(Vec::len));
                    (0..free).map(|_| view! { <div class="place-free small muted">"free place"</div> }).collect_view()
                }}
            </div>
        </article>
    }
    .into_any()
}

/// The selected mentee: the keyboard way to assign, plus unassign, unpin, forbid and explain.
#[component]
fn SelectedPanel(ctx: Ctx) -> impl IntoView {
    let choice = RwSignal::new(String::new());
    Effect::new(move |_| {
        ctx.selected.track();
        choice.set(String::new());
    });
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
                                        on:click=move |_| ctx.selected.set(None)
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
fn ExplainPanel(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        let pair = ctx.explain.get();
        let ids = pair.and_then(|(i, j)| {
            ctx.board.with_untracked(|b| {
                Some((b.cohort.id.clone(), b.mentees.get(i)?.id.clone(), b.mentors.get(j)?.id.clone()))
            })
        });
        // Re-asked after each change of the board, so the cost is always against the current pins.
        ctx.board.track();
        async move {
            match ids {
                Some((c, e, t)) => Some(explain_pair(c, e, t).await),
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
                                view! {
                                    <p class="field-error" role="alert">
                                        {e.to_string()}
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
#[component]
fn WeightsPanel(ctx: Ctx) -> impl IntoView {
    let cfg = RwSignal::new(ctx.board.with_untracked(|b| b.config));
    Effect::new(move |_| cfg.set(ctx.board.with(|b| b.config)));
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
                    let id = format!("weight-{c:?}").to_lowercase();
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
                                        cfg.update(|k| k.weights.set(c, w))
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
                            cfg.update(|k| k.ideal_gap = g)
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
                    on:change=move |ev| cfg.update(|k| k.avoid_same_department = event_target_checked(&ev))
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
