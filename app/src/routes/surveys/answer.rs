//! `/surveys/:id`: answering a survey. One question per screen on a phone (all on one page on a
//! laptop), a progress bar, large touch targets. Answers are kept on the device as they are
//! given (a reload, a closed tab or a lost connection loses nothing) and, for an attributed
//! survey, also saved on the server after a pause in typing; submitted once.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::question::QuestionField;
use crate::components::auth::RequireRole;
use crate::components::form::ErrorAlert;
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::surveys::api::{load_survey_form, save_survey_draft, submit_survey};
use crate::domain::surveys::types::{check_answers, is_given, Answers, SurveyForm};
use crate::error::{AppError, FieldErrors};
use crate::hooks::use_autosave::{use_autosave_with_options, AutosaveStatus, UseAutosaveOptions};

/// The page.
#[component]
pub fn SurveyAnswer() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let form = Resource::new(|| (), move |_| load_survey_form(id.clone()));
    view! {
        <Title text="Survey" />
        <RequireRole>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) => view! { <AnswerForm f /> }.into_any(),
                        Err(e) => {
                            view! {
                                <NotAvailable
                                    eyebrow="Survey"
                                    e
                                    not_found="This survey is not addressed to you, or it no longer exists."
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

/// The device's copy of the answers, under one key per survey.
fn local_key(id: &str) -> String {
    format!("mentorship.survey.{id}")
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_local(id: &str) -> Option<Answers> {
    #[cfg(feature = "hydrate")]
    {
        let text = storage()?.get_item(&local_key(id)).ok().flatten()?;
        serde_json::from_str(&text).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = local_key(id);
        None
    }
}

fn write_local(id: &str, answers: Option<&Answers>) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = storage() {
        let _ = match answers {
            Some(a) => s.set_item(&local_key(id), &serde_json::to_string(a).unwrap_or_default()),
            None => s.remove_item(&local_key(id)),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, answers);
}

#[component]
fn AnswerForm(f: SurveyForm) -> impl IntoView {
    let id = StoredValue::new(f.id.clone());
    let total = f.questions.len();
    let questions = StoredValue::new(f.questions.clone());
    let skill_ids: Vec<String> = f.skills.iter().map(|s| s.0.clone()).collect();
    let skill_ids = StoredValue::new(skill_ids);
    let answers = RwSignal::new(f.draft.clone());
    let step = RwSignal::new(0usize);
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(f.answered);
    let sending = RwSignal::new(false);
    let anonymous = f.anonymous;
    // The device's copy wins over the server's draft: it is at least as new. Either way the
    // person resumes at the first question they have not answered.
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            if let Some(local) = read_local(&id.get_value()).filter(|a| !a.is_empty()) {
                answers.set(local);
            }
            let resume = answers.with_untracked(|a| {
                questions.with_value(|qs| qs.iter().position(|q| !is_given(a.get(&q.id))).unwrap_or(0))
            });
            step.set(resume);
        }
    });
    Effect::new(move |_| {
        let a = answers.get();
        if !done.get_untracked() && !a.is_empty() {
            write_local(&id.get_value(), Some(&a));
        }
    });
    let autosave = (!anonymous && f.open && !f.answered).then(|| {
        use_autosave_with_options(
            answers,
            move |a: Answers| save_survey_draft(id.get_value(), a),
            UseAutosaveOptions::default().debounce_ms(800).already_saved(!f.draft.is_empty()),
        )
    });
    let save_status = move || match (anonymous, autosave.map(|s| s.status.get())) {
        (true, _) => "Your answers are kept on this device until you submit.".to_string(),
        (false, Some(AutosaveStatus::Saving | AutosaveStatus::Pending)) => "Saving…".into(),
        (false, Some(AutosaveStatus::Saved(_))) => "Saved. You can come back and finish later.".into(),
        (false, Some(AutosaveStatus::Failed(_))) => {
            "Not saved on the server yet (kept on this device); we will try again.".into()
        }
        _ => "Your answers are saved as you go.".into(),
    };
    let answered =
        move || answers.with(|a| questions.with_value(|qs| qs.iter().filter(|q| is_given(a.get(&q.id))).count()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let a = answers.get_untracked();
        let checked = questions.with_value(|qs| skill_ids.with_value(|s| check_answers(qs, s, &a, true)));
        if let Err(e) = checked {
            // Jump to the first question that needs attention (on a phone).
            let first = questions.with_value(|qs| qs.iter().position(|q| e.get(&q.id).is_some()));
            if let Some(i) = first {
                step.set(i);
            }
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::default());
        sending.set(true);
        leptos::task::spawn_local(async move {
            if let Some(s) = autosave {
                // A draft that failed to save is no loss: the submission carries every answer.
                let _ = s.flush().await;
            }
            match submit_survey(id.get_value(), a).await {
                Ok(()) => {
                    write_local(&id.get_value(), None);
                    done.set(true);
                }
                Err(AppError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e)),
            }
            sending.set(false);
        });
    };
    let privacy = if anonymous {
        format!(
            "Anonymous: your answers are stored without your name, with the day only. Results are shown as totals for groups of at least {} people.",
            f.min_group
        )
    } else {
        "Attributed: your answers are stored with your name, and the program admins can read them.".to_string()
    };
    let thanks = if anonymous {
        format!(
            "Your answers were stored without your name. They count in the program's results once at least {} people have answered; nobody can see which answers are yours.",
            f.min_group
        )
    } else {
        "Your answers were stored with your name. The program admins read them and may follow up with you.".to_string()
    };
    let skills = f.skills.clone();
    let at_last = move || step.get() + 1 >= total;
    let lead = format!("{} · closes {}", f.cohort_name, f.closes);
    view! {
        <p class="breadcrumb">
            <a href="/home">"← Home"</a>
        </p>
        <PageHead eyebrow="Survey" title=f.title.clone() lead />
        <Show
            when=move || !done.get()
            fallback=move || {
                let thanks = thanks.clone();
                view! {
                    <section class="panel survey-thanks" role="status">
                        <h2>"Thank you!"</h2>
                        <p>{thanks}</p>
                        <a class="button" href="/home">
                            "Back to home"
                        </a>
                    </section>
                }
            }
        >
            {(!f.open)
                .then(|| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            {format!("This survey closed on {}: it no longer takes answers.", f.closes)}
                        </div>
                    }
                })}
            <p class="survey-privacy" data-testid="survey-privacy">
                {privacy.clone()}
            </p>
            {(!f.intro.is_empty()).then(|| view! { <p>{f.intro.clone()}</p> })}
            <div
                class="progress survey-progress"
                role="progressbar"
                aria-label="Questions answered"
                aria-valuemin="0"
                aria-valuemax=total.to_string()
                aria-valuenow=move || answered().to_string()
            >
                <span style:width=move || { format!("{}%", (answered() * 100).checked_div(total).unwrap_or(0)) }></span>
            </div>
            <p class="muted small" aria-live="polite">
                {move || format!("{} of {total} answered · {}", answered(), save_status())}
            </p>
            <form class="survey-form" class:at-last=at_last on:submit=submit>
                {f
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let qid = q.id.clone();
                        let error = Signal::derive(move || errors.with(|e| e.get(&qid).map(str::to_string)));
                        view! {
                            <div class="survey-step" class:current=move || step.get() == i>
                                <QuestionField q=q.clone() number=i + 1 total skills=skills.clone() answers error />
                            </div>
                        }
                    })
                    .collect_view()}
                <ErrorAlert error=failure />
                {move || {
                    errors
                        .with(|e| e.get("answers").map(str::to_string))
                        .map(|m| {
                            view! {
                                <div class="alert alert-error" role="alert">
                                    {m}
                                </div>
                            }
                        })
                }}
                <div class="survey-nav">
                    <button
                        type="button"
                        class="button button-secondary"
                        disabled=move || step.get() == 0
                        on:click=move |_| step.update(|s| *s = s.saturating_sub(1))
                    >
                        "Back"
                    </button>
                    <span class="muted small">{move || format!("{} / {total}", step.get() + 1)}</span>
                    <button
                        type="button"
                        class="button survey-next"
                        on:click=move |_| step.update(|s| *s = (*s + 1).min(total.saturating_sub(1)))
                    >
                        "Next"
                    </button>
                </div>
                <button type="submit" class="button survey-submit" disabled=move || sending.get() || !f.open>
                    {move || if sending.get() { "Sending…" } else { "Submit answers" }}
                </button>
            </form>
        </Show>
    }
}
