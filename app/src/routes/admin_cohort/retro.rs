//! The cohort page's retrospective panel: notes on what worked, what didn't and what to change
//! next time (each optionally about a strategy tag or an outcome), their history, and the
//! lessons of the program's earlier cohorts with what was decided about them for this cohort.

use leptos::prelude::*;

use crate::components::form::{Choice, FormAlert, TextArea};
use crate::domain::retro::api::{decide_lesson, delete_retro_note, load_cohort_retro, save_retro_note};
use crate::domain::retro::types::{
    CarryItem, CohortRetro, Decision, DecisionInput, DeleteNoteInput, NoteInput, NoteKind, Outcome, RetroNote,
    StrategyTag, MAX_NOTE_CHARS,
};
use crate::error::AppError;

use super::panels::load_failed;

/// The panel.
#[component]
pub fn RetroPanel(
    /// The cohort.
    cohort_id: String,
) -> impl IntoView {
    let id = cohort_id.clone();
    let data = Resource::new(|| (), move |_| load_cohort_retro(id.clone()));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <RetroBody initial=r /> }.into_any(),
                    Err(e) => load_failed("Retrospective", "The retrospective", e),
                }
            })}
        </Transition>
    }
}

fn tag_words(tag: &str, metric: &str) -> String {
    let mut parts = Vec::new();
    if let Some(t) = StrategyTag::parse(tag) {
        parts.push(t.label().to_string());
    }
    if let Some(o) = Outcome::parse(metric) {
        parts.push(o.label().to_string());
    }
    parts.join(" · ")
}

