//! `/cohorts`: cohorts open for applications. People apply for themselves as mentee or mentor,
//! see the verdict per rule, follow their applications and, as managers, nominate their team.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::auth::RequireRole;
use crate::components::form::{action_error, row_result, successes, FormAlert, Keyed, TextArea};
use crate::components::page::PageHead;
use crate::components::verdict::{RulesOutline, Verdict};
use crate::domain::enrollment::api::{
    apply, my_applications, my_reports, nominate, open_cohorts, withdraw_application,
};
use crate::domain::enrollment::types::{
    slot_key, Application, ApplicationInput, ApplicationStatus, MatchPrefs, OpenCohort, Report, Side, BLOCKS, DAYS,
    PREF_APPROACHES, UTC_OFFSETS, WISHES_MAX,
};
use crate::domain::program::types::ApproachKind;
use crate::error::AppError;

/// The page.
#[component]
pub fn Enroll() -> impl IntoView {
    view! {
        <Title text="Join a program" />
        <RequireRole>
            <EnrollBody />
        </RequireRole>
    }
}

/// The key of one application form: the cohort and the side.
fn form_key(cohort_id: &str, side: &str) -> String {
    format!("{cohort_id}/{side}")
}

/// The page's actions, shared by every cohort card (the result names the form or application),
/// so the lists can reload on their versions.
#[derive(Clone, Copy)]
struct EnrollActions {
    send: Action<ApplicationInput, Keyed<Application>>,
    withdraw: Action<String, Keyed<Application>>,
}

