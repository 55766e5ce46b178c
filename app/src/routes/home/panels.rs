//! The participant home's workshop and reward panels: a mentee replies to workshops, writes a
//! reflection once attended and follows their rewards; a mentor reads and signs off reflections.
//!
//! Panels, not pages, so they live in the folder of the one page that shows them (`home/mod.rs`
//! declares this module): whoever opens the home page finds them next to it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::auth::types::Role;
use crate::domain::awards::types::{RewardKind, RewardProgress};
use crate::domain::enrollment::types::Side;
use crate::domain::workshops::api::{reflect_workshop, rsvp_workshop, sign_off_workshop};
use crate::domain::workshops::types::{check_reflection, Rsvp, WorkshopCard};
use crate::error::AppError;

/// A workshop card's identity: (pairing, workshop).
type Key = (String, String);

/// The [`Key`] of a card.
fn key(c: &WorkshopCard) -> Key {
    (c.pairing_id.clone(), c.workshop_id.clone())
}

/// The workshops of the caller's pairs.
#[component]
pub fn MyWorkshops(
    /// Whose view: a mentor sees their mentees' workshops, anyone else their own.
    role: Role,
    /// The caller's workshop cards, both sides.
    list: Result<Vec<WorkshopCard>, AppError>,
) -> impl IntoView {
    let side = if role == Role::Mentor { Side::Mentor } else { Side::Mentee };
    let title = if role == Role::Mentor { "Your mentees' workshops" } else { "Workshops" };
    view! {
        <section class="panel" aria-label=title>
            <h2>{title}</h2>
            {workshops_body(list, side)}
        </section>
    }
}

