//! The pair page's first-session fit check ("how is this pairing going?") and the notice an
//! ended pair shows instead of its forms.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form::{ErrorAlert, TextArea};
use crate::domain::pairs::api::answer_fit_check;
use crate::domain::pairs::types::{FitAnswer, FitCard, FitCheckInput, PairEnded};
use crate::error::{AppError, FieldErrors};

/// The read-only notice of an ended pair.
#[component]
pub fn EndedNotice(
    /// When and why.
    ended: PairEnded,
) -> impl IntoView {
    view! {
        <section class="panel notice notice-ended" role="status" aria-label="This pair has ended">
            <h2>{format!("This pair ended on {}", ended.on)}</h2>
            <p>{format!("Reason: {}", ended.reason)}</p>
            <p class="small muted">
                "Its meetings, goals and notes stay readable to the two of you and the program team; nothing new can be added."
            </p>
        </section>
    }
}

/// The fit check: three choices and an optional note to the program team, changeable later.
#[component]
pub fn FitCheck(
    /// The pair.
    pairing_id: String,
    /// The caller's answer so far.
    fit: FitCard,
) -> impl IntoView {
    let saved = RwSignal::new(fit.answer);
    let choice = RwSignal::new(fit.answer);
    let note = RwSignal::new(fit.note);
    let errors = RwSignal::new(FieldErrors::default());
    let failure = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let note_error = Signal::derive(move || errors.with(|e| e.get("note").map(str::to_string)));
    let choice_error = Signal::derive(move || errors.with(|e| e.get("answer").map(str::to_string)));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let Some(answer) = choice.get_untracked() else {
            let mut e = FieldErrors::default();
            e.add("answer", "Choose one of the three answers.");
            errors.set(e);
            return;
        };
        let input = FitCheckInput { pairing_id: pairing_id.clone(), answer, note: note.get_untracked() };
        if let Err(AppError::Validation(e)) = input.validate() {
            errors.set(e);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let res = answer_fit_check(input).await;
            busy.set(false);
            match res {
                Ok(card) => {
                    saved.set(card.answer);
                    errors.set(FieldErrors::default());
                }
                Err(AppError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <form id="fit" class="panel form fit-check" aria-labelledby="fit-title" novalidate on:submit=send>
            <h2 id="fit-title">"How is this pairing going?"</h2>
            <p class="small muted">
                "Your answer goes to the program team only. “Not a fit” asks them to look at the pairing; they may end it and match you again."
            </p>
            <fieldset class="fit-choices" aria-describedby="fit-answer-error">
                <legend class="visually-hidden">"Fit after your first session"</legend>
                {FitAnswer::ALL
                    .iter()
                    .map(|&a| {
                        let id = format!("fit-{}", a.as_str());
                        let label_for = id.clone();
                        view! {
                            <label class="choice fit-choice" for=label_for>
                                <input
                                    type="radio"
                                    name="fit"
                                    id=id
                                    value=a.as_str()
                                    prop:checked=move || choice.get() == Some(a)
                                    on:change=move |_| choice.set(Some(a))
                                />
                                <span>
                                    <strong>{a.label()}</strong>
                                    <span class="small muted">{a.hint()}</span>
                                </span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <p id="fit-answer-error" class="field-error" role="alert">
                {move || choice_error.get()}
            </p>
            <TextArea label="A note for the program team (optional)" name="fit-note" value=note error=note_error />
            <ErrorAlert error=failure />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || busy.get()>
                    {move || if saved.get().is_some() { "Update my answer" } else { "Send" }}
                </button>
                <span class="small" role="status">
                    {move || saved.get().map(|a| format!("Your answer: {}", a.label()))}
                </span>
            </div>
        </form>
    }
}
