//! `/cohorts`: cohorts open for applications. People apply for themselves as mentee or mentor,
//! see the verdict per rule, follow their applications and, as managers, nominate their team.

mod apply;
mod nominate;

use apply::ApplyForm;
use nominate::Nominations;

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