/// [`MyWorkshops`]' list, or why it could not be loaded.
fn workshops_body(list: Result<Vec<WorkshopCard>, AppError>, side: Side) -> AnyView {
    let cards: Vec<WorkshopCard> = match list {
        Ok(cards) => cards.into_iter().filter(|c| c.viewer == side).collect(),
        Err(e) => return load_failed("Your workshops", e),
    };
    if cards.is_empty() {
        let empty = if side == Side::Mentor {
            "Your mentees' workshops appear here once you have mentees."
        } else {
            "Your program's workshops appear here once you have a mentor."
        };
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let state = RwSignal::new(cards);
    let keys = move || state.with(|l| l.iter().filter(|c| c.viewer == side).map(key).collect::<Vec<_>>());
    view! {
        <ul class="workshop-list">
            <For each=keys key=|k| k.clone() let:k>
                <WorkshopItem k state />
            </For>
        </ul>
    }
    .into_any()
}

/// One workshop card with the actions the viewer may take on it.
#[component]
fn WorkshopItem(k: Key, state: RwSignal<Vec<WorkshopCard>>) -> impl IntoView {
    let k2 = k.clone();
    let card = Memo::new(move |_| state.with(|l| l.iter().find(|c| key(c) == k2).cloned()));
    let first = card.get_untracked();
    let text = RwSignal::new(first.as_ref().map(|c| c.reflection.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (pairing, workshop) = k;
    let run = move |call: Call| {
        let (pairing, workshop) = (pairing.clone(), workshop.clone());
        if let Call::Reflect = call {
            if let Err(e) = check_reflection(&text.get_untracked()) {
                error.set(e.get("reflection").map(str::to_string));
                return;
            }
        }
        busy.set(true);
        spawn_local(async move {
            let res = match call {
                Call::Going(g) => rsvp_workshop(pairing, workshop, g).await,
                Call::Reflect => reflect_workshop(pairing, workshop, text.get_untracked()).await,
                Call::SignOff => sign_off_workshop(pairing, workshop).await,
            };
            busy.set(false);
            match res {
                Ok(list) => {
                    state.set(list);
                    error.set(None);
                }
                Err(e) => error.set(Some(
                    e.field_message("reflection")
                        .or_else(|| e.field_message("rsvp"))
                        .or_else(|| e.field_message("sign_off"))
                        .unwrap_or_else(|| e.to_string()),
                )),
            }
        });
    };
    let run = StoredValue::new(run);
    move || {
        card.get().map(|c| {
            let mentor = c.viewer == Side::Mentor;
            let meta = format!("{} · {} · {} · {}", c.date, c.format, c.skill_name, c.cohort_name);
            let heading = if mentor { format!("{} · {}", c.mentee_name, c.title) } else { c.title.clone() };
            let label = heading.clone();
            let status_class = if c.signed_off_by.is_some() { "badge badge-running" } else { "badge" };
            let can_reply = !mentor && !c.past && !c.attended;
            let can_reflect = !mentor && c.attended && c.signed_off_by.is_none();
            let can_sign = mentor && c.attended && !c.reflection.is_empty() && c.signed_off_by.is_none();
            let going = c.rsvp == Rsvp::Going;
            let not_going = c.rsvp == Rsvp::NotGoing;
            let field_id = format!("reflection-{}-{}", c.pairing_id, c.workshop_id);
            view! {
                <li class="workshop" aria-label=label>
                    <div class="workshop-head">
                        <strong>{heading}</strong>
                        <span class=status_class>{c.status()}</span>
                    </div>
                    <p class="small muted">{meta}</p>
                    {can_reply
                        .then(|| {
                            view! {
                                <div class="segmented" role="group" aria-label="Your reply">
                                    <button
                                        type="button"
                                        class="button button-small"
                                        class:button-primary=going
                                        aria-pressed=if going { "true" } else { "false" }
                                        disabled=move || busy.get()
                                        on:click=move |_| run.with_value(|r| r(Call::Going(true)))
                                    >
                                        "Going"
                                    </button>
                                    <button
                                        type="button"
                                        class="button button-small"
                                        class:button-primary=not_going
                                        aria-pressed=if not_going { "true" } else { "false" }
                                        disabled=move || busy.get()
                                        on:click=move |_| run.with_value(|r| r(Call::Going(false)))
                                    >
                                        "Not going"
                                    </button>
                                </div>
                            }
                        })}
                    {(!mentor && !c.attended && c.past)
                        .then(|| {
                            view! {
                                <p class="small muted">
                                    "This workshop has taken place; attendance is recorded by your program admin."
                                </p>
                            }
                        })}
                    {(!c.reflection.is_empty() && !can_reflect)
                        .then(|| view! { <blockquote class="reflection">{c.reflection.clone()}</blockquote> })}
                    {c.signed_off_by.clone().map(|by| view! { <p class="small">{format!("Signed off by {by}.")}</p> })}
                    {can_reflect
                        .then(|| {
                            let fid = field_id.clone();
                            view! {
                                <div class="field" class:field-invalid=move || error.get().is_some()>
                                    <label for=fid.clone()>"How I applied the skill"</label>
                                    <textarea
                                        id=fid
                                        rows="3"
                                        placeholder="What did you try after the workshop, and what happened?"
                                        prop:value=move || text.get()
                                        on:input=move |ev| text.set(event_target_value(&ev))
                                    ></textarea>
                                    <p class="field-error" aria-live="polite">
                                        {move || error.get()}
                                    </p>
                                </div>
                                <button
                                    type="button"
                                    class="button button-small button-primary"
                                    disabled=move || busy.get()
                                    on:click=move |_| run.with_value(|r| r(Call::Reflect))
                                >
                                    "Save reflection"
                                </button>
                            }
                        })}
                    {can_sign
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button-small button-primary"
                                    disabled=move || busy.get()
                                    on:click=move |_| run.with_value(|r| r(Call::SignOff))
                                >
                                    "Sign off reflection"
                                </button>
                            }
                        })}
                    {(!can_reflect)
                        .then(|| {
                            view! {
                                <p class="field-error" role="alert">
                                    {move || error.get()}
                                </p>
                            }
                        })}
                </li>
            }
        })
    }
}

