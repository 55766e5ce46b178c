//! The cohort page's panels for a running cohort: its pairs with their last meeting and check-in
//! (quiet pairs flagged after the cohort's threshold, which admins set here), and each workshop's
//! attendance sheet.
//!
//! Panels, not pages, so they live in the folder of the one page that shows them
//! (`admin_cohort.rs` declares this module): whoever opens the cohort page finds them next to it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::activity::api::{cohort_activity, set_inactive_days};
use crate::domain::activity::types::{check_inactive_days, CohortPairs};
use crate::domain::workshops::api::{mark_attendance, workshop_attendance};
use crate::domain::workshops::types::{AttendanceSheet, Rsvp};
use crate::error::AppError;

/// Pairs and their activity, with the quiet-pair threshold.
#[component]
pub fn PairsPanel(
    /// The cohort.
    cohort_id: String,
) -> impl IntoView {
    let id = cohort_id.clone();
    let data = Resource::new(|| (), move |_| cohort_activity(id.clone()));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let cohort_id = cohort_id.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) if d.pairs.is_empty() => None,
                        Ok(d) => {
                            Some(
                                view! {
                                    <section class="panel" aria-label="Pairs">
                                        <h2>"Pairs"</h2>
                                        <PairsBody initial=d cohort_id />
                                    </section>
                                }
                                    .into_any(),
                            )
                        }
                        Err(e) => Some(load_failed("Pairs", "The pairs", e)),
                    }
                })
            }}
        </Transition>
    }
}

/// The threshold form and the pairs table; a saved threshold answers with the re-flagged pairs.
#[component]
fn PairsBody(initial: CohortPairs, cohort_id: String) -> impl IntoView {
    let state = RwSignal::new(initial);
    let days = RwSignal::new(state.get_untracked().inactive_days.to_string());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        if let Err(e) = check_inactive_days(&days.get_untracked()) {
            error.set(e.get("inactive_days").map(str::to_string));
            return;
        }
        let id = cohort_id.clone();
        spawn_local(async move {
            match set_inactive_days(id, days.get_untracked()).await {
                Ok(d) => {
                    state.set(d);
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.field_message("inactive_days").unwrap_or_else(|| e.to_string()))),
            }
        });
    };
    view! {
        <form class="form inline-form" aria-label="Quiet pairs" novalidate on:submit=save>
            <div class="field" class:field-invalid=move || error.get().is_some()>
                <label for="inactive-days">"Flag a pair after this many days without a meeting or check-in"</label>
                <div class="inline-row">
                    <input
                        id="inactive-days"
                        type="number"
                        min="3"
                        max="120"
                        inputmode="numeric"
                        prop:value=move || days.get()
                        on:input=move |ev| days.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button-small">
                        "Save"
                    </button>
                    {move || {
                        saved
                            .get()
                            .then(|| {
                                view! {
                                    <span class="small muted" role="status">
                                        "Saved."
                                    </span>
                                }
                            })
                    }}
                </div>
                <p class="field-error" aria-live="polite">
                    {move || error.get()}
                </p>
            </div>
        </form>
        {move || {
            let d = state.get();
            let flagged = d.pairs.iter().filter(|p| p.inactive).count();
            view! {
                <p class="small muted">
                    {format!("{} pairs · {} quiet for more than {} days", d.pairs.len(), flagged, d.inactive_days)}
                </p>
                <div class="table-wrap">
                    <table class="table table-stack">
                        <thead>
                            <tr>
                                <th>"Pair"</th>
                                <th>"Goals"</th>
                                <th>"Last meeting"</th>
                                <th>"Last check-in"</th>
                                <th>"Quiet"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d
                                .pairs
                                .into_iter()
                                .map(|p| {
                                    let label = format!("{} & {}", p.mentee_name, p.mentor_name);
                                    let text = label.clone();
                                    view! {
                                        <tr class:row-flagged=p.inactive aria-label=label>
                                            <td data-label="Pair">
                                                <a href=format!("/pairs/{}/timeline", p.pairing_id)>{text}</a>
                                            </td>
                                            <td data-label="Goals">{p.goals}</td>
                                            <td data-label="Last meeting">
                                                {p.last_meeting.unwrap_or_else(|| "—".into())}
                                            </td>
                                            <td data-label="Last check-in">
                                                {p.last_checkin.unwrap_or_else(|| "—".into())}
                                            </td>
                                            <td data-label="Quiet">
                                                {format!("{} days", p.quiet_days)}
                                                {p
                                                    .inactive
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span class="badge badge-warn">"Inactive"</span>
                                                        }
                                                    })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
    }
}

/// Each workshop of the cohort with its mentees' replies and attendance checkboxes.
#[component]
pub fn AttendancePanel(
    /// The cohort.
    cohort_id: String,
) -> impl IntoView {
    let id = cohort_id.clone();
    let data = Resource::new(|| (), move |_| workshop_attendance(id.clone()));
    view! {
        <Transition fallback=|| ()>
            {move || {
                let cohort_id = cohort_id.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) if !d.iter().any(|w| !w.rows.is_empty()) => None,
                        Ok(d) => {
                            Some(
                                // Only once the cohort has pairs: before that there is nobody to mark.
                                view! {
                                    <section class="panel" aria-label="Workshop attendance">
                                        <h2>"Workshop attendance"</h2>
                                        <AttendanceBody initial=d cohort_id />
                                    </section>
                                }
                                    .into_any(),
                            )
                        }
                        Err(e) => Some(load_failed("Workshop attendance", "The attendance sheets", e)),
                    }
                })
            }}
        </Transition>
    }
}