#[component]
fn EnrollBody() -> impl IntoView {
    let actions = EnrollActions {
        send: Action::new(|input: &ApplicationInput| {
            let (key, call) = (form_key(&input.cohort_id, &input.side), apply(input.clone()));
            async move { (key, call.await) }
        }),
        withdraw: Action::new(|id: &String| {
            let (key, call) = (id.clone(), withdraw_application(id.clone()));
            async move { (key, call.await) }
        }),
    };
    // Cohorts and applications reload after an application is sent or withdrawn (a reload redraws
    // the cohort cards, closing the form).
    let (sent, withdrawn) = (successes(actions.send), successes(actions.withdraw));
    let cohorts = Resource::new(move || (sent.get(), withdrawn.get()), |_| open_cohorts());
    let mine = Resource::new(move || (sent.get(), withdrawn.get()), |_| my_applications());
    let reports = Resource::new(|| (), |_| my_reports());
    view! {
        <PageHead
            eyebrow="Programs"
            title="Join a program"
            lead="Cohorts open for applications. Apply as a mentee to grow as a leader, or as a mentor to help others grow. You see at once which criteria you meet."
        />
        <Transition fallback=|| {
            view! { <p class="loading">"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                cohorts
                    .await
                    .map(|list| {
                        if list.is_empty() {
                            return view! {
                                <section class="panel">
                                    <p class="empty">"No cohort is taking applications right now. Check back soon."</p>
                                </section>
                            }
                                .into_any();
                        }
                        list.into_iter().map(|c| view! { <CohortCard c actions /> }).collect_view().into_any()
                    })
            })}
        </Transition>
        <section class="panel" aria-labelledby="mine-title">
            <h2 id="mine-title">"My applications"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    mine.await
                        .map(|list| {
                            if list.is_empty() {
                                return view! { <p class="empty">"You have not applied to a cohort yet."</p> }
                                    .into_any();
                            }
                            view! {
                                <ul class="application-list">
                                    {list
                                        .into_iter()
                                        .map(|a| {
                                            view! {
                                                <li>
                                                    <strong>
                                                        {format!("{} · {}", a.program_name, a.cohort_name)}
                                                    </strong>
                                                    <span class="muted">{format!(" as {}", a.side.as_str())}</span>
                                                    <span class=format!(
                                                        "badge badge-{}",
                                                        a.status,
                                                    )>{a.status.label()}</span>
                                                    {(!a.decision_reason.is_empty())
                                                        .then(|| {
                                                            view! {
                                                                <p class="small">
                                                                    {format!("Reason: {}", a.decision_reason)}
                                                                </p>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        })
                })}
            </Transition>
        </section>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let team = reports.await.unwrap_or_default();
                let open = cohorts.await.unwrap_or_default();
                (!team.is_empty() && !open.is_empty()).then(|| view! { <Nominations team open /> })
            })}
        </Transition>
    }
}

#[component]
fn CohortCard(c: OpenCohort, actions: EnrollActions) -> impl IntoView {
    let open_form = RwSignal::new(None::<Side>);
    let questions = StoredValue::new(c.questions.clone());
    let default_capacity = StoredValue::new(c.default_capacity.clone());
    let cohort_id = StoredValue::new(c.cohort.id.clone());
    let title = format!("{} · {}", c.cohort.program_name, c.cohort.name);
    let aria = title.clone();
    let meta =
        format!("{} → {} · {} · meetings {}", c.cohort.starts, c.cohort.ends, c.approach, c.cohort.meeting_cadence);
    let sides = [(Side::Mentee, c.mentee_rules.clone()), (Side::Mentor, c.mentor_rules.clone())];
    let mine = StoredValue::new(c.mine.clone());
    let skills = StoredValue::new(c.skills.clone());
    let mentors = StoredValue::new(c.mentors.clone());
    let profile = StoredValue::new((c.profile_wanted.clone(), c.profile_offered.clone()));
    view! {
        <section class="panel open-cohort" aria-label=aria>
            <h2>{title}</h2>
            <p class="muted small">{meta}</p>
            {(!c.purpose.is_empty()).then(|| view! { <p>{c.purpose.clone()}</p> })}
            <div class="grid-2">
                {sides
                    .into_iter()
                    .map(|(side, outline)| {
                        let existing = mine.with_value(|m| m.iter().find(|a| a.side == side).cloned());
                        let can_apply = existing
                            .as_ref()
                            .is_none_or(|a| {
                                matches!(a.status, ApplicationStatus::Pending | ApplicationStatus::Withdrawn)
                            });
                        let button_label = match existing.as_ref().map(|a| a.status) {
                            Some(ApplicationStatus::Pending) => "Update my answers".to_string(),
                            Some(ApplicationStatus::Withdrawn) => format!("Apply again as {}", side.as_str()),
                            _ => format!("Apply as {}", side.as_str()),
                        };
                        view! {
                            <div class="side">
                                <h3>{format!("{}s", side.label())}</h3>
                                <p class="small muted">"Who may join:"</p>
                                <RulesOutline outline />
                                {existing.map(|a| view! { <MyApplication a withdraw=actions.withdraw /> })}
                                <Show when=move || can_apply && open_form.get() != Some(side)>
                                    <button type="button" class="button" on:click=move |_| open_form.set(Some(side))>
                                        {button_label.clone()}
                                    </button>
                                </Show>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                open_form
                    .get()
                    .map(|side| {
                        let previous = mine
                            .with_value(|m| m.iter().find(|a| a.side == side).map(|a| a.answers.clone()))
                            .unwrap_or_default();
                        let previous_capacity = mine
                            .with_value(|m| m.iter().find(|a| a.side == side).and_then(|a| a.capacity))
                            .map(|c| c.to_string())
                            .unwrap_or_default();
                        let previous_prefs = mine
                            .with_value(|m| m.iter().find(|a| a.side == side).and_then(|a| a.prefs.clone()));
                        let (wanted, offered) = profile.get_value();
                        let fresh = previous_prefs.is_none();
                        let prefs = previous_prefs
                            .unwrap_or_else(|| MatchPrefs {
                                skills: if side == Side::Mentee { wanted } else { offered },
                                ..MatchPrefs::default()
                            });
                        view! {
                            <ApplyForm
                                side
                                questions=questions.get_value()
                                previous
                                previous_capacity
                                default_capacity=default_capacity.get_value()
                                cohort_id=cohort_id.get_value()
                                open_form
                                send=actions.send
                                skills=skills.get_value()
                                mentors=mentors.get_value()
                                prefs
                                fresh
                            />
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn MyApplication(a: Application, withdraw: Action<String, Keyed<Application>>) -> impl IntoView {
    let result = row_result(withdraw, a.id.clone());
    let id = a.id.clone();
    let pending = a.status == ApplicationStatus::Pending;
    let eligible = a.eligible;
    view! {
        <div class="my-application" role="status">
            <p>
                <strong>"Your application: "</strong>
                <span class=format!("badge badge-{}", a.status)>{a.status.label()}</span>
                <span class="muted small">{format!(" sent {}", a.applied_on)}</span>
            </p>
            {(!a.decision_reason.is_empty())
                .then(|| view! { <p class="decision-reason">{format!("Reason: {}", a.decision_reason)}</p> })}
            {a
                .capacity
                .map(|c| {
                    view! {
                        <p class="small">{format!("You take up to {c} mentee{}.", if c == 1 { "" } else { "s" })}</p>
                    }
                })}
            {match a.verdict.clone() {
                None => view! { <p class="small">"This side has no entry criteria."</p> }.into_any(),
                Some(v) => {
                    view! {
                        <p class="small">
                            {if eligible {
                                "You meet the criteria:"
                            } else {
                                "You do not meet every criterion yet — an admin may still approve with a reason:"
                            }}
                        </p>
                        <Verdict verdict=v />
                    }
                        .into_any()
                }
            }}
            {pending
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-small button-ghost"
                            disabled=move || withdraw.pending().get()
                            on:click=move |_| {
                                withdraw.dispatch(id.clone());
                            }
                        >
                            "Withdraw"
                        </button>
                    }
                })}
            {move || {
                result()
                    .and_then(|r| r.err())
                    .map(|e| {
                        view! {
                            <p class="field-error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn ApplyForm(
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

#[component]
fn Nominations(team: Vec<Report>, open: Vec<OpenCohort>) -> impl IntoView {
    let team = RwSignal::new(team);
    // The server answers with the team as it now stands.
    let toggle = Action::new(move |(cohort, user, on): &(String, String, bool)| {
        let call = nominate(cohort.clone(), user.clone(), *on);
        async move {
            let answer = call.await;
            if let Ok(list) = &answer {
                team.set(list.clone());
            }
            answer
        }
    });
    let error =
        move || toggle.value().get().and_then(|r: Result<Vec<Report>, AppError>| r.err()).map(|e| e.to_string());
    let cohorts: Vec<(String, String)> =
        open.iter().map(|c| (c.cohort.id.clone(), format!("{} · {}", c.cohort.program_name, c.cohort.name))).collect();
    let cohorts = StoredValue::new(cohorts);
    view! {
        <section class="panel" aria-labelledby="team-title">
            <h2 id="team-title">"Nominate your team"</h2>
            <p class="muted small">
                "Programs may ask for a manager's nomination. Your nomination counts as soon as you tick it."
            </p>
            {move || {
                error()
                    .map(|m| {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {m}
                            </div>
                        }
                    })
            }}
            <ul class="team-list">
                {move || {
                    team.get()
                        .into_iter()
                        .map(|r| {
                            let rid = r.id.clone();
                            view! {
                                <li>
                                    <div>
                                        <strong>{r.name.clone()}</strong>
                                        <span class="muted small">{format!(" · {}", r.title)}</span>
                                    </div>
                                    {cohorts
                                        .get_value()
                                        .into_iter()
                                        .map(|(cid, label)| {
                                            let on = r.nominated_for.contains(&cid);
                                            let rid = rid.clone();
                                            let aria = format!("Nominate {} for {}", r.name, label);
                                            view! {
                                                <label class="check">
                                                    <input
                                                        type="checkbox"
                                                        aria-label=aria
                                                        prop:checked=on
                                                        disabled=move || toggle.pending().get()
                                                        on:change=move |ev| {
                                                            toggle
                                                                .dispatch((
                                                                    cid.clone(),
                                                                    rid.clone(),
                                                                    event_target_checked(&ev),
                                                                ));
                                                        }
                                                    />
                                                    {label}
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
