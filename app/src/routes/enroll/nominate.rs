//! A manager nominates their reports for an open cohort.

use leptos::prelude::*;

use super::*;

#[component]
pub(super) fn Nominations(team: Vec<Report>, open: Vec<OpenCohort>) -> impl IntoView {
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