/// One fieldset per workshop; each tick is saved at once and answered with the updated sheets.
#[component]
fn AttendanceBody(initial: Vec<AttendanceSheet>, cohort_id: String) -> impl IntoView {
    let state = RwSignal::new(initial);
    let error = RwSignal::new(None::<String>);
    let cohort = StoredValue::new(cohort_id);
    let mark = move |pairing: String, workshop: String, on: bool| {
        let cohort = cohort.get_value();
        spawn_local(async move {
            match mark_attendance(cohort, pairing, workshop, on).await {
                Ok(s) => {
                    state.set(s);
                    error.set(None);
                }
                Err(e) => {
                    error.set(Some(e.field_message("attended").unwrap_or_else(|| e.to_string())));
                    // Put the checkbox back as stored.
                    state.update(|_| {});
                }
            }
        });
    };
    view! {
        {move || {
            error
                .get()
                .map(|m| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {m}
                        </div>
                    }
                })
        }}
        {move || {
            let sheets = state.get();
            if sheets.is_empty() {
                return view! { <p class="empty">"The program has no workshop inside this cohort's dates."</p> }
                    .into_any();
            }
            sheets
                .into_iter()
                .map(|w| {
                    let going = w.rows.iter().filter(|r| r.rsvp == Rsvp::Going).count();
                    let attended = w.rows.iter().filter(|r| r.attended).count();
                    let wid = w.workshop_id.clone();
                    let open = w.open;
                    view! {
                        <fieldset class="attendance" aria-label=w.title.clone()>
                            <legend>{format!("{} · {}", w.title, w.date)}</legend>
                            <p class="small muted">
                                {format!(
                                    "{} · {} · {} going · {} attended",
                                    w.format,
                                    w.skill_name,
                                    going,
                                    attended,
                                )} {(!open).then_some(" · attendance can be marked from the workshop's day")}
                            </p>
                            {if w.rows.is_empty() {
                                view! { <p class="empty">"No published pairs yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="plain-list attendance-list">
                                        {w
                                            .rows
                                            .into_iter()
                                            .map(|r| {
                                                let (pid, wid) = (r.pairing_id.clone(), wid.clone());
                                                let reply = match r.rsvp {
                                                    Rsvp::Going => "said going",
                                                    Rsvp::NotGoing => "said not going",
                                                    Rsvp::None => "no reply yet",
                                                };
                                                view! {
                                                    <li>
                                                        <label class="check">
                                                            <input
                                                                type="checkbox"
                                                                prop:checked=r.attended
                                                                disabled=!open
                                                                on:change=move |ev| mark(
                                                                    pid.clone(),
                                                                    wid.clone(),
                                                                    event_target_checked(&ev),
                                                                )
                                                            />
                                                            {format!("{} attended", r.mentee_name)}
                                                        </label>
                                                        <span class="muted small">
                                                            {format!(" · {reply}")}
                                                            {r.signed_off.then_some(" · reflection signed off")}
                                                        </span>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        </fieldset>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
}

/// The panel `title` with an alert in place of its contents, when they could not be loaded.
pub(super) fn load_failed(title: &'static str, what: &str, e: AppError) -> AnyView {
    view! {
        <section class="panel" aria-label=title>
            <h2>{title}</h2>
            <div class="alert alert-error" role="alert">
                {format!("{what} could not be loaded: {e}")}
            </div>
        </section>
    }
    .into_any()
}