/// What a workshop card asks the server to do.
#[derive(Clone, Copy)]
enum Call {
    Going(bool),
    Reflect,
    SignOff,
}

/// A mentee's rewards: earned ones link to their certificate, the others say what is missing.
#[component]
pub fn MyRewards(
    /// The mentee's rewards with their progress.
    list: Result<Vec<RewardProgress>, AppError>,
) -> impl IntoView {
    view! { {rewards_body(list)} }
}

/// [`MyRewards`]' panel, or why it could not be loaded.
fn rewards_body(list: Result<Vec<RewardProgress>, AppError>) -> AnyView {
    let rewards = match list {
        Ok(rewards) => rewards,
        Err(e) => {
            return view! {
                <section class="panel" aria-label="Rewards">
                    <h2>"Rewards"</h2>
                    {load_failed("Your rewards", e)}
                </section>
            }
            .into_any();
        }
    };
    (!rewards.is_empty())
                    .then(|| {
                        view! {
                            <section class="panel" aria-label="Rewards">
                                <h2>"Rewards"</h2>
                                <ul class="reward-list">
                                    {rewards
                                        .into_iter()
                                        .map(|r| {
                                            let label = format!("{} ({})", r.name, r.cohort_name);
                                            let icon = if r.kind == RewardKind::Badge { "★" } else { "◆" };
                                            let pct = if r.goals_needed > 0 {
                                                (r.goals_done.min(r.goals_needed) * 100 / r.goals_needed).max(2)
                                            } else {
                                                100
                                            };
                                            let missing = r.missing();
                                            view! {
                                                <li
                                                    class="reward"
                                                    class:reward-earned=r.award_id.is_some()
                                                    aria-label=label
                                                >
                                                    <span class="reward-icon" aria-hidden="true">
                                                        {icon}
                                                    </span>
                                                    <div>
                                                        <strong>{r.name.clone()}</strong>
                                                        <span class="muted small">
                                                            {format!(" · {} · {}", r.kind, r.cohort_name)}
                                                        </span>
                                                        {match (r.award_id.clone(), r.awarded_on.clone()) {
                                                            (Some(id), Some(on)) => {
                                                                view! {
                                                                    <p class="small">
                                                                        {format!("Earned on {on}. ")}
                                                                        <a href=format!(
                                                                            "/awards/{id}",
                                                                        )>
                                                                            {if r.kind == RewardKind::Badge {
                                                                                "View badge"
                                                                            } else {
                                                                                "View certificate"
                                                                            }}
                                                                        </a>
                                                                    </p>
                                                                }
                                                                    .into_any()
                                                            }
                                                            _ => {
                                                                view! {
                                                                    <div>
                                                                        <p class="small">
                                                                            {format!(
                                                                                "{} of {} goals completed{}",
                                                                                r.goals_done.min(r.goals_needed),
                                                                                r.goals_needed,
                                                                                if r.workshop_needed {
                                                                                    format!(
                                                                                        " · workshop {}",
                                                                                        if r.workshops_done > 0 { "done" } else { "still to do" },
                                                                                    )
                                                                                } else {
                                                                                    String::new()
                                                                                },
                                                                            )}
                                                                        </p>
                                                                        <div class="progress" aria-hidden="true">
                                                                            <span style:width=format!("{pct}%")></span>
                                                                        </div>
                                                                        <p class="small muted">
                                                                            {format!("Still needed: {}.", missing.join(", "))}
                                                                        </p>
                                                                    </div>
                                                                }
                                                                    .into_any()
                                                            }
                                                        }}
                                                    </div>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .into_any()
}

/// The alert a panel shows instead of its list when the list could not be loaded.
pub(super) fn load_failed(what: &str, e: AppError) -> AnyView {
    view! {
        <div class="alert alert-error" role="alert">
            {format!("{what} could not be loaded: {e}")}
        </div>
    }
    .into_any()
}