#[component]
fn RetroBody(initial: CohortRetro) -> impl IntoView {
    let state = RwSignal::new(initial);
    let cohort_id = state.with_untracked(|s| s.cohort_id.clone());
    let compare = format!("/retros?cohort={cohort_id}");
    // The note form: a new note, or the one being edited.
    let editing = RwSignal::new(None::<RetroNote>);
    let kind = RwSignal::new(NoteKind::Worked.as_str().to_string());
    let text = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let metric = RwSignal::new(String::new());
    let save = Action::new(|input: &NoteInput| save_retro_note(input.clone()));
    let result = save.value();
    Effect::new(move |_| {
        if let Some(Ok(r)) = result.get() {
            state.set(r);
            editing.set(None);
            text.set(String::new());
            tag.set(String::new());
            metric.set(String::new());
        }
    });
    // Deleting: the note asked about (a second click confirms), and the answer.
    let confirming = RwSignal::new(None::<String>);
    let delete = Action::new(|input: &DeleteNoteInput| delete_retro_note(input.clone()));
    Effect::new(move |_| {
        if let Some(Ok(r)) = delete.value().get() {
            state.set(r);
            confirming.set(None);
        }
    });
    let delete_error = move || {
        delete.value().get().and_then(Result::err).map(|e| e.field_message("note").unwrap_or_else(|| e.to_string()))
    };
    let error = Signal::derive(move || result.get().and_then(Result::err));
    let text_error = Signal::derive(move || {
        error.get().and_then(|e| e.field_message("text").or_else(|| e.field_message("version")))
    });
    let other_error = Signal::derive(move || error.get().and_then(|e| e.field_message("cohort")));
    let tag_error = Signal::derive(move || error.get().and_then(|e| e.field_message("tag")));
    let metric_error = Signal::derive(move || error.get().and_then(|e| e.field_message("metric")));
    let no_error = Signal::derive(|| None::<String>);
    // The menus: (stored value, label); "" is none.
    let none = || (String::new(), "None".to_string());
    let kinds: Vec<(String, String)> =
        NoteKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect();
    let tags: Vec<(String, String)> = std::iter::once(none())
        .chain(StrategyTag::ALL.iter().map(|t| (t.as_str().to_string(), t.label().to_string())))
        .collect();
    let outcomes: Vec<(String, String)> = std::iter::once(none())
        .chain(Outcome::ALL.iter().map(|o| (o.as_str().to_string(), o.label().to_string())))
        .collect();
    let id_for_submit = cohort_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let e = editing.get_untracked();
        save.dispatch(NoteInput {
            cohort_id: id_for_submit.clone(),
            note_id: e.as_ref().map(|n| n.id.clone()).unwrap_or_default(),
            kind: NoteKind::parse(&kind.get_untracked()).unwrap_or(NoteKind::Worked),
            text: text.get_untracked(),
            tag: tag.get_untracked(),
            metric: metric.get_untracked(),
            version: e.map(|n| n.version).unwrap_or(0),
        });
    };
    let edit = move |n: RetroNote| {
        kind.set(n.kind.as_str().to_string());
        text.set(n.text.clone());
        tag.set(n.tag.clone());
        metric.set(n.metric.clone());
        editing.set(Some(n));
    };
    let counter = move || format!("{} / {MAX_NOTE_CHARS}", text.with(|t| t.chars().count()));
    view! {
        <section class="panel retro-panel" aria-labelledby="retro-title">
            <div class="panel-head">
                <h2 id="retro-title">"Retrospective"</h2>
                <a class="button button-small button-ghost" href=compare>
                    "Compare with other cohorts"
                </a>
            </div>
            <div class="retro-notes">
                {NoteKind::ALL
                    .iter()
                    .map(|k| {
                        let k = *k;
                        view! {
                            <div class="retro-kind">
                                <h3>{k.label()}</h3>
                                <ul class="retro-list" aria-label=k.label()>
                                    {move || {
                                        let notes: Vec<RetroNote> = state
                                            .with(|s| s.notes.iter().filter(|n| n.kind == k).cloned().collect());
                                        if notes.is_empty() {
                                            view! { <li class="muted small">"Nothing yet."</li> }.into_any()
                                        } else {
                                            notes
                                                .into_iter()
                                                .map(|n| {
                                                    let about = tag_words(&n.tag, &n.metric);
                                                    let by = format!("{} · {}", n.by, n.at);
                                                    let label = format!(
                                                        "Edit note: {}",
                                                        n.text.chars().take(40).collect::<String>(),
                                                    );
                                                    let editable = state.with(|s| s.editable);
                                                    let (ask, sure) = (n.id.clone(), n.id.clone());
                                                    let asking = move || confirming.with(|c| c.as_ref() == Some(&ask));
                                                    let target = DeleteNoteInput {
                                                        cohort_id: state.with_untracked(|s| s.cohort_id.clone()),
                                                        note_id: n.id.clone(),
                                                        version: n.version,
                                                    };
                                                    let delete_label = format!(
                                                        "Delete note: {}",
                                                        n.text.chars().take(40).collect::<String>(),
                                                    );
                                                    view! {
                                                        <li>
                                                            <p class="retro-text">{n.text.clone()}</p>
                                                            <p class="small muted">
                                                                {(!about.is_empty()).then(|| format!("{about} · "))} {by}
                                                            </p>
                                                            {editable
                                                                .then(|| {
                                                                    view! {
                                                                        <div class="retro-note-actions">
                                                                            <button
                                                                                type="button"
                                                                                class="button button-small button-ghost"
                                                                                aria-label=label
                                                                                on:click=move |_| edit(n.clone())
                                                                            >
                                                                                "Edit"
                                                                            </button>
                                                                            <Show
                                                                                when=asking
                                                                                fallback=move || {
                                                                                    let id = sure.clone();
                                                                                    view! {
                                                                                        <button
                                                                                            type="button"
                                                                                            class="button button-small button-ghost"
                                                                                            aria-label=delete_label.clone()
                                                                                            on:click=move |_| { confirming.set(Some(id.clone())) }
                                                                                        >
                                                                                            "Delete"
                                                                                        </button>
                                                                                    }
                                                                                }
                                                                            >
                                                                                <span class="small">
                                                                                    "Delete this note? Its history keeps it."
                                                                                </span>
                                                                                <button
                                                                                    type="button"
                                                                                    class="button button-small button-danger"
                                                                                    disabled=move || delete.pending().get()
                                                                                    on:click={
                                                                                        let target = target.clone();
                                                                                        move |_| {
                                                                                            delete.dispatch(target.clone());
                                                                                        }
                                                                                    }
                                                                                >
                                                                                    "Delete note"
                                                                                </button>
                                                                                <button
                                                                                    type="button"
                                                                                    class="button button-small button-ghost"
                                                                                    on:click=move |_| confirming.set(None)
                                                                                >
                                                                                    "Keep"
                                                                                </button>
                                                                            </Show>
                                                                        </div>
                                                                    }
                                                                })}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()
                                                .into_any()
                                        }
                                    }}
                                </ul>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                delete_error()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            {move || {
                if !state.with(|s| s.editable) {
                    return view! { <p class="small muted">"Notes open once the cohort runs."</p> }.into_any();
                }
                view! {
                    <form class="form retro-form" on:submit=submit.clone() aria-label="Retrospective note">
                        <h3>{move || if editing.with(Option::is_some) { "Edit the note" } else { "Add a note" }}</h3>
                        <div class="grid-3">
                            <Choice label="Kind" name="retro-kind" value=kind options=kinds.clone() error=no_error />
                            <Choice
                                label="About a strategy tag"
                                name="retro-tag"
                                value=tag
                                options=tags.clone()
                                error=tag_error
                            />
                            <Choice
                                label="About an outcome"
                                name="retro-metric"
                                value=metric
                                options=outcomes.clone()
                                error=metric_error
                            />
                        </div>
                        <TextArea
                            label="Note".to_string()
                            name="retro-text".to_string()
                            value=text
                            error=text_error
                            rows=4
                        />
                        <p class="small muted">{counter}</p>
                        {move || {
                            other_error
                                .get()
                                .map(|e| {
                                    view! {
                                        <div class="alert alert-error" role="alert">
                                            {e}
                                        </div>
                                    }
                                })
                        }}
                        <FormAlert error=Signal::derive(move || error.get()) />
                        <div class="form-actions">
                            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                                "Save note"
                            </button>
                            {move || {
                                editing
                                    .with(Option::is_some)
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="button button-ghost"
                                                on:click=move |_| {
                                                    editing.set(None);
                                                    text.set(String::new());
                                                }
                                            >
                                                "Cancel"
                                            </button>
                                        }
                                    })
                            }}
                        </div>
                    </form>
                }
                    .into_any()
            }}
            <details class="retro-history">
                <summary>{move || format!("History ({} changes)", state.with(|s| s.history.len()))}</summary>
                <ol class="small">
                    {move || {
                        state
                            .with(|s| s.history.clone())
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <li>
                                        {format!(
                                            "{} · {} {} a “{}” note: {}",
                                            h.at,
                                            h.by,
                                            h.action,
                                            h.kind.label(),
                                            h.text,
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ol>
            </details>
            <Carried state />
        </section>
    }
}

/// The program's earlier cohorts' "change next time" items, and what this cohort did with each.
#[component]
fn Carried(state: RwSignal<CohortRetro>) -> impl IntoView {
    // Keyed by the item and its decision: saving a note (or another item's decision) leaves each
    // row as it is, with whatever was typed in it.
    let carried = Memo::new(move |_| state.with(|s| s.carried.clone()));
    let (cohort_id, decidable) = state.with_untracked(|s| (s.cohort_id.clone(), s.decidable));
    view! {
        <div class="retro-carried" role="region" aria-labelledby="carried-title">
            <h3 id="carried-title">"Lessons from earlier cohorts"</h3>
            <Show when=move || carried.with(Vec::is_empty)>
                <p class="small muted">"No “change next time” notes from earlier cohorts of this program."</p>
            </Show>
            <For
                each=move || carried.get()
                key=|i| (i.note_id.clone(), i.decision, i.detail.clone(), i.decided_at.clone())
                children=move |item| view! { <CarryRow item cohort_id=cohort_id.clone() state decidable /> }
            />
        </div>
    }
}

#[component]
fn CarryRow(item: CarryItem, cohort_id: String, state: RwSignal<CohortRetro>, decidable: bool) -> impl IntoView {
    let choice = RwSignal::new(item.decision.unwrap_or(Decision::Applied).as_str().to_string());
    let detail = RwSignal::new(item.detail.clone());
    let decide = Action::new(|input: &DecisionInput| decide_lesson(input.clone()));
    let result = decide.value();
    Effect::new(move |_| {
        if let Some(Ok(r)) = result.get() {
            state.set(r);
        }
    });
    let error: Signal<Option<AppError>> = Signal::derive(move || result.get().and_then(Result::err));
    let detail_error = Signal::derive(move || error.get().and_then(|e| e.field_message("detail")));
    let other_error = Signal::derive(move || {
        error.get().and_then(|e| e.field_message("cohort").or_else(|| e.field_message("note_id")))
    });
    let about = tag_words(&item.tag, &item.metric);
    let moved = format!("/retros?cohort={}&cohort={}", item.from_cohort_id, cohort_id);
    let note_id = item.note_id.clone();
    let name = format!("decision-{}", item.note_id);
    let detail_id = format!("detail-{}", item.note_id);
    let detail_err_id = format!("{detail_id}-error");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        decide.dispatch(DecisionInput {
            cohort_id: cohort_id.clone(),
            note_id: note_id.clone(),
            decision: Decision::parse(&choice.get_untracked()).unwrap_or(Decision::Applied),
            detail: detail.get_untracked(),
        });
    };
    let decided =
        item.decision.map(|d| format!("{} — {} ({}, {})", d.label(), item.detail, item.decided_by, item.decided_at));
    let detail_label = move || {
        if choice.get() == Decision::Skipped.as_str() {
            "Why it was skipped"
        } else {
            "The setting it changed"
        }
    };
    view! {
        <form class="retro-carry" on:submit=submit aria-label=format!("Lesson from {}", item.from_cohort_name)>
            <p class="retro-text">{item.text.clone()}</p>
            <p class="small muted">
                {format!("From {}", item.from_cohort_name)} {(!about.is_empty()).then(|| format!(" · {about}"))}
            </p>
            {decided
                .map(|d| {
                    view! {
                        <p class="retro-decided" data-testid="decided">
                            {d}
                            " · "
                            <a href=moved.clone()>"How the outcomes moved"</a>
                        </p>
                    }
                })}
            {decidable
                .then(|| {
                    view! {
                        <fieldset class="retro-decision">
                            <legend class="visually-hidden">"Decision"</legend>
                            {[Decision::Applied, Decision::Skipped]
                                .into_iter()
                                .map(|d| {
                                    view! {
                                        <label class="choice">
                                            <input
                                                type="radio"
                                                name=name.clone()
                                                value=d.as_str()
                                                prop:checked=move || choice.get() == d.as_str()
                                                on:change=move |_| choice.set(d.as_str().to_string())
                                            />
                                            {d.label()}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                        <div class="field" class:field-invalid=move || detail_error.get().is_some()>
                            <label for=detail_id.clone()>{detail_label}</label>
                            <input
                                id=detail_id.clone()
                                type="text"
                                prop:value=move || detail.get()
                                on:input=move |ev| detail.set(event_target_value(&ev))
                                aria-invalid=move || if detail_error.get().is_some() { "true" } else { "false" }
                                aria-describedby=detail_err_id.clone()
                            />
                            <p class="field-error" id=detail_err_id aria-live="polite">
                                {move || detail_error.get()}
                            </p>
                        </div>
                        {move || {
                            other_error
                                .get()
                                .map(|e| {
                                    view! {
                                        <div class="alert alert-error" role="alert">
                                            {e}
                                        </div>
                                    }
                                })
                        }}
                        <button type="submit" class="button button-small" disabled=move || decide.pending().get()>
                            "Save decision"
                        </button>
                    }
                })}
            {(!decidable && item.decision.is_none())
                .then(|| view! { <p class="small muted">"Not decided before the cohort closed."</p> })}
        </form>
    }
}
