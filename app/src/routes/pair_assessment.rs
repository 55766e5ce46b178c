//! `/pairs/:id/assessment`: the pre/post skill assessment of a pair. The mentee rates
//! themselves and the mentor rates the mentee, one row per program skill on a 1–5 scale whose
//! behavioural anchors stay on screen (native radios in a fieldset per skill: arrow keys move
//! between levels, each level a large target). Saving again while the phase is open replaces the
//! ratings. Below, the growth so far. Also the home page's "waiting" panel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::auth::RequireRole;
use crate::components::form::{error_id, ErrorAlert};
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::assessments::api::{load_assessment, submit_assessment};
use crate::domain::assessments::types::{
    check_ratings, rating_field, AssessedSkill, AssessmentInput, AssessmentPage, PendingAssessment, Phase, PhaseState,
    Rater, Ratings, WindowStatus, ANCHORS,
};
use crate::domain::matching::types::Viewer;
use crate::error::{AppError, FieldErrors};
use crate::routes::pair_growth::{withheld_note, GrowthTable};

/// The page.
#[component]
pub fn PairAssessment() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = Resource::new(|| (), move |_| load_assessment(id.clone()));
    view! {
        <Title text="Skill assessment" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <AssessmentView initial=p /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable
                                    eyebrow="Skill assessment"
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

/// The page's heading for the viewer.
fn title(p: &AssessmentPage) -> String {
    match p.viewer {
        Viewer::Mentee => "Rate your leadership skills".into(),
        Viewer::Mentor => format!("Rate {}'s leadership skills", p.mentee_name),
        Viewer::Admin => format!("Skill assessment · {} & {}", p.mentee_name, p.mentor_name),
    }
}

/// One phase in a line: its window and who has rated.
fn phase_line(s: &PhaseState, p: &AssessmentPage) -> String {
    let when = match s.status {
        WindowStatus::Upcoming => format!("opens {}, open until {}", s.opens, s.closes),
        WindowStatus::Open => format!("open until {}", s.closes),
        WindowStatus::Closed => format!("closed {}", s.closes),
    };
    let rated = |rater: Rater, name: &str| match s.rated_on(rater) {
        Some(on) => format!("{name} rated on {on}"),
        None => format!("{name}: not rated"),
    };
    let (me, other) = match p.viewer {
        Viewer::Mentee => ("You", p.mentor_name.as_str()),
        Viewer::Mentor => (p.mentee_name.as_str(), "You"),
        Viewer::Admin => (p.mentee_name.as_str(), p.mentor_name.as_str()),
    };
    format!("{when} · {} · {}", rated(Rater::Mentee, me), rated(Rater::Mentor, other))
}

/// Why there is no form, when there is none.
fn no_form_reason(p: &AssessmentPage) -> Option<String> {
    if !p.writable {
        return Some("This pair has ended: its ratings are kept, but no new ones are taken.".into());
    }
    if p.viewer == Viewer::Admin || p.current.is_some() {
        return None;
    }
    let upcoming = p.phases.iter().find(|s| s.status == WindowStatus::Upcoming);
    Some(match upcoming {
        Some(s) => format!("Nothing to rate right now. The {} assessment opens on {}.", s.phase.label(), s.opens),
        None => "Both assessments have closed. Thank you!".into(),
    })
}

#[component]
fn AssessmentView(initial: AssessmentPage) -> impl IntoView {
    let page = RwSignal::new(initial);
    let p = page.get_untracked();
    let lead = format!("{} · {} & {}", p.cohort_name, p.mentee_name, p.mentor_name);
    let back = format!("/pairs/{}", p.pairing_id);
    view! {
        <p class="breadcrumb">
            <a href=back>"← The pair"</a>
        </p>
        <PageHead eyebrow="Skill assessment" title=title(&p) lead />
        <section class="panel" aria-label="Assessment phases">
            <h2>"Start and end of the program"</h2>
            <ul class="plain-list assessment-phases">
                {move || {
                    page.with(|p| {
                        p.phases
                            .iter()
                            .map(|s| {
                                let name = match s.phase {
                                    Phase::Pre => "Start of the program",
                                    Phase::Post => "End of the program",
                                };
                                view! {
                                    <li data-phase=s.phase.as_str()>
                                        <strong>{name}</strong>
                                        {format!(": {}", phase_line(s, p))}
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
            </ul>
        </section>
        {move || {
            page.with(|p| {
                no_form_reason(p)
                    .map(|why| {
                        view! {
                            <p class="panel assessment-closed" role="status">
                                {why}
                            </p>
                        }
                    })
            })
        }}
        {p.current.filter(|_| p.writable).map(|phase| view! { <RatingForm page phase /> })}
        <section class="panel" aria-label="Skill growth">
            <h2>"Skill growth"</h2>
            {move || {
                page.with(|p| {
                    if p.has_ratings() {
                        view! { <GrowthTable rows=p.growth.clone() /> }.into_any()
                    } else {
                        view! { <p class="empty">"No ratings to show yet."</p> }.into_any()
                    }
                })
            }}
            {move || {
                let note = page.with(withheld_note);
                (!note.is_empty()).then(|| view! { <p class="small muted">{note}</p> })
            }}
        </section>
    }
}

/// The form for the caller's side in the open phase.
#[component]
fn RatingForm(
    /// The page; replaced by the server's answer after a save.
    page: RwSignal<AssessmentPage>,
    /// The phase being rated.
    phase: Phase,
) -> impl IntoView {
    let p = page.get_untracked();
    let skills = p.skills.clone();
    let pairs: Vec<(String, String)> = skills.iter().map(|s| (s.id.clone(), s.name.clone())).collect();
    let pairs = StoredValue::new(pairs);
    let ratings = RwSignal::new(p.mine.clone());
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let me = Rater::of(p.viewer).unwrap_or(Rater::Mentee);
    let rated_on = move || page.with(|p| p.phase(phase).and_then(|s| s.rated_on(me).map(str::to_string)));
    let closes = p.phase(phase).map(|s| s.closes.clone()).unwrap_or_default();
    let id = p.pairing_id.clone();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        failure.set(None);
        saved.set(false);
        let r = ratings.get_untracked();
        if let Err(e) = pairs.with_value(|s| check_ratings(s, &r)) {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        busy.set(true);
        let input = AssessmentInput { pairing_id: id.clone(), phase, ratings: r };
        spawn_local(async move {
            match submit_assessment(input).await {
                Ok(p) => {
                    page.set(p);
                    saved.set(true);
                }
                Err(AppError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let intro = match me {
        Rater::Mentee => {
            "For each skill, pick the level that describes what you do most of the time today, not on your best day."
        }
        Rater::Mentor => {
            "For each skill, pick the level that describes what you have seen your mentee do most of the time."
        }
    };
    let heading = format!(
        "{} assessment",
        match phase {
            Phase::Pre => "Start-of-program",
            Phase::Post => "End-of-program",
        }
    );
    let form_error = move |field: &'static str| errors.with(|e| e.get(field).map(str::to_string));
    view! {
        <form class="panel assessment-form" aria-label="Skill assessment" novalidate on:submit=send>
            <h2>{heading}</h2>
            <p>{intro}</p>
            <p class="small muted">
                {format!(
                    "You can change your ratings until {closes}. The other side rates too; you see each other's ratings once you have both sent yours.",
                )}
            </p>
            {skills.into_iter().map(|s| view! { <SkillRating s ratings errors /> }).collect_view()}
            {move || {
                form_error("ratings")
                    .or_else(|| form_error("phase"))
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            <ErrorAlert error=failure />
            <div class="form-actions">
                <button type="submit" class="button button-primary assessment-save" disabled=move || busy.get()>
                    {move || {
                        if busy.get() {
                            "Saving…"
                        } else if rated_on().is_some() {
                            "Update my ratings"
                        } else {
                            "Save my ratings"
                        }
                    }}
                </button>
            </div>
            <p class="assessment-saved" role="status" aria-live="polite">
                {move || {
                    match (saved.get(), rated_on()) {
                        (true, Some(on)) => format!("Your ratings were saved ({on}). Thank you!"),
                        (false, Some(on)) => format!("You sent your ratings on {on}."),
                        _ => String::new(),
                    }
                }}
            </p>
        </form>
    }
}

/// One skill: its name and meaning, and the five levels with their anchors.
#[component]
fn SkillRating(s: AssessedSkill, ratings: RwSignal<Ratings>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let field = rating_field(&s.id);
    let name = format!("rating-{}", s.id);
    let err_id = error_id(&name);
    let f2 = field.clone();
    let error = Signal::derive(move || errors.with(|e| e.get(&f2).map(str::to_string)));
    let sid = s.id.clone();
    view! {
        <fieldset
            class="assessment-skill"
            class:field-invalid=move || error.get().is_some()
            aria-describedby=err_id.clone()
            data-skill=s.name.clone()
        >
            <legend>
                <span class="skill-name">{s.name.clone()}</span>
                {(!s.description.is_empty())
                    .then(|| view! { <span class="muted small">{s.description.clone()}</span> })}
            </legend>
            <div class="levels">
                {ANCHORS
                    .iter()
                    .map(|a| {
                        let level = a.level;
                        let (k1, k2) = (sid.clone(), sid.clone());
                        view! {
                            <label class="level">
                                <input
                                    type="radio"
                                    name=name.clone()
                                    value=level.to_string()
                                    prop:checked=move || ratings.with(|r| r.get(&k1) == Some(&level))
                                    on:change=move |_| {
                                        ratings
                                            .update(|r| {
                                                r.insert(k2.clone(), level);
                                            })
                                    }
                                />
                                <span class="level-text">
                                    <span class="level-name">{format!("{} · {}", a.level, a.name)}</span>
                                    " "
                                    <span class="level-behaviour">{a.behaviour}</span>
                                </span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="field-error" id=err_id.clone() aria-live="polite">
                {move || error.get()}
            </p>
        </fieldset>
    }
}

/// The home page's panel: assessments waiting for me, closing soonest first.
#[component]
pub fn AssessmentsWaiting(
    /// The caller's waiting assessments.
    list: Vec<PendingAssessment>,
) -> impl IntoView {
    let waiting = list;
    view! {
        {(!waiting.is_empty())
            .then(|| {
                view! {
                    <section class="panel assessments-waiting" aria-label="Skill assessment waiting">
                        <h2>{format!("Skill assessment waiting ({})", waiting.len())}</h2>
                        <ul class="plain-list">
                            {waiting
                                .into_iter()
                                .map(|a| {
                                    let what = match a.rater {
                                        Rater::Mentee => "Rate your leadership skills".to_string(),
                                        Rater::Mentor => format!("Rate {}'s leadership skills", a.mentee_name),
                                    };
                                    view! {
                                        <li>
                                            <a
                                                class="assessment-link"
                                                href=format!("/pairs/{}/assessment", a.pairing_id)
                                            >
                                                {format!("{what} · {}", a.cohort_name)}
                                            </a>
                                            <span class="muted small">
                                                {format!(
                                                    " · {} assessment · about five minutes · closes {}",
                                                    a.phase.label(),
                                                    a.closes,
                                                )}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
    }
}
