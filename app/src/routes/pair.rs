//! `/pairs/:id`: a mentoring pair's meeting log. The pair logs past meetings and plans the next
//! one; the notes are private to the two of them (an admin sees dates, lengths and topics only).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::form::{aria_invalid, error_id, ErrorAlert, FieldError, TextArea, TextField};
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::meetings::api::{get_pair, log_meeting};
use crate::domain::meetings::types::{MeetingInput, PairPage};
use crate::error::{AppError, FieldErrors};
use crate::routes::pair_fit::{EndedNotice, FitCheck};

/// The page.
#[component]
pub fn Pair() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(|| (), move |_| get_pair(id.clone()));
    view! {
        <Title text="Meetings" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <PairView initial=p /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable
                                    eyebrow="Meetings"
                                    e
                                    not_found="This pair does not exist, or it is private."
                                />
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// The pair's meetings, and the form to log one (for the two of them).
#[component]
fn PairView(
    /// The page as loaded.
    initial: PairPage,
) -> impl IntoView {
    let page = RwSignal::new(initial);
    let p = page.get_untracked();
    let title = format!("{} & {}", p.mentee_name, p.mentor_name);
    let lead = format!("{} · {} → {}", p.cohort_name, p.cohort_starts, p.cohort_ends);
    let in_pair = p.viewer.in_pair();
    let open = p.ended.is_none();
    let ended = p.ended.clone();
    let pairing_id = p.id.clone();
    let timeline_href = format!("/pairs/{pairing_id}/timeline");
    let report_href = format!("/pairs/{pairing_id}/report");
    // The fit check appears with the first meeting held (logging one replaces the page), and
    // stays mounted while later meetings are logged, so a half-typed note is kept.
    let has_fit = Memo::new(move |_| page.with(|p| p.fit.is_some()));
    view! {
        <p class="breadcrumb">
            <a href="/home">"← Home"</a>
        </p>
        <PageHead eyebrow="Mentoring pair" title lead>
            <div class="hero-actions">
                <a class="button" href=timeline_href>
                    "Timeline"
                </a>
                <a class="button" href=report_href>
                    "Progress report"
                </a>
            </div>
        </PageHead>
        {ended.map(|ended| view! { <EndedNotice ended /> })}
        {move || {
            has_fit
                .get()
                .then(|| {
                    let fit = page.with_untracked(|p| p.fit.clone()).unwrap_or_default();
                    view! { <FitCheck pairing_id=pairing_id.clone() fit /> }
                })
        }}
        {(in_pair && open).then(|| view! { <MeetingForm page /> })}
        <section class="panel" aria-label="Meetings">
            <h2>"Meetings"</h2>
            {move || {
                let list = page.with(|p| p.meetings.clone());
                if list.is_empty() {
                    return view! { <p class="empty">"No meetings logged yet."</p> }.into_any();
                }
                view! {
                    <ul class="timeline">
                        {list
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <li class:upcoming=m.upcoming>
                                        <strong>{m.on.clone()}</strong>
                                        " · "
                                        {format!("{} min", m.minutes)}
                                        {m
                                            .upcoming
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="badge">"planned"</span>
                                                }
                                            })}
                                        <p>{m.topics.clone()}</p>
                                        {m
                                            .notes
                                            .clone()
                                            .filter(|n| !n.is_empty())
                                            .map(|n| {
                                                view! { <p class="small muted">{format!("Private notes: {n}")}</p> }
                                            })}
                                        <p class="small muted">{format!("Logged by {}", m.logged_by)}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(!in_pair)
                .then(|| {
                    view! {
                        <p class="small muted">
                            "Notes are private to the pair; admins see dates, lengths and topics."
                        </p>
                    }
                })}
        </section>
        <crate::routes::pair_growth::SkillGrowth pairing_id=p.id.clone() />
    }
}

/// Logs a past meeting or plans the next one.
#[component]
fn MeetingForm(
    /// The page; replaced by the server's answer after a save.
    page: RwSignal<PairPage>,
) -> impl IntoView {
    let on = RwSignal::new(String::new());
    let minutes = RwSignal::new("45".to_string());
    let topics = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.with(|e| e.get(f).map(str::to_string)));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let (starts, ends, id) =
            page.with_untracked(|p| (p.cohort_starts.clone(), p.cohort_ends.clone(), p.id.clone()));
        let input = MeetingInput {
            pairing_id: id,
            on: on.get_untracked(),
            minutes: minutes.get_untracked(),
            topics: topics.get_untracked(),
            notes: notes.get_untracked(),
        };
        if let Err(e) = input.validate(&starts, &ends) {
            errors.set(e);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let res = log_meeting(input).await;
            busy.set(false);
            match res {
                Ok(p) => {
                    page.set(p);
                    topics.set(String::new());
                    notes.set(String::new());
                    errors.set(FieldErrors::default());
                }
                Err(AppError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let (oe, me, te, ne) = (err("on"), err("minutes"), err("topics"), err("notes"));
    let (on_error, minutes_error) = (error_id("meeting-on"), error_id("meeting-minutes"));
    view! {
        <form class="panel form" aria-label="Log a meeting" novalidate on:submit=send>
            <h2>"Log or plan a meeting"</h2>
            <p class="small muted">"A date in the future plans your next meeting."</p>
            <div class="grid-2">
                <div class="field" class:field-invalid=move || oe.get().is_some()>
                    <label for="meeting-on">"Date"</label>
                    <input
                        id="meeting-on"
                        type="date"
                        prop:value=move || on.get()
                        on:input=move |ev| on.set(event_target_value(&ev))
                        on:change=move |ev| on.set(event_target_value(&ev))
                        aria-invalid=aria_invalid(oe)
                        aria-describedby=on_error.clone()
                    />
                    <FieldError id=on_error error=oe />
                </div>
                <div class="field" class:field-invalid=move || me.get().is_some()>
                    <label for="meeting-minutes">"Minutes"</label>
                    <input
                        id="meeting-minutes"
                        type="number"
                        min="5"
                        max="480"
                        inputmode="numeric"
                        prop:value=move || minutes.get()
                        on:input=move |ev| minutes.set(event_target_value(&ev))
                        aria-invalid=aria_invalid(me)
                        aria-describedby=minutes_error.clone()
                    />
                    <FieldError id=minutes_error error=me />
                </div>
            </div>
            <TextField label="Topics" name="meeting-topics" value=topics error=te />
            <TextArea label="Private notes (only the two of you see them)" name="meeting-notes" value=notes error=ne />
            <ErrorAlert error=failure />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    "Save meeting"
                </button>
            </div>
        </form>
    }
}
