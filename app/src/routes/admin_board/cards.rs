//! The board's cards: a mentee (in the unmatched list or a mentor's place) and a mentor with
//! their places and capacity.

use leptos::prelude::*;

use super::state::{Ctx, Drag, Target};
use crate::engine::board::{self, Edit};

/// "Sales · L3 · Team lead": the non-empty parts of a person's line.
fn meta_line(parts: impl IntoIterator<Item = String>) -> String {
    parts.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")
}

/// A mentee's card: in the unmatched list or in a mentor's place.
///
/// Each action has its own control: the card's main button selects the mentee (and is what a
/// pointer drags, through the board's `use_pointer_drag`); the score beside it explains the pair.
#[component]
pub fn MenteeCard(ctx: Ctx, drag: Drag, i: usize) -> impl IntoView {
    let person = ctx.board.with_untracked(|b| b.mentees.get(i).cloned());
    let Some(p) = person else { return ().into_any() };
    let meta = meta_line([p.department.clone(), p.level.map(|l| format!("L{l}")).unwrap_or_default()]);
    let skills = p.skills.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let name = p.name.clone();
    let state = Memo::new(move |_| ctx.shown.with(|s| (s.mentor_of.get(i).copied().flatten(), s.pin_of(i))));
    let score = move || {
        let (m, _) = state.get();
        m.and_then(|j| ctx.board.with(|b| b.cells.get(i).and_then(|r| r.get(j)).copied()))
    };
    let is_selected = move || ctx.selected.get() == Some(i);
    view! {
        <div
            class="card mentee-card"
            data-mentee=i.to_string()
            class:selected=is_selected
            class:dragged=move || drag.dragging.get() == Some(i)
            class:changed=move || ctx.changed.with(|c| c.contains(&i))
            class:pinned=move || state.get().1.is_some()
        >
            <button
                type="button"
                class="card-select"
                aria-pressed=move || if is_selected() { "true" } else { "false" }
                data-drag=i.to_string()
                on:click=move |_| ctx.select(if is_selected() { None } else { Some(i) })
            >
                <span class="grip" aria-hidden="true">
                    "⠿"
                </span>
                // The button is named by what it shows ("Mentee <name>, <details>"), so the name a
                // screen reader hears and the text a voice-control user reads out agree.
                <span class="card-body">
                    <strong class="card-name">
                        <span class="sr-only">"Mentee "</span>
                        {name}
                    </strong>
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
            </button>
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
                                on:click=move |_| {
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

/// A mentor's card: who they are, their places, capacity − / +. The card is a drop target.
#[component]
pub fn MentorCard(ctx: Ctx, drag: Drag, j: usize) -> impl IntoView {
    let person = ctx.board.with_untracked(|b| b.mentors.get(j).cloned());
    let Some(p) = person else { return ().into_any() };
    let meta = meta_line([p.department.clone(), p.level.map(|l| format!("L{l}")).unwrap_or_default(), p.title.clone()]);
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
    let drop_state = move || match (drag.dragging.get(), drag.over.get()) {
        (Some(i), Some(Target::Mentor(t))) if t == j => Some(ctx.refusal(i, j).is_none()),
        _ => None,
    };
    view! {
        <article
            class="card mentor-card"
            data-drop=Target::Mentor(j).to_string()
            aria-label=aria
            class:drop-ok=move || drop_state() == Some(true)
            class:drop-bad=move || drop_state() == Some(false)
            class:full=is_full
        >
            <header class="mentor-head">
                // The button is named by what it shows ("Mentee <name>, <details>"), so the name a
                // screen reader hears and the text a voice-control user reads out agree.
                <span class="card-body">
                    <strong class="card-name">
                        <span class="sr-only">"Mentee "</span>
                        {name}
                    </strong>
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
                    <MenteeCard ctx drag i />
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
