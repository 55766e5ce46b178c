//! `/admin/surveys/:id`: the survey builder. Questions of seven kinds, required or optional,
//! reordered by dragging or with the ↑ ↓ buttons (keyboard); audience, anonymity and k; the
//! schedule; and beside it a phone-sized preview drawn with the participant's own components.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::question::QuestionField;
use crate::components::auth::RequireRole;
use crate::components::form::FormAlert;
use crate::components::page::{NotAvailable, PageHead};
use crate::domain::auth::types::Role;
use crate::domain::surveys::api::{
    close_survey, delete_survey, get_survey, save_survey, schedule_survey, unschedule_survey,
};
use crate::domain::surveys::types::{
    Answers, Audience, Measure, Question, QuestionKind, ScheduleKind, SurveyEdit, SurveyStatus,
};
use crate::error::AppError;

/// The page.
#[component]
pub fn SurveyBuilder() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let survey = Resource::new(|| (), move |_| get_survey(id.clone()));
    view! {
        <Title text="Survey builder" />
        <RequireRole role=Role::Admin>
            <Suspense fallback=|| {
                view! { <p class="loading">"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match survey.await {
                        Ok(s) => view! { <Builder initial=s /> }.into_any(),
                        Err(e) => {
                            view! { <NotAvailable eyebrow="Survey" e not_found="This survey does not exist." /> }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </RequireRole>
    }
}

/// The error of field `key` in `e`, if any.
fn field_of(e: &Option<AppError>, key: &str) -> Option<String> {
    e.as_ref().and_then(|e| e.field_message(key))
}

#[component]
fn Builder(initial: SurveyEdit) -> impl IntoView {
    let survey = RwSignal::new(initial.clone());
    let design = RwSignal::new(initial.design.clone());
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let dragged = RwSignal::new(None::<usize>);
    let new_kind = RwSignal::new(QuestionKind::Likert);
    let skills = StoredValue::new(initial.skills.clone());
    let phases = StoredValue::new(initial.phases.clone());
    let editable = move || survey.with(|s| matches!(s.status, SurveyStatus::Draft | SurveyStatus::Scheduled));
    let navigate = StoredValue::new_local(use_navigate());
    // Every button runs one call; the answer replaces the survey, or its error is shown.
    let run = move |what: &'static str| {
        if busy.get_untracked() {
            return;
        }
        let (id, version, d) = survey.with_untracked(|s| (s.id.clone(), s.version, design.get_untracked()));
        busy.set(true);
        notice.set(None);
        leptos::task::spawn_local(async move {
            let result = match what {
                "save" => save_survey(id, d, version).await,
                "schedule" => schedule_survey(id, d, version).await,
                "unschedule" => unschedule_survey(id, version).await,
                "close" => close_survey(id).await,
                _ => match delete_survey(id).await {
                    Ok(()) => {
                        navigate.with_value(|n| n("/admin/surveys", Default::default()));
                        busy.set(false);
                        return;
                    }
                    Err(e) => Err(e),
                },
            };
            match result {
                Ok(s) => {
                    notice.set(Some(match (what, s.status) {
                        ("schedule", SurveyStatus::Open) => {
                            "Scheduled, and open now: participants were notified.".into()
                        }
                        ("schedule", _) if s.opens.is_empty() => {
                            "Scheduled: it opens once the cohort's pairs are published.".into()
                        }
                        ("schedule", _) => format!("Scheduled: it opens on {}.", s.opens),
                        ("unschedule", _) => "Back to draft.".into(),
                        ("close", _) => "Closed: no more answers are taken.".into(),
                        _ => "Saved.".into(),
                    }));
                    design.set(s.design.clone());
                    survey.set(s);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let fe = move |key: &str| {
        let key = key.to_string();
        Signal::derive(move || error.with(|e| field_of(e, &key)))
    };
    let status = move || survey.with(|s| s.status);
    // The question list is drawn again only when questions are added, removed, moved or change
    // kind; typing goes to the fields in place (redrawing would take the focus away).
    let shape =
        Memo::new(move |_| design.with(|d| d.questions.iter().map(|q| (q.id.clone(), q.kind)).collect::<Vec<_>>()));
    let lead = format!("{} · {}", initial.cohort_name, initial.status.label());
    view! {
        <p class="breadcrumb">
            <a href="/admin/surveys">"← Surveys"</a>
        </p>
        <PageHead eyebrow="Survey builder" title=initial.design.title.clone() lead>
            <span class=move || format!("badge badge-{}", status())>{move || status().label()}</span>
        </PageHead>
        <div class="builder">
            <div class="builder-main">
                <Show when=move || !editable()>
                    <div class="alert alert-info" role="status">
                        "This survey has opened, so its questions are fixed. "
                        <a href=move || {
                            format!("/admin/surveys/{}/results", survey.with(|s| s.id.clone()))
                        }>"See the results"</a>
                    </div>
                </Show>
                <fieldset class="panel" disabled=move || !editable()>
                    <legend>"About"</legend>
                    <div class="field">
                        <label for="survey-title">"Title"</label>
                        <input
                            id="survey-title"
                            prop:value=move || design.with(|d| d.title.clone())
                            on:input=move |ev| design.update(|d| d.title = event_target_value(&ev))
                        />
                        <p class="field-error">{move || fe("title").get()}</p>
                    </div>
                    <div class="field">
                        <label for="survey-intro">"Introduction (optional)"</label>
                        <input
                            id="survey-intro"
                            prop:value=move || design.with(|d| d.intro.clone())
                            on:input=move |ev| design.update(|d| d.intro = event_target_value(&ev))
                        />
                    </div>
                    <div class="field-row">
                        <div class="field">
                            <label for="survey-audience">"Who is asked"</label>
                            <select
                                id="survey-audience"
                                prop:value=move || design.with(|d| d.audience.as_str())
                                on:change=move |ev| {
                                    if let Some(a) = Audience::parse(&event_target_value(&ev)) {
                                        design.update(|d| d.audience = a);
                                    }
                                }
                            >
                                {Audience::ALL
                                    .iter()
                                    .map(|a| view! { <option value=a.as_str()>{a.label()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="survey-k">"Smallest group shown (k)"</label>
                            <input
                                id="survey-k"
                                type="number"
                                min="3"
                                max="50"
                                prop:value=move || design.with(|d| d.min_group.to_string())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev).trim().parse().unwrap_or(0);
                                    design.update(|d| d.min_group = v);
                                }
                            />
                            <p class="field-error">{move || fe("min_group").get()}</p>
                        </div>
                    </div>
                    <label class="check">
                        <input
                            type="checkbox"
                            id="survey-anonymous"
                            prop:checked=move || design.with(|d| d.anonymous)
                            disabled=move || survey.with(|s| s.has_answers)
                            on:change=move |ev| design.update(|d| d.anonymous = event_target_checked(&ev))
                        />
                        " Anonymous: answers are stored without the respondent (participants are told before they answer)"
                    </label>
                    <p class="field-error">{move || fe("anonymous").get()}</p>
                </fieldset>
                <fieldset class="panel" disabled=move || !editable()>
                    <legend>"Questions"</legend>
                    {move || {
                        design
                            .with(|d| d.length_warning())
                            .map(|w| {
                                view! {
                                    <p class="alert alert-warn" role="status">
                                        {w}
                                    </p>
                                }
                            })
                    }}
                    <p class="field-error">{move || fe("questions").get()}</p>
                    <ol class="question-list">
                        {move || {
                            let n = shape.with(Vec::len);
                            (0..n)
                                .map(|i| {
                                    view! {
                                        <QuestionEditor
                                            i
                                            n
                                            design
                                            dragged
                                            error=error.into()
                                            skills=skills.get_value().len()
                                        />
                                    }
                                })
                                .collect_view()
                        }}
                    </ol>
                    <div class="field-row add-question">
                        <div class="field">
                            <label for="new-question-kind">"Add a question"</label>
                            <select
                                id="new-question-kind"
                                prop:value=move || new_kind.get().as_str()
                                on:change=move |ev| {
                                    if let Some(k) = QuestionKind::parse(&event_target_value(&ev)) {
                                        new_kind.set(k);
                                    }
                                }
                            >
                                {QuestionKind::ALL
                                    .iter()
                                    .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                        <button
                            type="button"
                            class="button button-secondary"
                            on:click=move |_| {
                                design
                                    .update(|d| {
                                        let id = d.next_question_id();
                                        d.questions.push(Question::new(id, new_kind.get_untracked(), ""));
                                    })
                            }
                        >
                            "Add question"
                        </button>
                    </div>
                </fieldset>
                <fieldset class="panel" disabled=move || !editable()>
                    <legend>"Schedule"</legend>
                    <ScheduleFields design error=error.into() phases=phases.get_value() />
                </fieldset>
                <FormAlert error=error />
                {move || {
                    notice
                        .get()
                        .map(|n| {
                            view! {
                                <p class="alert alert-info" role="status">
                                    {n}
                                </p>
                            }
                        })
                }}
                <div class="builder-actions">
                    <Show when=editable>
                        <button
                            type="button"
                            class="button button-secondary"
                            disabled=move || busy.get()
                            on:click=move |_| run("save")
                        >
                            "Save draft"
                        </button>
                        <button
                            type="button"
                            class="button"
                            disabled=move || busy.get()
                            on:click=move |_| run("schedule")
                        >
                            "Schedule"
                        </button>
                    </Show>
                    <Show when=move || status() == SurveyStatus::Scheduled>
                        <button
                            type="button"
                            class="button button-secondary"
                            disabled=move || busy.get()
                            on:click=move |_| run("unschedule")
                        >
                            "Back to draft"
                        </button>
                    </Show>
                    <Show when=move || status() == SurveyStatus::Open>
                        <button
                            type="button"
                            class="button button-secondary"
                            disabled=move || busy.get()
                            on:click=move |_| run("close")
                        >
                            "Close now"
                        </button>
                    </Show>
                    <Show when=move || status() == SurveyStatus::Draft>
                        <button
                            type="button"
                            class="button button-danger"
                            disabled=move || busy.get()
                            on:click=move |_| run("delete")
                        >
                            "Delete draft"
                        </button>
                    </Show>
                </div>
            </div>
            <aside class="builder-preview" aria-label="Preview on a phone">
                <h2 class="small muted">"Preview: what a participant sees on a phone"</h2>
                <div class="phone-frame">
                    {move || {
                        let d = design.get();
                        let answers = RwSignal::new(Answers::new());
                        let n = d.questions.len();
                        view! {
                            <p class="survey-privacy">
                                {if d.anonymous {
                                    format!(
                                        "Anonymous: your answers are stored without your name. Results show for groups of at least {}.",
                                        d.min_group,
                                    )
                                } else {
                                    "Attributed: your answers are stored with your name.".to_string()
                                }}
                            </p>
                            <h3>{d.title.clone()}</h3>
                            {d
                                .questions
                                .into_iter()
                                .enumerate()
                                .map(|(i, q)| {
                                    view! {
                                        <QuestionField
                                            q
                                            number=i + 1
                                            total=n
                                            skills=skills.get_value()
                                            answers
                                            error=Signal::stored(None::<String>)
                                            scope="preview-"
                                        />
                                    }
                                })
                                .collect_view()}
                        }
                    }}
                </div>
            </aside>
        </div>
    }
}

#[component]
fn QuestionEditor(
    i: usize,
    n: usize,
    design: RwSignal<crate::domain::surveys::types::SurveyDesign>,
    dragged: RwSignal<Option<usize>>,
    error: Signal<Option<AppError>>,
    skills: usize,
) -> impl IntoView {
    let q = move || design.with(|d| d.questions.get(i).cloned());
    let Some(first) = q() else { return ().into_any() };
    let kind = first.kind;
    let edit = move |f: &dyn Fn(&mut Question)| {
        design.update(|d| {
            if let Some(q) = d.questions.get_mut(i) {
                f(q)
            }
        })
    };
    let move_to = move |to: usize| {
        design.update(|d| {
            if i < d.questions.len() && to < d.questions.len() {
                let q = d.questions.remove(i);
                d.questions.insert(to, q);
            }
        })
    };
    let fe = move |part: &str| {
        let key = format!("q.{i}.{part}");
        Signal::derive(move || error.with(|e| field_of(e, &key)))
    };
    let text_id = format!("q-{i}-text");
    let is_last = i + 1 >= n;
    view! {
        <li
            class="question-editor"
            draggable="true"
            on:dragstart=move |_| dragged.set(Some(i))
            on:dragover=move |ev| ev.prevent_default()
            on:drop=move |ev| {
                ev.prevent_default();
                if let Some(from) = dragged.get_untracked() {
                    if from != i {
                        design
                            .update(|d| {
                                let q = d.questions.remove(from);
                                d.questions.insert(i, q);
                            });
                    }
                }
                dragged.set(None);
            }
        >
            <div class="question-head">
                <span class="drag-handle" aria-hidden="true" title="Drag to reorder">
                    "⠿"
                </span>
                <span class="muted small">{format!("{}. {}", i + 1, kind.label())}</span>
                <span class="question-tools">
                    <button
                        type="button"
                        class="button button-small button-secondary"
                        aria-label=format!("Move question {} up", i + 1)
                        disabled=i == 0
                        on:click=move |_| move_to(i.saturating_sub(1))
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="button button-small button-secondary"
                        aria-label=format!("Move question {} down", i + 1)
                        disabled=is_last
                        on:click=move |_| move_to(i + 1)
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label=format!("Remove question {}", i + 1)
                        on:click=move |_| {
                            design
                                .update(|d| {
                                    d.questions.remove(i);
                                })
                        }
                    >
                        "Remove"
                    </button>
                </span>
            </div>
            <div class="field">
                <label for=text_id.clone()>"Question"</label>
                <input
                    id=text_id
                    class="question-text"
                    prop:value=move || q().map(|q| q.text).unwrap_or_default()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(&|q| q.text = v.clone());
                    }
                />
                <p class="field-error">{move || fe("text").get()}</p>
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || q().is_some_and(|q| q.required)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(&|q| q.required = on);
                    }
                />
                " Required"
            </label>
            {kind
                .has_options()
                .then(|| {
                    let id = format!("q-{i}-options");
                    view! {
                        <div class="field">
                            <label for=id.clone()>"Options, one per line"</label>
                            <textarea
                                id=id
                                rows="3"
                                prop:value=move || q().map(|q| q.options.join("\n")).unwrap_or_default()
                                on:change=move |ev| {
                                    let v: Vec<String> = event_target_value(&ev)
                                        .lines()
                                        .map(str::to_string)
                                        .filter(|l| !l.trim().is_empty())
                                        .collect();
                                    edit(&|q| q.options = v.clone());
                                }
                            ></textarea>
                            <p class="field-error">{move || fe("options").get()}</p>
                        </div>
                    }
                })}
            {(kind.is_scale() || kind == QuestionKind::Skills)
                .then(|| {
                    view! {
                        <div class="field-row">
                            <div class="field">
                                <label for=format!("q-{i}-low")>"Low end"</label>
                                <input
                                    id=format!("q-{i}-low")
                                    prop:value=move || q().map(|q| q.low_label).unwrap_or_default()
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        edit(&|q| q.low_label = v.clone());
                                    }
                                />
                            </div>
                            <div class="field">
                                <label for=format!("q-{i}-high")>"High end"</label>
                                <input
                                    id=format!("q-{i}-high")
                                    prop:value=move || q().map(|q| q.high_label).unwrap_or_default()
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        edit(&|q| q.high_label = v.clone());
                                    }
                                />
                            </div>
                        </div>
                    }
                })}
            {kind
                .is_scale()
                .then(|| {
                    view! {
                        <div class="field">
                            <label for=format!("q-{i}-measure")>"Measures (for objectives and dashboards)"</label>
                            <select
                                id=format!("q-{i}-measure")
                                prop:value=move || q().map(|q| q.measure.as_str()).unwrap_or("none")
                                on:change=move |ev| {
                                    if let Some(m) = Measure::parse(&event_target_value(&ev)) {
                                        edit(&|q| q.measure = m);
                                    }
                                }
                            >
                                {Measure::ALL
                                    .iter()
                                    .map(|m| view! { <option value=m.as_str()>{m.label()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            {(kind == QuestionKind::Skills)
                .then(|| {
                    view! { <p class="muted small">{format!("Asks for each of the program's {skills} skills.")}</p> }
                })}
        </li>
    }
    .into_any()
}

#[component]
fn ScheduleFields(
    design: RwSignal<crate::domain::surveys::types::SurveyDesign>,
    error: Signal<Option<AppError>>,
    phases: Vec<String>,
) -> impl IntoView {
    let kind = move || design.with(|d| d.schedule.kind);
    let fe = move |key: &'static str| Signal::derive(move || error.with(|e| field_of(e, key)));
    let num = move |ev: &leptos::ev::Event| event_target_value(ev).trim().parse::<u32>().unwrap_or(0);
    view! {
        <div class="field">
            <label for="schedule-kind">"Opens"</label>
            <select
                id="schedule-kind"
                prop:value=move || kind().as_str()
                on:change=move |ev| {
                    if let Some(k) = ScheduleKind::parse(&event_target_value(&ev)) {
                        design.update(|d| d.schedule.kind = k);
                    }
                }
            >
                {ScheduleKind::ALL
                    .iter()
                    .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
                    .collect_view()}
            </select>
        </div>
        <Show when=move || kind() == ScheduleKind::Date>
            <div class="field">
                <label for="schedule-date">"Opening date"</label>
                <input
                    id="schedule-date"
                    type="date"
                    prop:value=move || design.with(|d| d.schedule.date.clone())
                    on:input=move |ev| design.update(|d| d.schedule.date = event_target_value(&ev))
                />
                <p class="field-error">{move || fe("schedule.date").get()}</p>
            </div>
        </Show>
        <Show when=move || kind() == ScheduleKind::AfterPublish>
            <div class="field">
                <label for="schedule-days">"Days after the pairs are published"</label>
                <input
                    id="schedule-days"
                    type="number"
                    min="0"
                    max="365"
                    prop:value=move || design.with(|d| d.schedule.days.to_string())
                    on:input=move |ev| {
                        let v = num(&ev);
                        design.update(|d| d.schedule.days = v);
                    }
                />
                <p class="field-error">{move || fe("schedule.days").get()}</p>
            </div>
        </Show>
        <Show when=move || kind() == ScheduleKind::PhaseEnd>
            <div class="field">
                <label for="schedule-phase">"Phase"</label>
                <select
                    id="schedule-phase"
                    prop:value=move || design.with(|d| d.schedule.phase.to_string())
                    on:change=move |ev| {
                        let v = num(&ev);
                        design.update(|d| d.schedule.phase = v);
                    }
                >
                    {phases
                        .iter()
                        .enumerate()
                        .map(|(i, p)| {
                            view! { <option value=(i + 1).to_string()>{format!("{}. {p}", i + 1)}</option> }
                        })
                        .collect_view()}
                </select>
                <p class="field-error">{move || fe("schedule.phase").get()}</p>
            </div>
        </Show>
        <div class="field-row">
            <div class="field">
                <label for="schedule-open-days">"Days open"</label>
                <input
                    id="schedule-open-days"
                    type="number"
                    min="1"
                    max="60"
                    prop:value=move || design.with(|d| d.schedule.open_days.to_string())
                    on:input=move |ev| {
                        let v = num(&ev);
                        design.update(|d| d.schedule.open_days = v);
                    }
                />
                <p class="field-error">{move || fe("schedule.open_days").get()}</p>
            </div>
            <div class="field">
                <label for="schedule-remind">"Remind, days before closing (0: never)"</label>
                <input
                    id="schedule-remind"
                    type="number"
                    min="0"
                    max="59"
                    prop:value=move || design.with(|d| d.schedule.remind_days_before.to_string())
                    on:input=move |ev| {
                        let v = num(&ev);
                        design.update(|d| d.schedule.remind_days_before = v);
                    }
                />
                <p class="field-error">{move || fe("schedule.remind_days_before").get()}</p>
            </div>
        </div>
        <label class="check">
            <input
                type="checkbox"
                id="schedule-repeat"
                prop:checked=move || design.with(|d| d.schedule.repeat_monthly)
                on:change=move |ev| design.update(|d| d.schedule.repeat_monthly = event_target_checked(&ev))
            />
            " Repeat monthly until the cohort ends"
        </label>
    }
}
