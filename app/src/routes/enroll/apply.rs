//! The application form: the answers, the capacity and the matching preferences.

use leptos::prelude::*;

use super::*;

#[component]
pub(super) fn ApplyForm(
    side: Side,
    questions: Vec<String>,
    previous: std::collections::BTreeMap<String, String>,
    previous_capacity: String,
    default_capacity: String,
    cohort_id: String,
    open_form: RwSignal<Option<Side>>,
    send: Action<ApplicationInput, Keyed<Application>>,
    skills: Vec<(String, String)>,
    mentors: Vec<(String, String)>,
    prefs: MatchPrefs,
    fresh: bool,
) -> impl IntoView {
    let prefs = RwSignal::new(prefs);
    if fresh {
        // A first application starts in the browser's own time zone.
        Effect::new(move |_| {
            #[cfg(feature = "hydrate")]
            {
                let minutes_west = js_sys::Date::new_0().get_timezone_offset();
                let hours_east = (-minutes_west / 60.0).round() as i32;
                if UTC_OFFSETS.contains(&hours_east) {
                    prefs.update(|p| p.utc_offset = hours_east);
                }
            }
        });
    }
    let answers: Vec<(String, RwSignal<String>)> =
        questions.iter().map(|q| (q.clone(), RwSignal::new(previous.get(q).cloned().unwrap_or_default()))).collect();
    let answers = StoredValue::new(answers);
    let capacity = RwSignal::new(previous_capacity);
    let result = row_result(send, form_key(&cohort_id, side.as_str()));
    let form_error = action_error(result);
    let capacity_error = crate::components::form::field_error(result, "capacity");
    let other_error = move || match result() {
        Some(Err(e)) => ["side", "cohort_id", "answers"].iter().find_map(|f| e.field_message(f)),
        _ => None,
    };
    let heading = format!("Apply as {}", side.as_str());
    let aria = heading.clone();
    view! {
        <form
            class="form apply-form"
            novalidate
            aria-label=aria
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let answers = answers.with_value(|a| a.iter().map(|(q, v)| (q.clone(), v.get_untracked())).collect());
                send.dispatch(ApplicationInput {
                    cohort_id: cohort_id.clone(),
                    side: side.as_str().into(),
                    answers,
                    capacity: capacity.get_untracked(),
                    prefs: prefs.get_untracked(),
                });
            }
        >
            <h3>{heading}</h3>
            <FormAlert error=form_error />
            {move || {
                other_error()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            {answers
                .with_value(|a| {
                    a.iter()
                        .enumerate()
                        .map(|(i, (q, value))| {
                            let error = Signal::derive(move || match result() {
                                Some(Err(e)) => e.field_message(&format!("answers.{i}")),
                                _ => None,
                            });
                            view! {
                                <TextArea
                                    label=q.clone()
                                    name=format!("{}-answer-{i}", side.as_str())
                                    value=*value
                                    error
                                    rows=2
                                />
                            }
                        })
                        .collect_view()
                })}
            {questions
                .is_empty()
                .then(|| view! { <p class="muted small">"No questions to answer: your profile is all we need."</p> })}
            {(side == Side::Mentor)
                .then(|| {
                    let hint = format!("1 to 10. Leave blank for the program's default ({default_capacity}).");
                    view! {
                        <div class="field" class:field-invalid=move || capacity_error.get().is_some()>
                            <label for="field-mentor-capacity">"How many mentees can you take?"</label>
                            <p class="hint">{hint}</p>
                            <input
                                id="field-mentor-capacity"
                                type="number"
                                min="1"
                                max="10"
                                inputmode="numeric"
                                prop:value=move || capacity.get()
                                on:input=move |ev| capacity.set(event_target_value(&ev))
                            />
                            <p class="field-error" aria-live="polite">
                                {move || capacity_error.get()}
                            </p>
                        </div>
                    }
                })}
            <PrefsFields side skills mentors prefs result=Signal::derive(result) />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || send.pending().get()>
                    "Send application"
                </button>
                <button type="button" class="button button-ghost" on:click=move |_| open_form.set(None)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// The matching preferences of an application: skills, meeting times, time zone, remote,
/// approach. Field errors come from the server's check under `prefs.*`.
#[component]
fn PrefsFields(
    side: Side,
    skills: Vec<(String, String)>,
    mentors: Vec<(String, String)>,
    prefs: RwSignal<MatchPrefs>,
    result: Signal<Option<Result<Application, AppError>>>,
) -> impl IntoView {
    let wishes_error = Signal::derive(move || match result.get() {
        Some(Err(e)) => e.field_message("prefs.wishes"),
        _ => None,
    });
    // Picking a mentor at rank k keeps the list in order and without gaps or repeats.
    let set_wish = move |k: usize, id: String| {
        prefs.update(|p| {
            let mut w: Vec<String> = p.wishes.clone();
            w.resize(WISHES_MAX, String::new());
            w[k] = id;
            let mut seen = Vec::new();
            for x in w.into_iter().filter(|x| !x.is_empty()) {
                if !seen.contains(&x) {
                    seen.push(x);
                }
            }
            p.wishes = seen;
        })
    };
    let error = move |field: &'static str| {
        Signal::derive(move || match result.get() {
            Some(Err(e)) => e.field_message(field),
            _ => None,
        })
    };
    let (skills_error, slots_error, approach_error, tz_error) =
        (error("prefs.skills"), error("prefs.slots"), error("prefs.approaches"), error("prefs.utc_offset"));
    let toggle = move |list: fn(&mut MatchPrefs) -> &mut Vec<String>, key: String, on: bool| {
        prefs.update(|p| {
            let l = list(p);
            l.retain(|k| *k != key);
            if on {
                l.push(key);
            }
        })
    };
    let skills_legend = match side {
        Side::Mentee => "Skills you want to develop (up to 5)",
        Side::Mentor => "Skills you can help with (up to 5)",
    };
    let id = side.as_str();
    view! {
        <fieldset class="prefs">
            <legend>"For matching"</legend>
            {(!skills.is_empty())
                .then(|| {
                    view! {
                        <div class="field" class:field-invalid=move || skills_error.get().is_some()>
                            <p class="label" id=format!("{id}-skills-label")>
                                {skills_legend}
                            </p>
                            <div class="chips" role="group" aria-labelledby=format!("{id}-skills-label")>
                                {skills
                                    .iter()
                                    .map(|(sid, name)| {
                                        let (a, b) = (sid.clone(), sid.clone());
                                        view! {
                                            <label class="chip">
                                                <input
                                                    type="checkbox"
                                                    prop:checked=move || prefs.with(|p| p.skills.contains(&a))
                                                    on:change=move |ev| toggle(
                                                        |p| &mut p.skills,
                                                        b.clone(),
                                                        event_target_checked(&ev),
                                                    )
                                                />
                                                {name.clone()}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            <p class="field-error" aria-live="polite">
                                {move || skills_error.get()}
                            </p>
                        </div>
                    }
                })}
            <div class="field" class:field-invalid=move || slots_error.get().is_some()>
                <p class="label" id=format!("{id}-slots-label")>
                    "When can you meet? (your local time)"
                </p>
                <table class="slots" aria-labelledby=format!("{id}-slots-label")>
                    <thead>
                        <tr>
                            <th></th>
                            {DAYS.iter().map(|(_, d)| view! { <th scope="col">{*d}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {BLOCKS
                            .iter()
                            .map(|(b, label, from, to)| {
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {*label}<span class="muted small">{format!(" {from}–{to}")}</span>
                                        </th>
                                        {DAYS
                                            .iter()
                                            .map(|(d, day)| {
                                                let key = slot_key(d, b);
                                                let k2 = key.clone();
                                                let aria = format!("{day} {}", label.to_lowercase());
                                                view! {
                                                    <td>
                                                        <input
                                                            type="checkbox"
                                                            aria-label=aria
                                                            prop:checked=move || prefs.with(|p| p.slots.contains(&key))
                                                            on:change=move |ev| toggle(
                                                                |p| &mut p.slots,
                                                                k2.clone(),
                                                                event_target_checked(&ev),
                                                            )
                                                        />
                                                    </td>
                                                }
                                            })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <p class="field-error" aria-live="polite">
                    {move || slots_error.get()}
                </p>
            </div>
            <div class="field" class:field-invalid=move || tz_error.get().is_some()>
                <label for=format!("{id}-tz")>"Your time zone"</label>
                <select
                    id=format!("{id}-tz")
                    prop:value=move || prefs.with(|p| p.utc_offset.to_string())
                    on:change=move |ev| {
                        if let Ok(h) = event_target_value(&ev).parse() {
                            prefs.update(|p| p.utc_offset = h)
                        }
                    }
                >
                    {UTC_OFFSETS
                        .map(|h| {
                            view! {
                                <option value=h
                                    .to_string()>{if h == 0 { "UTC".to_string() } else { format!("UTC{h:+}") }}</option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="field-error" aria-live="polite">
                    {move || tz_error.get()}
                </p>
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || prefs.with(|p| p.remote_ok)
                    on:change=move |ev| prefs.update(|p| p.remote_ok = event_target_checked(&ev))
                />
                "Remote meetings are fine"
            </label>
            <div class="field" class:field-invalid=move || approach_error.get().is_some()>
                {match side {
                    Side::Mentee => {
                        view! {
                            <label for="mentee-approach">"Preferred mentoring approach"</label>
                            <select
                                id="mentee-approach"
                                prop:value=move || prefs.with(|p| p.approaches.first().cloned().unwrap_or_default())
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    prefs.update(|p| p.approaches = if v.is_empty() { vec![] } else { vec![v] })
                                }
                            >
                                <option value="">"No preference"</option>
                                {PREF_APPROACHES
                                    .iter()
                                    .filter_map(|a| ApproachKind::parse(a))
                                    .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                                    .collect_view()}
                            </select>
                        }
                            .into_any()
                    }
                    Side::Mentor => {
                        view! {
                            <p class="label" id="mentor-approaches-label">
                                "Approaches you practise"
                            </p>
                            <div class="chips" role="group" aria-labelledby="mentor-approaches-label">
                                {PREF_APPROACHES
                                    .iter()
                                    .filter_map(|a| ApproachKind::parse(a))
                                    .map(|k| {
                                        let (a, b) = (k.as_str().to_string(), k.as_str().to_string());
                                        view! {
                                            <label class="chip">
                                                <input
                                                    type="checkbox"
                                                    prop:checked=move || prefs.with(|p| p.approaches.contains(&a))
                                                    on:change=move |ev| toggle(
                                                        |p| &mut p.approaches,
                                                        b.clone(),
                                                        event_target_checked(&ev),
                                                    )
                                                />
                                                {k.label()}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                }}
                <p class="field-error" aria-live="polite">
                    {move || approach_error.get()}
                </p>
            </div>
            {(side == Side::Mentee && !mentors.is_empty())
                .then(|| {
                    view! {
                        <div class="field" class:field-invalid=move || wishes_error.get().is_some()>
                            <p class="label">"Mentors you would like (optional, best first)"</p>
                            <p class="hint">
                                "Matching weighs your wishes with everything else; it cannot promise them."
                            </p>
                            <div class="wishes">
                                {(0..WISHES_MAX)
                                    .map(|k| {
                                        let options = mentors.clone();
                                        let label = ["1st choice", "2nd choice", "3rd choice"][k];
                                        view! {
                                            <label class="wish">
                                                <span class="small">{label}</span>
                                                <select
                                                    aria-label=format!("Mentor wish, {label}")
                                                    prop:value=move || {
                                                        prefs.with(|p| p.wishes.get(k).cloned().unwrap_or_default())
                                                    }
                                                    on:change=move |ev| set_wish(k, event_target_value(&ev))
                                                >
                                                    <option value="">"—"</option>
                                                    {options
                                                        .into_iter()
                                                        .map(|(id, name)| view! { <option value=id>{name}</option> })
                                                        .collect_view()}
                                                </select>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            <p class="field-error" aria-live="polite">
                                {move || wishes_error.get()}
                            </p>
                        </div>
                    }
                })}
        </fieldset>
    }
}
